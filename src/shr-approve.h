/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-approve.h — approval by reply: tokens, reply commands, the checks a
 * reply must pass, and the decision rule (DESIGN.md "Approval by reply").
 *
 * Everything here but the secret file and shr_approve_decide is pure: the
 * reply is parsed once by shr-read (the pipeline's ShrMessage) and seen
 * here as a ShrReply; shr_approve_verify says whether it counts for a
 * draft and shr_approve_parse_command what it says; shr_approve_decide
 * then records the decision in one transaction. */
#pragma once

#include <glib.h>

#include "shr-error.h"
#include "shr-read.h"
#include "shr-store.h"

G_BEGIN_DECLS

/* ---- the draft token ------------------------------------------------------ */

#define SHR_APPROVE_TOKEN_LEN 10
#define SHR_APPROVE_SECRET_BYTES 32
#define SHR_APPROVE_SECRET_FILE "approval.key"

/* The secret behind the tokens: @state_dir/approval.key, 32 random bytes,
 * created (mode 0600) when missing; two processes creating it at once end
 * up with the same one. A file that others can read, or of the wrong size,
 * is refused with SHR_APPROVE_ERROR_SECRET. (transfer full) */
GBytes *shr_approve_load_or_create_secret (const gchar *state_dir, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The token of draft @draft_id, created at @created_at (Unix seconds) in
 * the database whose instance id is @instance_id: HMAC-SHA256 of
 * "shirase-draft:<instance>:<id>:<created_at>" under @secret, its first 50
 * bits as 10 upper-case Crockford base32 characters (0-9 A-Z without I L
 * O U), e.g. "K7Q2M9F3XA". The instance id makes a new database's draft 1
 * another token than a lost one's draft 1; the creation time does the
 * same for a database restored from an older backup, whose ids run again.
 * (transfer full) */
gchar *shr_approve_token (GBytes *secret, const gchar *instance_id, gint64 draft_id, gint64 created_at);

/* Whether @a and @b are the same token, in time independent of where they
 * differ. Case, and Crockford's look-alikes (O for 0, I and L for 1), do not
 * matter; anything but 10 base32 characters never matches. */
gboolean shr_approve_token_equal (const gchar *a, const gchar *b);

/* The token a Subject carries: the 10 characters after '#' in
 * "[承認依頼 #K7Q2M9F3XA]" (or the first "#" followed by 10 base32
 * characters), in canonical form (upper case, O as 0, I and L as 1), as
 * shr_approve_token makes them. (transfer full) or NULL. */
gchar *shr_approve_subject_token (const gchar *subject);

/* The part of a line read for a command. (What a reply can make us hold
 * otherwise is capped by the reader: SHR_MAX_MESSAGE_REFS,
 * SHR_MAX_AUTH_RESULTS, SHR_MAX_REPLY_TEXT_BYTES in shr-limits.h.) */
#define SHR_MAX_COMMAND_LINE_BYTES 1024

/* ---- the reply's command ---------------------------------------------------- */

typedef enum
{
  SHR_COMMAND_NONE,
  SHR_COMMAND_APPROVE,        /* 承認 approve ok yes */
  SHR_COMMAND_REJECT,         /* 却下 reject no, plus a reason */
  SHR_COMMAND_HOLD,           /* 保留 hold */
  SHR_COMMAND_APPROVE_EDITED, /* 修正承認 approve with edits: the edited
                               * notices follow (shr-edit.h) */
} ShrCommand;

const gchar *shr_command_to_string (ShrCommand command);

/* The command of a reply's text (UTF-8; ShrReply.body).
 *
 * Which line: the first one that is neither empty nor quoted ('>' after
 * optional spaces). A signature separator ("-- ") or an attribution
 * ("On … wrote:", "…さんは書きました:", "-----Original Message-----",
 * "From:", "差出人:", "送信者:", "________________") before it means the
 * reply has no command. Of that line the first SHR_MAX_COMMAND_LINE_BYTES
 * are read, NFKC-normalised (full-width letters, digits and punctuation
 * become ASCII: ＯＫ is OK, ？ is ?) and trimmed.
 *
 * What it says: the line opens with a command word
 *   approve  承認  approve approved ok okay yes
 *   reject   却下  reject rejected no
 *   hold     保留  hold
 *   approve with edits  修正承認  approve with edits, approved with edits
 * (English words whole and in any case: "okinawa" and "ok2" are none),
 * then optional Japanese politeness (します いたします です でお願いします
 * 済み …, also after an English word: 「OKです」), then
 *   - approve, hold: nothing but separators (spaces, punctuation 、。！…)
 *     and courtesy (よろしくお願いします, ありがとうございます, thanks,
 *     please send, go ahead); anything else may change the meaning and
 *     makes the line no command: "OK, but do not send yet",
 *     「承認します。ただし来週」;
 *   - reject: a separator, then the reason, which @reason gets without a
 *     leading "理由:" / "reason:"; "no" needs punctuation after it ("No,
 *     we don't run it"; "No problem" is no rejection).
 * A question mark is never a separator: 「承認？」 "OK?" "Approve?"
 * "Reject?" ask and decide nothing. 「承認しない」「承認できません」 are no
 * command.
 *
 * @reason (may be NULL; transfer full): a rejection's reason, else NULL.
 * Pure: the same text gives the same answer. */
ShrCommand shr_approve_parse_command (const gchar *body, gchar **reason);

/* ---- the reply and its checks ------------------------------------------------ */

/* A reply as the approval step sees it: the fields of its ShrMessage
 * (shr-read.h says how each is read). */
typedef struct
{
  gchar *from;             /* the one sender, canonical; NULL: nobody's */
  gchar *message_id;       /* without <>, or NULL */
  GPtrArray *refs;         /* In-Reply-To, then References nearest first */
  gchar *subject;          /* decoded, or NULL */
  gchar *automatic;        /* why it is an automatic reply, or NULL */
  GPtrArray *auth_results; /* Authentication-Results values, topmost first */
  gchar *body;             /* the first inline text/plain part, or NULL */
} ShrReply;

/* (transfer full) The reply's view of @message (copied). */
ShrReply *shr_reply_new_from_message (const ShrMessage *message);
void shr_reply_free (ShrReply *reply);

/* The [approval] group. */
typedef struct
{
  gchar **approvers; /* canonical addresses (shr_address_canonical) */
  gboolean require_auth_results;
  gchar *trusted_authserv_id;
  guint quorum;       /* default 1 */
  guint remind_hours; /* default 24 */
  guint expire_hours; /* default 72 */
} ShrApprovalConfig;

/* (transfer full) From @keyfile's [approval]; SHR_CONFIG_ERROR on a
 * missing approvers key, an approver that is not one address, or a bad
 * number. */
ShrApprovalConfig *shr_approval_config_from_keyfile (GKeyFile *keyfile, const gchar *path, GError **error);
void shr_approval_config_free (ShrApprovalConfig *config);

/* What the verifier needs of a draft (strings not owned). */
typedef struct
{
  gint64 id;
  const gchar *message_id; /* with or without <> */
  const gchar *token;
  const gchar *status; /* pending|approved|rejected|expired|sent */
  gint64 created_at;
} ShrDraftRef;

typedef enum
{
  SHR_REPLY_ACCEPT,
  SHR_REPLY_AUTOMATIC,    /* auto-reply headers or an out-of-office subject */
  SHR_REPLY_NOT_APPROVER, /* From is not in [approval] approvers */
  SHR_REPLY_NO_REFERENCE, /* neither In-Reply-To/References nor a token */
  SHR_REPLY_WRONG_TOKEN,  /* the Subject's token is not this draft's */
  SHR_REPLY_AUTH_MISSING, /* no Authentication-Results from the trusted id */
  SHR_REPLY_AUTH_FAILED,  /* no DKIM or SPF pass for the From domain */
  SHR_REPLY_NOT_PENDING,  /* already approved, rejected, expired or sent */
  SHR_REPLY_EXPIRED,      /* older than expire_hours */
} ShrReplyVerdict;

const gchar *shr_reply_verdict_to_string (ShrReplyVerdict verdict);

/* Whether @reply counts for @draft at @now (Unix seconds). Checked in this
 * order, the first failing one given: automatic, approver, reference,
 * Authentication-Results (when required), pending, expiry. @message (may
 * be NULL; transfer full) says why in one sentence for the log. */
ShrReplyVerdict shr_approve_verify (const ShrReply *reply, const ShrApprovalConfig *config,
                                    const ShrDraftRef *draft, gint64 now, gchar **message);

/* RFC 8601: whether @value (one Authentication-Results header) comes from
 * @authserv_id (case-insensitive) and shows dkim=pass with header.d (or
 * header.i's domain) equal to @domain, or spf=pass with smtp.mailfrom's
 * domain equal to @domain. @from_trusted (may be NULL) tells whether the
 * authserv-id matched. */
gboolean shr_approve_auth_results_pass (const gchar *value, const gchar *authserv_id, const gchar *domain,
                                        gboolean *from_trusted);

/* ---- the decision ------------------------------------------------------------ */

typedef enum
{
  SHR_DECISION_RECORDED,      /* an approval counted; quorum not reached yet */
  SHR_DECISION_APPROVED,      /* this approval reached the quorum (once) */
  SHR_DECISION_REJECTED,      /* this rejection dropped the draft (once) */
  SHR_DECISION_HELD,          /* hold: nothing changes, the draft stays pending */
  SHR_DECISION_REPLAY,        /* this approver (or this reply) already counted */
  SHR_DECISION_NOT_PENDING,   /* the draft was decided before */
  SHR_DECISION_RESTARTED,     /* an approval with edits counted, after
                               * approvals of another text, which no longer
                               * count: the quorum is counted again */
  SHR_DECISION_EDIT_CONFLICT, /* refused: the approvals so far are of
                               * another text (an approval as drafted
                               * after an edit, or another edit) */
} ShrDecisionOutcome;

const gchar *shr_decision_outcome_to_string (ShrDecisionOutcome outcome);

/* Runs inside the deciding transaction when a decision was taken (outcome
 * APPROVED, REJECTED, RECORDED or HELD; not for a replay or a draft no
 * longer pending), so that what it queues — the notices, the approver's
 * confirmation — commits with the decision or not at all. @reason: a
 * rejection's reason, or NULL. */
typedef gboolean (*ShrDecidedFunc) (ShrStore *store, ShrDecisionOutcome outcome, const gchar *reason,
                                    gpointer user_data, GError **error);

/* Applies @command from @approver to draft @draft_id in one transaction
 * (BEGIN IMMEDIATE): the draft must be pending; an approval is recorded
 * once per (draft, approver) and per reply Message-ID, and moves the draft
 * to approved when @quorum distinct approvers have approved; one rejection
 * moves it to rejected. @on_decided (may be NULL) runs inside the same
 * transaction: two approvers at once, or one reply read twice, queue the
 * notices exactly once, and a crash never leaves a decision unconfirmed.
 * @outcome says what happened. Must be called outside a transaction. */
gboolean shr_approve_decide (ShrStore *store, gint64 draft_id, const gchar *approver, ShrCommand command,
                             const gchar *reason, const gchar *reply_message_id, guint quorum,
                             ShrDecidedFunc on_decided, gpointer on_decided_data, ShrDecisionOutcome *outcome,
                             GError **error);

/* The same, for an approval of @edited (shr_edit_to_json; NULL: the
 * notices as drafted). With a quorum, approvals must agree on the text:
 * the first approval with edits makes its text the draft's (after
 * approvals as drafted it drops them: RESTARTED); an approval of the same
 * text counts; an approval as drafted after an edit, or of another edit
 * while others approved the first, is EDIT_CONFLICT and changes nothing
 * (an approver who alone approved may replace their own edit). */
gboolean shr_approve_decide_edited (ShrStore *store, gint64 draft_id, const gchar *approver,
                                    ShrCommand command, const gchar *reason, const gchar *edited,
                                    const gchar *reply_message_id, guint quorum, ShrDecidedFunc on_decided,
                                    gpointer on_decided_data, ShrDecisionOutcome *outcome, GError **error);

/* ---- store glue ------------------------------------------------------------ */

/* Points @ref at @draft's fields (valid while @draft lives). */
void shr_draft_ref_from_store (const ShrStoreDraft *draft, ShrDraftRef *ref);

/* Moves every draft still pending @expire_hours after its creation to
 * expired, in one transaction (a decision racing it either comes first
 * and counts, or finds the draft expired). @expired (may be NULL; transfer
 * full; element-type gint64) gets their ids, for the notes to the
 * approvers. */
gboolean shr_approve_expire (ShrStore *store, gint64 now, guint expire_hours, GArray **expired,
                             GError **error);

/* ---- a reply, start to end ----------------------------------------------------- */

typedef struct
{
  gint64 draft_id;            /* the draft it refers to, 0: none found */
  ShrReplyVerdict verdict;    /* whether it counts */
  ShrCommand command;         /* when it counts: what it says */
  gchar *reason;              /* a rejection's reason, or NULL */
  ShrDecisionOutcome outcome; /* when it counts and has a command */
  gboolean decided;           /* outcome is set */
  gchar *edit_problem;        /* an approval with edits that could not be
                               * read or checked: why (Japanese / English),
                               * else NULL; nothing was decided */
  gboolean answer;            /* the sender is an approver and a person:
                               * confirm or explain; never answer others
                               * (no backscatter) */
  gchar *message;             /* one line for the log */
} ShrReplyResult;

void shr_reply_result_clear (ShrReplyResult *result);

/* What the watcher calls for a reply: finds the draft (In-Reply-To and
 * References, else the Subject's token), verifies the reply at @now, reads
 * its command (and for an approval with edits the edited notices, checked
 * against the draft's: shr-edit.h) and, when it counts, decides (shr_approve_decide with
 * [approval] quorum and @on_decided). A reply that does not count changes
 * nothing. FALSE only on a state error. Clear @result with
 * shr_reply_result_clear. */
gboolean shr_approve_handle_reply (ShrStore *store, const ShrApprovalConfig *config, const ShrReply *reply,
                                   gint64 now, ShrDecidedFunc on_decided, gpointer on_decided_data,
                                   ShrReplyResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrReply, shr_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrApprovalConfig, shr_approval_config_free)

G_END_DECLS
