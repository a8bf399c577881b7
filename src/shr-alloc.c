/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-alloc.h"

#include <string.h>
#include <unistd.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif

/* GLib before 2.76 hands its small blocks (every GString, GArray, hash
 * table, list node and GObject, GMime's parts and headers among them) out
 * of its own slice allocator: per-thread magazines refilled under a lock.
 * 2.76 dropped it for malloc(), which had become the faster of the two;
 * it is here too (4 % of the CPU time of reading a mail). The choice is
 * made from G_SLICE when GLib is loaded, before main(): the only way to
 * make it is to run the program again with G_SLICE set. */
static void
use_malloc_for_slices (char **argv)
{
#if !GLIB_CHECK_VERSION(2, 76, 0)
  /* Set already: by the run before this one, or by whoever started us
   * (valgrind users set it so too), whose choice stands. */
  if (argv == NULL || argv[0] == NULL || g_getenv ("G_SLICE") != NULL)
    return;
  /* Under valgrind a new program would run outside it. */
  const gchar *preload = g_getenv ("LD_PRELOAD");
  if (preload != NULL && strstr (preload, "vgpreload") != NULL)
    return;
  if (!g_setenv ("G_SLICE", "always-malloc", TRUE))
    return;
  execv ("/proc/self/exe", argv);
  /* No /proc: GLib's own allocator it is, and so for what we start. */
  g_unsetenv ("G_SLICE");
#else
  (void)argv;
#endif
}

void
shr_alloc_tune (char **argv)
{
  use_malloc_for_slices (argv);
#ifdef M_TRIM_THRESHOLD
  /* Each mail's memory is freed and as much taken again for the next: by
   * default glibc gives the free top of the heap back to the system at
   * once and faults it in again, a system call and page faults per mail
   * (and per prepare thread). Keep up to 64 MB, grown 1 MB at a time. */
  mallopt (M_TRIM_THRESHOLD, 64 << 20);
  mallopt (M_TOP_PAD, 1 << 20);
#endif
}
