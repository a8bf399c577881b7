/* Small pieces shared by the CLI verbs. */
#include "config.h"

#include "shr-cli.h"

#include <stdio.h>

#include "shr-lexicon.h"

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
  g_autoptr (ShrService) s = shr_service_load (conf != NULL ? conf : SHR_DEFAULT_CONFIG, &vocab, FALSE, &error);
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
