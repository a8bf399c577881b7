/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-sources.c — data/sources.tsv: PSIRTs and distributions by their ids. */
#include "config.h"

#include "shr-sources.h"

#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"
#include "shr-recognizers.h"

struct _ShrSources
{
  GPtrArray *rows; /* (element-type ShrSource) in file order */
};

/* The literal characters at @p, lower-cased, up to the first that is not
 * one (a quantified last character dropped); *end is set after them. */
static GString *
literal_run (const gchar *p, const gchar **end)
{
  GString *lit = g_string_new (NULL);
  for (; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == ' ' || *p == ':')
        g_string_append_c (lit, g_ascii_tolower (*p));
      else
        break;
    }
  /* A quantifier or an alternative after the last character makes it
   * optional: drop it. */
  if (lit->len > 0 && (*p == '?' || *p == '*' || *p == '{' || *p == '|'))
    g_string_truncate (lit, lit->len - 1);
  *end = p;
  return lit;
}

/* Where an id pattern's text starts: after a leading "\\b" and the
 * bracket of its capturing group. */
static const gchar *
after_id_opening (const gchar *pattern)
{
  const gchar *p = pattern;
  if (g_str_has_prefix (p, "\\b"))
    p += 2;
  if (*p == '(' && p[1] != '?')
    p++;
  return p;
}

/* The literal text every match of an id pattern starts with, lower-cased
 * ("\\b(cisco-sa-[\\w-]+)" → "cisco-sa-"), or NULL: a mail without it is
 * not tried against the pattern. */
/* The first '|' from @p that is not inside a group opened after @p nor
 * in a class: an alternative of the group @p stands in, or of the whole
 * pattern; NULL when there is none. */
static const gchar *
outer_bar (const gchar *p)
{
  gint depth = 0;
  gboolean klass = FALSE;
  for (; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '[')
        klass = TRUE;
      else if (*p == ']')
        klass = FALSE;
      else if (!klass && *p == '(')
        depth++;
      else if (!klass && *p == ')')
        depth--;
      else if (!klass && *p == '|' && depth <= 0)
        return p;
    }
  return NULL;
}

static gchar *
literal_start (const gchar *pattern)
{
  const gchar *p = after_id_opening (pattern);
  /* "MFSA…|Mozilla Foundation Security Advisory…": no literal starts
   * every match. */
  if (outer_bar (p) != NULL)
    return NULL;
  GString *lit = literal_run (p, &p);
  if (lit->len < 2)
    {
      g_string_free (lit, TRUE);
      return NULL;
    }
  return g_string_free (lit, FALSE);
}

/* For an id pattern that starts with a group of words, lower-cased, one
 * of which every match holds, or NULL: the words of
 * "\\b((?:CONFSERVER|JRASERVER|…|FE)-\\d+)" with the text after them
 * ("confserver-", …, "fe-"), or what follows an optional group
 * ("\\b((?:open)?SUSE-[SR]U-…" → "suse-"). Such patterns have no literal
 * start and ran over every mail's first lines. */
static gchar **
literal_group_words (const gchar *pattern)
{
  const gchar *p = after_id_opening (pattern);
  if (!g_str_has_prefix (p, "(?:"))
    return NULL;
  const gchar *inner = p + 3;
  const gchar *close = strchr (inner, ')');
  /* A nested group or class, or an alternative of the whole pattern after
   * the group, and the words are not needed by every match. */
  if (close == NULL || strpbrk (close, "|") != NULL)
    return NULL;
  for (const gchar *c = inner; c < close; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '|')
      return NULL;
  const gchar *after = close + 1;
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  if (*after == '?' || *after == '*')
    {
      gchar *lit = literal_start (after + 1);
      if (lit == NULL)
        return NULL;
      g_ptr_array_add (words, lit);
    }
  else if (*after == '+' || *after == '{')
    return NULL;
  else
    {
      const gchar *tail_end = NULL;
      g_autoptr (GString) tail = literal_run (after, &tail_end);
      g_autofree gchar *group = g_strndup (inner, close - inner);
      g_auto (GStrv) alternatives = g_strsplit (group, "|", -1);
      for (guint i = 0; alternatives[i] != NULL; i++)
        {
          if (alternatives[i][0] == '\0')
            return NULL;
          gchar *word = g_ascii_strdown (alternatives[i], -1);
          g_ptr_array_add (words, g_strconcat (word, tail->str, NULL));
          g_free (word);
        }
    }
  g_ptr_array_add (words, NULL);
  return (gchar **)g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/* The literal starts of a pattern's top-level alternatives
 * ("cisco\\.com|Cisco PSIRT" → "cisco", "cisco psirt"), or NULL when one
 * has none: a text holding none of them cannot match. */
static gchar **
literal_alternatives (const gchar *pattern)
{
  GPtrArray *out = g_ptr_array_new ();
  for (const gchar *start = pattern;;)
    {
      const gchar *bar = outer_bar (start);
      g_autofree gchar *alt = bar != NULL ? g_strndup (start, bar - start) : g_strdup (start);
      gchar *lit = literal_start (alt);
      if (lit == NULL)
        {
          g_ptr_array_set_free_func (out, g_free);
          g_ptr_array_unref (out);
          return NULL;
        }
      g_ptr_array_add (out, lit);
      if (bar == NULL)
        break;
      start = bar + 1;
    }
  g_ptr_array_add (out, NULL);
  return (gchar **)g_ptr_array_free (out, FALSE);
}

static gboolean
holds_any (const gchar *lower, gchar **literals)
{
  if (literals == NULL)
    return TRUE;
  for (guint i = 0; literals[i] != NULL; i++)
    if (strstr (lower, literals[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
source_free (ShrSource *s)
{
  g_free (s->kind);
  g_free (s->name);
  g_free (s->vendor);
  g_free (s->id_literal);
  g_strfreev (s->id_words);
  g_strfreev (s->from_literals);
  g_clear_pointer (&s->id, g_regex_unref);
  g_clear_pointer (&s->from, g_regex_unref);
  g_clear_pointer (&s->release, g_regex_unref);
  g_clear_pointer (&s->url, g_regex_unref);
  g_free (s);
}

void
shr_sources_free (ShrSources *sources)
{
  if (sources == NULL)
    return;
  g_ptr_array_unref (sources->rows);
  g_free (sources);
}

static gboolean
compile (const gchar *path, guint line, const gchar *what, const gchar *pattern, GRegex **out, GError **error)
{
  *out = NULL;
  if (strcmp (pattern, "-") == 0)
    return TRUE;
  GError *local = NULL;
  *out = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, &local);
  if (*out == NULL)
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                   "%s:%u: the %s pattern does not compile: %s", path, line, what, local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

static gpointer
sources_new_empty (void)
{
  ShrSources *sources = g_new0 (ShrSources, 1);
  sources->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)source_free);
  return sources;
}

ShrSources *
shr_sources_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return NULL;
  g_autoptr (ShrSources) sources = sources_new_empty ();
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_strchomp (lines[n]);
      if (lines[n][0] == '#' || lines[n][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[n], "\t", -1);
      if (g_strv_length (f) != 7 || (strcmp (f[0], "psirt") != 0 && strcmp (f[0], "other") != 0))
        {
          g_set_error (
              error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
              "%s:%u: expected 7 TAB-separated columns: kind (psirt or other), name, vendor, id, sender, "
              "release, url",
              path, n + 1);
          return NULL;
        }
      ShrSource *s = g_new0 (ShrSource, 1);
      g_ptr_array_add (sources->rows, s);
      s->kind = g_strdup (f[0]);
      s->name = g_strdup (f[1]);
      s->vendor = g_strdup (f[2]);
      const gchar *id = f[3];
      if (id[0] == '@')
        {
          s->id_needs_sender = TRUE;
          id++;
        }
      s->id_literal = strcmp (id, "-") != 0 ? literal_start (id) : NULL;
      s->id_words = s->id_literal == NULL && strcmp (id, "-") != 0 ? literal_group_words (id) : NULL;
      s->from_literals = strcmp (f[4], "-") != 0 ? literal_alternatives (f[4]) : NULL;
      if (!compile (path, n + 1, "id", id, &s->id, error)
          || !compile (path, n + 1, "sender", f[4], &s->from, error)
          || !compile (path, n + 1, "release", f[5], &s->release, error)
          || !compile (path, n + 1, "url", f[6], &s->url, error))
        return NULL;
    }
  return g_steal_pointer (&sources);
}

const ShrSources *
shr_sources_get_default (void)
{
  static gsize once;
  static gpointer table;
  return shr_data_table_once (&once, &table, "sources.tsv", "the source table",
                              (ShrDataLoadFunc)shr_sources_load, sources_new_empty);
}

gchar *
shr_sources_match (GRegex *re, const gchar *text)
{
  if (re == NULL || text == NULL)
    return NULL;
  g_autoptr (GMatchInfo) m = NULL;
  if (!g_regex_match (re, text, 0, &m))
    return NULL;
  gint groups = g_match_info_get_match_count (m);
  for (gint g = 1; g < groups; g++)
    {
      gchar *s = g_match_info_fetch (m, g);
      if (s != NULL && *g_strstrip (s) != '\0')
        return s;
      g_free (s);
    }
  gchar *whole = g_match_info_fetch (m, 0);
  return whole != NULL ? g_strstrip (whole) : NULL;
}

/* A text, its ASCII letters lower-cased, and whether it holds a letter a
 * caseless 's' or 'k' matches besides the ASCII ones (ſ, the Kelvin sign;
 * looked at on first need: -1). */
typedef struct
{
  const gchar *text;
  const gchar *lower;
  gint folds;
} IdText;

/* Whether the id pattern of @s may match @t: a text without its literal
 * start, or without any of its words, cannot. */
static gboolean
id_may_match (const ShrSource *s, IdText *t)
{
  if (s->id_literal != NULL)
    return strstr (t->lower, s->id_literal) != NULL;
  if (s->id_words == NULL || holds_any (t->lower, s->id_words))
    return TRUE;
  if (t->folds < 0)
    t->folds = strstr (t->text, "\xc5\xbf") != NULL || strstr (t->text, "\xe2\x84\xaa") != NULL;
  return t->folds;
}

const ShrSource *
shr_sources_find (const ShrSources *sources, const gchar *from, const gchar *subject, const gchar *head,
                  const gchar *head_lower, gboolean newsy)
{
  g_return_val_if_fail (sources != NULL, NULL);
  /* Best first: an id and the sender agree (el-errata@oracle.com sends
   * Oracle Linux errata, not Oracle's patch updates); then an id in the
   * Subject, which names the advisory; then the sender alone; then an id in
   * the first lines, unless the mail is news quoting one. Each pattern runs
   * once per mail. */
  const ShrSource *best[4] = { NULL, NULL, NULL, NULL };
  g_autofree gchar *subject_lower = subject ? shr_ascii_lower_len (subject, strlen (subject)) : NULL;
  g_autofree gchar *head_copy = head && head_lower == NULL ? shr_ascii_lower_len (head, strlen (head)) : NULL;
  IdText subject_text = { subject, subject_lower, -1 };
  IdText head_text = { head, head_lower != NULL ? head_lower : head_copy, -1 };
  g_autofree gchar *from_lower = from ? shr_ascii_lower_len (from, strlen (from)) : NULL;
  for (guint i = 0; i < sources->rows->len && best[0] == NULL; i++)
    {
      const ShrSource *s = g_ptr_array_index (sources->rows, i);
      gboolean sender = s->from != NULL && from != NULL && holds_any (from_lower, s->from_literals)
                        && g_regex_match (s->from, from, 0, NULL);
      gboolean id_subject = s->id != NULL && subject != NULL && id_may_match (s, &subject_text)
                            && g_regex_match (s->id, subject, 0, NULL);
      /* The first lines matter only for a rank not already taken. */
      gboolean id_head = FALSE;
      if (s->id != NULL && head != NULL && !id_subject
          && ((sender && best[0] == NULL) || (best[3] == NULL && !s->id_needs_sender && !newsy))
          && id_may_match (s, &head_text))
        id_head = g_regex_match (s->id, head, 0, NULL);
      if (sender && (id_subject || id_head))
        best[0] = s;
      if (best[1] == NULL && id_subject && !s->id_needs_sender)
        best[1] = s;
      if (best[2] == NULL && sender)
        best[2] = s;
      if (best[3] == NULL && id_head && !s->id_needs_sender && !newsy)
        best[3] = s;
    }
  for (guint k = 0; k < G_N_ELEMENTS (best); k++)
    if (best[k] != NULL)
      return best[k];
  return NULL;
}
