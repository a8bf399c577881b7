/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase assets import --format dpkg|rpm|csv FILE [-o OUT] — turn an
 * inventory into the [asset NAME] groups of an assets file. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "shr-assets.h"
#include "shr-cli.h"
#include "shr-config.h"

static int
import (int argc, char **argv)
{
  g_autofree gchar *format_word = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *owners = NULL;
  g_autofree gchar *exposure_word = NULL;
  g_autofree gchar *platform = NULL;
  g_auto (GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_word,
      "dpkg (dpkg-query -W), rpm (rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}\\n') or csv "
      "(vendor,product,version,exposure,owners)",
      "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the assets file here (default: standard output)",
      "OUT" },
    { "owners", 0, 0, G_OPTION_ARG_STRING, &owners,
      "Owners (mail addresses, ';'-separated) of every asset without its own", "ADDRS" },
    { "exposure", 0, 0, G_OPTION_ARG_STRING, &exposure_word,
      "Exposure of every asset without its own (internet, internal, isolated)", "E" },
    { "platform", 0, 0, G_OPTION_ARG_STRING, &platform,
      "The distribution and release the packages come from (\"Debian 12\", \"Ubuntu 24.04\", \"RHEL 9\"): a "
      "distribution's advisory is compared only with its own release",
      "NAME" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context
      = g_option_context_new ("FILE — import an inventory ('-' is standard input)");
  g_option_context_set_summary (context,
                                "Writes one [asset NAME] group per package or row; point the configuration\n"
                                "at the result with [organization] assets_file = OUT.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase assets import: %s\n", error->message);
      return 2;
    }
  ShrAssetsFormat format;
  if (!shr_assets_format_parse (format_word, &format))
    {
      g_printerr ("shirase assets import: --format must be dpkg, rpm or csv\n");
      return 2;
    }
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      g_printerr ("shirase assets import: give one inventory file\n");
      return 2;
    }
  ShrExposure exposure = SHR_EXPOSURE_UNKNOWN;
  if (exposure_word != NULL && !shr_exposure_parse (exposure_word, &exposure))
    {
      g_printerr ("shirase assets import: --exposure must be internet, internal, isolated or unknown\n");
      return 2;
    }

  g_autofree gchar *text = NULL;
  gsize len = 0;
  const gchar *path = files[0];
  if (strcmp (path, "-") == 0)
    {
      g_autoptr (GIOChannel) in = g_io_channel_unix_new (0);
      g_io_channel_set_encoding (in, NULL, NULL);
      if (g_io_channel_read_to_end (in, &text, &len, &error) != G_IO_STATUS_NORMAL)
        {
          g_printerr ("shirase assets import: standard input: %s\n", error->message);
          return 1;
        }
      path = "(standard input)";
    }
  else if (!g_file_get_contents (path, &text, &len, &error))
    {
      g_printerr ("shirase assets import: %s\n", error->message);
      return 1;
    }
  if (len > SHR_MAX_CONFIG_BYTES || memchr (text, '\0', len) != NULL)
    {
      g_printerr ("shirase assets import: %s: not an inventory (too large or binary)\n", path);
      return 1;
    }

  g_autoptr (GPtrArray) assets = shr_assets_parse (format, text, path, &error);
  if (assets == NULL)
    {
      g_printerr ("shirase assets import: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < assets->len; i++)
    {
      ShrAsset *a = assets->pdata[i];
      if (owners != NULL && a->owners->len == 0)
        {
          g_auto (GStrv) parts = g_strsplit_set (owners, ";, ", -1);
          for (guint j = 0; parts[j] != NULL; j++)
            if (*parts[j] != '\0')
              shr_strv_add_unique (a->owners, parts[j]);
        }
      if (a->exposure == SHR_EXPOSURE_UNKNOWN)
        a->exposure = exposure;
      if (platform != NULL && a->platform == NULL)
        a->platform = g_strdup (platform);
    }

  g_autofree gchar *comment
      = g_strdup_printf ("Written by shirase assets import --format %s from %s (%u assets).\n"
                         "Include it with [organization] assets_file = THIS FILE.",
                         format_word, path, assets->len);
  g_autofree gchar *result = shr_assets_to_keyfile (assets, comment);
  if (out == NULL)
    {
      fputs (result, stdout);
      return 0;
    }
  if (!g_file_set_contents (out, result, -1, &error))
    {
      g_printerr ("shirase assets import: %s\n", error->message);
      return 1;
    }
  g_printerr ("shirase assets import: wrote %u assets to %s\n", assets->len, out);
  return 0;
}

int
shr_cmd_assets (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "import") == 0)
    return import (argc - 1, argv + 1);
  g_printerr ("Usage: shirase assets import --format dpkg|rpm|csv FILE [-o OUT]\n");
  return argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0) ? 0 : 2;
}
