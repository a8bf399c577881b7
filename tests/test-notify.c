/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-notify.c — the daily digest's clock and the hourly cap, without a
 * mail server: what shr_notify_run and shr_notify_decide queue in the
 * outbox. The SMTP url points at a closed port, so nothing leaves and the
 * rows stay queued for the test to read; the clock is set through
 * shr_notify_set_clock_offset. tests/digest-e2e.sh covers the same on the
 * real mail stack.
 *
 * And the mails of the approval loop as the approvers and recipients read
 * them, golden (tests/data/render/NAME.mail.txt, each read by the checks of
 * test-golden.c): advisories go through the pipeline (at a fixed date),
 * replies through shr_notify_reply, and each mail is taken from the
 * outbox as queued. */
#include "config.h"

#include <gmime/gmime.h>
#include <string.h>

#include "shr-config.h"
#include "shr-edit.h"
#include "shr-notify.h"
#include "shr-pipeline.h"
#include "test-golden.h"
#include "test-util.h"

typedef struct
{
  gchar *dir;
  ShrStore *store;
  ShrNotify *notify;
  /* the golden mails': the organisation of tests/data/render/org.conf */
  ShrVocabulary vocab;
  ShrConfig *config;
  ShrPipeline *pipeline;
  gint64 uid;
} Fixture;

/* The outbox cannot reach the closed port: that warning is expected here
 * (kept quiet, and not fatal); any other goes to the default handler. */
static gboolean
outbox_warning_not_fatal (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  return !g_str_has_prefix (message, "outbox: ");
}

static void
quiet_outbox_warning (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  if (!g_str_has_prefix (message, "outbox: "))
    g_log_default_handler (domain, level, message, data);
}

/* @extra: more config lines (whole groups). */
static void
open_notify (Fixture *f, const gchar *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = g_strdup_printf ("[organization]\nname = Example Corp\n\n"
                                            "[smtp]\nurl = smtp://127.0.0.1:1\nsecurity = none\n"
                                            "from = Shirase <shirase@example.test>\n\n"
                                            "[approval]\napprovers = approver@example.test\n\n"
                                            "%s",
                                            extra);
  g_autofree gchar *path = test_write_file (f->dir, "c.conf", text, 0600);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  f->notify = shr_notify_new (f->store, kf, path, f->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->notify);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* GTest resets the fatal handler for each test case. */
  g_test_log_set_fatal_handler (outbox_warning_not_fatal, NULL);
  f->dir = g_dir_make_tmp ("shr-notify-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *state = g_build_filename (f->dir, "state", NULL);
  f->store = shr_store_open (state, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  shr_pipeline_free (f->pipeline);
  shr_config_free (f->config);
  shr_notify_free (f->notify);
  shr_store_close (f->store);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Sets the notify clock to @iso (ISO 8601 with offset). */
static void
set_clock (Fixture *f, const gchar *iso)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (t);
  shr_notify_set_clock_offset (f->notify, g_date_time_to_unix (t) - g_get_real_time () / G_USEC_PER_SEC);
}

static void
run_at (Fixture *f, const gchar *iso)
{
  set_clock (f, iso);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_notify_run (f->notify, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The outbox rows of @kind (transfer container; element-type ShrOutboxRow). */
static GPtrArray *
rows_of (Fixture *f, const gchar *kind)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_list (f->store, &all, &error));
  g_assert_no_error (error);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_outbox_row_free);
  for (guint i = 0; i < all->len; i++)
    {
      ShrOutboxRow *r = all->pdata[i];
      if (g_strcmp0 (r->kind, kind) == 0)
        g_ptr_array_add (out, g_steal_pointer (&all->pdata[i]));
    }
  return out;
}

/* The Subject and the text of the message queued for @row, decoded
 * (caller frees both). */
static void
message_parts (Fixture *f, const ShrOutboxRow *row, gchar **subject, gchar **text)
{
  g_autofree gchar *sender = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_message (f->store, row->message_ref, &sender, &bytes, &error));
  g_assert_no_error (error);
  gsize len = 0;
  const gchar *data = g_bytes_get_data (bytes, &len);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data, len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (msg);
  GMimeObject *body = g_mime_message_get_mime_part (msg);
  g_assert_true (GMIME_IS_TEXT_PART (body));
  *text = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
  *subject = g_strdup (g_mime_message_get_subject (msg));
  g_object_unref (msg);
  g_object_unref (parser);
  g_object_unref (stream);
}

/* "Subject\n\ntext" of the message queued for @row, decoded. */
static gchar *
message_text (Fixture *f, const ShrOutboxRow *row)
{
  g_autofree gchar *subject = NULL, *text = NULL;
  message_parts (f, row, &subject, &text);
  return g_strdup_printf ("%s\n\n%s", subject, text);
}

static gchar *
setting (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gchar *v = shr_store_setting_get (f->store, "digest.last_date", &error);
  g_assert_no_error (error);
  return v;
}

static void
add_not_applicable (Fixture *f, const gchar *title)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *view = g_strdup_printf (
      "{\"title\":\"%s\",\"reasons_ja\":[{\"v\":\"勧告が挙げる製品のいずれにも該当しない\"}]}", title);
  g_assert_true (
      shr_store_digest_add (f->store, SHR_DIGEST_NOT_APPLICABLE, 0, NULL, 0, NULL, NULL, view, NULL, &error));
  g_assert_no_error (error);
}

static guint
count_rows (Fixture *f, const gchar *kind)
{
  g_autoptr (GPtrArray) rows = rows_of (f, kind);
  return rows->len;
}

/* ---- the digest's clock ------------------------------------------------------------ */

static void
test_digest_daily (Fixture *f, gconstpointer data)
{
  open_notify (f, "[digest]\ntime = 09:00\n");
  /* The first run, before 09:00: the first digest is today's. */
  run_at (f, "2026-03-16T08:59:00+09:00");
  g_assert_cmpuint (count_rows (f, "digest"), ==, 0);
  g_autofree gchar *start = setting (f);
  g_assert_cmpstr (start, ==, "2026-03-15");

  add_not_applicable (f, "DSA-1 libfoo security update");
  run_at (f, "2026-03-16T09:00:30+09:00");
  g_autoptr (GPtrArray) rows = rows_of (f, "digest");
  g_assert_cmpuint (rows->len, ==, 1);
  const ShrOutboxRow *row = rows->pdata[0];
  g_assert_cmpstr (row->recipient, ==, "approver@example.test");
  g_assert_true (g_str_has_prefix (row->message_id, "digest.2026-03-16."));
  g_assert_true (g_str_has_suffix (row->message_id, "@example.test"));
  g_autofree gchar *text = message_text (f, row);
  g_assert_nonnull (strstr (text, "（1件）"));
  g_assert_nonnull (strstr (text, "\n1. DSA-1 libfoo security update\n"));
  g_assert_nonnull (strstr (text, "   ・勧告が挙げる製品のいずれにも該当しない\n"));
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_digest_pending (f->store, &items, &error));
  g_assert_cmpuint (items->len, ==, 0);

  /* Later the same day, and the next morning before 09:00: nothing. */
  run_at (f, "2026-03-16T23:59:00+09:00");
  run_at (f, "2026-03-17T08:59:00+09:00");
  g_assert_cmpuint (count_rows (f, "digest"), ==, 1);
  /* 09:00: the next one, empty but sent. */
  run_at (f, "2026-03-17T09:01:00+09:00");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (f, "digest");
  g_assert_cmpuint (rows->len, ==, 2);
  row = rows->pdata[1];
  g_assert_true (g_str_has_prefix (row->message_id, "digest.2026-03-17."));
  g_autofree gchar *empty = message_text (f, row);
  g_assert_nonnull (strstr (empty, "（0件）"));
  g_assert_nonnull (strstr (empty, "該当なし / None."));
  g_autofree gchar *last = setting (f);
  g_assert_cmpstr (last, ==, "2026-03-17");
}

/* Installed in the afternoon: no digest until the next morning, and what
 * came meanwhile is in it. The day is the organisation's (here UTC). */
static void
test_digest_first_run_late (Fixture *f, gconstpointer data)
{
  open_notify (f, "[digest]\ntime = 09:00\n\n[organization]\ntimezone = UTC\n");
  run_at (f, "2026-03-16T14:00:00Z");
  g_autofree gchar *start = setting (f);
  g_assert_cmpstr (start, ==, "2026-03-16");
  add_not_applicable (f, "late");
  /* 00:30 UTC is 09:30 in Tokyo, but before 09:00 here. */
  run_at (f, "2026-03-17T00:30:00Z");
  g_assert_cmpuint (count_rows (f, "digest"), ==, 0);
  run_at (f, "2026-03-17T09:00:00Z");
  g_autoptr (GPtrArray) rows = rows_of (f, "digest");
  g_assert_cmpuint (rows->len, ==, 1);
  g_autofree gchar *text = message_text (f, rows->pdata[0]);
  g_assert_nonnull (strstr (text, "\n1. late\n"));
}

static void
test_digest_disabled (Fixture *f, gconstpointer data)
{
  open_notify (f, "[digest]\nenabled = false\n");
  run_at (f, "2026-03-16T08:00:00+09:00");
  run_at (f, "2026-03-16T10:00:00+09:00");
  run_at (f, "2026-03-17T10:00:00+09:00");
  g_assert_cmpuint (count_rows (f, "digest"), ==, 0);
  g_autofree gchar *v = setting (f);
  g_assert_null (v);
}

/* A digest that cannot be rendered (here a [templates] dir without
 * digest.txt) holds back neither drafts nor anything else, and is tried
 * again on the next run. */
static void
test_digest_broken_template (Fixture *f, gconstpointer data)
{
  g_autofree gchar *tpl = g_build_filename (f->dir, "tpl", NULL);
  g_assert_cmpint (g_mkdir (tpl, 0700), ==, 0);
  g_autofree gchar *src = g_build_filename (test_srcdir (), "templates", NULL);
  g_autoptr (GDir) d = g_dir_open (src, 0, NULL);
  g_assert_nonnull (d);
  const gchar *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (strcmp (name, "digest.txt") == 0)
        continue;
      g_autofree gchar *from = g_build_filename (src, name, NULL);
      g_autofree gchar *to = g_build_filename (tpl, name, NULL);
      g_autofree gchar *text = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (from, &text, &len, NULL));
      g_assert_true (g_file_set_contents (to, text, (gssize)len, NULL));
    }
  open_notify (f, "[digest]\ntime = 09:00\n\n[templates]\ndir = tpl\n");
  run_at (f, "2026-03-16T08:00:00+09:00");
  const gchar *keys[] = { "CVE-2026-1", NULL };
  gint64 case_id = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_case_for_keys (f->store, keys, "t", &case_id, NULL, &error));
  g_assert_true (shr_store_add_draft (
      f->store, case_id, "new", NULL, NULL, "Pending",
      "{\"view\":{\"title\":\"Pending\",\"grade\":{\"letter\":\"C\",\"c\":true}}}", NULL, &error));
  g_assert_no_error (error);
  set_clock (f, "2026-03-16T09:00:00+09:00");
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "digest: *digest.txt*(will retry)");
  guint queued = 0;
  g_assert_true (shr_notify_run (f->notify, &queued, NULL, &error));
  g_assert_no_error (error);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (queued, ==, 1);
  g_assert_cmpuint (count_rows (f, "draft"), ==, 1);
  g_assert_cmpuint (count_rows (f, "digest"), ==, 0);
  g_autofree gchar *last = setting (f);
  g_assert_cmpstr (last, ==, "2026-03-15");
}

/* ---- the hourly cap --------------------------------------------------------------- */

/* A pending draft whose notice view has grade @letter (NULL: informational). */
static gint64
add_draft (Fixture *f, const gchar *title, const gchar *letter)
{
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { title, NULL };
  gint64 case_id = 0, draft_id = 0;
  g_assert_true (shr_store_case_for_keys (f->store, keys, title, &case_id, NULL, &error));
  g_autofree gchar *grade = letter != NULL ? g_strdup_printf ("{\"letter\":\"%s\",\"%c\":true}", letter,
                                                              g_ascii_tolower (letter[0]))
                                           : g_strdup ("{\"none\":true}");
  g_autofree gchar *body = g_strdup_printf (
      "{\"view\":{\"title\":\"%s\",\"org\":{\"name\":\"Example Corp\"},\"grade\":%s}}", title, grade);
  g_assert_true (shr_store_add_draft (f->store, case_id, "new", NULL, NULL, title, body, &draft_id, &error));
  g_autofree gchar *token = g_strdup_printf ("TOKEN%" G_GINT64_FORMAT, draft_id);
  g_autofree gchar *message_id = g_strdup_printf ("draft.%" G_GINT64_FORMAT "@example.test", draft_id);
  g_assert_true (shr_store_draft_set_ids (f->store, draft_id, token, message_id, &error));
  g_assert_no_error (error);
  return draft_id;
}

static void
approve (Fixture *f, gint64 draft_id)
{
  g_autoptr (GError) error = NULL;
  ShrDecisionOutcome outcome;
  g_assert_true (shr_notify_decide (f->notify, draft_id, "approver@example.test", SHR_COMMAND_APPROVE, NULL,
                                    &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, SHR_DECISION_APPROVED);
}

/* Notice rows of @draft_id to @recipient. */
static guint
notices (Fixture *f, gint64 draft_id, const gchar *recipient)
{
  g_autoptr (GPtrArray) rows = rows_of (f, "notice");
  guint n = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const ShrOutboxRow *r = rows->pdata[i];
      n += r->draft_id == draft_id && g_strcmp0 (r->recipient, recipient) == 0;
    }
  return n;
}

/* Tomorrow (in Tokyo, by the real clock) at @hh:@mm, as ISO 8601. The
 * cap counts rows the outbox stamped with the real clock, so this test
 * moves its clock forward from the real now, never to a fixed date. */
static gchar *
tokyo_tomorrow_at (gint hh, gint mm)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  g_autoptr (GDateTime) t = g_date_time_add_days (now, 1);
  g_autoptr (GDateTime) at = g_date_time_new (tz, g_date_time_get_year (t), g_date_time_get_month (t),
                                              g_date_time_get_day_of_month (t), hh, mm, 0);
  return g_date_time_format_iso8601 (at);
}

static void
test_hourly_cap (Fixture *f, gconstpointer data)
{
  open_notify (
      f, "[recipients]\ndefault = admin@example.test, admin2@example.test\nlang = both\nhourly_cap = 1\n\n"
         "[digest]\ntime = 09:00\n");
  g_autofree gchar *early = tokyo_tomorrow_at (8, 0);
  run_at (f, early); /* starts the digest's count: the first is tomorrow's */
  shr_notify_set_clock_offset (f->notify, 0);
  /* admin had a notice this hour already. */
  gint64 prior = add_draft (f, "Prior", "C");
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_add (f->store, prior, "admin@example.test", "ja", "prior@x", NULL, &error));
  g_assert_no_error (error);
  gint64 c1 = add_draft (f, "C one", "C");
  gint64 c2 = add_draft (f, "C two", "C");
  gint64 b = add_draft (f, "B one", "B");
  gint64 a = add_draft (f, "A one", "A");
  gint64 info = add_draft (f, "Information", NULL);
  approve (f, c1);
  approve (f, c2);
  approve (f, b);
  approve (f, a);
  approve (f, info);

  /* A recipient at the cap gets no C or informational notice at once;
   * B and A go all the same. */
  g_assert_cmpuint (notices (f, c1, "admin@example.test"), ==, 0);
  g_assert_cmpuint (notices (f, c1, "admin2@example.test"), ==, 2); /* ja + en */
  g_assert_cmpuint (notices (f, c2, "admin@example.test"), ==, 0);
  g_assert_cmpuint (notices (f, c2, "admin2@example.test"), ==, 0);
  g_assert_cmpuint (notices (f, b, "admin@example.test"), ==, 2);
  g_assert_cmpuint (notices (f, b, "admin2@example.test"), ==, 2);
  g_assert_cmpuint (notices (f, a, "admin@example.test"), ==, 2);
  g_assert_cmpuint (notices (f, a, "admin2@example.test"), ==, 2);
  g_assert_cmpuint (notices (f, info, "admin@example.test"), ==, 0);
  g_assert_cmpuint (notices (f, info, "admin2@example.test"), ==, 0);
  g_autoptr (GPtrArray) items = NULL;
  g_assert_true (shr_store_digest_pending (f->store, &items, &error));
  g_assert_no_error (error);
  static const struct
  {
    guint draft;
    const gchar *recipient;
  } folded[] = { { 0, "admin@example.test" },
                 { 1, "admin@example.test" },
                 { 1, "admin2@example.test" },
                 { 2, "admin@example.test" },
                 { 2, "admin2@example.test" } };
  gint64 ids[] = { c1, c2, info };
  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (folded));
  for (guint i = 0; i < items->len; i++)
    {
      const ShrDigestItem *item = items->pdata[i];
      g_assert_cmpint (item->kind, ==, SHR_DIGEST_FOLDED);
      g_assert_cmpint (item->draft_id, ==, ids[folded[i].draft]);
      g_assert_cmpstr (item->recipient, ==, folded[i].recipient);
      g_assert_cmpstr (item->lang, ==, "both");
    }

  /* An hour later the count starts again. */
  gint64 c3 = add_draft (f, "C three", "C");
  shr_notify_set_clock_offset (f->notify, 3601);
  approve (f, c3);
  g_assert_cmpuint (notices (f, c3, "admin@example.test"), ==, 2);
  g_assert_cmpuint (notices (f, c3, "admin2@example.test"), ==, 2);

  /* The next digest: the approvers see who got what late; each recipient
   * gets their own, with the notices held back from them. */
  g_autofree gchar *nine = tokyo_tomorrow_at (9, 0);
  run_at (f, nine);
  g_autoptr (GPtrArray) rows = rows_of (f, "digest");
  g_assert_cmpuint (rows->len, ==, 3);
  const ShrOutboxRow *to_approver = rows->pdata[0], *to_admin = rows->pdata[1], *to_admin2 = rows->pdata[2];
  g_assert_cmpstr (to_approver->recipient, ==, "approver@example.test");
  g_assert_cmpstr (to_admin->recipient, ==, "admin@example.test");
  g_assert_cmpstr (to_admin2->recipient, ==, "admin2@example.test");
  g_assert_cmpstr (to_admin->message_id, !=, to_admin2->message_id);
  g_autofree gchar *summary = message_text (f, to_approver);
  g_assert_nonnull (strstr (summary, "（0件、まとめ送り5件）"));
  g_assert_nonnull (strstr (summary, "\n  admin@example.test … 【C】C one\n"));
  g_assert_nonnull (strstr (summary, "\n  admin2@example.test … 【C】C two\n"));
  g_assert_nonnull (strstr (summary, "\n  admin@example.test … 【情報】Information\n"));
  g_autofree gchar *mine = message_text (f, to_admin);
  g_assert_true (g_str_has_prefix (mine, "[shirase] まとめ送り / Held-back notices "));
  g_assert_nonnull (strstr (mine, "（3件）\n"));
  g_assert_nonnull (strstr (mine, "======== 1/3 日本語 ========"));
  g_assert_nonnull (strstr (mine, "======== 3/3 English ========"));
  g_assert_nonnull (strstr (mine, "C one"));
  g_assert_nonnull (strstr (mine, "Information"));
  g_autofree gchar *theirs = message_text (f, to_admin2);
  g_assert_nonnull (strstr (theirs, "（2件）\n"));
  g_assert_null (strstr (theirs, "C one"));
  g_assert_nonnull (strstr (theirs, "C two"));
}

/* Without [recipients] hourly_cap nothing is ever folded. */
static void
test_no_cap (Fixture *f, gconstpointer data)
{
  open_notify (f, "[recipients]\ndefault = admin@example.test\nlang = ja\n");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree gchar *title = g_strdup_printf ("C %u", i);
      gint64 id = add_draft (f, title, "C");
      approve (f, id);
      g_assert_cmpuint (notices (f, id, "admin@example.test"), ==, 1);
    }
}

/* ---- the mails of the approval loop, golden ---------------------------------------- */

/* The day the advisories arrive: the notices' dates and deadlines are
 * those of tests/test-render's goldens. */
#define GOLDEN_NOW "2026-03-16T10:00:00+09:00"
#define APPROVER "security@example.co.jp"
#define APPROVER2 "ciso@example.co.jp"

/* A token is an HMAC under the state's random secret and a draft's
 * creation time; the goldens show these in their place, by draft id. */
static const gchar *const golden_tokens[] = { "K7Q2M9F3XA", "P4W8R2N6TB", "M3X7C5V9QD", "H2J6K8L4ZE" };

/* The organisation of tests/data/render/org.conf (its assets, owners,
 * [recipients] and approver), its mail sent to a closed port; @settings:
 * "group.key=value" changes on top. */
static void
open_loop (Fixture *f, const gchar *const *settings)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *org = g_build_filename (test_srcdir (), "tests", "data", "render", "org.conf", NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (kf, org, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_assert_no_error (error);
  g_key_file_set_string (kf, "smtp", "url", "smtp://127.0.0.1:1");
  g_key_file_set_string (kf, "smtp", "from", "shirase <shirase@example.co.jp>");
  for (guint i = 0; settings != NULL && settings[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (settings[i], "=", 2);
      g_auto (GStrv) gk = g_strsplit (kv[0], ".", 2);
      g_key_file_set_string (kf, gk[0], gk[1], kv[1]);
    }
  g_autofree gchar *text = g_key_file_to_data (kf, NULL, NULL);
  g_autofree gchar *path = test_write_file (f->dir, "shirase.conf", text, 0600);
  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  f->vocab = shr_vocabulary_for_lexicon (lexicon);
  f->config = shr_config_load (path, &f->vocab, &error);
  g_assert_no_error (error);
  f->notify = shr_notify_new (f->store, kf, path, f->dir, &error);
  g_assert_no_error (error);
  f->pipeline = shr_pipeline_new (f->store, lexicon, f->config->profile, &f->vocab, "shirase@example.co.jp");
  shr_pipeline_set_approvers (f->pipeline, shr_notify_get_approvers (f->notify));
  g_autoptr (GDateTime) now = g_date_time_new_from_iso8601 (GOLDEN_NOW, NULL);
  shr_pipeline_set_now (f->pipeline, now);
}

/* Takes tests/data/@mail in as once would and mails its draft to the
 * approvers; returns the draft's id. */
static gint64
advisory (Fixture *f, const gchar *mail)
{
  g_autofree gchar *path = g_build_filename (test_srcdir (), "tests", "data", mail, NULL);
  g_autofree gchar *raw = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &raw, &len, &error));
  g_autoptr (GBytes) bytes = g_bytes_new (raw, len);
  ShrPipelineResult result = { 0 };
  g_assert_true (shr_pipeline_handle (f->pipeline, "INBOX", 1, ++f->uid, bytes, &result, &error));
  g_assert_no_error (error);
  gint64 id = result.draft_id;
  shr_pipeline_result_clear (&result);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (id, <=, G_N_ELEMENTS (golden_tokens));
  g_assert_true (shr_notify_run (f->notify, NULL, NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* An approver's reply to draft @draft_id saying @body, as a mail client
 * sends it (In-Reply-To the draft, its Subject quoted). */
static void
reply (Fixture *f, gint64 draft_id, const gchar *from, const gchar *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, draft_id, &error);
  g_assert_no_error (error);
  static guint n;
  g_autofree gchar *raw = g_strdup_printf ("From: <%s>\r\nTo: shirase@example.co.jp\r\n"
                                           "Subject: Re: [approval #%s]\r\n"
                                           "Message-ID: <reply.%u@example.co.jp>\r\nIn-Reply-To: <%s>\r\n"
                                           "Date: Mon, 16 Mar 2026 11:00:00 +0900\r\nMIME-Version: 1.0\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n\r\n%s",
                                           from, d->token, ++n, d->message_id, body);
  g_autoptr (GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr (ShrMessage) message = shr_message_read_bytes (bytes, "reply", &error);
  g_assert_no_error (error);
  g_assert_true (shr_notify_reply (f->notify, message, &error));
  g_assert_no_error (error);
}

/* @text with every draft's token and creation time replaced by the
 * goldens' (transfer full). */
static gchar *
fixed_tokens (Fixture *f, const gchar *text)
{
  gchar *out = g_strdup (text);
  for (guint i = 0; i < G_N_ELEMENTS (golden_tokens); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, i + 1, &error);
      if (d == NULL)
        break;
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (d->created_at);
      g_autoptr (GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
      g_autoptr (GDateTime) t = g_date_time_to_timezone (utc, tokyo);
      g_autofree gchar *created = g_date_time_format (t, "%Y-%m-%d %H:%M %Z");
      const gchar *from[] = { d->token, created }, *to[] = { golden_tokens[i], "2026-03-16 10:05 JST" };
      for (guint k = 0; k < G_N_ELEMENTS (from); k++)
        {
          if (from[k] == NULL)
            continue;
          g_auto (GStrv) parts = g_strsplit (out, from[k], -1);
          g_free (out);
          out = g_strjoinv (to[k], parts);
        }
    }
  return out;
}

/* The @nth (from 0) mail of @kind queued to @to is the golden mail @name. */
static void
assert_mail (Fixture *f, const gchar *kind, const gchar *to, guint nth, const gchar *name)
{
  g_autoptr (GPtrArray) rows = rows_of (f, kind);
  const ShrOutboxRow *row = NULL;
  for (guint i = 0, seen = 0; row == NULL && i < rows->len; i++)
    {
      const ShrOutboxRow *r = rows->pdata[i];
      if (g_strcmp0 (r->recipient, to) == 0 && seen++ == nth)
        row = r;
    }
  g_assert_nonnull (row);
  g_autofree gchar *subject = NULL, *text = NULL;
  message_parts (f, row, &subject, &text);
  g_autofree gchar *fixed_subject = fixed_tokens (f, subject);
  g_autofree gchar *fixed_text = fixed_tokens (f, text);
  test_assert_golden_mail (fixed_subject, fixed_text, name);
}

/* The approval request: how to reply, the token, why shirase thinks it
 * applies, and the notices exactly as tests/test-render's goldens. */
static void
test_golden_draft (Fixture *f, gconstpointer data)
{
  open_loop (f, NULL);
  advisory (f, "mail/news_en_exchange_oilgas_silk_typhoon.eml");
  assert_mail (f, "draft", APPROVER, 0, "draft_silk_typhoon.mail.txt");
  g_autoptr (GPtrArray) rows = rows_of (f, "draft");
  g_autofree gchar *subject = NULL, *text = NULL;
  message_parts (f, rows->pdata[0], &subject, &text);
  static const gchar *const notices[]
      = { "news_en_exchange_oilgas_silk_typhoon.ja.txt", "news_en_exchange_oilgas_silk_typhoon.en.txt" };
  for (guint i = 0; i < G_N_ELEMENTS (notices); i++)
    {
      g_autofree gchar *path = g_build_filename (test_srcdir (), "tests", "data", "render", notices[i], NULL);
      g_autofree gchar *notice = NULL;
      g_assert_true (g_file_get_contents (path, &notice, NULL, NULL));
      g_assert_nonnull (strstr (text, notice));
    }
}

/* The confirmations of each decision: approved (who receives it), on hold,
 * rejected with the reason. */
static void
test_golden_confirmations (Fixture *f, gconstpointer data)
{
  open_loop (f, (const gchar *const[]){ "recipients.lang=both", NULL });
  gint64 silk = advisory (f, "mail/news_en_exchange_oilgas_silk_typhoon.eml");
  gint64 libxml2 = advisory (f, "mail/dsa_5901_1_libxml2.eml");
  reply (f, silk, APPROVER, "承認\n");
  reply (f, libxml2, APPROVER, "保留\n");
  reply (f, libxml2, APPROVER, "却下 当社の libxml2 は社内の検証用サーバーだけで使っています\n");
  assert_mail (f, "confirmation", APPROVER, 0, "confirmation_approved.mail.txt");
  assert_mail (f, "confirmation", APPROVER, 1, "confirmation_held.mail.txt");
  assert_mail (f, "confirmation", APPROVER, 2, "confirmation_rejected.mail.txt");
}

/* Approve with edits: a bad edit refused with the reason, then the edit
 * confirmed with its diff. */
static void
test_golden_edited (Fixture *f, gconstpointer data)
{
  open_loop (f, NULL);
  gint64 silk = advisory (f, "mail/news_en_exchange_oilgas_silk_typhoon.eml");
  reply (f, silk, APPROVER, "修正承認\nこの通知を直してください。\n");
  assert_mail (f, "report", APPROVER, 0, "note_refused_bad_edit.mail.txt");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, silk, &error);
  g_assert_no_error (error);
  g_autoptr (ShrEdit) drafted = shr_edit_drafted (d->body);
  g_assert_nonnull (drafted->ja);
  /* The approver adds a sentence above the closing. */
  g_auto (GStrv) around = g_strsplit (drafted->ja->text, "以上、よろしくお願いいたします。", 2);
  g_assert_nonnull (around[1]);
  g_autofree gchar *edited = g_strconcat (around[0],
                                          "当社の Exchange は3月14日に更新済みです。念のため、手順2以降の"
                                          "確認をお願いします。\n\n以上、よろしくお願いいたします。",
                                          around[1], NULL);
  g_autofree gchar *block = shr_edit_block ("ja", drafted->ja->subject, edited);
  g_autofree gchar *body = g_strconcat ("修正承認\n\n", block, NULL);
  reply (f, silk, APPROVER, body);
  assert_mail (f, "confirmation", APPROVER, 0, "confirmation_edited.mail.txt");
}

/* Four eyes ([approval] quorum = 2): the first approval recorded; a
 * reply that says nothing; a reply after the decision. */
static void
test_golden_quorum (Fixture *f, gconstpointer data)
{
  open_loop (
      f, (const gchar *const[]){ "approval.quorum=2", "approval.approvers=" APPROVER ", " APPROVER2, NULL });
  gint64 silk = advisory (f, "mail/news_en_exchange_oilgas_silk_typhoon.eml");
  reply (f, silk, APPROVER, "承認します\n");
  assert_mail (f, "confirmation", APPROVER, 0, "confirmation_recorded.mail.txt");
  reply (f, silk, APPROVER2, "内容を確認しました。よろしくお願いします。\n");
  assert_mail (f, "report", APPROVER2, 0, "note_refused.mail.txt");
  reply (f, silk, APPROVER2, "承認\n");
  reply (f, silk, APPROVER2, "承認\n");
  assert_mail (f, "report", APPROVER2, 1, "note_refused_not_pending.mail.txt");
}

/* A pending draft reminded after [approval] remind_hours, and expired
 * after expire_hours. */
static void
test_golden_reminder (Fixture *f, gconstpointer data)
{
  open_loop (f, NULL);
  advisory (f, "mail/news_en_exchange_oilgas_silk_typhoon.eml");
  g_autoptr (GError) error = NULL;
  shr_notify_set_clock_offset (f->notify, 25 * 3600);
  g_assert_true (shr_notify_run (f->notify, NULL, NULL, &error));
  shr_notify_set_clock_offset (f->notify, 73 * 3600);
  g_assert_true (shr_notify_run (f->notify, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_mail (f, "report", APPROVER, 0, "note_reminder.mail.txt");
  assert_mail (f, "report", APPROVER, 1, "note_expired.mail.txt");
}

/* The hourly cap: the administrators had a notice this hour, so the two
 * grade C notices approved next wait for their digest (the assets' owners
 * get them at once, the approver's confirmation says who gets what); the
 * digest quotes each notice in both languages. */
static void
test_golden_held_back (Fixture *f, gconstpointer data)
{
  open_loop (f, (const gchar *const[]){ "recipients.lang=both", "recipients.hourly_cap=1",
                                        "digest.time=09:00", NULL });
  set_clock (f, "2026-03-16T08:00:00+09:00"); /* the first digest is the next 09:00 */
  gint64 silk = advisory (f, "mail/news_en_exchange_oilgas_silk_typhoon.eml");
  gint64 libxml2 = advisory (f, "mail/dsa_5901_1_libxml2.eml");
  gint64 cisco = advisory (f, "mail/cisco_sa_iosxe_webui_privesc.eml");
  shr_notify_set_clock_offset (f->notify, 0); /* the cap counts by the real clock */
  reply (f, silk, APPROVER, "承認\n");
  reply (f, libxml2, APPROVER, "承認\n");
  reply (f, cisco, APPROVER, "承認\n");
  assert_mail (f, "confirmation", APPROVER, 1, "confirmation_approved_held_back.mail.txt");
  run_at (f, "2026-03-16T09:00:00+09:00");
  assert_mail (f, "digest", "it-admins@example.co.jp", 0, "digest_recipient.mail.txt");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, quiet_outbox_warning, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/notify/digest/daily", test_digest_daily);
  ADD ("/notify/digest/first-run-late", test_digest_first_run_late);
  ADD ("/notify/digest/disabled", test_digest_disabled);
  ADD ("/notify/digest/broken-template", test_digest_broken_template);
  ADD ("/notify/cap/fold", test_hourly_cap);
  ADD ("/notify/cap/none", test_no_cap);
  ADD ("/notify/golden/draft", test_golden_draft);
  ADD ("/notify/golden/confirmations", test_golden_confirmations);
  ADD ("/notify/golden/edited", test_golden_edited);
  ADD ("/notify/golden/quorum", test_golden_quorum);
  ADD ("/notify/golden/reminder", test_golden_reminder);
  ADD ("/notify/golden/held-back", test_golden_held_back);
#undef ADD
  return g_test_run ();
}
