/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-service.c — see shr-service.h. */
#include "config.h"

#include "shr-service.h"

#include <string.h>

#include "shr-read.h"

#ifndef SHR_STATEDIR
#define SHR_STATEDIR "/var/lib/shirase"
#endif

void
shr_service_free (ShrService *s)
{
  if (s == NULL)
    return;
  shr_config_free (s->config);
  shr_watch_config_free (s->imap);
  g_free (s->state_dir);
  g_free (s->own_address);
  g_free (s);
}

ShrService *
shr_service_load (const gchar *path, const ShrVocabulary *vocab, gboolean need_imap, GError **error)
{
  g_autoptr (ShrService) s = g_new0 (ShrService, 1);
  s->config = shr_config_load (path, vocab, error);
  if (s->config == NULL)
    return NULL;
  GKeyFile *kf = s->config->keyfile;
  g_autofree gchar *dir = g_path_get_dirname (path);
  if (need_imap)
    {
      g_autoptr (GError) local = NULL;
      s->imap = shr_watch_config_new (kf, dir, &local);
      if (s->imap == NULL)
        {
          g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
          return NULL;
        }
    }
  g_autofree gchar *state = g_key_file_get_string (kf, "state", "dir", NULL);
  if (state != NULL)
    g_strstrip (state);
  if (state == NULL || *state == '\0')
    s->state_dir = g_strdup (SHR_STATEDIR);
  else if (g_path_is_absolute (state))
    s->state_dir = g_steal_pointer (&state);
  else
    s->state_dir = g_build_filename (dir, state, NULL);
  g_autofree gchar *from = g_key_file_get_string (kf, "smtp", "from", NULL);
  if (from != NULL)
    s->own_address = shr_address_from_header (from);
  return g_steal_pointer (&s);
}
