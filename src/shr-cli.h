/* shr-cli.h — the CLI verbs; one cmd-<verb>.c file each. Every verb gets
 * the arguments after its name (argv[0] is the verb) and returns the exit
 * status. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

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

/* Prints @node as UTF-8 JSON on one line (or indented with @pretty) and a
 * newline, whatever the locale. */
void shr_cli_print_json (JsonNode *node, gboolean pretty);

G_END_DECLS
