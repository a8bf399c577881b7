/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-scope.h — whether an asset's version is within what an advisory says
 * of a product.
 *
 * A version means nothing outside its release train and its ecosystem. An
 * asset's version is compared with the advisory's range for the asset's own
 * train (FortiOS 7.4.4 with "7.4.0 through 7.4.5", not with the 7.2 row); a
 * distribution package only with the fix the advisory gives for the same
 * distribution release (tomcat10 10.1.34-0+deb12u1 with Debian 12's fix).
 * What cannot be decided is said, never guessed: an asset on a train the
 * advisory does not list, a package against an upstream version or another
 * distribution's fix, an unknown version. Uncertainty never means "not
 * affected". */
#pragma once

#include <glib.h>

#include "shr-profile.h"
#include "shr-record.h"

G_BEGIN_DECLS

/* Whether @asset, which runs @product's family, is affected: TRUE, FALSE,
 * or UNKNOWN. *@why_en and *@why_ja (transfer full) say why in a phrase
 * that follows the asset's name ("FortiOS 7.4.4 is within 7.4.0 through
 * 7.4.5"). @record gives the advisory's date, which places Windows builds.
 * *@unlimited (may be NULL) is set when TRUE comes only from the advisory
 * naming no version at all. */
ShrTristate shr_scope_decide (const ShrProfile *profile, const ShrAsset *asset, const ShrProduct *product,
                              const ShrRecord *record, gchar **why_en, gchar **why_ja, gboolean *unlimited);

/* (transfer full) The ecosystem of an asset: its platform key, else what its
 * version names, else (a package with no release in its version) the
 * release of the profile's one asset of that distribution; NULL for a
 * vendor's or an upstream version. */
gchar *shr_scope_asset_ecosystem (const ShrProfile *profile, const ShrAsset *asset);

G_END_DECLS
