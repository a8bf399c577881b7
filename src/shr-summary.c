/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-summary.c — see shr-summary.h. */
#include "shr-summary.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shr-limits.h"

/* ---- config ------------------------------------------------------------------ */

void
shr_summary_config_free (ShrSummaryConfig *config)
{
  if (config == NULL)
    return;
  g_strfreev (config->argv);
  g_free (config);
}

ShrSummaryConfig *
shr_summary_config_from_keyfile (GKeyFile *keyfile, const gchar *path, GError **error)
{
  g_return_val_if_fail (keyfile != NULL, NULL);
  g_autofree gchar *command = g_key_file_get_string (keyfile, "summary", "command", NULL);
  if (command == NULL)
    return NULL;
  g_autoptr (ShrSummaryConfig) c = g_new0 (ShrSummaryConfig, 1);
  g_autoptr (GError) local = NULL;
  if (!g_shell_parse_argv (g_strstrip (command), NULL, &c->argv, &local))
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE, "%s: [summary] command: %s",
                   path != NULL ? path : "config", local->message);
      return NULL;
    }
  c->timeout_seconds = SHR_SUMMARY_DEFAULT_TIMEOUT;
  gint t = g_key_file_get_integer (keyfile, "summary", "timeout_seconds", &local);
  if (local == NULL && t > 0)
    c->timeout_seconds = t;
  return g_steal_pointer (&c);
}

/* ---- running the command --------------------------------------------------------- */

gchar *
shr_summary_input (JsonNode *record, const gchar *text)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "record");
  if (record != NULL)
    json_builder_add_value (b, json_node_copy (record));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "text");
  const gchar *t = text != NULL ? text : "";
  gsize len = strlen (t);
  if (len > SHR_MAX_SUMMARY_INPUT_TEXT_BYTES)
    {
      const gchar *end = g_utf8_find_prev_char (t, t + SHR_MAX_SUMMARY_INPUT_TEXT_BYTES + 1);
      len = end != NULL ? (gsize)(end - t) : 0;
    }
  g_autofree gchar *cut = g_strndup (t, len);
  json_builder_add_string_value (b, cut);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* In the child, before exec: a process group of its own, so that a
 * timeout kills what it started too (curl under a shell script). */
static void
child_setup (gpointer data)
{
  (void)data;
  setpgid (0, 0);
}

static void
set_nonblocking (int fd)
{
  int flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags | O_NONBLOCK);
}

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* The first line of @err, for a message (transfer full). */
static gchar *
first_line (GString *err)
{
  g_autofree gchar *valid = g_utf8_make_valid (err->str, err->len);
  gchar *nl = strchr (valid, '\n');
  if (nl != NULL)
    *nl = '\0';
  g_strstrip (valid);
  return *valid != '\0' ? g_strdup_printf (": %.200s", valid) : g_strdup ("");
}

gchar *
shr_summary_run (const ShrSummaryConfig *config, const gchar *input, gsize *length, GError **error)
{
  g_return_val_if_fail (config != NULL && config->argv != NULL && input != NULL, NULL);
  /* Nothing of ours: no configuration, no secret, no variable. */
  const gchar *const envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", NULL };
  GPid pid = 0;
  int in_fd = -1, out_fd = -1, err_fd = -1;
  g_autoptr (GError) local = NULL;
  if (!g_spawn_async_with_pipes_and_fds ("/", (const gchar *const *)config->argv, envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CLOEXEC_PIPES, child_setup, NULL,
                                         -1, -1, -1, NULL, NULL, 0, &pid, &in_fd, &out_fd, &err_fd, &local))
    {
      g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_SPAWN, "cannot run %s: %s", config->argv[0],
                   local->message);
      return NULL;
    }
  set_nonblocking (in_fd);
  set_nonblocking (out_fd);
  set_nonblocking (err_fd);
  /* A command that stops reading must not kill us with SIGPIPE: blocked
   * in this thread while we write, and any one raised taken back. */
  sigset_t pipe_set, old_set;
  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_set, &old_set);

  GString *out = g_string_new (NULL), *err = g_string_new (NULL);
  gsize in_len = strlen (input), written = 0;
  gint64 deadline = now_ms () + (gint64)config->timeout_seconds * 1000;
  gboolean timed_out = FALSE, too_big = FALSE;
  while (out_fd >= 0 || err_fd >= 0)
    {
      struct pollfd fds[3];
      int nfds = 0, i_in = -1, i_out = -1, i_err = -1;
      if (in_fd >= 0)
        fds[i_in = nfds++] = (struct pollfd){ in_fd, POLLOUT, 0 };
      if (out_fd >= 0)
        fds[i_out = nfds++] = (struct pollfd){ out_fd, POLLIN, 0 };
      if (err_fd >= 0)
        fds[i_err = nfds++] = (struct pollfd){ err_fd, POLLIN, 0 };
      gint64 left = deadline - now_ms ();
      if (left <= 0)
        {
          timed_out = TRUE;
          break;
        }
      int rc = poll (fds, nfds, (int)MIN (left, 1000));
      if (rc < 0 && errno != EINTR)
        break;
      if (rc <= 0)
        continue;
      if (i_in >= 0 && fds[i_in].revents != 0)
        {
          ssize_t n = write (in_fd, input + written, in_len - written);
          if (n > 0)
            written += n;
          if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == in_len)
            {
              close (in_fd); /* done, or the command stopped reading */
              in_fd = -1;
            }
        }
      int *fdp[] = { &out_fd, &err_fd };
      int idx[] = { i_out, i_err };
      GString *bufs[] = { out, err };
      for (int k = 0; k < 2; k++)
        {
          if (idx[k] < 0 || fds[idx[k]].revents == 0)
            continue;
          gchar chunk[8192];
          ssize_t n = read (*fdp[k], chunk, sizeof chunk);
          if (n > 0)
            {
              /* stderr: only its start is kept, for the message. */
              if (k == 0 || bufs[k]->len < 4096)
                g_string_append_len (bufs[k], chunk, n);
            }
          else if (n == 0 || (errno != EAGAIN && errno != EINTR))
            {
              close (*fdp[k]);
              *fdp[k] = -1;
            }
        }
      if (out->len > SHR_MAX_SUMMARY_OUTPUT_BYTES)
        {
          too_big = TRUE;
          break;
        }
    }
  for (int *fd_p[] = { &in_fd, &out_fd, &err_fd }, k = 0; k < 3; k++)
    if (*fd_p[k] >= 0)
      close (*fd_p[k]);
  struct timespec zero = { 0, 0 };
  while (sigtimedwait (&pipe_set, NULL, &zero) > 0)
    ;
  pthread_sigmask (SIG_SETMASK, &old_set, NULL);

  /* Its output is closed: it has ended, or ends now. */
  int status = 0;
  gboolean reaped = FALSE;
  while (!timed_out && !too_big && !reaped)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);
      if (r == pid || (r < 0 && errno != EINTR))
        reaped = TRUE;
      else if (now_ms () >= deadline)
        timed_out = TRUE;
      else
        g_usleep (10 * 1000);
    }
  if (!reaped)
    {
      kill (-pid, SIGKILL);
      kill (pid, SIGKILL);
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
    }
  else
    kill (-pid, SIGKILL); /* what it left running in its group */
  g_spawn_close_pid (pid);

  g_autofree gchar *why = first_line (err);
  if (timed_out)
    g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_TIMEOUT, "%s ran past %u s and was stopped",
                 config->argv[0], config->timeout_seconds);
  else if (too_big)
    g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_TOO_BIG,
                 "%s wrote more than %d bytes (the cap on its output)", config->argv[0],
                 SHR_MAX_SUMMARY_OUTPUT_BYTES);
  else if (WIFSIGNALED (status))
    g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_FAILED, "%s was killed by signal %d%s",
                 config->argv[0], WTERMSIG (status), why);
  else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_FAILED, "%s exited with status %d%s",
                 config->argv[0], WIFEXITED (status) ? WEXITSTATUS (status) : -1, why);
  else if (out->len == 0)
    g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_EMPTY, "%s wrote nothing", config->argv[0]);
  else
    {
      g_string_free (err, TRUE);
      if (length != NULL)
        *length = out->len;
      return g_string_free (out, FALSE);
    }
  g_string_free (err, TRUE);
  g_string_free (out, TRUE);
  return NULL;
}

/* ---- the reply ------------------------------------------------------------------- */

void
shr_summary_free (ShrSummary *s)
{
  if (s == NULL)
    return;
  g_free (s->summary_ja);
  g_free (s->summary_en);
  g_free (s->title_ja);
  if (s->steps_ja != NULL)
    g_ptr_array_unref (s->steps_ja);
  if (s->steps_en != NULL)
    g_ptr_array_unref (s->steps_en);
  g_free (s);
}

static gboolean summary_error (GError **error, ShrSummaryError code, const gchar *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
summary_error (GError **error, ShrSummaryError code, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SHR_SUMMARY_ERROR, code, msg);
  return FALSE;
}

/* A text of the reply: a non-empty string, at most the field cap, no
 * control character but a line end. (transfer full) or NULL. */
static gchar *
text_member (JsonNode *node, const gchar *name, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "\"%s\" is not a string", name);
      return NULL;
    }
  g_autofree gchar *s = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*s == '\0')
    {
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "\"%s\" is empty", name);
      return NULL;
    }
  if (strlen (s) > SHR_MAX_SUMMARY_FIELD_BYTES)
    {
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "\"%s\" is longer than %d bytes", name,
                     SHR_MAX_SUMMARY_FIELD_BYTES);
      return NULL;
    }
  for (const gchar *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c != '\n' && (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029))
        {
          summary_error (error, SHR_SUMMARY_ERROR_INVALID, "\"%s\" holds a control character (U+%04X)", name,
                         c);
          return NULL;
        }
    }
  return g_steal_pointer (&s);
}

static GPtrArray *
steps_member (JsonObject *o, const gchar *name, GError **error)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return steps;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_ptr_array_unref (steps);
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "\"%s\" is not a list of strings", name);
      return NULL;
    }
  JsonArray *a = json_node_get_array (node);
  if (json_array_get_length (a) > SHR_MAX_SUMMARY_STEPS)
    {
      g_ptr_array_unref (steps);
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "\"%s\" has more than %d steps", name,
                     SHR_MAX_SUMMARY_STEPS);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree gchar *what = g_strdup_printf ("%s[%u]", name, i);
      gchar *s = text_member (json_array_get_element (a, i), what, error);
      if (s == NULL)
        {
          g_ptr_array_unref (steps);
          return NULL;
        }
      g_ptr_array_add (steps, s);
    }
  return steps;
}

ShrSummary *
shr_summary_parse (const gchar *output, gsize length, GError **error)
{
  if (length > SHR_MAX_SUMMARY_OUTPUT_BYTES)
    {
      g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_TOO_BIG, "the output is larger than %d bytes",
                   SHR_MAX_SUMMARY_OUTPUT_BYTES);
      return NULL;
    }
  g_autofree gchar *text = g_strndup (output != NULL ? output : "", length);
  if (*g_strstrip (text) == '\0')
    {
      g_set_error (error, SHR_SUMMARY_ERROR, SHR_SUMMARY_ERROR_EMPTY, "the output is empty");
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!g_utf8_validate (text, -1, NULL) || !json_parser_load_from_data (parser, text, -1, &local))
    {
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "the output is not JSON (%s)",
                     local != NULL ? local->message : "not UTF-8");
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      summary_error (error, SHR_SUMMARY_ERROR_INVALID, "the output is not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  g_autoptr (ShrSummary) s = g_new0 (ShrSummary, 1);
  if ((s->summary_ja = text_member (json_object_get_member (o, "summary_ja"), "summary_ja", error)) == NULL
      || (s->summary_en = text_member (json_object_get_member (o, "summary_en"), "summary_en", error))
             == NULL)
    return NULL;
  JsonNode *title = json_object_get_member (o, "title_ja");
  if (title != NULL && !JSON_NODE_HOLDS_NULL (title)
      && (s->title_ja = text_member (title, "title_ja", error)) == NULL)
    return NULL;
  if ((s->steps_ja = steps_member (o, "steps_ja", error)) == NULL
      || (s->steps_en = steps_member (o, "steps_en", error)) == NULL)
    return NULL;
  return g_steal_pointer (&s);
}

/* ---- checked against the record -------------------------------------------------- */

static void
add_texts (GString *all, const ShrSummary *s)
{
  g_string_append_printf (all, "%s\n%s\n%s\n", s->summary_ja, s->summary_en,
                          s->title_ja != NULL ? s->title_ja : "");
  for (guint i = 0; i < s->steps_ja->len; i++)
    g_string_append_printf (all, "%s\n", (const gchar *)s->steps_ja->pdata[i]);
  for (guint i = 0; i < s->steps_en->len; i++)
    g_string_append_printf (all, "%s\n", (const gchar *)s->steps_en->pdata[i]);
}

static JsonArray *
array_member (JsonObject *o, const gchar *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const gchar *
string_member (JsonObject *o, const gchar *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

gboolean
shr_summary_check (const ShrSummary *summary, JsonNode *record, const ShrLexicon *lexicon, GError **error)
{
  g_return_val_if_fail (summary != NULL, FALSE);
  JsonObject *r = record != NULL && JSON_NODE_HOLDS_OBJECT (record) ? json_node_get_object (record) : NULL;
  GString *all = g_string_new (NULL);
  add_texts (all, summary);
  /* Full-width digits and letters (ＣＶＥ－２０２６…) are the same ids. */
  g_autofree gchar *text = g_utf8_normalize (all->str, -1, G_NORMALIZE_NFKC);
  g_string_free (all, TRUE);
  g_autofree gchar *record_text = record != NULL ? json_to_string (record, FALSE) : g_strdup ("");

  /* CVE ids: each among the record's. */
  g_autoptr (GHashTable) cves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *rc = array_member (r, "cves");
  for (guint i = 0; rc != NULL && i < json_array_get_length (rc); i++)
    {
      JsonNode *e = json_array_get_element (rc, i);
      const gchar *id = JSON_NODE_HOLDS_OBJECT (e) ? string_member (json_node_get_object (e), "id") : NULL;
      if (id != NULL)
        g_hash_table_add (cves, g_ascii_strup (id, -1));
    }
  g_autoptr (GRegex) cve_re
      = g_regex_new ("CVE[-‐‑–]\\d{4}[-‐‑–]\\d{4,}", G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  for (g_regex_match (cve_re, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      g_autofree gchar *word = g_match_info_fetch (m, 0);
      g_autofree gchar *digits = g_strdup (word + 3);
      gchar *year = digits + strspn (digits, "-‐‑–"); /* past the dash, whatever its width */
      gsize ylen = strspn (year, "0123456789");
      gchar *num = year + ylen;
      num += strspn (num, "-‐‑–");
      g_autofree gchar *id = g_strdup_printf ("CVE-%.*s-%s", (int)ylen, year, num);
      if (!g_hash_table_contains (cves, id))
        return summary_error (error, SHR_SUMMARY_ERROR_UNSUPPORTED, "it names %s, which the record does not",
                              id);
    }
  g_clear_pointer (&m, g_match_info_free);

  /* Versions (digits with dots): each written somewhere in the record,
   * whole (17.9.6 is not 17.9.6a) or as the release line of one written
   * there (17.9 of 17.9.6a). A CVSS score is a number there: its
   * one-decimal form counts too. */
  g_autoptr (GString) known = g_string_new (record_text);
  for (guint i = 0; rc != NULL && i < json_array_get_length (rc); i++)
    {
      JsonNode *e = json_array_get_element (rc, i);
      JsonNode *cvss
          = JSON_NODE_HOLDS_OBJECT (e) ? json_object_get_member (json_node_get_object (e), "cvss") : NULL;
      if (cvss != NULL && JSON_NODE_HOLDS_VALUE (cvss))
        g_string_append_printf (known, " %.1f", json_node_get_double (cvss));
    }
  g_autoptr (GRegex) version_re
      = g_regex_new ("(?<![\\w.])\\d+(?:\\.\\d+)+[A-Za-z]?\\d*(?![\\w.]*\\d)", G_REGEX_OPTIMIZE, 0, NULL);
  for (g_regex_match (version_re, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      g_autofree gchar *v = g_match_info_fetch (m, 0);
      gboolean found = FALSE;
      gsize n = strlen (v);
      for (const gchar *p = strstr (known->str, v); p != NULL && !found; p = strstr (p + 1, v))
        found = (p == known->str || (!g_ascii_isdigit (p[-1]) && p[-1] != '.')) && !g_ascii_isalnum (p[n]);
      if (!found)
        return summary_error (error, SHR_SUMMARY_ERROR_UNSUPPORTED,
                              "it names version %s, which the record does not", v);
    }
  g_clear_pointer (&m, g_match_info_free);

  /* Products the word lists know: each one the record names. */
  if (lexicon != NULL)
    {
      JsonArray *rp = array_member (r, "products");
      g_autoptr (GArray) hits = shr_lexicon_scan (lexicon, SHR_LEXICON_PRODUCT, text);
      for (guint i = 0; i < hits->len; i++)
        {
          const ShrLexiconHit *h = &g_array_index (hits, ShrLexiconHit, i);
          const ShrProductEntry *e = h->entry;
          if (e == NULL || h->needs_vendor)
            continue;
          gboolean found = FALSE;
          for (guint j = 0; rp != NULL && j < json_array_get_length (rp) && !found; j++)
            {
              JsonNode *pn = json_array_get_element (rp, j);
              const gchar *name
                  = JSON_NODE_HOLDS_OBJECT (pn) ? string_member (json_node_get_object (pn), "product") : NULL;
              found = name != NULL
                      && (g_ascii_strcasecmp (name, e->product) == 0
                          || shr_lexicon_find_product (lexicon, name) == e
                          || (h->homonym != NULL && shr_lexicon_find_product (lexicon, name) == h->homonym));
            }
          if (!found)
            return summary_error (error, SHR_SUMMARY_ERROR_UNSUPPORTED,
                                  "it names the product %.*s (%s), which the record does not",
                                  (int)(h->end - h->start), text + h->start, e->product);
        }
    }
  return TRUE;
}

/* ---- kept and shown ------------------------------------------------------------ */

static void
add_steps (JsonBuilder *b, const gchar *name, GPtrArray *steps)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    json_builder_add_string_value (b, steps->pdata[i]);
  json_builder_end_array (b);
}

JsonNode *
shr_summary_to_json (const ShrSummary *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "summary_ja");
  json_builder_add_string_value (b, s->summary_ja);
  json_builder_set_member_name (b, "summary_en");
  json_builder_add_string_value (b, s->summary_en);
  if (s->title_ja != NULL)
    {
      json_builder_set_member_name (b, "title_ja");
      json_builder_add_string_value (b, s->title_ja);
    }
  add_steps (b, "steps_ja", s->steps_ja);
  add_steps (b, "steps_en", s->steps_en);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
shr_summary_for_draft (const ShrSummaryConfig *config, const ShrLexicon *lexicon, JsonNode *record,
                       const gchar *text, gint64 draft_id)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_autofree gchar *input = shr_summary_input (record, text);
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  g_autofree gchar *output = shr_summary_run (config, input, &length, &error);
  g_autoptr (ShrSummary) s = output != NULL ? shr_summary_parse (output, length, &error) : NULL;
  gboolean ok = s != NULL && shr_summary_check (s, record, lexicon, &error);
  JsonObject *o = json_object_new ();
  json_object_set_boolean_member (o, "ok", ok);
  if (ok)
    json_object_set_member (o, "summary", shr_summary_to_json (s));
  else
    {
      g_warning ("draft %" G_GINT64_FORMAT
                 ": the machine-written summary is discarded, the built-in text is used: %s",
                 draft_id, error->message);
      json_object_set_string_member (o, "reason", error->message);
    }
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}
