/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-edit.c — see shr-edit.h. */
#include "shr-edit.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "shr-diff.h"
#include "shr-limits.h"

typedef struct
{
  const gchar *lang;
  const gchar *begin;
  const gchar *end;
  const gchar *subject_label;
  const gchar *name_ja; /* for messages */
  const gchar *name_en;
} Language;

static const Language languages[] = {
  { "ja", SHR_EDIT_JA_BEGIN, SHR_EDIT_JA_END, "件名:", "日本語", "Japanese" },
  { "en", SHR_EDIT_EN_BEGIN, SHR_EDIT_EN_END, "Subject:", "英語", "English" },
};

static void
notice_free (ShrEditedNotice *n)
{
  if (n == NULL)
    return;
  g_free (n->subject);
  g_free (n->text);
  g_free (n);
}

void
shr_edit_free (ShrEdit *edit)
{
  if (edit == NULL)
    return;
  notice_free (edit->ja);
  notice_free (edit->en);
  g_free (edit);
}

static ShrEditedNotice **
slot (ShrEdit *edit, guint lang)
{
  return lang == 0 ? &edit->ja : &edit->en;
}

static gchar *
rstrip_copy (const gchar *s, gsize len)
{
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
    len--;
  return g_strndup (s, len);
}

gchar *
shr_edit_normalize (const gchar *text)
{
  GString *out = g_string_new (NULL);
  gsize kept = 0; /* out's length up to its last non-blank line */
  for (const gchar *p = text != NULL ? text : ""; *p != '\0';)
    {
      const gchar *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize)(nl - p) : strlen (p);
      g_autofree gchar *line = rstrip_copy (p, len);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
      if (*line != '\0')
        kept = out->len;
      p = nl != NULL ? nl + 1 : p + len;
    }
  g_string_truncate (out, kept);
  return g_string_free (out, FALSE);
}

gchar *
shr_edit_block (const gchar *lang, const gchar *subject, const gchar *text)
{
  const Language *l = &languages[g_strcmp0 (lang, "en") == 0];
  g_autofree gchar *body = shr_edit_normalize (text);
  return g_strdup_printf ("%s\n%s %s\n\n%s%s\n", l->begin, l->subject_label, subject != NULL ? subject : "",
                          body, l->end);
}

/* ---- reading a reply ------------------------------------------------------ */

/* The quoting depth of @line ('>' marks, spaces between them allowed) and,
 * in @content, the line without its first @max levels of quoting (and
 * the one space after the last mark taken off). */
static guint
quoting (const gchar *line, guint max, const gchar **content)
{
  const gchar *p = line;
  guint depth = 0;
  const gchar *after = line;
  while (*p == '>' || (*p == ' ' && (p[1] == '>' || (p[1] == ' ' && p[2] == '>'))))
    {
      if (*p == '>')
        {
          depth++;
          if (depth <= max)
            after = p[1] == ' ' ? p + 2 : p + 1;
        }
      p++;
    }
  if (content != NULL)
    *content = after;
  return depth;
}

typedef struct
{
  guint lang;
  guint depth;
  GPtrArray *lines; /* the block's lines, quoting taken off */
  gsize bytes;
} Block;

static void
block_free (Block *b)
{
  g_ptr_array_unref (b->lines);
  g_free (b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Block, block_free)

static gboolean
is_marker (const gchar *content, const gchar *marker)
{
  while (*content == ' ' || *content == '\t')
    content++;
  gsize n = strlen (marker);
  if (strncmp (content, marker, n) != 0)
    return FALSE;
  for (const gchar *p = content + n; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r')
      return FALSE;
  return TRUE;
}

/* Whether @c may not stand in a Subject (@in_text FALSE) or a text: a
 * control character (C0, DEL, C1) other than a text's tab and line end,
 * or a Unicode line or paragraph separator. */
static gboolean
is_control (gunichar c, gboolean in_text)
{
  if (c == '\t' || c == '\n')
    return !in_text;
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029;
}

static gboolean
first_control (const gchar *s, gboolean in_text, gunichar *found)
{
  if (!g_utf8_validate (s, -1, NULL))
    {
      *found = 0xfffd;
      return TRUE;
    }
  for (const gchar *p = s; *p != '\0'; p = g_utf8_next_char (p))
    if (is_control (g_utf8_get_char (p), in_text))
      {
        *found = g_utf8_get_char (p);
        return TRUE;
      }
  return FALSE;
}

static gboolean edit_error (GError **error, ShrEditError code, const gchar *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
edit_error (GError **error, ShrEditError code, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SHR_EDIT_ERROR, code, msg);
  return FALSE;
}

/* The notice a block holds: its Subject line, a blank line, the text. */
static ShrEditedNotice *
notice_of_block (const Block *b, GError **error)
{
  const Language *l = &languages[b->lang];
  guint i = 0;
  while (i < b->lines->len && *(const gchar *)b->lines->pdata[i] == '\0')
    i++;
  const gchar *first = i < b->lines->len ? b->lines->pdata[i] : "";
  const gchar *value = NULL;
  if (g_str_has_prefix (first, l->subject_label))
    value = first + strlen (l->subject_label);
  else if (b->lang == 0 && g_str_has_prefix (first, "件名："))
    value = first + strlen ("件名：");
  if (value == NULL)
    {
      edit_error (error, SHR_EDIT_ERROR_SUBJECT,
                  "%sの通知文の最初の行が「%s」ではありません / the %s block does not start with its "
                  "\"%s\" line",
                  l->name_ja, l->subject_label, l->name_en, l->subject_label);
      return NULL;
    }
  g_autofree gchar *subject = g_strstrip (g_strdup (value));
  gunichar bad = 0;
  if (*subject == '\0')
    {
      edit_error (error, SHR_EDIT_ERROR_SUBJECT, "%sの件名が空です / the %s Subject is empty", l->name_ja,
                  l->name_en);
      return NULL;
    }
  if (first_control (subject, FALSE, &bad))
    {
      edit_error (
          error, SHR_EDIT_ERROR_SUBJECT,
          "%sの件名に制御文字 (U+%04X) があります / the %s Subject holds a control character (U+%04X)",
          l->name_ja, bad, l->name_en, bad);
      return NULL;
    }
  if (strlen (subject) > SHR_MAX_SUBJECT_BYTES)
    {
      edit_error (error, SHR_EDIT_ERROR_SUBJECT,
                  "%sの件名が長すぎます（%d バイトまで） / the %s Subject is longer than %d bytes",
                  l->name_ja, SHR_MAX_SUBJECT_BYTES, l->name_en, SHR_MAX_SUBJECT_BYTES);
      return NULL;
    }
  i++;
  if (i < b->lines->len && *(const gchar *)b->lines->pdata[i] != '\0')
    {
      edit_error (
          error, SHR_EDIT_ERROR_SUBJECT,
          "%sの件名が改行されて2行以上になっています。件名は1行で書き、次の行は空けてください / the %s "
          "Subject runs over more than one line: write it on one line, followed by a blank line",
          l->name_ja, l->name_en);
      return NULL;
    }
  while (i < b->lines->len && *(const gchar *)b->lines->pdata[i] == '\0')
    i++;
  GString *text = g_string_new (NULL);
  for (; i < b->lines->len; i++)
    {
      g_string_append (text, b->lines->pdata[i]);
      g_string_append_c (text, '\n');
    }
  g_autofree gchar *raw = g_string_free (text, FALSE);
  if (first_control (raw, TRUE, &bad))
    {
      edit_error (error, SHR_EDIT_ERROR_CONTROL,
                  "%sの通知文に制御文字 (U+%04X) があります / the %s text holds a control character (U+%04X)",
                  l->name_ja, bad, l->name_en, bad);
      return NULL;
    }
  ShrEditedNotice *n = g_new0 (ShrEditedNotice, 1);
  n->subject = g_steal_pointer (&subject);
  n->text = shr_edit_normalize (raw);
  return n;
}

static gboolean
same_notice (const ShrEditedNotice *a, const ShrEditedNotice *b)
{
  return g_strcmp0 (a->subject, b->subject) == 0 && g_strcmp0 (a->text, b->text) == 0;
}

/* Splits @text into blocks; FALSE (and an error) when a marker is out of
 * its pair or a block is too big. */
static gboolean
find_blocks (const gchar *text, GPtrArray *blocks, GError **error)
{
  g_autoptr (Block) open = NULL;
  for (const gchar *p = text; *p != '\0';)
    {
      const gchar *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize)(nl - p) : strlen (p);
      g_autofree gchar *line = rstrip_copy (p, len);
      p = nl != NULL ? nl + 1 : p + len;
      const gchar *content = NULL;
      guint depth = quoting (line, G_MAXUINT, &content);
      gint begins = -1, ends = -1;
      for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
        {
          if (is_marker (content, languages[l].begin))
            begins = l;
          else if (is_marker (content, languages[l].end))
            ends = l;
        }
      if (begins >= 0)
        {
          if (open != NULL)
            return edit_error (error, SHR_EDIT_ERROR_BROKEN,
                               "%sの通知文が「%s」で閉じられる前に、次の「%s」があります / the %s block is "
                               "not closed by \"%s\" before the next \"%s\"",
                               languages[open->lang].name_ja, languages[open->lang].end,
                               languages[begins].begin, languages[open->lang].name_en,
                               languages[open->lang].end, languages[begins].begin);
          open = g_new0 (Block, 1);
          open->lang = begins;
          open->depth = depth;
          open->lines = g_ptr_array_new_with_free_func (g_free);
          continue;
        }
      if (ends >= 0)
        {
          if (open == NULL || (guint)ends != open->lang)
            return edit_error (error, SHR_EDIT_ERROR_BROKEN,
                               "「%s」に対応する「%s」がありません / \"%s\" has no \"%s\" before it",
                               languages[ends].end, languages[ends].begin, languages[ends].end,
                               languages[ends].begin);
          g_ptr_array_add (blocks, g_steal_pointer (&open));
          continue;
        }
      if (open == NULL)
        continue;
      /* Inside a quoted block, a line typed unquoted is the approver's
       * edit: take off the block's quoting, no more. */
      quoting (line, open->depth, &content);
      open->bytes += strlen (content) + 1;
      if (open->bytes > SHR_MAX_EDITED_NOTICE_BYTES)
        return edit_error (error, SHR_EDIT_ERROR_TOO_BIG,
                           "%sの通知文が大きすぎます（%d KiB まで） / the %s block is larger than %d KiB",
                           languages[open->lang].name_ja, SHR_MAX_EDITED_NOTICE_BYTES / 1024,
                           languages[open->lang].name_en, SHR_MAX_EDITED_NOTICE_BYTES / 1024);
      g_ptr_array_add (open->lines, g_strdup (content));
    }
  if (open != NULL)
    return edit_error (error, SHR_EDIT_ERROR_BROKEN,
                       "%sの通知文に終わりの印「%s」がありません / the %s block has no end marker \"%s\"",
                       languages[open->lang].name_ja, languages[open->lang].end,
                       languages[open->lang].name_en, languages[open->lang].end);
  return TRUE;
}

ShrEdit *
shr_edit_parse (const gchar *reply_text, GError **error)
{
  g_autoptr (GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify)block_free);
  if (!find_blocks (reply_text != NULL ? reply_text : "", blocks, error))
    return NULL;
  if (blocks->len == 0)
    {
      edit_error (
          error, SHR_EDIT_ERROR_MISSING,
          "修正した通知文がありません。下書きの「%s」…「%s」（英語は「%s」…「%s」）の間を修正して返信して"
          "ください / no edited notice: edit the text between \"%s\" … \"%s\" (or \"%s\" … \"%s\") "
          "of the draft and send it back",
          SHR_EDIT_JA_BEGIN, SHR_EDIT_JA_END, SHR_EDIT_EN_BEGIN, SHR_EDIT_EN_END, SHR_EDIT_JA_BEGIN,
          SHR_EDIT_JA_END, SHR_EDIT_EN_BEGIN, SHR_EDIT_EN_END);
      return NULL;
    }
  g_autoptr (ShrEdit) edit = g_new0 (ShrEdit, 1);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      /* The least quoted blocks of the language: a block typed unquoted
       * above or below the quoted draft is the edit, the quoted one the
       * draft as it was. */
      guint depth = G_MAXUINT;
      for (guint i = 0; i < blocks->len; i++)
        {
          const Block *b = blocks->pdata[i];
          if (b->lang == l)
            depth = MIN (depth, b->depth);
        }
      for (guint i = 0; i < blocks->len; i++)
        {
          const Block *b = blocks->pdata[i];
          if (b->lang != l || b->depth != depth)
            continue;
          ShrEditedNotice *n = notice_of_block (b, error);
          if (n == NULL)
            return NULL;
          ShrEditedNotice **s = slot (edit, l);
          if (*s == NULL)
            *s = n;
          else
            {
              gboolean same = same_notice (*s, n);
              notice_free (n);
              if (!same)
                {
                  edit_error (
                      error, SHR_EDIT_ERROR_AMBIGUOUS,
                      "%sの通知文が2つあり、内容が違います。どちらを送るか分かりません / there are two "
                      "different %s blocks: which one to send is not clear",
                      languages[l].name_ja, languages[l].name_en);
                  return NULL;
                }
            }
        }
    }
  return g_steal_pointer (&edit);
}

/* ---- checking against the draft -------------------------------------------- */

static gboolean
is_grade_line (const gchar *line, guint lang)
{
  static const gchar *const ja[] = { "対応優先度:", "対応期限:" };
  static const gchar *const en[] = { "Priority:", "Deadline:" };
  const gchar *const *labels = lang == 0 ? ja : en;
  for (guint i = 0; i < 2; i++)
    if (g_str_has_prefix (line, labels[i]))
      return TRUE;
  return FALSE;
}

static gboolean
has_line (const gchar *text, const gchar *line)
{
  gsize n = strlen (line);
  for (const gchar *p = strstr (text, line); p != NULL; p = strstr (p + 1, line))
    if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
      return TRUE;
  return FALSE;
}

static const gchar *
subject_of (const ShrEdit *e, guint lang)
{
  const ShrEditedNotice *n = e == NULL ? NULL : lang == 0 ? e->ja : e->en;
  return n != NULL ? n->subject : NULL;
}

static const gchar *
text_of (const ShrEdit *e, guint lang)
{
  const ShrEditedNotice *n = e == NULL ? NULL : lang == 0 ? e->ja : e->en;
  return n != NULL ? n->text : NULL;
}

ShrEdit *
shr_edit_drafted (const gchar *draft_body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  ShrEdit *edit = g_new0 (ShrEdit, 1);
  if (draft_body == NULL || !json_parser_load_from_data (parser, draft_body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return edit;
  JsonObject *body = json_node_get_object (json_parser_get_root (parser));
  JsonNode *notices = json_object_get_member (body, "notices");
  if (notices == NULL || !JSON_NODE_HOLDS_OBJECT (notices))
    return edit;
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      JsonNode *node = json_object_get_member (json_node_get_object (notices), languages[l].lang);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      JsonObject *o = json_node_get_object (node);
      ShrEditedNotice *n = g_new0 (ShrEditedNotice, 1);
      n->subject = g_strdup (json_object_get_string_member_with_default (o, "subject", ""));
      n->text = g_strdup (json_object_get_string_member_with_default (o, "text", ""));
      *slot (edit, l) = n;
    }
  return edit;
}

gboolean
shr_edit_check (ShrEdit *edit, const ShrEdit *drafted, GError **error)
{
  g_return_val_if_fail (edit != NULL, FALSE);
  const gchar *subjects[] = { subject_of (drafted, 0), subject_of (drafted, 1) };
  const gchar *texts[] = { text_of (drafted, 0), text_of (drafted, 1) };
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      ShrEditedNotice **s = slot (edit, l);
      if (*s == NULL)
        continue;
      if (texts[l] == NULL)
        return edit_error (error, SHR_EDIT_ERROR_MISSING,
                           "この下書きには%sの通知文がありません / this draft has no %s notice",
                           languages[l].name_ja, languages[l].name_en);
      g_autofree gchar *original = shr_edit_normalize (texts[l]);
      if (g_strcmp0 ((*s)->subject, subjects[l]) == 0 && strcmp ((*s)->text, original) == 0)
        {
          notice_free (*s);
          *s = NULL;
          continue;
        }
      g_auto (GStrv) lines = g_strsplit (original, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (is_grade_line (lines[i], l) && !has_line ((*s)->text, lines[i]))
          return edit_error (
              error, SHR_EDIT_ERROR_GRADE_LINES,
              "%sの通知文から次の行が消えているか、変わっています（優先度と期限は判定のとおりに"
              "残してください）: %s / a line of the %s notice was removed or changed (the priority "
              "and the deadline stay as graded): %s",
              languages[l].name_ja, lines[i], languages[l].name_en, lines[i]);
    }
  if (edit->ja == NULL && edit->en == NULL)
    return edit_error (error, SHR_EDIT_ERROR_UNCHANGED,
                       "通知文は下書きから変わっていません。このまま送るには「承認」と返信してください / the "
                       "notices are the draft's, unchanged: reply \"approve\" to send them as drafted");
  return TRUE;
}

/* ---- keeping and showing an edit --------------------------------------------- */

gchar *
shr_edit_to_json (const ShrEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      const ShrEditedNotice *n = l == 0 ? edit->ja : edit->en;
      if (n == NULL)
        continue;
      json_builder_set_member_name (b, languages[l].lang);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, n->subject);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, n->text);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

ShrEdit *
shr_edit_from_json (const gchar *json)
{
  if (json == NULL)
    return NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_autoptr (ShrEdit) edit = g_new0 (ShrEdit, 1);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      JsonNode *node = json_object_get_member (o, languages[l].lang);
      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      JsonObject *n = json_node_get_object (node);
      const gchar *subject = json_object_get_string_member_with_default (n, "subject", NULL);
      const gchar *text = json_object_get_string_member_with_default (n, "text", NULL);
      if (subject == NULL || text == NULL)
        return NULL;
      ShrEditedNotice *e = g_new0 (ShrEditedNotice, 1);
      e->subject = g_strdup (subject);
      e->text = g_strdup (text);
      *slot (edit, l) = e;
    }
  return g_steal_pointer (&edit);
}

gchar *
shr_edit_diff (const ShrEdit *edit, const ShrEdit *drafted)
{
  g_return_val_if_fail (edit != NULL, NULL);
  const gchar *subjects[] = { subject_of (drafted, 0), subject_of (drafted, 1) };
  const gchar *texts[] = { text_of (drafted, 0), text_of (drafted, 1) };
  GString *out = g_string_new (NULL);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      const ShrEditedNotice *n = l == 0 ? edit->ja : edit->en;
      if (n == NULL)
        continue;
      g_autofree gchar *original = shr_edit_normalize (texts[l]);
      g_autofree gchar *old_text = g_strdup_printf ("%s %s\n\n%s", languages[l].subject_label,
                                                    subjects[l] != NULL ? subjects[l] : "", original);
      g_autofree gchar *new_text
          = g_strdup_printf ("%s %s\n\n%s", languages[l].subject_label, n->subject, n->text);
      g_autofree gchar *old_label
          = g_strdup_printf ("下書き（%s） / draft (%s)", languages[l].name_ja, languages[l].name_en);
      g_autofree gchar *new_label
          = g_strdup_printf ("修正後（%s） / edited (%s)", languages[l].name_ja, languages[l].name_en);
      g_autofree gchar *diff = shr_diff_unified (old_text, new_text, old_label, new_label, 3);
      g_string_append (out, diff);
    }
  return g_string_free (out, FALSE);
}
