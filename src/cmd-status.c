/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase status -c CONF [--json] [--max-age MINUTES] — what the state
 * holds (messages by outcome, drafts, outbox, digest, last sync, last
 * errors) and a verdict a monitoring system can act on, as a monitoring
 * plugin's exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 *
 * It only reads: a state that does not exist yet is reported (CRITICAL:
 * the mailbox has never been read), never created. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "shr-cli.h"
#include "shr-lexicon.h"
#include "shr-notify.h"
#include "shr-service.h"
#include "shr-store.h"
#include "shr-time.h"

#define STATUS_SCHEMA "shirase.status/1"

typedef enum
{
  HEALTH_OK = 0,
  HEALTH_WARNING = 1,
  HEALTH_CRITICAL = 2,
  HEALTH_UNKNOWN = 3,
} Health;

static const gchar *
health_name (Health h)
{
  static const gchar *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
  return names[h];
}

typedef struct
{
  Health health;
  GPtrArray *reasons; /* why the health is not OK, most severe first */
} Verdict;

static void
raise_to (Verdict *v, Health h, gchar *reason)
{
  if (h > v->health)
    {
      v->health = h;
      g_ptr_array_insert (v->reasons, 0, reason);
    }
  else
    g_ptr_array_add (v->reasons, reason);
}

/* "TIME MESSAGE" as cmd-watch.c records a connection error. */
static void
split_imap_error (const gchar *value, gchar **when, gchar **message)
{
  const gchar *space = strchr (value, ' ');
  g_autofree gchar *stamp = space != NULL ? g_strndup (value, space - value) : NULL;
  g_autoptr (GDateTime) t = stamp != NULL ? g_date_time_new_from_iso8601 (stamp, NULL) : NULL;
  *when = t != NULL ? shr_time_rfc3339 (t) : NULL;
  *message = g_strdup (t != NULL ? space + 1 : value);
}

/* The JSON document of doc/json.md ("shirase.status/1"). @st NULL: no
 * state (yet, or not readable); @schedule NULL: nothing to mail. */
static JsonNode *
status_json (const Verdict *v, const gchar *state_path, const ShrStoreStatus *st, const gchar *last_ok,
             const gchar *last_digest, const gchar *imap_when, const gchar *imap_message, gint64 max_age,
             const gchar *damage, const gchar *integrity, const ShrNotifySchedule *schedule)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  shr_cli_json_string (b, "schema", STATUS_SCHEMA);
  g_autofree gchar *health = g_ascii_strdown (health_name (v->health), -1);
  shr_cli_json_string (b, "health", health);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < v->reasons->len; i++)
    json_builder_add_string_value (b, v->reasons->pdata[i]);
  json_builder_end_array (b);
  shr_cli_json_string (b, "state", state_path);
  shr_cli_json_int (b, "max_age_minutes", max_age);
  shr_cli_json_string (b, "last_sync", last_ok);
  json_builder_set_member_name (b, "imap_error");
  if (imap_message != NULL)
    {
      json_builder_begin_object (b);
      shr_cli_json_string (b, "at", imap_when);
      shr_cli_json_string (b, "message", imap_message);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  if (st != NULL)
    {
      json_builder_set_member_name (b, "messages");
      json_builder_begin_object (b);
      shr_cli_json_int (b, "handled", st->messages[SHR_OUTCOME_HANDLED]);
      shr_cli_json_int (b, "failed", st->messages[SHR_OUTCOME_FAILED]);
      shr_cli_json_int (b, "ignored", st->messages[SHR_OUTCOME_IGNORED]);
      shr_cli_json_int (b, "replies", st->messages[SHR_OUTCOME_REPLY]);
      json_builder_end_object (b);
      shr_cli_json_int (b, "records", st->records);
      shr_cli_json_int (b, "cases", st->cases);
      shr_cli_json_int (b, "drafts_pending", st->drafts_pending);
      json_builder_set_member_name (b, "outbox");
      json_builder_begin_object (b);
      shr_cli_json_int (b, "waiting", st->outbox_backlog);
      shr_cli_json_int (b, "failed", st->outbox_failed);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "digest");
      json_builder_begin_object (b);
      shr_cli_json_int (b, "not_applicable", st->digest_waiting);
      shr_cli_json_int (b, "held_back", st->digest_folded);
      shr_cli_json_string (b, "last_date", last_digest);
      json_builder_end_object (b);
      shr_cli_json_string (b, "last_error", st->last_error);
    }
  shr_cli_json_string (b, "damage", damage);
  shr_cli_json_string (b, "integrity_check", integrity);
  if (schedule != NULL)
    {
      json_builder_set_member_name (b, "scheduled");
      json_builder_begin_object (b);
      shr_cli_json_int (b, "drafts_to_mail", schedule->drafts_to_mail);
      shr_cli_json_int (b, "outbox_queued", schedule->outbox_queued);
      shr_cli_json_time (b, "next_send", schedule->outbox_retry_at);
      shr_cli_json_time (b, "next_lease_end", schedule->lease_end_at);
      shr_cli_json_time (b, "next_reminder", schedule->reminder_at);
      shr_cli_json_time (b, "next_expiry", schedule->expiry_at);
      shr_cli_json_time (b, "next_digest", schedule->digest_at);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* "2026-03-16T00:01:00Z (in 42 s)", "… (due)", or "none". (transfer full) */
static gchar *
when (gint64 at, gint64 now)
{
  if (at <= 0)
    return g_strdup ("none");
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (at);
  g_autofree gchar *iso = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
  if (at <= now)
    return g_strdup_printf ("%s (due)", iso);
  gint64 s = at - now;
  return s < 120    ? g_strdup_printf ("%s (in %" G_GINT64_FORMAT " s)", iso, s)
         : s < 7200 ? g_strdup_printf ("%s (in %" G_GINT64_FORMAT " min)", iso, s / 60)
                    : g_strdup_printf ("%s (in %" G_GINT64_FORMAT " h)", iso, s / 3600);
}

/* What the timers of watch will do next, one line per kind; @s NULL when
 * nothing is configured to be mailed. */
static void
print_schedule (const ShrNotifySchedule *s, const gchar *schedule_error, gint64 now)
{
  if (s == NULL)
    {
      printf ("scheduled:      nothing (no [smtp] url and [approval] approvers: mail is taken in only)\n");
      return;
    }
  if (schedule_error != NULL)
    {
      printf ("scheduled:      unknown (%s)\n", schedule_error);
      return;
    }
  g_autofree gchar *retry = when (s->outbox_retry_at, now);
  g_autofree gchar *lease = when (s->lease_end_at, now);
  g_autofree gchar *remind = when (s->reminder_at, now);
  g_autofree gchar *expire = when (s->expiry_at, now);
  g_autofree gchar *digest = when (s->digest_at, now);
  printf ("drafts to mail: %" G_GINT64_FORMAT "%s\n", s->drafts_to_mail,
          s->drafts_to_mail > 0 ? " (due)" : "");
  g_autofree gchar *queued = s->outbox_queued > 0
                                 ? g_strdup_printf (", %" G_GINT64_FORMAT " mails queued", s->outbox_queued)
                                 : g_strdup ("");
  printf ("next send:      %s%s\n", retry, queued);
  printf ("next lease end: %s\n", lease);
  printf ("next reminder:  %s\n", remind);
  printf ("next expiry:    %s\n", expire);
  printf ("next digest at: %s\n", digest);
}

int
shr_cmd_status (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  gboolean json = FALSE, check = FALSE;
  gint max_age = 60;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object (doc/json.md)", NULL },
    { "max-age", 0, 0, G_OPTION_ARG_INT, &max_age,
      "WARNING when the mailbox was last read longer ago than this (default 60)", "MINUTES" },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      "Also check every page and index of the state database (PRAGMA integrity_check; slow on a large one)",
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (
      context, "Prints what the state holds: messages by outcome, last sync, pending drafts,\n"
               "outbox, what waits for the digest, the next action of each kind, the last\n"
               "errors and a verdict. Exit status as a monitoring plugin's: 0 OK; 1 WARNING\n"
               "(last sync older than --max-age, or mail that failed for good in the outbox);\n"
               "2 CRITICAL (the last IMAP login or connection failed, the mailbox was never\n"
               "read, or the state is damaged or lost); 3 UNKNOWN (usage, or the configuration\n"
               "or state cannot be read). Never creates state.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1 || max_age < 1)
    {
      g_printerr ("shirase status: %s\n", error != NULL ? error->message
                                          : argc > 1    ? "unexpected argument"
                                                        : "--max-age: at least 1");
      return HEALTH_UNKNOWN;
    }

  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("shirase status: %s\n", error->message);
      return HEALTH_UNKNOWN;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  g_autoptr (ShrService) service
      = shr_service_load (conf != NULL ? conf : SHR_DEFAULT_CONFIG, &vocab, FALSE, &error);
  if (service == NULL)
    {
      g_printerr ("shirase status: %s\n", error->message);
      return HEALTH_UNKNOWN;
    }

  Verdict v = { HEALTH_OK, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (GPtrArray) reasons = v.reasons;
  g_autofree gchar *path = g_build_filename (service->state_dir, SHR_STORE_FILE_NAME, NULL);
  g_autofree gchar *id_path = g_build_filename (service->state_dir, "shirase.id", NULL);
  g_autoptr (ShrStore) store = NULL;
  ShrStoreStatus st = { 0 };
  /* A state dir with shirase.id once held a database: opening it reports
   * a lost one (without creating anything) instead of "never read". */
  gboolean have_state = g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (id_path, G_FILE_TEST_EXISTS);
  gboolean have_status = FALSE;
  g_autofree gchar *last_ok = NULL, *last_digest = NULL, *imap_when = NULL, *imap_message = NULL;
  g_autofree gchar *integrity = NULL;
  ShrNotifySchedule schedule = { 0 };
  g_autofree gchar *schedule_error = NULL;
  gboolean notify_configured = shr_notify_configured (service->config->keyfile);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  if (have_state)
    {
      store = shr_store_open (service->state_dir, &error);
      if (store != NULL && shr_store_get_status (store, &st, &error))
        have_status = TRUE;
      else
        raise_to (&v,
                  g_error_matches (error, SHR_STORE_ERROR, SHR_STORE_ERROR_LOST)
                          || g_error_matches (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CORRUPT)
                      ? HEALTH_CRITICAL
                      : HEALTH_UNKNOWN,
                  g_strdup (error->message));
      g_clear_error (&error);
    }
  else
    raise_to (
        &v, HEALTH_CRITICAL,
        g_strdup_printf ("no state at %s: the mailbox has never been read (shirase once or watch)", path));

  if (have_status)
    {
      g_autofree gchar *ok_at = shr_store_setting_get (store, "imap.last_ok_at", NULL);
      gint64 last = MAX (st.last_sync_at, ok_at != NULL ? g_ascii_strtoll (ok_at, NULL, 10) : 0);
      if (last > 0)
        last_ok = shr_time_rfc3339_unix (last);
      last_digest = shr_store_setting_get (store, "digest.last_date", NULL);
      if (last_digest != NULL && *last_digest == '\0')
        g_clear_pointer (&last_digest, g_free);
      g_autofree gchar *imap_error = shr_store_setting_get (store, "imap.last_error", NULL);
      if (imap_error != NULL && *imap_error != '\0')
        split_imap_error (imap_error, &imap_when, &imap_message);

      if (imap_message != NULL)
        raise_to (&v, HEALTH_CRITICAL, g_strdup_printf ("IMAP: %s", imap_message));
      if (last == 0)
        raise_to (&v, HEALTH_CRITICAL, g_strdup ("the mailbox has never been read"));
      else if (now - last > (gint64)max_age * 60)
        raise_to (&v, HEALTH_WARNING,
                  g_strdup_printf ("the mailbox was last read %" G_GINT64_FORMAT " minutes ago (over %d)",
                                   (now - last) / 60, max_age));
      if (st.outbox_failed > 0)
        raise_to (&v, HEALTH_WARNING,
                  g_strdup_printf ("%" G_GINT64_FORMAT
                                   " mail%s failed for good in the outbox (shirase outbox)",
                                   st.outbox_failed, st.outbox_failed == 1 ? "" : "s"));
      if (check)
        {
          if (shr_store_check_integrity (store, &error))
            integrity = g_strdup ("ok");
          else
            {
              integrity = g_strdup (error->message);
              raise_to (&v, HEALTH_CRITICAL, g_strdup_printf ("integrity check: %s", error->message));
            }
          g_clear_error (&error);
        }
      if (notify_configured
          && !shr_notify_schedule_for_config (store, service->config->keyfile, service->config->path,
                                              &schedule, &error))
        {
          schedule_error = g_strdup (error->message);
          g_clear_error (&error);
        }
    }
  /* Damage any run met is recorded beside the database, so it shows even
   * when the database cannot be opened. */
  g_autofree gchar *damage = shr_store_damage_report (service->state_dir);
  if (damage != NULL)
    raise_to (&v, HEALTH_CRITICAL,
              g_strdup_printf ("state damaged: %s: restore shirase.db from a backup (or move it away "
                               "and run shirase once --init)",
                               damage));

  if (json)
    {
      g_autoptr (JsonNode) node
          = status_json (&v, path, have_status ? &st : NULL, last_ok, last_digest, imap_when, imap_message,
                         max_age, damage, integrity, have_status && notify_configured ? &schedule : NULL);
      shr_cli_print_json (node, FALSE);
    }
  else
    {
      printf ("health:         %s%s%s\n", health_name (v.health), v.reasons->len > 0 ? ": " : "",
              v.reasons->len > 0 ? (const gchar *)v.reasons->pdata[0] : "");
      for (guint i = 1; i < v.reasons->len; i++)
        printf ("                %s\n", (const gchar *)v.reasons->pdata[i]);
      printf ("state:          %s%s\n", path, have_state ? "" : " (none yet)");
      if (have_status)
        {
          printf ("messages:       %" G_GINT64_FORMAT " handled, %" G_GINT64_FORMAT
                  " failed, %" G_GINT64_FORMAT " ignored, %" G_GINT64_FORMAT " replies\n",
                  st.messages[SHR_OUTCOME_HANDLED], st.messages[SHR_OUTCOME_FAILED],
                  st.messages[SHR_OUTCOME_IGNORED], st.messages[SHR_OUTCOME_REPLY]);
          printf ("records:        %" G_GINT64_FORMAT " in %" G_GINT64_FORMAT " cases\n", st.records,
                  st.cases);
          printf ("drafts pending: %" G_GINT64_FORMAT "\n", st.drafts_pending);
          gint64 edited = 0, latest_edited = 0;
          if (shr_store_count_edited (store, &edited, &latest_edited, &error) && edited > 0)
            printf ("approved with edits: %" G_GINT64_FORMAT " drafts (latest: draft %" G_GINT64_FORMAT ")\n",
                    edited, latest_edited);
          else if (error == NULL)
            printf ("approved with edits: none\n");
          g_clear_error (&error);
          printf ("outbox:         %" G_GINT64_FORMAT " waiting, %" G_GINT64_FORMAT " failed\n",
                  st.outbox_backlog, st.outbox_failed);
          printf ("next digest:    %" G_GINT64_FORMAT " not-applicable advisories, %" G_GINT64_FORMAT
                  " held-back notices (digest done for: %s)\n",
                  st.digest_waiting, st.digest_folded, last_digest != NULL ? last_digest : "never");
          printf ("last sync:      %s\n", last_ok != NULL ? last_ok : "never");
          printf ("last error:     %s\n", st.last_error != NULL ? st.last_error : "none");
          printf ("IMAP:           %s\n",
                  imap_message != NULL ? imap_message : "no error since the last login");
          print_schedule (notify_configured ? &schedule : NULL, schedule_error, now);
        }
      if (integrity != NULL)
        printf ("state check:    %s\n", g_str_equal (integrity, "ok") ? "ok (integrity_check)" : integrity);
      if (damage != NULL)
        printf ("state DAMAGED:  %s — restore shirase.db from a backup (or move it away and run "
                "shirase once --init)\n",
                damage);
    }
  shr_store_status_clear (&st);
  return v.health;
}
