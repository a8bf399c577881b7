/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-time.h — timestamps as machine-readable output writes them: RFC 3339
 * ("2026-03-12T15:00:00Z", "2026-03-12T09:15:00+09:00"), which GLib's
 * ISO 8601 writer does not always give (it writes "+09" without minutes). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) @dt in RFC 3339, to the second: "Z" for UTC, else the
 * offset as +hh:mm. */
gchar *shr_time_rfc3339 (GDateTime *dt);

/* (transfer full) The Unix time @seconds in RFC 3339, UTC. */
gchar *shr_time_rfc3339_unix (gint64 seconds);

/* (transfer full) An ISO 8601 time with its zone rewritten in RFC 3339;
 * NULL when @text is NULL or not an ISO 8601 time with a zone. */
gchar *shr_time_rfc3339_from_iso8601 (const gchar *text);

G_END_DECLS
