/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mustache-spec DIR — runs every test of the official Mustache spec JSON
 * files (the specs folder of github.com/mustache/spec) found in DIR against
 * shr-mustache and prints TAP.
 *
 * Exit status: 0 when every test passes, 1 when one fails or a file cannot
 * be read, 77 (skip) when DIR does not exist. The spec expects HTML
 * escaping, so templates are rendered in SHR_MUSTACHE_MODE_HTML. The
 * optional "~lambdas" file needs code in the data and is reported as
 * skipped. */
#include <stdio.h>
#include <string.h>

#include "shr-mustache.h"

static guint test_no;
static guint failures;

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* Prints S as one TAP diagnostic line, escapes visible. */
static void
diag (const gchar *label, const gchar *s)
{
  g_autofree gchar *esc = g_strescape (s != NULL ? s : "(null)", "\xc2\xe3");
  printf ("#   %s \"%s\"\n", label, esc);
}

static gboolean
run_test (const gchar *file, JsonObject *test, guint *passed)
{
  const gchar *name = json_object_get_string_member_with_default (test, "name", "?");
  const gchar *tmpl = json_object_get_string_member_with_default (test, "template", NULL);
  const gchar *expected = json_object_get_string_member_with_default (test, "expected", NULL);
  JsonNode *data = json_object_get_member (test, "data");
  test_no++;

  if (tmpl == NULL || expected == NULL)
    {
      printf ("not ok %u - %s: %s\n# malformed test: no template or expected\n", test_no, file, name);
      failures++;
      return FALSE;
    }

  g_autoptr (ShrMustachePartials) partials = shr_mustache_partials_new ();
  if (json_object_has_member (test, "partials"))
    {
      JsonObject *po = json_object_get_object_member (test, "partials");
      g_autoptr (GList) names = json_object_get_members (po);
      for (GList *l = names; l != NULL; l = l->next)
        shr_mustache_partials_add (partials, l->data, json_object_get_string_member (po, l->data));
    }

  g_autoptr (GError) error = NULL;
  g_autofree gchar *got = shr_mustache_render (tmpl, data, partials, SHR_MUSTACHE_MODE_HTML, &error);
  if (got != NULL && strcmp (got, expected) == 0)
    {
      printf ("ok %u - %s: %s\n", test_no, file, name);
      (*passed)++;
      return TRUE;
    }
  printf ("not ok %u - %s: %s\n", test_no, file, name);
  diag ("template:", tmpl);
  diag ("expected:", expected);
  if (got != NULL)
    diag ("got:     ", got);
  else
    printf ("#   error: %s\n", error->message);
  failures++;
  return FALSE;
}

static void
run_file (const gchar *dir, const gchar *file, GString *summary)
{
  g_autofree gchar *path = g_build_filename (dir, file, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_file (parser, path, &error))
    {
      test_no++;
      failures++;
      printf ("not ok %u - %s: cannot load: %s\n", test_no, file, error->message);
      return;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonArray *tests = NULL;
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *t = json_object_get_member (json_node_get_object (root), "tests");
      if (t != NULL && JSON_NODE_HOLDS_ARRAY (t))
        tests = json_node_get_array (t);
    }
  if (tests == NULL)
    {
      test_no++;
      failures++;
      printf ("not ok %u - %s: no \"tests\" array\n", test_no, file);
      return;
    }

  gboolean skip = g_str_has_prefix (file, "~lambdas");
  guint passed = 0;
  guint n = json_array_get_length (tests);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *t = json_array_get_element (tests, i);
      if (!JSON_NODE_HOLDS_OBJECT (t))
        continue;
      JsonObject *o = json_node_get_object (t);
      if (skip)
        {
          test_no++;
          printf ("ok %u - %s: %s # SKIP lambdas need code in the view\n", test_no, file,
                  json_object_get_string_member_with_default (o, "name", "?"));
          continue;
        }
      run_test (file, o, &passed);
    }
  if (skip)
    g_string_append_printf (summary, "# %s: skipped (%u tests)\n", file, n);
  else
    g_string_append_printf (summary, "# %s: %u/%u\n", file, passed, n);
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DIR\n", argv[0]);
      return 2;
    }
  const gchar *dir_path = argv[1];
  if (!g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      printf ("1..0 # SKIP %s does not exist\n", dir_path);
      return 77;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  if (dir == NULL)
    {
      printf ("Bail out! %s\n", error->message);
      return 1;
    }
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const gchar *entry;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".json"))
      g_ptr_array_add (files, g_strdup (entry));
  g_ptr_array_sort (files, compare_names);

  g_autoptr (GString) summary = g_string_new (NULL);
  for (guint i = 0; i < files->len; i++)
    run_file (dir_path, files->pdata[i], summary);

  printf ("1..%u\n%s", test_no, summary->str);
  return failures == 0 && test_no > 0 ? 0 : 1;
}
