/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-pipeline.h — the driver: one mail as received, taken through the
 * stages into the state.
 *
 * For each message: de-duplicate (Message-ID, else SHA-256 of the raw
 * bytes) → recognise our own mail and automatic replies (ignored) and
 * replies to our drafts (left for the approval step) → read → extract →
 * correlate into a case (CVE ids and advisory id as keys) → match against
 * the profile → for applicable/check, queue a draft unless the case
 * already has one (a later source joins the case); not applicable: the
 * case is graded "-" and, unless the case has a draft, the advisory waits
 * for the approvers' daily digest (a digest item, once per record).
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
#include "shr-store.h"
#include "shr-vocab.h"

G_BEGIN_DECLS

typedef struct _ShrPipeline ShrPipeline;

typedef struct
{
  ShrOutcome outcome;
  gboolean duplicate; /* seen before: nothing written now; outcome is the
                       * one recorded then */
  gint64 case_id;     /* 0 when none */
  gboolean joined;    /* the case existed before this message */
  gint64 draft_id;    /* queued by this message, else 0 */
  gboolean update;    /* that draft is an update (続報) of a notified case */
  gint64 replaced;    /* the pending draft it replaces, else 0 */
  ShrVerdict verdict; /* for handled messages */
  gchar *record_id;   /* for handled messages */
  gchar *reason;      /* why it was ignored, or why it failed; else NULL */
} ShrPipelineResult;

void shr_pipeline_result_clear (ShrPipelineResult *result);

/* (transfer full) Borrows @store, @lexicon, @profile and @vocab (which must
 * outlive it). @own_address ([smtp] from; may be NULL): mail from it is
 * ours and ignored. */
ShrPipeline *shr_pipeline_new (ShrStore *store, const ShrLexicon *lexicon, const ShrProfile *profile,
                               const ShrVocabulary *vocab, const gchar *own_address);
void shr_pipeline_free (ShrPipeline *pipeline);

/* The addresses of [approval] approvers (NULL-terminated; copied). A mail
 * from one of them whose Subject says it is a reply ("Re:", "返信:", …) is
 * taken as a reply to a draft even when it names none: the approval step
 * tells the approver it refers to no draft, and it is never read as a new
 * advisory. */
void shr_pipeline_set_approvers (ShrPipeline *pipeline, const gchar *const *approvers);

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

/* ---- exposed for tests ---------------------------------------------------- */

/* Why a message with these raw headers is ours or automatic, or NULL when
 * it is neither (transfer none: a static string). */
const gchar *shr_pipeline_auto_reason (const gchar *raw, gsize len, const gchar *own_address);

/* (transfer full) The unfolded value of the first header @name in the
 * header block of @raw, or NULL. */
gchar *shr_pipeline_header (const gchar *raw, gsize len, const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrPipeline, shr_pipeline_free)

G_END_DECLS
