/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-campaign.h — who attacks whom, as the advisory says it: the threat
 * actors named (as the mail writes them, with the other names the text and
 * the lexicon give), the firms and agencies that report the campaign, and
 * the sectors and regions named as targets, victims or places of attack.
 * Internal to extract. */
#pragma once

#include "shr-recognizers.h"

G_BEGIN_DECLS

/* Fills record->threat_actors, actor_aliases, reported_by, sectors and
 * regions from @text (the subject, a blank line, the body) and @hits, the
 * lexicon's scan of @text (shr_lexicon_scan_all()). */
void shr_campaign_collect (ShrExtractContext *ctx, const gchar *text, GArray *hits);

/* The end (byte offset) of the run of names that @text gives, from
 * @offset, as other names of an actor: "(aka Y)", ", also known as Y and
 * Z", "/Y", "(別名 Y)". Each name is added to @names (transfer full
 * strings), unless @names has it already. A bare parenthesis or slash
 * ("RedMike (Salt Typhoon)", "Blackcat/AlphV") counts only with names the
 * lexicon or a vendor's naming scheme knows as actors'. Returns @offset
 * when the text gives none. Exposed for tests. */
gsize shr_campaign_parse_aliases (const ShrLexicon *lexicon, const gchar *text, gsize offset,
                                  GPtrArray *names);

G_END_DECLS
