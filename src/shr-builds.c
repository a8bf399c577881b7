/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-builds.h"

#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"
#include "shr-version.h"

typedef struct
{
  gchar *product; /* normalised */
  gchar *name;    /* normalised release name: "2019 cu14" */
  gchar *build;
} Release;

struct _ShrBuilds
{
  GPtrArray *releases; /* Release*, longest name first */
};

static void
release_free (Release *r)
{
  g_free (r->product);
  g_free (r->name);
  g_free (r->build);
  g_free (r);
}

static gint
longest_name_first (gconstpointer a, gconstpointer b)
{
  const Release *x = *(Release *const *)a;
  const Release *y = *(Release *const *)b;
  return (gint)strlen (y->name) - (gint)strlen (x->name);
}

ShrBuilds *
shr_builds_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  GError *local = NULL;
  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return NULL;
    }
  g_autoptr (ShrBuilds) builds = g_new0 (ShrBuilds, 1);
  builds->releases = g_ptr_array_new_with_free_func ((GDestroyNotify)release_free);
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_strchomp (lines[n]);
      if (lines[n][0] == '#' || lines[n][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[n], "\t", -1);
      if (g_strv_length (f) < 4 || shr_version_validate (SHR_VERSION_SCHEME_GENERIC, f[3], NULL) == FALSE)
        {
          g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                       "%s:%u: vendor, product, release and build expected, separated by tabs", path, n + 1);
          return NULL;
        }
      Release *r = g_new0 (Release, 1);
      r->product = shr_lexicon_normalize (f[1]);
      r->name = shr_lexicon_normalize (f[2]);
      r->build = g_strdup (f[3]);
      g_ptr_array_add (builds->releases, r);
    }
  g_ptr_array_sort (builds->releases, longest_name_first);
  return g_steal_pointer (&builds);
}

void
shr_builds_free (ShrBuilds *builds)
{
  if (builds == NULL)
    return;
  g_ptr_array_unref (builds->releases);
  g_free (builds);
}

const ShrBuilds *
shr_builds_get_default (void)
{
  static gsize once;
  static ShrBuilds *builds;
  if (g_once_init_enter (&once))
    {
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "builds.tsv", NULL);
      g_autoptr (GError) error = NULL;
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          builds = shr_builds_load (path, &error);
          if (builds == NULL)
            g_warning ("release names of products are not available: %s", error->message);
        }
      g_once_init_leave (&once, 1);
    }
  return builds;
}

/* "… CU15 SU3", "… RTM SU2", "… CU14 Hotfix": an update after the release. */
static gboolean
names_later_update (const gchar *norm_phrase, const gchar *after_name)
{
  static GRegex *re;
  if (g_once_init_enter (&re))
    g_once_init_leave (
        &re, g_regex_new ("^\\s*(?:su|hu|hotfix|security update)\\s*\\d*", G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match (re, after_name, 0, NULL) || strstr (norm_phrase, " su") != NULL;
}

const gchar *
shr_builds_find (const ShrBuilds *builds, const gchar *product, const gchar *phrase, gboolean *later_update)
{
  if (builds == NULL || product == NULL || phrase == NULL)
    return NULL;
  g_autofree gchar *norm_product = shr_lexicon_normalize (product);
  g_autofree gchar *norm = shr_lexicon_normalize (phrase);
  for (guint i = 0; i < builds->releases->len; i++)
    {
      const Release *r = g_ptr_array_index (builds->releases, i);
      if (strstr (norm_product, r->product) == NULL && strstr (r->product, norm_product) == NULL)
        continue;
      const gchar *at = strstr (norm, r->name);
      if (at == NULL)
        continue;
      /* The name must stand alone: "cu1" is not found in "cu15". */
      const gchar *end = at + strlen (r->name);
      if (g_ascii_isalnum (*end) || (at > norm && g_ascii_isalnum (at[-1])))
        continue;
      if (later_update != NULL)
        *later_update = names_later_update (norm, end);
      return r->build;
    }
  return NULL;
}

gboolean
shr_builds_names_release (const ShrBuilds *builds, const gchar *product, const GPtrArray *fixed)
{
  if (builds == NULL || fixed == NULL)
    return FALSE;
  for (guint i = 0; i < fixed->len; i++)
    if (shr_builds_find (builds, product, g_ptr_array_index (fixed, i), NULL) != NULL)
      return TRUE;
  return FALSE;
}

/* "15.2.1748.10" → "15.2.1748": the release line a build belongs to. */
static gchar *
release_line (const gchar *build)
{
  g_auto (GStrv) parts = g_strsplit (build, ".", 4);
  if (g_strv_length (parts) < 3)
    return g_strdup (build);
  return g_strdup_printf ("%s.%s.%s", parts[0], parts[1], parts[2]);
}

ShrTristate
shr_builds_affected (const ShrBuilds *builds, const gchar *product, const GPtrArray *fixed,
                     const gchar *version)
{
  if (builds == NULL || fixed == NULL || version == NULL
      || !shr_version_validate (SHR_VERSION_SCHEME_GENERIC, version, NULL))
    return SHR_TRISTATE_UNKNOWN;
  g_autofree gchar *asset_line = release_line (version);
  const gchar *newest = NULL;
  for (guint i = 0; i < fixed->len; i++)
    {
      gboolean later = FALSE;
      const gchar *build = shr_builds_find (builds, product, g_ptr_array_index (fixed, i), &later);
      if (build == NULL)
        continue;
      if (newest == NULL || shr_version_compare_generic (build, newest) > 0)
        newest = build;
      g_autofree gchar *line = release_line (build);
      if (strcmp (line, asset_line) != 0)
        continue;
      gint cmp = shr_version_compare_generic (version, build);
      if (later)
        /* The fix is an update on this release: the release itself and
         * anything before it are affected; later builds cannot be placed. */
        return cmp <= 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_UNKNOWN;
      return cmp < 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
    }
  if (newest == NULL)
    return SHR_TRISTATE_UNKNOWN;
  /* A release line the advisory does not fix: older ones get no fix. */
  return shr_version_compare_generic (version, newest) < 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_UNKNOWN;
}
