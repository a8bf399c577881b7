/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-summary.h — an organisation's own summariser, behind approval
 * ([summary] command; DESIGN.md "Notice").
 *
 * For each draft, shirase runs the command (no shell, an empty
 * environment but PATH and LANG, "/" as its directory, no descriptor of
 * ours but its three pipes, in a process group of its own) and writes
 * on its standard input one JSON object:
 *
 *   {"record": {the advisory record, as shirase extract --json},
 *    "text": "the advisory's text"}
 *
 * It answers on standard output with one JSON object:
 *
 *   {"summary_ja": "…", "summary_en": "…",
 *    "title_ja": "…",                       (optional)
 *    "steps_ja": ["…", …], "steps_en": […]} (optional)
 *
 * within [summary] timeout_seconds (default 30), else it is killed (its
 * whole process group). Output that fails — the command failed, crashed,
 * hung, wrote nothing, wrote more than SHR_MAX_SUMMARY_OUTPUT_BYTES, wrote
 * something else than that object, or names a CVE id, a version or a
 * product the record does not hold — is discarded with the reason, and
 * the built-in text is used. Nothing here blocks longer than the timeout. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "shr-error.h"
#include "shr-lexicon.h"

G_BEGIN_DECLS

#define SHR_SUMMARY_DEFAULT_TIMEOUT 30

typedef struct
{
  gchar **argv;          /* [summary] command, split as a shell would */
  guint timeout_seconds; /* [summary] timeout_seconds */
} ShrSummaryConfig;

/* (transfer full) @keyfile's [summary], or NULL without an error when it
 * has no [summary] command. SHR_CONFIG_ERROR when the command does not
 * parse (shr-config.c checks the rest, with file and line). */
ShrSummaryConfig *shr_summary_config_from_keyfile (GKeyFile *keyfile, const gchar *path, GError **error);
void shr_summary_config_free (ShrSummaryConfig *config);

typedef struct
{
  gchar *summary_ja;
  gchar *summary_en;
  gchar *title_ja;     /* or NULL */
  GPtrArray *steps_ja; /* (element-type utf8), possibly empty */
  GPtrArray *steps_en;
} ShrSummary;

void shr_summary_free (ShrSummary *summary);

/* (transfer full) The input the command reads: @record (the record's
 * JSON) and @text (the advisory's text, at most
 * SHR_MAX_SUMMARY_INPUT_TEXT_BYTES of it; may be NULL). */
gchar *shr_summary_input (JsonNode *record, const gchar *text);

/* Runs @config's command on @input and returns what it wrote on standard
 * output (transfer full; @length its size). Errors (SHR_SUMMARY_ERROR):
 * _SPAWN, _FAILED (exit status or signal, with the first line of its
 * standard error), _TIMEOUT, _TOO_BIG, _EMPTY. */
gchar *shr_summary_run (const ShrSummaryConfig *config, const gchar *input, gsize *length, GError **error);

/* (transfer full) The summary @output holds. Errors: SHR_SUMMARY_ERROR
 * _EMPTY (only white space), _TOO_BIG, _INVALID (not JSON, not an object,
 * a required member missing or not a string, an empty or oversize text,
 * a control character, too many steps). */
ShrSummary *shr_summary_parse (const gchar *output, gsize length, GError **error);

/* Whether every CVE id, version string (digits with dots: 7.0.16) and
 * product name (as @lexicon knows them; may be NULL) in @summary is in
 * @record (JSON). SHR_SUMMARY_ERROR_UNSUPPORTED names the first that is
 * not. */
gboolean shr_summary_check (const ShrSummary *summary, JsonNode *record, const ShrLexicon *lexicon,
                            GError **error);

/* (transfer full) @summary as JSON (the members of the command's reply). */
JsonNode *shr_summary_to_json (const ShrSummary *summary);

/* All of it for one draft: the input made, the command run, its output
 * parsed and checked. (transfer full) The outcome kept with the draft:
 * {"ok": true, "summary": {…}} or {"ok": false, "reason": "…"}; a
 * discarded output is logged as a warning naming the reason. */
JsonNode *shr_summary_for_draft (const ShrSummaryConfig *config, const ShrLexicon *lexicon, JsonNode *record,
                                 const gchar *text, gint64 draft_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSummaryConfig, shr_summary_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSummary, shr_summary_free)

G_END_DECLS
