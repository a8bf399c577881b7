/* shr-pipeline.c — one received mail through read, extract, correlate and
 * match into the state. See shr-pipeline.h. */
#include "config.h"

#include "shr-pipeline.h"

#include <string.h>

#include "shr-extract.h"
#include "shr-notice.h"
#include "shr-read.h"

struct _ShrPipeline
{
  ShrStore *store;
  const ShrLexicon *lexicon;
  const ShrProfile *profile;
  const ShrVocabulary *vocab;
  gchar *own_address; /* canonical (shr_address_canonical), or NULL */
  gchar **approvers;  /* canonical, or NULL */
};

void
shr_pipeline_result_clear (ShrPipelineResult *r)
{
  g_clear_pointer (&r->record_id, g_free);
  g_clear_pointer (&r->reason, g_free);
  g_clear_pointer (&r->message, shr_message_free);
  memset (r, 0, sizeof *r);
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
  g_free (p);
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
  static const gchar *const prefixes[] = { "re:", "re：", "aw:", "sv:", "vs:", "返信:", "返信：", "答复:", "回复:" };
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

/* ---- prepare: everything that needs no state ---------------------------------- */

struct _ShrPrepared
{
  GBytes *raw;
  gchar *sha256;
  ShrMessage *message;   /* kept only while it may be a reply, else NULL */
  gboolean may_be_reply;
  gchar *message_id;     /* without <>, or NULL */
  gchar *auto_why;       /* ours or automatic: why; else NULL */
  gchar *read_error;     /* not mail, or over a cap: why */
  ShrRecord *record;
  ShrMatch *match;
  gchar *record_json;
  gchar *match_json; /* only when a draft may be queued */
  gchar *digest_json; /* not applicable: the digest's item */
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
  shr_record_free (prep->record);
  shr_match_free (prep->match);
  g_free (prep->record_json);
  g_free (prep->match_json);
  g_free (prep->digest_json);
  g_free (prep);
}

ShrPrepared *
shr_pipeline_prepare (ShrPipeline *p, GBytes *raw)
{
  g_return_val_if_fail (p != NULL && raw != NULL, NULL);
  ShrPrepared *prep = g_new0 (ShrPrepared, 1);
  prep->raw = g_bytes_ref (raw);
  prep->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, raw);
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
  prep->record = shr_extract_message (msg, p->lexicon);
  prep->record_json = shr_record_to_json_string (prep->record, FALSE);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  prep->match = shr_match_record (p->profile, p->vocab, prep->record, now);
  if (prep->match->verdict != SHR_VERDICT_NOT_APPLICABLE)
    {
      /* The draft keeps the match (record included) and the notice's view:
       * the notify step renders the draft and, once approved, the notices
       * from that view, so no record has to be rebuilt from JSON. */
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "match");
      json_builder_add_value (b, shr_match_to_json (prep->match, prep->record));
      json_builder_set_member_name (b, "view");
      json_builder_add_value (b, shr_notice_view_new (prep->record, prep->match, p->profile, p->lexicon, now));
      json_builder_end_object (b);
      g_autoptr (JsonNode) node = json_builder_get_root (b);
      prep->match_json = json_to_string (node, FALSE);
    }
  if (prep->match->verdict == SHR_VERDICT_NOT_APPLICABLE)
    {
      /* What the approvers' digest will list (no draft is made). */
      g_autoptr (JsonNode) item = shr_notice_digest_item_new (prep->record, prep->match, p->profile, now);
      prep->digest_json = json_to_string (item, FALSE);
    }
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

static gboolean
record_outcome (Step *s, const gchar *record_id, const gchar *error, GError **gerror)
{
  ShrStoreMessage m = {
    .folder = s->folder,
    .uidvalidity = s->uidvalidity,
    .uid = s->uid,
    .message_id = s->prep->message_id,
    .raw_sha256 = s->prep->sha256,
    .outcome = s->r->outcome,
    .record_id = record_id,
    .case_id = s->r->case_id,
    .error = error,
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
add_not_applicable (Step *s, GError **error)
{
  gint64 drafts = 0;
  if (!shr_store_count_drafts (s->p->store, s->r->case_id, &drafts, error))
    return FALSE;
  if (drafts > 0)
    return TRUE;
  return shr_store_digest_add (s->p->store, SHR_DIGEST_NOT_APPLICABLE, s->r->case_id, s->r->record_id, 0,
                               NULL, NULL, s->prep->digest_json, NULL, error);
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
queue_case_draft (ShrStore *store, ShrPipelineResult *r, const gchar *title, const gchar *match_json,
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
      return record_outcome (s, NULL, NULL, error);
    }

  gint64 draft_id = 0;
  if (prep->message != NULL && !is_reply (p, prep->message, &draft_id, error))
    return FALSE;
  if (draft_id != 0)
    {
      r->outcome = SHR_OUTCOME_REPLY;
      r->reason = draft_id > 0 ? g_strdup_printf ("reply to draft %" G_GINT64_FORMAT, draft_id)
                               : g_strdup ("reply to an unknown draft token");
      return record_outcome (s, NULL, NULL, error);
    }

  if (prep->read_error != NULL)
    {
      r->outcome = SHR_OUTCOME_FAILED;
      r->reason = g_strdup (prep->read_error);
      return record_outcome (s, NULL, prep->read_error, error);
    }
  ShrRecord *record = prep->record;
  if (!shr_store_put_record (store, record->id, prep->record_json, error))
    return FALSE;

  g_auto (GStrv) keys = shr_store_record_keys (record);
  gboolean is_new = FALSE;
  if (!shr_store_case_for_keys (store, (const gchar *const *)keys, record->title, &r->case_id, &is_new,
                                error))
    return FALSE;
  r->joined = !is_new;
  r->verdict = prep->match->verdict;
  r->record_id = g_strdup (record->id);

  /* The case's grade is the highest any of its sources gave. */
  g_autofree gchar *old_grade = NULL;
  if (!shr_store_case_get (store, r->case_id, NULL, &old_grade, error))
    return FALSE;
  const gchar *grade = store_grade (prep->match->grade);
  if (grade_rank (grade) > grade_rank (old_grade)
      && !shr_store_case_set_grade (store, r->case_id, grade, error))
    return FALSE;

  if (prep->match->verdict != SHR_VERDICT_NOT_APPLICABLE
      && !queue_case_draft (store, r, record->title, prep->match_json, grade_rank (grade) > grade_rank (old_grade),
                            error))
    return FALSE;
  if (prep->match->verdict == SHR_VERDICT_NOT_APPLICABLE && !add_not_applicable (s, error))
    return FALSE;
  r->outcome = SHR_OUTCOME_HANDLED;
  return record_outcome (s, record->id, NULL, error);
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
