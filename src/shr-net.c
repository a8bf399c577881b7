/* shr-net.c — see shr-net.h. */
#include "config.h"

#include "shr-net.h"

#include <gio/gio.h>
#include <string.h>

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

  g_autoptr (GResolver) resolver = g_resolver_get_default ();
  GList *addresses = g_resolver_lookup_by_name (resolver, bare, NULL, NULL);
  if (addresses == NULL)
    return NULL;
  gboolean all = TRUE;
  for (GList *l = addresses; l != NULL && all; l = l->next)
    all = address_is_loopback (l->data);
  gchar *first = all ? g_inet_address_to_string (addresses->data) : NULL;
  g_resolver_free_addresses (addresses);
  return first;
}
