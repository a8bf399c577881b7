/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-pipeline.h — the driver: one mail as received, taken through the
 * stages into the state.
 *
 * For each message: parse it once (shr-read) → de-duplicate (Message-ID,
 * else SHA-256 of the raw bytes) → recognise our own mail (an X-Shirase-
 * header, or its one sender is [smtp] from) and automatic replies
 * (ignored) and replies to our drafts (left for the approval step, with
 * the parsed message) → extract → for each advisory the mail carries
 * (one, or each item of a digest mail: a JVN feed, a weekly report, a KEV
 * alert naming several flaws): correlate into a case (CVE ids and
 * advisory id as keys) → match against the profile → for
 * applicable/check, queue a draft unless the case already has one (a
 * later source joins the case); not applicable: the case is graded "-"
 * and, unless the case has a draft, the advisory waits for the approvers'
 * daily digest (a digest item, once per record). The message itself is
 * recorded once, whatever it carries.
 * Everything a message changes is written in one store transaction
 * (the caller's, when one is open; else its own), so a crash leaves either
 * all of it or nothing.
 *
 * The pipeline never touches the network: the watcher hands it bytes and
 * moves the message by the outcome once the transaction is committed. */
#pragma once

#include <glib.h>

#include "shr-lexicon.h"
#include "shr-match.h"
#include "shr-profile.h"
#include "shr-read.h"
#include "shr-store.h"
#include "shr-vocab.h"

G_BEGIN_DECLS

typedef struct _ShrPipeline ShrPipeline;

/* What became of one advisory of a handled message. */
typedef struct
{
  guint item;         /* its place in a digest mail, from 1; 0 for a mail
                       * that is one advisory */
  guint items;        /* the advisories of that digest; else 0 */
  gchar *record_id;   /* (owned) */
  gchar *advisory_id; /* the source's id (JVN#…), or NULL (owned) */
  gint64 case_id;
  gboolean joined; /* the case existed before this message */
  gint64 draft_id; /* queued for it by this message, else 0 */
  gboolean update; /* that draft is an update (続報) of a notified case */
  gint64 replaced; /* the pending draft it replaces, else 0 */
  ShrVerdict verdict;
} ShrPipelineAdvisory;

typedef struct
{
  ShrOutcome outcome;
  gboolean duplicate; /* seen before: nothing written now; outcome is the
                       * one recorded then */
  /* Handled: the mail's advisory; for a digest mail, its first item's
   * (all of them are in @advisories). */
  gint64 case_id;      /* 0 when none */
  gboolean joined;     /* the case existed before this message */
  gint64 draft_id;     /* queued by this message, else 0 */
  gboolean update;     /* that draft is an update (続報) of a notified case */
  gint64 replaced;     /* the pending draft it replaces, else 0 */
  ShrVerdict verdict;  /* for handled messages */
  gchar *record_id;    /* for handled messages */
  GArray *advisories;  /* handled: (element-type ShrPipelineAdvisory) each
                        * advisory of the mail, in order: one, or one per
                        * item of a digest; else NULL */
  gchar *reason;       /* why it was ignored, or why it failed; else NULL */
  ShrMessage *message; /* a reply (outcome REPLY): the message as parsed,
                        * for the approval step (transfer full); else NULL */
} ShrPipelineResult;

void shr_pipeline_result_clear (ShrPipelineResult *result);

/* (transfer full) What became of @advisory, for logs and the CLI:
 * "applicable, case 3 (new), draft queued", and for a digest's item
 * "advisory 2 of 4 (JVN#20260312): applicable, case 3 (joined)". */
gchar *shr_pipeline_advisory_describe (const ShrPipelineAdvisory *advisory);

/* (transfer full) Borrows @store, @lexicon, @profile and @vocab (which must
 * outlive it). @own_address ([smtp] from; may be NULL): mail from it is
 * ours and ignored; compared as whole addresses. */
ShrPipeline *shr_pipeline_new (ShrStore *store, const ShrLexicon *lexicon, const ShrProfile *profile,
                               const ShrVocabulary *vocab, const gchar *own_address);
void shr_pipeline_free (ShrPipeline *pipeline);

/* The addresses of [approval] approvers (NULL-terminated; copied). A mail
 * from one of them whose Subject says it is a reply ("Re:", "返信:", …) is
 * taken as a reply to a draft even when it names none: the approval step
 * tells the approver it refers to no draft, and it is never read as a new
 * advisory. */
void shr_pipeline_set_approvers (ShrPipeline *pipeline, const gchar *const *approvers);

/* Judges and dates the notices as if it were @now (a reference is kept;
 * NULL: the real time again), so that a test's drafts read the same on
 * every day it runs. Not while shr_pipeline_prepare runs on other threads. */
void shr_pipeline_set_now (ShrPipeline *pipeline, GDateTime *now);

/* Whether a draft keeps the advisory's text ("advisory_text" in its body),
 * for the [summary] command (shr-summary.h); off by default: without a
 * summariser the text is not needed and not written. */
void shr_pipeline_set_keep_text (ShrPipeline *pipeline, gboolean keep);

/* Handles one message found in @folder at @uidvalidity/@uid. FALSE only
 * when the state could not be written (SHR_STORE_ERROR_*): then nothing of
 * this message was kept and it must stay where it is. A message that is
 * not mail is not an error: outcome FAILED, with the reason. */
gboolean shr_pipeline_handle (ShrPipeline *pipeline, const gchar *folder, gint64 uidvalidity, gint64 uid,
                              GBytes *raw, ShrPipelineResult *result, GError **error);

/* The same in two steps, so that the work that needs no state (hashing,
 * reading, extracting, matching: nearly all of the CPU time) can run on
 * several threads while the state is written by one.
 * shr_pipeline_prepare is thread-safe; shr_pipeline_apply is not (it
 * writes the store) and applies in the order it is called. */
typedef struct _ShrPrepared ShrPrepared;

/* (transfer full) Never NULL. */
ShrPrepared *shr_pipeline_prepare (ShrPipeline *pipeline, GBytes *raw);
void shr_prepared_free (ShrPrepared *prepared);
gboolean shr_pipeline_apply (ShrPipeline *pipeline, ShrPrepared *prepared, const gchar *folder,
                             gint64 uidvalidity, gint64 uid, ShrPipelineResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrPrepared, shr_prepared_free)

/* ---- a batch, one poison message isolated ------------------------------------ */

typedef struct
{
  const gchar *folder;
  gint64 uidvalidity;
  gint64 uid;
  GBytes *raw;
} ShrPipelineItem;

typedef gboolean (*ShrPipelineStopFunc) (gpointer data);

typedef struct
{
  gboolean batch_txn;       /* one transaction for the batch (each message in
                             * a savepoint of it), else one per message */
  guint threads;            /* preparing threads; 0: one per processor, <= 8 */
  guint max_attempts;       /* 0: SHR_MAX_HANDLING_ATTEMPTS */
  guint budget_seconds;     /* one message's preparation; 0: SHR_MAX_HANDLING_SECONDS */
  gsize budget_rss;         /* the process while one is prepared; 0: SHR_MAX_HANDLING_RSS_BYTES */
  ShrPipelineStopFunc stop; /* asked between messages (may be NULL) */
  gpointer stop_data;
} ShrPipelineBatchOptions;

/* Handles @n messages of a folder, in order, so that one poison message
 * holds back no other:
 *  - each message's attempt is counted and committed before it is read,
 *    so a crash, an abort or a kill during its handling is attributable;
 *    the count goes in the transaction that records the message;
 *  - a batch with a message counted before (the run that took it up died)
 *    is handled one message at a time, each alone; a message taken up
 *    @max_attempts times is not read again but recorded as failed with
 *    the reason (the watcher moves it to the failed folder);
 *  - while a message is prepared, the calling thread watches its time and
 *    the process's resident memory: over either budget, it logs which
 *    message and ends the process at once (_exit), its attempt counted;
 *  - a state step that fails for one message only (a constraint, a row
 *    not found) is undone alone (a savepoint) and the message recorded as
 *    failed; other state errors (busy, I/O, damage) end the batch: FALSE.
 * @results (n of them, cleared first; clear each with
 * shr_pipeline_result_clear) are set for the first @n_done messages,
 * which are recorded (committed); on FALSE the rest are not. */
gboolean shr_pipeline_handle_batch (ShrPipeline *pipeline, const ShrPipelineItem *items, guint n,
                                    const ShrPipelineBatchOptions *options, ShrPipelineResult *results,
                                    guint *n_done, GError **error);

/* Faults for tests (SHIRASE_TEST_POISON in test builds): a message whose
 * raw bytes contain @marker aborts the process while it is prepared
 * (ABORT), never finishes its preparation (HANG), or fails its state step
 * after writing part of it (APPLY). NULL or NONE: no fault. */
typedef enum
{
  SHR_PIPELINE_FAULT_NONE,
  SHR_PIPELINE_FAULT_ABORT,
  SHR_PIPELINE_FAULT_HANG,
  SHR_PIPELINE_FAULT_APPLY,
} ShrPipelineFault;

void shr_pipeline_set_fault (ShrPipeline *pipeline, ShrPipelineFault fault, const gchar *marker);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrPipeline, shr_pipeline_free)

G_END_DECLS
