/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-log.h — where log lines go, and how many.
 *
 * Every module logs through g_log (g_message, g_warning, …, or
 * g_log_structured with SHR_* fields for per-message facts). The writer
 * installed here drops what is below the chosen level, sends the rest to
 * journald when stderr is connected to it (a systemd service), else prints
 * one line per entry on stderr: "shirase[PID]: LEVEL: MESSAGE (KEY=VALUE …)".
 * Secrets never reach a log call: the modules that hold them never pass
 * them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses error|warning|message|info|debug; FALSE when unknown. */
gboolean shr_log_parse_level (const gchar *name, GLogLevelFlags *level);

/* Installs the writer; entries less severe than @level are dropped.
 * Can be called again to change the level. */
void shr_log_setup (GLogLevelFlags level);

G_END_DECLS
