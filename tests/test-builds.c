/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Release names against builds: Exchange advisories name their fixes "2019
 * CU15 SU3" while servers report "15.2.1748.10" (data/builds.tsv); Windows
 * advisories name a month, a KB or a fixed build while assets report
 * "10.0.14393.693" (data/windows-builds.tsv). */
#include "shr-builds.h"
#include "shr-error.h"
#include "shr-lexicon.h"

#include <glib/gstdio.h>
#include <string.h>

static ShrBuilds *
load (void)
{
  g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "builds.tsv", NULL);
  g_autoptr (GError) error = NULL;
  ShrBuilds *b = shr_builds_load (path, &error);
  g_assert_no_error (error);
  return b;
}

static void
test_find (void)
{
  g_autoptr (ShrBuilds) b = load ();
  gboolean later = FALSE;
  g_assert_cmpstr (shr_builds_find (b, "Exchange Server", "Exchange Server 2019 CU15 SU3", &later), ==,
                   "15.2.1748.10");
  g_assert_true (later);
  g_assert_cmpstr (shr_builds_find (b, "Exchange Server", "2019 CU14", &later), ==, "15.2.1544.4");
  g_assert_false (later);
  g_assert_cmpstr (shr_builds_find (b, "Exchange Server", "Subscription Edition RTM SU2", &later), ==,
                   "15.2.2562.17");
  g_assert_true (later);
  /* "CU1" is not found inside "CU15", and other products have no releases. */
  g_assert_null (shr_builds_find (b, "Exchange Server", "2019 CU1", NULL));
  g_assert_null (shr_builds_find (b, "PAN-OS", "2019 CU15", NULL));
}

static void
test_affected (void)
{
  g_autoptr (ShrBuilds) b = load ();
  g_autoptr (GPtrArray) fixed = g_ptr_array_new ();
  g_ptr_array_add (fixed, "2019 CU15 SU3");
  g_ptr_array_add (fixed, "Subscription Edition RTM SU2");
  /* An older release line than any fixed one: no fix for it, affected. */
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", fixed, "15.2.1544.4"), ==, SHR_TRISTATE_TRUE);
  /* The fixed release itself, before its security update: affected. */
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", fixed, "15.2.1748.10"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", fixed, "15.2.2562.17"), ==, SHR_TRISTATE_TRUE);
  /* Some update on the fixed line, which the table cannot name: unknown. */
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", fixed, "15.2.1748.30"), ==,
                   SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", fixed, "15.2.3001.1"), ==,
                   SHR_TRISTATE_UNKNOWN);

  g_autoptr (GPtrArray) cu = g_ptr_array_new ();
  g_ptr_array_add (cu, "Exchange Server 2019 CU15");
  /* Fixed by the release itself: its build and later are not affected. */
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", cu, "15.2.1748.10"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", cu, "15.2.1748.24"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", cu, "15.2.1544.4"), ==, SHR_TRISTATE_TRUE);

  /* No release named, or a version that is no build: no opinion. */
  g_autoptr (GPtrArray) plain = g_ptr_array_new ();
  g_ptr_array_add (plain, "10.2.14-h1");
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", plain, "15.2.1544.4"), ==,
                   SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (shr_builds_affected (b, "Exchange Server", fixed, "not a build"), ==,
                   SHR_TRISTATE_UNKNOWN);
}

static void
test_bad_file (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("shirase-builds-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "builds.tsv", NULL);
  g_assert_true (g_file_set_contents (path, "# c\nMicrosoft\tExchange Server\t2019 CU14\n", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrBuilds) b = shr_builds_load (path, &error);
  g_assert_null (b);
  g_assert_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE);
  g_autofree gchar *where = g_strdup_printf ("%s:2:", path);
  g_assert_true (g_str_has_prefix (error->message, where));
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- Windows ---- */

static ShrBuilds *
load_windows (void)
{
  g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "windows-builds.tsv", NULL);
  g_autoptr (GError) error = NULL;
  ShrBuilds *b = shr_builds_new ();
  g_assert_true (shr_builds_load_windows (b, path, &error));
  g_assert_no_error (error);
  return b;
}

/* A table written for one test: the real one changes every month. */
static ShrBuilds *
load_windows_text (const gchar *text, GError **error)
{
  g_autofree gchar *dir = g_dir_make_tmp ("shirase-winbuilds-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "windows-builds.tsv", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  ShrBuilds *b = shr_builds_new ();
  gboolean ok = shr_builds_load_windows (b, path, error);
  g_unlink (path);
  g_rmdir (dir);
  if (!ok)
    {
      shr_builds_free (b);
      return NULL;
    }
  return b;
}

static const gchar *
line_id (const ShrBuilds *b, const gchar *product, const gchar *version)
{
  const ShrWindowsLine *line = shr_builds_windows_line (b, product, version);
  return line != NULL ? shr_windows_line_id (line) : NULL;
}

static void
test_windows_line (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  /* The build decides, whatever the product string says. */
  g_assert_cmpstr (line_id (b, NULL, "10.0.19044.1645"), ==, "win10-21h2");
  g_assert_cmpstr (line_id (b, "Windows Server 2016", "10.0.19044.1645"), ==, "win10-21h2");
  g_assert_cmpstr (line_id (b, "Windows Server 2016", "10.0.14393.693"), ==, "ws2016");
  g_assert_cmpstr (line_id (b, "Windows Server 2012 R2 Standard", "6.3.9600.21620"), ==, "ws2012r2");
  g_assert_cmpstr (line_id (b, NULL, "19045.3803"), ==, "win10-22h2");
  g_assert_cmpstr (line_id (b, NULL, "Microsoft Windows [Version 10.0.19045.3803]"), ==, "win10-22h2");
  g_assert_cmpstr (line_id (b, "Windows 10 Enterprise (OS Build 19044.2965)", NULL), ==, "win10-21h2");
  g_assert_cmpstr (line_id (b, NULL, "10.0.20348"), ==, "ws2022");
  g_assert_cmpstr (line_id (b, "Ｗｉｎｄｏｗｓ　Ｓｅｒｖｅｒ　２０１６", "１０．０．１７７６３．５１２２"),
                   ==, "ws2019");
  /* A build of a release the table does not cover places nothing, even
   * when the name says otherwise. */
  g_assert_null (line_id (b, "Windows 10 Version 21H2", "10.0.19043.2364"));
  g_assert_null (line_id (b, "Windows 10", "10.0.10240.20000"));

  /* No build: the name, as inventories write it. */
  g_assert_cmpstr (line_id (b, "Microsoft Windows Server 2019 Datacenter", ""), ==, "ws2019");
  g_assert_cmpstr (line_id (b, "Windows 10 Enterprise LTSC 2021", NULL), ==, "win10-21h2");
  g_assert_cmpstr (line_id (b, "Windows 10 Enterprise 2016 LTSB", NULL), ==, "ws2016");
  g_assert_cmpstr (line_id (b, "Windows 10 Enterprise LTSC 2019", NULL), ==, "ws2019");
  g_assert_cmpstr (line_id (b, "Windows 11 Pro", "23H2"), ==, "win11-23h2");
  g_assert_cmpstr (line_id (b, "Windows 10 Pro 22H2", NULL), ==, "win10-22h2");
  g_assert_cmpstr (line_id (b, "Windows 10 バージョン 22H2", NULL), ==, "win10-22h2");
  g_assert_cmpstr (line_id (b, "Win10 21H2", NULL), ==, "win10-21h2");
  g_assert_cmpstr (line_id (b, "WINDOWS SERVER 2022 DATACENTER: AZURE EDITION", NULL), ==, "ws2022");
  g_assert_cmpstr (line_id (b, "Windows 11 IoT Enterprise LTSC 2024", NULL), ==, "win11-24h2");
  g_assert_null (line_id (b, "Windows Server 2012", NULL));
  g_assert_null (line_id (b, "Windows Server 2022, 23H2 Edition", NULL));
  g_assert_null (line_id (b, "Windows 11 Pro", NULL));
  g_assert_null (line_id (b, "Windows 10 Version 21H1", NULL));
  g_assert_null (line_id (b, NULL, NULL));

  /* Build 26100 is Windows 11 24H2 and Windows Server 2025: the name tells
   * them apart, and so does a build after January 2026, when they parted. */
  g_assert_cmpstr (line_id (b, "Windows 11 Pro", "10.0.26100.7462"), ==, "win11-24h2");
  g_assert_cmpstr (line_id (b, "Windows Server 2025 Standard", "10.0.26100.7462"), ==, "ws2025");
  g_assert_null (line_id (b, NULL, "10.0.26100.7462"));
  g_assert_cmpstr (line_id (b, NULL, "10.0.26100.32230"), ==, "ws2025");
  g_assert_cmpstr (line_id (b, NULL, "10.0.26100.8037"), ==, "win11-24h2");
  /* A server name with a client-only build: nothing fits. */
  g_assert_null (line_id (b, "Windows Server 2025", "10.0.26100.8037"));

  const ShrWindowsLine *line = shr_builds_windows_line (b, "Windows Server 2016", NULL);
  g_assert_cmpstr (shr_windows_line_name (line), ==, "Windows Server 2016 / Windows 10 Version 1607");
}

static const gchar *
product_line_id (const ShrBuilds *b, const gchar *product)
{
  const ShrWindowsLine *line = shr_builds_windows_product_line (b, product);
  return line != NULL ? shr_windows_line_id (line) : NULL;
}

static void
test_windows_advisory_names (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  /* As Microsoft's security update guide writes them. */
  g_assert_cmpstr (product_line_id (b, "Windows Server 2019 for x64-based Systems"), ==, "ws2019");
  g_assert_cmpstr (product_line_id (b, "Windows Server 2019 (Server Core installation)"), ==, "ws2019");
  g_assert_cmpstr (product_line_id (b, "Windows 10 Version 22H2 for 32-bit Systems"), ==, "win10-22h2");
  g_assert_cmpstr (product_line_id (b, "Windows 10 Version 21H2 for x64-based Systems"), ==, "win10-21h2");
  g_assert_cmpstr (product_line_id (b, "Windows 10 Version 1607 for x64-based Systems"), ==, "ws2016");
  g_assert_cmpstr (product_line_id (b, "Windows 10 Version 1809 for ARM64-based Systems"), ==, "ws2019");
  g_assert_cmpstr (product_line_id (b, "Windows Server 2022 (Server Core installation)"), ==, "ws2022");
  g_assert_cmpstr (product_line_id (b, "Windows 11 Version 21H2 for x64-based Systems"), ==, "win11-21h2");
  g_assert_cmpstr (product_line_id (b, "Windows 11 Version 24H2 for ARM64-based Systems"), ==, "win11-24h2");
  g_assert_cmpstr (product_line_id (b, "Windows Server 2025 (Server Core installation)"), ==, "ws2025");
  g_assert_cmpstr (product_line_id (b, "Windows Server 2012 R2 (Server Core installation)"), ==, "ws2012r2");
  /* Build 25398, the original Windows 10, no release at all. */
  g_assert_null (product_line_id (b, "Windows Server 2022, 23H2 Edition (Server Core installation)"));
  g_assert_null (product_line_id (b, "Windows 10 for x64-based Systems"));
  g_assert_null (product_line_id (b, "Windows"));
  g_assert_null (product_line_id (b, "Windows Server 2012"));

  const ShrWindowsLine *w22h2 = shr_builds_windows_product_line (b, "Windows 10 Version 22H2");
  g_assert_true (shr_builds_windows_names_line (b, "Windows 10 Version 22H2 for x64-based Systems", w22h2));
  g_assert_false (shr_builds_windows_names_line (b, "Windows 10 Version 21H2 for x64-based Systems", w22h2));
  g_assert_false (shr_builds_windows_names_line (b, "Windows 11 Version 22H2 for x64-based Systems", w22h2));
  const ShrWindowsLine *w10_21h2 = shr_builds_windows_product_line (b, "Windows 10 Enterprise LTSC 2021");
  g_assert_false (
      shr_builds_windows_names_line (b, "Windows 11 Version 21H2 for x64-based Systems", w10_21h2));

  /* The asset's line against the advisory's. */
  g_assert_cmpint (
      shr_builds_windows_runs (b, "Windows Server 2016 Standard", "10.0.14393.693", "Windows Server 2016"),
      ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (
      shr_builds_windows_runs (b, NULL, "10.0.14393.693", "Windows 10 Version 1607 for 32-bit Systems"), ==,
      SHR_TRISTATE_TRUE);
  g_assert_cmpint (shr_builds_windows_runs (b, "Windows Server 2016 Standard", "10.0.14393.693",
                                            "Windows Server 2019 for x64-based Systems"),
                   ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (shr_builds_windows_runs (b, "Windows Server 2016 Standard", NULL, "Windows"), ==,
                   SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (shr_builds_windows_runs (b, "Windows", "", "Windows Server 2016"), ==,
                   SHR_TRISTATE_UNKNOWN);
  /* 10.0.26100.7462 alone could be either 26100 line. */
  g_assert_cmpint (shr_builds_windows_runs (b, NULL, "10.0.26100.7462", "Windows Server 2025"), ==,
                   SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (shr_builds_windows_runs (b, NULL, "10.0.26100.7462", "Windows Server 2019"), ==,
                   SHR_TRISTATE_FALSE);
}

static void
assert_month (const ShrBuilds *b, const gchar *product, const gchar *version, const gchar *month)
{
  g_autofree gchar *got = shr_builds_windows_month (b, product, version);
  g_assert_cmpstr (got, ==, month);
}

static void
test_windows_month (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  assert_month (b, "Windows Server 2016", "10.0.14393.693", "2017-01");
  /* Microsoft released no security update in February 2017: a later
   * non-security build is still January's. */
  assert_month (b, "Windows Server 2016", "10.0.14393.729", "2017-01");
  assert_month (b, "Windows Server 2016", "10.0.14393.952", "2017-01");
  assert_month (b, "Windows Server 2016", "10.0.14393.953", "2017-03");
  assert_month (b, NULL, "10.0.19044.1645", "2022-04");
  assert_month (b, NULL, "10.0.20348.707", "2022-05");
  assert_month (b, NULL, "10.0.20348.2849", "2024-11");
  /* The out-of-band build of 2024-03-22 is after March's update. */
  assert_month (b, NULL, "10.0.20348.2342", "2024-03");
  /* A hotpatch build (November 2024, Azure Edition) is below November's
   * update: it counts as October, which errs towards "not yet fixed". */
  assert_month (b, NULL, "10.0.20348.2819", "2024-10");
  assert_month (b, "Windows Server 2012 R2", "6.3.9600.21620", "2023-10");
  /* Unknown: no update level, below the first listed update, above the
   * last (a later month?), no line. */
  assert_month (b, "Windows Server 2022", "10.0.20348", NULL);
  assert_month (b, "Windows Server 2022", "", NULL);
  assert_month (b, NULL, "10.0.14393.10", NULL);
  assert_month (b, NULL, "10.0.14393.999999", NULL);
  assert_month (b, "Windows Server 2012 R2", "6.3.9600.21621", NULL);
  assert_month (b, NULL, "10.0.19043.2364", NULL);
  /* The two 26100 lines agree up to December 2025. */
  assert_month (b, NULL, "10.0.26100.7462", "2025-12");
  assert_month (b, NULL, "10.0.26100.32230", "2026-01");
  assert_month (b, "Windows 11 24H2", "10.0.26100.7623", "2026-01");
}

static ShrTristate
contains (const ShrBuilds *b, const gchar *product, const gchar *version, const gchar *fix)
{
  return shr_builds_windows_contains (b, product, version, fix);
}

static void
test_windows_contains_month (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  /* MS17-010 was fixed by the March 2017 update, 14393.953. */
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.953", "2017-03-14"), ==,
                   SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.693", "2017-03-14"), ==,
                   SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.693", "2017-03"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.2007", "2017-03"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.693", "2017-01"), ==, SHR_TRISTATE_TRUE);
  /* A fix released in February 2017 came with March's update. */
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.693", "2017-02-20"), ==,
                   SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.953", "2017-02"), ==, SHR_TRISTATE_TRUE);
  /* Released after March's update (out of band, 2017-03-20): April's. */
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.953", "2017-03-20"), ==,
                   SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.1066", "2017-03-20"), ==,
                   SHR_TRISTATE_TRUE);
  /* A build that already contains a later cumulative update is fixed. */
  g_assert_cmpint (contains (b, "Windows Server 2022", "10.0.20348.2340", "2022-05"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows Server 2022", "10.0.20348.2340", "2024-11"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2022", "10.0.20348.2849", "2024-11-12"), ==,
                   SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1645", "2022-04"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1586", "2022-04"), ==, SHR_TRISTATE_FALSE);
  /* Beyond the table: FALSE only for a build below its last update. */
  g_assert_cmpint (contains (b, NULL, "10.0.14393.953", "2031-01"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, NULL, "10.0.14393.999999", "2031-01"), ==, SHR_TRISTATE_UNKNOWN);
  /* Before the line's first update: TRUE for any listed build. */
  g_assert_cmpint (contains (b, NULL, "10.0.14393.693", "2015-06"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.14393.10", "2015-06"), ==, SHR_TRISTATE_UNKNOWN);
  /* Windows Server 2012 R2: only October 2023 is known. */
  g_assert_cmpint (contains (b, "Windows Server 2012 R2", "6.3.9600.21620", "2023-06"), ==,
                   SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows Server 2012 R2", "6.3.9600.21000", "2023-10"), ==,
                   SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2012 R2", "6.3.9600.21000", "2023-06"), ==,
                   SHR_TRISTATE_UNKNOWN);
}

static void
test_windows_contains_kb_build (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1645", "KB5012599"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1644", "KB5012599"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.953", "kb 4013429"), ==,
                   SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.953", "ＫＢ４０１３４２９"), ==,
                   SHR_TRISTATE_TRUE);
  /* Another line's KB, or one the table lacks: no answer. */
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1645", "KB5046616"), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1645", "KB1234567"), ==, SHR_TRISTATE_UNKNOWN);

  g_assert_cmpint (contains (b, NULL, "10.0.19044.1645", "10.0.19044.1645"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1600", "10.0.19044.1645"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.1700", "19044.1645"), ==, SHR_TRISTATE_TRUE);
  /* An out-of-band fixed build on the asset's own line is compared as is. */
  g_assert_cmpint (contains (b, NULL, "10.0.20348.2342", "10.0.20348.2342"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.20348.2340", "10.0.20348.2342"), ==, SHR_TRISTATE_FALSE);
  /* Windows 10 22H2's fixed build for a 21H2 asset: the same KB. */
  g_assert_cmpint (contains (b, NULL, "10.0.19044.2846", "10.0.19045.2846"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.19044.2788", "10.0.19045.2846"), ==, SHR_TRISTATE_FALSE);
  /* An unrelated line's build says nothing about this one. */
  g_assert_cmpint (contains (b, NULL, "10.0.19044.2846", "10.0.20348.707"), ==, SHR_TRISTATE_UNKNOWN);
  /* Windows 11 24H2's July 2026 build is not reached by Windows Server
   * 2025's January build, however much higher its number. */
  g_assert_cmpint (contains (b, NULL, "10.0.26100.32230", "10.0.26100.8875"), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (contains (b, NULL, "10.0.26100.32230", "10.0.26100.7462"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows 11 24H2", "10.0.26100.8875", "10.0.26100.8246"), ==,
                   SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows 11 24H2", "10.0.26100.8246", "2026-07"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, "Windows Server 2025", "10.0.26100.32860", "2026-05"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, "Windows Server 2025", "10.0.26100.8457", "2026-05"), ==,
                   SHR_TRISTATE_UNKNOWN);
}

static void
test_windows_no_update_level (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  /* A version without its update level is never FALSE. */
  const gchar *fixes[] = { "2017-03", "2017-03-14", "KB4013429", "10.0.14393.953", "2031-01", "2010-01" };
  const gchar *versions[] = { "10.0.14393", "", NULL, "1607", "Windows Server 2016" };
  for (guint f = 0; f < G_N_ELEMENTS (fixes); f++)
    for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
      g_assert_cmpint (contains (b, "Windows Server 2016", versions[v], fixes[f]), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (contains (b, NULL, NULL, "2017-03"), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (contains (NULL, "Windows Server 2016", "10.0.14393.953", "2017-03"), ==,
                   SHR_TRISTATE_UNKNOWN);
}

static void
test_windows_hostile (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  g_autofree gchar *long_version = g_strnfill (200, '9');
  g_autofree gchar *long_build = g_strconcat ("10.0.14393.", long_version, NULL);
  g_autofree gchar *pad = g_strnfill (600, 'x');
  g_autofree gchar *long_product = g_strconcat ("Windows Server 2016 ", pad, NULL);
  const gchar *bad_versions[] = {
    long_version,       long_build,           "10.0.-14393.953",   "-10.0.14393.953",  "10.0.14393.-953",
    "10.0.14393.953.1", "10.0.14393.9530000", "10.0.14393..953",   "10.0.14393.953a",  "+14393.953",
    "10.1.14393.953",   "4294967296.953",     "14393.99999999999", "10.0.14393.0x3b9",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad_versions); i++)
    {
      g_assert_null (shr_builds_windows_line (b, NULL, bad_versions[i]));
      g_assert_cmpint (contains (b, "Windows Server 2016", bad_versions[i], "2017-03"), ==,
                       SHR_TRISTATE_UNKNOWN);
      g_autofree gchar *m = shr_builds_windows_month (b, "Windows Server 2016", bad_versions[i]);
      g_assert_null (m);
    }
  g_assert_null (shr_builds_windows_line (b, long_product, NULL));
  g_assert_null (shr_builds_windows_line (b, "\xff\xfeWindows Server 2016", NULL));
  g_assert_null (shr_builds_windows_product_line (b, long_product));
  g_assert_false (shr_builds_windows_names_line (b, "Windows\xc0 Server 2016",
                                                 shr_builds_windows_line (b, "Windows Server 2016", NULL)));
  g_assert_false (shr_builds_windows_names_line (b, "Windows Server 2016", NULL));
  const gchar *bad_fixes[] = {
    "",           "KB",       "KB-5012599", "KB5012599x", "kb99999999999", "2017-13",
    "2017-02-30", "2017--3",  "-2017-03",   "17-03-14",   "10.0.14393",    "14393",
    "drop table", "\xff\xfe", long_build,   long_version,
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad_fixes); i++)
    g_assert_cmpint (contains (b, "Windows Server 2016", "10.0.14393.953", bad_fixes[i]), ==,
                     SHR_TRISTATE_UNKNOWN);
}

static void
test_windows_table_logic (void)
{
  /* Two lines sharing a build that part after 2021-02, and a month the
   * table does not know (2021-04) on one of them. */
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrBuilds) b = load_windows_text ("# test\n"
                                               "line\tclient\t10.0.30000\tClient\twindows 12 30h1\n"
                                               "line\tserver\t10.0.30000\tServer\twindows server 2030\n"
                                               "update\tclient\t2021-01\t2021-01-12\t10.0.30000.100\tKB1\n"
                                               "update\tclient\t2021-02\t2021-02-09\t10.0.30000.200\tKB2\n"
                                               "update\tclient\t2021-03\t2021-03-09\t10.0.30000.300\tKB3\n"
                                               "update\tclient\t2021-05\t2021-05-11\t10.0.30000.500\tKB5\n"
                                               "update\tserver\t2021-01\t2021-01-12\t10.0.30000.100\tKB1\n"
                                               "update\tserver\t2021-02\t2021-02-09\t10.0.30000.200\tKB2\n"
                                               "update\tserver\t2021-03\t2021-03-09\t10.0.30000.9000\tKB30\n"
                                               "update\tserver\t2021-04\t2021-04-13\t10.0.30000.9100\tKB40\n",
                                               &error);
  g_assert_no_error (error);
  assert_month (b, NULL, "10.0.30000.250", "2021-02");
  g_assert_null (shr_builds_windows_line (b, NULL, "10.0.30000.250"));
  g_assert_cmpstr (line_id (b, NULL, "10.0.30000.350"), ==, "client");
  g_assert_cmpstr (line_id (b, NULL, "10.0.30000.9050"), ==, "server");
  /* 10.0.30000.350 is March's; April is not known on that line. */
  assert_month (b, NULL, "10.0.30000.300", "2021-03");
  assert_month (b, NULL, "10.0.30000.350", NULL);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.350", "2021-04"), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.500", "2021-04"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.250", "2021-04"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.350", "2021-05"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.9050", "2021-04"), ==, SHR_TRISTATE_FALSE);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.9100", "2021-04"), ==, SHR_TRISTATE_TRUE);
  /* Before they parted, both lines answer alike. */
  g_assert_cmpint (contains (b, NULL, "10.0.30000.250", "2021-02"), ==, SHR_TRISTATE_TRUE);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.150", "2021-02"), ==, SHR_TRISTATE_FALSE);
  /* The client's fixed build is not the server's. */
  g_assert_cmpint (contains (b, NULL, "10.0.30000.9100", "10.0.30000.500"), ==, SHR_TRISTATE_UNKNOWN);
  g_assert_cmpint (contains (b, NULL, "10.0.30000.9100", "10.0.30000.200"), ==, SHR_TRISTATE_TRUE);
}

/* Every month of the shipped table: that month's build contains that
 * month's update and is that month's; the build just below it is not. */
static void
test_windows_every_row (void)
{
  g_autoptr (ShrBuilds) b = load_windows ();
  g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "windows-builds.tsv", NULL);
  g_autofree gchar *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) rows = g_strsplit (text, "\n", -1);
  guint updates = 0;
  g_autofree gchar *prev_line = NULL;
  g_autofree gchar *prev_build = NULL;
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (rows[i], "\t", -1);
      if (g_strv_length (f) != 6 || strcmp (f[0], "update") != 0)
        continue;
      updates++;
      /* The product name of the line settles build 26100. */
      const gchar *product = strcmp (f[1], "ws2025") == 0       ? "Windows Server 2025"
                             : strcmp (f[1], "win11-24h2") == 0 ? "Windows 11 24H2"
                                                                : NULL;
      g_assert_cmpstr (line_id (b, product, f[4]), ==, f[1]);
      assert_month (b, product, f[4], f[2]);
      g_assert_cmpint (contains (b, product, f[4], f[2]), ==, SHR_TRISTATE_TRUE);
      g_assert_cmpint (contains (b, product, f[4], f[3]), ==, SHR_TRISTATE_TRUE);
      g_assert_cmpint (contains (b, product, f[4], f[5]), ==, SHR_TRISTATE_TRUE);
      g_assert_cmpint (contains (b, product, f[4], f[4]), ==, SHR_TRISTATE_TRUE);
      if (prev_line != NULL && strcmp (prev_line, f[1]) == 0)
        {
          g_assert_cmpint (contains (b, product, prev_build, f[2]), ==, SHR_TRISTATE_FALSE);
          g_assert_cmpint (contains (b, product, prev_build, f[5]), ==, SHR_TRISTATE_FALSE);
        }
      g_free (prev_line);
      g_free (prev_build);
      prev_line = g_strdup (f[1]);
      prev_build = g_strdup (f[4]);
    }
  g_assert_cmpuint (updates, >=, 500);
}

static void
assert_load_error (const gchar *text, guint lineno, const gchar *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrBuilds) b = load_windows_text (text, &error);
  g_assert_null (b);
  g_assert_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE);
  g_autofree gchar *where = g_strdup_printf ("windows-builds.tsv:%u: ", lineno);
  if (strstr (error->message, where) == NULL || strstr (error->message, what) == NULL)
    g_error ("unexpected message: %s", error->message);
}

static void
test_windows_bad_file (void)
{
  const gchar *head = "# lines\n"
                      "line\tws2016\t10.0.14393\tWindows Server 2016\twindows server 2016\n";
  g_autofree gchar *t1
      = g_strconcat (head, "update\tws2016\t2017-03\t2017-03-14\t10.0.17763.953\tKB4013429\n", NULL);
  assert_load_error (t1, 3, "not a full build of 10.0.14393");
  g_autofree gchar *t2
      = g_strconcat (head, "update\tws2016\t2017-03\t2017-04-11\t10.0.14393.953\tKB4013429\n", NULL);
  assert_load_error (t2, 3, "not a day of 2017-03");
  g_autofree gchar *t3 = g_strconcat (head,
                                      "update\tws2016\t2017-03\t2017-03-14\t10.0.14393.953\tKB4013429\n"
                                      "update\tws2016\t2017-01\t2017-01-10\t10.0.14393.693\tKB3213986\n",
                                      NULL);
  assert_load_error (t3, 4, "must come after");
  g_autofree gchar *t4
      = g_strconcat (head, "update\tws2019\t2017-03\t2017-03-14\t10.0.14393.953\tKB4013429\n", NULL);
  assert_load_error (t4, 3, "a line's ID");
  g_autofree gchar *t5
      = g_strconcat (head, "update\tws2016\t2017-03\t2017-03-14\t10.0.14393.953\t4013429\n", NULL);
  assert_load_error (t5, 3, "not a KB number");
  g_autofree gchar *t6 = g_strconcat (head, "patch\tws2016\n", NULL);
  assert_load_error (t6, 3, "\"patch\"");
  g_autofree gchar *t7 = g_strconcat (head, "line\tws2016\t10.0.14393\tAgain\twindows 10 1607\n", NULL);
  assert_load_error (t7, 3, "given twice");
  assert_load_error ("line\tx\t10.0.x\tX\twindows x\n", 1, "not a Windows build");
  g_autofree gchar *t8 = g_strconcat (head,
                                      "update\tws2016\t2017-01\t2017-01-10\t10.0.14393.693\tKB3213986\n"
                                      "none\tws2016\t2017-05\tafter the last update\n",
                                      NULL);
  assert_load_error (t8, 4, "between the line's updates");
  g_autofree gchar *t9
      = g_strconcat (head, "update\tws2016\t2017-3\t2017-03-14\t10.0.14393.953\tKB4013429\n", NULL);
  assert_load_error (t9, 3, "not YYYY-MM");

  /* A failed load leaves the table as it was. */
  g_autoptr (ShrBuilds) b = load_windows ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("shirase-winbuilds-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "windows-builds.tsv", NULL);
  g_assert_true (g_file_set_contents (path, t3, -1, NULL));
  g_assert_false (shr_builds_load_windows (b, path, &error));
  g_assert_cmpstr (line_id (b, NULL, "10.0.14393.953"), ==, "ws2016");
  assert_month (b, NULL, "10.0.14393.953", "2017-03");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/builds/find", test_find);
  g_test_add_func ("/builds/affected", test_affected);
  g_test_add_func ("/builds/bad-file", test_bad_file);
  g_test_add_func ("/builds/windows/line", test_windows_line);
  g_test_add_func ("/builds/windows/advisory-names", test_windows_advisory_names);
  g_test_add_func ("/builds/windows/month", test_windows_month);
  g_test_add_func ("/builds/windows/contains/month", test_windows_contains_month);
  g_test_add_func ("/builds/windows/contains/kb-build", test_windows_contains_kb_build);
  g_test_add_func ("/builds/windows/no-update-level", test_windows_no_update_level);
  g_test_add_func ("/builds/windows/hostile", test_windows_hostile);
  g_test_add_func ("/builds/windows/table-logic", test_windows_table_logic);
  g_test_add_func ("/builds/windows/every-row", test_windows_every_row);
  g_test_add_func ("/builds/windows/bad-file", test_windows_bad_file);
  return g_test_run ();
}
