/* Tests of the config file: the profile it builds, and every kind of
 * error pinned by its exact message (file:line: [group] key: …). */
#include <string.h>

#include "shr-config.h"
#include "test-util.h"

typedef struct
{
  gchar *dir;
  ShrWordTables *tables;
  ShrVocabulary vocab;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("shirase-config-XXXXXX", &error);
  g_assert_no_error (error);
  f->tables = test_word_tables ();
  f->vocab = shr_word_tables_vocabulary (f->tables);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
  shr_word_tables_free (f->tables);
}

static const gchar *const good_config = "# sample\n"
                                        "[organization]\n"
                                        "name = 株式会社サンプル\n"
                                        "sectors = energy;it\n"
                                        "regions = JP\n"
                                        "timezone = Asia/Tokyo\n"
                                        "\n"
                                        "[asset exchange]\n"
                                        "vendor = Microsoft\n"
                                        "product = Exchange Server\n"
                                        "version = 15.2.1544.4\n"
                                        "exposure = internet\n"
                                        "owners = infra@example.co.jp\n"
                                        "\n"
                                        "[policy]\n"
                                        "grade_a_cvss = 9.0\n"
                                        "grade_b_cvss = 7.0\n"
                                        "\n"
                                        "[imap]\n"
                                        "host = imap.example.co.jp\n"
                                        "port = 993\n"
                                        "security = tls\n"
                                        "password_file = /etc/shirase/imap.pass\n"
                                        "idle = true\n"
                                        "\n"
                                        "[digest]\n"
                                        "time = 09:00\n";

static void
test_valid (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = test_write_file (f->dir, "ok.conf", good_config, 0644);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  ShrProfile *p = c->profile;
  g_assert_cmpstr (p->name, ==, "株式会社サンプル");
  g_assert_cmpuint (p->sectors->len, ==, 2);
  g_assert_cmpstr (p->sectors->pdata[0], ==, "energy");
  g_assert_cmpstr (p->sectors->pdata[1], ==, "it");
  g_assert_cmpuint (p->regions->len, ==, 1);
  g_assert_cmpstr (p->regions->pdata[0], ==, "JP");
  g_assert_cmpstr (p->timezone_id, ==, "Asia/Tokyo");
  g_assert_cmpuint (p->assets->len, ==, 1);
  ShrAsset *a = p->assets->pdata[0];
  g_assert_cmpstr (a->name, ==, "exchange");
  g_assert_cmpstr (a->vendor, ==, "Microsoft");
  g_assert_cmpstr (a->product, ==, "Exchange Server");
  g_assert_cmpstr (a->version, ==, "15.2.1544.4");
  g_assert_cmpint (a->exposure, ==, SHR_EXPOSURE_INTERNET);
  g_assert_cmpuint (a->owners->len, ==, 1);
  g_assert_cmpstr (a->owners->pdata[0], ==, "infra@example.co.jp");
  g_assert_cmpfloat (p->policy.grade_a_cvss, ==, 9.0);
  g_assert_cmpint (p->policy.deadline_days[1], ==, 7);
  /* The other stages' groups stay in the key file. */
  g_autofree gchar *host = g_key_file_get_string (c->keyfile, "imap", "host", NULL);
  g_assert_cmpstr (host, ==, "imap.example.co.jp");
  /* The index finds the asset under the advisory's name for it. */
  g_autoptr (GPtrArray) found = shr_profile_find_assets (p, &f->vocab, "Microsoft", "Exchange Server");
  g_assert_cmpuint (found->len, ==, 1);
}

/* Loads @text and checks the first error's code and exact message; "%s"
 * in @message stands for the file's path. */
static void
expect_error (Fixture *f, const gchar *text, int mode, ShrConfigError code, const gchar *message)
{
  g_autofree gchar *path = test_write_file (f->dir, "bad.conf", text, mode);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_null (c);
  g_assert_error (error, SHR_CONFIG_ERROR, (gint)code);
  g_autoptr (GString) want = g_string_new (message);
  g_string_replace (want, "%s", path, 0);
  g_assert_cmpstr (error->message, ==, want->str);
}

#define ORG "[organization]\nname = X\n"

static void
test_unknown_group (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "\n[imapp]\nhost = x\n", 0600, SHR_CONFIG_ERROR_UNKNOWN_GROUP,
                "%s:4: unknown group [imapp]");
}

static void
test_unknown_key (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "[asset exchange]\nvendr = Microsoft\nproduct = Exchange Server\n", 0600,
                SHR_CONFIG_ERROR_UNKNOWN_KEY, "%s:4: [asset exchange] vendr: unknown key");
  expect_error (f, ORG "[smtp]\nurl = smtp://localhost\nfrm = a@b\n", 0600, SHR_CONFIG_ERROR_UNKNOWN_KEY,
                "%s:5: [smtp] frm: unknown key");
  /* A localised key is not a key shirase reads either. */
  expect_error (f, ORG "name[ja] = 株式会社\n", 0600, SHR_CONFIG_ERROR_UNKNOWN_KEY,
                "%s:3: [organization] name[ja]: unknown key");
}

static void
test_unknown_sector (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = test_write_file (f->dir, "s.conf", ORG "sectors = energy;enrgy\n", 0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE);
  g_autofree gchar *want
      = g_strdup_printf ("%s:3: [organization] sectors: unknown sector \"enrgy\" (known: energy, "
                         "government, telecom, it, finance, ",
                         path);
  g_assert_true (g_str_has_prefix (error->message, want));
}

static void
test_unknown_region_and_timezone (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "regions = JP;XX\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:3: [organization] regions: unknown region \"XX\"");
  expect_error (f, ORG "timezone = Asia/Tokio\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:3: [organization] timezone: unknown time zone \"Asia/Tokio\"");
}

static void
test_bad_version (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "[asset ssl]\nproduct = openssl\nscheme = dpkg\nversion = abc\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [asset ssl] version: \"abc\" is not a version: does not start "
                "with a digit (scheme dpkg)");
  expect_error (f, ORG "[asset ex]\nproduct = Exchange\nversion = latest\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:5: [asset ex] version: \"latest\" is not a version: no digit "
                "(scheme generic)");
}

static void
test_missing_key (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "\n[asset exchange]\nvendor = Microsoft\n", 0600, SHR_CONFIG_ERROR_MISSING_KEY,
                "%s:4: [asset exchange]: missing required key \"product\"");
  expect_error (f, "[organization]\nsectors = energy\n", 0600, SHR_CONFIG_ERROR_MISSING_KEY,
                "%s:1: [organization]: missing required key \"name\"");
  expect_error (f, "[policy]\ngrade_a_cvss = 9.0\n", 0600, SHR_CONFIG_ERROR_MISSING_KEY,
                "%s: missing required group [organization]");
}

static void
test_password_readable (Fixture *f, gconstpointer data)
{
  const gchar *text = ORG "[imap]\nhost = localhost\npassword = hunter2\n";
  expect_error (f, text, 0644, SHR_CONFIG_ERROR_INSECURE,
                "%s:5: [imap] password: refusing a password in a file that group or "
                "others can read (chmod 600 %s, or use password_file)");
  expect_error (f, text, 0640, SHR_CONFIG_ERROR_INSECURE,
                "%s:5: [imap] password: refusing a password in a file that group or "
                "others can read (chmod 600 %s, or use password_file)");
  /* Readable by its owner only: accepted, as msmtp does. */
  g_autofree gchar *path = test_write_file (f->dir, "p.conf", text, 0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_no_error (error);
}

static void
test_syntax (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "this is not a key\n", 0600, SHR_CONFIG_ERROR_PARSE,
                "%s:3: not a group, a \"key = value\" line or a comment");
  expect_error (f, "name = X\n" ORG, 0600, SHR_CONFIG_ERROR_PARSE, "%s:1: a key before the first [group]");
  expect_error (f, ORG "[asset x\n", 0600, SHR_CONFIG_ERROR_PARSE, "%s:3: a group header must be \"[name]\"");
  expect_error (f, "\xff\xfe[x]\n", 0600, SHR_CONFIG_ERROR_PARSE, "%s: not UTF-8 text");
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "name = Y\n", 0600, SHR_CONFIG_ERROR_DUPLICATE,
                "%s:3: [organization] name: duplicate key (first at line 2)");
  expect_error (f, ORG "[asset a]\nproduct = p\n[asset a]\nproduct = q\n", 0600, SHR_CONFIG_ERROR_DUPLICATE,
                "%s:5: [asset a]: duplicate group (first at line 3)");
}

static void
test_value_types (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "[imap]\nhost = h\nport = 99999\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:5: [imap] port: \"99999\" is not a whole number from 1 to 65535");
  expect_error (f, ORG "[imap]\nhost = h\nsecurity = ssl\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:5: [imap] security: \"ssl\" is not one of tls, starttls, none");
  expect_error (f, ORG "[imap]\nhost = h\nidle = yes\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:5: [imap] idle: \"yes\" is not true or false");
  expect_error (f, ORG "[digest]\ntime = 25:00\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [digest] time: \"25:00\" is not a time of day (HH:MM)");
  expect_error (f, ORG "[policy]\ngrade_a_cvss = high\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [policy] grade_a_cvss: \"high\" is not a number from 0.0 to 10.0");
  expect_error (f, ORG "[policy]\ngrade_a_cvss = 6.0\ngrade_b_cvss = 8.0\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:3: [policy]: grade_b_cvss (8.0) is above grade_a_cvss (6.0)");
  expect_error (f, ORG "[approval]\napprovers = someone\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [approval] approvers: \"someone\" is not a mail address");
  expect_error (f, ORG "[asset web]\nproduct = httpd\nexposure = dmz\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:5: [asset web] exposure: \"dmz\" is not one of internet, internal, "
                "isolated, unknown");
  expect_error (f, ORG "[asset]\nproduct = httpd\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:3: [asset]: an asset name is letters, digits and . _ + - "
                "(\"[asset NAME]\")");
}

static void
test_assets_file (Fixture *f, gconstpointer data)
{
  g_autofree gchar *assets
      = test_write_file (f->dir, "assets.conf",
                         "# written by shirase assets import\n"
                         "[asset dpkg-apache2]\nproduct = apache2\nversion = 2.4.62-1~deb12u1\n"
                         "scheme = dpkg\n",
                         0644);
  g_autofree gchar *path = test_write_file (f->dir, "main.conf", ORG "assets_file = assets.conf\n", 0644);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->profile->assets->len, ==, 1);
  ShrAsset *a = c->profile->assets->pdata[0];
  g_assert_cmpstr (a->name, ==, "dpkg-apache2");
  g_assert_cmpint (a->scheme, ==, SHR_VERSION_SCHEME_DPKG);
  /* Through the vocabulary's "pkg:apache2", the advisory's name finds it. */
  g_autoptr (GPtrArray) found = shr_profile_find_assets (c->profile, &f->vocab, "Apache", "HTTP Server");
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_assets_file_errors (Fixture *f, gconstpointer data)
{
  g_autofree gchar *assets = test_write_file (f->dir, "assets.conf",
                                              "[asset a]\nproduct = x\nversion = 1.0 beta\n"
                                              "[imap]\nhost = h\n",
                                              0644);
  g_autofree gchar *path = test_write_file (f->dir, "main.conf", ORG "assets_file = assets.conf\n", 0644);
  g_autoptr (GPtrArray) problems = shr_config_check (path, &f->vocab);
  g_assert_cmpuint (problems->len, ==, 2);
  g_autofree gchar *w0
      = g_strdup_printf ("%s:3: [asset a] version: \"1.0 beta\" is not a version: contains spaces "
                         "(scheme generic)",
                         assets);
  g_autofree gchar *w1 = g_strdup_printf (
      "%s:4: unknown group [imap] (an assets file holds only [asset NAME] groups)", assets);
  g_assert_cmpstr (((ShrConfigProblem *)problems->pdata[0])->message, ==, w0);
  g_assert_cmpstr (((ShrConfigProblem *)problems->pdata[1])->message, ==, w1);

  g_autofree gchar *bad = test_write_file (f->dir, "bad.conf", ORG "assets_file = nowhere.conf\n", 0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (bad, &f->vocab, &error);
  g_assert_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_IO);
  g_autofree gchar *want = g_strdup_printf (
      "%s:3: [organization] assets_file: cannot read %s/nowhere.conf: no such file", bad, f->dir);
  g_assert_cmpstr (error->message, ==, want);
}

static void
test_check_lists_all (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = test_write_file (
      f->dir, "many.conf", ORG "sectors = energy\ncolour = blue\n[imapp]\n[asset a]\nvendor = v\n", 0600);
  g_autoptr (GPtrArray) problems = shr_config_check (path, &f->vocab);
  g_assert_cmpuint (problems->len, ==, 3);
  g_autofree gchar *w0 = g_strdup_printf ("%s:4: [organization] colour: unknown key", path);
  g_autofree gchar *w1 = g_strdup_printf ("%s:5: unknown group [imapp]", path);
  g_autofree gchar *w2 = g_strdup_printf ("%s:6: [asset a]: missing required key \"product\"", path);
  g_assert_cmpstr (((ShrConfigProblem *)problems->pdata[0])->message, ==, w0);
  g_assert_cmpstr (((ShrConfigProblem *)problems->pdata[1])->message, ==, w1);
  g_assert_cmpstr (((ShrConfigProblem *)problems->pdata[2])->message, ==, w2);
}

static void
test_missing_file (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (f->dir, "none.conf", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_null (c);
  g_assert_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_IO);
}

/* [summary] (issue 13): the command and its timeout, each error with its
 * file and line. */
static void
test_summary (Fixture *f, gconstpointer data)
{
  g_autofree gchar *ok = g_strdup_printf (ORG "[summary]\ncommand = /bin/sh '%s/tests/summariser.sh' good\n"
                                              "timeout_seconds = 10\n",
                                          test_srcdir ());
  g_autofree gchar *path = test_write_file (f->dir, "ok.conf", ok, 0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (path, &f->vocab, &error);
  g_assert_no_error (error);
  expect_error (
      f, ORG "[summary]\ncommand = summarise --ja\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
      "%s:4: [summary] command: \"summarise\": give the program by its absolute path (it runs with an "
      "empty environment, without PATH from ours)");
  expect_error (f, ORG "[summary]\ncommand = /nonexistent/summarise\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [summary] command: \"/nonexistent/summarise\" is not an executable file");
  expect_error (f, ORG "[summary]\ncommand = /bin/sh -c 'echo\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [summary] command: not a command line (a quote left open, or nothing to run)");
  expect_error (f, ORG "[summary]\ncommand = /bin/true\ntimeout_seconds = 0\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:5: [summary] timeout_seconds: \"0\" is not a whole number from 1 to 3600");
  expect_error (f, ORG "[summary]\ntimeout_seconds = 5\n", 0600, SHR_CONFIG_ERROR_MISSING_KEY,
                "%s:3: [summary]: missing required key \"command\"");
  expect_error (f, ORG "[summary]\ncommand = /bin/true\ntimeout = 5\n", 0600, SHR_CONFIG_ERROR_UNKNOWN_KEY,
                "%s:5: [summary] timeout: unknown key");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/config/valid", test_valid);
  ADD ("/config/error/unknown-group", test_unknown_group);
  ADD ("/config/error/unknown-key", test_unknown_key);
  ADD ("/config/error/unknown-sector", test_unknown_sector);
  ADD ("/config/error/unknown-region-timezone", test_unknown_region_and_timezone);
  ADD ("/config/error/bad-version", test_bad_version);
  ADD ("/config/error/missing-key", test_missing_key);
  ADD ("/config/error/password-readable", test_password_readable);
  ADD ("/config/error/syntax", test_syntax);
  ADD ("/config/error/duplicates", test_duplicates);
  ADD ("/config/summary", test_summary);
  ADD ("/config/error/value-types", test_value_types);
  ADD ("/config/error/missing-file", test_missing_file);
  ADD ("/config/assets-file/load", test_assets_file);
  ADD ("/config/assets-file/errors", test_assets_file_errors);
  ADD ("/config/check/lists-all", test_check_lists_all);
  return g_test_run ();
}
