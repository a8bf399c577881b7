/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the notices: golden texts for four fixture advisories (a DSA, a
 * JPCERT/CC alert, a CISA KEV addition, a news article about a campaign)
 * against tests/data/render/, the grade agreeing everywhere, nothing
 * invented, HTML escaping, the draft, the digest, Japanese dates, and the
 * templates directory override.
 *
 * SHR_UPDATE_GOLDEN=1 rewrites the expected files (then read them, and
 * commit them only when a Japanese administrator would sign them). */
#include <string.h>

#include "shr-config.h"
#include "shr-extract.h"
#include "shr-match.h"
#include "shr-notice.h"
#include "shr-render.h"
#include "test-util.h"

#define NOW "2026-03-16T10:00:00+09:00"

static const gchar *const fixtures[] = {
  "dsa_5901_1_libxml2",
  "jpcert_at_2026_0012",
  "cisa_kev_2026_03_10",
  "news_en_exchange_oilgas_silk_typhoon",
};

typedef struct
{
  ShrLexicon *lexicon; /* borrowed: the process-wide default */
  ShrVocabulary vocab;
  ShrConfig *config;
  ShrRenderer *renderer;
  GDateTime *now;
} Fixture;

static gchar *
data_path (const gchar *dir, const gchar *name)
{
  return g_build_filename (test_srcdir (), "tests", "data", dir, name, NULL);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->lexicon = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  f->vocab = shr_vocabulary_for_lexicon (f->lexicon);
  g_autofree gchar *conf = data_path ("render", "org.conf");
  f->config = shr_config_load (conf, &f->vocab, &error);
  g_assert_no_error (error);
  g_autofree gchar *dir = g_build_filename (test_srcdir (), "templates", NULL);
  f->renderer = shr_renderer_new (dir, &error);
  g_assert_no_error (error);
  f->now = g_date_time_new_from_iso8601 (NOW, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_date_time_unref (f->now);
  shr_renderer_free (f->renderer);
  shr_config_free (f->config);
}

/* The view of @record as the profile of org.conf judges it. */
static JsonNode *
view_for (Fixture *f, const ShrRecord *record, ShrMatch **match_out)
{
  ShrMatch *m = shr_match_record (f->config->profile, &f->vocab, record, f->now);
  JsonNode *view = shr_notice_view_new (record, m, f->config->profile, f->lexicon, f->now);
  if (match_out != NULL)
    *match_out = m;
  else
    shr_match_free (m);
  return view;
}

static ShrRecord *
record_for_fixture (Fixture *f, const gchar *name)
{
  g_autofree gchar *file = g_strconcat (name, ".eml", NULL);
  g_autofree gchar *path = data_path ("mail", file);
  g_autoptr (GError) error = NULL;
  ShrRecord *r = shr_extract_file (path, f->lexicon, &error);
  g_assert_no_error (error);
  return r;
}

static ShrRendered *
render (Fixture *f, const ShrRecord *record, ShrRenderLang lang)
{
  g_autoptr (JsonNode) view = view_for (f, record, NULL);
  g_autoptr (GError) error = NULL;
  ShrRendered *out = shr_renderer_notice (f->renderer, view, lang, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_golden (const gchar *text, const gchar *expected_name)
{
  g_autofree gchar *path = data_path ("render", expected_name);
  if (g_strcmp0 (g_getenv ("SHR_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autoptr (GError) error = NULL;
      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
    }
  g_autofree gchar *expected = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  if (g_strcmp0 (text, expected) != 0)
    {
      /* Name the first line that differs: the whole texts in octal
       * escapes are unreadable. */
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
}

static void
test_golden (Fixture *f, gconstpointer data)
{
  const gchar *name = data;
  g_autoptr (ShrRecord) r = record_for_fixture (f, name);
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_autoptr (ShrRendered) en = render (f, r, SHR_RENDER_LANG_EN);
  g_autofree gchar *ja_name = g_strconcat (name, ".ja.txt", NULL);
  g_autofree gchar *en_name = g_strconcat (name, ".en.txt", NULL);
  assert_golden (ja->text, ja_name);
  assert_golden (en->text, en_name);
  /* both = the Japanese card and mail, then the English mail. */
  g_autoptr (ShrRendered) both = render (f, r, SHR_RENDER_LANG_BOTH);
  g_assert_true (g_str_has_prefix (both->text, ja->text));
  g_assert_nonnull (strstr (both->text, "Notice for administrators (English)"));
  g_assert_cmpstr (both->subject, ==, ja->subject);
}

/* ---- the grade agrees everywhere ------------------------------------------ */

/* The text after @label up to the end of its line (caller frees). */
static gchar *
line_after (const gchar *text, const gchar *label)
{
  const gchar *p = strstr (text, label);
  g_assert_nonnull (p);
  p += strlen (label);
  const gchar *e = strchr (p, '\n');
  return g_strndup (p, e != NULL ? (gsize)(e - p) : strlen (p));
}

/* "A", "B", "C" or "静観"/"No action": the grade a string starts with. */
static gchar *
grade_word (const gchar *s)
{
  if ((s[0] == 'A' || s[0] == 'B' || s[0] == 'C') && (s[1] == ' ' || s[1] == '\0' || (guchar)s[1] >= 0x80))
    return g_strndup (s, 1);
  if (g_str_has_prefix (s, "静観"))
    return g_strdup ("none");
  if (g_str_has_prefix (s, "No action"))
    return g_strdup ("none");
  return g_strdup (s);
}

static void
assert_consistent (Fixture *f, const ShrRecord *r)
{
  ShrMatch *mp = NULL;
  g_autoptr (JsonNode) view = view_for (f, r, &mp);
  g_autoptr (ShrMatch) m = mp;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRendered) both = shr_renderer_notice (f->renderer, view, SHR_RENDER_LANG_BOTH, &error);
  g_assert_no_error (error);
  const gchar *expected = shr_grade_to_string (m->grade);

  g_autofree gchar *header = line_after (both->text, "【");
  g_autofree gchar *g_header = grade_word (header);
  g_autofree gchar *prio_ja = line_after (both->text, "対応優先度: ");
  g_autofree gchar *g_prio_ja = grade_word (prio_ja);
  g_autofree gchar *prio_en = line_after (both->text, "\nPriority: ");
  g_autofree gchar *g_prio_en = grade_word (prio_en);
  g_assert_cmpstr (g_header, ==, expected);
  g_assert_cmpstr (g_prio_ja, ==, expected);
  g_assert_cmpstr (g_prio_en, ==, expected);

  /* The deadline label follows the grade in the header and 対応期限. */
  const gchar *label_ja = shr_grade_deadline_ja (m->grade);
  g_autofree gchar *deadline_ja = line_after (both->text, "対応期限: ");
  g_autofree gchar *deadline_en = line_after (both->text, "\nDeadline: ");
  if (label_ja != NULL)
    {
      g_assert_nonnull (strstr (header, label_ja));
      g_assert_nonnull (strstr (deadline_ja, label_ja));
      g_assert_nonnull (strstr (deadline_en, shr_grade_deadline_en (m->grade)));
    }
  else
    {
      g_assert_cmpstr (deadline_ja, ==, "なし");
      g_assert_cmpstr (deadline_en, ==, "None");
    }

  /* The HTML badge and the Subject say the same. */
  if (m->grade != SHR_GRADE_NONE)
    {
      g_autofree gchar *tag = g_strdup_printf (
          "【%s・%s %s】", m->verdict == SHR_VERDICT_APPLICABLE ? "要対応" : "要確認", expected, label_ja);
      g_assert_true (g_str_has_prefix (both->subject, tag));
      g_autofree gchar *badge = g_strdup_printf (">%s %s</td>", expected, label_ja);
      g_assert_nonnull (strstr (both->html, badge));
    }
  else
    g_assert_true (g_str_has_prefix (both->subject, "【共有】"));
}

static void
test_consistency_fixtures (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr (ShrRecord) r = record_for_fixture (f, fixtures[i]);
      assert_consistent (f, r);
    }
}

/* A record about Exchange (run by the profile) with the given facts. */
static ShrRecord *
exchange_record (gdouble cvss, ShrTristate exploited, gboolean ours)
{
  ShrRecord *r = shr_record_new ();
  r->source_kind = g_strdup ("msrc");
  r->source_name = g_strdup ("Microsoft");
  r->lang = g_strdup ("en");
  r->title = g_strdup ("Exchange Server security update");
  r->category = g_strdup ("vulnerability");
  shr_record_add_product (r, "Microsoft", ours ? "Exchange Server" : "SharePoint Server");
  ShrCve *c = shr_record_add_cve (r, "CVE-2026-30001");
  c->cvss = cvss;
  r->exploited = exploited;
  shr_record_finish (r);
  return r;
}

static void
test_consistency_grades (Fixture *f, gconstpointer data)
{
  /* A (exploited), B (CVSS 7.5), C (CVSS 5.0), none (not our product). */
  g_autoptr (ShrRecord) a = exchange_record (5.0, SHR_TRISTATE_TRUE, TRUE);
  g_autoptr (ShrRecord) b = exchange_record (7.5, SHR_TRISTATE_UNKNOWN, TRUE);
  g_autoptr (ShrRecord) c = exchange_record (5.0, SHR_TRISTATE_UNKNOWN, TRUE);
  g_autoptr (ShrRecord) none = exchange_record (9.8, SHR_TRISTATE_TRUE, FALSE);
  const ShrRecord *records[] = { a, b, c, none };
  const gchar *grades[] = { "A", "B", "C", "none" };
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      ShrMatch *mp = NULL;
      g_autoptr (JsonNode) view = view_for (f, records[i], &mp);
      g_autoptr (ShrMatch) m = mp;
      g_assert_cmpstr (shr_grade_to_string (m->grade), ==, grades[i]);
      assert_consistent (f, records[i]);
    }
}

/* ---- nothing invented ----------------------------------------------------- */

static void
test_nothing_invented (Fixture *f, gconstpointer data)
{
  /* Only a title: no CVE, CVSS, product, fix, exploitation or target. */
  g_autoptr (ShrRecord) r = shr_record_new ();
  r->source_kind = g_strdup ("news");
  r->source_name = g_strdup ("Example News");
  r->lang = g_strdup ("ja");
  r->title = g_strdup ("セキュリティに関するお知らせ");
  shr_record_finish (r);
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_autofree gchar *in_short = line_after (ja->text, "■ 一言でいうと\n");
  g_assert_cmpstr (in_short, ==, "「セキュリティに関するお知らせ」が公表されました。");
  g_assert_null (strstr (ja->text, "脆弱性"));
  g_assert_null (strstr (ja->text, "CVE-"));
  g_assert_null (strstr (ja->text, "CVSS"));
  g_assert_null (strstr (ja->text, "悪用"));
  g_assert_null (strstr (ja->text, "修正版"));
  g_assert_null (strstr (ja->text, "原文"));
  g_assert_nonnull (strstr (ja->text, "上記いずれにも該当しない → 静観でOK"));
  g_assert_nonnull (strstr (ja->text, "件名: 【共有】セキュリティに関するお知らせ\n"));

  /* A campaign whose exploitation is not stated: no 侵入口, no 悪用. */
  g_autoptr (ShrRecord) c = shr_record_new ();
  c->lang = g_strdup ("en");
  c->title = g_strdup ("Group targets energy firms");
  c->category = g_strdup ("campaign");
  g_ptr_array_add (c->threat_actors, g_strdup ("Volt Typhoon"));
  g_ptr_array_add (c->sectors, g_strdup ("energy"));
  shr_record_add_product (c, "Fortinet", "FortiOS");
  shr_record_finish (c);
  g_autoptr (ShrRendered) cja = render (f, c, SHR_RENDER_LANG_JA);
  g_autofree gchar *cshort = line_after (cja->text, "■ 一言でいうと\n");
  g_assert_cmpstr (cshort, ==,
                   "Volt Typhoonによる、エネルギー・石油・ガス業界を標的とした攻撃活動が報告されています。"
                   "関連する製品としてFortinet FortiOSが挙げられています。");
  g_autoptr (ShrRendered) cen = render (f, c, SHR_RENDER_LANG_EN);
  g_autofree gchar *eshort = line_after (cen->text, "* In short\n");
  g_assert_cmpstr (eshort, ==,
                   "Volt Typhoon is reported to be attacking energy, oil and gas organisations. "
                   "Product named: Fortinet FortiOS.");
}

/* Kinds of flaw come from data/flaws.tsv; "code execution" inside
 * "remote code execution" is one flaw, not two. */
static void
test_flaws (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  r->lang = g_strdup ("en");
  r->title = g_strdup ("Remote code execution and SQL injection in Example CMS");
  r->summary = g_strdup ("A remote code execution flaw lets attackers run code.");
  r->category = g_strdup ("vulnerability");
  shr_record_add_product (r, NULL, "Example CMS");
  shr_record_add_cve (r, "CVE-2026-1")->cvss = 9.8;
  shr_record_add_cve (r, "CVE-2026-2");
  shr_record_add_cve (r, "CVE-2026-3");
  shr_record_add_cve (r, "CVE-2026-4");
  r->exploited = SHR_TRISTATE_FALSE;
  shr_record_finish (r);
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_autofree gchar *in_short = line_after (ja->text, "■ 一言でいうと\n");
  g_assert_cmpstr (in_short, ==,
                   "Example CMSにリモートコード実行やSQLインジェクションにつながる複数の脆弱性"
                   "（CVE-2026-1、CVE-2026-2、CVE-2026-3 ほか1件、CVSS 9.8）が公表されました。"
                   "現時点で悪用は確認されていないとされています。");
  g_assert_cmpstr (ja->subject, ==, "【共有】Example CMS: CVE-2026-1 ほか3件");
  /* A source without a name: its language alone. */
  g_autofree gchar *header = line_after (ja->text, "【");
  g_assert_cmpstr (header, ==, "静観】脆弱性｜英語ソース｜2026年3月16日(月)");
}

/* ---- HTML ------------------------------------------------------------------ */

static void
test_html_escaped (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = exchange_record (9.8, SHR_TRISTATE_TRUE, TRUE);
  g_free (r->title);
  r->title = g_strdup ("<script>alert(1)</script> & <img src=x onerror=alert(2)>");
  g_free (r->summary);
  r->summary = g_strdup ("\"quoted\" <b>bold</b>");
  g_ptr_array_add (r->references, g_strdup ("javascript:alert(3)\"><script>"));
  for (ShrRenderLang lang = SHR_RENDER_LANG_JA; lang <= SHR_RENDER_LANG_BOTH; lang++)
    {
      g_autoptr (ShrRendered) out = render (f, r, lang);
      g_assert_null (strstr (out->html, "<script"));
      g_assert_null (strstr (out->html, "<img"));
      g_assert_null (strstr (out->html, "<b>"));
      g_assert_nonnull (strstr (out->html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img"));
      g_assert_nonnull (strstr (out->html, "&quot;quoted&quot;"));
      /* No links at all, so no javascript: URL is ever clickable; no
       * external resource. */
      g_assert_null (strstr (out->html, "href=\""));
      g_assert_null (strstr (out->html, "src=\""));
      g_assert_null (strstr (out->html, "http://"));
      g_assert_nonnull (strstr (out->html, "✓"));
      /* The text is not escaped. */
      g_assert_nonnull (strstr (out->text, "<script>alert(1)</script> & <img"));
    }
}

/* ---- draft and digest ------------------------------------------------------ */

static void
test_draft (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = record_for_fixture (f, "news_en_exchange_oilgas_silk_typhoon");
  g_autoptr (JsonNode) view = view_for (f, r, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRendered) d = shr_renderer_draft (f->renderer, view, "K7Q2M9F3XA", "draft-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (
      d->subject, ==,
      "[承認依頼 #K7Q2M9F3XA] 【要対応・A 即日】Microsoft Exchange Server: CVE-2026-21410 (悪用確認済み)");
  g_assert_nonnull (strstr (d->text, "  承認 (approve)"));
  g_assert_nonnull (strstr (d->text, "  却下 理由 (reject REASON)"));
  g_assert_nonnull (strstr (d->text, "  保留 (hold)"));
  g_assert_nonnull (strstr (d->text, "Draft: draft-1\n"));
  /* The notices exactly as they will go out. */
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_autoptr (ShrRendered) en = render (f, r, SHR_RENDER_LANG_EN);
  g_assert_nonnull (strstr (d->text, ja->text));
  g_assert_nonnull (strstr (d->text, en->text));
  /* The view is left as it was. */
  g_assert_false (json_object_has_member (json_node_get_object (view), "approval"));
}

static void
test_digest (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonArray) items = json_array_new ();
  g_autoptr (ShrRecord) r = exchange_record (9.8, SHR_TRISTATE_TRUE, FALSE);
  json_array_add_element (items, view_for (f, r, NULL));
  g_autoptr (JsonNode) view = shr_notice_digest_view_new (f->config->profile, items, f->now);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRendered) d = shr_renderer_digest (f->renderer, view, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->subject, ==, "[shirase] 静観ダイジェスト / No-action digest 2026年3月16日(月)（1件）");
  g_assert_nonnull (strstr (d->text, "\n1. Exchange Server security update\n"));
  g_assert_nonnull (strstr (d->text, "｜CVE-2026-30001｜悪用確認済み\n"));
  g_assert_nonnull (strstr (d->text, "   ・勧告が挙げる製品・標的のいずれにも該当しない\n"));

  g_autoptr (JsonArray) none = json_array_new ();
  g_autoptr (JsonNode) empty = shr_notice_digest_view_new (f->config->profile, none, f->now);
  g_autoptr (ShrRendered) e = shr_renderer_digest (f->renderer, empty, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (e->text, "該当なし / None."));
}

/* The pipeline keeps only a digest item per not-applicable advisory: the
 * digest reads the same from it as from the whole notice view. */
static void
test_digest_item (Fixture *f, gconstpointer data)
{
  static const gchar *const names[]
      = { "dsa_5901_1_libxml2", "panos_cve_2026_0300", "cisa_kev_2026_03_10", "jpcert_at_2026_0012" };
  g_autoptr (JsonArray) full = json_array_new ();
  g_autoptr (JsonArray) compact = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (ShrRecord) r = record_for_fixture (f, names[i]);
      g_autoptr (ShrMatch) m = NULL;
      json_array_add_element (full, view_for (f, r, &m));
      json_array_add_element (compact, shr_notice_digest_item_new (r, m, f->config->profile, f->now));
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) a = shr_notice_digest_view_new (f->config->profile, full, f->now);
  g_autoptr (ShrRendered) da = shr_renderer_digest (f->renderer, a, &error);
  g_assert_no_error (error);
  g_autoptr (JsonNode) b = shr_notice_digest_view_new (f->config->profile, compact, f->now);
  g_autoptr (ShrRendered) db = shr_renderer_digest (f->renderer, b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (db->subject, ==, da->subject);
  g_assert_cmpstr (db->text, ==, da->text);
  g_assert_nonnull (strstr (db->text, "\n1. DSA-5901-1 libxml2 security update\n"));
}

/* ---- dates, one-line values, the templates directory ----------------------- */

static void
test_dates (void)
{
  g_autoptr (GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr (GDateTime) d = g_date_time_new (tokyo, 2026, 5, 14, 9, 0, 0);
  g_autofree gchar *ja = shr_notice_format_date_ja (d);
  g_autofree gchar *en = shr_notice_format_date_en (d);
  g_assert_cmpstr (ja, ==, "2026年5月14日(木)");
  g_assert_cmpstr (en, ==, "Thu 14 May 2026");
  g_autoptr (GDateTime) sun = g_date_time_new (tokyo, 2026, 3, 15, 23, 59, 0);
  g_autofree gchar *sja = shr_notice_format_date_ja (sun);
  g_assert_cmpstr (sja, ==, "2026年3月15日(日)");
}

static void
test_one_line (void)
{
  const struct
  {
    const gchar *in, *out;
  } cases[] = {
    { "a\r\nBcc: x@y", "a Bcc: x@y" },
    { "\r\nBcc: x@y", "Bcc: x@y" },
    { "  tab\there\x01\x7f end  ", "tab here end" },
    { "全角\u3000空白\u2028改行", "全角 空白 改行" },
    { "bidi\u202Egnp.exe", "bidi gnp.exe" },
    { "bad \xff byte", "bad \xef\xbf\xbd byte" },
    { NULL, "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *s = shr_notice_one_line (cases[i].in);
      g_assert_cmpstr (s, ==, cases[i].out);
    }
}

static void
test_templates_dir (Fixture *f, gconstpointer data)
{
  g_autofree gchar *tmp = g_dir_make_tmp ("shirase-render-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_autofree gchar *tdir = g_build_filename (tmp, "mytemplates", NULL);
  g_assert_cmpint (g_mkdir (tdir, 0700), ==, 0);
  g_autofree gchar *t1
      = test_write_file (tdir, "notice-ja.txt", "独自の文面: {{> grade-ja}} {{title}}\n", 0600);
  g_autofree gchar *t2 = test_write_file (tdir, "grade-ja.mustache", "優先度{{grade.letter}}", 0600);
  g_autofree gchar *conf = test_write_file (
      tmp, "shirase.conf", "[organization]\nname = X\n\n[templates]\ndir = mytemplates\n", 0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) config = shr_config_load (conf, &f->vocab, &error);
  g_assert_no_error (error);
  g_autofree gchar *dir = shr_render_dir_for_config (config->keyfile, conf);
  g_assert_cmpstr (dir, ==, tdir);
  g_autoptr (ShrRenderer) renderer = shr_renderer_new (dir, &error);
  g_assert_no_error (error);
  g_autoptr (ShrRecord) r = exchange_record (9.8, SHR_TRISTATE_TRUE, TRUE);
  g_autoptr (JsonNode) view = view_for (f, r, NULL);
  g_autofree gchar *text = shr_renderer_render (renderer, "notice-ja.txt", view, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "独自の文面: 優先度A Exchange Server security update\n");

  /* Without the key: the default directory; a directory that is not a
   * template directory is refused with its name. */
  g_autofree gchar *def = shr_render_dir_for_config (NULL, NULL);
  g_assert_cmpstr (def, ==, shr_render_default_dir ());
  g_autoptr (ShrRenderer) bad = shr_renderer_new (tmp, &error);
  g_assert_null (bad);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "not a template directory"));

  g_unlink (t1);
  g_unlink (t2);
  g_unlink (conf);
  g_rmdir (tdir);
  g_rmdir (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/render/golden/%s", fixtures[i]);
      g_test_add (path, Fixture, fixtures[i], fixture_setup, test_golden, fixture_teardown);
    }
  g_test_add ("/render/consistency/fixtures", Fixture, NULL, fixture_setup, test_consistency_fixtures,
              fixture_teardown);
  g_test_add ("/render/consistency/grades", Fixture, NULL, fixture_setup, test_consistency_grades,
              fixture_teardown);
  g_test_add ("/render/nothing-invented", Fixture, NULL, fixture_setup, test_nothing_invented,
              fixture_teardown);
  g_test_add ("/render/flaws", Fixture, NULL, fixture_setup, test_flaws, fixture_teardown);
  g_test_add ("/render/html/escaped", Fixture, NULL, fixture_setup, test_html_escaped, fixture_teardown);
  g_test_add ("/render/draft", Fixture, NULL, fixture_setup, test_draft, fixture_teardown);
  g_test_add ("/render/digest", Fixture, NULL, fixture_setup, test_digest, fixture_teardown);
  g_test_add ("/render/digest/item", Fixture, NULL, fixture_setup, test_digest_item, fixture_teardown);
  g_test_add ("/render/templates-dir", Fixture, NULL, fixture_setup, test_templates_dir, fixture_teardown);
  g_test_add_func ("/render/dates", test_dates);
  g_test_add_func ("/render/one-line", test_one_line);
  return g_test_run ();
}
