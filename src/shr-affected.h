/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-affected.h — which products an advisory concerns and which of their
 * versions, read from its structure (internal to extract).
 *
 * An advisory says it in a few shapes whatever its source: a table (Version
 * | Affected | Solution), an "Affected Products" section with one product
 * and its versions per line, a "Fixed in" list, "Key: value" fields
 * (Products:, Equipment:, Vendor:), and sentences ("a vulnerability in X",
 * 「X における…の脆弱性」). Each shape is read here once for every source;
 * the versions are turned into ranges per release train. */
#pragma once

#include "shr-recognizers.h"
#include "shr-structure.h"

G_BEGIN_DECLS

/* Adds the products the structure of @doc names, with their affected
 * phrases and fixed versions, to ctx->record. */
void shr_affected_from_structure (ShrExtractContext *ctx, const ShrDocument *doc);

/* Names the product from sentences ("vulnerability in Foo Bar 2.1",
 * 「Foo における脆弱性」) and the title, for an advisory that named none in
 * a form the lexicon or the structure knows. */
void shr_affected_from_prose (ShrExtractContext *ctx, const ShrDocument *doc);

/* Fills each product's ranges (one per release train) from its affected
 * phrases and fixed versions, where a table did not already. */
void shr_affected_derive_ranges (ShrRecord *record);

/* The release train of a version as vendors number them: all its numeric
 * components but the last, at most two ("7.4.5" → "7.4", "10.2.9-h19" →
 * "10.2", "13.1-49.15" → "13.1", "22.7R2.6" → "22.7", "131.0.2" → "131.0",
 * "1.0" → "1"). (transfer full) NULL when @version has no number. */
gchar *shr_version_train (const gchar *version);

/* Whether @name can be a product's name: not a generic word ("software",
 * 「製品」), a fragment (「品」) or a sentence. @strict asks for the shape of
 * a name in prose (a capital letter, a digit or non-Latin script). */
gboolean shr_plausible_product_name (const gchar *name, gboolean strict);

G_END_DECLS
