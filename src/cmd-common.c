/* Small pieces shared by the CLI verbs. */
#include "shr-cli.h"

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
