/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-text.h"

#include <string.h>

gchar **
shr_text_split (const gchar *text, const gchar *sep)
{
  g_return_val_if_fail (text != NULL && sep != NULL && *sep != '\0', NULL);
  if (*text == '\0')
    return g_new0 (gchar *, 1);
  gsize sep_len = strlen (sep);
  gsize pieces = 1;
  for (const gchar *s = strstr (text, sep); s != NULL; s = strstr (s + sep_len, sep))
    pieces++;
  gsize len = strlen (text);
  gsize vector = (pieces + 1) * sizeof (gchar *);
  gchar **out = g_malloc (vector + len + 1);
  gchar *copy = (gchar *)out + vector;
  memcpy (copy, text, len + 1);
  gsize n = 0;
  gchar *piece = copy;
  for (gchar *s = strstr (piece, sep); s != NULL; s = strstr (piece, sep))
    {
      *s = '\0';
      out[n++] = piece;
      piece = s + sep_len;
    }
  out[n++] = piece;
  out[n] = NULL;
  return out;
}
