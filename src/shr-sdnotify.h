/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-sdnotify.h — the service manager's notification protocol
 * (sd_notify(3)) by hand: one datagram to $NOTIFY_SOCKET, so the daemon
 * needs no libsystemd. Without $NOTIFY_SOCKET (not run by systemd with
 * Type=notify) every call does nothing. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sends @state ("READY=1", "STATUS=…", "WATCHDOG=1", "RELOADING=1",
 * "STOPPING=1", lines joined by '\n'). TRUE when sent, FALSE when there is
 * no socket to send to or sending failed (never fatal: the daemon works
 * the same under any supervisor). Thread-safe. */
gboolean shr_sd_notify (const gchar *state);

/* printf-style shr_sd_notify. */
gboolean shr_sd_notifyf (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

/* The watchdog interval the service manager asked for (WatchdogSec=, as
 * $WATCHDOG_USEC for this process), in microseconds; 0 when none. */
guint64 shr_sd_watchdog_usec (void);

G_END_DECLS
