/* shr-cli.h — the CLI verbs; one cmd-<verb>.c file each. Every verb gets
 * the arguments after its name (argv[0] is the verb) and returns the exit
 * status. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int shr_cmd_extract (int argc, char **argv);
int shr_cmd_match (int argc, char **argv);
int shr_cmd_check_config (int argc, char **argv);
int shr_cmd_assets (int argc, char **argv);
int shr_cmd_render (int argc, char **argv);

/* The configuration file when -c is not given. */
#define SHR_DEFAULT_CONFIG "/etc/shirase/shirase.conf"

G_END_DECLS
