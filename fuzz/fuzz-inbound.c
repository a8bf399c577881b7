/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: any bytes as an inbound mail through the one parser
 * (shr-read), the part an attacker controls before anything else: the
 * raw pre-scan, the headers, the sender's address, In-Reply-To and
 * References, Authentication-Results, the automatic-reply rules and the
 * reply's text, then the approval step's view of it. It must never crash,
 * hang or leak; what it gives must hold its promises (shr-read.h): one
 * canonical sender or none, capped lists of non-empty ids, valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shr-approve.h"
#include "shr-limits.h"
#include "shr-read.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_utf8 (const gchar *s)
{
  if (s != NULL && !g_utf8_validate (s, -1, NULL))
    abort ();
}

/* A canonical address: one '@', something on each side, a lower-case
 * domain, no white space or angle brackets. */
static void
check_address (const gchar *a)
{
  if (a == NULL)
    return;
  const gchar *at = strrchr (a, '@');
  if (at == NULL || at == a || at[1] == '\0' || strpbrk (a, " \t\r\n<>,") != NULL)
    abort ();
  g_autofree gchar *lower = g_utf8_strdown (at + 1, -1);
  if (strcmp (lower, at + 1) != 0)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (ShrMessage) m = shr_message_read_bytes (bytes, "fuzz", NULL);
  /* The input as a From value, as the config's and the own address are
   * read. */
  g_autofree gchar *text = g_strndup ((const gchar *)data, MIN (size, 4096));
  g_autofree gchar *address = shr_address_from_header (text);
  check_address (address);
  if (m == NULL)
    return 0;
  check_address (m->sender);
  if ((m->sender == NULL) == (m->sender_problem == NULL))
    abort ();
  if (m->references->len > SHR_MAX_MESSAGE_REFS || m->auth_results->len > SHR_MAX_AUTH_RESULTS)
    abort ();
  for (guint i = 0; i < m->references->len; i++)
    {
      const gchar *id = m->references->pdata[i];
      if (*id == '\0')
        abort ();
      for (guint j = 0; j < i; j++)
        if (strcmp (m->references->pdata[j], id) == 0)
          abort ();
    }
  if (m->reply_text != NULL && strlen (m->reply_text) > SHR_MAX_REPLY_TEXT_BYTES)
    abort ();
  check_utf8 (m->reply_text);
  check_utf8 (m->outer_subject);
  check_utf8 (m->automatic);
  shr_message_out_of_office (m->outer_subject);
  g_autoptr (ShrReply) reply = shr_reply_new_from_message (m);
  g_autofree gchar *reason = NULL;
  shr_approve_parse_command (reply->body, &reason);
  check_utf8 (reason);
  g_autofree gchar *token = shr_approve_subject_token (reply->subject);
  return 0;
}
