/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Release names against builds (data/builds.tsv): Exchange advisories name
 * their fixes "2019 CU15 SU3"; servers report "15.2.1748.10". */
#include "shr-builds.h"
#include "shr-error.h"
#include "shr-lexicon.h"

#include <glib/gstdio.h>

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/builds/find", test_find);
  g_test_add_func ("/builds/affected", test_affected);
  g_test_add_func ("/builds/bad-file", test_bad_file);
  return g_test_run ();
}
