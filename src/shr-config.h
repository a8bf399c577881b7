/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-config.h — the configuration file (GKeyFile), validated as a whole.
 *
 * Every group and key shirase knows is listed in one table in
 * shr-config.c; anything else is an error, so a typo never silently
 * becomes a default. Errors name the file, the line and the key:
 *   /etc/shirase/shirase.conf:12: [organization] sectors: unknown sector "enrgy"
 * The organisation profile ([organization], [asset NAME], [policy] and the
 * assets file named by assets_file) is built here; the other groups
 * ([imap], [smtp], [approval], [recipients], [state], [templates],
 * [digest]) are checked for known keys and value types, and left in the
 * key file for the stage that reads them. */
#pragma once

#include <glib.h>

#include "shr-error.h"
#include "shr-profile.h"
#include "shr-vocab.h"

G_BEGIN_DECLS

/* Largest config or assets file read (an assets file of 10,000 packages
 * is about 1.5 MB). */
#define SHR_MAX_CONFIG_BYTES (32 * 1024 * 1024)

typedef struct
{
  gchar *path;
  GKeyFile *keyfile;   /* the main file, for the stages' own groups */
  ShrProfile *profile; /* index built */
} ShrConfig;

typedef struct
{
  ShrConfigError code;
  gchar *message; /* "FILE:LINE: [group] key: what is wrong" */
} ShrConfigProblem;

/* (transfer full) Loads and validates @path; on the first problem (in file
 * order) returns NULL with that problem as a SHR_CONFIG_ERROR. @vocab
 * gives the known sectors, regions and products (may be NULL: then any
 * sector or region is refused as unknown). */
ShrConfig *shr_config_load (const gchar *path, const ShrVocabulary *vocab, GError **error);

/* As shr_config_load(), for the verbs that only judge and render (match,
 * render): the rules of the mail stages ([imap], [smtp], [approval] and
 * how they depend on each other) are not applied, so an organisation's
 * profile judges mail whatever its mail groups say; every value is still
 * checked against its type. */
ShrConfig *shr_config_load_for_judging (const gchar *path, const ShrVocabulary *vocab, GError **error);

/* Every problem in @path, in file order (transfer full; element-type
 * ShrConfigProblem); empty when the file is valid. */
GPtrArray *shr_config_check (const gchar *path, const ShrVocabulary *vocab);

void shr_config_free (ShrConfig *config);

/* Every key shirase knows, as "group key" ("asset" for [asset NAME]), in
 * the order of the documentation (transfer full). */
gchar **shr_config_known_keys (void);

/* A group name as written in the assets file for asset @name. */
gchar *shr_config_asset_group (const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrConfig, shr_config_free)

G_END_DECLS
