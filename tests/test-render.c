/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the notices: golden notices (Japanese and English, text and
 * HTML) for records of every kind against tests/data/render/, each also
 * read by test_text_defects() (test-golden.c), which fails on what a Japanese administrator
 * and a native editor flagged in notices from real mail (stray spaces,
 * 「。」 after a full-width bracket, empty sections, leftover Mustache tags,
 * lines over 76 columns, English severity words in Japanese sentences,
 * half-width brackets in Japanese Subjects, steps that are not steps …);
 * the grade agreeing everywhere, the checklist agreeing with the verdict,
 * nothing invented, the organisation's word for itself, HTML escaping,
 * the draft, the digest, the 続報, Japanese dates, wrapping, and the
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
#include "shr-steps.h"
#include "shr-text.h"
#include "test-golden.h"
#include "test-util.h"

#define NOW "2026-03-16T10:00:00+09:00"

typedef struct
{
  const gchar *name; /* of the golden files */
  const gchar *mail; /* under tests/data/ */
  const gchar *conf; /* under tests/data/render/ */
} Golden;

/* One record of every kind the notices must carry. */
static const Golden goldens[] = {
  /* a distribution advisory */
  { "dsa_5901_1_libxml2", "mail/dsa_5901_1_libxml2.eml", "org.conf" },
  /* PSIRTs with release trains: a version in a listed train; an exploited VPN */
  { "cisco_sa_iosxe_webui_privesc", "mail/cisco_sa_iosxe_webui_privesc.eml", "org.conf" },
  { "fortinet_fg_ir_26_042", "mail/fortinet_fg_ir_26_042.eml", "hospital.conf" },
  /* a JVN item, a JPCERT/CC alert */
  { "jvn_12345678", "mail/jvn_12345678.eml", "org.conf" },
  { "jpcert_at_2026_0012", "mail/jpcert_at_2026_0012.eml", "org.conf" },
  /* a KEV alert */
  { "cisa_kev_2026_03_10", "mail/cisa_kev_2026_03_10.eml", "org.conf" },
  /* Japanese news about an exploited flaw; English news about one that is not */
  { "news_ja_sonicwall_exploited", "mail/news_ja_sonicwall_exploited.eml", "org.conf" },
  { "news_en_veeam_not_exploited", "mail/news_en_veeam_not_exploited.eml", "org.conf" },
  /* English campaign news with actor and targets; a joint advisory */
  { "news_en_exchange_oilgas_silk_typhoon", "mail/news_en_exchange_oilgas_silk_typhoon.eml", "org.conf" },
  { "news_en_salt_typhoon_telecom", "render/mail/news_en_salt_typhoon_telecom.eml", "org.conf" },
  { "cisa_aa26_071a_volt_typhoon", "mail/cisa_aa26_071a_volt_typhoon.eml", "org.conf" },
  /* Japanese news about an incident, for a hospital; a newsletter with nothing to act on */
  { "news_ja_hospital_ransomware", "render/mail/news_ja_hospital_ransomware.eml", "hospital.conf" },
  { "newsletter_en_weekly_roundup", "render/mail/newsletter_en_weekly_roundup.eml", "org.conf" },
  /* the second of four items of a JVN digest, for the router it names */
  { "jvn_digest_2026_03_10_item2", "mail/jvn_digest_2026_03_10.eml#2", "shop.conf" },
};

/* The fixtures of the checks that need no golden file. */
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

/* Judges by tests/data/render/@conf from now on. */
static void
use_config (Fixture *f, const gchar *conf)
{
  g_autofree gchar *path = data_path ("render", conf);
  g_autoptr (GError) error = NULL;
  shr_config_free (f->config);
  f->config = shr_config_load (path, &f->vocab, &error);
  g_assert_no_error (error);
}

/* @mail is a file under tests/data, or "FILE#N" for the Nth item (from 1)
 * of a digest mail, as once and watch judge it. */
static ShrRecord *
record_from (Fixture *f, const gchar *mail)
{
  g_auto (GStrv) parts = g_strsplit (mail, "#", 2);
  g_autofree gchar *path = g_build_filename (test_srcdir (), "tests", "data", parts[0], NULL);
  g_autoptr (GError) error = NULL;
  if (parts[1] == NULL)
    {
      ShrRecord *r = shr_extract_file (path, f->lexicon, &error);
      g_assert_no_error (error);
      return r;
    }
  g_autoptr (GPtrArray) items = shr_extract_file_items (path, f->lexicon, &error);
  g_assert_no_error (error);
  guint64 n = g_ascii_strtoull (parts[1], NULL, 10);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, items->len);
  return g_ptr_array_steal_index (items, n - 1);
}

/* The view of @record as the profile of the current config judges it. */
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

/* ---- what a reader must never see --------------------------------------------- */

/* What is wrong with the Subjects of @view: half-width brackets in the
 * Japanese one, or a Subject carrying the source's title in the other
 * language. */
static gchar *
subject_defects (JsonNode *view)
{
  JsonObject *o = json_node_get_object (view);
  const gchar *ja = json_object_get_string_member (o, "subject_ja");
  const gchar *en = json_object_get_string_member (o, "subject_en");
  const gchar *title
      = json_object_has_member (o, "title") ? json_object_get_string_member (o, "title") : NULL;
  JsonObject *src = json_object_get_object_member (o, "source");
  gboolean lang_ja = json_object_has_member (src, "lang")
                     && strcmp (json_object_get_string_member (src, "lang"), "ja") == 0;
  GString *out = g_string_new (NULL);
  if (strpbrk (ja, "()[]") != NULL)
    g_string_append_printf (out, "half-width brackets in %s\n", ja);
  if (title != NULL && !lang_ja && strstr (ja, title) != NULL)
    g_string_append_printf (out, "the English title in %s\n", ja);
  if (title != NULL && lang_ja && strstr (en, title) != NULL)
    g_string_append_printf (out, "the Japanese title in %s\n", en);
  if (out->len == 0)
    g_string_append (out, "empty");
  return g_string_free (out, FALSE);
}

/* The reader's checks catch each defect they name. */
static void
test_defects_caught (void)
{
  const struct
  {
    const gchar *text, *found;
    gboolean html;
  } cases[] = {
    { "■ 概要\n対応期限は {{deadline}} です。\n", "0: a Mustache tag is left\n", FALSE },
    { "■ 概要\n三菱電機 GOT2000 シリーズ の脆弱性です。\n", "2: a stray space in Japanese text\n", FALSE },
    { "■ 概要\n米国 および 英国\n", "2: a stray space in Japanese text\n2: a stray space in Japanese text\n",
      FALSE },
    { "■ 該当判定（社会医療法人さくら会 さくら総合病院）\n✓ 当院で運用している\n", "empty", FALSE },
    { "■ 概要\n（ CVE-2026-1）\n", "2: a stray space in Japanese text\n", FALSE },
    { "■ 概要\n対応をお願いします（詳細は下記）。\n", "2: 「。」 after a closing bracket or punctuation\n",
      FALSE },
    { "■ 概要\n■ 影響範囲\n・CVE-2026-1\n", "1: an empty section\n", FALSE },
    { "Overview\n\nScope\n- CVE-2026-1\n", "1: an empty section\n", FALSE },
    { "■ 概要\nB: 該当し、深刻度 critical\n", "2: an English word in a Japanese sentence\n", FALSE },
    { "■ 概要\n脆弱性（CVSS 10）が公表されました。\n", "2: a CVSS score without its decimal\n", FALSE },
    { "■ 対応手順\n1. Solution:\n", "2: a heading as a step\n", FALSE },
    { "■ 対応手順\n1. Read the [report](https://example.com/r).\n", "2: a Markdown link\n", FALSE },
    { "■ 対応手順\n1. Upgrade the devices. 2. Restrict access.\n", "2: two steps run together\n", FALSE },
    { "■ 対応手順\n1. 更新してください。\n2. 更新してください。\n", "3: a step repeated\n", FALSE },
    { "■ 概要\n0123456789012345678901234567890123456789あいうえおかきくけこさしすせそたちつてと\n",
      "2: 80 columns\n", FALSE },
    { "■ 概要\nend \n", "2: a space at the end\n", FALSE },
    { "<ul style=\"x\">\n</ul>", "0: an empty list or paragraph\n", TRUE },
    { "<p>深刻度 high です{{x}}</p>",
      "0: a Mustache tag is left\n1: an English word in a Japanese sentence\n", TRUE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *found = test_text_defects (cases[i].text, cases[i].html, TEST_TEXT_JA);
      g_assert_cmpstr (found, ==, cases[i].found);
    }
  /* An English quote in a Japanese notice is a quote, not a sentence. */
  g_autofree gchar *quote
      = test_text_defects ("（原文）\n  Microsoft rated the flaw Important.\n", FALSE, TEST_TEXT_JA);
  g_assert_cmpstr (quote, ==, "empty");
}

static void
assert_golden (const gchar *text, const gchar *expected_name)
{
  test_assert_golden (text, expected_name, g_str_has_suffix (expected_name, ".html"),
                      strstr (expected_name, ".ja.") != NULL ? TEST_TEXT_JA : TEST_TEXT_EN);
}

static void
test_golden (Fixture *f, gconstpointer data)
{
  const Golden *g = data;
  use_config (f, g->conf);
  g_autoptr (ShrRecord) r = record_from (f, g->mail);
  g_autoptr (JsonNode) view = view_for (f, r, NULL);
  g_autoptr (GError) error = NULL;
  static const struct
  {
    ShrRenderLang lang;
    const gchar *suffix;
  } langs[] = { { SHR_RENDER_LANG_JA, "ja" }, { SHR_RENDER_LANG_EN, "en" } };
  g_autofree gchar *ja_text = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autoptr (ShrRendered) out = shr_renderer_notice (f->renderer, view, langs[i].lang, &error);
      g_assert_no_error (error);
      g_autofree gchar *text_name = g_strdup_printf ("%s.%s.txt", g->name, langs[i].suffix);
      g_autofree gchar *html_name = g_strdup_printf ("%s.%s.html", g->name, langs[i].suffix);
      assert_golden (out->text, text_name);
      assert_golden (out->html, html_name);
      if (langs[i].lang == SHR_RENDER_LANG_JA)
        ja_text = g_strdup (out->text);
    }
  g_autofree gchar *subjects = subject_defects (view);
  g_assert_cmpstr (subjects, ==, "empty");
  /* both = the Japanese card and mail, then the English mail. */
  g_autoptr (ShrRendered) both = shr_renderer_notice (f->renderer, view, SHR_RENDER_LANG_BOTH, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (both->text, ja_text));
  g_assert_nonnull (strstr (both->text, "Notice for administrators (English)"));
  g_autofree gchar *both_defects = test_text_defects (both->text, FALSE, TEST_TEXT_EN);
  g_assert_cmpstr (both_defects, ==, "empty");
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

/* g_assert_cmpstr, with both texts printed as text: Japanese in octal
 * escapes is unreadable. */
#define assert_text(got, want)                                                                               \
  G_STMT_START                                                                                               \
  {                                                                                                          \
    if (g_strcmp0 ((got), (want)) != 0)                                                                      \
      g_printerr ("\n   got: %s\nwanted: %s\n", (got), (want));                                              \
    g_assert_cmpstr ((got), ==, (want));                                                                     \
  }                                                                                                          \
  G_STMT_END

/* The worded key @key (in_short_ja, title_ja …) of @record's notice. */
static gchar *
worded (Fixture *f, const ShrRecord *record, const gchar *key)
{
  g_autoptr (JsonNode) view = view_for (f, record, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_renderer_add_subjects (f->renderer, view, &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (view), key));
}

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
  g_autofree gchar *in_short = worded (f, r, "in_short_ja");
  assert_text (in_short, "「セキュリティに関するお知らせ」について、Example News "
                         "からの情報です。製品・CVE・標的の記載はありません。");
  g_assert_null (strstr (ja->text, "脆弱性"));
  g_assert_null (strstr (ja->text, "CVE-"));
  g_assert_null (strstr (ja->text, "CVSS"));
  g_assert_null (strstr (ja->text, "悪用"));
  g_assert_null (strstr (ja->text, "修正版"));
  g_assert_null (strstr (ja->text, "原文"));
  g_assert_null (strstr (ja->text, "原題"));
  g_assert_nonnull (strstr (ja->text, "上記いずれにも該当しない → 静観でOK"));
  g_assert_nonnull (strstr (ja->text, "件名: 【共有】セキュリティに関するお知らせ\n"));

  /* A campaign whose exploitation is not stated: no 侵入口, no 悪用. */
  g_autoptr (ShrRecord) c = shr_record_new ();
  c->lang = g_strdup ("en");
  c->title = g_strdup ("Group targets energy firms");
  c->category = g_strdup ("campaign");
  g_ptr_array_add (c->threat_actors, g_strdup ("Volt Typhoon"));
  g_ptr_array_add (c->sectors, g_strdup ("energy"));
  g_ptr_array_add (c->sectors, g_strdup ("government"));
  g_ptr_array_add (c->sectors, g_strdup ("telecom"));
  shr_record_add_product (c, "Fortinet", "FortiOS");
  shr_record_finish (c);
  g_autofree gchar *cshort = worded (f, c, "in_short_ja");
  assert_text (cshort,
               "Volt Typhoon "
               "による、エネルギー企業、政府機関・自治体および通信事業者を狙った攻撃活動が報告されています。"
               "関連する製品として Fortinet FortiOS が挙げられています。"
               "同製品を運用している場合は、下記の標準手順で侵害の痕跡がないか確認してください。");
  g_autofree gchar *eshort = worded (f, c, "in_short_en");
  assert_text (
      eshort,
      "Attacks by Volt Typhoon on energy companies, government bodies and telecommunications providers "
      "have been reported. The source names Fortinet FortiOS in connection with the attacks. If you run it, "
      "check for signs of compromise with the standard steps below.");
  g_autofree gchar *title_ja = worded (f, c, "title_ja");
  assert_text (title_ja,
               "Volt Typhoon によるエネルギー企業、政府機関・自治体および通信事業者を狙った攻撃キャンペーン");
  g_autofree gchar *title_en = worded (f, c, "title_en");
  assert_text (
      title_en,
      "Volt Typhoon campaign against energy companies, government bodies and telecommunications providers");
}

/* Kinds of flaw come from data/flaws.tsv; "code execution" inside
 * "remote code execution" is one flaw, not two. CVSS reads with one
 * decimal; several CVEs of different scores are "up to" the highest. */
static void
test_flaws (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  r->lang = g_strdup ("en");
  r->title = g_strdup ("Remote code execution and SQL injection in Example CMS");
  r->summary = g_strdup ("A remote code execution flaw lets attackers run code.");
  r->category = g_strdup ("vulnerability");
  shr_record_add_product (r, NULL, "Example CMS");
  shr_record_add_cve (r, "CVE-2026-1")->cvss = 10;
  shr_record_add_cve (r, "CVE-2026-2");
  shr_record_add_cve (r, "CVE-2026-3");
  shr_record_add_cve (r, "CVE-2026-4");
  r->exploited = SHR_TRISTATE_FALSE;
  shr_record_finish (r);
  g_autofree gchar *in_short = worded (f, r, "in_short_ja");
  assert_text (in_short,
               "Example CMS に、リモートコード実行および SQLインジェクションの複数の脆弱性"
               "（CVE-2026-1、CVE-2026-2、CVE-2026-3 ほか1件、最大 CVSS 10.0）があることが公表されました。"
               "情報源によると、現時点で悪用は確認されていません。"
               "修正版の記載はないため、下記「対応手順」の shirase の標準手順を参考に対応してください。");
  g_autofree gchar *in_short_en = worded (f, r, "in_short_en");
  assert_text (
      in_short_en,
      "Example CMS has several vulnerabilities (CVE-2026-1, CVE-2026-2, CVE-2026-3 and 1 more; CVSS up to "
      "10.0), including remote code execution and SQL injection. According to the source, no exploitation "
      "has been seen so far. No fixed version is given; follow shirase's standard steps under Mitigation "
      "Steps below.");
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  assert_text (ja->subject, "【共有】Example CMS のリモートコード実行の脆弱性（CVE-2026-1 ほか3件）");
  /* A source without a name: its language alone. */
  g_autofree gchar *header = line_after (ja->text, "【");
  assert_text (header, "静観】脆弱性｜2026年3月16日(月)");
  g_autofree gchar *source = line_after (ja->text, "情報源: ");
  assert_text (source, "英語ソース");
  /* One line per score in 影響範囲. */
  g_assert_nonnull (strstr (ja->text, "\n・CVE-2026-1（CVSS 10.0）\n・CVE-2026-2、CVE-2026-3、CVE-2026-4\n"));
}

/* Several CVEs of one score: one line, "いずれも"; the vector says how
 * the flaw is reached; the affected versions in the notice's words. */
static void
test_shared_score_and_versions (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  r->lang = g_strdup ("en");
  r->title = g_strdup ("Example Gateway authentication bypass");
  r->category = g_strdup ("vulnerability");
  ShrProduct *p = shr_record_add_product (r, "Example", "Gateway");
  g_ptr_array_add (p->affected, g_strdup ("Example Gateway 7.4.0 through 7.4.7"));
  g_ptr_array_add (p->affected, g_strdup ("7.2.10 and earlier"));
  g_ptr_array_add (p->fixed, g_strdup ("7.4.8"));
  for (guint i = 0; i < 4; i++)
    {
      g_autofree gchar *id = g_strdup_printf ("CVE-2026-100%u", i);
      ShrCve *c = shr_record_add_cve (r, id);
      c->cvss = 9.8;
      c->vector = g_strdup ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    }
  r->severity = g_strdup ("critical");
  shr_record_finish (r);
  g_autofree gchar *in_short = worded (f, r, "in_short_ja");
  assert_text (in_short, "Example Gateway（7.4.0〜7.4.7、7.2.10 "
                         "以前）に、認証なしにネットワーク経由で悪用できる認証回避の複数の脆弱性"
                         "（CVE-2026-1000、CVE-2026-1001、CVE-2026-1002 ほか1件、CVSS "
                         "9.8、深刻度「緊急」）があることが公表されました。"
                         "修正版（7.4.8）へ更新してください。");
  g_autofree gchar *in_short_en = worded (f, r, "in_short_en");
  assert_text (
      in_short_en,
      "Example Gateway (7.4.0 to 7.4.7, 7.2.10 and earlier) has several vulnerabilities (CVE-2026-1000, "
      "CVE-2026-1001, CVE-2026-1002 and 1 more; CVSS 9.8; severity Critical), including authentication "
      "bypass, which can be exploited over the network without authentication. Update to the fixed version "
      "(7.4.8).");
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_assert_nonnull (
      strstr (ja->html, "CVE-2026-1000、CVE-2026-1001、CVE-2026-1002、CVE-2026-1003（いずれも CVSS 9.8）"));
  g_assert_nonnull (strstr (ja->text, "  影響を受けるバージョン: 7.4.0〜7.4.7、7.2.10 以前\n"));
  g_autoptr (ShrRendered) en = render (f, r, SHR_RENDER_LANG_EN);
  g_assert_nonnull (strstr (en->text, "  Affected: 7.4.0 to 7.4.7, 7.2.10 and earlier\n"));
}

/* Grade B by the stated severity: the reason says 深刻度「重要」, not
 * "critical" or "high" inside a Japanese sentence. */
static void
test_severity_words (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = exchange_record (-1, SHR_TRISTATE_UNKNOWN, TRUE);
  g_free (r->severity);
  r->severity = g_strdup ("high");
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_assert_nonnull (strstr (ja->text, "・B: 該当し、深刻度「重要」\n"));
  g_autofree gchar *defects = test_text_defects (ja->text, FALSE, TEST_TEXT_JA);
  assert_text (defects, "empty");
}

/* The organisation's word for itself replaces 自社 everywhere. */
static void
test_self_word (Fixture *f, gconstpointer data)
{
  use_config (f, "hospital.conf");
  g_autoptr (ShrRecord) r = record_from (f, "mail/fortinet_fg_ir_26_042.eml");
  g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
  g_assert_null (strstr (ja->text, "自社"));
  g_assert_null (strstr (ja->text, "自組織"));
  g_assert_nonnull (strstr (ja->text, "当院で『Fortinet FortiOS』"));
  /* Without the key: 自組織 / our organisation. */
  use_config (f, "org.conf");
  g_autoptr (ShrProfile) plain = shr_profile_new ("X");
  g_autoptr (ShrMatch) m = shr_match_record (plain, &f->vocab, r, f->now);
  g_autoptr (JsonNode) view = shr_notice_view_new (r, m, plain, f->lexicon, f->now);
  JsonObject *org = json_object_get_object_member (json_node_get_object (view), "org");
  g_assert_cmpstr (json_object_get_string_member (org, "self_ja"), ==, "自組織");
  g_assert_cmpstr (json_object_get_string_member (org, "self_en"), ==, "our organisation");
}

/* ---- steps ------------------------------------------------------------------- */

static void
test_steps_from_source (void)
{
  g_autoptr (GPtrArray) in = g_ptr_array_new ();
  g_ptr_array_add (in, "1. Solution:");
  g_ptr_array_add (in, "Solution: Upgrade to 7.4.8 or above");
  g_ptr_array_add (in, "2. Upgrade the routers to a fixed release. 3. Restrict access to the web UI.");
  g_ptr_array_add (in, "- Review the [vendor report](https://example.com/r) and hunt for web shells.");
  g_ptr_array_add (in, "Review the vendor report and hunt for web shells");
  g_ptr_array_add (in, "For more information, see https://example.com/advisory");
  g_ptr_array_add (in, "Workarounds: No workarounds available");
  g_ptr_array_add (in, "Customers should take the following steps:");
  g_ptr_array_add (in, "・対策：最新版へアップデートしてください");
  g_autoptr (GPtrArray) out = shr_steps_from_source (in, 20);
  const gchar *want[] = {
    "Upgrade to 7.4.8 or above.",         "Upgrade the routers to a fixed release.",
    "Restrict access to the web UI.",     "Review the vendor report and hunt for web shells.",
    "最新版へアップデートしてください。", NULL,
  };
  g_ptr_array_add (out, NULL);
  g_autofree gchar *got = g_strjoinv ("\n", (gchar **)out->pdata);
  g_autofree gchar *wanted = g_strjoinv ("\n", (gchar **)want);
  assert_text (got, wanted);
}

/* shirase's standard steps by situation, labelled as its own. */
static void
test_standard_steps (Fixture *f, gconstpointer data)
{
  /* A campaign with an exploited VPN appliance: the VPN steps, then the
   * campaign's. */
  g_autoptr (ShrRecord) c = shr_record_new ();
  c->lang = g_strdup ("en");
  c->category = g_strdup ("campaign");
  c->date = g_strdup ("2026-03-12T09:00:00Z");
  g_ptr_array_add (c->threat_actors, g_strdup ("Volt Typhoon"));
  shr_record_add_product (c, "Ivanti", "Connect Secure");
  c->exploited = SHR_TRISTATE_TRUE;
  shr_record_finish (c);
  g_autoptr (GPtrArray) steps = shr_steps_standard (c, SHR_NOTICE_CAMPAIGN, FALSE);
  g_assert_cmpuint (steps->len, >, 4);
  g_assert_cmpstr (((ShrStep *)steps->pdata[0])->situation, ==, "exploited-vpn");
  g_assert_cmpstr (((ShrStep *)steps->pdata[steps->len - 1])->situation, ==, "campaign");
  g_autoptr (ShrRendered) ja = render (f, c, SHR_RENDER_LANG_JA);
  g_assert_nonnull (strstr (ja->text, "以下は情報源の記載ではなく、shirase の標準手順です。\n1. "));
  g_assert_nonnull (strstr (ja->text, "公表日（2026年3月12日）より前にさかのぼって"));
  g_autoptr (ShrRendered) en = render (f, c, SHR_RENDER_LANG_EN);
  g_assert_nonnull (strstr (en->text, "The following are shirase's standard steps, not the source's:\n1. "));

  /* A vulnerability whose source gives its own steps: only those. */
  g_autoptr (ShrRecord) v = shr_record_new ();
  v->category = g_strdup ("vulnerability");
  shr_record_add_product (v, "Example", "Server");
  v->exploited = SHR_TRISTATE_TRUE;
  g_autoptr (GPtrArray) none = shr_steps_standard (v, SHR_NOTICE_VULNERABILITY, TRUE);
  g_assert_cmpuint (none->len, ==, 0);
  /* … and without any, exploited: the general steps; not exploited and no
   * fix: the no-fix steps. */
  g_autoptr (GPtrArray) exploited = shr_steps_standard (v, SHR_NOTICE_VULNERABILITY, FALSE);
  g_assert_cmpstr (((ShrStep *)exploited->pdata[0])->situation, ==, "exploited");
  v->exploited = SHR_TRISTATE_UNKNOWN;
  g_autoptr (GPtrArray) nofix = shr_steps_standard (v, SHR_NOTICE_VULNERABILITY, FALSE);
  g_assert_cmpstr (((ShrStep *)nofix->pdata[0])->situation, ==, "no-fix");
}

/* ---- the checklist agrees with the verdict ---------------------------------------- */

/* A ✓ row is a criterion met (DESIGN.md: the checklist lists sufficient
 * criteria only), so a notice that shows one never says 静観. */
static void
test_checklist_agrees (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      use_config (f, goldens[i].conf);
      g_autoptr (ShrRecord) r = record_from (f, goldens[i].mail);
      g_autoptr (ShrRendered) ja = render (f, r, SHR_RENDER_LANG_JA);
      gboolean ticked = strstr (ja->text, "\n✓ ") != NULL;
      gboolean quiet = strstr (ja->text, "\n判定: 静観\n") != NULL;
      if (ticked && quiet)
        g_test_message ("%s: a ✓ row and 判定: 静観", goldens[i].name);
      g_assert_false (ticked && quiet);
    }
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
  g_assert_cmpstr (d->subject, ==,
                   "[承認依頼 #K7Q2M9F3XA] 【要対応・A 即日】Silk Typhoon "
                   "による北米のエネルギー企業を狙った攻撃キャンペーン"
                   "（CVE-2026-21410、悪用確認済み）");
  g_assert_nonnull (strstr (d->text, "\n・承認: 下記のとおり送信します。\n"));
  g_assert_nonnull (
      strstr (d->text, "\n- reject, followed by the reason on the same line: it is not sent.\n"));
  g_assert_nonnull (strstr (d->text, "\n・保留: 承認待ちのままにします。\n"));
  g_assert_nonnull (strstr (d->text, "下書き / Draft: draft-1\n"));
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
  g_assert_nonnull (strstr (d->text,
                            "\n1. Microsoft SharePoint Server の脆弱性（CVE-2026-30001、悪用確認済み）\n"
                            "   原題: Exchange Server security update\n"));
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
      JsonNode *item = shr_notice_digest_item_new (r, m, f->config->profile, f->now);
      /* What ingest stores, written without the tree, is the tree's text. */
      g_autofree gchar *tree_text = json_to_string (item, FALSE);
      g_autofree gchar *text = shr_notice_digest_item_to_string (r, m, f->config->profile, f->now);
      g_assert_cmpstr (text, ==, tree_text);
      json_array_add_element (compact, item);
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
  g_assert_nonnull (strstr (db->text,
                            "\n1. Debian libxml2 の任意のコード実行の脆弱性（CVE-2026-21110 ほか2件）\n"
                            "   原題: DSA-5901-1 libxml2 security update\n"));
}

/* The approvers' digest of not-applicable advisories: each listed by
 * its Japanese title with the source's as 原題, and why it does not
 * concern us. */
static void
test_digest_golden (Fixture *f, gconstpointer data)
{
  static const gchar *const mails[] = {
    "mail/news_en_veeam_not_exploited.eml",
    "mail/jvn_12345678.eml",
    "render/mail/newsletter_en_weekly_roundup.eml",
  };
  g_autoptr (JsonArray) items = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (mails); i++)
    {
      g_autoptr (ShrRecord) r = record_from (f, mails[i]);
      g_autoptr (ShrMatch) m = shr_match_record (f->config->profile, &f->vocab, r, f->now);
      g_assert_cmpint (m->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
      json_array_add_element (items, shr_notice_digest_item_new (r, m, f->config->profile, f->now));
    }
  g_autoptr (JsonNode) view = shr_notice_digest_view_new (f->config->profile, items, f->now);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRendered) d = shr_renderer_digest (f->renderer, view, &error);
  g_assert_no_error (error);
  test_assert_golden (d->text, "digest.txt", FALSE, TEST_TEXT_BILINGUAL);
}

/* A 続報: a KEV listing (the later source) raises the case of a Cisco
 * advisory from C to A;
 * the update names the first notice and how the priority rose, in both
 * languages, and its Subjects begin with 【続報】 / [Update]. */
static void
test_update_golden (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) first = record_from (f, "update/cisco-snmp-first.eml");
  g_autoptr (ShrRecord) later = record_from (f, "update/cisa-kev-later.eml");
  /* The day the KEV listing arrives. */
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 ("2026-11-25T10:00:00+09:00", NULL);
  g_autoptr (JsonNode) first_view = view_for (f, first, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_renderer_add_subjects (f->renderer, first_view, &error));
  JsonObject *fo = json_node_get_object (first_view);
  g_autoptr (JsonNode) view = view_for (f, later, NULL);
  JsonObject *earlier = json_object_new ();
  json_object_set_string_member (earlier, "subject_ja", json_object_get_string_member (fo, "subject_ja"));
  json_object_set_string_member (earlier, "subject_en", json_object_get_string_member (fo, "subject_en"));
  json_object_set_member (earlier, "grade", json_node_copy (json_object_get_member (fo, "grade")));
  JsonObject *update = json_object_new ();
  json_object_set_object_member (update, "earlier", earlier);
  json_object_set_object_member (json_node_get_object (view), "update", update);
  g_autoptr (ShrRendered) ja = shr_renderer_notice (f->renderer, view, SHR_RENDER_LANG_JA, &error);
  g_assert_no_error (error);
  g_autoptr (ShrRendered) en = shr_renderer_notice (f->renderer, view, SHR_RENDER_LANG_EN, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ja->subject, "【続報】【要対応・A 即日】"));
  g_assert_true (g_str_has_prefix (en->subject, "[Update] [Action Required / Priority A, same day]"));
  assert_golden (ja->text, "update_cisco_snmp.ja.txt");
  assert_golden (ja->html, "update_cisco_snmp.ja.html");
  assert_golden (en->text, "update_cisco_snmp.en.txt");
  assert_golden (en->html, "update_cisco_snmp.en.html");
}

/* ---- spaces and line width ---------------------------------------------------------- */

static void
test_tidy_spaces (void)
{
  const struct
  {
    const gchar *in, *out;
  } cases[] = {
    { "三菱電機 GOT2000 シリーズ の脆弱性", "三菱電機 GOT2000 シリーズの脆弱性" },
    { "Fortinet FortiOS の脆弱性（ CVE-2026-1 ）", "Fortinet FortiOS の脆弱性（CVE-2026-1）" },
    { "件名: 【要対応】", "件名: 【要対応】" },
    { "米国 および 英国の通信事業者", "米国および英国の通信事業者" },
    { "社会医療法人さくら会 さくら総合病院", "社会医療法人さくら会 さくら総合病院" },
    { "A  B", "A  B" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *s = shr_render_tidy_spaces (cases[i].in);
      g_assert_cmpstr (s, ==, cases[i].out);
    }
}

static void
test_wrap (void)
{
  const struct
  {
    const gchar *in, *out;
  } cases[] = {
    /* Japanese breaks between characters, never before 、 or inside a date. */
    { "1. 公表日（2026年3月11日）より前にさかのぼって、VPN "
      "の接続ログと管理画面へのログインを確認してください。",
      "1. 公表日（2026年3月11日）より前にさかのぼって、VPN の接続ログと管理画面への\n   "
      "ログインを確認してください。" },
    { "【A 即日】攻撃キャンペーン｜Threat Brief Daily（英語ソース）｜2026年3月16日(月)",
      "【A 即日】攻撃キャンペーン｜Threat Brief Daily（英語ソース）｜\n2026年3月16日(月)" },
    /* English at spaces, under the list marker. */
    { "- Update Microsoft Exchange Server to the fixed version (2019 CU15 SU3, Subscription Edition RTM "
      "SU2).",
      "- Update Microsoft Exchange Server to the fixed version (2019 CU15 SU3,\n  Subscription Edition RTM "
      "SU2)." },
    /* A URL stays whole. */
    { "・https://www.cisa.gov/news-events/alerts/2026/03/10/"
      "cisa-adds-two-known-exploited-vulnerabilities-catalog",
      "・https://www.cisa.gov/news-events/alerts/2026/03/10/"
      "cisa-adds-two-known-exploited-vulnerabilities-catalog" },
    { "short line\n\nanother", "short line\n\nanother" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *s = shr_render_wrap (cases[i].in, SHR_RENDER_TEXT_WIDTH);
      g_assert_cmpstr (s, ==, cases[i].out);
    }
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
      g_autofree gchar *s = shr_text_one_line (cases[i].in);
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
  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/render/golden/%s", goldens[i].name);
      g_test_add (path, Fixture, &goldens[i], fixture_setup, test_golden, fixture_teardown);
    }
  g_test_add ("/render/golden/digest", Fixture, NULL, fixture_setup, test_digest_golden, fixture_teardown);
  g_test_add ("/render/golden/update", Fixture, NULL, fixture_setup, test_update_golden, fixture_teardown);
  g_test_add_func ("/render/defects-caught", test_defects_caught);
  g_test_add ("/render/consistency/fixtures", Fixture, NULL, fixture_setup, test_consistency_fixtures,
              fixture_teardown);
  g_test_add ("/render/consistency/grades", Fixture, NULL, fixture_setup, test_consistency_grades,
              fixture_teardown);
  g_test_add ("/render/consistency/checklist", Fixture, NULL, fixture_setup, test_checklist_agrees,
              fixture_teardown);
  g_test_add ("/render/nothing-invented", Fixture, NULL, fixture_setup, test_nothing_invented,
              fixture_teardown);
  g_test_add ("/render/flaws", Fixture, NULL, fixture_setup, test_flaws, fixture_teardown);
  g_test_add ("/render/shared-score-and-versions", Fixture, NULL, fixture_setup,
              test_shared_score_and_versions, fixture_teardown);
  g_test_add ("/render/self-word", Fixture, NULL, fixture_setup, test_self_word, fixture_teardown);
  g_test_add ("/render/severity-words", Fixture, NULL, fixture_setup, test_severity_words, fixture_teardown);
  g_test_add_func ("/render/steps/from-source", test_steps_from_source);
  g_test_add ("/render/steps/standard", Fixture, NULL, fixture_setup, test_standard_steps, fixture_teardown);
  g_test_add ("/render/html/escaped", Fixture, NULL, fixture_setup, test_html_escaped, fixture_teardown);
  g_test_add ("/render/draft", Fixture, NULL, fixture_setup, test_draft, fixture_teardown);
  g_test_add ("/render/digest", Fixture, NULL, fixture_setup, test_digest, fixture_teardown);
  g_test_add ("/render/digest/item", Fixture, NULL, fixture_setup, test_digest_item, fixture_teardown);
  g_test_add ("/render/templates-dir", Fixture, NULL, fixture_setup, test_templates_dir, fixture_teardown);
  g_test_add_func ("/render/dates", test_dates);
  g_test_add_func ("/render/one-line", test_one_line);
  g_test_add_func ("/render/tidy-spaces", test_tidy_spaces);
  g_test_add_func ("/render/wrap", test_wrap);
  return g_test_run ();
}
