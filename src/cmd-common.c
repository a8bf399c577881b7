/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small pieces shared by the CLI verbs. */
#include "config.h"

#include "shr-cli.h"

#include <stdio.h>

#include "shr-lexicon.h"
#include "shr-time.h"

GDateTime *
shr_cli_now (const gchar *verb, const gchar *now_text)
{
  if (now_text == NULL)
    return g_date_time_new_now_utc ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *now = g_date_time_new_from_iso8601 (now_text, utc);
  if (now == NULL)
    g_printerr ("shirase %s: --now: \"%s\" is not an ISO 8601 time\n", verb, now_text);
  return now;
}

gboolean
shr_cli_open_state (const gchar *verb, const gchar *conf, ShrService **service, ShrStore **store)
{
  g_autoptr (GError) error = NULL;
  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      return FALSE;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  g_autoptr (ShrService) s
      = shr_service_load (conf != NULL ? conf : SHR_DEFAULT_CONFIG, &vocab, FALSE, &error);
  if (s == NULL)
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      return FALSE;
    }
  ShrStore *st = shr_store_open (s->state_dir, &error);
  if (st == NULL)
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      return FALSE;
    }
  *service = g_steal_pointer (&s);
  *store = st;
  return TRUE;
}

void
shr_cli_print_json (JsonNode *node, gboolean pretty)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, pretty);
  json_generator_set_root (gen, node);
  g_autofree gchar *text = json_generator_to_data (gen, NULL);
  /* The bytes as they are: JSON is UTF-8 whatever the locale. */
  fputs (text, stdout);
  fputc ('\n', stdout);
}

void
shr_intake_free (ShrIntake *in)
{
  if (in == NULL)
    return;
  shr_notify_free (in->notify);
  shr_pipeline_free (in->pipeline);
  shr_store_close (in->store);
  shr_service_free (in->service);
  g_free (in);
}

ShrIntake *
shr_intake_open (const gchar *conf, GError **error)
{
  static ShrVocabulary vocab;
  ShrLexicon *lexicon = shr_lexicon_get_default (error);
  if (lexicon == NULL)
    return NULL;
  vocab = shr_vocabulary_for_lexicon (lexicon);
  const gchar *path = conf != NULL ? conf : SHR_DEFAULT_CONFIG;
  g_autoptr (ShrIntake) in = g_new0 (ShrIntake, 1);
  in->service = shr_service_load (path, &vocab, FALSE, error);
  if (in->service == NULL)
    return NULL;
  in->store = shr_store_open (in->service->state_dir, error);
  if (in->store == NULL)
    return NULL;
  in->pipeline
      = shr_pipeline_new (in->store, lexicon, in->service->config->profile, &vocab, in->service->own_address);
  if (shr_notify_configured (in->service->config->keyfile))
    {
      in->notify
          = shr_notify_new (in->store, in->service->config->keyfile, path, in->service->state_dir, error);
      if (in->notify == NULL)
        return NULL;
      shr_pipeline_set_approvers (in->pipeline, shr_notify_get_approvers (in->notify));
    }
  return g_steal_pointer (&in);
}

void
shr_cli_send_pending (ShrNotify *notify)
{
  g_autoptr (GError) local = NULL;
  guint queued = 0, sent = 0;
  if (!shr_notify_run (notify, &queued, &sent, &local))
    g_warning ("sending drafts and notices: %s (left queued for the next run)", local->message);
  else if (queued > 0 || sent > 0)
    g_message ("%u drafts queued, %u mails sent", queued, sent);
}

gboolean
shr_intake_after (ShrIntake *in, const ShrMessage *reply, GError **error)
{
  if (in->notify == NULL)
    return TRUE;
  if (reply != NULL && !shr_notify_reply (in->notify, reply, error))
    return FALSE;
  shr_cli_send_pending (in->notify);
  return TRUE;
}

void
shr_cli_json_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
shr_cli_json_int (JsonBuilder *b, const gchar *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
shr_cli_json_time (JsonBuilder *b, const gchar *name, gint64 seconds)
{
  g_autofree gchar *t = seconds > 0 ? shr_time_rfc3339_unix (seconds) : NULL;
  shr_cli_json_string (b, name, t);
}
