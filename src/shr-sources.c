/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-sources.c — data/sources.tsv: PSIRTs and distributions by their ids. */
#include "config.h"

#include "shr-sources.h"

#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"

struct _ShrSources
{
  GPtrArray *rows; /* (element-type ShrSource) in file order */
};

static void
source_free (ShrSource *s)
{
  g_free (s->kind);
  g_free (s->name);
  g_free (s->vendor);
  g_clear_pointer (&s->id, g_regex_unref);
  g_clear_pointer (&s->from, g_regex_unref);
  g_clear_pointer (&s->release, g_regex_unref);
  g_clear_pointer (&s->url, g_regex_unref);
  g_free (s);
}

void
shr_sources_free (ShrSources *sources)
{
  if (sources == NULL)
    return;
  g_ptr_array_unref (sources->rows);
  g_free (sources);
}

static gboolean
compile (const gchar *path, guint line, const gchar *what, const gchar *pattern, GRegex **out, GError **error)
{
  *out = NULL;
  if (strcmp (pattern, "-") == 0)
    return TRUE;
  GError *local = NULL;
  *out = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, &local);
  if (*out == NULL)
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                   "%s:%u: the %s pattern does not compile: %s", path, line, what, local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

ShrSources *
shr_sources_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  GError *local = NULL;
  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return NULL;
    }
  g_autoptr (ShrSources) sources = g_new0 (ShrSources, 1);
  sources->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)source_free);
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_strchomp (lines[n]);
      if (lines[n][0] == '#' || lines[n][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[n], "\t", -1);
      if (g_strv_length (f) != 7 || (strcmp (f[0], "psirt") != 0 && strcmp (f[0], "other") != 0))
        {
          g_set_error (
              error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
              "%s:%u: expected 7 TAB-separated columns: kind (psirt or other), name, vendor, id, sender, "
              "release, url",
              path, n + 1);
          return NULL;
        }
      ShrSource *s = g_new0 (ShrSource, 1);
      g_ptr_array_add (sources->rows, s);
      s->kind = g_strdup (f[0]);
      s->name = g_strdup (f[1]);
      s->vendor = g_strdup (f[2]);
      const gchar *id = f[3];
      if (id[0] == '@')
        {
          s->id_needs_sender = TRUE;
          id++;
        }
      if (!compile (path, n + 1, "id", id, &s->id, error)
          || !compile (path, n + 1, "sender", f[4], &s->from, error)
          || !compile (path, n + 1, "release", f[5], &s->release, error)
          || !compile (path, n + 1, "url", f[6], &s->url, error))
        return NULL;
    }
  return g_steal_pointer (&sources);
}

const ShrSources *
shr_sources_get_default (void)
{
  static gsize once;
  static ShrSources *table;
  if (g_once_init_enter (&once))
    {
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "sources.tsv", NULL);
      g_autoptr (GError) error = NULL;
      table = shr_sources_load (path, &error);
      if (table == NULL)
        {
          g_warning ("cannot read the source table: %s", error->message);
          table = g_new0 (ShrSources, 1);
          table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)source_free);
        }
      g_once_init_leave (&once, 1);
    }
  return table;
}

gchar *
shr_sources_match (GRegex *re, const gchar *text)
{
  if (re == NULL || text == NULL)
    return NULL;
  g_autoptr (GMatchInfo) m = NULL;
  if (!g_regex_match (re, text, 0, &m))
    return NULL;
  gint groups = g_match_info_get_match_count (m);
  for (gint g = 1; g < groups; g++)
    {
      gchar *s = g_match_info_fetch (m, g);
      if (s != NULL && *g_strstrip (s) != '\0')
        return s;
      g_free (s);
    }
  gchar *whole = g_match_info_fetch (m, 0);
  return whole != NULL ? g_strstrip (whole) : NULL;
}

const ShrSource *
shr_sources_find (const ShrSources *sources, const gchar *from, const gchar *subject, const gchar *head,
                  gboolean newsy)
{
  g_return_val_if_fail (sources != NULL, NULL);
  /* Best first: an id and the sender agree (el-errata@oracle.com sends
   * Oracle Linux errata, not Oracle's patch updates); then an id in the
   * Subject, which names the advisory; then the sender alone; then an id in
   * the first lines, unless the mail is news quoting one. */
  for (guint pass = 0; pass < 4; pass++)
    for (guint i = 0; i < sources->rows->len; i++)
      {
        const ShrSource *s = g_ptr_array_index (sources->rows, i);
        gboolean sender = s->from != NULL && from != NULL && g_regex_match (s->from, from, 0, NULL);
        gboolean id_subject = s->id != NULL && subject != NULL && g_regex_match (s->id, subject, 0, NULL);
        gboolean id_head = s->id != NULL && head != NULL && g_regex_match (s->id, head, 0, NULL);
        switch (pass)
          {
          case 0:
            if (sender && (id_subject || id_head))
              return s;
            break;
          case 1:
            if (id_subject && !s->id_needs_sender)
              return s;
            break;
          case 2:
            if (sender)
              return s;
            break;
          default:
            if (id_head && !s->id_needs_sender && !newsy)
              return s;
            break;
          }
      }
  return NULL;
}
