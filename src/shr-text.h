/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-text.h — text helpers the reader and the extractor share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) @text cut at each @sep, exactly as g_strsplit (@text,
 * @sep, -1) cuts it (an empty @text gives an empty vector), but the
 * pointers and the pieces are one block: free it with g_free(), never
 * g_strfreev(), and never free or steal one piece. The pieces may be
 * changed in place within their length. Splitting a text into lines is
 * done many times per mail; one allocation instead of one per line. */
gchar **shr_text_split (const gchar *text, const gchar *sep);

/* A copy of @text fit for one header line: CR, LF, TAB, the ideographic
 * space and other control characters (bidi controls included) become one
 * space, runs of spaces collapse, the ends are trimmed, invalid UTF-8 is
 * replaced. NULL gives "". (transfer full) */
gchar *shr_text_one_line (const gchar *text);

/* The character at @p and its length in bytes (*@len): three-byte
 * characters (kana, kanji, most of Japanese text) and ASCII are decoded
 * inline, the rest by GLib. @p must be valid UTF-8. */
static inline gunichar
shr_text_char_at (const gchar *p, gsize *len)
{
  const guchar *b = (const guchar *)p;
  if (b[0] < 0x80)
    {
      *len = 1;
      return b[0];
    }
  if ((b[0] & 0xF0) == 0xE0 && (b[1] & 0xC0) == 0x80 && (b[2] & 0xC0) == 0x80)
    {
      *len = 3;
      return (b[0] & 0x0F) << 12 | (b[1] & 0x3F) << 6 | (b[2] & 0x3F);
    }
  *len = g_utf8_next_char (p) - p;
  return g_utf8_get_char (p);
}

G_END_DECLS
