/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-time.c — see shr-time.h. */
#include "config.h"

#include "shr-time.h"

#include <stdlib.h>

gchar *
shr_time_rfc3339 (GDateTime *dt)
{
  g_return_val_if_fail (dt != NULL, NULL);
  g_autofree gchar *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  GTimeSpan offset = g_date_time_get_utc_offset (dt) / G_TIME_SPAN_MINUTE;
  if (offset == 0)
    return g_strconcat (base, "Z", NULL);
  return g_strdup_printf ("%s%c%02d:%02d", base, offset < 0 ? '-' : '+', (int)(labs ((long)offset) / 60),
                          (int)(labs ((long)offset) % 60));
}

gchar *
shr_time_rfc3339_unix (gint64 seconds)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (seconds);
  return dt != NULL ? shr_time_rfc3339 (dt) : NULL;
}

gchar *
shr_time_rfc3339_from_iso8601 (const gchar *text)
{
  if (text == NULL)
    return NULL;
  /* Without a zone GLib would take the local one, which is not what the
   * text said: such a time is left for the caller to keep as it is. */
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return NULL;
  return shr_time_rfc3339 (dt);
}
