/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-read.h — the one parser of inbound mail: each message is parsed
 * once, here, into a ShrMessage that every stage reads. The pipeline
 * classifies by it (ours, automatic, a reply to a draft), the approval
 * step verifies a reply by it (sender, references, Authentication-Results,
 * the command's text), and the extractor reads its text: MIME decoded,
 * charsets converted to UTF-8, HTML turned to text, forwards unwrapped.
 *
 * Before GMime builds anything, a raw pre-scan measures the message
 * against the caps of shr-limits.h (header lines, header block size, line
 * length, parts): one over a cap fails with SHR_READ_ERROR_LIMIT and is
 * never parsed whole.
 *
 * The reader never fails on content it cannot understand: a broken part,
 * an unknown charset or a cap on text reached becomes a warning and the
 * rest is read. It fails (NULL + GError) only when the input is not mail
 * at all, or is over a cap of the pre-scan. */
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

  /* ---- the mail as received: its outermost headers ---- */

  /* The sender as RFC 5322 defines it, by GMime's address parser: the
   * address of the one mailbox of the one From header, canonical
   * (shr_address_canonical), or NULL when there is no From, several From
   * headers, several addresses or a group in From, or From does not parse:
   * such a mail is from nobody (never an approver, never ourselves), and
   * @sender_problem says why. */
  gchar *sender;
  gchar *sender_problem;
  /* In-Reply-To ids, then References ids nearest ancestor first, without
   * <>, each once, at most SHR_MAX_MESSAGE_REFS. (element-type utf8) */
  GPtrArray *references;
  /* Why the mail is an automatic reply by its headers, or NULL
   * (shr_message_automatic_reason). */
  gchar *automatic;
  /* It carries an X-Shirase- header: mail shirase sent. */
  gboolean ours;
  /* Authentication-Results values, topmost first, at most
   * SHR_MAX_AUTH_RESULTS. (element-type utf8) */
  GPtrArray *auth_results;
  /* The first text/plain part that is not an attachment, decoded to UTF-8
   * as written (nothing unwrapped or unquoted), at most
   * SHR_MAX_REPLY_TEXT_BYTES; NULL when there is none: what an approver
   * typed. */
  gchar *reply_text;
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

/* ---- the one rule set for automatic replies ---- */

/* Why a mail with these headers is an automatic reply, or NULL: RFC 3834
 * Auto-Submitted other than "no"; X-Autoreply, X-Autorespond or
 * X-Auto-Reply; Precedence junk or auto_reply; Precedence bulk or list
 * without List-Id (list advisories such as oss-security carry both, a
 * vacation reply only the first). @headers is a GMimeHeaderList (gpointer
 * keeps GMime out of this header). (transfer full) */
gchar *shr_message_automatic_reason (gpointer headers);

/* Whether @subject (decoded) says out-of-office or automatic reply before
 * our draft's tag ("[承認依頼", "[approval"): for clients that send such
 * replies without the headers. Only the part before the tag is read: an
 * advisory titled "Absence Manager" is no auto-reply. The mark found
 * (transfer none), or NULL. Used for replies to drafts only: a new
 * advisory is never judged by its Subject. */
const gchar *shr_message_out_of_office (const gchar *subject);

/* ---- addresses, compared whole ---- */

/* (transfer full) @address ("local@domain") as whole-address comparisons
 * use it: the local part exactly as written, the domain in lower case (and
 * IDNA-encoded); NULL when it is not one address with a local part and a
 * domain. */
gchar *shr_address_canonical (const gchar *address);

/* (transfer full) The canonical address of the one mailbox in @value, a
 * header value or config value such as "Shirase <shirase@example.test>";
 * NULL when it holds none or several. */
gchar *shr_address_from_header (const gchar *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrMessage, shr_message_free)

G_END_DECLS
