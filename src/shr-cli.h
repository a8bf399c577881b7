/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-cli.h — the CLI verbs; one cmd-<verb>.c file each. Every verb gets
 * the arguments after its name (argv[0] is the verb) and returns the exit
 * status. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "shr-notify.h"
#include "shr-pipeline.h"
#include "shr-service.h"
#include "shr-store.h"

G_BEGIN_DECLS

int shr_cmd_extract (int argc, char **argv);
int shr_cmd_drafts (int argc, char **argv); /* drafts, approve, reject */
int shr_cmd_match (int argc, char **argv);
int shr_cmd_check_config (int argc, char **argv);
int shr_cmd_assets (int argc, char **argv);
int shr_cmd_render (int argc, char **argv);
int shr_cmd_once (int argc, char **argv);
int shr_cmd_watch (int argc, char **argv);
int shr_cmd_status (int argc, char **argv);
int shr_cmd_outbox (int argc, char **argv);
int shr_cmd_deliver (int argc, char **argv);
int shr_cmd_reprocess (int argc, char **argv);
int shr_cmd_show (int argc, char **argv);

/* The configuration file when -c is not given (configure --with-config). */
#ifndef SHR_DEFAULT_CONFIG
#define SHR_DEFAULT_CONFIG "/etc/shirase/shirase.conf"
#endif

/* The time a verb judges at: --now (ISO 8601, UTC when no zone is given,
 * for reproducible output) or the current time. NULL after printing an
 * error naming @verb when --now does not parse. (transfer full) */
GDateTime *shr_cli_now (const gchar *verb, const gchar *now_text);

/* Loads @conf (NULL: the default) and opens its state, printing an error
 * naming @verb when either fails. @service and @store (transfer full) are
 * set only on success. */
gboolean shr_cli_open_state (const gchar *verb, const gchar *conf, ShrService **service, ShrStore **store);

/* What a verb that takes mail in outside the watcher needs (deliver,
 * reprocess): the configuration, the state, the pipeline as once and
 * watch set it up, and the approval loop when [smtp] and [approval] are
 * configured (else NULL). */
typedef struct
{
  ShrService *service;
  ShrStore *store;
  ShrPipeline *pipeline;
  ShrNotify *notify;
} ShrIntake;

/* (transfer full) Loads @conf (NULL: the default) and opens all of it;
 * NULL with @error (SHR_CONFIG_ERROR_*, SHR_STORE_ERROR_*, …). */
ShrIntake *shr_intake_open (const gchar *conf, GError **error);
void shr_intake_free (ShrIntake *intake);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrIntake, shr_intake_free)

/* After mail was taken in: decides @reply (the message as parsed, when it
 * was a reply to a draft; else NULL), then mails what waits (drafts,
 * notices), as once does after a batch. Failures are logged: what is
 * queued stays queued for the next run. FALSE only when the reply could
 * not be decided. */
gboolean shr_intake_after (ShrIntake *intake, const ShrMessage *reply, GError **error);

/* Mails what waits (drafts, notices) and logs what was done; a failure is
 * logged, and what is queued stays queued for the next run. */
void shr_cli_send_pending (ShrNotify *notify);

/* Prints @node as UTF-8 JSON on one line (or indented with @pretty) and a
 * newline, whatever the locale. */
void shr_cli_print_json (JsonNode *node, gboolean pretty);

/* Members of the JSON the verbs print: a string (NULL: null), an
 * integer, a Unix time as RFC 3339 (0: null). */
void shr_cli_json_string (JsonBuilder *builder, const gchar *name, const gchar *value);
void shr_cli_json_int (JsonBuilder *builder, const gchar *name, gint64 value);
void shr_cli_json_time (JsonBuilder *builder, const gchar *name, gint64 seconds);

G_END_DECLS
