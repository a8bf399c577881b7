/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-steps.h — the response steps of a notice.
 *
 * Two sources of steps, never mixed up: the advisory's own mitigations,
 * made into numbered actions (one sentence each; headings, link stubs and
 * repeats dropped; two steps written as one split), and shirase's standard
 * steps by situation from data/steps.tsv (an exploited VPN appliance, an
 * exploited server, a campaign, an incident, a flaw without a fix), which
 * the notice labels as shirase's advice. data/steps.tsv says when each
 * situation applies. */
#pragma once

#include <glib.h>

#include "shr-record.h"

G_BEGIN_DECLS

/* What a notice is about; it decides the sentences and the standard steps. */
typedef enum
{
  SHR_NOTICE_VULNERABILITY, /* a flaw in named products (advisories, patches) */
  SHR_NOTICE_CAMPAIGN,      /* attacks by an actor or against a sector */
  SHR_NOTICE_INCIDENT,      /* a breach or an outage reported by the source */
  SHR_NOTICE_INFORMATION,   /* anything else */
} ShrNoticeKind;

ShrNoticeKind shr_notice_kind (const ShrRecord *record);
const gchar *shr_notice_kind_to_string (ShrNoticeKind kind); /* vulnerability|campaign|incident|information */

/* (transfer full) (element-type utf8) The record's mitigations as steps,
 * at most @max: list markers and headings ("Solution:", 「対策：」) taken
 * off, Markdown links reduced to their text, a line holding "1. … 2. …"
 * split in two, lines that only introduce a list ("… the following:")
 * or only point elsewhere ("See https://…") dropped, repeats dropped, and
 * each ended as a sentence. */
GPtrArray *shr_steps_from_source (const GPtrArray *mitigations, guint max);

typedef struct
{
  const gchar *situation; /* "exploited-vpn" … */
  const gchar *ja;        /* may hold Mustache tags of the notice's view */
  const gchar *en;
} ShrStep;

/* (transfer container) (element-type ShrStep, borrowed from the process's
 * table) shirase's standard steps for @record of @kind; empty where none
 * applies. @source_steps: the source gives mitigation steps of its own.
 * A data/steps.tsv that cannot be read is logged once (g_warning) and
 * gives no standard steps. */
GPtrArray *shr_steps_standard (const ShrRecord *record, ShrNoticeKind kind, gboolean source_steps);

G_END_DECLS
