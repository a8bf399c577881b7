/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of bad input: what a user sees when a mail is empty, not mail,
 * broken, huge, deeply nested or crafted to hurt.
 *
 * Every input is generated here in memory (no large files in git) and goes
 * through the same path as `shirase extract`: shr_message_read_bytes() then
 * shr_extract_message(). Each case checks the outcome a user would check —
 * the error and its message, or the record, its warnings and the facts that
 * must survive the damage — and every record is also checked to be valid
 * UTF-8 in every string of its JSON. */
#include <string.h>

#include <gmime/gmime.h>

#include "shr-error.h"
#include "shr-extract.h"
#include "shr-limits.h"

/* ---- helpers ------------------------------------------------------------ */

/* Every string in @node (keys included) is valid UTF-8 without NUL. */
static void
assert_json_utf8 (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (o);
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_assert_true (g_utf8_validate (l->data, -1, NULL));
            assert_json_utf8 (json_object_get_member (o, l->data));
          }
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (a); i++)
          assert_json_utf8 (json_array_get_element (a, i));
        break;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const gchar *s = json_node_get_string (node);
          if (!g_utf8_validate (s, -1, NULL))
            g_error ("invalid UTF-8 in a JSON string: %s", s);
        }
      break;
    case JSON_NODE_NULL:
      break;
    }
}

/* Checks every record the same way: the JSON is valid UTF-8 and parses
 * back as one object. */
static void
assert_record_sane (const ShrRecord *record)
{
  g_assert_nonnull (record);
  g_autoptr (JsonNode) node = shr_record_to_json (record);
  assert_json_utf8 (node);
  g_autofree gchar *line = shr_record_to_json_string (record, FALSE);
  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_null (strchr (line, '\n'));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  g_assert_no_error (error);
}

static const ShrLexicon *
lexicon (void)
{
  g_autoptr (GError) error = NULL;
  const ShrLexicon *lex = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  g_assert_nonnull (lex);
  return lex;
}

/* Reads @len bytes of @data as the file "@name"; on success extracts and
 * returns the record, and, when @message_out is given, the message. */
static ShrRecord *
run (const gchar *data, gsize len, const gchar *name, ShrMessage **message_out, GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, len);
  g_autoptr (ShrMessage) message = shr_message_read_bytes (bytes, name, error);
  if (message == NULL)
    return NULL;
  ShrRecord *record = shr_extract_message (message, lexicon ());
  assert_record_sane (record);
  if (message_out != NULL)
    *message_out = g_steal_pointer (&message);
  return record;
}

static ShrRecord *
run_string (const GString *mail, ShrMessage **message_out)
{
  g_autoptr (GError) error = NULL;
  ShrRecord *record = run (mail->str, mail->len, "hostile.eml", message_out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

/* The first warning containing every one of the NULL-terminated words, or
 * NULL. */
static const gchar *
find_warning (const ShrRecord *record, ...)
{
  for (guint i = 0; i < record->warnings->len; i++)
    {
      const gchar *w = g_ptr_array_index (record->warnings, i);
      gboolean all = TRUE;
      va_list ap;
      va_start (ap, record);
      for (const gchar *word = va_arg (ap, const gchar *); word != NULL; word = va_arg (ap, const gchar *))
        if (strstr (w, word) == NULL)
          all = FALSE;
      va_end (ap);
      if (all)
        return w;
    }
  return NULL;
}

static void
assert_warning (const ShrRecord *record, const gchar *word, const gchar *word2)
{
  const gchar *w = find_warning (record, word, word2, NULL);
  if (w == NULL)
    {
      g_autoptr (GString) all = g_string_new (NULL);
      for (guint i = 0; i < record->warnings->len; i++)
        g_string_append_printf (all, "\n  %s", (gchar *)g_ptr_array_index (record->warnings, i));
      g_error ("no warning with \"%s\"%s%s; warnings:%s", word, word2 ? " and " : "", word2 ? word2 : "",
               all->len ? all->str : " (none)");
    }
}

static gboolean
has_cve (const ShrRecord *record, const gchar *id)
{
  return shr_record_find_cve (record, id) != NULL;
}

static void
assert_cve (const ShrRecord *record, const gchar *id)
{
  if (!has_cve (record, id))
    g_error ("%s not found among %u CVEs", id, record->cves->len);
}

static void
append_headers (GString *mail, const gchar *subject, const gchar *content_type)
{
  g_string_append_printf (mail,
                          "From: Security Team <security@example.org>\r\n"
                          "To: admins@example.co.jp\r\n"
                          "Date: Tue, 10 Mar 2026 09:00:00 +0900\r\n"
                          "Message-ID: <hostile-%u@example.org>\r\n"
                          "Subject: %s\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: %s\r\n\r\n",
                          g_str_hash (subject), subject, content_type);
}

static const gchar advisory_text[]
    = "A vulnerability has been found in the Example HTTP server that may allow\r\n"
      "a remote attacker to execute arbitrary code. This issue is tracked as\r\n"
      "CVE-2026-11111.\r\n";

/* ---- not mail ------------------------------------------------------------ */

static void
test_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRecord) r = run ("", 0, "empty.eml", NULL, &error);
  g_assert_null (r);
  g_assert_error (error, SHR_READ_ERROR, SHR_READ_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "empty.eml"));
}

static void
assert_not_mail (const gchar *data, gsize len, const gchar *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRecord) r = run (data, len, name, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, SHR_READ_ERROR, SHR_READ_ERROR_NOT_MAIL);
  g_assert_nonnull (strstr (error->message, name));
}

static void
test_not_mail_binary (void)
{
  /* Fixed seed: the same garbage every run. */
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260310);
  gsize len = 64 * 1024;
  g_autofree guint8 *data = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int_range (rand, 0, 256);
  data[0] = 0x00; /* no header name starts with a control byte */
  assert_not_mail ((const gchar *)data, len, "garbage.bin");
}

static void
test_not_mail_jpeg (void)
{
  static const guint8 jpeg[] = {
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00, 0x01, 0x01,
    0x01, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x08,
    0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07, 0x07, 0x09, 0xFF, 0xD9,
  };
  assert_not_mail ((const gchar *)jpeg, sizeof jpeg, "photo.jpg");
}

static void
test_not_mail_prose (void)
{
  static const gchar prose[] = "Dear all,\n\nplease patch the web servers this week. CVE-2026-11111 is\n"
                               "being exploited, says the vendor.\n\nRegards,\nTaro\n";
  assert_not_mail (prose, strlen (prose), "notes.txt");
}

/* ---- broken MIME --------------------------------------------------------- */

static void
test_truncated_multipart (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: Example HTTP server", "multipart/mixed; boundary=\"=-cut-here\"");
  g_string_append (mail, "This is a multi-part message in MIME format.\r\n\r\n"
                         "--=-cut-here\r\n"
                         "Content-Type: text/plain; charset=us-ascii\r\n\r\n");
  g_string_append (mail, advisory_text);
  g_string_append (mail, "\r\n--=-cut-here\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\n"
                         "QWZmZWN0ZWQgdmVyc2lvbnM6IDIuNC4wIHRvIDIuNC41OQpGaXhlZCBpbjogMi40LjYw\r\n"
                         "QWZmZWN0ZWQgdmVyc2lv");
  /* ... and the file ends mid-part, mid-line. */
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  assert_warning (r, "truncated", NULL);
  assert_cve (r, "CVE-2026-11111");
  g_assert_cmpstr (r->title, ==, "Security advisory: Example HTTP server");
}

static void
test_unclosed_boundary (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: Example HTTP server", "multipart/alternative; boundary=\"b1\"");
  g_string_append (mail, "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
  g_string_append (mail, advisory_text);
  g_string_append (mail, "--b1\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n"
                         "<p>A vulnerability (CVE-2026-11111).</p>\r\n");
  /* No "--b1--": the boundary never closes. */
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  /* GMime reports a multipart that ends without its closing boundary as a
   * truncated message; either wording tells the user. */
  if (find_warning (r, "boundary", NULL) == NULL)
    assert_warning (r, "truncated", NULL);
  assert_cve (r, "CVE-2026-11111");
}

static void
test_boundary_never_seen (void)
{
  /* The header names a boundary that the body never uses. */
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: Example HTTP server", "multipart/mixed; boundary=\"never-used\"");
  g_string_append (mail, advisory_text);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_assert_cmpuint (r->warnings->len, >, 0);
  g_assert_cmpstr (r->title, ==, "Security advisory: Example HTTP server");
}

/* The reader parses a mail as a MIME part and parses it again as a
 * message when GMime finds anything wrong: these are the cases where the
 * two parses differ, and each must read as a message would. */

/* The record of a plain-text advisory mail with @first_line before its
 * headers. */
static ShrRecord *
run_advisory_after (const gchar *first_line)
{
  g_autoptr (GString) mail = g_string_new (first_line);
  append_headers (mail, "Security advisory: Example HTTP server", "text/plain; charset=us-ascii");
  g_string_append (mail, advisory_text);
  return run_string (mail, NULL);
}

static void
test_mbox_from_line (void)
{
  /* A mail saved from an mbox keeps its "From " separator line. */
  g_autoptr (ShrRecord) r = run_advisory_after ("From security@example.org Tue Mar 10 09:00:00 2026\r\n");
  g_assert_cmpstr (r->title, ==, "Security advisory: Example HTTP server");
  g_assert_cmpstr (r->date, ==, "2026-03-10T09:00:00+09");
  assert_cve (r, "CVE-2026-11111");
  g_assert_cmpuint (r->warnings->len, ==, 0);
}

static void
test_boundary_at_end (void)
{
  /* The file ends right after a boundary line: a part announced, never
   * written. GMime reports the truncation and the malformed message. */
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: Example HTTP server", "multipart/mixed; boundary=\"end\"");
  g_string_append (mail, "--end\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
  g_string_append (mail, advisory_text);
  g_string_append (mail, "--end\r\n");
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  assert_warning (r, "truncated", NULL);
  assert_warning (r, "malformed", NULL);
  assert_cve (r, "CVE-2026-11111");
}

static void
test_message_as_top_part (void)
{
  /* A forward whose whole body is the original mail (Content-Type:
   * message/rfc822 on the mail itself). */
  g_autoptr (GString) mail = g_string_new (NULL);
  g_string_append (mail, "From: Forwarder <fwd@example.co.jp>\r\n"
                         "Subject: Fwd: Security advisory\r\n"
                         "Date: Wed, 11 Mar 2026 10:00:00 +0900\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: message/rfc822\r\n\r\n");
  append_headers (mail, "Security advisory: Example HTTP server", "text/plain; charset=us-ascii");
  g_string_append (mail, advisory_text);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_assert_cmpstr (r->title, ==, "Security advisory: Example HTTP server");
  g_assert_cmpstr (r->forwarded_by, ==, "Forwarder <fwd@example.co.jp>");
  g_assert_cmpstr (r->date, ==, "2026-03-10T09:00:00+09");
  assert_cve (r, "CVE-2026-11111");
}

static void
test_repeated_date (void)
{
  /* Two Date headers: the last one counts, as GMime's message reads it. */
  g_autoptr (ShrRecord) r = run_advisory_after ("Date: Mon, 09 Mar 2026 08:00:00 +0000\r\n");
  g_assert_cmpstr (r->date, ==, "2026-03-10T09:00:00+09");
}

/* A mail as a real server delivers it: most of its header is fields the
 * reader never reads (Received, DKIM, ARC, X-MS-*), which GMime is not
 * given; the fields it reads come out as before, folded or encoded. */
static GString *
mail_with_long_header (const gchar *subject, const gchar *mailer)
{
  GString *mail = g_string_new (NULL);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (mail,
                            "Received: from relay%u.example.net (relay%u.example.net [192.0.2.%u])\r\n"
                            "\tby mx.example.co.jp with ESMTPS id %u; Tue, 10 Mar 2026 09:00:0%u +0900\r\n",
                            i, i, i + 1, 1000 + i, i);
  g_string_append (mail, "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1;\r\n"
                         "\th=from:to:subject:date; bh=YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=;\r\n"
                         "\tb=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n"
                         "Authentication-Results: mx.example.co.jp; spf=pass smtp.mailfrom=example.org\r\n"
                         "Authentication-Results: mx.example.co.jp; dkim=pass header.d=example.org\r\n"
                         "ARC-Seal: i=1; a=rsa-sha256; t=1773100800; cv=none; d=example.net; s=arc\r\n"
                         "From: Security Team <security@example.org>\r\n"
                         "To: admins@example.co.jp,\r\n ops@example.co.jp\r\n");
  g_string_append_printf (mail, "X-Mailer: %s\r\n", mailer);
  g_string_append_printf (mail, "Subject: %s\r\n", subject);
  g_string_append (mail, "Date: Tue, 10 Mar 2026 09:00:00 +0900\r\n"
                         "Message-ID: <long-header@example.org>\r\n"
                         "In-Reply-To: <earlier@example.org>\r\n"
                         "References: <first@example.org>\r\n <earlier@example.org>\r\n"
                         "List-Id: Example security announcements <security.example.org>\r\n"
                         "Precedence: bulk\r\n"
                         "X-MS-Exchange-Organization-SCL: 1\r\n"
                         "X-Shirase-Test: 1\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                         "A vulnerability has been found in the Example HTTP server =E2=80=94 tracked\r\n"
                         "as CVE-2026-11111.\r\n");
  return mail;
}

static void
test_unread_headers (void)
{
  g_autoptr (GString) mail = mail_with_long_header (
      "=?UTF-8?B?44K744Kt44Ol44Oq44OG44Kj5oOF5aCx?= Example HTTP\r\n server", "=?UTF-8?Q?bad,word?=");
  g_autoptr (ShrMessage) m = NULL;
  g_autoptr (ShrRecord) r = run_string (mail, &m);
  g_assert_cmpstr (m->subject, ==, "セキュリティ情報 Example HTTP server");
  g_assert_cmpstr (m->from, ==, "Security Team <security@example.org>");
  g_assert_cmpstr (m->sender, ==, "security@example.org");
  g_assert_cmpstr (m->message_id, ==, "long-header@example.org");
  g_assert_cmpuint (m->references->len, ==, 2);
  g_assert_cmpuint (m->auth_results->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (m->auth_results, 1), "dkim=pass"));
  g_assert_cmpstr (m->list_id, ==, "Example security announcements <security.example.org>");
  /* Precedence: bulk with a List-Id is a list's mail, not an automatic reply. */
  g_assert_null (m->automatic);
  g_assert_true (m->ours);
  g_assert_cmpstr (r->date, ==, "2026-03-10T09:00:00+09");
  assert_cve (r, "CVE-2026-11111");
  g_assert_nonnull (strstr (r->summary, "server — tracked"));
  g_assert_cmpuint (r->warnings->len, ==, 0);

  /* The same malformed word in the Subject is read as GMime reads it. */
  g_autoptr (GString) broken = mail_with_long_header ("=?UTF-8?Q?bad,word?= advisory", "Example Mailer 1.0");
  g_autoptr (ShrMessage) b = NULL;
  g_autoptr (ShrRecord) rb = run_string (broken, &b);
  g_assert_cmpstr (b->subject, ==, "bad,word advisory");
  assert_cve (rb, "CVE-2026-11111");
}

/* A multipart of @n parts, the advisory in the first. */
static GString *
many_parts (guint n)
{
  GString *mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: many parts", "multipart/mixed; boundary=\"p\"");
  g_string_append (mail, "--p\r\nContent-Type: text/plain\r\n\r\n");
  g_string_append (mail, advisory_text);
  for (guint i = 1; i < n; i++)
    g_string_append_printf (mail, "--p\r\nContent-Type: text/plain\r\n\r\npart %u\r\n", i);
  g_string_append (mail, "--p--\r\n");
  return mail;
}

static void
test_many_parts (void)
{
  /* As many as the pre-scan lets through: the first SHR_MAX_MIME_PARTS
   * are read, the rest reported. */
  g_autoptr (GString) mail = many_parts (SHR_MAX_RAW_PARTS);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_autofree gchar *cap = g_strdup_printf ("%d", SHR_MAX_MIME_PARTS);
  assert_warning (r, "parts", cap);
  assert_cve (r, "CVE-2026-11111");
}

/* Over a cap of the pre-scan: refused before GMime builds anything, the
 * error naming the cap. */
static void
assert_refused (const GString *mail, const gchar *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRecord) r = run (mail->str, mail->len, "hostile.eml", NULL, &error);
  g_assert_null (r);
  g_assert_error (error, SHR_READ_ERROR, SHR_READ_ERROR_LIMIT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_prescan_parts (void)
{
  g_autoptr (GString) mail = many_parts (SHR_MAX_RAW_PARTS + 1);
  g_autofree gchar *words = g_strdup_printf ("more than %d MIME parts", SHR_MAX_RAW_PARTS);
  assert_refused (mail, words);
  /* 100,000 parts, the shape that made GMime build 100,000 objects. */
  g_autoptr (GString) huge = many_parts (100000);
  assert_refused (huge, words);
}

static void
test_prescan_header_lines (void)
{
  /* The header bomb: a mail of short header lines, a few MB, that GMime
   * would hold as hundreds of bytes each. */
  g_autoptr (GString) mail = g_string_new ("From: a@example.org\r\nSubject: Advisory\r\n");
  for (guint i = 0; i < 500000; i++)
    g_string_append (mail, "X: y\r\n");
  g_string_append (mail, "\r\n");
  g_string_append (mail, advisory_text);
  g_autofree gchar *words = g_strdup_printf ("more than %d header lines", SHR_MAX_HEADER_LINES);
  assert_refused (mail, words);
  /* The same bomb in a part's headers, and in an attached message's. */
  static const struct
  {
    const gchar *content_type, *before, *after;
  } inner[] = {
    { "multipart/mixed; boundary=\"b\"", "--b\r\n", "\r\ntext\r\n--b--\r\n" },
    { "message/rfc822", "From: b@example.org\r\n", "\r\ntext\r\n" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (inner); k++)
    {
      g_autoptr (GString) nested = g_string_new (NULL);
      append_headers (nested, "Advisory", inner[k].content_type);
      g_string_append (nested, inner[k].before);
      for (guint i = 0; i < SHR_MAX_HEADER_LINES; i++)
        g_string_append (nested, "X: y\r\n");
      g_string_append (nested, inner[k].after);
      assert_refused (nested, words);
    }
}

static void
test_prescan_header_block (void)
{
  /* Under the line cap and the line count, over the block's size. */
  g_autoptr (GString) mail = g_string_new ("From: a@example.org\r\n");
  for (guint i = 0; i < 5; i++)
    {
      g_string_append (mail, "X-Long: ");
      for (guint k = 0; k < 250 * 1024; k++)
        g_string_append_c (mail, 'a');
      g_string_append (mail, "\r\n");
    }
  g_string_append (mail, "\r\n");
  g_string_append (mail, advisory_text);
  g_autofree gchar *words = g_strdup_printf ("a header block larger than %d bytes", SHR_MAX_HEADER_BYTES);
  assert_refused (mail, words);
}

static void
test_prescan_line (void)
{
  g_autoptr (GString) mail = g_string_new ("From: a@example.org\r\nSubject: x\r\n\r\n");
  g_string_append (mail, advisory_text);
  for (guint k = 0; k <= SHR_MAX_LINE_BYTES; k++)
    g_string_append_c (mail, 'a');
  g_string_append (mail, "\r\n");
  g_autofree gchar *words = g_strdup_printf ("over the %d bytes a line may have", SHR_MAX_LINE_BYTES);
  assert_refused (mail, words);
}

static void
test_deep_multipart (void)
{
  /* 1,000 multiparts inside one another: GMime's nesting limit or ours
   * stops it; the recursion must not blow the stack. */
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: deep", "multipart/mixed; boundary=\"d0\"");
  for (guint i = 1; i < 1000; i++)
    g_string_append_printf (mail, "--d%u\r\nContent-Type: multipart/mixed; boundary=\"d%u\"\r\n\r\n", i - 1,
                            i);
  g_string_append (mail, "--d999\r\nContent-Type: text/plain\r\n\r\n");
  g_string_append (mail, advisory_text);
  for (guint i = 1000; i > 0; i--)
    g_string_append_printf (mail, "--d%u--\r\n", i - 1);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_assert_cmpuint (r->warnings->len, >, 0);
  g_assert_cmpstr (r->title, ==, "Security advisory: deep");
}

/* ---- charsets ------------------------------------------------------------ */

static void
test_unknown_charset (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: Example HTTP server", "text/plain; charset=\"x-klingon\"");
  g_string_append (mail, advisory_text);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  assert_warning (r, "x-klingon", NULL);
  assert_cve (r, "CVE-2026-11111");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  /* Raw 8-bit bytes in the Subject too: an overlong '/', a lone
   * continuation byte, a surrogate, 0xFF. */
  append_headers (mail, "Advisory \xC0\xAF \x80 \xED\xA0\x80 \xFF end", "text/plain; charset=utf-8");
  g_string_append (mail, "Caf\xC3\xA9 \xC3\x28 \xE2\x82 \xF0\x9F\x98 \xF8\x88\x80\x80\x80 "
                         "\xED\xB2\x80 \xFE\xFF\r\n");
  g_string_append (mail, advisory_text);
  g_string_append (mail, "Ends in a cut sequence \xE3\x81");
  g_autoptr (ShrMessage) message = NULL;
  g_autoptr (ShrRecord) r = run_string (mail, &message);
  assert_warning (r, "replaced", NULL);
  assert_cve (r, "CVE-2026-11111");
  g_assert_true (g_utf8_validate (message->body, -1, NULL));
  g_assert_true (g_utf8_validate (message->all_text, -1, NULL));
  g_assert_nonnull (r->title);
  g_assert_true (g_str_has_prefix (r->title, "Advisory"));
}

static void
test_invalid_iso2022jp (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "=?ISO-2022-JP?B?GyRCJTslLSVlJWolRiUjGyhC?= advisory",
                  "text/plain; charset=ISO-2022-JP");
  /* 脆弱性 in JIS X 0208, then bytes that are not: 8-bit bytes, a DEL, a
   * half character, an unknown escape, and no return to ASCII. */
  g_string_append (mail, "\x1b$B@H<e@-\x1b(B CVE-2026-22222\r\n");
  g_string_append (mail, "\x1b$B\xA4\xA2\x7F\x7F$\x1b(B\r\n");
  g_string_append (mail, "\x1b$Z garbage escape\r\n");
  g_string_append (mail, advisory_text);
  g_string_append (mail, "\x1b$B$\"$");
  g_autoptr (ShrMessage) message = NULL;
  g_autoptr (ShrRecord) r = run_string (mail, &message);
  assert_warning (r, "replaced", NULL);
  assert_cve (r, "CVE-2026-11111");
  assert_cve (r, "CVE-2026-22222");
  g_assert_true (g_utf8_validate (message->body, -1, NULL));
  g_assert_nonnull (strstr (message->body, "脆弱性"));
}

static void
test_nul_bytes (void)
{
  static const gchar mail[] = "From: Security Team <security@example.org>\r\n"
                              "Subject: Security advisory\0: Example HTTP server\r\n"
                              "X-Junk: a\0b\0c\r\n"
                              "Date: Tue, 10 Mar 2026 09:00:00 +0900\r\n"
                              "Content-Type: text/plain; charset=us-ascii\r\n"
                              "\r\n"
                              "A vulnerability\0 has been found. This issue is tracked as\r\n"
                              "CVE-2026-11111.\0\0\0\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMessage) message = NULL;
  g_autoptr (ShrRecord) r = run (mail, sizeof mail - 1, "nul.eml", &message, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  assert_warning (r, "NUL", NULL);
  g_assert_nonnull (r->title);
  g_assert_true (g_str_has_prefix (r->title, "Security advisory"));
  g_assert_nonnull (strstr (r->title, "Example HTTP server"));
  assert_cve (r, "CVE-2026-11111");
  g_assert_null (memchr (message->body, '\0', strlen (message->body)));
}

/* ---- forwards ------------------------------------------------------------ */

/* Level @level of a chain of @levels message/rfc822 forwards; each level
 * carries its own CVE id, CVE-2026-1NNNN. */
static void
append_rfc822_level (GString *mail, guint level, guint levels)
{
  g_string_append_printf (mail,
                          "From: Forwarder %u <fwd%u@example.co.jp>\r\n"
                          "Date: Tue, 10 Mar 2026 09:%02u:00 +0900\r\n"
                          "Message-ID: <level-%u@example.co.jp>\r\n"
                          "Subject: %sSecurity advisory level %u\r\n"
                          "MIME-Version: 1.0\r\n",
                          level, level, level % 60, level, level + 1 < levels ? "Fwd: " : "", level);
  if (level + 1 == levels)
    {
      g_string_append_printf (mail,
                              "Content-Type: text/plain\r\n\r\n"
                              "The innermost advisory, CVE-2026-1%04u.\r\n",
                              level);
      return;
    }
  g_string_append_printf (mail,
                          "Content-Type: multipart/mixed; boundary=\"lvl%u\"\r\n\r\n"
                          "--lvl%u\r\nContent-Type: text/plain\r\n\r\n"
                          "See the attached advisory. Level %u mentions CVE-2026-1%04u.\r\n"
                          "--lvl%u\r\nContent-Type: message/rfc822\r\n\r\n",
                          level, level, level, level, level);
  append_rfc822_level (mail, level + 1, levels);
  g_string_append_printf (mail, "\r\n--lvl%u--\r\n", level);
}

static void
test_nested_rfc822 (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_rfc822_level (mail, 0, 100);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  /* Either our cap or GMime's nesting limit stops the descent. */
  if (find_warning (r, "deeper", NULL) == NULL && find_warning (r, "too deep", NULL) == NULL)
    assert_warning (r, "deep", NULL);
  g_autofree gchar *cap = g_strdup_printf ("%d", SHR_MAX_FORWARD_DEPTH);
  assert_warning (r, "forward", cap);
  for (guint i = 0; i < SHR_MAX_FORWARD_DEPTH; i++)
    {
      g_autofree gchar *id = g_strdup_printf ("CVE-2026-1%04u", i);
      assert_cve (r, id);
    }
  g_assert_cmpstr (r->forwarded_by, ==, "Forwarder 0 <fwd0@example.co.jp>");
}

static void
test_nested_inline (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Fwd: Fwd: Fwd: Security advisory", "text/plain; charset=utf-8");
  g_string_append (mail, "FYI, CVE-2026-10000.\r\n\r\n");
  for (guint i = 1; i < 100; i++)
    g_string_append_printf (mail,
                            "---------- Forwarded message ---------\r\n"
                            "From: Forwarder %u <fwd%u@example.co.jp>\r\n"
                            "Date: Tue, Mar 10, 2026 at 9:%02u AM\r\n"
                            "Subject: %sSecurity advisory level %u\r\n"
                            "To: <admins@example.co.jp>\r\n\r\n"
                            "Level %u mentions CVE-2026-1%04u.\r\n\r\n",
                            i, i, i % 60, i + 1 < 100 ? "Fwd: " : "", i, i, i);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_autofree gchar *cap = g_strdup_printf ("%d", SHR_MAX_FORWARD_DEPTH);
  /* Unwrapping stops at the cap, and says so. */
  g_assert_nonnull (find_warning (r, "forward", cap, NULL));
  for (guint i = 0; i < SHR_MAX_FORWARD_DEPTH; i++)
    {
      g_autofree gchar *id = g_strdup_printf ("CVE-2026-1%04u", i);
      assert_cve (r, id);
    }
  g_assert_nonnull (r->forwarded_by);
}

/* ---- sizes and counts ---------------------------------------------------- */

static void
test_huge_part (void)
{
  gsize size = 50 * 1024 * 1024;
  g_autoptr (GString) mail = g_string_sized_new (size + 4096);
  append_headers (mail, "Security advisory: Example HTTP server", "text/plain; charset=us-ascii");
  g_string_append (mail, advisory_text);
  static const gchar filler[] = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\r\n";
  while (mail->len < size)
    g_string_append_len (mail, filler, sizeof filler - 1);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  assert_warning (r, "was cut", NULL);
  assert_cve (r, "CVE-2026-11111");
}

static void
test_too_big (void)
{
  gsize len = (gsize)SHR_MAX_MESSAGE_BYTES + 1;
  g_autofree gchar *data = g_malloc (len);
  static const gchar head[] = "Subject: big\r\n\r\n";
  memcpy (data, head, sizeof head - 1);
  memset (data + sizeof head - 1, 'a', len - (sizeof head - 1));
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrRecord) r = run (data, len, "big.eml", NULL, &error);
  g_assert_null (r);
  g_assert_error (error, SHR_READ_ERROR, SHR_READ_ERROR_TOO_BIG);
  g_assert_nonnull (strstr (error->message, "big.eml"));
}

static void
test_many_cves (void)
{
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Monthly roll-up", "text/plain; charset=us-ascii");
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (mail, "CVE-2026-%05u%s", 10000 + i, i % 8 == 7 ? "\r\n" : " ");
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  guint expected = MIN (10000, SHR_MAX_CVES);
  g_assert_cmpuint (r->cves->len, ==, expected);
  if (expected < 10000)
    assert_warning (r, "CVE", NULL);
  /* Sorted and unique, even when capped. */
  for (guint i = 1; i < r->cves->len; i++)
    g_assert_cmpstr (((ShrCve *)r->cves->pdata[i - 1])->id, <, ((ShrCve *)r->cves->pdata[i])->id);
}

static void
test_long_header (void)
{
  /* A 500 kB Subject and nearly as many header lines as the pre-scan
   * lets through: read, and the title stays a title. */
  g_autoptr (GString) mail = g_string_new ("From: a@example.org\r\nSubject: Advisory ");
  for (guint i = 0; i < 100000; i++)
    g_string_append (mail, "long ");
  g_string_append (mail, "\r\n");
  for (guint i = 0; i < SHR_MAX_HEADER_LINES - 10; i++)
    g_string_append_printf (mail, "X-Header-%u: value\r\n", i);
  g_string_append (mail, "Content-Type: text/plain\r\n\r\n");
  g_string_append (mail, advisory_text);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_assert_nonnull (r->title);
  g_assert_true (g_str_has_prefix (r->title, "Advisory long"));
  /* Cut to the cap, and the cut is reported. */
  g_assert_cmpuint (strlen (r->title), <=, SHR_MAX_SUBJECT_BYTES);
  g_assert_nonnull (find_warning (r, "Subject", "cut", NULL));
  assert_cve (r, "CVE-2026-11111");
}

/* ---- crafted content ----------------------------------------------------- */

static void
test_header_injection (void)
{
  g_autofree gchar *b64 = g_base64_encode ((const guchar *)"x\r\nBcc: a@b", 11);
  g_autofree gchar *subject = g_strdup_printf ("=?UTF-8?B?%s?=", b64);
  g_autofree gchar *subject_q = g_strdup ("=?UTF-8?Q?y=0D=0ACc:_c@d=0A?=");
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, subject, "text/plain; charset=us-ascii");
  g_string_append (mail, advisory_text);
  g_autoptr (ShrRecord) r = run_string (mail, NULL);
  g_assert_nonnull (r->title);
  g_assert_null (strpbrk (r->title, "\r\n"));
  g_assert_nonnull (strstr (r->title, "Bcc: a@b"));

  g_autoptr (GString) mail2 = g_string_new (NULL);
  append_headers (mail2, subject_q, "text/plain; charset=us-ascii");
  g_string_append (mail2, advisory_text);
  g_autoptr (ShrRecord) r2 = run_string (mail2, NULL);
  g_assert_nonnull (r2->title);
  g_assert_null (strpbrk (r2->title, "\r\n"));
  for (guint i = 0; i < r2->warnings->len; i++)
    g_assert_null (strpbrk (g_ptr_array_index (r2->warnings, i), "\r\n"));
}

static void
test_hostile_html (void)
{
  g_autoptr (GString) html = g_string_new (NULL);
  g_string_append (html, "<html><head><title>Security advisory</title>"
                         "<style>body { color: red } .SECRETSTYLE {}</style>"
                         "<script>document.write('SECRETSCRIPT')</script></head>"
                         "<body onload=\"alert('SECRETONLOAD')\">"
                         "<p onclick=\"steal()\">A vulnerability, CVE-2026-11111, was fixed.</p>"
                         "<a href=\"javascript:alert(1)\">click</a>"
                         "<a href=\" JaVaScRiPt:alert(2)\">click</a>"
                         "<a href=\"java&#x09;script:alert(3)\">click</a>"
                         "<a href=\"&#106;avascript:alert(4)\">click</a>"
                         "<a href=\"data:text/html,<script>x</script>\">data</a>"
                         "<a href=\"vbscript:msgbox\">vb</a>"
                         "<a href=\"https://example.org/advisory/2026-001\">advisory</a>"
                         "<SCRIPT type=\"text/javascript\">var SECRETUPPER=1;</SCRIPT >"
                         "<p>Entities: &#x110000; &#0; &#xD800; &#55296; &#x7FFFFFFFFFFFFFFFFF; "
                         "&#99999999999999999999; &#x; &#; &amp;&lt;script&gt; &nosuchentity;</p>");
  for (guint i = 0; i < 10000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "deep text CVE-2026-33333");
  for (guint i = 0; i < 5000; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<p>unclosed <b><i><a href=\"https://example.org/x");
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "", "text/html; charset=utf-8");
  g_string_append_len (mail, html->str, html->len);

  g_autoptr (ShrMessage) message = NULL;
  g_autoptr (ShrRecord) r = run_string (mail, &message);
  g_assert_true (g_utf8_validate (message->body, -1, NULL));
  g_assert_true (g_utf8_validate (message->all_text, -1, NULL));
  const gchar *texts[] = { message->body, message->all_text, r->summary, r->title };
  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      if (texts[t] == NULL)
        continue;
      g_assert_null (strstr (texts[t], "SECRETSTYLE"));
      g_assert_null (strstr (texts[t], "SECRETSCRIPT"));
      g_assert_null (strstr (texts[t], "SECRETONLOAD"));
      g_assert_null (strstr (texts[t], "SECRETUPPER"));
      g_assert_null (strstr (texts[t], "steal()"));
    }
  assert_cve (r, "CVE-2026-11111");
  assert_cve (r, "CVE-2026-33333");
  gboolean advisory_link = FALSE;
  for (guint i = 0; i < r->references->len; i++)
    {
      const gchar *ref = g_ptr_array_index (r->references, i);
      g_autofree gchar *lower = g_ascii_strdown (ref, -1);
      g_assert_null (strstr (lower, "javascript:"));
      g_assert_null (strstr (lower, "vbscript:"));
      g_assert_false (g_str_has_prefix (lower, "data:"));
      g_assert_true (g_str_has_prefix (lower, "http://") || g_str_has_prefix (lower, "https://"));
      if (strcmp (ref, "https://example.org/advisory/2026-001") == 0)
        advisory_link = TRUE;
    }
  g_assert_true (advisory_link);
  g_assert_cmpstr (r->title, ==, "Security advisory");
}

static void
test_many_links (void)
{
  /* SHR_MAX_MIME_PARTS HTML parts of 500 distinct links each (about 11 MB):
   * links are merged in linear time and references stay capped. */
  g_autoptr (GString) mail = g_string_new (NULL);
  append_headers (mail, "Security advisory: links", "multipart/mixed; boundary=\"L\"");
  for (guint p = 0; p < SHR_MAX_MIME_PARTS; p++)
    {
      g_string_append (mail, "--L\r\nContent-Type: text/html\r\n\r\n<p>CVE-2026-11111</p>");
      for (guint i = 0; i < 500; i++)
        g_string_append_printf (mail, "<a href=\"https://example.org/%u/%u\">x</a>", p, i);
      g_string_append (mail, "\r\n");
    }
  g_string_append (mail, "--L--\r\n");
  g_autoptr (ShrMessage) message = NULL;
  g_autoptr (ShrRecord) r = run_string (mail, &message);
  assert_cve (r, "CVE-2026-11111");
  g_assert_cmpuint (r->references->len, <=, SHR_MAX_REFERENCES);
  g_assert_cmpuint (r->references->len, >, 0);
  g_assert_cmpstr (g_ptr_array_index (message->links, 0), ==, "https://example.org/0/0");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add_func ("/hostile/empty", test_empty);
  g_test_add_func ("/hostile/not-mail/binary", test_not_mail_binary);
  g_test_add_func ("/hostile/not-mail/jpeg", test_not_mail_jpeg);
  g_test_add_func ("/hostile/not-mail/prose", test_not_mail_prose);
  g_test_add_func ("/hostile/mime/truncated", test_truncated_multipart);
  g_test_add_func ("/hostile/mime/unclosed-boundary", test_unclosed_boundary);
  g_test_add_func ("/hostile/mime/boundary-never-seen", test_boundary_never_seen);
  g_test_add_func ("/hostile/mime/mbox-from-line", test_mbox_from_line);
  g_test_add_func ("/hostile/mime/boundary-at-end", test_boundary_at_end);
  g_test_add_func ("/hostile/mime/message-as-top-part", test_message_as_top_part);
  g_test_add_func ("/hostile/mime/repeated-date", test_repeated_date);
  g_test_add_func ("/hostile/mime/unread-headers", test_unread_headers);
  g_test_add_func ("/hostile/mime/many-parts", test_many_parts);
  g_test_add_func ("/hostile/prescan/parts", test_prescan_parts);
  g_test_add_func ("/hostile/prescan/header-lines", test_prescan_header_lines);
  g_test_add_func ("/hostile/prescan/header-block", test_prescan_header_block);
  g_test_add_func ("/hostile/prescan/line", test_prescan_line);
  g_test_add_func ("/hostile/mime/1000-nested-multiparts", test_deep_multipart);
  g_test_add_func ("/hostile/charset/unknown", test_unknown_charset);
  g_test_add_func ("/hostile/charset/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/hostile/charset/invalid-iso-2022-jp", test_invalid_iso2022jp);
  g_test_add_func ("/hostile/nul-bytes", test_nul_bytes);
  g_test_add_func ("/hostile/forward/100-nested-rfc822", test_nested_rfc822);
  g_test_add_func ("/hostile/forward/100-nested-inline", test_nested_inline);
  g_test_add_func ("/hostile/size/50mb-part", test_huge_part);
  g_test_add_func ("/hostile/size/too-big", test_too_big);
  g_test_add_func ("/hostile/size/long-header", test_long_header);
  g_test_add_func ("/hostile/count/10000-cves", test_many_cves);
  g_test_add_func ("/hostile/header-injection", test_header_injection);
  g_test_add_func ("/hostile/html/active-content", test_hostile_html);
  g_test_add_func ("/hostile/html/many-links", test_many_links);

  int status = g_test_run ();
  g_mime_shutdown ();
  return status;
}
