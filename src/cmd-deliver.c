/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase deliver -c CONF [FILE|-] — one mail handed over by an MTA
 * (Postfix pipe(8), an alias), Sieve's "pipe" or procmail, taken through
 * the same pipeline as once and watch: same dedupe, same state, same
 * approval path (a draft is mailed at once; a reply to a draft decides).
 * Exit status as sysexits(3) and MTAs read it: 0 the mail was taken (also
 * when it was seen before or is not mail: it is kept and reported), 75
 * EX_TEMPFAIL when the state is busy or cannot be written or the
 * configuration is broken (the MTA keeps the mail and tries again), 64
 * usage, 66 the file cannot be read.
 *
 * shirase reprocess -c CONF UID|MESSAGE-ID — a message taken in before
 * (failed, or judged with older word lists or profile) through the
 * pipeline again, as a later source of its case would be. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "shr-cli.h"
#include "shr-hash.h"
#include "shr-limits.h"
#include "shr-log.h"
#include "shr-watch.h"

/* Where deliver keeps each mail it takes: no mailbox holds a copy, and
 * reprocess needs the bytes. */
#define DELIVERED_DIR "delivered"

/* The folder name deliver records its messages under. */
#define DELIVER_FOLDER "deliver"

static gchar *
delivered_path (const gchar *state_dir, const gchar *sha256)
{
  g_autofree gchar *name = g_strdup_printf ("%s.eml", sha256);
  return g_build_filename (state_dir, DELIVERED_DIR, name, NULL);
}

/* (transfer full) @path's bytes, or standard input's for "-", at most
 * SHR_MAX_MESSAGE_BYTES. */
static GBytes *
read_input (const gchar *path, GError **error)
{
  if (strcmp (path, "-") != 0)
    {
      gchar *text = NULL;
      gsize len = 0;
      if (!g_file_get_contents (path, &text, &len, error))
        return NULL;
      if (len > SHR_MAX_MESSAGE_BYTES)
        {
          g_free (text);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: larger than %u bytes", path,
                       (guint)SHR_MAX_MESSAGE_BYTES);
          return NULL;
        }
      return g_bytes_new_take (text, len);
    }
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  guint8 chunk[65536];
  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "standard input: %s",
                       g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (buf->len + (gsize)n > SHR_MAX_MESSAGE_BYTES)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "standard input: larger than %u bytes",
                       (guint)SHR_MAX_MESSAGE_BYTES);
          return NULL;
        }
      g_byte_array_append (buf, chunk, (guint)n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

/* An mbox "From " line (procmail, Postfix pipe with flags=F) is the
 * envelope, not the message: the bytes are hashed and read without it, as
 * the same mail fetched by IMAP would be. */
static GBytes *
without_envelope_line (GBytes *raw)
{
  gsize len = 0;
  const gchar *text = g_bytes_get_data (raw, &len);
  if (len < 5 || memcmp (text, "From ", 5) != 0)
    return g_bytes_ref (raw);
  const gchar *nl = memchr (text, '\n', len);
  if (nl == NULL)
    return g_bytes_ref (raw);
  return g_bytes_new_from_bytes (raw, (gsize)(nl + 1 - text), len - (gsize)(nl + 1 - text));
}

/* Keeps @raw in the state dir under its hash (0600), durably. */
static gboolean
keep_delivered (const gchar *state_dir, GBytes *raw, const gchar *sha256, GError **error)
{
  g_autofree gchar *dir = g_build_filename (state_dir, DELIVERED_DIR, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot create %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  g_autofree gchar *path = delivered_path (state_dir, sha256);
  gsize len = 0;
  const gchar *data = g_bytes_get_data (raw, &len);
  return g_file_set_contents_full (path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* What became of the mail: one line, or for a digest mail a line per
 * advisory it carries after the first ("handled: a digest of 4
 * advisories"), each prefixed with @prefix. */
static gchar *
describe (const ShrPipelineResult *res, const gchar *prefix)
{
  if (res->duplicate)
    return g_strdup_printf ("seen before (%s): nothing done", shr_outcome_to_string (res->outcome));
  if (res->outcome != SHR_OUTCOME_HANDLED)
    return g_strdup_printf ("%s: %s", shr_outcome_to_string (res->outcome),
                            res->reason != NULL ? res->reason : "");
  if (res->advisories->len == 1)
    {
      g_autofree gchar *one
          = shr_pipeline_advisory_describe (&g_array_index (res->advisories, ShrPipelineAdvisory, 0));
      return g_strdup_printf ("handled: %s", one);
    }
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "handled: a digest of %u advisories", res->advisories->len);
  for (guint i = 0; i < res->advisories->len; i++)
    {
      g_autofree gchar *one
          = shr_pipeline_advisory_describe (&g_array_index (res->advisories, ShrPipelineAdvisory, i));
      g_string_append_printf (out, "\n%s%s", prefix, one);
    }
  return g_string_free (out, FALSE);
}

/* The options of deliver and reprocess: -c and --log-level, then the
 * arguments, between @min_args and @max_args of them. Returns 0, or the
 * exit status @usage after printing why. */
static int
parse_options (const gchar *verb, const gchar *parameter, const gchar *summary, guint min_args,
               guint max_args, int usage, int *argc, char ***argv, gchar **conf)
{
  g_autofree gchar *log_level = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "log-level", 'l', 0, G_OPTION_ARG_STRING, &log_level,
      "Least severe entries logged: error, warning, message, info, debug (default: message)", "LEVEL" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (parameter);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      return usage;
    }
  guint n = (guint)*argc - 1;
  if (n < min_args || n > max_args)
    {
      g_printerr ("shirase %s: %s (see shirase %s --help)\n", verb,
                  n < min_args ? "an argument is missing" : "too many arguments", verb);
      return usage;
    }
  GLogLevelFlags level = G_LOG_LEVEL_MESSAGE;
  if (log_level != NULL && !shr_log_parse_level (log_level, &level))
    {
      g_printerr ("shirase %s: --log-level: unknown level \"%s\"\n", verb, log_level);
      return usage;
    }
  shr_log_setup (level);
  return 0;
}

int
shr_cmd_deliver (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  int usage = parse_options ("deliver", "[FILE|-] — take in one mail from an MTA",
                             "Takes one mail (standard input, or FILE) through the pipeline, as once does\n"
                             "for each message of the mailbox: same dedupe, state and approval path.\n"
                             "Exit status: 0 taken (or seen before, or kept as not mail), 75 try again\n"
                             "later (state busy or unwritable, configuration broken), 64 usage, 66 no input.",
                             0, 1, EX_USAGE, &argc, &argv, &conf);
  if (usage != 0)
    return usage;
  g_autoptr (GError) error = NULL;
  const gchar *input = argc == 2 ? argv[1] : "-";

  g_autoptr (GBytes) given = read_input (input, &error);
  if (given == NULL)
    {
      g_printerr ("shirase deliver: %s\n", error->message);
      return strcmp (input, "-") == 0 ? EX_TEMPFAIL : EX_NOINPUT;
    }
  g_autoptr (GBytes) raw = without_envelope_line (given);

  /* Whatever keeps us from recording the mail is ours to fix, not the
   * sender's: the MTA is told to keep it and try again. */
  g_autoptr (ShrIntake) in = shr_intake_open (conf, &error);
  if (in == NULL)
    {
      g_printerr ("shirase deliver: %s (the mail stays with the MTA)\n", error->message);
      return EX_TEMPFAIL;
    }
  g_autofree gchar *sha256 = shr_hash_sha256_hex (raw);
  if (!keep_delivered (in->service->state_dir, raw, sha256, &error))
    {
      g_printerr ("shirase deliver: %s (the mail stays with the MTA)\n", error->message);
      return EX_TEMPFAIL;
    }
  ShrPipelineResult res = { 0 };
  if (!shr_pipeline_handle (in->pipeline, DELIVER_FOLDER, 0, 0, raw, &res, &error))
    {
      g_printerr ("shirase deliver: %s (the mail stays with the MTA)\n", error->message);
      return EX_TEMPFAIL;
    }
  g_autofree gchar *what = describe (&res, "shirase deliver: ");
  g_print ("shirase deliver: %s\n", what);
  gboolean decided = shr_intake_after (in, res.outcome == SHR_OUTCOME_REPLY ? res.message : NULL, &error);
  shr_pipeline_result_clear (&res);
  if (!decided)
    {
      /* Recorded as a reply: the MTA's next try finds it seen before and
       * decides again. */
      g_printerr ("shirase deliver: the reply could not be decided: %s (the mail stays with the MTA)\n",
                  error->message);
      return EX_TEMPFAIL;
    }
  return EX_OK;
}

/* ---- reprocess ------------------------------------------------------------------ */

/* (transfer full) The bytes of the message recorded in @row: kept by
 * deliver, else found again in the mailbox by its Message-ID. */
static GBytes *
find_raw (ShrIntake *in, const ShrStoreMessageRow *row, GError **error)
{
  g_autofree gchar *kept = delivered_path (in->service->state_dir, row->raw_sha256);
  gchar *text = NULL;
  gsize len = 0;
  if (g_file_get_contents (kept, &text, &len, NULL))
    return g_bytes_new_take (text, len);
  if (row->message_id == NULL)
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND,
                   "the message has no Message-ID and was not taken in by shirase deliver: it cannot be "
                   "found again (hand it to shirase deliver from the folder it is in)");
      return NULL;
    }
  g_autofree gchar *dir = g_path_get_dirname (in->service->config->path);
  g_autoptr (ShrWatchConfig) imap = shr_watch_config_new (in->service->config->keyfile, dir, error);
  if (imap == NULL)
    return NULL;
  g_autoptr (ShrWatch) watch = shr_watch_new (imap);
  if (!shr_watch_connect (watch, error))
    return NULL;
  GBytes *raw = NULL;
  g_autofree gchar *folder = NULL;
  gboolean ok = shr_watch_fetch_by_message_id (watch, row->message_id, row->raw_sha256, &raw, &folder, error);
  shr_watch_disconnect (watch);
  if (ok)
    g_info ("<%s> found in %s", row->message_id, folder);
  return ok ? raw : NULL;
}

typedef struct
{
  ShrIntake *in;
  GPtrArray *rows;
  ShrPrepared *prepared;
  const ShrStoreMessageRow *at;
  ShrPipelineResult *result;
} Again;

/* One transaction: the message is forgotten and taken in again, so that
 * a failure leaves it as it was. */
static gboolean
again_txn (ShrStore *store, gpointer data, GError **error)
{
  Again *a = data;
  for (guint i = 0; i < a->rows->len; i++)
    if (!shr_store_message_forget (store, ((ShrStoreMessageRow *)a->rows->pdata[i])->id, error))
      return FALSE;
  return shr_pipeline_apply (a->in->pipeline, a->prepared, a->at->folder, a->at->uidvalidity, a->at->uid,
                             a->result, error);
}

int
shr_cmd_reprocess (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  int usage = parse_options ("reprocess", "UID|MESSAGE-ID — run a message again",
                             "Runs a message taken in before (failed, or judged with older word lists or\n"
                             "profile) through the pipeline again, as a later source of its case: a draft\n"
                             "is queued when it now concerns the organisation and none was. The message\n"
                             "is named by its Message-ID or by the UID shirase logged; its bytes come\n"
                             "from the state (shirase deliver) or the mailbox (done, failed, watched\n"
                             "folder). Exit status 0 done, 1 not found or failed, 2 usage.",
                             1, 1, 2, &argc, &argv, &conf);
  if (usage != 0)
    return usage;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *id = g_strstrip (g_strdup (argv[1]));
  gboolean by_uid = *id != '\0' && strspn (id, "0123456789") == strlen (id);
  if (!by_uid && *id == '<' && g_str_has_suffix (id, ">"))
    {
      memmove (id, id + 1, strlen (id));
      id[strlen (id) - 1] = '\0';
    }

  g_autoptr (ShrIntake) in = shr_intake_open (conf, &error);
  if (in == NULL)
    {
      g_printerr ("shirase reprocess: %s\n", error->message);
      return 1;
    }
  g_autoptr (GPtrArray) rows = NULL;
  if (!shr_store_messages_find (in->store, by_uid ? NULL : id, by_uid ? g_ascii_strtoll (id, NULL, 10) : 0, 0,
                                &rows, &error))
    {
      g_printerr ("shirase reprocess: %s\n", error->message);
      return 1;
    }
  if (rows->len == 0)
    {
      g_printerr ("shirase reprocess: no message with %s %s in the state\n", by_uid ? "UID" : "Message-ID",
                  id);
      return 1;
    }
  const ShrStoreMessageRow *row = rows->pdata[0];
  if (by_uid && rows->len > 1)
    g_message ("UID %s names %u messages (several folders or UIDVALIDITY); taking the latest, from %s", id,
               rows->len, row->folder);
  g_autofree gchar *before = row->outcome == SHR_OUTCOME_FAILED && row->error != NULL
                                 ? g_strdup_printf ("failed (%s)", row->error)
                                 : g_strdup (shr_outcome_to_string (row->outcome));

  g_autoptr (GBytes) raw = find_raw (in, row, &error);
  if (raw == NULL)
    {
      g_printerr ("shirase reprocess: %s %s: %s\n", by_uid ? "UID" : "Message-ID", id, error->message);
      return 1;
    }
  /* Every row of the same mail (its Message-ID, else its bytes: one row)
   * is forgotten, so that the dedupe lets it through once. */
  g_autoptr (GPtrArray) same = NULL;
  if (row->message_id == NULL)
    {
      same = g_ptr_array_new ();
      g_ptr_array_add (same, (gpointer)row);
    }
  else if (!shr_store_messages_find (in->store, row->message_id, 0, 0, &same, &error))
    {
      g_printerr ("shirase reprocess: %s\n", error->message);
      return 1;
    }
  g_autoptr (ShrPrepared) prepared = shr_pipeline_prepare (in->pipeline, raw);
  ShrPipelineResult res = { 0 };
  Again a = { in, same, prepared, row, &res };
  if (!shr_store_transaction (in->store, again_txn, &a, &error))
    {
      g_printerr ("shirase reprocess: %s\n", error->message);
      return 1;
    }
  g_autofree gchar *what = describe (&res, "shirase reprocess: ");
  g_print ("shirase reprocess: %s %s: was %s; now %s\n", by_uid ? "UID" : "Message-ID", id, before, what);
  gboolean decided = shr_intake_after (in, res.outcome == SHR_OUTCOME_REPLY ? res.message : NULL, &error);
  shr_pipeline_result_clear (&res);
  if (!decided)
    {
      g_printerr ("shirase reprocess: the reply could not be decided: %s\n", error->message);
      return 1;
    }
  return 0;
}
