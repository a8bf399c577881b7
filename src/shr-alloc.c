/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-alloc.h"

#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif

void
shr_alloc_tune (void)
{
#ifdef M_TRIM_THRESHOLD
  /* Each mail's memory is freed and as much taken again for the next: by
   * default glibc gives the free top of the heap back to the system at
   * once and faults it in again, a system call and page faults per mail
   * (and per prepare thread). Keep up to 64 MB, grown 1 MB at a time. */
  mallopt (M_TRIM_THRESHOLD, 64 << 20);
  mallopt (M_TOP_PAD, 1 << 20);
#endif
}
