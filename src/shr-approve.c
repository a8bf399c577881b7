/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-approve.c — see shr-approve.h. */
#include "shr-approve.h"

#include "shr-edit.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Crockford's base32: no I, L, O, U (look-alikes and accidental words). */
static const gchar crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* ---- secret ------------------------------------------------------------------ */

static gboolean
read_secret_fd (int fd, const gchar *path, guint8 *out, GError **error)
{
  struct stat st;
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  /* Whoever reads the secret can forge approval tokens. */
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET,
                   "%s: readable by others (mode %03o); chmod 600 it (and "
                   "consider it known: remove it to make a new one, which "
                   "voids the tokens of pending drafts)",
                   path, (guint)(st.st_mode & 0777));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || st.st_size != SHR_APPROVE_SECRET_BYTES)
    {
      g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "%s: not a %d-byte secret", path,
                   SHR_APPROVE_SECRET_BYTES);
      return FALSE;
    }
  gsize got = 0;
  while (got < SHR_APPROVE_SECRET_BYTES)
    {
      ssize_t n = read (fd, out + got, SHR_APPROVE_SECRET_BYTES - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "%s: %s", path,
                       n == 0 ? "short read" : g_strerror (saved));
          return FALSE;
        }
      got += n;
    }
  return TRUE;
}

static gboolean
write_all (int fd, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

GBytes *
shr_approve_load_or_create_secret (const gchar *state_dir, GError **error)
{
  g_return_val_if_fail (state_dir != NULL, NULL);
  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "cannot create the state dir %s: %s",
                   state_dir, g_strerror (saved));
      return NULL;
    }
  g_autofree gchar *path = g_build_filename (state_dir, SHR_APPROVE_SECRET_FILE, NULL);
  guint8 key[SHR_APPROVE_SECRET_BYTES];

  for (int attempt = 0; attempt < 2; attempt++)
    {
      int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0)
        {
          gboolean ok = read_secret_fd (fd, path, key, error);
          close (fd);
          if (!ok)
            return NULL;
          GBytes *b = g_bytes_new (key, sizeof key);
          explicit_bzero (key, sizeof key);
          return b;
        }
      if (errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "%s: %s", path,
                       g_strerror (saved));
          return NULL;
        }
      /* Written whole under a temporary name, then linked into place:
       * link() fails when another process got there first, and then we
       * read theirs, so both use one secret. */
      if (getrandom (key, sizeof key, 0) != (ssize_t)sizeof key)
        {
          int saved = errno;
          g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "no random bytes for %s: %s", path,
                       g_strerror (saved));
          return NULL;
        }
      g_autofree gchar *tmp = g_strdup_printf ("%s.%d.tmp", path, (int)getpid ());
      int tfd = open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      gboolean ok = tfd >= 0 && write_all (tfd, key, sizeof key) && fsync (tfd) == 0;
      int saved = errno;
      if (tfd >= 0)
        close (tfd);
      explicit_bzero (key, sizeof key);
      if (!ok)
        {
          g_unlink (tmp);
          g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "cannot write %s: %s", tmp,
                       g_strerror (saved));
          return NULL;
        }
      int lrc = link (tmp, path);
      saved = errno;
      g_unlink (tmp);
      if (lrc != 0 && saved != EEXIST)
        {
          g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "cannot create %s: %s", path,
                       g_strerror (saved));
          return NULL;
        }
      /* Loop: read what is now in place (ours or the other's). */
    }
  g_set_error (error, SHR_APPROVE_ERROR, SHR_APPROVE_ERROR_SECRET, "%s: vanished while being created", path);
  return NULL;
}

/* ---- tokens ------------------------------------------------------------------ */

gchar *
shr_approve_token (GBytes *secret, const gchar *instance_id, gint64 draft_id, gint64 created_at)
{
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (instance_id != NULL, NULL);
  gsize klen;
  const guint8 *k = g_bytes_get_data (secret, &klen);
  g_autoptr (GHmac) h = g_hmac_new (G_CHECKSUM_SHA256, k, klen);
  g_autofree gchar *msg = g_strdup_printf ("shirase-draft:%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                           instance_id, draft_id, created_at);
  g_hmac_update (h, (const guchar *)msg, strlen (msg));
  guint8 digest[32];
  gsize dlen = sizeof digest;
  g_hmac_get_digest (h, digest, &dlen);
  /* 50 bits: 10 characters of 5 bits, from the top of the digest. */
  guint64 bits = 0;
  for (int i = 0; i < 7; i++)
    bits = (bits << 8) | digest[i];
  bits >>= 6; /* 56 -> 50 bits */
  gchar *out = g_malloc (SHR_APPROVE_TOKEN_LEN + 1);
  for (int i = SHR_APPROVE_TOKEN_LEN - 1; i >= 0; i--)
    {
      out[i] = crockford[bits & 31];
      bits >>= 5;
    }
  out[SHR_APPROVE_TOKEN_LEN] = '\0';
  explicit_bzero (digest, sizeof digest);
  return out;
}

/* The 5-bit value of a token character, or -1. */
static gint
crockford_value (gchar c)
{
  c = g_ascii_toupper (c);
  if (c == 'O')
    c = '0';
  else if (c == 'I' || c == 'L')
    c = '1';
  const gchar *p = c != '\0' ? strchr (crockford, c) : NULL;
  return p != NULL ? (gint)(p - crockford) : -1;
}

gboolean
shr_approve_token_equal (const gchar *a, const gchar *b)
{
  if (a == NULL || b == NULL || strlen (a) != SHR_APPROVE_TOKEN_LEN || strlen (b) != SHR_APPROVE_TOKEN_LEN)
    return FALSE;
  /* Every character is looked at whatever the earlier ones were, so the
   * time taken tells nothing about how much of a guess was right. */
  guint diff = 0, bad = 0;
  for (int i = 0; i < SHR_APPROVE_TOKEN_LEN; i++)
    {
      gint x = crockford_value (a[i]), y = crockford_value (b[i]);
      bad |= (guint)(x < 0) | (guint)(y < 0);
      diff |= (guint)(x ^ y);
    }
  return (diff | bad) == 0;
}

gchar *
shr_approve_subject_token (const gchar *subject)
{
  if (subject == NULL)
    return NULL;
  for (const gchar *p = strchr (subject, '#'); p != NULL; p = strchr (p + 1, '#'))
    {
      int n = 0;
      while (n < SHR_APPROVE_TOKEN_LEN && crockford_value (p[1 + n]) >= 0)
        n++;
      if (n == SHR_APPROVE_TOKEN_LEN && !g_ascii_isalnum (p[1 + n]))
        {
          /* Canonical form (upper case, look-alikes mapped), as stored. */
          gchar *t = g_malloc (SHR_APPROVE_TOKEN_LEN + 1);
          for (int i = 0; i < SHR_APPROVE_TOKEN_LEN; i++)
            t[i] = crockford[crockford_value (p[1 + i])];
          t[SHR_APPROVE_TOKEN_LEN] = '\0';
          return t;
        }
    }
  return NULL;
}

/* ---- commands ------------------------------------------------------------------ */

const gchar *
shr_command_to_string (ShrCommand command)
{
  static const gchar *const names[] = { "none", "approve", "reject", "hold", "approve-edited" };
  g_return_val_if_fail ((guint)command < G_N_ELEMENTS (names), NULL);
  return names[command];
}

static gboolean
is_space_char (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x3000;
}

/* Separators that may follow a command word: what comes after is
 * politeness, thanks or a reason, never a change of meaning. A question
 * mark is none: 「承認？」 and "OK?" ask, they do not decide. (The line
 * was NFKC-normalised: ？ and ﹖ are '?' here.) */
static gboolean
is_separator (gunichar c)
{
  if (c == '?')
    return FALSE;
  return is_space_char (c) || g_unichar_ispunct (c) || c == 0x3001 /* 、 */
         || c == 0x3002 /* 。 */ || c == 0xff0c || c == 0xff0e || c == '~'
         || c == 0x301c /* 〜 */ || c == 0x266a /* ♪ */;
}

static const gchar *
skip_separators (const gchar *s)
{
  while (*s != '\0' && is_separator (g_utf8_get_char (s)))
    s = g_utf8_next_char (s);
  return s;
}

static gchar *
trimmed (const gchar *s)
{
  while (*s != '\0' && is_space_char (g_utf8_get_char (s)))
    s = g_utf8_next_char (s);
  gchar *t = g_strdup (s);
  gchar *end = t + strlen (t);
  while (end > t)
    {
      gchar *prev = g_utf8_find_prev_char (t, end);
      if (prev == NULL || !is_space_char (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  *end = '\0';
  return t;
}

static gboolean
is_attribution (const gchar *line)
{
  g_autofree gchar *low = g_utf8_casefold (line, -1);
  static const gchar *const ends[]
      = { "wrote:", "書きました:", "のメッセージ:", "schrieb:", "a écrit :", "a écrit:" };
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    if (g_str_has_suffix (low, ends[i]))
      return TRUE;
  static const gchar *const starts[] = {
    "-----original message-----",
    "----- original message -----",
    "-----元のメッセージ-----",
    "________________",
    "from:",
    "差出人:",
    "送信者:",
    "-------- forwarded message",
    "-------- original message",
  };
  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (g_str_has_prefix (low, starts[i]))
      return TRUE;
  return FALSE;
}

/* Politeness that may follow 承認 / 却下 / 保留, longest first. */
static const gchar *
skip_politeness (const gchar *s)
{
  static const gchar *const words[] = {
    "でお願いいたします",
    "でお願い致します",
    "でお願いします",
    "いたしました",
    "致しました",
    "いたします",
    "致します",
    "お願いします",
    "しました",
    "します",
    "でした",
    "です",
    "で",
    "済み",
    "済",
  };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_has_prefix (s, words[i]))
      return s + strlen (words[i]);
  return s;
}

/* The reason after a rejection: separators and a "理由:" or "reason:"
 * label dropped; NULL when nothing is left. */
static gchar *
reason_from (const gchar *rest)
{
  const gchar *s = skip_separators (rest);
  if (g_str_has_prefix (s, "理由"))
    s = skip_separators (s + strlen ("理由"));
  else if (g_ascii_strncasecmp (s, "reason", 6) == 0 && !g_ascii_isalpha (s[6]))
    s = skip_separators (s + 6);
  g_autofree gchar *r = trimmed (s);
  return *r != '\0' ? g_steal_pointer (&r) : NULL;
}

/* Whether @rest (what follows an approval or a hold on its line) is only
 * punctuation and courtesy: "承認します。よろしくお願いします。" and "OK,
 * thanks!" approve; "OK, but do not send yet", "ok to reject" and
 * "承認します。ただし来週" do not (they are answered: no command). An
 * approval must not be read into a sentence that may say otherwise. */
static gboolean
only_courtesy (const gchar *rest)
{
  static const gchar *const phrases[] = {
    "よろしくお願いいたします",
    "よろしくお願い致します",
    "よろしくお願いします",
    "宜しくお願いします",
    "お願いいたします",
    "お願い致します",
    "お願いします",
    "ありがとうございます",
    "ありがとうございました",
    "thank you",
    "thanks",
    "thx",
    "please send",
    "please",
    "go ahead",
    "send it",
    "cheers",
  };
  for (const gchar *s = skip_separators (rest); *s != '\0'; s = skip_separators (s))
    {
      gsize matched = 0;
      for (guint i = 0; i < G_N_ELEMENTS (phrases) && matched == 0; i++)
        {
          gsize n = strlen (phrases[i]);
          if (g_ascii_strncasecmp (s, phrases[i], n) == 0 && !g_ascii_isalnum (s[n]))
            matched = n;
        }
      if (matched == 0)
        return FALSE;
      s += matched;
    }
  return TRUE;
}

/* 修正承認 / approve with edits, then politeness and courtesy only. */
static gboolean
is_edit_command (const gchar *line)
{
  const gchar *rest = NULL;
  if (g_str_has_prefix (line, "修正承認"))
    rest = line + strlen ("修正承認");
  else
    {
      static const gchar *const english[]
          = { "approve with edits", "approved with edits", "approve with edit", "approved with edit" };
      for (guint i = 0; i < G_N_ELEMENTS (english) && rest == NULL; i++)
        {
          gsize n = strlen (english[i]);
          if (g_ascii_strncasecmp (line, english[i], n) == 0 && !g_ascii_isalnum (line[n]))
            rest = line + n;
        }
    }
  if (rest == NULL)
    return FALSE;
  while (*rest == ' ')
    rest++;
  rest = skip_politeness (rest);
  if (*rest != '\0' && !is_separator (g_utf8_get_char (rest)))
    return FALSE;
  return only_courtesy (rest);
}

static ShrCommand
command_of_line (const gchar *line, gchar **reason)
{
  if (is_edit_command (line))
    return SHR_COMMAND_APPROVE_EDITED;
  static const struct
  {
    const gchar *word;
    ShrCommand command;
  } japanese[] = {
    { "承認", SHR_COMMAND_APPROVE },
    { "却下", SHR_COMMAND_REJECT },
    { "保留", SHR_COMMAND_HOLD },
  };
  for (guint i = 0; i < G_N_ELEMENTS (japanese); i++)
    {
      if (!g_str_has_prefix (line, japanese[i].word))
        continue;
      const gchar *rest = skip_politeness (line + strlen (japanese[i].word));
      /* 「承認しない」「却下できません」: the word is not the command. */
      if (*rest != '\0' && !is_separator (g_utf8_get_char (rest)))
        return SHR_COMMAND_NONE;
      if (japanese[i].command == SHR_COMMAND_REJECT)
        {
          if (reason != NULL)
            *reason = reason_from (rest);
          return SHR_COMMAND_REJECT;
        }
      return only_courtesy (rest) ? japanese[i].command : SHR_COMMAND_NONE;
    }

  static const struct
  {
    const gchar *word;
    ShrCommand command;
  } english[] = {
    { "approve", SHR_COMMAND_APPROVE }, { "approved", SHR_COMMAND_APPROVE }, { "ok", SHR_COMMAND_APPROVE },
    { "okay", SHR_COMMAND_APPROVE },    { "yes", SHR_COMMAND_APPROVE },      { "reject", SHR_COMMAND_REJECT },
    { "rejected", SHR_COMMAND_REJECT }, { "no", SHR_COMMAND_REJECT },        { "hold", SHR_COMMAND_HOLD },
  };
  gsize n = 0;
  while (g_ascii_isalpha (line[n]))
    n++;
  if (n == 0)
    return SHR_COMMAND_NONE;
  /* "okay" is a word; "ok2" or "ok_" is not "ok". */
  if (g_ascii_isalnum (line[n]) || line[n] == '_')
    return SHR_COMMAND_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    {
      if (strlen (english[i].word) != n || g_ascii_strncasecmp (line, english[i].word, n) != 0)
        continue;
      if (english[i].command != SHR_COMMAND_REJECT)
        {
          /* Japanese politeness after an English word counts as after a
           * Japanese one: 「OKです」「ＯＫでお願いします」. */
          const gchar *rest = line + n;
          while (*rest == ' ')
            rest++;
          rest = skip_politeness (rest);
          return only_courtesy (rest) ? english[i].command : SHR_COMMAND_NONE;
        }
      const gchar *after = line + n;
      while (*after == ' ')
        after++;
      if (*after == '?')
        return SHR_COMMAND_NONE; /* "Reject?", "no?": a question */
      /* "no" rejects alone, or with a reason after punctuation ("No, we
       * don't run it"); "No problem, go ahead." is not a rejection. */
      if (n == 2 && line[n] != '\0' && !g_unichar_ispunct (g_utf8_get_char (line + n)))
        return SHR_COMMAND_NONE;
      if (reason != NULL)
        *reason = reason_from (line + n);
      return SHR_COMMAND_REJECT;
    }
  return SHR_COMMAND_NONE;
}

ShrCommand
shr_approve_parse_command (const gchar *body, gchar **reason)
{
  if (reason != NULL)
    *reason = NULL;
  if (body == NULL)
    return SHR_COMMAND_NONE;
  /* Line by line, without copying the body: a long quoted draft below
   * the command costs one scan. */
  const gchar *end = body + strlen (body);
  for (const gchar *p = body; p < end;)
    {
      const gchar *nl = memchr (p, '\n', end - p);
      gsize len = nl != NULL ? (gsize)(nl - p) : (gsize)(end - p);
      const gchar *next = nl != NULL ? nl + 1 : end;
      /* The signature separator is "-- " exactly, before any trimming. */
      if ((len == 3 && memcmp (p, "-- ", 3) == 0) || (len == 4 && memcmp (p, "-- \r", 4) == 0))
        return SHR_COMMAND_NONE;
      const gchar *q = p;
      while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;
      if (q == p + len || *q == '>')
        {
          p = next;
          continue;
        }
      /* A command is a few words; the rest of a long line is not read. */
      g_autofree gchar *raw = g_utf8_make_valid (p, MIN (len, SHR_MAX_COMMAND_LINE_BYTES));
      /* NFKC: full-width letters, digits and punctuation become ASCII. */
      g_autofree gchar *norm = g_utf8_normalize (raw, -1, G_NORMALIZE_NFKC);
      g_autofree gchar *line = trimmed (norm != NULL ? norm : raw);
      p = next;
      if (*line == '\0' || line[0] == '>')
        continue;
      if (is_attribution (line))
        return SHR_COMMAND_NONE;
      return command_of_line (line, reason);
    }
  return SHR_COMMAND_NONE;
}

/* ---- the reply ------------------------------------------------------------------ */

static GPtrArray *
copy_strings (const GPtrArray *in)
{
  GPtrArray *out = g_ptr_array_new_full (in != NULL ? in->len : 0, g_free);
  for (guint i = 0; in != NULL && i < in->len; i++)
    g_ptr_array_add (out, g_strdup (in->pdata[i]));
  return out;
}

ShrReply *
shr_reply_new_from_message (const ShrMessage *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  ShrReply *r = g_new0 (ShrReply, 1);
  r->from = g_strdup (m->sender);
  r->message_id = g_strdup (m->outer_message_id);
  r->refs = copy_strings (m->references);
  r->subject = g_strdup (m->outer_subject);
  r->automatic = g_strdup (m->automatic);
  r->auth_results = copy_strings (m->auth_results);
  r->body = g_strdup (m->reply_text);
  return r;
}

void
shr_reply_free (ShrReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->from);
  g_free (reply->message_id);
  g_ptr_array_unref (reply->refs);
  g_free (reply->subject);
  g_free (reply->automatic);
  g_ptr_array_unref (reply->auth_results);
  g_free (reply->body);
  g_free (reply);
}

/* ---- config ---------------------------------------------------------------------- */

void
shr_approval_config_free (ShrApprovalConfig *config)
{
  if (config == NULL)
    return;
  g_strfreev (config->approvers);
  g_free (config->trusted_authserv_id);
  g_free (config);
}

static gboolean
get_uint (GKeyFile *kf, const gchar *path, const gchar *key, guint def, guint *out, GError **error)
{
  if (!g_key_file_has_key (kf, "approval", key, NULL))
    {
      *out = def;
      return TRUE;
    }
  g_autoptr (GError) local = NULL;
  gint v = g_key_file_get_integer (kf, "approval", key, &local);
  if (local != NULL || v < 1)
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE,
                   "%s: [approval] %s: not a positive number", path, key);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

ShrApprovalConfig *
shr_approval_config_from_keyfile (GKeyFile *keyfile, const gchar *path, GError **error)
{
  g_return_val_if_fail (keyfile != NULL, NULL);
  const gchar *where = path != NULL ? path : "config";
  g_autoptr (ShrApprovalConfig) c = g_new0 (ShrApprovalConfig, 1);
  g_autofree gchar *approvers = g_key_file_get_string (keyfile, "approval", "approvers", NULL);
  if (approvers == NULL)
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_MISSING_KEY, "%s: [approval] approvers: missing",
                   where);
      return NULL;
    }
  g_auto (GStrv) parts = g_strsplit_set (approvers, ",;", -1);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      /* Compared whole with a reply's sender: the local part as written,
       * the domain in any case. */
      gchar *address = shr_address_from_header (parts[i]);
      if (address == NULL)
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE,
                       "%s: [approval] approvers: \"%s\" is not a mail address", where, parts[i]);
          return NULL;
        }
      g_ptr_array_add (list, address);
    }
  g_ptr_array_add (list, NULL);
  c->approvers = (gchar **)g_ptr_array_steal (list, NULL);
  c->require_auth_results = g_key_file_get_boolean (keyfile, "approval", "require_auth_results", NULL);
  c->trusted_authserv_id = g_key_file_get_string (keyfile, "approval", "trusted_authserv_id", NULL);
  if (c->trusted_authserv_id != NULL)
    g_strstrip (c->trusted_authserv_id);
  if (!get_uint (keyfile, where, "quorum", 1, &c->quorum, error)
      || !get_uint (keyfile, where, "remind_hours", 24, &c->remind_hours, error)
      || !get_uint (keyfile, where, "expire_hours", 72, &c->expire_hours, error))
    return NULL;
  return g_steal_pointer (&c);
}

/* ---- Authentication-Results (RFC 8601) ---------------------------------------- */

/* @value without (comments), honouring "quoted strings". */
static gchar *
strip_comments (const gchar *value)
{
  GString *out = g_string_new (NULL);
  int depth = 0;
  gboolean quoted = FALSE;
  for (const gchar *p = value; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '\\' && p[1] != '\0')
            {
              g_string_append_c (out, *p++);
            }
          else if (*p == '"')
            quoted = FALSE;
          g_string_append_c (out, *p);
          continue;
        }
      if (depth > 0)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '(')
            depth++;
          else if (*p == ')')
            depth--;
          continue;
        }
      if (*p == '(')
        {
          depth++;
          g_string_append_c (out, ' ');
        }
      else
        {
          if (*p == '"')
            quoted = TRUE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* Splits at @sep outside quotes. */
static GPtrArray *
split_unquoted (const gchar *s, gchar sep)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gboolean quoted = FALSE;
  const gchar *start = s;
  for (const gchar *p = s;; p++)
    {
      if (*p == '\0' || (*p == sep && !quoted))
        {
          g_autofree gchar *part = g_strndup (start, p - start);
          g_ptr_array_add (parts, g_strdup (g_strstrip (part)));
          if (*p == '\0')
            break;
          start = p + 1;
        }
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '\\' && quoted && p[1] != '\0')
        p++;
    }
  return parts;
}

/* "key = value" tokens of one resinfo: whitespace around '=' dropped,
 * quotes removed from values. Keys lower-cased. */
static GPtrArray *
resinfo_pairs (const gchar *resinfo)
{
  GString *flat = g_string_new (NULL);
  gboolean quoted = FALSE;
  for (const gchar *p = resinfo; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      if (!quoted && g_ascii_isspace (*p))
        {
          /* Drop spaces next to '='. */
          const gchar *q = p;
          while (g_ascii_isspace (*q))
            q++;
          if (*q == '=' || (flat->len > 0 && flat->str[flat->len - 1] == '='))
            {
              p = q - 1;
              continue;
            }
          g_string_append_c (flat, ' ');
          p = q - 1;
          continue;
        }
      g_string_append_c (flat, *p);
    }
  GPtrArray *pairs = split_unquoted (flat->str, ' ');
  g_string_free (flat, TRUE);
  for (guint i = 0; i < pairs->len; i++)
    {
      gchar *t = pairs->pdata[i];
      gchar *eq = strchr (t, '=');
      if (eq == NULL)
        continue;
      for (gchar *k = t; k < eq; k++)
        *k = g_ascii_tolower (*k);
      gchar *v = eq + 1;
      gsize vl = strlen (v);
      if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
        {
          memmove (v, v + 1, vl - 2);
          v[vl - 2] = '\0';
        }
    }
  return pairs;
}

static const gchar *
pair_value (GPtrArray *pairs, const gchar *key)
{
  gsize kl = strlen (key);
  for (guint i = 0; i < pairs->len; i++)
    {
      const gchar *t = pairs->pdata[i];
      if (strncmp (t, key, kl) == 0 && t[kl] == '=')
        return t + kl + 1;
    }
  return NULL;
}

static gboolean
domain_matches (const gchar *value, const gchar *domain)
{
  if (value == NULL || domain == NULL)
    return FALSE;
  const gchar *at = strrchr (value, '@');
  const gchar *d = at != NULL ? at + 1 : value;
  return *d != '\0' && g_ascii_strcasecmp (d, domain) == 0;
}

gboolean
shr_approve_auth_results_pass (const gchar *value, const gchar *authserv_id, const gchar *domain,
                               gboolean *from_trusted)
{
  if (from_trusted != NULL)
    *from_trusted = FALSE;
  if (value == NULL)
    return FALSE;
  g_autofree gchar *clean = strip_comments (value);
  g_autoptr (GPtrArray) parts = split_unquoted (clean, ';');
  if (parts->len == 0)
    return FALSE;
  /* authserv-id, then an optional version number. */
  const gchar *head = parts->pdata[0];
  gsize idl = strcspn (head, " \t");
  if (authserv_id == NULL || idl != strlen (authserv_id) || g_ascii_strncasecmp (head, authserv_id, idl) != 0)
    return FALSE;
  if (from_trusted != NULL)
    *from_trusted = TRUE;
  for (guint i = 1; i < parts->len; i++)
    {
      g_autoptr (GPtrArray) pairs = resinfo_pairs (parts->pdata[i]);
      if (pairs->len == 0)
        continue;
      /* method[/version]=result comes first. */
      g_autofree gchar *first = g_ascii_strdown (pairs->pdata[0], -1);
      gchar *slash = strchr (first, '/');
      gchar *eq = strchr (first, '=');
      if (eq == NULL)
        continue;
      if (slash != NULL && slash < eq)
        memmove (slash, eq, strlen (eq) + 1);
      if (g_str_equal (first, "dkim=pass"))
        {
          if (domain_matches (pair_value (pairs, "header.d"), domain)
              || domain_matches (pair_value (pairs, "header.i"), domain))
            return TRUE;
        }
      else if (g_str_equal (first, "spf=pass"))
        {
          if (domain_matches (pair_value (pairs, "smtp.mailfrom"), domain))
            return TRUE;
        }
    }
  return FALSE;
}

/* ---- verification ------------------------------------------------------------------ */

const gchar *
shr_reply_verdict_to_string (ShrReplyVerdict verdict)
{
  static const gchar *const names[] = {
    "accept",       "automatic",   "not-approver", "no-reference", "wrong-token",
    "auth-missing", "auth-failed", "not-pending",  "expired",
  };
  g_return_val_if_fail ((guint)verdict < G_N_ELEMENTS (names), NULL);
  return names[verdict];
}

static gchar *
strip_brackets (const gchar *id)
{
  if (id == NULL)
    return NULL;
  gsize n = strlen (id);
  if (n >= 2 && id[0] == '<' && id[n - 1] == '>')
    return g_strndup (id + 1, n - 2);
  return g_strdup (id);
}

static ShrReplyVerdict verdict (ShrReplyVerdict v, gchar **message, const gchar *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static ShrReplyVerdict
verdict (ShrReplyVerdict v, gchar **message, const gchar *fmt, ...)
{
  if (message != NULL)
    {
      va_list ap;
      va_start (ap, fmt);
      *message = g_strdup_vprintf (fmt, ap);
      va_end (ap);
    }
  return v;
}

ShrReplyVerdict
shr_approve_verify (const ShrReply *reply, const ShrApprovalConfig *config, const ShrDraftRef *draft,
                    gint64 now, gchar **message)
{
  g_return_val_if_fail (reply != NULL, SHR_REPLY_NO_REFERENCE);
  g_return_val_if_fail (config != NULL, SHR_REPLY_NO_REFERENCE);
  g_return_val_if_fail (draft != NULL, SHR_REPLY_NO_REFERENCE);
  if (message != NULL)
    *message = NULL;
  const gchar *from = reply->from != NULL ? reply->from : "";

  /* Automatic replies first: they are never answered, even from an
   * approver (an out-of-office must not start a mail loop). */
  if (reply->automatic != NULL)
    return verdict (SHR_REPLY_AUTOMATIC, message, "automatic reply from %s (%s)", from, reply->automatic);
  const gchar *ooo = shr_message_out_of_office (reply->subject);
  if (ooo != NULL)
    return verdict (SHR_REPLY_AUTOMATIC, message, "automatic reply from %s (Subject says \"%s\")", from, ooo);

  if (reply->from == NULL)
    return verdict (SHR_REPLY_NOT_APPROVER, message,
                    "a reply from nobody in particular (its From is not one address) counts for nobody");
  if (config->approvers == NULL || !g_strv_contains ((const gchar *const *)config->approvers, from))
    return verdict (SHR_REPLY_NOT_APPROVER, message, "%s is not an approver", from);

  g_autofree gchar *draft_mid = strip_brackets (draft->message_id);
  gboolean referenced = FALSE;
  for (guint i = 0; i < reply->refs->len && draft_mid != NULL; i++)
    referenced |= g_str_equal (reply->refs->pdata[i], draft_mid);
  /* A token in the Subject must be the draft's even when the reply's
   * references name the draft: a reply to one draft carrying another's
   * token is ambiguous, and an ambiguous approval must not count. */
  g_autofree gchar *token = shr_approve_subject_token (reply->subject);
  if (!referenced || token != NULL)
    {
      if (token == NULL)
        return draft->id > 0 ? verdict (SHR_REPLY_NO_REFERENCE, message,
                                        "reply from %s refers to draft %" G_GINT64_FORMAT
                                        " neither by In-Reply-To/References nor by its token",
                                        from, draft->id)
                             : verdict (SHR_REPLY_NO_REFERENCE, message,
                                        "reply from %s refers to no draft (no known Message-ID in "
                                        "In-Reply-To/References, no token in the Subject)",
                                        from);
      if (!shr_approve_token_equal (token, draft->token))
        return draft->id > 0 ? verdict (SHR_REPLY_WRONG_TOKEN, message,
                                        "reply from %s carries token %s, not draft %" G_GINT64_FORMAT "'s",
                                        from, token, draft->id)
                             : verdict (SHR_REPLY_WRONG_TOKEN, message,
                                        "reply from %s carries token %s, which is no draft's", from, token);
    }

  if (config->require_auth_results)
    {
      const gchar *at = strrchr (from, '@');
      const gchar *domain = at != NULL ? at + 1 : NULL;
      /* Only the topmost header from our server counts: it is the one
       * our server added; one further down with the same authserv-id came
       * with the message (a forgery our server failed to remove). */
      gboolean any_trusted = FALSE, pass = FALSE;
      for (guint i = 0; i < reply->auth_results->len && !any_trusted; i++)
        pass = shr_approve_auth_results_pass (reply->auth_results->pdata[i], config->trusted_authserv_id,
                                              domain, &any_trusted);
      if (!any_trusted)
        return verdict (SHR_REPLY_AUTH_MISSING, message,
                        "reply from %s has no Authentication-Results from "
                        "the trusted server %s",
                        from,
                        config->trusted_authserv_id != NULL ? config->trusted_authserv_id
                                                            : "(trusted_authserv_id is not set)");
      if (!pass)
        return verdict (SHR_REPLY_AUTH_FAILED, message,
                        "reply from %s: Authentication-Results from %s shows "
                        "no DKIM or SPF pass for %s",
                        from, config->trusted_authserv_id, domain != NULL ? domain : "(no domain)");
    }

  if (g_strcmp0 (draft->status, "pending") != 0)
    return verdict (SHR_REPLY_NOT_PENDING, message, "draft %" G_GINT64_FORMAT " is %s, no longer pending",
                    draft->id, draft->status != NULL ? draft->status : "gone");
  if (config->expire_hours > 0 && now >= draft->created_at + (gint64)config->expire_hours * 3600)
    return verdict (SHR_REPLY_EXPIRED, message, "draft %" G_GINT64_FORMAT " expired (older than %u h)",
                    draft->id, config->expire_hours);
  return verdict (SHR_REPLY_ACCEPT, message, "reply from %s counts for draft %" G_GINT64_FORMAT, from,
                  draft->id);
}

/* ---- the decision ------------------------------------------------------------------ */

const gchar *
shr_decision_outcome_to_string (ShrDecisionOutcome outcome)
{
  static const gchar *const names[]
      = { "recorded", "approved", "rejected", "held", "replay", "not-pending", "restarted", "edit-conflict" };
  g_return_val_if_fail ((guint)outcome < G_N_ELEMENTS (names), NULL);
  return names[outcome];
}

typedef struct
{
  gint64 draft_id;
  const gchar *approver;
  ShrCommand command;
  const gchar *reason;
  const gchar *reply_message_id;
  const gchar *edited;
  guint quorum;
  ShrDecidedFunc on_decided;
  gpointer on_decided_data;
  ShrDecisionOutcome outcome;
} Decide;

static gboolean decide_step (ShrStore *store, Decide *d, GError **error);

static gboolean
decide_txn (ShrStore *store, gpointer data, GError **error)
{
  Decide *d = data;
  if (!decide_step (store, d, error))
    return FALSE;
  gboolean decided = d->outcome == SHR_DECISION_APPROVED || d->outcome == SHR_DECISION_REJECTED
                     || d->outcome == SHR_DECISION_RECORDED || d->outcome == SHR_DECISION_HELD
                     || d->outcome == SHR_DECISION_RESTARTED;
  return !decided || d->on_decided == NULL
         || d->on_decided (store, d->outcome, d->command == SHR_COMMAND_REJECT ? d->reason : NULL,
                           d->on_decided_data, error);
}

/* An approval, as drafted (d->edited NULL) or with edits: approvals must
 * agree on the text (shr_approve_decide_edited). */
static gboolean
approve_step (ShrStore *store, Decide *d, GError **error)
{
  g_autoptr (ShrStoreDraft) draft = shr_store_draft_get (store, d->draft_id, error);
  if (draft == NULL)
    return FALSE;
  gboolean restarted = FALSE;
  if (g_strcmp0 (draft->edited, d->edited) != 0)
    {
      gint64 others = 0, approvals = 0;
      if (!shr_store_approvals_of_others (store, d->draft_id, d->approver, &others, error)
          || !shr_store_count_approvals (store, d->draft_id, &approvals, error))
        return FALSE;
      /* Another text than the one approved so far: an edit replaces
       * approvals as drafted (the count starts again) and the approver's
       * own earlier edit; never another approver's edit, and an approval
       * as drafted never replaces an edit. */
      if (d->edited == NULL || (draft->edited != NULL && others > 0))
        {
          d->outcome = SHR_DECISION_EDIT_CONFLICT;
          return TRUE;
        }
      restarted = draft->edited == NULL && approvals > 0;
      if (!shr_store_approvals_drop (store, d->draft_id, error)
          || !shr_store_draft_set_edited (store, d->draft_id, d->edited, error))
        return FALSE;
    }
  gboolean applied = FALSE;
  if (!shr_store_add_approval (store, d->draft_id, d->approver, d->edited, d->reply_message_id, &applied,
                               error))
    return FALSE;
  if (!applied)
    {
      d->outcome = SHR_DECISION_REPLAY;
      return TRUE;
    }
  gint64 approvals = 0;
  if (!shr_store_count_approvals (store, d->draft_id, &approvals, error))
    return FALSE;
  if (approvals < (gint64)MAX (d->quorum, 1))
    {
      d->outcome = restarted ? SHR_DECISION_RESTARTED : SHR_DECISION_RECORDED;
      return TRUE;
    }
  d->outcome = SHR_DECISION_APPROVED;
  return shr_store_draft_set_status (store, d->draft_id, "approved", error);
}

static gboolean
decide_step (ShrStore *store, Decide *d, GError **error)
{
  g_autofree gchar *status = NULL;
  if (!shr_store_draft_get_status (store, d->draft_id, &status, error))
    return FALSE;
  if (!g_str_equal (status, "pending"))
    {
      d->outcome = SHR_DECISION_NOT_PENDING;
      return TRUE;
    }
  if (d->command == SHR_COMMAND_HOLD)
    {
      d->outcome = SHR_DECISION_HELD;
      return TRUE;
    }
  if (d->command == SHR_COMMAND_APPROVE || d->command == SHR_COMMAND_APPROVE_EDITED)
    return approve_step (store, d, error);
  gboolean approve = FALSE;
  gboolean applied = FALSE;
  if (!shr_store_add_decision (store, d->draft_id, d->approver, approve ? "approve" : "reject", d->reason,
                               d->reply_message_id, &applied, error))
    return FALSE;
  if (!applied && !approve)
    {
      /* An approver who approved (the quorum not yet reached) and now
       * rejects: one rejection drops the draft, theirs included. */
      if (!shr_store_decision_withdraw (store, d->draft_id, d->approver, d->reason, d->reply_message_id,
                                        &applied, error))
        return FALSE;
    }
  if (!applied)
    {
      d->outcome = SHR_DECISION_REPLAY;
      return TRUE;
    }
  if (!approve)
    {
      d->outcome = SHR_DECISION_REJECTED;
      return shr_store_draft_set_status (store, d->draft_id, "rejected", error);
    }
  gint64 approvals = 0;
  if (!shr_store_count_approvals (store, d->draft_id, &approvals, error))
    return FALSE;
  if (approvals < (gint64)MAX (d->quorum, 1))
    {
      d->outcome = SHR_DECISION_RECORDED;
      return TRUE;
    }
  d->outcome = SHR_DECISION_APPROVED;
  return shr_store_draft_set_status (store, d->draft_id, "approved", error);
}

gboolean
shr_approve_decide (ShrStore *store, gint64 draft_id, const gchar *approver, ShrCommand command,
                    const gchar *reason, const gchar *reply_message_id, guint quorum,
                    ShrDecidedFunc on_decided, gpointer on_decided_data, ShrDecisionOutcome *outcome,
                    GError **error)
{
  return shr_approve_decide_edited (store, draft_id, approver, command, reason, NULL, reply_message_id,
                                    quorum, on_decided, on_decided_data, outcome, error);
}

gboolean
shr_approve_decide_edited (ShrStore *store, gint64 draft_id, const gchar *approver, ShrCommand command,
                           const gchar *reason, const gchar *edited, const gchar *reply_message_id,
                           guint quorum, ShrDecidedFunc on_decided, gpointer on_decided_data,
                           ShrDecisionOutcome *outcome, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (approver != NULL, FALSE);
  g_return_val_if_fail (command != SHR_COMMAND_NONE, FALSE);
  g_return_val_if_fail ((command == SHR_COMMAND_APPROVE_EDITED) == (edited != NULL), FALSE);
  g_return_val_if_fail (!shr_store_in_transaction (store), FALSE);
  Decide d = { draft_id, approver, command,    reason,          reply_message_id,
               edited,   quorum,   on_decided, on_decided_data, SHR_DECISION_NOT_PENDING };
  if (!shr_store_transaction (store, decide_txn, &d, error))
    return FALSE;
  if (outcome != NULL)
    *outcome = d.outcome;
  return TRUE;
}

/* ---- store glue --------------------------------------------------------------------- */

void
shr_draft_ref_from_store (const ShrStoreDraft *draft, ShrDraftRef *ref)
{
  g_return_if_fail (draft != NULL && ref != NULL);
  ref->id = draft->id;
  ref->message_id = draft->message_id;
  ref->token = draft->token;
  ref->status = draft->status;
  ref->created_at = draft->created_at;
}

typedef struct
{
  gint64 before;
  GArray *ids;
} Expire;

static gboolean
expire_txn (ShrStore *store, gpointer data, GError **error)
{
  Expire *e = data;
  if (!shr_store_drafts_pending (store, e->before, FALSE, &e->ids, error))
    return FALSE;
  for (guint i = 0; i < e->ids->len; i++)
    if (!shr_store_draft_set_status (store, g_array_index (e->ids, gint64, i), "expired", error))
      return FALSE;
  return TRUE;
}

gboolean
shr_approve_expire (ShrStore *store, gint64 now, guint expire_hours, GArray **expired, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (expire_hours > 0, FALSE);
  Expire e = { now - (gint64)expire_hours * 3600, NULL };
  if (!shr_store_transaction (store, expire_txn, &e, error))
    {
      g_clear_pointer (&e.ids, g_array_unref);
      return FALSE;
    }
  if (expired != NULL)
    *expired = e.ids;
  else
    g_array_unref (e.ids);
  return TRUE;
}

/* ---- a reply, start to end ------------------------------------------------------- */

void
shr_reply_result_clear (ShrReplyResult *result)
{
  if (result == NULL)
    return;
  g_free (result->reason);
  g_free (result->message);
  g_free (result->edit_problem);
  memset (result, 0, sizeof *result);
}

gboolean
shr_approve_handle_reply (ShrStore *store, const ShrApprovalConfig *config, const ShrReply *reply, gint64 now,
                          ShrDecidedFunc on_decided, gpointer on_decided_data, ShrReplyResult *result,
                          GError **error)
{
  g_return_val_if_fail (store != NULL && config != NULL && reply != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  memset (result, 0, sizeof *result);

  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  for (guint i = 0; i < reply->refs->len; i++)
    g_ptr_array_add (ids, reply->refs->pdata[i]);
  g_ptr_array_add (ids, NULL);
  g_autofree gchar *token = shr_approve_subject_token (reply->subject);
  if (!shr_store_draft_find (store, (const gchar *const *)ids->pdata, token, &result->draft_id, error))
    return FALSE;

  g_autoptr (ShrStoreDraft) draft = NULL;
  ShrDraftRef ref = { 0, NULL, NULL, "pending", now };
  if (result->draft_id != 0)
    {
      draft = shr_store_draft_get (store, result->draft_id, error);
      if (draft == NULL)
        return FALSE;
      shr_draft_ref_from_store (draft, &ref);
    }
  /* No draft found: the same checks in the same order still tell a
   * stranger or an auto-reply (not answered) from an approver whose reply
   * has no usable reference (answered). */
  result->verdict = shr_approve_verify (reply, config, &ref, now, &result->message);
  result->answer = result->verdict != SHR_REPLY_AUTOMATIC && result->verdict != SHR_REPLY_NOT_APPROVER;
  if (result->verdict != SHR_REPLY_ACCEPT)
    return TRUE;

  result->command = shr_approve_parse_command (reply->body, &result->reason);
  if (result->command == SHR_COMMAND_NONE)
    {
      g_free (result->message);
      result->message
          = g_strdup_printf ("reply from %s to draft %" G_GINT64_FORMAT " has no command in its first line",
                             reply->from, result->draft_id);
      return TRUE;
    }
  g_autofree gchar *edited = NULL;
  if (result->command == SHR_COMMAND_APPROVE_EDITED)
    {
      g_autoptr (GError) problem = NULL;
      g_autoptr (ShrEdit) drafted = shr_edit_drafted (draft->body);
      g_autoptr (ShrEdit) edit = shr_edit_parse (reply->body, &problem);
      if (edit != NULL && !shr_edit_check (edit, drafted, &problem))
        g_clear_pointer (&edit, shr_edit_free);
      if (edit == NULL)
        {
          result->edit_problem = g_strdup (problem->message);
          g_free (result->message);
          result->message = g_strdup_printf ("approval with edits from %s on draft %" G_GINT64_FORMAT
                                             " decides nothing: %s",
                                             reply->from, result->draft_id, problem->message);
          return TRUE;
        }
      edited = shr_edit_to_json (edit);
    }
  if (!shr_approve_decide_edited (store, result->draft_id, reply->from, result->command, result->reason,
                                  edited, reply->message_id, config->quorum, on_decided, on_decided_data,
                                  &result->outcome, error))
    return FALSE;
  result->decided = TRUE;
  g_free (result->message);
  result->message = g_strdup_printf ("%s from %s on draft %" G_GINT64_FORMAT ": %s",
                                     shr_command_to_string (result->command), reply->from, result->draft_id,
                                     shr_decision_outcome_to_string (result->outcome));
  return TRUE;
}
