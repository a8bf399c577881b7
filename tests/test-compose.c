/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of mail composition: the message parsed back with GMime gives the
 * same Subject and bodies in UTF-8 and in ISO-2022-JP; the fallback to
 * UTF-8; our RFC 2047 encoder (words ≤ 75 characters, lines ≤ 76, no
 * split character: each word decodes alone); and hostile titles (CR/LF,
 * "\r\nBcc: x@y", very long Japanese, <script>) through the whole
 * pipeline: no extra header, no broken encoded word, no active HTML. */
#include <string.h>

#include "shr-compose.h"
#include "shr-config.h"
#include "shr-match.h"
#include "shr-notice.h"
#include "shr-render.h"
#include "test-util.h"

static const gchar *const to_one[] = { "it-admins@example.co.jp", NULL };

static ShrComposeOptions
options (const gchar *charset)
{
  static GDateTime *date;
  if (date == NULL)
    date = g_date_time_new_from_iso8601 ("2026-03-16T10:00:00+09:00", NULL);
  ShrComposeOptions o = {
    .from = "shirase <shirase@example.co.jp>",
    .to = to_one,
    .reply_to = "security@example.co.jp",
    .charset = charset,
    .message_id = "notice-1@example.co.jp",
    .date = date,
    .grade = "A",
    .case_id = "news:1c6c2c49b226a4b5",
  };
  return o;
}

static GMimeMessage *
parse (const gchar *text)
{
  GMimeStream *mem = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeParser *parser = g_mime_parser_new_with_stream (mem);
  GMimeMessage *m = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (mem);
  g_assert_nonnull (m);
  return m;
}

/* The text/plain and text/html parts of @m (borrowed). */
static void
parts (GMimeMessage *m, GMimeTextPart **plain, GMimeTextPart **html)
{
  *plain = *html = NULL;
  GMimeObject *body = g_mime_message_get_mime_part (m);
  if (GMIME_IS_MULTIPART (body))
    {
      g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (body)), ==,
                       "alternative");
      GMimeMultipart *mp = GMIME_MULTIPART (body);
      g_assert_cmpint (g_mime_multipart_get_count (mp), ==, 2);
      *plain = GMIME_TEXT_PART (g_mime_multipart_get_part (mp, 0));
      *html = GMIME_TEXT_PART (g_mime_multipart_get_part (mp, 1));
      g_assert_cmpstr (
          g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (GMIME_OBJECT (*html))), ==,
          "html");
    }
  else
    *plain = GMIME_TEXT_PART (body);
}

/* A 7bit part keeps the message's CR LF line ends; mail clients show LF. */
static gchar *
lf (gchar *text)
{
  GString *s = g_string_new (text);
  g_free (text);
  g_string_replace (s, "\r\n", "\n", 0);
  return g_string_free (s, FALSE);
}

static gchar *
compose_string (const ShrComposeOptions *o, const gchar *subject, const gchar *text, const gchar *html)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeMessage) m = shr_compose_message (o, subject, text, html, &error);
  g_assert_no_error (error);
  return shr_compose_to_string (m, TRUE);
}

/* The raw header block (up to the first empty line), unfolded lines kept. */
static gchar *
header_block (const gchar *raw)
{
  const gchar *end = strstr (raw, "\r\n\r\n");
  g_assert_nonnull (end);
  return g_strndup (raw, end - raw + 2);
}

/* Every header line at most 76 characters when it holds an encoded word
 * (RFC 2047 §2), at most 78 otherwise; each encoded word at most 75
 * characters, B-encoded, and decoding alone to valid UTF-8 (so no
 * character is split between words). Returns the number of words. */
static guint
check_encoded_words (const gchar *headers)
{
  g_auto (GStrv) lines = g_strsplit (headers, "\r\n", -1);
  guint words = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const gchar *line = lines[i];
      gboolean has_word = strstr (line, "=?") != NULL;
      /* Message-ID and Content-Type lines are GMime's; ours are checked. */
      g_assert_cmpuint (strlen (line), <=, has_word ? 76 : 78);
      for (const gchar *p = strstr (line, "=?"); p != NULL; p = strstr (p, "=?"))
        {
          const gchar *q1 = strchr (p + 2, '?');
          g_assert_nonnull (q1);
          g_assert_true ((q1[1] == 'B' || q1[1] == 'Q') && q1[2] == '?');
          const gchar *end = strstr (q1 + 3, "?=");
          g_assert_nonnull (end);
          gsize len = end + 2 - p;
          g_assert_cmpuint (len, <=, 75);
          g_autofree gchar *charset = g_strndup (p + 2, q1 - (p + 2));
          g_autofree gchar *b64 = g_strndup (q1 + 3, end - (q1 + 3));
          gsize n = 0;
          g_autofree guchar *bytes = NULL;
          if (q1[1] == 'B')
            bytes = g_base64_decode (b64, &n);
          else
            {
              GString *q = g_string_new (NULL);
              for (const gchar *c = b64; *c; c++)
                if (*c == '=' && g_ascii_isxdigit (c[1]) && g_ascii_isxdigit (c[2]))
                  {
                    g_string_append_c (q, g_ascii_xdigit_value (c[1]) * 16 + g_ascii_xdigit_value (c[2]));
                    c += 2;
                  }
                else
                  g_string_append_c (q, *c == '_' ? ' ' : *c);
              n = q->len;
              bytes = (guchar *)g_string_free (q, FALSE);
            }
          g_autofree gchar *utf8 = NULL;
          if (g_ascii_strcasecmp (charset, "UTF-8") == 0)
            utf8 = g_strndup ((const gchar *)bytes, n);
          else
            {
              g_assert_cmpstr (charset, ==, "ISO-2022-JP");
              utf8 = g_convert ((const gchar *)bytes, n, "UTF-8", "ISO-2022-JP", NULL, NULL, NULL);
              g_assert_nonnull (utf8);
              /* Each word ends in ASCII: its last escape is ESC ( B. */
              const guchar *esc = NULL;
              for (gsize k = 0; k < n; k++)
                if (bytes[k] == 0x1b)
                  esc = bytes + k;
              if (esc != NULL)
                g_assert_true (esc + 3 <= bytes + n && memcmp (esc, "\x1b(B", 3) == 0);
            }
          g_assert_true (g_utf8_validate (utf8, -1, NULL));
          words++;
          p = end + 2;
        }
    }
  return words;
}

static const gchar *const text_ja = "【A 即日】脆弱性｜JPCERT/CC（日本語ソース）｜2026年3月16日(月)\n"
                                    "■ 一言でいうと\nIvanti Connect Secureに脆弱性が公表されました。\n";
static const gchar *const html_ja = "<!DOCTYPE html>\n<html><body><p>一言でいうと</p></body></html>\n";
static const gchar *const subject_ja
    = "【要対応・A 即日】Microsoft Exchange Server: CVE-2021-26855 (悪用確認済み)";

static void
test_roundtrip (gconstpointer data)
{
  const gchar *charset = data;
  ShrComposeOptions o = options (charset);
  g_autofree gchar *raw = compose_string (&o, subject_ja, text_ja, html_ja);
  g_autoptr (GMimeMessage) m = parse (raw);
  g_assert_cmpstr (g_mime_message_get_subject (m), ==, subject_ja);
  GMimeTextPart *plain, *html;
  parts (m, &plain, &html);
  g_autofree gchar *t = lf (g_mime_text_part_get_text (plain));
  g_autofree gchar *h = g_mime_text_part_get_text (html);
  g_assert_cmpstr (t, ==, text_ja);
  g_assert_cmpstr (h, ==, html_ja);
  g_assert_cmpstr (g_mime_text_part_get_charset (plain), ==, charset != NULL ? charset : "utf-8");
  g_assert_cmpstr (g_mime_text_part_get_charset (html), ==, "utf-8");

  g_autofree gchar *headers = header_block (raw);
  g_assert_cmpuint (check_encoded_words (headers), >=, 2);
  g_assert_nonnull (strstr (headers, charset != NULL ? "=?ISO-2022-JP?B?" : "=?UTF-8?B?"));
  if (charset != NULL)
    g_assert_nonnull (strstr (raw, "Content-Transfer-Encoding: 7bit\r\n"));

  GMimeObject *mo = GMIME_OBJECT (m);
  g_assert_cmpstr (g_mime_object_get_header (mo, "Auto-Submitted"), ==, "auto-generated");
  g_assert_cmpstr (g_mime_object_get_header (mo, "X-Shirase-Grade"), ==, "A");
  g_assert_cmpstr (g_mime_object_get_header (mo, "X-Shirase-Case"), ==, "news:1c6c2c49b226a4b5");
  g_assert_cmpstr (g_mime_message_get_message_id (m), ==, "notice-1@example.co.jp");
  g_assert_nonnull (strstr (headers, "Date: Mon, 16 Mar 2026 10:00:00 +0900\r\n"));
  g_assert_nonnull (strstr (headers, "From: shirase <shirase@example.co.jp>\r\n"));
  g_assert_nonnull (strstr (headers, "To: it-admins@example.co.jp\r\n"));
  g_assert_nonnull (strstr (headers, "Reply-To: security@example.co.jp\r\n"));
}

/* JIS X 0208 has no ✓: written ○ in ISO-2022-JP; é has no JIS form at
 * all: the part falls back to UTF-8, the text intact. */
static void
test_iso2022jp_fallback (void)
{
  ShrComposeOptions o = options ("iso-2022-jp");
  {
    g_autofree gchar *raw = compose_string (&o, "件名", "✓ 自社で運用している\n✗ 該当しない\n", NULL);
    g_autoptr (GMimeMessage) m = parse (raw);
    GMimeTextPart *plain, *html;
    parts (m, &plain, &html);
    g_assert_null (html);
    g_autofree gchar *t = lf (g_mime_text_part_get_text (plain));
    g_assert_cmpstr (t, ==, "○ 自社で運用している\n× 該当しない\n");
    g_assert_cmpstr (g_mime_text_part_get_charset (plain), ==, "iso-2022-jp");
  }
  {
    g_autofree gchar *raw = compose_string (&o, "Café の脆弱性 ☃", "Café の脆弱性\n", NULL);
    g_autoptr (GMimeMessage) m = parse (raw);
    g_assert_cmpstr (g_mime_message_get_subject (m), ==, "Café の脆弱性 ☃");
    GMimeTextPart *plain, *html;
    parts (m, &plain, &html);
    g_autofree gchar *t = g_mime_text_part_get_text (plain);
    g_assert_cmpstr (t, ==, "Café の脆弱性\n");
    g_assert_cmpstr (g_mime_text_part_get_charset (plain), ==, "utf-8");
    g_autofree gchar *headers = header_block (raw);
    g_assert_nonnull (strstr (headers, "Subject: =?UTF-8?B?"));
    check_encoded_words (headers);
  }
}

static void
test_encode_header (void)
{
  /* Short ASCII stays as it is; long ASCII folds at spaces. */
  g_autofree gchar *a = shr_compose_encode_header ("[Intel] OpenSSL: CVE-2026-0001", NULL, 9);
  g_assert_cmpstr (a, ==, "[Intel] OpenSSL: CVE-2026-0001");
  g_autofree gchar *b = shr_compose_encode_header (
      "[Action Required / A same day] Microsoft Exchange Server and others: CVE-2026-21410 (+3) (exploited)",
      NULL, 9);
  g_assert_cmpstr (b, ==,
                   "[Action Required / A same day] Microsoft Exchange Server and others:\n"
                   " CVE-2026-21410 (+3) (exploited)");
  /* "=?" in ASCII text is encoded, so it cannot read as a word. */
  g_autofree gchar *c = shr_compose_encode_header ("=?utf-8?Q?x?=", NULL, 9);
  g_assert_cmpstr (c, ==, "=?UTF-8?B?PT91dGYtOD9RP3g/PQ==?=");
  /* Japanese: whole characters per word. After "Subject: " the first
   * line holds 13 (39 bytes: 52 base64 + 12 = 64; 9 + 64 ≤ 76), a
   * continuation line 15 (" " + 72 ≤ 76). */
  g_autofree gchar *d = shr_compose_encode_header ("あいうえおかきくけこさしすせそたちつてと", NULL, 9);
  g_assert_cmpstr (d, ==,
                   "=?UTF-8?B?44GC44GE44GG44GI44GK44GL44GN44GP44GR44GT44GV44GX44GZ?=\n"
                   " =?UTF-8?B?44Gb44Gd44Gf44Gh44Gk44Gm44Go?=");
  /* A 4-byte character never straddles two words. */
  GString *emoji = g_string_new (NULL);
  for (guint i = 0; i < 40; i++)
    g_string_append (emoji, i % 3 == 0 ? "😀" : "é");
  g_autofree gchar *e = shr_compose_encode_header (emoji->str, NULL, 9);
  g_autofree gchar *line = g_strconcat ("Subject: ", e, NULL);
  g_autoptr (GString) crlf = g_string_new (line);
  g_string_replace (crlf, "\n", "\r\n", 0);
  g_assert_cmpuint (check_encoded_words (crlf->str), >=, 3);
  g_string_free (emoji, TRUE);

  /* "a" then kana: no prefix is a multiple of 3 bytes, so the first word
   * is Q-encoded (a padded B word would make GMime drop the rest). Every
   * word still fits and the whole decodes back. */
  const gchar *mixed = "aあいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ";
  g_autofree gchar *f = shr_compose_encode_header (mixed, NULL, 9);
  g_assert_true (g_str_has_prefix (f, "=?UTF-8?Q?a=E3=81=82"));
  g_autofree gchar *fline = g_strconcat ("Subject: ", f, NULL);
  g_autoptr (GString) fcrlf = g_string_new (fline);
  g_string_replace (fcrlf, "\n", "\r\n", 0);
  check_encoded_words (fcrlf->str);
  g_autofree gchar *unfolded = g_strdelimit (g_strdup (f), "\n", ' ');
  g_autofree gchar *decoded = g_mime_utils_header_decode_text (NULL, unfolded);
  g_assert_cmpstr (decoded, ==, mixed);
}

static void
test_bad_address (void)
{
  ShrComposeOptions o = options (NULL);
  o.from = "not an address";
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeMessage) m = shr_compose_message (&o, "x", "x", NULL, &error);
  g_assert_null (m);
  g_assert_error (error, SHR_COMPOSE_ERROR, SHR_COMPOSE_ERROR_ADDRESS);
  g_assert_cmpstr (error->message, ==, "From: \"not an address\" is not a mail address");

  g_clear_error (&error);
  o = options ("shift_jis");
  g_autoptr (GMimeMessage) m2 = shr_compose_message (&o, "x", "x", NULL, &error);
  g_assert_null (m2);
  g_assert_error (error, SHR_COMPOSE_ERROR, SHR_COMPOSE_ERROR_CHARSET);
}

/* ---- hostile titles through the whole pipeline ---------------------------- */

static void
test_hostile_title (gconstpointer data)
{
  const gchar *title = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrWordTables) tables = test_word_tables ();
  ShrVocabulary vocab = shr_word_tables_vocabulary (tables);
  g_autoptr (ShrProfile) profile = shr_profile_new ("株式会社サンプル");
  ShrAsset *asset = shr_asset_new ("exchange", "Exchange Server");
  asset->vendor = g_strdup ("Microsoft");
  shr_profile_add_asset (profile, asset);
  shr_profile_build_index (profile, &vocab);

  g_autoptr (ShrRecord) r = shr_record_new ();
  r->lang = g_strdup ("en");
  r->title = g_strdup (title);
  r->summary = g_strdup (title);
  r->source_name = g_strdup (title);
  r->category = g_strdup ("vulnerability");
  /* The product name comes from the mail too: it reaches the Subject. */
  g_autofree gchar *product = g_strconcat ("Exchange Server", strlen (title) < 100 ? title : "", NULL);
  shr_record_add_product (r, "Microsoft", "Exchange Server");
  shr_record_add_product (r, title, product);
  shr_record_add_cve (r, "CVE-2026-21410")->cvss = 9.8;
  r->exploited = SHR_TRISTATE_TRUE;
  g_ptr_array_add (r->mitigations, g_strdup (title));
  g_ptr_array_add (r->references, g_strdup (title));
  shr_record_finish (r);
  g_autoptr (GDateTime) now = g_date_time_new_from_iso8601 ("2026-03-16T10:00:00+09:00", NULL);
  g_autoptr (ShrMatch) m = shr_match_record (profile, &vocab, r, now);
  g_autoptr (JsonNode) view = shr_notice_view_new (r, m, profile, NULL, now);
  g_autofree gchar *dir = g_build_filename (test_srcdir (), "templates", NULL);
  g_autoptr (ShrRenderer) renderer = shr_renderer_new (dir, &error);
  g_assert_no_error (error);

  for (guint lang = SHR_RENDER_LANG_JA; lang <= SHR_RENDER_LANG_BOTH; lang++)
    for (guint cs = 0; cs < 2; cs++)
      {
        g_autoptr (ShrRendered) out = shr_renderer_notice (renderer, view, lang, &error);
        g_assert_no_error (error);
        g_assert_null (strchr (out->subject, '\r'));
        g_assert_null (strchr (out->subject, '\n'));
        ShrComposeOptions o = options (cs == 0 ? NULL : "iso-2022-jp");
        o.case_id = title;
        o.grade = title;
        g_autofree gchar *raw = compose_string (&o, out->subject, out->text, out->html);
        g_autofree gchar *headers = header_block (raw);
        check_encoded_words (headers);

        g_autoptr (GMimeMessage) parsed = parse (raw);
        g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, out->subject);
        /* Exactly the headers we wrote, none more. */
        GMimeHeaderList *list = g_mime_object_get_header_list (GMIME_OBJECT (parsed));
        const gchar *expected[]
            = { "Date",       "From",           "Reply-To",        "Subject",        "To",
                "Message-Id", "Auto-Submitted", "X-Shirase-Grade", "X-Shirase-Case", "MIME-Version" };
        g_assert_cmpint (g_mime_header_list_get_count (list), ==, G_N_ELEMENTS (expected));
        for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
          g_assert_true (g_mime_header_list_contains (list, expected[i]));
        g_assert_false (g_mime_header_list_contains (list, "Bcc"));
        /* And in the raw block: each line is a continuation or one of
         * these fields (Content-Type is the body's, written after). */
        g_auto (GStrv) lines = g_strsplit (headers, "\r\n", -1);
        for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
          {
            if (lines[i][0] == ' ' || lines[i][0] == '\t')
              continue;
            g_autofree gchar *name = g_strndup (lines[i], strcspn (lines[i], ":"));
            gboolean known = g_ascii_strcasecmp (name, "Content-Type") == 0;
            for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
              known |= g_ascii_strcasecmp (name, expected[k]) == 0;
            if (!known)
              g_test_message ("unexpected header line: %s", lines[i]);
            g_assert_true (known);
          }
        g_assert_null (g_strstr_len (headers, -1, "\nBcc"));
        g_assert_cmpuint (
            internet_address_list_length (g_mime_message_get_addresses (parsed, GMIME_ADDRESS_TYPE_BCC)), ==,
            0);
        g_assert_cmpuint (
            internet_address_list_length (g_mime_message_get_addresses (parsed, GMIME_ADDRESS_TYPE_CC)), ==,
            0);
        g_assert_cmpuint (
            internet_address_list_length (g_mime_message_get_addresses (parsed, GMIME_ADDRESS_TYPE_TO)), ==,
            1);

        GMimeTextPart *plain, *html;
        parts (parsed, &plain, &html);
        g_autofree gchar *h = g_mime_text_part_get_text (html);
        g_assert_null (strstr (h, "<script"));
        g_assert_null (strstr (h, "<SCRIPT"));
        g_autofree gchar *t = g_mime_text_part_get_text (plain);
        g_assert_true (g_utf8_validate (t, -1, NULL));
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_data_func ("/compose/roundtrip/utf-8", NULL, test_roundtrip);
  g_test_add_data_func ("/compose/roundtrip/iso-2022-jp", "iso-2022-jp", test_roundtrip);
  g_test_add_func ("/compose/iso-2022-jp/fallback", test_iso2022jp_fallback);
  g_test_add_func ("/compose/encode-header", test_encode_header);
  g_test_add_func ("/compose/bad-address", test_bad_address);
  g_test_add_data_func ("/compose/hostile/crlf", "Exchange flaw\r\nexploited\r\n", test_hostile_title);
  g_test_add_data_func ("/compose/hostile/bcc", "Title\r\nBcc: x@y", test_hostile_title);
  g_test_add_data_func ("/compose/hostile/bcc-first", "\r\nBcc: x@y\r\n\r\n<html>", test_hostile_title);
  g_test_add_data_func ("/compose/hostile/lf-only", "a\nBcc: x@y\nX-Evil: 1", test_hostile_title);
  g_test_add_data_func ("/compose/hostile/script",
                        "<script>alert(1)</script><SCRIPT src=//x></SCRIPT><img src=x onerror=alert(2)>",
                        test_hostile_title);
  GString *long_ja = g_string_new (NULL);
  for (guint i = 0; i < 120; i++)
    g_string_append (long_ja, "非常に長い日本語の件名が続きます、");
  g_test_add_data_func ("/compose/hostile/long-japanese", long_ja->str, test_hostile_title);
  int rc = g_test_run ();
  g_string_free (long_ja, TRUE);
  return rc;
}
