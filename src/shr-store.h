/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-store.h — the durable state: one SQLite database in the state dir.
 *
 * Everything shirase must not forget lives here: which messages were seen
 * (and what became of them), the records and the cases they joined, drafts
 * and the approvers' decisions, the outbox, what the next digest carries,
 * and how far each folder was read. shr-store.c is the only file that includes sqlite3.h.
 *
 * Transactions: each stage step is one transaction (shr_store_begin/commit,
 * or shr_store_transaction). A write function called outside a transaction
 * runs in one of its own; inside one, a failure leaves the caller to roll
 * back the whole step. A committed transaction survives a crash
 * (WAL, synchronous=FULL).
 *
 * Test switch: when SHIRASE_TEST_ABORT_AFTER=N is set in the environment
 * (read once per process), the process calls abort() right after its Nth
 * committed transaction, counting every commit the store makes in this
 * process, schema migrations included. Crash-safety tests loop over N.
 *
 * Times are Unix seconds. Strings are UTF-8. A ShrStore is not thread-safe:
 * use it from one thread. */
#pragma once

#include <glib.h>

#include "shr-record.h"

G_BEGIN_DECLS

/* The schema version this build writes; a newer database is refused. */
#define SHR_STORE_SCHEMA_VERSION 6

/* The database's file name inside the state dir. */
#define SHR_STORE_FILE_NAME "shirase.db"

typedef struct _ShrStore ShrStore;

typedef enum
{
  SHR_OUTCOME_HANDLED, /* read, extracted and taken through the pipeline */
  SHR_OUTCOME_FAILED,  /* could not be understood; moved to failed_folder */
  SHR_OUTCOME_IGNORED, /* ours, an automatic reply, or not an advisory */
  SHR_OUTCOME_REPLY,   /* a reply to a draft, left for the approval step */
} ShrOutcome;

/* "handled", "failed", "ignored", "reply" (transfer none). */
const gchar *shr_outcome_to_string (ShrOutcome outcome);

/* The file beside the database that holds its instance id: with it, the
 * state dir remembers that a state existed and which one. */
#define SHR_STORE_ID_FILE_NAME "shirase.id"

typedef enum
{
  SHR_STORE_OPEN_DEFAULT = 0,
  /* Start a new database even where the state dir shows one existed (a
   * lost or replaced database): shirase once/watch --init. */
  SHR_STORE_OPEN_INIT = 1 << 0,
} ShrStoreOpenFlags;

/* Opens (creating it and @state_dir, mode 0700, when missing) the database
 * @state_dir/shirase.db and brings its schema up to date, one transaction
 * per migration step. A new database gets a random instance id
 * (shr_store_get_instance_id), also written to @state_dir/shirase.id.
 *
 * A database is never re-created silently: when shirase.db is missing or
 * empty but the state dir holds shirase.id, the approval secret or a WAL
 * file, or when shirase.id names another instance than the database's,
 * the open fails with SHR_STORE_ERROR_LOST unless @flags has
 * SHR_STORE_OPEN_INIT. Other errors: SHR_STORE_ERROR_OPEN, _SCHEMA
 * (written by a newer shirase), _BUSY, _SQL, _CORRUPT, _IO.
 * (transfer full) */
ShrStore *shr_store_open_full (const gchar *state_dir, ShrStoreOpenFlags flags,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* shr_store_open_full without flags. */
ShrStore *shr_store_open (const gchar *state_dir, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The database's random instance id (32 hex digits), made with it and
 * never changed: tokens and Message-IDs derive from it. (transfer none) */
const gchar *shr_store_get_instance_id (ShrStore *store);

/* Closes the database and frees @store; NULL is allowed. An open
 * transaction is rolled back. */
void shr_store_close (ShrStore *store);

/* The database file's path (transfer none). */
const gchar *shr_store_get_path (ShrStore *store);

/* The schema version found in the file (after migration, the current one). */
gint shr_store_get_schema_version (ShrStore *store);

/* Runs SQLite's integrity check (every page and index; slow on a large
 * database): FALSE with SHR_STORE_ERROR_CORRUPT quoting the first problem
 * found, which is also recorded as damage. */
gboolean shr_store_check_integrity (ShrStore *store, GError **error);

/* What once and watch run before anything else: PRAGMA quick_check, or
 * the full integrity check when damage was recorded before (and then,
 * when it passes, the record is cleared: the database was restored or
 * repaired). FALSE with SHR_STORE_ERROR_CORRUPT. */
gboolean shr_store_check_at_start (ShrStore *store, GError **error);

/* Damage: any SQLite corruption error (SQLITE_CORRUPT, SQLITE_NOTADB) or
 * failed check is returned as SHR_STORE_ERROR_CORRUPT and written down in
 * @state_dir/shirase.db.damaged ("TIME MESSAGE"), so that shirase status
 * shows it even when the database cannot be read; once and watch end
 * with a failure when it happened during their run. */
gboolean shr_store_is_damaged (ShrStore *store);

/* (transfer full) The recorded damage of the state in @state_dir, or
 * NULL when none is recorded. */
gchar *shr_store_damage_report (const gchar *state_dir);

/* ---- transactions ------------------------------------------------------ */

/* BEGIN IMMEDIATE: takes the write lock at once, so two processes never
 * deadlock upgrading a read. Calling it inside a transaction is a
 * programming error. Errors: SHR_STORE_ERROR_BUSY, _SQL. */
gboolean shr_store_begin (ShrStore *store, GError **error);
gboolean shr_store_commit (ShrStore *store, GError **error);
/* Rolls back the open transaction, if any. */
void shr_store_rollback (ShrStore *store);
gboolean shr_store_in_transaction (ShrStore *store);

typedef gboolean (*ShrStoreTxnFunc) (ShrStore *store, gpointer user_data, GError **error);

/* Runs @func inside one transaction: committed when it returns TRUE,
 * rolled back (and its error passed on) when it returns FALSE. */
gboolean shr_store_transaction (ShrStore *store, ShrStoreTxnFunc func, gpointer user_data, GError **error);

/* ---- messages seen ----------------------------------------------------- */

/* Whether a message was already seen: the same Message-ID (when
 * @message_id is not NULL), or the same SHA-256 of the raw bytes (lower-case
 * hex). A message keeps its Message-ID when moved between folders or
 * re-delivered, and its hash when it has no Message-ID, so neither a
 * UIDVALIDITY change nor a second copy is processed twice. */
gboolean shr_store_message_seen (ShrStore *store, const gchar *message_id, const gchar *raw_sha256,
                                 gboolean *seen, GError **error);

/* Like shr_store_message_seen, also giving the recorded outcome (when
 * found): after a crash between the commit and the IMAP move, the watcher
 * finds the message again and only has to move it to the folder its
 * outcome calls for. @outcome may be NULL. */
gboolean shr_store_message_lookup (ShrStore *store, const gchar *message_id, const gchar *raw_sha256,
                                   gboolean *found, ShrOutcome *outcome, GError **error);

/* One advisory of a digest mail: its record (stored already) and case. */
typedef struct
{
  const gchar *record_id;
  gint64 case_id;
} ShrStoreMessageItem;

typedef struct
{
  const gchar *folder; /* where it was found */
  gint64 uidvalidity;
  gint64 uid;
  const gchar *message_id; /* without <>, or NULL */
  const gchar *raw_sha256; /* lower-case hex, required */
  ShrOutcome outcome;
  const gchar *record_id; /* or NULL; the record must be stored already */
  gint64 case_id;         /* or 0 */
  const gchar *error;     /* why it failed, or NULL */
  /* A digest mail's advisories, in order (item i + 1 is items[i]; give
   * the first one's as record_id and case_id too); NULL and 0 for a mail
   * that is one advisory. */
  const ShrStoreMessageItem *items;
  guint n_items;
} ShrStoreMessage;

/* Records a message and its outcome (and a digest's items, in the same
 * transaction). The same raw message twice is SHR_STORE_ERROR_CONSTRAINT
 * (check shr_store_message_seen first). */
gboolean shr_store_record_message (ShrStore *store, const ShrStoreMessage *msg, GError **error);

/* ---- records and cases ------------------------------------------------- */

/* Stores @json under @record_id, replacing an earlier version. */
gboolean shr_store_put_record (ShrStore *store, const gchar *record_id, const gchar *json, GError **error);

/* (transfer full) the JSON, or NULL and SHR_STORE_ERROR_NOT_FOUND. */
gchar *shr_store_get_record (ShrStore *store, const gchar *record_id, GError **error);

/* The correlation keys of @record: its CVE ids, then its advisory id
 * (when it has one). (transfer full) NULL-terminated; may be empty. */
GStrv shr_store_record_keys (const ShrRecord *record);

/* Finds the case that any of @keys (NULL-terminated; CVE ids, advisory ids)
 * already belongs to, or creates one titled @title. Records sharing a CVE or
 * an advisory id thus join one case. The keys not yet known are added to the
 * case found. When @keys touch several cases, the oldest is chosen and keys
 * already owned by another case stay there (cases are never merged: each may
 * have its own drafts). No keys at all: always a new case.
 * @is_new (may be NULL) tells whether the case was created. */
gboolean shr_store_case_for_keys (ShrStore *store, const gchar *const *keys, const gchar *title,
                                  gint64 *case_id, gboolean *is_new, GError **error);

/* The case's title and grade (each may be NULL; caller frees).
 * SHR_STORE_ERROR_NOT_FOUND when there is no such case. */
gboolean shr_store_case_get (ShrStore *store, gint64 case_id, gchar **title, gchar **grade, GError **error);

/* Sets the case's grade ("A", "B", "C", "-"). */
gboolean shr_store_case_set_grade (ShrStore *store, gint64 case_id, const gchar *grade, GError **error);

/* ---- drafts, decisions, outbox ----------------------------------------- */

/* Queues a pending draft for @case_id. @token and @message_id are unique
 * among drafts (SHR_STORE_ERROR_CONSTRAINT otherwise). @kind is "new" or
 * "update". */
gboolean shr_store_add_draft (ShrStore *store, gint64 case_id, const gchar *kind, const gchar *token,
                              const gchar *message_id, const gchar *subject, const gchar *body,
                              gint64 *draft_id, GError **error);

/* Number of drafts of @case_id, whatever their status. */
gboolean shr_store_count_drafts (ShrStore *store, gint64 case_id, gint64 *count, GError **error);

/* The draft whose Message-ID (without <>) or Subject token is the one
 * given; *draft_id = 0 when there is none (not an error). */
gboolean shr_store_find_draft_by_message_id (ShrStore *store, const gchar *message_id, gint64 *draft_id,
                                             GError **error);
gboolean shr_store_find_draft_by_token (ShrStore *store, const gchar *token, gint64 *draft_id,
                                        GError **error);

/* The draft's status: pending|approved|rejected|expired|sent (caller
 * frees); SHR_STORE_ERROR_NOT_FOUND when there is no such draft. */
gboolean shr_store_draft_get_status (ShrStore *store, gint64 draft_id, gchar **status, GError **error);
gboolean shr_store_draft_set_status (ShrStore *store, gint64 draft_id, const gchar *status, GError **error);

/* Records @approver's @decision ("approve" or "reject") on a pending draft.
 * Each approver decides once per draft and each reply counts once: a replay
 * (the same reply, or a second reply from the same approver) and a decision
 * on a draft no longer pending change nothing and set @applied to FALSE. */
gboolean shr_store_add_decision (ShrStore *store, gint64 draft_id, const gchar *approver,
                                 const gchar *decision, const gchar *reason, const gchar *reply_message_id,
                                 gboolean *applied, GError **error);

/* Whether a decision was recorded from the reply whose Message-ID is
 * @reply_message_id (as given to shr_store_add_decision): a reply read
 * again after a crash, or delivered twice, is then not answered again. */
gboolean shr_store_decision_from_reply (ShrStore *store, const gchar *reply_message_id, gboolean *found,
                                        GError **error);

/* @approver, who approved pending draft @draft_id, now rejects it (one
 * rejection drops a draft, DESIGN.md): their decision becomes the
 * rejection, with @reason and @reply_message_id. @changed is FALSE when
 * they had not approved it (nothing changes). */
gboolean shr_store_decision_withdraw (ShrStore *store, gint64 draft_id, const gchar *approver,
                                      const gchar *reason, const gchar *reply_message_id, gboolean *changed,
                                      GError **error);

/* Number of approvals recorded for @draft_id (for the quorum). */
gboolean shr_store_count_approvals (ShrStore *store, gint64 draft_id, gint64 *count, GError **error);

/* Queues one notice. The Message-ID is fixed now, so a retry after a crash
 * carries the same one. The same (draft, recipient, lang) twice changes
 * nothing and sets @queued to FALSE. @draft_id may be 0 (not tied to one). */
gboolean shr_store_outbox_add (ShrStore *store, gint64 draft_id, const gchar *recipient, const gchar *lang,
                               const gchar *message_id, gboolean *queued, GError **error);

/* An approval by @approver of pending draft @draft_id, of the text
 * @edited (shr_edit_to_json; NULL: as drafted), from the reply
 * @reply_message_id (may be NULL). A replay (this approver, or this reply,
 * counted already) or a draft no longer pending sets @applied FALSE. */
gboolean shr_store_add_approval (ShrStore *store, gint64 draft_id, const gchar *approver, const gchar *edited,
                                 const gchar *reply_message_id, gboolean *applied, GError **error);

/* Approvals of @draft_id by others than @approver. */
gboolean shr_store_approvals_of_others (ShrStore *store, gint64 draft_id, const gchar *approver,
                                        gint64 *count, GError **error);

/* Forgets every approval of @draft_id: an edit starts the count again
 * (the earlier approvals were of another text). */
gboolean shr_store_approvals_drop (ShrStore *store, gint64 draft_id, GError **error);

/* Sets the edited notices of @draft_id (NULL: as drafted). */
gboolean shr_store_draft_set_edited (ShrStore *store, gint64 draft_id, const gchar *edited, GError **error);

/* Keeps the summariser's outcome for @draft_id (JSON). */
gboolean shr_store_draft_set_summary (ShrStore *store, gint64 draft_id, const gchar *summary, GError **error);

/* Ids of every draft, oldest first (transfer full; element-type gint64). */
gboolean shr_store_drafts_all (ShrStore *store, GArray **ids, GError **error);

/* Drafts approved with edits (approved or sent), and the newest one's id
 * (0: none). */
gboolean shr_store_count_edited (ShrStore *store, gint64 *approved, gint64 *latest, GError **error);

/* ---- draft lookup, reminders, expiry ------------------------------------ */

typedef struct
{
  gint64 id;
  gint64 case_id;
  gchar *kind;   /* new|update */
  gchar *status; /* pending|approved|rejected|expired|sent */
  gchar *token;
  gchar *message_id;
  gchar *subject;
  gint64 created_at;
  gint64 reminded_at; /* 0: not reminded */
  gchar *body;        /* what the pipeline queued (JSON), or NULL */
  gchar *edited;      /* the edited notices approved, or agreed on so far
                       * (shr_edit_to_json); NULL: as drafted */
  gchar *summary;     /* the summariser's outcome (shr-summary.h), or NULL */
} ShrStoreDraft;

void shr_store_draft_free (ShrStoreDraft *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrStoreDraft, shr_store_draft_free)

/* (transfer full) the draft, or NULL with SHR_STORE_ERROR_NOT_FOUND. */
ShrStoreDraft *shr_store_draft_get (ShrStore *store, gint64 draft_id, GError **error);

/* The draft a reply refers to: the first of @message_ids (its In-Reply-To,
 * then References; without <>) that is a draft's Message-ID, else the
 * draft whose token is @token (canonical form, may be NULL). @draft_id is
 * 0 when none matches (no error). */
gboolean shr_store_draft_find (ShrStore *store, const gchar *const *message_ids, const gchar *token,
                               gint64 *draft_id, GError **error);

/* Ids of pending drafts created at or before @created_before, oldest
 * first; with @unreminded_only, only those not yet reminded. (transfer
 * full; element-type gint64) */
gboolean shr_store_drafts_pending (ShrStore *store, gint64 created_before, gboolean unreminded_only,
                                   GArray **ids, GError **error);

/* Sets the token and Message-ID of a draft added without them: both are
 * made from its id (shr_approve_token), known only once it is added. Call
 * in the transaction that added it. Unique like in shr_store_add_draft. */
gboolean shr_store_draft_set_ids (ShrStore *store, gint64 draft_id, const gchar *token,
                                  const gchar *message_id, GError **error);

/* Replaces the body (JSON) of @draft_id: the notices as the draft showed
 * them are kept with it when it is mailed, so that an approval sends
 * exactly that text. */
gboolean shr_store_draft_set_body (ShrStore *store, gint64 draft_id, const gchar *body, GError **error);

/* Records that the approvers were reminded of @draft_id at @at. */
gboolean shr_store_draft_set_reminded (ShrStore *store, gint64 draft_id, gint64 at, GError **error);

/* ---- a case's later sources: refreshed drafts and updates ---------------- */

/* When a later source raises a case's grade before the case's newest draft
 * went to the approvers (pending, no token yet), the draft takes the new
 * @subject and @body: nobody has seen the old text. @refreshed tells
 * whether such a draft was found and changed. */
gboolean shr_store_draft_refresh_unmailed (ShrStore *store, gint64 case_id, const gchar *subject,
                                           const gchar *body, gboolean *refreshed, GError **error);

/* A new draft for @case_id replaces the case's drafts still pending that
 * the approvers already have: they become 'expired' (no longer
 * approvable), and @replaced gets the newest of them, or 0. */
gboolean shr_store_case_supersede_pending (ShrStore *store, gint64 case_id, gint64 *replaced, GError **error);

/* The first draft of @case_id that was approved (its notices queued or
 * sent), among drafts with an id below @before_id; *draft_id = 0 when the
 * case was never notified. An update refers to that draft's notices. */
gboolean shr_store_case_notified_draft (ShrStore *store, gint64 case_id, gint64 before_id, gint64 *draft_id,
                                        GError **error);

/* Approved drafts whose notices have all left the outbox, at least one of
 * them delivered, become 'sent'. @count (may be NULL) gets how many. */
gboolean shr_store_drafts_mark_sent (ShrStore *store, guint *count, GError **error);

/* ---- outbox: messages with their bytes, delivery per recipient ---------- */

/* Queues @bytes (a whole RFC 5322 message, CRLF line ends, whose
 * Message-ID header is @message_id) from envelope sender @sender to each
 * of @recipients (NULL-terminated), one outbox row per recipient, in one
 * transaction. @kind names what it is ("notice", "draft", "confirmation",
 * "reminder", "digest", "report"); for "notice" the same (draft,
 * recipient, lang) twice is ignored, and for any kind the same
 * (Message-ID, recipient). @queued (may be NULL) gets the number of rows
 * added. @draft_id may be 0. */
gboolean shr_store_outbox_add_message (ShrStore *store, gint64 draft_id, const gchar *kind, const gchar *lang,
                                       const gchar *message_id, const gchar *sender,
                                       const gchar *const *recipients, GBytes *bytes, guint *queued,
                                       GError **error);

typedef struct
{
  gint64 id;
  gint64 draft_id; /* 0: none */
  gchar *kind;
  gchar *recipient;
  gchar *lang;
  gchar *message_id;
  gint64 message_ref; /* 0: queued without its bytes (shr_store_outbox_add) */
  gchar *status;      /* queued|sending|sent|failed */
  gint64 attempts;
  gint64 next_attempt_at;
  gchar *last_error;
} ShrOutboxRow;

void shr_outbox_row_free (ShrOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrOutboxRow, shr_outbox_row_free)

/* Claims at most @max rows that have their bytes and are due (queued, or
 * sending with an expired lease, both with next_attempt_at <= @now): in one
 * transaction they become 'sending' with next_attempt_at = @lease_until,
 * so that a second sender does not take them and a crashed one's rows come
 * back after the lease. @rows gets them ordered by message (transfer full;
 * element-type ShrOutboxRow). */
gboolean shr_store_outbox_claim (ShrStore *store, gint64 now, gint64 lease_until, guint max, GPtrArray **rows,
                                 GError **error);

/* The envelope sender and bytes of an outbox message (transfer full). */
gboolean shr_store_outbox_message (ShrStore *store, gint64 message_ref, gchar **sender, GBytes **bytes,
                                   GError **error);

/* Ends one attempt at row @id: @status "sent", "failed" or "queued" (a
 * retry at @next_attempt_at), @attempts the new count, @last_error the
 * reason or NULL. Only a row still 'sending' changes. Call inside a
 * transaction to end several rows at once. */
gboolean shr_store_outbox_finish (ShrStore *store, gint64 id, const gchar *status, gint64 attempts,
                                  gint64 next_attempt_at, const gchar *last_error, GError **error);

/* Puts every failed row that has its bytes back in the queue, as if new
 * (attempts 0, due now): after the cause was fixed (the server refused a
 * recipient that exists now, or a content filter), `shirase outbox
 * --retry-failed`. @count (may be NULL) gets how many. */
gboolean shr_store_outbox_requeue_failed (ShrStore *store, guint *count, GError **error);

/* Every outbox row, oldest first (transfer full; element-type
 * ShrOutboxRow). For status views and tests. */
gboolean shr_store_outbox_list (ShrStore *store, GPtrArray **rows, GError **error);

/* ---- folder sync state ------------------------------------------------- */

/* UIDVALIDITY and the highest UID handled in @folder; both 0 when the
 * folder was never read. */
gboolean shr_store_sync_get (ShrStore *store, const gchar *folder, gint64 *uidvalidity, gint64 *last_uid,
                             GError **error);
gboolean shr_store_sync_set (ShrStore *store, const gchar *folder, gint64 uidvalidity, gint64 last_uid,
                             GError **error);

/* ---- the daily digest ---------------------------------------------------- */

typedef enum
{
  SHR_DIGEST_NOT_APPLICABLE, /* an advisory judged not to concern us */
  SHR_DIGEST_FOLDED,         /* a notice held back from one recipient by
                              * [recipients] hourly_cap */
} ShrDigestKind;

/* "not_applicable", "folded" (transfer none). */
const gchar *shr_digest_kind_to_string (ShrDigestKind kind);

/* Adds an item for the next digest (undigested until
 * shr_store_digest_mark). @view is the JSON the digest renders; @case_id
 * and @draft_id may be 0, @record_id and @lang NULL. A FOLDED item names
 * its @recipient, a NOT_APPLICABLE one must not (programming error).
 * Once only: a NOT_APPLICABLE item for a @record_id that is already
 * waiting, or a FOLDED one for the same (@draft_id, @recipient), changes
 * nothing and sets @added (may be NULL) to FALSE. */
gboolean shr_store_digest_add (ShrStore *store, ShrDigestKind kind, gint64 case_id, const gchar *record_id,
                               gint64 draft_id, const gchar *recipient, const gchar *lang, const gchar *view,
                               gboolean *added, GError **error);

typedef struct
{
  gint64 id;
  ShrDigestKind kind;
  gint64 case_id;   /* 0: none */
  gchar *record_id; /* or NULL */
  gint64 draft_id;  /* 0: none */
  gchar *recipient; /* FOLDED: whom the notice was held back from */
  gchar *lang;      /* or NULL */
  gchar *view;      /* JSON */
  gint64 created_at;
} ShrDigestItem;

void shr_digest_item_free (ShrDigestItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrDigestItem, shr_digest_item_free)

/* Every item no digest has carried yet, oldest first (transfer full;
 * element-type ShrDigestItem). */
gboolean shr_store_digest_pending (ShrStore *store, GPtrArray **items, GError **error);

/* Marks digested, at @at, every undigested item whose id is at most
 * @last_id: call it in the transaction that queued the digest, with the
 * last id shr_store_digest_pending gave, so an item added meanwhile by
 * another process waits for the next digest. */
gboolean shr_store_digest_mark (ShrStore *store, gint64 last_id, gint64 at, GError **error);

/* How many notices (distinct drafts, whatever the languages) were queued
 * to @recipient at or after @since: what [recipients] hourly_cap counts. */
gboolean shr_store_notices_to_recipient_since (ShrStore *store, const gchar *recipient, gint64 since,
                                               gint64 *count, GError **error);

/* ---- settings ---------------------------------------------------------- */

/* (transfer full) the value, or NULL when unset (no error). */
gchar *shr_store_setting_get (ShrStore *store, const gchar *key, GError **error);
gboolean shr_store_setting_set (ShrStore *store, const gchar *key, const gchar *value, GError **error);

/* ---- looking back: shirase show and reprocess --------------------------- */

typedef struct
{
  gint64 id;
  gchar *folder;
  gint64 uidvalidity;
  gint64 uid;
  gchar *message_id; /* without <>, or NULL */
  gchar *raw_sha256;
  ShrOutcome outcome;
  gchar *record_id; /* or NULL */
  gint64 case_id;   /* or 0 */
  gint64 seen_at;
  gchar *error; /* why it failed, or NULL */
  guint items;  /* a digest mail: how many advisories it carries; else 0 */
  guint item;   /* found by case: which of them is of that case (from 1;
                 * record_id and case_id are that item's); else 0 */
} ShrStoreMessageRow;

void shr_store_message_row_free (ShrStoreMessageRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrStoreMessageRow, shr_store_message_row_free)

/* The messages recorded with Message-ID @message_id (without <>; when not
 * NULL), else with UID @uid (any folder; when > 0), else those of case
 * @case_id (a digest mail once per item of that case); newest first
 * (transfer full; element-type ShrStoreMessageRow; empty when none). */
gboolean shr_store_messages_find (ShrStore *store, const gchar *message_id, gint64 uid, gint64 case_id,
                                  GPtrArray **rows, GError **error);

/* The cases of the advisories message row @id carries, each once, in the
 * order of the items that joined them: a digest mail's, else the one of
 * a mail that is one advisory (none when it was not read as one).
 * (transfer full; element-type gint64) */
gboolean shr_store_message_cases (ShrStore *store, gint64 id, GArray **case_ids, GError **error);

/* Forgets message row @id (and a digest's items), so that the same mail
 * is taken in again (its records, cases and drafts stay: a new pass joins
 * them as a later source would). Inside the caller's transaction when one
 * is open. */
gboolean shr_store_message_forget (ShrStore *store, gint64 id, GError **error);

/* The ids of the drafts of case @case_id, oldest first (transfer full;
 * element-type gint64). */
gboolean shr_store_case_drafts (ShrStore *store, gint64 case_id, GArray **ids, GError **error);

typedef struct
{
  gchar *approver;
  gchar *decision;         /* approve | reject */
  gchar *reason;           /* or NULL */
  gchar *reply_message_id; /* or NULL (from a shell) */
  gint64 at;
} ShrStoreDecision;

void shr_store_decision_free (ShrStoreDecision *decision);

/* The decisions on draft @draft_id, in order (transfer full; element-type
 * ShrStoreDecision). */
gboolean shr_store_draft_decisions (ShrStore *store, gint64 draft_id, GPtrArray **decisions, GError **error);

/* The digest's view of the not-applicable record @record_id (its reasons),
 * newest first; NULL when there is none (no error). (transfer full) */
gchar *shr_store_digest_view_for_record (ShrStore *store, const gchar *record_id, GError **error);

/* ---- status ------------------------------------------------------------ */

typedef struct
{
  gint64 messages[SHR_OUTCOME_REPLY + 1]; /* indexed by ShrOutcome */
  gint64 records;
  gint64 cases;
  gint64 drafts_pending;
  gint64 outbox_backlog; /* queued or sending */
  gint64 outbox_failed;
  gint64 digest_waiting; /* not-applicable advisories for the next digest */
  gint64 digest_folded;  /* notices held back for recipients' next digest */
  gint64 last_sync_at;   /* 0: never */
  gchar *last_error;     /* the latest message or outbox error, or NULL */
} ShrStoreStatus;

/* Fills @status (free its contents with shr_store_status_clear). */
gboolean shr_store_get_status (ShrStore *store, ShrStoreStatus *status, GError **error);
void shr_store_status_clear (ShrStoreStatus *status);

/* ---- leases of dead processes --------------------------------------------- */

/* Who claims outbox rows through @store from now on (shr_store_outbox_claim
 * writes it with each lease): shr-outbox.h says how it is made. */
void shr_store_set_lease_owner (ShrStore *store, const gchar *owner);

/* The owners of leases not yet over at @now (transfer full; element-type
 * utf8). */
gboolean shr_store_outbox_lease_owners (ShrStore *store, gint64 now, GPtrArray **owners, GError **error);

/* Every row @owner holds goes back to the queue, due at @now: for a
 * process known dead, whose leases would otherwise hold its rows until
 * they end. @count (may be NULL) gets how many. */
gboolean shr_store_outbox_release_leases (ShrStore *store, const gchar *owner, gint64 now, guint *count,
                                          GError **error);

/* ---- what is scheduled ------------------------------------------------------ */

/* What the timers of watch wake for, as the state says it (0: nothing). */
typedef struct
{
  gint64 outbox_retry_at;      /* the earliest next attempt of a queued row */
  gint64 outbox_queued;        /* queued rows */
  gint64 outbox_lease_end_at;  /* the earliest end of a lease (sending) */
  gint64 drafts_unmailed;      /* pending drafts not yet mailed */
  gint64 oldest_unreminded_at; /* creation of the oldest mailed pending draft
                                * not reminded */
  gint64 oldest_pending_at;    /* creation of the oldest pending draft */
} ShrStoreSchedule;

gboolean shr_store_schedule (ShrStore *store, ShrStoreSchedule *schedule, GError **error);

/* ---- handling attempts -------------------------------------------------------- */

/* How many times the message at @folder/@uidvalidity/@uid was taken up
 * without its handling finishing: each is counted (committed) before the
 * handling starts and the count goes in the transaction that records the
 * message, so a count that stays means the process died, or gave up, in
 * between. */
gboolean shr_store_attempts_get (ShrStore *store, const gchar *folder, gint64 uidvalidity, gint64 uid,
                                 gint64 *count, GError **error);
/* The same for @n messages of one folder, in one statement each: their
 * counts (@counts, n of them, 0 when none); their attempts counted in one
 * transaction of its own (outside any), committed so as to survive a
 * crash of the process without waiting for the disk (synchronous =
 * NORMAL: a power loss may forget a count, never a message); their
 * attempts ended (in the caller's transaction, or one of its own). */
gboolean shr_store_attempts_lookup (ShrStore *store, const gchar *folder, gint64 uidvalidity,
                                    const gint64 *uids, guint n, gint64 *counts, GError **error);
gboolean shr_store_attempts_begin_batch (ShrStore *store, const gchar *folder, gint64 uidvalidity,
                                         const gint64 *uids, guint n, GError **error);
gboolean shr_store_attempts_end_batch (ShrStore *store, const gchar *folder, gint64 uidvalidity,
                                       const gint64 *uids, guint n, GError **error);
gboolean shr_store_attempt_end (ShrStore *store, const gchar *folder, gint64 uidvalidity, gint64 uid,
                                GError **error);

/* ---- savepoints: one message's part of a batch transaction ------------------- */

/* Inside a transaction: a savepoint (not nested), its release, and the
 * rollback of what was done since (the savepoint is released too). */
gboolean shr_store_savepoint (ShrStore *store, GError **error);
gboolean shr_store_savepoint_release (ShrStore *store, GError **error);
gboolean shr_store_savepoint_rollback (ShrStore *store, GError **error);

/* Whether @error concerns one message rather than the state as a whole: a
 * constraint or a row not found (or an error of another domain) fails
 * only the message it came with; busy, I/O, damage, a lost database fail
 * the run. */
gboolean shr_store_error_is_message_specific (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrStore, shr_store_close)

G_END_DECLS
