/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-golden.c — the reader's checks and the golden files (test-golden.h). */
#include "test-golden.h"

#include <string.h>

#include "shr-edit.h"
#include "shr-render.h"
#include "test-util.h"

static gboolean
is_japanese (gunichar c)
{
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF);
}

static gboolean
is_fullwidth_punct (gunichar c)
{
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20)
         || c == 0xFF3B || c == 0xFF3D || c == 0xFF5B || c == 0xFF5D || c == 0xFF5C;
}

static gboolean
in_set (gunichar c, const gchar *set)
{
  return c != 0 && g_utf8_strchr (set, -1, c) != NULL;
}

#define OPENING "「『（【〔［"
#define CLOSING "」』）】〕］、。"

/* The visible text of an HTML notice, one block per line. */
static gchar *
html_text (const gchar *html)
{
  g_autoptr (GRegex) block = g_regex_new ("<(?:br|/p|/li|/div|/tr|/h\\d)[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr (GRegex) tag = g_regex_new ("<[^>]*>", 0, 0, NULL);
  g_autofree gchar *a = g_regex_replace_literal (block, html, -1, 0, "\n", 0, NULL);
  g_autofree gchar *b = g_regex_replace_literal (tag, a, -1, 0, "", 0, NULL);
  static const gchar *const entities[][2]
      = { { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&amp;", "&" } };
  gchar *t = g_strdup (b);
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      g_auto (GStrv) parts = g_strsplit (t, entities[i][0], -1);
      g_free (t);
      t = g_strjoinv (entities[i][1], parts);
    }
  return t;
}

static gboolean
is_heading (const gchar *line)
{
  static const gchar *const english[] = { "Overview", "Scope", "Mitigation Steps", "Reference", NULL };
  return g_str_has_prefix (line, "■ ") || g_str_has_prefix (line, "* ") || g_strv_contains (english, line);
}

/* The line after an edit block's begin marker is its Subject, which must
 * stay one line however long (the approver's reply is read back by it). */
static gboolean
is_block_subject (const gchar *const *lines, guint i)
{
  return i > 0
         && (strcmp (lines[i - 1], SHR_EDIT_JA_BEGIN) == 0 || strcmp (lines[i - 1], SHR_EDIT_EN_BEGIN) == 0);
}

/* @width: lines over 76 columns are a defect (not in a Subject, which the
 * mail's header folds). */
static gchar *
text_defects (const gchar *text, gboolean html, TestTextLang lang, gboolean width, guint first)
{
  GString *out = g_string_new (NULL);
  if (strstr (text, "{{") != NULL || strstr (text, "}}") != NULL)
    g_string_append (out, "0: a Mustache tag is left\n");
  if (html)
    {
      g_autoptr (GRegex) empty = g_regex_new ("<(ul|ol|p)\\b[^>]*>\\s*</\\1>", 0, 0, NULL);
      if (g_regex_match (empty, text, 0, NULL))
        g_string_append (out, "0: an empty list or paragraph\n");
    }
  g_autofree gchar *visible = html ? html_text (text) : g_strdup (text);
  g_autoptr (GRegex) english
      = g_regex_new ("\\b(?:critical|high|medium|low|important|moderate|severity|exploited|"
                     "same day|solution)\\b",
                     G_REGEX_CASELESS, 0, NULL);
  g_autoptr (GRegex) particles = g_regex_new ("(?:の|に|を|が|で|と|は|も|へ|から|および|ほか)", 0, 0, NULL);
  g_autoptr (GRegex) url = g_regex_new ("https?://\\S+", 0, 0, NULL);
  g_autoptr (GRegex) cvss = g_regex_new ("CVSS\\s+(?:最大\\s+)?\\d+(?![.\\d])", 0, 0, NULL);
  g_autoptr (GRegex) step = g_regex_new ("^\\s*(\\d+)\\. (.*)$", 0, 0, NULL);
  g_autoptr (GRegex) run_on = g_regex_new ("(?:[.。]\\s*|\\s)\\d{1,2}\\. \\S", 0, 0, NULL);
  g_autoptr (GHashTable) steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (visible, "\n", -1);
  gboolean in_diff = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const gchar *line = lines[i];
      guint n = i + first;
      gsize len = strlen (line);
      if (is_heading (line))
        g_hash_table_remove_all (steps); /* a step repeats only within its list */
      /* A diff (what an approver's edit changed) is shown as it is: its
       * lines are the notice's with a mark before each. */
      if (g_str_has_prefix (line, "@@ "))
        in_diff = TRUE;
      else if (in_diff && !(line[0] == ' ' || line[0] == '+' || line[0] == '-'))
        in_diff = FALSE;
      if (in_diff)
        continue;
      /* "-- " opens a signature (RFC 3676): its space is no stray one. */
      if (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t') && strcmp (line, "-- ") != 0)
        g_string_append_printf (out, "%u: a space at the end\n", n);
      const gchar *text_start = line;
      while (*text_start == ' ')
        text_start++;
      if (strstr (text_start, "  ") != NULL)
        g_string_append_printf (out, "%u: two spaces in a row\n", n);
      gunichar prev = 0;
      gboolean has_japanese = FALSE;
      for (const gchar *p = text_start; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          has_japanese |= is_japanese (c);
          if (c == ' ' && prev != 0)
            {
              gunichar next = g_utf8_get_char (g_utf8_next_char (p));
              /* A space a template left before a particle ("シリーズ の"),
               * around および, or inside full-width brackets; a name's own
               * ("さくら会 さくら総合病院") is not stray. */
              const gchar *after = g_utf8_next_char (p);
              gboolean particle
                  = is_japanese (prev)
                    && (g_regex_match (particles, after, G_REGEX_MATCH_ANCHORED, NULL)
                        || (p - line >= 9 && memcmp (p - 9, "および", 9) == 0 && is_japanese (next)));
              if (particle || in_set (prev, OPENING) || in_set (next, CLOSING)
                  || (is_fullwidth_punct (prev) && is_japanese (next)))
                g_string_append_printf (out, "%u: a stray space in Japanese text\n", n);
            }
          if (c == 0x3002 && in_set (prev, "」』）】。、"))
            g_string_append_printf (out, "%u: 「。」 after a closing bracket or punctuation\n", n);
          prev = c;
        }
      if (!html && width && shr_render_text_width (line, -1) > SHR_RENDER_TEXT_WIDTH
          && strstr (line, "://") == NULL && !is_block_subject ((const gchar *const *)lines, i))
        g_string_append_printf (out, "%u: %u columns\n", n, shr_render_text_width (line, -1));
      /* 原題 quotes the source; a URL is no sentence; in a bilingual line
       * ("理由 / Why: …") the English half is English. */
      g_autofree gchar *words = g_regex_replace_literal (url, line, -1, 0, "", 0, NULL);
      gchar *english_half = lang == TEST_TEXT_BILINGUAL ? strstr (words, " / ") : NULL;
      if (english_half != NULL)
        *english_half = '\0';
      if (lang != TEST_TEXT_EN && has_japanese && !g_str_has_prefix (text_start, "原題: ")
          && g_regex_match (english, words, 0, NULL))
        g_string_append_printf (out, "%u: an English word in a Japanese sentence\n", n);
      if (g_regex_match (cvss, line, 0, NULL))
        g_string_append_printf (out, "%u: a CVSS score without its decimal\n", n);
      g_autoptr (GMatchInfo) m = NULL;
      if (g_regex_match (step, line, 0, &m))
        {
          g_autofree gchar *what = g_match_info_fetch (m, 2);
          if (g_str_has_suffix (what, ":") || g_str_has_suffix (what, "："))
            g_string_append_printf (out, "%u: a heading as a step\n", n);
          if (strstr (what, "](") != NULL)
            g_string_append_printf (out, "%u: a Markdown link\n", n);
          if (g_regex_match (run_on, what, 0, NULL))
            g_string_append_printf (out, "%u: two steps run together\n", n);
          if (!g_hash_table_add (steps, g_strdup (what)))
            g_string_append_printf (out, "%u: a step repeated\n", n);
        }
      if (!html && is_heading (line)
          && (lines[i + 1] == NULL || *lines[i + 1] == '\0' || is_heading (lines[i + 1])))
        g_string_append_printf (out, "%u: an empty section\n", n);
    }
  if (out->len == 0)
    g_string_append (out, "empty");
  return g_string_free (out, FALSE);
}

gchar *
test_text_defects (const gchar *text, gboolean html, TestTextLang lang)
{
  return text_defects (text, html, lang, TRUE, 1);
}

gchar *
test_read_golden (const gchar *text, const gchar *expected_name)
{
  g_autofree gchar *path = g_build_filename (test_srcdir (), "tests", "data", "render", expected_name, NULL);
  if (g_strcmp0 (g_getenv ("SHR_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autoptr (GError) error = NULL;
      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
    }
  gchar *expected = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  return expected;
}

/* @text is the golden file @expected_name byte for byte; else the test
 * fails, naming the first line that differs. */
static void
assert_same_as_golden (const gchar *text, const gchar *expected_name)
{
  g_autofree gchar *expected = test_read_golden (text, expected_name);
  if (g_strcmp0 (text, expected) == 0)
    return;
  /* The whole texts in octal escapes are unreadable. */
  g_auto (GStrv) got = g_strsplit (text, "\n", -1);
  g_auto (GStrv) want = g_strsplit (expected, "\n", -1);
  guint i = 0;
  while (got[i] != NULL && want[i] != NULL && strcmp (got[i], want[i]) == 0)
    i++;
  g_test_message ("%s:%u differs (SHR_UPDATE_GOLDEN=1 rewrites it; then read the diff)", expected_name,
                  i + 1);
  g_test_message ("expected: %s", want[i] != NULL ? want[i] : "(end)");
  g_test_message ("rendered: %s", got[i] != NULL ? got[i] : "(end)");
  g_test_fail ();
}

static void
assert_clean (const gchar *defects, const gchar *expected_name)
{
  /* Not fatal: every golden's defects are listed, not only the first's. */
  if (strcmp (defects, "empty") != 0)
    {
      g_test_message ("%s:\n%s", expected_name, defects);
      g_test_fail ();
    }
}

void
test_assert_golden (const gchar *text, const gchar *expected_name, gboolean html, TestTextLang lang)
{
  assert_same_as_golden (text, expected_name);
  g_autofree gchar *defects = test_text_defects (text, html, lang);
  assert_clean (defects, expected_name);
}

void
test_assert_golden_mail (const gchar *subject, const gchar *text, const gchar *name)
{
  g_autofree gchar *mail = g_strdup_printf ("Subject: %s\n\n%s", subject, text);
  assert_same_as_golden (mail, name);
  g_autofree gchar *subject_defects = text_defects (subject, FALSE, TEST_TEXT_BILINGUAL, FALSE, 1);
  assert_clean (subject_defects, name);
  g_autofree gchar *defects = text_defects (text, FALSE, TEST_TEXT_BILINGUAL, TRUE, 3);
  assert_clean (defects, name);
}
