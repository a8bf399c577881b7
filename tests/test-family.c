/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products that are the same product under other names (data/families.tsv):
 * one match and one non-match for each kind of relation. */
#include "shr-family.h"

#include <glib/gstdio.h>

static ShrConcerns
relate (const gchar *adv_vendor, const gchar *advisory, const gchar *asset_vendor, const gchar *asset)
{
  const ShrFamilies *f = shr_families_get_default ();
  const ShrFamilyMember *a = shr_families_find (f, adv_vendor, advisory);
  const ShrFamilyMember *b = shr_families_find (f, asset_vendor, asset);
  if (a == NULL || b == NULL)
    return SHR_CONCERNS_NO;
  return shr_families_relate (a, b);
}

static void
test_relations (void)
{
  static const struct
  {
    const gchar *adv_vendor, *advisory, *asset_vendor, *asset;
    ShrConcerns expected;
  } cases[] = {
    /* An edition: the family covers it, another edition does not. */
    { "Microsoft", "Windows", "Microsoft", "Windows Server 2022", SHR_CONCERNS_COVERS },
    { "Microsoft", "Windows Server 2019 for x64-based Systems", "Microsoft", "Windows Server 2019",
      SHR_CONCERNS_SAME },
    { "Microsoft", "Windows Server 2022 (Server Core installation)", "Microsoft", "Windows Server 2022",
      SHR_CONCERNS_SAME },
    { "Microsoft", "Windows Server 2019", "Microsoft", "Windows 10", SHR_CONCERNS_NO },
    { "Mozilla", "Firefox", "Mozilla", "Firefox ESR", SHR_CONCERNS_COVERS },
    /* An appliance and its operating system, both ways. */
    { "Fortinet", "FortiOS", "Fortinet", "FortiGate", SHR_CONCERNS_SAME },
    { "Fortinet", "FortiGate", "Fortinet", "FortiOS", SHR_CONCERNS_SAME },
    { "Fortinet", "FortiOS", "Fortinet", "FortiGate 200F", SHR_CONCERNS_SAME },
    { "Cisco", "Firepower Threat Defense", "Cisco", "Cisco Firepower 2110", SHR_CONCERNS_SAME },
    { "Fortinet", "FortiOS", "Fortinet", "FortiManager", SHR_CONCERNS_NO },
    /* A former name. */
    { "Pulse Secure", "Pulse Connect Secure", "Ivanti", "Connect Secure", SHR_CONCERNS_SAME },
    { "Citrix", "Citrix ADC", "Citrix", "NetScaler ADC", SHR_CONCERNS_SAME },
    { "Citrix", "Citrix ADC", "Citrix", "ShareFile", SHR_CONCERNS_NO },
    /* A feature: the product's assets, on condition it is used. */
    { "Palo Alto Networks", "GlobalProtect", "Palo Alto Networks", "PAN-OS", SHR_CONCERNS_FEATURE },
    { "Microsoft", "OWA", "Microsoft", "Exchange Server 2019", SHR_CONCERNS_FEATURE },
    { "Palo Alto Networks", "GlobalProtect", "Fortinet", "FortiOS", SHR_CONCERNS_NO },
    /* A package of a product, in any distribution. */
    { "Debian", "tomcat10", "Apache", "Tomcat", SHR_CONCERNS_SAME },
    { "Ubuntu", "openssh-server", "OpenBSD", "OpenSSH", SHR_CONCERNS_SAME },
    { "Debian", "tomcat10", "Apache", "HTTP Server", SHR_CONCERNS_NO },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ShrConcerns got
          = relate (cases[i].adv_vendor, cases[i].advisory, cases[i].asset_vendor, cases[i].asset);
      if (got != cases[i].expected)
        g_error ("%s vs %s: %d, expected %d", cases[i].advisory, cases[i].asset, got, cases[i].expected);
    }
}

static void
test_unknown_names (void)
{
  const ShrFamilies *f = shr_families_get_default ();
  /* A name no family has, and no fall-back to one generic word. */
  g_assert_null (shr_families_find (f, "Example", "Example Gateway"));
  g_assert_null (shr_families_find (f, NULL, "Server"));
  g_assert_null (shr_families_find (f, NULL, ""));
}

static void
test_bad_file (void)
{
  g_autofree gchar *path = NULL;
  gint fd = g_file_open_tmp ("families-XXXXXX.tsv", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (g_file_set_contents (path, "Foo\tedition\tFoo 1|Foo 2\nBar\tcousin\tBaz\n", -1, NULL));
  g_close (fd, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrFamilies) bad = shr_families_load (path, &error);
  g_assert_null (bad);
  g_assert_nonnull (g_strstr_len (error->message, -1, ":2:"));
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/family/relations", test_relations);
  g_test_add_func ("/family/unknown-names", test_unknown_names);
  g_test_add_func ("/family/bad-file", test_bad_file);
  return g_test_run ();
}
