/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-secret.c — see shr-secret.h. */
#include "config.h"

#include "shr-secret.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "shr-limits.h"

void
shr_secret_free (gchar *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* (transfer full) The first line of @text (@len bytes), without its line
 * end; @text is wiped and freed. */
static gchar *
first_line_of (gchar *text, gsize len)
{
  const gchar *end = memchr (text, '\n', len);
  gsize n = end != NULL ? (gsize)(end - text) : len;
  if (n > 0 && text[n - 1] == '\r')
    n--;
  gchar *line = g_strndup (text, n);
  explicit_bzero (text, len);
  g_free (text);
  return line;
}

gchar *
shr_secret_from_file (const gchar *group, const gchar *path, GQuark domain, gint code, GError **error)
{
  g_return_val_if_fail (group != NULL && path != NULL, NULL);
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, domain, code, "[%s] password_file %s: %s", group, path, g_strerror (saved));
      return NULL;
    }
  /* Like msmtp: a password others can read is no longer a secret. */
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, domain, code, "[%s] password_file %s: readable by others (mode %03o); chmod 600 it",
                   group, path, (guint)(st.st_mode & 0777));
      return NULL;
    }
  gchar *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, domain, code, "[%s] password_file: %s", group, local->message);
      return NULL;
    }
  if (len > SHR_MAX_SECRET_BYTES)
    {
      explicit_bzero (text, len);
      g_free (text);
      g_set_error (error, domain, code, "[%s] password_file %s: larger than %d bytes", group, path,
                   SHR_MAX_SECRET_BYTES);
      return NULL;
    }
  gchar *secret = first_line_of (text, len);
  /* An empty password would be sent as one: a file truncated by mistake
   * must be an error that says so, not a refused login. */
  if (*secret == '\0')
    {
      shr_secret_free (secret);
      g_set_error (error, domain, code, "[%s] password_file %s: empty (its first line is the secret)", group,
                   path);
      return NULL;
    }
  return secret;
}

gchar *
shr_secret_from_command (const gchar *group, const gchar *key, const gchar *command, GQuark domain, gint code,
                         GError **error)
{
  g_return_val_if_fail (group != NULL && key != NULL && command != NULL, NULL);
  const gchar *argv[] = { "/bin/sh", "-c", command, NULL };
  gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;
  g_autoptr (GError) local = NULL;
  if (!g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &local))
    {
      g_set_error (error, domain, code, "[%s] %s: %s", group, key, local->message);
      return NULL;
    }
  gsize len = strlen (out);
  gchar *secret = first_line_of (out, len);
  gboolean exited_ok = g_spawn_check_wait_status (status, NULL);
  if (!exited_ok || *secret == '\0' || len > SHR_MAX_SECRET_BYTES)
    {
      shr_secret_free (secret);
      /* The command's stderr is its own diagnostic; its stdout (the
       * secret) is never shown. */
      g_strstrip (err);
      const gchar *why = *err != '\0'                 ? err
                         : !exited_ok                 ? "it exited with an error"
                         : len > SHR_MAX_SECRET_BYTES ? "it printed too much"
                                                      : "it printed nothing";
      g_set_error (error, domain, code, "[%s] %s failed: %s", group, key, why);
      return NULL;
    }
  return secret;
}
