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

/* Records the configuration the flaw needs, where the text says it is not
 * the default or must be on ("Required Configuration for Exposure", "if
 * the HTTP Server feature is enabled", 「初期設定では無効」), as a
 * condition of every product. @sentences are the text's sentences. */
void shr_affected_conditions (ShrExtractContext *ctx, const ShrDocument *doc, GPtrArray *sentences);

/* Records what the text says is not affected: trains ("OpenSSL 1.1.1 and
 * 1.0.2 are not affected" → unaffected ranges) and everything it does not
 * list ("no other versions are affected" → others_unaffected). */
void shr_affected_unaffected (ShrExtractContext *ctx, GPtrArray *sentences);

/* A product with no vendor whose name starts with an organisation's short
 * name the text introduces ("インターネットイニシアティブ(IIJ)は…「IIJセキュア
 * MXサービス」", "Internet Initiative Japan (IIJ)") is that organisation's. */
void shr_affected_vendors_by_short_name (ShrExtractContext *ctx, const gchar *text);

/* Gives a product named without versions the versions a sentence that says
 * it is affected gives right after its name ("present in FortiOS versions
 * 7.0.0 through 7.0.16, FortiProxy 7.2.0 through 7.2.12"), one affected
 * phrase per range. */
void shr_affected_versions_in_sentences (ShrExtractContext *ctx, GPtrArray *sentences);

/* Fills each product's ranges (one per release train) from its affected
 * phrases and fixed versions, where a table did not already. */
void shr_affected_derive_ranges (ShrRecord *record);

/* Whether @name can be a product's name: not a generic word ("software",
 * 「製品」), a fragment (「品」) or a sentence. @strict asks for the shape of
 * a name in prose (a capital letter, a digit or non-Latin script). */
gboolean shr_plausible_product_name (const gchar *name, gboolean strict);

G_END_DECLS
