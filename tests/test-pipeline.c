/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pipeline.c — the driver without a server: bytes in, state out.
 * De-duplication, our own mail and automatic replies, replies to drafts,
 * mail that is not mail, correlation of a second source into the first's
 * case (one draft), not-applicable advisories (no draft), and the watcher's
 * configuration rules. */
#include "config.h"

#include <gio/gio.h>
#include <gmime/gmime.h>
#include <string.h>

#include "shr-config.h"
#include "shr-hash.h"
#include "shr-pipeline.h"
#include "shr-watch.h"
#include "test-util.h"

typedef struct
{
  gchar *dir;
  ShrStore *store;
  ShrConfig *config;
  ShrVocabulary vocab;
  ShrPipeline *pipeline;
} Fixture;

static const ShrLexicon *
lexicon (void)
{
  g_autoptr (GError) error = NULL;
  ShrLexicon *l = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  return l;
}

/* The pipeline over the state in @dir (NULL: a new temp dir) and the
 * profile @profile (the configuration's text). */
static void
setup_profile (Fixture *f, const gchar *dir, const gchar *profile)
{
  g_autoptr (GError) error = NULL;
  f->dir = dir != NULL ? g_strdup (dir) : g_dir_make_tmp ("shr-pipeline-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *conf = test_write_file (f->dir, "c.conf", profile, 0600);
  f->vocab = shr_vocabulary_for_lexicon (lexicon ());
  f->config = shr_config_load (conf, &f->vocab, &error);
  g_assert_no_error (error);
  g_autofree gchar *state = g_build_filename (f->dir, "state", NULL);
  f->store = shr_store_open (state, &error);
  g_assert_no_error (error);
  f->pipeline
      = shr_pipeline_new (f->store, lexicon (), f->config->profile, &f->vocab, "shirase@example.test");
}

/* The same with a profile of one Cisco IOS XE router. */
static void
setup_in (Fixture *f, const gchar *dir)
{
  setup_profile (f, dir,
                 "[organization]\nname = Example\n\n"
                 "[asset edge]\nvendor = Cisco\nproduct = IOS XE\nversion = 17.9.4\n");
}

static void
setup (Fixture *f, gconstpointer data)
{
  (void)data;
  setup_in (f, NULL);
}

/* Frees @f, leaving its dir. */
static void
teardown_keep (Fixture *f)
{
  shr_pipeline_free (f->pipeline);
  shr_store_close (f->store);
  shr_config_free (f->config);
  g_free (f->dir);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autofree gchar *dir = g_strdup (f->dir);
  teardown_keep (f);
  test_remove_tree (dir);
}

static GBytes *
data_mail (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (test_srcdir (), "tests", "data", dir, name, NULL);
  gchar *text = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (text, len);
}

static GBytes *
fixture_mail (const gchar *name)
{
  return data_mail ("mail", name);
}

static GBytes *
text_mail (const gchar *text)
{
  return g_bytes_new (text, strlen (text));
}

/* @raw with its Message-ID replaced by @message_id: another copy. */
static GBytes *
text_mail_with_id (GBytes *raw, const gchar *message_id)
{
  gsize len = 0;
  const gchar *data = g_bytes_get_data (raw, &len);
  g_autofree gchar *text = g_strndup (data, len);
  g_autoptr (GRegex) re = g_regex_new ("^Message-ID:.*$", G_REGEX_MULTILINE | G_REGEX_CASELESS, 0, NULL);
  g_autofree gchar *header = g_strdup_printf ("Message-ID: %s", message_id);
  g_autofree gchar *out = g_regex_replace_literal (re, text, -1, 0, header, G_REGEX_MATCH_DEFAULT, NULL);
  g_assert_cmpstr (out, !=, text);
  return g_bytes_new (out, strlen (out));
}

static void
handle (Fixture *f, guint uid, GBytes *raw, ShrPipelineResult *r)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = shr_pipeline_handle (f->pipeline, "INBOX", 7, uid, raw, r, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* ---- our own mail and automatic replies ------------------------------------------ */

/* The one rule set (shr-read), as the pipeline applies it: each mail is
 * ignored with the reason, or taken in. */
static void
test_auto_rules (Fixture *f, gconstpointer data)
{
  (void)data;
  static const struct
  {
    const gchar *headers;
    const gchar *reason;
  } cases[] = {
    { "From: a@x.test\nAuto-Submitted: auto-replied\n", "automatic reply (Auto-Submitted: auto-replied)" },
    { "From: a@x.test\nAuto-Submitted: auto-generated; owner-email=x\n",
      "automatic reply (Auto-Submitted: auto-generated)" },
    { "From: a@x.test\nAuto-Submitted: no\n", NULL },
    { "From: a@x.test\nX-Autoreply: yes\n", "automatic reply (X-Autoreply)" },
    { "From: a@x.test\nX-Auto-Reply: yes\n", "automatic reply (X-Auto-Reply)" },
    { "From: a@x.test\nX-Autorespond: 1\n", "automatic reply (X-Autorespond)" },
    { "From: a@x.test\nPrecedence: junk\nList-Id: <l.x>\n", "automatic reply (Precedence: junk)" },
    { "From: a@x.test\nPrecedence: auto_reply\n", "automatic reply (Precedence: auto_reply)" },
    { "From: a@x.test\nPrecedence: bulk\n", "automatic reply (Precedence: bulk without List-Id)" },
    { "From: a@x.test\nPrecedence: list\n", "automatic reply (Precedence: list without List-Id)" },
    /* oss-security and friends: bulk, but a list. */
    { "From: a@x.test\nPrecedence: bulk\nList-Id: <oss-security.lists.openwall.com>\n", NULL },
    { "From: a@x.test\nX-Shirase-Draft: 12\n", "our own mail (X-Shirase- header)" },
    /* Our address, compared whole: any case in the domain. */
    { "From: Shirase <shirase@EXAMPLE.test>\n", "our own mail (From is [smtp] from)" },
    /* An advisory forwarded by someone whose address contains ours is not
     * ours (a substring match once took it for our own). */
    { "From: Taro <t.shirase@example.test>\n", NULL },
    { "From: shirase@example.test.evil.test\n", NULL },
    { "From: security@vendor.example\nSubject: DSA-1\n", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *raw = g_strdup_printf (
          "%sMessage-ID: <auto.%" G_GSIZE_FORMAT "@x.test>\n\nCVE-2026-1111 in foo\n", cases[i].headers, i);
      g_autoptr (GBytes) bytes = text_mail (raw);
      ShrPipelineResult r = { 0 };
      handle (f, (guint)i + 1, bytes, &r);
      g_test_message ("case %" G_GSIZE_FORMAT ": %s -> %s (%s)", i, cases[i].headers,
                      shr_outcome_to_string (r.outcome), r.reason);
      if (cases[i].reason != NULL)
        {
          g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_IGNORED);
          g_assert_cmpstr (r.reason, ==, cases[i].reason);
        }
      else
        g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
      shr_pipeline_result_clear (&r);
    }
}

/* ---- the pipeline ---------------------------------------------------------------- */

static void
test_dedupe_message_id (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GBytes) raw = fixture_mail ("dsa_5901_1_libxml2.eml");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
  g_assert_false (r.duplicate);
  shr_pipeline_result_clear (&r);
  /* The same mail again, at another UID (a new UIDVALIDITY, a copy). */
  handle (f, 9, raw, &r);
  g_assert_true (r.duplicate);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
  shr_pipeline_result_clear (&r);
  /* The same Message-ID with other bytes (re-delivered with new Received
   * headers) is the same message. */
  gsize len;
  const gchar *text = g_bytes_get_data (raw, &len);
  g_autofree gchar *more
      = g_strconcat ("Received: from relay by mx; Thu, 1 Jan 2026 00:00:00 +0000\n", text, NULL);
  g_autoptr (GBytes) raw2 = text_mail (more);
  handle (f, 10, raw2, &r);
  g_assert_true (r.duplicate);
  shr_pipeline_result_clear (&r);
  ShrStoreStatus st = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_get_status (f->store, &st, &error));
  g_assert_cmpint (st.messages[SHR_OUTCOME_HANDLED], ==, 1);
  shr_store_status_clear (&st);
}

static void
test_dedupe_hash (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GBytes) raw = text_mail ("From: a@example.test\nSubject: no id\n\nCVE-2026-1111 in foo\n");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_false (r.duplicate);
  shr_pipeline_result_clear (&r);
  handle (f, 2, raw, &r);
  g_assert_true (r.duplicate);
  shr_pipeline_result_clear (&r);
  g_autoptr (GBytes) other = text_mail ("From: a@example.test\nSubject: no id\n\nCVE-2026-1112 in foo\n");
  handle (f, 3, other, &r);
  g_assert_false (r.duplicate);
  shr_pipeline_result_clear (&r);
}

static void
test_not_mail (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GBytes) raw = text_mail ("this is not a mail message\n");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_FAILED);
  g_assert_cmpstr (r.reason, ==, "IMAP message: not a mail message (no header line at the start)");
  shr_pipeline_result_clear (&r);
  ShrStoreStatus st = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_get_status (f->store, &st, &error));
  g_assert_cmpint (st.messages[SHR_OUTCOME_FAILED], ==, 1);
  g_assert_cmpstr (st.last_error, ==, "IMAP message: not a mail message (no header line at the start)");
  shr_store_status_clear (&st);
}

static void
test_ignored (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GBytes) raw
      = text_mail ("From: boss@example.test\nSubject: Out of office\nAuto-Submitted: auto-replied\n"
                   "Message-ID: <ooo@example.test>\n\nAway. Re: CVE-2026-20198\n");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_IGNORED);
  g_assert_cmpstr (r.reason, ==, "automatic reply (Auto-Submitted: auto-replied)");
  g_assert_cmpint (r.case_id, ==, 0);
  shr_pipeline_result_clear (&r);
}

static void
test_second_source_joins (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GBytes) cisco = fixture_mail ("cisco_sa_iosxe_webui_privesc.eml");
  g_autoptr (GBytes) cisa = fixture_mail ("cisa_aa26_071a_volt_typhoon.eml");
  ShrPipelineResult r1 = { 0 }, r2 = { 0 };
  handle (f, 1, cisco, &r1);
  handle (f, 2, cisa, &r2);
  g_assert_cmpint (r1.outcome, ==, SHR_OUTCOME_HANDLED);
  /* Affected only with the HTTP Server feature on, which the profile
   * cannot say: to check, and drafted all the same. */
  g_assert_cmpint (r1.verdict, ==, SHR_VERDICT_CHECK);
  g_assert_false (r1.joined);
  g_assert_cmpint (r1.draft_id, >, 0);
  g_assert_cmpint (r2.outcome, ==, SHR_OUTCOME_HANDLED);
  g_assert_true (r2.joined);
  g_assert_cmpint (r2.case_id, ==, r1.case_id);
  g_assert_cmpint (r2.draft_id, ==, 0);
  gint64 drafts = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_count_drafts (f->store, r1.case_id, &drafts, &error));
  g_assert_cmpint (drafts, ==, 1);
  /* The draft keeps the match and the notice's view (what shr-notify
   * renders the draft and the notices from). */
  g_autoptr (ShrStoreDraft) draft = shr_store_draft_get (f->store, r1.draft_id, &error);
  g_assert_no_error (error);
  g_autoptr (JsonNode) body = json_from_string (draft->body, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "match"), "verdict"), ==,
                   "applicable");
  JsonObject *view = json_object_get_object_member (o, "view");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (view, "grade"), "letter"),
                   ==, "A");
  g_assert_cmpstr (draft->status, ==, "pending");
  g_assert_null (draft->token);
  g_autofree gchar *grade = NULL;
  g_assert_true (shr_store_case_get (f->store, r1.case_id, NULL, &grade, &error));
  g_assert_cmpstr (grade, ==, "A");
  shr_pipeline_result_clear (&r1);
  shr_pipeline_result_clear (&r2);
}

/* ---- a later source raising the grade ------------------------------------------- */

/* The case's drafts, oldest first, as "kind/status/grade" words. */
static gchar *
case_drafts (Fixture *f, gint64 case_id)
{
  g_autoptr (GString) out = g_string_new (NULL);
  for (gint64 id = 1;; id++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, id, &error);
      if (d == NULL)
        break;
      if (d->case_id != case_id)
        continue;
      g_autoptr (JsonNode) body = json_from_string (d->body, &error);
      g_assert_no_error (error);
      JsonObject *view = json_object_get_object_member (json_node_get_object (body), "view");
      const gchar *letter
          = json_object_get_string_member (json_object_get_object_member (view, "grade"), "letter");
      g_string_append_printf (out, "%s%s/%s/%s", out->len > 0 ? " " : "", d->kind, d->status, letter);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The first source (Cisco, CVSS 6.8: grade C) gives a draft; what the
 * second (CISA KEV, same CVE: grade A) does depends on that draft. */
static gint64
first_source (Fixture *f)
{
  g_autoptr (GBytes) first = data_mail ("update", "cisco-snmp-first.eml");
  ShrPipelineResult r = { 0 };
  handle (f, 1, first, &r);
  g_assert_cmpint (r.draft_id, >, 0);
  g_assert_false (r.update);
  gint64 case_id = r.case_id;
  g_autofree gchar *drafts = case_drafts (f, case_id);
  g_assert_cmpstr (drafts, ==, "new/pending/C");
  shr_pipeline_result_clear (&r);
  return case_id;
}

static void
second_source (Fixture *f, gint64 case_id, ShrPipelineResult *r)
{
  g_autoptr (GBytes) kev = data_mail ("update", "cisa-kev-later.eml");
  handle (f, 2, kev, r);
  g_assert_true (r->joined);
  g_assert_cmpint (r->case_id, ==, case_id);
  g_autofree gchar *grade = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_case_get (f->store, case_id, NULL, &grade, &error));
  g_assert_cmpstr (grade, ==, "A");
}

static void
set_ids (Fixture *f, gint64 draft_id, const gchar *status)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_draft_set_ids (f->store, draft_id, "TOKEN00001", "draft.1@example.test", &error));
  if (status != NULL)
    g_assert_true (shr_store_draft_set_status (f->store, draft_id, status, &error));
  g_assert_no_error (error);
}

/* Notified at C, now exploited (A): an update draft. */
static void
test_update_after_notice (Fixture *f, gconstpointer data)
{
  (void)data;
  gint64 case_id = first_source (f);
  set_ids (f, 1, "approved");
  ShrPipelineResult r = { 0 };
  second_source (f, case_id, &r);
  g_assert_cmpint (r.draft_id, ==, 2);
  g_assert_true (r.update);
  g_autofree gchar *drafts = case_drafts (f, case_id);
  g_assert_cmpstr (drafts, ==, "new/approved/C update/pending/A");
  shr_pipeline_result_clear (&r);
  /* A third source at the same grade adds nothing. */
  g_autoptr (GBytes) kev = data_mail ("update", "cisa-kev-later.eml");
  g_autofree gchar *text = g_strndup (g_bytes_get_data (kev, NULL), g_bytes_get_size (kev));
  g_auto (GStrv) parts = g_strsplit (text, "20261124.kev.1@", 2);
  g_autofree gchar *other = g_strjoinv ("20261125.kev.1@", parts);
  g_autoptr (GBytes) third = text_mail (other);
  ShrPipelineResult r3 = { 0 };
  handle (f, 3, third, &r3);
  g_assert_true (r3.joined);
  g_assert_cmpint (r3.draft_id, ==, 0);
  g_autofree gchar *after = case_drafts (f, case_id);
  g_assert_cmpstr (after, ==, "new/approved/C update/pending/A");
  shr_pipeline_result_clear (&r3);
}

/* The draft has not reached the approvers yet: it takes the new content. */
static void
test_update_refreshes_unmailed (Fixture *f, gconstpointer data)
{
  (void)data;
  gint64 case_id = first_source (f);
  ShrPipelineResult r = { 0 };
  second_source (f, case_id, &r);
  g_assert_cmpint (r.draft_id, ==, 0);
  g_autofree gchar *drafts = case_drafts (f, case_id);
  g_assert_cmpstr (drafts, ==, "new/pending/A");
  shr_pipeline_result_clear (&r);
}

/* The approvers have the C draft and have not answered (it is replaced),
 * or rejected it: a new draft at A (not an update: nothing was notified). */
static void
test_update_without_notice (Fixture *f, gconstpointer data)
{
  const gchar *status = data;
  gint64 case_id = first_source (f);
  set_ids (f, 1, status);
  ShrPipelineResult r = { 0 };
  second_source (f, case_id, &r);
  g_assert_cmpint (r.draft_id, ==, 2);
  g_assert_false (r.update);
  g_autofree gchar *drafts = case_drafts (f, case_id);
  /* A draft still pending with the approvers is replaced: it cannot be
   * approved any more, and the new one names it. */
  g_autofree gchar *expected
      = g_strdup_printf ("new/%s/C new/pending/A", status != NULL ? status : "expired");
  g_assert_cmpstr (drafts, ==, expected);
  g_assert_cmpint (r.replaced, ==, status != NULL ? 0 : 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, 2, &error);
  g_autoptr (JsonNode) body = json_from_string (d->body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member_with_default (json_node_get_object (body), "replaces", 0), ==,
                   status != NULL ? 0 : 1);
  shr_pipeline_result_clear (&r);
}

static void
test_not_applicable (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GBytes) raw = fixture_mail ("panos_cve_2026_0300.eml");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
  g_assert_cmpint (r.verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpint (r.draft_id, ==, 0);
  g_autofree gchar *grade = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_case_get (f->store, r.case_id, NULL, &grade, &error));
  g_assert_cmpstr (grade, ==, "-");
  shr_pipeline_result_clear (&r);

  /* It waits for the approvers' digest, with what digest.txt shows. */
  g_autoptr (GPtrArray) items = NULL;
  g_assert_true (shr_store_digest_pending (f->store, &items, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  const ShrDigestItem *item = items->pdata[0];
  g_assert_cmpint (item->kind, ==, SHR_DIGEST_NOT_APPLICABLE);
  g_assert_cmpstr (item->record_id, ==, "psirt:PAN-SA-2026-0004");
  g_assert_null (item->recipient);
  g_autoptr (JsonNode) view = json_from_string (item->view, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (view);
  g_assert_cmpstr (json_object_get_string_member (o, "cve_first"), ==, "CVE-2026-0300");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "source"), "advisory_id"),
                   ==, "PAN-SA-2026-0004");
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "date"), "ja"));
  JsonArray *reasons = json_object_get_array_member (o, "reasons_en");
  g_assert_cmpuint (json_array_get_length (reasons), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reasons, 0), "v"), ==,
                   "None of the products or targets the advisory names concerns us");
  /* Only the digest's keys: not the whole notice view. */
  g_assert_false (json_object_has_member (o, "checklist"));

  /* A second copy of the advisory (another Message-ID) is listed once. */
  g_autoptr (GBytes) copy = text_mail_with_id (raw, "<copy-1@example.test>");
  handle (f, 2, copy, &r);
  g_assert_false (r.duplicate);
  shr_pipeline_result_clear (&r);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_assert_true (shr_store_digest_pending (f->store, &items, &error));
  g_assert_cmpuint (items->len, ==, 1);
}

/* A not-applicable source of a case that has a draft adds no digest item:
 * the approvers hear of the case through its draft. */
static void
test_not_applicable_with_draft (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GError) error = NULL;
  gint64 case_id = 0, draft_id = 0;
  const gchar *keys[] = { "CVE-2026-0300", NULL };
  g_assert_true (shr_store_case_for_keys (f->store, keys, "PAN-OS", &case_id, NULL, &error));
  g_assert_true (
      shr_store_add_draft (f->store, case_id, "new", NULL, NULL, "PAN-OS", "{}", &draft_id, &error));
  g_autoptr (GBytes) raw = fixture_mail ("panos_cve_2026_0300.eml");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_cmpint (r.verdict, ==, SHR_VERDICT_NOT_APPLICABLE);
  g_assert_cmpint (r.case_id, ==, case_id);
  shr_pipeline_result_clear (&r);
  g_autoptr (GPtrArray) items = NULL;
  g_assert_true (shr_store_digest_pending (f->store, &items, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_reply_to_draft (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GError) error = NULL;
  gint64 case_id = 0, draft_id = 0;
  const gchar *keys[] = { "CVE-2026-20198", NULL };
  g_assert_true (shr_store_case_for_keys (f->store, keys, "Cisco", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (f->store, case_id, "new", "K7Q2M9F3XA",
                                      "draft-1.abc@shirase.example.test", "[承認依頼 #K7Q2M9F3XA] Cisco",
                                      "{}", &draft_id, &error));
  /* By In-Reply-To. */
  g_autoptr (GBytes) a
      = text_mail ("From: approver@example.test\nSubject: Re: Cisco\n"
                   "In-Reply-To: <draft-1.abc@shirase.example.test>\nMessage-ID: <r1@x>\n\n承認\n");
  ShrPipelineResult r = { 0 };
  handle (f, 1, a, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_REPLY);
  g_autofree gchar *want = g_strdup_printf ("reply to draft %" G_GINT64_FORMAT, draft_id);
  g_assert_cmpstr (r.reason, ==, want);
  shr_pipeline_result_clear (&r);
  /* By the Subject token alone, RFC 2047 encoded. */
  g_autofree gchar *subject
      = g_mime_utils_header_encode_text (NULL, "Re: [承認依頼 #K7Q2M9F3XA] Cisco", "utf-8");
  g_autofree gchar *text
      = g_strdup_printf ("From: approver@example.test\nSubject: %s\nMessage-ID: <r2@x>\n\nok\n", subject);
  g_autoptr (GBytes) b = text_mail (text);
  handle (f, 2, b, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_REPLY);
  g_assert_cmpstr (r.reason, ==, want);
  shr_pipeline_result_clear (&r);
  /* A bracketed "#1234" that is no draft token is an ordinary mail. */
  g_autoptr (GBytes) c = text_mail ("From: x@example.test\nSubject: [Bug #1234] CVE-2026-7777 crash\n"
                                    "Message-ID: <r3@x>\n\nCVE-2026-7777\n");
  handle (f, 3, c, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
  shr_pipeline_result_clear (&r);
}

/* ---- a digest mail: several advisories, each its own case -------------------------- */

/* Two of the four products of the JVN feed tests/data/mail/
 * jvn_digest_2026_03_10.eml, at affected versions; the feed's other two
 * (Demo Print Server, ExampleWiki) are not run here. */
static void
setup_digest (Fixture *f, gconstpointer data)
{
  (void)data;
  setup_profile (f, NULL,
                 "[organization]\nname = Example\n\n"
                 "[asset mail]\nvendor = 株式会社エグザンプルメール\nproduct = ExampleMail Server\n"
                 "version = 6.1.3\n\n"
                 "[asset router]\nvendor = サンプルネットワークス株式会社\nproduct = Sample Router SR-500\n"
                 "version = 2.0.8\n");
}

static ShrStoreStatus
state_counts (Fixture *f)
{
  ShrStoreStatus st = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_get_status (f->store, &st, &error));
  g_assert_no_error (error);
  g_clear_pointer (&st.last_error, g_free);
  return st;
}

static const ShrPipelineAdvisory *
advisory (const ShrPipelineResult *r, guint i)
{
  g_assert_nonnull (r->advisories);
  g_assert_cmpuint (i, <, r->advisories->len);
  return &g_array_index (r->advisories, ShrPipelineAdvisory, i);
}

/* The JVN feed of four advisories is one message and four cases: each
 * item judged on its own (two apply: a draft each, titled and sourced as
 * that item; two do not: each in the approvers' digest), and the same
 * mail again is seen before, with nothing new. */
static void
test_digest_cases (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) raw = fixture_mail ("jvn_digest_2026_03_10.eml");
  ShrPipelineResult r = { 0 };
  handle (f, 1, raw, &r);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
  g_assert_false (r.duplicate);
  g_assert_cmpuint (r.advisories->len, ==, 4);
  static const struct
  {
    const gchar *record_id, *title;
    ShrVerdict verdict;
  } want[] = {
    { "jvn:JVN#20260311", "ExampleMail Server におけるクロスサイトスクリプティングの脆弱性",
      SHR_VERDICT_APPLICABLE },
    { "jvn:JVN#20260312", "Sample Router シリーズにおける認証回避の脆弱性", SHR_VERDICT_APPLICABLE },
    { "jvn:JVNVU#20260313", "Demo Print Server における境界外書き込みの脆弱性", SHR_VERDICT_NOT_APPLICABLE },
    { "jvn:JVN#20260314", "ExampleWiki におけるパストラバーサルの脆弱性", SHR_VERDICT_NOT_APPLICABLE },
  };
  gint64 cases[4] = { 0 };
  for (guint i = 0; i < 4; i++)
    {
      const ShrPipelineAdvisory *a = advisory (&r, i);
      g_test_message ("advisory %u: %s", i + 1, a->record_id);
      g_assert_cmpuint (a->item, ==, i + 1);
      g_assert_cmpuint (a->items, ==, 4);
      g_assert_cmpstr (a->record_id, ==, want[i].record_id);
      g_assert_cmpint (a->verdict, ==, want[i].verdict);
      g_assert_false (a->joined);
      cases[i] = a->case_id;
      for (guint k = 0; k < i; k++)
        g_assert_cmpint (cases[k], !=, a->case_id);
      /* Its own record, as extract reads the item. */
      g_autofree gchar *json = shr_store_get_record (f->store, a->record_id, &error);
      g_assert_no_error (error);
      g_autoptr (JsonNode) record = json_from_string (json, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (record), "title"), ==,
                       want[i].title);
      g_autofree gchar *title = NULL;
      g_assert_true (shr_store_case_get (f->store, a->case_id, &title, NULL, &error));
      g_assert_cmpstr (title, ==, want[i].title);
      if (want[i].verdict == SHR_VERDICT_NOT_APPLICABLE)
        {
          g_assert_cmpint (a->draft_id, ==, 0);
          continue;
        }
      /* Its draft: the item's title, and a source line that names the
       * item of the mail. */
      g_assert_cmpint (a->draft_id, >, 0);
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, a->draft_id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (d->case_id, ==, a->case_id);
      g_assert_cmpstr (d->subject, ==, want[i].title);
      g_autoptr (JsonNode) body = json_from_string (d->body, &error);
      g_assert_no_error (error);
      JsonObject *view = json_object_get_object_member (json_node_get_object (body), "view");
      JsonObject *item
          = json_object_get_object_member (json_object_get_object_member (view, "source"), "item");
      g_assert_cmpint (json_object_get_int_member (item, "index"), ==, i + 1);
      g_assert_cmpint (json_object_get_int_member (item, "of"), ==, 4);
      g_assert_cmpstr (json_object_get_string_member (item, "digest"), ==,
                       "脆弱性対策情報 新着のお知らせ (2026/03/10 4件)");
    }
  /* The message's own fields are the first item's. */
  g_assert_cmpint (r.case_id, ==, cases[0]);
  g_assert_cmpstr (r.record_id, ==, want[0].record_id);
  g_assert_cmpint (r.draft_id, ==, advisory (&r, 0)->draft_id);
  shr_pipeline_result_clear (&r);

  /* The exploited router flaw (CVSS 9.8) is grade A, the mail server's C;
   * the other two are graded "-". */
  static const gchar *const grades[] = { "C", "A", "-", "-" };
  for (guint i = 0; i < 4; i++)
    {
      g_autofree gchar *grade = NULL;
      g_assert_true (shr_store_case_get (f->store, cases[i], NULL, &grade, &error));
      g_assert_cmpstr (grade, ==, grades[i]);
    }

  /* The two that do not apply wait for the approvers' digest, each once. */
  g_autoptr (GPtrArray) digest = NULL;
  g_assert_true (shr_store_digest_pending (f->store, &digest, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (digest->len, ==, 2);
  for (guint k = 0; k < 2; k++)
    {
      const ShrDigestItem *item = digest->pdata[k];
      g_assert_cmpint (item->kind, ==, SHR_DIGEST_NOT_APPLICABLE);
      g_assert_cmpstr (item->record_id, ==, want[2 + k].record_id);
      g_assert_cmpint (item->case_id, ==, cases[2 + k]);
    }

  /* One message, found from each of its cases as that case's item. */
  ShrStoreStatus st = state_counts (f);
  g_assert_cmpint (st.messages[SHR_OUTCOME_HANDLED], ==, 1);
  g_assert_cmpint (st.records, ==, 4);
  g_assert_cmpint (st.cases, ==, 4);
  g_assert_cmpint (st.drafts_pending, ==, 2);
  g_assert_cmpint (st.digest_waiting, ==, 2);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (GPtrArray) rows = NULL;
      g_assert_true (shr_store_messages_find (f->store, NULL, 0, cases[i], &rows, &error));
      g_assert_cmpuint (rows->len, ==, 1);
      const ShrStoreMessageRow *m = rows->pdata[0];
      g_assert_cmpint (m->uid, ==, 1);
      g_assert_cmpuint (m->item, ==, i + 1);
      g_assert_cmpuint (m->items, ==, 4);
      g_assert_cmpstr (m->record_id, ==, want[i].record_id);
      g_assert_cmpint (m->case_id, ==, cases[i]);
    }
  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (
      shr_store_messages_find (f->store, "20260310180000.digest@jvn.example.invalid", 0, 0, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (((ShrStoreMessageRow *)rows->pdata[0])->items, ==, 4);
  g_autoptr (GArray) of_mail = NULL;
  g_assert_true (
      shr_store_message_cases (f->store, ((ShrStoreMessageRow *)rows->pdata[0])->id, &of_mail, &error));
  g_assert_cmpuint (of_mail->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (of_mail, gint64, i), ==, cases[i]);

  /* The same mail again (another UID: moved back, delivered twice). */
  handle (f, 2, raw, &r);
  g_assert_true (r.duplicate);
  g_assert_cmpint (r.outcome, ==, SHR_OUTCOME_HANDLED);
  g_assert_null (r.advisories);
  g_assert_cmpint (r.draft_id, ==, 0);
  shr_pipeline_result_clear (&r);
  ShrStoreStatus again = state_counts (f);
  g_assert_cmpint (again.messages[SHR_OUTCOME_HANDLED], ==, 1);
  g_assert_cmpint (again.records, ==, 4);
  g_assert_cmpint (again.cases, ==, 4);
  g_assert_cmpint (again.drafts_pending, ==, 2);
  g_assert_cmpint (again.digest_waiting, ==, 2);
}

/* The vendor's own advisory came first (CVE-2026-26102, exploited, A):
 * the feed's item on the same flaw joins its case, adding no draft; the
 * feed's other items are cases of their own. */
static void
test_digest_item_joins (Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) vendor = data_mail ("digest", "samplenet_sa_2026_003.eml");
  ShrPipelineResult first = { 0 };
  handle (f, 1, vendor, &first);
  g_assert_cmpint (first.verdict, ==, SHR_VERDICT_APPLICABLE);
  g_assert_cmpint (first.draft_id, >, 0);
  /* A mail that is one advisory: one, numbered 0. */
  g_assert_cmpuint (first.advisories->len, ==, 1);
  g_assert_cmpuint (advisory (&first, 0)->item, ==, 0);
  g_assert_cmpuint (advisory (&first, 0)->items, ==, 0);
  g_assert_cmpint (advisory (&first, 0)->case_id, ==, first.case_id);
  g_autofree gchar *described = shr_pipeline_advisory_describe (advisory (&first, 0));
  g_autofree gchar *want_first
      = g_strdup_printf ("applicable, case %" G_GINT64_FORMAT " (new), draft queued", first.case_id);
  g_assert_cmpstr (described, ==, want_first);

  g_autoptr (GBytes) feed = fixture_mail ("jvn_digest_2026_03_10.eml");
  ShrPipelineResult r = { 0 };
  handle (f, 2, feed, &r);
  g_assert_cmpuint (r.advisories->len, ==, 4);
  const ShrPipelineAdvisory *router = advisory (&r, 1);
  g_assert_cmpstr (router->advisory_id, ==, "JVN#20260312");
  g_assert_true (router->joined);
  g_assert_cmpint (router->case_id, ==, first.case_id);
  g_assert_cmpint (router->draft_id, ==, 0);
  g_autofree gchar *joined = shr_pipeline_advisory_describe (router);
  g_autofree gchar *want_joined = g_strdup_printf (
      "advisory 2 of 4 (JVN#20260312): applicable, case %" G_GINT64_FORMAT " (joined)", first.case_id);
  g_assert_cmpstr (joined, ==, want_joined);
  for (guint i = 0; i < 4; i++)
    if (i != 1)
      {
        g_assert_false (advisory (&r, i)->joined);
        g_assert_cmpint (advisory (&r, i)->case_id, !=, first.case_id);
      }
  g_assert_cmpint (advisory (&r, 0)->draft_id, >, 0);

  gint64 drafts = 0;
  g_assert_true (shr_store_count_drafts (f->store, first.case_id, &drafts, &error));
  g_assert_cmpint (drafts, ==, 1);
  /* The case lists both mails: the feed as its second item. */
  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (shr_store_messages_find (f->store, NULL, 0, first.case_id, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      const ShrStoreMessageRow *m = rows->pdata[i];
      g_assert_cmpuint (m->item, ==, m->uid == 2 ? 2 : 0);
      g_assert_cmpstr (m->record_id, ==, m->uid == 2 ? "jvn:JVN#20260312" : first.record_id);
    }
  shr_pipeline_result_clear (&first);
  shr_pipeline_result_clear (&r);
}

/* ---- a batch, one poison message isolated ------------------------------------------ */

/* Three advisories, the middle one carrying @marker. */
static void
three_items (ShrPipelineItem items[3], GBytes *raws[3], const gchar *marker)
{
  g_autoptr (GBytes) a = fixture_mail ("dsa_5901_1_libxml2.eml");
  g_autoptr (GBytes) c = fixture_mail ("usn_7301_1_openssh.eml");
  g_autofree gchar *middle = g_strdup_printf ("From: psirt@vendor.example\nSubject: Advisory\n"
                                              "Message-ID: <poison@vendor.example>\n\n%s CVE-2026-4242\n",
                                              marker);
  raws[0] = g_bytes_ref (a);
  raws[1] = g_bytes_new (middle, strlen (middle));
  raws[2] = g_bytes_ref (c);
  for (guint i = 0; i < 3; i++)
    items[i] = (ShrPipelineItem){ "INBOX", 7, i + 1, raws[i] };
}

static gint64
records (Fixture *f)
{
  ShrStoreStatus st = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_get_status (f->store, &st, &error));
  gint64 n = st.records;
  shr_store_status_clear (&st);
  return n;
}

static gint64
attempts_of (Fixture *f, gint64 uid)
{
  gint64 n = -1;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_attempts_get (f->store, "INBOX", 7, uid, &n, &error));
  g_assert_no_error (error);
  return n;
}

/* A state step that fails for one message is undone alone (what it wrote
 * is gone) and the message recorded as failed with the reason; the
 * others of the batch, before and after it, are handled and committed. */
static void
test_batch_one_fails_alone (Fixture *f, gconstpointer data)
{
  gboolean batch_txn = GPOINTER_TO_INT (data);
  ShrPipelineItem items[3];
  GBytes *raws[3];
  three_items (items, raws, "POISON-APPLY");
  shr_pipeline_set_fault (f->pipeline, SHR_PIPELINE_FAULT_APPLY, "POISON-APPLY");
  ShrPipelineResult results[3];
  ShrPipelineBatchOptions o = { .batch_txn = batch_txn, .threads = 2 };
  guint done = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_pipeline_handle_batch (f->pipeline, items, 3, &o, results, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done, ==, 3);
  g_assert_cmpint (results[0].outcome, ==, SHR_OUTCOME_HANDLED);
  g_assert_cmpint (results[1].outcome, ==, SHR_OUTCOME_FAILED);
  g_assert_nonnull (strstr (results[1].reason, "its state step failed: a test fault"));
  g_assert_cmpint (results[2].outcome, ==, SHR_OUTCOME_HANDLED);
  /* The failed one's record, written before its step failed, is gone. */
  g_assert_cmpint (records (f), ==, 2);
  ShrStoreStatus st = { 0 };
  g_assert_true (shr_store_get_status (f->store, &st, &error));
  g_assert_cmpint (st.messages[SHR_OUTCOME_HANDLED], ==, 2);
  g_assert_cmpint (st.messages[SHR_OUTCOME_FAILED], ==, 1);
  g_assert_nonnull (strstr (st.last_error, "a test fault"));
  shr_store_status_clear (&st);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (attempts_of (f, i + 1), ==, 0);
      shr_pipeline_result_clear (&results[i]);
      g_bytes_unref (raws[i]);
    }
}

#define CHILD_DIR_ENV "SHR_TEST_PIPELINE_DIR"

/* The subprocess of the poison tests: one run over the three messages in
 * the state of $SHR_TEST_PIPELINE_DIR, with the fault of the test data. */
static void
poison_child (void)
{
  const gchar *dir = g_getenv (CHILD_DIR_ENV);
  if (dir == NULL)
    {
      g_test_skip ("only run as a subprocess of /pipeline/batch/*");
      return;
    }
  Fixture f = { 0 };
  setup_in (&f, dir);
  const gchar *fault = g_getenv ("SHR_TEST_PIPELINE_FAULT");
  shr_pipeline_set_fault (f.pipeline,
                          g_strcmp0 (fault, "hang") == 0 ? SHR_PIPELINE_FAULT_HANG : SHR_PIPELINE_FAULT_ABORT,
                          "POISON-CRASH");
  ShrPipelineItem items[3];
  GBytes *raws[3];
  three_items (items, raws, "POISON-CRASH");
  ShrPipelineResult results[3];
  ShrPipelineBatchOptions o = { .batch_txn = TRUE, .threads = 2, .budget_seconds = 1 };
  if (g_getenv ("SHR_TEST_PIPELINE_RSS") != NULL)
    o.budget_rss = 1;
  guint done = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_pipeline_handle_batch (f.pipeline, items, 3, &o, results, &done, &error));
  for (guint i = 0; i < 3; i++)
    {
      g_print ("%u %s %s\n", i + 1,
               results[i].duplicate ? "seen" : shr_outcome_to_string (results[i].outcome),
               results[i].reason != NULL ? results[i].reason : "");
      shr_pipeline_result_clear (&results[i]);
      g_bytes_unref (raws[i]);
    }
  teardown_keep (&f);
}

static void
run_child (Fixture *f, const gchar *fault)
{
  g_setenv (CHILD_DIR_ENV, f->dir, TRUE);
  g_setenv ("SHR_TEST_PIPELINE_FAULT", fault, TRUE);
  g_test_trap_subprocess ("/pipeline/batch/child", 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv (CHILD_DIR_ENV);
  g_unsetenv ("SHR_TEST_PIPELINE_FAULT");
}

/* A message that crashes the process: its attempt was counted before, so
 * the next runs take the batch one message at a time; the crash is
 * pinned on it, the others are handled, and after its third attempt it
 * is not read again but recorded as failed (the watcher then moves it to
 * the failed folder). */
static void
test_batch_crash_attributed (Fixture *f, gconstpointer data)
{
  (void)data;
  /* Run 1: the whole batch counted, then the abort. */
  run_child (f, "abort");
  g_test_trap_assert_failed ();
  for (guint uid = 1; uid <= 3; uid++)
    g_assert_cmpint (attempts_of (f, uid), ==, 1);
  g_assert_cmpint (records (f), ==, 0);
  /* Runs 2 and 3: one at a time; the first is handled, the poison aborts
   * again. */
  run_child (f, "abort");
  g_test_trap_assert_failed ();
  g_assert_cmpint (attempts_of (f, 1), ==, 0);
  g_assert_cmpint (attempts_of (f, 2), ==, 2);
  g_assert_cmpint (records (f), ==, 1);
  run_child (f, "abort");
  g_test_trap_assert_failed ();
  g_assert_cmpint (attempts_of (f, 2), ==, 3);
  /* Run 4: the poison is set aside unread, the last one handled. */
  run_child (f, "abort");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("1 seen *\n2 failed its handling did not finish in 3 attempts*\n3 handled *");
  for (guint uid = 1; uid <= 3; uid++)
    g_assert_cmpint (attempts_of (f, uid), ==, 0);
  g_assert_cmpint (records (f), ==, 2);
}

/* A message that never finishes, or makes the process too big: the
 * process ends at once with the reason, the attempt counted. */
static void
test_batch_over_budget (Fixture *f, gconstpointer data)
{
  (void)data;
  run_child (f, "hang");
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*INBOX UID 2: its handling took longer than 1 s; stopping now*");
  g_assert_cmpint (attempts_of (f, 2), ==, 1);
  g_setenv ("SHR_TEST_PIPELINE_RSS", "1", TRUE);
  run_child (f, "hang");
  g_unsetenv ("SHR_TEST_PIPELINE_RSS");
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*INBOX UID *: its handling made the process hold * MB, over the 0 MB budget*");
}

/* ---- the watcher's configuration ------------------------------------------------ */

static ShrWatchConfig *
watch_config (const gchar *imap, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree gchar *text = g_strdup_printf ("[imap]\n%s", imap);
  g_assert_true (g_key_file_load_from_data (kf, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
  return shr_watch_config_new (kf, "/etc/shirase", error);
}

static void
test_watch_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrWatchConfig) c
      = watch_config ("host = imap.example.test\nuser = u\npassword_file = pw\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->port, ==, 993);
  g_assert_cmpint (c->security, ==, SHR_IMAP_SECURITY_TLS);
  g_assert_cmpstr (c->password_file, ==, "/etc/shirase/pw");
  g_assert_cmpstr (c->folder, ==, "INBOX");
  g_assert_cmpstr (c->done_folder, ==, "shirase/done");
  g_assert_cmpstr (c->failed_folder, ==, "shirase/failed");
  g_assert_true (c->idle);
  g_assert_cmpuint (c->poll_seconds, ==, 60);

  g_autoptr (ShrWatchConfig) s = watch_config (
      "host = imap.example.test\nsecurity = starttls\nuser = u\npassword_command = pass x\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->port, ==, 143);

  static const struct
  {
    const gchar *imap;
    const gchar *message;
  } bad[] = {
    { "user = u\npassword_file = pw\n", "[imap] host: missing" },
    { "host = imap.example.test\nsecurity = none\nuser = u\npassword_file = pw\n",
      "[imap] security = none is allowed only towards a loopback address (127.0.0.1, ::1, or a name that "
      "resolves only to loopback addresses), not \"imap.example.test\"" },
    /* Names are judged by what they resolve to, not by how they look. */
    { "host = 127.evil.example\nsecurity = none\nuser = u\npassword_file = pw\n",
      "[imap] security = none is allowed only towards a loopback address (127.0.0.1, ::1, or a name that "
      "resolves only to loopback addresses), not \"127.evil.example\"" },
    { "host = 127.0.0.1.nip.io\nsecurity = none\nuser = u\npassword_file = pw\n",
      "[imap] security = none is allowed only towards a loopback address (127.0.0.1, ::1, or a name that "
      "resolves only to loopback addresses), not \"127.0.0.1.nip.io\"" },
    { "host = 10.127.0.1\nsecurity = none\nuser = u\npassword_file = pw\n",
      "[imap] security = none is allowed only towards a loopback address (127.0.0.1, ::1, or a name that "
      "resolves only to loopback addresses), not \"10.127.0.1\"" },
    { "host = h\nuser = u\n", "[imap]: give exactly one of password_file, password_command, "
                              "oauth2_token_command (or password), not 0" },
    { "host = h\nuser = u\npassword_file = a\noauth2_token_command = b\n",
      "[imap]: give exactly one of password_file, password_command, oauth2_token_command (or password), not "
      "2" },
    { "host = h\nuser = u\npassword_file = a\ndone_folder = INBOX\n",
      "[imap] done_folder and failed_folder must differ from folder \"INBOX\"" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (ShrWatchConfig) x = watch_config (bad[i].imap, &e);
      g_assert_null (x);
      g_assert_error (e, SHR_WATCH_ERROR, SHR_WATCH_ERROR_CONFIG);
      g_assert_cmpstr (e->message, ==, bad[i].message);
    }
  g_autoptr (ShrWatchConfig) lo
      = watch_config ("host = 127.0.0.1\nsecurity = none\nuser = u\npassword_file = pw\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lo->port, ==, 143);
  g_assert_cmpstr (lo->address, ==, "127.0.0.1");
  /* A name whose every address is loopback: connected to by the address
   * checked, not by the name. */
  g_autoptr (ShrWatchConfig) name
      = watch_config ("host = localhost\nsecurity = none\nuser = u\npassword_file = pw\n", &error);
  g_assert_no_error (error);
  g_autoptr (GInetAddress) a = g_inet_address_new_from_string (name->address);
  g_assert_nonnull (a);
  g_assert_true (g_inet_address_get_is_loopback (a));
  g_autoptr (ShrWatchConfig) v6
      = watch_config ("host = [::1]\nsecurity = none\nuser = u\npassword_file = pw\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v6->address, ==, "::1");
}

/* The dedupe key of a mail is its SHA-256 in hex: state written by a build
 * that hashed with GLib must still know the same mail after an upgrade. */
static void
test_sha256_key (void)
{
  gsize sizes[] = { 0, 1, 55, 56, 64, 4096, 1 << 20 };
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *data = g_malloc (sizes[i] + 1);
      for (gsize j = 0; j < sizes[i]; j++)
        data[j] = (guint8)(j * 131 + i);
      g_autoptr (GBytes) bytes = g_bytes_new (data, sizes[i]);
      g_autofree gchar *ours = shr_hash_sha256_hex (bytes);
      g_autofree gchar *glib = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_assert_cmpstr (ours, ==, glib);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add ("/pipeline/auto/rules", Fixture, NULL, setup, test_auto_rules, teardown);
  g_test_add ("/pipeline/dedupe/message-id", Fixture, NULL, setup, test_dedupe_message_id, teardown);
  g_test_add_func ("/pipeline/dedupe/sha256-key", test_sha256_key);
  g_test_add ("/pipeline/dedupe/hash", Fixture, NULL, setup, test_dedupe_hash, teardown);
  g_test_add ("/pipeline/failed/not-mail", Fixture, NULL, setup, test_not_mail, teardown);
  g_test_add ("/pipeline/ignored/auto-submitted", Fixture, NULL, setup, test_ignored, teardown);
  g_test_add ("/pipeline/case/second-source-joins", Fixture, NULL, setup, test_second_source_joins, teardown);
  g_test_add ("/pipeline/case/not-applicable", Fixture, NULL, setup, test_not_applicable, teardown);
  g_test_add ("/pipeline/case/not-applicable-with-draft", Fixture, NULL, setup,
              test_not_applicable_with_draft, teardown);
  g_test_add ("/pipeline/update/after-notice", Fixture, NULL, setup, test_update_after_notice, teardown);
  g_test_add ("/pipeline/update/refreshes-unmailed", Fixture, NULL, setup, test_update_refreshes_unmailed,
              teardown);
  g_test_add ("/pipeline/update/pending", Fixture, NULL, setup, test_update_without_notice, teardown);
  g_test_add ("/pipeline/update/rejected", Fixture, "rejected", setup, test_update_without_notice, teardown);
  g_test_add ("/pipeline/reply/draft", Fixture, NULL, setup, test_reply_to_draft, teardown);
  g_test_add ("/pipeline/digest/cases", Fixture, NULL, setup_digest, test_digest_cases, teardown);
  g_test_add ("/pipeline/digest/item-joins", Fixture, NULL, setup_digest, test_digest_item_joins, teardown);
  g_test_add ("/pipeline/batch/one-fails-alone", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_batch_one_fails_alone, teardown);
  g_test_add ("/pipeline/batch/one-fails-alone-per-message", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_batch_one_fails_alone, teardown);
  g_test_add ("/pipeline/batch/crash-attributed", Fixture, NULL, setup, test_batch_crash_attributed,
              teardown);
  g_test_add ("/pipeline/batch/over-budget", Fixture, NULL, setup, test_batch_over_budget, teardown);
  g_test_add_func ("/pipeline/batch/child", poison_child);
  g_test_add_func ("/watch/config", test_watch_config);
  int status = g_test_run ();
  g_mime_shutdown ();
  return status;
}
