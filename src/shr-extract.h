/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-extract.h — from a read message to the advisory record. */
#pragma once

#include "shr-lexicon.h"
#include "shr-read.h"
#include "shr-record.h"

G_BEGIN_DECLS

/* (transfer full) Never NULL: what could not be recognised is left empty
 * and, where it matters, noted in record->warnings. */
ShrRecord *shr_extract_message (const ShrMessage *message, const ShrLexicon *lexicon);

/* (transfer full) Reads @path ("-" = stdin) and extracts; NULL + error only
 * when the file is not mail (see shr_message_read_file()). */
ShrRecord *shr_extract_file (const gchar *path, const ShrLexicon *lexicon, GError **error);

G_END_DECLS
