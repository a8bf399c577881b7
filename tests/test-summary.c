/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-summary.c — the summariser plug-in ([summary] command): the
 * command run with a clean environment and a timeout (tests/summariser.sh
 * answers as told: good output, a hallucinated CVE id or version,
 * oversize, invalid JSON, nothing, a hang, a crash, a failure), its reply
 * parsed, and checked against the record. */
#include <glib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "shr-lexicon.h"
#include "shr-limits.h"
#include "shr-summary.h"
#include "test-util.h"

/* The record of the Cisco advisory, as far as the checks read it. */
static const gchar record_json[]
    = "{\"id\": \"psirt:cisco-sa-x\", \"title\": \"Cisco IOS XE Software Web UI Privilege Escalation\","
      " \"cves\": [{\"id\": \"CVE-2026-20198\", \"cvss\": 10.0}],"
      " \"products\": [{\"vendor\": \"Cisco\", \"product\": \"IOS XE\", \"affected\": [\"17.9 < 17.9.6a\"],"
      " \"fixed\": [\"17.9.6a\", \"17.12.5\"]}]}";

static JsonNode *
record (void)
{
  g_autoptr (GError) error = NULL;
  JsonNode *n = json_from_string (record_json, &error);
  g_assert_no_error (error);
  return n;
}

static const ShrLexicon *
lexicon (void)
{
  g_autoptr (GError) error = NULL;
  const ShrLexicon *l = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  return l;
}

static ShrSummaryConfig *
config (const gchar *mode, guint timeout)
{
  ShrSummaryConfig *c = g_new0 (ShrSummaryConfig, 1);
  g_autofree gchar *script = g_build_filename (test_srcdir (), "tests", "summariser.sh", NULL);
  c->argv = g_new0 (gchar *, 4);
  c->argv[0] = g_strdup ("/bin/sh");
  c->argv[1] = g_steal_pointer (&script);
  c->argv[2] = g_strdup (mode);
  c->timeout_seconds = timeout;
  return c;
}

/* What the draft keeps for @mode. */
static JsonObject *
outcome (const gchar *mode, guint timeout, JsonNode **keep)
{
  g_autoptr (ShrSummaryConfig) c = config (mode, timeout);
  g_autoptr (JsonNode) r = record ();
  *keep = shr_summary_for_draft (c, lexicon (), r, "The advisory's text.", 7);
  return json_node_get_object (*keep);
}

static void
test_good (void)
{
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *o = outcome ("good", 10, &keep);
  g_assert_true (json_object_get_boolean_member (o, "ok"));
  JsonObject *s = json_object_get_object_member (o, "summary");
  g_assert_true (
      g_str_has_prefix (json_object_get_string_member (s, "summary_ja"), "Cisco IOS XE の Web UI 機能に"));
  g_assert_nonnull (strstr (json_object_get_string_member (s, "summary_en"), "(CVE-2026-20198)"));
  g_assert_cmpstr (json_object_get_string_member (s, "title_ja"), ==,
                   "Cisco IOS XE の Web UI で管理者権限を奪われる脆弱性（CVE-2026-20198）");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "steps_ja")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (s, "steps_en"), 1), ==,
                   "If it is, disable it until the fixed release is installed.");
}

/* Each bad behaviour: discarded, with a warning naming the reason. */
static void
test_discarded (void)
{
  static const struct
  {
    const gchar *mode;
    guint timeout;
    const gchar *reason;
  } cases[] = {
    { "hallucinated", 10, "it names CVE-2026-99999, which the record does not" },
    { "version", 10, "it names version 17.18.1, which the record does not" },
    { "oversize", 10, "wrote more than 65536 bytes" },
    { "invalid", 10, "the output is not JSON" },
    { "nothing", 10, "wrote nothing" },
    { "hang", 1, "ran past 1 s and was stopped" },
    { "crash", 10, "was killed by signal 11" },
    { "fail", 10, "exited with status 3: summary API: 401 Unauthorized (key rejected)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].mode);
      g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                             "*draft 7: the machine-written summary is discarded*");
      gint64 start = g_get_monotonic_time ();
      g_autoptr (JsonNode) keep = NULL;
      JsonObject *o = outcome (cases[i].mode, cases[i].timeout, &keep);
      g_test_assert_expected_messages ();
      g_assert_false (json_object_get_boolean_member (o, "ok"));
      const gchar *reason = json_object_get_string_member (o, "reason");
      if (strstr (reason, cases[i].reason) == NULL)
        g_error ("%s: reason \"%s\" lacks \"%s\"", cases[i].mode, reason, cases[i].reason);
      /* A hanging command costs its timeout, not more: the pipeline goes on. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, (cases[i].timeout + 5) * G_USEC_PER_SEC);
    }
}

/* The command sees its input and nothing of ours: no variable of our
 * environment (the SMTP password's, say), "/" as its directory, no
 * descriptor but its three pipes. */
static void
test_clean_environment (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("shirase-summary-XXXXXX", NULL);
  g_autofree gchar *dump = g_build_filename (dir, "seen", NULL);
  g_setenv ("SHIRASE_SMTP_PASSWORD", "hunter2-secret", TRUE);
  /* A file of ours left open without close-on-exec, as a password file
   * read by a careless library would be. */
  g_autofree gchar *secret = g_build_filename (dir, "smtp-password", NULL);
  g_assert_true (g_file_set_contents (secret, "hunter2\n", -1, NULL));
  int secret_fd = open (secret, O_RDONLY);
  g_assert_cmpint (secret_fd, >=, 0);
  g_autoptr (ShrSummaryConfig) c = config ("env", 10);
  c->argv[3] = NULL;
  gchar **argv = g_new0 (gchar *, 5);
  for (int i = 0; i < 3; i++)
    argv[i] = g_strdup (c->argv[i]);
  argv[3] = g_strdup (dump);
  g_strfreev (c->argv);
  c->argv = argv;
  g_autoptr (JsonNode) r = record ();
  g_autofree gchar *input = shr_summary_input (r, "本文 / text");
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  g_autofree gchar *out = shr_summary_run (c, input, &len, &error);
  g_assert_no_error (error);
  g_autofree gchar *seen = NULL;
  g_assert_true (g_file_get_contents (dump, &seen, NULL, NULL));
  g_assert_null (strstr (seen, "hunter2"));
  g_assert_null (strstr (seen, "env:HOME="));
  g_assert_nonnull (strstr (seen, "cwd=/\n"));
  g_assert_nonnull (strstr (seen, "env:LANG=C.UTF-8\n"));
  g_assert_nonnull (strstr (seen, "input={\"record\":{\"id\":\"psirt:cisco-sa-x\""));
  g_assert_nonnull (strstr (seen, "\"text\":\"本文 / text\"}"));
  g_assert_null (strstr (seen, "smtp-password"));
  g_assert_nonnull (strstr (seen, "fd:pipe:")); /* its standard input */
  close (secret_fd);
  g_unlink (secret);
  g_unsetenv ("SHIRASE_SMTP_PASSWORD");
  g_unlink (dump);
  g_rmdir (dir);
}

static void
expect_invalid (const gchar *output, ShrSummaryError code, const gchar *in_message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSummary) s = shr_summary_parse (output, strlen (output), &error);
  if (s != NULL)
    g_error ("parsed, though it should fail with \"%s\": %s", in_message, output);
  g_assert_error (error, SHR_SUMMARY_ERROR, (gint)code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("\"%s\" not in \"%s\"", in_message, error->message);
}

static void
test_parse (void)
{
  expect_invalid ("  \n", SHR_SUMMARY_ERROR_EMPTY, "empty");
  expect_invalid ("[\"a\"]", SHR_SUMMARY_ERROR_INVALID, "not a JSON object");
  expect_invalid ("{\"summary_ja\": \"a\"}", SHR_SUMMARY_ERROR_INVALID, "\"summary_en\" is not a string");
  expect_invalid ("{\"summary_ja\": \" \", \"summary_en\": \"b\"}", SHR_SUMMARY_ERROR_INVALID,
                  "\"summary_ja\" is empty");
  expect_invalid ("{\"summary_ja\": \"a\\u001b[2J\", \"summary_en\": \"b\"}", SHR_SUMMARY_ERROR_INVALID,
                  "control character (U+001B)");
  expect_invalid ("{\"summary_ja\": \"a\", \"summary_en\": \"b\", \"steps_ja\": \"one\"}",
                  SHR_SUMMARY_ERROR_INVALID, "\"steps_ja\" is not a list of strings");
  expect_invalid ("{\"summary_ja\": \"a\", \"summary_en\": \"b\", \"steps_en\": [1]}",
                  SHR_SUMMARY_ERROR_INVALID, "\"steps_en[0]\" is not a string");
  GString *big = g_string_new ("{\"summary_ja\": \"");
  while (big->len < SHR_MAX_SUMMARY_FIELD_BYTES + 40)
    g_string_append (big, "長い");
  g_string_append (big, "\", \"summary_en\": \"b\"}");
  expect_invalid (big->str, SHR_SUMMARY_ERROR_INVALID, "\"summary_ja\" is longer than 4096 bytes");
  g_string_free (big, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSummary) s
      = shr_summary_parse ("{\"summary_ja\": \"a\", \"summary_en\": \"b\", \"title_ja\": null}", 61, &error);
  g_assert_no_error (error);
  g_assert_null (s->title_ja);
  g_assert_cmpuint (s->steps_ja->len, ==, 0);
}

static void
expect_check (const gchar *summary_ja, const gchar *in_message)
{
  g_autofree gchar *json = g_strdup_printf ("{\"summary_ja\": \"%s\", \"summary_en\": \"x\"}", summary_ja);
  g_autoptr (ShrSummary) s = shr_summary_parse (json, strlen (json), NULL);
  g_assert_nonnull (s);
  g_autoptr (JsonNode) r = record ();
  g_autoptr (GError) error = NULL;
  gboolean ok = shr_summary_check (s, r, lexicon (), &error);
  if (in_message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  if (ok)
    g_error ("\"%s\" passed, though it should fail with \"%s\"", summary_ja, in_message);
  g_assert_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_UNSUPPORTED);
  if (strstr (error->message, in_message) == NULL)
    g_error ("\"%s\" not in \"%s\"", in_message, error->message);
}

static void
test_check (void)
{
  /* What the record holds, however written. */
  expect_check ("Cisco IOS XE（CVE-2026-20198、CVSS 10.0）を 17.9.6a または 17.12.5 へ。", NULL);
  expect_check ("ｃｖｅ－２０２６－２０１９８ の修正版は 17.9.6a です。", NULL);
  expect_check ("17.9 系と 17.12 系が対象です。", NULL);
  /* What it does not. */
  expect_check ("CVE-2026-20198 と CVE-2025-0001 があります。", "CVE-2025-0001");
  expect_check ("ＣＶＥ－２０２６－１１１１１ があります。", "CVE-2026-11111");
  expect_check ("17.9.7 へ更新してください。", "version 17.9.7");
  expect_check ("17.9 系は 17.9.6 で修正。", "version 17.9.6,");
  expect_check ("Microsoft Exchange Server も影響を受けます。", "the product Microsoft Exchange Server");
  expect_check ("FortiOS と Cisco IOS XE が対象です。", "FortiOS");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autofree gchar *datadir = g_build_filename (test_srcdir (), "data", NULL);
  g_setenv ("SHIRASE_DATADIR", datadir, FALSE);
  g_test_add_func ("/summary/command/good", test_good);
  g_test_add_func ("/summary/command/discarded", test_discarded);
  g_test_add_func ("/summary/command/clean-environment", test_clean_environment);
  g_test_add_func ("/summary/parse", test_parse);
  g_test_add_func ("/summary/check", test_check);
  return g_test_run ();
}
