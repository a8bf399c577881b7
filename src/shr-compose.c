/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-compose.c — notices as mail: our RFC 2047 encoder, the parts, the
 * headers. */
#include "config.h"

#include "shr-compose.h"

#include <string.h>

#include "shr-text.h"

#define LINE_MAX_ENCODED 76 /* RFC 2047 §2: a line holding encoded words */
#define WORD_MAX 75         /* RFC 2047 §2: one encoded word */
#define LINE_MAX_PLAIN 78   /* RFC 5322 §2.1.1 (SHOULD) */

static gboolean
is_iso2022jp (const gchar *charset)
{
  return charset != NULL && g_ascii_strcasecmp (charset, "iso-2022-jp") == 0;
}

/* @s as ISO-2022-JP (each call returns to ASCII at the end, so a chunk is
 * a self-contained encoded word); NULL when a character has no JIS form. */
static gchar *
to_iso2022jp (const gchar *s, gssize len, gsize *out_len)
{
  return g_convert (s, len, "ISO-2022-JP", "UTF-8", NULL, out_len, NULL);
}

static gboolean
plain_ascii (const gchar *v)
{
  for (const guchar *p = (const guchar *)v; *p; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  /* "=?" would read as the start of an encoded word. */
  return strstr (v, "=?") == NULL;
}

/* Folds printable ASCII at spaces; NULL when a word is too long to fold. */
static gchar *
fold_plain (const gchar *v, gsize used)
{
  g_auto (GStrv) words = g_strsplit (v, " ", -1);
  GString *s = g_string_new (NULL);
  gsize col = used;
  gboolean first = TRUE;
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize wl = strlen (words[i]);
      if (wl + 1 > LINE_MAX_PLAIN)
        {
          g_string_free (s, TRUE);
          return NULL;
        }
      if (first)
        {
          g_string_append (s, words[i]);
          col += wl;
          first = FALSE;
        }
      else if (col + 1 + wl <= LINE_MAX_PLAIN)
        {
          g_string_append_c (s, ' ');
          g_string_append (s, words[i]);
          col += 1 + wl;
        }
      else
        {
          g_string_append (s, "\n ");
          g_string_append (s, words[i]);
          col = 1 + wl;
        }
    }
  return g_string_free (s, FALSE);
}

/* Bytes of @chunk in the word's charset (caller frees). */
static gchar *
chunk_bytes (const gchar *chunk, gsize len, gboolean jis, gsize *out_len)
{
  if (jis)
    return to_iso2022jp (chunk, len, out_len);
  *out_len = len;
  return g_strndup (chunk, len);
}

static gsize
b64_len (gsize n)
{
  return (n + 2) / 3 * 4;
}

gchar *
shr_compose_encode_header (const gchar *value, const gchar *charset, gsize used)
{
  g_autofree gchar *v = shr_text_one_line (value);
  if (plain_ascii (v))
    {
      gchar *folded = fold_plain (v, used);
      if (folded != NULL)
        return folded;
    }

  gboolean jis = is_iso2022jp (charset);
  if (jis)
    {
      gsize n = 0;
      g_autofree gchar *probe = to_iso2022jp (v, -1, &n);
      if (probe == NULL)
        {
          g_message ("header \"%s\": a character has no ISO-2022-JP form; written in UTF-8", v);
          jis = FALSE;
        }
    }
  const gchar *prefix = jis ? "=?ISO-2022-JP?B?" : "=?UTF-8?B?";
  gsize overhead = strlen (prefix) + 2;

  GString *out = g_string_new (NULL);
  /* Room for the first word on the header's own line; a long field name
   * leaves too little, so start on a continuation line. */
  gsize budget = used + WORD_MAX <= LINE_MAX_ENCODED ? WORD_MAX : LINE_MAX_ENCODED - used;
  if (used >= LINE_MAX_ENCODED || budget < overhead + 16)
    {
      g_string_append (out, "\n ");
      budget = WORD_MAX;
    }
  const gchar *start = v;
  while (*start != '\0')
    {
      /* The longest chunk whose B word fits and whose bytes are a multiple
       * of 3, so the word needs no base64 padding: GMime 3.2 (and other
       * decoders that join adjacent words of one charset before decoding)
       * drops whatever follows a padded word. Only the last word may be
       * padded. */
      const gchar *best = NULL, *longest = NULL;
      for (const gchar *end = g_utf8_next_char (start);; end = g_utf8_next_char (end))
        {
          gsize n = 0;
          g_autofree gchar *bytes = chunk_bytes (start, end - start, jis, &n);
          if (bytes == NULL || overhead + b64_len (n) > budget)
            break;
          longest = end;
          if (n % 3 == 0 || *end == '\0')
            best = end;
          if (*end == '\0')
            break;
        }
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append (out, "\n ");
      if (best != NULL)
        {
          gsize n = 0;
          g_autofree gchar *bytes = chunk_bytes (start, best - start, jis, &n);
          g_autofree gchar *b64 = g_base64_encode ((const guchar *)bytes, n);
          g_string_append_printf (out, "%s%s?=", prefix, b64);
          start = best;
        }
      else
        {
          /* No boundary gives a multiple of 3 ("a" then kana): this word
           * is Q-encoded, which has no padding. */
          const gchar *qprefix = jis ? "=?ISO-2022-JP?Q?" : "=?UTF-8?Q?";
          const gchar *end = g_utf8_next_char (start), *fit = end;
          GString *q = NULL;
          for (;;)
            {
              gsize n = 0;
              g_autofree gchar *bytes = chunk_bytes (start, end - start, jis, &n);
              GString *t = g_string_new (NULL);
              for (gsize i = 0; bytes != NULL && i < n; i++)
                {
                  guchar c = bytes[i];
                  if (g_ascii_isalnum (c))
                    g_string_append_c (t, c);
                  else if (c == ' ')
                    g_string_append_c (t, '_');
                  else
                    g_string_append_printf (t, "=%02X", c);
                }
              gboolean fits = bytes != NULL && strlen (qprefix) + 2 + t->len <= budget;
              if (!fits && q != NULL)
                {
                  g_string_free (t, TRUE);
                  break;
                }
              if (q != NULL)
                g_string_free (q, TRUE);
              q = t; /* a single character always goes, fitting or not */
              fit = end;
              if (!fits || *end == '\0' || longest == NULL || end >= longest)
                break;
              end = g_utf8_next_char (end);
            }
          g_string_append_printf (out, "%s%s?=", qprefix, q->str);
          g_string_free (q, TRUE);
          start = fit;
        }
      budget = WORD_MAX;
    }
  return g_string_free (out, FALSE);
}

/* ---- parts ---------------------------------------------------------------- */

static GMimeObject *
utf8_part (const gchar *subtype, const gchar *text)
{
  /* The content is known to be UTF-8: set it as is (set_text would scan
   * it to pick a charset), base64 so it is 7-bit safe through any relay
   * and compact for Japanese. */
  GMimePart *part = g_mime_part_new_with_type ("text", subtype);
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "charset", "utf-8");
  GMimeStream *mem = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream (mem, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, w);
  g_object_unref (w);
  g_object_unref (mem);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT (part);
}

/* JIS X 0208 has no check marks; Japanese forms write ○ and × for the same
 * "applies / does not apply", so the ISO-2022-JP text uses those. */
static gchar *
jis_friendly (const gchar *text)
{
  static const gchar *const map[][2] = {
    { "✓", "○" },
    { "✔", "○" },
    { "✗", "×" },
    { "✘", "×" },
  };
  gchar *s = g_strdup (text);
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (strstr (s, map[i][0]) == NULL)
        continue;
      g_auto (GStrv) pieces = g_strsplit (s, map[i][0], -1);
      g_free (s);
      s = g_strjoinv (map[i][1], pieces);
    }
  return s;
}

static GMimeObject *
text_part (const gchar *text, const gchar *charset)
{
  if (!is_iso2022jp (charset))
    return utf8_part ("plain", text);
  /* GMime's set_text re-chooses the charset, so the ISO-2022-JP part is
   * built by hand (notes/mailstack.md §12). */
  g_autofree gchar *jtext = jis_friendly (text);
  gsize n = 0;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *bytes = g_convert (jtext, -1, "ISO-2022-JP", "UTF-8", NULL, &n, &error);
  if (bytes == NULL)
    {
      g_message ("the text holds a character ISO-2022-JP cannot carry (%s); the text part is UTF-8",
                 error != NULL ? error->message : "conversion failed");
      return utf8_part ("plain", text);
    }
  if (strcmp (jtext, text) != 0)
    g_info ("ISO-2022-JP text part: check marks written as ○ and ×");
  GMimePart *part = g_mime_part_new_with_type ("text", "plain");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "charset", "iso-2022-jp");
  GMimeStream *mem = g_mime_stream_mem_new_with_buffer (bytes, n);
  GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream (mem, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, w);
  g_object_unref (w);
  g_object_unref (mem);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_7BIT);
  return GMIME_OBJECT (part);
}

/* ---- headers -------------------------------------------------------------- */

static gboolean
add_addresses (GMimeMessage *m, GMimeAddressType type, const gchar *field, const gchar *value, GError **error)
{
  g_autofree gchar *line = shr_text_one_line (value);
  InternetAddressList *list = internet_address_list_parse (NULL, line);
  gboolean ok = list != NULL && internet_address_list_length (list) > 0;
  for (int i = 0; ok && i < internet_address_list_length (list); i++)
    {
      InternetAddress *a = internet_address_list_get_address (list, i);
      ok = INTERNET_ADDRESS_IS_MAILBOX (a)
           && strchr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (a)), '@') != NULL;
    }
  if (!ok)
    {
      g_set_error (error, SHR_COMPOSE_ERROR, SHR_COMPOSE_ERROR_ADDRESS, "%s: \"%s\" is not a mail address",
                   field, line);
      g_clear_object (&list);
      return FALSE;
    }
  internet_address_list_append (g_mime_message_get_addresses (m, type), list);
  g_object_unref (list);
  return TRUE;
}

/* Header values we make from data (grade, case id, message ids): one
 * token of printable ASCII without spaces, quotes or angle brackets, at
 * most @max bytes, so the line never needs folding. */
static gchar *
token_value (const gchar *value, gsize max)
{
  g_autofree gchar *line = shr_text_one_line (value);
  GString *s = g_string_new (NULL);
  for (const guchar *p = (const guchar *)line; *p && s->len < max; p++)
    if (*p > 0x20 && *p < 0x7f && strchr ("<>\"\\()[],;", *p) == NULL)
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static const gchar *
domain_of (GMimeMessage *m)
{
  InternetAddressList *from = g_mime_message_get_from (m);
  InternetAddress *a = internet_address_list_get_address (from, 0);
  const gchar *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (a));
  const gchar *at = strrchr (addr, '@');
  return at != NULL && at[1] != '\0' ? at + 1 : "localhost";
}

GMimeMessage *
shr_compose_message (const ShrComposeOptions *o, const gchar *subject, const gchar *text, const gchar *html,
                     GError **error)
{
  g_return_val_if_fail (o != NULL && o->from != NULL && o->to != NULL && text != NULL, NULL);
  if (o->charset != NULL && !is_iso2022jp (o->charset) && g_ascii_strcasecmp (o->charset, "utf-8") != 0)
    {
      g_set_error (error, SHR_COMPOSE_ERROR, SHR_COMPOSE_ERROR_CHARSET,
                   "charset \"%s\": utf-8 or iso-2022-jp", o->charset);
      return NULL;
    }
  g_autoptr (GMimeMessage) m = g_mime_message_new (TRUE);
  if (!add_addresses (m, GMIME_ADDRESS_TYPE_FROM, "From", o->from, error))
    return NULL;
  if (o->to[0] == NULL)
    {
      g_set_error (error, SHR_COMPOSE_ERROR, SHR_COMPOSE_ERROR_ADDRESS, "To: no recipient");
      return NULL;
    }
  for (guint i = 0; o->to[i] != NULL; i++)
    if (!add_addresses (m, GMIME_ADDRESS_TYPE_TO, "To", o->to[i], error))
      return NULL;
  if (o->reply_to != NULL && !add_addresses (m, GMIME_ADDRESS_TYPE_REPLY_TO, "Reply-To", o->reply_to, error))
    return NULL;

  /* GMime would choose Q or B and where to split; ours is B, and never
   * splits a character. Set the header, then replace its raw value. */
  g_autofree gchar *subject_line = shr_text_one_line (subject);
  g_mime_message_set_subject (m, subject_line, "utf-8");
  g_autofree gchar *encoded = shr_compose_encode_header (subject_line, o->charset, strlen ("Subject: "));
  g_autofree gchar *raw = g_strdup_printf (" %s\n", encoded);
  GMimeHeader *h
      = g_mime_header_list_get_header (g_mime_object_get_header_list (GMIME_OBJECT (m)), "Subject");
  g_mime_header_set_raw_value (h, raw);

  if (o->date != NULL)
    g_mime_message_set_date (m, o->date);
  else
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_mime_message_set_date (m, now);
    }
  if (o->message_id != NULL)
    {
      g_autofree gchar *id = token_value (o->message_id, 200);
      g_mime_message_set_message_id (m, id);
    }
  else
    {
      g_autofree gchar *id = g_mime_utils_generate_message_id (domain_of (m));
      g_mime_message_set_message_id (m, id);
    }
  GMimeObject *mo = GMIME_OBJECT (m);
  if (o->in_reply_to != NULL)
    {
      g_autofree gchar *id = token_value (o->in_reply_to, 200);
      g_autofree gchar *ref = g_strdup_printf ("<%s>", id);
      g_mime_object_set_header (mo, "In-Reply-To", ref, NULL);
      g_mime_object_set_header (mo, "References", ref, NULL);
    }
  g_mime_object_set_header (mo, "Auto-Submitted", "auto-generated", NULL);
  if (o->grade != NULL)
    {
      g_autofree gchar *v = token_value (o->grade, 8);
      g_mime_object_set_header (mo, "X-Shirase-Grade", v, NULL);
    }
  if (o->case_id != NULL)
    {
      g_autofree gchar *v = token_value (o->case_id, 60);
      g_mime_object_set_header (mo, "X-Shirase-Case", v, NULL);
    }

  GMimeObject *plain = text_part (text, o->charset);
  if (html == NULL)
    g_mime_message_set_mime_part (m, plain);
  else
    {
      GMimeMultipart *alt = g_mime_multipart_new_with_subtype ("alternative");
      g_mime_multipart_add (alt, plain);
      GMimeObject *h_part = utf8_part ("html", html);
      g_mime_multipart_add (alt, h_part);
      g_object_unref (h_part);
      g_mime_message_set_mime_part (m, GMIME_OBJECT (alt));
      g_object_unref (alt);
    }
  g_object_unref (plain);
  return g_steal_pointer (&m);
}

gchar *
shr_compose_to_string (GMimeMessage *message, gboolean crlf)
{
  GMimeFormatOptions *fo = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (fo, crlf ? GMIME_NEWLINE_FORMAT_DOS : GMIME_NEWLINE_FORMAT_UNIX);
  gchar *s = g_mime_object_to_string (GMIME_OBJECT (message), fo);
  g_mime_format_options_free (fo);
  return s;
}
