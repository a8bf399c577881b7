/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of matching: each verdict, each row of the priority table,
 * deadlines in the organisation's time zone, owners routing, product names
 * (aliases, width, vendors, packages) and the reference scenario. */
#include <string.h>

#include "shr-match.h"
#include "shr-vocab.h"
#include "test-util.h"

typedef struct
{
  ShrWordTables *tables;
  ShrVocabulary vocab;
  ShrProfile *profile;
  GDateTime *now;
} Fixture;

static ShrAsset *
add_asset (ShrProfile *p, const gchar *name, const gchar *vendor, const gchar *product, const gchar *version,
           const gchar *owner)
{
  ShrAsset *a = shr_asset_new (name, product);
  a->vendor = g_strdup (vendor);
  a->version = g_strdup (version);
  if (owner != NULL)
    g_ptr_array_add (a->owners, g_strdup (owner));
  shr_profile_add_asset (p, a);
  return a;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->tables = test_word_tables ();
  f->vocab = shr_word_tables_vocabulary (f->tables);
  f->profile = shr_profile_new ("株式会社サンプル");
  g_ptr_array_add (f->profile->sectors, g_strdup ("energy"));
  g_ptr_array_add (f->profile->regions, g_strdup ("JP"));
  add_asset (f->profile, "exchange", "Microsoft", "Exchange Server", "15.2.1544.4", "infra@example.co.jp");
  add_asset (f->profile, "web", "Apache", "HTTP Server", "2.4.58", "web@example.co.jp");
  add_asset (f->profile, "fw", "Palo Alto Networks", "PAN-OS", NULL, "net@example.co.jp");
  shr_profile_build_index (f->profile, &f->vocab);
  g_autoptr (GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  f->now = g_date_time_new (tokyo, 2026, 5, 14, 10, 0, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_date_time_unref (f->now);
  shr_profile_free (f->profile);
  shr_word_tables_free (f->tables);
}

/* A product of a vulnerability advisory (which names its CVE). */
static ShrProduct *
add_product (ShrRecord *r, const gchar *vendor, const gchar *product)
{
  shr_record_add_cve (r, "CVE-2026-1000");
  return shr_record_add_product (r, vendor, product);
}

static ShrMatch *
run (Fixture *f, ShrRecord *r)
{
  return shr_match_record (f->profile, &f->vocab, r, f->now);
}

static const ShrCriterion *
row (const ShrMatch *m, guint i)
{
  g_assert_cmpuint (i, <, m->checklist->len);
  return m->checklist->pdata[i];
}

/* ---- verdicts ---------------------------------------------------------- */

static void
test_applicable_affected (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *p = add_product (r, "Apache", "HTTP Server");
  g_ptr_array_add (p->affected, g_strdup ("prior to 2.4.59"));
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpuint (m->checklist->len, ==, 1);
  /* The row says the versions in its own language. */
  g_assert_cmpstr (row (m, 0)->text_ja, ==,
                   "自組織で『Apache HTTP Server』の影響を受けるバージョン（2.4.59 より前）を運用している");
  g_assert_cmpstr (row (m, 0)->text_en, ==,
                   "We run an affected version of Apache HTTP Server (before 2.4.59)");
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_TRUE);
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "web");
  g_assert_true (g_str_has_prefix (m->reasons_en->pdata[0], "web: Apache HTTP Server 2.4.58 is affected ("));
  g_assert_nonnull (strstr (m->reasons_en->pdata[0], "2.4.59"));
  g_assert_true (
      g_str_has_prefix (m->reasons_ja->pdata[0], "web: 『Apache HTTP Server 2.4.58』は影響を受ける（"));
}

static void
test_applicable_no_version (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Microsoft", "Exchange Server");
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpstr (row (m, 0)->text_ja, ==, "自組織で『Microsoft Exchange Server』を運用している");
  g_assert_cmpstr (row (m, 0)->text_en, ==, "We run Microsoft Exchange Server");
}

/* A product named with no flaw and no version (a round-up, a mention):
 * which of its versions is concerned is not said, so it is checked, never
 * passed over. */
static void
test_check_named_only (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Microsoft", "Exchange Server");
  g_ptr_array_set_size (r->cves, 0);
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_CHECK);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_UNKNOWN);
  g_assert_nonnull (strstr (m->reasons_en->pdata[0], "no vulnerability or version"));
}

/* A feature of the asset's product: where the advisory says the flaw is
 * in it, the asset is affected only if it uses the feature (check); a
 * feature the text names beside the product as context changes nothing. */
static void
test_feature_locus (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const gchar *summary;
    ShrVerdict verdict;
  } cases[] = {
    { "A command injection vulnerability in the GlobalProtect feature of PAN-OS allows code execution.",
      SHR_VERDICT_CHECK },
    { "A flaw impacting PAN-OS software used in GlobalProtect gateways is exploited.", SHR_VERDICT_CHECK },
    { "A PAN-OS flaw allows code execution. Customers who use GlobalProtect for remote access should also "
      "rotate their credentials.",
      SHR_VERDICT_APPLICABLE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrRecord) r = shr_record_new ();
      r->title = g_strdup ("Critical PAN-OS flaw under attack");
      r->summary = g_strdup (cases[i].summary);
      add_product (r, "Palo Alto Networks", "PAN-OS");
      add_product (r, "Palo Alto Networks", "GlobalProtect");
      g_autoptr (ShrMatch) m = run (f, r);
      if (m->verdict != cases[i].verdict)
        g_error ("%s: verdict %d, expected %d", cases[i].summary, m->verdict, cases[i].verdict);
    }
}

static void
test_check_unknown_version (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *p = add_product (r, "Palo Alto Networks", "PAN-OS");
  g_ptr_array_add (p->fixed, g_strdup ("10.2.9-h1"));
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_CHECK);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "fw");
  g_assert_true (g_str_has_prefix (m->reasons_en->pdata[0], "fw: check Palo Alto Networks PAN-OS ("));
  g_assert_nonnull (strstr (m->reasons_en->pdata[0], "not recorded"));
  g_assert_nonnull (strstr (m->reasons_en->pdata[0], "10.2.9-h1"));
}

static void
test_check_uncomparable (Fixture *f, gconstpointer data)
{
  ShrAsset *a = f->profile->assets->pdata[1];
  g_free (a->version);
  a->version = g_strdup ("vendor-build");
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *p = add_product (r, "Apache", "HTTP Server");
  g_ptr_array_add (p->affected, g_strdup ("2.4.0 through 2.4.58"));
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_CHECK);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_UNKNOWN);
}

/* Exchange advisories name their fixes by release ("2019 CU15 SU3");
 * data/builds.tsv places the asset's build against them. */
static void
test_release_names (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *p = add_product (r, "Microsoft", "Exchange Server");
  g_ptr_array_add (p->fixed, g_strdup ("2019 CU15 SU3"));
  g_ptr_array_add (p->fixed, g_strdup ("Subscription Edition RTM SU2"));
  /* 15.2.1544.4 is CU14: a release the advisory does not fix. */
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_TRUE);

  /* A build with some update on CU15: which one cannot be told. */
  ShrAsset *a = f->profile->assets->pdata[0];
  g_free (a->version);
  a->version = g_strdup ("15.2.1748.30");
  g_autoptr (ShrMatch) later = run (f, r);
  g_assert_cmpint (later->verdict, ==, SHR_VERDICT_CHECK);
  g_assert_cmpint (row (later, 0)->matched, ==, SHR_TRISTATE_UNKNOWN);
}

/* "Palo Alto Networks devices": which of the vendor's products is meant
 * is not said, so each of its assets is checked, and no other. */
static void
test_check_vendor_equipment (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Palo Alto Networks", "devices");
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_CHECK);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpuint (row (m, 0)->assets->len, ==, 1);
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "fw");
  g_assert_nonnull (strstr (m->reasons_en->pdata[0], "names Palo Alto Networks devices, not which product"));

  g_autoptr (ShrRecord) other = shr_record_new ();
  add_product (other, "Juniper Networks", "devices");
  g_autoptr (ShrMatch) m2 = run (f, other);
  g_assert_cmpint (m2->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
}

static void
test_check_targeted (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Ivanti", "Connect Secure");
  shr_strv_add_unique (r->sectors, "energy");
  shr_strv_add_unique (r->regions, "JP");
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_CHECK);
  /* One row for the product, one for the target: sector and region
   * together, since a sector named for one region is not named for all. */
  g_assert_cmpuint (m->checklist->len, ==, 2);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_FALSE);
  g_assert_cmpstr (row (m, 1)->text_ja, ==,
                   "自組織が『エネルギー・石油・ガス』に該当し、『日本』で事業を行っている");
  g_assert_cmpstr (row (m, 1)->text_en, ==, "We are in energy, oil and gas and operate in Japan");
  g_assert_cmpint (row (m, 1)->matched, ==, SHR_TRISTATE_TRUE);
  g_assert_cmpuint (m->owners->len, ==, 0);
}

static void
test_targets_all_kinds_needed (Fixture *f, gconstpointer data)
{
  /* Banks in Japan: our region, not our sector. */
  g_autoptr (ShrRecord) r = shr_record_new ();
  shr_strv_add_unique (r->sectors, "finance");
  shr_strv_add_unique (r->regions, "JP");
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpuint (m->checklist->len, ==, 1);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_FALSE);

  /* Attacks seen in Japan, no sector: a region alone raises nothing, and
   * is shown as context, not as a criterion. */
  g_autoptr (ShrRecord) r3 = shr_record_new ();
  shr_strv_add_unique (r3->regions, "JP");
  g_autoptr (ShrMatch) m3 = run (f, r3);
  g_assert_cmpint (m3->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpuint (m3->checklist->len, ==, 0);
  g_assert_cmpuint (m3->context->len, ==, 1);

  /* Energy firms, anywhere: targeted. */
  g_autoptr (ShrRecord) r2 = shr_record_new ();
  shr_strv_add_unique (r2->sectors, "energy");
  g_autoptr (ShrMatch) m2 = run (f, r2);
  g_assert_cmpint (m2->verdict, ==, SHR_VERDICT_CHECK);
}

/* A sector or a region named broadly concerns those within it: critical
 * infrastructure in East Asia takes in an energy company in Japan; the
 * reverse (the advisory narrower than the profile) does not hold. */
static void
test_targets_broader (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  shr_strv_add_unique (r->sectors, "critical-infrastructure");
  shr_strv_add_unique (r->regions, "EAST-ASIA");
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_CHECK);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_TRUE);

  g_autoptr (ShrRecord) elsewhere = shr_record_new ();
  shr_strv_add_unique (elsewhere->sectors, "critical-infrastructure");
  shr_strv_add_unique (elsewhere->regions, "EU");
  g_autoptr (ShrMatch) m2 = run (f, elsewhere);
  g_assert_cmpint (m2->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);

  g_autoptr (ShrRecord) narrower = shr_record_new ();
  shr_strv_add_unique (narrower->sectors, "manufacturing");
  g_autoptr (ShrMatch) m3 = run (f, narrower);
  g_assert_cmpint (m3->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
}

static void
test_not_applicable_patched (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *p = add_product (r, "Apache", "HTTP Server");
  g_ptr_array_add (p->affected, g_strdup ("2.4.55 以前"));
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpint (m->grade, ==, SHR_GRADE_NONE);
  g_assert_null (m->deadline);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_FALSE);
  /* The asset was considered: shown, but not concerned. */
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "web");
  g_assert_cmpuint (m->owners->len, ==, 0);
  g_assert_true (
      g_str_has_prefix (m->reasons_ja->pdata[0], "web: 『Apache HTTP Server 2.4.58』は影響を受けない（"));
  g_assert_nonnull (strstr (m->reasons_ja->pdata[0], "2.4.55 以前"));
}

static void
test_not_applicable_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpuint (m->checklist->len, ==, 0);
  g_assert_cmpstr (m->reasons_en->pdata[0], ==, "The advisory names no product and no targeted sector");
}

/* ---- priority table ---------------------------------------------------- */

typedef struct
{
  const gchar *name;
  gboolean applicable; /* else: check (unknown version) */
  ShrTristate exploited;
  gboolean kev;
  gdouble cvss;
  const gchar *severity;
  ShrGrade grade;
  const gchar *deadline;
} GradeRow;

static void
test_priority_table (Fixture *f, gconstpointer data)
{
  static const GradeRow rows[] = {
    { "A: exploited", TRUE, SHR_TRISTATE_TRUE, FALSE, -1, NULL, SHR_GRADE_A, "2026-05-14" },
    { "A: KEV", TRUE, SHR_TRISTATE_UNKNOWN, TRUE, -1, NULL, SHR_GRADE_A, "2026-05-14" },
    { "A: CVSS 9.8", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, 9.8, NULL, SHR_GRADE_A, "2026-05-14" },
    { "A: CVSS 9.0", TRUE, SHR_TRISTATE_FALSE, FALSE, 9.0, NULL, SHR_GRADE_A, "2026-05-14" },
    { "B: CVSS 7.5", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, 7.5, NULL, SHR_GRADE_B, "2026-05-21" },
    { "B: CVSS 7.0", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, 7.0, NULL, SHR_GRADE_B, "2026-05-21" },
    { "B: stated high", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, -1, "high", SHR_GRADE_B, "2026-05-21" },
    /* A severity word counts where no score is given: critical as 9.0. */
    { "A: stated critical", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, -1, "critical", SHR_GRADE_A, "2026-05-14" },
    { "C: stated high, but CVSS 6.5", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, 6.5, "high", SHR_GRADE_C,
      "2026-06-13" },
    { "B: check + exploited", FALSE, SHR_TRISTATE_TRUE, FALSE, 9.8, NULL, SHR_GRADE_B, "2026-05-21" },
    { "B: check + KEV", FALSE, SHR_TRISTATE_UNKNOWN, TRUE, -1, NULL, SHR_GRADE_B, "2026-05-21" },
    { "C: applicable, medium", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, 5.3, "medium", SHR_GRADE_C, "2026-06-13" },
    { "C: applicable, nothing stated", TRUE, SHR_TRISTATE_UNKNOWN, FALSE, -1, NULL, SHR_GRADE_C,
      "2026-06-13" },
    { "C: check, CVSS 9.8", FALSE, SHR_TRISTATE_UNKNOWN, FALSE, 9.8, "critical", SHR_GRADE_C, "2026-06-13" },
    { NULL, FALSE, 0, FALSE, 0, NULL, 0, NULL },
  };
  for (gsize i = 0; rows[i].name != NULL; i++)
    {
      g_test_message ("%s", rows[i].name);
      g_autoptr (ShrRecord) r = shr_record_new ();
      /* Exchange (version known, no version in the advisory) is
       * applicable; PAN-OS with a fixed version and no asset version is
       * "check". */
      if (rows[i].applicable)
        add_product (r, "Microsoft", "Exchange Server");
      else
        g_ptr_array_add (add_product (r, "Palo Alto Networks", "PAN-OS")->fixed, g_strdup ("11.1.2-h3"));
      r->exploited = rows[i].exploited;
      r->kev = rows[i].kev;
      r->cvss_max = rows[i].cvss;
      r->severity = g_strdup (rows[i].severity);
      g_autoptr (ShrMatch) m = run (f, r);
      g_assert_cmpint (m->verdict, ==, rows[i].applicable ? SHR_VERDICT_APPLICABLE : SHR_VERDICT_CHECK);
      g_assert_cmpint (m->grade, ==, rows[i].grade);
      g_assert_cmpstr (m->deadline, ==, rows[i].deadline);
    }
}

static void
test_priority_none (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Fortinet", "FortiOS");
  r->exploited = SHR_TRISTATE_TRUE;
  r->kev = TRUE;
  r->cvss_max = 9.8;
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpint (m->grade, ==, SHR_GRADE_NONE);
  g_assert_null (m->deadline);
  g_assert_cmpstr (shr_grade_priority_ja (m->grade), ==, "静観");
  g_assert_cmpstr (shr_grade_priority_en (m->grade), ==, "No action");
}

static void
test_policy_thresholds (Fixture *f, gconstpointer data)
{
  f->profile->policy.grade_a_cvss = 9.5;
  f->profile->policy.grade_b_cvss = 8.0;
  f->profile->policy.deadline_days[1] = 3;
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Microsoft", "Exchange Server");
  r->cvss_max = 9.4;
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->grade, ==, SHR_GRADE_B);
  g_assert_cmpstr (m->deadline, ==, "2026-05-17");
  r->cvss_max = 7.9;
  g_autoptr (ShrMatch) m2 = run (f, r);
  g_assert_cmpint (m2->grade, ==, SHR_GRADE_C);
}

/* ---- deadlines --------------------------------------------------------- */

static void
test_deadline_timezone (Fixture *f, gconstpointer data)
{
  /* 20:00 UTC on the 13th is already the 14th in Tokyo. */
  g_autoptr (GDateTime) utc = g_date_time_new_utc (2026, 5, 13, 20, 0, 0);
  g_autoptr (ShrRecord) r = shr_record_new ();
  add_product (r, "Microsoft", "Exchange Server");
  r->exploited = SHR_TRISTATE_TRUE;
  g_autoptr (ShrMatch) m = shr_match_record (f->profile, &f->vocab, r, utc);
  g_assert_cmpstr (m->deadline, ==, "2026-05-14");
  g_assert_cmpstr (shr_grade_deadline_ja (m->grade), ==, "即日");
  g_assert_cmpstr (shr_grade_deadline_en (m->grade), ==, "same day");

  /* The same instant in New York is still the 13th. */
  g_assert_true (shr_profile_set_timezone (f->profile, "America/New_York"));
  g_autoptr (ShrMatch) m2 = shr_match_record (f->profile, &f->vocab, r, utc);
  g_assert_cmpstr (m2->deadline, ==, "2026-05-13");

  /* Month and year ends. */
  g_assert_true (shr_profile_set_timezone (f->profile, "Asia/Tokyo"));
  g_autoptr (GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr (GDateTime) dec = g_date_time_new (tokyo, 2026, 12, 28, 9, 0, 0);
  r->exploited = SHR_TRISTATE_UNKNOWN;
  g_autoptr (ShrMatch) m3 = shr_match_record (f->profile, &f->vocab, r, dec);
  g_assert_cmpint (m3->grade, ==, SHR_GRADE_C);
  g_assert_cmpstr (m3->deadline, ==, "2027-01-27");
  g_assert_cmpstr (shr_grade_deadline_ja (m3->grade), ==, "今月中");
  r->cvss_max = 7.2;
  g_autoptr (ShrMatch) m4 = shr_match_record (f->profile, &f->vocab, r, dec);
  g_assert_cmpstr (m4->deadline, ==, "2027-01-04");
  g_assert_cmpstr (shr_grade_deadline_en (m4->grade), ==, "within 7 days");
}

/* ---- owners ------------------------------------------------------------ */

static void
test_owners_routing (Fixture *f, gconstpointer data)
{
  ShrAsset *a2 = add_asset (f->profile, "web2", "Apache", "HTTP Server", "2.4.59", "web2@example.co.jp");
  (void)a2;
  ShrAsset *a3 = add_asset (f->profile, "web3", NULL, "httpd", NULL, "web@example.co.jp");
  g_ptr_array_add (a3->owners, g_strdup ("ops@example.co.jp"));
  shr_profile_build_index (f->profile, &f->vocab);

  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *p = add_product (r, "Apache", "HTTP Server");
  g_ptr_array_add (p->fixed, g_strdup ("2.4.59"));
  add_product (r, "Microsoft", "Exchange Server");
  g_autoptr (ShrMatch) m = run (f, r);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  /* web (affected) and web3 (version unknown) route; web2 is patched.
   * Each owner once, in asset order. */
  g_assert_cmpuint (m->owners->len, ==, 3);
  g_assert_cmpstr (m->owners->pdata[0], ==, "web@example.co.jp");
  g_assert_cmpstr (m->owners->pdata[1], ==, "ops@example.co.jp");
  g_assert_cmpstr (m->owners->pdata[2], ==, "infra@example.co.jp");
  g_assert_cmpuint (row (m, 0)->assets->len, ==, 1);
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "web");
}

/* ---- product names ----------------------------------------------------- */

static void
test_product_aliases (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrProfile) p = shr_profile_new ("X");
  /* Full-width and another spelling of the same product. */
  add_asset (p, "mail", NULL, "ＥＸＣＨＡＮＧＥ　２０１９", NULL, "a@example.jp");
  add_asset (p, "mail2", NULL, "エクスチェンジサーバー", NULL, "b@example.jp");
  add_asset (p, "ibm", "IBM", "HTTP Server", "9.0", "c@example.jp");
  ShrAsset *pkg = add_asset (p, "dpkg-apache2", NULL, "apache2", "2.4.62-1~deb12u1", NULL);
  pkg->scheme = SHR_VERSION_SCHEME_DPKG;
  shr_profile_build_index (p, &f->vocab);

  g_autoptr (GPtrArray) ex = shr_profile_find_assets (p, &f->vocab, "Microsoft", "Exchange Server");
  g_assert_cmpuint (ex->len, ==, 2);
  g_autoptr (GPtrArray) ex2 = shr_profile_find_assets (p, &f->vocab, NULL, "microsoft exchange");
  g_assert_cmpuint (ex2->len, ==, 2);

  /* IBM HTTP Server is not Apache's; the Debian package apache2 is. */
  g_autoptr (GPtrArray) ap = shr_profile_find_assets (p, &f->vocab, "Apache", "HTTP Server");
  g_assert_cmpuint (ap->len, ==, 1);
  g_assert_cmpstr (((ShrAsset *)ap->pdata[0])->name, ==, "dpkg-apache2");

  /* A DSA names the source package with a dpkg version. */
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *prod = add_product (r, NULL, "apache2");
  g_ptr_array_add (prod->fixed, g_strdup ("2.4.62-1~deb12u2"));
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 5, 14, 0, 0, 0);
  g_autoptr (ShrMatch) m = shr_match_record (p, &f->vocab, r, now);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpstr (row (m, 0)->text_en, ==,
                   "We run an affected version of Apache HTTP Server (fixed in 2.4.62-1~deb12u2)");
}

static void
test_product_without_vocabulary (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrProfile) p = shr_profile_new ("X");
  add_asset (p, "app", "Acme", "Widget Server", "3.1", NULL);
  shr_profile_build_index (p, NULL);
  g_autoptr (ShrRecord) r = shr_record_new ();
  ShrProduct *prod = add_product (r, "ACME", "widget  server");
  g_ptr_array_add (prod->affected, g_strdup ("3.0 から 3.2 まで"));
  g_autoptr (ShrMatch) m = shr_match_record (p, NULL, r, f->now);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpstr (row (m, 0)->text_ja, ==,
                   "自組織で『ACME widget  server』の影響を受けるバージョン（3.0〜3.2）を運用している");
  g_assert_cmpstr (row (m, 0)->text_en, ==, "We run an affected version of ACME widget  server (3.0 to 3.2)");
}

/* ---- the reference scenario -------------------------------------------- */

/* An English news article: a China-linked group exploits Microsoft
 * Exchange to breach an oil and gas company. As the extractor would
 * record it: the product without versions, exploited, the energy sector. */
static ShrRecord *
reference_record (void)
{
  ShrRecord *r = shr_record_new ();
  r->source_kind = g_strdup ("news");
  r->source_name = g_strdup ("Example Security News");
  r->lang = g_strdup ("en");
  r->title = g_strdup ("China-linked hackers exploit Microsoft Exchange flaws to breach "
                       "oil and gas company");
  r->category = g_strdup ("campaign");
  r->exploited = SHR_TRISTATE_TRUE;
  r->exploited_evidence = g_strdup ("The group exploited unpatched Microsoft Exchange "
                                    "servers to gain initial access.");
  shr_record_add_product (r, "Microsoft", "Exchange Server");
  g_ptr_array_add (r->threat_actors, g_strdup ("APT41"));
  g_ptr_array_add (r->sectors, g_strdup ("energy"));
  shr_record_finish (r);
  return r;
}

static void
test_reference_concerned (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrProfile) p = shr_profile_new ("株式会社サンプル");
  g_ptr_array_add (p->sectors, g_strdup ("energy"));
  add_asset (p, "exchange", "Microsoft", "Exchange Server", "15.2.1544.4", "infra@example.co.jp");
  shr_profile_build_index (p, &f->vocab);
  g_autoptr (ShrRecord) r = reference_record ();
  g_autoptr (ShrMatch) m = shr_match_record (p, &f->vocab, r, f->now);

  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpint (m->grade, ==, SHR_GRADE_A);
  g_assert_cmpstr (m->deadline, ==, "2026-05-14");
  g_assert_cmpuint (m->checklist->len, ==, 2);
  g_assert_cmpstr (row (m, 0)->text_ja, ==, "自組織で『Microsoft Exchange Server』を運用している");
  g_assert_cmpstr (row (m, 0)->text_en, ==, "We run Microsoft Exchange Server");
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_TRUE);
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "exchange");
  g_assert_cmpstr (row (m, 1)->text_ja, ==, "自組織が『エネルギー・石油・ガス』に該当する");
  g_assert_cmpstr (row (m, 1)->text_en, ==, "We are in energy, oil and gas");
  g_assert_cmpint (row (m, 1)->matched, ==, SHR_TRISTATE_TRUE);
  g_assert_cmpuint (m->owners->len, ==, 1);
  g_assert_cmpstr (m->owners->pdata[0], ==, "infra@example.co.jp");

  /* The JSON of issue 3. */
  g_autoptr (JsonNode) node = shr_match_to_json (m, r);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, node);
  g_autofree gchar *json = json_generator_to_data (gen, NULL);
  g_assert_nonnull (strstr (json, "\"verdict\":\"applicable\",\"grade\":\"A\""));
  g_assert_nonnull (strstr (json, "\"deadline\":{\"date\":\"2026-05-14\",\"label_ja\":\"即日\","
                                  "\"label_en\":\"same day\"}"));
  g_assert_nonnull (strstr (json, "\"checklist\":[{\"kind\":\"product\",\"text_ja\":\"自組織で『"
                                  "Microsoft Exchange Server』を運用している\",\"text_en\":"
                                  "\"We run Microsoft Exchange Server\",\"matched\":true,"
                                  "\"asset\":\"exchange\",\"assets\":[\"exchange\"]},"));
  g_assert_nonnull (strstr (json, "\"owners\":[\"infra@example.co.jp\"]"));
  g_assert_nonnull (strstr (json, "\"record\":{\"schema\":\"shirase.record/1\",\"id\":"));
}

static void
test_reference_not_concerned (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrProfile) p = shr_profile_new ("株式会社ほか");
  g_ptr_array_add (p->sectors, g_strdup ("retail"));
  add_asset (p, "web", "Apache", "HTTP Server", "2.4.62", "web@example.co.jp");
  shr_profile_build_index (p, &f->vocab);
  g_autoptr (ShrRecord) r = reference_record ();
  g_autoptr (ShrMatch) m = shr_match_record (p, &f->vocab, r, f->now);

  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpint (m->grade, ==, SHR_GRADE_NONE);
  g_assert_cmpuint (m->checklist->len, ==, 2);
  g_assert_cmpint (row (m, 0)->matched, ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (row (m, 1)->matched, ==, SHR_TRISTATE_FALSE);
  g_autofree gchar *summary = shr_match_summary (m, r);
  g_assert_nonnull (strstr (summary, "判定: 静観\n"));
  g_assert_nonnull (strstr (summary, "  ✗ 自組織で『Microsoft Exchange Server』を運用している\n"));
  g_assert_nonnull (strstr (summary, "  上記いずれにも該当しない → 静観でOK\n"));
  g_assert_nonnull (strstr (summary, "Verdict: not applicable — no action\n"));

  g_autoptr (JsonNode) node = shr_match_to_json (m, r);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, node);
  g_autofree gchar *json = json_generator_to_data (gen, NULL);
  g_assert_nonnull (strstr (json, "\"verdict\":\"not_applicable\",\"grade\":\"none\""));
  g_assert_nonnull (strstr (json, "\"deadline\":null"));
  g_assert_nonnull (strstr (json, "\"owners\":[]"));
}

static void
test_index_many_assets (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrProfile) p = shr_profile_new ("X");
  for (int i = 0; i < 5000; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("pkg%d", i);
      g_autofree gchar *product = g_strdup_printf ("libthing%d", i);
      add_asset (p, name, NULL, product, "1.0", NULL);
    }
  add_asset (p, "ex", "Microsoft", "Exchange 2019", "15.2.1544.4", NULL);
  shr_profile_build_index (p, &f->vocab);
  g_autoptr (GPtrArray) a = shr_profile_find_assets (p, &f->vocab, NULL, "libthing4321");
  g_assert_cmpuint (a->len, ==, 1);
  g_assert_cmpstr (((ShrAsset *)a->pdata[0])->name, ==, "pkg4321");
  g_autoptr (GPtrArray) b = shr_profile_find_assets (p, &f->vocab, "Microsoft", "Exchange Server");
  g_assert_cmpuint (b->len, ==, 1);
  g_autoptr (GPtrArray) c = shr_profile_find_assets (p, &f->vocab, NULL, "libthing");
  g_assert_cmpuint (c->len, ==, 0);
}

static void
test_lexicon_vocabulary (Fixture *f, gconstpointer data)
{
  /* The real word lists through the lexicon, as the CLI uses them. */
  g_autofree gchar *dir = g_build_filename (test_srcdir (), "data", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrLexicon) lexicon = shr_lexicon_load (dir, &error);
  g_assert_no_error (error);
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  g_autoptr (ShrProfile) p = shr_profile_new ("X");
  g_ptr_array_add (p->sectors, g_strdup ("energy"));
  add_asset (p, "mail", "Microsoft", "Exchange 2019", NULL, "a@example.jp");
  shr_profile_build_index (p, &vocab);
  g_autoptr (ShrRecord) r = reference_record ();
  g_autoptr (ShrMatch) m = shr_match_record (p, &vocab, r, f->now);
  g_assert_cmpint (m->verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpstr (row (m, 0)->text_en, ==, "We run Microsoft Exchange Server");
  g_assert_cmpstr (row (m, 0)->assets->pdata[0], ==, "mail");
  g_assert_cmpstr (row (m, 1)->text_en, ==, "We are in energy, oil and gas");
}

/* Names are compared normalised (NFKC, case folded, runs of white space
 * one space); ASCII takes a shorter road to the same result, which this
 * checks for every ASCII character, alone and between words. */
static gchar *
normalize_by_unicode (const gchar *text)
{
  g_autofree gchar *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  g_autofree gchar *folded = g_utf8_casefold (nfkc, -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  for (const gchar *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
test_normalize_ascii (void)
{
  for (gint c = 1; c < 0x80; c++)
    {
      g_autofree gchar *text = g_strdup_printf ("  Cisco%cIOS XE\t%c  ", c, c);
      g_autofree gchar *expected = normalize_by_unicode (text);
      g_autofree gchar *got = shr_vocab_normalize (text);
      g_assert_cmpstr (got, ==, expected);
    }
  g_autofree gchar *mixed = shr_vocab_normalize ("ＦｏｒｔｉＯＳ  ７．４");
  g_assert_cmpstr (mixed, ==, "fortios 7.4");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/match/normalize/ascii", test_normalize_ascii);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/match/verdict/applicable-affected", test_applicable_affected);
  ADD ("/match/verdict/applicable-no-version", test_applicable_no_version);
  ADD ("/match/verdict/check-named-only", test_check_named_only);
  ADD ("/match/verdict/check-unknown-version", test_check_unknown_version);
  ADD ("/match/verdict/feature-locus", test_feature_locus);
  ADD ("/match/verdict/check-uncomparable", test_check_uncomparable);
  ADD ("/match/verdict/release-names", test_release_names);
  ADD ("/match/verdict/check-targeted", test_check_targeted);
  ADD ("/match/verdict/targets-all-kinds", test_targets_all_kinds_needed);
  ADD ("/match/verdict/targets-broader", test_targets_broader);
  ADD ("/match/verdict/vendor-equipment", test_check_vendor_equipment);
  ADD ("/match/verdict/not-applicable-patched", test_not_applicable_patched);
  ADD ("/match/verdict/not-applicable-nothing", test_not_applicable_nothing);
  ADD ("/match/priority/table", test_priority_table);
  ADD ("/match/priority/none", test_priority_none);
  ADD ("/match/priority/policy", test_policy_thresholds);
  ADD ("/match/deadline/timezone", test_deadline_timezone);
  ADD ("/match/owners/routing", test_owners_routing);
  ADD ("/match/product/aliases", test_product_aliases);
  ADD ("/match/product/no-vocabulary", test_product_without_vocabulary);
  ADD ("/match/reference/concerned", test_reference_concerned);
  ADD ("/match/reference/not-concerned", test_reference_not_concerned);
  ADD ("/match/index/many-assets", test_index_many_assets);
  ADD ("/match/product/lexicon", test_lexicon_vocabulary);
  return g_test_run ();
}
