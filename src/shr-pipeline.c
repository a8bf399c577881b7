/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-pipeline.c — one received mail through read, extract, correlate and
 * match into the state. See shr-pipeline.h. */
#include "config.h"

#include "shr-pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shr-limits.h"

#include "shr-extract.h"
#include "shr-hash.h"
#include "shr-notice.h"
#include "shr-read.h"

struct _ShrPipeline
{
  ShrStore *store;
  const ShrLexicon *lexicon;
  const ShrProfile *profile;
  const ShrVocabulary *vocab;
  gchar *own_address;     /* canonical (shr_address_canonical), or NULL */
  gchar **approvers;      /* canonical, or NULL */
  gboolean keep_text;     /* shr_pipeline_set_keep_text */
  ShrPipelineFault fault; /* tests: shr_pipeline_set_fault */
  gchar *fault_marker;
  GDateTime *now; /* shr_pipeline_set_now, or NULL: the real time */
};

static void
advisory_clear (gpointer data)
{
  ShrPipelineAdvisory *a = data;
  g_free (a->record_id);
  g_free (a->advisory_id);
}

void
shr_pipeline_result_clear (ShrPipelineResult *r)
{
  g_clear_pointer (&r->record_id, g_free);
  g_clear_pointer (&r->advisories, g_array_unref);
  g_clear_pointer (&r->reason, g_free);
  g_clear_pointer (&r->message, shr_message_free);
  memset (r, 0, sizeof *r);
}

gchar *
shr_pipeline_advisory_describe (const ShrPipelineAdvisory *a)
{
  g_return_val_if_fail (a != NULL, NULL);
  GString *out = g_string_new (NULL);
  if (a->items > 0)
    g_string_append_printf (out, "advisory %u of %u%s%s%s: ", a->item, a->items, a->advisory_id ? " (" : "",
                            a->advisory_id ? a->advisory_id : "", a->advisory_id ? ")" : "");
  g_string_append_printf (out, "%s, case %" G_GINT64_FORMAT "%s%s", shr_verdict_to_string (a->verdict),
                          a->case_id, a->joined ? " (joined)" : " (new)",
                          a->draft_id == 0 ? ""
                          : a->update      ? ", update draft queued"
                                           : ", draft queued");
  return g_string_free (out, FALSE);
}

ShrPipeline *
shr_pipeline_new (ShrStore *store, const ShrLexicon *lexicon, const ShrProfile *profile,
                  const ShrVocabulary *vocab, const gchar *own_address)
{
  g_return_val_if_fail (store != NULL && lexicon != NULL && profile != NULL, NULL);
  ShrPipeline *p = g_new0 (ShrPipeline, 1);
  p->store = store;
  p->lexicon = lexicon;
  p->profile = profile;
  p->vocab = vocab;
  p->own_address = own_address != NULL ? shr_address_from_header (own_address) : NULL;
  return p;
}

void
shr_pipeline_free (ShrPipeline *p)
{
  if (p == NULL)
    return;
  g_free (p->own_address);
  g_strfreev (p->approvers);
  g_free (p->fault_marker);
  g_clear_pointer (&p->now, g_date_time_unref);
  g_free (p);
}

void
shr_pipeline_set_now (ShrPipeline *p, GDateTime *now)
{
  g_return_if_fail (p != NULL);
  g_clear_pointer (&p->now, g_date_time_unref);
  p->now = now != NULL ? g_date_time_ref (now) : NULL;
}

void
shr_pipeline_set_approvers (ShrPipeline *p, const gchar *const *approvers)
{
  g_return_if_fail (p != NULL);
  g_strfreev (p->approvers);
  p->approvers = NULL;
  if (approvers == NULL)
    return;
  GPtrArray *canonical = g_ptr_array_new ();
  for (const gchar *const *a = approvers; *a != NULL; a++)
    {
      gchar *c = shr_address_canonical (*a);
      if (c != NULL)
        g_ptr_array_add (canonical, c);
    }
  g_ptr_array_add (canonical, NULL);
  p->approvers = (gchar **)g_ptr_array_free (canonical, FALSE);
}

/* ---- replies to drafts ------------------------------------------------------- */

/* The token of a "[承認依頼 #K7Q2M9F3XA]"-style tag in @subject, and whether
 * the tag carries the approval label. (transfer full) or NULL. */
static gchar *
subject_token (const gchar *subject, gboolean *labelled)
{
  *labelled = FALSE;
  if (subject == NULL)
    return NULL;
  for (const gchar *hash = strchr (subject, '#'); hash != NULL; hash = strchr (hash + 1, '#'))
    {
      const gchar *e = hash + 1;
      while (g_ascii_isalnum (*e))
        e++;
      gsize n = (gsize)(e - hash - 1);
      if (*e != ']' || n < 4 || n > 32)
        continue;
      /* The tag opens at the nearest '[' before the '#'. */
      const gchar *open = NULL;
      for (const gchar *s = subject; s < hash; s++)
        if (*s == '[')
          open = s;
        else if (*s == ']')
          open = NULL;
      if (open == NULL)
        continue;
      g_autofree gchar *label = g_strndup (open + 1, (gsize)(hash - open - 1));
      *labelled = strstr (label, "承認依頼") != NULL
                  || g_ascii_strncasecmp (g_strstrip (label), "approval", 8) == 0;
      return g_strndup (hash + 1, n);
    }
  return NULL;
}

/* Whether the mail's one sender is an approver (whole addresses). */
static gboolean
from_approver (ShrPipeline *p, const ShrMessage *m)
{
  return p->approvers != NULL && m->sender != NULL
         && g_strv_contains ((const gchar *const *)p->approvers, m->sender);
}

/* Whether @subject opens with a reply prefix (mail clients' own words). */
static gboolean
says_reply (const gchar *subject)
{
  static const gchar *const prefixes[]
      = { "re:", "re：", "aw:", "sv:", "vs:", "返信:", "返信：", "答复:", "回复:" };
  while (g_ascii_isspace (*subject))
    subject++;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize n = strlen (prefixes[i]);
      if (g_ascii_strncasecmp (subject, prefixes[i], n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether the mail refers to one of our drafts: its In-Reply-To or
 * References name a draft's Message-ID, or its Subject carries a draft's
 * token (or the approval label with any token: the approval step judges
 * it, and its quoted draft must never be read as a new advisory). */
static gboolean
is_reply (ShrPipeline *p, const ShrMessage *m, gint64 *draft_id, GError **error)
{
  *draft_id = 0;
  for (guint i = 0; i < m->references->len; i++)
    {
      if (!shr_store_find_draft_by_message_id (p->store, m->references->pdata[i], draft_id, error))
        return FALSE;
      if (*draft_id != 0)
        return TRUE;
    }
  const gchar *subject = m->outer_subject;
  if (subject == NULL)
    return TRUE;
  gboolean labelled = FALSE;
  g_autofree gchar *token = subject_token (subject, &labelled);
  if (token != NULL && !shr_store_find_draft_by_token (p->store, token, draft_id, error))
    return FALSE;
  if (*draft_id == 0 && (labelled || (from_approver (p, m) && says_reply (subject))))
    *draft_id = -1; /* a reply, to no draft we know: the approval step answers it */
  return TRUE;
}

/* Whether @m may turn out a reply to a draft (is_reply needs the state to
 * tell): only such a message is kept past its preparation. */
static gboolean
may_be_reply (ShrPipeline *p, const ShrMessage *m)
{
  return m->references->len > 0 || (m->outer_subject != NULL && strchr (m->outer_subject, '#') != NULL)
         || from_approver (p, m);
}

/* Why @m is ours or an automatic reply, or NULL (transfer none). */
static const gchar *
auto_reason (ShrPipeline *p, const ShrMessage *m)
{
  if (m->ours)
    return "our own mail (X-Shirase- header)";
  if (p->own_address != NULL && g_strcmp0 (m->sender, p->own_address) == 0)
    return "our own mail (From is [smtp] from)";
  return m->automatic;
}

/* ---- grades -------------------------------------------------------------------- */

static gint
grade_rank (const gchar *g)
{
  if (g == NULL)
    return -1;
  switch (g[0])
    {
    case 'A':
      return 3;
    case 'B':
      return 2;
    case 'C':
      return 1;
    default:
      return 0;
    }
}

static const gchar *
store_grade (ShrGrade grade)
{
  switch (grade)
    {
    case SHR_GRADE_A:
      return "A";
    case SHR_GRADE_B:
      return "B";
    case SHR_GRADE_C:
      return "C";
    case SHR_GRADE_NONE:
    default:
      return "-";
    }
}

static gboolean fault_hits (ShrPipeline *p, ShrPipelineFault fault, GBytes *raw);

/* ---- prepare: everything that needs no state ---------------------------------- */

/* One advisory of the mail, judged. */
typedef struct
{
  ShrRecord *record;
  ShrMatch *match;
  gchar *record_json;
  gchar *match_json;  /* only when a draft may be queued */
  gchar *digest_json; /* not applicable: the digest's item */
} PreparedAdvisory;

static void
prepared_advisory_free (PreparedAdvisory *a)
{
  shr_record_free (a->record);
  shr_match_free (a->match);
  g_free (a->record_json);
  g_free (a->match_json);
  g_free (a->digest_json);
  g_free (a);
}

struct _ShrPrepared
{
  GBytes *raw;
  gchar *sha256;
  ShrMessage *message; /* kept only while it may be a reply, else NULL */
  gboolean may_be_reply;
  gchar *message_id;     /* without <>, or NULL */
  gchar *auto_why;       /* ours or automatic: why; else NULL */
  gchar *read_error;     /* not mail, or over a cap: why */
  GPtrArray *advisories; /* (element-type PreparedAdvisory) what the mail
                          * carries: one, or a digest's items; NULL when
                          * it was not read as advisories */
};

void
shr_prepared_free (ShrPrepared *prep)
{
  if (prep == NULL)
    return;
  g_bytes_unref (prep->raw);
  g_free (prep->sha256);
  shr_message_free (prep->message);
  g_free (prep->auto_why);
  g_free (prep->message_id);
  g_free (prep->read_error);
  if (prep->advisories != NULL)
    g_ptr_array_unref (prep->advisories);
  g_free (prep);
}

void
shr_pipeline_set_keep_text (ShrPipeline *p, gboolean keep)
{
  g_return_if_fail (p != NULL);
  p->keep_text = keep;
}

/* (transfer full) @record judged, with what its draft or its digest item
 * will need; @text is what it was read from (the summariser's input). */
static PreparedAdvisory *
prepare_advisory (ShrPipeline *p, ShrRecord *record, const gchar *text, GDateTime *now)
{
  PreparedAdvisory *a = g_new0 (PreparedAdvisory, 1);
  a->record = record;
  a->record_json = shr_record_to_json_string (record, FALSE);
  a->match = shr_match_record (p->profile, p->vocab, record, now);
  if (a->match->verdict != SHR_VERDICT_NOT_APPLICABLE)
    {
      /* The draft keeps the match (record included) and the notice's view:
       * the notify step renders the draft and, once approved, the notices
       * from that view, so no record has to be rebuilt from JSON. */
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "match");
      json_builder_add_value (b, shr_match_to_json (a->match, record));
      json_builder_set_member_name (b, "view");
      json_builder_add_value (b, shr_notice_view_new (record, a->match, p->profile, p->lexicon, now));
      if (p->keep_text)
        {
          json_builder_set_member_name (b, "advisory_text");
          json_builder_add_string_value (b, text != NULL ? text : "");
        }
      json_builder_end_object (b);
      g_autoptr (JsonNode) node = json_builder_get_root (b);
      a->match_json = json_to_string (node, FALSE);
    }
  else
    {
      /* What the approvers' digest will list (no draft is made). */
      g_autoptr (JsonNode) item = shr_notice_digest_item_new (record, a->match, p->profile, now);
      a->digest_json = json_to_string (item, FALSE);
    }
  return a;
}

ShrPrepared *
shr_pipeline_prepare (ShrPipeline *p, GBytes *raw)
{
  g_return_val_if_fail (p != NULL && raw != NULL, NULL);
  ShrPrepared *prep = g_new0 (ShrPrepared, 1);
  prep->raw = g_bytes_ref (raw);
  prep->sha256 = shr_hash_sha256_hex (raw);
  if (fault_hits (p, SHR_PIPELINE_FAULT_ABORT, raw))
    abort ();
  while (fault_hits (p, SHR_PIPELINE_FAULT_HANG, raw))
    g_usleep (G_USEC_PER_SEC);
  /* The one parse of this message: classification, the approval step
   * and extraction all read what it gives. */
  g_autoptr (GError) read_error = NULL;
  g_autoptr (ShrMessage) msg = shr_message_read_bytes (raw, "IMAP message", &read_error);
  if (msg == NULL)
    {
      prep->read_error = g_strdup (read_error->message);
      return prep;
    }
  prep->message_id = g_strdup (msg->outer_message_id);
  prep->may_be_reply = may_be_reply (p, msg);
  const gchar *why = auto_reason (p, msg);
  if (why != NULL)
    {
      prep->auto_why = g_strdup (why);
      return prep;
    }
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GPtrArray) records = shr_extract_items_with_text (msg, p->lexicon, &texts);
  g_autoptr (GDateTime) now = p->now != NULL ? g_date_time_ref (p->now) : g_date_time_new_now_utc ();
  prep->advisories = g_ptr_array_new_full (records->len, (GDestroyNotify)prepared_advisory_free);
  /* The array keeps the records: each advisory owns its own. */
  g_ptr_array_set_free_func (records, NULL);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (prep->advisories, prepare_advisory (p, records->pdata[i], texts->pdata[i], now));
  if (prep->may_be_reply)
    prep->message = g_steal_pointer (&msg);
  return prep;
}

/* ---- apply: the state, in one transaction ----------------------------------------- */

typedef struct
{
  ShrPipeline *p;
  const gchar *folder;
  gint64 uidvalidity, uid;
  ShrPrepared *prep;
  ShrPipelineResult *r;
} Step;

/* Records the message with its outcome and, when it was handled, the
 * records and cases of its advisories (@s->r->advisories). */
static gboolean
record_outcome (Step *s, const gchar *error, GError **gerror)
{
  GArray *advisories = s->r->advisories;
  guint n = advisories != NULL ? advisories->len : 0;
  g_autofree ShrStoreMessageItem *items = n > 1 ? g_new (ShrStoreMessageItem, n) : NULL;
  for (guint i = 0; items != NULL && i < n; i++)
    {
      const ShrPipelineAdvisory *a = &g_array_index (advisories, ShrPipelineAdvisory, i);
      items[i] = (ShrStoreMessageItem){ a->record_id, a->case_id };
    }
  ShrStoreMessage m = {
    .folder = s->folder,
    .uidvalidity = s->uidvalidity,
    .uid = s->uid,
    .message_id = s->prep->message_id,
    .raw_sha256 = s->prep->sha256,
    .outcome = s->r->outcome,
    .record_id = s->r->record_id,
    .case_id = s->r->case_id,
    .error = error,
    .items = items,
    .n_items = items != NULL ? n : 0,
  };
  if (!shr_store_record_message (s->p->store, &m, gerror))
    return FALSE;
  gint64 validity = 0, last = 0;
  if (!shr_store_sync_get (s->p->store, s->folder, &validity, &last, gerror))
    return FALSE;
  if (validity != s->uidvalidity)
    last = 0;
  return shr_store_sync_set (s->p->store, s->folder, s->uidvalidity, MAX (last, s->uid), gerror);
}

/* A not-applicable advisory gets no draft: it waits for the approvers'
 * digest instead (DESIGN.md "Not-applicable advisories get no draft; they
 * go into the digest"), so nothing disappears silently. Not when its case
 * has a draft: another source made it applicable, and the approvers hear
 * of it there. */
static gboolean
add_not_applicable (ShrStore *store, const ShrPipelineAdvisory *a, const gchar *digest_json, GError **error)
{
  gint64 drafts = 0;
  if (!shr_store_count_drafts (store, a->case_id, &drafts, error))
    return FALSE;
  if (drafts > 0)
    return TRUE;
  return shr_store_digest_add (store, SHR_DIGEST_NOT_APPLICABLE, a->case_id, a->record_id, 0, NULL, NULL,
                               digest_json, NULL, error);
}

/* (transfer full) @match_json with "replaces": @draft_id added. */
static gchar *
body_replacing (const gchar *match_json, gint64 draft_id)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, match_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  json_object_set_int_member (json_node_get_object (json_parser_get_root (parser)), "replaces", draft_id);
  return json_to_string (json_parser_get_root (parser), FALSE);
}

/* The draft a source that applies to us leaves (DESIGN.md "Correlation"):
 * the case's first source queues one; a later source adds nothing unless
 * it raises the case's grade (@raised). Then the case's newest draft, if
 * the approvers have not seen it yet, takes the later source's content;
 * else a new draft goes out: an update (続報) when a notice of the case was
 * approved, or a fresh draft when none was; either replaces a draft of the
 * case the approvers still have pending. The notice is rendered
 * from @match_json by the notify step; token and Message-ID are set when
 * the draft is mailed. */
static gboolean
queue_case_draft (ShrStore *store, ShrPipelineAdvisory *r, const gchar *title, const gchar *match_json,
                  gboolean raised, GError **error)
{
  gint64 drafts = 0;
  if (!shr_store_count_drafts (store, r->case_id, &drafts, error))
    return FALSE;
  if (drafts == 0)
    return shr_store_add_draft (store, r->case_id, "new", NULL, NULL, title, match_json, &r->draft_id, error);
  if (!raised)
    return TRUE;
  gboolean refreshed = FALSE;
  if (!shr_store_draft_refresh_unmailed (store, r->case_id, title, match_json, &refreshed, error))
    return FALSE;
  if (refreshed)
    return TRUE;
  gint64 notified = 0;
  if (!shr_store_case_notified_draft (store, r->case_id, G_MAXINT64, &notified, error))
    return FALSE;
  r->update = notified != 0;
  /* The approvers' pending draft of the case is outdated: it can no
   * longer be approved, and the new one says which it replaces, so that
   * the lower grade never goes out beside the higher one. */
  if (!shr_store_case_supersede_pending (store, r->case_id, &r->replaced, error))
    return FALSE;
  g_autofree gchar *body = r->replaced > 0 ? body_replacing (match_json, r->replaced) : NULL;
  return shr_store_add_draft (store, r->case_id, r->update ? "update" : "new", NULL, NULL, title,
                              body != NULL ? body : match_json, &r->draft_id, error);
}

/* One advisory of the mail into the state: its record, its case (joined
 * by its own keys), the case's grade, and its draft or digest item. */
static gboolean
apply_advisory (ShrStore *store, const PreparedAdvisory *prep, ShrPipelineAdvisory *a, GError **error)
{
  const ShrRecord *record = prep->record;
  a->item = record->item;
  a->items = record->items;
  a->record_id = g_strdup (record->id);
  a->advisory_id = g_strdup (record->advisory_id);
  a->verdict = prep->match->verdict;
  if (!shr_store_put_record (store, record->id, prep->record_json, error))
    return FALSE;

  g_auto (GStrv) keys = shr_store_record_keys (record);
  gboolean is_new = FALSE;
  if (!shr_store_case_for_keys (store, (const gchar *const *)keys, record->title, &a->case_id, &is_new,
                                error))
    return FALSE;
  a->joined = !is_new;

  /* The case's grade is the highest any of its sources gave. */
  g_autofree gchar *old_grade = NULL;
  if (!shr_store_case_get (store, a->case_id, NULL, &old_grade, error))
    return FALSE;
  const gchar *grade = store_grade (prep->match->grade);
  if (grade_rank (grade) > grade_rank (old_grade)
      && !shr_store_case_set_grade (store, a->case_id, grade, error))
    return FALSE;

  if (prep->match->verdict != SHR_VERDICT_NOT_APPLICABLE)
    return queue_case_draft (store, a, record->title, prep->match_json,
                             grade_rank (grade) > grade_rank (old_grade), error);
  return add_not_applicable (store, a, prep->digest_json, error);
}

static gboolean
step_run (ShrStore *store, gpointer data, GError **error)
{
  Step *s = data;
  ShrPipeline *p = s->p;
  ShrPrepared *prep = s->prep;
  ShrPipelineResult *r = s->r;

  gboolean found = FALSE;
  ShrOutcome outcome = SHR_OUTCOME_HANDLED;
  if (!shr_store_message_lookup (store, prep->message_id, prep->sha256, &found, &outcome, error))
    return FALSE;
  if (found)
    {
      r->duplicate = TRUE;
      r->outcome = outcome;
      return TRUE;
    }

  if (prep->auto_why != NULL)
    {
      r->outcome = SHR_OUTCOME_IGNORED;
      r->reason = g_strdup (prep->auto_why);
      return record_outcome (s, NULL, error);
    }

  gint64 draft_id = 0;
  if (prep->message != NULL && !is_reply (p, prep->message, &draft_id, error))
    return FALSE;
  if (draft_id != 0)
    {
      r->outcome = SHR_OUTCOME_REPLY;
      r->reason = draft_id > 0 ? g_strdup_printf ("reply to draft %" G_GINT64_FORMAT, draft_id)
                               : g_strdup ("reply to an unknown draft token");
      return record_outcome (s, NULL, error);
    }

  if (prep->read_error != NULL)
    {
      r->outcome = SHR_OUTCOME_FAILED;
      r->reason = g_strdup (prep->read_error);
      return record_outcome (s, prep->read_error, error);
    }
  r->advisories = g_array_sized_new (FALSE, TRUE, sizeof (ShrPipelineAdvisory), prep->advisories->len);
  g_array_set_clear_func (r->advisories, advisory_clear);
  for (guint i = 0; i < prep->advisories->len; i++)
    {
      g_array_set_size (r->advisories, i + 1);
      ShrPipelineAdvisory *a = &g_array_index (r->advisories, ShrPipelineAdvisory, i);
      if (!apply_advisory (store, prep->advisories->pdata[i], a, error))
        return FALSE;
      if (i == 0 && fault_hits (p, SHR_PIPELINE_FAULT_APPLY, prep->raw))
        {
          g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CONSTRAINT,
                       "a test fault: this message's state step fails after storing its record");
          return FALSE;
        }
    }
  /* The message's own fields are its first advisory's. */
  const ShrPipelineAdvisory *first = &g_array_index (r->advisories, ShrPipelineAdvisory, 0);
  r->case_id = first->case_id;
  r->joined = first->joined;
  r->draft_id = first->draft_id;
  r->update = first->update;
  r->replaced = first->replaced;
  r->verdict = first->verdict;
  r->record_id = g_strdup (first->record_id);
  r->outcome = SHR_OUTCOME_HANDLED;
  return record_outcome (s, NULL, error);
}

gboolean
shr_pipeline_apply (ShrPipeline *p, ShrPrepared *prep, const gchar *folder, gint64 uidvalidity, gint64 uid,
                    ShrPipelineResult *result, GError **error)
{
  g_return_val_if_fail (p != NULL && prep != NULL && folder != NULL && result != NULL, FALSE);
  memset (result, 0, sizeof *result);
  Step s = { p, folder, uidvalidity, uid, prep, result };
  gboolean ok;
  if (shr_store_in_transaction (p->store))
    ok = step_run (p->store, &s, error);
  else
    ok = shr_store_transaction (p->store, step_run, &s, error);
  if (!ok)
    shr_pipeline_result_clear (result);
  else if (result->outcome == SHR_OUTCOME_REPLY)
    result->message = g_steal_pointer (&prep->message);
  return ok;
}

gboolean
shr_pipeline_handle (ShrPipeline *p, const gchar *folder, gint64 uidvalidity, gint64 uid, GBytes *raw,
                     ShrPipelineResult *result, GError **error)
{
  g_return_val_if_fail (p != NULL && raw != NULL, FALSE);
  g_autoptr (ShrPrepared) prep = shr_pipeline_prepare (p, raw);
  return shr_pipeline_apply (p, prep, folder, uidvalidity, uid, result, error);
}

/* ---- a batch, one poison message isolated ----------------------------------- */

void
shr_pipeline_set_fault (ShrPipeline *p, ShrPipelineFault fault, const gchar *marker)
{
  g_return_if_fail (p != NULL);
  g_free (p->fault_marker);
  p->fault = marker != NULL && *marker != '\0' ? fault : SHR_PIPELINE_FAULT_NONE;
  p->fault_marker = p->fault != SHR_PIPELINE_FAULT_NONE ? g_strdup (marker) : NULL;
}

/* Whether the test fault @fault is set for @raw (tests only). */
static gboolean
fault_hits (ShrPipeline *p, ShrPipelineFault fault, GBytes *raw)
{
  if (p->fault != fault)
    return FALSE;
  gsize len = 0;
  const gchar *data = g_bytes_get_data (raw, &len);
  return data != NULL && memmem (data, len, p->fault_marker, strlen (p->fault_marker)) != NULL;
}

/* Prepares on worker threads (reading, extracting and matching need no
 * state and are nearly all of the CPU time) while the calling thread
 * applies the prepared messages in order as they become ready, and
 * watches each one's time and the process's memory while it waits. */
typedef struct
{
  ShrPipeline *pipeline;
  const ShrPipelineItem *items;
  ShrPrepared **out;
  gint64 *started; /* monotonic µs, 0: not started */
  gint n;
  gint next;    /* atomic: the next index to claim */
  gint cancel;  /* atomic: stop claiming */
  gint waiting; /* the index the applier sleeps on, -1 while it works */
  GMutex lock;
  GCond ready;
} PrepJob;

static gpointer
prep_worker (gpointer data)
{
  PrepJob *j = data;
  while (!g_atomic_int_get (&j->cancel))
    {
      gint i = g_atomic_int_add (&j->next, 1);
      if (i >= j->n)
        break;
      g_mutex_lock (&j->lock);
      j->started[i] = g_get_monotonic_time ();
      g_mutex_unlock (&j->lock);
      ShrPrepared *p = shr_pipeline_prepare (j->pipeline, j->items[i].raw);
      g_mutex_lock (&j->lock);
      j->out[i] = p;
      /* A wake-up is a system call: only for the message awaited. */
      if (j->waiting == i)
        g_cond_broadcast (&j->ready);
      g_mutex_unlock (&j->lock);
    }
  return NULL;
}

/* The resident set of this process, in bytes (0 when unknown). */
static gsize
resident_bytes (void)
{
  g_autofree gchar *statm = NULL;
  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  gchar *end = NULL;
  g_ascii_strtoull (statm, &end, 10);
  return (gsize)g_ascii_strtoull (end, NULL, 10) * (gsize)sysconf (_SC_PAGESIZE);
}

/* A message over its budget: its attempt is committed already, so the
 * process ends here, at once (a thread stuck in a parser cannot be
 * stopped otherwise); the next run takes the message up alone and, after
 * its last attempt, sets it aside in the failed folder. */
static void G_GNUC_NORETURN
over_budget (const ShrPipelineItem *item, const gchar *what)
{
  g_warning ("%s UID %" G_GINT64_FORMAT
             ": its handling %s; stopping now. The next run takes it up alone and, "
             "after %d attempts, moves it to the failed folder",
             item->folder, item->uid, what, SHR_MAX_HANDLING_ATTEMPTS);
  _exit (EXIT_FAILURE);
}

/* The prepared message @i, waiting for its worker (transfer none). */
static ShrPrepared *
prep_wait (PrepJob *j, guint i, const ShrPipelineBatchOptions *o)
{
  gint64 budget_us
      = (gint64)(o->budget_seconds > 0 ? o->budget_seconds : SHR_MAX_HANDLING_SECONDS) * G_USEC_PER_SEC;
  gsize budget_rss = o->budget_rss > 0 ? o->budget_rss : (gsize)SHR_MAX_HANDLING_RSS_BYTES;
  g_mutex_lock (&j->lock);
  for (gboolean waited = FALSE; j->out[i] == NULL; waited = TRUE)
    {
      gint64 now = g_get_monotonic_time ();
      if (j->started[i] > 0 && now - j->started[i] > budget_us)
        {
          g_autofree gchar *what
              = g_strdup_printf ("took longer than %" G_GINT64_FORMAT " s", budget_us / G_USEC_PER_SEC);
          over_budget (&j->items[i], what);
        }
      /* Memory is looked at once the message has kept us waiting a
       * while: reading it costs three system calls, and most messages
       * are ready at the first wake-up. */
      if (j->started[i] > 0 && waited)
        {
          gsize rss = resident_bytes ();
          if (rss > budget_rss)
            {
              g_autofree gchar *what = g_strdup_printf ("made the process hold %" G_GSIZE_FORMAT
                                                        " MB, over the %" G_GSIZE_FORMAT " MB budget",
                                                        rss >> 20, budget_rss >> 20);
              over_budget (&j->items[i], what);
            }
        }
      /* Woken when this message is ready; else four times a second to
       * look. */
      j->waiting = (gint)i;
      g_cond_wait_until (&j->ready, &j->lock, now + G_USEC_PER_SEC / 4);
      j->waiting = -1;
    }
  ShrPrepared *p = j->out[i];
  g_mutex_unlock (&j->lock);
  return p;
}

static guint
prep_threads (const ShrPipelineBatchOptions *o, guint n)
{
  guint t = o->threads > 0 ? MIN (o->threads, 64) : MIN (g_get_num_processors (), 8);
  return MAX (1, MIN (t, n));
}

/* (transfer full) A message that failed in @prep's place: the same hash
 * and Message-ID, recorded as failed with @why. */
static ShrPrepared *
prepared_failed (const ShrPrepared *prep, GBytes *raw, const gchar *why)
{
  ShrPrepared *f = g_new0 (ShrPrepared, 1);
  f->raw = g_bytes_ref (raw);
  f->sha256 = prep != NULL ? g_strdup (prep->sha256) : shr_hash_sha256_hex (raw);
  f->message_id = prep != NULL ? g_strdup (prep->message_id) : NULL;
  f->read_error = g_strdup (why);
  return f;
}

/* Applies @prep for @item inside the open transaction, and with
 * @end_attempt ends its attempt with it (else the caller ends the
 * batch's). A failure that concerns this message only is undone alone (a
 * savepoint) and the message recorded as failed with the reason instead;
 * any other failure is returned (FALSE): the state as a whole is in
 * trouble. */
static gboolean
apply_isolated (ShrPipeline *p, ShrPrepared *prep, const ShrPipelineItem *item, gboolean end_attempt,
                ShrPipelineResult *r, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (!shr_store_savepoint (p->store, error))
    return FALSE;
  if (shr_pipeline_apply (p, prep, item->folder, item->uidvalidity, item->uid, r, &local)
      && (!end_attempt
          || shr_store_attempt_end (p->store, item->folder, item->uidvalidity, item->uid, &local)))
    return shr_store_savepoint_release (p->store, error);
  shr_pipeline_result_clear (r);
  if (!shr_store_savepoint_rollback (p->store, error))
    return FALSE;
  if (!shr_store_error_is_message_specific (local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autofree gchar *why = g_strdup_printf ("its state step failed: %s", local->message);
  g_autoptr (ShrPrepared) failed = prepared_failed (prep, item->raw, why);
  return shr_pipeline_apply (p, failed, item->folder, item->uidvalidity, item->uid, r, error)
         && (!end_attempt
             || shr_store_attempt_end (p->store, item->folder, item->uidvalidity, item->uid, error));
}

/* The UIDs of @items, which are of one folder and UIDVALIDITY. */
static gint64 *
item_uids (const ShrPipelineItem *items, guint n)
{
  gint64 *uids = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    uids[i] = items[i].uid;
  return uids;
}

/* Counts the attempts of @items before they are read. */
static gboolean
begin_attempts (ShrStore *store, const ShrPipelineItem *items, guint n, GError **error)
{
  g_autofree gint64 *uids = item_uids (items, n);
  return shr_store_attempts_begin_batch (store, items[0].folder, items[0].uidvalidity, uids, n, error);
}

static gboolean
stop_now (const ShrPipelineBatchOptions *o)
{
  return o->stop != NULL && o->stop (o->stop_data);
}

/* One message alone: its attempt counted and committed, prepared on a
 * thread under the budgets, applied in a transaction of its own; past
 * its last attempt it is not handled again but recorded as failed. */
static gboolean
handle_alone (ShrPipeline *p, const ShrPipelineItem *item, gint64 attempts, const ShrPipelineBatchOptions *o,
              ShrPipelineResult *r, GError **error)
{
  guint max = o->max_attempts > 0 ? o->max_attempts : SHR_MAX_HANDLING_ATTEMPTS;
  g_autoptr (ShrPrepared) prep = NULL;
  if (attempts >= max)
    {
      g_autofree gchar *why = g_strdup_printf (
          "its handling did not finish in %" G_GINT64_FORMAT " attempts (the process crashed, was killed or "
          "went over its time or memory budget each time); set aside, not read again",
          attempts);
      prep = prepared_failed (NULL, item->raw, why);
    }
  else
    {
      if (!begin_attempts (p->store, item, 1, error))
        return FALSE;
      ShrPrepared *slot = NULL;
      gint64 started = 0;
      PrepJob job
          = { .pipeline = p, .items = item, .out = &slot, .started = &started, .n = 1, .waiting = -1 };
      g_mutex_init (&job.lock);
      g_cond_init (&job.ready);
      GThread *t = g_thread_new ("prepare", prep_worker, &job);
      prep = prep_wait (&job, 0, o);
      g_thread_join (t);
      g_mutex_clear (&job.lock);
      g_cond_clear (&job.ready);
    }
  if (!shr_store_begin (p->store, error))
    return FALSE;
  if (!apply_isolated (p, prep, item, TRUE, r, error))
    {
      shr_store_rollback (p->store);
      return FALSE;
    }
  return shr_store_commit (p->store, error);
}

gboolean
shr_pipeline_handle_batch (ShrPipeline *p, const ShrPipelineItem *items, guint n,
                           const ShrPipelineBatchOptions *options, ShrPipelineResult *results, guint *n_done,
                           GError **error)
{
  g_return_val_if_fail (p != NULL && (items != NULL || n == 0) && results != NULL && n_done != NULL, FALSE);
  g_return_val_if_fail (!shr_store_in_transaction (p->store), FALSE);
  static const ShrPipelineBatchOptions defaults = { 0 };
  const ShrPipelineBatchOptions *o = options != NULL ? options : &defaults;
  *n_done = 0;
  memset (results, 0, n * sizeof *results);

  /* A message taken up before whose handling never finished may be what
   * ended that run: the whole batch is then handled one message at a
   * time, each attempt counted, so that only that message is set aside. */
  if (n == 0)
    return TRUE;
  gboolean alone = FALSE;
  g_autofree gint64 *uids = item_uids (items, n);
  g_autofree gint64 *attempts = g_new0 (gint64, n);
  if (!shr_store_attempts_lookup (p->store, items[0].folder, items[0].uidvalidity, uids, n, attempts, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    alone |= attempts[i] > 0;
  if (alone)
    {
      for (guint i = 0; i < n; i++)
        {
          if (i > 0 && stop_now (o))
            break;
          if (attempts[i] > 0)
            g_message ("%s UID %" G_GINT64_FORMAT ": taken up %" G_GINT64_FORMAT
                       " times before without finishing; handled alone",
                       items[i].folder, items[i].uid, attempts[i]);
          if (!handle_alone (p, &items[i], attempts[i], o, &results[i], error))
            return FALSE;
          *n_done = i + 1;
        }
      return TRUE;
    }

  /* Counted before anything is read: a crash from here on is attributable. */
  if (!begin_attempts (p->store, items, n, error))
    return FALSE;
  g_autofree ShrPrepared **prep = g_new0 (ShrPrepared *, n);
  g_autofree gint64 *started = g_new0 (gint64, n);
  PrepJob job
      = { .pipeline = p, .items = items, .out = prep, .started = started, .n = (gint)n, .waiting = -1 };
  g_mutex_init (&job.lock);
  g_cond_init (&job.ready);
  guint workers = prep_threads (o, n);
  g_autofree GThread **threads = g_new0 (GThread *, workers);
  for (guint t = 0; t < workers; t++)
    threads[t] = g_thread_new ("prepare", prep_worker, &job);

  gboolean ok = !o->batch_txn || shr_store_begin (p->store, error);
  guint i = 0;
  for (; ok && i < n; i++)
    {
      if (i > 0 && stop_now (o))
        break;
      ShrPrepared *ready = prep_wait (&job, i, o);
      ok = o->batch_txn || shr_store_begin (p->store, error);
      if (ok && !apply_isolated (p, ready, &items[i], !o->batch_txn, &results[i], error))
        {
          ok = FALSE;
          shr_store_rollback (p->store);
          shr_pipeline_result_clear (&results[i]);
          break;
        }
      if (ok && !o->batch_txn)
        {
          ok = shr_store_commit (p->store, error);
          if (ok)
            *n_done = i + 1;
        }
    }
  if (ok && o->batch_txn)
    {
      ok = (i == 0
            || shr_store_attempts_end_batch (p->store, items[0].folder, items[0].uidvalidity, uids, i, error))
           && shr_store_commit (p->store, error);
      if (ok)
        *n_done = i;
      else
        shr_store_rollback (p->store);
    }
  g_atomic_int_set (&job.cancel, 1);
  for (guint t = 0; t < workers; t++)
    g_thread_join (threads[t]);
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.ready);
  for (guint k = 0; k < n; k++)
    shr_prepared_free (prep[k]);
  /* What was not committed has no result. */
  for (guint k = *n_done; k < n; k++)
    shr_pipeline_result_clear (&results[k]);
  return ok;
}
