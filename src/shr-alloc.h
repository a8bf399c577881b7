/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the C allocator up for reading mail after mail: called once, at the
 * start of main(), by shirase and by the benchmarks that time it. */
void shr_alloc_tune (void);

G_END_DECLS
