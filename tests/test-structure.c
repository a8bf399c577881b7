/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parts every advisory is made of, whatever its source: sections known
 * by their headings (in English and Japanese, numbered, underlined,
 * bracketed), "Key: value" fields, and tables in text or HTML. The texts are
 * written in the shapes real advisories use. */
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "shr-html.h"
#include "shr-structure.h"

static const ShrSection *
section_named (const ShrDocument *doc, const gchar *heading)
{
  for (guint i = 0; i < doc->sections->len; i++)
    {
      const ShrSection *s = g_ptr_array_index (doc->sections, i);
      if (strcmp (s->heading, heading) == 0)
        return s;
    }
  return NULL;
}

static void
assert_role (const ShrDocument *doc, const gchar *heading, ShrRole role)
{
  const ShrSection *s = section_named (doc, heading);
  if (s == NULL)
    g_error ("no section headed \"%s\"", heading);
  g_assert_cmpstr (shr_role_to_string (s->role), ==, shr_role_to_string (role));
}

static const gchar *
cell_at (const ShrTable *t, guint row, guint col)
{
  GPtrArray *r = g_ptr_array_index (t->rows, row);
  return col < r->len ? g_ptr_array_index (r, col) : NULL;
}

/* A source shirase has no recogniser for, with familiar headings in the
 * usual decorations. */
static void
test_headings_english (void)
{
  static const gchar text[] = "Acme Gateway Advisory\n\n"
                              "1. Summary\n\nA flaw in Acme Gateway allows remote code execution.\n\n"
                              "2. Affected Products and Versions\n\n  * Acme Gateway 5.0 through 5.0.7\n\n"
                              "Fixed Versions\n--------------\n\nAcme Gateway 5.0.8\n\n"
                              "## Workarounds and Mitigations\n\nDisable the web console.\n\n"
                              "Solution:\nUpgrade to 5.0.8 or later.\n\n"
                              "Revision History\n\n2026-01-05 first version\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  assert_role (doc, "Summary", SHR_ROLE_SUMMARY);
  assert_role (doc, "Affected Products and Versions", SHR_ROLE_AFFECTED);
  assert_role (doc, "Fixed Versions", SHR_ROLE_FIXED);
  assert_role (doc, "Workarounds and Mitigations", SHR_ROLE_WORKAROUND);
  assert_role (doc, "Solution", SHR_ROLE_SOLUTION);
  assert_role (doc, "Revision History", SHR_ROLE_HISTORY);
  g_autofree gchar *affected = shr_document_role_text (doc, SHR_ROLE_AFFECTED);
  g_assert_nonnull (strstr (affected, "5.0 through 5.0.7"));
  g_assert_null (strstr (affected, "5.0.8"));
  g_autofree gchar *fix = shr_document_role_text (doc, SHR_ROLE_SOLUTION);
  g_assert_nonnull (strstr (fix, "Upgrade to 5.0.8"));
}

static void
test_headings_japanese (void)
{
  static const gchar text[] = "■概要\nエグザンプル製ルーターに認証回避の脆弱性が存在します。\n\n"
                              "【影響を受けるシステム】\nExampleRouter 2.1.0 から 2.1.4 まで\n\n"
                              "III. 対策\n開発者が提供する最新版へアップデートしてください。\n\n"
                              "回避策：\n管理画面へのアクセスを制限してください。\n\n"
                              "CVSS v3 による深刻度\n基本値: 9.8 (緊急)\n\n"
                              "参考情報\nhttps://example.jp/advisory\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  assert_role (doc, "概要", SHR_ROLE_SUMMARY);
  assert_role (doc, "影響を受けるシステム", SHR_ROLE_AFFECTED);
  assert_role (doc, "対策", SHR_ROLE_SOLUTION);
  assert_role (doc, "回避策", SHR_ROLE_WORKAROUND);
  assert_role (doc, "CVSS v3 による深刻度", SHR_ROLE_SCORE);
  assert_role (doc, "参考情報", SHR_ROLE_REFERENCES);
  const ShrField *score = shr_document_field (doc, SHR_ROLE_SCORE);
  g_assert_nonnull (score);
  g_assert_cmpstr (score->value, ==, "9.8 (緊急)");
}

/* A heading the table does not know is a sub-heading inside a known
 * section, but a numbered one at the same level starts a new part; a
 * heading that names a CVE starts that vulnerability's part. */
static void
test_subheadings (void)
{
  static const gchar text[]
      = "Workarounds\n\nApply one of the following.\n\n"
        "Managed Firewalls\n\nSet the log severity to none.\n\n"
        "3. TECHNICAL DETAILS\n\n3.1 AFFECTED PRODUCTS\n\n  * Example Controller: v2.0\n\n"
        "3.2.1 PATH TRAVERSAL CWE-22\n\nAn attacker could read files.\n\n"
        "Fixed in:\n  * Example Viewer 9.1\n\n#CVE-2026-1111: Use-after-free in Viewer\n\nReporter: "
        "someone\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  assert_role (doc, "Managed Firewalls", SHR_ROLE_WORKAROUND);
  assert_role (doc, "TECHNICAL DETAILS", SHR_ROLE_DESCRIPTION);
  assert_role (doc, "AFFECTED PRODUCTS", SHR_ROLE_AFFECTED);
  assert_role (doc, "PATH TRAVERSAL CWE-22", SHR_ROLE_AFFECTED);
  assert_role (doc, "Fixed in", SHR_ROLE_FIXED);
  assert_role (doc, "CVE-2026-1111: Use-after-free in Viewer", SHR_ROLE_NONE);
}

static void
test_fields (void)
{
  static const gchar text[] = "IR Number:    FG-IR-26-999\nSeverity:     High\nCVSSv3 Score: 8.1\n"
                              "Impact:       Execute unauthorized code or\n              commands\n\n"
                              "See https://example.com/advisory for details, updated at 12:30 today.\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  const ShrField *sev = shr_document_field (doc, SHR_ROLE_SEVERITY);
  g_assert_nonnull (sev);
  g_assert_cmpstr (sev->value, ==, "High");
  const ShrField *score = shr_document_field (doc, SHR_ROLE_SCORE);
  g_assert_cmpstr (score->value, ==, "8.1");
  const ShrField *impact = shr_document_field (doc, SHR_ROLE_IMPACT);
  g_assert_cmpstr (impact->value, ==, "Execute unauthorized code or commands");
  for (guint i = 0; i < doc->fields->len; i++)
    g_assert_null (strstr (((ShrField *)g_ptr_array_index (doc->fields, i))->key, "See"));
  g_assert_cmpuint (doc->tables->len, ==, 0);
}

/* Columns aligned with spaces: a cell belongs to the header column it
 * starts under, so an empty cell keeps the others in place. */
static void
test_table_aligned (void)
{
  static const gchar text[] = "Affected Products\n\n"
                              "Version              Affected               Solution\n"
                              "ExampleOS 7.4        7.4.0 through 7.4.4    Upgrade to 7.4.5 or above\n"
                              "ExampleOS 7.2                               Upgrade to 7.2.9 or above\n"
                              "ExampleOS 7.0        Not affected           Not Applicable\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  g_assert_cmpuint (doc->tables->len, ==, 1);
  const ShrTable *t = g_ptr_array_index (doc->tables, 0);
  g_assert_cmpuint (t->rows->len, ==, 3);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 0), ==, SHR_COLUMN_PRODUCT);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 1), ==, SHR_COLUMN_AFFECTED);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 2), ==, SHR_COLUMN_FIXED);
  g_assert_cmpstr (cell_at (t, 0, 1), ==, "7.4.0 through 7.4.4");
  g_assert_cmpstr (cell_at (t, 1, 1), ==, "");
  g_assert_cmpstr (cell_at (t, 1, 2), ==, "Upgrade to 7.2.9 or above");
  g_assert_cmpstr (cell_at (t, 2, 1), ==, "Not affected");
}

/* A header of two column names is a table's, not a field ("Severity
 * Critical" is one); "Affected Model" names products, "Patch
 * Availability" the fixes. */
static void
test_table_header_words (void)
{
  static const gchar two[] = "We have fixed the vulnerability in the following versions:\n\n"
                             "Affected Product    Fixed Version\n"
                             "ExampleOS 5.2.x     ExampleOS 5.2.4.3079 build 20260920 and later\n"
                             "ExampleOS 5.1.x     ExampleOS 5.1.9.2954 build 20260920 and later\n\n"
                             "Severity            Critical\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (two);
  g_assert_cmpuint (doc->tables->len, ==, 1);
  const ShrTable *t = g_ptr_array_index (doc->tables, 0);
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 0), ==, SHR_COLUMN_PRODUCT);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 1), ==, SHR_COLUMN_FIXED);
  g_assert_cmpuint (doc->fields->len, ==, 1);
  g_assert_cmpstr (((ShrField *)g_ptr_array_index (doc->fields, 0))->key, ==, "Severity");

  static const gchar models[] = "Affected model    Affected version              Patch availability\n"
                                "NAS326            V5.21(AAZF.17)C0 and earlier  V5.21(AAZF.18)C0\n"
                                "NAS542            V5.21(ABAG.14)C0 and earlier  V5.21(ABAG.15)C0\n";
  g_autoptr (ShrDocument) m = shr_document_parse (models);
  g_assert_cmpuint (m->tables->len, ==, 1);
  t = g_ptr_array_index (m->tables, 0);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 0), ==, SHR_COLUMN_PRODUCT);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 1), ==, SHR_COLUMN_AFFECTED);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 2), ==, SHR_COLUMN_FIXED);

  /* "CVE-ID" heads a column; a CVE id in a cell starts a row. */
  static const gchar cves[] = "What Customers Should Do\n\n"
                              "CVE-ID          Description                    CVSSv4\n"
                              "CVE-2026-32001  Insufficient input validation  9.3\n"
                              "CVE-2026-32002  Improper access control        8.7\n";
  g_autoptr (ShrDocument) c = shr_document_parse (cves);
  g_assert_cmpuint (c->tables->len, ==, 1);
  t = g_ptr_array_index (c->tables, 0);
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 0), ==, SHR_COLUMN_CVE);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 2), ==, SHR_COLUMN_SCORE);
  g_assert_cmpint (((ShrSection *)g_ptr_array_index (c->sections, 1))->role, ==, SHR_ROLE_SOLUTION);
}

/* An HTML table keeps its cells apart (" | " between them), empty ones
 * included, and reads as the same table. */
static void
test_table_html (void)
{
  static const gchar html[]
      = "<html><body><h2>Affected Products</h2><table>"
        "<tr><th>Product</th><th>Affected Versions</th><th>Fixed Versions</th></tr>"
        "<tr><td>Example Gateway 22.7</td><td>22.7R2.5 and earlier</td><td>22.7R2.6</td></tr>"
        "<tr><td>Example Gateway 9.1</td><td></td><td>9.1R18.9</td></tr>"
        "</table></body></html>";
  gboolean truncated = FALSE;
  ShrHtmlText *h = shr_html_to_text (html, -1, 1 << 20, &truncated);
  g_assert_nonnull (strstr (h->text, "Example Gateway 22.7 | 22.7R2.5 and earlier | 22.7R2.6"));
  g_autoptr (ShrDocument) doc = shr_document_parse (h->text);
  assert_role (doc, "Affected Products", SHR_ROLE_AFFECTED);
  g_assert_cmpuint (doc->tables->len, ==, 1);
  const ShrTable *t = g_ptr_array_index (doc->tables, 0);
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 1), ==, SHR_COLUMN_AFFECTED);
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 2), ==, SHR_COLUMN_FIXED);
  g_assert_cmpstr (cell_at (t, 1, 1), ==, "");
  g_assert_cmpstr (cell_at (t, 1, 2), ==, "9.1R18.9");
  shr_html_text_free (h);
}

/* A Markdown table as SUSE and GitHub advisories print them. */
static void
test_table_markdown (void)
{
  static const gchar text[] = "| Package | Vulnerable | Patched |\n|:--------|:-----------|:--------|\n"
                              "| example-lib | < 2.4.1 | 2.4.1 |\n| example-cli | <= 1.9 | 2.0.0 |\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  g_assert_cmpuint (doc->tables->len, ==, 1);
  const ShrTable *t = g_ptr_array_index (doc->tables, 0);
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpstr (cell_at (t, 1, 0), ==, "example-cli");
  g_assert_cmpstr (cell_at (t, 1, 2), ==, "2.0.0");
  g_assert_cmpint (g_array_index (t->columns, ShrColumn, 2), ==, SHR_COLUMN_FIXED);
}

/* Prose is never a table, nor a heading. */
static void
test_prose (void)
{
  static const gchar text[]
      = "The company said on Tuesday that attackers had exploited the flaw.  It urged customers\n"
        "to patch their systems as soon as possible.\n\n"
        "Experts warned that more attacks were likely.\n";
  g_autoptr (ShrDocument) doc = shr_document_parse (text);
  g_assert_cmpuint (doc->tables->len, ==, 0);
  g_assert_cmpuint (doc->sections->len, ==, 1);
}

static void
test_bad_table_file (void)
{
  g_autofree gchar *path = NULL;
  gint fd = g_file_open_tmp ("headings-XXXXXX.tsv", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (g_file_set_contents (path, "summary\tsummary|overview\nnonsense\tfoo\n", -1, NULL));
  close (fd);
  g_autoptr (GError) error = NULL;
  g_assert_false (shr_headings_load (path, &error));
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/structure/headings/english", test_headings_english);
  g_test_add_func ("/structure/headings/japanese", test_headings_japanese);
  g_test_add_func ("/structure/headings/sub-headings", test_subheadings);
  g_test_add_func ("/structure/fields", test_fields);
  g_test_add_func ("/structure/table/aligned", test_table_aligned);
  g_test_add_func ("/structure/table/header-words", test_table_header_words);
  g_test_add_func ("/structure/table/html", test_table_html);
  g_test_add_func ("/structure/table/markdown", test_table_markdown);
  g_test_add_func ("/structure/prose", test_prose);
  g_test_add_func ("/structure/bad-table-file", test_bad_table_file);
  return g_test_run ();
}
