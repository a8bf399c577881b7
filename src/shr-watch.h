/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-watch.h — the watched IMAP mailbox (DESIGN.md "watch").
 *
 * Connects (IMAPS, STARTTLS, or plain towards loopback only), verifies the
 * server certificate against [imap] ca_file or the system store with the
 * host name checked, logs in (password, password_file, password_command,
 * or XOAUTH2 with oauth2_token_command), selects the folder and hands every
 * message not yet dealt with to a handler, in UID order, in batches (one
 * UID FETCH of BODY.PEEK[] per batch). The handler says what became of each
 * message; once a batch is handled (and so durably recorded by the caller),
 * the watcher moves the messages: DONE to done_folder, FAILED to
 * failed_folder (both created when missing), KEEP stays and is marked with
 * the keyword $ShiraseKept so it is not fetched again. UID MOVE when the
 * server has it, else UID COPY + \Deleted (+ UID EXPUNGE of exactly the
 * copied UIDs where UIDPLUS allows; never a plain EXPUNGE). Nothing is ever
 * deleted otherwise.
 *
 * Then it waits: IDLE (re-issued every 28 minutes; SHIRASE_TEST_IDLE_SECONDS
 * shortens that for tests) where the server offers
 * it and [imap] idle is true, else polling every poll_seconds. Lost
 * connections are re-made with exponential backoff (1 s doubling to 5
 * minutes). Errors quote the server's reply; secrets are never logged and
 * are wiped after use.
 *
 * shr-watch.c is the only file that includes libetpan. A ShrWatch is used
 * from one thread; shr_watch_request_stop may be called from any thread or
 * a signal handler. */
#pragma once

#include <glib.h>

#include "shr-error.h"

G_BEGIN_DECLS

typedef enum
{
  SHR_IMAP_SECURITY_TLS,
  SHR_IMAP_SECURITY_STARTTLS,
  SHR_IMAP_SECURITY_NONE, /* only towards a loopback address */
} ShrImapSecurity;

typedef struct
{
  gchar *host;
  gchar *address;           /* security none: the loopback address @host
                             * was checked to be, connected to instead */
  guint port;               /* default 993 (tls) or 143 */
  ShrImapSecurity security; /* default tls */
  gchar *ca_file;           /* NULL: the system store */
  gchar *user;
  gchar *password; /* inline (the config file is private) */
  gchar *password_file;
  gchar *password_command;
  gchar *oauth2_token_command;
  gchar *folder;         /* default INBOX */
  gchar *done_folder;    /* default shirase/done */
  gchar *failed_folder;  /* default shirase/failed */
  gboolean idle;         /* default TRUE */
  guint poll_seconds;    /* default 60 */
  guint timeout_seconds; /* network timeout, default 60 */
} ShrWatchConfig;

/* (transfer full) The [imap] group of @keyfile with defaults applied.
 * Relative paths are taken from @config_dir. Errors: SHR_WATCH_ERROR_CONFIG
 * (no host, security none towards a non-loopback host, no or several
 * password sources). */
ShrWatchConfig *shr_watch_config_new (GKeyFile *keyfile, const gchar *config_dir,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same; on an error @bad_key (may be NULL; transfer none) is the
 * [imap] key at fault, NULL for the group as a whole, so that
 * shr_config_check can give its line. */
ShrWatchConfig *shr_watch_config_read (GKeyFile *keyfile, const gchar *config_dir, const gchar **bad_key,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;
void shr_watch_config_free (ShrWatchConfig *config);

typedef enum
{
  SHR_WATCH_KEEP,   /* stays in the folder (marked $ShiraseKept) */
  SHR_WATCH_DONE,   /* to done_folder */
  SHR_WATCH_FAILED, /* to failed_folder */
  SHR_WATCH_RETRY,  /* stays in the folder unmarked, read again on the next
                     * pass (a reply whose decision could not be made yet) */
} ShrWatchDisposition;

typedef struct
{
  const gchar *folder;
  guint32 uidvalidity;
  guint32 uid;
  GBytes *raw; /* the whole message as stored on the server */
} ShrWatchMessage;

/* Handles @n messages (UID order) and fills @dispositions[0..n-1]. It must
 * have recorded them durably when it returns TRUE: only then are they moved.
 * FALSE (with @error) stops the pass; messages not given a disposition are
 * left untouched. @n_done (set by the handler) tells how many of the first
 * messages were recorded before the failure, so those are still moved. */
typedef gboolean (*ShrWatchHandler) (const ShrWatchMessage *messages, guint n,
                                     ShrWatchDisposition *dispositions, guint *n_done, gpointer user_data,
                                     GError **error);

typedef struct _ShrWatch ShrWatch;

/* (transfer full) @config is copied. */
ShrWatch *shr_watch_new (const ShrWatchConfig *config);
void shr_watch_free (ShrWatch *watch);

/* Messages fetched per UID FETCH (default 200; at most 32 MB per batch). */
void shr_watch_set_batch_size (ShrWatch *watch, guint batch);

/* Connects, secures, verifies, logs in, creates done/failed folders when
 * missing and selects the folder. Errors (SHR_WATCH_ERROR_*): CONNECT
 * (host unreachable), TLS (handshake or certificate), AUTH (login refused,
 * quoting the server; password source failed), PROTOCOL (other refusals). */
gboolean shr_watch_connect (ShrWatch *watch, GError **error);
void shr_watch_disconnect (ShrWatch *watch);

/* Fetches what is new since the last pass (on a new connection: every
 * message of the folder not marked $ShiraseKept or \Deleted), hands it to
 * @handler batch by batch and moves it. Stops early (TRUE) when a stop is
 * requested, after the current message's batch is handled and moved.
 * @handled (may be NULL) is increased by the number of messages handled. */
gboolean shr_watch_sync (ShrWatch *watch, ShrWatchHandler handler, gpointer user_data, guint *handled,
                         GError **error);

/* Waits for new mail (IDLE or polling), at most @max_seconds (0: the IDLE
 * refresh interval or poll_seconds). Returns TRUE on new mail, timeout or a
 * stop request; FALSE when the connection failed. */
gboolean shr_watch_wait (ShrWatch *watch, guint max_seconds, GError **error);

/* The daemon loop: connect, sync, wait, repeat; on an error, log it,
 * disconnect and retry after the backoff. Returns when a stop is requested
 * (TRUE). With @once: one connection, one pass, then returns; an error is
 * returned (FALSE) instead of retried. */
gboolean shr_watch_run (ShrWatch *watch, gboolean once, ShrWatchHandler handler, gpointer user_data,
                        guint *handled, GError **error);

/* Called by shr_watch_run on the loop's thread, never while a handler
 * runs: with @error NULL after each completed pass over the folder (the
 * first comes right after a login; then at least every IDLE refresh or
 * poll interval), else with the error that ended a connection (before the
 * backoff). */
typedef void (*ShrWatchEventFunc) (const GError *error, gpointer user_data);
void shr_watch_set_event_func (ShrWatch *watch, ShrWatchEventFunc func, gpointer user_data);

/* Thread- and async-signal-safe: makes a wait or backoff return at once and
 * the current sync stop after its batch. */
void shr_watch_request_stop (ShrWatch *watch);
gboolean shr_watch_stop_requested (ShrWatch *watch);

/* Thread-safe: breaks the connection under a command blocked on a server
 * that does not answer (it then fails at once instead of after the network
 * timeout). What was committed but not yet moved is moved on the next run
 * (it is recognised as seen). For a stop that did not finish in time. */
void shr_watch_abort_io (ShrWatch *watch);

/* On a connected watcher: the message with @message_id (without <>) from
 * done_folder, failed_folder or the watched folder, in that order (EXAMINE,
 * UID SEARCH HEADER Message-ID, UID FETCH); among several copies the one
 * whose SHA-256 is @raw_sha256 (may be NULL). @raw and @found_in (may be
 * NULL) are set on success (transfer full). Leaves the last folder
 * searched selected read-only: disconnect afterwards. Errors:
 * SHR_WATCH_ERROR_PROTOCOL (not found, or a command refused). */
gboolean shr_watch_fetch_by_message_id (ShrWatch *watch, const gchar *message_id, const gchar *raw_sha256,
                                        GBytes **raw, gchar **found_in, GError **error);

/* Test hook: when TRUE, behave as if the server lacked MOVE. */
void shr_watch_set_disable_move (ShrWatch *watch, gboolean disable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrWatchConfig, shr_watch_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrWatch, shr_watch_free)

G_END_DECLS
