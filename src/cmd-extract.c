/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase extract [--json] FILE... — read advisory mails, print records. */
#include <stdio.h>
#include <string.h>

#include "shr-cli.h"
#include "shr-extract.h"
#include "shr-structure.h"

static void
print_list (const gchar *label, const GPtrArray *items, const gchar *separator)
{
  if (items->len == 0)
    return;
  g_print ("  %s", label);
  for (guint i = 0; i < items->len; i++)
    g_print ("%s%s", i > 0 ? separator : "", (const gchar *)items->pdata[i]);
  g_print ("\n");
}

/* Each actor as the mail names it, with the other names the mail gives
 * and how many more the word lists know. */
static void
print_actors (const ShrRecord *r)
{
  for (guint i = 0; i < r->actor_aliases->len; i++)
    {
      const ShrActorNames *a = r->actor_aliases->pdata[i];
      g_print ("  actor:     %s", a->name);
      for (guint k = 0; k < a->named_in_text && k < a->aliases->len; k++)
        g_print ("%s%s", k == 0 ? " (aka " : ", ", (const gchar *)a->aliases->pdata[k]);
      if (a->named_in_text > 0)
        g_print (")");
      if (a->aliases->len > a->named_in_text)
        g_print (" [%u other names known]", a->aliases->len - a->named_in_text);
      g_print ("\n");
    }
}

static void
print_summary (const gchar *path, const ShrRecord *r)
{
  g_print ("%s\n", path);
  g_print ("  source:    %s%s%s%s\n", r->source_kind, r->source_name ? " (" : "",
           r->source_name ? r->source_name : "", r->source_name ? ")" : "");
  if (r->advisory_id)
    g_print ("  advisory:  %s\n", r->advisory_id);
  g_print ("  title:     %s\n", r->title ? r->title : "(none)");
  g_print ("  lang:      %s   category: %s\n", r->lang, r->category);
  if (r->forwarded_by)
    g_print ("  forwarded: by %s\n", r->forwarded_by);
  if (r->cves->len > 0)
    {
      g_print ("  cves:      ");
      for (guint i = 0; i < r->cves->len && i < 8; i++)
        g_print ("%s%s", i ? " " : "", ((ShrCve *)g_ptr_array_index (r->cves, i))->id);
      if (r->cves->len > 8)
        g_print (" (+%u more)", r->cves->len - 8);
      g_print ("\n");
    }
  if (r->cvss_max >= 0)
    g_print ("  severity:  %s, CVSS %.1f\n", r->severity ? r->severity : "-", r->cvss_max);
  else if (r->severity)
    g_print ("  severity:  %s\n", r->severity);
  for (guint i = 0; i < r->products->len && i < 6; i++)
    {
      ShrProduct *p = g_ptr_array_index (r->products, i);
      g_print ("  product:   %s%s%s", p->vendor ? p->vendor : "", p->vendor ? " " : "", p->product);
      if (p->fixed->len > 0)
        g_print (" (fixed: %s%s)", (gchar *)g_ptr_array_index (p->fixed, 0), p->fixed->len > 1 ? ", …" : "");
      g_print ("\n");
    }
  g_print ("  exploited: %s%s%s\n",
           r->exploited == SHR_TRISTATE_TRUE    ? "yes"
           : r->exploited == SHR_TRISTATE_FALSE ? "no"
                                                : "unknown",
           r->kev ? " (KEV)" : "", "");
  print_actors (r);
  print_list ("reported:  ", r->reported_by, ", ");
  print_list ("sectors:   ", r->sectors, " ");
  print_list ("regions:   ", r->regions, " ");
  for (guint i = 0; i < r->warnings->len; i++)
    g_print ("  warning:   %s\n", (gchar *)g_ptr_array_index (r->warnings, i));
}

static void
print_structure (const gchar *body)
{
  g_autoptr (ShrDocument) doc = shr_document_parse (body);
  for (guint i = 0; i < doc->sections->len; i++)
    {
      const ShrSection *s = g_ptr_array_index (doc->sections, i);
      g_autofree gchar *text = shr_document_section_text (doc, i);
      g_print ("section %u [%s] \"%s\" (%zu bytes)\n", i, shr_role_to_string (s->role), s->heading,
               strlen (text));
    }
  for (guint i = 0; i < doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (doc->fields, i);
      g_print ("field [%s] %s = %s\n", shr_role_to_string (f->role), f->key, f->value);
    }
  for (guint i = 0; i < doc->tables->len; i++)
    {
      const ShrTable *t = g_ptr_array_index (doc->tables, i);
      g_print ("table %u in section %u:", i, t->section);
      for (guint h = 0; h < t->header->len; h++)
        g_print (" [%s:%d]", (gchar *)g_ptr_array_index (t->header, h),
                 g_array_index (t->columns, ShrColumn, h));
      g_print ("\n");
      for (guint r = 0; r < t->rows->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (t->rows, r);
          g_print ("   ");
          for (guint c = 0; c < row->len; c++)
            g_print (" | %s", (gchar *)g_ptr_array_index (row, c));
          g_print ("\n");
        }
    }
}

int
shr_cmd_extract (int argc, char **argv)
{
  gboolean json = FALSE;
  gboolean pretty = FALSE;
  gboolean as_text = FALSE;
  gboolean structure = FALSE;
  g_auto (GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON record per input, one per line", NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON (with --json and one input)", NULL },
    { "text", 0, 0, G_OPTION_ARG_NONE, &as_text,
      "Print the advisory's text as read (MIME decoded, HTML as text, forwards unwrapped) instead of the "
      "record",
      NULL },
    { "structure", 0, 0, G_OPTION_ARG_NONE, &structure,
      "Print the sections, fields and tables found in the advisory's text (what the extraction reads by "
      "role)",
      NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL },
  };
  g_set_prgname ("shirase extract");
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Reads each mail (any charset, HTML, forwards; '-' is standard input) and\n"
                                "prints the advisory record: a short summary, or with --json one JSON\n"
                                "object per input, one per line. Exit status 1 when an input is not mail.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase extract: %s\n", error->message);
      return 2;
    }
  if (files == NULL || files[0] == NULL)
    {
      g_printerr ("shirase extract: no FILE given (use '-' for standard input)\n");
      return 2;
    }
  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("shirase extract: cannot load the word lists: %s\n", error->message);
      return 1;
    }
  int status = 0;
  guint n = g_strv_length (files);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) local = NULL;
      if (as_text || structure)
        {
          /* What every extraction rule reads: the first thing to look at
           * when a fact was missed. */
          g_autoptr (ShrMessage) message = shr_message_read_file (files[i], &local);
          if (message == NULL)
            {
              g_printerr ("shirase extract: %s\n", local->message);
              status = 1;
              continue;
            }
          if (structure)
            print_structure (message->body ? message->body : "");
          else
            g_print ("Subject: %s\nFrom: %s\n\n%s\n", message->subject ? message->subject : "",
                     message->from ? message->from : "", message->body ? message->body : "");
          continue;
        }
      g_autoptr (GPtrArray) records = shr_extract_file_items (files[i], lexicon, &local);
      if (records == NULL)
        {
          /* The other inputs are still read; the status says one failed. */
          g_printerr ("shirase extract: %s\n", local->message);
          status = 1;
          continue;
        }
      /* A digest prints one record per advisory it carries. */
      for (guint k = 0; k < records->len; k++)
        {
          const ShrRecord *record = g_ptr_array_index (records, k);
          if (json)
            {
              g_autofree gchar *text
                  = shr_record_to_json_string (record, pretty && n == 1 && records->len == 1);
              fputs (text, stdout);
              fputc ('\n', stdout);
            }
          else
            {
              if (i > 0 || k > 0)
                g_print ("\n");
              g_autofree gchar *label
                  = record->items > 0
                        ? g_strdup_printf ("%s (advisory %u of %u)", files[i], record->item, record->items)
                        : g_strdup (files[i]);
              print_summary (label, record);
            }
        }
    }
  fflush (stdout);
  return status;
}
