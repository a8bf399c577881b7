/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

/* Where the top-level alternatives of @p (@len bytes) end: the offsets of
 * its top-level '|' and then @len. FALSE when the pattern holds syntax this
 * reading does not follow (an option setting such as "(?i)", which reaches
 * into the alternatives after it; \Q…\E; a comment; a branch reset; a POSIX
 * class): such a pattern is left as written. */
static gboolean
split_alternatives (const gchar *p, gsize len, GArray *ends)
{
  gint depth = 0;
  for (gsize i = 0; i < len; i++)
    {
      if (p[i] == '\\')
        {
          if (i + 1 >= len || p[i + 1] == 'Q')
            return FALSE;
          i++;
        }
      else if (p[i] == '[')
        {
          /* A class: "]" right after "[" or "[^" is a member. */
          i++;
          if (i < len && p[i] == '^')
            i++;
          if (i < len && p[i] == ']')
            i++;
          for (; i < len && p[i] != ']'; i++)
            if (p[i] == '\\')
              i++;
            else if (p[i] == '[' && i + 1 < len && p[i + 1] == ':')
              return FALSE;
          if (i >= len)
            return FALSE;
        }
      else if (p[i] == '(')
        {
          if (i + 1 < len && p[i + 1] == '?')
            {
              if (i + 2 < len && (p[i + 2] == '#' || p[i + 2] == '|'))
                return FALSE;
              gsize j = i + 2;
              while (j < len && (g_ascii_isalpha (p[j]) || p[j] == '-' || p[j] == '^'))
                j++;
              if (j < len && p[j] == ')')
                return FALSE;
            }
          depth++;
        }
      else if (p[i] == ')')
        {
          if (--depth < 0)
            return FALSE;
        }
      else if (p[i] == '|' && depth == 0)
        g_array_append_val (ends, i);
    }
  g_array_append_val (ends, len);
  return depth == 0;
}

/* (transfer full) @pattern with each run of top-level alternatives that
 * all start with \b written as one \b(?:…|…), or NULL when there is no
 * such run. The same regex — at each position the alternatives are tried
 * in the same order, and a failed \b fails every one of them — but PCRE2
 * then tests the word boundary once per position instead of once per
 * alternative: in the large alternations of the extractor ("actively
 * exploited|…", twenty-odd wordings) that was most of the matching time
 * (eight times slower than the factored form on English prose). */
static gchar *
factor_word_starts (const gchar *pattern)
{
  gsize len = strlen (pattern);
  gsize from = 0, to = len;
  /* A pattern that is one group "(?:…)" has its alternatives inside. */
  if (len > 4 && g_str_has_prefix (pattern, "(?:") && pattern[len - 1] == ')')
    {
      g_autoptr (GArray) whole = g_array_new (FALSE, FALSE, sizeof (gsize));
      if (split_alternatives (pattern, len, whole) && whole->len == 1)
        {
          g_autoptr (GArray) inner = g_array_new (FALSE, FALSE, sizeof (gsize));
          /* It is one group when its inside is balanced by itself. */
          if (split_alternatives (pattern + 3, len - 4, inner))
            {
              from = 3;
              to = len - 1;
            }
        }
    }
  g_autoptr (GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  if (!split_alternatives (pattern + from, to - from, ends) || ends->len < 2)
    return NULL;
  GString *out = g_string_new_len (pattern, from);
  gboolean changed = FALSE;
  gsize start = 0;
  for (guint i = 0; i < ends->len;)
    {
      /* The run of alternatives from i that start with \b. */
      guint j = i;
      gsize s = start;
      while (j < ends->len && strncmp (pattern + from + s, "\\b", 2) == 0)
        s = g_array_index (ends, gsize, j++) + 1;
      if (i > 0)
        g_string_append_c (out, '|');
      if (j - i >= 2)
        {
          g_string_append (out, "\\b(?:");
          gsize a = start;
          for (guint k = i; k < j; k++)
            {
              gsize e = g_array_index (ends, gsize, k);
              if (k > i)
                g_string_append_c (out, '|');
              g_string_append_len (out, pattern + from + a + 2, e - a - 2);
              a = e + 1;
            }
          g_string_append_c (out, ')');
          changed = TRUE;
          i = j;
          start = s;
          continue;
        }
      gsize e = g_array_index (ends, gsize, i);
      g_string_append_len (out, pattern + from + start, e - start);
      start = e + 1;
      i++;
    }
  g_string_append (out, pattern + to);
  if (!changed)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* (transfer full) The pattern as compiled. GLib 2.74 (PCRE2) loses later
 * matches of g_match_info_next() when a match ends in \b right before a
 * multibyte character (Japanese text after "CVE-2026-2760、"). A \b that
 * ends a word is the same as "no word character follows", which has no
 * such problem. Both compilations below start from this text, so a
 * pattern means the same through GRegex and through PCRE2 directly. */
static gchar *
pattern_source (const gchar *pattern)
{
  GString *fixed = g_string_new (NULL);
  for (const gchar *p = pattern; *p; p++)
    {
      if (p[0] == '\\' && p[1] == 'b'
          && (p[2] == '\0' || strchr (")| [\"?.:-", p[2]) != NULL
              || (p[2] == '\\' && (p[3] == 's' || p[3] == '.'))))
        {
          g_string_append (fixed, "(?![A-Za-z0-9_])");
          p++;
          continue;
        }
      if (p[0] == '\\' && p[1] != '\0')
        {
          g_string_append_len (fixed, p, 2);
          p++;
          continue;
        }
      g_string_append_c (fixed, *p);
    }
  /* After the rewrite above, so that only a \b left as written (one that
   * starts a word) is factored. */
  gchar *factored = factor_word_starts (fixed->str);
  if (factored == NULL)
    return g_string_free (fixed, FALSE);
  g_string_free (fixed, TRUE);
  return factored;
}

/* One built-in pattern, compiled at most once per process in each form;
 * never freed (the process keeps using it). */
typedef struct
{
  GRegex *regex;    /* for callers that walk a GMatchInfo */
  pcre2_code *code; /* for tests and single groups: no GMatchInfo */
  gboolean jit;     /* code was JIT-compiled */
  guint32 captures; /* capture groups of code */
} Compiled;

static GMutex compile_lock;

/* The entry of @pattern. A per-thread table finds it without a lock; it is
 * keyed by the literal's address, because hashing a long pattern on every
 * call cost more than many of the matches. */
static Compiled *
compiled_entry (const gchar *pattern)
{
  static GPrivate cache_key = G_PRIVATE_INIT ((GDestroyNotify)g_hash_table_unref);
  GHashTable *cache = g_private_get (&cache_key);
  if (cache == NULL)
    {
      cache = g_hash_table_new (g_direct_hash, g_direct_equal);
      g_private_set (&cache_key, cache);
    }
  Compiled *c = g_hash_table_lookup (cache, pattern);
  if (c != NULL)
    return c;
  /* Shared by the process: the pipeline's threads live for one batch, and
   * compiling every pattern again in each cost as much as extracting a few
   * hundred mails. */
  static GHashTable *all; /* pattern address -> Compiled */
  g_mutex_lock (&compile_lock);
  if (all == NULL)
    all = g_hash_table_new (g_direct_hash, g_direct_equal);
  c = g_hash_table_lookup (all, pattern);
  if (c == NULL)
    {
      c = g_new0 (Compiled, 1);
      g_hash_table_insert (all, (gpointer)pattern, c);
    }
  g_mutex_unlock (&compile_lock);
  g_hash_table_insert (cache, (gpointer)pattern, c);
  return c;
}

GRegex *
shr_regex (const gchar *pattern)
{
  Compiled *c = compiled_entry (pattern);
  GRegex *re = g_atomic_pointer_get (&c->regex);
  if (re != NULL)
    return re;
  g_mutex_lock (&compile_lock);
  if (c->regex == NULL)
    {
      g_autofree gchar *source = pattern_source (pattern);
      GError *error = NULL;
      re = g_regex_new (source, G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, &error);
      if (re == NULL)
        g_error ("bad built-in regex %s: %s", pattern, error->message);
      g_atomic_pointer_set (&c->regex, re);
    }
  g_mutex_unlock (&compile_lock);
  return c->regex;
}

/* The pattern as a PCRE2 code, compiled with the options g_regex_new()
 * gives it above (GLib 2.74's gregex.c: UTF with no check of the pattern,
 * Unicode properties for \w \d \b, any newline, \R as any Unicode line
 * break, JIT when available), so both forms find the same matches. */
static Compiled *
compiled_code (const gchar *pattern)
{
  Compiled *c = compiled_entry (pattern);
  if (g_atomic_pointer_get (&c->code) != NULL)
    return c;
  g_mutex_lock (&compile_lock);
  if (c->code == NULL)
    {
      g_autofree gchar *source = pattern_source (pattern);
      pcre2_compile_context *context = pcre2_compile_context_create (NULL);
      pcre2_set_newline (context, PCRE2_NEWLINE_ANY);
      pcre2_set_bsr (context, PCRE2_BSR_UNICODE);
      int code_error;
      PCRE2_SIZE error_at;
      pcre2_code *code
          = pcre2_compile ((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED,
                           PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_UCP,
                           &code_error, &error_at, context);
      pcre2_compile_context_free (context);
      if (code == NULL)
        {
          PCRE2_UCHAR message[256];
          pcre2_get_error_message (code_error, message, sizeof message);
          g_error ("bad built-in regex %s at %zu: %s", pattern, (gsize)error_at, (const gchar *)message);
        }
      c->jit = pcre2_jit_compile (code, PCRE2_JIT_COMPLETE) == 0;
      pcre2_pattern_info (code, PCRE2_INFO_CAPTURECOUNT, &c->captures);
      g_atomic_pointer_set (&c->code, code);
    }
  g_mutex_unlock (&compile_lock);
  return c;
}

/* The calling thread's match block, with room for @pairs offset pairs: one
 * per thread, reused by every match, where GRegex allocates and frees four
 * blocks per match. */
static pcre2_match_data *
thread_match_data (guint32 pairs)
{
  static GPrivate key = G_PRIVATE_INIT ((GDestroyNotify)pcre2_match_data_free);
  pcre2_match_data *data = g_private_get (&key);
  if (data == NULL || pcre2_get_ovector_count (data) < pairs)
    {
      data = pcre2_match_data_create (MAX (pairs, 16), NULL);
      g_private_replace (&key, data);
    }
  return data;
}

/* The number of offset pairs set (as pcre2_match() returns it), or 0 when
 * @c does not match the bytes [@start, @end) of @text. */
static gint
run (const Compiled *c, const gchar *text, gsize start, gsize end, pcre2_match_data *data)
{
  /* GRegex runs the JIT code directly (no check of the subject's UTF-8:
   * the mail reader made it valid) and falls back to the interpreter. */
  gint rc = c->jit ? pcre2_jit_match (c->code, (PCRE2_SPTR)text, end, start, 0, data, NULL)
                   : pcre2_match (c->code, (PCRE2_SPTR)text, end, start, 0, data, NULL);
  return rc > 0 ? rc : 0;
}

gboolean
shr_regex_test_range (const gchar *pattern, const gchar *text, gsize start, gsize end)
{
  if (text == NULL)
    return FALSE;
  const Compiled *c = compiled_code (pattern);
  return run (c, text, start, end, thread_match_data (c->captures + 1)) > 0;
}

gboolean
shr_regex_test (const gchar *pattern, const gchar *text)
{
  return text != NULL && shr_regex_test_range (pattern, text, 0, strlen (text));
}

gchar *
shr_match_group (const gchar *pattern, const gchar *text, gint group)
{
  if (text == NULL || group < 0)
    return NULL;
  const Compiled *c = compiled_code (pattern);
  pcre2_match_data *data = thread_match_data (c->captures + 1);
  gint pairs = run (c, text, 0, strlen (text), data);
  if (group >= pairs)
    return NULL;
  const PCRE2_SIZE *ovector = pcre2_get_ovector_pointer (data);
  if (ovector[2 * group] == PCRE2_UNSET)
    return NULL;
  gchar *s = g_strndup (text + ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group]);
  g_strstrip (s);
  if (*s == '\0')
    g_clear_pointer (&s, g_free);
  return s;
}

/* Match blocks for walks, which nest (a walk's body may run other
 * patterns): a stack per thread, so a walk takes one without malloc. */
static GPtrArray *
spare_blocks (void)
{
  static GPrivate key = G_PRIVATE_INIT ((GDestroyNotify)g_ptr_array_unref);
  GPtrArray *spare = g_private_get (&key);
  if (spare == NULL)
    {
      spare = g_ptr_array_new_with_free_func ((GDestroyNotify)pcre2_match_data_free);
      g_private_set (&key, spare);
    }
  return spare;
}

static gboolean
matches_search (ShrMatches *m)
{
  const Compiled *c = m->code;
  /* As g_match_info_next(): past the end there is nothing, an empty match
   * moves the search on by a character, and the same match found twice
   * (an empty one at the end of the one before) is skipped. */
  for (;;)
    {
      if (m->pos > m->len)
        break;
      gint prev_start = m->start, prev_end = m->end;
      m->pairs = run (c, m->text, m->pos, m->len, m->data);
      if (m->pairs == 0)
        break;
      const PCRE2_SIZE *ov = pcre2_get_ovector_pointer (m->data);
      m->start = (gint)ov[0];
      m->end = (gint)ov[1];
      if (m->pos == (gsize)m->end)
        m->pos = m->pos < m->len ? (gsize)(g_utf8_next_char (m->text + m->pos) - m->text) : m->len + 1;
      else
        m->pos = m->end;
      if (m->start != prev_start || m->end != prev_end)
        return TRUE;
    }
  m->pairs = 0;
  return FALSE;
}

gboolean
shr_matches_first (ShrMatches *m, const gchar *pattern, const gchar *text)
{
  g_return_val_if_fail (m != NULL && m->data == NULL, FALSE);
  const Compiled *c = compiled_code (pattern);
  GPtrArray *spare = spare_blocks ();
  pcre2_match_data *data = spare->len > 0 ? g_ptr_array_steal_index_fast (spare, spare->len - 1) : NULL;
  if (data == NULL || pcre2_get_ovector_count (data) < c->captures + 1)
    {
      if (data != NULL)
        pcre2_match_data_free (data);
      data = pcre2_match_data_create (MAX (c->captures + 1, 16), NULL);
    }
  *m = (ShrMatches){ .text = text != NULL ? text : "", .start = -1, .end = -1, .code = c, .data = data };
  m->len = strlen (m->text);
  return matches_search (m);
}

gboolean
shr_matches_next (ShrMatches *m)
{
  return m->pairs > 0 && matches_search (m);
}

gboolean
shr_matches_pos (const ShrMatches *m, gint group, gint *start, gint *end)
{
  const Compiled *c = m->code;
  if (m->pairs == 0 || group < 0 || (guint32)group > c->captures)
    return FALSE;
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer (m->data);
  gboolean set = group < m->pairs && ov[2 * group] != PCRE2_UNSET;
  if (start != NULL)
    *start = set ? (gint)ov[2 * group] : -1;
  if (end != NULL)
    *end = set ? (gint)ov[2 * group + 1] : -1;
  return TRUE;
}

gchar *
shr_matches_fetch (const ShrMatches *m, gint group)
{
  gint start, end;
  if (!shr_matches_pos (m, group, &start, &end))
    return NULL;
  return start < 0 ? g_strdup ("") : g_strndup (m->text + start, end - start);
}

void
shr_matches_clear (ShrMatches *m)
{
  if (m->data != NULL)
    g_ptr_array_add (spare_blocks (), m->data);
  *m = (ShrMatches){ 0 };
}
