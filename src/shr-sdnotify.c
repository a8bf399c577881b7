/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-sdnotify.c — see shr-sdnotify.h. */
#include "config.h"

#include "shr-sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

gboolean
shr_sd_notify (const gchar *state)
{
  g_return_val_if_fail (state != NULL, FALSE);
  const gchar *path = g_getenv ("NOTIFY_SOCKET");
  if (path == NULL || (path[0] != '/' && path[0] != '@')
      || strlen (path) >= sizeof ((struct sockaddr_un *)0)->sun_path)
    return FALSE;
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  gsize len = strlen (path);
  memcpy (sa.sun_path, path, len);
  /* '@' names a socket in the abstract namespace: a leading NUL byte. */
  if (path[0] == '@')
    sa.sun_path[0] = '\0';
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  ssize_t sent;
  do
    sent = sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
                   (socklen_t)(offsetof (struct sockaddr_un, sun_path) + len));
  while (sent < 0 && errno == EINTR);
  close (fd);
  return sent == (ssize_t)strlen (state);
}

gboolean
shr_sd_notifyf (const gchar *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree gchar *state = g_strdup_vprintf (format, ap);
  va_end (ap);
  return shr_sd_notify (state);
}

guint64
shr_sd_watchdog_usec (void)
{
  const gchar *usec = g_getenv ("WATCHDOG_USEC");
  const gchar *pid = g_getenv ("WATCHDOG_PID");
  if (usec == NULL)
    return 0;
  /* WATCHDOG_PID names the process the interval is meant for; a child
   * that inherited the environment must not ping in its parent's name. */
  if (pid != NULL && g_ascii_strtoll (pid, NULL, 10) != (gint64)getpid ())
    return 0;
  guint64 value = 0;
  if (!g_ascii_string_to_unsigned (usec, 10, 1, G_MAXUINT64, &value, NULL))
    return 0;
  return value;
}
