/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-net.h — which hosts a clear-text connection may go to.
 *
 * [imap] security = none and [smtp] security = none send passwords and
 * mail in clear: only towards this machine. "This machine" is a literal
 * loopback address, or a name whose every address is loopback; a name is
 * never judged by how it looks ("127.evil.example", "127.0.0.1.nip.io"),
 * and the connection goes to the address checked, not to the name again,
 * so a name that resolves elsewhere later cannot take it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) The address to connect to in clear for @host: @host
 * itself (without brackets) when it is a literal loopback address
 * (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104, with or without [ ]); for a
 * name, the first address it resolves to when every address it resolves
 * to is loopback ("localhost"). NULL when @host is anything else, or a
 * name that does not resolve. Blocks on the resolver for a name. */
gchar *shr_net_loopback_address (const gchar *host);

G_END_DECLS
