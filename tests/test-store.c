/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the state database: schema, dedupe, correlation, decisions,
 * transactions and the crash switch. Each test works in its own temp dir. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "shr-error.h"
#include "shr-store.h"
#include "shr-test-hooks.h"
#include "test-util.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

typedef struct
{
  gchar *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("shr-store-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static ShrStore *
open_store (const gchar *dir)
{
  g_autoptr (GError) error = NULL;
  ShrStore *store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
record_msg (ShrStore *store, const gchar *message_id, const gchar *sha, ShrOutcome outcome)
{
  g_autoptr (GError) error = NULL;
  ShrStoreMessage m = { .folder = "INBOX",
                        .uidvalidity = 7,
                        .uid = 1,
                        .message_id = message_id,
                        .raw_sha256 = sha,
                        .outcome = outcome };
  g_assert_true (shr_store_record_message (store, &m, &error));
  g_assert_no_error (error);
}

static gboolean
seen (ShrStore *store, const gchar *message_id, const gchar *sha)
{
  g_autoptr (GError) error = NULL;
  gboolean s = 99;
  g_assert_true (shr_store_message_seen (store, message_id, sha, &s, &error));
  g_assert_no_error (error);
  return s;
}

/* Reads bytes of the database file's header (SQLite file format). */
static guchar *
read_header (const gchar *dir, gsize *len)
{
  g_autofree gchar *path = g_build_filename (dir, SHR_STORE_FILE_NAME, NULL);
  gchar *data = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (*len, >=, 100);
  return (guchar *)data;
}

static void
test_migrate_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sub = g_build_filename (f->dir, "state", "lib", NULL);
  g_autoptr (ShrStore) store = open_store (sub);
  g_assert_cmpint (shr_store_get_schema_version (store), ==, SHR_STORE_SCHEMA_VERSION);
  g_autofree gchar *expected = g_build_filename (sub, SHR_STORE_FILE_NAME, NULL);
  g_assert_cmpstr (shr_store_get_path (store), ==, expected);

  GStatBuf st;
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (expected, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Every table of the schema is there and empty. */
  ShrStoreStatus status;
  g_assert_true (shr_store_get_status (store, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status.messages[SHR_OUTCOME_HANDLED], ==, 0);
  g_assert_cmpint (status.records, ==, 0);
  g_assert_cmpint (status.cases, ==, 0);
  g_assert_cmpint (status.drafts_pending, ==, 0);
  g_assert_cmpint (status.outbox_backlog, ==, 0);
  g_assert_cmpint (status.last_sync_at, ==, 0);
  g_assert_null (status.last_error);
  shr_store_status_clear (&status);
  g_assert_true (shr_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* Opening again migrates nothing and keeps the version. */
  g_clear_pointer (&store, shr_store_close);
  store = open_store (sub);
  g_assert_cmpint (shr_store_get_schema_version (store), ==, SHR_STORE_SCHEMA_VERSION);
}

static void
test_wal_mode (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_setting_set (store, "k", "v", &error));
  g_assert_no_error (error);
  /* While open and written, the write-ahead log exists. */
  g_autofree gchar *wal = g_build_filename (f->dir, SHR_STORE_FILE_NAME "-wal", NULL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  GStatBuf st;
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&store, shr_store_close);

  /* Header bytes 18 and 19 (write and read format) are 2 in WAL mode, and
   * stay so on disk: the mode is persistent. Bytes 60..63: user_version. */
  gsize len;
  g_autofree guchar *h = read_header (f->dir, &len);
  g_assert_cmpuint (h[18], ==, 2);
  g_assert_cmpuint (h[19], ==, 2);
  g_assert_cmpuint ((guint)h[60] << 24 | h[61] << 16 | h[62] << 8 | h[63], ==, SHR_STORE_SCHEMA_VERSION);
}

static void
test_newer_schema_refused (Fixture *f, gconstpointer data)
{
  shr_store_close (open_store (f->dir));
  /* Pretend a newer shirase wrote the file: user_version = 99. */
  gsize len;
  g_autofree guchar *h = read_header (f->dir, &len);
  h[60] = h[61] = h[62] = 0;
  h[63] = 99;
  g_autofree gchar *path = g_build_filename (f->dir, SHR_STORE_FILE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, (gchar *)h, len, &error));
  g_assert_no_error (error);

  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_null (store);
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SCHEMA);
  g_autofree gchar *msg
      = g_strdup_printf ("%s: schema version 99 is newer than this shirase knows (%d); use a "
                         "newer shirase",
                         path, SHR_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (error->message, ==, msg);
}

static void
test_open_error (Fixture *f, gconstpointer data)
{
  /* The state dir path is taken by a file. */
  g_autofree gchar *file = g_build_filename (f->dir, "file", NULL);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_autofree gchar *sub = g_build_filename (file, "state", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (sub, &error);
  g_assert_null (store);
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_OPEN);
  g_autofree gchar *msg = g_strdup_printf ("cannot create the state dir %s: %s", sub, g_strerror (ENOTDIR));
  g_assert_cmpstr (error->message, ==, msg);
}

static void
test_reopen_keeps_data (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 case_id = 0;
  {
    g_autoptr (ShrStore) store = open_store (f->dir);
    g_assert_true (shr_store_put_record (store, "dsa:DSA-1-1", "{\"a\":1}", &error));
    g_assert_true (shr_store_sync_set (store, "INBOX", 1234, 56, &error));
    g_assert_true (shr_store_setting_set (store, "hmac", "s3cr3t", &error));
    const gchar *keys[] = { "CVE-2024-0001", NULL };
    g_assert_true (shr_store_case_for_keys (store, keys, "T", &case_id, NULL, &error));
    g_assert_no_error (error);
    record_msg (store, "m1@example.test", SHA_A, SHR_OUTCOME_HANDLED);
  }
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autofree gchar *json = shr_store_get_record (store, "dsa:DSA-1-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, "{\"a\":1}");
  gint64 uidvalidity = -1, last_uid = -1;
  g_assert_true (shr_store_sync_get (store, "INBOX", &uidvalidity, &last_uid, &error));
  g_assert_cmpint (uidvalidity, ==, 1234);
  g_assert_cmpint (last_uid, ==, 56);
  g_assert_true (shr_store_sync_get (store, "Other", &uidvalidity, &last_uid, &error));
  g_assert_cmpint (uidvalidity, ==, 0);
  g_assert_cmpint (last_uid, ==, 0);
  g_autofree gchar *secret = shr_store_setting_get (store, "hmac", &error);
  g_assert_cmpstr (secret, ==, "s3cr3t");
  g_autofree gchar *unset = shr_store_setting_get (store, "nope", &error);
  g_assert_null (unset);
  g_assert_no_error (error);
  g_assert_true (seen (store, "m1@example.test", SHA_B));
  const gchar *keys[] = { "CVE-2024-0001", NULL };
  gint64 again = 0;
  gboolean is_new = TRUE;
  g_assert_true (shr_store_case_for_keys (store, keys, "T2", &again, &is_new, &error));
  g_assert_cmpint (again, ==, case_id);
  g_assert_false (is_new);

  /* A record replaced keeps one row. */
  g_assert_true (shr_store_put_record (store, "dsa:DSA-1-1", "{\"a\":2}", &error));
  g_autofree gchar *json2 = shr_store_get_record (store, "dsa:DSA-1-1", &error);
  g_assert_cmpstr (json2, ==, "{\"a\":2}");
  g_autofree gchar *none = shr_store_get_record (store, "x:none", &error);
  g_assert_null (none);
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "no record x:none");
}

static void
test_dedupe_message_id (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_assert_false (seen (store, "adv-1@example.test", SHA_A));
  record_msg (store, "adv-1@example.test", SHA_A, SHR_OUTCOME_HANDLED);
  /* The same Message-ID with other bytes (re-delivered with new Received
   * headers, or moved and fetched again): seen. */
  g_assert_true (seen (store, "adv-1@example.test", SHA_B));
  /* Another Message-ID with other bytes: new. */
  g_assert_false (seen (store, "adv-2@example.test", SHA_B));
  /* An empty Message-ID counts as none. */
  g_assert_false (seen (store, "", SHA_B));
}

static void
test_dedupe_hash (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  record_msg (store, NULL, SHA_A, SHR_OUTCOME_FAILED);
  g_assert_true (seen (store, NULL, SHA_A));
  g_assert_false (seen (store, NULL, SHA_B));
  /* A message without Message-ID does not match every other one without. */
  record_msg (store, NULL, SHA_B, SHR_OUTCOME_IGNORED);
  g_assert_false (seen (store, NULL, SHA_C));

  /* The outcome comes back with the lookup. */
  gboolean found = FALSE;
  ShrOutcome outcome = SHR_OUTCOME_HANDLED;
  g_assert_true (shr_store_message_lookup (store, NULL, SHA_A, &found, &outcome, &error));
  g_assert_true (found);
  g_assert_cmpint (outcome, ==, SHR_OUTCOME_FAILED);
  g_assert_true (shr_store_message_lookup (store, "x@y", SHA_B, &found, &outcome, &error));
  g_assert_cmpint (outcome, ==, SHR_OUTCOME_IGNORED);
  g_assert_true (shr_store_message_lookup (store, "x@y", SHA_C, &found, &outcome, &error));
  g_assert_false (found);
  g_assert_no_error (error);

  /* Recording the same bytes twice is refused, not duplicated. */
  ShrStoreMessage m = { .folder = "INBOX", .uid = 9, .raw_sha256 = SHA_A, .outcome = SHR_OUTCOME_HANDLED };
  g_assert_false (shr_store_record_message (store, &m, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT);
  g_assert_false (shr_store_in_transaction (store));

  ShrStoreStatus status;
  g_clear_error (&error);
  g_assert_true (shr_store_get_status (store, &status, &error));
  g_assert_cmpint (status.messages[SHR_OUTCOME_HANDLED], ==, 0);
  g_assert_cmpint (status.messages[SHR_OUTCOME_FAILED], ==, 1);
  g_assert_cmpint (status.messages[SHR_OUTCOME_IGNORED], ==, 1);
  shr_store_status_clear (&status);
}

static void
test_foreign_keys (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  ShrStoreMessage m
      = { .folder = "INBOX", .raw_sha256 = SHA_A, .outcome = SHR_OUTCOME_HANDLED, .case_id = 999 };
  g_assert_false (shr_store_record_message (store, &m, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  m.case_id = 0;
  m.record_id = "no:such-record";
  g_assert_false (shr_store_record_message (store, &m, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT);
}

static gint64
case_of (ShrStore *store, ShrRecord *r, gboolean *is_new)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) keys = shr_store_record_keys (r);
  gint64 id = 0;
  g_assert_true (shr_store_case_for_keys (store, (const gchar *const *)keys, r->title, &id, is_new, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_case_correlation (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  gboolean is_new = FALSE;

  /* A vendor advisory with two CVEs opens a case. */
  g_autoptr (ShrRecord) vendor = shr_record_new ();
  vendor->advisory_id = g_strdup ("PAN-SA-2024-0015");
  vendor->title = g_strdup ("PAN-OS: command injection in GlobalProtect");
  shr_record_add_cve (vendor, "CVE-2024-3400");
  shr_record_add_cve (vendor, "CVE-2024-3401");
  g_auto (GStrv) keys = shr_store_record_keys (vendor);
  g_assert_cmpuint (g_strv_length (keys), ==, 3);
  g_assert_cmpstr (keys[0], ==, "CVE-2024-3400");
  g_assert_cmpstr (keys[2], ==, "PAN-SA-2024-0015");
  gint64 first = case_of (store, vendor, &is_new);
  g_assert_true (is_new);

  /* CISA names one of them: same case, no new one. */
  g_autoptr (ShrRecord) cisa = shr_record_new ();
  cisa->title = g_strdup ("CISA adds one KEV");
  shr_record_add_cve (cisa, "CVE-2024-3401");
  shr_record_add_cve (cisa, "CVE-2024-9999");
  g_assert_cmpint (case_of (store, cisa, &is_new), ==, first);
  g_assert_false (is_new);

  /* A news item naming only the CVE CISA added joins through it. */
  g_autoptr (ShrRecord) news = shr_record_new ();
  shr_record_add_cve (news, "CVE-2024-9999");
  g_assert_cmpint (case_of (store, news, &is_new), ==, first);
  g_assert_false (is_new);

  /* The same advisory id without CVEs joins too. */
  g_autoptr (ShrRecord) again = shr_record_new ();
  again->advisory_id = g_strdup ("PAN-SA-2024-0015");
  g_assert_cmpint (case_of (store, again, &is_new), ==, first);

  /* Unrelated: a new case, keeping its title. */
  g_autoptr (ShrRecord) other = shr_record_new ();
  other->advisory_id = g_strdup ("JVNVU#99999999");
  other->title = g_strdup ("別の脆弱性");
  gint64 second = case_of (store, other, &is_new);
  g_assert_true (is_new);
  g_assert_cmpint (second, !=, first);
  g_autofree gchar *title = NULL, *grade = NULL;
  g_assert_true (shr_store_case_get (store, second, &title, &grade, &error));
  g_assert_cmpstr (title, ==, "別の脆弱性");
  g_assert_null (grade);

  /* A record bridging both joins the older case; keys of the other stay. */
  g_autoptr (ShrRecord) bridge = shr_record_new ();
  bridge->advisory_id = g_strdup ("JVNVU#99999999");
  shr_record_add_cve (bridge, "CVE-2024-3400");
  shr_record_add_cve (bridge, "CVE-2025-0001");
  g_assert_cmpint (case_of (store, bridge, &is_new), ==, first);
  g_assert_cmpint (case_of (store, other, &is_new), ==, second);

  /* No keys at all: never joined to anything. */
  g_autoptr (ShrRecord) bare = shr_record_new ();
  gint64 b1 = case_of (store, bare, &is_new);
  g_assert_true (is_new);
  gint64 b2 = case_of (store, bare, &is_new);
  g_assert_true (is_new);
  g_assert_cmpint (b1, !=, b2);

  g_assert_true (shr_store_case_set_grade (store, first, "A", &error));
  g_autofree gchar *g = NULL;
  g_assert_true (shr_store_case_get (store, first, NULL, &g, &error));
  g_assert_cmpstr (g, ==, "A");
  g_assert_false (shr_store_case_set_grade (store, 4242, "A", &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (shr_store_case_get (store, 4242, NULL, NULL, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "no case 4242");
}

static void
test_decision_unique (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { "CVE-2024-1111", NULL };
  gint64 case_id, draft;
  g_assert_true (shr_store_case_for_keys (store, keys, "t", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (store, case_id, "new", "K7Q2M9F3XA", "draft.1@shirase.test", "subj",
                                      "body", &draft, &error));
  g_assert_no_error (error);
  gint64 n = -1;
  g_assert_true (shr_store_count_drafts (store, case_id, &n, &error));
  g_assert_cmpint (n, ==, 1);

  /* The same token twice is refused. */
  gint64 dup;
  g_assert_false (shr_store_add_draft (store, case_id, "new", "K7Q2M9F3XA", "draft.2@shirase.test", NULL,
                                       NULL, &dup, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  gboolean applied = FALSE;
  g_assert_true (shr_store_add_decision (store, draft, "a@example.test", "approve", NULL, "r1@example.test",
                                         &applied, &error));
  g_assert_true (applied);
  /* The same reply read twice. */
  g_assert_true (shr_store_add_decision (store, draft, "a@example.test", "approve", NULL, "r1@example.test",
                                         &applied, &error));
  g_assert_false (applied);
  /* A second reply from the same approver, even changing its mind. */
  g_assert_true (shr_store_add_decision (store, draft, "a@example.test", "reject", "no", "r2@example.test",
                                         &applied, &error));
  g_assert_false (applied);
  /* Someone else's reply reusing a Message-ID already counted. */
  g_assert_true (shr_store_add_decision (store, draft, "b@example.test", "approve", NULL, "r1@example.test",
                                         &applied, &error));
  g_assert_false (applied);
  /* A second approver: counts (quorum 2). */
  g_assert_true (shr_store_add_decision (store, draft, "b@example.test", "approve", NULL, "r3@example.test",
                                         &applied, &error));
  g_assert_true (applied);
  g_assert_true (shr_store_count_approvals (store, draft, &n, &error));
  g_assert_cmpint (n, ==, 2);

  /* Once the draft is no longer pending nothing counts. */
  g_assert_true (shr_store_draft_set_status (store, draft, "sent", &error));
  g_autofree gchar *status = NULL;
  g_assert_true (shr_store_draft_get_status (store, draft, &status, &error));
  g_assert_cmpstr (status, ==, "sent");
  g_assert_true (shr_store_add_decision (store, draft, "c@example.test", "reject", NULL, "r4@example.test",
                                         &applied, &error));
  g_assert_false (applied);
  g_assert_true (shr_store_add_decision (store, 777, "c@example.test", "approve", NULL, "r5@example.test",
                                         &applied, &error));
  g_assert_false (applied);
  g_assert_true (shr_store_count_approvals (store, draft, &n, &error));
  g_assert_cmpint (n, ==, 2);
  g_assert_no_error (error);

  /* An unknown status is refused by the schema. */
  g_assert_false (shr_store_draft_set_status (store, draft, "lost", &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT);
}

static void
test_outbox_once (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { "CVE-2024-2222", NULL };
  gint64 case_id, draft;
  g_assert_true (shr_store_case_for_keys (store, keys, "t", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, "T1", "d@x", NULL, NULL, &draft, &error));
  gboolean queued = FALSE;
  g_assert_true (shr_store_outbox_add (store, draft, "admin@example.test", "ja", "n1@x", &queued, &error));
  g_assert_true (queued);
  g_assert_true (shr_store_outbox_add (store, draft, "admin@example.test", "ja", "n2@x", &queued, &error));
  g_assert_false (queued);
  g_assert_true (shr_store_outbox_add (store, draft, "admin@example.test", "en", "n3@x", &queued, &error));
  g_assert_true (queued);
  g_assert_no_error (error);
  ShrStoreStatus status;
  g_assert_true (shr_store_get_status (store, &status, &error));
  g_assert_cmpint (status.outbox_backlog, ==, 2);
  g_assert_cmpint (status.drafts_pending, ==, 1);
  g_assert_cmpint (status.cases, ==, 1);
  shr_store_status_clear (&status);
}

static void
digest_add (ShrStore *store, ShrDigestKind kind, gint64 case_id, const gchar *record_id, gint64 draft_id,
            const gchar *recipient, const gchar *view, gboolean expect_added)
{
  g_autoptr (GError) error = NULL;
  gboolean added = !expect_added;
  g_assert_true (shr_store_digest_add (store, kind, case_id, record_id, draft_id, recipient,
                                       recipient != NULL ? "both" : NULL, view, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, expect_added);
}

static GPtrArray *
digest_pending (ShrStore *store)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *items = NULL;
  g_assert_true (shr_store_digest_pending (store, &items, &error));
  g_assert_no_error (error);
  return items;
}

static void
test_digest_items (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { "CVE-2024-3333", NULL };
  gint64 case_id, draft;
  g_assert_true (shr_store_put_record (store, "dsa:DSA-1", "{}", &error));
  g_assert_true (shr_store_put_record (store, "dsa:DSA-2", "{}", &error));
  g_assert_true (shr_store_case_for_keys (store, keys, "t", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, "T1", "d@x", NULL, NULL, &draft, &error));
  g_assert_no_error (error);

  /* A record waits once, however many copies of it arrive. */
  digest_add (store, SHR_DIGEST_NOT_APPLICABLE, case_id, "dsa:DSA-1", 0, NULL, "{\"title\":\"one\"}", TRUE);
  digest_add (store, SHR_DIGEST_NOT_APPLICABLE, case_id, "dsa:DSA-1", 0, NULL, "{\"title\":\"one again\"}",
              FALSE);
  digest_add (store, SHR_DIGEST_NOT_APPLICABLE, case_id, "dsa:DSA-2", 0, NULL, "{\"title\":\"two\"}", TRUE);
  /* A notice is folded once per recipient. */
  digest_add (store, SHR_DIGEST_FOLDED, case_id, NULL, draft, "admin@example.test", "{\"title\":\"held\"}",
              TRUE);
  digest_add (store, SHR_DIGEST_FOLDED, case_id, NULL, draft, "admin@example.test", "{\"title\":\"held\"}",
              FALSE);
  digest_add (store, SHR_DIGEST_FOLDED, case_id, NULL, draft, "admin2@example.test", "{\"title\":\"held\"}",
              TRUE);

  g_autoptr (GPtrArray) items = digest_pending (store);
  g_assert_cmpuint (items->len, ==, 4);
  const ShrDigestItem *a = items->pdata[0], *c = items->pdata[2];
  g_assert_cmpint (a->kind, ==, SHR_DIGEST_NOT_APPLICABLE);
  g_assert_cmpstr (a->record_id, ==, "dsa:DSA-1");
  g_assert_cmpstr (a->view, ==, "{\"title\":\"one\"}");
  g_assert_cmpint (a->case_id, ==, case_id);
  g_assert_cmpint (a->draft_id, ==, 0);
  g_assert_null (a->recipient);
  g_assert_null (a->lang);
  g_assert_cmpint (c->kind, ==, SHR_DIGEST_FOLDED);
  g_assert_cmpstr (c->recipient, ==, "admin@example.test");
  g_assert_cmpstr (c->lang, ==, "both");
  g_assert_cmpint (c->draft_id, ==, draft);

  /* An item added after the listing waits for the next digest. */
  gint64 last = ((const ShrDigestItem *)items->pdata[3])->id;
  digest_add (store, SHR_DIGEST_NOT_APPLICABLE, 0, NULL, 0, NULL, "{\"title\":\"late\"}", TRUE);
  g_assert_true (shr_store_digest_mark (store, last, 1000, &error));
  g_assert_no_error (error);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = digest_pending (store);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((const ShrDigestItem *)items->pdata[0])->view, ==, "{\"title\":\"late\"}");

  /* Once digested, the same record may wait again (it came again); a
   * folded notice never does. */
  digest_add (store, SHR_DIGEST_NOT_APPLICABLE, case_id, "dsa:DSA-1", 0, NULL, "{}", TRUE);
  digest_add (store, SHR_DIGEST_FOLDED, case_id, NULL, draft, "admin@example.test", "{}", FALSE);
}

static void
test_notices_since (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { "CVE-2024-4444", NULL };
  gint64 case_id, d1, d2, count = -1;
  g_assert_true (shr_store_case_for_keys (store, keys, "t", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, "T1", "d1@x", NULL, NULL, &d1, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, "T2", "d2@x", NULL, NULL, &d2, &error));
  gint64 start = g_get_real_time () / G_USEC_PER_SEC;
  /* Two languages of one notice count once; another kind not at all. */
  g_assert_true (shr_store_outbox_add (store, d1, "admin@example.test", "ja", "n1@x", NULL, &error));
  g_assert_true (shr_store_outbox_add (store, d1, "admin@example.test", "en", "n2@x", NULL, &error));
  g_assert_true (shr_store_outbox_add (store, d2, "admin@example.test", "ja", "n3@x", NULL, &error));
  g_assert_true (shr_store_outbox_add (store, d2, "admin2@example.test", "ja", "n4@x", NULL, &error));
  const gchar *to[] = { "admin@example.test", NULL };
  g_autoptr (GBytes) bytes = g_bytes_new_static ("x", 1);
  g_assert_true (
      shr_store_outbox_add_message (store, d1, "confirmation", NULL, "c1@x", "s@x", to, bytes, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      shr_store_notices_to_recipient_since (store, "admin@example.test", start - 3600, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 2);
  g_assert_true (
      shr_store_notices_to_recipient_since (store, "admin2@example.test", start - 3600, &count, &error));
  g_assert_cmpint (count, ==, 1);
  g_assert_true (
      shr_store_notices_to_recipient_since (store, "nobody@example.test", start - 3600, &count, &error));
  g_assert_cmpint (count, ==, 0);
  /* Queued before @since: not counted. */
  g_assert_true (
      shr_store_notices_to_recipient_since (store, "admin@example.test", start + 3600, &count, &error));
  g_assert_cmpint (count, ==, 0);
  g_assert_no_error (error);
}

/* The status of draft @id (for the assertions below). */
static gchar *
draft_status (ShrStore *store, gint64 id)
{
  g_autoptr (GError) error = NULL;
  gchar *status = NULL;
  g_assert_true (shr_store_draft_get_status (store, id, &status, &error));
  return status;
}

/* Claims every due row and ends each with the status its recipient's
 * local part names ("ok…" sent, "bad…" failed, else left queued). */
static void
finish_rows (ShrStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (shr_store_outbox_claim (store, G_MAXINT32, G_MAXINT32 + 900LL, 100, &rows, &error));
  for (guint i = 0; i < rows->len; i++)
    {
      ShrOutboxRow *row = rows->pdata[i];
      const gchar *status = g_str_has_prefix (row->recipient, "ok")    ? "sent"
                            : g_str_has_prefix (row->recipient, "bad") ? "failed"
                                                                       : "queued";
      g_assert_true (shr_store_outbox_finish (store, row->id, status, 1, 0, NULL, &error));
    }
  g_assert_no_error (error);
}

/* An approved draft becomes 'sent' once none of its notices is waiting
 * and at least one was delivered; a draft whose every notice failed stays
 * 'approved'. */
static void
test_drafts_mark_sent (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { "CVE-2024-3333", NULL };
  gint64 case_id, d1, d2;
  g_assert_true (shr_store_case_for_keys (store, keys, "t", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, "T1", "d1@x", NULL, NULL, &d1, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, "T2", "d2@x", NULL, NULL, &d2, &error));
  g_assert_true (shr_store_draft_set_status (store, d1, "approved", &error));
  g_assert_true (shr_store_draft_set_status (store, d2, "approved", &error));
  g_autoptr (GBytes) bytes = g_bytes_new_static ("x", 1);
  const gchar *to1[] = { "ok@example.test", "later@example.test", NULL };
  const gchar *to2[] = { "bad@example.test", NULL };
  g_assert_true (
      shr_store_outbox_add_message (store, d1, "notice", "ja", "n1@x", "s@x", to1, bytes, NULL, &error));
  g_assert_true (
      shr_store_outbox_add_message (store, d2, "notice", "ja", "n2@x", "s@x", to2, bytes, NULL, &error));
  g_assert_no_error (error);

  guint count = 99;
  g_assert_true (shr_store_drafts_mark_sent (store, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  finish_rows (store); /* ok: sent, later: queued again, bad: failed */
  g_assert_true (shr_store_drafts_mark_sent (store, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  g_autofree gchar *s1 = draft_status (store, d1);
  g_assert_cmpstr (s1, ==, "approved");

  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (shr_store_outbox_claim (store, G_MAXINT32, G_MAXINT32 + 900LL, 100, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (
      shr_store_outbox_finish (store, ((ShrOutboxRow *)rows->pdata[0])->id, "sent", 2, 0, NULL, &error));
  g_assert_true (shr_store_drafts_mark_sent (store, &count, &error));
  g_assert_cmpuint (count, ==, 1);
  g_autofree gchar *s1_after = draft_status (store, d1);
  g_autofree gchar *s2_after = draft_status (store, d2);
  g_assert_cmpstr (s1_after, ==, "sent");
  g_assert_cmpstr (s2_after, ==, "approved");
}

static gboolean
write_then_fail (ShrStore *store, gpointer data, GError **error)
{
  if (!shr_store_setting_set (store, "half", "done", error))
    return FALSE;
  record_msg (store, "half@example.test", SHA_A, SHR_OUTCOME_HANDLED);
  g_set_error_literal (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SQL, "simulated failure");
  return FALSE;
}

static gboolean
write_ok (ShrStore *store, gpointer data, GError **error)
{
  return shr_store_setting_set (store, "whole", data, error)
         && shr_store_sync_set (store, "INBOX", 1, 10, error);
}

static void
test_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;

  g_assert_false (shr_store_transaction (store, write_then_fail, NULL, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SQL);
  g_assert_cmpstr (error->message, ==, "simulated failure");
  g_clear_error (&error);
  g_assert_false (shr_store_in_transaction (store));
  g_autofree gchar *half = shr_store_setting_get (store, "half", &error);
  g_assert_null (half);
  g_assert_false (seen (store, "half@example.test", SHA_A));

  g_assert_true (shr_store_transaction (store, write_ok, "yes", &error));
  g_assert_no_error (error);
  g_autofree gchar *whole = shr_store_setting_get (store, "whole", &error);
  g_assert_cmpstr (whole, ==, "yes");

  /* begin/rollback by hand. */
  g_assert_true (shr_store_begin (store, &error));
  g_assert_true (shr_store_in_transaction (store));
  g_assert_true (shr_store_setting_set (store, "whole", "no", &error));
  shr_store_rollback (store);
  g_free (whole);
  whole = shr_store_setting_get (store, "whole", &error);
  g_assert_cmpstr (whole, ==, "yes");
}

typedef struct
{
  ShrStore *store;
  gint started;
  gint64 done_at;
  gboolean ok;
} Writer;

static gpointer
second_writer (gpointer data)
{
  Writer *w = data;
  g_atomic_int_set (&w->started, 1);
  w->ok = shr_store_setting_set (w->store, "k", "b", NULL);
  w->done_at = g_get_monotonic_time ();
  return NULL;
}

static void
test_concurrent_writer_waits (Fixture *f, gconstpointer data)
{
  /* Two connections, as two processes (watch and a CLI approve) would
   * have: while one holds a write transaction the other waits for it
   * (busy_timeout) instead of failing with "database is locked". */
  g_autoptr (ShrStore) a = open_store (f->dir);
  g_autoptr (ShrStore) b = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_begin (a, &error));
  g_assert_true (shr_store_setting_set (a, "k", "a", &error));
  Writer w = { .store = b };
  GThread *thread = g_thread_new ("writer", second_writer, &w);
  while (!g_atomic_int_get (&w.started))
    g_usleep (1000);
  g_usleep (150 * 1000);
  /* No bound on how long it waited (a loaded machine schedules the thread
   * late): what counts is that its write succeeded, after the commit. */
  gint64 commit_at = g_get_monotonic_time ();
  g_assert_true (shr_store_commit (a, &error));
  g_thread_join (thread);
  g_assert_true (w.ok);
  g_assert_cmpint (w.done_at, >=, commit_at);
  g_autofree gchar *v = shr_store_setting_get (a, "k", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v, ==, "b");
}

static void
test_status (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_put_record (store, "r1", "{}", &error));
  ShrStoreMessage m = { .folder = "INBOX",
                        .uidvalidity = 1,
                        .uid = 3,
                        .message_id = "x@y",
                        .raw_sha256 = SHA_A,
                        .outcome = SHR_OUTCOME_HANDLED,
                        .record_id = "r1" };
  g_assert_true (shr_store_record_message (store, &m, &error));
  ShrStoreMessage bad = { .folder = "INBOX",
                          .uidvalidity = 1,
                          .uid = 4,
                          .raw_sha256 = SHA_B,
                          .outcome = SHR_OUTCOME_FAILED,
                          .error = "no header block" };
  g_assert_true (shr_store_record_message (store, &bad, &error));
  record_msg (store, "reply@y", SHA_C, SHR_OUTCOME_REPLY);
  g_assert_true (shr_store_sync_set (store, "INBOX", 1, 4, &error));
  g_assert_no_error (error);

  ShrStoreStatus status;
  g_assert_true (shr_store_get_status (store, &status, &error));
  g_assert_cmpint (status.messages[SHR_OUTCOME_HANDLED], ==, 1);
  g_assert_cmpint (status.messages[SHR_OUTCOME_FAILED], ==, 1);
  g_assert_cmpint (status.messages[SHR_OUTCOME_IGNORED], ==, 0);
  g_assert_cmpint (status.messages[SHR_OUTCOME_REPLY], ==, 1);
  g_assert_cmpint (status.records, ==, 1);
  g_assert_cmpint (status.last_sync_at, >, 1700000000);
  g_assert_cmpstr (status.last_error, ==, "no header block");
  shr_store_status_clear (&status);
  g_assert_cmpstr (shr_outcome_to_string (SHR_OUTCOME_REPLY), ==, "reply");
}

/* ---- the abort switch ------------------------------------------------------ */

#define ABORT_DIR_ENV "SHR_TEST_STORE_DIR"

/* The child: 10 transactions, each storing setting kI and message I. */
static void
abort_child (void)
{
  if (!g_test_subprocess ())
    {
      g_test_skip ("only run as the subprocess of /store/abort/after-n");
      return;
    }
  g_autoptr (ShrStore) store = open_store (g_getenv (ABORT_DIR_ENV));
  g_autoptr (GError) error = NULL;
  for (gint i = 1; i <= 10; i++)
    {
      g_autofree gchar *key = g_strdup_printf ("k%d", i);
      g_autofree gchar *mid = g_strdup_printf ("m%d@example.test", i);
      g_autofree gchar *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, mid, -1);
      g_assert_true (shr_store_begin (store, &error));
      g_assert_true (shr_store_setting_set (store, key, "v", &error));
      record_msg (store, mid, sha, SHR_OUTCOME_HANDLED);
      g_assert_true (shr_store_sync_set (store, "INBOX", 1, i, &error));
      g_assert_true (shr_store_commit (store, &error));
      g_assert_no_error (error);
    }
  /* Not reached with N <= 10; returning passes, which the parent reports
   * as a failure. */
}

static void
run_abort_child (const gchar *dir, gint n)
{
  g_autofree gchar *value = g_strdup_printf ("%d", n);
  g_setenv ("SHIRASE_TEST_ABORT_AFTER", value, TRUE);
  g_setenv (ABORT_DIR_ENV, dir, TRUE);
  g_test_trap_subprocess ("/store/abort/child", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("SHIRASE_TEST_ABORT_AFTER");
  g_unsetenv (ABORT_DIR_ENV);
  g_test_trap_assert_failed ();
  g_autofree gchar *pattern = g_strdup_printf ("*shirase: SHIRASE_TEST_ABORT_AFTER=%d reached, aborting*", n);
  g_test_trap_assert_stderr (pattern);
}

static void
test_abort_after (Fixture *f, gconstpointer data)
{
  if (!SHR_TEST_HOOKS_ENABLED)
    {
      g_test_skip ("SHIRASE_TEST_ABORT_AFTER needs a build configured with --enable-test-hooks");
      return;
    }
  g_autoptr (GError) error = NULL;
  /* The database exists already, so the child's commits are its own. */
  shr_store_close (open_store (f->dir));

  for (gint n = 1; n <= 4; n++)
    {
      g_autofree gchar *dir = g_strdup_printf ("%s/n%d", f->dir, n);
      shr_store_close (open_store (dir));
      run_abort_child (dir, n);

      /* Exactly the first N transactions are there, whole. */
      g_autoptr (ShrStore) store = open_store (dir);
      g_assert_true (shr_store_check_integrity (store, &error));
      g_assert_no_error (error);
      for (gint i = 1; i <= 10; i++)
        {
          g_autofree gchar *key = g_strdup_printf ("k%d", i);
          g_autofree gchar *v = shr_store_setting_get (store, key, &error);
          g_assert_no_error (error);
          if (i <= n)
            g_assert_cmpstr (v, ==, "v");
          else
            g_assert_null (v);
        }
      ShrStoreStatus status;
      g_assert_true (shr_store_get_status (store, &status, &error));
      g_assert_cmpint (status.messages[SHR_OUTCOME_HANDLED], ==, n);
      shr_store_status_clear (&status);
      gint64 uidvalidity, last_uid;
      g_assert_true (shr_store_sync_get (store, "INBOX", &uidvalidity, &last_uid, &error));
      g_assert_cmpint (last_uid, ==, n);
    }

  /* On a fresh dir the migration is the first commit: N=1 aborts right
   * after it, and the schema is complete on the next open. */
  g_autofree gchar *fresh = g_build_filename (f->dir, "fresh", NULL);
  run_abort_child (fresh, 1);
  g_autoptr (ShrStore) store = open_store (fresh);
  g_assert_cmpint (shr_store_get_schema_version (store), ==, SHR_STORE_SCHEMA_VERSION);
  g_autofree gchar *v = shr_store_setting_get (store, "k1", &error);
  g_assert_null (v);
  g_assert_no_error (error);
}

/* ---- a lost, replaced or damaged database --------------------------------- */

static gchar *
db_path (const gchar *dir, const gchar *name)
{
  return g_build_filename (dir, name, NULL);
}

/* A database lost to a 0-byte file, or deleted, while the state dir
 * keeps what shows it existed: never re-created silently; --init makes a
 * new one with a new instance id. */
static void
test_lost_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *first_id = NULL;
  {
    g_autoptr (ShrStore) store = open_store (f->dir);
    first_id = g_strdup (shr_store_get_instance_id (store));
    g_assert_cmpuint (strlen (first_id), ==, 32);
    record_msg (store, "m1@example.test", SHA_A, SHR_OUTCOME_HANDLED);
  }
  g_autofree gchar *idfile = db_path (f->dir, SHR_STORE_ID_FILE_NAME);
  g_autofree gchar *written = NULL;
  g_assert_true (g_file_get_contents (idfile, &written, NULL, NULL));
  g_assert_cmpstr (g_strstrip (written), ==, first_id);

  g_autofree gchar *path = db_path (f->dir, SHR_STORE_FILE_NAME);
  for (guint how = 0; how < 2; how++)
    {
      if (how == 0)
        g_assert_true (g_file_set_contents (path, "", 0, NULL)); /* 0 bytes */
      else
        g_assert_cmpint (g_unlink (path), ==, 0);
      g_autoptr (ShrStore) lost = shr_store_open (f->dir, &error);
      g_assert_null (lost);
      g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_LOST);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "is missing or empty, but the state dir holds shirase.id"));
      g_assert_nonnull (strstr (error->message, "--init"));
      g_clear_error (&error);
    }
  /* The approval secret alone shows it too (a state made before shirase.id). */
  g_assert_cmpint (g_unlink (idfile), ==, 0);
  g_autofree gchar *key = db_path (f->dir, "approval.key");
  g_assert_true (g_file_set_contents (key, "0123456789abcdef0123456789abcdef", 32, NULL));
  g_autoptr (ShrStore) lost = shr_store_open (f->dir, &error);
  g_assert_null (lost);
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_LOST);
  g_clear_error (&error);

  g_autoptr (ShrStore) fresh = shr_store_open_full (f->dir, SHR_STORE_OPEN_INIT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (shr_store_get_instance_id (fresh), !=, first_id);
  g_assert_false (seen (fresh, "m1@example.test", SHA_A));
  g_autofree gchar *now_written = NULL;
  g_assert_true (g_file_get_contents (idfile, &now_written, NULL, NULL));
  g_assert_cmpstr (g_strstrip (now_written), ==, shr_store_get_instance_id (fresh));
}

/* Another instance's database put in place is refused too: its draft ids
 * would meet this state's approvals. */
static void
test_other_instance_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *a = db_path (f->dir, "a");
  g_autofree gchar *b = db_path (f->dir, "b");
  shr_store_close (open_store (a));
  shr_store_close (open_store (b));
  g_autofree gchar *a_db = db_path (a, SHR_STORE_FILE_NAME);
  g_autofree gchar *b_db = db_path (b, SHR_STORE_FILE_NAME);
  g_assert_cmpint (g_rename (b_db, a_db), ==, 0);
  g_autoptr (ShrStore) other = shr_store_open (a, &error);
  g_assert_null (other);
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_LOST);
  g_assert_nonnull (strstr (error->message, "is another state than the one this state dir held"));
  g_clear_error (&error);
  /* --init adopts it. */
  g_autoptr (ShrStore) adopted = shr_store_open_full (a, SHR_STORE_OPEN_INIT, &error);
  g_assert_no_error (error);
  shr_store_close (g_steal_pointer (&adopted));
  shr_store_close (open_store (a));
}

/* Pages overwritten in the middle: the check at start fails loudly, the
 * damage is recorded beside the database for shirase status, and only a
 * passing full check (a restored backup) clears it. */
static void
test_damage_detected (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = db_path (f->dir, SHR_STORE_FILE_NAME);
  g_autofree gchar *backup = db_path (f->dir, "backup.db");
  {
    g_autoptr (ShrStore) store = open_store (f->dir);
    /* Enough rows for pages in the middle. */
    g_assert_true (shr_store_begin (store, &error));
    for (guint i = 0; i < 2000; i++)
      {
        g_autofree gchar *mid = g_strdup_printf ("m%u@example.test", i);
        g_autofree gchar *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, mid, -1);
        record_msg (store, mid, sha, SHR_OUTCOME_HANDLED);
      }
    g_assert_true (shr_store_commit (store, &error));
    g_assert_true (shr_store_check_at_start (store, &error));
    g_assert_no_error (error);
  }
  gchar *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (backup, bytes, len, NULL));
  g_assert_cmpuint (len, >, 20 * 4096);
  /* Pages 6 to 12 overwritten. */
  for (gsize i = 5 * 4096; i < 12 * 4096; i++)
    bytes[i] = (gchar)(i * 7919 % 251);
  g_assert_true (g_file_set_contents (path, bytes, len, NULL));
  g_free (bytes);
  g_assert_null (shr_store_damage_report (f->dir));

  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  if (store != NULL)
    {
      g_assert_false (shr_store_check_at_start (store, &error));
      g_assert_true (shr_store_is_damaged (store));
    }
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_autofree gchar *report = shr_store_damage_report (f->dir);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, path));
  shr_store_close (g_steal_pointer (&store));

  /* The backup put back: the full check passes and the record goes. */
  g_autofree gchar *good = NULL;
  gsize good_len = 0;
  g_assert_true (g_file_get_contents (backup, &good, &good_len, NULL));
  g_assert_true (g_file_set_contents (path, good, good_len, NULL));
  g_autoptr (ShrStore) restored = open_store (f->dir);
  g_assert_true (shr_store_check_at_start (restored, &error));
  g_assert_no_error (error);
  g_assert_false (shr_store_is_damaged (restored));
  g_autofree gchar *cleared = shr_store_damage_report (f->dir);
  g_assert_null (cleared);
}

/* A digest mail is one message row with its items' records and cases:
 * found from each case as that item, and forgotten (reprocess) with them,
 * after which the same mail can be recorded again. A write that fails
 * half-way (an item naming no record) leaves no message row behind. */
static void
test_message_items (Fixture *f, gconstpointer data)
{
  g_autoptr (ShrStore) store = open_store (f->dir);
  g_autoptr (GError) error = NULL;
  const gchar *ids[] = { "jvn:JVN#1", "jvn:JVN#2", "jvn:JVN#3" };
  gint64 cases[3] = { 0 };
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (shr_store_put_record (store, ids[i], "{}", &error));
      const gchar *keys[] = { ids[i] + 4, NULL };
      g_assert_true (shr_store_case_for_keys (store, keys, ids[i], &cases[i], NULL, &error));
    }
  g_assert_no_error (error);
  /* Items 1 and 3 of the mail joined one case (they share a CVE). */
  cases[2] = cases[0];
  ShrStoreMessageItem items[3];
  for (guint i = 0; i < 3; i++)
    items[i] = (ShrStoreMessageItem){ ids[i], cases[i] };
  ShrStoreMessage m = { .folder = "INBOX",
                        .uidvalidity = 7,
                        .uid = 4,
                        .message_id = "digest@example.test",
                        .raw_sha256 = SHA_A,
                        .outcome = SHR_OUTCOME_HANDLED,
                        .record_id = ids[0],
                        .case_id = cases[0],
                        .items = items,
                        .n_items = 3 };
  g_assert_true (shr_store_record_message (store, &m, &error));
  g_assert_no_error (error);

  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (shr_store_messages_find (store, NULL, 0, cases[0], &rows, &error));
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const ShrStoreMessageRow *r = rows->pdata[i];
      g_assert_cmpuint (r->items, ==, 3);
      g_assert_cmpuint (r->item, ==, i == 0 ? 1 : 3);
      g_assert_cmpstr (r->record_id, ==, ids[r->item - 1]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (shr_store_messages_find (store, NULL, 0, cases[1], &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (((ShrStoreMessageRow *)rows->pdata[0])->item, ==, 2);
  g_assert_cmpstr (((ShrStoreMessageRow *)rows->pdata[0])->record_id, ==, ids[1]);
  gint64 row_id = ((ShrStoreMessageRow *)rows->pdata[0])->id;
  g_autoptr (GArray) of_mail = NULL;
  g_assert_true (shr_store_message_cases (store, row_id, &of_mail, &error));
  g_assert_cmpuint (of_mail->len, ==, 2);
  g_assert_cmpint (g_array_index (of_mail, gint64, 0), ==, cases[0]);
  g_assert_cmpint (g_array_index (of_mail, gint64, 1), ==, cases[1]);

  /* A mail that is one advisory has its own case; one that was not read
   * as an advisory, none. */
  ShrStoreMessage single = { .folder = "INBOX",
                             .uid = 5,
                             .raw_sha256 = SHA_B,
                             .outcome = SHR_OUTCOME_HANDLED,
                             .record_id = ids[1],
                             .case_id = cases[1] };
  ShrStoreMessage failed
      = { .folder = "INBOX", .uid = 6, .raw_sha256 = SHA_C, .outcome = SHR_OUTCOME_FAILED };
  g_assert_true (shr_store_record_message (store, &single, &error));
  g_assert_true (shr_store_record_message (store, &failed, &error));
  g_assert_no_error (error);
  for (guint uid = 5; uid <= 6; uid++)
    {
      g_autoptr (GPtrArray) found = NULL;
      g_assert_true (shr_store_messages_find (store, NULL, uid, 0, &found, &error));
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpuint (((ShrStoreMessageRow *)found->pdata[0])->items, ==, 0);
      g_autoptr (GArray) own = NULL;
      g_assert_true (
          shr_store_message_cases (store, ((ShrStoreMessageRow *)found->pdata[0])->id, &own, &error));
      g_assert_cmpuint (own->len, ==, uid == 5 ? 1 : 0);
      if (uid == 5)
        g_assert_cmpint (g_array_index (own, gint64, 0), ==, cases[1]);
    }
  /* Case 2 now lists the single mail (no item) beside the digest's item 2. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (shr_store_messages_find (store, NULL, 0, cases[1], &rows, &error));
  g_assert_cmpuint (rows->len, ==, 2);

  g_assert_true (shr_store_message_forget (store, row_id, &error));
  g_assert_no_error (error);
  g_assert_false (seen (store, "digest@example.test", SHA_A));
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (shr_store_messages_find (store, NULL, 0, cases[1], &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (((ShrStoreMessageRow *)rows->pdata[0])->item, ==, 0);

  /* An item whose record was never stored: nothing of the mail is kept. */
  items[1].record_id = "jvn:unknown";
  g_assert_false (shr_store_record_message (store, &m, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (seen (store, "digest@example.test", SHA_A));
  items[1].record_id = ids[1];
  g_assert_true (shr_store_record_message (store, &m, &error));
  g_assert_no_error (error);
  g_assert_true (seen (store, "digest@example.test", SHA_A));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/migrate/empty", test_migrate_empty);
  ADD ("/store/migrate/newer-refused", test_newer_schema_refused);
  ADD ("/store/open/error", test_open_error);
  ADD ("/store/wal", test_wal_mode);
  ADD ("/store/reopen/keeps-data", test_reopen_keeps_data);
  ADD ("/store/dedupe/message-id", test_dedupe_message_id);
  ADD ("/store/dedupe/hash", test_dedupe_hash);
  ADD ("/store/messages/digest-items", test_message_items);
  ADD ("/store/foreign-keys", test_foreign_keys);
  ADD ("/store/case/correlation", test_case_correlation);
  ADD ("/store/decision/unique", test_decision_unique);
  ADD ("/store/outbox/once", test_outbox_once);
  ADD ("/store/digest/items", test_digest_items);
  ADD ("/store/digest/notices-since", test_notices_since);
  ADD ("/store/drafts/mark-sent", test_drafts_mark_sent);
  ADD ("/store/transaction/rollback", test_transaction);
  ADD ("/store/transaction/second-writer", test_concurrent_writer_waits);
  ADD ("/store/status", test_status);
  ADD ("/store/abort/after-n", test_abort_after);
  ADD ("/store/open/lost-refused", test_lost_refused);
  ADD ("/store/open/other-instance-refused", test_other_instance_refused);
  ADD ("/store/damage/detected", test_damage_detected);
#undef ADD
  g_test_add_func ("/store/abort/child", abort_child);
  return g_test_run ();
}
