/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-builds.h — products whose advisories name releases or updates
 * ("Exchange Server 2019 CU15 SU3", "the March 2017 security update",
 * "KB4013429") while installations report builds ("15.2.1748.10",
 * "10.0.14393.693").
 *
 * Exchange: data/builds.tsv maps each named release to the build it
 * installs. With it, an asset's build can be judged against fixed versions
 * written as release names: a build on an older release line than any the
 * advisory fixes is affected; on a fixed line, the release's own build is
 * affected when the fix is a later update (SU) on it; a later build on that
 * line cannot be told apart (its update level is not in the table).
 *
 * Windows: data/windows-builds.tsv lists, for each release line (Windows
 * Server 2016 / Windows 10 1607 = 10.0.14393, …, Windows 11 25H2 =
 * 10.0.26200), the build and KB of every month's security update (the
 * "B" release of Patch Tuesday). Those updates are cumulative, so a build
 * at or above a month's update contains that month's fixes and all
 * earlier ones, and a build below it contains none of that month's.
 *
 * An asset is placed on a line by its build when its version (or product
 * string) holds one: "10.0.19044.1645", "19044.1645", "[Version
 * 10.0.19045.3803]" — the build decides, whatever the product name says;
 * otherwise by its product name ("Windows Server 2016 Standard", "Windows 10
 * Enterprise LTSC 2021", "Windows 11 Pro 23H2"). Windows 11 24H2 and Windows
 * Server 2025 share build 26100: the product name tells them apart, and
 * after their updates diverged (January 2026) the build does too.
 *
 * Every answer about Windows is TRUE, FALSE or UNKNOWN; UNKNOWN whenever the
 * line, the build's update level or the month is not in the table, never a
 * guess. Inputs are capped (SHR_MAX_VERSION_BYTES for versions and fixes,
 * SHR_MAX_WINDOWS_NAME_BYTES for product names): longer, non-UTF-8 or
 * malformed ones (negative or oversized numbers) place nothing. */
#pragma once

#include <glib.h>

#include "shr-record.h"

G_BEGIN_DECLS

typedef struct _ShrBuilds ShrBuilds;

typedef struct _ShrWindowsLine ShrWindowsLine;

/* (transfer full) An empty table. */
ShrBuilds *shr_builds_new (void);

/* (transfer full) Reads a builds file (vendor, product, release, build by
 * TAB); errors name the file and line (SHR_LEXICON_ERROR). */
ShrBuilds *shr_builds_load (const gchar *path, GError **error);

/* Adds the Windows release lines and monthly updates of @path (the format
 * of data/windows-builds.tsv, described in its header) to @builds. Errors
 * name the file and line and what is wrong (SHR_LEXICON_ERROR_IO,
 * SHR_LEXICON_ERROR_PARSE); on error @builds is left as it was. */
gboolean shr_builds_load_windows (ShrBuilds *builds, const gchar *path,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* (transfer none) The tables of the data dir (see shr_lexicon_default_dir):
 * builds.tsv and windows-builds.tsv, loaded once; a missing or broken file
 * leaves its part empty (logged). Never NULL. */
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

/* (transfer none) The Windows release line an asset is on, from its
 * product name and version (either may be NULL); NULL when neither places
 * it, when its build is of a line the table does not cover (10.0.19043),
 * or when it could be on two lines (build 10.0.26100.7462 with no product
 * name: Windows 11 24H2 or Windows Server 2025). */
const ShrWindowsLine *shr_builds_windows_line (const ShrBuilds *builds, const gchar *product,
                                               const gchar *version);

/* (transfer none) The line an advisory's product name names ("Windows Server
 * 2019 for x64-based Systems", "Windows 10 Version 22H2 for 32-bit Systems",
 * "Windows Server 2022 (Server Core installation)"), or NULL: a name with no
 * release ("Windows", "Windows 11") names no single line. */
const ShrWindowsLine *shr_builds_windows_product_line (const ShrBuilds *builds, const gchar *product);

/* Whether @advisory_product names @line. */
gboolean shr_builds_windows_names_line (const ShrBuilds *builds, const gchar *advisory_product,
                                        const ShrWindowsLine *line);

/* Whether the asset (@asset_product, @asset_version) runs the Windows
 * release @advisory_product names: TRUE when both are on the same line,
 * FALSE when both are placed and the lines differ, UNKNOWN when either
 * cannot be placed. */
ShrTristate shr_builds_windows_runs (const ShrBuilds *builds, const gchar *asset_product,
                                     const gchar *asset_version, const gchar *advisory_product);

/* (transfer none) "ws2016", "win10-21h2", … as in the data file. */
const gchar *shr_windows_line_id (const ShrWindowsLine *line);
/* (transfer none) "Windows Server 2016 / Windows 10 Version 1607". */
const gchar *shr_windows_line_name (const ShrWindowsLine *line);

/* (transfer full) The month ("2017-01") of the last monthly security update
 * the asset's build contains (10.0.14393.693 → "2017-01"; 14393.729, a
 * later non-security build, → "2017-01" too), or NULL when unknown: no
 * line, no update level in the version ("10.0.20348"), a build below the
 * line's first listed update or above its last one, or between two updates
 * with a month the table lacks between them. */
gchar *shr_builds_windows_month (const ShrBuilds *builds, const gchar *asset_product,
                                 const gchar *asset_version);

/* Whether the asset's build contains the fix @fix names:
 *   "2017-03"            the security update of that month;
 *   "2017-03-14"         a fix released that day: the first security update
 *                        released on or after it (a fix of an out-of-band
 *                        release on 2024-03-22 is in April's update);
 *   "KB4013429"          that update of the asset's line;
 *   "10.0.14393.953", "14393.953"   that build: compared directly on the
 *                        asset's own line, through the KB of that month's
 *                        update on a line sharing it (10.0.19045.2846 for a
 *                        10.0.19044 asset).
 * TRUE when the build is at or above it, FALSE when below; UNKNOWN when the
 * asset has no line or no update level ("10.0.20348", ""), when @fix is
 * none of the above, or names a KB or build of another line, or a month
 * the table cannot settle. A month beyond the table is still FALSE for a
 * build below the table's last update, and a month before it TRUE for a
 * build at or above its first. */
ShrTristate shr_builds_windows_contains (const ShrBuilds *builds, const gchar *asset_product,
                                         const gchar *asset_version, const gchar *fix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrBuilds, shr_builds_free)

G_END_DECLS
