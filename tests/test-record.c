/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the record: CVE set handling, severity words, JSON contract. */
#include <string.h>

#include "shr-limits.h"
#include "shr-record.h"

static void
test_cves_sorted_unique (void)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  shr_record_add_cve (r, "CVE-2024-3400");
  shr_record_add_cve (r, "CVE-2023-46805");
  shr_record_add_cve (r, "CVE-2024-3400");
  ShrCve *c = shr_record_find_cve (r, "CVE-2024-3400");
  c->cvss = 10.0;
  shr_record_finish (r);
  g_assert_cmpuint (r->cves->len, ==, 2);
  g_assert_cmpstr (((ShrCve *)r->cves->pdata[0])->id, ==, "CVE-2023-46805");
  g_assert_cmpfloat (r->cvss_max, ==, 10.0);
  g_assert_cmpstr (c->severity, ==, "critical");
}

static void
test_cve_cap (void)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  for (int i = 0; i < SHR_MAX_CVES + 10; i++)
    {
      g_autofree gchar *id = g_strdup_printf ("CVE-2024-%05d", i);
      shr_record_add_cve (r, id);
    }
  g_assert_cmpuint (r->cves->len, ==, SHR_MAX_CVES);
  g_assert_cmpuint (r->warnings->len, ==, 1);
}

static void
test_severity_words (void)
{
  g_assert_cmpstr (shr_severity_normalize ("緊急"), ==, "critical");
  g_assert_cmpstr (shr_severity_normalize ("重要"), ==, "high");
  g_assert_cmpstr (shr_severity_normalize ("Important"), ==, "high");
  g_assert_cmpstr (shr_severity_normalize ("警告"), ==, "medium");
  g_assert_cmpstr (shr_severity_normalize ("Moderate"), ==, "medium");
  g_assert_cmpstr (shr_severity_normalize ("注意"), ==, "low");
  g_assert_cmpstr (shr_severity_normalize ("LOW"), ==, "low");
  g_assert_null (shr_severity_normalize ("banana"));
}

static void
test_json_contract (void)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  r->source_kind = g_strdup ("dsa");
  r->advisory_id = g_strdup ("DSA-5647-1");
  r->title = g_strdup ("DSA-5647-1 samba security update");
  r->exploited = SHR_TRISTATE_UNKNOWN;
  shr_record_finish (r);
  g_autofree gchar *json = shr_record_to_json_string (r, FALSE);
  g_assert_nonnull (strstr (json, "\"id\":\"dsa:DSA-5647-1\""));
  g_assert_nonnull (strstr (json, "\"exploited\":{\"value\":null,\"evidence\":null}"));
  g_assert_nonnull (strstr (json, "\"cvss_max\":null"));
  g_assert_nonnull (strstr (json, "\"forwarded_by\":null"));
}

/* What json-glib's generator prints for the record's tree. */
static gchar *
generator_text (const ShrRecord *r, gboolean pretty)
{
  g_autoptr (JsonNode) node = shr_record_to_json (r);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, pretty);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* The record's text is written directly, not through json-glib's tree:
 * it must be what json-glib's generator prints for that tree, on one line
 * and indented, with every character json-glib escapes (and 0x1f, which
 * it does not), empty arrays and objects, numbers and integers. */
static void
test_json_text_as_generator (void)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  r->source_kind = g_strdup ("psirt");
  r->advisory_id = g_strdup ("SA-1");
  r->title = g_strdup ("\"Quoted\" \\ tab\there\r\n\b\f\x01\x1e\x1f\x7f 脆弱性 ©");
  r->exploited = SHR_TRISTATE_TRUE;
  shr_record_add_cve (r, "CVE-2024-0001");
  shr_record_add_cve (r, "CVE-2024-0002");
  ((ShrCve *)r->cves->pdata[0])->cvss = 7.5;
  ((ShrCve *)r->cves->pdata[1])->cvss = 10;
  ShrProduct *p = shr_record_add_product (r, "Example", "Router");
  shr_product_add_range (p, "1.x", NULL, "1.2.2", "1.2.3", FALSE, "1.2.3 で修正");
  shr_product_add_range (p, "2.x", NULL, NULL, NULL, TRUE, NULL);
  g_ptr_array_add (p->fixed, g_strdup ("1.2.3"));
  r->items = 2;
  r->item = 1;
  shr_record_finish (r);
  for (guint pretty = 0; pretty < 2; pretty++)
    {
      g_autofree gchar *expected = generator_text (r, pretty);
      g_autofree gchar *text = shr_record_to_json_string (r, pretty);
      g_assert_cmpstr (text, ==, expected);
    }
  /* Without evidence, the empty object as json-glib indents it. */
  g_hash_table_remove_all (r->evidence);
  g_autofree gchar *expected = generator_text (r, TRUE);
  g_autofree gchar *text = shr_record_to_json_string (r, TRUE);
  g_assert_cmpstr (text, ==, expected);
  g_assert_nonnull (strstr (text, "\"evidence\" : {  }"));
}

static void
test_evidence_cut_at_character (void)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (GString) s = g_string_new (NULL);
  for (int i = 0; i < 300; i++)
    g_string_append (s, "脆");
  shr_record_set_evidence (r, "title", s->str);
  const gchar *e = g_hash_table_lookup (r->evidence, "title");
  g_assert_true (g_utf8_validate (e, -1, NULL));
  g_assert_cmpuint (strlen (e), <=, SHR_MAX_EVIDENCE_BYTES + 3);
}

/* The name a notice gives a product, in each language. */
static void
test_display_name (void)
{
  static const struct
  {
    const gchar *vendor, *product, *ja, *en;
  } cases[] = {
    { "Microsoft", "Exchange Server", "Microsoft Exchange Server", "Microsoft Exchange Server" },
    { "Apache", "Apache Tomcat", "Apache Tomcat", "Apache Tomcat" },
    { NULL, "OpenSSL", "OpenSSL", "OpenSSL" },
    /* A vendor written only in Japanese is no help to an English reader. */
    { "サンプルネットワークス株式会社", "Sample Router シリーズ",
      "サンプルネットワークス株式会社 Sample Router シリーズ", "Sample Router series" },
    { "三菱電機株式会社", "GT27 モデル", "三菱電機株式会社 GT27 モデル", "GT27 model" },
    { "三菱電機株式会社", "GOT2000シリーズ", "三菱電機株式会社 GOT2000シリーズ", "GOT2000 series" },
    /* A product named only in Japanese keeps its vendor and its name. */
    { "名古屋港運協会", "統一ターミナルシステム", "名古屋港運協会 統一ターミナルシステム",
      "名古屋港運協会 統一ターミナルシステム" },
    { "Cisco", "シリーズ", "Cisco シリーズ", "Cisco series" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *ja = shr_product_display_name (cases[i].vendor, cases[i].product, FALSE);
      g_autofree gchar *en = shr_product_display_name (cases[i].vendor, cases[i].product, TRUE);
      g_assert_cmpstr (ja, ==, cases[i].ja);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/record/cves/sorted-unique", test_cves_sorted_unique);
  g_test_add_func ("/record/cves/cap", test_cve_cap);
  g_test_add_func ("/record/severity/words", test_severity_words);
  g_test_add_func ("/record/json/contract", test_json_contract);
  g_test_add_func ("/record/json/text-as-generator", test_json_text_as_generator);
  g_test_add_func ("/record/evidence/utf8-cut", test_evidence_cut_at_character);
  g_test_add_func ("/record/display-name", test_display_name);
  return g_test_run ();
}
