/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-edit.c — approve with edits: the blocks between the draft's markers
 * read back from replies as clients quote them, every malformed edit
 * refused with its reason, the checks against the draft, and the unified
 * diff shown to the approver. */
#include <glib.h>
#include <string.h>

#include "shr-diff.h"
#include "shr-edit.h"
#include "shr-limits.h"

#define SUBJECT_JA "【要対応・B 今週中】Example VPN: CVE-2026-1111"
#define SUBJECT_EN "[Action Required / Priority B, within 7 days] Example VPN: CVE-2026-1111"

static const gchar text_ja[] = "━━━━\n"
                               "Example VPN の脆弱性\n"
                               "\n"
                               "■ 概要\n"
                               "Example VPN に認証回避の脆弱性があります。\n"
                               "\n"
                               "対応優先度: B（高）\n"
                               "対応期限: 2026年12月14日(月)まで（今週中）\n"
                               "\n"
                               "以上、よろしくお願いいたします。\n";

static const gchar text_en[] = "Example VPN flaw\n"
                               "\n"
                               "Overview\n"
                               "Example VPN has an authentication bypass.\n"
                               "\n"
                               "Priority: B (High)\n"
                               "Deadline: Mon 14 Dec 2026 (within 7 days)\n";

/* The notices as the test's draft showed them. */
static ShrEdit *
drafted (gboolean with_en)
{
  g_autofree gchar *body = g_strdup_printf (
      "{\"view\": {}, \"notices\": {\"ja\": {\"subject\": \"%s\", \"text\": \"%s\"}%s}}", SUBJECT_JA,
      "TEXT_JA", with_en ? ", \"en\": {\"subject\": \"" SUBJECT_EN "\", \"text\": \"TEXT_EN\"}" : "");
  ShrEdit *d = shr_edit_drafted (body);
  g_assert_nonnull (d->ja);
  g_free (d->ja->text);
  d->ja->text = g_strdup (text_ja);
  if (with_en)
    {
      g_assert_nonnull (d->en);
      g_free (d->en->text);
      d->en->text = g_strdup (text_en);
    }
  else
    g_assert_null (d->en);
  return d;
}

/* @text with every line prefixed by @prefix. */
static gchar *
quoted (const gchar *text, const gchar *prefix)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree gchar *bare = g_strchomp (g_strdup (prefix)); /* before an empty line */
  GString *out = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && *lines[i] == '\0')
        break;
      g_string_append_printf (out, "%s%s\n", *lines[i] != '\0' ? prefix : bare, lines[i]);
    }
  return g_string_free (out, FALSE);
}

static gchar *
replace (const gchar *text, const gchar *from, const gchar *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

static void
test_block_roundtrip (void)
{
  g_autoptr (ShrEdit) both = drafted (TRUE);
  g_autofree gchar *block = shr_edit_block ("ja", SUBJECT_JA, text_ja);
  g_assert_true (g_str_has_prefix (block, SHR_EDIT_JA_BEGIN "\n件名: " SUBJECT_JA "\n\n━━━━\n"));
  g_assert_true (g_str_has_suffix (block, "以上、よろしくお願いいたします。\n" SHR_EDIT_JA_END "\n"));
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrEdit) edit = shr_edit_parse (block, &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit->ja);
  g_assert_null (edit->en);
  g_assert_cmpstr (edit->ja->subject, ==, SUBJECT_JA);
  g_assert_cmpstr (edit->ja->text, ==, text_ja);
  /* Unchanged: nothing to approve with edits. */
  g_assert_false (shr_edit_check (edit, both, &error));
  g_assert_error (error, SHR_EDIT_ERROR, SHR_EDIT_ERROR_UNCHANGED);
}

/* The reply as clients write it: the command, then the whole draft quoted
 * with "> " (Thunderbird, Gmail) or ">" (mutt without space), with a line
 * changed inside the quote, or a line typed unquoted inside it (Outlook
 * users who edit in place), or the edited block typed above the quoted
 * draft (top-posting) or below it. */
static void
test_parse_client_shapes (void)
{
  g_autoptr (ShrEdit) both = drafted (TRUE);
  g_autofree gchar *ja = shr_edit_block ("ja", SUBJECT_JA, text_ja);
  g_autofree gchar *en = shr_edit_block ("en", SUBJECT_EN, text_en);
  g_autofree gchar *draft = g_strconcat ("承認依頼です。\n\n", ja, "\n", en, NULL);
  g_autofree gchar *ja_edited
      = replace (ja, "認証回避の脆弱性があります。", "認証回避の脆弱性があり、悪用が確認されています。");
  g_autofree gchar *draft_edited = g_strconcat ("承認依頼です。\n\n", ja_edited, "\n", en, NULL);
  const gchar *want = "Example VPN に認証回避の脆弱性があり、悪用が確認されています。\n";

  const gchar *prefixes[] = { "> ", ">", "> > " };
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree gchar *q = quoted (draft_edited, prefixes[i]);
      g_autofree gchar *reply = g_strconcat ("修正承認\n\nOn Mon, approver wrote:\n", q, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrEdit) edit = shr_edit_parse (reply, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (edit->ja->text, want));
      g_assert_true (shr_edit_check (edit, both, &error));
      g_assert_no_error (error);
      g_assert_nonnull (edit->ja);
      g_assert_null (edit->en); /* quoted as drafted: not an edit */
    }

  /* A line typed unquoted inside the quoted block replaces a quoted one. */
  {
    g_autofree gchar *q = quoted (draft, "> ");
    g_autofree gchar *typed = replace (q, "> Example VPN に認証回避の脆弱性があります。\n",
                                       "Example VPN に認証回避の脆弱性があり、悪用が確認されています。\n");
    g_autofree gchar *reply = g_strconcat ("approve with edits\n", typed, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (ShrEdit) edit = shr_edit_parse (reply, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (edit->ja->text, want));
  }

  /* Top-posted and bottom-posted: the unquoted block is the edit, the
   * quoted draft is not a second block. */
  for (guint bottom = 0; bottom < 2; bottom++)
    {
      g_autofree gchar *q = quoted (draft, "> ");
      g_autofree gchar *reply = bottom ? g_strconcat ("修正承認します\n\n", q, "\n", ja_edited, NULL)
                                       : g_strconcat ("修正承認します\n\n", ja_edited, "\n", q, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrEdit) edit = shr_edit_parse (reply, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (edit->ja->text, want));
      g_assert_nonnull (edit->en); /* the quoted English block */
      g_assert_true (shr_edit_check (edit, both, &error));
      g_assert_null (edit->en);
    }

  /* CRLF line ends and trailing spaces a client adds are not edits. */
  {
    g_autofree gchar *crlf = replace (ja_edited, "\n", "  \r\n");
    g_autoptr (GError) error = NULL;
    g_autoptr (ShrEdit) edit = shr_edit_parse (crlf, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (edit->ja->text, want));
    g_assert_null (strchr (edit->ja->text, '\r'));
  }
}

static void
expect_parse_error (const gchar *reply, ShrEditError code, const gchar *in_message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrEdit) edit = shr_edit_parse (reply, &error);
  if (edit != NULL)
    g_error ("parsed, though it should fail with \"%s\": %s", in_message, reply);
  g_assert_error (error, SHR_EDIT_ERROR, (gint)code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("\"%s\" not in \"%s\"", in_message, error->message);
}

static void
test_parse_malformed (void)
{
  g_autofree gchar *ja = shr_edit_block ("ja", SUBJECT_JA, text_ja);
  g_autofree gchar *en = shr_edit_block ("en", SUBJECT_EN, text_en);

  expect_parse_error ("修正承認\nこの通知を直してください。\n", SHR_EDIT_ERROR_MISSING, "no edited notice");
  g_autofree gchar *no_end = replace (ja, SHR_EDIT_JA_END "\n", "");
  expect_parse_error (no_end, SHR_EDIT_ERROR_BROKEN, "has no end marker");
  g_autofree gchar *no_begin = replace (ja, SHR_EDIT_JA_BEGIN "\n", "");
  expect_parse_error (no_begin, SHR_EDIT_ERROR_BROKEN, "has no \"" SHR_EDIT_JA_BEGIN "\" before it");
  g_autofree gchar *nested = g_strconcat (no_end, en, NULL);
  expect_parse_error (nested, SHR_EDIT_ERROR_BROKEN, "is not closed");
  /* The English block closed by the Japanese end marker. */
  g_autofree gchar *crossed = replace (en, SHR_EDIT_EN_END, SHR_EDIT_JA_END);
  expect_parse_error (crossed, SHR_EDIT_ERROR_BROKEN, "has no \"" SHR_EDIT_JA_BEGIN "\" before it");

  g_autofree gchar *no_subject = replace (ja, "件名: ", "");
  expect_parse_error (no_subject, SHR_EDIT_ERROR_SUBJECT, "does not start with its \"件名:\" line");
  g_autofree gchar *empty_subject = replace (ja, "件名: " SUBJECT_JA, "件名: ");
  expect_parse_error (empty_subject, SHR_EDIT_ERROR_SUBJECT, "Subject is empty");
  g_autofree gchar *two_lines
      = replace (ja, SUBJECT_JA "\n", "【要対応・B 今週中】Example VPN:\n CVE-2026-1111\n");
  expect_parse_error (two_lines, SHR_EDIT_ERROR_SUBJECT, "runs over more than one line");
  g_autofree gchar *control = replace (ja, "Example VPN: CVE", "Example VPN:\rBcc: x@example.test CVE");
  expect_parse_error (control, SHR_EDIT_ERROR_SUBJECT, "control character (U+000D)");
  g_autofree gchar *esc = replace (en, "Example VPN: CVE", "Example VPN:\033[2J CVE");
  expect_parse_error (esc, SHR_EDIT_ERROR_SUBJECT, "control character (U+001B)");
  g_autofree gchar *sep = replace (en, "Example VPN: CVE", "Example VPN:\u2028CVE");
  expect_parse_error (sep, SHR_EDIT_ERROR_SUBJECT, "control character (U+2028)");
  g_autofree gchar *text_control = replace (ja, "■ 概要", "■ 概要\a");
  expect_parse_error (text_control, SHR_EDIT_ERROR_CONTROL, "text holds a control character (U+0007)");

  /* Over the cap: one byte more than SHR_MAX_EDITED_NOTICE_BYTES. */
  GString *big = g_string_new (SHR_EDIT_EN_BEGIN "\nSubject: x\n\n");
  while (big->len < SHR_MAX_EDITED_NOTICE_BYTES + 200)
    g_string_append (big, "Padding line of an edited notice that keeps on going.\n");
  g_string_append (big, SHR_EDIT_EN_END "\n");
  expect_parse_error (big->str, SHR_EDIT_ERROR_TOO_BIG, "larger than 64 KiB");
  g_string_free (big, TRUE);

  /* Two different unquoted Japanese blocks. */
  g_autofree gchar *other = replace (ja, "認証回避", "任意コード実行");
  g_autofree gchar *two = g_strconcat (ja, other, NULL);
  expect_parse_error (two, SHR_EDIT_ERROR_AMBIGUOUS, "two different Japanese blocks");
  /* The same block twice is no ambiguity. */
  g_autofree gchar *twice = g_strconcat (other, other, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrEdit) edit = shr_edit_parse (twice, &error);
  g_assert_no_error (error);
}

static void
test_check_grade_lines (void)
{
  g_autoptr (ShrEdit) both = drafted (TRUE);
  static const struct
  {
    const gchar *lang, *from, *to, *line;
  } cases[] = {
    { "ja", "対応優先度: B（高）\n", "", "対応優先度: B（高）" },
    { "ja", "対応期限: 2026年12月14日(月)まで（今週中）\n", "対応期限: 来月中\n",
      "対応期限: 2026年12月14日(月)まで（今週中）" },
    { "en", "Priority: B (High)\n", "Priority: C (Medium)\n", "Priority: B (High)" },
    { "en", "Deadline: Mon 14 Dec 2026 (within 7 days)\n", "", "Deadline: Mon 14 Dec 2026 (within 7 days)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean ja = strcmp (cases[i].lang, "ja") == 0;
      g_autofree gchar *block
          = shr_edit_block (cases[i].lang, ja ? SUBJECT_JA : SUBJECT_EN, ja ? text_ja : text_en);
      g_autofree gchar *edited = replace (block, cases[i].from, cases[i].to);
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrEdit) edit = shr_edit_parse (edited, &error);
      g_assert_no_error (error);
      g_assert_false (shr_edit_check (edit, both, &error));
      g_assert_error (error, SHR_EDIT_ERROR, SHR_EDIT_ERROR_GRADE_LINES);
      g_assert_nonnull (strstr (error->message, cases[i].line));
    }
  /* A grade line moved elsewhere but kept word for word is fine. */
  g_autofree gchar *block = shr_edit_block ("en", SUBJECT_EN, text_en);
  g_autofree gchar *moved = replace (block, "Priority: B (High)\n", "");
  g_autofree gchar *moved2 = replace (moved, "Overview\n", "Overview\nPriority: B (High)\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrEdit) edit = shr_edit_parse (moved2, &error);
  g_assert_no_error (error);
  g_assert_true (shr_edit_check (edit, both, &error));
  g_assert_no_error (error);
  /* A language the draft did not show cannot be edited. */
  g_autoptr (ShrEdit) ja_only = drafted (FALSE);
  g_assert_false (shr_edit_check (edit, ja_only, &error));
  g_assert_error (error, SHR_EDIT_ERROR, SHR_EDIT_ERROR_MISSING);
}

static void
test_json (void)
{
  g_autofree gchar *block = shr_edit_block ("en", SUBJECT_EN, text_en);
  g_autofree gchar *edited = replace (block, "bypass.", "bypass, exploited.");
  g_autoptr (ShrEdit) edit = shr_edit_parse (edited, NULL);
  g_autofree gchar *json = shr_edit_to_json (edit);
  g_autoptr (ShrEdit) back = shr_edit_from_json (json);
  g_assert_nonnull (back);
  g_assert_null (back->ja);
  g_assert_cmpstr (back->en->text, ==, edit->en->text);
  g_autofree gchar *again = shr_edit_to_json (back);
  g_assert_cmpstr (again, ==, json);
  g_assert_null (shr_edit_from_json ("[1]"));
  g_assert_null (shr_edit_from_json ("{\"ja\": {\"subject\": 1}}"));
}

static void
test_diff (void)
{
  /* Nothing changed: no diff. */
  g_autofree gchar *none = shr_diff_unified ("a\nb\n", "a\nb", "old", "new", 3);
  g_assert_cmpstr (none, ==, "");
  /* One line changed amid others: one hunk with three lines of context. */
  const gchar *old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  const gchar *new = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n";
  g_autofree gchar *one = shr_diff_unified (old, new, "draft", "edited", 3);
  g_assert_cmpstr (one, ==,
                   "--- draft\n+++ edited\n"
                   "@@ -3,7 +3,7 @@\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n");
  /* Two changes far apart: two hunks; a line added at the end; a line
   * removed at the start. */
  const gchar *a = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\n";
  const gchar *b = "l2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\n";
  g_autofree gchar *two = shr_diff_unified (a, b, "a", "b", 3);
  g_assert_cmpstr (two, ==,
                   "--- a\n+++ b\n"
                   "@@ -1,4 +1,3 @@\n-l1\n l2\n l3\n l4\n"
                   "@@ -10,3 +9,4 @@\n l10\n l11\n l12\n+l13\n");
  /* Close changes join one hunk; from nothing; to nothing. */
  g_autofree gchar *close = shr_diff_unified ("a\nb\nc\nd\n", "A\nb\nc\nD\n", "x", "y", 1);
  g_assert_cmpstr (close, ==, "--- x\n+++ y\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n-d\n+D\n");
  g_autofree gchar *added = shr_diff_unified ("", "new\n", "x", "y", 3);
  g_assert_cmpstr (added, ==, "--- x\n+++ y\n@@ -0,0 +1 @@\n+new\n");
  g_autofree gchar *removed = shr_diff_unified ("old\n", "", "x", "y", 3);
  g_assert_cmpstr (removed, ==, "--- x\n+++ y\n@@ -1 +0,0 @@\n-old\n");
}

/* Past SHR_DIFF_MAX_CELLS the middle is replaced whole: still a diff that
 * turns one text into the other. */
static void
test_diff_large (void)
{
  GString *a = g_string_new (NULL), *b = g_string_new (NULL);
  for (guint i = 0; i < 3000; i++)
    {
      g_string_append_printf (a, "line %u\n", i);
      g_string_append_printf (b, "line %u\n", i % 7 == 0 ? i + 100000 : i);
    }
  g_autofree gchar *d = shr_diff_unified (a->str, b->str, "a", "b", 3);
  g_assert_true (g_str_has_prefix (d, "--- a\n+++ b\n@@ -1,3000 +1,3000 @@\n-line 0\n-line 1\n"));
  g_string_free (a, TRUE);
  g_string_free (b, TRUE);
}

static void
test_edit_diff (void)
{
  g_autoptr (ShrEdit) both = drafted (TRUE);
  g_autofree gchar *block = shr_edit_block ("ja", "【要対応】直した件名", text_ja);
  g_autofree gchar *edited
      = replace (block, "認証回避の脆弱性があります。", "認証回避の脆弱性があります（悪用確認済み）。");
  g_autoptr (ShrEdit) edit = shr_edit_parse (edited, NULL);
  g_assert_true (shr_edit_check (edit, both, NULL));
  g_autofree gchar *diff = shr_edit_diff (edit, both);
  g_assert_cmpstr (diff, ==,
                   "--- 下書き（日本語） / draft (Japanese)\n"
                   "+++ 修正後（日本語） / edited (Japanese)\n"
                   "@@ -1,10 +1,10 @@\n"
                   "-件名: " SUBJECT_JA "\n"
                   "+件名: 【要対応】直した件名\n"
                   " \n"
                   " ━━━━\n"
                   " Example VPN の脆弱性\n"
                   " \n"
                   " ■ 概要\n"
                   "-Example VPN に認証回避の脆弱性があります。\n"
                   "+Example VPN に認証回避の脆弱性があります（悪用確認済み）。\n"
                   " \n"
                   " 対応優先度: B（高）\n"
                   " 対応期限: 2026年12月14日(月)まで（今週中）\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/edit/block/roundtrip", test_block_roundtrip);
  g_test_add_func ("/edit/parse/client-shapes", test_parse_client_shapes);
  g_test_add_func ("/edit/parse/malformed", test_parse_malformed);
  g_test_add_func ("/edit/check/grade-lines", test_check_grade_lines);
  g_test_add_func ("/edit/json", test_json);
  g_test_add_func ("/edit/diff/unified", test_diff);
  g_test_add_func ("/edit/diff/large", test_diff_large);
  g_test_add_func ("/edit/diff/notice", test_edit_diff);
  return g_test_run ();
}
