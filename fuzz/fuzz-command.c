/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: any text as the body of an approver's reply, through the
 * command reader (shr_approve_parse_command, whose rules shr-approve.h
 * writes out). It must never crash or read past the text; it answers the
 * same for the same text; a reason comes only with a rejection and is
 * valid UTF-8 of at most one line's cap; a line holding a question mark
 * right after the command word never approves. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shr-approve.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The reader is given NUL-terminated text, as shr-read makes it. */
  g_autofree gchar *body = g_strndup ((const gchar *)data, size);
  g_autofree gchar *reason = NULL;
  ShrCommand c = shr_approve_parse_command (body, &reason);
  g_autofree gchar *again_reason = NULL;
  if (shr_approve_parse_command (body, &again_reason) != c || g_strcmp0 (reason, again_reason) != 0)
    abort ();
  if (reason != NULL)
    {
      if (c != SHR_COMMAND_REJECT || !g_utf8_validate (reason, -1, NULL) || *reason == '\0'
          || strchr (reason, '\n') != NULL || strlen (reason) > SHR_MAX_COMMAND_LINE_BYTES * 3)
        abort ();
    }
  /* "承認?" / "ok?" stays a question whatever follows. */
  static const gchar *const words[] = { "承認", "ok", "approve", "保留" };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autofree gchar *question = g_strconcat (words[i], "?", body, NULL);
      if (shr_approve_parse_command (question, NULL) == SHR_COMMAND_APPROVE)
        abort ();
    }
  return 0;
}
