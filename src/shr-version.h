/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-version.h — comparing versions and reading the version ranges that
 * advisories write.
 *
 * Three orderings, because a version string means nothing without the
 * packaging it comes from:
 *   generic  dotted numeric as vendors write it ("15.2.1544.4", "10.2.9-h1",
 *            "17.9.4a", "2.0.0-rc1"): numbers compare numerically, a
 *            pre-release word (alpha, beta, pre, rc, dev) sorts before the
 *            release, any other suffix (a hotfix "-h1", a letter) after it;
 *   dpkg     exactly as dpkg's verrevcmp (epoch, upstream, revision; '~'
 *            before everything, letters before non-letters);
 *   rpm      exactly as rpm's rpmvercmp for each of epoch, version and
 *            release ('~' before everything, '^' after the base version);
 *            a release missing on either side is not compared, as rpm does
 *            for dependency ranges.
 *
 * A range is a union of intervals, read from phrases such as "prior to 2.4",
 * "7.2.0 through 7.2.4", "<= 3.1", "fixed in 1.1.1w", "11.1: < 11.1.2-h3",
 * 「2.4.58 以前」「3.0 から 3.0.13 まで」. */
#pragma once

#include <glib.h>

#include "shr-error.h"
#include "shr-record.h"

G_BEGIN_DECLS

typedef enum
{
  SHR_VERSION_SCHEME_GENERIC,
  SHR_VERSION_SCHEME_DPKG,
  SHR_VERSION_SCHEME_RPM,
} ShrVersionScheme;

/* Longest version string accepted (bytes); longer ones are invalid. */
#define SHR_MAX_VERSION_BYTES 128

/* Longest range phrase read (bytes) and most intervals kept from one. */
#define SHR_MAX_RANGE_PHRASE_BYTES 1024
#define SHR_MAX_RANGE_INTERVALS 32

/* "generic", "dpkg", "rpm" → scheme; FALSE for any other word. */
gboolean shr_version_scheme_parse (const gchar *word, ShrVersionScheme *scheme);
const gchar *shr_version_scheme_to_string (ShrVersionScheme scheme);

/* dpkg's verrevcmp on one part (upstream or revision): <0, 0, >0. */
gint shr_dpkg_verrevcmp (const gchar *a, const gchar *b);
/* Whole dpkg versions [epoch:]upstream[-revision]. */
gint shr_dpkg_compare (const gchar *a, const gchar *b);

/* rpm's rpmvercmp on one part (version or release): -1, 0, 1. */
gint shr_rpmvercmp (const gchar *a, const gchar *b);
/* Whole [epoch:]version[-release]; "(none):" is epoch 0 as rpm -q prints. */
gint shr_rpm_compare (const gchar *a, const gchar *b);

gint shr_version_compare_generic (const gchar *a, const gchar *b);

/* Compares under @scheme: <0, 0, >0. Both strings must be non-NULL. */
gint shr_version_compare (ShrVersionScheme scheme, const gchar *a, const gchar *b);

/* TRUE when @version is a well-formed version under @scheme; otherwise
 * SHR_VERSION_ERROR_INVALID with a message that says what is wrong. */
gboolean shr_version_validate (ShrVersionScheme scheme, const gchar *version, GError **error);

/* One interval; a NULL bound is unbounded on that side. */
typedef struct
{
  gchar *low;
  gboolean low_inclusive;
  gchar *high;
  gboolean high_inclusive;
} ShrInterval;

typedef struct
{
  GPtrArray *intervals; /* (element-type ShrInterval) the union */
} ShrRange;

ShrRange *shr_range_new (void);
void shr_range_free (ShrRange *range);

/* (transfer full) Reads an advisory's wording of affected versions into a
 * range; SHR_VERSION_ERROR_NO_RANGE when the phrase names no version and
 * does not say "all versions". A bare version means exactly that one. */
ShrRange *shr_range_parse (const gchar *phrase, GError **error);

/* (transfer full) Canonical form, e.g. ">= 7.2.0, <= 7.2.4 || < 6.4.13". */
gchar *shr_range_to_string (const ShrRange *range);

/* Whether @version lies in @range under @scheme: TRUE or FALSE, UNKNOWN
 * when @version or a bound is not a valid version under @scheme. */
ShrTristate shr_range_contains (const ShrRange *range, ShrVersionScheme scheme, const gchar *version);

/* Whether @version is affected given only the versions an advisory calls
 * fixed (one per branch, typically): the fixed version sharing the longest
 * run of leading numeric components with @version decides (ties: the
 * lowest), and @version is affected when it is below it. UNKNOWN when no
 * fixed version is valid under @scheme. */
ShrTristate shr_version_affected_by_fixed (const GPtrArray *fixed, ShrVersionScheme scheme,
                                           const gchar *version);

/* The release train of a version as vendors number them: all its numeric
 * components but the last, at most two ("7.4.5" → "7.4", "10.2.9-h19" →
 * "10.2", "13.1-49.15" → "13.1", "22.7R2.6" → "22.7", "131.0.2" → "131.0",
 * "1.0" → "1"). (transfer full) NULL when @version has no number. */
gchar *shr_version_train (const gchar *version);

/* (transfer full) The distribution and release a package version names:
 * "+deb12u1" → "Debian:12", ".el8_5" → "Red Hat:8", ".amzn2023" → "Amazon
 * Linux:2023", "~22.04" → "Ubuntu:22.04"; "Ubuntu" when only the
 * distribution shows; NULL when none does. */
gchar *shr_version_distribution (const gchar *version);

/* Fills @p's ranges, when it has none, from what the text wrote: each
 * affected phrase as read by shr_range_parse(), each fixed version on its
 * train, a distribution's fixes within the release their versions name
 * ("+deb12u3" → "Debian:12", setting @p's ecosystem). */
void shr_product_derive_ranges (ShrProduct *p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrRange, shr_range_free)

G_END_DECLS
