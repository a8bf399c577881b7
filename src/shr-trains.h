/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-trains.h — when each release train of a product first came out.
 *
 * An advisory that names a flaw but no versions says nothing of trains
 * released long after the flaw was fixed; data/trains.tsv dates the trains
 * of the products advisories most often name that way, so that an asset on
 * such a train is not taken for affected. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ShrTrains ShrTrains;

/* (transfer full) Errors name the file and line (SHR_LEXICON_ERROR). */
ShrTrains *shr_trains_load (const gchar *path, GError **error);
void shr_trains_free (ShrTrains *trains);

/* (transfer none) data/trains.tsv of the data dir, loaded on first use;
 * empty (logged once) when it cannot be read. */
const ShrTrains *shr_trains_get_default (void);

/* The first day of the month in which the train of @version of @family was
 * first released (January when only the year is known), as a GDate Julian
 * day, or 0 when the train is not listed; @train (transfer none, may be
 * NULL) gets the train's name and @released (transfer none, may be NULL)
 * the date as the file gives it ("2023-05", "2022"). */
guint32 shr_trains_first_release (const ShrTrains *trains, const gchar *family, const gchar *version,
                                  const gchar **train, const gchar **released);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrTrains, shr_trains_free)

G_END_DECLS
