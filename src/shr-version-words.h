/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-version-words.h — a product's affected versions in the words of
 * each notice language.
 *
 * The checklist rows (shr-match.c) and the notice's 影響範囲 (shr-notice.c)
 * say the same versions, so that a Japanese row never carries "7.4.0
 * through 7.4.7" while the section below says 7.4.0〜7.4.7. */
#pragma once

#include <glib.h>

#include "shr-record.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *ja, *en;
  /* The source's phrase, in no known shape: ja and en are the same text,
   * as written. */
  gboolean as_written;
} ShrVersionWords;

void shr_version_words_free (gpointer words);

/* (transfer full) The affected versions of @p, one ShrVersionWords each,
 * without repeats: from its release trains' ranges where extraction read
 * them, else each phrase of p->affected in the notice's words where its
 * shape is known, else as written. @all_known is set when every one was
 * understood. The trains the source says are not affected are added to
 * @unaffected (ShrVersionWords, may be NULL). */
GPtrArray *shr_version_words_affected (const ShrProduct *p, gboolean *all_known, GPtrArray *unaffected);

/* (transfer full) The words of @words joined with @separator, in Japanese
 * (@japanese) or English. */
gchar *shr_version_words_join (const GPtrArray *words, gboolean japanese, const gchar *separator);

G_END_DECLS
