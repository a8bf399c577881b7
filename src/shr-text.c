/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-text.h"

#include <string.h>

/* The first @sep (@sep_len bytes) in [@from, @end), or NULL. Lines are
 * most of what is split, hundreds per mail: a one-byte separator is found
 * with memchr, which beats a strstr per line. */
static inline gchar *
next_separator (const gchar *from, const gchar *end, const gchar *sep, gsize sep_len)
{
  return sep_len == 1 ? memchr (from, sep[0], end - from) : strstr (from, sep);
}

gchar **
shr_text_split (const gchar *text, const gchar *sep)
{
  g_return_val_if_fail (text != NULL && sep != NULL && *sep != '\0', NULL);
  if (*text == '\0')
    return g_new0 (gchar *, 1);
  gsize sep_len = strlen (sep);
  gsize len = strlen (text);
  const gchar *text_end = text + len;
  gsize pieces = 1;
  for (const gchar *s = next_separator (text, text_end, sep, sep_len); s != NULL;
       s = next_separator (s + sep_len, text_end, sep, sep_len))
    pieces++;
  gsize vector = (pieces + 1) * sizeof (gchar *);
  gchar **out = g_malloc (vector + len + 1);
  gchar *copy = (gchar *)out + vector;
  gchar *copy_end = copy + len;
  memcpy (copy, text, len + 1);
  gsize n = 0;
  gchar *piece = copy;
  for (gchar *s = next_separator (piece, copy_end, sep, sep_len); s != NULL;
       s = next_separator (piece, copy_end, sep, sep_len))
    {
      *s = '\0';
      out[n++] = piece;
      piece = s + sep_len;
    }
  out[n++] = piece;
  out[n] = NULL;
  return out;
}

gchar *
shr_text_one_line (const gchar *text)
{
  if (text == NULL)
    return g_strdup ("");
  g_autofree gchar *valid = g_utf8_make_valid (text, -1);
  GString *s = g_string_sized_new (strlen (valid));
  gboolean space = TRUE; /* drops leading spaces */
  for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      /* Cc (C0, DEL, C1), the line and paragraph separators, and the
       * bidi controls that could reorder a Subject on screen. */
      gboolean blank = g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 || c == ' ' || c == 0x3000
                       || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
      if (blank)
        {
          if (!space)
            g_string_append_c (s, ' ');
          space = TRUE;
          continue;
        }
      g_string_append_unichar (s, c);
      space = FALSE;
    }
  if (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}
