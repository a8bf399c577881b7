/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of shr-mustache for what the Mustache spec leaves open and the
 * notices rely on: text versus HTML escaping, error messages, caps, UTF-8,
 * number formatting, truthiness, partial loading. The spec itself runs in
 * tests/mustache-spec. */
#include <glib/gstdio.h>
#include <string.h>

#include "shr-error.h"
#include "shr-limits.h"
#include "shr-mustache.h"

static JsonNode *
view (const gchar *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);
  g_assert_no_error (error);
  return node;
}

/* Renders SOURCE against JSON; asserts success. Caller frees. */
static gchar *
render (const gchar *source, const gchar *json, ShrMustachePartials *partials, ShrMustacheMode mode)
{
  g_autoptr (JsonNode) v = view (json);
  g_autoptr (GError) error = NULL;
  gchar *out = shr_mustache_render (source, v, partials, mode, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
test_html_escapes (void)
{
  g_autofree gchar *out
      = render ("<p>{{title}}</p>", "{\"title\": \"<script>alert(\\\"x\\\")</script> & 'y'\"}", NULL,
                SHR_MUSTACHE_MODE_HTML);
  g_assert_cmpstr (out, ==, "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>");
}

static void
test_html_raw_tags (void)
{
  g_autofree gchar *out
      = render ("{{{a}}}|{{& a}}", "{\"a\": \"<b>\\\"</b>\"}", NULL, SHR_MUSTACHE_MODE_HTML);
  g_assert_cmpstr (out, ==, "<b>\"</b>|<b>\"</b>");
}

static void
test_text_no_escaping (void)
{
  g_autofree gchar *out
      = render ("Subject: {{title}}", "{\"title\": \"<script>alert(\\\"x\\\")</script> & 'y'\"}", NULL,
                SHR_MUSTACHE_MODE_TEXT);
  g_assert_cmpstr (out, ==, "Subject: <script>alert(\"x\")</script> & 'y'");
}

static void
test_self_recursive_partial (void)
{
  g_autoptr (ShrMustachePartials) partials = shr_mustache_partials_new ();
  shr_mustache_partials_add (partials, "loop", "x{{>loop}}");
  g_autoptr (JsonNode) v = view ("{}");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = shr_mustache_render ("{{>loop}}", v, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_null (out);
  g_assert_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_DEPTH);
  g_autofree gchar *want = g_strdup_printf (
      "loop:1: partial “loop” nested more than %d deep (does it include itself?)", SHR_MAX_MUSTACHE_DEPTH);
  g_assert_cmpstr (error->message, ==, want);
}

/* Two self-inclusions per level would be 2^32 expansions within the depth
 * cap; the step cap stops it. */
static void
test_exponential_partial (void)
{
  g_autoptr (ShrMustachePartials) partials = shr_mustache_partials_new ();
  shr_mustache_partials_add (partials, "a", "{{#x}}{{>b}}{{>b}}{{/x}}");
  shr_mustache_partials_add (partials, "b", "{{>a}}{{>a}}");
  g_autoptr (JsonNode) v = view ("{\"x\": [1, 2, 3, 4, 5, 6, 7, 8]}");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = shr_mustache_render ("{{>a}}", v, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_null (out);
  g_assert_true (g_error_matches (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_TOO_BIG)
                 || g_error_matches (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_DEPTH));
}

static void
assert_compile_error (const gchar *source, gint code, const gchar *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMustacheTemplate) t = shr_mustache_template_new (source, "notice.txt", &error);
  g_assert_null (t);
  g_assert_error (error, SHR_MUSTACHE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_error_unclosed_section (void)
{
  assert_compile_error ("■ 概要\n{{summary}}\n{{#cves}}\n- {{id}}\n", SHR_MUSTACHE_ERROR_UNCLOSED_SECTION,
                        "notice.txt:3: unclosed section “cves”: no “{{/cves}}” follows");
}

static void
test_error_unclosed_tag (void)
{
  assert_compile_error ("a\nb {{title\nc}}", SHR_MUSTACHE_ERROR_UNCLOSED_TAG,
                        "notice.txt:2: unclosed tag “{{title”: no “}}” on its line");
  assert_compile_error ("a\nb {{{title}}", SHR_MUSTACHE_ERROR_UNCLOSED_TAG,
                        "notice.txt:2: unclosed tag “{{{title}}”: no “}}}” follows");
}

static void
test_error_mismatched_end (void)
{
  assert_compile_error ("{{#cves}}\n{{#products}}\n{{/cves}}\n", SHR_MUSTACHE_ERROR_MISMATCHED_END,
                        "notice.txt:3: “cves” closes section “products” opened on line 2");
  assert_compile_error ("x\n{{/cves}}", SHR_MUSTACHE_ERROR_MISMATCHED_END,
                        "notice.txt:2: “cves” closes a section that was never opened");
}

static void
test_error_bad_delimiter (void)
{
  assert_compile_error ("ok\n{{=<% =}}", SHR_MUSTACHE_ERROR_BAD_DELIMITER,
                        "notice.txt:2: bad delimiter change “{{=<%=}}”: expected two "
                        "delimiters without '=' separated by a space");
  assert_compile_error ("{{=<= =>=}}", SHR_MUSTACHE_ERROR_BAD_DELIMITER,
                        "notice.txt:1: bad delimiter change “{{=<= =>=}}”: expected two "
                        "delimiters without '=' separated by a space");
}

static void
test_error_empty_tag (void)
{
  assert_compile_error ("{{#}}", SHR_MUSTACHE_ERROR_SYNTAX,
                        "notice.txt:1: bad tag “{{#}}”: a name is needed, without spaces");
  assert_compile_error ("x {{ first name }}", SHR_MUSTACHE_ERROR_SYNTAX,
                        "notice.txt:1: bad tag “{{ first name }}”: a name is needed, without spaces");
}

static void
test_error_nesting_cap (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (int i = 0; i <= SHR_MAX_MUSTACHE_NESTING; i++)
    g_string_append (s, "{{#a}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMustacheTemplate) t = shr_mustache_template_new (s->str, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_SYNTAX);
}

static void
test_japanese_utf8 (void)
{
  const gchar *tmpl = "件名: 【{{grade}}】{{title}}\n"
                      "■ 概要\n"
                      "{{summary}}\n"
                      "{{#cves}}\n"
                      "・{{id}}（CVSS {{cvss}}）\n"
                      "{{/cves}}\n";
  const gchar *json = "{\"grade\": \"緊急\", \"title\": \"Exchange Server の脆弱性\","
                      " \"summary\": \"悪用が確認されています。<対応>\","
                      " \"cves\": [{\"id\": \"CVE-2024-21410\", \"cvss\": 9.8}]}";
  g_autofree gchar *text = render (tmpl, json, NULL, SHR_MUSTACHE_MODE_TEXT);
  g_assert_cmpstr (text, ==,
                   "件名: 【緊急】Exchange Server の脆弱性\n"
                   "■ 概要\n"
                   "悪用が確認されています。<対応>\n"
                   "・CVE-2024-21410（CVSS 9.8）\n");
  g_autofree gchar *html = render (tmpl, json, NULL, SHR_MUSTACHE_MODE_HTML);
  g_assert_cmpstr (html, ==,
                   "件名: 【緊急】Exchange Server の脆弱性\n"
                   "■ 概要\n"
                   "悪用が確認されています。&lt;対応&gt;\n"
                   "・CVE-2024-21410（CVSS 9.8）\n");
  g_assert_true (g_utf8_validate (html, -1, NULL));
}

static void
test_compiled_twice (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMustacheTemplate) t
      = shr_mustache_template_new ("{{#cves}}{{id}} {{/cves}}{{^cves}}none{{/cves}}|{{>tail}}", "t", &error);
  g_assert_no_error (error);
  g_autoptr (ShrMustachePartials) partials = shr_mustache_partials_new ();
  shr_mustache_partials_add (partials, "tail", "  {{title}}\n");
  g_autoptr (JsonNode) v1 = view ("{\"cves\": [{\"id\": \"CVE-1\"}, {\"id\": \"CVE-2\"}], \"title\": \"A\"}");
  g_autoptr (JsonNode) v2 = view ("{\"title\": \"B\"}");

  g_autofree gchar *a = shr_mustache_template_render (t, v1, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_no_error (error);
  g_autofree gchar *b = shr_mustache_template_render (t, v2, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_no_error (error);
  g_autofree gchar *c = shr_mustache_template_render (t, v1, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "CVE-1 CVE-2 |  A\n");
  g_assert_cmpstr (b, ==, "none|  B\n");
  g_assert_cmpstr (c, ==, a);
  g_assert_cmpstr (shr_mustache_template_get_name (t), ==, "t");
}

static void
test_numbers (void)
{
  g_autofree gchar *out = render ("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
                                  "{\"a\": 9.8, \"b\": 10.0, \"c\": 7, \"d\": -0.5,"
                                  " \"e\": true, \"f\": null, \"g\": 0.1}",
                                  NULL, SHR_MUSTACHE_MODE_TEXT);
  g_assert_cmpstr (out, ==, "9.8 10 7 -0.5 true  0.1");
}

static void
test_truthiness (void)
{
  g_autofree gchar *out
      = render ("{{#empty}}E{{/empty}}{{#zero}}Z{{/zero}}{{#none}}N{{/none}}"
                "{{#list}}L{{/list}}{{#obj}}O{{/obj}}{{#str}}S{{/str}}{{^empty}}!E{{/empty}}",
                "{\"empty\": \"\", \"zero\": 0, \"none\": null, \"list\": [],"
                " \"obj\": {}, \"str\": \"x\"}",
                NULL, SHR_MUSTACHE_MODE_TEXT);
  g_assert_cmpstr (out, ==, "ZOS!E");
}

static void
test_null_view (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out
      = shr_mustache_render ("a{{x}}{{#y}}b{{/y}}{{.}}c", NULL, NULL, SHR_MUSTACHE_MODE_HTML, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "ac");
}

static void
test_partials_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("shr-mustache-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *path = g_build_filename (dir, "checklist.mustache", NULL);
  g_assert_true (g_file_set_contents (path, "{{#rows}}✓ {{text}}\n{{/rows}}", -1, &error));
  g_autofree gchar *bad = g_build_filename (dir, "broken.mustache", NULL);
  g_assert_true (g_file_set_contents (bad, "\n{{#rows}}", -1, &error));

  g_autoptr (ShrMustachePartials) partials = shr_mustache_partials_new_for_dir (dir);
  g_autofree gchar *out = render ("判定:\n  {{>checklist}}\n{{>missing}}end\n",
                                  "{\"rows\": [{\"text\": \"Exchange\"}, {\"text\": \"エネルギー\"}]}",
                                  partials, SHR_MUSTACHE_MODE_TEXT);
  g_assert_cmpstr (out, ==, "判定:\n  ✓ Exchange\n  ✓ エネルギー\nend\n");

  g_autoptr (JsonNode) v = view ("{}");
  g_autofree gchar *o2 = shr_mustache_render ("x\n{{>broken}}", v, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_null (o2);
  g_assert_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_UNCLOSED_SECTION);
  g_assert_cmpstr (error->message, ==,
                   "template:2: partial “broken”: broken.mustache:2: unclosed section "
                   "“rows”: no “{{/rows}}” follows");
  g_clear_error (&error);

  g_autofree gchar *o3
      = shr_mustache_render ("{{>../etc/passwd}}", v, partials, SHR_MUSTACHE_MODE_TEXT, &error);
  g_assert_null (o3);
  g_assert_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_PARTIAL);

  g_unlink (path);
  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_inheritance (void)
{
  g_autoptr (ShrMustachePartials) partials = shr_mustache_partials_new ();
  shr_mustache_partials_add (partials, "layout",
                             "<h1>{{$title}}無題{{/title}}</h1>\n"
                             "{{$body}}\n"
                             "{{/body}}\n");
  g_autofree gchar *out
      = render ("{{<layout}}\n"
                "{{$title}}{{name}}{{/title}}\n"
                "{{$body}}\n"
                "<p>{{text}}</p>\n"
                "{{/body}}\n"
                "{{/layout}}\n",
                "{\"name\": \"A&B\", \"text\": \"本文\"}", partials, SHR_MUSTACHE_MODE_HTML);
  g_assert_cmpstr (out, ==, "<h1>A&amp;B</h1>\n<p>本文</p>\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mustache/html/escapes-script-and-quotes", test_html_escapes);
  g_test_add_func ("/mustache/html/raw-tags", test_html_raw_tags);
  g_test_add_func ("/mustache/text/no-escaping", test_text_no_escaping);
  g_test_add_func ("/mustache/partials/self-recursive", test_self_recursive_partial);
  g_test_add_func ("/mustache/partials/exponential", test_exponential_partial);
  g_test_add_func ("/mustache/partials/directory", test_partials_dir);
  g_test_add_func ("/mustache/errors/unclosed-section", test_error_unclosed_section);
  g_test_add_func ("/mustache/errors/unclosed-tag", test_error_unclosed_tag);
  g_test_add_func ("/mustache/errors/mismatched-end", test_error_mismatched_end);
  g_test_add_func ("/mustache/errors/bad-delimiter", test_error_bad_delimiter);
  g_test_add_func ("/mustache/errors/empty-tag", test_error_empty_tag);
  g_test_add_func ("/mustache/errors/nesting-cap", test_error_nesting_cap);
  g_test_add_func ("/mustache/utf8/japanese", test_japanese_utf8);
  g_test_add_func ("/mustache/template/render-twice", test_compiled_twice);
  g_test_add_func ("/mustache/values/numbers", test_numbers);
  g_test_add_func ("/mustache/values/truthiness", test_truthiness);
  g_test_add_func ("/mustache/values/null-view", test_null_view);
  g_test_add_func ("/mustache/inheritance/layout", test_inheritance);
  return g_test_run ();
}
