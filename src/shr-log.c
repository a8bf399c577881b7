/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-log.c — the log writer; see shr-log.h. */
#include "config.h"

#include "shr-log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gint threshold = G_LOG_LEVEL_MESSAGE; /* atomic */

gboolean
shr_log_parse_level (const gchar *name, GLogLevelFlags *level)
{
  static const struct
  {
    const gchar *name;
    GLogLevelFlags level;
  } levels[] = {
    { "error", G_LOG_LEVEL_CRITICAL },  { "critical", G_LOG_LEVEL_CRITICAL },
    { "warning", G_LOG_LEVEL_WARNING }, { "message", G_LOG_LEVEL_MESSAGE },
    { "notice", G_LOG_LEVEL_MESSAGE },  { "info", G_LOG_LEVEL_INFO },
    { "debug", G_LOG_LEVEL_DEBUG },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_ascii_strcasecmp (name, levels[i].name) == 0)
      {
        *level = levels[i].level;
        return TRUE;
      }
  return FALSE;
}

static const gchar *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

/* The most severe level bit set (lower bits are more severe). */
static guint
severity (GLogLevelFlags level)
{
  guint l = level & G_LOG_LEVEL_MASK;
  return l == 0 ? G_LOG_LEVEL_DEBUG : (l & -l);
}

static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  (void)user_data;
  if (severity (level) > (guint)g_atomic_int_get (&threshold))
    return G_LOG_WRITER_HANDLED;
  if (g_log_writer_is_journald (fileno (stderr))
      && g_log_writer_journald (level, fields, n_fields, NULL) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  g_autoptr (GString) line = g_string_new (NULL);
  g_string_append_printf (line, "shirase[%d]: %s: ", (int)getpid (), level_name (level));
  const gchar *message = NULL;
  g_autoptr (GString) extra = g_string_new (NULL);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (strcmp (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
      else if (g_str_has_prefix (fields[i].key, "SHR_") && fields[i].length < 0)
        g_string_append_printf (extra, "%s%s=%s", extra->len ? " " : "", fields[i].key + 4,
                                (const gchar *)fields[i].value);
    }
  g_string_append (line, message != NULL ? message : "(no message)");
  if (extra->len > 0)
    g_string_append_printf (line, " (%s)", extra->str);
  g_string_append_c (line, '\n');
  fputs (line->str, stderr);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

void
shr_log_setup (GLogLevelFlags level)
{
  static gsize installed = 0;
  g_atomic_int_set (&threshold, (gint)severity (level));
  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (writer, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
