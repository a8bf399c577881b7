/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) The SHA-256 of @bytes in lower-case hex, the same
 * string g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, @bytes) gives. */
gchar *shr_hash_sha256_hex (GBytes *bytes);

G_END_DECLS
