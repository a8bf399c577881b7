/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-assets.h — inventories into asset groups: the output of
 * `dpkg-query -W`, of `rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}\n'`,
 * or a CSV (vendor,product,version,exposure,owners), written as the
 * [asset NAME] groups of an assets file that the config pulls in with
 * [organization] assets_file. */
#pragma once

#include <glib.h>

#include "shr-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SHR_ASSETS_DPKG,
  SHR_ASSETS_RPM,
  SHR_ASSETS_CSV,
} ShrAssetsFormat;

/* Most lines read from one inventory. */
#define SHR_MAX_IMPORT_LINES 200000

gboolean shr_assets_format_parse (const gchar *word, ShrAssetsFormat *format);

/* (transfer full; element-type ShrAsset) The assets in @text. @source
 * names the input in errors ("FILE:LINE: …", SHR_CONFIG_ERROR_PARSE or
 * _INVALID_VALUE). dpkg lines are "NAME[:ARCH]<TAB>VERSION[<TAB>SOURCE]"
 * (packages without a version, i.e. not installed, are skipped); rpm lines
 * "NAME EPOCH:VERSION-RELEASE" with EPOCH "(none)" or a number; CSV rows
 * vendor,product,version,exposure,owners with RFC 4180 quoting and an
 * optional header row, owners separated by ';' or spaces. Asset names are
 * "dpkg-NAME", "rpm-NAME" or the product's slug, made unique. */
GPtrArray *shr_assets_parse (ShrAssetsFormat format, const gchar *text, const gchar *source, GError **error);

/* (transfer full) The assets as a key file text, one [asset NAME] group
 * each, after @comment (each line prefixed with "# "). */
gchar *shr_assets_to_keyfile (const GPtrArray *assets, const gchar *comment);

G_END_DECLS
