/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-builds.h — products whose advisories name releases ("Exchange Server
 * 2019 CU15 SU3") while installations report builds ("15.2.1748.10").
 *
 * data/builds.tsv maps each named release to the build it installs. With
 * it, an asset's build can be judged against fixed versions written as
 * release names: a build on an older release line than any the advisory
 * fixes is affected; on a fixed line, the release's own build is affected
 * when the fix is a later update (SU) on it; a later build on that line
 * cannot be told apart (its update level is not in the table). */
#pragma once

#include <glib.h>

#include "shr-record.h"

G_BEGIN_DECLS

typedef struct _ShrBuilds ShrBuilds;

/* (transfer full) Reads a builds file (vendor, product, release, build by
 * TAB); errors name the file and line (SHR_LEXICON_ERROR). */
ShrBuilds *shr_builds_load (const gchar *path, GError **error);

/* (transfer none) The table of the data dir (see shr_lexicon_default_dir),
 * loaded once; NULL when the file is missing or broken (logged). */
const ShrBuilds *shr_builds_get_default (void);

void shr_builds_free (ShrBuilds *builds);

/* The build of the release of @product named in @phrase (the longest name
 * found, case-insensitive), or NULL; *@later_update says whether the phrase
 * names an update after that release ("SU3", "Hotfix"). (transfer none) */
const gchar *shr_builds_find (const ShrBuilds *builds, const gchar *product, const gchar *phrase,
                              gboolean *later_update);

/* Whether one of @fixed names a release of @product that the table knows:
 * then those names, not numbers inside them ("2019"), decide. */
gboolean shr_builds_names_release (const ShrBuilds *builds, const gchar *product, const GPtrArray *fixed);

/* Whether the asset build @version is affected given @fixed phrases of
 * @product; UNKNOWN when no phrase names a known release or the build
 * cannot be placed. */
ShrTristate shr_builds_affected (const ShrBuilds *builds, const gchar *product, const GPtrArray *fixed,
                                 const gchar *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrBuilds, shr_builds_free)

G_END_DECLS
