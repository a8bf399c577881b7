/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-compose.h — a notice as an RFC 5322 message (GMime).
 *
 * multipart/alternative with a text/plain and a text/html part (text only
 * when there is no HTML). UTF-8 (base64) by default; with charset
 * "iso-2022-jp" the text part and the Subject are ISO-2022-JP as Japanese
 * mail clients expect, falling back to UTF-8 (logged with g_message) when
 * the text holds a character JIS X 0208 lacks. The Subject is written by
 * our own RFC 2047 encoder: B-encoded words of at most 75 characters, each
 * holding whole characters only (each word decodes alone), lines at most
 * 76 characters. Every header value that may come from an advisory is
 * made one line (shr_text_one_line) before it is set, so a title can
 * never add a header. Headers: Message-ID, Date, From, To, Reply-To,
 * In-Reply-To/References (updates), Auto-Submitted: auto-generated
 * (RFC 3834), X-Shirase-Grade, X-Shirase-Case. */
#pragma once

#include <glib.h>
#include <gmime/gmime.h>

#include "shr-error.h"

G_BEGIN_DECLS

/* GMime 3 has no autoptr support of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

typedef struct
{
  const gchar *from;        /* "shirase <shirase@example.co.jp>" (required) */
  const gchar *const *to;   /* NULL-terminated, at least one */
  const gchar *reply_to;    /* or NULL */
  const gchar *charset;     /* NULL or "utf-8", or "iso-2022-jp" */
  const gchar *message_id;  /* without <>; NULL: generated on From's domain */
  const gchar *in_reply_to; /* without <>; NULL for a first notice */
  GDateTime *date;          /* NULL: now */
  const gchar *grade;       /* A|B|C|none, or NULL */
  const gchar *case_id;     /* or NULL */
} ShrComposeOptions;

/* (transfer full) The message, or NULL with SHR_COMPOSE_ERROR when an
 * address does not parse or the charset is unknown. @html may be NULL. */
GMimeMessage *shr_compose_message (const ShrComposeOptions *options, const gchar *subject, const gchar *text,
                                   const gchar *html, GError **error);

/* (transfer full) The message as text; @crlf for SMTP (CR LF line ends). */
gchar *shr_compose_to_string (GMimeMessage *message, gboolean crlf);

/* (transfer full) @value (UTF-8, made one line first) as a header field
 * body: as is when it is printable ASCII that folds at spaces into lines
 * of at most 78 characters, else RFC 2047 B-encoded words in @charset
 * (NULL/"utf-8" or "iso-2022-jp"; UTF-8 when ISO-2022-JP cannot carry a
 * character). @used is what the line already holds before the value
 * ("Subject: " is 9). Lines after the first begin with one space; lines
 * are separated by "\n". */
gchar *shr_compose_encode_header (const gchar *value, const gchar *charset, gsize used);

G_END_DECLS
