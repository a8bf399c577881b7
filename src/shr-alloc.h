/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the allocators up for reading mail after mail: called once, first
 * thing in main(), by shirase and by the benchmarks that time it, with
 * main()'s @argv. With a GLib older than 2.76 it may run the program again
 * (execv) with the same arguments, G_SLICE=always-malloc set. */
void shr_alloc_tune (char **argv);

G_END_DECLS
