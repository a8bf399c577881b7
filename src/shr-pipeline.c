/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-pipeline.c — one received mail through read, extract, correlate and
 * match into the state. See shr-pipeline.h. */
#include "config.h"

#include "shr-pipeline.h"

#include <gmime/gmime.h>
#include <string.h>

#include "shr-extract.h"
#include "shr-notice.h"
#include "shr-read.h"

/* Only the header block is scanned for these checks; a header block larger
 * than this is read no further (the reader has its own caps). */
#define HEADER_SCAN_MAX (1024 * 1024)
/* Message-ids looked up from In-Reply-To and References. */
#define MAX_REFERENCES 64

struct _ShrPipeline
{
  ShrStore *store;
  const ShrLexicon *lexicon;
  const ShrProfile *profile;
  const ShrVocabulary *vocab;
  gchar *own_address; /* lower case, or NULL */
  gchar **approvers;  /* lower case, or NULL */
};

void
shr_pipeline_result_clear (ShrPipelineResult *r)
{
  g_clear_pointer (&r->record_id, g_free);
  g_clear_pointer (&r->reason, g_free);
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
  p->own_address = own_address != NULL && *own_address ? g_ascii_strdown (own_address, -1) : NULL;
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
  GPtrArray *lower = g_ptr_array_new ();
  for (const gchar *const *a = approvers; *a != NULL; a++)
    g_ptr_array_add (lower, g_ascii_strdown (*a, -1));
  g_ptr_array_add (lower, NULL);
  p->approvers = (gchar **)g_ptr_array_free (lower, FALSE);
}

/* ---- raw headers ------------------------------------------------------------ */

/* Length of the header block (up to the empty line, or the whole text). */
static gsize
header_block_len (const gchar *raw, gsize len)
{
  len = MIN (len, HEADER_SCAN_MAX);
  for (gsize i = 0; i + 1 < len; i++)
    if (raw[i] == '\n' && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < len && raw[i + 2] == '\n')))
      return i + 1;
  return len;
}

/* Calls @fn for each header (name, unfolded value) until it returns TRUE. */
typedef gboolean (*HeaderFunc) (const gchar *name, gsize name_len, GString *value, gpointer data);

static void
foreach_header (const gchar *raw, gsize len, HeaderFunc fn, gpointer data)
{
  gsize end = header_block_len (raw, len);
  gsize i = 0;
  g_autoptr (GString) value = g_string_new (NULL);
  while (i < end)
    {
      gsize line_end = i;
      while (line_end < end && raw[line_end] != '\n')
        line_end++;
      const gchar *line = raw + i;
      gsize line_len = line_end - i;
      i = line_end + 1;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (line_len == 0 || line[0] == ' ' || line[0] == '\t')
        continue; /* continuations are gathered below */
      const gchar *colon = memchr (line, ':', line_len);
      if (colon == NULL)
        continue;
      gsize name_len = (gsize)(colon - line);
      g_string_truncate (value, 0);
      g_string_append_len (value, colon + 1, (gssize)(line_len - name_len - 1));
      /* Unfold the continuation lines that follow. */
      while (i < end && (raw[i] == ' ' || raw[i] == '\t'))
        {
          gsize e = i;
          while (e < end && raw[e] != '\n')
            e++;
          gsize l = e - i;
          if (l > 0 && raw[i + l - 1] == '\r')
            l--;
          g_string_append_len (value, raw + i, (gssize)l);
          i = e + 1;
        }
      g_strstrip (value->str);
      value->len = strlen (value->str);
      if (fn (line, name_len, value, data))
        return;
    }
}

typedef struct
{
  const gchar *name;
  gchar *value;
} FindOne;

static gboolean
find_one (const gchar *name, gsize name_len, GString *value, gpointer data)
{
  FindOne *f = data;
  if (strlen (f->name) != name_len || g_ascii_strncasecmp (name, f->name, name_len) != 0)
    return FALSE;
  f->value = g_strdup (value->str);
  return TRUE;
}

gchar *
shr_pipeline_header (const gchar *raw, gsize len, const gchar *name)
{
  FindOne f = { name, NULL };
  foreach_header (raw, len, find_one, &f);
  return f.value;
}

typedef struct
{
  gchar *message_id;
  gchar *in_reply_to;
  gchar *references;
  gchar *subject;
  gchar *from;
  gchar *auto_submitted;
  gchar *precedence;
  gboolean x_autoreply;
  gboolean list_id;
  gboolean x_shirase;
} Headers;

static void
headers_clear (Headers *h)
{
  g_free (h->message_id);
  g_free (h->in_reply_to);
  g_free (h->references);
  g_free (h->subject);
  g_free (h->from);
  g_free (h->auto_submitted);
  g_free (h->precedence);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Headers, headers_clear)

static gboolean
collect_header (const gchar *name, gsize n, GString *value, gpointer data)
{
  Headers *h = data;
#define IS(lit) (n == sizeof (lit) - 1 && g_ascii_strncasecmp (name, lit, n) == 0)
#define KEEP_FIRST(field)                                                                                    \
  do                                                                                                         \
    {                                                                                                        \
      if (h->field == NULL)                                                                                  \
        h->field = g_strdup (value->str);                                                                    \
    }                                                                                                        \
  while (0)
  if (IS ("Message-ID"))
    KEEP_FIRST (message_id);
  else if (IS ("In-Reply-To"))
    KEEP_FIRST (in_reply_to);
  else if (IS ("References"))
    KEEP_FIRST (references);
  else if (IS ("Subject"))
    KEEP_FIRST (subject);
  else if (IS ("From"))
    KEEP_FIRST (from);
  else if (IS ("Auto-Submitted"))
    KEEP_FIRST (auto_submitted);
  else if (IS ("Precedence"))
    KEEP_FIRST (precedence);
  else if (IS ("X-Autoreply") || IS ("X-Autorespond") || IS ("X-Auto-Response-Suppress-Never"))
    h->x_autoreply = TRUE;
  else if (IS ("List-Id"))
    h->list_id = TRUE;
  else if (n > 10 && g_ascii_strncasecmp (name, "X-Shirase-", 10) == 0)
    h->x_shirase = TRUE;
#undef IS
#undef KEEP_FIRST
  return FALSE;
}

/* The first <id> of @text without the brackets, or the trimmed text. */
static gchar *
strip_message_id (const gchar *text)
{
  if (text == NULL)
    return NULL;
  const gchar *lt = strchr (text, '<');
  const gchar *gt = lt != NULL ? strchr (lt, '>') : NULL;
  g_autofree gchar *id
      = lt != NULL && gt != NULL ? g_strndup (lt + 1, (gsize)(gt - lt - 1)) : g_strdup (text);
  g_strstrip (id);
  return *id ? g_steal_pointer (&id) : NULL;
}

static const gchar *
auto_reason (const Headers *h, const gchar *own_address)
{
  if (h->x_shirase)
    return "our own mail (X-Shirase- header)";
  if (own_address != NULL && h->from != NULL)
    {
      g_autofree gchar *from = g_ascii_strdown (h->from, -1);
      if (strstr (from, own_address) != NULL)
        return "our own mail (From is [smtp] from)";
    }
  if (h->auto_submitted != NULL)
    {
      g_autofree gchar *v = g_ascii_strdown (h->auto_submitted, -1);
      gchar *semi = strchr (v, ';');
      if (semi != NULL)
        *semi = '\0';
      g_strstrip (v);
      if (strcmp (v, "no") != 0)
        return "automatic reply (Auto-Submitted)";
    }
  if (h->x_autoreply)
    return "automatic reply (X-Autoreply)";
  if (h->precedence != NULL)
    {
      g_autofree gchar *v = g_ascii_strdown (h->precedence, -1);
      g_strstrip (v);
      if (strcmp (v, "junk") == 0)
        return "automatic reply (Precedence: junk)";
      /* Lists such as oss-security send Precedence: bulk; their
       * advisories carry List-Id, vacation replies do not. */
      if ((strcmp (v, "bulk") == 0 || strcmp (v, "list") == 0) && !h->list_id)
        return "automatic reply (Precedence without List-Id)";
    }
  return NULL;
}

const gchar *
shr_pipeline_auto_reason (const gchar *raw, gsize len, const gchar *own_address)
{
  g_auto (Headers) h = { 0 };
  foreach_header (raw, len, collect_header, &h);
  g_autofree gchar *own = own_address != NULL ? g_ascii_strdown (own_address, -1) : NULL;
  return auto_reason (&h, own);
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

static gboolean
from_approver (ShrPipeline *p, const Headers *h)
{
  if (p->approvers == NULL || h->from == NULL)
    return FALSE;
  /* "Name <addr>" or "addr"; the whole address must be an approver's. */
  const gchar *lt = strrchr (h->from, '<');
  const gchar *gt = lt != NULL ? strchr (lt, '>') : NULL;
  g_autofree gchar *addr
      = lt != NULL && gt != NULL ? g_strndup (lt + 1, (gsize)(gt - lt - 1)) : g_strdup (h->from);
  g_strstrip (addr);
  g_autofree gchar *lower = g_ascii_strdown (addr, -1);
  return g_strv_contains ((const gchar *const *)p->approvers, lower);
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
is_reply (ShrPipeline *p, const Headers *h, gint64 *draft_id, GError **error)
{
  *draft_id = 0;
  g_autoptr (GString) ids = g_string_new (NULL);
  if (h->in_reply_to != NULL)
    g_string_append (ids, h->in_reply_to);
  if (h->references != NULL)
    g_string_append_printf (ids, " %s", h->references);
  const gchar *s = ids->str;
  for (guint n = 0; n < MAX_REFERENCES; n++)
    {
      const gchar *lt = strchr (s, '<');
      const gchar *gt = lt != NULL ? strchr (lt, '>') : NULL;
      if (gt == NULL)
        break;
      g_autofree gchar *id = g_strndup (lt + 1, (gsize)(gt - lt - 1));
      if (!shr_store_find_draft_by_message_id (p->store, id, draft_id, error))
        return FALSE;
      if (*draft_id != 0)
        return TRUE;
      s = gt + 1;
    }
  if (h->subject == NULL)
    return TRUE;
  g_autofree gchar *subject = g_mime_utils_header_decode_text (NULL, h->subject);
  gboolean labelled = FALSE;
  g_autofree gchar *token = subject_token (subject, &labelled);
  if (token != NULL && !shr_store_find_draft_by_token (p->store, token, draft_id, error))
    return FALSE;
  if (*draft_id == 0 && (labelled || (from_approver (p, h) && says_reply (subject))))
    *draft_id = -1; /* a reply, to no draft we know: the approval step answers it */
  return TRUE;
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
  Headers h;
  gchar *message_id;     /* without <>, or NULL */
  const gchar *auto_why; /* static, or NULL */
  gchar *read_error;     /* not mail: why */
  ShrRecord *record;
  ShrMatch *match;
  gchar *record_json;
  gchar *match_json;  /* only when a draft may be queued */
  gchar *digest_json; /* not applicable: the digest's item */
};

void
shr_prepared_free (ShrPrepared *prep)
{
  if (prep == NULL)
    return;
  g_bytes_unref (prep->raw);
  g_free (prep->sha256);
  headers_clear (&prep->h);
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
  gsize len = 0;
  const gchar *text = g_bytes_get_data (raw, &len);
  if (text != NULL)
    foreach_header (text, len, collect_header, &prep->h);
  prep->message_id = strip_message_id (prep->h.message_id);
  prep->auto_why = auto_reason (&prep->h, p->own_address);
  if (prep->auto_why != NULL)
    return prep;
  g_autoptr (GError) read_error = NULL;
  g_autoptr (ShrMessage) msg = shr_message_read_bytes (raw, "IMAP message", &read_error);
  if (msg == NULL)
    {
      prep->read_error = g_strdup (read_error->message);
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
      json_builder_add_value (b,
                              shr_notice_view_new (prep->record, prep->match, p->profile, p->lexicon, now));
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
  if (!is_reply (p, &prep->h, &draft_id, error))
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
      && !queue_case_draft (store, r, record->title, prep->match_json,
                            grade_rank (grade) > grade_rank (old_grade), error))
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
