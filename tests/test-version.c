/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of version ordering (generic, dpkg, rpm) and range phrases.
 *
 * The dpkg pairs follow deb-version(7) and dpkg's own t-version tests; the
 * rpm pairs are rpm's tests/rpmvercmp.at table. */
#include <string.h>

#include "shr-version.h"

typedef struct
{
  const gchar *a;
  const gchar *b;
  gint expect; /* -1, 0, 1 */
} Pair;

static gint
sign (gint v)
{
  return v < 0 ? -1 : v > 0 ? 1 : 0;
}

static void
check_pairs (ShrVersionScheme scheme, const Pair *pairs)
{
  for (gsize i = 0; pairs[i].a != NULL; i++)
    {
      gint got = sign (shr_version_compare (scheme, pairs[i].a, pairs[i].b));
      if (got != pairs[i].expect)
        g_test_message ("%s: %s vs %s: got %d, want %d", shr_version_scheme_to_string (scheme), pairs[i].a,
                        pairs[i].b, got, pairs[i].expect);
      g_assert_cmpint (got, ==, pairs[i].expect);
      /* Every ordering is antisymmetric. */
      gint back = sign (shr_version_compare (scheme, pairs[i].b, pairs[i].a));
      g_assert_cmpint (back, ==, -pairs[i].expect);
    }
}

/* ---- dpkg -------------------------------------------------------------- */

static void
test_dpkg_epoch (void)
{
  static const Pair pairs[] = {
    { "1:1.0", "2.0", 1 },   { "0:1.0", "1.0", 0 },    { "1:0.1", "0:9.9", 1 }, { "2:1.0-1", "1:9.9-9", 1 },
    { "1:1.0", "1:1.0", 0 }, { "00:1.0", "0:1.0", 0 }, { NULL, NULL, 0 },
  };
  check_pairs (SHR_VERSION_SCHEME_DPKG, pairs);
}

static void
test_dpkg_tilde (void)
{
  /* deb-version(7): "~~" < "~~a" < "~" < "" < "a". */
  static const Pair pairs[] = {
    { "1.0~~", "1.0~~a", -1 },
    { "1.0~~a", "1.0~", -1 },
    { "1.0~", "1.0", -1 },
    { "1.0", "1.0a", -1 },
    { "1.0~rc1", "1.0", -1 },
    { "1.0~rc1", "1.0~rc2", -1 },
    { "0.9~beta1-1", "0.9-1", -1 },
    { "2.4.62-1~deb12u1", "2.4.62-1", -1 },
    { "2.4.62-1~deb11u1", "2.4.62-1~deb12u1", -1 },
    { "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", -1 },
    { NULL, NULL, 0 },
  };
  check_pairs (SHR_VERSION_SCHEME_DPKG, pairs);
}

static void
test_dpkg_letters (void)
{
  /* Letters sort before non-letters; digits compare as numbers. */
  static const Pair pairs[] = {
    { "1.0a", "1.0+", -1 },
    { "1.0a", "1.0.", -1 },
    { "1.0.1", "1.0a", 1 },
    { "1.0+dfsg", "1.0", 1 },
    { "1.2.3+dfsg-1", "1.2.3-1", 1 },
    { "1.0a", "1.0b", -1 },
    { "1.0A", "1.0a", -1 },
    { "2.30", "2.4", 1 },
    { "1.0", "1.00", 0 },
    { "1.001", "1.1", 0 },
    { "1.0", "1.1", -1 },
    { "1.9", "1.10", -1 },
    { NULL, NULL, 0 },
  };
  check_pairs (SHR_VERSION_SCHEME_DPKG, pairs);
}

static void
test_dpkg_revision (void)
{
  static const Pair pairs[] = {
    { "1.0-1", "1.0-2", -1 },
    { "1.2.3-1", "1.2.3-1.1", -1 },
    { "1.0-0", "1.0", 0 },
    { "1.0-1", "1.0", 1 },
    { "1.0-10", "1.0-9", 1 },
    { "1.0-1ubuntu1", "1.0-1", 1 },
    { "1.0-1ubuntu0.1", "1.0-1ubuntu1", -1 },
    /* The revision is after the last hyphen. */
    { "1.0-beta-1", "1.0-beta-2", -1 },
    { NULL, NULL, 0 },
  };
  check_pairs (SHR_VERSION_SCHEME_DPKG, pairs);
}

static void
test_dpkg_verrevcmp (void)
{
  g_assert_cmpint (shr_dpkg_verrevcmp ("", ""), ==, 0);
  g_assert_cmpint (shr_dpkg_verrevcmp ("~", ""), <, 0);
  g_assert_cmpint (shr_dpkg_verrevcmp ("a", ""), >, 0);
  g_assert_cmpint (shr_dpkg_verrevcmp (NULL, "0"), ==, 0);
}

/* ---- rpm --------------------------------------------------------------- */

static void
test_rpm_vercmp_table (void)
{
  static const Pair pairs[] = {
    { "1.0", "1.0", 0 },
    { "1.0", "2.0", -1 },
    { "2.0.1", "2.0.1", 0 },
    { "2.0", "2.0.1", -1 },
    { "2.0.1a", "2.0.1a", 0 },
    { "2.0.1a", "2.0.1", 1 },
    { "5.5p1", "5.5p1", 0 },
    { "5.5p1", "5.5p2", -1 },
    { "5.5p10", "5.5p10", 0 },
    { "5.5p1", "5.5p10", -1 },
    { "10xyz", "10.1xyz", -1 },
    { "xyz10", "xyz10", 0 },
    { "xyz10", "xyz10.1", -1 },
    { "xyz.4", "xyz.4", 0 },
    { "xyz.4", "8", -1 },
    { "xyz.4", "2", -1 },
    { "5.5p2", "5.6p1", -1 },
    { "5.6p1", "6.5p1", -1 },
    { "6.0.rc1", "6.0", 1 },
    { "10b2", "10a1", 1 },
    { "10a2", "10b2", -1 },
    { "1.0aa", "1.0aa", 0 },
    { "1.0a", "1.0aa", -1 },
    { "10.0001", "10.0001", 0 },
    { "10.0001", "10.1", 0 },
    { "10.0001", "10.0039", -1 },
    { "4.999.9", "5.0", -1 },
    { "20101121", "20101122", -1 },
    { "2_0", "2_0", 0 },
    { "2.0", "2_0", 0 },
    { "a", "a", 0 },
    { "a+", "a+", 0 },
    { "a+", "a_", 0 },
    { "+a", "+a", 0 },
    { "+a", "_a", 0 },
    { "+_", "+_", 0 },
    { "_+", "+_", 0 },
    { "_+", "_", 0 },
    { "+", "_", 0 },
    { NULL, NULL, 0 },
  };
  for (gsize i = 0; pairs[i].a != NULL; i++)
    {
      g_assert_cmpint (shr_rpmvercmp (pairs[i].a, pairs[i].b), ==, pairs[i].expect);
      g_assert_cmpint (shr_rpmvercmp (pairs[i].b, pairs[i].a), ==, -pairs[i].expect);
    }
}

static void
test_rpm_tilde (void)
{
  static const Pair pairs[] = {
    { "1.0~rc1", "1.0~rc1", 0 },         { "1.0~rc1", "1.0", -1 },
    { "1.0~rc1", "1.0~rc2", -1 },        { "1.0~rc1~git123", "1.0~rc1~git123", 0 },
    { "1.0~rc1~git123", "1.0~rc1", -1 }, { NULL, NULL, 0 },
  };
  for (gsize i = 0; pairs[i].a != NULL; i++)
    {
      g_assert_cmpint (shr_rpmvercmp (pairs[i].a, pairs[i].b), ==, pairs[i].expect);
      g_assert_cmpint (shr_rpmvercmp (pairs[i].b, pairs[i].a), ==, -pairs[i].expect);
    }
}

static void
test_rpm_caret (void)
{
  static const Pair pairs[] = {
    { "1.0^", "1.0^", 0 },
    { "1.0^", "1.0", 1 },
    { "1.0^git1", "1.0^git1", 0 },
    { "1.0^git1", "1.0", 1 },
    { "1.0^git1", "1.0^git2", -1 },
    { "1.0^git1", "1.01", -1 },
    { "1.0^20160101", "1.0^20160101", 0 },
    { "1.0^20160101", "1.0.1", -1 },
    { "1.0^20160101^git1", "1.0^20160101^git1", 0 },
    { "1.0^20160102", "1.0^20160101^git1", 1 },
    { "1.0~rc1^git1", "1.0~rc1^git1", 0 },
    { "1.0~rc1^git1", "1.0~rc1", 1 },
    { "1.0^git1~pre", "1.0^git1~pre", 0 },
    { "1.0^git1", "1.0^git1~pre", 1 },
    { NULL, NULL, 0 },
  };
  for (gsize i = 0; pairs[i].a != NULL; i++)
    {
      g_assert_cmpint (shr_rpmvercmp (pairs[i].a, pairs[i].b), ==, pairs[i].expect);
      g_assert_cmpint (shr_rpmvercmp (pairs[i].b, pairs[i].a), ==, -pairs[i].expect);
    }
}

static void
test_rpm_evr (void)
{
  static const Pair pairs[] = {
    { "1:1.0-1", "2.0-1", 1 },
    { "(none):2.4.37-51.el8", "0:2.4.37-51.el8", 0 },
    { "2.4.37-51.el8", "2.4.37-62.el8", -1 },
    { "2.4.37-62.el8_8.1", "2.4.37-62.el8", 1 },
    /* A release missing on one side is not compared (rpm's ranges). */
    { "2.4.37-51.el8", "2.4.37", 0 },
    { "3.0.7-24.el9", "3.0.7-25.el9", -1 },
    { "1.1.1k-9.el8_7", "1.1.1k-12.el8_9", -1 },
    { NULL, NULL, 0 },
  };
  check_pairs (SHR_VERSION_SCHEME_RPM, pairs);
}

/* ---- generic ----------------------------------------------------------- */

static void
test_generic_order (void)
{
  static const Pair pairs[] = {
    { "15.2.1544.4", "15.2.1544.11", -1 },
    { "15.2.1258.32", "15.2.1544.4", -1 },
    { "7.2", "7.2.0", 0 },
    { "7.2.0", "7.2.0.0", 0 },
    { "1.9", "1.10", -1 },
    { "1.0rc1", "1.0", -1 },
    { "2.0.0-beta", "2.0.0-rc1", -1 },
    { "2.0.0-rc1", "2.0.0-rc2", -1 },
    { "2.0.0-rc2", "2.0.0", -1 },
    { "2.0.0-alpha", "2.0.0-beta", -1 },
    { "10.2.9", "10.2.9-h1", -1 },
    { "10.2.9-h1", "10.2.9-h3", -1 },
    { "10.2.9-h3", "10.2.10", -1 },
    { "1.1.1v", "1.1.1w", -1 },
    { "1.1.1", "1.1.1a", -1 },
    { "1.0a", "1.0.1", -1 },
    { "v2.0", "2.0", 0 },
    { "V3.1.2", "3.1.10", -1 },
    { "17.9.4", "17.9.4a", -1 },
    { "2.4.58", "2.4.59", -1 },
    { NULL, NULL, 0 },
  };
  check_pairs (SHR_VERSION_SCHEME_GENERIC, pairs);
}

static void
test_validate (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_version_validate (SHR_VERSION_SCHEME_DPKG, "1:2.4.62-1~deb12u1", NULL));
  g_assert_true (shr_version_validate (SHR_VERSION_SCHEME_RPM, "(none):2.4.37-51.el8", NULL));
  g_assert_true (shr_version_validate (SHR_VERSION_SCHEME_GENERIC, "15.2.1544.4", NULL));

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_DPKG, "abc", &error));
  g_assert_error (error, SHR_VERSION_ERROR, SHR_VERSION_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "\"abc\" is not a version: does not start with a digit");
  g_clear_error (&error);

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_DPKG, "x:1.0", &error));
  g_assert_cmpstr (error->message, ==, "\"x:1.0\" is not a version: epoch is not a number");
  g_clear_error (&error);

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_DPKG, "1.0-", &error));
  g_assert_cmpstr (error->message, ==, "\"1.0-\" is not a version: empty revision");
  g_clear_error (&error);

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_GENERIC, "1.0 beta", &error));
  g_assert_cmpstr (error->message, ==, "\"1.0 beta\" is not a version: contains spaces");
  g_clear_error (&error);

  g_assert_true (shr_version_validate (SHR_VERSION_SCHEME_GENERIC, "12.2(55)SE", NULL));
  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_GENERIC, "12.2(55", &error));
  g_assert_cmpstr (error->message, ==, "\"12.2(55\" is not a version: unbalanced brackets");
  g_clear_error (&error);

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_GENERIC, "latest", &error));
  g_assert_cmpstr (error->message, ==, "\"latest\" is not a version: no digit");
  g_clear_error (&error);

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_RPM, "1.0-1-2", &error));
  g_assert_cmpstr (error->message, ==, "\"1.0-1-2\" is not a version: invalid character in version");
  g_clear_error (&error);

  g_assert_false (shr_version_validate (SHR_VERSION_SCHEME_GENERIC, "", &error));
  g_clear_error (&error);
}

/* ---- ranges ------------------------------------------------------------ */

typedef struct
{
  const gchar *phrase;
  const gchar *canonical;
  const gchar *inside;  /* a version in the range, or NULL */
  const gchar *outside; /* one outside, or NULL */
} RangeCase;

static void
check_ranges (const RangeCase *cases)
{
  for (gsize i = 0; cases[i].phrase != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrRange) r = shr_range_parse (cases[i].phrase, &error);
      g_assert_no_error (error);
      g_assert_nonnull (r);
      g_autofree gchar *s = shr_range_to_string (r);
      g_test_message ("%s → %s", cases[i].phrase, s);
      g_assert_cmpstr (s, ==, cases[i].canonical);
      if (cases[i].inside != NULL)
        g_assert_cmpint (shr_range_contains (r, SHR_VERSION_SCHEME_GENERIC, cases[i].inside), ==,
                         SHR_TRISTATE_TRUE);
      if (cases[i].outside != NULL)
        g_assert_cmpint (shr_range_contains (r, SHR_VERSION_SCHEME_GENERIC, cases[i].outside), ==,
                         SHR_TRISTATE_FALSE);
    }
}

static void
test_range_english (void)
{
  static const RangeCase cases[] = {
    { "prior to 2.4.59", "< 2.4.59", "2.4.58", "2.4.59" },
    { "versions prior to 2.4.59", "< 2.4.59", "2.4.10", "2.5" },
    { "Apache HTTP Server before 2.4.59", "< 2.4.59", "2.4.58", "2.4.59" },
    { "before version 3.0.14", "< 3.0.14", "3.0.13", "3.0.14" },
    { "7.2.0 through 7.2.4", ">= 7.2.0, <= 7.2.4", "7.2.4", "7.2.5" },
    { "FortiOS 7.0.0 through 7.0.13", ">= 7.0.0, <= 7.0.13", "7.0.0", "6.4.15" },
    { "< 11.1.2-h3", "< 11.1.2-h3", "11.1.2-h1", "11.1.2-h3" },
    { "<= 3.1", "<= 3.1", "3.1", "3.1.1" },
    { "<3.1", "< 3.1", "3.0.9", "3.1" },
    { ">= 2.0", ">= 2.0", "2.0", "1.9" },
    { "> 2.0", "> 2.0", "2.0.1", "2.0" },
    { "2.4.0 and later", ">= 2.4.0", "2.4.0", "2.3.9" },
    { "2.4.0 or later", ">= 2.4.0", "3.0", "2.3" },
    { "6.1 and earlier", "<= 6.1", "6.1", "6.1.1" },
    { "fixed in 1.1.1w", "< 1.1.1w", "1.1.1v", "1.1.1w" },
    { "fixed in version 8.5.1", "< 8.5.1", "8.5.0", "8.5.1" },
    { "Fixed in: 8.5.1", "< 8.5.1", "8.5.0", "8.5.1" },
    { "versions 9.0 to 9.1.2", ">= 9.0, <= 9.1.2", "9.1.2", "9.1.3" },
    { "from 1.0 to 1.4", ">= 1.0, <= 1.4", "1.2", "0.9" },
    { "between 3.0 and 3.0.13", ">= 3.0, <= 3.0.13", "3.0.13", "3.1" },
    { "up to 5.2", "<= 5.2", "5.2", "5.2.1" },
    { "up to and including 5.2", "<= 5.2", "5.2", "5.2.1" },
    { "2.2.0 - 2.2.5", ">= 2.2.0, <= 2.2.5", "2.2.3", "2.2.6" },
    { "2.2.0-2.2.5", ">= 2.2.0, <= 2.2.5", "2.2.1", "2.2.6" },
    { "2.4.58-1.1", "= 2.4.58-1.1", "2.4.58-1.1", "2.4.58" },
    { "= 4.5.6", "= 4.5.6", "4.5.6", "4.5.7" },
    { "4.5.6", "= 4.5.6", "4.5.6", "4.5.5" },
    { "v1.2.3 and later", ">= 1.2.3", "1.2.3", "1.2.2" },
    { ">= 9.0, < 9.1.3", ">= 9.0, < 9.1.3", "9.1.2", "9.1.3" },
    { "11.1: < 11.1.2-h3", ">= 11.1, < 11.1.2-h3", "11.1.0", "11.0.9" },
    { "10.2.x before 10.2.9-h1", ">= 10.2, < 10.2.9-h1", "10.2.8", "10.1.5" },
    { "9.1.x", ">= 9.1, < 9.2", "9.1.17", "9.2" },
    { "prior to 2.0 and 3.0 through 3.2", "< 2.0 || >= 3.0, <= 3.2", "3.1", "2.5" },
    { "1.0, 1.1 and 1.2", "= 1.0 || = 1.1 || = 1.2", "1.1", "1.3" },
    { "all versions", "*", "0.1", NULL },
    { "PAN-OS 10.2 (CVE-2024-3400) before 10.2.9-h1", ">= 10.2, < 10.2.9-h1", "10.2.8", "10.2.9-h1" },
    { "NetScaler ADC 14.1 BEFORE 14.1-47.46", ">= 14.1, < 14.1-47.46", "14.1-43.50", "14.1-47.46" },
    { "Junos OS 23.4 before 23.4R2-S2", ">= 23.4, < 23.4R2-S2", "23.4R1", "24.2R1" },
    /* A release in brackets is part of the version (Cisco, Zyxel). */
    { "12.2(55)SE and earlier", "<= 12.2(55)SE", "12.2(54)SE", "12.2(58)SE" },
    { "before 15.2(7)E9", "< 15.2(7)E9", "15.2(7)E8", "15.2(7)E10" },
    { "V5.21(AAZF.17)C0 and earlier", "<= 5.21(AAZF.17)C0", "V5.21(AAZF.16)C0", "V5.21(AAZF.18)C0" },
    /* A model number is no version; a package's hyphenated version is. */
    { "Router SR-500 firmware 2.0.8 and earlier", "<= 2.0.8", "2.0.8", "500" },
    { "nginx-1.25.3 and earlier", "<= 1.25.3", "1.25.3", "1.25.4" },
    { NULL, NULL, NULL, NULL },
  };
  check_ranges (cases);
}

static void
test_range_japanese (void)
{
  static const RangeCase cases[] = {
    { "2.4.58 以前", "<= 2.4.58", "2.4.58", "2.4.59" },
    { "バージョン 2.4.58 およびそれ以前", "<= 2.4.58", "2.4.58", "2.4.59" },
    { "2.4.58以前のバージョン", "<= 2.4.58", "2.4.1", "2.4.59" },
    { "2.4.59 より前", "< 2.4.59", "2.4.58", "2.4.59" },
    { "2.4.59よりも前のバージョン", "< 2.4.59", "2.4.58", "2.4.59" },
    { "3.0.14 未満", "< 3.0.14", "3.0.13", "3.0.14" },
    { "7.2.0 以降", ">= 7.2.0", "7.2.0", "7.1.9" },
    { "7.2.0 以上", ">= 7.2.0", "7.3", "7.1" },
    { "3.0 から 3.0.13 まで", ">= 3.0, <= 3.0.13", "3.0.13", "3.0.14" },
    { "3.0から3.0.13まで", ">= 3.0, <= 3.0.13", "3.0.5", "2.9" },
    { "7.0.0 以上 7.0.14 未満", ">= 7.0.0, < 7.0.14", "7.0.13", "7.0.14" },
    { "7.2.0 〜 7.2.4", ">= 7.2.0, <= 7.2.4", "7.2.4", "7.2.5" },
    { "7.2.0～7.2.4", ">= 7.2.0, <= 7.2.4", "7.2.2", "7.1" },
    { "１．１．１ｗ で修正", "< 1.1.1w", "1.1.1v", "1.1.1w" },
    { "２．４．５８以前", "<= 2.4.58", "2.4.58", "2.4.59" },
    { "全バージョン", "*", "1.0", NULL },
    { "Sample Router SR-500 ファームウェア 2.0.8 およびそれ以前", "<= 2.0.8", "2.0.1", "2.0.9" },
    { "NAS326 ファームウェア V5.21(AAZF.19)C0およびそれ以前", "<= 5.21(AAZF.19)C0", "V5.21(AAZF.19)C0",
      "V5.21(AAZF.20)C0" },
    { NULL, NULL, NULL, NULL },
  };
  check_ranges (cases);
}

static void
test_range_no_version (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRange) r = shr_range_parse ("the latest release", &error);
  g_assert_null (r);
  g_assert_error (error, SHR_VERSION_ERROR, SHR_VERSION_ERROR_NO_RANGE);
  g_assert_cmpstr (error->message, ==, "no version in \"the latest release\"");
}

static void
test_range_schemes (void)
{
  g_autoptr (ShrRange) r = shr_range_parse ("prior to 2.4.62-1~deb12u1", NULL);
  g_assert_nonnull (r);
  g_assert_cmpint (shr_range_contains (r, SHR_VERSION_SCHEME_DPKG, "2.4.62-1~deb12u0"), ==,
                   SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_range_contains (r, SHR_VERSION_SCHEME_DPKG, "2.4.62-1"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_range_contains (r, SHR_VERSION_SCHEME_DPKG, "1:2.0"), ==, SHR_TRISTATE_FALSE);
  /* An asset version that is not a version: can't tell. */
  g_assert_cmpint (shr_range_contains (r, SHR_VERSION_SCHEME_DPKG, "unknown"), ==, SHR_TRISTATE_UNKNOWN);

  g_autoptr (ShrRange) rr = shr_range_parse ("before 2.4.37", NULL);
  g_assert_cmpint (shr_range_contains (rr, SHR_VERSION_SCHEME_RPM, "2.4.37-51.el8"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_range_contains (rr, SHR_VERSION_SCHEME_RPM, "2.4.36-1.el8"), ==, SHR_TRISTATE_TRUE);
}

static void
test_fixed_branches (void)
{
  g_autoptr (GPtrArray) fixed = g_ptr_array_new ();
  g_ptr_array_add (fixed, "10.2.9-h1");
  g_ptr_array_add (fixed, "11.0.4-h1");
  g_ptr_array_add (fixed, "11.1.2-h3");
  ShrVersionScheme g = SHR_VERSION_SCHEME_GENERIC;
  g_assert_cmpint (shr_version_affected_by_fixed (fixed, g, "10.2.5"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_version_affected_by_fixed (fixed, g, "10.2.9-h1"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_version_affected_by_fixed (fixed, g, "11.0.3"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_version_affected_by_fixed (fixed, g, "11.1.3"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_version_affected_by_fixed (fixed, g, "10.1.0"), ==, SHR_TRISTATE_TRUE);

  /* Exchange: one fix per cumulative update. */
  g_autoptr (GPtrArray) ex = g_ptr_array_new ();
  g_ptr_array_add (ex, "15.2.1258.32");
  g_ptr_array_add (ex, "15.2.1544.11");
  g_assert_cmpint (shr_version_affected_by_fixed (ex, g, "15.2.1544.4"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_version_affected_by_fixed (ex, g, "15.2.1258.40"), ==, SHR_TRISTATE_FALSE);

  /* Debian: one fix per suite; a bullseye system at its fix is fixed. */
  g_autoptr (GPtrArray) deb = g_ptr_array_new ();
  g_ptr_array_add (deb, "2.4.62-1~deb11u1");
  g_ptr_array_add (deb, "2.4.62-1~deb12u1");
  ShrVersionScheme d = SHR_VERSION_SCHEME_DPKG;
  g_assert_cmpint (shr_version_affected_by_fixed (deb, d, "2.4.62-1~deb11u1"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_version_affected_by_fixed (deb, d, "2.4.61-1~deb11u1"), ==, SHR_TRISTATE_TRUE);

  /* Words around the fixed version are read too. */
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  g_ptr_array_add (words, "2.4.59 or later");
  g_assert_cmpint (shr_version_affected_by_fixed (words, g, "2.4.58"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_version_affected_by_fixed (words, g, "not-a-version"), ==, SHR_TRISTATE_UNKNOWN);
}

static void
test_range_hostile (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (int i = 0; i < 5000; i++)
    g_string_append (s, "1.");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRange) r = shr_range_parse (s->str, &error);
  g_assert_null (r);
  g_assert_error (error, SHR_VERSION_ERROR, SHR_VERSION_ERROR_NO_RANGE);

  g_autoptr (GString) many = g_string_new (NULL);
  for (int i = 0; i < 100; i++)
    g_string_append_printf (many, "%d.0, ", i);
  g_autoptr (ShrRange) m = shr_range_parse (many->str, NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->intervals->len, ==, SHR_MAX_RANGE_INTERVALS);
  g_assert_null (shr_range_parse ("\xff\xfe", NULL));
  /* "cve-" not followed by digits once made the scanner stop moving. */
  g_autoptr (ShrRange) c = shr_range_parse ("see cve- before 1.2", NULL);
  g_autofree gchar *cs = shr_range_to_string (c);
  g_assert_cmpstr (cs, ==, "< 1.2");
}

/* Random phrases from the characters ranges are made of: never a crash,
 * and every range found is usable under every scheme. */
static void
test_range_random (void)
{
  static const gchar *const pieces[] = {
    "1",         "2.4",       ".",    "-",         "~",        "^",    ":",    "x",    "*",    " ",  "<",
    "<=",        ">",         "=",    "prior to ", "through ", "以前", "未満", "から", "まで", "〜", "～",
    "and later", "fixed in ", "cve-", "v",         "h1",       "rc",   ",",    "１",   "(",    ")",
  };
  GRand *rand = g_rand_new_with_seed (7);
  for (int i = 0; i < 20000; i++)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      gint n = g_rand_int_range (rand, 1, 12);
      for (gint k = 0; k < n; k++)
        g_string_append (s, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      g_autoptr (ShrRange) r = shr_range_parse (s->str, NULL);
      if (r == NULL)
        continue;
      g_autofree gchar *canon = shr_range_to_string (r);
      g_assert_true (g_utf8_validate (canon, -1, NULL));
      for (int scheme = 0; scheme < 3; scheme++)
        {
          ShrTristate t = shr_range_contains (r, scheme, "2.4.1");
          g_assert_cmpint (t, <=, SHR_TRISTATE_TRUE);
        }
      g_assert_cmpint (sign (shr_version_compare_generic (s->str, "2.4")), ==,
                       -sign (shr_version_compare_generic ("2.4", s->str)));
      g_assert_cmpint (sign (shr_dpkg_compare (s->str, "2.4")), ==, -sign (shr_dpkg_compare ("2.4", s->str)));
      g_assert_cmpint (sign (shr_rpm_compare (s->str, "2.4")), ==, -sign (shr_rpm_compare ("2.4", s->str)));
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/version/dpkg/epoch", test_dpkg_epoch);
  g_test_add_func ("/version/dpkg/tilde", test_dpkg_tilde);
  g_test_add_func ("/version/dpkg/letters", test_dpkg_letters);
  g_test_add_func ("/version/dpkg/revision", test_dpkg_revision);
  g_test_add_func ("/version/dpkg/verrevcmp", test_dpkg_verrevcmp);
  g_test_add_func ("/version/rpm/rpmvercmp-table", test_rpm_vercmp_table);
  g_test_add_func ("/version/rpm/tilde", test_rpm_tilde);
  g_test_add_func ("/version/rpm/caret", test_rpm_caret);
  g_test_add_func ("/version/rpm/evr", test_rpm_evr);
  g_test_add_func ("/version/generic/order", test_generic_order);
  g_test_add_func ("/version/validate", test_validate);
  g_test_add_func ("/version/range/english", test_range_english);
  g_test_add_func ("/version/range/japanese", test_range_japanese);
  g_test_add_func ("/version/range/no-version", test_range_no_version);
  g_test_add_func ("/version/range/schemes", test_range_schemes);
  g_test_add_func ("/version/range/fixed-branches", test_fixed_branches);
  g_test_add_func ("/version/range/hostile", test_range_hostile);
  g_test_add_func ("/version/range/random", test_range_random);
  return g_test_run ();
}
