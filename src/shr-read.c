/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-read.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "shr-error.h"
#include "shr-html.h"
#include "shr-limits.h"
#include "shr-text.h"

/* GMime 3.2 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFilter, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)

/* ---- charsets ----------------------------------------------------------- */

/* The iconv name to use for a MIME charset label. Japanese mail labelled
 * Shift_JIS or EUC-JP is, in practice, Microsoft's superset (circled
 * digits, NEC extensions), so the superset is what decodes it. */
static const gchar *
iconv_name_for (const gchar *label)
{
  static const struct
  {
    const gchar *label;
    const gchar *iconv;
  } map[] = {
    { "shift_jis", "CP932" },
    { "shift-jis", "CP932" },
    { "sjis", "CP932" },
    { "x-sjis", "CP932" },
    { "ms_kanji", "CP932" },
    { "csshiftjis", "CP932" },
    { "windows-31j", "CP932" },
    { "cp932", "CP932" },
    { "x-ms-cp932", "CP932" },
    { "euc-jp", "EUC-JP-MS" },
    { "x-euc-jp", "EUC-JP-MS" },
    { "eucjp", "EUC-JP-MS" },
    { "iso-2022-jp", "ISO-2022-JP" },
    { "csiso2022jp", "ISO-2022-JP" },
    { "iso-8859-1", "CP1252" },
    { "latin1", "CP1252" },
    { "us-ascii", "UTF-8" },
    { "ascii", "UTF-8" },
    { "utf-8", "UTF-8" },
    { "utf8", "UTF-8" },
    { "ks_c_5601-1987", "CP949" },
    { "gb2312", "GB18030" },
    { "gbk", "GB18030" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (label, map[i].label) == 0)
      return map[i].iconv;
  return g_mime_charset_iconv_name (label);
}

/* Converts with @cd, replacing each undecodable byte by U+FFFD instead of
 * failing the whole text. Returns FALSE when anything was replaced. */
static gboolean
iconv_lossy (GIConv cd, const gchar *data, gsize len, GString *out)
{
  gboolean clean = TRUE;
  gchar buf[4096];
  gchar *in = (gchar *)data;
  gsize in_left = len;
  while (in_left > 0)
    {
      gchar *o = buf;
      gsize o_left = sizeof buf;
      gsize r = g_iconv (cd, &in, &in_left, &o, &o_left);
      g_string_append_len (out, buf, o - buf);
      if (r == (gsize)-1)
        {
          if (errno == E2BIG)
            continue;
          /* EILSEQ or EINVAL (truncated sequence at the end). */
          g_string_append (out, "\xEF\xBF\xBD");
          clean = FALSE;
          in++;
          in_left--;
          g_iconv (cd, NULL, NULL, NULL, NULL);
        }
    }
  gchar *o = buf;
  gsize o_left = sizeof buf;
  g_iconv (cd, NULL, NULL, &o, &o_left);
  g_string_append_len (out, buf, o - buf);
  return clean;
}

static void
iconv_cache_free (gpointer table)
{
  g_hash_table_unref (table);
}

static void
iconv_close_one (gpointer cd)
{
  g_iconv_close ((GIConv)cd);
}

/* A converter from @charset to UTF-8, kept open for this thread. Opening
 * one loads (dlopen) and closing the last unloads a glibc gconv module:
 * per message, that cost more than reading the mail. (transfer none);
 * (GIConv) -1 when the charset is unknown. */
static GIConv
iconv_to_utf8 (const gchar *charset)
{
  static GPrivate cache_key = G_PRIVATE_INIT (iconv_cache_free);
  GHashTable *cache = g_private_get (&cache_key);
  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, iconv_close_one);
      g_private_set (&cache_key, cache);
    }
  gpointer cd = NULL;
  if (g_hash_table_lookup_extended (cache, charset, NULL, &cd))
    {
      g_iconv ((GIConv)cd, NULL, NULL, NULL, NULL); /* back to the initial state */
      return (GIConv)cd;
    }
  GIConv fresh = g_iconv_open ("UTF-8", charset);
  if (fresh == (GIConv)-1)
    return fresh;
  g_hash_table_insert (cache, g_strdup (charset), fresh);
  return fresh;
}

/* Tries a strict conversion; NULL when @data is not valid in @charset. */
static gchar *
convert_strict (const gchar *data, gsize len, const gchar *charset)
{
  GIConv cd = iconv_to_utf8 (charset);
  if (cd == (GIConv)-1)
    return NULL;
  gsize written = 0;
  gchar *s = g_convert_with_iconv (data, len, cd, NULL, &written, NULL);
  if (s != NULL && memchr (s, '\0', written) != NULL)
    g_clear_pointer (&s, g_free);
  return s;
}

/* Whether @len bytes of @data are UTF-8 without a NUL, as
 * g_utf8_validate (data, len, NULL) says: the ASCII run that most mail text
 * is made of is skipped eight bytes at a time (no high bit, no zero byte),
 * and GLib validates the rest from the first byte that is not plain ASCII.
 * GLib's validation walks every byte and was the largest cost of reading a
 * text part. */
static gboolean
utf8_validate_len (const gchar *data, gsize len)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;
  for (; i + 8 <= len; i += 8)
    {
      guint64 word;
      memcpy (&word, data + i, sizeof word);
      /* A byte with its high bit set, or a zero byte, stops the skip. */
      if (((word | ((word - ones) & ~word)) & highs) != 0)
        break;
    }
  return g_utf8_validate (data + i, (gssize)(len - i), NULL);
}

/* Text whose charset is missing or wrong: guess among what Japanese and
 * Western mail actually uses. */
static gchar *
sniff_to_utf8 (const gchar *data, gsize len, gboolean *lossy)
{
  if (utf8_validate_len (data, len))
    return g_strndup (data, len);
  if (memmem (data, len, "\x1b$B", 3) != NULL || memmem (data, len, "\x1b$@", 3) != NULL)
    {
      GIConv cd = iconv_to_utf8 ("ISO-2022-JP");
      if (cd != (GIConv)-1)
        {
          GString *out = g_string_new (NULL);
          if (!iconv_lossy (cd, data, len, out))
            *lossy = TRUE;
          return g_string_free (out, FALSE);
        }
    }
  static const gchar *const guesses[] = { "CP932", "EUC-JP-MS", NULL };
  for (gsize i = 0; guesses[i] != NULL; i++)
    {
      gchar *s = convert_strict (data, len, guesses[i]);
      if (s != NULL)
        return s;
    }
  gchar *s = convert_strict (data, len, "CP1252");
  if (s != NULL)
    return s;
  *lossy = TRUE;
  return g_utf8_make_valid (data, len);
}

/* Where a warning of to_utf8() points: the text/@subtype part, or the
 * Subject when @subtype is NULL. (transfer full) */
static gchar *
text_location (const gchar *subtype)
{
  return subtype != NULL ? g_strdup_printf ("text/%s part", subtype) : g_strdup ("Subject");
}

/* (transfer full) @data in @charset as UTF-8; warnings for what was lost
 * added to @warnings (unless NULL), naming the text/@subtype part (or the
 * Subject, @subtype NULL). */
static gchar *
to_utf8 (const gchar *data, gsize len, const gchar *charset, GPtrArray *warnings, const gchar *subtype)
{
  gboolean lossy = FALSE;
  gchar *text = NULL;
  if (charset == NULL || *charset == '\0')
    text = sniff_to_utf8 (data, len, &lossy);
  else
    {
      const gchar *name = iconv_name_for (charset);
      if (g_ascii_strcasecmp (name, "UTF-8") == 0)
        {
          if (utf8_validate_len (data, len))
            text = g_strndup (data, len);
          else if (g_ascii_strcasecmp (charset, "us-ascii") == 0)
            text = sniff_to_utf8 (data, len, &lossy);
          else
            {
              text = g_utf8_make_valid (data, len);
              lossy = TRUE;
            }
        }
      else
        {
          GIConv cd = iconv_to_utf8 (name);
          if (cd == (GIConv)-1)
            {
              if (warnings != NULL)
                {
                  g_autofree gchar *where = text_location (subtype);
                  g_ptr_array_add (
                      warnings,
                      g_strdup_printf ("%s: unknown charset \"%s\"; the text was decoded by guessing", where,
                                       charset));
                }
              text = sniff_to_utf8 (data, len, &lossy);
            }
          else
            {
              GString *out = g_string_new (NULL);
              if (!iconv_lossy (cd, data, len, out))
                lossy = TRUE;
              text = g_string_free (out, FALSE);
            }
        }
    }
  if (lossy && warnings != NULL)
    {
      g_autofree gchar *where = text_location (subtype);
      g_ptr_array_add (warnings,
                       g_strdup_printf ("%s: bytes invalid in charset \"%s\" were replaced by U+FFFD", where,
                                        charset ? charset : "(none)"));
    }
  return text;
}

/* ---- small text helpers ------------------------------------------------- */

/* '\r\n' and '\r' to '\n'; NUL and other C0 controls but tab and newline
 * dropped, so that later stages see plain lines. In place, on the @len
 * bytes of @s; returns the new length (and ends @s there). Eight bytes
 * without a control character are passed (or moved) at once: a control
 * character is the exception, and a byte-by-byte walk cost as much as
 * decoding the part. */
static gsize
normalize_text (gchar *s, gsize len)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize w = 0, r = 0;
  while (r < len)
    {
      if (r + 8 <= len)
        {
          guint64 word;
          memcpy (&word, s + r, sizeof word);
          /* No byte below 0x20 in these eight. */
          if (((word - 0x20 * ones) & ~word & highs) == 0)
            {
              if (w != r)
                memmove (s + w, s + r, sizeof word);
              w += 8;
              r += 8;
              continue;
            }
        }
      for (gsize end = MIN (r + 8, len); r < end; r++)
        {
          gchar c = s[r];
          if (c == '\r')
            {
              if (r + 1 < len && s[r + 1] == '\n')
                continue;
              c = '\n';
            }
          if ((guchar)c < 0x20 && c != '\n' && c != '\t')
            continue;
          s[w++] = c;
        }
    }
  s[w] = '\0';
  return w;
}

/* RFC 3676: a line ending in a space continues on the next one. */
static gchar *
unflow (const gchar *text, gboolean delsp)
{
  GString *out = g_string_new (NULL);
  g_autofree gchar **lines = shr_text_split (text, "\n");
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      gchar *line = lines[i];
      if (line[0] == ' ')
        line++; /* space-stuffing */
      gsize len = strlen (line);
      gboolean soft = len > 0 && line[len - 1] == ' ' && strcmp (line, "-- ") != 0;
      if (soft && delsp)
        len--;
      g_string_append_len (out, line, len);
      if (!soft && lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
put_digits (gchar *out, guint value, guint width)
{
  for (guint i = width; i > 0; i--, value /= 10)
    out[i - 1] = (gchar)('0' + value % 10);
}

/* @dt as g_date_time_format_iso8601() writes it ("2026-03-02T10:00:00+09",
 * "…Z" in UTC, "+05:30" where the offset has minutes), written digit by
 * digit: the format engine cost more than parsing the date. A time with
 * a fraction of a second or an offset with seconds, which mail dates do
 * not have, is left to GLib. (transfer full) */
static gchar *
iso_date (GDateTime *dt)
{
  if (dt == NULL)
    return NULL;
  gint64 offset = g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND;
  gint year, month, day;
  g_date_time_get_ymd (dt, &year, &month, &day);
  if (g_date_time_get_microsecond (dt) != 0 || offset % 60 != 0 || year < 1 || year > 9999)
    return g_date_time_format_iso8601 (dt);
  gchar out[sizeof "YYYY-MM-DDTHH:MM:SS+HH:MM"];
  put_digits (out, (guint)year, 4);
  out[4] = '-';
  put_digits (out + 5, (guint)month, 2);
  out[7] = '-';
  put_digits (out + 8, (guint)day, 2);
  out[10] = 'T';
  put_digits (out + 11, (guint)g_date_time_get_hour (dt), 2);
  out[13] = ':';
  put_digits (out + 14, (guint)g_date_time_get_minute (dt), 2);
  out[16] = ':';
  put_digits (out + 17, (guint)g_date_time_get_second (dt), 2);
  gsize n = 19;
  if (offset == 0)
    out[n++] = 'Z';
  else
    {
      out[n++] = offset < 0 ? '-' : '+';
      guint minutes = (guint)(ABS (offset) / 60);
      put_digits (out + n, minutes / 60, 2);
      n += 2;
      if (minutes % 60 != 0)
        {
          out[n++] = ':';
          put_digits (out + n, minutes % 60, 2);
          n += 2;
        }
    }
  return g_strndup (out, n);
}

/* ---- walking the MIME tree ---------------------------------------------- */

typedef struct
{
  GString *text; /* text of this message level */
  gchar *html_title;
  GPtrArray *links;
  GPtrArray *warnings;
  GPtrArray *attached; /* (element-type GMimeMessage) forwarded as message/rfc822 */
  guint parts;
  gboolean part_cap_warned;
  GMimeObject *reply_part; /* the part ShrMessage.reply_text comes from */
  gchar *reply_text;       /* its text once read */
} Level;

static void walk (GMimeObject *object, Level *level, guint depth);
static void level_init (Level *l, GPtrArray *warnings);
static void level_clear (Level *l);

static void
append_text (Level *level, const gchar *text)
{
  if (level->text->len >= SHR_MAX_TOTAL_TEXT_BYTES)
    return;
  if (level->text->len > 0)
    g_string_append (level->text, "\n\n");
  g_string_append (level->text, text);
}

/* Appends to @out the content of @content with its transfer encoding
 * undone, through GMime's stream filter: the way for a stream that is not
 * a slice of the message in memory, and for uuencode (whose filter looks
 * for the "begin" line). Stops past @cap bytes. */
static void
decode_through_filter (GMimeDataWrapper *content, GMimeStream *encoded, GByteArray *out, gsize cap)
{
  g_mime_stream_reset (encoded);
  g_autoptr (GMimeStream) decoded = g_mime_stream_filter_new (encoded);
  g_autoptr (GMimeFilter) decoder
      = g_mime_filter_basic_new (g_mime_data_wrapper_get_encoding (content), FALSE);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (decoded), decoder);
  gchar chunk[16384];
  gssize n;
  while (out->len <= cap && (n = g_mime_stream_read (decoded, chunk, sizeof chunk)) > 0)
    g_byte_array_append (out, (const guint8 *)chunk, n);
}

/* The bytes of @stream when it is a slice of a message held in memory (the
 * parser makes every part a substream of the message's memory stream):
 * (transfer none), or FALSE. */
static gboolean
stream_slice (GMimeStream *stream, const gchar **data, gsize *len)
{
  if (!GMIME_IS_STREAM_MEM (stream))
    return FALSE;
  GByteArray *buffer = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  if (buffer == NULL)
    return FALSE;
  gint64 start = stream->bound_start;
  gint64 end = stream->bound_end != -1 ? stream->bound_end : (gint64)buffer->len;
  if (start < 0 || end < start || end > (gint64)buffer->len)
    return FALSE;
  *data = (const gchar *)buffer->data + start;
  *len = (gsize)(end - start);
  return TRUE;
}

/* The content of @part with its transfer encoding undone, cut at
 * SHR_MAX_PART_TEXT_BYTES (*cut says so): a 50 MB part must not become
 * 50 MB of decoded text in memory first. Content that needs no decoding
 * is returned in place, as a slice of the message (*data, transfer none);
 * base64 and quoted-printable are decoded straight from that slice into
 * @scratch, a chunk at a time, without the stream and filter objects
 * that reading through GMime's filter built for every part. FALSE when
 * the part has no content. */
static gboolean
part_decoded (GMimePart *part, GByteArray *scratch, const gchar **data, gsize *len, gboolean *cut)
{
  const gsize cap = SHR_MAX_PART_TEXT_BYTES;
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  if (content == NULL)
    return FALSE;
  GMimeStream *encoded = g_mime_data_wrapper_get_stream (content);
  if (encoded == NULL)
    return FALSE;
  GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding (content);
  const gchar *raw = NULL;
  gsize raw_len = 0;
  gboolean in_memory = stream_slice (encoded, &raw, &raw_len);
  if (in_memory
      && (encoding == GMIME_CONTENT_ENCODING_DEFAULT || encoding == GMIME_CONTENT_ENCODING_7BIT
          || encoding == GMIME_CONTENT_ENCODING_8BIT || encoding == GMIME_CONTENT_ENCODING_BINARY))
    {
      *cut = raw_len > cap;
      *data = raw;
      *len = MIN (raw_len, cap);
      return TRUE;
    }
  if (in_memory
      && (encoding == GMIME_CONTENT_ENCODING_BASE64 || encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE))
    {
      GMimeEncoding decoder;
      g_mime_encoding_init_decode (&decoder, encoding);
      for (gsize pos = 0; pos < raw_len && scratch->len <= cap;)
        {
          gsize step = MIN (raw_len - pos, (gsize)65536);
          gsize at = scratch->len;
          g_byte_array_set_size (scratch, at + g_mime_encoding_outlen (&decoder, step));
          gsize n = g_mime_encoding_step (&decoder, raw + pos, step, (gchar *)scratch->data + at);
          g_byte_array_set_size (scratch, at + n);
          pos += step;
        }
    }
  else
    decode_through_filter (content, encoded, scratch, cap);
  *cut = scratch->len > cap;
  *data = (const gchar *)scratch->data;
  *len = MIN (scratch->len, cap);
  return TRUE;
}

static void
read_text_part (GMimePart *part, Level *level)
{
  GMimeContentType *ct = g_mime_object_get_content_type (GMIME_OBJECT (part));
  const gchar *subtype = ct ? g_mime_content_type_get_media_subtype (ct) : "plain";
  g_autoptr (GByteArray) scratch = g_byte_array_new ();
  const gchar *data = NULL;
  gsize len = 0;
  gboolean cut = FALSE;
  if (!part_decoded (part, scratch, &data, &len, &cut))
    return;
  if (cut)
    g_ptr_array_add (level->warnings,
                     g_strdup_printf ("a text/%s part was cut to its first %d bytes (decoded)", subtype,
                                      SHR_MAX_PART_TEXT_BYTES));
  const gchar *charset = ct ? g_mime_content_type_get_parameter (ct, "charset") : NULL;
  g_autofree gchar *text = to_utf8 (data, len, charset, level->warnings, subtype);
  /* The text ends at a NUL the conversion let through, as a C string. */
  gsize text_len = normalize_text (text, strlen (text));
  /* What an approver typed, as typed: not unflowed (a flowed line before
   * a quote would take the quote in), nothing unwrapped. */
  if (GMIME_OBJECT (part) == level->reply_part && level->reply_text == NULL)
    level->reply_text = g_strdup (text);

  if (g_ascii_strcasecmp (subtype, "html") == 0)
    {
      gboolean truncated = FALSE;
      g_autoptr (ShrHtmlText) html = shr_html_to_text (text, text_len, SHR_MAX_PART_TEXT_BYTES, &truncated);
      if (truncated)
        g_ptr_array_add (level->warnings, g_strdup ("text from an HTML part was cut at the size cap"));
      if (level->html_title == NULL && html->title != NULL)
        level->html_title = g_strdup (html->title);
      for (guint i = 0; i < html->links->len; i++)
        g_ptr_array_add (level->links, g_strdup (g_ptr_array_index (html->links, i)));
      append_text (level, html->text);
      return;
    }
  const gchar *format = ct ? g_mime_content_type_get_parameter (ct, "format") : NULL;
  if (format != NULL && g_ascii_strcasecmp (format, "flowed") == 0)
    {
      const gchar *delsp = g_mime_content_type_get_parameter (ct, "delsp");
      g_autofree gchar *unflowed = unflow (text, delsp && g_ascii_strcasecmp (delsp, "yes") == 0);
      append_text (level, unflowed);
      return;
    }
  append_text (level, text);
}

static gboolean
is_text_type (GMimeObject *object, const gchar *subtype)
{
  GMimeContentType *ct = g_mime_object_get_content_type (object);
  if (ct == NULL)
    return g_strcmp0 (subtype, "plain") == 0;
  return g_mime_content_type_is_type (ct, "text", subtype);
}

/* Chooses the part of a multipart/alternative to read: the plain text when
 * it has content, the HTML otherwise (newsletters whose text part says only
 * "view this mail in a browser"). */
static GMimeObject *
choose_alternative (GMimeMultipart *mp)
{
  GMimeObject *plain = NULL, *html = NULL, *other = NULL;
  gint n = g_mime_multipart_get_count (mp);
  for (gint i = 0; i < n; i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (mp, i);
      if (plain == NULL && is_text_type (child, "plain"))
        plain = child;
      else if (html == NULL && is_text_type (child, "html"))
        html = child;
      else if (other == NULL && GMIME_IS_MULTIPART (child))
        other = child;
    }
  if (plain != NULL && GMIME_IS_PART (plain))
    {
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (plain));
      GMimeStream *stream = content ? g_mime_data_wrapper_get_stream (content) : NULL;
      gint64 size = stream ? g_mime_stream_length (stream) : 0;
      if (size > 200 || html == NULL)
        return plain;
    }
  if (html != NULL)
    return html;
  if (other != NULL)
    return other;
  return plain;
}

static void
walk (GMimeObject *object, Level *level, guint depth)
{
  if (object == NULL)
    return;
  if (++level->parts > SHR_MAX_MIME_PARTS)
    {
      if (!level->part_cap_warned)
        g_ptr_array_add (level->warnings, g_strdup_printf ("more than %d MIME parts: the rest were not read",
                                                           SHR_MAX_MIME_PARTS));
      level->part_cap_warned = TRUE;
      return;
    }
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      if (inner != NULL)
        g_ptr_array_add (level->attached, g_object_ref (inner));
      return;
    }
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *mp = GMIME_MULTIPART (object);
      GMimeContentType *ct = g_mime_object_get_content_type (object);
      const gchar *sub = ct ? g_mime_content_type_get_media_subtype (ct) : "mixed";
      gint n = g_mime_multipart_get_count (mp);
      if (n == 0)
        {
          g_ptr_array_add (level->warnings,
                           g_strdup ("a multipart with no parts (a missing or wrong boundary?)"));
          return;
        }
      if (g_ascii_strcasecmp (sub, "alternative") == 0)
        {
          walk (choose_alternative (mp), level, depth + 1);
          return;
        }
      if (g_ascii_strcasecmp (sub, "signed") == 0)
        {
          walk (g_mime_multipart_get_part (mp, 0), level, depth + 1);
          return;
        }
      for (gint i = 0; i < n; i++)
        walk (g_mime_multipart_get_part (mp, i), level, depth + 1);
      return;
    }
  if (GMIME_IS_PART (object))
    {
      GMimeContentType *ct = g_mime_object_get_content_type (object);
      gboolean text = ct == NULL || g_mime_content_type_is_type (ct, "text", "plain")
                      || g_mime_content_type_is_type (ct, "text", "html");
      if (text)
        read_text_part (GMIME_PART (object), level);
      return;
    }
}

/* ---- inline forwards and quoted replies --------------------------------- */

typedef struct
{
  gchar *from, *subject, *date;
} ForwardHeaders;

static void
forward_headers_clear (ForwardHeaders *h)
{
  g_clear_pointer (&h->from, g_free);
  g_clear_pointer (&h->subject, g_free);
  g_clear_pointer (&h->date, g_free);
}

static GRegex *
regex_once (GRegex **slot, const gchar *pattern)
{
  if (g_once_init_enter (slot))
    {
      GRegex *re = g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
      g_assert (re != NULL);
      g_once_init_leave (slot, re);
    }
  return *slot;
}

/* A separator line that some mail client writes above a forwarded mail. */
static gboolean
is_forward_marker (const gchar *line)
{
  /* Every marker starts with '-', '_', "Begin" or 転送 (E8 BB A2) after
   * white space: other lines, nearly all of them, skip the regex. */
  const gchar *p = line;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '-' && *p != '_' && *p != 'B' && *p != 'b' && (guchar)*p != 0xE8)
    return FALSE;
  static GRegex *re;
  return g_regex_match (
      regex_once (&re, "^\\s*(-{2,}\\s*(Forwarded message|Original Message|Forwarded Message|"
                       "転送メッセージ|元のメッセージ|転送されたメッセージ|オリジナルメッセージ)\\s*-*"
                       "|_{10,}|Begin forwarded message:|転送されたメッセージ:|"
                       "-{3,}\\s*Forwarded message from .*-{3,})\\s*$"),
      line, 0, NULL);
}

static gboolean
is_forward_end (const gchar *line)
{
  /* Every end line holds "---": the pattern ran over every line of a
   * forwarded text. */
  if (strstr (line, "---") == NULL)
    return FALSE;
  static GRegex *re;
  return g_regex_match (regex_once (&re, "^\\s*-{3,}\\s*(End forwarded message|End of forwarded "
                                         "message|転送メッセージ終わり)\\s*-{3,}\\s*$"),
                        line, 0, NULL);
}

/* Parses "Key: value" for the header names forward blocks use, English
 * and Japanese. Returns the canonical key or NULL. */
static const gchar *
forward_header (const gchar *line, const gchar **value)
{
  static const struct
  {
    const gchar *name;
    const gchar *key;
  } names[] = {
    { "from", "from" },
    { "差出人", "from" },
    { "送信者", "from" },
    { "送信元", "from" },
    { "subject", "subject" },
    { "件名", "subject" },
    { "date", "date" },
    { "sent", "date" },
    { "日付", "date" },
    { "送信日時", "date" },
    { "to", "to" },
    { "宛先", "to" },
    { "cc", "cc" },
    { "reply-to", "reply-to" },
    { "user-agent", "other" },
    { "message-id", "other" },
  };
  const gchar *p = line;
  while (*p == ' ' || *p == '\t' || *p == '*')
    p++;
  /* The first ':' or '：' (EF BC 9A), within the 20 bytes a name may
   * take: looked for there only, not in the whole line. */
  const gchar *colon = NULL;
  gsize sep_len = 1;
  for (const gchar *q = p; q - p <= 20 && *q != '\0'; q++)
    if (*q == ':' || ((guchar)q[0] == 0xEF && (guchar)q[1] == 0xBC && (guchar)q[2] == 0x9A))
      {
        colon = q;
        sep_len = *q == ':' ? 1 : strlen ("：");
        break;
      }
  if (colon == NULL || colon == p)
    return NULL;
  gchar name[21];
  memcpy (name, p, colon - p);
  name[colon - p] = '\0';
  g_strstrip (name);
  /* Bold markers some clients put around the name ("*From:*"). */
  gsize nlen = strlen (name);
  while (nlen > 0 && name[nlen - 1] == '*')
    name[--nlen] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        const gchar *v = colon + sep_len;
        while (*v == ' ' || *v == '\t' || *v == '*')
          v++;
        *value = v;
        return names[i].key;
      }
  return NULL;
}

static gboolean
is_blank (const gchar *line)
{
  for (const gchar *p = line; *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Parses a forward header block starting at lines[start]. On success
 * fills @h and returns the index of the first body line. */
static gssize
parse_forward_block (gchar **lines, gsize start, ForwardHeaders *h)
{
  gsize i = start;
  guint blanks = 0;
  while (lines[i] != NULL && is_blank (lines[i]) && blanks < 2)
    {
      i++;
      blanks++;
    }
  guint count = 0;
  gboolean has_from_or_subject = FALSE;
  GString *current = NULL;
  gchar **slot = NULL;
  for (; lines[i] != NULL; i++)
    {
      const gchar *value = NULL;
      const gchar *key = forward_header (lines[i], &value);
      if (key != NULL)
        {
          count++;
          slot = NULL;
          if (strcmp (key, "from") == 0 && h->from == NULL)
            slot = &h->from;
          else if (strcmp (key, "subject") == 0 && h->subject == NULL)
            slot = &h->subject;
          else if (strcmp (key, "date") == 0 && h->date == NULL)
            slot = &h->date;
          if (strcmp (key, "from") == 0 || strcmp (key, "subject") == 0)
            has_from_or_subject = TRUE;
          if (slot != NULL)
            *slot = g_strstrip (g_strdup (value));
          continue;
        }
      if (count > 0 && !is_blank (lines[i]) && (lines[i][0] == ' ' || lines[i][0] == '\t') && slot != NULL)
        {
          /* A folded header value. */
          g_autofree gchar *folded = g_strstrip (g_strdup (lines[i]));
          current = g_string_new (*slot);
          g_string_append_c (current, ' ');
          g_string_append (current, folded);
          g_free (*slot);
          *slot = g_string_free (current, FALSE);
          continue;
        }
      break;
    }
  if (count < 2 || !has_from_or_subject)
    {
      forward_headers_clear (h);
      return -1;
    }
  return (gssize)i;
}

/* Finds an inline forward in the @lines of a text. On success returns the
 * forwarded text (transfer full) and fills @h. */
static gchar *
unwrap_inline_forward (gchar **lines, ForwardHeaders *h)
{
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      gssize body = -1;
      if (is_forward_marker (lines[i]))
        body = parse_forward_block (lines, i + 1, h);
      else if ((i == 0 || is_blank (lines[i - 1])))
        {
          const gchar *v;
          const gchar *key = forward_header (lines[i], &v);
          /* A bare header block (Outlook in Japanese writes no separator):
           * From then Subject within a few lines. */
          if (key != NULL && strcmp (key, "from") == 0 && i > 0)
            {
              gboolean subject_follows = FALSE;
              for (gsize j = i + 1; j < i + 6 && lines[j] != NULL && !is_blank (lines[j]); j++)
                {
                  const gchar *k2 = forward_header (lines[j], &v);
                  if (k2 != NULL && strcmp (k2, "subject") == 0)
                    subject_follows = TRUE;
                }
              if (subject_follows)
                body = parse_forward_block (lines, i, h);
            }
        }
      if (body < 0)
        continue;
      GString *out = g_string_new (NULL);
      for (gsize j = body; lines[j] != NULL; j++)
        {
          if (is_forward_end (lines[j]))
            break;
          g_string_append (out, lines[j]);
          g_string_append_c (out, '\n');
        }
      return g_string_free (out, FALSE);
    }
  return NULL;
}

static gboolean
is_quoted (const gchar *line)
{
  const gchar *p = line;
  if (*p == ' ')
    p++;
  return *p == '>';
}

/* A reply or forward that quotes the advisory with '>': returns the quoted
 * span with one level of quoting removed, or NULL when quoting is only a
 * small part of the text (an ordinary reply). */
/* "On Tue, Mar 10, 2026 at 4:00 PM, Fortinet PSIRT <psirt@…> wrote:",
 * 「2026年3月10日(火) 16:00 Fortinet PSIRT <psirt@…>:」: who and when. */
static gboolean
parse_attribution (const gchar *line, ForwardHeaders *h)
{
  static GRegex *en, *ja;
  g_autoptr (GMatchInfo) m = NULL;
  if (g_regex_match (regex_once (&en, "^\\s*On (.+?),? ([^,]*<[^>]+@[^>]+>) wrote:\\s*$"), line, 0, &m))
    {
      h->date = g_match_info_fetch (m, 1);
      h->from = g_match_info_fetch (m, 2);
      return TRUE;
    }
  g_clear_pointer (&m, g_match_info_unref);
  if (g_regex_match (regex_once (&ja,
                                 "^\\s*(\\d{4}[年/][^ ]*(?: "
                                 "[0-9:]+)?)\\s+(.*<[^>]+@[^>]+>)(?:さん)?(?:は書きました)?\\s*[:：]\\s*$"),
                     line, 0, &m))
    {
      h->date = g_match_info_fetch (m, 1);
      h->from = g_match_info_fetch (m, 2);
      return TRUE;
    }
  return FALSE;
}

static gchar *
unwrap_quoted (gchar **lines, ForwardHeaders *h)
{
  gsize nonblank = 0, quoted = 0;
  gssize first = -1, last = -1;
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      if (is_blank (lines[i]))
        continue;
      nonblank++;
      if (is_quoted (lines[i]))
        {
          quoted++;
          if (first < 0)
            first = i;
          last = i;
        }
    }
  if (quoted < 5 || quoted * 10 < nonblank * 4)
    return NULL;
  for (gssize i = first - 1; i >= 0 && i >= first - 2; i--)
    if (!is_blank (lines[i]) && parse_attribution (lines[i], h))
      break;
  GString *out = g_string_new (NULL);
  for (gssize i = first; i <= last; i++)
    {
      const gchar *p = lines[i];
      if (is_quoted (p))
        {
          if (*p == ' ')
            p++;
          p++; /* '>' */
          if (*p == ' ')
            p++;
        }
      g_string_append (out, p);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static gboolean
subject_says_forward (const gchar *subject)
{
  static GRegex *re;
  return subject != NULL
         && g_regex_match (regex_once (&re, "^\\s*(\\[[^\\]]*\\]\\s*)?(fwd?|fw|転送|tr|wg)\\s*[:：]"),
                           subject, 0, NULL);
}

/* Dates as forward blocks write them ("Wednesday, September 30, 2026 5:40
 * PM", "Wed, Sep 30, 2026 at 5:40 PM", 「2024年1月22日(月) 9:00」), as
 * ISO 8601; RFC 5322 dates with their zone. NULL when not understood. */
static gchar *
parse_loose_date (const gchar *value)
{
  if (value == NULL)
    return NULL;
  g_autoptr (GDateTime) dt = g_mime_utils_header_decode_date (value);
  if (dt != NULL)
    return iso_date (dt);
  static const gchar *const months[]
      = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
  static GRegex *en, *ja;
  g_autoptr (GMatchInfo) m = NULL;
  gint year = 0, month = 0, day = 0, hour = 0, minute = 0;
  if (g_regex_match (regex_once (&en, "([A-Za-z]{3})[a-z]*\\.? (\\d{1,2}),? (\\d{4})(?:,? (?:at "
                                      ")?(\\d{1,2}):(\\d{2})(?::\\d{2})? ?([AP]M)?)?"),
                     value, 0, &m))
    {
      g_autofree gchar *mon = g_match_info_fetch (m, 1);
      for (gint i = 0; i < 12; i++)
        if (g_ascii_strncasecmp (mon, months[i], 3) == 0)
          month = i + 1;
      g_autofree gchar *d = g_match_info_fetch (m, 2);
      g_autofree gchar *y = g_match_info_fetch (m, 3);
      g_autofree gchar *hh = g_match_info_fetch (m, 4);
      g_autofree gchar *mm = g_match_info_fetch (m, 5);
      g_autofree gchar *ampm = g_match_info_fetch (m, 6);
      day = atoi (d);
      year = atoi (y);
      hour = hh ? atoi (hh) : 0;
      minute = mm ? atoi (mm) : 0;
      if (ampm && g_ascii_strcasecmp (ampm, "PM") == 0 && hour < 12)
        hour += 12;
      if (ampm && g_ascii_strcasecmp (ampm, "AM") == 0 && hour == 12)
        hour = 0;
    }
  else
    {
      g_clear_pointer (&m, g_match_info_unref);
      if (g_regex_match (
              regex_once (&ja, "(\\d{4})[年/-](\\d{1,2})[月/-](\\d{1,2})日?[^0-9]*(?:(\\d{1,2}):(\\d{2}))?"),
              value, 0, &m))
        {
          g_autofree gchar *y = g_match_info_fetch (m, 1);
          g_autofree gchar *mo = g_match_info_fetch (m, 2);
          g_autofree gchar *d = g_match_info_fetch (m, 3);
          g_autofree gchar *hh = g_match_info_fetch (m, 4);
          g_autofree gchar *mm = g_match_info_fetch (m, 5);
          year = atoi (y);
          month = atoi (mo);
          day = atoi (d);
          hour = hh && *hh ? atoi (hh) : 0;
          minute = mm && *mm ? atoi (mm) : 0;
        }
    }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59)
    return NULL;
  /* No zone is written: ISO 8601 local time, without an offset. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:00", year, month, day, hour, minute);
}

/* A clear-signed advisory (DSA, FreeBSD, OpenSSL…): the armor lines and
 * the signature are not text, and the signed text is dash-escaped (RFC
 * 4880 §7.1: a line "- -----" stands for "-----"). Returns NULL when
 * there is no armor. */
static gchar *
strip_pgp_armor (const gchar *text)
{
  if (strstr (text, "-----BEGIN PGP ") == NULL)
    return NULL;
  g_autofree gchar **lines = shr_text_split (text, "\n");
  GString *out = g_string_sized_new (strlen (text));
  gboolean in_signed = FALSE, in_signature = FALSE, skip_headers = FALSE;
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const gchar *l = lines[i];
      if (g_str_has_prefix (l, "-----BEGIN PGP SIGNED MESSAGE-----"))
        {
          in_signed = TRUE;
          skip_headers = TRUE; /* "Hash: SHA256" up to the blank line */
          continue;
        }
      if (skip_headers)
        {
          if (*l == '\0' || *l == '\r')
            skip_headers = FALSE;
          continue;
        }
      if (g_str_has_prefix (l, "-----BEGIN PGP SIGNATURE-----"))
        {
          in_signature = TRUE;
          in_signed = FALSE;
          continue;
        }
      if (in_signature)
        {
          if (g_str_has_prefix (l, "-----END PGP SIGNATURE-----"))
            in_signature = FALSE;
          continue;
        }
      if (in_signed && g_str_has_prefix (l, "- "))
        l += 2;
      g_string_append (out, l);
      if (lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* ---- the raw pre-scan ---------------------------------------------------- */

/* The boundary parameter of a header field that declares one (any
 * "boundary=" in a header block: a Content-Type folded over lines keeps
 * it on one of them), or NULL. (transfer full) */
static gchar *
declared_boundary (const gchar *line, gsize len)
{
  static const gchar key[] = "boundary";
  gsize k = sizeof key - 1;
  for (gsize i = 0; i + k < len; i++)
    {
      /* A byte test first: the comparison ran at every byte of every
       * header line. */
      if ((line[i] | 0x20) != 'b' || g_ascii_strncasecmp (line + i, key, k) != 0)
        continue;
      gsize p = i + k;
      while (p < len && (line[p] == ' ' || line[p] == '\t'))
        p++;
      if (p >= len || line[p] != '=')
        continue;
      p++;
      while (p < len && (line[p] == ' ' || line[p] == '\t'))
        p++;
      gsize start = p, end;
      if (p < len && line[p] == '"')
        {
          start = ++p;
          while (p < len && line[p] != '"')
            p++;
          end = p;
        }
      else
        {
          while (p < len && line[p] != ';' && !g_ascii_isspace (line[p]))
            p++;
          end = p;
        }
      return end > start ? g_strndup (line + start, end - start) : NULL;
    }
  return NULL;
}

/* Whether the header line @line declares an attached message, whose body
 * then starts with a header block of its own. */
static gboolean
declares_message (const gchar *line, gsize len)
{
  static const gchar ct[] = "content-type:";
  gsize n = sizeof ct - 1;
  if (len < n || g_ascii_strncasecmp (line, ct, n) != 0)
    return FALSE;
  const gchar *v = line + n;
  while (v < line + len && (*v == ' ' || *v == '\t'))
    v++;
  gsize left = (gsize)(line + len - v);
  return (left >= 14 && g_ascii_strncasecmp (v, "message/rfc822", 14) == 0)
         || (left >= 14 && g_ascii_strncasecmp (v, "message/global", 14) == 0);
}

/* Measures @raw against the caps of the pre-scan, line by line, without
 * building anything but the set of declared boundaries: header lines over
 * every header block (the message's, each part's after its boundary line,
 * each attached message's), each header block's size, every line's length,
 * and the parts (boundary lines of declared boundaries). FALSE with
 * SHR_READ_ERROR_LIMIT naming the cap. */
static gboolean
prescan (const gchar *raw, gsize len, const gchar *name, GError **error)
{
  g_autoptr (GHashTable) boundaries = NULL;
  gboolean in_headers = TRUE, message_follows = FALSE;
  gsize header_lines = 0, block_bytes = 0, parts = 0, line_no = 0;
  for (gsize pos = 0; pos < len;)
    {
      const gchar *nl = memchr (raw + pos, '\n', len - pos);
      gsize end = nl != NULL ? (gsize)(nl - raw) : len;
      const gchar *line = raw + pos;
      gsize line_len = end - pos;
      pos = nl != NULL ? end + 1 : len;
      line_no++;
      if (line_len > SHR_MAX_LINE_BYTES)
        {
          g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_LIMIT,
                       "%s: line %" G_GSIZE_FORMAT " is %" G_GSIZE_FORMAT
                       " bytes long, over the %d bytes a line may have; not parsed",
                       name, line_no, line_len, SHR_MAX_LINE_BYTES);
          return FALSE;
        }
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (in_headers)
        {
          if (line_len == 0)
            {
              /* The end of a header block: an attached message's own
               * headers follow its part's. */
              in_headers = message_follows;
              message_follows = FALSE;
              block_bytes = 0;
              continue;
            }
          if (++header_lines > SHR_MAX_HEADER_LINES)
            {
              g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_LIMIT,
                           "%s: more than %d header lines (a header bomb?); not parsed", name,
                           SHR_MAX_HEADER_LINES);
              return FALSE;
            }
          block_bytes += line_len + 1;
          if (block_bytes > SHR_MAX_HEADER_BYTES)
            {
              g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_LIMIT,
                           "%s: a header block larger than %d bytes (ending at line %" G_GSIZE_FORMAT
                           "); not parsed",
                           name, SHR_MAX_HEADER_BYTES, line_no);
              return FALSE;
            }
          if (declares_message (line, line_len))
            message_follows = TRUE;
          gchar *b = declared_boundary (line, line_len);
          if (b != NULL)
            {
              if (boundaries == NULL)
                boundaries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
              g_hash_table_add (boundaries, b);
            }
          continue;
        }
      if (boundaries == NULL || line_len < 3 || line[0] != '-' || line[1] != '-')
        continue;
      /* "--boundary" opens a part, "--boundary--" closes the multipart;
       * white space after either is allowed (RFC 2046 5.1.1). */
      gsize n = line_len;
      while (n > 2 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
      g_autofree gchar *candidate = g_strndup (line + 2, n - 2);
      gboolean closing = FALSE;
      if (!g_hash_table_contains (boundaries, candidate))
        {
          gsize cl = strlen (candidate);
          if (cl < 3 || candidate[cl - 1] != '-' || candidate[cl - 2] != '-')
            continue;
          candidate[cl - 2] = '\0';
          if (!g_hash_table_contains (boundaries, candidate))
            continue;
          closing = TRUE;
        }
      if (closing)
        continue;
      if (++parts > SHR_MAX_RAW_PARTS)
        {
          g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_LIMIT, "%s: more than %d MIME parts; not parsed",
                       name, SHR_MAX_RAW_PARTS);
          return FALSE;
        }
      in_headers = TRUE;
      block_bytes = 0;
    }
  return TRUE;
}

/* ---- the mail as received: sender, references, automatic, results -------- */

gchar *
shr_address_canonical (const gchar *address)
{
  if (address == NULL)
    return NULL;
  const gchar *at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0')
    return NULL;
  for (const gchar *p = address; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',')
      return NULL;
  /* A domain in ASCII, nearly every one, is put in lower case as ASCII:
   * the same result without Unicode case mapping. */
  const gchar *p = at + 1;
  while (*p != '\0' && (guchar)*p < 0x80)
    p++;
  g_autofree gchar *domain = *p == '\0' ? g_ascii_strdown (at + 1, -1) : g_utf8_strdown (at + 1, -1);
  gsize local = (gsize)(at - address), domain_len = strlen (domain);
  gchar *canonical = g_malloc (local + 1 + domain_len + 1);
  memcpy (canonical, address, local);
  canonical[local] = '@';
  memcpy (canonical + local + 1, domain, domain_len + 1);
  return canonical;
}

/* The '@' of @value outside quoted strings and comments: one mailbox has
 * exactly one. GMime's parser, loose or strict, reads
 * "approver@example.test@evil.test" as approver@example.test, which no
 * mail system would deliver as such: a From like that is nobody's. */
static guint
count_at_signs (const gchar *value)
{
  guint ats = 0, depth = 0;
  gboolean quoted = FALSE;
  for (const gchar *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (quoted)
        quoted = *p != '"';
      else if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      else if (depth == 0 && *p == '"')
        quoted = TRUE;
      else if (depth == 0 && *p == '@')
        ats++;
    }
  return ats;
}

/* The canonical address of the one mailbox @list holds, or NULL. */
static gchar *
single_mailbox (InternetAddressList *list)
{
  if (list == NULL || internet_address_list_length (list) != 1)
    return NULL;
  InternetAddress *a = internet_address_list_get_address (list, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX (a))
    return NULL;
  /* The IDNA form: "bücher.example" and "xn--bcher-kva.example" are one
   * domain. An address all in ASCII with one '@' is its own IDNA form once
   * its domain is in lower case, as shr_address_canonical() puts it; the
   * conversion cost more than the rest of reading the sender. */
  const gchar *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (a));
  guint ats = 0;
  const gchar *p = addr;
  for (; p != NULL && *p != '\0' && (guchar)*p < 0x80; p++)
    ats += *p == '@';
  if (p != NULL && *p == '\0' && ats == 1)
    return shr_address_canonical (addr);
  return shr_address_canonical (internet_address_mailbox_get_idn_addr (INTERNET_ADDRESS_MAILBOX (a)));
}

static void
ensure_gmime (void)
{
  /* The reader is a library call: it cannot rely on main() having set
   * GMime up (tests, benchmarks, the watcher all call it). */
  static gsize gmime_ready;
  if (g_once_init_enter (&gmime_ready))
    {
      g_mime_init ();
      g_once_init_leave (&gmime_ready, 1);
    }
}

gchar *
shr_address_from_header (const gchar *value)
{
  if (value == NULL)
    return NULL;
  ensure_gmime ();
  if (count_at_signs (value) != 1)
    return NULL;
  InternetAddressList *list = internet_address_list_parse (NULL, value);
  gchar *address = single_mailbox (list);
  if (list != NULL)
    g_object_unref (list);
  return address;
}

/* The first word of @value, lower case ("auto-replied" of "auto-replied;
 * owner-email=…"). (transfer full) */
static gchar *
first_word_lower (const gchar *value)
{
  while (g_ascii_isspace (*value))
    value++;
  gsize n = strcspn (value, " \t\r\n;(");
  return g_ascii_strdown (value, (gssize)n);
}

gchar *
shr_message_automatic_reason (gpointer headers)
{
  g_return_val_if_fail (GMIME_IS_HEADER_LIST (headers), NULL);
  GMimeHeaderList *list = headers;
  gboolean list_id = g_mime_header_list_contains (list, "List-Id");
  gint n = g_mime_header_list_get_count (list);
  for (gint i = 0; i < n; i++)
    {
      GMimeHeader *h = g_mime_header_list_get_header_at (list, i);
      const gchar *name = g_mime_header_get_name (h);
      const gchar *value = g_mime_header_get_value (h);
      if (value == NULL)
        value = "";
      if (g_ascii_strcasecmp (name, "Auto-Submitted") == 0)
        {
          g_autofree gchar *w = first_word_lower (value);
          if (*w != '\0' && strcmp (w, "no") != 0)
            return g_strdup_printf ("automatic reply (Auto-Submitted: %s)", w);
        }
      else if (g_ascii_strcasecmp (name, "X-Autoreply") == 0
               || g_ascii_strcasecmp (name, "X-Autorespond") == 0
               || g_ascii_strcasecmp (name, "X-Auto-Reply") == 0)
        return g_strdup_printf ("automatic reply (%s)", name);
      else if (g_ascii_strcasecmp (name, "Precedence") == 0)
        {
          g_autofree gchar *w = first_word_lower (value);
          if (strcmp (w, "junk") == 0 || strcmp (w, "auto_reply") == 0)
            return g_strdup_printf ("automatic reply (Precedence: %s)", w);
          if ((strcmp (w, "bulk") == 0 || strcmp (w, "list") == 0) && !list_id)
            return g_strdup_printf ("automatic reply (Precedence: %s without List-Id)", w);
        }
    }
  return NULL;
}

const gchar *
shr_message_out_of_office (const gchar *subject)
{
  if (subject == NULL)
    return NULL;
  g_autofree gchar *n = g_utf8_normalize (subject, -1, G_NORMALIZE_NFKC);
  if (n == NULL)
    return NULL;
  g_autofree gchar *low = g_utf8_casefold (n, -1);
  gchar *tag = strstr (low, "[承認依頼");
  if (tag == NULL)
    tag = strstr (low, "[approval");
  if (tag != NULL)
    *tag = '\0';
  static const gchar *const marks[] = {
    "out of office", "out of the office", "automatic reply", "auto reply", "autoreply", "auto-reply",
    "auto:",         "autosvar",          "abwesenheit",     "absence",    "不在",      "自動応答",
    "自動返信",      "自動送信",
  };
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    if (strstr (low, marks[i]) != NULL)
      return marks[i];
  return NULL;
}

/* Adds the Message-IDs of @value (In-Reply-To or References) to @out,
 * each once, up to the cap; with @newest_first, in reverse order (the
 * nearest ancestor is last in References). */
static void
add_references (GPtrArray *out, const gchar *value, gboolean newest_first)
{
  GMimeReferences *refs = g_mime_references_parse (NULL, value);
  if (refs == NULL)
    return;
  gint n = g_mime_references_length (refs);
  for (gint k = 0; k < n && out->len < SHR_MAX_MESSAGE_REFS; k++)
    {
      const gchar *id = g_mime_references_get_message_id (refs, newest_first ? n - 1 - k : k);
      if (id == NULL || *id == '\0')
        continue;
      gboolean seen = FALSE;
      for (guint j = 0; j < out->len && !seen; j++)
        seen = strcmp (out->pdata[j], id) == 0;
      if (!seen)
        g_ptr_array_add (out, g_strdup (id));
    }
  g_mime_references_free (refs);
}

/* What classification and the approval step need of the mail as received,
 * from its outermost header list, in one walk. A field read here, in
 * take_headers() or in shr_message_automatic_reason() must be named in
 * header_is_read(): GMime is not given the others. */
static void
take_envelope (ShrMessage *m, GMimeObject *outer)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (outer);
  gint n = g_mime_header_list_get_count (headers);
  const gchar *from = NULL, *in_reply_to = NULL, *references = NULL;
  guint froms = 0;
  for (gint i = 0; i < n; i++)
    {
      GMimeHeader *h = g_mime_header_list_get_header_at (headers, i);
      const gchar *name = g_mime_header_get_name (h);
      if (g_ascii_strcasecmp (name, "From") == 0)
        {
          froms++;
          from = g_mime_header_get_raw_value (h);
        }
      else if (g_ascii_strcasecmp (name, "In-Reply-To") == 0 && in_reply_to == NULL)
        in_reply_to = g_mime_header_get_raw_value (h);
      else if (g_ascii_strcasecmp (name, "References") == 0 && references == NULL)
        references = g_mime_header_get_raw_value (h);
      else if (g_ascii_strcasecmp (name, "Authentication-Results") == 0)
        {
          const gchar *v = g_mime_header_get_value (h);
          if (v != NULL && m->auth_results->len < SHR_MAX_AUTH_RESULTS)
            g_ptr_array_add (m->auth_results, g_strdup (v));
        }
      else if (g_ascii_strncasecmp (name, "X-Shirase-", 10) == 0)
        m->ours = TRUE;
    }
  /* Every mail system attributes a mail to the one mailbox of its one
   * From; anything else (two From headers, two addresses, a group) is
   * from nobody in particular, and never an approver. */
  if (froms == 0)
    m->sender_problem = g_strdup ("no From header");
  else if (froms > 1)
    m->sender_problem = g_strdup_printf ("%u From headers", froms);
  else
    {
      InternetAddressList *list = internet_address_list_parse (NULL, from);
      gint count = list != NULL ? internet_address_list_length (list) : 0;
      if (count == 1 && count_at_signs (from) != 1)
        m->sender_problem = g_strdup ("From is not one plain address (several '@')");
      else
        m->sender = single_mailbox (list);
      if (m->sender == NULL && m->sender_problem == NULL)
        m->sender_problem = count == 0  ? g_strdup ("From names no address")
                            : count > 1 ? g_strdup_printf ("From names %d addresses", count)
                                        : g_strdup ("From is not one mailbox");
      if (list != NULL)
        g_object_unref (list);
    }
  if (in_reply_to != NULL)
    add_references (m->references, in_reply_to, FALSE);
  if (references != NULL)
    add_references (m->references, references, TRUE);
  m->automatic = shr_message_automatic_reason (headers);
}

/* ---- what an approver typed ----------------------------------------------- */

/* The first text/plain part of @object that is not an attachment, in
 * document order, without entering attached messages: in a
 * multipart/alternative the plain part even where the body is read from
 * the HTML (an HTML-only reply has no command). (transfer none) or NULL. */
static GMimeObject *
first_inline_plain (GMimeObject *object, guint depth)
{
  if (object == NULL || depth > SHR_MAX_FORWARD_DEPTH)
    return NULL;
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *mp = GMIME_MULTIPART (object);
      gint n = MIN (g_mime_multipart_get_count (mp), SHR_MAX_MIME_PARTS);
      for (gint i = 0; i < n; i++)
        {
          GMimeObject *found = first_inline_plain (g_mime_multipart_get_part (mp, i), depth + 1);
          if (found != NULL)
            return found;
        }
      return NULL;
    }
  if (!GMIME_IS_PART (object))
    return NULL;
  GMimeContentType *ct = g_mime_object_get_content_type (object);
  if ((ct == NULL || g_mime_content_type_is_type (ct, "text", "plain"))
      && g_mime_part_get_filename (GMIME_PART (object)) == NULL)
    return object;
  return NULL;
}

/* Sets m->reply_text from the part @level->reply_part names: the text the
 * walk read from it, or read now (the walk chose the HTML alternative, or
 * stopped at the part cap). */
static void
take_reply_text (ShrMessage *m, Level *level)
{
  if (level->reply_part == NULL)
    return;
  gchar *text = g_steal_pointer (&level->reply_text);
  if (text == NULL)
    {
      g_autoptr (GPtrArray) ignored = g_ptr_array_new_with_free_func (g_free);
      Level scratch;
      level_init (&scratch, ignored);
      scratch.reply_part = level->reply_part;
      read_text_part (GMIME_PART (level->reply_part), &scratch);
      text = g_steal_pointer (&scratch.reply_text);
      level_clear (&scratch);
    }
  if (text != NULL && strlen (text) > SHR_MAX_REPLY_TEXT_BYTES)
    {
      const gchar *end = g_utf8_find_prev_char (text, text + SHR_MAX_REPLY_TEXT_BYTES + 1);
      text[end != NULL ? end - text : 0] = '\0';
    }
  m->reply_text = text;
}

/* ---- the reader --------------------------------------------------------- */

static void
parser_warning (gint64 offset, GMimeParserWarning code, const gchar *item, gpointer user_data)
{
  GPtrArray *warnings = user_data;
  const gchar *what = NULL;
  switch (code)
    {
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      what = "malformed multipart (missing or unclosed boundary)";
      break;
    case GMIME_WARN_TRUNCATED_MESSAGE:
      what = "the message is truncated";
      break;
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
    case GMIME_WARN_PART_WITHOUT_CONTENT:
      what = "malformed MIME structure";
      break;
    case GMIME_CRIT_NESTING_OVERFLOW:
      what = "MIME nesting too deep: inner parts were not read";
      break;
    case GMIME_CRIT_INVALID_HEADER_NAME:
      what = "invalid header name";
      break;
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
      what = "invalid RFC 2047 encoded header";
      break;
    default:
      return;
    }
  for (guint i = 0; i < warnings->len; i++)
    if (strcmp (g_ptr_array_index (warnings, i), what) == 0)
      return;
  g_ptr_array_add (warnings, g_strdup (what));
}

/* The first line of a mail is a header field ("Name: value") or an mbox
 * "From " line; anything else is not mail. */
static gboolean
looks_like_mail (const gchar *data, gsize len)
{
  gsize i = 0;
  while (i < len && (data[i] == '\r' || data[i] == '\n'))
    i++;
  if (len - i >= 5 && strncmp (data + i, "From ", 5) == 0)
    return TRUE;
  gsize start = i;
  while (i < len && i - start < 100)
    {
      guchar c = data[i];
      if (c == ':')
        return i > start;
      if (c <= 32 || c >= 127)
        return FALSE;
      i++;
    }
  return FALSE;
}

ShrMessage *
shr_message_new_item (const ShrMessage *parent, const gchar *subject, const gchar *body)
{
  g_return_val_if_fail (parent != NULL && body != NULL, NULL);
  ShrMessage *m = g_new0 (ShrMessage, 1);
  m->subject = g_strdup (subject);
  m->from = g_strdup (parent->from);
  m->date = g_strdup (parent->date);
  m->message_id = g_strdup (parent->message_id);
  m->list_id = g_strdup (parent->list_id);
  m->forwarded_by = g_strdup (parent->forwarded_by);
  m->outer_subject = g_strdup (subject);
  m->outer_message_id = g_strdup (parent->outer_message_id);
  m->outer_date = g_strdup (parent->outer_date);
  m->body = g_strdup (body);
  m->all_text = g_strdup (body);
  m->links = g_ptr_array_new_with_free_func (g_free);
  m->warnings = g_ptr_array_new_with_free_func (g_free);
  /* The mail as received is the parent's. */
  m->sender = g_strdup (parent->sender);
  m->sender_problem = g_strdup (parent->sender_problem);
  m->references = g_ptr_array_new_with_free_func (g_free);
  m->automatic = g_strdup (parent->automatic);
  m->ours = parent->ours;
  m->auth_results = g_ptr_array_new_with_free_func (g_free);
  return m;
}

void
shr_message_free (ShrMessage *m)
{
  if (m == NULL)
    return;
  g_free (m->subject);
  g_free (m->from);
  g_free (m->date);
  g_free (m->message_id);
  g_free (m->list_id);
  g_free (m->forwarded_by);
  g_free (m->outer_subject);
  g_free (m->outer_message_id);
  g_free (m->outer_date);
  g_free (m->body);
  g_free (m->all_text);
  g_free (m->html_title);
  g_ptr_array_unref (m->links);
  g_ptr_array_unref (m->warnings);
  g_free (m->sender);
  g_free (m->sender_problem);
  g_clear_pointer (&m->references, g_ptr_array_unref);
  g_free (m->automatic);
  g_clear_pointer (&m->auth_results, g_ptr_array_unref);
  g_free (m->reply_text);
  g_free (m);
}

static void
level_init (Level *l, GPtrArray *warnings)
{
  l->text = g_string_new (NULL);
  l->html_title = NULL;
  l->links = g_ptr_array_new_with_free_func (g_free);
  l->warnings = warnings;
  l->attached = g_ptr_array_new_with_free_func (g_object_unref);
  l->parts = 0;
  l->part_cap_warned = FALSE;
  l->reply_part = NULL;
  l->reply_text = NULL;
}

static void
level_clear (Level *l)
{
  g_string_free (l->text, TRUE);
  g_free (l->html_title);
  g_ptr_array_unref (l->links);
  g_ptr_array_unref (l->attached);
  g_free (l->reply_text);
}

/* Folding white space and any control character (an encoded CR/LF)
 * become one space, none at the start or the end: a subject is one line.
 * (transfer full) */
static gchar *
fold_to_one_line (const gchar *text)
{
  gchar *clean = g_malloc (strlen (text) + 1);
  gsize w = 0;
  gboolean space = FALSE;
  for (const gchar *q = text; *q; q++)
    {
      if ((guchar)*q < 0x20 || *q == ' ' || *q == 0x7f)
        space = w > 0;
      else
        {
          if (space)
            clean[w++] = ' ';
          space = FALSE;
          clean[w++] = *q;
        }
    }
  clean[w] = '\0';
  return clean;
}

/* RFC 2047 decoding of an unstructured header, by our own rules: the
 * bytes of adjacent encoded words in one charset are joined before they
 * are converted, because Japanese mailers split ISO-2022-JP and Shift_JIS
 * text between words (GMime 3.2 loses everything after the first such
 * word), and undecodable bytes become U+FFFD instead of ending the text. */
static gchar *
decode_rfc2047 (const gchar *raw)
{
  /* Every encoded word starts "=?": a header without one is only folded,
   * without the pattern's match or the copies below. @raw is UTF-8. */
  if (strstr (raw, "=?") == NULL)
    return fold_to_one_line (raw);
  static GRegex *word;
  GString *out = g_string_new (NULL);
  GByteArray *pending = g_byte_array_new ();
  gchar *pending_charset = NULL;
  const gchar *p = raw;
  g_autoptr (GMatchInfo) m = NULL;
  g_regex_match (regex_once (&word, "=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?="), raw, 0, &m);
  while (g_match_info_matches (m))
    {
      gint start, end;
      g_match_info_fetch_pos (m, 0, &start, &end);
      /* Text between two encoded words that is only white space vanishes. */
      gboolean only_space = TRUE;
      for (const gchar *q = p; q < raw + start; q++)
        if (!g_ascii_isspace (*q))
          only_space = FALSE;
      g_autofree gchar *charset = g_match_info_fetch (m, 1);
      gchar *star = strchr (charset, '*'); /* RFC 2231 language suffix */
      if (star)
        *star = '\0';
      if (pending_charset != NULL && (!only_space || g_ascii_strcasecmp (pending_charset, charset) != 0))
        {
          g_autofree gchar *text
              = to_utf8 ((const gchar *)pending->data, pending->len, pending_charset, NULL, NULL);
          g_string_append (out, text);
          g_byte_array_set_size (pending, 0);
          g_clear_pointer (&pending_charset, g_free);
        }
      if (!(only_space && p != raw))
        g_string_append_len (out, p, raw + start - p);
      g_autofree gchar *enc = g_match_info_fetch (m, 2);
      g_autofree gchar *data = g_match_info_fetch (m, 3);
      if (g_ascii_tolower (enc[0]) == 'b')
        {
          gsize len = 0;
          g_autofree guchar *bytes = g_base64_decode (data, &len);
          g_byte_array_append (pending, bytes, len);
        }
      else
        for (const gchar *q = data; *q; q++)
          {
            guint8 b = *q;
            if (*q == '_')
              b = ' ';
            else if (*q == '=' && g_ascii_isxdigit (q[1]) && g_ascii_isxdigit (q[2]))
              {
                b = g_ascii_xdigit_value (q[1]) * 16 + g_ascii_xdigit_value (q[2]);
                q += 2;
              }
            g_byte_array_append (pending, &b, 1);
          }
      if (pending_charset == NULL)
        pending_charset = g_strdup (charset);
      p = raw + end;
      g_match_info_next (m, NULL);
    }
  if (pending_charset != NULL)
    {
      g_autofree gchar *text
          = to_utf8 ((const gchar *)pending->data, pending->len, pending_charset, NULL, NULL);
      g_string_append (out, text);
    }
  g_free (pending_charset);
  g_byte_array_unref (pending);
  g_string_append (out, p);
  g_autofree gchar *valid = g_utf8_make_valid (out->str, out->len);
  g_string_free (out, TRUE);
  return fold_to_one_line (valid);
}

/* An unstructured header as text. The From line is read this way too: as
 * written, display name decoded, without GMime's address parsing (which
 * also converts IDN domains, and cost more than the rest of reading). */
static gchar *
message_header_text (GMimeObject *msg, const gchar *name)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (msg);
  GMimeHeader *h = headers ? g_mime_header_list_get_header (headers, name) : NULL;
  const gchar *raw = h ? g_mime_header_get_raw_value (h) : NULL;
  if (raw == NULL)
    return NULL;
  if (!g_utf8_validate (raw, -1, NULL))
    {
      /* Unencoded 8-bit subject: guess as for a body without a charset. */
      gboolean lossy = FALSE;
      g_autofree gchar *guessed = sniff_to_utf8 (raw, strlen (raw), &lossy);
      return decode_rfc2047 (guessed);
    }
  return decode_rfc2047 (raw);
}

/* The Date and the Message-Id of @headers as a GMimeMessage reads them:
 * each from the last header of its name, its value decoded. */
static void
take_date_and_id (GMimeHeaderList *headers, GDateTime **date, gchar **message_id)
{
  gint n = g_mime_header_list_get_count (headers);
  for (gint i = 0; i < n; i++)
    {
      GMimeHeader *h = g_mime_header_list_get_header_at (headers, i);
      const gchar *name = g_mime_header_get_name (h);
      if (g_ascii_strcasecmp (name, "Date") == 0)
        {
          const gchar *value = g_mime_header_get_value (h);
          if (value != NULL)
            {
              g_clear_pointer (date, g_date_time_unref);
              *date = g_mime_utils_header_decode_date (value);
            }
        }
      else if (g_ascii_strcasecmp (name, "Message-Id") == 0)
        {
          const gchar *value = g_mime_header_get_value (h);
          g_free (*message_id);
          *message_id = value != NULL ? g_mime_utils_decode_message_id (value) : NULL;
        }
    }
}

/* The headers of @msg, the mail as received (its top MIME part or a
 * GMimeMessage) or a forwarded message: Subject, From, Date, Message-Id. */
static void
take_headers (ShrMessage *m, GMimeObject *msg)
{
  g_free (m->subject);
  m->subject = message_header_text (msg, "Subject");
  if (m->subject != NULL && strlen (m->subject) > SHR_MAX_SUBJECT_BYTES)
    {
      const gchar *end = g_utf8_find_prev_char (m->subject, m->subject + SHR_MAX_SUBJECT_BYTES + 1);
      m->subject[end ? end - m->subject : 0] = '\0';
      g_ptr_array_add (m->warnings,
                       g_strdup_printf ("the Subject was cut to %d bytes", SHR_MAX_SUBJECT_BYTES));
    }
  g_free (m->from);
  m->from = message_header_text (msg, "From");
  if (m->from != NULL && *m->from == '\0')
    g_clear_pointer (&m->from, g_free);
  g_autoptr (GDateTime) date = NULL;
  g_autofree gchar *mid = NULL;
  take_date_and_id (g_mime_object_get_header_list (msg), &date, &mid);
  g_free (m->date);
  m->date = iso_date (date);
  if (mid != NULL)
    {
      g_free (m->message_id);
      m->message_id = g_steal_pointer (&mid);
    }
}

static void
merge_links (ShrMessage *m, GPtrArray *links)
{
  /* A set, not a scan of m->links per link: 512 HTML parts of 500 links
   * each made the pairwise comparison take minutes. */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint j = 0; j < m->links->len; j++)
    g_hash_table_add (seen, g_ptr_array_index (m->links, j));
  for (guint i = 0; i < links->len; i++)
    {
      gchar *l = g_ptr_array_index (links, i);
      if (g_hash_table_add (seen, l))
        g_ptr_array_add (m->links, g_strdup (l));
    }
}

/* What every read uses and none keeps: GMime's parser with its scan
 * buffers, a memory stream over a byte array that points at the bytes of
 * the message being read, and the parser options. One set per thread:
 * building and freeing them for every mail cost as much as parsing the
 * headers. */
typedef struct
{
  GByteArray *view; /* borrows the caller's bytes during one read */
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeParserOptions *options;
} ReadContext;

/* Lets go of the bytes of the message read. */
static void
read_context_release (ReadContext *context)
{
  context->view->data = NULL;
  context->view->len = 0;
}

static void
read_context_free (gpointer data)
{
  ReadContext *context = data;
  g_object_unref (context->parser);
  g_object_unref (context->stream);
  read_context_release (context);
  g_byte_array_free (context->view, TRUE);
  g_mime_parser_options_free (context->options);
  g_free (context);
}

/* (transfer none) This thread's context, made on first use. */
static ReadContext *
read_context (void)
{
  static GPrivate key = G_PRIVATE_INIT (read_context_free);
  ReadContext *context = g_private_get (&key);
  if (context != NULL)
    return context;
  context = g_new0 (ReadContext, 1);
  context->view = g_byte_array_new ();
  context->stream = g_mime_stream_mem_new_with_byte_array (context->view);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (context->stream), FALSE);
  context->parser = g_mime_parser_new ();
  context->options = g_mime_parser_options_new ();
  static const gchar *fallback[] = { "UTF-8", "CP932", "EUC-JP", "CP1252", NULL };
  g_mime_parser_options_set_fallback_charsets (context->options, fallback);
  g_mime_parser_options_set_rfc2047_compliance_mode (context->options, GMIME_RFC_COMPLIANCE_LOOSE);
  /* GMime opens and closes a Latin-1 converter of its own for each header
   * it decodes from that charset; with none open elsewhere, glibc loads and
   * unloads its gconv module every time. One kept open keeps it loaded. */
  iconv_to_utf8 ("iso-8859-1");
  g_private_set (&key, context);
  return context;
}

/* Just past the blank line that ends the header block of @raw, when each
 * line before it is a header field ("Name:", the name printable ASCII) or
 * the continuation of one; 0 otherwise (an mbox "From " line, a line
 * GMime might take for the start of the body, no blank line at all). */
static gsize
header_block_end (const gchar *raw, gsize len)
{
  gsize at = 0;
  while (at < len)
    {
      const gchar *line = raw + at;
      const gchar *nl = memchr (line, '\n', len - at);
      if (nl == NULL)
        return 0;
      gsize line_len = nl - line;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (line_len == 0)
        return at == 0 ? 0 : (gsize)(nl - raw) + 1;
      if (line[0] == ' ' || line[0] == '\t')
        {
          if (at == 0)
            return 0;
        }
      else
        {
          gsize k = 0;
          while (k < line_len && line[k] > ' ' && line[k] < 127 && line[k] != ':')
            k++;
          if (k == 0 || k == line_len || line[k] != ':')
            return 0;
        }
      at = (gsize)(nl - raw) + 1;
    }
  return 0;
}

/* Whether the reader reads the header field @name (@len bytes) of a mail:
 * the fields of take_headers(), take_envelope() and
 * shr_message_automatic_reason(), and every Content-* field GMime reads
 * the structure from. */
static gboolean
header_is_read (const gchar *name, gsize len)
{
  static const gchar *const read[]
      = { "Subject",        "From",        "Date",          "Message-ID",
          "In-Reply-To",    "References",  "List-Id",       "Authentication-Results",
          "Auto-Submitted", "X-Autoreply", "X-Autorespond", "X-Auto-Reply",
          "Precedence",     NULL };
  if ((len > 8 && g_ascii_strncasecmp (name, "Content-", 8) == 0)
      || (len > 10 && g_ascii_strncasecmp (name, "X-Shirase-", 10) == 0))
    return TRUE;
  for (gsize i = 0; read[i] != NULL; i++)
    if (strlen (read[i]) == len && g_ascii_strncasecmp (name, read[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* @raw without the header fields the reader never reads (Received,
 * DKIM-Signature, ARC-*, To, X-Mailer…, most of a real mail's header):
 * GMime makes an object of every field, and with a warning callback set
 * decodes every value as it adds it, which was most of the cost of
 * parsing a mail. GMime warns of nothing in a field's value that the
 * reader reports, and a header block with a line that is not a plain
 * field is given whole (header_block_end()), so the warnings stay the
 * same. NULL when nothing would be cut, or the mail is large. */
static GByteArray *
without_unread_headers (const gchar *raw, gsize len)
{
  /* The cut copies the body: for a large mail that is more memory than the
   * fields ever cost. */
  if (len > SHR_MAX_PART_TEXT_BYTES)
    return NULL;
  gsize body = header_block_end (raw, len);
  if (body == 0)
    return NULL;
  GByteArray *out = NULL;
  gboolean keep = TRUE;
  for (gsize at = 0; at < body;)
    {
      const gchar *line = raw + at;
      gsize next = (gsize)((const gchar *)memchr (line, '\n', body - at) - raw) + 1;
      /* A field's first line decides for its continuation lines; the
       * blank line that ends the block has no colon and stays. */
      if (line[0] != ' ' && line[0] != '\t')
        {
          const gchar *colon = memchr (line, ':', next - at);
          keep = colon == NULL || header_is_read (line, colon - line);
        }
      if (!keep && out == NULL)
        {
          out = g_byte_array_sized_new (len);
          g_byte_array_append (out, (const guint8 *)raw, at);
        }
      else if (keep && out != NULL)
        g_byte_array_append (out, (const guint8 *)line, next - at);
      at = next;
    }
  if (out != NULL)
    g_byte_array_append (out, (const guint8 *)raw + body, len - body);
  return out;
}

/* Parses the message that @context's stream holds. (transfer full) The
 * object whose header list is the mail's headers: the mail's top MIME part
 * itself, with every header of the mail on it, or a GMimeMessage; NULL when
 * the parser found no message.
 *
 * A mail is first parsed as a MIME part: a GMimeMessage parses every
 * address header, the Date and the Subject as they are added and keeps six
 * address lists, about a third of the parser's work, none of which the
 * reader uses (it decodes the Subject and From by its own rules, parses From
 * once and reads the Date and Message-Id as the message would). The two
 * parses differ only in what a well-formed mail does not have: an mbox
 * "From " line before the headers (no part then), a top part that is
 * itself a message, and a message whose parse ends in an error (GMime then
 * warns that the message is malformed, and every way to that end warns of
 * something first). Whenever the part's parse found any of these, or
 * anything to warn about, the mail is parsed again as a message, and only
 * that parse's warnings are kept. */
static GMimeObject *
parse_mail (ReadContext *context, GPtrArray *warnings)
{
  g_autoptr (GPtrArray) noticed = g_ptr_array_new_with_free_func (g_free);
  g_mime_stream_mem_set_byte_array (GMIME_STREAM_MEM (context->stream), context->view);
  g_mime_parser_init_with_stream (context->parser, context->stream);
  g_mime_parser_options_set_warning_callback (context->options, parser_warning, noticed);
  GMimeObject *part = g_mime_parser_construct_part (context->parser, context->options);
  g_mime_parser_options_set_warning_callback (context->options, NULL, NULL);
  if (part != NULL && noticed->len == 0 && !GMIME_IS_MESSAGE_PART (part))
    return part;
  g_clear_object (&part);

  g_mime_stream_mem_set_byte_array (GMIME_STREAM_MEM (context->stream), context->view);
  g_mime_parser_init_with_stream (context->parser, context->stream);
  g_mime_parser_options_set_warning_callback (context->options, parser_warning, warnings);
  GMimeMessage *message = g_mime_parser_construct_message (context->parser, context->options);
  g_mime_parser_options_set_warning_callback (context->options, NULL, NULL);
  return message != NULL ? GMIME_OBJECT (message) : NULL;
}

ShrMessage *
shr_message_read_bytes (GBytes *data, const gchar *name, GError **error)
{
  gsize len = 0;
  const gchar *raw = g_bytes_get_data (data, &len);
  if (len == 0)
    {
      g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_EMPTY, "%s: empty file", name);
      return NULL;
    }
  if (len > SHR_MAX_MESSAGE_BYTES)
    {
      g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_TOO_BIG,
                   "%s: %zu bytes is larger than the %d bytes a message may have", name, len,
                   SHR_MAX_MESSAGE_BYTES);
      return NULL;
    }
  if (!looks_like_mail (raw, len))
    {
      g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_NOT_MAIL,
                   "%s: not a mail message (no header line at the start)", name);
      return NULL;
    }
  if (!prescan (raw, len, name, error))
    return NULL;

  ShrMessage *m = g_new0 (ShrMessage, 1);
  m->links = g_ptr_array_new_with_free_func (g_free);
  m->warnings = g_ptr_array_new_with_free_func (g_free);
  m->references = g_ptr_array_new_with_free_func (g_free);
  m->auth_results = g_ptr_array_new_with_free_func (g_free);

  /* GMime stops reading a header at a NUL byte; a NUL has no meaning in
   * mail text, so it becomes a space and the rest is still read. */
  g_autofree gchar *copy = NULL;
  if (memchr (raw, '\0', len) != NULL)
    {
      copy = g_memdup2 (raw, len);
      for (gsize i = 0; i < len; i++)
        if (copy[i] == '\0')
          copy[i] = ' ';
      raw = copy;
      g_ptr_array_add (m->warnings, g_strdup ("NUL bytes in the message were replaced by spaces"));
    }

  ensure_gmime ();

  /* The stream reads the caller's bytes in place (not owned, not copied):
   * the parser's parts are substreams of it, so a large message is held
   * once. @data outlives the stream's use and every object made from it
   * here; the context lets go of the bytes before returning. */
  ReadContext *context = read_context ();
  /* Declared before @outer: freed after every object parsed from it. */
  g_autoptr (GByteArray) read_part = without_unread_headers (raw, len);
  context->view->data = read_part != NULL ? read_part->data : (guint8 *)raw;
  context->view->len = read_part != NULL ? read_part->len : len;
  g_autoptr (GMimeObject) outer = parse_mail (context, m->warnings);
  if (outer == NULL)
    {
      read_context_release (context);
      shr_message_free (m);
      g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_NOT_MAIL,
                   "%s: not a mail message (MIME parser found no message)", name);
      return NULL;
    }

  /* The mail's MIME tree: @outer itself, or the part of a GMimeMessage. */
  GMimeObject *tree = GMIME_IS_MESSAGE (outer) ? g_mime_message_get_mime_part (GMIME_MESSAGE (outer)) : outer;
  take_headers (m, outer);
  take_envelope (m, outer);
  m->outer_subject = g_strdup (m->subject);
  m->outer_message_id = g_strdup (m->message_id);
  m->outer_date = g_strdup (m->date);
  const gchar *list_id = g_mime_object_get_header (outer, "List-Id");
  m->list_id = list_id ? g_strdup (list_id) : NULL;
  g_autofree gchar *outer_from = g_strdup (m->from);

  GString *all = g_string_new (NULL);
  Level level;
  level_init (&level, m->warnings);
  level.reply_part = first_inline_plain (tree, 0);
  walk (tree, &level, 0);
  take_reply_text (m, &level);
  g_string_append (all, level.text->str);
  gchar *body = g_strdup (level.text->str);
  m->html_title = g_steal_pointer (&level.html_title);
  merge_links (m, level.links);

  /* Forwarded as attachment (message/rfc822), maybe nested: the innermost
   * message that carries text is the original advisory. */
  guint depth = 0;
  g_autoptr (GPtrArray) pending = g_steal_pointer (&level.attached);
  level.attached = g_ptr_array_new_with_free_func (g_object_unref);
  level_clear (&level);
  while (pending->len > 0)
    {
      if (++depth > SHR_MAX_FORWARD_DEPTH)
        {
          g_ptr_array_add (m->warnings,
                           g_strdup_printf ("forwards nested deeper than %d: the inner ones were not read",
                                            SHR_MAX_FORWARD_DEPTH));
          break;
        }
      GMimeMessage *inner = g_ptr_array_index (pending, 0);
      Level sub;
      level_init (&sub, m->warnings);
      walk (g_mime_message_get_mime_part (inner), &sub, 0);
      if (m->forwarded_by == NULL)
        m->forwarded_by = g_strdup (outer_from);
      take_headers (m, GMIME_OBJECT (inner));
      if (all->len < SHR_MAX_TOTAL_TEXT_BYTES)
        {
          g_string_append (all, "\n\n");
          g_string_append (all, sub.text->str);
        }
      if (sub.text->len > 0 || sub.attached->len > 0)
        {
          g_free (body);
          body = g_strdup (sub.text->str);
        }
      if (sub.html_title != NULL)
        {
          g_free (m->html_title);
          m->html_title = g_steal_pointer (&sub.html_title);
        }
      merge_links (m, sub.links);
      /* Other attached messages at the outer level are read for CVE ids. */
      for (guint i = 1; i < pending->len && all->len < SHR_MAX_TOTAL_TEXT_BYTES; i++)
        {
          Level extra;
          level_init (&extra, m->warnings);
          walk (g_mime_message_get_mime_part (g_ptr_array_index (pending, i)), &extra, 0);
          g_string_append (all, "\n\n");
          g_string_append (all, extra.text->str);
          level_clear (&extra);
        }
      g_ptr_array_unref (pending);
      pending = g_ptr_array_ref (sub.attached);
      level_clear (&sub);
    }

  /* Inline forwards, possibly several deep (a forward of a forward). The
   * lines of the body are split once for both searches below. */
  g_autofree gchar **lines = shr_text_split (body, "\n");
  for (guint d = 0;; d++)
    {
      ForwardHeaders h = { 0 };
      gchar *inner = unwrap_inline_forward (lines, &h);
      if (inner == NULL)
        break;
      if (d == SHR_MAX_FORWARD_DEPTH)
        {
          g_ptr_array_add (
              m->warnings,
              g_strdup_printf ("inline forwards nested deeper than %d: the inner ones were not unwrapped",
                               SHR_MAX_FORWARD_DEPTH));
          forward_headers_clear (&h);
          g_free (inner);
          break;
        }
      if (m->forwarded_by == NULL)
        m->forwarded_by = g_strdup (m->from);
      if (h.subject)
        {
          g_free (m->subject);
          m->subject = g_strdup (h.subject);
        }
      if (h.from)
        {
          g_free (m->from);
          m->from = g_strdup (h.from);
        }
      g_free (m->date);
      m->date = parse_loose_date (h.date);
      forward_headers_clear (&h);
      g_free (body);
      body = inner;
      g_free (lines);
      lines = shr_text_split (body, "\n");
    }

  ForwardHeaders quoted_from = { 0 };
  gchar *unquoted = unwrap_quoted (lines, &quoted_from);
  if (unquoted != NULL)
    {
      /* Quoting a whole advisory is forwarding it: the attribution line
       * names the original sender, the mail's own From the forwarder. */
      if (m->forwarded_by == NULL && (quoted_from.from != NULL || subject_says_forward (m->outer_subject)))
        m->forwarded_by = g_strdup (m->from);
      if (quoted_from.from != NULL)
        {
          g_free (m->from);
          m->from = g_strdup (quoted_from.from);
          g_free (m->date);
          m->date = parse_loose_date (quoted_from.date);
        }
      g_free (body);
      body = unquoted;
    }
  forward_headers_clear (&quoted_from);

  gchar *unarmored = strip_pgp_armor (body);
  if (unarmored != NULL)
    {
      g_free (body);
      body = unarmored;
    }
  /* Every part has been read: the objects left to free read no bytes. */
  read_context_release (context);
  m->body = body;
  m->all_text = g_string_free (all, FALSE);
  if (m->body[0] == '\0' && m->all_text[0] == '\0')
    g_ptr_array_add (m->warnings, g_strdup ("no text part could be read"));
  return m;
}

ShrMessage *
shr_message_read_file (const gchar *path, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  if (strcmp (path, "-") == 0)
    {
      g_autoptr (GByteArray) buf = g_byte_array_new ();
      guint8 chunk[65536];
      gsize n;
      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        {
          if (buf->len + n > SHR_MAX_MESSAGE_BYTES)
            {
              g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_TOO_BIG,
                           "(stdin): larger than the %d bytes a message may have", SHR_MAX_MESSAGE_BYTES);
              return NULL;
            }
          g_byte_array_append (buf, chunk, n);
        }
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buf));
      return shr_message_read_bytes (bytes, "(stdin)", error);
    }
  GStatBuf st;
  if (g_stat (path, &st) == 0 && st.st_size > SHR_MAX_MESSAGE_BYTES)
    {
      g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_TOO_BIG,
                   "%s: %lld bytes is larger than the %d bytes a message may have", path,
                   (long long)st.st_size, SHR_MAX_MESSAGE_BYTES);
      return NULL;
    }
  gchar *contents = NULL;
  gsize len = 0;
  GError *local = NULL;
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, SHR_READ_ERROR, SHR_READ_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return NULL;
    }
  bytes = g_bytes_new_take (contents, len);
  return shr_message_read_bytes (bytes, path, error);
}
