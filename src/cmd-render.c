/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase render -c CONF FILE.eml — the notice for one advisory: text
 * (Japanese and English by default), HTML, the whole mail, or the
 * approver's draft. */
#include "config.h"

#include <stdio.h>

#include "shr-cli.h"
#include "shr-compose.h"
#include "shr-config.h"
#include "shr-extract.h"
#include "shr-match.h"
#include "shr-notice.h"
#include "shr-render.h"

static gchar **
config_list (GKeyFile *kf, const gchar *group, const gchar *key)
{
  gchar **v = g_key_file_get_string_list (kf, group, key, NULL, NULL);
  return v;
}

int
shr_cmd_render (int argc, char **argv)
{
  g_autofree gchar *conf = NULL, *now_text = NULL, *lang_text = NULL, *token = NULL;
  gboolean html = FALSE, mail = FALSE, draft = FALSE;
  g_auto (GStrv) files = NULL;
  gint item = 1;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang_text, "ja, en or both (default both)", "LANG" },
    { "html", 0, 0, G_OPTION_ARG_NONE, &html, "Print the HTML notice instead of the text", NULL },
    { "mail", 0, 0, G_OPTION_ARG_NONE, &mail, "Print the whole RFC 5322 message (text + HTML)", NULL },
    { "draft", 0, 0, G_OPTION_ARG_NONE, &draft, "Print the approver's draft instead of the notice", NULL },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Approval token for --draft (default TOKEN)", "TOKEN" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, "Render as at this ISO 8601 time (default: now)", "TIME" },
    { "item", 0, 0, G_OPTION_ARG_INT, &item, "For a digest mail, the advisory to render (from 1; default 1)",
      "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FILE.eml — the notice for one advisory");
  g_option_context_set_summary (
      context, "Reads the advisory mail ('-' is standard input), judges it against the\n"
               "organisation profile and prints the notice from the templates ([templates]\n"
               "dir, else the installed ones). Exit status 0, 1 when the mail or the config\n"
               "cannot be read or a template fails, 2 on a usage error.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase render: %s\n", error->message);
      return 2;
    }
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      g_printerr ("shirase render: give exactly one input file (see shirase render --help)\n");
      return 2;
    }
  ShrRenderLang lang = SHR_RENDER_LANG_BOTH;
  if (lang_text != NULL)
    {
      if (g_strcmp0 (lang_text, "ja") == 0)
        lang = SHR_RENDER_LANG_JA;
      else if (g_strcmp0 (lang_text, "en") == 0)
        lang = SHR_RENDER_LANG_EN;
      else if (g_strcmp0 (lang_text, "both") != 0)
        {
          g_printerr ("shirase render: --lang: \"%s\" is not ja, en or both\n", lang_text);
          return 2;
        }
    }
  g_autoptr (GDateTime) now = shr_cli_now ("render", now_text);
  if (now == NULL)
    return 2;

  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("shirase render: %s\n", error->message);
      return 1;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  const gchar *conf_path = conf != NULL ? conf : SHR_DEFAULT_CONFIG;
  g_autoptr (ShrConfig) config = shr_config_load_for_judging (conf_path, &vocab, &error);
  if (config == NULL)
    {
      g_printerr ("shirase render: %s\n", error->message);
      return 1;
    }
  g_autofree gchar *dir = shr_render_dir_for_config (config->keyfile, conf_path);
  g_autoptr (ShrRenderer) renderer = shr_renderer_new (dir, &error);
  if (renderer == NULL)
    {
      g_printerr ("shirase render: %s\n", error->message);
      return 1;
    }
  g_autoptr (GPtrArray) records = shr_extract_file_items (files[0], lexicon, &error);
  if (records == NULL)
    {
      g_printerr ("shirase render: %s: %s\n", files[0], error->message);
      return 1;
    }
  if (item < 1 || (guint)item > records->len)
    {
      g_printerr ("shirase render: %s carries %u advisor%s; --item must be 1 to %u\n", files[0], records->len,
                  records->len == 1 ? "y" : "ies", records->len);
      return 2;
    }
  const ShrRecord *record = g_ptr_array_index (records, item - 1);
  g_autoptr (ShrMatch) match = shr_match_record (config->profile, &vocab, record, now);
  g_autoptr (JsonNode) view = shr_notice_view_new (record, match, config->profile, lexicon, now);

  g_autoptr (ShrRendered) out = NULL;
  if (draft)
    out = shr_renderer_draft (renderer, view, token != NULL ? token : "TOKEN", record->id, &error);
  else
    out = shr_renderer_notice (renderer, view, lang, &error);
  if (out == NULL)
    {
      g_printerr ("shirase render: %s\n", error->message);
      return 1;
    }
  if (!mail)
    {
      const gchar *body = html && out->html != NULL ? out->html : out->text;
      fputs (body, stdout);
      return 0;
    }

  GKeyFile *kf = config->keyfile;
  g_autofree gchar *from = g_key_file_get_string (kf, "smtp", "from", NULL);
  g_autofree gchar *charset = g_key_file_get_string (kf, "templates", "charset", NULL);
  g_auto (GStrv) approvers = config_list (kf, "approval", "approvers");
  g_auto (GStrv) defaults = config_list (kf, "recipients", "default");
  g_autoptr (GStrvBuilder) to = g_strv_builder_new ();
  if (draft)
    {
      if (approvers != NULL)
        g_strv_builder_addv (to, (const gchar **)approvers);
    }
  else
    {
      if (defaults != NULL)
        g_strv_builder_addv (to, (const gchar **)defaults);
      for (guint i = 0; i < match->owners->len; i++)
        if (defaults == NULL || !g_strv_contains ((const gchar *const *)defaults, match->owners->pdata[i]))
          g_strv_builder_add (to, match->owners->pdata[i]);
    }
  g_auto (GStrv) to_list = g_strv_builder_end (to);
  if (to_list[0] == NULL)
    {
      g_printerr ("shirase render: --mail: no recipient (set [recipients] default%s)\n",
                  draft ? " or [approval] approvers" : "");
      return 1;
    }
  g_autofree gchar *reply_to = approvers != NULL && !draft ? g_strjoinv (", ", approvers) : NULL;
  ShrComposeOptions o = {
    .from = from != NULL ? from : "shirase <shirase@localhost>",
    .to = (const gchar *const *)to_list,
    .reply_to = reply_to,
    .charset = charset,
    .date = now,
    .grade = shr_grade_to_string (match->grade),
    .case_id = record->id,
  };
  g_autoptr (GMimeMessage) message = shr_compose_message (&o, out->subject, out->text, out->html, &error);
  if (message == NULL)
    {
      g_printerr ("shirase render: %s\n", error->message);
      return 1;
    }
  g_autofree gchar *text = shr_compose_to_string (message, FALSE);
  fputs (text, stdout);
  return 0;
}
