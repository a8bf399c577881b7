/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-read.h — a mail as text: MIME decoded, charsets converted to UTF-8,
 * HTML turned to text, forwards unwrapped.
 *
 * The reader never fails on content it cannot understand: a broken part,
 * an unknown charset or a cap reached becomes a warning and the rest is
 * read. It fails (NULL + GError) only when the input is not mail at all. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  /* The original advisory: after unwrapping every forward, these are the
   * innermost message's headers as recovered (NULL when absent). */
  gchar *subject;
  gchar *from;       /* "Name <addr>" as written, decoded */
  gchar *date;       /* ISO 8601 when it could be parsed, else NULL */
  gchar *message_id; /* without <> */
  gchar *list_id;    /* List-Id of the mail as received, if any */

  /* Who forwarded it ("Name <addr>" of the outermost mail), NULL when the
   * mail was not a forward. */
  gchar *forwarded_by;
  gchar *outer_subject; /* Subject of the mail as received */
  gchar *outer_message_id;
  gchar *outer_date;

  /* Text of the original advisory (forward header blocks and quoting
   * removed), UTF-8, '\n' line ends. */
  gchar *body;
  /* Every text we found, the forwarder's notes and every part included:
   * what CVE ids are collected from. */
  gchar *all_text;
  /* Text of an HTML <title> or first <h1>, when the body came from HTML. */
  gchar *html_title;
  /* URLs from HTML links (hrefs), in order, unique. */
  GPtrArray *links;

  GPtrArray *warnings; /* (element-type utf8) */
} ShrMessage;

/* (transfer full) Reads @data (a whole RFC 5322 message). @name is used in
 * messages only. Errors: SHR_READ_ERROR_EMPTY, _NOT_MAIL, _TOO_BIG. */
ShrMessage *shr_message_read_bytes (GBytes *data, const gchar *name, GError **error);

/* (transfer full) Reads a file; "-" is standard input. */
ShrMessage *shr_message_read_file (const gchar *path, GError **error);

/* (transfer full) A message made of one item of @parent (an advisory of a
 * digest): @subject and @body are the item's, the headers @parent's. */
ShrMessage *shr_message_new_item (const ShrMessage *parent, const gchar *subject, const gchar *body);

void shr_message_free (ShrMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrMessage, shr_message_free)

G_END_DECLS
