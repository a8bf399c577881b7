/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-trains.h"

#include <stdlib.h>
#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"

typedef struct
{
  gchar *family; /* normalised */
  gchar *train;
  gchar *released; /* as the file writes it */
  guint32 first;   /* Julian day */
} Train;

struct _ShrTrains
{
  GPtrArray *trains; /* Train*, longest train first */
};

static void
train_free (Train *t)
{
  g_free (t->family);
  g_free (t->train);
  g_free (t->released);
  g_free (t);
}

static gint
longest_train_first (gconstpointer a, gconstpointer b)
{
  const Train *x = *(Train *const *)a;
  const Train *y = *(Train *const *)b;
  return (gint)strlen (y->train) - (gint)strlen (x->train);
}

/* "2023-05" or "2023" as the Julian day of the month's first day. */
static guint32
parse_month (const gchar *text)
{
  g_autoptr (GRegex) form = g_regex_new ("^(\\d{4})(?:-(\\d{2}))?$", 0, 0, NULL);
  g_autoptr (GMatchInfo) info = NULL;
  if (!g_regex_match (form, text, 0, &info))
    return 0;
  g_autofree gchar *year = g_match_info_fetch (info, 1);
  g_autofree gchar *month = g_match_info_fetch (info, 2);
  gint y = atoi (year), m = month != NULL && *month != '\0' ? atoi (month) : 1;
  if (y < 1990 || m < 1 || m > 12)
    return 0;
  g_autoptr (GDate) d = g_date_new_dmy (1, (GDateMonth)m, (GDateYear)y);
  return g_date_get_julian (d);
}

ShrTrains *
shr_trains_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return NULL;
  ShrTrains *trains = g_new0 (ShrTrains, 1);
  trains->trains = g_ptr_array_new_with_free_func ((GDestroyNotify)train_free);
  g_autoptr (ShrTrains) guard = trains;
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_strchomp (lines[n]);
      if (lines[n][0] == '#' || lines[n][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[n], "\t", -1);
      guint32 first = g_strv_length (f) == 3 && f[1][0] != '\0' ? parse_month (f[2]) : 0;
      if (first == 0)
        {
          g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                       "%s:%u: family, train and first release (YYYY-MM or YYYY) expected, separated by tabs",
                       path, n + 1);
          return NULL;
        }
      Train *t = g_new0 (Train, 1);
      t->family = shr_lexicon_normalize (f[0]);
      t->train = g_strdup (f[1]);
      t->released = g_strdup (f[2]);
      t->first = first;
      g_ptr_array_add (trains->trains, t);
    }
  g_ptr_array_sort (trains->trains, longest_train_first);
  return g_steal_pointer (&guard);
}

void
shr_trains_free (ShrTrains *trains)
{
  if (trains == NULL)
    return;
  g_ptr_array_unref (trains->trains);
  g_free (trains);
}

static gpointer
trains_new_empty (void)
{
  ShrTrains *trains = g_new0 (ShrTrains, 1);
  trains->trains = g_ptr_array_new ();
  return trains;
}

const ShrTrains *
shr_trains_get_default (void)
{
  static gsize once;
  static gpointer trains;
  return shr_data_table_once (&once, &trains, "trains.tsv", "release dates of product trains",
                              (ShrDataLoadFunc)shr_trains_load, trains_new_empty);
}

/* "7.4.4" and "22.3R1" are on trains "7.4" and "22.3"; "17.60" is not on
 * "17.6". */
static gboolean
on_train (const gchar *version, const gchar *train)
{
  gsize n = strlen (train);
  return strncmp (version, train, n) == 0 && !g_ascii_isdigit (version[n]);
}

guint32
shr_trains_first_release (const ShrTrains *trains, const gchar *family, const gchar *version,
                          const gchar **train, const gchar **released)
{
  g_return_val_if_fail (trains != NULL, 0);
  if (train != NULL)
    *train = NULL;
  if (released != NULL)
    *released = NULL;
  if (family == NULL || version == NULL)
    return 0;
  g_autofree gchar *key = shr_lexicon_normalize (family);
  for (guint i = 0; i < trains->trains->len; i++)
    {
      const Train *t = trains->trains->pdata[i];
      if (strcmp (t->family, key) == 0 && on_train (version, t->train))
        {
          if (train != NULL)
            *train = t->train;
          if (released != NULL)
            *released = t->released;
          return t->first;
        }
    }
  return 0;
}
