/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-approve.c — approval by reply: tokens and their secret, the reply's
 * command, each reason a reply is refused, and the decision rule with its
 * quorum under concurrency. */
#include <glib.h>
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <string.h>

#include "shr-approve.h"
#include "shr-limits.h"
#include "shr-store.h"
#include "test-util.h"

/* ---- replies as mail clients write them ------------------------------------ */

/* Header lines in order and a body, parsed by the one reader (shr-read)
 * into the approval step's view, as the watcher hands a reply over. */
typedef struct
{
  GPtrArray *headers; /* "Name: value" */
  gchar *body;
} Mail;

static Mail *
mail_new (const gchar *body)
{
  Mail *m = g_new0 (Mail, 1);
  m->headers = g_ptr_array_new_with_free_func (g_free);
  m->body = g_strdup (body != NULL ? body : "");
  return m;
}

static void
mail_free (Mail *m)
{
  g_ptr_array_unref (m->headers);
  g_free (m->body);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mail, mail_free)

static gboolean
is_header (const gchar *line, const gchar *name)
{
  gsize n = strlen (name);
  return g_ascii_strncasecmp (line, name, n) == 0 && line[n] == ':';
}

/* Replaces every @name header by one saying @value, where the first was
 * (at the end when there was none); @value NULL removes them. */
static void
mail_set (Mail *m, const gchar *name, const gchar *value)
{
  gint at = -1;
  for (guint i = 0; i < m->headers->len;)
    if (is_header (m->headers->pdata[i], name))
      {
        if (at < 0)
          at = (gint)i;
        g_ptr_array_remove_index (m->headers, i);
      }
    else
      i++;
  if (value == NULL)
    return;
  gchar *line = g_strdup_printf ("%s: %s", name, value);
  if (at < 0)
    g_ptr_array_add (m->headers, line);
  else
    g_ptr_array_insert (m->headers, at, line);
}

/* Adds one more @name header after the others. */
static void
mail_add (Mail *m, const gchar *name, const gchar *value)
{
  g_ptr_array_add (m->headers, g_strdup_printf ("%s: %s", name, value));
}

static ShrReply *
mail_reply (const Mail *m)
{
  g_autoptr (GString) raw = g_string_new (NULL);
  for (guint i = 0; i < m->headers->len; i++)
    g_string_append_printf (raw, "%s\r\n", (const gchar *)m->headers->pdata[i]);
  g_string_append_printf (raw, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s",
                          m->body);
  g_autoptr (GBytes) bytes = g_bytes_new (raw->str, raw->len);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMessage) message = shr_message_read_bytes (bytes, "reply", &error);
  g_assert_no_error (error);
  return shr_reply_new_from_message (message);
}

/* ---- tokens -------------------------------------------------------------- */

static GBytes *
fixed_secret (void)
{
  guint8 key[32];
  for (int i = 0; i < 32; i++)
    key[i] = i;
  return g_bytes_new (key, sizeof key);
}

#define INSTANCE "0123456789abcdef0123456789abcdef"

static void
test_token_format (void)
{
  g_autoptr (GBytes) secret = fixed_secret ();
  /* Pinned: HMAC-SHA256(key 00..1f, "shirase-draft:INSTANCE:42:1772500000"),
   * first 50 bits in Crockford base32 (computed independently with
   * Python's hmac). */
  g_autofree gchar *t42 = shr_approve_token (secret, INSTANCE, 42, 1772500000);
  g_assert_cmpstr (t42, ==, "9EDQTQ376D");
  g_autofree gchar *t1 = shr_approve_token (secret, INSTANCE, 1, 1772500000);
  g_assert_cmpstr (t1, ==, "5ZW3BGSJKN");
  for (gint64 id = 1; id < 200; id++)
    {
      g_autofree gchar *t = shr_approve_token (secret, INSTANCE, id, 1772500000);
      g_assert_cmpuint (strlen (t), ==, SHR_APPROVE_TOKEN_LEN);
      g_assert_cmpuint (strspn (t, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), ==, SHR_APPROVE_TOKEN_LEN);
    }
  /* Another secret, other tokens. */
  guint8 other[32] = { 1 };
  g_autoptr (GBytes) s2 = g_bytes_new (other, sizeof other);
  g_autofree gchar *o42 = shr_approve_token (s2, INSTANCE, 42, 1772500000);
  g_assert_cmpstr (o42, !=, t42);
  /* The same secret and draft id in another database (a lost one
   * re-created), or created at another time (an older backup restored,
   * whose ids run again): other tokens. */
  g_autofree gchar *other_instance
      = shr_approve_token (secret, "fedcba9876543210fedcba9876543210", 42, 1772500000);
  g_assert_cmpstr (other_instance, ==, "32P7B3V1TK");
  g_autofree gchar *later = shr_approve_token (secret, INSTANCE, 42, 1772500001);
  g_assert_cmpstr (later, ==, "6M7B79C7DP");
}

static void
test_token_equal (void)
{
  g_assert_true (shr_approve_token_equal ("K7Q2M9F3XA", "K7Q2M9F3XA"));
  g_assert_true (shr_approve_token_equal ("k7q2m9f3xa", "K7Q2M9F3XA"));
  /* Crockford look-alikes: O is 0, I and L are 1. */
  g_assert_true (shr_approve_token_equal ("10O0000000", "1000000000"));
  g_assert_true (shr_approve_token_equal ("I000000000", "L000000000"));
  g_assert_false (shr_approve_token_equal ("K7Q2M9F3XB", "K7Q2M9F3XA"));
  g_assert_false (shr_approve_token_equal ("X7Q2M9F3XA", "K7Q2M9F3XA"));
  g_assert_false (shr_approve_token_equal ("K7Q2M9F3X", "K7Q2M9F3XA"));
  g_assert_false (shr_approve_token_equal ("K7Q2M9F3XAA", "K7Q2M9F3XA"));
  g_assert_false (shr_approve_token_equal ("K7Q2M9F3U!", "K7Q2M9F3U!"));
  g_assert_false (shr_approve_token_equal (NULL, "K7Q2M9F3XA"));
  g_assert_false (shr_approve_token_equal ("", ""));
}

static void
test_subject_token (void)
{
  g_autofree gchar *a = shr_approve_subject_token ("Re: [承認依頼 #K7Q2M9F3XA] 【要対応】Exchange");
  g_assert_cmpstr (a, ==, "K7Q2M9F3XA");
  g_autofree gchar *b = shr_approve_subject_token ("RE: #k7q2m9f3xa");
  g_assert_cmpstr (b, ==, "K7Q2M9F3XA");
  g_autofree gchar *c = shr_approve_subject_token ("Re: #1 issue #K7Q2");
  g_assert_null (c);
  /* Canonical form: look-alikes typed by hand map to the real digits. */
  g_autofree gchar *e = shr_approve_subject_token ("Re: #k7q2m9f3xO");
  g_assert_cmpstr (e, ==, "K7Q2M9F3X0");
  g_autofree gchar *d = shr_approve_subject_token ("#K7Q2M9F3XAB too long");
  g_assert_null (d);
  g_assert_null (shr_approve_subject_token (NULL));
}

/* ---- the secret ------------------------------------------------------------ */

static void
test_secret (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("shr-approve-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *state = g_build_filename (dir, "state", NULL);
  g_autoptr (GBytes) s1 = shr_approve_load_or_create_secret (state, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (s1), ==, 32);
  g_autofree gchar *path = g_build_filename (state, "approval.key", NULL);
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The second call reads the same secret. */
  g_autoptr (GBytes) s2 = shr_approve_load_or_create_secret (state, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (s1, s2));

  /* Readable by others: refused. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_autoptr (GBytes) s3 = shr_approve_load_or_create_secret (state, &error);
  g_assert_null (s3);
  g_assert_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET);
  g_assert_nonnull (strstr (error->message, "readable by others (mode 644)"));
  g_clear_error (&error);

  /* Wrong size: refused. */
  g_assert_true (g_file_set_contents (path, "short", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_autoptr (GBytes) s4 = shr_approve_load_or_create_secret (state, &error);
  g_assert_null (s4);
  g_assert_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET);
  g_clear_error (&error);

  g_unlink (path);
  g_rmdir (state);
  g_rmdir (dir);
}

/* ---- commands ------------------------------------------------------------------ */

typedef struct
{
  const gchar *body;
  ShrCommand command;
  const gchar *reason;
} CommandCase;

static const CommandCase command_cases[] = {
  { "承認", SHR_COMMAND_APPROVE, NULL },
  { "承認します", SHR_COMMAND_APPROVE, NULL },
  { "承認します。", SHR_COMMAND_APPROVE, NULL },
  { "承認いたします", SHR_COMMAND_APPROVE, NULL },
  { "承認致します。よろしくお願いします。", SHR_COMMAND_APPROVE, NULL },
  { "承認です", SHR_COMMAND_APPROVE, NULL },
  { "承認！", SHR_COMMAND_APPROVE, NULL },
  { "　承認\u3000\r\n", SHR_COMMAND_APPROVE, NULL },
  { "approve", SHR_COMMAND_APPROVE, NULL },
  { "Approve", SHR_COMMAND_APPROVE, NULL },
  { "APPROVED.", SHR_COMMAND_APPROVE, NULL },
  { "Approved.", SHR_COMMAND_APPROVE, NULL },
  { "approve, thanks", SHR_COMMAND_APPROVE, NULL },
  { "ＡＰＰＲＯＶＥ", SHR_COMMAND_APPROVE, NULL },
  { "ok", SHR_COMMAND_APPROVE, NULL },
  { "OK!", SHR_COMMAND_APPROVE, NULL },
  { "ＯＫ", SHR_COMMAND_APPROVE, NULL },
  { "Okay", SHR_COMMAND_APPROVE, NULL },
  { "yes", SHR_COMMAND_APPROVE, NULL },
  { "Yes, go ahead.", SHR_COMMAND_APPROVE, NULL },
  { "\n\n  \nok\n", SHR_COMMAND_APPROVE, NULL },
  { "却下", SHR_COMMAND_REJECT, NULL },
  { "却下します。", SHR_COMMAND_REJECT, NULL },
  { "却下します。理由: 対象製品を使っていません", SHR_COMMAND_REJECT, "対象製品を使っていません" },
  { "却下　理由：重複", SHR_COMMAND_REJECT, "重複" },
  { "却下、重複です", SHR_COMMAND_REJECT, "重複です" },
  { "reject", SHR_COMMAND_REJECT, NULL },
  { "Reject: duplicate of yesterday's notice", SHR_COMMAND_REJECT, "duplicate of yesterday's notice" },
  { "REJECT reason: not our product", SHR_COMMAND_REJECT, "not our product" },
  { "no", SHR_COMMAND_REJECT, NULL },
  { "No, we don't run it", SHR_COMMAND_REJECT, "we don't run it" },
  { "保留", SHR_COMMAND_HOLD, NULL },
  { "保留します。", SHR_COMMAND_HOLD, NULL },
  { "hold", SHR_COMMAND_HOLD, NULL },
  { "Hold.", SHR_COMMAND_HOLD, NULL },
  /* Not commands. */
  { "", SHR_COMMAND_NONE, NULL },
  { "承認しない", SHR_COMMAND_NONE, NULL },
  { "承認できません", SHR_COMMAND_NONE, NULL },
  { "approval pending", SHR_COMMAND_NONE, NULL },
  { "okinawa office", SHR_COMMAND_NONE, NULL },
  { "nope", SHR_COMMAND_NONE, NULL },
  { "Thanks, I'll look at it.\napprove", SHR_COMMAND_NONE, NULL },
  { "ok2", SHR_COMMAND_NONE, NULL },
  /* An approval or a hold is the word and courtesy only: a sentence that
   * may say otherwise is no command (the approver is told so). */
  { "OK, but do not send yet", SHR_COMMAND_NONE, NULL },
  { "ok to reject", SHR_COMMAND_NONE, NULL },
  { "承認します。ただし来週送ってください", SHR_COMMAND_NONE, NULL },
  { "hold on, approve it", SHR_COMMAND_NONE, NULL },
  { "No problem, go ahead.", SHR_COMMAND_NONE, NULL },
  { "承認します。よろしくお願いいたします。", SHR_COMMAND_APPROVE, NULL },
  { "Approved. Please send, thanks!", SHR_COMMAND_APPROVE, NULL },
  { "OK, thank you", SHR_COMMAND_APPROVE, NULL },
  { "保留でお願いします。", SHR_COMMAND_HOLD, NULL },
  /* The forms approvers write from Gmail, Outlook and phones (issue 15's
   * eleven shapes): polite, casual, full width. */
  { "承認いたします", SHR_COMMAND_APPROVE, NULL },
  { "承認でお願いします", SHR_COMMAND_APPROVE, NULL },
  { "承認でお願いします。", SHR_COMMAND_APPROVE, NULL },
  { "OKです", SHR_COMMAND_APPROVE, NULL },
  { "ＯＫです。", SHR_COMMAND_APPROVE, NULL },
  { "ＯＫです", SHR_COMMAND_APPROVE, NULL },
  { "OK です。よろしくお願いします。", SHR_COMMAND_APPROVE, NULL },
  { "okでお願いします", SHR_COMMAND_APPROVE, NULL },
  { "Approved, thanks", SHR_COMMAND_APPROVE, NULL },
  { "Approved, thanks!\r\n\r\nSent from my iPhone", SHR_COMMAND_APPROVE, NULL },
  { "承認します\r\n\r\niPhoneから送信", SHR_COMMAND_APPROVE, NULL },
  /* A question decides nothing. */
  { "承認？", SHR_COMMAND_NONE, NULL },
  { "承認?", SHR_COMMAND_NONE, NULL },
  { "承認しますか？", SHR_COMMAND_NONE, NULL },
  { "承認でいいですか？", SHR_COMMAND_NONE, NULL },
  { "OK?", SHR_COMMAND_NONE, NULL },
  { "ＯＫ？", SHR_COMMAND_NONE, NULL },
  { "ok ?", SHR_COMMAND_NONE, NULL },
  { "Approve?", SHR_COMMAND_NONE, NULL },
  { "Approved?!", SHR_COMMAND_NONE, NULL },
  { "OK, thanks?", SHR_COMMAND_NONE, NULL },
  { "保留？", SHR_COMMAND_NONE, NULL },
  { "却下？", SHR_COMMAND_NONE, NULL },
  { "Reject?", SHR_COMMAND_NONE, NULL },
  { "no?", SHR_COMMAND_NONE, NULL },
  /* The first unquoted line decides; quotes and attributions are skipped
   * or end the search. */
  { "> 承認\nreject", SHR_COMMAND_REJECT, NULL },
  { "  > > approve\n\n承認します", SHR_COMMAND_APPROVE, NULL },
  { "承認します\n\nOn Tue, 3 Mar 2026 at 10:00, shirase wrote:\n> draft", SHR_COMMAND_APPROVE, NULL },
  /* The quoted draft is the only place 承認 appears. */
  { "\nOn Tue, 3 Mar 2026 at 10:00, shirase <shirase@example.test> wrote:\n"
    "> [承認依頼 #K7Q2M9F3XA]\n> 承認\n> approve\n",
    SHR_COMMAND_NONE, NULL },
  { "2026年3月3日(火) 10:00 shirase <shirase@example.test>さんは書きました:\n"
    "> 承認 / approve で送信します\n",
    SHR_COMMAND_NONE, NULL },
  { "-----Original Message-----\nFrom: shirase\n承認\n", SHR_COMMAND_NONE, NULL },
  { "-- \nTaro\n承認", SHR_COMMAND_NONE, NULL },
  { "差出人: shirase\n件名: 承認依頼\n承認\n", SHR_COMMAND_NONE, NULL },
};

/* Hostile bodies: huge quoted drafts, a huge first line, invalid UTF-8. */
static void
test_commands_hostile (void)
{
  GString *b = g_string_new (NULL);
  for (int i = 0; i < 100000; i++)
    g_string_append (b, "> 承認 quoted line of the draft\n");
  g_string_append (b, "承認します\n");
  g_assert_cmpint (shr_approve_parse_command (b->str, NULL), ==, SHR_COMMAND_APPROVE);
  g_string_truncate (b, 0);
  g_string_append (b, "reject ");
  for (int i = 0; i < 100000; i++)
    g_string_append (b, "x");
  g_autofree gchar *reason = NULL;
  g_assert_cmpint (shr_approve_parse_command (b->str, &reason), ==, SHR_COMMAND_REJECT);
  /* The reason is what fits in the line cap. */
  g_assert_cmpuint (strlen (reason), ==, SHR_MAX_COMMAND_LINE_BYTES - strlen ("reject "));
  g_string_free (b, TRUE);
  g_assert_cmpint (shr_approve_parse_command ("\xff\xfe approve", NULL), ==, SHR_COMMAND_NONE);
  g_assert_cmpint (shr_approve_parse_command ("approve\xff", NULL), ==, SHR_COMMAND_APPROVE);
  /* Thousands of References: capped, the nearest ancestors kept. */
  g_autoptr (Mail) m = mail_new ("承認");
  mail_set (m, "From", "boss@example.test");
  GString *refs = g_string_new (NULL);
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (refs, "<r%d@x> ", i);
  mail_set (m, "References", refs->str);
  g_string_free (refs, TRUE);
  g_autoptr (ShrReply) r = mail_reply (m);
  g_assert_cmpuint (r->refs->len, ==, SHR_MAX_MESSAGE_REFS);
  g_assert_cmpstr (r->refs->pdata[0], ==, "r9999@x");
}

static void
test_commands (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (command_cases); i++)
    {
      const CommandCase *c = &command_cases[i];
      g_autofree gchar *reason = NULL;
      ShrCommand got = shr_approve_parse_command (c->body, &reason);
      if (got != c->command || g_strcmp0 (reason, c->reason) != 0)
        g_test_message ("case %u: \"%s\" -> %s \"%s\"", i, c->body, shr_command_to_string (got), reason);
      g_assert_cmpstr (shr_command_to_string (got), ==, shr_command_to_string (c->command));
      g_assert_cmpstr (reason, ==, c->reason);
    }
}

/* ---- verification ------------------------------------------------------------------ */

#define DRAFT_MID "draft.7.abc@shirase.example.test"
#define DRAFT_TOKEN "K7Q2M9F3XA"
#define OTHER_TOKEN "3H6ZS6S446"
#define T0 1772500000

static ShrApprovalConfig *
approval_config (gboolean require_auth)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree gchar *text
      = g_strdup_printf ("[approval]\napprovers = boss@example.test, Second@Example.test\n"
                         "require_auth_results = %s\ntrusted_authserv_id = mx.example.test\n"
                         "expire_hours = 72\n",
                         require_auth ? "true" : "false");
  g_assert_true (g_key_file_load_from_data (kf, text, -1, 0, NULL));
  g_autoptr (GError) error = NULL;
  ShrApprovalConfig *c = shr_approval_config_from_keyfile (kf, "t.conf", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->quorum, ==, 1);
  g_assert_cmpuint (c->remind_hours, ==, 24);
  return c;
}

/* A good reply to the draft; each case spoils one thing. The approver's
 * domain in another case than the config's: domains compare in any case. */
static Mail *
good_mail (void)
{
  Mail *m = mail_new ("承認します。\r\n");
  mail_set (m, "Authentication-Results",
            "mx.example.test; dkim=pass (2048-bit key) "
            "header.d=example.test header.s=s1; spf=pass "
            "smtp.mailfrom=boss@example.test");
  mail_set (m, "From", "Boss <boss@Example.TEST>");
  mail_set (m, "Message-ID", "<reply.1@mail.example.test>");
  mail_set (m, "In-Reply-To", "<" DRAFT_MID ">");
  mail_set (m, "Subject", "Re: [承認依頼 #" DRAFT_TOKEN "] 【要対応・A 即日】Exchange");
  return m;
}

static ShrReply *
good_reply (void)
{
  g_autoptr (Mail) m = good_mail ();
  return mail_reply (m);
}

/* The good reply with @name set to @value (NULL: removed). */
static ShrReply *
good_reply_with (const gchar *name, const gchar *value)
{
  g_autoptr (Mail) m = good_mail ();
  mail_set (m, name, value);
  return mail_reply (m);
}

static const ShrDraftRef draft_ref = { 7, "<" DRAFT_MID ">", DRAFT_TOKEN, "pending", T0 };

static ShrReplyVerdict
check (const ShrReply *r, gboolean require_auth, const ShrDraftRef *draft, gint64 now)
{
  g_autoptr (ShrApprovalConfig) c = approval_config (require_auth);
  g_autofree gchar *msg = NULL;
  ShrReplyVerdict v = shr_approve_verify (r, c, draft, now, &msg);
  g_test_message ("%s: %s", shr_reply_verdict_to_string (v), msg);
  g_assert_nonnull (msg);
  return v;
}

#define ASSERT_VERDICT(got, want)                                                                            \
  g_assert_cmpstr (shr_reply_verdict_to_string (got), ==, shr_reply_verdict_to_string (want))

static void
test_verify_accept (void)
{
  g_autoptr (ShrReply) r = good_reply ();
  g_assert_cmpstr (r->from, ==, "boss@example.test");
  g_assert_cmpstr (r->message_id, ==, "reply.1@mail.example.test");
  ASSERT_VERDICT (check (r, TRUE, &draft_ref, T0 + 3600), SHR_REPLY_ACCEPT);
  ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0 + 3600), SHR_REPLY_ACCEPT);

  /* The reference may be in References only, among others. */
  g_autoptr (Mail) m2 = good_mail ();
  mail_set (m2, "In-Reply-To", NULL);
  mail_set (m2, "References", "<a@x> <" DRAFT_MID ">\r\n <b@y>");
  g_autoptr (ShrReply) r2 = mail_reply (m2);
  ASSERT_VERDICT (check (r2, TRUE, &draft_ref, T0), SHR_REPLY_ACCEPT);

  /* Or only the token in the Subject (a client that drops In-Reply-To). */
  g_autoptr (ShrReply) r3 = good_reply_with ("In-Reply-To", NULL);
  ASSERT_VERDICT (check (r3, TRUE, &draft_ref, T0), SHR_REPLY_ACCEPT);

  /* The second approver, whose domain the config writes in another case. */
  g_autoptr (ShrReply) r4 = good_reply_with ("From", "Second@example.test");
  ASSERT_VERDICT (check (r4, FALSE, &draft_ref, T0), SHR_REPLY_ACCEPT);
}

static void
test_verify_not_approver (void)
{
  /* RFC 5322: a mail is from the one mailbox of its one From; every mail
   * system shows these as Mallory's (or nobody's). With
   * require_auth_results off, the From alone decides. */
  static const gchar *const froms[] = {
    "Mallory <mallory@example.test>",
    /* The approver's address in the display name or a comment. */
    "\"boss@example.test\" <m@evil.test>",
    "Mallory <mallory@evil.test> (<boss@example.test>)",
    "mallory@evil.test (boss@example.test)",
    /* Several addresses, a group. */
    "Mallory <mallory@evil.test>, Boss <boss@example.test>",
    "boss@example.test, mallory@evil.test",
    "friends: boss@example.test;",
    /* A second domain after the approver's, which GMime alone would drop. */
    "boss@example.test@evil.test",
    "<boss@example.test>@evil.test",
    /* The local part compares exactly (only the domain in any case). */
    "BOSS@example.test",
    "boss@example.test.evil.test",
  };
  for (guint i = 0; i < G_N_ELEMENTS (froms); i++)
    {
      g_test_message ("From: %s", froms[i]);
      g_autoptr (ShrReply) r = good_reply_with ("From", froms[i]);
      ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_NOT_APPROVER);
    }
  /* Two From headers, the approver's last (or first): nobody's. */
  for (guint order = 0; order < 2; order++)
    {
      g_autoptr (Mail) m = good_mail ();
      if (order == 0)
        mail_add (m, "From", "Mallory <mallory@evil.test>");
      else
        {
          mail_set (m, "From", "Mallory <mallory@evil.test>");
          mail_add (m, "From", "Boss <boss@example.test>");
        }
      g_autoptr (ShrReply) r = mail_reply (m);
      g_assert_null (r->from);
      ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_NOT_APPROVER);
    }
  /* No From at all. */
  g_autoptr (ShrReply) none = good_reply_with ("From", NULL);
  ASSERT_VERDICT (check (none, FALSE, &draft_ref, T0), SHR_REPLY_NOT_APPROVER);
}

static void
test_verify_no_reference (void)
{
  g_autoptr (Mail) m = good_mail ();
  mail_set (m, "In-Reply-To", NULL);
  mail_set (m, "References", "<unrelated@example.test>");
  mail_set (m, "Subject", "Re: Exchange の件");
  g_autoptr (ShrReply) r = mail_reply (m);
  ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_NO_REFERENCE);
}

static void
test_verify_wrong_token (void)
{
  g_autoptr (Mail) m = good_mail ();
  mail_set (m, "In-Reply-To", NULL);
  mail_set (m, "Subject", "Re: [承認依頼 #K7Q2M9F3XB] Exchange");
  g_autoptr (ShrReply) r = mail_reply (m);
  ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_WRONG_TOKEN);
}

static void
test_verify_other_drafts_token (void)
{
  /* A valid token, but of another draft. */
  g_autoptr (Mail) m = good_mail ();
  mail_set (m, "In-Reply-To", NULL);
  mail_set (m, "Subject", "Re: [承認依頼 #" OTHER_TOKEN "] Other");
  g_autoptr (ShrReply) r = mail_reply (m);
  ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_WRONG_TOKEN);
  /* Still refused when its In-Reply-To names this draft: ambiguous. */
  g_autoptr (ShrReply) both = good_reply_with ("Subject", "Re: [承認依頼 #" OTHER_TOKEN "] Other");
  ASSERT_VERDICT (check (both, FALSE, &draft_ref, T0), SHR_REPLY_WRONG_TOKEN);
}

static void
test_verify_automatic (void)
{
  static const gchar *const headers[][2] = {
    { "Auto-Submitted", "auto-replied" },
    { "Auto-Submitted", "auto-generated; owner-email=x@y" },
    { "X-Autoreply", "yes" },
    { "X-Autorespond", "1" },
    { "Precedence", "bulk" },
    { "Precedence", "junk" },
    { "Precedence", "list" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr (ShrReply) r = good_reply_with (headers[i][0], headers[i][1]);
      ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_AUTOMATIC);
    }
  static const gchar *const subjects[] = {
    "Out of Office: [承認依頼 #" DRAFT_TOKEN "] Exchange",
    "Automatic reply: [承認依頼 #" DRAFT_TOKEN "]",
    "自動応答: [承認依頼 #" DRAFT_TOKEN "]",
    "【不在】Re: [承認依頼 #" DRAFT_TOKEN "]",
  };
  for (guint i = 0; i < G_N_ELEMENTS (subjects); i++)
    {
      g_autoptr (ShrReply) r = good_reply_with ("Subject", subjects[i]);
      ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_AUTOMATIC);
    }
  /* The advisory's title after our tag is not the client's: a product
   * named "Absence Manager" is no out-of-office. */
  g_autoptr (ShrReply) title = good_reply_with (
      "Subject", "Re: [承認依頼 #" DRAFT_TOKEN "] 【要対応】Absence Manager 不在通知: CVE-2026-1");
  ASSERT_VERDICT (check (title, FALSE, &draft_ref, T0), SHR_REPLY_ACCEPT);
  /* Auto-Submitted: no is a person. */
  g_autoptr (Mail) m = good_mail ();
  mail_set (m, "Auto-Submitted", "no");
  mail_set (m, "Precedence", "first-class");
  g_autoptr (ShrReply) r = mail_reply (m);
  ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_ACCEPT);
}

static void
test_verify_auth_missing (void)
{
  g_autoptr (ShrReply) r = good_reply_with ("Authentication-Results", NULL);
  ASSERT_VERDICT (check (r, TRUE, &draft_ref, T0), SHR_REPLY_AUTH_MISSING);
  /* Not required: fine. */
  ASSERT_VERDICT (check (r, FALSE, &draft_ref, T0), SHR_REPLY_ACCEPT);
  /* A pass from a server we do not trust (the sender can write that
   * header himself) is as good as none. */
  g_autoptr (ShrReply) r2
      = good_reply_with ("Authentication-Results", "evil.test; dkim=pass header.d=example.test");
  ASSERT_VERDICT (check (r2, TRUE, &draft_ref, T0), SHR_REPLY_AUTH_MISSING);
}

static void
test_verify_auth_failed (void)
{
  static const gchar *const values[] = {
    "mx.example.test; dkim=fail header.d=example.test; spf=softfail "
    "smtp.mailfrom=example.test",
    /* A pass, but for another domain. */
    "mx.example.test; dkim=pass header.d=evil.test; spf=pass "
    "smtp.mailfrom=x@evil.test",
    "mx.example.test; none",
    "mx.example.test 1; dmarc=pass header.from=example.test",
  };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr (ShrReply) r = good_reply_with ("Authentication-Results", values[i]);
      ASSERT_VERDICT (check (r, TRUE, &draft_ref, T0), SHR_REPLY_AUTH_FAILED);
    }
}

/* A pass forged below our server's own header (as the sender wrote it)
 * does not count: only the topmost header from the trusted id does. */
static void
test_verify_auth_forged_below (void)
{
  g_autoptr (Mail) m = good_mail ();
  mail_set (m, "Authentication-Results", "mx.example.test; dkim=none; spf=fail smtp.mailfrom=example.test");
  mail_add (m, "Authentication-Results", "mx.example.test; dkim=pass header.d=example.test");
  g_autoptr (ShrReply) r = mail_reply (m);
  ASSERT_VERDICT (check (r, TRUE, &draft_ref, T0), SHR_REPLY_AUTH_FAILED);
  /* Headers of other servers above ours are skipped. */
  g_autoptr (Mail) m2 = good_mail ();
  mail_set (m2, "Authentication-Results", "relay.example.test; dkim=fail");
  mail_add (m2, "Authentication-Results", "mx.example.test; dkim=pass header.d=example.test");
  g_autoptr (ShrReply) r2 = mail_reply (m2);
  ASSERT_VERDICT (check (r2, TRUE, &draft_ref, T0), SHR_REPLY_ACCEPT);
}

static void
test_auth_results_parse (void)
{
  gboolean trusted;
  /* RFC 8601 appendix-style values. */
  g_assert_true (shr_approve_auth_results_pass ("MX.Example.Test 1; (comment; with semicolon) dkim/1 = pass "
                                                "(good signature) header.d=\"example.test\"",
                                                "mx.example.test", "example.test", &trusted));
  g_assert_true (trusted);
  g_assert_true (shr_approve_auth_results_pass ("mx.example.test; dkim=pass header.i=@example.test",
                                                "mx.example.test", "example.test", NULL));
  g_assert_true (
      shr_approve_auth_results_pass ("mx.example.test;\r\n\tspf=pass smtp.mailfrom=boss@example.test",
                                     "mx.example.test", "example.test", NULL));
  g_assert_false (shr_approve_auth_results_pass ("mx.example.test; spf=pass smtp.helo=example.test",
                                                 "mx.example.test", "example.test", &trusted));
  g_assert_true (trusted);
  g_assert_false (shr_approve_auth_results_pass ("mx.example.testing; dkim=pass header.d=example.test",
                                                 "mx.example.test", "example.test", &trusted));
  g_assert_false (trusted);
  /* A subdomain is not the From domain. */
  g_assert_false (shr_approve_auth_results_pass ("mx.example.test; dkim=pass header.d=mail.example.test",
                                                 "mx.example.test", "example.test", NULL));
}

static void
test_verify_not_pending (void)
{
  g_autoptr (ShrReply) r = good_reply ();
  ShrDraftRef d = draft_ref;
  d.status = "approved";
  ASSERT_VERDICT (check (r, TRUE, &d, T0), SHR_REPLY_NOT_PENDING);
  d.status = "rejected";
  ASSERT_VERDICT (check (r, TRUE, &d, T0), SHR_REPLY_NOT_PENDING);
}

static void
test_verify_expired (void)
{
  g_autoptr (ShrReply) r = good_reply ();
  ASSERT_VERDICT (check (r, TRUE, &draft_ref, T0 + 72 * 3600 - 1), SHR_REPLY_ACCEPT);
  ASSERT_VERDICT (check (r, TRUE, &draft_ref, T0 + 72 * 3600), SHR_REPLY_EXPIRED);
}

/* ---- decisions over the store --------------------------------------------------- */

typedef struct
{
  gchar *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("shr-decide-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
add_draft (ShrStore *store, const gchar *key)
{
  g_autoptr (GError) error = NULL;
  const gchar *keys[] = { key, NULL };
  gint64 case_id, draft;
  g_assert_true (shr_store_case_for_keys (store, keys, key, &case_id, NULL, &error));
  g_autofree gchar *token = g_strdup_printf ("T-%s", key);
  g_autofree gchar *mid = g_strdup_printf ("draft.%s@x", key);
  g_assert_true (shr_store_add_draft (store, case_id, NULL, token, mid, "s", "b", &draft, &error));
  g_assert_no_error (error);
  return draft;
}

/* on_approved: queues the two notices of the draft. */
typedef struct
{
  gint64 draft_id;
  gint calls;
} Queue;

static gboolean
queue_notices (ShrStore *store, ShrDecisionOutcome outcome, const gchar *reason, gpointer data,
               GError **error)
{
  Queue *q = data;
  (void)reason;
  if (outcome != SHR_DECISION_APPROVED)
    return TRUE;
  g_atomic_int_inc (&q->calls);
  const gchar *rcpts[] = { "admin@example.test", "admin2@example.test", NULL };
  g_autoptr (GBytes) bytes = g_bytes_new_static ("Subject: n\r\n\r\nx\r\n", 18);
  for (int lang = 0; lang < 2; lang++)
    {
      g_autofree gchar *mid
          = g_strdup_printf ("notice.%" G_GINT64_FORMAT ".%s@x", q->draft_id, lang ? "en" : "ja");
      if (!shr_store_outbox_add_message (store, q->draft_id, "notice", lang ? "en" : "ja", mid,
                                         "shirase@example.test", rcpts, bytes, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static ShrDecisionOutcome
decide (ShrStore *store, gint64 draft, const gchar *who, ShrCommand cmd, const gchar *reply_mid, guint quorum,
        Queue *q)
{
  g_autoptr (GError) error = NULL;
  ShrDecisionOutcome o;
  g_assert_true (
      shr_approve_decide (store, draft, who, cmd, NULL, reply_mid, quorum, queue_notices, q, &o, &error));
  g_assert_no_error (error);
  return o;
}

#define ASSERT_OUTCOME(got, want)                                                                            \
  g_assert_cmpstr (shr_decision_outcome_to_string (got), ==, shr_decision_outcome_to_string (want))

static gchar *
draft_status (ShrStore *store, gint64 draft)
{
  gchar *status = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_draft_get_status (store, draft, &status, &error));
  return status;
}

static guint
outbox_rows (ShrStore *store)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_list (store, &rows, &error));
  return rows->len;
}

static void
test_decide_quorum1_replay (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d = add_draft (store, "CVE-2026-0001");
  Queue q = { d, 0 };
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1@x", 1, &q),
                  SHR_DECISION_APPROVED);
  g_autofree gchar *st = draft_status (store, d);
  g_assert_cmpstr (st, ==, "approved");
  g_assert_cmpint (q.calls, ==, 1);
  g_assert_cmpuint (outbox_rows (store), ==, 4);
  /* The same reply read again, and a second approver after the fact:
   * nothing changes, nothing more is queued. */
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1@x", 1, &q),
                  SHR_DECISION_NOT_PENDING);
  ASSERT_OUTCOME (decide (store, d, "second@example.test", SHR_COMMAND_APPROVE, "r2@x", 1, &q),
                  SHR_DECISION_NOT_PENDING);
  g_assert_cmpint (q.calls, ==, 1);
  g_assert_cmpuint (outbox_rows (store), ==, 4);
}

static void
test_decide_quorum2 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d = add_draft (store, "CVE-2026-0002");
  Queue q = { d, 0 };
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1@x", 2, &q),
                  SHR_DECISION_RECORDED);
  g_autofree gchar *st1 = draft_status (store, d);
  g_assert_cmpstr (st1, ==, "pending");
  /* A replay of the approval already used, and a second reply from the
   * same approver: still one approval. */
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1@x", 2, &q),
                  SHR_DECISION_REPLAY);
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1-again@x", 2, &q),
                  SHR_DECISION_REPLAY);
  /* Hold from the other approver changes nothing either. */
  ASSERT_OUTCOME (decide (store, d, "second@example.test", SHR_COMMAND_HOLD, "r2h@x", 2, &q),
                  SHR_DECISION_HELD);
  g_assert_cmpint (q.calls, ==, 0);
  g_assert_cmpuint (outbox_rows (store), ==, 0);
  g_autofree gchar *st2 = draft_status (store, d);
  g_assert_cmpstr (st2, ==, "pending");
  /* The second distinct approver reaches the quorum. */
  ASSERT_OUTCOME (decide (store, d, "second@example.test", SHR_COMMAND_APPROVE, "r2@x", 2, &q),
                  SHR_DECISION_APPROVED);
  g_autofree gchar *st3 = draft_status (store, d);
  g_assert_cmpstr (st3, ==, "approved");
  g_assert_cmpint (q.calls, ==, 1);
  g_assert_cmpuint (outbox_rows (store), ==, 4);
}

/* Quorum 2: an approver who approved and then rejects drops the draft
 * (one rejection drops it); the other approver's approval then sends
 * nothing. */
static void
test_decide_withdraw (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d = add_draft (store, "CVE-2026-0005");
  Queue q = { d, 0 };
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "w1@x", 2, &q),
                  SHR_DECISION_RECORDED);
  ShrDecisionOutcome o;
  g_assert_true (shr_approve_decide (store, d, "boss@example.test", SHR_COMMAND_REJECT, "wrong product",
                                     "w2@x", 2, queue_notices, &q, &o, &error));
  g_assert_no_error (error);
  ASSERT_OUTCOME (o, SHR_DECISION_REJECTED);
  g_autofree gchar *st = draft_status (store, d);
  g_assert_cmpstr (st, ==, "rejected");
  ASSERT_OUTCOME (decide (store, d, "second@example.test", SHR_COMMAND_APPROVE, "w3@x", 2, &q),
                  SHR_DECISION_NOT_PENDING);
  gint64 approvals = -1;
  g_assert_true (shr_store_count_approvals (store, d, &approvals, &error));
  g_assert_cmpint (approvals, ==, 0);
  g_assert_cmpint (q.calls, ==, 0);
  g_assert_cmpuint (outbox_rows (store), ==, 0);
}

static void
test_decide_reject (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d = add_draft (store, "CVE-2026-0003");
  Queue q = { d, 0 };
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1@x", 2, &q),
                  SHR_DECISION_RECORDED);
  /* One rejection drops it, whatever the approvals so far. */
  ASSERT_OUTCOME (decide (store, d, "second@example.test", SHR_COMMAND_REJECT, "r2@x", 2, &q),
                  SHR_DECISION_REJECTED);
  g_autofree gchar *st = draft_status (store, d);
  g_assert_cmpstr (st, ==, "rejected");
  ASSERT_OUTCOME (decide (store, d, "third@example.test", SHR_COMMAND_APPROVE, "r3@x", 2, &q),
                  SHR_DECISION_NOT_PENDING);
  g_assert_cmpint (q.calls, ==, 0);
  g_assert_cmpuint (outbox_rows (store), ==, 0);
}

/* A failing on_approved rolls the approval back: no approval without its
 * notices. */
static gboolean
queue_fails (ShrStore *store, ShrDecisionOutcome outcome, const gchar *reason, gpointer data, GError **error)
{
  (void)outcome;
  (void)reason;
  g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SQL, "disk full");
  return FALSE;
}

static void
test_decide_atomic (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d = add_draft (store, "CVE-2026-0004");
  ShrDecisionOutcome o;
  g_assert_false (shr_approve_decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, NULL, "r1@x", 1,
                                      queue_fails, NULL, &o, &error));
  g_assert_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_SQL);
  g_clear_error (&error);
  g_autofree gchar *st = draft_status (store, d);
  g_assert_cmpstr (st, ==, "pending");
  gint64 n = -1;
  g_assert_true (shr_store_count_approvals (store, d, &n, &error));
  g_assert_cmpint (n, ==, 0);
  /* The same reply, read again once the disk has room, counts. */
  Queue q = { d, 0 };
  ASSERT_OUTCOME (decide (store, d, "boss@example.test", SHR_COMMAND_APPROVE, "r1@x", 1, &q),
                  SHR_DECISION_APPROVED);
}

/* Two approvers at the same moment, each in its own thread with its own
 * connection to the same database (as two processes would be). */
typedef struct
{
  const gchar *dir;
  gint64 draft;
  const gchar *who;
  const gchar *reply;
  Queue *queue;
  gint *go;
  ShrDecisionOutcome outcome;
} Racer;

static gpointer
racer (gpointer data)
{
  Racer *r = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (r->dir, &error);
  g_assert_no_error (error);
  while (!g_atomic_int_get (r->go))
    g_thread_yield ();
  g_assert_true (shr_approve_decide (store, r->draft, r->who, SHR_COMMAND_APPROVE, NULL, r->reply, 1,
                                     queue_notices, r->queue, &r->outcome, &error));
  g_assert_no_error (error);
  return NULL;
}

static void
test_decide_concurrent (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  for (int round = 0; round < 10; round++)
    {
      g_autofree gchar *key = g_strdup_printf ("CVE-2026-1%03d", round);
      gint64 d = add_draft (store, key);
      Queue q = { d, 0 };
      gint go = 0;
      Racer a = { f->dir, d, "boss@example.test", NULL, &q, &go, 0 };
      Racer b = { f->dir, d, "second@example.test", NULL, &q, &go, 0 };
      /* Round 5 on: one reply delivered twice (same approver, same
       * Message-ID) instead of two approvers. */
      g_autofree gchar *ra = g_strdup_printf ("ra.%d@x", round);
      g_autofree gchar *rb = g_strdup_printf ("rb.%d@x", round);
      a.reply = ra;
      b.reply = rb;
      if (round >= 5)
        {
          b.who = a.who;
          b.reply = ra;
        }
      GThread *ta = g_thread_new ("a", racer, &a);
      GThread *tb = g_thread_new ("b", racer, &b);
      g_usleep (20000); /* both connected and spinning */
      g_atomic_int_set (&go, 1);
      g_thread_join (ta);
      g_thread_join (tb);
      guint approved = (a.outcome == SHR_DECISION_APPROVED) + (b.outcome == SHR_DECISION_APPROVED);
      g_assert_cmpuint (approved, ==, 1);
      ShrDecisionOutcome other = a.outcome == SHR_DECISION_APPROVED ? b.outcome : a.outcome;
      ASSERT_OUTCOME (other, SHR_DECISION_NOT_PENDING);
      g_assert_cmpint (q.calls, ==, 1);
    }
  /* Ten drafts, two notices each to two recipients: 40 rows, not 80. */
  g_assert_cmpuint (outbox_rows (store), ==, 40);
}

/* The reply finds its draft by Message-ID (In-Reply-To, References), else
 * by the Subject's token; then the checks run on the stored draft. */
static void
test_store_find (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) secret = shr_approve_load_or_create_secret (f->dir, &error);
  g_assert_no_error (error);
  const gchar *keys[] = { "CVE-2026-3001", NULL };
  gint64 case_id, d1, d2;
  g_assert_true (shr_store_case_for_keys (store, keys, "t", &case_id, NULL, &error));
  /* The token is made from the id, so the draft is added first. */
  g_assert_true (shr_store_add_draft (store, case_id, NULL, NULL, NULL, "s", "b", &d1, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, NULL, NULL, "s", "b", &d2, &error));
  g_assert_no_error (error);
  /* (The integration sets token and Message-ID right after adding; here
   * drafts made with them directly.) */
  g_autofree gchar *tok = shr_approve_token (secret, shr_store_get_instance_id (store), 3, 0);
  gint64 d3;
  g_assert_true (
      shr_store_add_draft (store, case_id, NULL, tok, "draft.3@shirase.test", "s", "b", &d3, &error));
  g_assert_cmpint (d3, ==, 3);

  g_autoptr (Mail) m = mail_new ("approve");
  mail_set (m, "From", "boss@example.test");
  mail_set (m, "In-Reply-To", "<nothing@x>");
  mail_set (m, "References", "<a@x> <draft.3@shirase.test>");
  mail_set (m, "Subject", "Re: no token");
  g_autoptr (ShrReply) r = mail_reply (m);
  g_ptr_array_add (r->refs, NULL);
  gint64 found = -1;
  g_assert_true (shr_store_draft_find (store, (const gchar *const *)r->refs->pdata, NULL, &found, &error));
  g_ptr_array_set_size (r->refs, r->refs->len - 1);
  g_assert_cmpint (found, ==, 3);

  g_autoptr (ShrStoreDraft) draft = shr_store_draft_get (store, found, &error);
  g_assert_no_error (error);
  ShrDraftRef ref;
  shr_draft_ref_from_store (draft, &ref);
  g_autoptr (ShrApprovalConfig) c = approval_config (FALSE);
  ASSERT_VERDICT (shr_approve_verify (r, c, &ref, draft->created_at, NULL), SHR_REPLY_ACCEPT);

  /* By token only, typed in lower case. */
  g_autofree gchar *subject = g_strdup_printf ("Re: [承認依頼 #%s]", tok);
  g_autofree gchar *lower = g_ascii_strdown (subject, -1);
  g_autofree gchar *t = shr_approve_subject_token (lower);
  const gchar *none[] = { "x@y", NULL };
  g_assert_true (shr_store_draft_find (store, none, t, &found, &error));
  g_assert_cmpint (found, ==, 3);
  /* Nothing known: 0, no error. */
  g_assert_true (shr_store_draft_find (store, none, "0000000000", &found, &error));
  g_assert_cmpint (found, ==, 0);
  g_assert_no_error (error);
}

static void
test_expire_remind (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d1 = add_draft (store, "CVE-2026-4001");
  gint64 d2 = add_draft (store, "CVE-2026-4002");
  Queue q = { d2, 0 };
  ASSERT_OUTCOME (decide (store, d2, "boss@example.test", SHR_COMMAND_APPROVE, "r@x", 1, &q),
                  SHR_DECISION_APPROVED);
  g_autoptr (ShrStoreDraft) draft = shr_store_draft_get (store, d1, &error);
  g_assert_no_error (error);
  gint64 t = draft->created_at;

  /* Reminders: due remind_hours (24) after creation, once. At now, the
   * drafts due are those created at or before now - 24 h. */
  const gint64 remind = 24 * 3600;
  g_autoptr (GArray) none = NULL;
  g_assert_true (shr_store_drafts_pending (store, (t + remind - 1) - remind, TRUE, &none, &error));
  g_assert_cmpuint (none->len, ==, 0);
  g_autoptr (GArray) due = NULL;
  g_assert_true (shr_store_drafts_pending (store, (t + remind) - remind, TRUE, &due, &error));
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (g_array_index (due, gint64, 0), ==, d1);
  g_assert_true (shr_store_draft_set_reminded (store, d1, t + 24 * 3600, &error));
  g_autoptr (GArray) again = NULL;
  g_assert_true (shr_store_drafts_pending (store, (t + 2 * remind) - remind, TRUE, &again, &error));
  g_assert_cmpuint (again->len, ==, 0);

  /* Expiry: not before expire_hours; then the pending one only. */
  g_autoptr (GArray) early = NULL;
  g_assert_true (shr_approve_expire (store, t + 72 * 3600 - 1, 72, &early, &error));
  g_assert_cmpuint (early->len, ==, 0);
  g_autoptr (GArray) expired = NULL;
  g_assert_true (shr_approve_expire (store, t + 72 * 3600, 72, &expired, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 1);
  g_assert_cmpint (g_array_index (expired, gint64, 0), ==, d1);
  g_autofree gchar *s1 = draft_status (store, d1);
  g_assert_cmpstr (s1, ==, "expired");
  g_autofree gchar *s2 = draft_status (store, d2);
  g_assert_cmpstr (s2, ==, "approved");
  /* A late approval changes nothing. */
  Queue q1 = { d1, 0 };
  ASSERT_OUTCOME (decide (store, d1, "boss@example.test", SHR_COMMAND_APPROVE, "late@x", 1, &q1),
                  SHR_DECISION_NOT_PENDING);
  g_assert_cmpint (q1.calls, ==, 0);
}

/* A reply from start to end, as the watcher will hand it over. */
static ShrReply *
reply_to (const gchar *from, const gchar *mid, const gchar *in_reply_to, const gchar *subject,
          const gchar *body)
{
  g_autoptr (Mail) m = mail_new (body);
  mail_set (m, "From", from);
  mail_set (m, "Message-ID", mid);
  if (in_reply_to != NULL)
    mail_set (m, "In-Reply-To", in_reply_to);
  mail_set (m, "Subject", subject);
  return mail_reply (m);
}

static void
test_handle_reply (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  gint64 d = add_draft (store, "CVE-2026-5001"); /* token T-CVE…, id draft.CVE…@x */
  g_assert_cmpint (d, ==, 1);
  g_autoptr (ShrStoreDraft) draft = shr_store_draft_get (store, d, &error);
  gint64 now = draft->created_at + 60;
  g_autoptr (ShrApprovalConfig) c = approval_config (FALSE);
  Queue q = { d, 0 };
  const gchar *quoted = "\nOn Tue, shirase wrote:\n> 承認 / approve\n";

  struct
  {
    const gchar *from, *mid, *irt, *subject, *body;
    ShrReplyVerdict verdict;
    ShrCommand command;
    gboolean answer, decided;
    ShrDecisionOutcome outcome;
  } steps[] = {
    /* A stranger: refused, not answered. */
    { "mallory@evil.test", "<m1@x>", "<draft.CVE-2026-5001@x>", "Re: x", "承認", SHR_REPLY_NOT_APPROVER,
      SHR_COMMAND_NONE, FALSE, FALSE, 0 },
    /* The approver's out-of-office: ignored, not answered. */
    { "boss@example.test", "<m2@x>", "<draft.CVE-2026-5001@x>", "Out of Office: x", "承認",
      SHR_REPLY_AUTOMATIC, SHR_COMMAND_NONE, FALSE, FALSE, 0 },
    /* The approver, referring to nothing known: explained. */
    { "boss@example.test", "<m3@x>", "<other@x>", "Re: x", "承認", SHR_REPLY_NO_REFERENCE, SHR_COMMAND_NONE,
      TRUE, FALSE, 0 },
    { "boss@example.test", "<m4@x>", NULL, "Re: [承認依頼 #0000000000]", "承認", SHR_REPLY_WRONG_TOKEN,
      SHR_COMMAND_NONE, TRUE, FALSE, 0 },
    /* The only 承認 is in the quoted draft: no command, still pending. */
    { "boss@example.test", "<m5@x>", "<draft.CVE-2026-5001@x>", "Re: x", quoted, SHR_REPLY_ACCEPT,
      SHR_COMMAND_NONE, TRUE, FALSE, 0 },
    /* 「承認します」: approved, notices queued. */
    { "Boss <boss@example.test>", "<m6@x>", "<draft.CVE-2026-5001@x>", "Re: x",
      "承認します。\n\nOn Tue, shirase wrote:\n> draft", SHR_REPLY_ACCEPT, SHR_COMMAND_APPROVE, TRUE, TRUE,
      SHR_DECISION_APPROVED },
    /* The same reply read again, and the second approver late: nothing. */
    { "Boss <boss@example.test>", "<m6@x>", "<draft.CVE-2026-5001@x>", "Re: x", "承認します。",
      SHR_REPLY_NOT_PENDING, SHR_COMMAND_NONE, TRUE, FALSE, 0 },
    { "Second@example.test", "<m7@x>", "<draft.CVE-2026-5001@x>", "Re: x", "reject: late",
      SHR_REPLY_NOT_PENDING, SHR_COMMAND_NONE, TRUE, FALSE, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (ShrReply) r
          = reply_to (steps[i].from, steps[i].mid, steps[i].irt, steps[i].subject, steps[i].body);
      ShrReplyResult res;
      g_assert_true (shr_approve_handle_reply (store, c, r, now, queue_notices, &q, &res, &error));
      g_assert_no_error (error);
      g_test_message ("step %u: %s", i, res.message);
      ASSERT_VERDICT (res.verdict, steps[i].verdict);
      g_assert_cmpstr (shr_command_to_string (res.command), ==, shr_command_to_string (steps[i].command));
      g_assert_cmpint (res.answer, ==, steps[i].answer);
      g_assert_cmpint (res.decided, ==, steps[i].decided);
      if (res.decided)
        ASSERT_OUTCOME (res.outcome, steps[i].outcome);
      shr_reply_result_clear (&res);
    }
  g_assert_cmpint (q.calls, ==, 1);
  g_assert_cmpuint (outbox_rows (store), ==, 4);
  g_autofree gchar *st = draft_status (store, d);
  g_assert_cmpstr (st, ==, "approved");
}

/* From the one reader: headers decoded and in order, the first text/plain
 * part (not the HTML alternative, not an attached .txt) as the body. */
static void
test_reply_from_message (void)
{
  const gchar *raw
      = "Authentication-Results: mx.example.test; dkim=pass header.d=example.test\r\n"
        "Authentication-Results: relay.example.test; none\r\n"
        "From: =?UTF-8?B?5LiK5Y+4?= <Boss@Example.test>\r\n"
        "Subject: =?UTF-8?B?UmU6IFvmib/oqo3kvp3poLwgI0s3UTJNOUYzWEFd?=\r\n"
        "Message-ID: <r@x>\r\nIn-Reply-To: <d@x>\r\nReferences: <a@x>\r\n <d@x>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
        "--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>reject</p>\r\n"
        "--b2\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n"
        "Content-Transfer-Encoding: 7bit\r\n\r\n"
        "\x1b$B>5G'\x1b(B\r\n"
        "--b2--\r\n"
        "--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=x.txt\r\n\r\n"
        "reject\r\n--b1--\r\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (raw, strlen (raw));
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMessage) m = shr_message_read_bytes (bytes, "reply", &error);
  g_assert_no_error (error);
  g_autoptr (ShrReply) r = shr_reply_new_from_message (m);
  /* The local part as written, the domain in lower case. */
  g_assert_cmpstr (r->from, ==, "Boss@example.test");
  g_assert_cmpstr (r->subject, ==, "Re: [承認依頼 #K7Q2M9F3XA]");
  g_assert_cmpstr (r->message_id, ==, "r@x");
  /* In-Reply-To, then References nearest first, each once. */
  g_assert_cmpuint (r->refs->len, ==, 2);
  g_assert_cmpstr (r->refs->pdata[0], ==, "d@x");
  g_assert_cmpstr (r->refs->pdata[1], ==, "a@x");
  g_assert_cmpuint (r->auth_results->len, ==, 2);
  g_assert_cmpstr (r->auth_results->pdata[0], ==, "mx.example.test; dkim=pass header.d=example.test");
  g_assert_null (r->automatic);
  g_assert_cmpstr (r->body, ==, "承認"); /* the CRLF before a boundary is the boundary's */
  g_assert_cmpint (shr_approve_parse_command (r->body, NULL), ==, SHR_COMMAND_APPROVE);
}

/* Replies as Gmail, Outlook, iPhone, Thunderbird and a plain-text client
 * write them (tests/data/replies/): multipart/alternative, ISO-2022-JP,
 * quoted-printable, format=flowed, an HTML-only reply and a reply whose
 * only text is an attachment. Each through the one reader, verified
 * against draft 7 and read for its command. */
static void
test_client_shapes (void)
{
  static const struct
  {
    const gchar *file;
    ShrCommand command;
    const gchar *reason;
  } shapes[] = {
    { "gmail-ok-desu", SHR_COMMAND_APPROVE, NULL },
    { "outlook-itashimasu", SHR_COMMAND_APPROVE, NULL },
    { "iphone-approved-thanks", SHR_COMMAND_APPROVE, NULL },
    { "plain-de-onegai", SHR_COMMAND_APPROVE, NULL },
    { "thunderbird-flowed", SHR_COMMAND_APPROVE, NULL },
    { "gmail-reject-reason", SHR_COMMAND_REJECT, "当社は IOS XE を使っていません" },
    { "iphone-question", SHR_COMMAND_NONE, NULL },
    { "outlook-ok-question", SHR_COMMAND_NONE, NULL },
    { "gmail-approve-question", SHR_COMMAND_NONE, NULL },
    /* No text/plain of its own: nothing an approver typed to read. */
    { "outlook-html-only", SHR_COMMAND_NONE, NULL },
    { "outlook-attachment-only", SHR_COMMAND_NONE, NULL },
  };
  g_autoptr (ShrApprovalConfig) c = approval_config (FALSE);
  const gchar *only[] = { "approver@example.test", NULL };
  g_strfreev (c->approvers);
  c->approvers = g_strdupv ((gchar **)only);
  const ShrDraftRef draft = { 7, "<draft.7.K7Q2M9F3XA@example.test>", "K7Q2M9F3XA", "pending", T0 };
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree gchar *name = g_strdup_printf ("%s.eml", shapes[i].file);
      g_autofree gchar *path = g_build_filename (test_srcdir (), "tests", "data", "replies", name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrMessage) m = shr_message_read_file (path, &error);
      g_assert_no_error (error);
      g_autoptr (ShrReply) r = shr_reply_new_from_message (m);
      g_autofree gchar *why = NULL;
      ShrReplyVerdict v = shr_approve_verify (r, c, &draft, T0 + 60, &why);
      g_autofree gchar *reason = NULL;
      ShrCommand got = shr_approve_parse_command (r->body, &reason);
      g_test_message ("%s: %s (%s), %s \"%s\"", shapes[i].file, shr_reply_verdict_to_string (v), why,
                      shr_command_to_string (got), reason);
      ASSERT_VERDICT (v, SHR_REPLY_ACCEPT);
      g_assert_cmpstr (shr_command_to_string (got), ==, shr_command_to_string (shapes[i].command));
      g_assert_cmpstr (reason, ==, shapes[i].reason);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/approve/token/format", test_token_format);
  g_test_add_func ("/approve/token/equal", test_token_equal);
  g_test_add_func ("/approve/token/subject", test_subject_token);
  g_test_add_func ("/approve/secret", test_secret);
  g_test_add_func ("/approve/command/wordings", test_commands);
  g_test_add_func ("/approve/command/hostile", test_commands_hostile);
  g_test_add_func ("/approve/verify/accept", test_verify_accept);
  g_test_add_func ("/approve/verify/not-approver", test_verify_not_approver);
  g_test_add_func ("/approve/verify/no-reference", test_verify_no_reference);
  g_test_add_func ("/approve/verify/wrong-token", test_verify_wrong_token);
  g_test_add_func ("/approve/verify/other-drafts-token", test_verify_other_drafts_token);
  g_test_add_func ("/approve/verify/automatic", test_verify_automatic);
  g_test_add_func ("/approve/verify/auth-missing", test_verify_auth_missing);
  g_test_add_func ("/approve/verify/auth-failed", test_verify_auth_failed);
  g_test_add_func ("/approve/verify/auth-forged-below", test_verify_auth_forged_below);
  g_test_add_func ("/approve/verify/not-pending", test_verify_not_pending);
  g_test_add_func ("/approve/verify/expired", test_verify_expired);
  g_test_add_func ("/approve/auth-results/parse", test_auth_results_parse);
  g_test_add_func ("/approve/reply/from-message", test_reply_from_message);
  g_test_add_func ("/approve/reply/client-shapes", test_client_shapes);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/approve/decide/quorum1-replay", test_decide_quorum1_replay);
  ADD ("/approve/decide/quorum2", test_decide_quorum2);
  ADD ("/approve/decide/reject", test_decide_reject);
  ADD ("/approve/decide/withdraw", test_decide_withdraw);
  ADD ("/approve/decide/atomic", test_decide_atomic);
  ADD ("/approve/decide/concurrent", test_decide_concurrent);
  ADD ("/approve/store/find", test_store_find);
  ADD ("/approve/handle-reply", test_handle_reply);
  ADD ("/approve/store/expire-remind", test_expire_remind);
  return g_test_run ();
}
