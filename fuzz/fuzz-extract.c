/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: any bytes, as a mail, through the reader and the extractor.
 * The reader must never crash, hang or leak on hostile input; what it
 * cannot read is an error, what it reads becomes a record whose every
 * string is valid UTF-8 and whose title has no line break. */
#include <stdint.h>
#include <string.h>

#include "shr-extract.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static ShrLexicon *lexicon;
  if (lexicon == NULL)
    {
      lexicon = shr_lexicon_get_default (NULL);
      if (lexicon == NULL)
        abort ();
    }
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (ShrMessage) message = shr_message_read_bytes (bytes, "fuzz", NULL);
  if (message == NULL)
    return 0;
  g_autoptr (ShrRecord) record = shr_extract_message (message, lexicon);
  g_autofree gchar *json = shr_record_to_json_string (record, FALSE);
  if (!g_utf8_validate (json, -1, NULL))
    abort ();
  if (record->title != NULL && strpbrk (record->title, "\r\n") != NULL)
    abort ();
  return 0;
}
