/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-send.c — SMTP through libcurl (the only file that includes curl).
 *
 * Per-recipient outcomes. libcurl gives one result per transfer, and by
 * default fails the whole transaction as soon as one RCPT is refused, so
 * nobody gets the message. We set CURLOPT_MAIL_RCPT_ALLOWFAILS (7.69+):
 * refused recipients are skipped and the others get the message. To know
 * which ones were refused we read the protocol itself through
 * CURLOPT_DEBUGFUNCTION: libcurl's SMTP state machine sends one RCPT TO at
 * a time and waits for its reply before the next (it does not pipeline),
 * so each reply line that follows a "RCPT TO:<x>" we saw go out is x's
 * answer. This is exact, needs no second transaction (re-sending to each
 * recipient separately after a batch failure would deliver twice to those
 * who already accepted it), and the reply line it yields is the server's
 * own text, which we keep in the outcome. A recipient for which no reply
 * was seen (which libcurl's sequential RCPT loop cannot produce) counts
 * as temporary: retrying is the safe side of not knowing.
 *
 * The debug callback sees the AUTH command with the credentials: it never
 * stores outgoing lines other than MAIL/RCPT/DATA, and never prints
 * anything. */
#include "shr-send.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>

#include "shr-net.h"
#include "shr-secret.h"

#if LIBCURL_VERSION_NUM >= 0x080200
#define SHR_RCPT_ALLOWFAILS CURLOPT_MAIL_RCPT_ALLOWFAILS
#else
/* Spelled with three L before curl 8.2. */
#define SHR_RCPT_ALLOWFAILS CURLOPT_MAIL_RCPT_ALLLOWFAILS
#endif

typedef enum
{
  PHASE_OTHER,
  PHASE_MAIL,
  PHASE_RCPT,
  PHASE_DATA,     /* DATA sent, waiting for 354 */
  PHASE_DATA_END, /* body sent, waiting for the final reply */
} Phase;

struct _ShrSender
{
  CURL *curl;
  gchar *url;
  gchar *from;
  gchar *secret;                 /* password or token; wiped on free */
  struct curl_slist *connect_to; /* security none: the loopback address checked */
  gboolean reuse;
  guint connections;

  /* Per transaction. */
  GBytes *message;
  gsize offset;
  const gchar *const *recipients;
  guint n_recipients;
  guint *rcpt_code; /* per recipient, 0: no reply seen */
  gchar **rcpt_reply;
  gint current_rcpt; /* index of the last RCPT TO sent, -1 */
  Phase phase;
  guint mail_code, data_code, final_code;
  gchar *mail_reply, *data_reply, *final_reply;
  guint last_code;
  gchar *last_reply;
  GString *line; /* a reply line split over callbacks */
};

const gchar *
shr_send_outcome_to_string (ShrSendOutcome outcome)
{
  static const gchar *const names[] = { "accepted", "temporary", "permanent" };
  g_return_val_if_fail ((guint)outcome < G_N_ELEMENTS (names), NULL);
  return names[outcome];
}

/* ---- config ----------------------------------------------------------------- */

ShrSmtpConfig *
shr_smtp_config_new (void)
{
  return g_new0 (ShrSmtpConfig, 1);
}

void
shr_smtp_config_free (ShrSmtpConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->url);
  g_free (config->ca_file);
  g_free (config->user);
  shr_secret_free (config->password);
  g_free (config->password_file);
  g_free (config->password_command);
  g_free (config->oauth2_token_command);
  g_free (config->from);
  g_free (config);
}

static gchar *
get_opt (GKeyFile *kf, const gchar *key)
{
  g_autofree gchar *v = g_key_file_get_string (kf, "smtp", key, NULL);
  if (v == NULL)
    return NULL;
  g_strstrip (v);
  if (*v == '\0')
    return NULL;
  return g_steal_pointer (&v);
}

/* A path of [smtp], relative to the directory of the config file @path. */
static gchar *
get_path (GKeyFile *kf, const gchar *key, const gchar *path)
{
  g_autofree gchar *v = get_opt (kf, key);
  if (v == NULL || g_path_is_absolute (v) || path == NULL)
    return g_steal_pointer (&v);
  g_autofree gchar *dir = g_path_get_dirname (path);
  return g_build_filename (dir, v, NULL);
}

ShrSmtpConfig *
shr_smtp_config_from_keyfile (GKeyFile *keyfile, const gchar *path, GError **error)
{
  g_return_val_if_fail (keyfile != NULL, NULL);
  const gchar *where = path != NULL ? path : "config";
  g_autoptr (ShrSmtpConfig) c = shr_smtp_config_new ();
  c->url = get_opt (keyfile, "url");
  if (c->url == NULL)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG, "%s: [smtp] url: missing", where);
      return NULL;
    }
  g_autofree gchar *security = get_opt (keyfile, "security");
  if (security != NULL)
    {
      c->security_set = TRUE;
      if (g_str_equal (security, "starttls"))
        c->security = SHR_SMTP_SECURITY_STARTTLS;
      else if (g_str_equal (security, "tls"))
        c->security = SHR_SMTP_SECURITY_TLS;
      else if (g_str_equal (security, "none"))
        c->security = SHR_SMTP_SECURITY_NONE;
      else
        {
          g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                       "%s: [smtp] security: \"%s\" is not starttls, tls or "
                       "none",
                       where, security);
          return NULL;
        }
    }
  c->ca_file = get_path (keyfile, "ca_file", path);
  c->user = get_opt (keyfile, "user");
  c->password = get_opt (keyfile, "password");
  c->password_file = get_path (keyfile, "password_file", path);
  c->password_command = get_opt (keyfile, "password_command");
  c->oauth2_token_command = get_opt (keyfile, "oauth2_token_command");
  c->from = get_opt (keyfile, "from");
  return g_steal_pointer (&c);
}

/* ---- sender ------------------------------------------------------------------ */

static void
ensure_curl_global (void)
{
  static gsize once;
  if (g_once_init_enter (&once))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&once, 1);
    }
}

static void
clear_transaction (ShrSender *s)
{
  g_clear_pointer (&s->message, g_bytes_unref);
  s->offset = 0;
  s->recipients = NULL;
  if (s->rcpt_reply != NULL)
    for (guint i = 0; i < s->n_recipients; i++)
      g_free (s->rcpt_reply[i]);
  g_clear_pointer (&s->rcpt_reply, g_free);
  g_clear_pointer (&s->rcpt_code, g_free);
  s->n_recipients = 0;
  s->current_rcpt = -1;
  s->phase = PHASE_OTHER;
  s->mail_code = s->data_code = s->final_code = s->last_code = 0;
  g_clear_pointer (&s->mail_reply, g_free);
  g_clear_pointer (&s->data_reply, g_free);
  g_clear_pointer (&s->final_reply, g_free);
  g_clear_pointer (&s->last_reply, g_free);
  if (s->line != NULL)
    g_string_truncate (s->line, 0);
}

void
shr_sender_free (ShrSender *sender)
{
  if (sender == NULL)
    return;
  clear_transaction (sender);
  if (sender->curl != NULL)
    curl_easy_cleanup (sender->curl); /* sends QUIT */
  g_free (sender->url);
  g_free (sender->from);
  shr_secret_free (sender->secret);
  curl_slist_free_all (sender->connect_to);
  if (sender->line != NULL)
    g_string_free (sender->line, TRUE);
  g_free (sender);
}

const gchar *
shr_sender_get_from (ShrSender *sender)
{
  g_return_val_if_fail (sender != NULL, NULL);
  return sender->from;
}

guint
shr_sender_get_connections (ShrSender *sender)
{
  g_return_val_if_fail (sender != NULL, 0);
  return sender->connections;
}

void
shr_sender_set_reuse (ShrSender *sender, gboolean reuse)
{
  g_return_if_fail (sender != NULL);
  sender->reuse = reuse;
  curl_easy_setopt (sender->curl, CURLOPT_FORBID_REUSE, reuse ? 0L : 1L);
}

/* Cuts @text to SHR_MAX_SMTP_REPLY_BYTES at a character boundary. */
static gchar *
reply_dup (const gchar *text, gsize len)
{
  while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == '\n'))
    len--;
  if (len <= SHR_MAX_SMTP_REPLY_BYTES)
    {
      gchar *s = g_strndup (text, len);
      /* The server's text is not trusted to be UTF-8. */
      if (!g_utf8_validate (s, -1, NULL))
        {
          gchar *v = g_utf8_make_valid (s, -1);
          g_free (s);
          return v;
        }
      return s;
    }
  g_autofree gchar *cut = g_utf8_make_valid (text, SHR_MAX_SMTP_REPLY_BYTES);
  const gchar *end = cut + strlen (cut);
  end = g_utf8_find_prev_char (cut, end);
  if (end == NULL)
    end = cut;
  return g_strdup_printf ("%.*s…", (int)(end - cut), cut);
}

/* One complete reply line from the server. Continuation lines ("250-…")
 * only update the last reply; the final line ("250 …") decides. */
static void
on_reply_line (ShrSender *s, const gchar *line, gsize len)
{
  if (len < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]))
    return;
  guint code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  g_free (s->last_reply);
  s->last_reply = reply_dup (line, len);
  s->last_code = code;
  if (len > 3 && line[3] == '-')
    return;
  switch (s->phase)
    {
    case PHASE_MAIL:
      s->mail_code = code;
      g_free (s->mail_reply);
      s->mail_reply = g_strdup (s->last_reply);
      s->phase = PHASE_OTHER;
      break;
    case PHASE_RCPT:
      if (s->current_rcpt >= 0)
        {
          s->rcpt_code[s->current_rcpt] = code;
          g_free (s->rcpt_reply[s->current_rcpt]);
          s->rcpt_reply[s->current_rcpt] = g_strdup (s->last_reply);
        }
      s->phase = PHASE_OTHER;
      break;
    case PHASE_DATA:
      s->data_code = code;
      g_free (s->data_reply);
      s->data_reply = g_strdup (s->last_reply);
      s->phase = code == 354 ? PHASE_DATA_END : PHASE_OTHER;
      break;
    case PHASE_DATA_END:
      s->final_code = code;
      g_free (s->final_reply);
      s->final_reply = g_strdup (s->last_reply);
      s->phase = PHASE_OTHER;
      break;
    case PHASE_OTHER:
      break;
    }
}

/* The address inside "RCPT TO:<addr>…" matched against our recipients
 * (the first one not yet answered, so a duplicate address works too). */
static void
on_rcpt_command (ShrSender *s, const gchar *cmd, gsize len)
{
  s->current_rcpt = -1;
  const gchar *lt = memchr (cmd, '<', len);
  if (lt == NULL)
    return;
  const gchar *gt = memchr (lt, '>', len - (lt - cmd));
  if (gt == NULL)
    return;
  gsize n = gt - lt - 1;
  for (guint i = 0; i < s->n_recipients; i++)
    {
      if (s->rcpt_code[i] == 0 && strlen (s->recipients[i]) == n
          && g_ascii_strncasecmp (s->recipients[i], lt + 1, n) == 0)
        {
          s->current_rcpt = i;
          return;
        }
    }
}

static int
debug_cb (CURL *handle, curl_infotype type, char *data, size_t size, void *user)
{
  (void)handle;
  ShrSender *s = user;
  if (type == CURLINFO_HEADER_OUT)
    {
      /* Only the verb is looked at: AUTH lines carry the secret. */
      if (size >= 10 && g_ascii_strncasecmp (data, "MAIL FROM:", 10) == 0)
        s->phase = PHASE_MAIL;
      else if (size >= 8 && g_ascii_strncasecmp (data, "RCPT TO:", 8) == 0)
        {
          s->phase = PHASE_RCPT;
          on_rcpt_command (s, data, size);
        }
      else if (size >= 4 && g_ascii_strncasecmp (data, "DATA", 4) == 0)
        s->phase = PHASE_DATA;
      else
        s->phase = PHASE_OTHER;
    }
  else if (type == CURLINFO_HEADER_IN)
    {
      /* Replies may come split or several per call: assemble lines. */
      for (size_t i = 0; i < size; i++)
        {
          if (data[i] == '\n')
            {
              on_reply_line (s, s->line->str, s->line->len);
              g_string_truncate (s->line, 0);
            }
          else if (s->line->len < 4 * SHR_MAX_SMTP_REPLY_BYTES)
            g_string_append_c (s->line, data[i]);
        }
    }
  return 0;
}

static size_t
read_cb (char *buffer, size_t size, size_t nitems, void *user)
{
  ShrSender *s = user;
  gsize len;
  const guint8 *data = g_bytes_get_data (s->message, &len);
  gsize n = MIN (size * nitems, len - s->offset);
  memcpy (buffer, data + s->offset, n);
  s->offset += n;
  return n;
}

static int
sockopt_cb (void *user, curl_socket_t fd, curlsocktype purpose)
{
  (void)fd;
  (void)purpose;
  ShrSender *s = user;
  s->connections++;
  return CURL_SOCKOPT_OK;
}

/* (transfer full) The host of @url, or NULL when it cannot be parsed. */
static gchar *
url_host (const gchar *url)
{
  ensure_curl_global ();
  CURLU *u = curl_url ();
  gchar *host = NULL;
  char *h = NULL;
  if (curl_url_set (u, CURLUPART_URL, url, 0) == CURLUE_OK
      && curl_url_get (u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
    {
      host = g_strdup (h);
      curl_free (h);
    }
  curl_url_cleanup (u);
  return host;
}

gboolean
shr_smtp_config_check (const ShrSmtpConfig *config, const gchar **bad_key, GError **error)
{
  g_return_val_if_fail (config != NULL, FALSE);
  const gchar *ignored;
  if (bad_key == NULL)
    bad_key = &ignored;
  *bad_key = "url";
  const gchar *url = config->url;
  if (url == NULL)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG, "[smtp] url: missing");
      return FALSE;
    }
  gboolean smtps = g_ascii_strncasecmp (url, "smtps://", 8) == 0;
  if (!smtps && g_ascii_strncasecmp (url, "smtp://", 7) != 0)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] url: \"%s\" is not smtp:// or smtps://", url);
      return FALSE;
    }
  ShrSmtpSecurity security = config->security_set
                                 ? config->security
                                 : (smtps ? SHR_SMTP_SECURITY_TLS : SHR_SMTP_SECURITY_STARTTLS);
  if (smtps != (security == SHR_SMTP_SECURITY_TLS))
    {
      *bad_key = "security";
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] security = %s does not fit the url %s (tls "
                   "needs smtps://, starttls and none need smtp://)",
                   security == SHR_SMTP_SECURITY_TLS        ? "tls"
                   : security == SHR_SMTP_SECURITY_STARTTLS ? "starttls"
                                                            : "none",
                   url);
      return FALSE;
    }

  g_autofree gchar *host = url_host (url);
  if (host == NULL)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG, "[smtp] url: cannot parse \"%s\"", url);
      return FALSE;
    }
  /* Clear text would carry the password and the notices over the
   * network; only a local relay may be spoken to that way (shr-net.h). */
  g_autofree gchar *loopback = security == SHR_SMTP_SECURITY_NONE ? shr_net_loopback_address (host) : NULL;
  if (security == SHR_SMTP_SECURITY_NONE && loopback == NULL)
    {
      *bad_key = "security";
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] security = none is only allowed towards a "
                   "loopback address (127.0.0.1, ::1, or a name that resolves "
                   "only to loopback addresses), not %s; use starttls or tls",
                   host);
      return FALSE;
    }

  /* The second source given is the one at fault. */
  const gchar *const keys[] = { "password", "password_file", "password_command", "oauth2_token_command" };
  const gchar *const values[]
      = { config->password, config->password_file, config->password_command, config->oauth2_token_command };
  guint secrets = 0;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (values[i] != NULL && ++secrets == 2)
      *bad_key = keys[i];
  if (secrets > 1)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] give only one of password, password_file, "
                   "password_command, oauth2_token_command");
      return FALSE;
    }
  if (secrets == 1 && config->user == NULL)
    {
      *bad_key = "user";
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] user: missing (a password or token is set)");
      return FALSE;
    }
  *bad_key = NULL;
  return TRUE;
}

ShrSender *
shr_sender_new (const ShrSmtpConfig *config, GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->url != NULL, NULL);

  ensure_curl_global ();
  if (!shr_smtp_config_check (config, NULL, error))
    return NULL;
  guint secrets = (config->password != NULL) + (config->password_file != NULL)
                  + (config->password_command != NULL) + (config->oauth2_token_command != NULL);
  gboolean clear_text = config->security_set && config->security == SHR_SMTP_SECURITY_NONE;
  /* The connection goes to the loopback address checked here, never to
   * the name resolved again by curl (shr-net.h). */
  g_autofree gchar *host = url_host (config->url);
  g_autofree gchar *loopback = clear_text ? shr_net_loopback_address (host) : NULL;
  if (clear_text && loopback == NULL)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] security = none: %s no longer resolves only to loopback addresses", host);
      return NULL;
    }

  g_autoptr (ShrSender) s = g_new0 (ShrSender, 1);
  s->url = g_strdup (config->url);
  s->from = g_strdup (config->from);
  s->reuse = TRUE;
  s->current_rcpt = -1;
  s->line = g_string_new (NULL);
  gboolean oauth = FALSE;
  if (config->password != NULL)
    s->secret = g_strdup (config->password);
  else if (config->password_file != NULL)
    s->secret = shr_secret_from_file ("smtp", config->password_file, SHR_SEND_ERROR,
                                      SHR_SEND_ERROR_CREDENTIALS, error);
  else if (config->password_command != NULL)
    s->secret = shr_secret_from_command ("smtp", "password_command", config->password_command, SHR_SEND_ERROR,
                                         SHR_SEND_ERROR_CREDENTIALS, error);
  else if (config->oauth2_token_command != NULL)
    {
      s->secret = shr_secret_from_command ("smtp", "oauth2_token_command", config->oauth2_token_command,
                                           SHR_SEND_ERROR, SHR_SEND_ERROR_CREDENTIALS, error);
      oauth = TRUE;
    }
  if (secrets == 1 && s->secret == NULL)
    return NULL;

  s->curl = curl_easy_init ();
  if (s->curl == NULL)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG, "cannot initialise libcurl");
      return NULL;
    }
  CURL *c = s->curl;
  long timeout = config->timeout_seconds > 0 ? config->timeout_seconds : 60;
  curl_easy_setopt (c, CURLOPT_URL, config->url);
  if (loopback != NULL)
    {
      /* To the address that was checked, not to the name resolved again. */
      g_autofree gchar *pin = strchr (loopback, ':') != NULL ? g_strdup_printf ("%s::[%s]:", host, loopback)
                                                             : g_strdup_printf ("%s::%s:", host, loopback);
      s->connect_to = curl_slist_append (NULL, pin);
      curl_easy_setopt (c, CURLOPT_CONNECT_TO, s->connect_to);
    }
  curl_easy_setopt (c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt (c, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
  /* A stalled transfer (server gone silent mid-DATA) ends too. */
  curl_easy_setopt (c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (c, CURLOPT_LOW_SPEED_TIME, timeout);
  curl_easy_setopt (c, CURLOPT_USE_SSL, clear_text ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
  /* GnuTLS would load the whole CA directory on each new connection
   * (25 ms CPU); the CA file alone is enough. */
  curl_easy_setopt (c, CURLOPT_CAPATH, NULL);
  if (config->ca_file != NULL)
    curl_easy_setopt (c, CURLOPT_CAINFO, config->ca_file);
  if (config->user != NULL)
    curl_easy_setopt (c, CURLOPT_USERNAME, config->user);
  if (s->secret != NULL)
    {
      if (oauth)
        curl_easy_setopt (c, CURLOPT_XOAUTH2_BEARER, s->secret);
      else
        curl_easy_setopt (c, CURLOPT_PASSWORD, s->secret);
    }
  curl_easy_setopt (c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (c, CURLOPT_READDATA, s);
  curl_easy_setopt (c, CURLOPT_SOCKOPTFUNCTION, sockopt_cb);
  curl_easy_setopt (c, CURLOPT_SOCKOPTDATA, s);
  /* The debug stream is where the per-recipient replies are read (see the
   * top of this file); nothing is printed. */
  curl_easy_setopt (c, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (c, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (c, CURLOPT_DEBUGDATA, s);
  curl_easy_setopt (c, SHR_RCPT_ALLOWFAILS, 1L);
  return g_steal_pointer (&s);
}

void
shr_send_result_free (ShrSendResult *result)
{
  if (result == NULL)
    return;
  g_free (result->recipient);
  g_free (result->reply);
  g_free (result);
}

static ShrSendOutcome
outcome_of_code (guint code)
{
  if (code >= 200 && code < 400)
    return SHR_SEND_ACCEPTED;
  return code >= 500 ? SHR_SEND_PERMANENT : SHR_SEND_TEMPORARY;
}

/* SMTP wants CRLF; a message composed with bare LF is fixed here rather
 * than sent as bare LF, which some servers refuse (and Postfix rewrites). */
static GBytes *
to_crlf (GBytes *message)
{
  gsize len;
  const gchar *data = g_bytes_get_data (message, &len);
  gboolean bare = FALSE;
  for (gsize i = 0; i < len && !bare; i++)
    bare = data[i] == '\n' && (i == 0 || data[i - 1] != '\r');
  if (!bare)
    return g_bytes_ref (message);
  GString *out = g_string_sized_new (len + len / 32 + 2);
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }
  return g_string_free_to_bytes (out);
}

static void
fill_all (GPtrArray *results, ShrSendOutcome outcome, guint code, const gchar *reply)
{
  for (guint i = 0; i < results->len; i++)
    {
      ShrSendResult *r = results->pdata[i];
      r->outcome = outcome;
      r->code = code;
      g_free (r->reply);
      r->reply = g_strdup (reply);
    }
}

gboolean
shr_sender_send (ShrSender *sender, const gchar *envelope_from, const gchar *const *recipients,
                 GBytes *message, GPtrArray **results, GError **error)
{
  g_return_val_if_fail (sender != NULL, FALSE);
  g_return_val_if_fail (recipients != NULL && recipients[0] != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  ShrSender *s = sender;
  g_autoptr (GPtrArray) res = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_send_result_free);
  guint n = g_strv_length ((gchar **)recipients);
  for (guint i = 0; i < n; i++)
    {
      ShrSendResult *r = g_new0 (ShrSendResult, 1);
      r->recipient = g_strdup (recipients[i]);
      r->outcome = SHR_SEND_TEMPORARY;
      g_ptr_array_add (res, r);
    }

  const gchar *from = envelope_from != NULL ? envelope_from : s->from;
  if (from == NULL)
    {
      fill_all (res, SHR_SEND_TEMPORARY, 0, "no sender address");
      *results = g_steal_pointer (&res);
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG,
                   "[smtp] from: missing (the envelope sender)");
      return FALSE;
    }

  clear_transaction (s);
  s->message = to_crlf (message);
  s->recipients = recipients;
  s->n_recipients = n;
  s->rcpt_code = g_new0 (guint, n);
  s->rcpt_reply = g_new0 (gchar *, n);

  g_autofree gchar *mail_from = g_strdup_printf ("<%s>", from);
  struct curl_slist *rcpt = NULL;
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *a = g_strdup_printf ("<%s>", recipients[i]);
      rcpt = curl_slist_append (rcpt, a);
    }
  curl_easy_setopt (s->curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (s->curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)g_bytes_get_size (s->message));

  guint connections_before = s->connections;
  CURLcode rc = curl_easy_perform (s->curl);
  /* A kept connection the server has since dropped (its idle timeout, a
   * restart) fails before MAIL FROM was answered: nothing was sent, so one
   * more try on a new connection is safe. */
  if (rc != CURLE_OK && s->connections == connections_before && connections_before > 0 && s->mail_code == 0)
    {
      GBytes *keep = g_bytes_ref (s->message);
      clear_transaction (s);
      s->message = keep;
      s->recipients = recipients;
      s->n_recipients = n;
      s->rcpt_code = g_new0 (guint, n);
      s->rcpt_reply = g_new0 (gchar *, n);
      curl_easy_setopt (s->curl, CURLOPT_FRESH_CONNECT, 1L);
      rc = curl_easy_perform (s->curl);
    }
  curl_easy_setopt (s->curl, CURLOPT_MAIL_RCPT, NULL);
  curl_slist_free_all (rcpt);

  /* Per recipient, from what the debug stream showed. */
  guint accepted = 0, answered = 0;
  for (guint i = 0; i < n; i++)
    {
      ShrSendResult *r = res->pdata[i];
      if (s->rcpt_code[i] == 0)
        {
          r->outcome = SHR_SEND_TEMPORARY;
          r->reply = g_strdup ("no reply to RCPT TO seen");
          continue;
        }
      answered++;
      r->code = s->rcpt_code[i];
      r->reply = g_strdup (s->rcpt_reply[i]);
      r->outcome = outcome_of_code (r->code);
      accepted += r->outcome == SHR_SEND_ACCEPTED;
    }

  gboolean ok = TRUE;
  if (accepted > 0 && s->final_code != 0)
    {
      /* The end of DATA decides for every recipient that was accepted. */
      ShrSendOutcome o = outcome_of_code (s->final_code);
      for (guint i = 0; i < n; i++)
        {
          ShrSendResult *r = res->pdata[i];
          if (r->outcome != SHR_SEND_ACCEPTED)
            continue;
          r->outcome = o;
          r->code = s->final_code;
          g_free (r->reply);
          r->reply = g_strdup (s->final_reply);
        }
      if (o != SHR_SEND_ACCEPTED)
        {
          ok = FALSE;
          g_set_error (error, SHR_SEND_ERROR,
                       o == SHR_SEND_PERMANENT ? SHR_SEND_ERROR_REFUSED : SHR_SEND_ERROR_TEMPORARY,
                       "%s refused the message after DATA: %s", s->url, s->final_reply);
        }
    }
  else if (rc == CURLE_OK && accepted > 0)
    {
      /* Accepted without a final reply seen: cannot happen with libcurl's
       * state machine; trust curl's success. */
    }
  else if (answered == n && accepted == 0 && s->mail_code >= 200 && s->mail_code < 300)
    {
      /* Every recipient refused: each has its own reply. */
      gboolean all_permanent = TRUE;
      for (guint i = 0; i < n; i++)
        all_permanent &= ((ShrSendResult *)res->pdata[i])->outcome == SHR_SEND_PERMANENT;
      ok = FALSE;
      g_set_error (error, SHR_SEND_ERROR, all_permanent ? SHR_SEND_ERROR_REFUSED : SHR_SEND_ERROR_TEMPORARY,
                   "%s refused every recipient: %s", s->url, ((ShrSendResult *)res->pdata[0])->reply);
    }
  else
    {
      /* The transaction as a whole failed before or during DATA. */
      ok = FALSE;
      ShrSendOutcome o = SHR_SEND_TEMPORARY;
      gint code = SHR_SEND_ERROR_CONNECT;
      g_autofree gchar *why = NULL;
      const gchar *reply = s->last_reply;
      if (rc == CURLE_LOGIN_DENIED)
        {
          code = SHR_SEND_ERROR_AUTH;
          why = g_strdup_printf ("%s: login as the configured user refused%s%s", s->url,
                                 reply != NULL ? ": " : "", reply != NULL ? reply : "");
        }
      /* A refused MAIL FROM or DATA command is about us (the sender, the
       * account), not about this message or its recipients: even a 5xx
       * leaves the messages to retry once the config is fixed, and stops
       * the run instead of failing every message in turn. */
      else if (s->mail_code >= 400)
        {
          code = outcome_of_code (s->mail_code) == SHR_SEND_PERMANENT ? SHR_SEND_ERROR_SENDER
                                                                      : SHR_SEND_ERROR_TEMPORARY;
          reply = s->mail_reply;
          why = g_strdup_printf ("%s refused MAIL FROM:<%s>: %s", s->url, from, reply);
        }
      else if (s->data_code >= 400)
        {
          code = outcome_of_code (s->data_code) == SHR_SEND_PERMANENT ? SHR_SEND_ERROR_SENDER
                                                                      : SHR_SEND_ERROR_TEMPORARY;
          reply = s->data_reply;
          why = g_strdup_printf ("%s refused DATA: %s", s->url, reply);
        }
      else
        why = g_strdup_printf ("%s: %s%s%s", s->url, curl_easy_strerror (rc),
                               reply != NULL ? "; last reply: " : "", reply != NULL ? reply : "");
      fill_all (res, o, reply != NULL ? s->last_code : 0, why);
      g_set_error_literal (error, SHR_SEND_ERROR, code, why);
      /* A connection left in an unknown state is not reused. */
      curl_easy_setopt (s->curl, CURLOPT_FRESH_CONNECT, 1L);
      clear_transaction (s);
      *results = g_steal_pointer (&res);
      return FALSE;
    }
  curl_easy_setopt (s->curl, CURLOPT_FRESH_CONNECT, 0L);
  clear_transaction (s);
  *results = g_steal_pointer (&res);
  return ok;
}
