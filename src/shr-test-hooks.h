/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-test-hooks.h — the SHIRASE_TEST_* environment switches.
 *
 * Tests need faults and times a real run will not produce on request: a
 * crash right after the Nth commit, a clock moved days forward, IDLE
 * re-issued every second, a server without MOVE, a message that crashes
 * or hangs its handling. Those switches are read through shr_test_env(),
 * which exists only in builds configured with --enable-test-hooks (what
 * make check and CI use); in any other build it returns NULL, so the
 * installed daemon cannot be steered by its environment.
 *
 * The switches (each documented where it is read):
 *   SHIRASE_TEST_ABORT_AFTER=N      shr-store.c: abort() after the Nth commit
 *   SHIRASE_TEST_CLOCK_OFFSET=S     shr-notify.c: approval and digest clock + S
 *   SHIRASE_TEST_IDLE_SECONDS=S     shr-watch.c: re-issue IDLE every S seconds
 *   SHIRASE_TEST_NO_MOVE=1          cmd-watch.c: act as if the server lacked MOVE
 *   SHIRASE_TEST_POISON=WHAT:MARK   shr-pipeline.c: a message containing MARK
 *                                   aborts (WHAT=abort), hangs (hang) or fails
 *                                   its state step (apply)
 *   SHIRASE_TEST_HANDLING_SECONDS=S shr-pipeline.c: the time budget of one message
 *   SHIRASE_TEST_OUTBOX_BACKOFF=S   shr-notify.c: first outbox retry after S s */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the switches are compiled in. */
#ifdef SHR_TEST_HOOKS
#define SHR_TEST_HOOKS_ENABLED TRUE
#else
#define SHR_TEST_HOOKS_ENABLED FALSE
#endif

/* The value of test switch @name, or NULL (always NULL without
 * --enable-test-hooks). (transfer none) */
static inline const gchar *
shr_test_env (const gchar *name)
{
#ifdef SHR_TEST_HOOKS
  return g_getenv (name);
#else
  (void)name;
  return NULL;
#endif
}

G_END_DECLS
