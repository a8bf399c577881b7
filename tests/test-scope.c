/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An asset's version against what an advisory says of its product: within
 * the asset's release train, within its distribution release, by Windows
 * build and date; what cannot be decided is UNKNOWN (要確認), never FALSE.
 * Products, versions and releases here are made up in the shapes vendors
 * and distributions use. */
#include <glib/gstdio.h>
#include <string.h>

#include "shr-profile.h"
#include "shr-scope.h"
#include "shr-trains.h"
#include "shr-version.h"

static ShrAsset *
asset (const gchar *product, const gchar *version, ShrVersionScheme scheme)
{
  ShrAsset *a = shr_asset_new ("a", product);
  a->version = g_strdup (version);
  a->scheme = scheme;
  return a;
}

static ShrTristate
decide (const ShrProfile *profile, const ShrAsset *a, const ShrProduct *p, const ShrRecord *r, gchar **why)
{
  g_autofree gchar *ja = NULL;
  gchar *en = NULL;
  ShrTristate t = shr_scope_decide (profile, a, p, r, &en, &ja, NULL);
  g_assert_nonnull (en);
  g_assert_nonnull (ja);
  if (why != NULL)
    *why = en;
  else
    g_free (en);
  return t;
}

/* A vendor's table: one range per train, a train that is not affected,
 * and a train whose every version is. */
static ShrProduct *
table_product (void)
{
  ShrProduct *p = shr_product_new ("Example", "ExampleOS");
  shr_product_add_range (p, "7.6", "7.6.0", "7.6.2", "7.6.3", FALSE, "ExampleOS 7.6 7.6.0 through 7.6.2");
  shr_product_add_range (p, "7.4", "7.4.0", "7.4.7", "7.4.8", FALSE, "ExampleOS 7.4 7.4.0 through 7.4.7");
  shr_product_add_range (p, "7.2", NULL, NULL, NULL, FALSE, "ExampleOS 7.2 all versions");
  shr_product_add_range (p, "7.0", NULL, NULL, NULL, TRUE, "ExampleOS 7.0 Not affected");
  return p;
}

static void
test_trains (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = table_product ();
  static const struct
  {
    const gchar *version;
    ShrTristate expected;
  } cases[] = {
    { "7.4.4", SHR_TRISTATE_TRUE },  /* within its own train */
    { "7.4.8", SHR_TRISTATE_FALSE }, /* the fix of its train */
    { "7.6.0", SHR_TRISTATE_TRUE },    { "7.6.3", SHR_TRISTATE_FALSE },
    { "7.2.11", SHR_TRISTATE_TRUE },   /* "all versions" of 7.2 */
    { "7.0.15", SHR_TRISTATE_FALSE },  /* "not affected" */
    { "6.4.9", SHR_TRISTATE_UNKNOWN }, /* a train the advisory does not list */
    { "8.0.1", SHR_TRISTATE_FALSE },   /* a later major release than any listed */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrAsset) a = asset ("ExampleOS", cases[i].version, SHR_VERSION_SCHEME_GENERIC);
      g_autofree gchar *why = NULL;
      ShrTristate t = decide (profile, a, p, r, &why);
      if (t != cases[i].expected)
        g_error ("%s: %d (%s), expected %d", cases[i].version, t, why, cases[i].expected);
    }
}

/* Fixes on different majors (a browser's release, ESR and old ESR): the
 * only fix on the asset's major decides a version before it. */
static void
test_majors (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = shr_product_new ("Example", "Example Browser");
  shr_product_add_range (p, NULL, NULL, NULL, "131.0.2", FALSE, "Example Browser 131.0.2");
  shr_product_add_range (p, NULL, NULL, NULL, "128.3.1", FALSE, "Example Browser ESR 128.3.1");
  shr_product_add_range (p, NULL, NULL, NULL, "115.16.1", FALSE, "Example Browser ESR 115.16.1");
  static const struct
  {
    const gchar *version;
    ShrTristate expected;
  } cases[] = {
    { "128.2.0esr", SHR_TRISTATE_TRUE }, /* before its major's only fix */
    { "115.9.0", SHR_TRISTATE_TRUE },
    { "128.3.1", SHR_TRISTATE_FALSE }, /* the fix itself */
    { "120.0", SHR_TRISTATE_UNKNOWN }, /* a major with no fix listed */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrAsset) a = asset ("Example Browser", cases[i].version, SHR_VERSION_SCHEME_GENERIC);
      g_autofree gchar *why = NULL;
      ShrTristate t = decide (profile, a, p, r, &why);
      if (t != cases[i].expected)
        g_error ("%s: %d (%s), expected %d", cases[i].version, t, why, cases[i].expected);
    }
}

/* Hotfix lines: several fixes on one train; the one sharing most numbers
 * with the asset decides ("10.2.9-h19" for 10.2.9-h1, not "10.2.10-h12"). */
static void
test_hotfix_lines (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = shr_product_new ("Example", "ExampleNOS");
  const gchar *fixes[] = { "10.1.14-h8", "10.2.8-h19", "10.2.9-h19", "10.2.10-h12", "10.2.14", "11.1.5" };
  for (gsize i = 0; i < G_N_ELEMENTS (fixes); i++)
    g_ptr_array_add (p->fixed, g_strdup (fixes[i]));
  shr_product_derive_ranges (p);
  static const struct
  {
    const gchar *version;
    ShrTristate expected;
  } cases[] = {
    { "10.2.9-h1", SHR_TRISTATE_TRUE },   { "10.2.9-h19", SHR_TRISTATE_FALSE },
    { "10.2.10-h3", SHR_TRISTATE_TRUE },  { "10.2.14", SHR_TRISTATE_FALSE },
    { "10.2.15", SHR_TRISTATE_FALSE },    { "11.1.2-h3", SHR_TRISTATE_TRUE },
    { "10.1.14-h8", SHR_TRISTATE_FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrAsset) a = asset ("ExampleNOS", cases[i].version, SHR_VERSION_SCHEME_GENERIC);
      g_autofree gchar *why = NULL;
      ShrTristate t = decide (profile, a, p, r, &why);
      if (t != cases[i].expected)
        g_error ("%s: %d (%s), expected %d", cases[i].version, t, why, cases[i].expected);
    }
}

/* Range wordings in both languages, read into ranges and decided. */
static void
test_wordings (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  static const struct
  {
    const gchar *phrase;
    const gchar *inside;
    const gchar *outside;
  } cases[] = {
    { "prior to 2.4.59", "2.4.58", "2.4.59" },   { "before 3.0.14", "3.0.13", "3.1.0" },
    { "5.0.0 through 5.0.7", "5.0.7", "5.0.8" }, { "up to and including 5.2", "5.2", "5.3" },
    { "6.1 and earlier", "6.1.4", "6.2.0" },     { "< 1.6.19", "1.6.18", "1.6.19" },
    { "6.0.0〜6.0.4", "6.0.4", "6.0.5" },        { "3.0 から 3.0.13 まで", "3.0.13", "3.0.14" },
    { "3.0.14 未満", "3.0.13", "3.0.14" },       { "2.4.58 以前", "2.4.58", "2.4.59" },
    { "2.4.59 より前", "2.4.58", "2.4.59" },     { "バージョン 2.4.58 およびそれ以前", "2.4.1", "2.4.60" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrProduct) p = shr_product_new ("Example", "ExampleServer");
      g_ptr_array_add (p->affected, g_strdup (cases[i].phrase));
      shr_product_derive_ranges (p);
      g_autoptr (ShrAsset) in = asset ("ExampleServer", cases[i].inside, SHR_VERSION_SCHEME_GENERIC);
      g_autoptr (ShrAsset) out = asset ("ExampleServer", cases[i].outside, SHR_VERSION_SCHEME_GENERIC);
      g_autofree gchar *why_in = NULL, *why_out = NULL;
      if (decide (profile, in, p, r, &why_in) != SHR_TRISTATE_TRUE)
        g_error ("\"%s\": %s not affected (%s)", cases[i].phrase, cases[i].inside, why_in);
      if (decide (profile, out, p, r, &why_out) != SHR_TRISTATE_FALSE)
        g_error ("\"%s\": %s affected or unknown (%s)", cases[i].phrase, cases[i].outside, why_out);
    }
}

/* A distribution's fix is compared only with a package of the same
 * distribution release; a package of unknown release, another
 * distribution's, or an upstream version is UNKNOWN, with the reason. */
static void
test_distribution_releases (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = shr_product_new ("Debian", "examplelib");
  g_ptr_array_add (p->fixed, g_strdup ("2.9.14+dfsg-1.3~deb12u3"));
  g_ptr_array_add (p->fixed, g_strdup ("2.12.7+dfsg-2.1+deb13u1"));
  shr_product_derive_ranges (p);
  g_assert_cmpstr (p->ecosystem, ==, "Debian");

  g_autoptr (ShrAsset) old12 = asset ("examplelib", "2.9.14+dfsg-1.3~deb12u1", SHR_VERSION_SCHEME_DPKG);
  g_assert_cmpint (decide (profile, old12, p, r, NULL), ==, SHR_TRISTATE_TRUE);
  g_autoptr (ShrAsset) new12 = asset ("examplelib", "2.9.14+dfsg-1.3~deb12u3", SHR_VERSION_SCHEME_DPKG);
  g_assert_cmpint (decide (profile, new12, p, r, NULL), ==, SHR_TRISTATE_FALSE);
  /* Debian 11: the advisory has no fix for it. */
  g_autoptr (ShrAsset) d11 = asset ("examplelib", "2.9.10+dfsg-6.7+deb11u4", SHR_VERSION_SCHEME_DPKG);
  g_autofree gchar *why11 = NULL;
  g_assert_cmpint (decide (profile, d11, p, r, &why11), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_nonnull (strstr (why11, "Debian 11"));
  /* Another distribution. */
  g_autoptr (ShrAsset) ubu = asset ("examplelib", "2.9.14+dfsg-1.3ubuntu3.2", SHR_VERSION_SCHEME_DPKG);
  g_assert_cmpint (decide (profile, ubu, p, r, NULL), ==, SHR_TRISTATE_UNKNOWN);
  /* A package whose release nothing tells; then with its platform. */
  g_autoptr (ShrAsset) bare = asset ("examplelib", "2.12.7+dfsg-2.1", SHR_VERSION_SCHEME_DPKG);
  g_autofree gchar *why_bare = NULL;
  g_assert_cmpint (decide (profile, bare, p, r, &why_bare), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_nonnull (strstr (why_bare, "platform"));
  bare->platform = g_strdup ("Debian 13 (trixie)");
  g_assert_cmpint (decide (profile, bare, p, r, NULL), ==, SHR_TRISTATE_TRUE);
  /* The release of the profile's one Debian system. */
  g_autoptr (ShrProfile) withos = shr_profile_new ("Y");
  ShrAsset *os = shr_asset_new ("os", "Debian");
  os->version = g_strdup ("13.1");
  shr_profile_add_asset (withos, os);
  g_autoptr (ShrAsset) bare2 = asset ("examplelib", "2.12.7+dfsg-2.1", SHR_VERSION_SCHEME_DPKG);
  g_assert_cmpint (decide (withos, bare2, p, r, NULL), ==, SHR_TRISTATE_TRUE);
}

/* An upstream advisory against a distribution package: the package's
 * fixes are backported, so UNKNOWN — unless the advisory says the train
 * the package is built from is not affected. */
static void
test_upstream_against_package (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = shr_product_new ("Example", "ExampleSSL");
  g_ptr_array_add (p->affected, g_strdup ("ExampleSSL 3.3, 3.2, 3.1 and 3.0"));
  shr_product_derive_ranges (p);
  shr_product_add_range (p, "1.1.1", NULL, NULL, NULL, TRUE, "ExampleSSL 1.1.1 is not affected");
  g_autoptr (ShrAsset) deb = asset ("ExampleSSL", "3.0.13-0ubuntu3.4", SHR_VERSION_SCHEME_DPKG);
  g_autofree gchar *why = NULL;
  g_assert_cmpint (decide (profile, deb, p, r, &why), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_nonnull (strstr (why, "backported"));
  g_autoptr (ShrAsset) rpm = asset ("ExampleSSL", "1:1.1.1k-5.el8_5", SHR_VERSION_SCHEME_RPM);
  g_assert_cmpint (decide (profile, rpm, p, r, NULL), ==, SHR_TRISTATE_FALSE);
  /* The vendor's own version is compared within its train. */
  g_autoptr (ShrAsset) up = asset ("ExampleSSL", "3.2.1", SHR_VERSION_SCHEME_GENERIC);
  g_assert_cmpint (decide (profile, up, p, r, NULL), ==, SHR_TRISTATE_TRUE);
}

/* Windows: the build against the monthly cumulative updates. */
static void
test_windows_builds (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrProduct) p = shr_product_new ("Microsoft", "Windows");
  g_autoptr (ShrAsset) a = asset ("Windows Server 2016", "10.0.14393.693", SHR_VERSION_SCHEME_GENERIC);
  g_autoptr (ShrRecord) later = shr_record_new ();
  later->date = g_strdup ("2017-05-13T00:00:00Z");
  g_assert_cmpint (decide (profile, a, p, later, NULL), ==, SHR_TRISTATE_TRUE);
  g_autoptr (ShrRecord) earlier = shr_record_new ();
  earlier->date = g_strdup ("2016-11-08T18:00:00Z");
  g_assert_cmpint (decide (profile, a, p, earlier, NULL), ==, SHR_TRISTATE_FALSE);
  /* An advisory for another release line. */
  g_autoptr (ShrProduct) other = shr_product_new ("Microsoft", "Windows Server 2019 for x64-based Systems");
  g_assert_cmpint (decide (profile, a, other, later, NULL), ==, SHR_TRISTATE_FALSE);
  /* A fix named by its update. */
  g_autoptr (ShrProduct) kb = shr_product_new ("Microsoft", "Windows Server 2016");
  g_ptr_array_add (kb->fixed, g_strdup ("KB4013429"));
  g_assert_cmpint (decide (profile, a, kb, earlier, NULL), ==, SHR_TRISTATE_TRUE);
  /* Older than an article's date: as little known as a product named
   * without versions (the verdict then asks to check); older than a
   * vendor's own advisory: affected as the vendor says. */
  gboolean unlimited = FALSE;
  g_autofree gchar *en = NULL, *ja = NULL;
  later->source_kind = g_strdup ("msrc");
  g_assert_cmpint (shr_scope_decide (profile, a, p, later, &en, &ja, &unlimited), ==, SHR_TRISTATE_TRUE);
  g_assert_false (unlimited);
  g_autoptr (ShrRecord) article = shr_record_new ();
  article->date = g_strdup ("2017-05-13T00:00:00Z");
  article->source_kind = g_strdup ("news");
  g_autofree gchar *en2 = NULL, *ja2 = NULL;
  g_assert_cmpint (shr_scope_decide (profile, a, p, article, &en2, &ja2, &unlimited), ==, SHR_TRISTATE_TRUE);
  g_assert_true (unlimited);
  /* No update level: not known. */
  g_autoptr (ShrAsset) bare = asset ("Windows Server 2016", NULL, SHR_VERSION_SCHEME_GENERIC);
  g_assert_cmpint (decide (profile, bare, kb, later, NULL), ==, SHR_TRISTATE_UNKNOWN);
}

static void
test_no_version_known (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = table_product ();
  g_autoptr (ShrAsset) a = asset ("ExampleOS", NULL, SHR_VERSION_SCHEME_GENERIC);
  g_autofree gchar *why = NULL;
  g_assert_cmpint (decide (profile, a, p, r, &why), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_nonnull (strstr (why, "not recorded"));
  /* An advisory that limits no version concerns every version. */
  g_autoptr (ShrProduct) all = shr_product_new ("Example", "ExampleOS");
  gboolean unlimited = FALSE;
  g_autofree gchar *en = NULL, *ja = NULL;
  g_assert_cmpint (shr_scope_decide (profile, a, all, r, &en, &ja, &unlimited), ==, SHR_TRISTATE_TRUE);
  g_assert_true (unlimited);
}

/* "2.9.0 up to and including 2.11.3, fixed in 2.11.4": one range over
 * three trains holds 2.9.5 and 2.10.2; 2.11.4 and the later 2.12.0 have the
 * fix. */
static void
test_range_over_trains (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = shr_product_new (NULL, "libexample");
  g_ptr_array_add (p->affected, g_strdup ("2.9.0 up to and including 2.11.3"));
  g_ptr_array_add (p->fixed, g_strdup ("2.11.4"));
  shr_product_derive_ranges (p);
  static const struct
  {
    const gchar *version;
    ShrTristate expected;
  } cases[] = {
    { "2.9.5", SHR_TRISTATE_TRUE },   { "2.10.2", SHR_TRISTATE_TRUE },  { "2.11.3", SHR_TRISTATE_TRUE },
    { "2.11.4", SHR_TRISTATE_FALSE }, { "2.12.0", SHR_TRISTATE_FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrAsset) a = asset ("libexample", cases[i].version, SHR_VERSION_SCHEME_GENERIC);
      g_autofree gchar *why = NULL;
      g_assert_cmpint (decide (profile, a, p, r, &why), ==, cases[i].expected);
    }
}

/* "Firefox 148より前" beside "Firefox ESR 140.8より前" (ESR is another name
 * of the product): a bare release number bounds every release below it,
 * and a release on the listed train keeps that train's fix. */
static void
test_bare_release_bound (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrRecord) r = shr_record_new ();
  g_autoptr (ShrProduct) p = shr_product_new ("Mozilla", "Firefox");
  g_ptr_array_add (p->affected, g_strdup ("148より前のバージョン"));
  g_ptr_array_add (p->affected, g_strdup ("140.8より前のバージョン"));
  shr_product_derive_ranges (p);
  static const struct
  {
    const gchar *version;
    ShrTristate expected;
  } cases[] = {
    { "147.0.2", SHR_TRISTATE_TRUE }, { "146.0", SHR_TRISTATE_TRUE },    { "140.7.0", SHR_TRISTATE_TRUE },
    { "148.0", SHR_TRISTATE_FALSE },  { "149.0.1", SHR_TRISTATE_FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrAsset) a = asset ("Firefox", cases[i].version, SHR_VERSION_SCHEME_GENERIC);
      g_autofree gchar *why = NULL;
      g_test_message ("%s: %s", cases[i].version, why ? why : "");
      g_assert_cmpint (decide (profile, a, p, r, &why), ==, cases[i].expected);
    }
}

/* A flaw named without versions against a train released long after it:
 * the train came with the fix. A flaw of the train's own time, an unlisted
 * train or an asset without a version stay affected. */
static void
test_train_after_flaws (void)
{
  g_autoptr (ShrProfile) profile = shr_profile_new ("X");
  g_autoptr (ShrProduct) p = shr_product_new ("Palo Alto Networks", "PAN-OS");
  g_autoptr (ShrAsset) a = asset ("PAN-OS", "11.1.3", SHR_VERSION_SCHEME_GENERIC);
  a->vendor = g_strdup ("Palo Alto Networks");

  g_autoptr (ShrRecord) old = shr_record_new ();
  shr_record_add_cve (old, "CVE-2020-2021");
  shr_record_add_cve (old, "CVE-2019-1579");
  g_autofree gchar *why = NULL;
  g_assert_cmpint (decide (profile, a, p, old, &why), ==, SHR_TRISTATE_FALSE);
  g_assert_nonnull (strstr (why, "PAN-OS 11.1 train"));
  g_assert_nonnull (strstr (why, "CVE-2020"));

  g_autoptr (ShrRecord) recent = shr_record_new ();
  shr_record_add_cve (recent, "CVE-2020-2021");
  shr_record_add_cve (recent, "CVE-2022-0028");
  g_assert_cmpint (decide (profile, a, p, recent, NULL), ==, SHR_TRISTATE_TRUE);

  g_autoptr (ShrAsset) unlisted = asset ("PAN-OS", "12.9.1", SHR_VERSION_SCHEME_GENERIC);
  g_assert_cmpint (decide (profile, unlisted, p, old, NULL), ==, SHR_TRISTATE_TRUE);
  g_autoptr (ShrAsset) unknown = asset ("PAN-OS", NULL, SHR_VERSION_SCHEME_GENERIC);
  g_assert_cmpint (decide (profile, unknown, p, old, NULL), ==, SHR_TRISTATE_TRUE);
}

static void
test_trains_file (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("shirase-trains-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "trains.tsv", NULL);
  g_assert_true (g_file_set_contents (
      path, "# family\ttrain\tfirst\nExampleOS\t4.2\t2021-07\nExampleOS\t4\t2019\n", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrTrains) trains = shr_trains_load (path, &error);
  g_assert_no_error (error);
  const gchar *train = NULL, *released = NULL;
  g_autoptr (GDate) july = g_date_new_dmy (1, G_DATE_JULY, 2021);
  g_assert_cmpuint (shr_trains_first_release (trains, "exampleos", "4.2.10", &train, &released), ==,
                    g_date_get_julian (july));
  g_assert_cmpstr (train, ==, "4.2");
  g_assert_cmpstr (released, ==, "2021-07");
  g_assert_cmpuint (shr_trains_first_release (trains, "ExampleOS", "4.25.1", &train, NULL), !=, 0);
  g_assert_cmpstr (train, ==, "4");
  g_assert_cmpuint (shr_trains_first_release (trains, "ExampleOS", "42.1", NULL, NULL), ==, 0);

  g_assert_true (g_file_set_contents (path, "ExampleOS\t4.2\tJuly 2021\n", -1, NULL));
  g_autoptr (ShrTrains) bad = shr_trains_load (path, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "trains.tsv:1:"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scope/trains", test_trains);
  g_test_add_func ("/scope/majors", test_majors);
  g_test_add_func ("/scope/hotfix-lines", test_hotfix_lines);
  g_test_add_func ("/scope/wordings", test_wordings);
  g_test_add_func ("/scope/distribution-releases", test_distribution_releases);
  g_test_add_func ("/scope/upstream-against-package", test_upstream_against_package);
  g_test_add_func ("/scope/windows-builds", test_windows_builds);
  g_test_add_func ("/scope/no-version", test_no_version_known);
  g_test_add_func ("/scope/train-after-flaws", test_train_after_flaws);
  g_test_add_func ("/scope/range-over-trains", test_range_over_trains);
  g_test_add_func ("/scope/bare-release-bound", test_bare_release_bound);
  g_test_add_func ("/scope/trains-file", test_trains_file);
  return g_test_run ();
}
