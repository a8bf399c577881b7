/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-secret.h — passwords and tokens from a file or a command, for the
 * IMAP login ([imap]) and the SMTP login ([smtp]) alike.
 *
 * One job: get the secret's first line, refuse a file others can read,
 * never quote the secret in an error (a failing command's stderr is its
 * own diagnostic; its stdout is not shown), and wipe every copy it made.
 * Errors name the group and key ("[smtp] password_file …") and carry the
 * caller's domain and code, so each stage keeps its own error space. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Wipes and frees @secret; NULL is allowed. */
void shr_secret_free (gchar *secret);

typedef gchar ShrSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSecret, shr_secret_free)

/* (transfer full, free with shr_secret_free) The first line of the file at
 * @path, which others may not read (mode 0600, like msmtp asks) and whose
 * first line may not be empty. @group ("imap", "smtp") names the
 * configuration group in errors. */
gchar *shr_secret_from_file (const gchar *group, const gchar *path, GQuark domain, gint code, GError **error);

/* (transfer full, free with shr_secret_free) The first line the shell
 * command @command prints; an error when it fails, prints nothing or
 * prints more than SHR_MAX_SECRET_BYTES. @key ("password_command",
 * "oauth2_token_command") names it in errors. */
gchar *shr_secret_from_command (const gchar *group, const gchar *key, const gchar *command, GQuark domain,
                                gint code, GError **error);

G_END_DECLS
