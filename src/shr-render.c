/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-render.c — templates directory, compiled-template cache, and the
 * notice/draft/digest as mails. */
#include "config.h"

#include "shr-render.h"

#include <string.h>

#include "shr-mustache.h"
#include "shr-notice.h"

struct _ShrRenderer
{
  gchar *dir;
  GHashTable *templates; /* name → ShrMustacheTemplate */
  ShrMustachePartials *partials;
};

const gchar *
shr_render_default_dir (void)
{
  /* $SHIRASE_TEMPLATEDIR (tests, a build never installed), else the
   * installed templates: never a build tree's, which would make an
   * installed binary behave unlike the package. */
  static gchar *dir;
  if (g_once_init_enter (&dir))
    {
      const gchar *env = g_getenv ("SHIRASE_TEMPLATEDIR");
      gchar *d
          = env != NULL && *env != '\0' ? g_strdup (env) : g_build_filename (SHR_DATADIR, "templates", NULL);
      g_once_init_leave (&dir, d);
    }
  return dir;
}

gchar *
shr_render_dir_for_config (GKeyFile *keyfile, const gchar *config_path)
{
  g_autofree gchar *dir = NULL;
  if (keyfile != NULL)
    dir = g_key_file_get_string (keyfile, "templates", "dir", NULL);
  if (dir == NULL || *dir == '\0')
    return g_strdup (shr_render_default_dir ());
  if (g_path_is_absolute (dir) || config_path == NULL)
    return g_steal_pointer (&dir);
  g_autofree gchar *base = g_path_get_dirname (config_path);
  return g_build_filename (base, dir, NULL);
}

ShrRenderer *
shr_renderer_new (const gchar *dir, GError **error)
{
  if (dir == NULL)
    dir = shr_render_default_dir ();
  g_autofree gchar *probe = g_build_filename (dir, "notice-ja.txt", NULL);
  if (!g_file_test (probe, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: not a template directory (no notice-ja.txt)",
                   dir);
      return NULL;
    }
  ShrRenderer *r = g_new0 (ShrRenderer, 1);
  r->dir = g_strdup (dir);
  r->templates
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)shr_mustache_template_unref);
  r->partials = shr_mustache_partials_new_for_dir (dir);
  return r;
}

void
shr_renderer_free (ShrRenderer *r)
{
  if (r == NULL)
    return;
  g_hash_table_unref (r->templates);
  shr_mustache_partials_unref (r->partials);
  g_free (r->dir);
  g_free (r);
}

const gchar *
shr_renderer_get_dir (ShrRenderer *r)
{
  return r->dir;
}

gchar *
shr_renderer_render (ShrRenderer *r, const gchar *name, JsonNode *view, GError **error)
{
  g_return_val_if_fail (r != NULL && name != NULL, NULL);
  ShrMustacheTemplate *t = g_hash_table_lookup (r->templates, name);
  if (t == NULL)
    {
      if (strchr (name, '/') != NULL || name[0] == '.')
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a template name", name);
          return NULL;
        }
      g_autofree gchar *path = g_build_filename (r->dir, name, NULL);
      t = shr_mustache_template_new_from_file (path, error);
      if (t == NULL)
        return NULL;
      g_hash_table_insert (r->templates, g_strdup (name), t);
    }
  ShrMustacheMode mode = g_str_has_suffix (name, ".html") ? SHR_MUSTACHE_MODE_HTML : SHR_MUSTACHE_MODE_TEXT;
  return shr_mustache_template_render (t, view, r->partials, mode, error);
}

static gchar *
render_line (ShrRenderer *r, const gchar *name, JsonNode *view, GError **error)
{
  g_autofree gchar *s = shr_renderer_render (r, name, view, error);
  if (s == NULL)
    return NULL;
  return shr_notice_one_line (s);
}

gboolean
shr_renderer_add_subjects (ShrRenderer *r, JsonNode *view, GError **error)
{
  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (view), FALSE);
  JsonObject *o = json_node_get_object (view);
  g_autofree gchar *ja = render_line (r, "subject-ja.txt", view, error);
  if (ja == NULL)
    return FALSE;
  g_autofree gchar *en = render_line (r, "subject-en.txt", view, error);
  if (en == NULL)
    return FALSE;
  json_object_set_string_member (o, "subject_ja", ja);
  json_object_set_string_member (o, "subject_en", en);
  return TRUE;
}

void
shr_rendered_free (ShrRendered *x)
{
  if (x == NULL)
    return;
  g_free (x->subject);
  g_free (x->text);
  g_free (x->html);
  g_free (x);
}

ShrRendered *
shr_renderer_notice (ShrRenderer *r, JsonNode *view, ShrRenderLang lang, GError **error)
{
  if (!shr_renderer_add_subjects (r, view, error))
    return NULL;
  static const gchar *const suffix[] = { "ja", "en", "both" };
  g_autofree gchar *text_name = g_strdup_printf ("notice-%s.txt", suffix[lang]);
  g_autofree gchar *html_name = g_strdup_printf ("notice-%s.html", suffix[lang]);
  g_autoptr (ShrRendered) out = g_new0 (ShrRendered, 1);
  JsonObject *o = json_node_get_object (view);
  out->subject = g_strdup (
      json_object_get_string_member (o, lang == SHR_RENDER_LANG_EN ? "subject_en" : "subject_ja"));
  out->text = shr_renderer_render (r, text_name, view, error);
  if (out->text == NULL)
    return NULL;
  out->html = shr_renderer_render (r, html_name, view, error);
  if (out->html == NULL)
    return NULL;
  return g_steal_pointer (&out);
}

ShrRendered *
shr_renderer_draft (ShrRenderer *r, JsonNode *view, const gchar *token, const gchar *draft_id, GError **error)
{
  g_return_val_if_fail (token != NULL, NULL);
  /* The draft shows the notices exactly as they will go out: render them
   * first and hand the texts to draft.txt. */
  g_autoptr (ShrRendered) ja = shr_renderer_notice (r, view, SHR_RENDER_LANG_JA, error);
  if (ja == NULL)
    return NULL;
  g_autoptr (ShrRendered) en = shr_renderer_notice (r, view, SHR_RENDER_LANG_EN, error);
  if (en == NULL)
    return NULL;
  JsonObject *o = json_node_get_object (view);
  JsonObject *approval = json_object_new ();
  json_object_set_string_member (approval, "token", token);
  if (draft_id != NULL)
    json_object_set_string_member (approval, "id", draft_id);
  json_object_set_string_member (approval, "notice_ja", ja->text);
  json_object_set_string_member (approval, "notice_en", en->text);
  json_object_set_object_member (o, "approval", approval);

  g_autoptr (ShrRendered) out = g_new0 (ShrRendered, 1);
  out->subject = render_line (r, "draft-subject.txt", view, error);
  if (out->subject == NULL)
    return NULL;
  out->text = shr_renderer_render (r, "draft.txt", view, error);
  json_object_remove_member (o, "approval");
  if (out->text == NULL)
    return NULL;
  return g_steal_pointer (&out);
}

ShrRendered *
shr_renderer_digest (ShrRenderer *r, JsonNode *view, GError **error)
{
  g_autoptr (ShrRendered) out = g_new0 (ShrRendered, 1);
  out->subject = render_line (r, "digest-subject.txt", view, error);
  if (out->subject == NULL)
    return NULL;
  out->text = shr_renderer_render (r, "digest.txt", view, error);
  if (out->text == NULL)
    return NULL;
  return g_steal_pointer (&out);
}
