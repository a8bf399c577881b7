/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-outbox.h — the outbox runner: queued mail out through a sender.
 *
 * Each step is its own transaction, so a crash at any point loses nothing
 * and sends nothing twice, except in the one window no SMTP client can
 * close: the server accepted the message and we died before recording it.
 * The row then stays 'sending' until its lease ends and is sent again with
 * the same Message-ID (DESIGN.md "State and delivery guarantees").
 *
 *   claim (queued -> sending, one transaction, lease on next_attempt_at)
 *   send one message to the claimed recipients (one SMTP transaction)
 *   finish its rows (one transaction): accepted -> sent; 5xx -> failed;
 *   4xx or connection trouble -> queued, attempts + 1,
 *   next_attempt_at = now + base * 2^attempts (capped)
 *
 * shr-outbox.c does not include curl: it calls a ShrOutboxSendFunc, which
 * is shr_sender_send in production and a fake in tests. */
#pragma once

#include <glib.h>

#include "shr-send.h"
#include "shr-store.h"

G_BEGIN_DECLS

/* Same contract as shr_sender_send. */
typedef gboolean (*ShrOutboxSendFunc) (gpointer user_data, const gchar *envelope_from,
                                       const gchar *const *recipients, GBytes *message, GPtrArray **results,
                                       GError **error);

typedef struct
{
  guint batch;          /* rows claimed at a time; 0: 200 */
  gint64 lease_seconds; /* how long a claimed row is ours; 0: 900 */
  gint64 backoff_base;  /* first retry delay, seconds; 0: 60 */
  gint64 backoff_cap;   /* longest retry delay; 0: 3600 */
  guint max_attempts;   /* temporary failures before giving up; 0: 72
                         * (about three days at the cap) */
} ShrOutboxOptions;

/* One row that failed for good, for the report to the approvers. */
typedef struct
{
  gint64 row_id;
  gint64 draft_id;
  gchar *kind;
  gchar *recipient;
  gchar *message_id;
  gchar *error; /* the server's reply or why we gave up */
} ShrOutboxFailure;

typedef struct
{
  guint messages;      /* SMTP transactions attempted */
  guint sent;          /* rows now sent */
  guint failed;        /* rows now failed for good */
  guint retry;         /* rows back in the queue for later */
  GPtrArray *failures; /* element-type ShrOutboxFailure */
  gchar *last_error;   /* the latest temporary error, or NULL */
} ShrOutboxReport;

void shr_outbox_report_clear (ShrOutboxReport *report);

/* The delay before retry number @attempts + 1: base * 2^attempts, capped. */
gint64 shr_outbox_backoff (const ShrOutboxOptions *options, gint64 attempts);

/* Sends every row due at @now. A connection or login failure puts the rest
 * of the claimed rows back (with the same backoff) and ends the run: the
 * next run tries again. Returns FALSE only on a state (SQLite) error.
 * @report (may be NULL) is filled; clear it with shr_outbox_report_clear.
 * @options may be NULL (defaults). */
gboolean shr_outbox_run_with (ShrStore *store, ShrOutboxSendFunc send, gpointer send_data, gint64 now,
                              const ShrOutboxOptions *options, ShrOutboxReport *report, GError **error);

/* Who this process is, as a lease owner: "HOST:PID:START" (START the
 * process's start time in clock ticks since boot, so a pid used again is
 * another owner). (transfer none) */
const gchar *shr_outbox_lease_owner (void);

/* Puts back in the queue, due at @now, the rows whose lease a process
 * that is gone still holds (it was killed while sending): at the start of
 * once and watch, instead of when the lease ends (15 minutes). Leases of
 * live processes, and of other hosts, are left alone. @count (may be
 * NULL) gets how many rows. */
gboolean shr_outbox_reclaim_dead_leases (ShrStore *store, gint64 now, guint *count, GError **error);

/* shr_outbox_run_with through @sender (one connection for the run). */
gboolean shr_outbox_run (ShrStore *store, ShrSender *sender, gint64 now, const ShrOutboxOptions *options,
                         ShrOutboxReport *report, GError **error);

G_END_DECLS
