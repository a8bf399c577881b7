/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-net.c — see shr-net.h. */
#include "config.h"

#include "shr-net.h"

#include <gio/gio.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

/* Whether @a is a loopback address, an IPv4-mapped one included (GIO
 * counts only ::1 for IPv6). */
static gboolean
address_is_loopback (GInetAddress *a)
{
  if (g_inet_address_get_is_loopback (a))
    return TRUE;
  if (g_inet_address_get_family (a) != G_SOCKET_FAMILY_IPV6)
    return FALSE;
  const guint8 *b = g_inet_address_to_bytes (a);
  static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  return memcmp (b, mapped, sizeof mapped) == 0 && b[12] == 127;
}

gchar *
shr_net_loopback_address (const gchar *host)
{
  if (host == NULL || *host == '\0')
    return NULL;
  g_autofree gchar *bare = NULL;
  gsize n = strlen (host);
  if (host[0] == '[' && n > 2 && host[n - 1] == ']')
    bare = g_strndup (host + 1, n - 2);
  else
    bare = g_strdup (host);
  g_autoptr (GInetAddress) literal = g_inet_address_new_from_string (bare);
  if (literal != NULL)
    return address_is_loopback (literal) ? g_inet_address_to_string (literal) : NULL;

  /* getaddrinfo in this thread, as the connection's own resolution
   * would (GResolver would hand it to a thread pool). */
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
  struct addrinfo *found = NULL;
  if (getaddrinfo (bare, NULL, &hints, &found) != 0 || found == NULL)
    return NULL;
  gboolean all = TRUE;
  gchar *first = NULL;
  for (struct addrinfo *ai = found; ai != NULL && all; ai = ai->ai_next)
    {
      g_autoptr (GSocketAddress) sa = g_socket_address_new_from_native (ai->ai_addr, ai->ai_addrlen);
      GInetAddress *a = G_IS_INET_SOCKET_ADDRESS (sa)
                            ? g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa))
                            : NULL;
      all = a != NULL && address_is_loopback (a);
      if (all && first == NULL)
        first = g_inet_address_to_string (a);
    }
  freeaddrinfo (found);
  if (!all)
    g_clear_pointer (&first, g_free);
  return first;
}
