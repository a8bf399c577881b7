/* SPDX-License-Identifier: GPL-3.0-or-later */
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
                                        "user = advisories@example.co.jp\n"
                                        "password_command = cat /etc/shirase/imap.pass\n"
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
  g_string_replace (want, "%D", f->dir, 0);
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
  const gchar *text = ORG "[imap]\nhost = localhost\npassword = hunter2\nuser = u\n";
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

/* ---- the rules once, watch and the approval loop apply ------------------ */

#define IMAP_OK "[imap]\nhost = imap.example.test\nuser = u\n"

/* Each rule a stage applies when it starts is refused at load with the
 * line of the key at fault, so check-config and once agree. */
static void
test_imap_rules (Fixture *f, gconstpointer data)
{
  g_autofree gchar *pw = test_write_file (f->dir, "pw", "secret\n", 0600);
  expect_error (f, ORG "[imap]\nhost = imap.example.test\npassword_file = pw\n", 0600,
                SHR_CONFIG_ERROR_MISSING_KEY, "%s:3: [imap]: missing required key \"user\"");
  expect_error (f, ORG IMAP_OK, 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:3: [imap]: give exactly one of password_file, password_command, oauth2_token_command "
                "(or password), not 0");
  expect_error (f, ORG IMAP_OK "password_file = pw\noauth2_token_command = cat pw\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:7: [imap]: give exactly one of password_file, password_command, oauth2_token_command "
                "(or password), not 2");
  expect_error (
      f, ORG IMAP_OK "password_file = pw\nsecurity = none\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
      "%s:7: [imap] security = none is allowed only towards a loopback address (127.0.0.1, ::1, or a "
      "name that resolves only to loopback addresses), not \"imap.example.test\"");
  expect_error (f, ORG IMAP_OK "password_file = pw\nfailed_folder = INBOX\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:7: [imap] done_folder and failed_folder must differ from folder \"INBOX\"");
  expect_error (f, ORG IMAP_OK "password_file = nowhere\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [imap] password_file %D/nowhere: No such file or directory");
  g_autofree gchar *open_pw = test_write_file (f->dir, "open-pw", "secret\n", 0644);
  expect_error (f, ORG IMAP_OK "password_file = open-pw\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [imap] password_file %D/open-pw: readable by others (mode 644); chmod 600 it");
  /* An empty password is refused, not sent to the server. */
  g_autofree gchar *empty = test_write_file (f->dir, "empty-pw", "\nsecret on line 2\n", 0600);
  expect_error (f, ORG IMAP_OK "password_file = empty-pw\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [imap] password_file %D/empty-pw: empty (its first line is the secret)");
  expect_error (f, ORG IMAP_OK "password = \n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [imap] password: empty value");
  expect_error (f, ORG IMAP_OK "oauth2_token_command = shirase-no-such-helper --refresh\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [imap] oauth2_token_command: \"shirase-no-such-helper\" is not an executable program "
                "in PATH");
  expect_error (f, ORG IMAP_OK "password_command = /nonexistent/pass show imap\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [imap] password_command: \"/nonexistent/pass\" is not an executable program");
  expect_error (f, ORG IMAP_OK "password_file = pw\nca_file = ca.pem\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:7: [imap] ca_file: %D/ca.pem: No such file or directory");

  /* What the stages accept, the loader accepts: a relative password file
   * next to the config, a command through the shell, loopback in clear. */
  g_autofree gchar *ok
      = test_write_file (f->dir, "ok.conf",
                         ORG "[imap]\nhost = 127.0.0.1\nsecurity = none\nuser = u\npassword_file = pw\n"
                             "[smtp]\nurl = smtp://127.0.0.1:25\nsecurity = none\nfrom = S <s@example.test>\n"
                             "user = u\npassword_command = printf '%s\\n' \"$HOME\" | head -1\n",
                         0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (ok, &f->vocab, &error);
  g_assert_no_error (error);
}

static void
test_smtp_rules (Fixture *f, gconstpointer data)
{
  expect_error (
      f, ORG "[smtp]\nurl = smtp://mail.example.test\nsecurity = none\n", 0600,
      SHR_CONFIG_ERROR_INVALID_VALUE,
      "%s:5: [smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not mail.example.test; use starttls or tls");
  expect_error (
      f, ORG "[smtp]\nurl = smtp://mail.example.test\nsecurity = tls\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
      "%s:5: [smtp] security = tls does not fit the url smtp://mail.example.test (tls needs smtps://, "
      "starttls and none need smtp://)");
  expect_error (f, ORG "[smtp]\nurl = http://mail.example.test\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [smtp] url: \"http://mail.example.test\" is not smtp:// or smtps://");
  g_autofree gchar *pw = test_write_file (f->dir, "pw", "secret\n", 0600);
  expect_error (
      f, ORG "[smtp]\nurl = smtps://mail.example.test\nuser = u\npassword_file = pw\npassword = x\n", 0600,
      SHR_CONFIG_ERROR_INVALID_VALUE,
      "%s:7: [smtp] give only one of password, password_file, password_command, oauth2_token_command");
  expect_error (f, ORG "[smtp]\nurl = smtps://mail.example.test\npassword_file = pw\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE, "%s:3: [smtp] user: missing (a password or token is set)");
  g_autofree gchar *empty = test_write_file (f->dir, "empty-pw", "", 0600);
  expect_error (f, ORG "[smtp]\nurl = smtps://mail.example.test\nuser = u\npassword_file = empty-pw\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:6: [smtp] password_file %D/empty-pw: empty (its first line is the secret)");
}

#define SMTP_OK "[smtp]\nurl = smtp://127.0.0.1:25\nsecurity = none\nfrom = Shirase <shirase@example.test>\n"

static void
test_approval_rules (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "[approval]\napprovers = a@example.test\n", 0600, SHR_CONFIG_ERROR_MISSING_KEY,
                "%s:3: [approval]: drafts go out by mail, but there is no [smtp] group");
  expect_error (
      f, ORG "[smtp]\nurl = smtp://127.0.0.1:25\nsecurity = none\n[approval]\napprovers = a@example.test\n",
      0600, SHR_CONFIG_ERROR_MISSING_KEY,
      "%s:3: [smtp] from: an address is needed to send drafts and notices");
  expect_error (f, ORG SMTP_OK "[approval]\napprovers = a@example.test, b@example.test\nquorum = 3\n", 0600,
                SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:9: [approval] quorum: 3 approvals are needed, but approvers lists 2");
  expect_error (f, ORG SMTP_OK "[approval]\napprovers = a@example.test\nrequire_auth_results = true\n", 0600,
                SHR_CONFIG_ERROR_MISSING_KEY,
                "%s:9: [approval] require_auth_results: needs trusted_authserv_id (the authserv-id your "
                "receiving server writes in Authentication-Results), else no reply would count");
  expect_error (f,
                ORG SMTP_OK "[approval]\napprovers = a@example.test\ntrusted_authserv_id = mx.example.test\n",
                0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:9: [approval] trusted_authserv_id: has no effect unless require_auth_results = true");
  g_autofree gchar *ok
      = test_write_file (f->dir, "ok.conf",
                         ORG SMTP_OK "[approval]\napprovers = a@example.test, b@example.test\n"
                                     "quorum = 2\nrequire_auth_results = true\n"
                                     "trusted_authserv_id = mx.example.test\n",
                         0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) c = shr_config_load (ok, &f->vocab, &error);
  g_assert_no_error (error);
}

static void
test_templates_rule (Fixture *f, gconstpointer data)
{
  expect_error (f, ORG "[templates]\ndir = .\n", 0600, SHR_CONFIG_ERROR_INVALID_VALUE,
                "%s:4: [templates] dir: %D/.: not a template directory (no notice-ja.txt)");
}

/* ---- the documentation: every key, in the example and the man page ------- */

/* The lines of @text between the line @heading_re matches and the next
 * line @next_re matches. */
static gchar *
section_of (const gchar *text, const gchar *heading_re, const gchar *next_re)
{
  g_autoptr (GRegex) head = g_regex_new (heading_re, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GRegex) next = g_regex_new (next_re, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  if (!g_regex_match (head, text, 0, &m))
    return NULL;
  gint end = 0;
  g_match_info_fetch_pos (m, 0, NULL, &end);
  g_autoptr (GMatchInfo) n = NULL;
  gint stop = (gint)strlen (text);
  if (g_regex_match (next, text + end, 0, &n))
    {
      g_match_info_fetch_pos (n, 0, &stop, NULL);
      stop += end;
    }
  return g_strndup (text + end, stop - end);
}

static gchar *
read_source (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (test_srcdir (), dir, name, NULL);
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Every key shirase knows is in config/shirase.conf.example (set or
 * commented out, in its group) and in shirase.conf(5) (a .TP or .TQ entry
 * under its group's heading): nothing an administrator can set is
 * undocumented. */
static void
test_documented (Fixture *f, gconstpointer data)
{
  g_autofree gchar *example = read_source ("config", "shirase.conf.example");
  g_autofree gchar *man = read_source ("man", "shirase.conf.5.in");
  g_auto (GStrv) keys = shr_config_known_keys ();
  g_assert_cmpuint (g_strv_length (keys), >=, 57);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_auto (GStrv) gk = g_strsplit (keys[i], " ", 2);
      const gchar *group = gk[0], *key = gk[1];
      g_autofree gchar *head = g_strcmp0 (group, "asset") == 0 ? g_strdup ("^\\[asset [^]]+\\]$")
                                                               : g_strdup_printf ("^\\[%s\\]$", group);
      g_autofree gchar *in_example = section_of (example, head, "^\\[");
      g_assert_nonnull (in_example);
      g_autofree gchar *key_re = g_strdup_printf ("^#?%s = ", key);
      if (!g_regex_match_simple (key_re, in_example, G_REGEX_MULTILINE, 0))
        g_error ("config/shirase.conf.example: no \"%s = \" line in [%s]", key, group);

      g_autofree gchar *man_head = g_strcmp0 (group, "asset") == 0
                                       ? g_strdup ("^\\.SS \\[asset NAME\\]$")
                                       : g_strdup_printf ("^\\.SS \\[%s\\]$", group);
      g_autofree gchar *in_man = section_of (man, man_head, "^\\.S[SH] ");
      g_assert_nonnull (in_man);
      g_autofree gchar *man_re = g_strdup_printf ("^\\.T[PQ]\\n\\.BR? %s( |$)", key);
      if (!g_regex_match_simple (man_re, in_man, G_REGEX_MULTILINE, 0))
        g_error ("man/shirase.conf.5.in: no entry for %s under .SS [%s]", key, group);
    }
}

/* The example as shipped passes check-config once its files exist. */
static void
test_example_valid (Fixture *f, gconstpointer data)
{
  g_autofree gchar *example = read_source ("config", "shirase.conf.example");
  g_autoptr (GString) text = g_string_new (example);
  g_autofree gchar *dir = g_strconcat (f->dir, "/", NULL);
  g_string_replace (text, "/etc/shirase/", dir, 0);
  g_autofree gchar *imap = test_write_file (f->dir, "imap-password", "secret\n", 0600);
  g_autofree gchar *smtp = test_write_file (f->dir, "smtp-password", "secret\n", 0600);
  g_autofree gchar *path = test_write_file (f->dir, "shirase.conf", text->str, 0640);
  g_autoptr (GPtrArray) problems = shr_config_check (path, &f->vocab);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", ((ShrConfigProblem *)problems->pdata[i])->message);
  g_assert_cmpuint (problems->len, ==, 0);
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
  ADD ("/config/rules/imap", test_imap_rules);
  ADD ("/config/rules/smtp", test_smtp_rules);
  ADD ("/config/rules/approval", test_approval_rules);
  ADD ("/config/rules/templates", test_templates_rule);
  ADD ("/config/documented", test_documented);
  ADD ("/config/example-valid", test_example_valid);
  return g_test_run ();
}
