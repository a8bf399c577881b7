/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-store.c — the state database (the only file that includes SQLite).
 *
 * Why these settings:
 * - WAL: readers (shirase status) never block the watcher, and a commit is
 *   one append to the log.
 * - synchronous=FULL: a message is moved out of the watched folder only
 *   after its transaction commits; NORMAL could lose that commit on power
 *   failure and the message would then be neither in the state nor in the
 *   folder we read.
 * - BEGIN IMMEDIATE: two processes (watch and a CLI approve) both wanting
 *   to write wait on busy_timeout instead of failing with SQLITE_BUSY on
 *   the read-to-write upgrade of a deferred transaction.
 * - Prepared statements are cached per SQL text: the watcher runs the same
 *   few statements thousands of times. */
#include "config.h"

#include "shr-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "shr-error.h"
#include "shr-test-hooks.h"

#define BUSY_TIMEOUT_MS 5000

struct _ShrStore
{
  sqlite3 *db;
  gchar *path;
  gchar *state_dir;
  gboolean in_txn;
  gint schema_version;
  gchar *instance_id;
  gchar *lease_owner; /* who claims outbox rows through this store */
  gboolean damaged;   /* SQLite reported corruption */
  GHashTable *stmts;  /* SQL text (static) -> sqlite3_stmt* */
};

/* The migration table: step i (from 1) takes user_version i-1 to i, in one
 * transaction. Never edit a step that has shipped; append a new one. */
static const gchar *const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  json TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE cases ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT,"
  "  grade TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  /* A key (CVE id, advisory id) belongs to one case. */
  "CREATE TABLE case_keys ("
  "  key TEXT PRIMARY KEY,"
  "  case_id INTEGER NOT NULL REFERENCES cases(id));"
  "CREATE INDEX case_keys_case ON case_keys(case_id);"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  folder TEXT NOT NULL,"
  "  uidvalidity INTEGER NOT NULL,"
  "  uid INTEGER NOT NULL,"
  "  message_id TEXT,"
  "  raw_sha256 TEXT NOT NULL UNIQUE,"
  "  outcome TEXT NOT NULL"
  "    CHECK (outcome IN ('handled','failed','ignored','reply')),"
  "  record_id TEXT REFERENCES records(id),"
  "  case_id INTEGER REFERENCES cases(id),"
  "  seen_at INTEGER NOT NULL,"
  "  error TEXT);"
  "CREATE INDEX messages_message_id ON messages(message_id);"
  "CREATE TABLE drafts ("
  "  id INTEGER PRIMARY KEY,"
  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
  "  kind TEXT NOT NULL DEFAULT 'new' CHECK (kind IN ('new','update')),"
  "  status TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (status IN ('pending','approved','rejected','expired','sent')),"
  "  token TEXT UNIQUE,"
  "  message_id TEXT UNIQUE,"
  "  subject TEXT,"
  "  body TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX drafts_case ON drafts(case_id);"
  /* One decision per approver and draft, and one per reply: a replayed
   * reply or a second word from the same approver changes nothing. */
  "CREATE TABLE decisions ("
  "  id INTEGER PRIMARY KEY,"
  "  draft_id INTEGER NOT NULL REFERENCES drafts(id),"
  "  approver TEXT NOT NULL,"
  "  decision TEXT NOT NULL CHECK (decision IN ('approve','reject')),"
  "  reason TEXT,"
  "  reply_message_id TEXT UNIQUE,"
  "  at INTEGER NOT NULL,"
  "  UNIQUE (draft_id, approver));"
  /* One notice per draft, recipient and language. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  draft_id INTEGER REFERENCES drafts(id),"
  "  recipient TEXT NOT NULL,"
  "  lang TEXT NOT NULL,"
  "  message_id TEXT NOT NULL UNIQUE,"
  "  status TEXT NOT NULL DEFAULT 'queued'"
  "    CHECK (status IN ('queued','sending','sent','failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  UNIQUE (draft_id, recipient, lang));"
  "CREATE INDEX outbox_status ON outbox(status, next_attempt_at);"
  "CREATE TABLE sync ("
  "  folder TEXT PRIMARY KEY,"
  "  uidvalidity INTEGER NOT NULL,"
  "  last_uid INTEGER NOT NULL,"
  "  last_sync_at INTEGER NOT NULL);"
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);",
  /* 2: the outbox keeps the bytes it sends. One message (a draft to every
   * approver, say) may go to several recipients under one Message-ID, so
   * the delivery state stays per recipient and the Message-ID is unique
   * per (message, recipient) only; notices stay once per (draft,
   * recipient, language). next_attempt_at doubles as the lease of a row
   * being sent: a sender that died leaves it 'sending' until then. */
  "CREATE TABLE outbox_messages ("
  "  id INTEGER PRIMARY KEY,"
  "  message_id TEXT NOT NULL UNIQUE,"
  "  sender TEXT NOT NULL,"
  "  bytes BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE outbox_v2 ("
  "  id INTEGER PRIMARY KEY,"
  "  draft_id INTEGER REFERENCES drafts(id),"
  "  kind TEXT NOT NULL DEFAULT 'notice',"
  "  recipient TEXT NOT NULL,"
  "  lang TEXT NOT NULL,"
  "  message_id TEXT NOT NULL,"
  "  message_ref INTEGER REFERENCES outbox_messages(id),"
  "  status TEXT NOT NULL DEFAULT 'queued'"
  "    CHECK (status IN ('queued','sending','sent','failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  UNIQUE (message_id, recipient));"
  "INSERT INTO outbox_v2 (id, draft_id, recipient, lang, message_id, status,"
  "  attempts, next_attempt_at, last_error, created_at, updated_at)"
  "  SELECT id, draft_id, recipient, lang, message_id, status, attempts,"
  "  next_attempt_at, last_error, created_at, updated_at FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_v2 RENAME TO outbox;"
  "CREATE UNIQUE INDEX outbox_notice_once ON outbox(draft_id, recipient, lang)"
  "  WHERE kind = 'notice';"
  "CREATE INDEX outbox_status ON outbox(status, next_attempt_at);"
  "CREATE INDEX outbox_message ON outbox(message_ref);"
  /* When the approvers were reminded of a pending draft (NULL: not yet). */
  "ALTER TABLE drafts ADD COLUMN reminded_at INTEGER;",
  /* 3: what the daily digest will carry. A not-applicable advisory (no
   * draft) is listed to the approvers once while undigested, however many
   * copies of it arrive; a notice held back by the hourly cap is folded
   * once per (draft, recipient). view is the JSON the digest renders.
   * The outbox index answers "notices to this recipient in the last hour"
   * without a scan. */
  "CREATE TABLE digest_items ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('not_applicable','folded')),"
  "  case_id INTEGER REFERENCES cases(id),"
  "  record_id TEXT REFERENCES records(id),"
  "  draft_id INTEGER REFERENCES drafts(id),"
  "  recipient TEXT,"
  "  lang TEXT,"
  "  view TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  digested_at INTEGER,"
  "  CHECK ((kind = 'folded') = (recipient IS NOT NULL)));"
  "CREATE UNIQUE INDEX digest_not_applicable_once ON digest_items(record_id)"
  "  WHERE kind = 'not_applicable' AND digested_at IS NULL;"
  "CREATE UNIQUE INDEX digest_folded_once ON digest_items(draft_id, recipient)"
  "  WHERE kind = 'folded';"
  "CREATE INDEX digest_items_pending ON digest_items(id)"
  "  WHERE digested_at IS NULL;"
  "CREATE INDEX outbox_notice_recipient ON outbox(recipient, created_at)"
  "  WHERE kind = 'notice';",
  /* 4: the database's own random id, made with it: tokens and Message-IDs
   * are derived from it, so a new database never reproduces an old one's
   * (a replayed approval of a lost database's draft 1 must not approve
   * the new draft 1). Who holds an outbox row's lease, so that a dead
   * process's leases are reclaimed at start instead of at their end. How
   * often each message was taken up without its handling finishing: a
   * message that crashes the process is found and set aside. */
  "INSERT INTO settings (key, value) VALUES ('instance_id', lower(hex(randomblob(16))))"
  "  ON CONFLICT (key) DO NOTHING;"
  "ALTER TABLE outbox ADD COLUMN lease_owner TEXT;"
  "CREATE TABLE attempts ("
  "  folder TEXT NOT NULL,"
  "  uidvalidity INTEGER NOT NULL,"
  "  uid INTEGER NOT NULL,"
  "  count INTEGER NOT NULL,"
  "  last_at INTEGER NOT NULL,"
  "  PRIMARY KEY (folder, uidvalidity, uid));",
  /* 5: approve with edits and the summariser (issue 13). drafts.edited:
   * the edited notices the approvals so far agree on (shr_edit_to_json;
   * NULL: as drafted), which the notices are once approved; each approval
   * keeps the text it approved in decisions.edited (NULL: as drafted), so
   * that a quorum counts approvals of one text. drafts.summary: what the
   * [summary] command gave for the draft, or why it was discarded. */
  "ALTER TABLE drafts ADD COLUMN edited TEXT;"
  "ALTER TABLE drafts ADD COLUMN summary TEXT;"
  "ALTER TABLE decisions ADD COLUMN edited TEXT;",
  /* 6: a digest mail (a JVN feed, JPCERT/CC's weekly report, a KEV alert
   * naming several flaws) carries several advisories, each its own record
   * and case: its items, in order from 1. The message row keeps the first
   * item's record and case, as a mail that is one advisory keeps its own
   * (and has no rows here: the common case costs no write). */
  "CREATE TABLE message_records ("
  "  message INTEGER NOT NULL REFERENCES messages(id),"
  "  item INTEGER NOT NULL CHECK (item >= 1),"
  "  record_id TEXT NOT NULL REFERENCES records(id),"
  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
  "  PRIMARY KEY (message, item)) WITHOUT ROWID;"
  "CREATE INDEX message_records_case ON message_records(case_id);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SHR_STORE_SCHEMA_VERSION);

/* ---- the test abort switch ---------------------------------------------- */

static gsize abort_after_once; /* N + 1 once read (g_once needs non-zero) */
static gint commits_done;

static void
count_commit (void)
{
  if (g_once_init_enter (&abort_after_once))
    {
      const gchar *v = shr_test_env ("SHIRASE_TEST_ABORT_AFTER");
      gint64 n = v != NULL ? g_ascii_strtoll (v, NULL, 10) : 0;
      g_once_init_leave (&abort_after_once, (gsize)CLAMP (n, 0, G_MAXINT) + 1);
    }
  gsize abort_after = abort_after_once - 1;
  gint done = g_atomic_int_add (&commits_done, 1) + 1;
  if (abort_after > 0 && (gsize)done == abort_after)
    {
      g_printerr ("shirase: SHIRASE_TEST_ABORT_AFTER=%" G_GSIZE_FORMAT " reached, aborting\n", abort_after);
      abort ();
    }
}

/* ---- helpers -------------------------------------------------------------- */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void record_damage (ShrStore *store, const gchar *message);

static void
set_db_error (ShrStore *store, GError **error, const gchar *what)
{
  gint rc = sqlite3_extended_errcode (store->db);
  gint code;
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = SHR_STORE_ERROR_BUSY;
      break;
    case SQLITE_CONSTRAINT:
      code = SHR_STORE_ERROR_CONSTRAINT;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = SHR_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      code = SHR_STORE_ERROR_IO;
      break;
    default:
      code = SHR_STORE_ERROR_SQL;
      break;
    }
  g_autofree gchar *message = g_strdup_printf ("%s: %s: %s", store->path, what, sqlite3_errmsg (store->db));
  if (code == SHR_STORE_ERROR_CORRUPT)
    record_damage (store, message);
  g_set_error_literal (error, SHR_STORE_ERROR, code, message);
}

/* A cached statement, reset and unbound when its g_auto variable goes out
 * of scope, so an early return never leaves it mid-step. */
typedef sqlite3_stmt *ShrStmt;

static void
stmt_release (sqlite3_stmt *stmt)
{
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (ShrStmt, stmt_release, NULL)

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static sqlite3_stmt *
get_stmt (ShrStore *store, const gchar *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->stmts, sql);
  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (store, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (store->stmts, (gpointer)sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, gint index, const gchar *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Binds 0 as NULL: our ids start at 1, and 0 means "none". */
static void
bind_id (sqlite3_stmt *stmt, gint index, gint64 id)
{
  if (id <= 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, id);
}

static gchar *
column_dup (sqlite3_stmt *stmt, gint col)
{
  const guchar *t = sqlite3_column_text (stmt, col);
  return t != NULL ? g_strdup ((const gchar *)t) : NULL;
}

/* Steps a statement that returns no rows. */
static gboolean
step_done (ShrStore *store, sqlite3_stmt *stmt, const gchar *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (store, error, what);
      return FALSE;
    }
  return TRUE;
}

/* Steps a query expected to return at most one row: TRUE with *found set,
 * the row left current for the caller to read. */
static gboolean
step_row (ShrStore *store, sqlite3_stmt *stmt, const gchar *what, gboolean *found, GError **error)
{
  gint rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (store, error, what);
      return FALSE;
    }
  *found = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
exec_sql (ShrStore *store, const gchar *sql, const gchar *what, GError **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (store, error, what);
      return FALSE;
    }
  return TRUE;
}

/* Query returning one integer (0 when no row). */
static gboolean
query_int64 (ShrStore *store, const gchar *sql, gint64 *value, GError **error)
{
  g_auto (ShrStmt) stmt = get_stmt (store, sql, error);
  gboolean found;
  if (stmt == NULL || !step_row (store, stmt, "query", &found, error))
    return FALSE;
  *value = found ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* Steps @stmt through its rows, collecting column 0 (an id) into @ids
 * (transfer full; element-type gint64). */
static gboolean
collect_ids (ShrStore *store, sqlite3_stmt *stmt, const gchar *what, GArray **ids, GError **error)
{
  g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (got, id);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, what);
      return FALSE;
    }
  *ids = g_steal_pointer (&got);
  return TRUE;
}

/* The one row of @sql (its one parameter bound to @id), stepped onto, to
 * hold in a g_auto (ShrStmt); NULL with SHR_STORE_ERROR_NOT_FOUND ("no
 * @noun ID") when there is none. */
static sqlite3_stmt *
row_by_id (ShrStore *store, const gchar *sql, gint64 id, const gchar *noun, GError **error)
{
  g_auto (ShrStmt) stmt = get_stmt (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  g_autofree gchar *what = g_strdup_printf ("reading %s %" G_GINT64_FORMAT, noun, id);
  gboolean found;
  if (!step_row (store, stmt, what, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND, "no %s %" G_GINT64_FORMAT, noun, id);
      return NULL;
    }
  return g_steal_pointer (&stmt);
}

/* Write functions run inside the caller's transaction when there is one,
 * else in their own. */
static gboolean
own_begin (ShrStore *store, gboolean *own, GError **error)
{
  *own = !store->in_txn;
  return !*own || shr_store_begin (store, error);
}

static gboolean
own_end (ShrStore *store, gboolean own, gboolean ok, GError **error)
{
  if (!own)
    return ok;
  if (!ok)
    {
      shr_store_rollback (store);
      return FALSE;
    }
  return shr_store_commit (store, error);
}

/* One write statement, in a transaction of its own unless the caller has
 * one open; @changed (may be NULL) tells whether it changed a row. */
static gboolean
write_one (ShrStore *store, sqlite3_stmt *stmt, const gchar *what, gboolean *changed, GError **error)
{
  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = step_done (store, stmt, what, error);
  gboolean did = ok && sqlite3_changes (store->db) > 0;
  if (!own_end (store, own, ok, error))
    return FALSE;
  if (changed != NULL)
    *changed = did;
  return TRUE;
}

/* Like write_one, giving the number of rows changed (@count may be NULL). */
static gboolean
write_count (ShrStore *store, sqlite3_stmt *stmt, const gchar *what, guint *count, GError **error)
{
  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = step_done (store, stmt, what, error);
  guint changed = ok ? (guint)sqlite3_changes (store->db) : 0;
  if (!own_end (store, own, ok, error))
    return FALSE;
  if (count != NULL)
    *count = changed;
  return TRUE;
}

/* ---- open, close, migrate ------------------------------------------------ */

const gchar *
shr_outcome_to_string (ShrOutcome outcome)
{
  static const gchar *const names[] = { "handled", "failed", "ignored", "reply" };
  g_return_val_if_fail ((guint)outcome < G_N_ELEMENTS (names), NULL);
  return names[outcome];
}

static gboolean
read_user_version (ShrStore *store, gint *version, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (store, error, "reading the schema version");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
migrate (ShrStore *store, GError **error)
{
  gint version;
  if (!read_user_version (store, &version, error))
    return FALSE;
  if (version > SHR_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SCHEMA,
                   "%s: schema version %d is newer than this shirase knows "
                   "(%d); use a newer shirase",
                   store->path, version, SHR_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  for (gint step = version + 1; step <= SHR_STORE_SCHEMA_VERSION; step++)
    {
      if (!shr_store_begin (store, error))
        return FALSE;
      /* Another process may have migrated while we waited for the lock. */
      gint now;
      if (!read_user_version (store, &now, error))
        {
          shr_store_rollback (store);
          return FALSE;
        }
      if (now >= step)
        {
          shr_store_rollback (store);
          continue;
        }
      g_autofree gchar *what = g_strdup_printf ("schema migration %d", step);
      g_autofree gchar *set_version = g_strdup_printf ("PRAGMA user_version = %d", step);
      if (!exec_sql (store, migrations[step - 1], what, error) || !exec_sql (store, set_version, what, error))
        {
          shr_store_rollback (store);
          return FALSE;
        }
      if (!shr_store_commit (store, error))
        return FALSE;
    }
  return read_user_version (store, &store->schema_version, error);
}

static gboolean
configure_db (ShrStore *store, GError **error)
{
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (store->db, 1);

  /* journal_mode answers with the mode in force: a file system that cannot
   * do WAL (some network mounts) says so instead of failing. */
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (store, error, "setting WAL mode");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  g_autofree gchar *mode = column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_OPEN,
                   "%s: the file system does not support WAL mode (got %s)", store->path,
                   mode != NULL ? mode : "nothing");
      return FALSE;
    }
  return exec_sql (store, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", "setting pragmas", error);
}

/* Files that show a state existed in a state dir: our instance id, the
 * approval secret (shr-approve.h, SHR_APPROVE_SECRET_FILE) and the
 * database's WAL and shared memory. */
static const gchar *const existence_marks[]
    = { SHR_STORE_ID_FILE_NAME, "approval.key", SHR_STORE_FILE_NAME "-wal", SHR_STORE_FILE_NAME "-shm" };

/* The first of existence_marks in @state_dir, or NULL (transfer none). */
static const gchar *
existence_mark (const gchar *state_dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (existence_marks); i++)
    {
      g_autofree gchar *p = g_build_filename (state_dir, existence_marks[i], NULL);
      if (g_file_test (p, G_FILE_TEST_EXISTS))
        return existence_marks[i];
    }
  return NULL;
}

/* Checks the instance id file against the database's id, and writes it
 * where it is missing (a new database, or one made before the file). */
static gboolean
check_instance_file (ShrStore *store, gboolean fresh, gboolean init, GError **error)
{
  g_autofree gchar *path = g_build_filename (store->state_dir, SHR_STORE_ID_FILE_NAME, NULL);
  g_autofree gchar *written = NULL;
  if (!fresh && !init && g_file_get_contents (path, &written, NULL, NULL))
    {
      g_strstrip (written);
      if (g_strcmp0 (written, store->instance_id) == 0)
        return TRUE;
      if (*written != '\0')
        {
          g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_LOST,
                       "%s is another state than the one this state dir held (instance %s, %s says %s): "
                       "refusing to use it, as its drafts' tokens could match old approvals; put the right "
                       "database back, or run shirase once --init to adopt this one",
                       store->path, store->instance_id, path, written);
          return FALSE;
        }
    }
  g_autofree gchar *line = g_strdup_printf ("%s\n", store->instance_id);
  g_autoptr (GError) local = NULL;
  if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_IO, "cannot write %s: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

ShrStore *
shr_store_open (const gchar *state_dir, GError **error)
{
  return shr_store_open_full (state_dir, SHR_STORE_OPEN_DEFAULT, error);
}

ShrStore *
shr_store_open_full (const gchar *state_dir, ShrStoreOpenFlags flags, GError **error)
{
  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_OPEN, "cannot create the state dir %s: %s",
                   state_dir, g_strerror (saved));
      return NULL;
    }

  g_autoptr (ShrStore) store = g_new0 (ShrStore, 1);
  store->state_dir = g_strdup (state_dir);
  store->path = g_build_filename (state_dir, SHR_STORE_FILE_NAME, NULL);
  store->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stmt_finalize);

  /* A lost database must not be re-created silently: draft ids would
   * start again at 1 under the same approval secret, and an old draft's
   * approval, replayed, would approve the new draft 1. */
  gboolean init = (flags & SHR_STORE_OPEN_INIT) != 0;
  GStatBuf st;
  gboolean fresh = g_stat (store->path, &st) != 0 || st.st_size == 0;
  if (fresh)
    {
      const gchar *mark = existence_mark (state_dir);
      if (mark != NULL && !init)
        {
          g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_LOST,
                       "%s is missing or empty, but the state dir holds %s: a state existed here. Refusing "
                       "to start a new one silently (old approvals must not become valid again): restore "
                       "the database from a backup, or run shirase once --init to start afresh",
                       store->path, mark);
          return NULL;
        }
      /* A WAL left without its database belongs to no database now. */
      for (guint i = 2; i < G_N_ELEMENTS (existence_marks); i++)
        {
          g_autofree gchar *p = g_build_filename (state_dir, existence_marks[i], NULL);
          g_unlink (p);
        }
    }

  gint rc = sqlite3_open_v2 (store->path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_OPEN, "cannot open %s: %s", store->path,
                   store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* The state holds the approval secret: owner only, whatever the umask
   * or the state dir's mode. SQLite gives -wal and -shm the same mode. */
  if (g_chmod (store->path, 0600) != 0)
    {
      int saved = errno;
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_OPEN, "cannot restrict %s to its owner: %s",
                   store->path, g_strerror (saved));
      return NULL;
    }
  if (!configure_db (store, error) || !migrate (store, error))
    return NULL;
  g_autoptr (GError) local = NULL;
  store->instance_id = shr_store_setting_get (store, "instance_id", &local);
  if (store->instance_id == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SCHEMA, "%s: no instance id", store->path);
      return NULL;
    }
  if (!check_instance_file (store, fresh, init, error))
    return NULL;
  return g_steal_pointer (&store);
}

const gchar *
shr_store_get_instance_id (ShrStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->instance_id;
}

/* ---- damage ---------------------------------------------------------------- */

/* Where a corruption SQLite reported is written down: shirase status
 * shows it even when the database can no longer be read. */
static gchar *
damage_path (const gchar *state_dir)
{
  return g_build_filename (state_dir, SHR_STORE_FILE_NAME ".damaged", NULL);
}

static void
record_damage (ShrStore *store, const gchar *message)
{
  if (store->damaged || store->state_dir == NULL)
    return;
  store->damaged = TRUE;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *when = g_date_time_format_iso8601 (now);
  g_autofree gchar *line = g_strdup_printf ("%s %s\n", when, message);
  g_autofree gchar *path = damage_path (store->state_dir);
  if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    g_warning ("cannot write %s (%s)", path, message);
}

gboolean
shr_store_is_damaged (ShrStore *store)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return store->damaged;
}

gchar *
shr_store_damage_report (const gchar *state_dir)
{
  g_return_val_if_fail (state_dir != NULL, NULL);
  g_autofree gchar *path = damage_path (state_dir);
  gchar *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strstrip (text);
}

/* Runs @pragma ("quick_check" or "integrity_check"): FALSE with
 * SHR_STORE_ERROR_CORRUPT quoting the first problem. */
static gboolean
check_pages (ShrStore *store, const gchar *pragma, GError **error)
{
  g_autofree gchar *sql = g_strdup_printf ("PRAGMA %s(1)", pragma);
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (store, error, pragma);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  g_autofree gchar *result = column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_autofree gchar *message
          = g_strdup_printf ("%s: %s failed: %s", store->path, pragma, result != NULL ? result : "no answer");
      record_damage (store, message);
      g_set_error_literal (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CORRUPT, message);
      return FALSE;
    }
  return TRUE;
}

gboolean
shr_store_check_at_start (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_autofree gchar *path = damage_path (store->state_dir);
  /* After a corruption was seen, only the full check clears it (a
   * database restored from a backup, or repaired). */
  gboolean was_damaged = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!check_pages (store, was_damaged ? "integrity_check" : "quick_check", error))
    return FALSE;
  if (was_damaged)
    g_unlink (path);
  return TRUE;
}

void
shr_store_close (ShrStore *store)
{
  if (store == NULL)
    return;
  if (store->in_txn)
    shr_store_rollback (store);
  /* Statements first: sqlite3_close refuses while any is alive. */
  g_clear_pointer (&store->stmts, g_hash_table_destroy);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store->state_dir);
  g_free (store->instance_id);
  g_free (store->lease_owner);
  g_free (store);
}

const gchar *
shr_store_get_path (ShrStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

gint
shr_store_get_schema_version (ShrStore *store)
{
  g_return_val_if_fail (store != NULL, -1);
  return store->schema_version;
}

gboolean
shr_store_check_integrity (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return check_pages (store, "integrity_check", error);
}

/* ---- transactions ------------------------------------------------------ */

gboolean
shr_store_begin (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (!store->in_txn, FALSE);
  if (!exec_sql (store, "BEGIN IMMEDIATE", "begin", error))
    return FALSE;
  store->in_txn = TRUE;
  return TRUE;
}

gboolean
shr_store_commit (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (store->in_txn, FALSE);
  if (!exec_sql (store, "COMMIT", "commit", error))
    {
      /* A failed COMMIT (disk full, I/O) may leave the transaction open;
       * roll it back so the next step starts clean. */
      shr_store_rollback (store);
      return FALSE;
    }
  store->in_txn = FALSE;
  count_commit ();
  return TRUE;
}

void
shr_store_rollback (ShrStore *store)
{
  g_return_if_fail (store != NULL);
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  store->in_txn = FALSE;
}

gboolean
shr_store_in_transaction (ShrStore *store)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return store->in_txn;
}

gboolean
shr_store_transaction (ShrStore *store, ShrStoreTxnFunc func, gpointer user_data, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  if (!shr_store_begin (store, error))
    return FALSE;
  if (!func (store, user_data, error))
    {
      shr_store_rollback (store);
      return FALSE;
    }
  return shr_store_commit (store, error);
}

/* ---- messages ------------------------------------------------------------ */

static ShrOutcome
outcome_from_string (const gchar *s)
{
  for (gint i = 0; i <= SHR_OUTCOME_REPLY; i++)
    if (g_strcmp0 (s, shr_outcome_to_string (i)) == 0)
      return i;
  /* The schema's CHECK allows nothing else. */
  g_return_val_if_reached (SHR_OUTCOME_FAILED);
}

gboolean
shr_store_message_lookup (ShrStore *store, const gchar *message_id, const gchar *raw_sha256, gboolean *found,
                          ShrOutcome *outcome, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (raw_sha256 != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  /* Two indexed lookups; an OR would make SQLite scan. */
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT outcome FROM messages WHERE raw_sha256 = ?2"
                                    " UNION ALL SELECT outcome FROM messages WHERE ?1 IS NOT NULL"
                                    " AND message_id = ?1 LIMIT 1",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, message_id != NULL && *message_id ? message_id : NULL);
  bind_text (stmt, 2, raw_sha256);
  if (!step_row (store, stmt, "looking up a message", found, error))
    return FALSE;
  if (*found && outcome != NULL)
    *outcome = outcome_from_string ((const gchar *)sqlite3_column_text (stmt, 0));
  return TRUE;
}

gboolean
shr_store_message_seen (ShrStore *store, const gchar *message_id, const gchar *raw_sha256, gboolean *seen,
                        GError **error)
{
  return shr_store_message_lookup (store, message_id, raw_sha256, seen, NULL, error);
}

gboolean
shr_store_record_message (ShrStore *store, const ShrStoreMessage *msg, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (msg != NULL, FALSE);
  g_return_val_if_fail (msg->folder != NULL, FALSE);
  g_return_val_if_fail (msg->raw_sha256 != NULL, FALSE);
  g_return_val_if_fail (msg->outcome <= SHR_OUTCOME_REPLY, FALSE);

  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO messages (folder, uidvalidity, uid, message_id,"
                                    " raw_sha256, outcome, record_id, case_id, seen_at, error)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, msg->folder);
  sqlite3_bind_int64 (stmt, 2, msg->uidvalidity);
  sqlite3_bind_int64 (stmt, 3, msg->uid);
  bind_text (stmt, 4, msg->message_id != NULL && *msg->message_id ? msg->message_id : NULL);
  bind_text (stmt, 5, msg->raw_sha256);
  bind_text (stmt, 6, shr_outcome_to_string (msg->outcome));
  bind_text (stmt, 7, msg->record_id);
  bind_id (stmt, 8, msg->case_id);
  sqlite3_bind_int64 (stmt, 9, now_seconds ());
  bind_text (stmt, 10, msg->error);
  if (msg->n_items == 0)
    return write_one (store, stmt, "recording a message", NULL, error);

  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = step_done (store, stmt, "recording a message", error);
  gint64 row = sqlite3_last_insert_rowid (store->db);
  for (guint i = 0; ok && i < msg->n_items; i++)
    {
      g_auto (ShrStmt) item = get_stmt (store,
                                        "INSERT INTO message_records (message, item, record_id, case_id)"
                                        " VALUES (?, ?, ?, ?)",
                                        error);
      ok = item != NULL;
      if (!ok)
        break;
      sqlite3_bind_int64 (item, 1, row);
      sqlite3_bind_int64 (item, 2, i + 1);
      bind_text (item, 3, msg->items[i].record_id);
      bind_id (item, 4, msg->items[i].case_id);
      ok = step_done (store, item, "recording an advisory of a digest mail", error);
    }
  return own_end (store, own, ok, error);
}

/* ---- records ------------------------------------------------------------- */

gboolean
shr_store_put_record (ShrStore *store, const gchar *record_id, const gchar *json, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (record_id != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO records (id, json, created_at, updated_at)"
                                    " VALUES (?1, ?2, ?3, ?3)"
                                    " ON CONFLICT (id) DO UPDATE SET json = excluded.json,"
                                    " updated_at = excluded.updated_at",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, record_id);
  bind_text (stmt, 2, json);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());

  return write_one (store, stmt, "storing a record", NULL, error);
}

gchar *
shr_store_get_record (ShrStore *store, const gchar *record_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT json FROM records WHERE id = ?", error);
  gboolean found;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, record_id);
  if (!step_row (store, stmt, "reading a record", &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND, "no record %s", record_id);
      return NULL;
    }
  return column_dup (stmt, 0);
}

/* ---- cases --------------------------------------------------------------- */

GStrv
shr_store_record_keys (const ShrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (guint i = 0; i < record->cves->len; i++)
    {
      const ShrCve *cve = record->cves->pdata[i];
      if (cve->id != NULL)
        g_strv_builder_add (b, cve->id);
    }
  if (record->advisory_id != NULL && *record->advisory_id)
    g_strv_builder_add (b, record->advisory_id);
  return g_strv_builder_end (b);
}

static gboolean
case_for_keys_locked (ShrStore *store, const gchar *const *keys, const gchar *title, gint64 *case_id,
                      gboolean *is_new, GError **error)
{
  gint64 found = 0;
  gint64 now = now_seconds ();

  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_auto (ShrStmt) stmt = get_stmt (store, "SELECT case_id FROM case_keys WHERE key = ?", error);
      gboolean row;
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, keys[i]);
      if (!step_row (store, stmt, "looking up a case key", &row, error))
        return FALSE;
      if (row)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          /* The oldest case wins when the keys span several. */
          if (found == 0 || id < found)
            found = id;
        }
    }

  *is_new = found == 0;
  if (found == 0)
    {
      g_auto (ShrStmt) stmt = get_stmt (store,
                                        "INSERT INTO cases (title, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?2)",
                                        error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, title);
      sqlite3_bind_int64 (stmt, 2, now);
      if (!step_done (store, stmt, "creating a case", error))
        return FALSE;
      found = sqlite3_last_insert_rowid (store->db);
    }
  else
    {
      g_auto (ShrStmt) stmt = get_stmt (store, "UPDATE cases SET updated_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, found);
      if (!step_done (store, stmt, "updating a case", error))
        return FALSE;
    }

  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_auto (ShrStmt) stmt = get_stmt (store,
                                        "INSERT INTO case_keys (key, case_id) VALUES (?, ?)"
                                        " ON CONFLICT (key) DO NOTHING",
                                        error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, keys[i]);
      sqlite3_bind_int64 (stmt, 2, found);
      if (!step_done (store, stmt, "adding a case key", error))
        return FALSE;
    }
  *case_id = found;
  return TRUE;
}

gboolean
shr_store_case_for_keys (ShrStore *store, const gchar *const *keys, const gchar *title, gint64 *case_id,
                         gboolean *is_new, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  gboolean own, created = FALSE;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = case_for_keys_locked (store, keys, title, case_id, &created, error);
  if (!own_end (store, own, ok, error))
    return FALSE;
  if (is_new != NULL)
    *is_new = created;
  return TRUE;
}

gboolean
shr_store_case_get (ShrStore *store, gint64 case_id, gchar **title, gchar **grade, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  g_auto (ShrStmt) stmt
      = row_by_id (store, "SELECT title, grade FROM cases WHERE id = ?", case_id, "case", error);
  if (stmt == NULL)
    return FALSE;
  if (title != NULL)
    *title = column_dup (stmt, 0);
  if (grade != NULL)
    *grade = column_dup (stmt, 1);
  return TRUE;
}

/* Runs an UPDATE on one row by id; NOT_FOUND when no row changed. */
static gboolean
update_one (ShrStore *store, const gchar *sql, const gchar *value, gint64 id, const gchar *what,
            GError **error)
{
  g_auto (ShrStmt) stmt = get_stmt (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, value);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  sqlite3_bind_int64 (stmt, 3, id);

  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = step_done (store, stmt, what, error);
  if (ok && sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND, "%s: no row %" G_GINT64_FORMAT, what,
                   id);
      ok = FALSE;
    }
  return own_end (store, own, ok, error);
}

gboolean
shr_store_case_set_grade (ShrStore *store, gint64 case_id, const gchar *grade, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return update_one (store,
                     "UPDATE cases SET grade = ?1, updated_at = ?2"
                     " WHERE id = ?3",
                     grade, case_id, "setting a case's grade", error);
}

/* ---- drafts and decisions ------------------------------------------------ */

gboolean
shr_store_add_draft (ShrStore *store, gint64 case_id, const gchar *kind, const gchar *token,
                     const gchar *message_id, const gchar *subject, const gchar *body, gint64 *draft_id,
                     GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (case_id > 0, FALSE);

  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO drafts (case_id, kind, token, message_id, subject, body,"
                                    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  bind_text (stmt, 2, kind != NULL ? kind : "new");
  bind_text (stmt, 3, token);
  bind_text (stmt, 4, message_id);
  bind_text (stmt, 5, subject);
  bind_text (stmt, 6, body);
  sqlite3_bind_int64 (stmt, 7, now_seconds ());

  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = step_done (store, stmt, "adding a draft", error);
  if (ok && draft_id != NULL)
    *draft_id = sqlite3_last_insert_rowid (store->db);
  return own_end (store, own, ok, error);
}

gboolean
shr_store_count_drafts (ShrStore *store, gint64 case_id, gint64 *count, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT count(*) FROM drafts WHERE case_id = ?", error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  if (!step_row (store, stmt, "counting drafts", &found, error))
    return FALSE;
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Shared by the two draft look-ups below: *draft_id = 0 when none. */
static gboolean
find_draft (ShrStore *store, const gchar *sql, const gchar *value, gint64 *draft_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (draft_id != NULL, FALSE);
  *draft_id = 0;
  if (value == NULL || *value == '\0')
    return TRUE;
  g_auto (ShrStmt) stmt = get_stmt (store, sql, error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, value);
  if (!step_row (store, stmt, "finding a draft", &found, error))
    return FALSE;
  if (found)
    *draft_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
shr_store_find_draft_by_message_id (ShrStore *store, const gchar *message_id, gint64 *draft_id,
                                    GError **error)
{
  return find_draft (store, "SELECT id FROM drafts WHERE message_id = ?", message_id, draft_id, error);
}

gboolean
shr_store_find_draft_by_token (ShrStore *store, const gchar *token, gint64 *draft_id, GError **error)
{
  return find_draft (store, "SELECT id FROM drafts WHERE token = ?", token, draft_id, error);
}

gboolean
shr_store_draft_get_status (ShrStore *store, gint64 draft_id, gchar **status, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  g_auto (ShrStmt) stmt
      = row_by_id (store, "SELECT status FROM drafts WHERE id = ?", draft_id, "draft", error);
  if (stmt == NULL)
    return FALSE;
  *status = column_dup (stmt, 0);
  return TRUE;
}

gboolean
shr_store_draft_set_status (ShrStore *store, gint64 draft_id, const gchar *status, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  return update_one (store,
                     "UPDATE drafts SET status = ?1, updated_at = ?2"
                     " WHERE id = ?3",
                     status, draft_id, "setting a draft's status", error);
}

/* One decision (with the text an approval approved, or NULL), recorded
 * only on a pending draft: the pending check and the insert are one
 * statement, which another process's decision cannot come between, and
 * OR IGNORE makes a replay a no-op. */
static gboolean
insert_decision (ShrStore *store, gint64 draft_id, const gchar *approver, const gchar *decision,
                 const gchar *reason, const gchar *edited, const gchar *reply_message_id, gboolean *applied,
                 GError **error)
{
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT OR IGNORE INTO decisions (draft_id, approver, decision, reason,"
                                    " edited, reply_message_id, at)"
                                    " SELECT id, ?2, ?3, ?4, ?5, ?6, ?7 FROM drafts"
                                    " WHERE id = ?1 AND status = 'pending'",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  bind_text (stmt, 2, approver);
  bind_text (stmt, 3, decision);
  bind_text (stmt, 4, reason);
  bind_text (stmt, 5, edited);
  bind_text (stmt, 6, reply_message_id);
  sqlite3_bind_int64 (stmt, 7, now_seconds ());
  return write_one (store, stmt, "recording a decision", applied, error);
}

gboolean
shr_store_add_decision (ShrStore *store, gint64 draft_id, const gchar *approver, const gchar *decision,
                        const gchar *reason, const gchar *reply_message_id, gboolean *applied, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (approver != NULL, FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);
  return insert_decision (store, draft_id, approver, decision, reason, NULL, reply_message_id, applied,
                          error);
}

gboolean
shr_store_decision_from_reply (ShrStore *store, const gchar *reply_message_id, gboolean *found,
                               GError **error)
{
  g_return_val_if_fail (store != NULL && found != NULL, FALSE);
  *found = FALSE;
  if (reply_message_id == NULL)
    return TRUE;
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT 1 FROM decisions WHERE reply_message_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, reply_message_id);
  return step_row (store, stmt, "looking up a decision", found, error);
}

gboolean
shr_store_decision_withdraw (ShrStore *store, gint64 draft_id, const gchar *approver, const gchar *reason,
                             const gchar *reply_message_id, gboolean *changed, GError **error)
{
  g_return_val_if_fail (store != NULL && approver != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE OR IGNORE decisions SET decision = 'reject', reason = ?3,"
                                    " reply_message_id = ?4, at = ?5"
                                    " WHERE draft_id = ?1 AND approver = ?2 AND decision = 'approve'"
                                    " AND (SELECT status FROM drafts WHERE id = ?1) = 'pending'",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  bind_text (stmt, 2, approver);
  bind_text (stmt, 3, reason);
  bind_text (stmt, 4, reply_message_id);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());
  return write_one (store, stmt, "withdrawing an approval", changed, error);
}

gboolean
shr_store_count_approvals (ShrStore *store, gint64 draft_id, gint64 *count, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT count(*) FROM decisions WHERE draft_id = ?"
                                    " AND decision = 'approve'",
                                    error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  if (!step_row (store, stmt, "counting approvals", &found, error))
    return FALSE;
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
shr_store_outbox_add (ShrStore *store, gint64 draft_id, const gchar *recipient, const gchar *lang,
                      const gchar *message_id, gboolean *queued, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (recipient != NULL, FALSE);
  g_return_val_if_fail (lang != NULL, FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);

  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO outbox (draft_id, recipient, lang, message_id,"
                                    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
                                    " ON CONFLICT (draft_id, recipient, lang) WHERE kind = 'notice'"
                                    " DO NOTHING",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_id (stmt, 1, draft_id);
  bind_text (stmt, 2, recipient);
  bind_text (stmt, 3, lang);
  bind_text (stmt, 4, message_id);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());

  return write_one (store, stmt, "queueing a notice", queued, error);
}

/* ---- draft lookup, reminders, expiry -------------------------------------------- */

void
shr_store_draft_free (ShrStoreDraft *draft)
{
  if (draft == NULL)
    return;
  g_free (draft->kind);
  g_free (draft->status);
  g_free (draft->token);
  g_free (draft->message_id);
  g_free (draft->subject);
  g_free (draft->body);
  g_free (draft->edited);
  g_free (draft->summary);
  g_free (draft);
}

ShrStoreDraft *
shr_store_draft_get (ShrStore *store, gint64 draft_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_auto (ShrStmt) stmt
      = row_by_id (store,
                   "SELECT id, case_id, kind, status, token, message_id, subject,"
                   " created_at, reminded_at, body, edited, summary FROM drafts WHERE id = ?",
                   draft_id, "draft", error);
  if (stmt == NULL)
    return NULL;
  ShrStoreDraft *d = g_new0 (ShrStoreDraft, 1);
  d->id = sqlite3_column_int64 (stmt, 0);
  d->case_id = sqlite3_column_int64 (stmt, 1);
  d->kind = column_dup (stmt, 2);
  d->status = column_dup (stmt, 3);
  d->token = column_dup (stmt, 4);
  d->message_id = column_dup (stmt, 5);
  d->subject = column_dup (stmt, 6);
  d->created_at = sqlite3_column_int64 (stmt, 7);
  d->reminded_at = sqlite3_column_int64 (stmt, 8);
  d->body = column_dup (stmt, 9);
  d->edited = column_dup (stmt, 10);
  d->summary = column_dup (stmt, 11);
  return d;
}

gboolean
shr_store_draft_find (ShrStore *store, const gchar *const *message_ids, const gchar *token, gint64 *draft_id,
                      GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (draft_id != NULL, FALSE);
  *draft_id = 0;
  for (const gchar *const *m = message_ids; m != NULL && *m != NULL; m++)
    {
      g_auto (ShrStmt) stmt = get_stmt (store, "SELECT id FROM drafts WHERE message_id = ?", error);
      gboolean found;
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, *m);
      if (!step_row (store, stmt, "finding a draft", &found, error))
        return FALSE;
      if (found)
        {
          *draft_id = sqlite3_column_int64 (stmt, 0);
          return TRUE;
        }
    }
  if (token == NULL)
    return TRUE;
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT id FROM drafts WHERE token = ?", error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token);
  if (!step_row (store, stmt, "finding a draft", &found, error))
    return FALSE;
  if (found)
    *draft_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
shr_store_drafts_pending (ShrStore *store, gint64 created_before, gboolean unreminded_only, GArray **ids,
                          GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT id FROM drafts WHERE status = 'pending' AND created_at <= ?1"
                                    " AND (?2 = 0 OR reminded_at IS NULL) ORDER BY id",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, created_before);
  sqlite3_bind_int (stmt, 2, unreminded_only ? 1 : 0);
  return collect_ids (store, stmt, "listing pending drafts", ids, error);
}

gboolean
shr_store_draft_set_ids (ShrStore *store, gint64 draft_id, const gchar *token, const gchar *message_id,
                         GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (token != NULL && message_id != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE drafts SET token = ?1, message_id = ?2, updated_at = ?3"
                                    " WHERE id = ?4",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token);
  bind_text (stmt, 2, message_id);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_int64 (stmt, 4, draft_id);
  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = step_done (store, stmt, "setting a draft's token", error);
  if (ok && sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND, "no draft %" G_GINT64_FORMAT, draft_id);
      ok = FALSE;
    }
  return own_end (store, own, ok, error);
}

gboolean
shr_store_draft_set_body (ShrStore *store, gint64 draft_id, const gchar *body, GError **error)
{
  g_return_val_if_fail (store != NULL && body != NULL, FALSE);
  return update_one (store, "UPDATE drafts SET body = ?1, updated_at = ?2 WHERE id = ?3", body, draft_id,
                     "storing a draft's notices", error);
}

gboolean
shr_store_draft_set_reminded (ShrStore *store, gint64 draft_id, gint64 at, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store, "UPDATE drafts SET reminded_at = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_int64 (stmt, 2, draft_id);
  return write_one (store, stmt, "marking a draft reminded", NULL, error);
}

/* ---- a case's later sources ------------------------------------------------- */

gboolean
shr_store_draft_refresh_unmailed (ShrStore *store, gint64 case_id, const gchar *subject, const gchar *body,
                                  gboolean *refreshed, GError **error)
{
  g_return_val_if_fail (store != NULL && refreshed != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE drafts SET subject = ?1, body = ?2, updated_at = ?3"
                                    " WHERE id = (SELECT max(id) FROM drafts WHERE case_id = ?4)"
                                    " AND status = 'pending' AND token IS NULL",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, subject);
  bind_text (stmt, 2, body);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_int64 (stmt, 4, case_id);
  return write_one (store, stmt, "refreshing a draft", refreshed, error);
}

gboolean
shr_store_case_supersede_pending (ShrStore *store, gint64 case_id, gint64 *replaced, GError **error)
{
  g_return_val_if_fail (store != NULL && replaced != NULL, FALSE);
  *replaced = 0;
  g_auto (ShrStmt) find = get_stmt (store,
                                    "SELECT max(id) FROM drafts WHERE case_id = ? AND status = 'pending'"
                                    " AND token IS NOT NULL",
                                    error);
  gboolean found;
  if (find == NULL)
    return FALSE;
  sqlite3_bind_int64 (find, 1, case_id);
  if (!step_row (store, find, "finding a case's pending drafts", &found, error))
    return FALSE;
  gint64 newest = found ? sqlite3_column_int64 (find, 0) : 0;
  if (newest == 0)
    return TRUE;
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE drafts SET status = 'expired', updated_at = ?1"
                                    " WHERE case_id = ?2 AND status = 'pending' AND token IS NOT NULL",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_int64 (stmt, 2, case_id);
  if (!write_one (store, stmt, "replacing a case's pending drafts", NULL, error))
    return FALSE;
  *replaced = newest;
  return TRUE;
}

gboolean
shr_store_case_notified_draft (ShrStore *store, gint64 case_id, gint64 before_id, gint64 *draft_id,
                               GError **error)
{
  g_return_val_if_fail (store != NULL && draft_id != NULL, FALSE);
  *draft_id = 0;
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT min(id) FROM drafts WHERE case_id = ?1 AND id < ?2"
                                    " AND status IN ('approved','sent')",
                                    error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int64 (stmt, 2, before_id);
  if (!step_row (store, stmt, "finding a case's first notice", &found, error))
    return FALSE;
  if (found)
    *draft_id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
shr_store_outbox_requeue_failed (ShrStore *store, guint *count, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = 0,"
                                    " updated_at = ?1 WHERE status = 'failed' AND message_ref IS NOT NULL",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  return write_count (store, stmt, "putting failed mail back in the queue", count, error);
}

gboolean
shr_store_drafts_mark_sent (ShrStore *store, guint *count, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE drafts SET status = 'sent', updated_at = ?1"
                                    " WHERE status = 'approved'"
                                    " AND EXISTS (SELECT 1 FROM outbox o WHERE o.draft_id = drafts.id"
                                    "   AND o.kind = 'notice' AND o.status = 'sent')"
                                    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.draft_id = drafts.id"
                                    "   AND o.kind = 'notice' AND o.status IN ('queued','sending'))",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  return write_count (store, stmt, "marking drafts sent", count, error);
}

/* ---- outbox with bytes ----------------------------------------------------- */

void
shr_outbox_row_free (ShrOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->kind);
  g_free (row->recipient);
  g_free (row->lang);
  g_free (row->message_id);
  g_free (row->status);
  g_free (row->last_error);
  g_free (row);
}

#define OUTBOX_COLUMNS                                                                                       \
  "id, draft_id, kind, recipient, lang, message_id, message_ref, status,"                                    \
  " attempts, next_attempt_at, last_error"

static ShrOutboxRow *
outbox_row_from_stmt (sqlite3_stmt *stmt)
{
  ShrOutboxRow *row = g_new0 (ShrOutboxRow, 1);
  row->id = sqlite3_column_int64 (stmt, 0);
  row->draft_id = sqlite3_column_int64 (stmt, 1);
  row->kind = column_dup (stmt, 2);
  row->recipient = column_dup (stmt, 3);
  row->lang = column_dup (stmt, 4);
  row->message_id = column_dup (stmt, 5);
  row->message_ref = sqlite3_column_int64 (stmt, 6);
  row->status = column_dup (stmt, 7);
  row->attempts = sqlite3_column_int64 (stmt, 8);
  row->next_attempt_at = sqlite3_column_int64 (stmt, 9);
  row->last_error = column_dup (stmt, 10);
  return row;
}

static gboolean
outbox_add_message_in_txn (ShrStore *store, gint64 draft_id, const gchar *kind, const gchar *lang,
                           const gchar *message_id, const gchar *sender, const gchar *const *recipients,
                           GBytes *bytes, guint *queued, GError **error)
{
  gint64 now = now_seconds ();
  gint64 ref = 0;
  gboolean new_message = FALSE;
  {
    g_auto (ShrStmt) find = get_stmt (store, "SELECT id FROM outbox_messages WHERE message_id = ?", error);
    gboolean found;
    if (find == NULL)
      return FALSE;
    bind_text (find, 1, message_id);
    if (!step_row (store, find, "finding an outbox message", &found, error))
      return FALSE;
    if (found)
      ref = sqlite3_column_int64 (find, 0);
  }
  if (ref == 0)
    {
      g_auto (ShrStmt) ins = get_stmt (store,
                                       "INSERT INTO outbox_messages (message_id, sender, bytes, created_at)"
                                       " VALUES (?1, ?2, ?3, ?4)",
                                       error);
      if (ins == NULL)
        return FALSE;
      gsize len;
      gconstpointer data = g_bytes_get_data (bytes, &len);
      bind_text (ins, 1, message_id);
      bind_text (ins, 2, sender);
      sqlite3_bind_blob64 (ins, 3, len > 0 ? data : "", len, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (ins, 4, now);
      if (!step_done (store, ins, "storing an outbox message", error))
        return FALSE;
      ref = sqlite3_last_insert_rowid (store->db);
      new_message = TRUE;
    }

  guint added = 0;
  for (const gchar *const *r = recipients; *r != NULL; r++)
    {
      g_auto (ShrStmt) row = get_stmt (store,
                                       "INSERT OR IGNORE INTO outbox (draft_id, kind, recipient, lang,"
                                       " message_id, message_ref, created_at, updated_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                                       error);
      if (row == NULL)
        return FALSE;
      bind_id (row, 1, draft_id);
      bind_text (row, 2, kind);
      bind_text (row, 3, *r);
      bind_text (row, 4, lang);
      bind_text (row, 5, message_id);
      sqlite3_bind_int64 (row, 6, ref);
      sqlite3_bind_int64 (row, 7, now);
      if (!step_done (store, row, "queueing a message", error))
        return FALSE;
      added += sqlite3_changes (store->db) > 0;
    }
  /* A replayed queueing (every row already there) leaves no orphan bytes. */
  if (added == 0 && new_message)
    {
      g_auto (ShrStmt) del = get_stmt (store, "DELETE FROM outbox_messages WHERE id = ?", error);
      if (del == NULL)
        return FALSE;
      sqlite3_bind_int64 (del, 1, ref);
      if (!step_done (store, del, "dropping an unused message", error))
        return FALSE;
    }
  if (queued != NULL)
    *queued = added;
  return TRUE;
}

gboolean
shr_store_outbox_add_message (ShrStore *store, gint64 draft_id, const gchar *kind, const gchar *lang,
                              const gchar *message_id, const gchar *sender, const gchar *const *recipients,
                              GBytes *bytes, guint *queued, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);
  g_return_val_if_fail (sender != NULL, FALSE);
  g_return_val_if_fail (recipients != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  gboolean ok = outbox_add_message_in_txn (store, draft_id, kind, lang != NULL ? lang : "", message_id,
                                           sender, recipients, bytes, queued, error);
  return own_end (store, own, ok, error);
}

static gboolean
outbox_claim_in_txn (ShrStore *store, gint64 now, gint64 lease_until, guint max, GPtrArray *rows,
                     GError **error)
{
  {
    g_auto (ShrStmt) sel = get_stmt (store,
                                     "SELECT " OUTBOX_COLUMNS " FROM outbox"
                                     " WHERE status IN ('queued','sending') AND next_attempt_at <= ?1"
                                     " AND message_ref IS NOT NULL"
                                     " ORDER BY message_ref, id LIMIT ?2",
                                     error);
    if (sel == NULL)
      return FALSE;
    sqlite3_bind_int64 (sel, 1, now);
    sqlite3_bind_int64 (sel, 2, max);
    gint rc;
    while ((rc = sqlite3_step (sel)) == SQLITE_ROW)
      g_ptr_array_add (rows, outbox_row_from_stmt (sel));
    if (rc != SQLITE_DONE)
      {
        set_db_error (store, error, "claiming outbox rows");
        return FALSE;
      }
  }
  for (guint i = 0; i < rows->len; i++)
    {
      ShrOutboxRow *row = rows->pdata[i];
      g_auto (ShrStmt) up = get_stmt (store,
                                      "UPDATE outbox SET status = 'sending', next_attempt_at = ?1,"
                                      " updated_at = ?2, lease_owner = ?4 WHERE id = ?3",
                                      error);
      if (up == NULL)
        return FALSE;
      sqlite3_bind_int64 (up, 1, lease_until);
      sqlite3_bind_int64 (up, 2, now);
      sqlite3_bind_int64 (up, 3, row->id);
      bind_text (up, 4, store->lease_owner);
      if (!step_done (store, up, "claiming an outbox row", error))
        return FALSE;
      g_free (row->status);
      row->status = g_strdup ("sending");
      row->next_attempt_at = lease_until;
    }
  return TRUE;
}

gboolean
shr_store_outbox_claim (ShrStore *store, gint64 now, gint64 lease_until, guint max, GPtrArray **rows,
                        GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);
  g_return_val_if_fail (!store->in_txn, FALSE);

  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_outbox_row_free);
  if (!shr_store_begin (store, error))
    return FALSE;
  if (!outbox_claim_in_txn (store, now, lease_until, max, got, error))
    {
      shr_store_rollback (store);
      return FALSE;
    }
  if (!shr_store_commit (store, error))
    return FALSE;
  *rows = g_steal_pointer (&got);
  return TRUE;
}

gboolean
shr_store_outbox_message (ShrStore *store, gint64 message_ref, gchar **sender, GBytes **bytes, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt = row_by_id (store, "SELECT sender, bytes FROM outbox_messages WHERE id = ?",
                                     message_ref, "outbox message", error);
  if (stmt == NULL)
    return FALSE;
  if (sender != NULL)
    *sender = column_dup (stmt, 0);
  if (bytes != NULL)
    *bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  return TRUE;
}

gboolean
shr_store_outbox_finish (ShrStore *store, gint64 id, const gchar *status, gint64 attempts,
                         gint64 next_attempt_at, const gchar *last_error, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE outbox SET status = ?1, attempts = ?2, next_attempt_at = ?3,"
                                    " last_error = ?4, updated_at = ?5"
                                    " WHERE id = ?6 AND status = 'sending'",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, status);
  sqlite3_bind_int64 (stmt, 2, attempts);
  sqlite3_bind_int64 (stmt, 3, next_attempt_at);
  bind_text (stmt, 4, last_error);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());
  sqlite3_bind_int64 (stmt, 6, id);

  return write_one (store, stmt, "ending a send attempt", NULL, error);
}

gboolean
shr_store_outbox_list (ShrStore *store, GPtrArray **rows, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_outbox_row_free);
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (got, outbox_row_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "listing the outbox");
      return FALSE;
    }
  *rows = g_steal_pointer (&got);
  return TRUE;
}

/* ---- looking back -------------------------------------------------------- */

void
shr_store_message_row_free (ShrStoreMessageRow *row)
{
  if (row == NULL)
    return;
  g_free (row->folder);
  g_free (row->message_id);
  g_free (row->raw_sha256);
  g_free (row->record_id);
  g_free (row->error);
  g_free (row);
}

/* The columns of a ShrStoreMessageRow, but for record_id, case_id and
 * item, which a case lookup takes from the digest's item. */
#define MESSAGE_ROW_COLUMNS(m)                                                                               \
  m ".id, " m ".folder, " m ".uidvalidity, " m ".uid, " m ".message_id, " m ".raw_sha256, " m ".outcome, " m \
    ".seen_at, " m ".error, (SELECT count(*) FROM message_records c WHERE c.message = " m ".id)"

gboolean
shr_store_messages_find (ShrStore *store, const gchar *message_id, gint64 uid, gint64 case_id,
                         GPtrArray **rows, GError **error)
{
  g_return_val_if_fail (store != NULL && rows != NULL, FALSE);
  /* By case: a mail that is one advisory by its own row, a digest by
   * the items of it that joined the case. */
  static const gchar by_case[] = "SELECT " MESSAGE_ROW_COLUMNS (
      "m") ", m.record_id, m.case_id, 0 FROM messages m"
           " WHERE m.case_id = ?3 AND NOT EXISTS (SELECT 1 FROM message_records r WHERE r.message = m.id)"
           " UNION ALL SELECT " MESSAGE_ROW_COLUMNS (
               "m") ", r.record_id, r.case_id, r.item"
                    " FROM message_records r JOIN messages m ON m.id = r.message WHERE r.case_id = ?3"
                    " ORDER BY 8 DESC, 1 DESC, 13";
  static const gchar by_mail[] = "SELECT " MESSAGE_ROW_COLUMNS (
      "m") ", m.record_id, m.case_id, 0"
           " FROM messages m WHERE CASE WHEN ?1 IS NOT NULL THEN m.message_id = ?1"
           " ELSE m.uid = ?2 END ORDER BY 8 DESC, 1 DESC";
  gboolean by_message = message_id != NULL || uid > 0;
  g_auto (ShrStmt) stmt = get_stmt (store, by_message ? by_mail : by_case, error);
  if (stmt == NULL)
    return FALSE;
  if (by_message)
    {
      bind_text (stmt, 1, message_id);
      sqlite3_bind_int64 (stmt, 2, uid);
    }
  else
    sqlite3_bind_int64 (stmt, 3, case_id);
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_store_message_row_free);
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ShrStoreMessageRow *r = g_new0 (ShrStoreMessageRow, 1);
      r->id = sqlite3_column_int64 (stmt, 0);
      r->folder = column_dup (stmt, 1);
      r->uidvalidity = sqlite3_column_int64 (stmt, 2);
      r->uid = sqlite3_column_int64 (stmt, 3);
      r->message_id = column_dup (stmt, 4);
      r->raw_sha256 = column_dup (stmt, 5);
      r->outcome = outcome_from_string ((const gchar *)sqlite3_column_text (stmt, 6));
      r->seen_at = sqlite3_column_int64 (stmt, 7);
      r->error = column_dup (stmt, 8);
      r->items = (guint)sqlite3_column_int64 (stmt, 9);
      r->record_id = column_dup (stmt, 10);
      r->case_id = sqlite3_column_int64 (stmt, 11);
      r->item = (guint)sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (got, r);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "finding messages");
      return FALSE;
    }
  *rows = g_steal_pointer (&got);
  return TRUE;
}

gboolean
shr_store_message_cases (ShrStore *store, gint64 id, GArray **case_ids, GError **error)
{
  g_return_val_if_fail (store != NULL && case_ids != NULL, FALSE);
  g_auto (ShrStmt) stmt
      = get_stmt (store,
                  "SELECT case_id FROM (SELECT case_id, item FROM message_records WHERE message = ?1"
                  " UNION ALL SELECT case_id, 0 FROM messages WHERE id = ?1 AND case_id IS NOT NULL"
                  " AND NOT EXISTS (SELECT 1 FROM message_records WHERE message = ?1))"
                  " GROUP BY case_id ORDER BY min(item)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return collect_ids (store, stmt, "listing the cases of a message", case_ids, error);
}

gboolean
shr_store_message_forget (ShrStore *store, gint64 id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  gboolean own;
  if (!own_begin (store, &own, error))
    return FALSE;
  g_auto (ShrStmt) items = get_stmt (store, "DELETE FROM message_records WHERE message = ?", error);
  gboolean ok = items != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (items, 1, id);
      ok = step_done (store, items, "forgetting a digest mail's advisories", error);
    }
  g_auto (ShrStmt) stmt = ok ? get_stmt (store, "DELETE FROM messages WHERE id = ?", error) : NULL;
  ok = ok && stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      ok = step_done (store, stmt, "forgetting a message", error);
    }
  return own_end (store, own, ok, error);
}

gboolean
shr_store_case_drafts (ShrStore *store, gint64 case_id, GArray **ids, GError **error)
{
  g_return_val_if_fail (store != NULL && ids != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT id FROM drafts WHERE case_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  return collect_ids (store, stmt, "listing a case's drafts", ids, error);
}

void
shr_store_decision_free (ShrStoreDecision *d)
{
  if (d == NULL)
    return;
  g_free (d->approver);
  g_free (d->decision);
  g_free (d->reason);
  g_free (d->reply_message_id);
  g_free (d);
}

gboolean
shr_store_draft_decisions (ShrStore *store, gint64 draft_id, GPtrArray **decisions, GError **error)
{
  g_return_val_if_fail (store != NULL && decisions != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (
      store,
      "SELECT approver, decision, reason, reply_message_id, at FROM decisions WHERE draft_id = ? ORDER BY id",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_store_decision_free);
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ShrStoreDecision *d = g_new0 (ShrStoreDecision, 1);
      d->approver = column_dup (stmt, 0);
      d->decision = column_dup (stmt, 1);
      d->reason = column_dup (stmt, 2);
      d->reply_message_id = column_dup (stmt, 3);
      d->at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (got, d);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "listing decisions");
      return FALSE;
    }
  *decisions = g_steal_pointer (&got);
  return TRUE;
}

gchar *
shr_store_digest_view_for_record (ShrStore *store, const gchar *record_id, GError **error)
{
  g_return_val_if_fail (store != NULL && record_id != NULL, NULL);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT view FROM digest_items WHERE kind = 'not_applicable' AND "
                                    "record_id = ? ORDER BY id DESC LIMIT 1",
                                    error);
  gboolean found = FALSE;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, record_id);
  if (!step_row (store, stmt, "reading a digest item", &found, error) || !found)
    return NULL;
  return column_dup (stmt, 0);
}

/* ---- sync ---------------------------------------------------------------- */

gboolean
shr_store_sync_get (ShrStore *store, const gchar *folder, gint64 *uidvalidity, gint64 *last_uid,
                    GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT uidvalidity, last_uid FROM sync WHERE folder = ?", error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, folder);
  if (!step_row (store, stmt, "reading the sync state", &found, error))
    return FALSE;
  if (uidvalidity != NULL)
    *uidvalidity = found ? sqlite3_column_int64 (stmt, 0) : 0;
  if (last_uid != NULL)
    *last_uid = found ? sqlite3_column_int64 (stmt, 1) : 0;
  return TRUE;
}

gboolean
shr_store_sync_set (ShrStore *store, const gchar *folder, gint64 uidvalidity, gint64 last_uid, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO sync (folder, uidvalidity, last_uid, last_sync_at)"
                                    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (folder) DO UPDATE SET"
                                    " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,"
                                    " last_sync_at = excluded.last_sync_at",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, folder);
  sqlite3_bind_int64 (stmt, 2, uidvalidity);
  sqlite3_bind_int64 (stmt, 3, last_uid);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());

  return write_one (store, stmt, "saving the sync state", NULL, error);
}

/* ---- the daily digest ------------------------------------------------------ */

const gchar *
shr_digest_kind_to_string (ShrDigestKind kind)
{
  static const gchar *const names[] = { "not_applicable", "folded" };
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

gboolean
shr_store_digest_add (ShrStore *store, ShrDigestKind kind, gint64 case_id, const gchar *record_id,
                      gint64 draft_id, const gchar *recipient, const gchar *lang, const gchar *view,
                      gboolean *added, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail ((kind == SHR_DIGEST_FOLDED) == (recipient != NULL), FALSE);
  /* DO NOTHING without a target covers only the two partial unique
   * indexes (once per waiting record, once per draft and recipient);
   * OR IGNORE would also hide a CHECK or NOT NULL failure. */
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO digest_items (kind, case_id, record_id, draft_id,"
                                    " recipient, lang, view, created_at)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, shr_digest_kind_to_string (kind));
  bind_id (stmt, 2, case_id);
  bind_text (stmt, 3, record_id);
  bind_id (stmt, 4, draft_id);
  bind_text (stmt, 5, recipient);
  bind_text (stmt, 6, lang);
  bind_text (stmt, 7, view);
  sqlite3_bind_int64 (stmt, 8, now_seconds ());
  return write_one (store, stmt, "adding a digest item", added, error);
}

void
shr_digest_item_free (ShrDigestItem *item)
{
  if (item == NULL)
    return;
  g_free (item->record_id);
  g_free (item->recipient);
  g_free (item->lang);
  g_free (item->view);
  g_free (item);
}

gboolean
shr_store_digest_pending (ShrStore *store, GPtrArray **items, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT id, kind, case_id, record_id, draft_id, recipient, lang, view,"
                                    " created_at FROM digest_items WHERE digested_at IS NULL ORDER BY id",
                                    error);
  if (stmt == NULL)
    return FALSE;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_digest_item_free);
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ShrDigestItem *item = g_new0 (ShrDigestItem, 1);
      item->id = sqlite3_column_int64 (stmt, 0);
      item->kind = g_strcmp0 ((const gchar *)sqlite3_column_text (stmt, 1), "folded") == 0
                       ? SHR_DIGEST_FOLDED
                       : SHR_DIGEST_NOT_APPLICABLE;
      item->case_id = sqlite3_column_int64 (stmt, 2);
      item->record_id = column_dup (stmt, 3);
      item->draft_id = sqlite3_column_int64 (stmt, 4);
      item->recipient = column_dup (stmt, 5);
      item->lang = column_dup (stmt, 6);
      item->view = column_dup (stmt, 7);
      item->created_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (got, item);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "listing the digest's items");
      return FALSE;
    }
  *items = g_steal_pointer (&got);
  return TRUE;
}

gboolean
shr_store_digest_mark (ShrStore *store, gint64 last_id, gint64 at, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE digest_items SET digested_at = ?1"
                                    " WHERE digested_at IS NULL AND id <= ?2",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_int64 (stmt, 2, last_id);
  return write_one (store, stmt, "marking digest items sent", NULL, error);
}

gboolean
shr_store_notices_to_recipient_since (ShrStore *store, const gchar *recipient, gint64 since, gint64 *count,
                                      GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (recipient != NULL && count != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT count(DISTINCT draft_id) FROM outbox WHERE kind = 'notice'"
                                    " AND recipient = ?1 AND created_at >= ?2",
                                    error);
  gboolean found;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, recipient);
  sqlite3_bind_int64 (stmt, 2, since);
  if (!step_row (store, stmt, "counting a recipient's notices", &found, error))
    return FALSE;
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* ---- settings ------------------------------------------------------------ */

gchar *
shr_store_setting_get (ShrStore *store, const gchar *key, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT value FROM settings WHERE key = ?", error);
  gboolean found;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (!step_row (store, stmt, "reading a setting", &found, error))
    return NULL;
  return found ? column_dup (stmt, 0) : NULL;
}

gboolean
shr_store_setting_set (ShrStore *store, const gchar *key, const gchar *value, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);

  return write_one (store, stmt, "saving a setting", NULL, error);
}

/* ---- status -------------------------------------------------------------- */

gboolean
shr_store_get_status (ShrStore *store, ShrStoreStatus *status, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  memset (status, 0, sizeof *status);

  {
    g_auto (ShrStmt) stmt
        = get_stmt (store, "SELECT outcome, count(*) FROM messages GROUP BY outcome", error);
    if (stmt == NULL)
      return FALSE;
    gint rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const gchar *o = (const gchar *)sqlite3_column_text (stmt, 0);
        status->messages[outcome_from_string (o)] = sqlite3_column_int64 (stmt, 1);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (store, error, "counting messages");
        return FALSE;
      }
  }

  if (!query_int64 (store, "SELECT count(*) FROM records", &status->records, error)
      || !query_int64 (store, "SELECT count(*) FROM cases", &status->cases, error)
      || !query_int64 (store, "SELECT count(*) FROM drafts WHERE status = 'pending'", &status->drafts_pending,
                       error)
      || !query_int64 (store,
                       "SELECT count(*) FROM outbox"
                       " WHERE status IN ('queued', 'sending')",
                       &status->outbox_backlog, error)
      || !query_int64 (store, "SELECT count(*) FROM outbox WHERE status = 'failed'", &status->outbox_failed,
                       error)
      || !query_int64 (store,
                       "SELECT count(*) FROM digest_items"
                       " WHERE kind = 'not_applicable' AND digested_at IS NULL",
                       &status->digest_waiting, error)
      || !query_int64 (store,
                       "SELECT count(*) FROM digest_items"
                       " WHERE kind = 'folded' AND digested_at IS NULL",
                       &status->digest_folded, error)
      || !query_int64 (store, "SELECT max(last_sync_at) FROM sync", &status->last_sync_at, error))
    return FALSE;

  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT error FROM (SELECT error, seen_at AS at FROM messages"
                                    "  WHERE error IS NOT NULL"
                                    " UNION ALL SELECT last_error, updated_at FROM outbox"
                                    "  WHERE last_error IS NOT NULL)"
                                    " ORDER BY at DESC LIMIT 1",
                                    error);
  gboolean found;
  if (stmt == NULL || !step_row (store, stmt, "finding the last error", &found, error))
    return FALSE;
  status->last_error = found ? column_dup (stmt, 0) : NULL;
  return TRUE;
}

void
shr_store_status_clear (ShrStoreStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->last_error, g_free);
}

/* ---- leases of dead processes ----------------------------------------------- */

void
shr_store_set_lease_owner (ShrStore *store, const gchar *owner)
{
  g_return_if_fail (store != NULL);
  g_free (store->lease_owner);
  store->lease_owner = g_strdup (owner);
}

gboolean
shr_store_outbox_lease_owners (ShrStore *store, gint64 now, GPtrArray **owners, GError **error)
{
  g_return_val_if_fail (store != NULL && owners != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT DISTINCT lease_owner FROM outbox WHERE status = 'sending'"
                                    " AND next_attempt_at > ?1 AND lease_owner IS NOT NULL",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "listing outbox leases");
      return FALSE;
    }
  *owners = g_steal_pointer (&out);
  return TRUE;
}

gboolean
shr_store_outbox_release_leases (ShrStore *store, const gchar *owner, gint64 now, guint *count,
                                 GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "UPDATE outbox SET status = 'queued', next_attempt_at = ?2,"
                                    " lease_owner = NULL, updated_at = ?2"
                                    " WHERE status = 'sending' AND lease_owner = ?1",
                                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, now);
  return write_count (store, stmt, "releasing a dead sender's leases", count, error);
}

/* ---- what is scheduled ----------------------------------------------------- */

gboolean
shr_store_schedule (ShrStore *store, ShrStoreSchedule *schedule, GError **error)
{
  g_return_val_if_fail (store != NULL && schedule != NULL, FALSE);
  memset (schedule, 0, sizeof *schedule);
  return query_int64 (
             store,
             "SELECT min(next_attempt_at) FROM outbox WHERE status = 'queued' AND message_ref IS NOT NULL",
             &schedule->outbox_retry_at, error)
         && query_int64 (store,
                         "SELECT count(*) FROM outbox WHERE status = 'queued' AND message_ref IS NOT NULL",
                         &schedule->outbox_queued, error)
         && query_int64 (store, "SELECT min(next_attempt_at) FROM outbox WHERE status = 'sending'",
                         &schedule->outbox_lease_end_at, error)
         && query_int64 (store, "SELECT count(*) FROM drafts WHERE status = 'pending' AND token IS NULL",
                         &schedule->drafts_unmailed, error)
         && query_int64 (store,
                         "SELECT min(created_at) FROM drafts WHERE status = 'pending' AND token IS NOT NULL"
                         " AND reminded_at IS NULL",
                         &schedule->oldest_unreminded_at, error)
         && query_int64 (store, "SELECT min(created_at) FROM drafts WHERE status = 'pending'",
                         &schedule->oldest_pending_at, error);
}

/* ---- handling attempts ------------------------------------------------------- */

/* @uids as a JSON array, for one statement over a batch (json_each). */
static gchar *
uid_list (const gint64 *uids, guint n)
{
  GString *s = g_string_new ("[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", uids[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

gboolean
shr_store_attempts_lookup (ShrStore *store, const gchar *folder, gint64 uidvalidity, const gint64 *uids,
                           guint n, gint64 *counts, GError **error)
{
  g_return_val_if_fail (store != NULL && folder != NULL && counts != NULL, FALSE);
  memset (counts, 0, n * sizeof *counts);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT uid, count FROM attempts WHERE folder = ?1 AND uidvalidity = ?2"
                                    " AND uid IN (SELECT value FROM json_each(?3))",
                                    error);
  if (stmt == NULL)
    return FALSE;
  g_autofree gchar *list = uid_list (uids, n);
  bind_text (stmt, 1, folder);
  sqlite3_bind_int64 (stmt, 2, uidvalidity);
  bind_text (stmt, 3, list);
  gint rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 uid = sqlite3_column_int64 (stmt, 0);
      for (guint i = 0; i < n; i++)
        if (uids[i] == uid)
          counts[i] = sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "reading handling attempts");
      return FALSE;
    }
  return TRUE;
}

gboolean
shr_store_attempts_begin_batch (ShrStore *store, const gchar *folder, gint64 uidvalidity, const gint64 *uids,
                                guint n, GError **error)
{
  g_return_val_if_fail (store != NULL && folder != NULL && !store->in_txn, FALSE);
  /* Written for a process crash, which the WAL survives unsynced: a power
   * loss that takes the count costs the poison one more round, while a
   * synced commit per batch cost a tenth of a backlog's time. */
  if (!exec_sql (store, "PRAGMA synchronous = NORMAL", "relaxing sync", error))
    return FALSE;
  g_autofree gchar *list = uid_list (uids, n);
  gboolean ok = shr_store_begin (store, error);
  if (ok)
    {
      g_auto (ShrStmt) stmt = get_stmt (store,
                                        "INSERT INTO attempts (folder, uidvalidity, uid, count, last_at)"
                                        " SELECT ?1, ?2, value, 1, ?4 FROM json_each(?3) WHERE true"
                                        " ON CONFLICT (folder, uidvalidity, uid) DO UPDATE SET count = count "
                                        "+ 1, last_at = excluded.last_at",
                                        error);
      ok = stmt != NULL;
      if (ok)
        {
          bind_text (stmt, 1, folder);
          sqlite3_bind_int64 (stmt, 2, uidvalidity);
          bind_text (stmt, 3, list);
          sqlite3_bind_int64 (stmt, 4, now_seconds ());
          ok = step_done (store, stmt, "recording handling attempts", error);
        }
    }
  if (ok)
    ok = shr_store_commit (store, error);
  else
    shr_store_rollback (store);
  g_autoptr (GError) local = NULL;
  if (!exec_sql (store, "PRAGMA synchronous = FULL", "restoring sync", ok ? error : &local))
    return FALSE;
  return ok;
}

gboolean
shr_store_attempts_end_batch (ShrStore *store, const gchar *folder, gint64 uidvalidity, const gint64 *uids,
                              guint n, GError **error)
{
  g_return_val_if_fail (store != NULL && folder != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "DELETE FROM attempts WHERE folder = ?1 AND uidvalidity = ?2"
                                    " AND uid IN (SELECT value FROM json_each(?3))",
                                    error);
  if (stmt == NULL)
    return FALSE;
  g_autofree gchar *list = uid_list (uids, n);
  bind_text (stmt, 1, folder);
  sqlite3_bind_int64 (stmt, 2, uidvalidity);
  bind_text (stmt, 3, list);
  return write_one (store, stmt, "ending handling attempts", NULL, error);
}

gboolean
shr_store_attempts_get (ShrStore *store, const gchar *folder, gint64 uidvalidity, gint64 uid, gint64 *count,
                        GError **error)
{
  return shr_store_attempts_lookup (store, folder, uidvalidity, &uid, 1, count, error);
}

gboolean
shr_store_attempt_end (ShrStore *store, const gchar *folder, gint64 uidvalidity, gint64 uid, GError **error)
{
  return shr_store_attempts_end_batch (store, folder, uidvalidity, &uid, 1, error);
}

/* ---- savepoints -------------------------------------------------------------- */

/* A cached statement that returns no rows, stepped once. */
static gboolean
run_cached (ShrStore *store, const gchar *sql, const gchar *what, GError **error)
{
  g_auto (ShrStmt) stmt = get_stmt (store, sql, error);
  return stmt != NULL && step_done (store, stmt, what, error);
}

gboolean
shr_store_savepoint (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL && store->in_txn, FALSE);
  return run_cached (store, "SAVEPOINT shr_step", "savepoint", error);
}

gboolean
shr_store_savepoint_release (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL && store->in_txn, FALSE);
  return run_cached (store, "RELEASE shr_step", "releasing a savepoint", error);
}

gboolean
shr_store_savepoint_rollback (ShrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL && store->in_txn, FALSE);
  return run_cached (store, "ROLLBACK TO shr_step", "rolling back to a savepoint", error)
         && run_cached (store, "RELEASE shr_step", "releasing a savepoint", error);
}

gboolean
shr_store_error_is_message_specific (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (error->domain != SHR_STORE_ERROR)
    return TRUE;
  switch (error->code)
    {
    case SHR_STORE_ERROR_CONSTRAINT:
    case SHR_STORE_ERROR_NOT_FOUND:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- approve with edits, the summariser (issue 13) ------------------------ */

gboolean
shr_store_add_approval (ShrStore *store, gint64 draft_id, const gchar *approver, const gchar *edited,
                        const gchar *reply_message_id, gboolean *applied, GError **error)
{
  g_return_val_if_fail (store != NULL && approver != NULL, FALSE);
  return insert_decision (store, draft_id, approver, "approve", NULL, edited, reply_message_id, applied,
                          error);
}

gboolean
shr_store_approvals_of_others (ShrStore *store, gint64 draft_id, const gchar *approver, gint64 *count,
                               GError **error)
{
  g_return_val_if_fail (store != NULL && approver != NULL && count != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT count(*) FROM decisions WHERE draft_id = ?1"
                                    " AND decision = 'approve' AND approver != ?2",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  bind_text (stmt, 2, approver);
  gboolean found;
  if (!step_row (store, stmt, "counting approvals", &found, error))
    return FALSE;
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
shr_store_approvals_drop (ShrStore *store, gint64 draft_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt
      = get_stmt (store, "DELETE FROM decisions WHERE draft_id = ? AND decision = 'approve'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  return write_one (store, stmt, "starting the approvals of a draft again", NULL, error);
}

gboolean
shr_store_draft_set_edited (ShrStore *store, gint64 draft_id, const gchar *edited, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt
      = get_stmt (store, "UPDATE drafts SET edited = ?1, updated_at = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, edited);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  sqlite3_bind_int64 (stmt, 3, draft_id);
  return write_one (store, stmt, "keeping a draft's edited notices", NULL, error);
}

gboolean
shr_store_draft_set_summary (ShrStore *store, gint64 draft_id, const gchar *summary, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store, "UPDATE drafts SET summary = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, summary);
  sqlite3_bind_int64 (stmt, 2, draft_id);
  return write_one (store, stmt, "keeping a draft's machine summary", NULL, error);
}

gboolean
shr_store_drafts_all (ShrStore *store, GArray **ids, GError **error)
{
  g_return_val_if_fail (store != NULL && ids != NULL, FALSE);
  *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto (ShrStmt) stmt = get_stmt (store, "SELECT id FROM drafts ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (*ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, "listing drafts");
      return FALSE;
    }
  return TRUE;
}

gboolean
shr_store_count_edited (ShrStore *store, gint64 *approved, gint64 *latest, GError **error)
{
  g_return_val_if_fail (store != NULL && approved != NULL && latest != NULL, FALSE);
  g_auto (ShrStmt) stmt = get_stmt (store,
                                    "SELECT count(*), coalesce(max(id), 0) FROM drafts"
                                    " WHERE edited IS NOT NULL AND status IN ('approved', 'sent')",
                                    error);
  if (stmt == NULL)
    return FALSE;
  gboolean found;
  if (!step_row (store, stmt, "counting drafts approved with edits", &found, error))
    return FALSE;
  *approved = sqlite3_column_int64 (stmt, 0);
  *latest = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}
