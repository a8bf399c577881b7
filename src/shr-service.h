/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-service.h — what the mail-driven verbs (once, watch, status) read
 * from the configuration: the validated config and profile, the [imap]
 * settings, the state dir and our own sender address. */
#pragma once

#include <glib.h>

#include "shr-config.h"
#include "shr-watch.h"

G_BEGIN_DECLS

typedef struct
{
  ShrConfig *config;
  ShrWatchConfig *imap; /* NULL when loaded without [imap] */
  gchar *state_dir;     /* [state] dir, default SHR_STATEDIR */
  gchar *own_address;   /* the address of [smtp] from (canonical), or NULL */
} ShrService;

/* (transfer full) Loads @path; with @need_imap, [imap] must be usable too.
 * Errors: SHR_CONFIG_ERROR_*, SHR_WATCH_ERROR_CONFIG. */
ShrService *shr_service_load (const gchar *path, const ShrVocabulary *vocab, gboolean need_imap,
                              GError **error);
void shr_service_free (ShrService *service);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrService, shr_service_free)

G_END_DECLS
