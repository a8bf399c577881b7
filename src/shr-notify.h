/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-notify.h — the approval loop of the once/watch cycle.
 *
 * One job: turn the drafts the pipeline queued into mails to the
 * approvers, the approvers' replies into decisions, an approved draft into
 * its notices, and send what the outbox holds. Everything goes through the
 * store: a draft mail is queued in the transaction that gives the draft its
 * token and Message-ID, the notices in the transaction that approves the
 * draft (shr_approve_decide), and the outbox runner sends each row once
 * (DESIGN.md "Approval by reply", "State and delivery guarantees").
 *
 * Flood control: with [recipients] hourly_cap, a grade C or informational
 * notice to a recipient who was queued that many notices in the last hour
 * is folded into their next digest instead (grade A and B always go at
 * once). The daily digest carries, to the approvers, the advisories the
 * pipeline judged not applicable and the notices folded for whom; to each
 * such recipient, their folded notices.
 *
 * Active only when the config has both [smtp] url and [approval]
 * approvers (shr_notify_configured); without them once/watch only ingest. */
#pragma once

#include <glib.h>

#include "shr-approve.h"

#include "shr-store.h"

G_BEGIN_DECLS

typedef struct _ShrNotify ShrNotify;

/* Whether @keyfile has [smtp] url and [approval] approvers. */
gboolean shr_notify_configured (GKeyFile *keyfile);

/* (transfer full) Reads [smtp], [approval], [recipients] and [templates]
 * of @keyfile (@config_path names it in errors and anchors a relative
 * template dir), loads or creates the approval secret in @state_dir and
 * fetches the SMTP secret (no connection yet). Borrows @store, which must
 * outlive it. Errors: SHR_CONFIG_ERROR, SHR_SEND_ERROR_*,
 * SHR_APPROVE_ERROR_SECRET, G_FILE_ERROR (templates). */
ShrNotify *shr_notify_new (ShrStore *store, GKeyFile *keyfile, const gchar *config_path,
                           const gchar *state_dir, GError **error);
void shr_notify_free (ShrNotify *notify);

/* Moves the clock of replies, reminders, expiry, the digest and the hourly
 * cap @seconds forward (the outbox keeps the real time): for tests, which
 * cannot wait for hours. */
void shr_notify_set_clock_offset (ShrNotify *notify, gint64 seconds);

/* [approval] approvers, bare addresses (transfer none). */
const gchar *const *shr_notify_get_approvers (ShrNotify *notify);

/* Handles one reply to a draft (@message: as the pipeline parsed it):
 * verifies it and, when it counts, records the decision; the approval
 * that reaches the quorum queues the notices in the same transaction.
 * Must be called outside a transaction. FALSE only on a state error
 * (nothing was decided: keep the message and try again). */
gboolean shr_notify_reply (ShrNotify *notify, const ShrMessage *message, GError **error);

/* Reminds and expires pending drafts, queues the mail of every pending
 * draft that has none yet, queues the daily digests when they are due
 * ([digest] time in the organisation's time zone, once a day; the first
 * run only starts the count), then sends what is due in the outbox.
 * @queued and @sent (may be NULL) get the drafts queued and the outbox
 * rows sent. A failing SMTP server is not an error (the rows wait for
 * their retry), nor is a digest that cannot be made (logged, tried again
 * next time); FALSE only on a state or rendering error of the drafts or
 * the outbox. Must be called outside a transaction. */
gboolean shr_notify_run (ShrNotify *notify, guint *queued, guint *sent, GError **error);

/* A decision taken from a shell (shirase approve / reject): @who counts as
 * one approver, exactly as a reply would (quorum, one decision per
 * approver, a draft no longer pending unchanged); on approval the notices
 * are queued in the same transaction. @outcome says what happened. */
gboolean shr_notify_decide (ShrNotify *notify, gint64 draft_id, const gchar *who, ShrCommand command,
                            const gchar *reason, ShrDecisionOutcome *outcome, GError **error);

/* ---- what is scheduled --------------------------------------------------------- */

/* The next action of each kind the timers of watch wake for (0: none).
 * Outbox times are on the real clock; reminders, expiry and the digest on
 * the approval clock (shr_notify_set_clock_offset), which is the real one
 * outside tests. */
typedef struct
{
  gint64 drafts_to_mail;  /* pending drafts not yet mailed: due at once */
  gint64 outbox_retry_at; /* the earliest next attempt of a queued mail */
  gint64 outbox_queued;   /* queued mails (rows) */
  gint64 lease_end_at;    /* the earliest end of a lease on a mail being sent */
  gint64 reminder_at;     /* the next reminder of a pending draft */
  gint64 expiry_at;       /* the next expiry of a pending draft */
  gint64 digest_at;       /* the next daily digest */
} ShrNotifySchedule;

gboolean shr_notify_schedule (ShrNotify *notify, ShrNotifySchedule *schedule, GError **error);

/* The same from the configuration alone ([approval], [digest],
 * [organization] timezone): for shirase status, which reads no secret. */
gboolean shr_notify_schedule_for_config (ShrStore *store, GKeyFile *keyfile, const gchar *config_path,
                                         ShrNotifySchedule *schedule, GError **error);

/* Seconds from now until the earliest action of @schedule (0: due now),
 * or -1 when nothing is scheduled. */
gint64 shr_notify_seconds_to_next (ShrNotify *notify, const ShrNotifySchedule *schedule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrNotify, shr_notify_free)

G_END_DECLS
