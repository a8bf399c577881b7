/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-structure.c — sections, fields and tables of an advisory's text. */
#include "config.h"

#include "shr-structure.h"

#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"
#include "shr-text.h"

/* ---- the heading table ---------------------------------------------------- */

static GHashTable *headings; /* normalised phrase → ShrRole */
/* The first word (Latin) or first character (Japanese) of every phrase:
 * most lines of an advisory start with none of them and are no heading,
 * which is found without normalising them. Values in the same table under
 * a "\x01" prefix. */
static GMutex headings_lock;

static const gchar *const role_names[SHR_ROLE_COUNT] = {
  "none",       "summary",          "description", "affected",     "unaffected", "fixed",      "solution",
  "workaround", "severity",         "score",       "exploitation", "impact",     "conditions", "references",
  "background", "acknowledgements", "history",     "contact",
};

const gchar *
shr_role_to_string (ShrRole role)
{
  return role < SHR_ROLE_COUNT ? role_names[role] : "none";
}

static ShrRole
role_from_string (const gchar *name)
{
  for (guint i = 1; i < SHR_ROLE_COUNT; i++)
    if (strcmp (role_names[i], name) == 0)
      return i;
  return SHR_ROLE_NONE;
}

/* Whether @c is a character NFKC and case folding leave as it is, and that
 * no following character composes with: hiragana, katakana, the long vowel
 * mark, 、。 and the unified kanji (each checked against GLib's tables). */
static inline gboolean
is_plain_japanese (gunichar c)
{
  return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || c == 0x3001
         || c == 0x3002 || (c >= 0x4E00 && c <= 0x9FFF);
}

/* NFKC, casefold, white space runs made one space, trimmed. */
static gchar *
normalize_phrase (const gchar *s, gssize len)
{
  gsize n = len < 0 ? strlen (s) : (gsize)len;
  /* Text of ASCII, kana and kanji only is its own NFKC, and its case fold
   * is its ASCII lower case: no Unicode tables for most lines. */
  gboolean plain = TRUE;
  for (gsize i = 0; i < n && plain;)
    {
      if ((guchar)s[i] < 0x80)
        {
          i++;
          continue;
        }
      gsize cl = 0;
      plain = i + 3 <= n && is_plain_japanese (shr_text_char_at (s + i, &cl)) && cl == 3;
      i += cl;
    }
  g_autofree gchar *nfkc = plain ? NULL : g_utf8_normalize (s, n, G_NORMALIZE_ALL_COMPOSE);
  if (!plain && nfkc == NULL)
    return g_strdup ("");
  g_autofree gchar *folded = plain ? NULL : g_utf8_casefold (nfkc, -1);
  const gchar *from = plain ? s : folded;
  gsize from_len = plain ? n : strlen (folded);
  gchar *out = g_malloc (from_len + 1);
  gsize used = 0;
  gboolean space = FALSE;
  for (gsize i = 0; i < from_len; i++)
    {
      gchar c = from[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        space = used > 0;
      else
        {
          if (space)
            out[used++] = ' ';
          space = FALSE;
          /* GLib's case fold has lowered the other text already. */
          out[used++] = plain && c >= 'A' && c <= 'Z' ? c + 32 : c;
        }
    }
  out[used] = '\0';
  return out;
}

static GHashTable *
headings_parse (const gchar *path, const gchar *contents, GError **error)
{
  g_autoptr (GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_strchomp (lines[n]);
      if (lines[n][0] == '#' || lines[n][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[n], "\t", -1);
      ShrRole role = g_strv_length (f) == 2 ? role_from_string (f[0]) : SHR_ROLE_NONE;
      if (role == SHR_ROLE_NONE)
        {
          g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                       "%s:%u: expected a role (summary, affected, fixed …) and its headings, TAB-separated",
                       path, n + 1);
          return NULL;
        }
      g_auto (GStrv) phrases = g_strsplit (f[1], "|", -1);
      for (guint i = 0; phrases[i] != NULL; i++)
        {
          gchar *key = normalize_phrase (phrases[i], -1);
          if (*key == '\0' || g_hash_table_contains (table, key))
            {
              g_free (key);
              continue;
            }
          g_hash_table_insert (table, key, GUINT_TO_POINTER (role));
          /* The phrase's start, for the quick test of a line. */
          gsize first = (guchar)key[0] < 0x80 ? strcspn (key, " ") : (gsize)(g_utf8_next_char (key) - key);
          gchar *start = g_strdup_printf ("\x01%.*s", (int)first, key);
          if (g_hash_table_contains (table, start))
            g_free (start);
          else
            g_hash_table_insert (table, start, GUINT_TO_POINTER (SHR_ROLE_NONE));
        }
    }
  return g_steal_pointer (&table);
}

gboolean
shr_headings_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  GError *local = NULL;
  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  GHashTable *table = headings_parse (path, contents, error);
  if (table == NULL)
    return FALSE;
  g_mutex_lock (&headings_lock);
  if (headings != NULL)
    g_hash_table_unref (headings);
  headings = table;
  g_mutex_unlock (&headings_lock);
  return TRUE;
}

static GHashTable *
headings_get (void)
{
  g_mutex_lock (&headings_lock);
  if (headings == NULL)
    {
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "headings.tsv", NULL);
      g_autofree gchar *contents = NULL;
      g_autoptr (GError) error = NULL;
      if (g_file_get_contents (path, &contents, NULL, &error))
        headings = headings_parse (path, contents, &error);
      if (headings == NULL)
        {
          /* Without the table every heading is unknown: sections are still
           * found, their roles are not. Said once, not per message. */
          g_warning ("cannot read the heading table: %s", error ? error->message : path);
          headings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        }
    }
  GHashTable *table = headings;
  g_mutex_unlock (&headings_lock);
  return table;
}

/* ---- headings ------------------------------------------------------------- */

static gboolean
is_decoration (gunichar c)
{
  return c == '#' || c == '*' || c == '=' || c == '-' || c == '_' || c == '~' || c == '>' || c == '|'
         || c == 0x25A0 /* ■ */ || c == 0x25A1 /* □ */ || c == 0x25C6 /* ◆ */ || c == 0x25C7  /* ◇ */
         || c == 0x25CF /* ● */ || c == 0x25CB /* ○ */ || c == 0x25BC /* ▼ */ || c == 0x25BD  /* ▽ */
         || c == 0x25B6 /* ▶ */ || c == 0x25BA /* ► */ || c == 0x30FB /* ・ */ || c == 0x2022 /* • */
         || c == 0x2605 /* ★ */ || c == 0x2606 /* ☆ */ || c == 0x203B /* ※ */;
}

static gboolean
is_bracket (gunichar c)
{
  return c == '[' || c == ']' || c == '<' || c == '>' || c == 0x3010 || c == 0x3011 /* 【】 */
         || c == 0x3014 || c == 0x3015 /* 〔〕 */ || c == 0xFF3B || c == 0xFF3D     /* ［］ */
         || c == 0xFF1C || c == 0xFF1E /* ＜＞ */ || c == 0x300C || c == 0x300D     /* 「」 */
         || c == 0x3008 || c == 0x3009 /* 〈〉 */;
}

/* Numbering in front of a heading: "3.", "3.1", "3.2.1", "II.", "b.",
 * "1-", "(1)", "第2章", "１．". Returns its depth (1 for "3.", 2 for
 * "3.1"), 0 when there is none, and moves *@p past it. */
static guint
skip_numbering (const gchar **p)
{
  const gchar *s = *p;
  /* Numbering starts with a digit (any width), '(', I/V/X, a-h or 第. */
  gunichar c0 = g_utf8_get_char (s);
  gboolean may = FALSE;
  if (g_ascii_isdigit (c0) || (c0 >= 0xFF10 && c0 <= 0xFF19) || c0 == 0x7B2C || c0 == '(')
    may = TRUE;
  else if (c0 == 'I' || c0 == 'V' || c0 == 'X')
    {
      /* "II. 対象", "IV. Solution": Roman numerals and a full stop. */
      const gchar *q = s;
      while (*q == 'I' || *q == 'V' || *q == 'X')
        q++;
      may = *q == '.';
    }
  else if (c0 >= 'a' && c0 <= 'h')
    may = s[1] == '.' || s[1] == ')';
  if (!may)
    return 0;
  /* Numbering that starts with a digit or '(' is made of digits, dots,
   * parentheses, '-' and ':', then white space: "2026-03-10T…" or
   * "9.8/10" is none, and needs no normalising and matching. */
  if (g_ascii_isdigit (c0) || c0 == '(')
    {
      const gchar *q = s;
      while (g_ascii_isdigit (*q) || *q == '(' || *q == ')' || *q == '.' || *q == '-' || *q == ':')
        q++;
      if ((guchar)*q < 0x80 && !g_ascii_isspace (*q))
        return 0;
    }
  g_autoptr (GMatchInfo) m = NULL;
  static GRegex *re;
  if (g_once_init_enter (&re))
    g_once_init_leave (
        &re,
        g_regex_new (
            "^(?:\\(?(\\d{1,2}(?:\\.\\d{1,2}){0,3})[.)\\-:]?|([IVX]{1,5})\\.|([a-h])[.)]|第\\d+[章節])\\s+",
            G_REGEX_OPTIMIZE, 0, NULL));
  gsize head = MIN (strlen (s), 24);
  gboolean ascii = TRUE;
  for (gsize i = 0; i < head && ascii; i++)
    ascii = (guchar)s[i] < 0x80;
  /* ASCII is its own NFKC. */
  g_autofree gchar *nfkc = ascii ? g_strndup (s, head) : g_utf8_normalize (s, head, G_NORMALIZE_ALL_COMPOSE);
  if (nfkc == NULL || !g_regex_match (re, nfkc, 0, &m))
    return 0;
  gint end = 0;
  g_match_info_fetch_pos (m, 0, NULL, &end);
  /* Offsets are in the normalised copy: count characters to map back. */
  glong chars = g_utf8_strlen (nfkc, end);
  *p = g_utf8_offset_to_pointer (s, chars);
  g_autofree gchar *digits = g_match_info_fetch (m, 1);
  guint depth = 1;
  if (digits != NULL && *digits != '\0')
    for (const gchar *d = digits; *d; d++)
      depth += *d == '.';
  return depth;
}

/* The heading's words, decoration, numbering and a final colon removed,
 * written to @out (@len + 1 bytes, the caller's: this runs for most lines
 * of every advisory, which need no allocation) and returned; *@depth gets
 * the numbering's depth. */
static gchar *
heading_core (const gchar *line, gsize len, guint *depth, gchar *out)
{
  memcpy (out, line, len);
  out[len] = '\0';
  const gchar *p = out;
  while (*p == ' ' || *p == '\t')
    p++;
  /* Decoration first ("■1. 概要"), then numbering, then decoration again. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (;;)
        {
          gsize cl = 0;
          gunichar c = *p ? shr_text_char_at (p, &cl) : 0;
          if (!(*p && (is_decoration (c) || is_bracket (c) || *p == ' ' || c == 0x3000)))
            break;
          p = g_utf8_next_char (p);
        }
      guint d = skip_numbering (&p);
      if (d > 0 && depth != NULL)
        *depth = d;
    }
  /* Trailing decoration, brackets, colons and white space. */
  gsize end = strlen (p);
  while (end > 0)
    {
      const gchar *last = (guchar)p[end - 1] < 0x80 ? p + end - 1 : g_utf8_find_prev_char (p, p + end);
      gunichar c = g_utf8_get_char (last);
      if (c == ':' || c == 0xFF1A || c == ' ' || c == '\t' || c == 0x3000 || is_decoration (c)
          || is_bracket (c))
        end = last - p;
      else
        break;
    }
  memmove (out, p, end);
  out[end] = '\0';
  return out;
}

static ShrRole
lookup_phrase (GHashTable *table, const gchar *norm)
{
  gpointer value;
  if (g_hash_table_lookup_extended (table, norm, NULL, &value))
    return GPOINTER_TO_UINT (value);
  return SHR_ROLE_NONE;
}

/* The role of a heading's core words: the whole of it, else its longest
 * start that is a phrase and is followed by a joining word ("Workarounds
 * and Mitigations", "Affected Products and Versions", 「影響を受ける製品
 * およびバージョン」) or by a parenthesis ("Severity (CVSS v3.1)"). */
/* Whether @core can start a known heading: its first word (Latin) or
 * character (anything else), folded, starts some phrase. A line that
 * cannot is no heading, and most lines are dismissed here cheaply. */
static gboolean
may_start_heading (GHashTable *table, const gchar *core)
{
  gchar buf[48];
  gsize n = 0;
  buf[n++] = '\x01';
  if ((guchar)core[0] < 0x80)
    {
      for (const gchar *p = core; *p && *p != ' ' && *p != '\t'; p++)
        {
          if ((guchar)*p >= 0x80)
            return TRUE; /* a mixed word: let the full test decide */
          if (n >= sizeof buf - 1)
            return FALSE;
          buf[n++] = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
        }
      buf[n] = '\0';
      return g_hash_table_contains (table, buf);
    }
  /* A non-Latin start: its first character as written (Japanese
   * headings are written in their normal form), else folded. */
  const gchar *next = g_utf8_next_char (core);
  gsize cl = next - core;
  if (cl < sizeof buf - 2)
    {
      memcpy (buf + 1, core, cl);
      buf[cl + 1] = '\0';
      if (g_hash_table_contains (table, buf))
        return TRUE;
    }
  /* A kana or kanji folds to itself: looked up already. */
  gsize dl = 0;
  if (cl == 3 && is_plain_japanese (shr_text_char_at (core, &dl)))
    return FALSE;
  g_autofree gchar *first = normalize_phrase (core, cl);
  g_autofree gchar *key = g_strconcat ("\x01", first, NULL);
  return g_hash_table_contains (table, key);
}

static ShrRole
core_role (GHashTable *table, const gchar *core)
{
  if (*core == '\0' || strlen (core) > 120 || !may_start_heading (table, core))
    return SHR_ROLE_NONE;
  g_autofree gchar *norm = normalize_phrase (core, -1);
  if (*norm == '\0' || strlen (norm) > 80)
    return SHR_ROLE_NONE;
  ShrRole role = lookup_phrase (table, norm);
  if (role != SHR_ROLE_NONE)
    return role;
  static const gchar *const joins[]
      = { " and ", " & ",    " for ", " / ",      " of ", " in ", " (", " - ", " – ",
          " — ",   "および", "と",    "について", "(",    "・",   "、", NULL };
  /* Every place a joining word stands, longest start first. */
  gsize cuts[32];
  guint n = 0;
  for (guint j = 0; joins[j] != NULL && n < G_N_ELEMENTS (cuts); j++)
    for (const gchar *hit = strstr (norm + 1, joins[j]); hit != NULL && n < G_N_ELEMENTS (cuts);
         hit = strstr (hit + 1, joins[j]))
      cuts[n++] = hit - norm;
  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; b < n; b++)
      if (cuts[b] > cuts[a])
        {
          gsize t = cuts[a];
          cuts[a] = cuts[b];
          cuts[b] = t;
        }
  for (guint k = 0; k < n; k++)
    {
      g_autofree gchar *start = g_strndup (norm, cuts[k]);
      g_strchomp (start);
      role = lookup_phrase (table, start);
      if (role != SHR_ROLE_NONE)
        return role;
    }
  return SHR_ROLE_NONE;
}

ShrRole
shr_heading_role (const gchar *heading)
{
  g_return_val_if_fail (heading != NULL, SHR_ROLE_NONE);
  gsize len = strlen (heading);
  g_autofree gchar *buf = g_malloc (len + 1);
  return core_role (headings_get (), heading_core (heading, len, NULL, buf));
}

/* ---- lines ---------------------------------------------------------------- */

typedef struct
{
  gsize start;
  gsize end; /* exclusive, before '\n' */
} Line;

static gboolean
line_blank (const gchar *text, const Line *l)
{
  for (gsize i = l->start; i < l->end; i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
      {
        /* U+3000 IDEOGRAPHIC SPACE */
        if ((guchar)text[i] == 0xE3 && i + 2 < l->end && (guchar)text[i + 1] == 0x80
            && (guchar)text[i + 2] == 0x80)
          {
            i += 2;
            continue;
          }
        return FALSE;
      }
  return TRUE;
}

/* "=====", "-----", "~~~~": a setext underline or a rule. */
static gboolean
line_is_rule (const gchar *text, const Line *l)
{
  gsize i = l->start;
  while (i < l->end && (text[i] == ' ' || text[i] == '\t'))
    i++;
  if (i >= l->end)
    return FALSE;
  gchar c = text[i];
  if (c != '=' && c != '-' && c != '~' && c != '*' && c != '_')
    return FALSE;
  guint n = 0;
  for (; i < l->end; i++)
    {
      if (text[i] == c)
        n++;
      else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
        return FALSE;
    }
  return n >= 3;
}

/* Two ideographic spaces (U+3000), the column gap of a Japanese table. */
static inline gboolean
is_wide_gap (const gchar *p)
{
  return memcmp (p, "\xE3\x80\x80\xE3\x80\x80", 6) == 0;
}

/* Whether spaces at @q and after, inside the line from @s to @e, part
 * two cells: two or more, not after a sentence's end, not at the end. */
static inline gboolean
space_gap (const gchar *q, const gchar *s, const gchar *e)
{
  if (q < s + 1 || q + 1 >= e || q[0] != ' ' || q[1] != ' ')
    return FALSE;
  /* Two spaces after a sentence end are prose, not a column gap. */
  if (q[-1] == '.' || q[-1] == ':')
    return FALSE;
  while (q < e && *q == ' ')
    q++;
  return q < e;
}

/* Two or more cells: " | " between them, a TAB, two spaces or two
 * ideographic spaces inside the line (after its indentation). */
static gboolean
line_has_cells (const gchar *text, const Line *l)
{
  gsize i = l->start;
  while (i < l->end && (text[i] == ' ' || text[i] == '\t'))
    i++;
  if (i >= l->end)
    return FALSE;
  /* Runs for every line: pipes and TABs looked for with memchr(). */
  const gchar *s = text + i, *e = text + l->end;
  guint pipes = 0;
  for (const gchar *q = memchr (s, '|', e - s); q != NULL && pipes < 2; q = memchr (q + 1, '|', e - q - 1))
    pipes++;
  if (pipes >= 2 || (pipes == 1 && *s != '|'))
    return TRUE;
  if (memchr (s + 1, '\t', e - s - 1) != NULL)
    return TRUE;
  /* Japanese tables are aligned with ideographic spaces (E3 80 80), not
   * at the line's end; found by their second byte, rare in other text. */
  for (const gchar *x = s + 2; x < e && (x = memchr (x, '\x80', e - x)) != NULL; x++)
    if (x - 1 + 6 < e && is_wide_gap (x - 1))
      return TRUE;
  /* Two spaces: every pair has a byte at an odd offset from s, so every
   * other byte is looked at. */
  for (const gchar *r = s + 1; r < e; r += 2)
    if (*r == ' ' && (space_gap (r - 1, s, e) || space_gap (r, s, e)))
      return TRUE;
  return FALSE;
}

/* A rule made of '-', '=', ':', '|', '+' and spaces under a table header. */
static gboolean
line_is_table_rule (const gchar *text, const Line *l)
{
  gboolean dash = FALSE;
  for (gsize i = l->start; i < l->end; i++)
    {
      gchar c = text[i];
      if (c == '-' || c == '=')
        dash = TRUE;
      else if (c != ':' && c != '|' && c != '+' && c != ' ' && c != '\t' && c != '\r')
        return FALSE;
    }
  return dash;
}

static gboolean
ends_like_sentence (const gchar *s, gsize len)
{
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
    len--;
  if (len == 0)
    return FALSE;
  gchar c = s[len - 1];
  if (c == '.' || c == ',' || c == ';' || c == '!' || c == '?' || (c == ')' && len > 2 && s[len - 2] == '.'))
    return TRUE;
  /* 。、 */
  if (len >= 3 && (guchar)s[len - 3] == 0xE3 && (guchar)s[len - 2] == 0x80
      && ((guchar)s[len - 1] == 0x82 || (guchar)s[len - 1] == 0x81))
    return TRUE;
  return FALSE;
}

static guint
count_words (const gchar *s)
{
  guint n = 0;
  gboolean in = FALSE;
  for (; *s; s++)
    {
      gboolean w = *s != ' ' && *s != '\t';
      if (w && !in)
        n++;
      in = w;
    }
  return n;
}

/* A short line standing alone that reads as a heading although the table
 * does not know it ("Apple Neural Engine", "NGFW managed by Strata Cloud
 * Manager (SCM)", 「ベンダ別の状況」): it ends the section before it. */
static gboolean
looks_like_heading (const gchar *core, gsize line_len)
{
  gsize len = strlen (core);
  if (len == 0 || line_len > 90)
    return FALSE;
  if (ends_like_sentence (core, len))
    return FALSE;
  gunichar first = g_utf8_get_char (core);
  gboolean latin = first < 0x80;
  if (latin)
    {
      if (!g_ascii_isupper (first) && !g_ascii_isdigit (first))
        return FALSE;
      if (count_words (core) > 8 || len > 70)
        return FALSE;
      /* URLs, addresses, "Key: value" and dates are not headings. */
      if (strstr (core, "://") != NULL || strchr (core, '@') != NULL || strchr (core, ':') != NULL)
        return FALSE;
      /* Mostly capitalised words: a heading, not a wrapped sentence. */
      guint words = 0, caps = 0;
      g_autofree gchar **w = shr_text_split (core, " ");
      for (guint i = 0; w[i] != NULL; i++)
        {
          if (*w[i] == '\0')
            continue;
          words++;
          static const gchar *const small[] = { "a",  "an", "and", "as",  "at", "by",   "for", "from", "in",
                                                "of", "on", "or",  "the", "to", "with", "via", "vs",   NULL };
          if (g_ascii_isupper (*w[i]) || g_ascii_isdigit (*w[i]) || *w[i] == '('
              || g_strv_contains (small, w[i]))
            caps++;
        }
      return words > 0 && caps * 4 >= words * 3;
    }
  /* Japanese: short, no sentence punctuation. */
  return g_utf8_strlen (core, -1) <= 30 && strstr (core, "。") == NULL && strstr (core, "、") == NULL;
}

/* ---- tables --------------------------------------------------------------- */

static ShrColumn
column_for (const gchar *cell)
{
  g_autofree gchar *n = normalize_phrase (cell, -1);
  static const struct
  {
    const gchar *word;
    ShrColumn column;
  } words[] = {
    /* Most specific first: "first fixed release" before "release". */
    { "first fixed", SHR_COLUMN_FIXED },
    /* "Affected Model", "Affected Product": which product, not which
     * versions. */
    { "affected model", SHR_COLUMN_PRODUCT },
    { "affected product", SHR_COLUMN_PRODUCT },
    { "affected platform", SHR_COLUMN_PRODUCT },
    { "affected software", SHR_COLUMN_PRODUCT },
    { "affected component", SHR_COLUMN_PRODUCT },
    { "fixed", SHR_COLUMN_FIXED },
    { "solution", SHR_COLUMN_FIXED },
    { "unaffected", SHR_COLUMN_FIXED },
    { "not affected", SHR_COLUMN_FIXED },
    { "patched", SHR_COLUMN_FIXED },
    { "remediation", SHR_COLUMN_FIXED },
    { "resolution", SHR_COLUMN_FIXED },
    { "update to", SHR_COLUMN_FIXED },
    { "patch", SHR_COLUMN_FIXED },
    { "upgrade to", SHR_COLUMN_FIXED },
    { "new ver", SHR_COLUMN_FIXED },
    { "updated ver", SHR_COLUMN_FIXED },
    { "修正", SHR_COLUMN_FIXED },
    { "対策", SHR_COLUMN_FIXED },
    /* 「対象製品」「対象機種」 name products; 「対象ファームウェア」 and the
     * like, the versions affected. */
    { "対象製品", SHR_COLUMN_PRODUCT },
    { "対象機種", SHR_COLUMN_PRODUCT },
    { "機種", SHR_COLUMN_PRODUCT },
    { "型番", SHR_COLUMN_PRODUCT },
    { "対象", SHR_COLUMN_AFFECTED },
    { "affected", SHR_COLUMN_AFFECTED },
    { "vulnerable", SHR_COLUMN_AFFECTED },
    { "impacted", SHR_COLUMN_AFFECTED },
    { "影響を受ける", SHR_COLUMN_AFFECTED },
    { "該当", SHR_COLUMN_AFFECTED },
    { "対象バージョン", SHR_COLUMN_AFFECTED },
    { "cve", SHR_COLUMN_CVE },
    { "cvss", SHR_COLUMN_SCORE },
    { "score", SHR_COLUMN_SCORE },
    { "基本値", SHR_COLUMN_SCORE },
    { "severity", SHR_COLUMN_SEVERITY },
    { "rating", SHR_COLUMN_SEVERITY },
    { "深刻度", SHR_COLUMN_SEVERITY },
    { "重要度", SHR_COLUMN_SEVERITY },
    { "distribution", SHR_COLUMN_RELEASE },
    { "release", SHR_COLUMN_PRODUCT },
    { "product", SHR_COLUMN_PRODUCT },
    { "package", SHR_COLUMN_PRODUCT },
    { "version", SHR_COLUMN_PRODUCT },
    { "platform", SHR_COLUMN_PRODUCT },
    { "branch", SHR_COLUMN_PRODUCT },
    { "software", SHR_COLUMN_PRODUCT },
    { "component", SHR_COLUMN_PRODUCT },
    { "model", SHR_COLUMN_PRODUCT },
    { "製品", SHR_COLUMN_PRODUCT },
    { "バージョン", SHR_COLUMN_PRODUCT },
    { "os", SHR_COLUMN_RELEASE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      const gchar *hit = strstr (n, words[i].word);
      if (hit == NULL)
        continue;
      /* Latin words whole: "os" is not the end of "photos". */
      gsize wl = strlen (words[i].word);
      gboolean ascii = (guchar)words[i].word[0] < 0x80;
      if (ascii && ((hit > n && g_ascii_isalnum (hit[-1])) || (wl <= 3 && g_ascii_isalnum (hit[wl]))))
        continue;
      return words[i].column;
    }
  return SHR_COLUMN_OTHER;
}

typedef struct
{
  gchar *text;
  glong col; /* character column where the cell starts */
} Cell;

static void
cells_free (GArray *cells)
{
  for (guint i = 0; i < cells->len; i++)
    g_free (g_array_index (cells, Cell, i).text);
  g_array_unref (cells);
}

/* Splits a row into cells at " | ", TABs or runs of two spaces. */
static GArray *
split_cells (const gchar *text, const Line *l)
{
  GArray *cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  g_autofree gchar *line = g_strndup (text + l->start, l->end - l->start);
  gboolean pipes = strchr (line, '|') != NULL;
  const gchar *p = line;
  glong col = 0;
  while (*p)
    {
      /* Skip separators: one pipe per cell boundary. */
      gboolean pipe_seen = FALSE;
      while (*p == ' ' || *p == '\t' || *p == '\r' || (pipes && *p == '|' && !pipe_seen)
             || (!pipes && memcmp (p, "\xE3\x80\x80", 3) == 0))
        {
          pipe_seen |= *p == '|';
          /* Columns as they are seen: an ideographic character is two wide. */
          col += *p == '\xE3' ? 2 : 1;
          p += *p == '\xE3' ? 3 : 1;
        }
      if (*p == '\0')
        break;
      const gchar *s = p;
      glong start_col = col;
      while (*p)
        {
          if (pipes ? *p == '|'
                    : (*p == '\t' || (p[0] == ' ' && p[1] == ' ') || (p[0] == '\xE3' && is_wide_gap (p))))
            break;
          /* Kana and kanji, most of a Japanese table, are wide without a
           * look at GLib's tables. */
          gsize cl = 1;
          gunichar c = (guchar)*p >= 0xE1 ? shr_text_char_at (p, &cl) : 0;
          col += c != 0 && (is_plain_japanese (c) || g_unichar_iswide (c)) ? 2 : 1;
          p = g_utf8_next_char (p);
        }
      gchar *cell = g_strndup (s, p - s);
      g_strstrip (cell);
      /* Between pipes an empty cell keeps its column; elsewhere a gap is
       * one gap however wide. */
      if (*cell == '\0' && !(pipes && *p == '|' && cells->len > 0))
        {
          g_free (cell);
          continue;
        }
      Cell c = { cell, start_col };
      g_array_append_val (cells, c);
    }
  return cells;
}

static gboolean
cell_is_versionish (const gchar *cell)
{
  for (const gchar *p = cell; *p; p++)
    if (g_ascii_isdigit (p[0]) && (p[1] == '.' || p[1] == '-') && g_ascii_isdigit (p[2]))
      return TRUE;
  return FALSE;
}

static void
table_free (ShrTable *t)
{
  g_ptr_array_unref (t->header);
  g_array_unref (t->columns);
  g_ptr_array_unref (t->rows);
  g_free (t);
}

/* Reads the run of row lines [@first, @last] as a table. */
static ShrTable *
make_table (const gchar *text, const Line *lines, guint first, guint last, guint section)
{
  ShrTable *t = g_new0 (ShrTable, 1);
  t->header = g_ptr_array_new_with_free_func (g_free);
  t->columns = g_array_new (FALSE, FALSE, sizeof (ShrColumn));
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  t->start = lines[first].start;
  t->end = lines[last].end;
  t->section = section;

  GArray *header_cells = NULL;
  guint i = first;
  {
    GArray *cells = split_cells (text, &lines[i]);
    gboolean header = cells->len >= 2;
    guint known = 0;
    for (guint c = 0; c < cells->len && header; c++)
      {
        const gchar *s = g_array_index (cells, Cell, c).text;
        /* A CVE id is a row's cell; "CVE-ID" heads a column. */
        if (cell_is_versionish (s) || (g_str_has_prefix (s, "CVE-") && g_ascii_isdigit (s[4])))
          header = FALSE;
        known += column_for (s) != SHR_COLUMN_OTHER;
      }
    /* A header row names what its columns hold, or a rule follows it. */
    gboolean rule_after = i + 1 <= last && line_is_table_rule (text, &lines[i + 1]);
    if (header && (known > 0 || rule_after))
      {
        header_cells = cells;
        for (guint c = 0; c < cells->len; c++)
          {
            const gchar *s = g_array_index (cells, Cell, c).text;
            g_ptr_array_add (t->header, g_strdup (s));
            ShrColumn col = column_for (s);
            g_array_append_val (t->columns, col);
          }
        i++;
      }
    else
      cells_free (cells);
  }
  gboolean aligned = header_cells != NULL && !strchr (text + lines[first].start, '|');
  for (; i <= last; i++)
    {
      if (line_is_table_rule (text, &lines[i]))
        continue;
      GArray *cells = split_cells (text, &lines[i]);
      GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
      if (aligned && header_cells->len > 1)
        {
          /* Columns aligned with spaces: a cell belongs to the header
           * column it starts under, so empty cells keep the others in
           * place. */
          for (guint h = 0; h < header_cells->len; h++)
            g_ptr_array_add (row, g_strdup (""));
          for (guint c = 0; c < cells->len; c++)
            {
              const Cell *cell = &g_array_index (cells, Cell, c);
              guint col = 0;
              for (guint h = 0; h < header_cells->len; h++)
                if (g_array_index (header_cells, Cell, h).col <= cell->col + 2)
                  col = h;
              gchar **slot = (gchar **)&g_ptr_array_index (row, col);
              if (**slot == '\0')
                {
                  g_free (*slot);
                  *slot = g_strdup (cell->text);
                }
              else
                {
                  gchar *joined = g_strconcat (*slot, " ", cell->text, NULL);
                  g_free (*slot);
                  *slot = joined;
                }
            }
        }
      else
        for (guint c = 0; c < cells->len; c++)
          g_ptr_array_add (row, g_strdup (g_array_index (cells, Cell, c).text));
      cells_free (cells);
      if (row->len > 0)
        g_ptr_array_add (t->rows, row);
      else
        g_ptr_array_unref (row);
    }
  if (header_cells != NULL)
    cells_free (header_cells);
  return t;
}

/* ---- the document --------------------------------------------------------- */

static void
section_free (ShrSection *s)
{
  g_free (s->heading);
  g_free (s);
}

static void
field_free (ShrField *f)
{
  g_free (f->key);
  g_free (f->value);
  g_free (f);
}

void
shr_document_free (ShrDocument *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->sections);
  g_ptr_array_unref (doc->fields);
  g_ptr_array_unref (doc->tables);
  g_free (doc);
}

static ShrSection *
open_section (ShrDocument *doc, ShrRole role, const gchar *heading, gsize heading_start, gsize start,
              gsize text_len)
{
  if (doc->sections->len > 0)
    {
      ShrSection *prev = g_ptr_array_index (doc->sections, doc->sections->len - 1);
      prev->end = heading_start;
    }
  ShrSection *s = g_new0 (ShrSection, 1);
  s->role = role;
  s->heading = g_strdup (heading);
  s->heading_start = heading_start;
  s->start = start;
  s->end = text_len;
  g_ptr_array_add (doc->sections, s);
  return s;
}

/* Whether line @l holds a colon, ASCII or full-width: split_field() needs
 * one, and most lines have none (they are not copied to be tried). */
static gboolean
line_has_colon (const gchar *text, const Line *l)
{
  const gchar *s = text + l->start, *e = text + l->end;
  if (memchr (s, ':', e - s) != NULL)
    return TRUE;
  /* U+FF1A, EF BC 9A (glibc's memmem() cost more than this). */
  for (const gchar *q = s; q + 2 < e && (q = memchr (q, '\xEF', e - q - 2)) != NULL; q++)
    if (q[1] == '\xBC' && q[2] == '\x9A')
      return TRUE;
  return FALSE;
}

/* "Key: value" on one line: the key short, free of sentence punctuation. */
static gboolean
split_field (const gchar *line, gchar **key, gchar **value)
{
  const gchar *colon = NULL;
  gsize cl = 0;
  for (const gchar *p = line; *p; p += cl)
    {
      guchar b = *p;
      /* Most characters are ASCII that none of the tests below is about. */
      if (b < 0x80 && b != ':' && b != '.' && b != ',' && b != '(' && b != '"' && b != '/')
        {
          cl = 1;
          if (p - line > 60)
            return FALSE;
          continue;
        }
      gunichar c = shr_text_char_at (p, &cl);
      if (c == ':' || c == 0xFF1A)
        {
          colon = p;
          break;
        }
      /* A sentence's full stop, not the dot of "v4.0". */
      if ((c == '.' && (p[1] == ' ' || p[1] == '\0')) || c == ',' || c == 0x3002 || c == 0x3001 || c == '('
          || c == '"' || (c == '/' && p[1] == '/'))
        return FALSE;
      if (p - line > 60)
        return FALSE;
    }
  if (colon == NULL || colon == line)
    return FALSE;
  /* "12:30", "http:" */
  if (g_ascii_isdigit (colon[-1]) && g_ascii_isdigit (colon[1]))
    return FALSE;
  if (colon[1] == '/')
    return FALSE;
  g_autofree gchar *k = g_strndup (line, colon - line);
  g_strstrip (k);
  if (*k == '\0' || count_words (k) > 6)
    return FALSE;
  gunichar first = g_utf8_get_char (k);
  if (first < 0x80 && !g_ascii_isalpha (first) && first != '*' && first != '-')
    return FALSE;
  const gchar *v = g_utf8_next_char (colon);
  *key = g_steal_pointer (&k);
  *value = g_strstrip (g_strdup (v));
  return TRUE;
}

ShrDocument *
shr_document_parse (const gchar *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  GHashTable *table = headings_get ();
  ShrDocument *doc = g_new0 (ShrDocument, 1);
  doc->text = text;
  doc->sections = g_ptr_array_new_with_free_func ((GDestroyNotify)section_free);
  doc->fields = g_ptr_array_new_with_free_func ((GDestroyNotify)field_free);
  doc->tables = g_ptr_array_new_with_free_func ((GDestroyNotify)table_free);

  gsize len = strlen (text);
  guint n = 1;
  for (const gchar *nl = memchr (text, '\n', len); nl != NULL;
       nl = memchr (nl + 1, '\n', len - (nl + 1 - text)))
    n++;
  g_autofree Line *lines = g_new (Line, n);
  n = 0;
  for (gsize s = 0; s <= len;)
    {
      const gchar *nl = memchr (text + s, '\n', len - s);
      gsize e = nl ? (gsize)(nl - text) : len;
      lines[n++] = (Line){ s, e };
      if (nl == NULL)
        break;
      s = e + 1;
    }
  const Line *L = lines;

  open_section (doc, SHR_ROLE_NONE, "", 0, 0, len);
  ShrRole known_role = SHR_ROLE_NONE; /* of the last heading the table knew */
  guint known_depth = 0;
  guint table_first = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      const Line *l = &L[i];
      gboolean blank = line_blank (text, l);
      gboolean prev_blank = i == 0 || line_blank (text, &L[i - 1]) || line_is_rule (text, &L[i - 1]);
      gboolean next_rule = i + 1 < n && line_is_rule (text, &L[i + 1]) && !line_is_rule (text, l)
                           && !line_has_cells (text, &L[i + 1]);
      gboolean row = !blank && line_has_cells (text, l);
      gboolean column_field = FALSE;
      if (row)
        {
          /* "IR Number:    FG-IR-26-999" is a field written in columns. */
          g_autofree gchar *probe = g_strstrip (g_strndup (text + l->start, l->end - l->start));
          g_autofree gchar *pk = NULL, *pv = NULL;
          if (line_has_colon (text, l) && split_field (probe, &pk, &pv) && *pv != '\0'
              && strstr (pk, "  ") == NULL && strchr (pv, '|') == NULL)
            row = FALSE;
          else
            {
              /* "Severity        Critical": a known key, a gap, a value;
               * not "Affected Product    Fixed Version", two column
               * names over a table. */
              GArray *cells = split_cells (text, l);
              if (cells->len == 2 && strchr (probe, '|') == NULL)
                {
                  const gchar *k = g_array_index (cells, Cell, 0).text;
                  const gchar *v = g_array_index (cells, Cell, 1).text;
                  ShrRole kr = core_role (table, k);
                  if (kr != SHR_ROLE_NONE
                      && (column_for (k) == SHR_COLUMN_OTHER || column_for (v) == SHR_COLUMN_OTHER))
                    {
                      ShrField *f = g_new0 (ShrField, 1);
                      f->role = kr;
                      f->key = g_strdup (k);
                      f->value = g_strdup (g_array_index (cells, Cell, 1).text);
                      f->offset = l->start;
                      f->section = doc->sections->len - 1;
                      g_ptr_array_add (doc->fields, f);
                      column_field = TRUE;
                      row = FALSE;
                    }
                }
              cells_free (cells);
            }
        }

      /* Tables: runs of two or more row lines (rules between them). */
      gboolean table_line = row || (table_first != G_MAXUINT && line_is_table_rule (text, l) && !blank);
      if (table_line && table_first == G_MAXUINT)
        table_first = i;
      if (!table_line && table_first != G_MAXUINT)
        {
          if (i - table_first >= 2)
            g_ptr_array_add (doc->tables, make_table (text, L, table_first, i - 1, doc->sections->len - 1));
          table_first = G_MAXUINT;
        }
      if (blank || line_is_rule (text, l) || column_field)
        continue;

      /* Headings and fields are short lines; a long one is prose. */
      if (l->end - l->start > 240 && !row)
        continue;
      gboolean markdown = text[l->start] == '#';
      g_autofree gchar *key = NULL, *value = NULL;
      gboolean field = FALSE;
      if (!row && !markdown && line_has_colon (text, l))
        {
          g_autofree gchar *raw = g_strstrip (g_strndup (text + l->start, l->end - l->start));
          field = split_field (raw, &key, &value);
        }
      /* A row is no heading (nor is a field with a value): its words are
       * not looked at. Lines here are at most 240 bytes, but rows. */
      gchar core_buf[256];
      guint depth = 0;
      const gchar *core = row || (field && *value != '\0')
                              ? NULL
                              : heading_core (text + l->start, l->end - l->start, &depth, core_buf);
      ShrRole role = core == NULL ? SHR_ROLE_NONE : core_role (table, core);
      gboolean heading = FALSE;
      gboolean known = FALSE;
      if (field)
        {
          ShrRole key_role = core_role (table, key);
          if (*value == '\0')
            {
              /* "Fixed in:" over a list, "Issue Correction:" over a
               * paragraph: a heading. */
              heading = TRUE;
              role = key_role;
              known = role != SHR_ROLE_NONE;
              core = key;
            }
          else
            {
              ShrField *f = g_new0 (ShrField, 1);
              f->role = key_role;
              f->key = g_strdup (key);
              /* Continuation lines: indented deeper, not a new field. */
              GString *v = g_string_new (value);
              for (guint j = i + 1; j < n; j++)
                {
                  const Line *c = &L[j];
                  if (line_blank (text, c) || (text[c->start] != ' ' && text[c->start] != '\t'))
                    break;
                  g_autofree gchar *craw = g_strstrip (g_strndup (text + c->start, c->end - c->start));
                  g_autofree gchar *ck = NULL, *cv = NULL;
                  if (line_has_colon (text, c) && split_field (craw, &ck, &cv))
                    break;
                  g_string_append_c (v, ' ');
                  g_string_append (v, craw);
                }
              f->value = g_string_free (v, FALSE);
              f->offset = l->start;
              f->section = doc->sections->len - 1;
              g_ptr_array_add (doc->fields, f);
              continue;
            }
        }
      /* A heading stands on its own: after a blank line, or marked as one
       * (numbered, decorated, underlined); a wrapped sentence that starts
       * with a heading's word ("Vulnerabilities (KEV) Catalog, based on
       * evidence …") is none. A list item is no heading either. */
      const gchar *lead = text + l->start;
      while (*lead == ' ' || *lead == '\t')
        lead++;
      gboolean list_item = (lead[0] == '*' || lead[0] == '-' || lead[0] == '+') && lead[1] == ' ';
      list_item |= (guchar)*lead >= 0x80 && (g_str_has_prefix (lead, "• ") || g_str_has_prefix (lead, "・"));
      gboolean marked
          = depth > 0 || markdown || next_rule || (guchar)*lead >= 0x80 || *lead == '[' || *lead == '#';
      if (!field && !row && role != SHR_ROLE_NONE
          && (strlen (core) > 80 || ends_like_sentence (core, strlen (core)) || (!prev_blank && !marked)
              || list_item))
        role = SHR_ROLE_NONE;
      if (!field && !row)
        {
          if (role != SHR_ROLE_NONE)
            heading = known = TRUE;
          else if (markdown || next_rule)
            heading = TRUE;
          else if (!list_item && prev_blank && looks_like_heading (core, l->end - l->start)
                   && ((i + 1 < n && !line_blank (text, &L[i + 1]))
                       || (i + 2 < n && line_blank (text, &L[i + 1]) && !line_blank (text, &L[i + 2]))))
            heading = TRUE;
        }

      if (!heading)
        continue;
      if (known)
        {
          known_role = role;
          known_depth = depth;
        }
      else
        {
          /* A heading the table does not know: inside a known section it
           * is a sub-heading ("NGFW managed by Strata Cloud Manager" under
           * Workarounds, "3.2.1 COMMAND INJECTION" under 3.2), unless it is
           * numbered at the known heading's level or above, which starts
           * a new part of the document. */
          /* A heading that names a CVE ("CVE-2024-9680: Use-after-free …")
           * starts the part about that vulnerability. */
          gboolean sub = known_role != SHR_ROLE_NONE && (depth == 0 || depth > known_depth)
                         && strstr (core, "CVE-") == NULL;
          role = sub ? known_role : SHR_ROLE_NONE;
          if (!sub)
            {
              known_role = SHR_ROLE_NONE;
              known_depth = 0;
            }
        }
      gsize start = next_rule ? L[i + 1].end : l->end;
      if (start < len)
        start++;
      /* A sub-heading stays in its section's text ("Managed firewalls",
       * "Acme Gateway 5.0.8" under Fixed Versions): it may be content. */
      if (!known && role != SHR_ROLE_NONE && !next_rule && !markdown)
        start = l->start;
      open_section (doc, role, core, l->start, start, len);
      if (next_rule)
        i++;
    }
  if (table_first != G_MAXUINT && n - table_first >= 2)
    g_ptr_array_add (doc->tables, make_table (text, L, table_first, n - 1, doc->sections->len - 1));
  return doc;
}

gchar *
shr_document_section_text (const ShrDocument *doc, guint i)
{
  g_return_val_if_fail (doc != NULL && i < doc->sections->len, NULL);
  const ShrSection *s = g_ptr_array_index (doc->sections, i);
  gsize end = MAX (s->start, s->end);
  return g_strndup (doc->text + s->start, end - s->start);
}

gchar *
shr_document_role_text (const ShrDocument *doc, ShrRole role)
{
  GString *out = NULL;
  for (guint i = 0; i < doc->sections->len; i++)
    {
      const ShrSection *s = g_ptr_array_index (doc->sections, i);
      if (s->role != role || s->end <= s->start)
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      else
        g_string_append (out, "\n\n");
      g_string_append_len (out, doc->text + s->start, s->end - s->start);
    }
  return out ? g_string_free (out, FALSE) : NULL;
}

const ShrField *
shr_document_field (const ShrDocument *doc, ShrRole role)
{
  for (guint i = 0; i < doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (doc->fields, i);
      if (f->role == role)
        return f;
    }
  return NULL;
}

ShrRole
shr_document_role_at (const ShrDocument *doc, gsize offset)
{
  for (guint i = doc->sections->len; i > 0; i--)
    {
      const ShrSection *s = g_ptr_array_index (doc->sections, i - 1);
      if (s->heading_start <= offset)
        return s->role;
    }
  return SHR_ROLE_NONE;
}
