/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-hash.h"

#include <gnutls/crypto.h>

gchar *
shr_hash_sha256_hex (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  gsize len = 0;
  gconstpointer data = g_bytes_get_data (bytes, &len);
  /* Every mail is hashed once to know it again (the dedupe key). GLib's
   * SHA-256 is portable C, about four times slower on a mail than
   * GnuTLS's (nettle's), which uses the CPU's SHA instructions: on a
   * backlog that was a twentieth of the CPU of ingest. */
  guint8 digest[32];
  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, len > 0 ? data : "", len, digest) < 0)
    return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  static const gchar hex[] = "0123456789abcdef";
  gchar *out = g_new (gchar, 2 * sizeof digest + 1);
  for (gsize i = 0; i < sizeof digest; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xF];
    }
  out[2 * sizeof digest] = '\0';
  return out;
}
