/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-render.c — templates directory, compiled-template cache, and the
 * notice/draft/digest as mails. */
#include "config.h"

#include "shr-render.h"

#include "shr-edit.h"

#include <string.h>

#include "shr-mustache.h"
#include "shr-notice.h"
#include "shr-text.h"

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

/* ---- Japanese spacing and text width ---------------------------------------- */

static gboolean
is_wide_text (gunichar c)
{
  /* Kana, kanji, and the full-width punctuation and forms. */
  return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF)
         || (c >= 0xFF01 && c <= 0xFF60);
}

static gboolean
opens (gunichar c)
{
  return c != 0 && g_utf8_strchr ("「『（【〔［｛〈《", -1, c) != NULL;
}

static gboolean
closes (gunichar c)
{
  return c != 0 && g_utf8_strchr ("」』）】〕］｝〉》、。，．", -1, c) != NULL;
}

/* A particle or joining word the templates put after a value ("X の",
 * "X による", "A および B"): after a Japanese character, the space before
 * it is the template's, not the value's. */
static gboolean
particle_at (const gchar *p)
{
  static const gchar *const words[]
      = { "の", "に", "を", "が", "で", "と", "は", "も", "へ", "から", "および", "ほか", NULL };
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_has_prefix (p, words[i]))
      return TRUE;
  return FALSE;
}

gchar *
shr_render_tidy_spaces (const gchar *text)
{
  GString *s = g_string_sized_new (strlen (text));
  const gchar *p = text;
  gunichar prev = 0;
  while (*p != '\0')
    {
      if (*p == ' ' && prev != 0 && prev != '\n' && prev != ' ')
        {
          const gchar *q = p;
          while (*q == ' ')
            q++;
          gunichar next = g_utf8_get_char (q);
          gboolean drop
              = next != '\0' && next != '\n'
                && ((is_wide_text (prev)
                     && (particle_at (q) || (g_str_has_suffix (s->str, "および") && is_wide_text (next))))
                    || opens (prev) || closes (next));
          if (!drop)
            g_string_append_len (s, p, q - p);
          p = q;
          prev = ' ';
          continue;
        }
      gunichar c = g_utf8_get_char (p);
      const gchar *n = g_utf8_next_char (p);
      g_string_append_len (s, p, n - p);
      /* What comes before a dropped space is the character, not the space. */
      prev = c;
      p = n;
    }
  return g_string_free (s, FALSE);
}

guint
shr_render_text_width (const gchar *text, gssize len)
{
  guint w = 0;
  const gchar *end = len < 0 ? NULL : text + len;
  for (const gchar *p = text; *p != '\0' && (end == NULL || p < end); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iszerowidth (c))
        continue;
      /* Ambiguous characters (━, →, …) take two columns in a Japanese
       * mail client's font: count them so. */
      w += g_unichar_iswide_cjk (c) ? 2 : 1;
    }
  return w;
}

/* Kinsoku: what may not begin or end a line. */
static gboolean
no_line_start (gunichar c)
{
  return closes (c)
         || g_utf8_strchr ("・：；！？ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々),.;:!?%", -1, c)
                != NULL;
}

static gboolean
no_line_end (gunichar c)
{
  return opens (c) || c == '(' || c == '[';
}

static gboolean
latin_letter (gunichar c)
{
  return c < 0x80 && g_ascii_isalpha (c);
}

/* Whether a line may break between @a and @b, neither a space: between two
 * Japanese characters, after Japanese punctuation, or where Japanese meets
 * a Latin word — never inside "2026年3月16日(月)" or "CU15、" — and only
 * where kinsoku allows. */
static gboolean
japanese_break (gunichar a, gunichar b)
{
  gboolean wa = is_wide_text (a), wb = is_wide_text (b);
  gboolean boundary = (wa && wb)
                      || (wa
                          && (latin_letter (b) || (a >= 0x3000 && a <= 0x303F) || (a >= 0xFF01 && a <= 0xFF0F)
                              || a == 0xFF5C))
                      || (wb && (latin_letter (a) || opens (b)));
  return boundary && !no_line_start (b) && !no_line_end (a);
}

/* The width of what starts @line and is repeated as blanks on the lines it
 * wraps into: leading blanks and a list marker ("・", "1. ", "- ", "✓ "). */
static gsize
hanging_indent (const gchar *line, guint *columns)
{
  static GRegex *marker;
  static gsize done;
  if (g_once_init_enter (&done))
    {
      marker = g_regex_new (
          "^ *(?:・|[0-9]{1,2}\\. |- |\\* |[✓✗△？?] |(?:件名|原題|情報源|Subject|Original title|Source): )?",
          G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&done, 1);
    }
  g_autoptr (GMatchInfo) m = NULL;
  gint end = 0;
  if (g_regex_match (marker, line, 0, &m))
    g_match_info_fetch_pos (m, 0, NULL, &end);
  *columns = shr_render_text_width (line, end);
  return end;
}

static void
wrap_line (GString *out, const gchar *line, guint width)
{
  guint indent = 0;
  gsize head = hanging_indent (line, &indent);
  if (shr_render_text_width (line, -1) <= width || indent >= width / 2)
    {
      g_string_append (out, line);
      return;
    }
  const gchar *start = line; /* of the current output line */
  const gchar *p = line + head;
  guint col = shr_render_text_width (line, head);
  const gchar *brk = NULL; /* the last place the line may break */
  gunichar prev = 0;
  gboolean in_url = FALSE;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      if (c == ' ')
        in_url = FALSE;
      else if (!in_url && (g_str_has_prefix (p, "http://") || g_str_has_prefix (p, "https://")))
        in_url = TRUE;
      gboolean can_break = FALSE;
      if (prev == ' ' && c != ' ')
        can_break = TRUE;
      else if (prev != 0 && prev != ' ' && c != ' ' && !in_url)
        can_break = japanese_break (prev, c);
      if (can_break && p > start)
        brk = p;
      guint cw = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide_cjk (c) ? 2 : 1;
      if (col + cw > width && c != ' ' && brk != NULL && brk > start)
        {
          /* End the line at the break (without the blanks before it) and
           * carry on from there, indented. */
          const gchar *e = brk;
          while (e > start && e[-1] == ' ')
            e--;
          g_string_append_len (out, start, e - start);
          g_string_append_c (out, '\n');
          for (guint i = 0; i < indent; i++)
            g_string_append_c (out, ' ');
          start = brk;
          col = indent + shr_render_text_width (brk, p - brk);
          brk = NULL;
        }
      col += cw;
      prev = c;
      p = g_utf8_next_char (p);
    }
  g_string_append (out, start);
}

gchar *
shr_render_wrap (const gchar *text, guint width)
{
  GString *out = g_string_sized_new (strlen (text) + strlen (text) / 16);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      wrap_line (out, lines[i], width);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  gsize start, end;
} Span;

static gint
span_compare (gconstpointer a, gconstpointer b)
{
  const Span *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

gchar *
shr_render_tidy_mail (const gchar *text, const gchar *const *verbatim)
{
  /* Where each verbatim string stands, found once each, in order. */
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  for (guint i = 0; verbatim != NULL && verbatim[i] != NULL; i++)
    {
      gsize len = strlen (verbatim[i]);
      for (const gchar *hit = len > 0 ? strstr (text, verbatim[i]) : NULL; hit != NULL;
           hit = strstr (hit + len, verbatim[i]))
        {
          Span span = { hit - text, hit - text + len };
          g_array_append_val (spans, span);
        }
    }
  g_array_sort (spans, span_compare);
  GString *out = g_string_sized_new (strlen (text) + strlen (text) / 16);
  gsize done = 0;
  for (guint i = 0; i <= spans->len; i++)
    {
      gsize start = i < spans->len ? g_array_index (spans, Span, i).start : strlen (text);
      if (start > done)
        {
          g_autofree gchar *part = g_strndup (text + done, start - done);
          g_autofree gchar *tidy = shr_render_tidy_spaces (part);
          g_autofree gchar *wrapped = shr_render_wrap (tidy, SHR_RENDER_TEXT_WIDTH);
          g_string_append (out, wrapped);
          done = start;
        }
      if (i < spans->len && g_array_index (spans, Span, i).end > done)
        {
          gsize end = g_array_index (spans, Span, i).end;
          g_string_append_len (out, text + done, end - done);
          done = end;
        }
    }
  return g_string_free (out, FALSE);
}

gchar *
shr_renderer_mail (ShrRenderer *r, const gchar *name, JsonNode *view, const gchar *const *verbatim,
                   GError **error)
{
  g_autofree gchar *text = shr_renderer_render (r, name, view, error);
  if (text == NULL)
    return NULL;
  return shr_render_tidy_mail (text, verbatim);
}

/* ---- the view's worded keys ------------------------------------------------- */

static gchar *
render_line (ShrRenderer *r, const gchar *name, JsonNode *view, GError **error)
{
  g_autofree gchar *s = shr_renderer_render (r, name, view, error);
  if (s == NULL)
    return NULL;
  g_autofree gchar *line = shr_text_one_line (s);
  return shr_render_tidy_spaces (line);
}

/* Renders @name with its line ends removed (the template's lines are laid
 * out for its reader, the text is one paragraph) and sets it as @key. */
static gboolean
set_joined (ShrRenderer *r, JsonObject *o, const gchar *key, const gchar *name, JsonNode *view,
            GError **error)
{
  g_autofree gchar *s = shr_renderer_render (r, name, view, error);
  if (s == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (s, "\n", -1);
  g_autofree gchar *joined = g_strjoinv ("", lines);
  g_autofree gchar *line = shr_text_one_line (joined);
  g_autofree gchar *tidy = shr_render_tidy_spaces (line);
  json_object_set_string_member (o, key, tidy);
  return TRUE;
}

static gboolean
add_titles (ShrRenderer *r, JsonNode *view, GError **error)
{
  JsonObject *o = json_node_get_object (view);
  static const gchar *const langs[] = { "ja", "en" };
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree gchar *topic_key = g_strconcat ("topic_", langs[i], NULL);
      g_autofree gchar *topic_name = g_strconcat ("topic-", langs[i], ".txt", NULL);
      g_autofree gchar *title_key = g_strconcat ("title_", langs[i], NULL);
      g_autofree gchar *title_name = g_strconcat ("title-", langs[i], ".txt", NULL);
      if (!set_joined (r, o, topic_key, topic_name, view, error)
          || !set_joined (r, o, title_key, title_name, view, error))
        return FALSE;
      /* 原題 / Original title: the source's own, when it is not the title
       * already shown. */
      g_autofree gchar *differs_key = g_strconcat ("title_differs_", langs[i], NULL);
      const gchar *title
          = json_object_has_member (o, "title") ? json_object_get_string_member (o, "title") : NULL;
      json_object_set_boolean_member (
          o, differs_key,
          title != NULL && g_strcmp0 (title, json_object_get_string_member (o, title_key)) != 0);
    }
  return TRUE;
}

/* Machine-written steps as the steps templates list them: [{n, text}]. */
static void
set_machine_steps (JsonObject *o, JsonObject *machine, const gchar *from, const gchar *key,
                   const gchar *has_key)
{
  JsonNode *node = json_object_get_member (machine, from);
  JsonArray *steps = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint len = steps != NULL ? json_array_get_length (steps) : 0;
  JsonArray *out = json_array_new ();
  for (guint i = 0; i < len; i++)
    {
      JsonObject *step = json_object_new ();
      json_object_set_int_member (step, "n", i + 1);
      json_object_set_string_member (step, "text", json_array_get_string_element (steps, i));
      json_array_add_object_element (out, step);
    }
  json_object_set_array_member (o, key, out);
  json_object_set_boolean_member (o, has_key, len > 0);
}

/* A summary the organisation's summariser wrote ("machine", checked by
 * shr-summary) takes the place of the built-in 一言でいうと / In short, of
 * the Japanese title when it gives one, and of the steps it gives: the
 * notice an approver approves says it without a mark (the draft marks it
 * beside the built-in text). */
static void
use_machine_summary (JsonObject *o)
{
  JsonNode *node = json_object_get_member (o, "machine");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  JsonObject *m = json_node_get_object (node);
  static const struct
  {
    const gchar *from, *to;
  } texts[]
      = { { "summary_ja", "in_short_ja" }, { "summary_en", "in_short_en" }, { "title_ja", "title_ja" } };
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const gchar *v = json_object_get_string_member_with_default (m, texts[i].from, NULL);
      if (v != NULL)
        json_object_set_string_member (o, texts[i].to, v);
    }
  if (json_object_has_member (m, "title_ja"))
    {
      const gchar *title = json_object_get_string_member_with_default (o, "title", NULL);
      json_object_set_boolean_member (
          o, "title_differs_ja",
          title != NULL && g_strcmp0 (title, json_object_get_string_member (m, "title_ja")) != 0);
    }
  set_machine_steps (o, m, "steps_ja", "machine_steps_ja", "has_machine_steps_ja");
  set_machine_steps (o, m, "steps_en", "machine_steps_en", "has_machine_steps_en");
}

gboolean
shr_renderer_add_subjects (ShrRenderer *r, JsonNode *view, GError **error)
{
  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (view), FALSE);
  JsonObject *o = json_node_get_object (view);
  if (!add_titles (r, view, error) || !set_joined (r, o, "in_short_ja", "in-short-ja.txt", view, error)
      || !set_joined (r, o, "in_short_en", "in-short-en.txt", view, error))
    return FALSE;
  use_machine_summary (o);
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
  g_autofree gchar *text = shr_renderer_render (r, text_name, view, error);
  if (text == NULL)
    return NULL;
  g_autofree gchar *html = shr_renderer_render (r, html_name, view, error);
  if (html == NULL)
    return NULL;
  g_autofree gchar *tidy = shr_render_tidy_spaces (text);
  out->text = shr_render_wrap (tidy, SHR_RENDER_TEXT_WIDTH);
  out->html = shr_render_tidy_spaces (html);
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
  /* Between the markers an approver quotes to approve with edits. */
  g_autofree gchar *block_ja = shr_edit_block ("ja", ja->subject, ja->text);
  g_autofree gchar *block_en = shr_edit_block ("en", en->subject, en->text);
  json_object_set_string_member (approval, "notice_ja", block_ja);
  json_object_set_string_member (approval, "notice_en", block_en);
  json_object_set_object_member (o, "approval", approval);

  g_autoptr (ShrRendered) out = g_new0 (ShrRendered, 1);
  out->subject = render_line (r, "draft-subject.txt", view, error);
  if (out->subject == NULL)
    return NULL;
  /* The notices go out as they are: the approver quotes them back. */
  const gchar *const blocks[] = { block_ja, block_en, NULL };
  out->text = shr_renderer_mail (r, "draft.txt", view, blocks, error);
  json_object_remove_member (o, "approval");
  if (out->text == NULL)
    return NULL;
  return g_steal_pointer (&out);
}

/* Adds the titles to every object of @array (or to member @member of
 * each, when not NULL): the digest lists advisories by their title. */
static gboolean
add_titles_to_each (ShrRenderer *r, JsonArray *array, const gchar *member, GError **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (o != NULL && member != NULL)
        o = json_object_has_member (o, member) ? json_object_get_object_member (o, member) : NULL;
      if (o == NULL)
        continue;
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), o);
      if (!add_titles (r, node, error))
        return FALSE;
    }
  return TRUE;
}

ShrRendered *
shr_renderer_digest (ShrRenderer *r, JsonNode *view, GError **error)
{
  JsonObject *v = json_node_get_object (view);
  JsonArray *items = json_object_has_member (v, "items") ? json_object_get_array_member (v, "items") : NULL;
  JsonArray *folded
      = json_object_has_member (v, "folded") ? json_object_get_array_member (v, "folded") : NULL;
  if (!add_titles_to_each (r, items, NULL, error) || !add_titles_to_each (r, folded, "notice", error))
    return NULL;
  g_autoptr (ShrRendered) out = g_new0 (ShrRendered, 1);
  out->subject = render_line (r, "digest-subject.txt", view, error);
  if (out->subject == NULL)
    return NULL;
  g_autofree gchar *text = shr_renderer_render (r, "digest.txt", view, error);
  if (text == NULL)
    return NULL;
  g_autofree gchar *tidy = shr_render_tidy_spaces (text);
  out->text = shr_render_wrap (tidy, SHR_RENDER_TEXT_WIDTH);
  return g_steal_pointer (&out);
}
