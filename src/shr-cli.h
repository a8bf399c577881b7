/* shr-cli.h — the CLI verbs; one cmd-<verb>.c file each. Every verb gets
 * the arguments after its name (argv[0] is the verb) and returns the exit
 * status. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int shr_cmd_extract (int argc, char **argv);

G_END_DECLS
