/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-notify.c — drafts out, replies in, notices out. See shr-notify.h. */
#include "config.h"

#include "shr-notify.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "shr-approve.h"
#include "shr-compose.h"
#include "shr-edit.h"
#include "shr-limits.h"
#include "shr-notice.h"
#include "shr-outbox.h"
#include "shr-profile.h"
#include "shr-render.h"
#include "shr-send.h"
#include "shr-summary.h"
#include "shr-test-hooks.h"
#include "shr-text.h"

struct _ShrNotify
{
  ShrStore *store;
  ShrApprovalConfig *approval;
  ShrSmtpConfig *smtp;
  ShrSender *sender;
  ShrRenderer *renderer;
  GBytes *secret;
  gchar *from;               /* [smtp] from as written (From header) */
  gchar *from_address;       /* its bare address (envelope sender) */
  gchar *watched;            /* [imap] address, else [smtp] from: where replies must come back */
  gchar *approvers_list;     /* "a@x, b@y": the Reply-To of notices */
  gchar *domain;             /* of our Message-IDs */
  gchar **recipients;        /* [recipients] default */
  gchar *lang;               /* ja|en|both */
  gchar *charset;            /* [templates] charset, or NULL */
  gchar *org_name;           /* [organization] name, for notes to the approvers */
  ShrProfile *org;           /* the same name and [organization] timezone: the
                              * digest's day and heading (no assets) */
  gboolean digest;           /* [digest] enabled (default true) */
  gint digest_minute;        /* [digest] time, minutes after midnight (9:00) */
  gint hourly_cap;           /* [recipients] hourly_cap; 0: no cap */
  gint64 clock_offset;       /* shr_notify_set_clock_offset */
  ShrSummaryConfig *summary; /* [summary], or NULL */
  const ShrLexicon *lexicon; /* the products a summary may name (with summary) */
};

void
shr_notify_free (ShrNotify *n)
{
  if (n == NULL)
    return;
  shr_approval_config_free (n->approval);
  shr_sender_free (n->sender);
  shr_smtp_config_free (n->smtp);
  shr_renderer_free (n->renderer);
  if (n->secret != NULL)
    g_bytes_unref (n->secret);
  g_free (n->from);
  g_free (n->from_address);
  g_free (n->watched);
  g_free (n->approvers_list);
  g_free (n->domain);
  g_strfreev (n->recipients);
  g_free (n->lang);
  g_free (n->charset);
  g_free (n->org_name);
  shr_profile_free (n->org);
  shr_summary_config_free (n->summary);
  g_free (n);
}

const gchar *const *
shr_notify_get_approvers (ShrNotify *n)
{
  g_return_val_if_fail (n != NULL, NULL);
  return (const gchar *const *)n->approval->approvers;
}

gboolean
shr_notify_configured (GKeyFile *kf)
{
  g_return_val_if_fail (kf != NULL, FALSE);
  return g_key_file_has_key (kf, "smtp", "url", NULL)
         && g_key_file_has_key (kf, "approval", "approvers", NULL);
}

/* Adds the addresses of the comma/semicolon list @text to @out, once each. */
static void
add_addresses (GPtrArray *out, const gchar *text)
{
  if (text == NULL)
    return;
  g_auto (GStrv) parts = g_strsplit_set (text, ",;", -1);
  for (gchar **p = parts; *p != NULL; p++)
    {
      g_autofree gchar *a = shr_address_from_header (*p);
      if (a == NULL)
        continue;
      gboolean seen = FALSE;
      for (guint i = 0; i < out->len && !seen; i++)
        seen = strcmp (out->pdata[i], a) == 0;
      if (!seen)
        g_ptr_array_add (out, g_steal_pointer (&a));
    }
}

/* [digest] enabled and time, and the organisation ([organization] name
 * and timezone: the digest's day and heading, no assets). shr-config.c
 * has checked their form already; FALSE only on a value it would have
 * refused. */
static gboolean
read_digest_config (GKeyFile *kf, const gchar *org_name, ShrProfile **org, gboolean *enabled, gint *minute)
{
  *org = shr_profile_new (org_name != NULL ? org_name : "");
  g_autofree gchar *tz = g_key_file_get_string (kf, "organization", "timezone", NULL);
  if (tz != NULL && !shr_profile_set_timezone (*org, g_strstrip (tz)))
    return FALSE;
  g_autoptr (GError) local = NULL;
  *enabled = g_key_file_get_boolean (kf, "digest", "enabled", &local);
  if (local != NULL)
    *enabled = TRUE;
  *minute = 9 * 60;
  g_autofree gchar *time = g_key_file_get_string (kf, "digest", "time", NULL);
  if (time != NULL)
    {
      guint h = 0, m = 0;
      if (sscanf (g_strstrip (time), "%2u:%2u", &h, &m) != 2 || h > 23 || m > 59)
        return FALSE;
      *minute = (gint)(h * 60 + m);
    }
  return TRUE;
}

/* [digest] and [recipients] hourly_cap. */
static gboolean
digest_config (ShrNotify *n, GKeyFile *kf)
{
  if (!read_digest_config (kf, n->org_name, &n->org, &n->digest, &n->digest_minute))
    return FALSE;
  n->hourly_cap = g_key_file_get_integer (kf, "recipients", "hourly_cap", NULL);
  return n->hourly_cap >= 0;
}

ShrNotify *
shr_notify_new (ShrStore *store, GKeyFile *kf, const gchar *config_path, const gchar *state_dir,
                GError **error)
{
  g_return_val_if_fail (store != NULL && kf != NULL && config_path != NULL && state_dir != NULL, NULL);
  g_autoptr (ShrNotify) n = g_new0 (ShrNotify, 1);
  n->store = store;
  n->approval = shr_approval_config_from_keyfile (kf, config_path, error);
  if (n->approval == NULL)
    return NULL;
  n->smtp = shr_smtp_config_from_keyfile (kf, config_path, error);
  if (n->smtp == NULL)
    return NULL;
  n->from = g_strdup (n->smtp->from);
  n->from_address = n->from != NULL ? shr_address_from_header (n->from) : NULL;
  if (n->from_address == NULL)
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_MISSING_KEY,
                   "%s: [smtp] from: an address is needed to send drafts and notices", config_path);
      return NULL;
    }
  n->domain = g_strdup (strchr (n->from_address, '@') + 1);
  /* Approvers answer drafts by replying: their replies must reach the
   * watched mailbox. Administrators with a question about a notice or a
   * digest reach the approvers. */
  n->watched = g_key_file_get_string (kf, "imap", "address", NULL);
  if (n->watched != NULL)
    g_strstrip (n->watched);
  if (n->watched == NULL || *n->watched == '\0')
    {
      g_free (n->watched);
      n->watched = g_strdup (n->from);
    }
  n->approvers_list = g_strjoinv (", ", n->approval->approvers);
  n->sender = shr_sender_new (n->smtp, error);
  if (n->sender == NULL)
    return NULL;
  g_autofree gchar *dir = shr_render_dir_for_config (kf, config_path);
  n->renderer = shr_renderer_new (dir, error);
  if (n->renderer == NULL)
    return NULL;
  n->secret = shr_approve_load_or_create_secret (state_dir, error);
  if (n->secret == NULL)
    return NULL;
  g_autoptr (GPtrArray) rcpt = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *def = g_key_file_get_string (kf, "recipients", "default", NULL);
  add_addresses (rcpt, def);
  g_ptr_array_add (rcpt, NULL);
  n->recipients = (gchar **)g_ptr_array_free (g_steal_pointer (&rcpt), FALSE);
  n->lang = g_key_file_get_string (kf, "recipients", "lang", NULL);
  if (n->lang == NULL)
    n->lang = g_strdup ("both");
  g_strstrip (n->lang);
  n->charset = g_key_file_get_string (kf, "templates", "charset", NULL);
  n->org_name = g_key_file_get_string (kf, "organization", "name", NULL);
  if (!digest_config (n, kf))
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE,
                   "%s: [organization] timezone or [digest] time is not valid (shirase check-config)",
                   config_path);
      return NULL;
    }
  g_autoptr (GError) summary_error = NULL;
  n->summary = shr_summary_config_from_keyfile (kf, config_path, &summary_error);
  if (summary_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&summary_error));
      return NULL;
    }
  if (n->summary != NULL && (n->lexicon = shr_lexicon_get_default (error)) == NULL)
    return NULL;
  return g_steal_pointer (&n);
}

void
shr_notify_set_clock_offset (ShrNotify *n, gint64 seconds)
{
  g_return_if_fail (n != NULL);
  n->clock_offset = seconds;
}

/* Now, in Unix seconds, on the clock of replies, reminders, expiry, the
 * digest and the hourly cap: tests cannot wait for hours, so
 * shr_notify_set_clock_offset and SHIRASE_TEST_CLOCK_OFFSET (seconds; test
 * builds only) move it forward. */
static gint64
notify_now (ShrNotify *n)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC + n->clock_offset;
  const gchar *offset = shr_test_env ("SHIRASE_TEST_CLOCK_OFFSET");
  if (offset != NULL)
    now += g_ascii_strtoll (offset, NULL, 10);
  return now;
}

/* ---- the draft's stored JSON ------------------------------------------------- */

/* (transfer full) The notice view the pipeline stored with draft @d. */
static JsonNode *
draft_view (const ShrStoreDraft *d, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (d->body == NULL || !json_parser_load_from_data (parser, d->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || !json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "view"))
    {
      g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_NOT_FOUND,
                   "draft %" G_GINT64_FORMAT " has no notice view stored", d->id);
      return NULL;
    }
  return json_node_copy (
      json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "view"));
}

/* The grade letter of @view ("A", "B", "C", "none"), or NULL. */
static const gchar *
view_grade (JsonNode *view)
{
  JsonObject *o = json_node_get_object (view);
  JsonObject *g = json_object_has_member (o, "grade") ? json_object_get_object_member (o, "grade") : NULL;
  return g != NULL && json_object_has_member (g, "letter") ? json_object_get_string_member (g, "letter")
                                                           : NULL;
}

/* Composes one mail and queues it to @to (in the caller's transaction).
 * @in_reply_to (may be NULL) threads it under an earlier mail of ours. */
static gboolean
queue_reply_mail (ShrNotify *n, gint64 draft_id, gint64 case_id, const gchar *kind, const gchar *lang,
                  const gchar *message_id, const gchar *in_reply_to, const gchar *const *to,
                  const ShrRendered *rendered, const gchar *grade, GError **error)
{
  g_autofree gchar *case_text = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  ShrComposeOptions opts = {
    .from = n->from,
    .to = to,
    /* notices and digests go to people whose questions are for the approvers */
    .reply_to
    = g_strcmp0 (kind, "notice") == 0 || g_strcmp0 (kind, "digest") == 0 ? n->approvers_list : n->watched,
    .charset = n->charset,
    .message_id = message_id,
    .in_reply_to = in_reply_to,
    .grade = grade,
    .case_id = case_id > 0 ? case_text : NULL, /* a digest belongs to no case */
  };
  g_autoptr (GMimeMessage) msg
      = shr_compose_message (&opts, rendered->subject, rendered->text, rendered->html, error);
  if (msg == NULL)
    return FALSE;
  g_autofree gchar *text = shr_compose_to_string (msg, TRUE);
  g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
  return shr_store_outbox_add_message (n->store, draft_id, kind, lang, message_id, n->from_address, to, bytes,
                                       NULL, error);
}

static gboolean
queue_mail (ShrNotify *n, gint64 draft_id, gint64 case_id, const gchar *kind, const gchar *lang,
            const gchar *message_id, const gchar *const *to, const ShrRendered *rendered, const gchar *grade,
            GError **error)
{
  return queue_reply_mail (n, draft_id, case_id, kind, lang, message_id, NULL, to, rendered, grade, error);
}

static gchar *our_message_id (ShrNotify *n, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

/* (transfer full) A Message-ID of ours: "@format.INSTANCE@domain", where
 * INSTANCE is the database's instance id, so that a new database (a lost
 * one re-created) never reuses an old Message-ID: mail clients and the
 * outbox take a Message-ID seen before as the same mail. */
static gchar *
our_message_id (ShrNotify *n, const gchar *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree gchar *local = g_strdup_vprintf (format, ap);
  va_end (ap);
  return g_strdup_printf ("%s.%.12s@%s", local, shr_store_get_instance_id (n->store), n->domain);
}

/* The Message-ID of draft @d's notice in @lang (fixed by its id and token,
 * so an update can refer to it without reading the outbox). */
static gchar *
notice_message_id (ShrNotify *n, const ShrStoreDraft *d, const gchar *lang)
{
  /* A draft approved from a shell before it was mailed has no token yet. */
  return our_message_id (n, "notice.%" G_GINT64_FORMAT ".%s.%s", d->id, lang,
                         d->token != NULL ? d->token : "unmailed");
}

/* For an update draft (続報): adds update.earlier (the Subjects and grade of
 * the case's first approved notice) to @view, which the templates show
 * and whose Subject gains 【続報】 / [Update], and gives that draft in
 * @earlier (transfer full; NULL for a first notice) so its notices can be
 * threaded under the first ones. */
static gboolean
add_update (ShrNotify *n, const ShrStoreDraft *d, JsonNode *view, ShrStoreDraft **earlier, GError **error)
{
  *earlier = NULL;
  if (g_strcmp0 (d->kind, "update") != 0)
    return TRUE;
  gint64 first_id = 0;
  if (!shr_store_case_notified_draft (n->store, d->case_id, d->id, &first_id, error))
    return FALSE;
  if (first_id == 0)
    return TRUE;
  g_autoptr (ShrStoreDraft) first = shr_store_draft_get (n->store, first_id, error);
  if (first == NULL)
    return FALSE;
  g_autoptr (JsonNode) first_view = draft_view (first, error);
  if (first_view == NULL || !shr_renderer_add_subjects (n->renderer, first_view, error))
    return FALSE;
  JsonObject *fo = json_node_get_object (first_view);
  JsonObject *e = json_object_new ();
  json_object_set_string_member (e, "subject_ja", json_object_get_string_member (fo, "subject_ja"));
  json_object_set_string_member (e, "subject_en", json_object_get_string_member (fo, "subject_en"));
  if (json_object_has_member (fo, "grade"))
    json_object_set_member (e, "grade", json_node_copy (json_object_get_member (fo, "grade")));
  JsonObject *u = json_object_new ();
  json_object_set_object_member (u, "earlier", e);
  json_object_set_object_member (json_node_get_object (view), "update", u);
  *earlier = g_steal_pointer (&first);
  return TRUE;
}

/* ---- drafts out ---------------------------------------------------------------- */

typedef struct
{
  ShrNotify *n;
  const ShrStoreDraft *draft;
  const gchar *token;
  const gchar *message_id;
  const ShrRendered *rendered;
  const gchar *grade;
  const gchar *body;    /* the draft's JSON with the notices as shown */
  const gchar *summary; /* the summariser's outcome (JSON), or NULL */
} DraftTxn;

static gboolean
draft_txn (ShrStore *store, gpointer data, GError **error)
{
  DraftTxn *t = data;
  /* Read again inside the transaction: another process may have queued it. */
  g_autoptr (ShrStoreDraft) now = shr_store_draft_get (store, t->draft->id, error);
  if (now == NULL)
    return FALSE;
  if (now->token != NULL)
    return TRUE;
  return shr_store_draft_set_ids (store, t->draft->id, t->token, t->message_id, error)
         && shr_store_draft_set_body (store, t->draft->id, t->body, error)
         && (t->summary == NULL || shr_store_draft_set_summary (store, t->draft->id, t->summary, error))
         && queue_mail (t->n, t->draft->id, t->draft->case_id, "draft", NULL, t->message_id,
                        (const gchar *const *)t->n->approval->approvers, t->rendered, t->grade, error);
}

/* [summary] command: runs it for draft @d (whose stored @body holds the
 * record and the advisory's text) and keeps the outcome in @body and
 * @summary_json (transfer full). A summary that passed its checks goes
 * into @view as "machine" (the notices use it: an approval approves it),
 * with the built-in sentences it replaces beside it ("machine_builtin")
 * for the draft to show; a discarded one leaves the built-in text and
 * the draft says why ("machine_discarded"). */
static gboolean
add_machine_summary (ShrNotify *n, const ShrStoreDraft *d, JsonObject *body, JsonNode *view,
                     gchar **summary_json, GError **error)
{
  JsonNode *match = json_object_get_member (body, "match");
  JsonNode *record = match != NULL && JSON_NODE_HOLDS_OBJECT (match)
                         ? json_object_get_member (json_node_get_object (match), "record")
                         : NULL;
  const gchar *text = json_object_get_string_member_with_default (body, "advisory_text", NULL);
  g_autoptr (JsonNode) outcome = shr_summary_for_draft (n->summary, n->lexicon, record, text, d->id);
  *summary_json = json_to_string (outcome, FALSE);
  json_object_set_member (body, "summary", json_node_copy (outcome));
  JsonObject *o = json_node_get_object (outcome);
  JsonObject *v = json_node_get_object (view);
  if (!json_object_get_boolean_member (o, "ok"))
    {
      json_object_set_string_member (v, "machine_discarded", json_object_get_string_member (o, "reason"));
      return TRUE;
    }
  if (!shr_renderer_add_subjects (n->renderer, view, error))
    return FALSE;
  JsonObject *builtin = json_object_new ();
  static const gchar *const keys[] = { "in_short_ja", "in_short_en", "title_ja" };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    json_object_set_string_member (builtin, keys[i], json_object_get_string_member (v, keys[i]));
  json_object_set_object_member (v, "machine_builtin", builtin);
  json_object_set_member (v, "machine", json_node_copy (json_object_get_member (o, "summary")));
  return TRUE;
}

static gboolean
queue_draft (ShrNotify *n, const ShrStoreDraft *d, GError **error)
{
  g_autoptr (JsonNode) view = draft_view (d, error);
  g_autoptr (ShrStoreDraft) earlier = NULL;
  if (view == NULL || !add_update (n, d, view, &earlier, error))
    return FALSE;
  g_autofree gchar *token
      = shr_approve_token (n->secret, shr_store_get_instance_id (n->store), d->id, d->created_at);
  g_autofree gchar *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, d->id);
  g_autofree gchar *message_id = our_message_id (n, "draft.%s.%s", id_text, token);
  /* The notices are kept as rendered now, with the draft that shows them:
   * an approval sends this text even if the templates change meanwhile. */
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, d->body, -1, error))
    return FALSE;
  JsonObject *body = json_node_get_object (json_parser_get_root (parser));
  g_autofree gchar *summary_text = NULL;
  if (n->summary != NULL && !add_machine_summary (n, d, body, view, &summary_text, error))
    return FALSE;
  JsonObject *notices = json_object_new ();
  json_object_set_object_member (body, "notices", notices);
  static const struct
  {
    const gchar *lang;
    ShrRenderLang render;
  } langs[] = { { "ja", SHR_RENDER_LANG_JA }, { "en", SHR_RENDER_LANG_EN } };
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autoptr (ShrRendered) notice = shr_renderer_notice (n->renderer, view, langs[i].render, error);
      if (notice == NULL)
        return FALSE;
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "subject", notice->subject);
      json_object_set_string_member (o, "text", notice->text);
      json_object_set_string_member (o, "html", notice->html);
      json_object_set_object_member (notices, langs[i].lang, o);
    }
  g_autofree gchar *body_text = json_to_string (json_parser_get_root (parser), FALSE);
  /* A draft that replaces an older one (the case's grade rose before the
   * approvers answered) says which: that one can no longer be approved. */
  gint64 replaces = json_object_get_int_member_with_default (body, "replaces", 0);
  g_autoptr (ShrStoreDraft) old = replaces > 0 ? shr_store_draft_get (n->store, replaces, NULL) : NULL;
  if (old != NULL && old->token != NULL)
    {
      JsonObject *r = json_object_new ();
      json_object_set_int_member (r, "id", old->id);
      json_object_set_string_member (r, "token", old->token);
      json_object_set_object_member (json_node_get_object (view), "replaces", r);
    }
  g_autoptr (ShrRendered) rendered = shr_renderer_draft (n->renderer, view, token, id_text, error);
  if (rendered == NULL)
    return FALSE;
  DraftTxn t = { n, d, token, message_id, rendered, view_grade (view), body_text, summary_text };
  return shr_store_transaction (n->store, draft_txn, &t, error);
}

/* (transfer full) The notice in @lang as approved with edits: the edited
 * Subject and text, word for word, and no HTML part (an HTML part made
 * from the templates would not say what the approver wrote); NULL when
 * @lang was not edited. */
static ShrRendered *
edited_notice (const ShrStoreDraft *d, const gchar *lang)
{
  g_autoptr (ShrEdit) edit = shr_edit_from_json (d->edited);
  const ShrEditedNotice *e = edit == NULL ? NULL : strcmp (lang, "ja") == 0 ? edit->ja : edit->en;
  if (e == NULL)
    return NULL;
  ShrRendered *r = g_new0 (ShrRendered, 1);
  r->subject = g_strdup (e->subject);
  r->text = g_strdup (e->text);
  return r;
}

/* (transfer full) The notice in @lang as it goes out: as edited by the
 * approvers, else as draft @d showed it, or NULL for a draft mailed before
 * notices were kept with it (then rendered anew). */
static ShrRendered *
shown_notice (const ShrStoreDraft *d, const gchar *lang)
{
  ShrRendered *edited = edited_notice (d, lang);
  if (edited != NULL)
    return edited;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (d->body == NULL || !json_parser_load_from_data (parser, d->body, -1, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  JsonObject *body = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *notices = body != NULL && json_object_has_member (body, "notices")
                            ? json_object_get_object_member (body, "notices")
                            : NULL;
  JsonObject *o = notices != NULL && json_object_has_member (notices, lang)
                      ? json_object_get_object_member (notices, lang)
                      : NULL;
  if (o == NULL)
    return NULL;
  ShrRendered *r = g_new0 (ShrRendered, 1);
  r->subject = g_strdup (json_object_get_string_member_with_default (o, "subject", ""));
  r->text = g_strdup (json_object_get_string_member_with_default (o, "text", ""));
  const gchar *html = json_object_get_string_member_with_default (o, "html", NULL);
  r->html = html != NULL ? g_strdup (html) : NULL;
  return r;
}

/* Sets "title" (and "title_en") of a mail about draft @d (may be NULL)
 * to the Subjects of its notices as the draft showed them, which the
 * approver knows it by; a draft never mailed has only the source's title. */
static void
add_titles (JsonObject *o, const ShrStoreDraft *d)
{
  g_autoptr (ShrRendered) ja = d != NULL ? shown_notice (d, "ja") : NULL;
  g_autoptr (ShrRendered) en = d != NULL ? shown_notice (d, "en") : NULL;
  const gchar *title = ja != NULL ? ja->subject : d != NULL ? d->subject : NULL;
  json_object_set_string_member (o, "title", title != NULL ? title : "");
  if (en != NULL && ja != NULL)
    json_object_set_string_member (o, "title_en", en->subject);
}

/* The words of a draft's @status ("approved" …) for a mail: @ja, @en. */
static void
add_status_words (JsonObject *o, const gchar *status)
{
  static const gchar *const words[][3] = {
    { "approved", "承認済み", "approved" },
    { "sent", "送信済み", "sent" },
    { "rejected", "却下済み", "rejected" },
    { "expired", "期限切れか、新しい下書きに置き換え済み", "expired or replaced by a newer draft" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_strcmp0 (status, words[i][0]) == 0)
      {
        json_object_set_string_member (o, "status_ja", words[i][1]);
        json_object_set_string_member (o, "status_en", words[i][2]);
      }
}

/* ---- approved: the notices ------------------------------------------------------- */

typedef struct
{
  ShrNotify *n;
  gint64 draft_id;
  const gchar *approver; /* the deciding address, or NULL (a shell) */
} ApprovedTxn;

/* The confirmation to the approver (DESIGN.md: each decision is confirmed
 * by mail): what was decided, and for an approval who receives what. */
/* Adds member @name: [{address, langs}] for @addresses (NULL-terminated,
 * may be NULL). */
static void
add_recipient_list (ShrNotify *n, JsonBuilder *b, const gchar *name, const gchar *const *addresses)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "address");
      json_builder_add_string_value (b, addresses[i]);
      json_builder_set_member_name (b, "langs");
      json_builder_add_string_value (b, strcmp (n->lang, "both") == 0 ? "日本語・English"
                                        : strcmp (n->lang, "ja") == 0 ? "日本語"
                                                                      : "English");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* For a draft approved with edits (or whose approvals so far are of an
 * edited text): "edited" and "diff", what the edit changes against the
 * notices the draft showed, and "edited_blocks", the edited notices
 * between the draft's markers (an approver who agrees replies with them). */
static void
add_edit_diff (JsonObject *o, const ShrStoreDraft *d)
{
  g_autoptr (ShrEdit) edit = shr_edit_from_json (d->edited);
  if (edit == NULL)
    return;
  g_autoptr (ShrEdit) drafted = shr_edit_drafted (d->body);
  g_autofree gchar *diff = shr_edit_diff (edit, drafted);
  g_autofree gchar *ja = edit->ja != NULL ? shr_edit_block ("ja", edit->ja->subject, edit->ja->text) : NULL;
  g_autofree gchar *en = edit->en != NULL ? shr_edit_block ("en", edit->en->subject, edit->en->text) : NULL;
  GString *blocks = g_string_new (ja);
  if (en != NULL)
    g_string_append_printf (blocks, "%s%s", blocks->len > 0 ? "\n" : "", en);
  json_object_set_boolean_member (o, "edited", TRUE);
  json_object_set_string_member (o, "diff", diff);
  json_object_set_string_member (o, "edited_blocks", blocks->str);
  g_string_free (blocks, TRUE);
}

/* (transfer full) Mail template @name rendered with @view, tidied and
 * wrapped, except the diff and the edited notices ("diff",
 * "edited_blocks"), which the approver reads and quotes as they are. */
static gchar *
render_note (ShrNotify *n, const gchar *name, JsonNode *view, GError **error)
{
  JsonObject *o = json_node_get_object (view);
  const gchar *verbatim[3] = { NULL };
  guint k = 0;
  static const gchar *const keys[] = { "diff", "edited_blocks" };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (json_object_has_member (o, keys[i]))
      verbatim[k++] = json_object_get_string_member (o, keys[i]);
  return shr_renderer_mail (n->renderer, name, view, verbatim, error);
}

/* @folded (may be NULL): the recipients who get it in the next digest
 * instead ([recipients] hourly_cap). */
static gboolean
queue_confirmation (ShrNotify *n, const ShrStoreDraft *d, const gchar *approver, ShrDecisionOutcome outcome,
                    const gchar *reason, const gchar *const *recipients, const gchar *const *folded,
                    GError **error)
{
  const gchar *what = outcome == SHR_DECISION_APPROVED                                        ? "approved"
                      : outcome == SHR_DECISION_REJECTED                                      ? "rejected"
                      : outcome == SHR_DECISION_HELD                                          ? "held"
                      : outcome == SHR_DECISION_RECORDED || outcome == SHR_DECISION_RESTARTED ? "recorded"
                                                                                              : NULL;
  if (approver == NULL || what == NULL)
    return TRUE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, what);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "approver");
  json_builder_add_string_value (b, approver);
  json_builder_set_member_name (b, "draft_id");
  json_builder_add_int_value (b, d->id);
  if (outcome == SHR_DECISION_RESTARTED)
    {
      json_builder_set_member_name (b, "restarted");
      json_builder_add_boolean_value (b, TRUE);
    }
  if (outcome == SHR_DECISION_RECORDED || outcome == SHR_DECISION_RESTARTED)
    {
      gint64 approvals = 0;
      if (!shr_store_count_approvals (n->store, d->id, &approvals, error))
        return FALSE;
      json_builder_set_member_name (b, "missing");
      json_builder_add_int_value (b, MAX ((gint64)n->approval->quorum - approvals, 1));
    }
  if (reason != NULL && *reason != '\0')
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, reason);
    }
  add_recipient_list (n, b, "recipients", recipients);
  add_recipient_list (n, b, "folded", folded);
  json_builder_set_member_name (b, "has_folded");
  json_builder_add_boolean_value (b, folded != NULL && folded[0] != NULL);
  json_builder_set_member_name (b, "cap");
  json_builder_add_int_value (b, n->hourly_cap);
  json_builder_end_object (b);
  g_autoptr (JsonNode) view = json_builder_get_root (b);
  add_titles (json_node_get_object (view), d);
  if (strcmp (what, "approved") == 0 || strcmp (what, "recorded") == 0)
    add_edit_diff (json_node_get_object (view), d);
  g_autofree gchar *subject = shr_renderer_render (n->renderer, "confirmation-subject.txt", view, error);
  if (subject == NULL)
    return FALSE;
  g_autofree gchar *text = render_note (n, "confirmation.txt", view, error);
  if (text == NULL)
    return FALSE;
  g_strstrip (subject);
  ShrRendered rendered = { .subject = subject, .text = text, .html = NULL };
  /* One confirmation per (draft, approver, decision): a replayed reply
   * queues the same Message-ID, which the outbox takes once. */
  g_autofree gchar *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, approver, -1);
  g_autofree gchar *message_id
      = our_message_id (n, "confirm.%" G_GINT64_FORMAT ".%s.%.12s", d->id, what, hash);
  const gchar *to[] = { approver, NULL };
  return queue_mail (n, d->id, d->case_id, "confirmation", NULL, message_id, to, &rendered, NULL, error);
}

/* Flood control (DESIGN.md, send): a recipient who was already queued
 * [recipients] hourly_cap notices in the last hour gets a grade C or
 * informational notice in the next digest instead; grade A and B always
 * go at once. Moves those recipients from @to (NULL-terminated) to
 * @folded (transfer full, NULL-terminated) and adds a digest item for each,
 * in the caller's transaction. */
static gboolean
fold_over_cap (ShrNotify *n, const ShrStoreDraft *d, JsonNode *view, GPtrArray *to, GPtrArray **folded,
               GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  JsonObject *o = json_node_get_object (view);
  JsonObject *g = json_object_has_member (o, "grade") ? json_object_get_object_member (o, "grade") : NULL;
  gboolean foldable = g != NULL
                      && (json_object_get_boolean_member_with_default (g, "c", FALSE)
                          || json_object_get_boolean_member_with_default (g, "none", FALSE));
  if (n->hourly_cap > 0 && foldable)
    {
      gint64 since = notify_now (n) - 3600;
      g_autofree gchar *view_json = NULL;
      for (guint i = 0; i + 1 < to->len;)
        {
          const gchar *r = to->pdata[i];
          gint64 count = 0;
          if (!shr_store_notices_to_recipient_since (n->store, r, since, &count, error))
            return FALSE;
          if (count < n->hourly_cap)
            {
              i++;
              continue;
            }
          /* The view as approved: the digest renders this very notice. */
          if (view_json == NULL)
            view_json = json_to_string (view, FALSE);
          if (!shr_store_digest_add (n->store, SHR_DIGEST_FOLDED, d->case_id, NULL, d->id, r, n->lang,
                                     view_json, NULL, error))
            return FALSE;
          g_ptr_array_add (out, g_ptr_array_steal_index (to, i));
        }
    }
  g_ptr_array_add (out, NULL);
  *folded = g_steal_pointer (&out);
  return TRUE;
}

/* Runs inside the approving transaction: the notices commit with it. */
static gboolean
on_approved (ShrStore *store, ApprovedTxn *t, GError **error)
{
  ShrNotify *n = t->n;
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (store, t->draft_id, error);
  if (d == NULL)
    return FALSE;
  g_autoptr (JsonNode) view = draft_view (d, error);
  g_autoptr (ShrStoreDraft) earlier = NULL;
  if (view == NULL || !add_update (n, d, view, &earlier, error))
    return FALSE;
  /* [recipients] default plus the owners of the matched assets. */
  g_autoptr (GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  for (gchar **r = n->recipients; *r != NULL; r++)
    add_addresses (to, *r);
  JsonObject *o = json_node_get_object (view);
  JsonArray *owners
      = json_object_has_member (o, "owners") ? json_object_get_array_member (o, "owners") : NULL;
  for (guint i = 0; owners != NULL && i < json_array_get_length (owners); i++)
    {
      JsonObject *owner = json_array_get_object_element (owners, i);
      if (owner != NULL && json_object_has_member (owner, "v"))
        add_addresses (to, json_object_get_string_member (owner, "v"));
    }
  if (to->len == 0)
    {
      g_warning ("draft %" G_GINT64_FORMAT
                 " approved but [recipients] default and the asset owners are empty: "
                 "no notice to send",
                 t->draft_id);
      return TRUE;
    }
  g_ptr_array_add (to, NULL);
  g_autoptr (GPtrArray) folded = NULL;
  if (!fold_over_cap (n, d, view, to, &folded, error))
    return FALSE;
  if (to->len == 1) /* every recipient is over the cap */
    return queue_confirmation (n, d, t->approver, SHR_DECISION_APPROVED, NULL, NULL,
                               (const gchar *const *)folded->pdata, error);
  static const struct
  {
    const gchar *lang;
    ShrRenderLang render;
  } langs[] = { { "ja", SHR_RENDER_LANG_JA }, { "en", SHR_RENDER_LANG_EN } };
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      if (strcmp (n->lang, "both") != 0 && strcmp (n->lang, langs[i].lang) != 0)
        continue;
      g_autoptr (ShrRendered) rendered = shown_notice (d, langs[i].lang);
      if (rendered == NULL
          && (rendered = shr_renderer_notice (n->renderer, view, langs[i].render, error)) == NULL)
        return FALSE;
      g_autofree gchar *message_id = notice_message_id (n, d, langs[i].lang);
      g_autofree gchar *in_reply_to = earlier != NULL ? notice_message_id (n, earlier, langs[i].lang) : NULL;
      if (!queue_reply_mail (n, d->id, d->case_id, "notice", langs[i].lang, message_id, in_reply_to,
                             (const gchar *const *)to->pdata, rendered, view_grade (view), error))
        return FALSE;
    }
  return queue_confirmation (n, d, t->approver, SHR_DECISION_APPROVED, NULL, (const gchar *const *)to->pdata,
                             (const gchar *const *)folded->pdata, error);
}

/* Runs inside the deciding transaction (ShrDecidedFunc): an approval
 * queues the notices and its confirmation, any other decision its
 * confirmation, so a crash never leaves a decision unconfirmed. */
static gboolean
on_decided (ShrStore *store, ShrDecisionOutcome outcome, const gchar *reason, gpointer data, GError **error)
{
  ApprovedTxn *t = data;
  if (outcome == SHR_DECISION_APPROVED)
    return on_approved (store, t, error);
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (store, t->draft_id, error);
  if (d == NULL)
    return FALSE;
  return queue_confirmation (t->n, d, t->approver, outcome, reason, NULL, NULL, error);
}

gboolean
shr_notify_decide (ShrNotify *n, gint64 draft_id, const gchar *who, ShrCommand command, const gchar *reason,
                   ShrDecisionOutcome *outcome, GError **error)
{
  g_return_val_if_fail (n != NULL && who != NULL && outcome != NULL, FALSE);
  /* From a shell there is no address to confirm to: the command prints. */
  ApprovedTxn t = { n, draft_id, NULL };
  return shr_approve_decide (n->store, draft_id, who, command, reason, NULL, n->approval->quorum, on_decided,
                             &t, outcome, error);
}

/* ---- replies in -------------------------------------------------------------------- */

static gboolean explain_refused (ShrNotify *n, const ShrReply *reply, const ShrReplyResult *result,
                                 GError **error);

gboolean
shr_notify_reply (ShrNotify *n, const ShrMessage *message, GError **error)
{
  g_return_val_if_fail (n != NULL && message != NULL, FALSE);
  g_autoptr (ShrReply) reply = shr_reply_new_from_message (message);
  if (reply->from == NULL)
    {
      /* Nobody's mail (no From, two From headers, two addresses): never an
       * approver's, and not answered. */
      g_message ("a reply to a draft from nobody in particular (%s): ignored", message->sender_problem);
      return TRUE;
    }
  /* The same lookup as shr_approve_handle_reply, for the notices' draft. */
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  for (guint i = 0; i < reply->refs->len; i++)
    g_ptr_array_add (ids, reply->refs->pdata[i]);
  g_ptr_array_add (ids, NULL);
  g_autofree gchar *token = shr_approve_subject_token (reply->subject);
  ApprovedTxn t = { n, 0, reply->from };
  if (!shr_store_draft_find (n->store, (const gchar *const *)ids->pdata, token, &t.draft_id, error))
    return FALSE;
  ShrReplyResult result = { 0 };
  gint64 now = notify_now (n);
  if (!shr_approve_handle_reply (n->store, n->approval, reply, now, on_decided, &t, &result, error))
    return FALSE;
  /* Decisions were confirmed in their own transaction (on_decided); a
   * reply that decided nothing is explained, only to an approver who
   * wrote in person (result.answer: never to strangers or auto-replies). */
  gboolean ok = TRUE;
  if (result.answer
      && (!result.decided || result.outcome == SHR_DECISION_REPLAY
          || result.outcome == SHR_DECISION_NOT_PENDING || result.outcome == SHR_DECISION_EDIT_CONFLICT))
    ok = explain_refused (n, reply, &result, error);
  if (!ok)
    {
      shr_reply_result_clear (&result);
      return FALSE;
    }
  g_autofree gchar *draft_text = g_strdup_printf ("%" G_GINT64_FORMAT, result.draft_id);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "SHR_DRAFT", draft_text, "MESSAGE", "reply: %s (%s)",
                    result.message != NULL ? result.message : "",
                    shr_reply_verdict_to_string (result.verdict));
  shr_reply_result_clear (&result);
  return TRUE;
}

/* ---- notes to the approvers: reminders, expiry, delivery failures ------------ */

/* Renders templates/note*.txt with @view and queues it to @to (NULL: the
 * approvers), in the caller's transaction. @message_id makes it once only. */
static gboolean
queue_note_to (ShrNotify *n, gint64 draft_id, gint64 case_id, JsonNode *view, const gchar *message_id,
               const gchar *const *to, GError **error)
{
  JsonObject *o = json_node_get_object (view);
  json_object_set_string_member (o, "org", n->org_name != NULL ? n->org_name : "");
  g_autofree gchar *subject = shr_renderer_render (n->renderer, "note-subject.txt", view, error);
  if (subject == NULL)
    return FALSE;
  g_autofree gchar *text = render_note (n, "note.txt", view, error);
  if (text == NULL)
    return FALSE;
  g_strstrip (subject);
  ShrRendered rendered = { .subject = subject, .text = text, .html = NULL };
  return queue_mail (n, draft_id, case_id, "report", NULL, message_id,
                     to != NULL ? to : (const gchar *const *)n->approval->approvers, &rendered, NULL, error);
}

static gboolean
queue_note (ShrNotify *n, gint64 draft_id, gint64 case_id, JsonNode *view, const gchar *message_id,
            GError **error)
{
  return queue_note_to (n, draft_id, case_id, view, message_id, NULL, error);
}

static JsonNode *
note_view (ShrNotify *n, const ShrStoreDraft *d, const gchar *flag)
{
  JsonObject *o = json_object_new ();
  json_object_set_boolean_member (o, flag, TRUE);
  add_titles (o, d);
  if (d != NULL)
    {
      json_object_set_int_member (o, "draft_id", d->id);
      if (d->token != NULL)
        json_object_set_string_member (o, "token", d->token);
      /* The organisation's time, as its approvers read clocks. */
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (d->created_at);
      g_autoptr (GDateTime) t = g_date_time_to_timezone (utc, n->org->timezone);
      g_autofree gchar *created = g_date_time_format (t, "%Y-%m-%d %H:%M %Z");
      json_object_set_string_member (o, "created", created);
    }
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

typedef struct
{
  ShrNotify *n;
  const ShrReplyResult *result;
  const gchar *to;
  const gchar *key; /* why.KEY in note.txt */
  const gchar *message_id;
} RefusedTxn;

static gboolean
refused_txn (ShrStore *store, gpointer data, GError **error)
{
  RefusedTxn *t = data;
  g_autoptr (ShrStoreDraft) d = NULL;
  if (t->result->draft_id > 0 && (d = shr_store_draft_get (store, t->result->draft_id, error)) == NULL)
    return FALSE;
  g_autoptr (JsonNode) view = note_view (t->n, d, "refused");
  JsonObject *o = json_node_get_object (view);
  JsonObject *why = json_object_new ();
  json_object_set_boolean_member (why, t->key, TRUE);
  json_object_set_object_member (o, "why", why);
  json_object_set_string_member (o, "to", t->to);
  if (d != NULL)
    {
      json_object_set_string_member (o, "status", d->status);
      add_status_words (o, d->status);
    }
  if (t->result->edit_problem != NULL)
    json_object_set_string_member (o, "detail", t->result->edit_problem);
  if (d != NULL && t->result->decided && t->result->outcome == SHR_DECISION_EDIT_CONFLICT)
    add_edit_diff (o, d);
  const gchar *to[] = { t->to, NULL };
  return queue_note_to (t->n, d != NULL ? d->id : 0, d != NULL ? d->case_id : 0, view, t->message_id, to,
                        error);
}

/* An approver's reply that decided nothing is answered with the reason
 * (DESIGN.md "Approval by reply"), once per reply: the same reply read
 * again (delivered twice, or after a crash) gets no second answer, and
 * neither does one whose decision was recorded (it was confirmed). */
static gboolean
explain_refused (ShrNotify *n, const ShrReply *reply, const ShrReplyResult *result, GError **error)
{
  gboolean decided_before = FALSE;
  if (!shr_store_decision_from_reply (n->store, reply->message_id, &decided_before, error))
    return FALSE;
  if (decided_before)
    return TRUE;
  g_autofree gchar *key = NULL;
  if (result->decided && result->outcome == SHR_DECISION_EDIT_CONFLICT)
    key = g_strdup ("edit_conflict");
  else if (result->decided)
    key = g_strdup (result->outcome == SHR_DECISION_REPLAY ? "already_decided" : "not_pending");
  else if (result->edit_problem != NULL)
    key = g_strdup ("bad_edit");
  else if (result->verdict == SHR_REPLY_ACCEPT)
    key = g_strdup ("no_command");
  else
    key = g_strdelimit (g_strdup (shr_reply_verdict_to_string (result->verdict)), "-", '_');
  /* Without a Message-ID, what the reply says stands for it: the same
   * reply read again makes the same answer, which the outbox takes once. */
  g_autofree gchar *said
      = reply->message_id == NULL
            ? g_strdup_printf ("%s\n%s\n%s", reply->from, reply->subject != NULL ? reply->subject : "",
                               reply->body != NULL ? reply->body : "")
            : NULL;
  g_autofree gchar *hash
      = g_compute_checksum_for_string (G_CHECKSUM_SHA256, said != NULL ? said : reply->message_id, -1);
  g_autofree gchar *message_id = our_message_id (n, "refused.%.16s", hash);
  RefusedTxn t = { n, result, reply->from, key, message_id };
  return shr_store_transaction (n->store, refused_txn, &t, error);
}

typedef struct
{
  ShrNotify *n;
  gint64 draft_id;
  gint64 now;
} ReminderTxn;

static gboolean
reminder_txn (ShrStore *store, gpointer data, GError **error)
{
  ReminderTxn *r = data;
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (store, r->draft_id, error);
  if (d == NULL)
    return FALSE;
  if (g_strcmp0 (d->status, "pending") != 0 || d->reminded_at != 0 || d->token == NULL)
    return TRUE;
  g_autoptr (JsonNode) view = note_view (r->n, d, "reminder");
  g_autofree gchar *message_id = our_message_id (r->n, "remind.%" G_GINT64_FORMAT ".%s", d->id, d->token);
  return queue_note (r->n, d->id, d->case_id, view, message_id, error)
         && shr_store_draft_set_reminded (store, d->id, r->now, error);
}

/* Pending drafts past [approval] remind_hours get one reminder; past
 * expire_hours they expire (and are never sent), with a note saying so. */
static gboolean
remind_and_expire (ShrNotify *n, gint64 now, GError **error)
{
  g_autoptr (GArray) expired = NULL;
  if (!shr_approve_expire (n->store, now, n->approval->expire_hours, &expired, error))
    return FALSE;
  for (guint i = 0; expired != NULL && i < expired->len; i++)
    {
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (n->store, g_array_index (expired, gint64, i), error);
      if (d == NULL)
        return FALSE;
      g_autoptr (JsonNode) view = note_view (n, d, "expired");
      json_object_set_int_member (json_node_get_object (view), "hours", n->approval->expire_hours);
      g_autofree gchar *message_id = our_message_id (n, "expired.%" G_GINT64_FORMAT, d->id);
      if (!queue_note (n, d->id, d->case_id, view, message_id, error))
        return FALSE;
    }
  g_autoptr (GArray) due = NULL;
  if (!shr_store_drafts_pending (n->store, now - (gint64)n->approval->remind_hours * 3600, TRUE, &due, error))
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    {
      ReminderTxn r = { n, g_array_index (due, gint64, i), now };
      if (!shr_store_transaction (n->store, reminder_txn, &r, error))
        return FALSE;
    }
  return TRUE;
}

/* A mail that failed for good is reported to the approvers (but a failed
 * report is not reported again: no loop). */
static gboolean
report_failures (ShrNotify *n, const ShrOutboxReport *report, GError **error)
{
  for (guint i = 0; report->failures != NULL && i < report->failures->len; i++)
    {
      const ShrOutboxFailure *f = g_ptr_array_index (report->failures, i);
      if (g_strcmp0 (f->kind, "report") == 0)
        continue;
      g_autoptr (ShrStoreDraft) d
          = f->draft_id > 0 ? shr_store_draft_get (n->store, f->draft_id, NULL) : NULL;
      g_autoptr (JsonNode) view = note_view (n, d, "failed");
      JsonObject *o = json_node_get_object (view);
      json_object_set_string_member (o, "recipient", f->recipient);
      json_object_set_string_member (o, "kind", f->kind);
      json_object_set_string_member (o, "error", f->error != NULL ? f->error : "");
      /* One report per draft, kind and recipient: the Japanese and the
       * English notice refused to one address make one report, not two. */
      g_autofree gchar *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, f->recipient, -1);
      g_autofree gchar *message_id
          = f->draft_id > 0
                ? our_message_id (n, "failed.%" G_GINT64_FORMAT ".%s.%.12s", f->draft_id, f->kind, hash)
                : our_message_id (n, "failed.row%" G_GINT64_FORMAT, f->row_id);
      if (!queue_note (n, f->draft_id, d != NULL ? d->case_id : 0, view, message_id, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  ShrNotify *n;
  const ShrOutboxReport *report;
} ReportTxn;

static gboolean
report_failures_txn (ShrStore *store, gpointer data, GError **error)
{
  ReportTxn *r = data;
  return report_failures (r->n, r->report, error);
}

/* ---- the daily digest -------------------------------------------------------------- */

/* The organisation's date ("2026-03-16") of the last digest queued. */
#define DIGEST_LAST_DATE "digest.last_date"

typedef struct
{
  ShrNotify *n;
  gint64 now;
  GDateTime *local; /* @now in the organisation's time zone */
  gboolean due;     /* [digest] time has passed on that day */
} DigestTxn;

/* The organisation's date of @local shifted by @days (caller frees). */
static gchar *
local_date (GDateTime *local, gint days)
{
  g_autoptr (GDateTime) d = g_date_time_add_days (local, days);
  return g_date_time_format (d, "%Y-%m-%d");
}

/* Renders @subject_name and @text_name with @view and queues the result
 * to @to as a digest (in the caller's transaction). @notices: the notices
 * the digest quotes, kept as they went out (not wrapped again). */
static gboolean
queue_digest_mail (ShrNotify *n, const gchar *subject_name, const gchar *text_name, JsonNode *view,
                   const gchar *const *notices, const gchar *message_id, const gchar *const *to,
                   GError **error)
{
  g_autofree gchar *raw_subject = shr_renderer_render (n->renderer, subject_name, view, error);
  if (raw_subject == NULL)
    return FALSE;
  g_autofree gchar *subject = shr_text_one_line (raw_subject);
  g_autofree gchar *text = shr_renderer_mail (n->renderer, text_name, view, notices, error);
  if (text == NULL)
    return FALSE;
  ShrRendered rendered = { .subject = subject, .text = text, .html = NULL };
  return queue_mail (n, 0, 0, "digest", NULL, message_id, to, &rendered, NULL, error);
}

/* Deterministic per day and audience: a digest queued again after a crash
 * (the transaction rolled back) carries the same Message-ID. */
static gchar *
digest_message_id (ShrNotify *n, const gchar *date, const gchar *audience)
{
  g_autofree gchar *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, audience, -1);
  return our_message_id (n, "digest.%s.%.12s", date, hash);
}

/* One recipient's digest: the notices held back from them (@items, each
 * a FOLDED ShrDigestItem), each exactly as the approver saw it in the
 * draft (else rendered from the view approved), in the languages it would
 * have gone out in. */
static gboolean
queue_recipient_digest (ShrNotify *n, const gchar *recipient, GPtrArray *items, GDateTime *now,
                        const gchar *date, GError **error)
{
  g_autoptr (JsonArray) notices = json_array_new ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      const ShrDigestItem *item = items->pdata[i];
      gboolean ja = g_strcmp0 (item->lang, "en") != 0, en = g_strcmp0 (item->lang, "ja") != 0;
      g_autoptr (JsonNode) view = json_from_string (item->view, error);
      if (view == NULL)
        return FALSE;
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (n->store, item->draft_id, error);
      if (d == NULL)
        return FALSE;
      JsonObject *entry = json_object_new ();
      json_object_set_int_member (entry, "n", i + 1);
      json_array_add_object_element (notices, entry);
      for (guint l = 0; l < 2; l++)
        {
          if (!(l == 0 ? ja : en))
            continue;
          const gchar *lang = l == 0 ? "ja" : "en";
          g_autoptr (ShrRendered) r = shown_notice (d, lang);
          if (r == NULL
              && (r = shr_renderer_notice (n->renderer, view,
                                           l == 0 ? SHR_RENDER_LANG_JA : SHR_RENDER_LANG_EN, error))
                     == NULL)
            return FALSE;
          if (!json_object_has_member (entry, "subject"))
            json_object_set_string_member (entry, "subject", r->subject);
          /* Past the cap, the Subjects only: one mail must stay readable. */
          if (i < SHR_MAX_DIGEST_NOTICES)
            {
              json_object_set_string_member (entry, l == 0 ? "notice_ja" : "notice_en", r->text);
              g_ptr_array_add (texts, g_strdup (r->text));
            }
        }
    }
  g_autoptr (JsonNode) view = shr_notice_digest_view_new (n->org, notices, now);
  JsonObject *o = json_node_get_object (view);
  json_object_set_string_member (o, "recipient", recipient);
  json_object_set_int_member (o, "cap", n->hourly_cap);
  if (items->len > SHR_MAX_DIGEST_NOTICES)
    json_object_set_int_member (o, "more", items->len - SHR_MAX_DIGEST_NOTICES);
  g_autofree gchar *message_id = digest_message_id (n, date, recipient);
  const gchar *to[] = { recipient, NULL };
  g_ptr_array_add (texts, NULL);
  return queue_digest_mail (n, "digest-recipient-subject.txt", "digest-recipient.txt", view,
                            (const gchar *const *)texts->pdata, message_id, to, error);
}

/* Everything waiting goes out in one transaction: the approvers' digest
 * (the advisories judged not applicable and why, and which notices were
 * folded for whom), each folded-for recipient's own digest, the items
 * marked and the date set. A crash before the commit leaves all of it to
 * be done again; after it, none. */
static gboolean
digest_txn (ShrStore *store, gpointer data, GError **error)
{
  DigestTxn *t = data;
  ShrNotify *n = t->n;
  g_autofree gchar *today = local_date (t->local, 0);
  g_autoptr (GError) local = NULL;
  g_autofree gchar *last = shr_store_setting_get (store, DIGEST_LAST_DATE, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (last == NULL)
    {
      /* The first run: the first digest goes at the next [digest] time,
       * not at once (no mail out of the blue when shirase is installed
       * in the afternoon); what arrives meanwhile waits for it. */
      g_autofree gchar *start = local_date (t->local, t->due ? 0 : -1);
      return shr_store_setting_set (store, DIGEST_LAST_DATE, start, error);
    }
  if (!t->due || strcmp (last, today) >= 0)
    return TRUE; /* another process sent it meanwhile */

  g_autoptr (GPtrArray) items = NULL;
  if (!shr_store_digest_pending (store, &items, error))
    return FALSE;
  g_autoptr (JsonArray) not_applicable = json_array_new ();
  g_autoptr (JsonArray) folded = json_array_new ();
  guint n_not_applicable = 0, n_folded = 0;
  /* recipient -> their folded items (borrowed), in order of arrival */
  g_autoptr (GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr (GHashTable) folded_for
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  gint64 last_id = 0;
  for (guint i = 0; i < items->len; i++)
    {
      const ShrDigestItem *item = items->pdata[i];
      last_id = item->id;
      g_autoptr (GError) bad = NULL;
      g_autoptr (JsonNode) view = json_from_string (item->view, &bad);
      if (view == NULL || !JSON_NODE_HOLDS_OBJECT (view))
        {
          g_warning ("digest item %" G_GINT64_FORMAT " has no usable view: left out (%s)", item->id,
                     bad != NULL ? bad->message : "not an object");
          continue;
        }
      if (item->kind == SHR_DIGEST_NOT_APPLICABLE)
        {
          if (n_not_applicable++ < SHR_MAX_DIGEST_ITEMS)
            json_array_add_element (not_applicable, g_steal_pointer (&view));
          continue;
        }
      GPtrArray *mine = g_hash_table_lookup (folded_for, item->recipient);
      if (mine == NULL)
        {
          g_ptr_array_add (recipients, item->recipient);
          mine = g_ptr_array_new ();
          g_hash_table_insert (folded_for, item->recipient, mine);
        }
      g_ptr_array_add (mine, (gpointer)item);
      if (n_folded++ < SHR_MAX_DIGEST_ITEMS)
        {
          JsonObject *f = json_object_new ();
          json_object_set_string_member (f, "recipient", item->recipient);
          json_object_set_member (f, "notice", json_node_copy (view));
          json_array_add_object_element (folded, f);
        }
    }

  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (t->now);
  g_autoptr (JsonNode) view = shr_notice_digest_view_new (n->org, not_applicable, now);
  JsonObject *o = json_node_get_object (view);
  /* count: all of them, also those past the cap that are not listed. */
  json_object_set_int_member (o, "count", n_not_applicable);
  if (n_not_applicable > SHR_MAX_DIGEST_ITEMS)
    json_object_set_int_member (o, "more", n_not_applicable - SHR_MAX_DIGEST_ITEMS);
  json_object_set_array_member (o, "folded", json_array_ref (folded));
  json_object_set_int_member (o, "folded_count", n_folded);
  json_object_set_boolean_member (o, "has_folded", n_folded > 0);
  if (n_folded > SHR_MAX_DIGEST_ITEMS)
    json_object_set_int_member (o, "folded_more", n_folded - SHR_MAX_DIGEST_ITEMS);
  json_object_set_int_member (o, "cap", n->hourly_cap);
  g_autofree gchar *message_id = digest_message_id (n, today, "approvers");
  /* shr_renderer_digest titles each advisory in the approvers' language. */
  g_autoptr (ShrRendered) digest = shr_renderer_digest (n->renderer, view, error);
  if (digest == NULL
      || !queue_mail (n, 0, 0, "digest", NULL, message_id, (const gchar *const *)n->approval->approvers,
                      digest, NULL, error))
    return FALSE;
  for (guint i = 0; i < recipients->len; i++)
    {
      const gchar *r = recipients->pdata[i];
      if (!queue_recipient_digest (n, r, g_hash_table_lookup (folded_for, r), now, today, error))
        return FALSE;
    }
  return (last_id == 0 || shr_store_digest_mark (store, last_id, t->now, error))
         && shr_store_setting_set (store, DIGEST_LAST_DATE, today, error);
}

/* Once a day, at [digest] time in the organisation's time zone: the
 * approvers' digest goes even when it lists nothing (a daily sign that
 * shirase runs). */
static gboolean
digest_if_due (ShrNotify *n, gint64 now, GError **error)
{
  if (!n->digest)
    return TRUE;
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) local_time = g_date_time_to_timezone (utc, n->org->timezone);
  DigestTxn t
      = { n, now, local_time,
          g_date_time_get_hour (local_time) * 60 + g_date_time_get_minute (local_time) >= n->digest_minute };
  /* Most cycles: a read, no write transaction. */
  g_autoptr (GError) local = NULL;
  g_autofree gchar *last = shr_store_setting_get (n->store, DIGEST_LAST_DATE, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autofree gchar *today = local_date (local_time, 0);
  if (last != NULL && (!t.due || strcmp (last, today) >= 0))
    return TRUE;
  return shr_store_transaction (n->store, digest_txn, &t, error);
}

/* ---- the cycle's end --------------------------------------------------------------- */

gboolean
shr_notify_run (ShrNotify *n, guint *queued, guint *sent, GError **error)
{
  g_return_val_if_fail (n != NULL, FALSE);
  if (queued != NULL)
    *queued = 0;
  if (sent != NULL)
    *sent = 0;
  gint64 now = notify_now (n);
  /* Nothing that fails before the outbox may hold it back: a draft that
   * cannot be rendered (a template missing from a copied [templates] dir,
   * say) must not stop the notices already approved. Each failure is
   * logged; none of it was committed, so it is tried again next cycle. */
  g_autoptr (GError) step_error = NULL;
  if (!remind_and_expire (n, now, &step_error))
    {
      g_warning ("reminders and expiry: %s (will retry)", step_error->message);
      g_clear_error (&step_error);
    }
  g_autoptr (GArray) ids = NULL;
  if (!shr_store_drafts_pending (n->store, G_MAXINT64, FALSE, &ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (n->store, g_array_index (ids, gint64, i), error);
      if (d == NULL)
        return FALSE;
      if (d->token != NULL)
        continue;
      if (!queue_draft (n, d, &step_error))
        {
          g_warning ("draft %" G_GINT64_FORMAT ": %s (will retry)", d->id, step_error->message);
          g_clear_error (&step_error);
          continue;
        }
      if (queued != NULL)
        (*queued)++;
    }
  /* The digest likewise. */
  g_autoptr (GError) digest_error = NULL;
  if (!digest_if_due (n, now, &digest_error))
    g_warning ("digest: %s (will retry)", digest_error->message);
  ShrOutboxReport report = { 0 };
  /* SHIRASE_TEST_OUTBOX_BACKOFF (test builds): the first retry after so
   * many seconds instead of a minute, for a test that waits for one. */
  ShrOutboxOptions options = { 0 };
  const gchar *backoff = shr_test_env ("SHIRASE_TEST_OUTBOX_BACKOFF");
  if (backoff != NULL)
    options.backoff_base = MAX (1, g_ascii_strtoll (backoff, NULL, 10));
  gboolean ok
      = shr_outbox_run (n->store, n->sender, g_get_real_time () / G_USEC_PER_SEC, &options, &report, error);
  if (ok && report.last_error != NULL)
    g_warning ("outbox: %s (will retry)", report.last_error);
  if (ok && report.failures != NULL && report.failures->len > 0)
    ok = shr_store_transaction (n->store, report_failures_txn, &(ReportTxn){ n, &report }, error);
  if (ok && report.sent > 0)
    ok = shr_store_drafts_mark_sent (n->store, NULL, error);
  if (ok && sent != NULL)
    *sent = report.sent;
  shr_outbox_report_clear (&report);
  return ok;
}

/* ---- what is scheduled --------------------------------------------------------- */

/* When the next daily digest is due, on the notify clock at @now: today
 * at [digest] time in the organisation's zone, or tomorrow once today's
 * went (or would be only the first run's start of the count). 0 when
 * the digest is off. */
static gint64
next_digest_at (ShrStore *store, gboolean enabled, gint minute, GTimeZone *tz, gint64 now, GError **error)
{
  if (!enabled)
    return 0;
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) local_time = g_date_time_to_timezone (utc, tz);
  g_autoptr (GDateTime) due_today
      = g_date_time_new (tz, g_date_time_get_year (local_time), g_date_time_get_month (local_time),
                         g_date_time_get_day_of_month (local_time), minute / 60, minute % 60, 0);
  g_autoptr (GError) local = NULL;
  g_autofree gchar *last = shr_store_setting_get (store, DIGEST_LAST_DATE, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return -1;
    }
  g_autofree gchar *today = local_date (local_time, 0);
  gint64 due = g_date_time_to_unix (due_today);
  gboolean done_today = last != NULL && strcmp (last, today) >= 0;
  /* The very first run only starts the count: after [digest] time it
   * counts today as done. */
  if (done_today || (last == NULL && now >= due))
    {
      g_autoptr (GDateTime) tomorrow = g_date_time_add_days (due_today, 1);
      return g_date_time_to_unix (tomorrow);
    }
  return due;
}

static gboolean
schedule_compute (ShrStore *store, const ShrApprovalConfig *approval, gboolean digest, gint digest_minute,
                  GTimeZone *tz, gint64 now, ShrNotifySchedule *out, GError **error)
{
  memset (out, 0, sizeof *out);
  ShrStoreSchedule s;
  if (!shr_store_schedule (store, &s, error))
    return FALSE;
  out->drafts_to_mail = s.drafts_unmailed;
  out->outbox_retry_at = s.outbox_retry_at;
  out->outbox_queued = s.outbox_queued;
  out->lease_end_at = s.outbox_lease_end_at;
  if (s.oldest_unreminded_at > 0)
    out->reminder_at = s.oldest_unreminded_at + (gint64)approval->remind_hours * 3600;
  if (s.oldest_pending_at > 0)
    out->expiry_at = s.oldest_pending_at + (gint64)approval->expire_hours * 3600;
  out->digest_at = next_digest_at (store, digest, digest_minute, tz, now, error);
  return out->digest_at >= 0;
}

gboolean
shr_notify_schedule (ShrNotify *n, ShrNotifySchedule *schedule, GError **error)
{
  g_return_val_if_fail (n != NULL && schedule != NULL, FALSE);
  return schedule_compute (n->store, n->approval, n->digest, n->digest_minute, n->org->timezone,
                           notify_now (n), schedule, error);
}

gboolean
shr_notify_schedule_for_config (ShrStore *store, GKeyFile *kf, const gchar *config_path,
                                ShrNotifySchedule *schedule, GError **error)
{
  g_return_val_if_fail (store != NULL && kf != NULL && schedule != NULL, FALSE);
  g_autoptr (ShrApprovalConfig) approval = shr_approval_config_from_keyfile (kf, config_path, error);
  if (approval == NULL)
    return FALSE;
  g_autofree gchar *org_name = g_key_file_get_string (kf, "organization", "name", NULL);
  g_autoptr (ShrProfile) org = NULL;
  gboolean digest = FALSE;
  gint minute = 0;
  if (!read_digest_config (kf, org_name, &org, &digest, &minute))
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE,
                   "%s: [organization] timezone or [digest] time is not valid (shirase check-config)",
                   config_path);
      return FALSE;
    }
  return schedule_compute (store, approval, digest, minute, org->timezone,
                           g_get_real_time () / G_USEC_PER_SEC, schedule, error);
}

gint64
shr_notify_seconds_to_next (ShrNotify *n, const ShrNotifySchedule *s)
{
  g_return_val_if_fail (n != NULL && s != NULL, -1);
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;
  gint64 clock = notify_now (n); /* reminders, expiry and the digest */
  gint64 wait = G_MAXINT64;
  if (s->drafts_to_mail > 0)
    wait = 0;
  if (s->outbox_retry_at > 0)
    wait = MIN (wait, s->outbox_retry_at - real);
  if (s->lease_end_at > 0)
    wait = MIN (wait, s->lease_end_at - real);
  if (s->reminder_at > 0)
    wait = MIN (wait, s->reminder_at - clock);
  if (s->expiry_at > 0)
    wait = MIN (wait, s->expiry_at - clock);
  if (s->digest_at > 0)
    wait = MIN (wait, s->digest_at - clock);
  return wait == G_MAXINT64 ? -1 : MAX (wait, 0);
}
