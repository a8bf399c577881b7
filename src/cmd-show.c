/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase show -c CONF CASE|MESSAGE-ID [--json] — why a case was judged as
 * it was and what became of it: its messages, the records read from them,
 * the verdict with its checklist and reasons (as judged when taken in),
 * each draft with its decisions, and each mail sent or waiting for it.
 * A digest mail's Message-ID shows the case of each of its advisories. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "shr-cli.h"
#include "shr-time.h"

#define SHOW_SCHEMA "shirase.show/1"

static JsonNode *
parse_json (const gchar *text)
{
  if (text == NULL)
    return NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static const gchar *
member_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

/* The verdict as judged when the case's latest draft was queued (its
 * match, without the record shown above), else from the not-applicable
 * record's digest item; NULL when neither is stored. */
static JsonNode *
verdict_of (ShrStore *store, GPtrArray *drafts, GPtrArray *records_ids)
{
  for (guint i = drafts->len; i > 0; i--)
    {
      const ShrStoreDraft *d = drafts->pdata[i - 1];
      g_autoptr (JsonNode) body = parse_json (d->body);
      if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
        continue;
      JsonObject *o = json_node_get_object (body);
      if (!json_object_has_member (o, "match"))
        continue;
      JsonNode *match = json_node_copy (json_object_get_member (o, "match"));
      if (JSON_NODE_HOLDS_OBJECT (match))
        json_object_remove_member (json_node_get_object (match), "record");
      return match;
    }
  for (guint i = 0; i < records_ids->len; i++)
    {
      g_autofree gchar *view = shr_store_digest_view_for_record (store, records_ids->pdata[i], NULL);
      g_autoptr (JsonNode) item = parse_json (view);
      if (item == NULL || !JSON_NODE_HOLDS_OBJECT (item))
        continue;
      JsonObject *it = json_node_get_object (item);
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      shr_cli_json_string (b, "verdict", "not_applicable");
      shr_cli_json_string (b, "grade", "-");
      const gchar *keys[] = { "reasons_en", "reasons_ja" };
      const gchar *names[] = { "reasons", "reasons_ja" };
      for (guint k = 0; k < 2; k++)
        {
          /* The digest's view lists them for its template ({"v": …}); the
           * verdict's are strings, as in shirase.match/1. */
          json_builder_set_member_name (b, names[k]);
          JsonNode *list = json_object_has_member (it, keys[k]) ? json_object_get_member (it, keys[k]) : NULL;
          if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
            {
              json_builder_add_null_value (b);
              continue;
            }
          json_builder_begin_array (b);
          JsonArray *a = json_node_get_array (list);
          for (guint n = 0; n < json_array_get_length (a); n++)
            {
              JsonNode *e = json_array_get_element (a, n);
              const gchar *text = JSON_NODE_HOLDS_OBJECT (e)  ? member_string (json_node_get_object (e), "v")
                                  : JSON_NODE_HOLDS_VALUE (e) ? json_node_get_string (e)
                                                              : NULL;
              if (text != NULL)
                json_builder_add_string_value (b, text);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      return json_builder_get_root (b);
    }
  return NULL;
}

/* The whole case as the JSON of doc/json.md ("shirase.show/1"). */
static JsonNode *
case_json (ShrStore *store, gint64 case_id, GPtrArray *messages, GError **error)
{
  g_autofree gchar *title = NULL, *grade = NULL;
  if (case_id > 0 && !shr_store_case_get (store, case_id, &title, &grade, error))
    return NULL;
  g_autoptr (GArray) ids = NULL;
  if (!shr_store_case_drafts (store, case_id, &ids, error))
    return NULL;
  g_autoptr (GPtrArray) drafts = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_store_draft_free);
  for (guint i = 0; i < ids->len; i++)
    {
      ShrStoreDraft *d = shr_store_draft_get (store, g_array_index (ids, gint64, i), error);
      if (d == NULL)
        return NULL;
      g_ptr_array_add (drafts, d);
    }
  g_autoptr (GPtrArray) outbox = NULL;
  if (drafts->len > 0 && !shr_store_outbox_list (store, &outbox, error))
    return NULL;

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  shr_cli_json_string (b, "schema", SHOW_SCHEMA);
  json_builder_set_member_name (b, "case");
  if (case_id > 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, case_id);
      shr_cli_json_string (b, "title", title);
      shr_cli_json_string (b, "grade", grade);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  g_autoptr (GPtrArray) record_ids = g_ptr_array_new ();
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < messages->len; i++)
    {
      const ShrStoreMessageRow *m = messages->pdata[i];
      json_builder_begin_object (b);
      shr_cli_json_string (b, "folder", m->folder);
      json_builder_set_member_name (b, "uid");
      json_builder_add_int_value (b, m->uid);
      shr_cli_json_string (b, "message_id", m->message_id);
      shr_cli_json_string (b, "outcome", shr_outcome_to_string (m->outcome));
      shr_cli_json_time (b, "seen_at", m->seen_at);
      shr_cli_json_string (b, "record_id", m->record_id);
      shr_cli_json_string (b, "error", m->error);
      json_builder_set_member_name (b, "item");
      if (m->item > 0)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "index");
          json_builder_add_int_value (b, m->item);
          json_builder_set_member_name (b, "of");
          json_builder_add_int_value (b, m->items);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      if (m->record_id != NULL
          && !g_ptr_array_find_with_equal_func (record_ids, m->record_id, g_str_equal, NULL))
        g_ptr_array_add (record_ids, m->record_id);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (guint i = 0; i < record_ids->len; i++)
    {
      g_autofree gchar *text = shr_store_get_record (store, record_ids->pdata[i], NULL);
      JsonNode *record = parse_json (text);
      if (record != NULL)
        json_builder_add_value (b, record);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "verdict");
  JsonNode *verdict = verdict_of (store, drafts, record_ids);
  if (verdict != NULL)
    json_builder_add_value (b, verdict);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "drafts");
  json_builder_begin_array (b);
  for (guint i = 0; i < drafts->len; i++)
    {
      const ShrStoreDraft *d = drafts->pdata[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, d->id);
      shr_cli_json_string (b, "kind", d->kind);
      shr_cli_json_string (b, "status", d->status);
      shr_cli_json_time (b, "created_at", d->created_at);
      shr_cli_json_string (b, "token", d->token);
      shr_cli_json_string (b, "message_id", d->message_id);
      shr_cli_json_string (b, "subject", d->subject);
      g_autoptr (GPtrArray) decisions = NULL;
      if (!shr_store_draft_decisions (store, d->id, &decisions, error))
        return NULL;
      json_builder_set_member_name (b, "decisions");
      json_builder_begin_array (b);
      for (guint k = 0; k < decisions->len; k++)
        {
          const ShrStoreDecision *x = decisions->pdata[k];
          json_builder_begin_object (b);
          shr_cli_json_string (b, "approver", x->approver);
          shr_cli_json_string (b, "decision", x->decision);
          shr_cli_json_string (b, "reason", x->reason);
          shr_cli_json_string (b, "reply_message_id", x->reply_message_id);
          shr_cli_json_time (b, "at", x->at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "mail");
      json_builder_begin_array (b);
      for (guint k = 0; outbox != NULL && k < outbox->len; k++)
        {
          const ShrOutboxRow *o = outbox->pdata[k];
          if (o->draft_id != d->id)
            continue;
          json_builder_begin_object (b);
          shr_cli_json_string (b, "kind", o->kind);
          shr_cli_json_string (b, "recipient", o->recipient);
          shr_cli_json_string (b, "lang", o->lang);
          shr_cli_json_string (b, "status", o->status);
          json_builder_set_member_name (b, "attempts");
          json_builder_add_int_value (b, o->attempts);
          shr_cli_json_string (b, "message_id", o->message_id);
          shr_cli_json_string (b, "last_error", o->last_error);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_strings (const gchar *label, JsonObject *o, const gchar *name)
{
  JsonNode *n = o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  JsonArray *a = json_node_get_array (n);
  if (json_array_get_length (a) == 0)
    return;
  printf ("%s\n", label);
  for (guint i = 0; i < json_array_get_length (a); i++)
    printf ("  - %s\n", json_array_get_string_element (a, i));
}

/* The same, for a person. */
static void
print_text (JsonNode *node)
{
  JsonObject *root = json_node_get_object (node);
  JsonObject *c = json_object_get_member (root, "case") != NULL
                          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "case"))
                      ? json_object_get_object_member (root, "case")
                      : NULL;
  if (c != NULL)
    printf ("case %" G_GINT64_FORMAT ": %s (grade %s)\n", json_object_get_int_member (c, "id"),
            member_string (c, "title") != NULL ? member_string (c, "title") : "(untitled)",
            member_string (c, "grade") != NULL ? member_string (c, "grade") : "-");
  else
    printf ("no case (the message was not read as an advisory)\n");

  JsonArray *messages = json_object_get_array_member (root, "messages");
  printf ("\nmessages:\n");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);
      JsonNode *item = json_object_get_member (m, "item");
      g_autofree gchar *which
          = item != NULL && JSON_NODE_HOLDS_OBJECT (item)
                ? g_strdup_printf (" (advisory %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ")",
                                   json_object_get_int_member (json_node_get_object (item), "index"),
                                   json_object_get_int_member (json_node_get_object (item), "of"))
                : g_strdup ("");
      printf ("  %s UID %" G_GINT64_FORMAT "  <%s>  %s  %s%s%s%s\n", member_string (m, "folder"),
              json_object_get_int_member (m, "uid"),
              member_string (m, "message_id") != NULL ? member_string (m, "message_id") : "no Message-ID",
              member_string (m, "seen_at") != NULL ? member_string (m, "seen_at") : "-",
              member_string (m, "outcome"), which, member_string (m, "error") != NULL ? ": " : "",
              member_string (m, "error") != NULL ? member_string (m, "error") : "");
    }

  JsonArray *records = json_object_get_array_member (root, "records");
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *r = json_array_get_object_element (records, i);
      JsonObject *src = json_object_get_object_member (r, "source");
      printf ("\nrecord %s (%s%s%s):\n  %s\n", member_string (r, "id"), member_string (src, "kind"),
              member_string (src, "advisory_id") != NULL ? " " : "",
              member_string (src, "advisory_id") != NULL ? member_string (src, "advisory_id") : "",
              member_string (r, "title") != NULL ? member_string (r, "title") : "(untitled)");
      JsonArray *cves = json_object_get_array_member (r, "cves");
      if (json_array_get_length (cves) > 0)
        {
          printf ("  CVEs:");
          for (guint k = 0; k < json_array_get_length (cves) && k < 10; k++)
            printf (" %s", member_string (json_array_get_object_element (cves, k), "id"));
          printf ("%s\n", json_array_get_length (cves) > 10 ? " …" : "");
        }
      JsonArray *products = json_object_get_array_member (r, "products");
      for (guint k = 0; k < json_array_get_length (products); k++)
        {
          JsonObject *p = json_array_get_object_element (products, k);
          printf ("  product: %s%s%s\n",
                  member_string (p, "vendor") != NULL ? member_string (p, "vendor") : "",
                  member_string (p, "vendor") != NULL ? " " : "", member_string (p, "product"));
        }
    }

  JsonNode *vn = json_object_get_member (root, "verdict");
  printf ("\n");
  if (vn == NULL || !JSON_NODE_HOLDS_OBJECT (vn))
    printf ("verdict: not stored (the message was not read as an advisory)\n");
  else
    {
      JsonObject *v = json_node_get_object (vn);
      printf ("verdict: %s, grade %s\n", member_string (v, "verdict"), member_string (v, "grade"));
      JsonNode *cl = json_object_has_member (v, "checklist") ? json_object_get_member (v, "checklist") : NULL;
      if (cl != NULL && JSON_NODE_HOLDS_ARRAY (cl))
        {
          JsonArray *a = json_node_get_array (cl);
          printf ("checklist:\n");
          for (guint k = 0; k < json_array_get_length (a); k++)
            {
              JsonObject *it = json_array_get_object_element (a, k);
              JsonNode *matched = json_object_get_member (it, "matched");
              const gchar *mark = JSON_NODE_HOLDS_NULL (matched)    ? "?"
                                  : json_node_get_boolean (matched) ? "✓"
                                                                    : "✗";
              printf ("  %s %s / %s\n", mark, member_string (it, "text_ja"), member_string (it, "text_en"));
            }
        }
      print_strings ("reasons:", v, "reasons");
      print_strings ("理由:", v, "reasons_ja");
    }

  JsonArray *drafts = json_object_get_array_member (root, "drafts");
  for (guint i = 0; i < json_array_get_length (drafts); i++)
    {
      JsonObject *d = json_array_get_object_element (drafts, i);
      printf ("\ndraft %" G_GINT64_FORMAT " (%s): %s, created %s%s%s\n  %s\n",
              json_object_get_int_member (d, "id"), member_string (d, "kind"), member_string (d, "status"),
              member_string (d, "created_at"), member_string (d, "token") != NULL ? ", token " : "",
              member_string (d, "token") != NULL ? member_string (d, "token") : "",
              member_string (d, "subject") != NULL ? member_string (d, "subject") : "(not mailed yet)");
      JsonArray *decisions = json_object_get_array_member (d, "decisions");
      for (guint k = 0; k < json_array_get_length (decisions); k++)
        {
          JsonObject *x = json_array_get_object_element (decisions, k);
          printf ("  %s by %s at %s%s%s\n", member_string (x, "decision"), member_string (x, "approver"),
                  member_string (x, "at"), member_string (x, "reason") != NULL ? ": " : "",
                  member_string (x, "reason") != NULL ? member_string (x, "reason") : "");
        }
      JsonArray *mail = json_object_get_array_member (d, "mail");
      for (guint k = 0; k < json_array_get_length (mail); k++)
        {
          JsonObject *o = json_array_get_object_element (mail, k);
          printf ("  %s %s to %s: %s%s%s\n", member_string (o, "kind"),
                  member_string (o, "lang") != NULL && *member_string (o, "lang") ? member_string (o, "lang")
                                                                                  : "-",
                  member_string (o, "recipient"), member_string (o, "status"),
                  member_string (o, "last_error") != NULL ? " — " : "",
                  member_string (o, "last_error") != NULL ? member_string (o, "last_error") : "");
        }
    }
}

int
shr_cmd_show (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object per case (doc/json.md)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("CASE|MESSAGE-ID — why a case was judged so");
  g_option_context_set_summary (
      context, "Prints a case (by its number, or by the Message-ID of one of its mails): its\n"
               "messages, the records read from them, the verdict with its checklist and\n"
               "reasons as judged when taken in, each draft with its decisions, and each\n"
               "mail sent or waiting. A digest mail (several advisories) prints the case of\n"
               "each advisory it carries. Exit status 0, 1 not found, 2 usage.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("shirase show: %s\n",
                  error != NULL ? error->message : "give one case number or Message-ID");
      return 2;
    }
  g_autofree gchar *id = g_strstrip (g_strdup (argv[1]));
  gboolean by_case = *id != '\0' && strspn (id, "0123456789") == strlen (id);
  if (!by_case && *id == '<' && g_str_has_suffix (id, ">"))
    {
      memmove (id, id + 1, strlen (id));
      id[strlen (id) - 1] = '\0';
    }
  g_autoptr (ShrService) service = NULL;
  g_autoptr (ShrStore) store = NULL;
  if (!shr_cli_open_state ("show", conf, &service, &store))
    return 1;

  /* The cases to show: the one named, or those of the mail named (a
   * digest mail's advisories are each a case of its own), or none (the
   * mail was not read as an advisory: it alone is shown). */
  g_autoptr (GArray) cases = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  if (by_case)
    {
      gint64 case_id = g_ascii_strtoll (id, NULL, 10);
      if (!shr_store_case_get (store, case_id, NULL, NULL, &error))
        {
          g_printerr ("shirase show: %s\n", error->message);
          return 1;
        }
      cases = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (cases, case_id);
    }
  else
    {
      if (!shr_store_messages_find (store, id, 0, 0, &messages, &error))
        {
          g_printerr ("shirase show: %s\n", error->message);
          return 1;
        }
      if (messages->len == 0)
        {
          g_printerr ("shirase show: no message with Message-ID %s in the state\n", id);
          return 1;
        }
      if (!shr_store_message_cases (store, ((ShrStoreMessageRow *)messages->pdata[0])->id, &cases, &error))
        {
          g_printerr ("shirase show: %s\n", error->message);
          return 1;
        }
    }
  for (guint i = 0; i < MAX (cases->len, 1); i++)
    {
      gint64 case_id = i < cases->len ? g_array_index (cases, gint64, i) : 0;
      if (case_id > 0)
        {
          g_clear_pointer (&messages, g_ptr_array_unref);
          if (!shr_store_messages_find (store, NULL, 0, case_id, &messages, &error))
            {
              g_printerr ("shirase show: %s\n", error->message);
              return 1;
            }
        }
      g_autoptr (JsonNode) node = case_json (store, case_id, messages, &error);
      if (node == NULL)
        {
          g_printerr ("shirase show: %s\n", error->message);
          return 1;
        }
      if (json)
        shr_cli_print_json (node, FALSE);
      else
        {
          if (i > 0)
            printf ("\n\n");
          print_text (node);
        }
    }
  return 0;
}
