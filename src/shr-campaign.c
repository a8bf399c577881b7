/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-campaign.c — threat actors, reporters, targeted sectors and regions.
 *
 * Names are the text's: an actor is recorded under the first name the mail
 * uses for it, unless the mail then introduces it under another name with
 * that first one as an alias ("Forest Blizzard, more commonly known as Fancy
 * Bear"); its other names follow, those the text gives first. One vendor's
 * name is never replaced by another's. */
#include "config.h"

#include "shr-campaign.h"

#include <string.h>

#include "shr-limits.h"

/* ---- small text helpers --------------------------------------------------- */

/* A compiled case-sensitive regex, kept for the process (shr_regex() is
 * case-insensitive; names are told by their capitals). */
static GRegex *
exact_regex (const gchar *pattern, GRegex **slot)
{
  if (g_once_init_enter (slot))
    {
      GError *error = NULL;
      GRegex *re = g_regex_new (pattern, G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, &error);
      if (re == NULL)
        g_error ("bad built-in regex %s: %s", pattern, error->message);
      g_once_init_leave (slot, re);
    }
  return *slot;
}

/* Whether the word at @start is part of a URL or an e-mail address
 * ("…/apt44-unearthing-sandworm", "taiwan-critical-infrastructure"). */
static gboolean
in_url (const gchar *text, gsize start)
{
  const gchar *p = text + start;
  guint n = 0;
  while (p > text && n < 300)
    {
      guchar c = p[-1];
      if (c == ' ' || c == '\n' || c == '\t' || c == '<' || c == '(' || c == '"' || c >= 0x80)
        break;
      p--;
      n++;
    }
  for (const gchar *q = p; q < text + start; q++)
    if (*q == '/' || *q == '@' || (q[0] == 'w' && g_str_has_prefix (q, "www.")))
      return TRUE;
  return FALSE;
}

/* Up to @max bytes of @text before @start, cut at a character boundary
 * (transfer full). */
static gchar *
window_before (const gchar *text, gsize start, gsize max)
{
  gsize from = start > max ? start - max : 0;
  while (from < start && (text[from] & 0xC0) == 0x80)
    from++;
  return g_strndup (text + from, start - from);
}

/* Up to @max bytes of @text from @end, cut at a character boundary. */
static gchar *
window_after (const gchar *text, gsize end, gsize max)
{
  gsize len = strnlen (text + end, max);
  while (len > 0 && text[end + len] != '\0' && (text[end + len] & 0xC0) == 0x80)
    len--;
  return g_strndup (text + end, len);
}

/* Whether the full stop at @p ends an abbreviation rather than a sentence:
 * "U.S.", "U.K.", "e.g.", "Inc.", "St." ("exchanges in Japan, the U.S.
 * and Israel" is one sentence). */
static gboolean
abbreviation_stop (const gchar *text, const gchar *p)
{
  if (p - text >= 2 && g_ascii_isalpha (p[-1]) && p[-2] == '.')
    return TRUE;
  static const gchar *const words[]
      = { "Inc", "Corp", "Ltd", "Co", "St", "Mr", "Ms", "Dr", "vs", "etc", "No", NULL };
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize n = strlen (words[i]);
      if ((gsize)(p - text) >= n && strncmp (p - n, words[i], n) == 0
          && ((gsize)(p - text) == n || !g_ascii_isalnum (p[-(gssize)n - 1])))
        return TRUE;
    }
  return FALSE;
}

static gboolean
ends_sentence (const gchar *text, const gchar *p)
{
  guchar c = *p;
  if (c == '.' || c == '!' || c == '?')
    return (p[1] == '\0' || p[1] == ' ' || p[1] == '\n') && !(c == '.' && abbreviation_stop (text, p));
  if (c == 0xE3) /* 。 */
    return (guchar)p[1] == 0x80 && (guchar)p[2] == 0x82;
  if (c == 0xEF) /* ！ ？ */
    return (guchar)p[1] == 0xBC && ((guchar)p[2] == 0x81 || (guchar)p[2] == 0x9F);
  return c == '\n' && p[1] == '\n';
}

/* The bytes a sentence end can begin with. */
static inline gboolean
may_end (guchar c)
{
  return c == '.' || c == '!' || c == '?' || c == '\n' || c == 0xE3 || c == 0xEF;
}

#define SHR_SENTENCE_REACH 600 /* bytes either side: a longer "sentence" is a table */

/* What each byte is to the walks of sentence_bounds(). */
enum
{
  PLAIN_ASCII, /* passed over a byte at a time: most of a text */
  MAY_END,     /* see may_end() */
  OTHER        /* NUL, or part of a longer character */
};

static const guint8 *
sentence_bytes (void)
{
  static guint8 kinds[256];
  static gsize ready = 0;
  if (g_once_init_enter (&ready))
    {
      for (guint c = 0; c < 256; c++)
        kinds[c] = may_end (c) ? MAY_END : c == 0 || c >= 0x80 ? OTHER : PLAIN_ASCII;
      g_once_init_leave (&ready, 1);
    }
  return kinds;
}

/* Where the sentence around @offset starts and ends (byte offsets). The
 * walk is byte by byte: every byte a sentence end can begin with is ASCII
 * or the lead byte of 。！？, which no continuation byte equals. */
static void
sentence_bounds (const gchar *text, gsize offset, gsize *from, gsize *to)
{
  const guint8 *kinds = sentence_bytes ();
  gsize s = offset;
  gsize first = offset > SHR_SENTENCE_REACH ? offset - SHR_SENTENCE_REACH : 0;
  while (s > first)
    {
      if (kinds[(guchar)text[s - 1]] == PLAIN_ASCII)
        {
          s--;
          continue;
        }
      const gchar *prev = text + s - 1;
      guchar c = *prev;
      if ((c & 0xC0) == 0x80 && s >= 3 && (guchar)prev[-2] >= 0xE0)
        prev -= 2; /* the last byte of a three-byte character */
      if (may_end (*prev)
          && (ends_sentence (text, prev) || (*prev == '\n' && prev > text && prev[-1] == '\n')))
        break;
      s = prev - text;
    }
  gsize e = offset;
  gsize last = offset + SHR_SENTENCE_REACH;
  while (e < last && text[e] != '\0')
    {
      if (kinds[(guchar)text[e]] == MAY_END && ends_sentence (text, text + e))
        {
          if (text[e] != '\n')
            e += (guchar)text[e] >= 0xE0 ? 3 : 1;
          break;
        }
      e++;
    }
  /* Never end inside a character. */
  while (text[e] != '\0' && ((guchar)text[e] & 0xC0) == 0x80)
    e++;
  *from = s;
  *to = e;
}

/* (transfer full) @s with ASCII capitals lower-cased, byte for byte (the
 * offsets are @s's). */
static gchar *
lower_ascii (const gchar *s)
{
  gsize n = strlen (s);
  gchar *out = g_malloc (n + 1);
  for (gsize i = 0; i <= n; i++)
    out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
  return out;
}

/* The record keeps the first sentence given for a field: the others are
 * not cut out of the text at all. The sentence [@from, @to) of @text,
 * lines joined. Unlike shr_sentence_at(), abbreviations do not end it. */
static void
set_evidence_span (ShrRecord *record, const gchar *field, const gchar *text, gsize from, gsize to)
{
  if (g_hash_table_contains (record->evidence, field))
    return;
  g_autofree gchar *sentence = shr_text_joined (text + from, text + to);
  shr_record_set_evidence (record, field, sentence);
}

/* The same for the sentence around @offset. */
static void
set_evidence (ShrRecord *record, const gchar *field, const gchar *text, gsize offset)
{
  if (g_hash_table_contains (record->evidence, field))
    return;
  gsize from, to;
  sentence_bounds (text, offset, &from, &to);
  set_evidence_span (record, field, text, from, to);
}

/* A pattern that must match at the start of @s has every branch start
 * with \A: PCRE then tries it there only (a '^', under shr_regex()'s
 * multi-line mode, would be tried after every line break of @s too). */
static gboolean
matches (const gchar *pattern, const gchar *s)
{
  return shr_regex_test (pattern, s);
}

/* Whether the first byte of @s past ASCII white space is not ASCII: where
 * a pattern of Japanese wordings can begin (PCRE's \s also takes in
 * Unicode spaces, which are not ASCII either). */
static gboolean
japanese_follows (const gchar *s)
{
  while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
    s++;
  return (guchar)*s >= 0x80;
}

/* matches(), where @may, a cheap condition every match needs (a byte, a
 * literal each branch holds), says the pattern can match at all. */
static gboolean
matches_if (gboolean may, const gchar *pattern, const gchar *s)
{
  return may && matches (pattern, s);
}

/* A few words looked for together in one pass over a short text: a
 * position is compared with the words only where its two bytes begin one
 * of them. A literal gate for a pattern each of whose branches needs one
 * of the words (strstr() per word, or a prefix test of every word at each
 * position, cost more than some of the matches they spared). */
typedef struct
{
  const gchar *const *words; /* NULL-terminated, at most 96, each of two bytes or more */
  /* ASCII letters in either case, the words written in lower case.
   * Caseless matching also reads K (U+212A) as "k" and ſ (U+017F) as "s":
   * a text with either holds every word. */
  gboolean caseless;
  gsize ready;
  guint8 pairs[256][32]; /* bit b % 8 of pairs[a][b / 8]: a word starts with the bytes a b */
  guint8 lengths[96];
} WordSet;

static inline gchar
ascii_lower (gchar c)
{
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void
word_set_pair (WordSet *set, guchar a, guchar b)
{
  set->pairs[a][b / 8] |= 1u << (b % 8);
}

static void
word_set_prepare (WordSet *set)
{
  if (!g_once_init_enter (&set->ready))
    return;
  for (guint i = 0; set->words[i] != NULL; i++)
    {
      g_assert (i < G_N_ELEMENTS (set->lengths));
      const gchar *w = set->words[i];
      set->lengths[i] = strlen (w);
      g_assert (set->lengths[i] >= 2);
      word_set_pair (set, w[0], w[1]);
      if (set->caseless)
        {
          word_set_pair (set, g_ascii_toupper (w[0]), w[1]);
          word_set_pair (set, w[0], g_ascii_toupper (w[1]));
          word_set_pair (set, g_ascii_toupper (w[0]), g_ascii_toupper (w[1]));
        }
    }
  if (set->caseless)
    {
      word_set_pair (set, 0xC5, 0xBF); /* ſ */
      word_set_pair (set, 0xE2, 0x84); /* K */
    }
  g_once_init_leave (&set->ready, 1);
}

/* The index of the first of @set's words that starts at @p (which is
 * NUL-terminated), or -1. */
static gint
word_set_at (WordSet *set, const gchar *p)
{
  guchar a = p[0], b = p[1];
  if ((set->pairs[a][b / 8] & 1u << (b % 8)) == 0)
    return -1;
  if (set->caseless)
    {
      gchar la = ascii_lower (a), lb = ascii_lower (b);
      for (guint i = 0; set->words[i] != NULL; i++)
        if (set->words[i][0] == la && set->words[i][1] == lb
            && g_ascii_strncasecmp (p, set->words[i], set->lengths[i]) == 0)
          return i;
    }
  else
    for (guint i = 0; set->words[i] != NULL; i++)
      if (set->words[i][0] == p[0] && set->words[i][1] == p[1]
          && strncmp (p, set->words[i], set->lengths[i]) == 0)
        return i;
  return -1;
}

/* Whether one of @set's words starts in the first @len bytes of @s (it
 * may run past them: @s is NUL-terminated). */
static gboolean
word_set_in (WordSet *set, const gchar *s, gsize len)
{
  word_set_prepare (set);
  for (gsize i = 0; i < len && s[i] != '\0'; i++)
    {
      guchar a = s[i], b = s[i + 1];
      if ((set->pairs[a][b / 8] & 1u << (b % 8)) == 0)
        continue;
      if (word_set_at (set, s + i) >= 0)
        return TRUE;
      if (set->caseless && ((a == 0xC5 && b == 0xBF) || (a == 0xE2 && b == 0x84 && (guchar)s[i + 2] == 0xAA)))
        return TRUE;
    }
  return FALSE;
}

/* ---- patterns searched for near their words ------------------------------ */

/* Where a match holding the needle found at @at (@len bytes) can lie:
 * [*from, *to), *to past the character after it (which a lookahead or a
 * \b reads). */
typedef void (*MatchWindow) (const gchar *text, gsize at, gsize len, gsize *from, gsize *to);

#define MAX_NEEDLES 6

/* The matches of a pattern each of which holds one of a few needles, in
 * the order a g_regex_match() and g_match_info_next() loop over the whole
 * text gives them, but searched for only in the windows around the
 * needles: over the whole text the pattern was tried at every capital
 * letter or every kana, for a few matches. A window ends past the
 * character after any match it can hold (which a lookahead reads), so a
 * match is found in it as in the whole text. */
typedef struct
{
  GRegex *re;
  const gchar *text;
  const gchar *const *needles; /* NULL-terminated, at most MAX_NEEDLES */
  MatchWindow window;
  gsize next[MAX_NEEDLES]; /* where each needle occurs next, or G_MAXSIZE */
  gsize resume;            /* no match starts before the end of the last */
  gsize searched_from, searched_to;
  GMatchInfo *match; /* the current match, or NULL */
} MatchWalk;

static void
match_walk_init (MatchWalk *w, GRegex *re, const gchar *text, const gchar *const *needles, MatchWindow window)
{
  *w = (MatchWalk){ .re = re, .text = text, .needles = needles, .window = window };
  for (guint i = 0; needles[i] != NULL; i++)
    {
      g_assert (i < MAX_NEEDLES);
      const gchar *hit = strstr (text, needles[i]);
      w->next[i] = hit != NULL ? (gsize)(hit - text) : G_MAXSIZE;
    }
}

static void
match_walk_clear (MatchWalk *w)
{
  g_clear_pointer (&w->match, g_match_info_free);
}

/* Moves to the next match (w->match); FALSE when there is none. */
static gboolean
match_walk_next (MatchWalk *w)
{
  if (w->match != NULL)
    {
      gint s, e;
      g_match_info_fetch_pos (w->match, 0, &s, &e);
      w->resume = e;
      if (g_match_info_next (w->match, NULL))
        return TRUE;
      g_clear_pointer (&w->match, g_match_info_free);
    }
  for (;;)
    {
      guint first = 0;
      for (guint i = 1; w->needles[i] != NULL; i++)
        if (w->next[i] < w->next[first])
          first = i;
      gsize at = w->next[first];
      if (at == G_MAXSIZE)
        return FALSE;
      const gchar *again = strstr (w->text + at + 1, w->needles[first]);
      w->next[first] = again != NULL ? (gsize)(again - w->text) : G_MAXSIZE;
      gsize from, to;
      w->window (w->text, at, strlen (w->needles[first]), &from, &to);
      from = MAX (from, w->resume);
      /* A window inside the last one was searched with it. */
      if (from >= to || (from >= w->searched_from && to <= w->searched_to))
        continue;
      w->searched_from = from;
      w->searched_to = to;
      if (g_regex_match_full (w->re, w->text, to, from, 0, &w->match, NULL))
        return TRUE;
      g_clear_pointer (&w->match, g_match_info_free);
    }
}

/* The run of ASCII letters, digits, spaces and @marks around @at to @at +
 * @len, and the character after it. */
static void
run_window (const gchar *text, gsize at, gsize len, const gchar *marks, gsize *from, gsize *to)
{
  gsize s = at, e = at + len;
  while (s > 0
         && (g_ascii_isalnum (text[s - 1]) || text[s - 1] == ' ' || strchr (marks, text[s - 1]) != NULL))
    s--;
  while (text[e] != '\0' && (g_ascii_isalnum (text[e]) || text[e] == ' ' || strchr (marks, text[e]) != NULL))
    e++;
  if (text[e] != '\0')
    e += g_utf8_skip[(guchar)text[e]];
  *from = s;
  *to = e;
}

/* Whether PCRE's \s (Unicode white space) may match @c. */
static gboolean
may_be_space (gunichar c)
{
  return g_unichar_isspace (c) || c == '\v' || c == 0x85 || c == 0x180E;
}

/* The length of the run of characters at @p that PCRE's \s may match. */
static gsize
space_length (const gchar *p)
{
  const gchar *q = p;
  for (;;)
    if (*q == ' ' || (*q >= '\t' && *q <= '\r'))
      q++;
    else if ((guchar)*q >= 0x80 && may_be_space (g_utf8_get_char (q)))
      q = g_utf8_next_char (q);
    else
      return q - p;
}

static gboolean
same_name (const gchar *a, const gchar *b)
{
  g_autofree gchar *x = shr_lexicon_normalize_name (a);
  g_autofree gchar *y = shr_lexicon_normalize_name (b);
  return strcmp (x, y) == 0;
}

static gboolean
strv_has_name (GPtrArray *names, const gchar *name)
{
  for (guint i = 0; i < names->len; i++)
    if (same_name (names->pdata[i], name))
      return TRUE;
  return FALSE;
}

/* Names in order, each once after normalisation: an actor's list of other
 * names (up to SHR_MAX_ACTOR_ALIASES of the lexicon's) is checked for every
 * name added. */
typedef struct
{
  GPtrArray *names; /* (element-type utf8) as written */
  GHashTable *keys; /* normalised, owned */
} NameSet;

static void
name_set_init (NameSet *set)
{
  set->names = g_ptr_array_new_with_free_func (g_free);
  set->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
name_set_clear (NameSet *set)
{
  g_ptr_array_unref (set->names);
  g_hash_table_unref (set->keys);
}

static gboolean
name_set_has (const NameSet *set, const gchar *name)
{
  g_autofree gchar *key = shr_lexicon_normalize_name (name);
  return g_hash_table_contains (set->keys, key);
}

/* Adds @name's normalised form to @keys (owned strings) unless there;
 * returns whether it was added. */
static gboolean
key_set_add (GHashTable *keys, const gchar *name)
{
  gchar *key = shr_lexicon_normalize_name (name);
  if (*key == '\0')
    {
      g_free (key);
      return FALSE;
    }
  return g_hash_table_add (keys, key);
}

/* Adds @name unless there; returns whether it was added. */
static gboolean
name_set_add (NameSet *set, const gchar *name)
{
  if (!key_set_add (set->keys, name))
    return FALSE;
  g_ptr_array_add (set->names, g_strdup (name));
  return TRUE;
}

/* ---- names ---------------------------------------------------------------- */

/* Vendors' naming schemes: Mandiant's APT/UNC/FIN/TEMP., Cisco Talos'
 * UAT, Proofpoint's TA, Microsoft's Storm-/DEV- and weather families,
 * CrowdStrike's animals, Secureworks' colours, Trend Micro's Earth, CERT-UA's
 * UAC, Google's TAG, Unit 42's constellations. A name written so is an
 * actor's even when no list knows it yet. */
static gboolean
ends_name (const gchar *p)
{
  return !(g_ascii_isalnum (*p) || *p == '_' || *p == '-');
}

/* The number of digits at @p when there are @min to @max and the name
 * ends after them, else 0. */
static gsize
digits_then_end (const gchar *p, guint min, guint max)
{
  gsize n = 0;
  while (g_ascii_isdigit (p[n]))
    n++;
  return n >= min && n <= max && ends_name (p + n) ? n : 0;
}

/* The length of the scheme name that starts at @p, or 0. */
static gsize
scheme_name_length (const gchar *p)
{
  static const struct
  {
    const gchar *head;
    guint min, max;
  } numbered[] = {
    { "APT-C-", 2, 3 }, { "APT-", 1, 3 },   { "APT ", 1, 3 }, { "APT", 1, 3 },  { "UNC", 2, 5 },
    { "UAT-", 3, 5 },   { "UAT", 3, 5 },    { "TA", 3, 4 },   { "FIN", 1, 2 },  { "DEV-", 4, 4 },
    { "Storm-", 4, 4 }, { "STORM-", 4, 4 }, { "TAG-", 2, 4 }, { "UAC-", 4, 4 },
  };
  /* Most capitals begin ordinary words: a word in lower case after its
   * capital can only be "Storm-…" or a family name. */
  if (g_ascii_islower (p[1]) && p[0] != 'S')
    goto family;
  /* The first two bytes before each prefix test: most capitals here
   * begin no scheme's name. */
  for (guint i = 0; i < G_N_ELEMENTS (numbered); i++)
    if (p[0] == numbered[i].head[0] && p[1] == numbered[i].head[1] && g_str_has_prefix (p, numbered[i].head))
      {
        gsize h = strlen (numbered[i].head);
        gsize d = digits_then_end (p + h, numbered[i].min, numbered[i].max);
        if (d > 0)
          return h + d;
      }
  if (p[0] == 'T' && g_str_has_prefix (p, "TEMP.") && g_ascii_isupper (p[5]))
    {
      gsize n = 6;
      while (g_ascii_islower (p[n]))
        n++;
      return n > 6 && ends_name (p + n) ? n : 0;
    }
  static const gchar *const colours[]
      = { "BRONZE ", "IRON ", "COBALT ", "NICKEL ", "GOLD ", "TUNGSTEN ", "ZINC ", "PLATINUM ", NULL };
  for (guint i = 0; colours[i] != NULL; i++)
    if (p[0] == colours[i][0] && p[1] == colours[i][1] && g_str_has_prefix (p, colours[i]))
      {
        gsize h = strlen (colours[i]), n = 0;
        while (g_ascii_isupper (p[h + n]))
          n++;
        return n >= 3 && ends_name (p + h + n) ? h + n : 0;
      }
family:;
  /* A capitalised word and a family's word: "Earth Kasha", "Salt Typhoon". */
  const gchar *w = p + 1;
  while (g_ascii_islower (*w))
    w++;
  if (w == p + 1 || *w != ' ' || !g_ascii_isupper (w[1]))
    return 0;
  if (w - p == 5 && strncmp (p, "Earth", 5) == 0)
    {
      gsize n = 1;
      while (g_ascii_islower (w[1 + n]))
        n++;
      return n >= 3 && ends_name (w + 1 + n) ? (gsize)(w + 1 + n - p) : 0;
    }
  static const gchar *const families[]
      = { "Typhoon", "Blizzard", "Sandstorm", "Sleet",  "Tempest", "Cyclone",  "Hail",    "Tsunami", "Panda",
          "Bear",    "Kitten",   "Chollima",  "Spider", "Jackal",  "Tiger",    "Leopard", "Buffalo", "Ocelot",
          "Taurus",  "Ursa",     "Serpens",   "Pisces", "Libra",   "Scorpius", NULL };
  for (guint i = 0; families[i] != NULL; i++)
    {
      if (w[1] != families[i][0])
        continue;
      gsize n = strlen (families[i]);
      if (strncmp (w + 1, families[i], n) == 0 && ends_name (w + 1 + n))
        return w + 1 + n - p;
    }
  return 0;
}

static gboolean
is_scheme_name (const gchar *name)
{
  gsize n = scheme_name_length (name);
  return n > 0 && name[n] == '\0';
}

/* Words that begin sentences or name things other than actors. */
static gboolean
generic_word (const gchar *w, gsize len)
{
  static const gchar *const words[]
      = { "The",         "A",      "An",      "This",      "That",      "These",    "Those",   "It",
          "Its",         "They",   "Their",   "Our",       "We",        "He",       "She",     "In",
          "On",          "At",     "Of",      "For",       "From",      "By",       "With",    "And",
          "Or",          "But",    "As",      "If",        "When",      "While",    "APT",     "Group",
          "Groups",      "Team",   "Actor",   "Actors",    "Threat",    "Hackers",  "Unit",    "Microsoft",
          "Google",      "New",    "Big",     "Old",       "Some",      "Other",    "Several", "Many",
          "Both",        "All",    "Also",    "According", "CVE",       "Security", "Cyber",   "Research",
          "Researchers", "Report", "Reports", "Campaign",  "Operation", NULL };
  for (guint i = 0; words[i] != NULL; i++)
    if (strlen (words[i]) == len && strncmp (words[i], w, len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
token_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_' || c == '$';
}

/* A name at @p: up to four tokens, each starting with a capital or a digit
 * ("APT 28", "Black Banshee", "Av3ngers", "TEMP.Veles", "LAPSUS$"), maybe in
 * quotes, or anything in 「」. Returns the byte after it (and its closing
 * quote) and sets *out, or returns @p. */
static gsize
parse_name (const gchar *text, gsize p, gchar **out)
{
  const gchar *s = text + p;
  while (*s == ' ')
    s++;
  static const gchar *const open[]
      = { "\"", "'", "\xe2\x80\x9c", "\xe2\x80\x98", "\xe3\x80\x8c", "\xe3\x80\x8e", NULL };
  static const gchar *const close[]
      = { "\"", "'", "\xe2\x80\x9d", "\xe2\x80\x99", "\xe3\x80\x8d", "\xe3\x80\x8f", NULL };
  gint quote = -1;
  for (gint i = 0; open[i] != NULL; i++)
    if (g_str_has_prefix (s, open[i]))
      {
        quote = i;
        s += strlen (open[i]);
        break;
      }
  if (quote >= 4)
    {
      /* 「Name」: whatever the brackets hold, when it is short. */
      const gchar *e = strstr (s, close[quote]);
      if (e == NULL || e == s || e - s > 60 || memchr (s, '\n', e - s) != NULL)
        return p;
      *out = g_strndup (s, e - s);
      return e + strlen (close[quote]) - text;
    }
  const gchar *start = s;
  const gchar *end = s;
  guint tokens = 0;
  while (tokens < 4)
    {
      const gchar *t = end;
      if (tokens > 0)
        {
          if (*t != ' ')
            break;
          t++;
        }
      if (!(g_ascii_isupper (*t) || g_ascii_isdigit (*t)))
        break;
      const gchar *e = t;
      while (token_char (*e))
        e++;
      /* A token ends before a final full stop ("… and TA453."). */
      while (e > t && (e[-1] == '.' || e[-1] == '-'))
        e--;
      if (e == t || (tokens == 0 && generic_word (t, e - t) && !(e[0] == ' ' && g_ascii_isdigit (e[1]))))
        break;
      /* "and", "or" and lower-case words end a name; a token after the
       * first that is a generic word ("Group" in "Lazarus Group") is kept. */
      end = e;
      tokens++;
    }
  if (tokens == 0)
    return p;
  g_autofree gchar *name = g_strndup (start, end - start);
  if (g_str_has_prefix (name, "CVE-"))
    return p;
  const gchar *after = end;
  if (quote >= 0 && g_str_has_prefix (after, close[quote]))
    after += strlen (close[quote]);
  *out = g_steal_pointer (&name);
  return after - text;
}

/* Names separated by ",", "/", "、", "and", "or": "Thallium, Black Banshee
 * and Velvet Chollima". */
static gsize
parse_name_list (const gchar *text, gsize p, GPtrArray *names)
{
  gsize end = p;
  while (names->len < SHR_MAX_ACTOR_ALIASES)
    {
      gchar *name = NULL;
      gsize after = parse_name (text, end, &name);
      if (name == NULL)
        break;
      g_ptr_array_add (names, name);
      end = after;
      const gchar *s = text + end;
      const gchar *t = s;
      while (*t == ' ')
        t++;
      gboolean sep = FALSE;
      if (*t == ',' || *t == '/' || *t == ';')
        {
          t++;
          sep = TRUE;
        }
      else if (g_str_has_prefix (t, "\xe3\x80\x81") || g_str_has_prefix (t, "\xe3\x83\xbb")) /* 、・ */
        {
          t += 3;
          sep = TRUE;
        }
      while (*t == ' ')
        t++;
      if (g_str_has_prefix (t, "and ") || g_str_has_prefix (t, "or "))
        {
          t += t[0] == 'a' ? 4 : 3;
          sep = TRUE;
        }
      if (!sep)
        break;
      end = t - text;
    }
  return end;
}

/* A description ("Chinese hackers", "Iran-linked group") or a country
 * written where a name was expected. */
static gboolean
names_a_region (const ShrLexicon *lexicon, const gchar *name)
{
  g_autoptr (GArray) hits = shr_lexicon_scan (lexicon, SHR_LEXICON_REGION, name);
  return hits->len > 0 && g_array_index (hits, ShrLexiconHit, 0).start == 0;
}

static gboolean
actor_known (const ShrLexicon *lexicon, const gchar *name)
{
  g_autoptr (GPtrArray) rows = shr_lexicon_find_actors (lexicon, name);
  return rows->len > 0 || is_scheme_name (name);
}

/* Whether the 120 bytes at @s hold a word that introduces another name:
 * most names are followed by none, and the full pattern is then not
 * tried. */
static gboolean
might_give_aliases (const gchar *s)
{
  static const gchar *const words[] = { "aka ",
                                        "a.k.a",
                                        "known as",
                                        "tracked as",
                                        "referred to",
                                        "called ",
                                        "dubbed ",
                                        "named ",
                                        "overlap",
                                        "\xe5\x88\xa5\xe5\x90\x8d" /* 別名 */,
                                        "\xe9\x80\x9a\xe7\xa7\xb0" /* 通称 */,
                                        "\xe6\x97\xa7\xe7\xa7\xb0" /* 旧称 */,
                                        "\xe6\x97\xa7\xe5\x90\x8d" /* 旧名 */,
                                        NULL };
  static WordSet set = { .words = words, .caseless = TRUE };
  return word_set_in (&set, s, 120);
}

gsize
shr_campaign_parse_aliases (const ShrLexicon *lexicon, const gchar *text, gsize offset, GPtrArray *names)
{
  g_return_val_if_fail (lexicon != NULL && text != NULL && names != NULL, offset);
  const gchar *s = text + offset;
  /* A closing 」 of the name itself: 「MirrorFace」(別名 Earth Kasha). */
  if (g_str_has_prefix (s, "\xe3\x80\x8d") || g_str_has_prefix (s, "\xe2\x80\x9d") || *s == '"')
    s += *s == '"' ? 1 : 3;
  /* "Naikon APT (aka APT30)", "the Lazarus group, also known as …". */
  static const gchar *const nouns[]
      = { " APT", " group", " Group", " gang", " team", " Team", " actor", NULL };
  for (guint i = 0; *s == ' ' && nouns[i] != NULL; i++)
    if (g_str_has_prefix (s, nouns[i]) && !g_ascii_isalnum (s[strlen (nouns[i])]))
      {
        s += strlen (nouns[i]);
        break;
      }
  const gchar *t = s;
  while (*t == ' ')
    t++;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  gsize end = offset;
  gboolean need_known = FALSE;

  static const gchar trigger[] = "\\A(?:aka|a\\.k\\.a\\.?|also known as|also called|also tracked as|formerly "
                                 "known as|formerly tracked as"
                                 "|formerly|previously known as|previously tracked as|previously|known "
                                 "as|tracked as|別名|通称|旧称|旧名)\\s*[:：]?\\s*";
  gboolean paren = *t == '(' || g_str_has_prefix (t, "\xef\xbc\x88"); /* （ */
  if (paren)
    {
      const gchar *inner = t + (*t == '(' ? 1 : 3);
      const gchar *close = inner;
      while (*close != '\0' && *close != ')' && !g_str_has_prefix (close, "\xef\xbc\x89") && *close != '\n'
             && close - inner < 160)
        close++;
      if (*close != ')' && !g_str_has_prefix (close, "\xef\xbc\x89"))
        return offset;
      g_autofree gchar *content = g_strndup (inner, close - inner);
      g_autoptr (GMatchInfo) m = NULL;
      gsize from = 0;
      if (g_regex_match (shr_regex (trigger), content, 0, &m))
        {
          gint ms, me;
          g_match_info_fetch_pos (m, 0, &ms, &me);
          from = me;
        }
      else
        need_known = TRUE;
      gsize stop = parse_name_list (content, from, found);
      /* Only names fill the parenthesis ("(aka Y)", "(Salt Typhoon)"), not
       * a remark ("(China)", "(CVE-2026-1234)"). */
      const gchar *rest = content + stop;
      while (*rest == ' ' || *rest == '.')
        rest++;
      gboolean ja_called = g_str_has_prefix (rest, "\xe3\x81\xa8\xe3\x82\x82"); /* とも呼ばれる */
      if (*rest != '\0' && !ja_called)
        g_ptr_array_set_size (found, 0);
      if (ja_called)
        need_known = FALSE;
      end = close + (*close == ')' ? 1 : 3) - text;
    }
  else if (*s == '/')
    {
      end = parse_name_list (text, s + 1 - text, found);
      need_known = TRUE;
    }
  else
    {
      /* ", a state-sponsored APT also known as …", ", more commonly known as
       * …", " (aka …", ", 別名 …", "… overlaps with public reporting on groups
       * known as …". */
      static const gchar lead[]
          = "\\A\\s*[,，、]?\\s*(?:(?:an?|the)\\s[^.;:()\\n]{0,80}?\\s)?"
            "(?:(?:also|more "
            "commonly|commonly|better|otherwise|previously|formerly|sometimes|publicly|now)\\s+)?"
            "(?:known|tracked|referred\\s+to|called|dubbed|named)(?:\\s+by\\s+[^,;.\\n]{1,40}?)?\\s+as\\s+"
            "|\\A\\s*[,，]?\\s*(?:aka|a\\.k\\.a\\.?)\\s+"
            "|\\A\\s*[,，、]?\\s*(?:別名|通称|旧称|旧名)\\s*[:：]?\\s*"
            "|\\A[^.;\\n]{0,40}?\\boverlaps?\\s+with\\s+(?:public\\s+reporting\\s+on\\s+)?(?:the\\s+)?"
            "(?:groups?|actors?|activity|clusters?)\\s+(?:known|tracked|referred\\s+to)\\s+as\\s+";
      if (!might_give_aliases (s))
        return offset;
      g_autofree gchar *after = window_after (text, s - text, 240);
      g_autoptr (GMatchInfo) m = NULL;
      if (!g_regex_match (shr_regex (lead), after, 0, &m))
        return offset;
      gint ms, me;
      g_match_info_fetch_pos (m, 0, &ms, &me);
      end = parse_name_list (text, s - text + me, found);
    }
  guint added = 0;
  for (guint i = 0; i < found->len; i++)
    {
      const gchar *name = found->pdata[i];
      if (names_a_region (lexicon, name) || (need_known && !actor_known (lexicon, name)))
        continue;
      if (!strv_has_name (names, name))
        {
          g_ptr_array_add (names, g_strdup (name));
          added++;
        }
    }
  return added > 0 ? end : offset;
}

/* ---- actors ---------------------------------------------------------------- */

typedef struct
{
  gsize start;
  gsize end;
  gchar *name;         /* as written */
  gboolean ransomware; /* a ransomware family's name too */
} Mention;

static void
mention_clear (Mention *m)
{
  g_free (m->name);
}

static gint
compare_mentions (gconstpointer a, gconstpointer b)
{
  const Mention *x = a, *y = b;
  return (x->start > y->start) - (x->start < y->start);
}

static gboolean
overlaps (GArray *mentions, gsize start, gsize end)
{
  for (guint i = 0; i < mentions->len; i++)
    {
      const Mention *m = &g_array_index (mentions, Mention, i);
      if (start < m->end && m->start < end)
        return TRUE;
    }
  return FALSE;
}

static void
add_mention (GArray *mentions, gsize start, gsize end, gchar *name, gboolean ransomware)
{
  Mention m = { start, end, name, ransomware };
  g_array_append_val (mentions, m);
}

/* Whether the text has the group behind a ransomware family's name do the
 * attacking ("the LockBit gang", "attacks by Medusa", 「犯罪集団『LockBit』は…」),
 * rather than name the malware ("infected with LockBit"). */
static gboolean
group_attacks (const gchar *text, gsize start, gsize end)
{
  g_autofree gchar *before = window_before (text, start, 90);
  g_autofree gchar *after = window_after (text, end, 90);
  static const gchar after_en[]
      = "\\A[\"”’'」』]?(?:/"
        "[\\w.-]+)?\\s*(?:ransomware(?:-as-a-service)?\\s+|RaaS\\s+)?(?:gang|group|operators?|operation"
        "|affiliates?|actors?|crew|cartel|hackers|(?:has\\s+|have\\s+|had\\s+|also\\s+)?(?:claimed|breached|"
        "hacked|attacked"
        "|targeted|compromised|exploited|stole|leaked|listed|posted|demanded|took responsibility)"
        "|(?:is|was|were|are)\\s+(?:behind|responsible))\\b";
  static const gchar before_en[] = "(?:attributed\\s+(?:\\w+\\s+){0,3}to|claimed\\s+by|conducted\\s+by|"
                                   "carried\\s+out\\s+by|attacks?\\s+by|attacked\\s+by"
                                   "|compromised\\s+by|breached\\s+by|perpetrated\\s+by|blamed\\s+on|(?:gang|"
                                   "group|operators?|affiliates?|actors?)\\s+"
                                   "(?:called|known\\s+as|dubbed))\\s+(?:the\\s+)?[\"“「]?$";
  static const gchar after_ja[] = "\\A[」』]?\\s*(?:(?:が|は|も)[^。\\n]{0,40}?(?:攻撃|仕掛け|標的|狙|悪用|"
                                  "侵入|犯行声明|関与|主張|窃取|リーク)"
                                  "|(?:による|の)(?:攻撃|犯行|被害)|グループ|集団|一味)";
  static const gchar before_ja[]
      = "(?:集団|グループ|組織|攻撃者|ギャング)(?:は|の|である)?(?:あの)?\\s*[「『]?$";
  /* The Japanese wordings need a Japanese word right after the name (past
   * its closing bracket and white space), or one of their nouns before it:
   * in an English text neither pattern is tried. */
  static const gchar *const ja_nouns[] = { "集団", "グループ", "組織", "攻撃者", "ギャング", NULL };
  static WordSet ja_noun_set = { .words = ja_nouns, .caseless = FALSE };
  gboolean bracket = g_str_has_prefix (after, "」") || g_str_has_prefix (after, "』");
  return matches (after_en, after) || matches (before_en, before)
         || matches_if (japanese_follows (after + (bracket ? 3 : 0)), after_ja, after)
         || matches_if (word_set_in (&ja_noun_set, before, G_MAXSIZE), before_ja, before);
}

/* Whether the text itself calls the name a ransomware family's. */
static gboolean
written_as_ransomware (const gchar *text, gsize start, gsize end)
{
  /* After: a closing quote, "/Other", spaces, then "ransomware". */
  const gchar *a = text + end;
  if (*a == '"' || *a == '\'')
    a++;
  else if (g_str_has_prefix (a, "\xe2\x80\x9d") || g_str_has_prefix (a, "\xe2\x80\x99")
           || g_str_has_prefix (a, "\xe3\x80\x8d") || g_str_has_prefix (a, "\xe3\x80\x8f"))
    a += 3;
  if (*a == '/')
    for (a++; g_ascii_isalnum (*a) || *a == '.' || *a == '-' || *a == '_'; a++)
      ;
  while (*a == ' ' || *a == '\n')
    a++;
  if (g_ascii_strncasecmp (a, "ransomware", 10) == 0 && !g_ascii_isalnum (a[10]) && a[10] != '_')
    return TRUE;
  /* Before: "ransomware", ランサムウェア, an opening quote, spaces. */
  gsize b = start;
  while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '"'))
    b--;
  if (b >= 3 && ((guchar)text[b - 3] == 0xE3 || (guchar)text[b - 3] == 0xE2)
      && (g_str_has_prefix (text + b - 3, "\xe3\x80\x8c") || g_str_has_prefix (text + b - 3, "\xe3\x80\x8e")
          || g_str_has_prefix (text + b - 3, "\xe2\x80\x9c")))
    b -= 3;
  while (b > 0 && text[b - 1] == ' ')
    b--;
  static const gchar ja[]
      = "\xe3\x83\xa9\xe3\x83\xb3\xe3\x82\xb5\xe3\x83\xa0\xe3\x82\xa6\xe3\x82\xa7\xe3\x82\xa2";
  if (b >= 10 && g_ascii_strncasecmp (text + b - 10, "ransomware", 10) == 0)
    return TRUE;
  return b >= sizeof ja - 1 && memcmp (text + b - (sizeof ja - 1), ja, sizeof ja - 1) == 0;
}

/* The names in 「」 where the pattern's group @group starts or ends before
 * them: 犯罪集団「LockBit」, 「MirrorFace」と呼ばれるグループ. */
static void
add_bracketed (const ShrLexicon *lexicon, const gchar *text, MatchWalk *walk, gint group, GArray *mentions)
{
  while (match_walk_next (walk))
    {
      gint s, e;
      g_match_info_fetch_pos (walk->match, group, &s, &e);
      gsize at = group == 0 ? (gsize)e : (gsize)s;
      gchar *name = NULL;
      gsize end = parse_name (text, at, &name);
      /* Inside the brackets (three bytes each). */
      if (name != NULL && !overlaps (mentions, at, end) && !names_a_region (lexicon, name))
        add_mention (mentions, at + 3, end - 3, name, FALSE);
      else
        g_free (name);
    }
  match_walk_clear (walk);
}

/* A group's word (グループ, 集団, 組織) at @at: the word before it, the
 * longest ランサムウェア (21 bytes), white space after it, and the 「 the
 * pattern looks for. */
static void
group_word_window (const gchar *text, gsize at, gsize len, gsize *from, gsize *to)
{
  gsize s = at > 21 ? at - 21 : 0;
  while ((text[s] & 0xC0) == 0x80)
    s++;
  const gchar *e = text + at + len;
  while (*e != '\0' && may_be_space (g_utf8_get_char (e)))
    e = g_utf8_next_char (e);
  if (*e != '\0')
    e = g_utf8_next_char (e);
  *from = s;
  *to = e - text;
}

/* A match that starts with its needle: from there to the end. */
static void
from_needle_on (const gchar *text, gsize at, gsize len, gsize *from, gsize *to)
{
  *from = at;
  *to = at + len + strlen (text + at + len);
}

/* A gang's name before " ransomware": ASCII letters, digits and ".$-/". */
static void
gang_window (const gchar *text, gsize at, gsize len, gsize *from, gsize *to)
{
  run_window (text, at, len, ".$-/", from, to);
}

static void
find_mentions (ShrExtractContext *ctx, const gchar *text, GArray *hits, GArray *mentions)
{
  const ShrLexicon *lexicon = ctx->lexicon;
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      if (hit->kind != SHR_LEXICON_ACTOR || in_url (text, hit->start))
        continue;
      const ShrActorEntry *e = hit->entry;
      gboolean ransomware = e->ransomware || written_as_ransomware (text, hit->start, hit->end);
      add_mention (mentions, hit->start, hit->end, g_strndup (text + hit->start, hit->end - hit->start),
                   ransomware);
    }

  /* Names in a vendor's naming scheme that no list knows yet. */
  for (const gchar *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) || (p > text && (g_ascii_isalnum (p[-1]) || p[-1] == '-' || p[-1] == '_')))
        continue;
      gsize len = scheme_name_length (p);
      if (len == 0)
        continue;
      gsize ms = p - text, me = ms + len;
      const gchar *first_space = memchr (p, ' ', len);
      gboolean generic = first_space != NULL && generic_word (p, first_space - p);
      if (!generic && !overlaps (mentions, ms, me) && !in_url (text, ms))
        add_mention (mentions, ms, me, g_strndup (p, len), written_as_ransomware (text, ms, me));
      p += len - 1;
    }

  /* Names the text introduces: "a threat actor called “TunnelVision”",
   * "the cyber group, known as Cyber Av3ngers", 「MirrorFace」と呼ばれる
   * サイバー攻撃グループ, 犯罪集団「LockBit」, "the BlackByte ransomware gang".
   * Each pattern runs only where its words occur: most advisories have
   * none of them. */
  static const gchar intro_noun[]
      = "\\b(?:threat actors?|threat groups?|(?:threat )?activity (?:group|cluster)|hacking groups?|hacker "
        "groups?"
        "|hackers|cyber ?(?:crime|criminal|espionage)? ?groups?|APT groups?|state-sponsored groups?"
        "|ransomware "
        "(?:groups?|gangs?|operations?)|gangs?|groups?|actors?|adversary|crews?|operators)\\s*,?\\s+"
        "(?:(?:which|that|who)\\s+(?:is\\s+|are\\s+)?)?$";
  static const gchar intro_ja[]
      = "(?:攻撃|サイバー攻撃|ハッカー|犯罪|ランサムウェア|APT|脅威)(?:グループ|集団|組織)\\s*(?=「)";
  static const gchar called_ja[] = "(「[^」\\n]{2,40}」)\\s*(?:[(（][^)）\\n]{0,60}[)）])?\\s*と(?:呼ばれる|"
                                   "称する|名乗る)[^。\\n]{0,15}?(?:グループ|集団|組織|攻撃者)";
  static GRegex *gang_re;
  static const gchar gang_en[]
      = "(?<![A-Za-z0-9_-])([A-Z][A-Za-z0-9.$-]+(?: [A-Z][A-Za-z0-9.$-]+)?)(?:/[A-Z][A-Za-z0-9.-]+)? "
        "ransomware"
        "(?:-as-a-service)? (?:gang|group|operation|operators|affiliates|crew|actors)\\b";
  gboolean japanese = strstr (text, "\xe3\x80\x8c") != NULL; /* 「 */
  {
    /* Searched for without their first letter, so "Dubbed" is found with
     * "dubbed" and the text need not be lower-cased. */
    static const gchar *const verbs[] = { "alled ",
                                          "ubbed ",
                                          "amed ",
                                          "nown as ",
                                          "racked as ",
                                          "dentified as ",
                                          "alling itself ",
                                          "alling themselves ",
                                          "eferred to as ",
                                          "oing by ",
                                          NULL };
    static const gchar firsts[] = "cdnkticcrg";
    for (guint v = 0; verbs[v] != NULL; v++)
      for (const gchar *hit = strstr (text, verbs[v]); hit != NULL; hit = strstr (hit + 1, verbs[v]))
        {
          if (hit == text || g_ascii_tolower (hit[-1]) != firsts[v])
            continue;
          gsize s = hit - 1 - text;
          gsize e = hit - text + strlen (verbs[v]);
          if (s > 0 && g_ascii_isalpha (text[s - 1]))
            continue;
          g_autofree gchar *before = window_before (text, s, 80);
          if (!matches (intro_noun, before))
            continue;
          gchar *name = NULL;
          gsize end = parse_name (text, e, &name);
          if (name == NULL)
            continue;
          gsize at = e;
          while (text[at] == ' ')
            at++;
          if (!overlaps (mentions, at, end) && !names_a_region (lexicon, name) && !in_url (text, at))
            add_mention (mentions, at, end, name, FALSE);
          else
            g_free (name);
        }
  }
  MatchWalk walk;
  if (japanese)
    {
      static const gchar *const group_words[] = { "グループ", "集団", "組織", NULL };
      match_walk_init (&walk, shr_regex (intro_ja), text, group_words, group_word_window);
      add_bracketed (lexicon, text, &walk, 0, mentions);
    }
  if (japanese
      && (strstr (text, "と呼ばれ") != NULL || strstr (text, "と称") != NULL
          || strstr (text, "と名乗") != NULL))
    {
      static const gchar *const quote[] = { "「", NULL };
      match_walk_init (&walk, shr_regex (called_ja), text, quote, from_needle_on);
      add_bracketed (lexicon, text, &walk, 1, mentions);
    }
  {
    static const gchar *const ransomware[] = { " ransomware", NULL };
    match_walk_init (&walk, exact_regex (gang_en, &gang_re), text, ransomware, gang_window);
    while (match_walk_next (&walk))
      {
        gint s, e;
        g_match_info_fetch_pos (walk.match, 1, &s, &e);
        const gchar *sp = memchr (text + s, ' ', e - s);
        gsize first_len = sp != NULL ? (gsize)(sp - (text + s)) : (gsize)(e - s);
        if (!generic_word (text + s, first_len) && !overlaps (mentions, s, e))
          {
            g_autofree gchar *name = g_strndup (text + s, e - s);
            if (!names_a_region (lexicon, name))
              add_mention (mentions, s, e, g_steal_pointer (&name), FALSE);
          }
      }
    match_walk_clear (&walk);
  }
  g_array_sort (mentions, compare_mentions);
}

typedef struct
{
  gchar *primary;
  NameSet text_aliases; /* in the order the text gives them */
  NameSet names;        /* every name the text uses for it */
  /* The lexicon's rows for those names (ShrActorEntry, not owned), in the
   * order of the names, each once: found once per name, not again for
   * each mention compared with the actor. */
  GPtrArray *rows;
} Actor;

static void
actor_free (Actor *a)
{
  g_free (a->primary);
  name_set_clear (&a->text_aliases);
  name_set_clear (&a->names);
  g_ptr_array_unref (a->rows);
  g_free (a);
}

static void
actor_add_name (const ShrLexicon *lexicon, Actor *a, const gchar *name)
{
  if (!name_set_add (&a->names, name))
    return;
  g_autoptr (GPtrArray) found = shr_lexicon_find_actors (lexicon, name);
  for (guint k = 0; k < found->len; k++)
    if (!g_ptr_array_find (a->rows, found->pdata[k], NULL))
      g_ptr_array_add (a->rows, found->pdata[k]);
}

/* Whether @name is one of @a's names, or a row of the lexicon holds both
 * (shr_lexicon_same_actor() with one of them). *@rows caches @name's rows
 * (transfer full). */
static gboolean
actor_has (const ShrLexicon *lexicon, const Actor *a, const gchar *name, GPtrArray **rows)
{
  if (name_set_has (&a->names, name))
    return TRUE;
  if (*rows == NULL)
    *rows = shr_lexicon_find_actors (lexicon, name);
  for (guint i = 0; i < (*rows)->len; i++)
    if (g_ptr_array_find (a->rows, (*rows)->pdata[i], NULL))
      return TRUE;
  return FALSE;
}

static void
add_text_alias (const ShrLexicon *lexicon, Actor *a, const gchar *name)
{
  if (!same_name (name, a->primary) && a->text_aliases.names->len < SHR_MAX_ACTOR_ALIASES)
    name_set_add (&a->text_aliases, name);
  actor_add_name (lexicon, a, name);
}

static void
collect_actors (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  const ShrLexicon *lexicon = ctx->lexicon;
  g_autoptr (GArray) mentions = g_array_new (FALSE, FALSE, sizeof (Mention));
  g_array_set_clear_func (mentions, (GDestroyNotify)mention_clear);
  find_mentions (ctx, text, hits, mentions);

  g_autoptr (GPtrArray) actors = g_ptr_array_new_with_free_func ((GDestroyNotify)actor_free);
  for (guint i = 0; i < mentions->len; i++)
    {
      const Mention *m = &g_array_index (mentions, Mention, i);
      if (m->ransomware && !group_attacks (text, m->start, m->end))
        continue;
      g_autoptr (GPtrArray) given = g_ptr_array_new_with_free_func (g_free);
      shr_campaign_parse_aliases (lexicon, text, m->end, given);

      Actor *a = NULL;
      g_autoptr (GPtrArray) rows = NULL;
      for (guint j = 0; j < actors->len && a == NULL; j++)
        if (actor_has (lexicon, actors->pdata[j], m->name, &rows))
          a = actors->pdata[j];
      if (a == NULL)
        {
          if (actors->len >= SHR_MAX_ACTORS)
            continue;
          a = g_new0 (Actor, 1);
          a->primary = g_strdup (m->name);
          name_set_init (&a->text_aliases);
          name_set_init (&a->names);
          a->rows = g_ptr_array_new ();
          actor_add_name (lexicon, a, m->name);
          g_ptr_array_add (actors, a);
          set_evidence (ctx->record, "threat_actors", text, m->start);
        }
      else if (!same_name (m->name, a->primary) && strv_has_name (given, a->primary))
        {
          /* "… Forest Blizzard, more commonly known as Fancy Bear": the
           * text names the actor Forest Blizzard, Fancy Bear being its
           * other name, even where a headline used Fancy Bear first. */
          NameSet reordered;
          name_set_init (&reordered);
          name_set_add (&reordered, a->primary);
          for (guint k = 0; k < a->text_aliases.names->len; k++)
            if (!same_name (a->text_aliases.names->pdata[k], m->name))
              name_set_add (&reordered, a->text_aliases.names->pdata[k]);
          name_set_clear (&a->text_aliases);
          a->text_aliases = reordered;
          g_free (a->primary);
          a->primary = g_strdup (m->name);
          actor_add_name (lexicon, a, m->name);
        }
      else
        add_text_alias (lexicon, a, m->name);
      for (guint k = 0; k < given->len; k++)
        add_text_alias (lexicon, a, given->pdata[k]);
    }

  for (guint i = 0; i < actors->len; i++)
    {
      Actor *a = actors->pdata[i];
      ShrActorNames *names = shr_record_add_actor (ctx->record, a->primary);
      if (names == NULL)
        break;
      g_autoptr (GHashTable) all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      key_set_add (all, a->primary);
      for (guint k = 0; k < a->text_aliases.names->len; k++)
        if (key_set_add (all, a->text_aliases.names->pdata[k]))
          g_ptr_array_add (names->aliases, g_strdup (a->text_aliases.names->pdata[k]));
      names->named_in_text = names->aliases->len;
      /* Then the names the lexicon knows for each name the text used, each
       * row once. */
      for (guint k = 0; k < a->rows->len && names->aliases->len < SHR_MAX_ACTOR_ALIASES; k++)
        {
          const ShrActorEntry *e = a->rows->pdata[k];
          if (key_set_add (all, e->name))
            g_ptr_array_add (names->aliases, g_strdup (e->name));
          for (const gchar *const *x = e->aliases; *x != NULL && names->aliases->len < SHR_MAX_ACTOR_ALIASES;
               x++)
            if (key_set_add (all, *x))
              g_ptr_array_add (names->aliases, g_strdup (*x));
        }
    }
}

/* ---- reporters ---------------------------------------------------------- */

/* How far into @after the verb of reports()'s verbs_strong and verbs_any
 * can start, at most: past an "'s" and white space, 60 characters and a
 * space, then a word ("has") and white space, a word ("also") and white
 * space. Caseless matching also reads K (U+212A) as "k" and ſ (U+017F) as
 * "s": none of these words holds a "k". */
static gsize
verb_reach (const gchar *after)
{
  const gchar *p = after;
  if (*p == '\'' || g_str_has_prefix (p, "\xe2\x80\x99"))
    {
      p += *p == '\'' ? 1 : 3;
      if (*p != '\0')
        p = g_utf8_next_char (p);
    }
  p += space_length (p);
  for (guint n = 0; n < 61 && *p != '\0'; n++)
    p = g_utf8_next_char (p);
  for (guint word = 0; word < 2; word++)
    {
      while (g_ascii_isalpha (*p) || g_str_has_prefix (p, "\xc5\xbf")) /* ſ is an s to caseless matching */
        p = g_utf8_next_char (p);
      p += space_length (p);
    }
  return p - after;
}

/* A reporting verb after the organisation ("Cisco Talos discovered",
 * "ESET researchers", "the National Police Agency in a press conference on
 * Sunday said"), or an attribution before it ("according to ClearSky",
 * "researchers at Volexity", "the Israeli security firm ClearSky"). @strong
 * leaves out the verbs a product's vendor uses for its own fixes
 * ("Microsoft released", "Cisco said"). */
static gboolean
reports (const gchar *text, gsize start, gsize end, gboolean strong)
{
  g_autofree gchar *after = window_after (text, end, 480); /* a Japanese sentence ends with its verb */
  g_autofree gchar *before = window_before (text, start, 80);
  static const gchar verbs_strong[]
      = "\\A(?:['’]s)?\\s*(?:[^.;!?]{0,60}?\\s)?\?(?:has\\s+|have\\s+|had\\s+)?(?:also\\s+|recently\\s+|"
        "previously\\s+|first\\s+|now\\s+)?"
        "(?:observed|discovered|identified|uncovered|investigated|attributed|attributes|tracks|tracked|"
        "detected"
        "|analy[sz]ed|assessed|assesses|warned|warns|continues\\s+to\\s+(?:see|track|observe|monitor)"
        "|(?:has\\s+)?been\\s+(?:closely\\s+)?(?:monitoring|tracking|observing)|researchers|analysts|"
        "threat\\s+intelligence"
        "|names)\\b";
  static const gchar verbs_any[]
      = "\\A(?:['’]s)?\\s*(?:[^.;!?]{0,60}?\\s)?\?(?:has\\s+|have\\s+|had\\s+)?(?:also\\s+|recently\\s+|"
        "previously\\s+|first\\s+)?"
        "(?:observed|discovered|identified|uncovered|investigated|attributed|attributes|tracks|tracked|"
        "detected"
        "|analy[sz]ed|assessed|assesses|warned|warns|disclosed|reported|reports|said|says|noted|explained|"
        "believes"
        "|revealed|found|published|released\\s+(?:a|an|its|the)\\s+[^.\\n]{0,40}?(?:report|analysis|research|"
        "advisory|alert)"
        "|continues\\s+to\\s+(?:see|track|observe|monitor)|(?:has\\s+)?been\\s+(?:closely\\s+)?(?:monitoring|"
        "tracking|observing)"
        "|researchers|analysts|report|analysis|threat\\s+intelligence|names|issued|alerted)\\b";
  static const gchar attribution[]
      = "(?:according\\s+to|researchers\\s+(?:at|from|with)|analysts\\s+(?:at|from)|(?:report|analysis|"
        "research|blog\\s+post"
        "|advisory|alert)s?\\s+(?:\\w+\\s+){0,3}by|(?:cyber)?security\\s+(?:firm|company|vendor|researchers?)"
        "|published\\s+by|released\\s+by|discovered\\s+by|observed\\s+by|identified\\s+by)\\s+(?:the\\s+)?"
        "(?:[A-Z][\\w-]*\\s+){0,2}$";
  static const gchar verbs_ja[]
      = "\\A\\s*(?:(?:は|が|も|では|及び|と)[^。]{0,150}?(?:発表|公表|報告|注意喚起|明らかに|観測|分析|指摘|"
        "警告|公開|調査|確認し|評価)"
        "|(?:によると|によれば|の調査|の報告|の分析|の研究者|のリサーチャー|が公開した|の発表|の注意喚起))";
  static const gchar verbs_ja_strong[]
      = "\\A\\s*(?:(?:は|が|も|では)[^。]{0,80}?(?:観測|分析|調査|攻撃を確認|注意喚起)|(?:によると|によれば|"
        "の調査|の分析|の研究者|のリサーチャー))";
  /* Gates. What comes before the verb holds no ".;!?", and is short: one
   * of the verbs' words starts before the first of them and within
   * verb_reach(). The attribution needs one
   * of its words, the Japanese wordings a Japanese particle or word after
   * white space: a name followed by a comma, or by "Windows", needs no
   * pattern tried. */
  static const gchar *const verb_words_strong[]
      = { "observed", "discovered", "identified", "uncovered", "investigated", "attribut", "track",
          "detected", "analy",      "assess",     "warn",      "continues",    "been",     "researchers",
          "threat",   "names",      NULL };
  static const gchar *const verb_words_any[]
      = { "observed", "discovered",  "identified", "uncovered", "investigated", "attribut",
          "track",    "detected",    "analy",      "assess",    "warn",         "continues",
          "been",     "researchers", "threat",     "names",     "disclosed",    "report",
          "said",     "says",        "noted",      "explained", "believes",     "revealed",
          "found",    "published",   "released",   "issued",    "alerted",      NULL };
  static const gchar *const attribution_words[]
      = { "according", "researcher", "analyst", "by", "security", NULL };
  static WordSet verbs_strong_set = { .words = verb_words_strong, .caseless = TRUE };
  static WordSet verbs_any_set = { .words = verb_words_any, .caseless = TRUE };
  static WordSet attribution_set = { .words = attribution_words, .caseless = TRUE };
  gsize reach = MIN (strcspn (after, ".;!?"), verb_reach (after));
  if (matches_if (word_set_in (strong ? &verbs_strong_set : &verbs_any_set, after, reach),
                  strong ? verbs_strong : verbs_any, after)
      || matches_if (word_set_in (&attribution_set, before, G_MAXSIZE), attribution, before))
    return TRUE;
  return matches_if (japanese_follows (after), strong ? verbs_ja_strong : verbs_ja, after);
}

static void
add_reporter (ShrExtractContext *ctx, const gchar *text, gsize start, const gchar *name)
{
  if (ctx->record->reported_by->len >= SHR_MAX_REPORTERS)
    return;
  g_autofree gchar *b = shr_lexicon_normalize_name (name);
  for (guint i = 0; i < ctx->record->reported_by->len; i++)
    {
      g_autofree gchar *a = shr_lexicon_normalize_name (ctx->record->reported_by->pdata[i]);
      if (strstr (a, b) != NULL || strstr (b, a) != NULL)
        return;
    }
  g_ptr_array_add (ctx->record->reported_by, g_strdup (name));
  set_evidence (ctx->record, "reported_by", text, start);
}

/* A firm's name with the words around it: ASCII letters, digits and
 * "&.-". */
static void
reporter_window (const gchar *text, gsize at, gsize len, gsize *from, gsize *to)
{
  run_window (text, at, len, "&.-", from, to);
}

static void
collect_reporters (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal); /* entry -> 1: reported */
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      gboolean reporter = hit->kind == SHR_LEXICON_REPORTER;
      /* A vendor named alone ("Microsoft has observed …") reports only with
       * a researcher's verb: its own fixes it merely announces. */
      gboolean vendor = hit->kind == SHR_LEXICON_PRODUCT
                        && ((const ShrProductEntry *)hit->entry)->product == NULL
                        && ctx->record->threat_actors->len > 0;
      if ((!reporter && !vendor) || in_url (text, hit->start))
        continue;
      if (g_hash_table_contains (seen, hit->entry) || !reports (text, hit->start, hit->end, vendor))
        continue;
      g_hash_table_add (seen, (gpointer)hit->entry);
      g_autofree gchar *name = g_strndup (text + hit->start, hit->end - hit->start);
      add_reporter (ctx, text, hit->start, name);
    }
  /* Firms no list knows: "researchers at Foo Security", "Foo researchers",
   * where the mail is about a campaign (elsewhere they found a flaw). */
  const ShrRecord *r = ctx->record;
  if (r->threat_actors->len == 0 && r->sectors->len == 0 && r->regions->len == 0)
    return;
  static GRegex *unknown_re;
  static const gchar unknown[] = "(?:[Rr]esearchers (?:at|from|with) (?:the )?|[Ss]ecurity "
                                 "(?:firm|company|vendor) |according to (?:the )?)"
                                 "([A-Z][A-Za-z0-9&.-]+(?: [A-Z][A-Za-z0-9&.-]+){0,2})(?=[ ,.;:)])"
                                 "|(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&.-]+(?: [A-Z][A-Za-z0-9&.-]+){0,2}) "
                                 "(?:researchers|threat researchers)\\b";
  static const gchar *const needles[]
      = { "esearchers", "ecurity firm", "ecurity company", "ecurity vendor", "ccording to", NULL };
  MatchWalk walk;
  match_walk_init (&walk, exact_regex (unknown, &unknown_re), text, needles, reporter_window);
  while (match_walk_next (&walk))
    {
      for (gint g = 1; g <= 2; g++)
        {
          gint s, e;
          if (!g_match_info_fetch_pos (walk.match, g, &s, &e) || s < 0)
            continue;
          const gchar *sp = memchr (text + s, ' ', e - s);
          gsize first_len = sp != NULL ? (gsize)(sp - (text + s)) : (gsize)(e - s);
          g_autofree gchar *name = g_strndup (text + s, e - s);
          if (!generic_word (text + s, first_len) && !names_a_region (ctx->lexicon, name))
            add_reporter (ctx, text, s, name);
        }
    }
  match_walk_clear (&walk);
}

/* ---- sectors and regions -------------------------------------------------- */

/* Whether the sentence around a region or sector word speaks of targets,
 * victims or attacks. A CISA notice that mentions "federal agencies" as
 * its audience names no targeted sector. */
static gboolean
targeting_sentence (const gchar *lower)
{
  /* Word stems, looked for in the lower-cased sentence at word starts, by
   * their first byte: a regular expression of these alternatives cost most
   * of the pass. */
  static const gchar *const stems[] = { "target",          "against",
                                        "victim",          "breach",
                                        "compromis",       "hack",
                                        "stole",           "attack",
                                        "campaign",        "intrusion",
                                        "infiltrat",       "espionage",
                                        "impacted organi", "affected organi",
                                        "disrupt",         "struck",
                                        "hit by",          "exploited in",
                                        "exploiting in",   "focus on",
                                        "focused on",      "focuses on",
                                        "focusing on",     "spying",
                                        "broke into",      "broken into",
                                        "breaking into",   "threat to",
                                        "were hit",        "was hit",
                                        "been hit",        NULL };
  static const gchar *const stems_ja[] = {
    "\xe6\xa8\x99\xe7\x9a\x84",
    /* 標的 */ "\xe7\x8b\x99", /* 狙 */
    "\xe6\x94\xbb\xe6\x92\x83",
    /* 攻撃 */ "\xe8\xa2\xab\xe5\xae\xb3", /* 被害 */
    "\xe4\xbe\xb5\xe5\xae\xb3",
    /* 侵害 */ "\xe4\xb8\x8d\xe6\xad\xa3\xe3\x82\xa2\xe3\x82\xaf\xe3\x82\xbb\xe3\x82\xb9", /* 不正アクセス */
    "\xe3\x83\x8f\xe3\x83\x83\xe3\x82\xad\xe3\x83\xb3\xe3\x82\xb0", /* ハッキング */
    "\xe4\xbe\xb5\xe5\x85\xa5",
    /* 侵入 */ "\xe6\x84\x9f\xe6\x9f\x93", /* 感染 */
    NULL
  };
  static WordSet stem_set = { .words = stems, .caseless = FALSE };
  word_set_prepare (&stem_set);
  gboolean non_ascii = FALSE;
  for (const gchar *p = lower; *p != '\0'; p++)
    {
      if ((guchar)*p >= 0x80)
        {
          non_ascii = TRUE;
          continue;
        }
      if (p > lower && g_ascii_isalpha (p[-1]))
        continue;
      /* No other stem starts as "attack" does. */
      gint stem = word_set_at (&stem_set, p);
      if (stem >= 0
          /* "an attacker could …" describes a flaw, not an attack. */
          && !(strcmp (stems[stem], "attack") == 0 && g_str_has_prefix (p + 6, "er")))
        return TRUE;
    }
  for (guint i = 0; non_ascii && stems_ja[i] != NULL; i++)
    if (strstr (lower, stems_ja[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The length of the white space, dashes and quotes at @p, which separate
 * a country from the word after it ("China - backed", 'Iran "state'). */
static gsize
separators_length (const gchar *p)
{
  const gchar *q = p;
  for (;;)
    {
      gsize n = space_length (q);
      if (n == 0 && (*q == '-' || *q == '"'))
        n = 1;
      else if (n == 0
               && (g_str_has_prefix (q, "\xe2\x80\x93") || g_str_has_prefix (q, "\xe2\x80\x9c"))) /* – “ */
        n = 3;
      if (n == 0)
        return q - p;
      q += n;
    }
}

/* Whether a region word names the home of the actor, the reporter or the
 * vendor ("China-linked", "Iranian-backed", "Russian state actors", "the
 * Israeli security firm", "the US Government", 「中国の関与」, 「北朝鮮系」)
 * rather than a target. */
static gboolean
names_home (const gchar *text, gsize start, gsize end, GArray *hits, guint index)
{
  g_autofree gchar *after = window_after (text, end, 100);
  g_autofree gchar *before = window_before (text, start, 60);
  /* Who the country is: the actor's home ("China-linked", "Iranian-backed",
   * "China-, North Korea-, and Iran-aligned", "Russian state actors"), the
   * attacker itself ("Russia eyes Ukraine", "North Korea leverages",
   * "Russia's invasion"), or an organisation's nationality ("the Israeli
   * security firm", "the US Government", "the Polish Cyber Command
   * detected"). */
  static const gchar home_after[]
      = "\\A(?:['’]s)?(?:\\s*[-–]\\s*|\\s+)[\"“]?(?:(?:state|government|nation-state)[- "
        "])?(?:linked|backed|nexus|sponsored|aligned"
        "|affiliated|origin|state(?!s)|government|nation-state|military|intelligence|threat\\s+(?:actors?|"
        "groups?)|APTs?"
        "|hackers?|actors?|groups?|gangs?|operators?|spies|cyber\\s*criminals?|attackers?|adversar(?:y|ies)|"
        "crews?"
        "|(?:cyber)?security\\s+(?:firm|company|vendor|researchers?|agency|agencies)|vendors?|companies|"
        "company|firms?"
        "|manufacturers?|makers?|officials|authorities|police|agency|agencies|researchers|(?:Main|General)"
        "\\s+Directorate"
        "|(?:based|speaking)\\s+(?:threat\\s+)?(?:actors?|groups?|hackers|APTs?|attackers|operators))\\b"
        "|\\A-,?\\s[^.;\\n]{0,60}?-(?:linked|backed|nexus|sponsored|aligned|affiliated)\\b"
        "|\\A(?:['’]s)?\\s+(?:(?:has|have|had|also|allegedly|reportedly|now|again|is|was)\\s+)*(?:eyes|"
        "targets|targeted|attacks|attacked"
        "|hacks|hacked|spies|leverages|leveraged|uses|used|deploys|deployed|launched|launches|conducts|"
        "conducted|sponsors"
        "|sponsored|invaded|invades|sanctioned|sanctions|indicted|charged|accused|blamed|seized|dismantled)"
        "\\b"
        "|\\A['’]s\\s+(?:[\\w-]+\\s+){0,3}?(?:invasion|war|aggression|military|government|intelligence|GRU|"
        "FSB|SVR|MSS|IRGC"
        "|[Uu]nits?|hackers|spies|agency|agencies|army|APTs?)\\b"
        "|\\A\\s+(?:(?:state|nation-state)[- "
        "](?:sponsored|backed)\\s+)?(?:cyber\\s*attacks?|cyberattacks?|attacks|hacking|hacks"
        "|espionage|operations|campaigns?|intrusions)\\b"
        "|\\A\\s+(?:[A-Z][\\w-]*\\s+){1,4}(?:\\w+\\s+){0,3}(?:detected|reported|said|says|warned|attributed|"
        "observed|discovered"
        "|announced|disclosed|identified|confirmed)\\b"
        "|\\A(?:系|政府の支援|の支援|の国家支援|が支援|を拠点|拠点の|に拠点|の攻撃グループ|のハッカー|"
        "の攻撃者"
        "|のサイバー攻撃グループ|の国家|の関与|政府系|の情報機関|の軍|当局|の警察|警察|のセキュリティ企業|"
        "のセキュリティベンダー"
        "|製|のベンダー|企業の|語)";
  static const gchar home_before[] = "(?:attribut\\w+\\s+(?:[\\w-]+\\s+){0,4}to|on\\s+behalf\\s+of|linked\\s+"
                                     "to|tied\\s+to|traced\\s+(?:back\\s+)?to"
                                     "|(?:fund|funds|funding|finance|financing|benefit|benefits|helps?)"
                                     "|(?:affiliate|subsidiary|branch|division|unit|arm)\\s+of\\s+(?:a|an)"
                                     "|(?:hackers|actors|groups?|attackers|operators|spies)\\s+(?:from|"
                                     "based\\s+in|out\\s+of|in))\\s+(?:the\\s+)?$";
  /* The name's abbreviation between it and what follows says nothing
   * ("People's Republic of China (PRC) state-sponsored actors"), nor does
   * the parenthesis closing round the abbreviation itself. */
  const gchar *rest = after;
  if (*rest == ')')
    rest++;
  else
    {
      const gchar *open = rest;
      while (*open == ' ' || *open == '\n')
        open++;
      const gchar *close = *open == '(' ? strpbrk (open + 1, "()\n") : NULL;
      if (close != NULL && *close == ')' && close - open > 1 && close - open <= 16)
        rest = close + 1;
    }
  /* Each branch of home_after begins with an apostrophe, a dash or a
   * Japanese word, or with white space, then (past dashes and quotes) one
   * of first_words, or has one of said_words (its last branch). Each
   * branch of home_before needs one of before_words. Most countries are
   * followed by a comma, a full stop or an everyday word, and preceded by
   * none of them. */
  static const gchar *const first_words[]
      = { "linked",    "backed",      "nexus",      "sponsor",    "aligned",      "affiliated",
          "origin",    "state",       "government", "nation",     "military",     "intelligence",
          "threat",    "apt",         "hack",       "actor",      "group",        "gang",
          "operat",    "spies",       "cyber",      "attack",     "adversar",     "crew",
          "security",  "vendor",      "compan",     "firm",       "manufacturer", "maker",
          "official",  "authorities", "police",     "agenc",      "researcher",   "main",
          "general",   "based",       "speaking",   "has",        "have",         "had",
          "also",      "allegedly",   "reportedly", "now",        "again",        "is",
          "was",       "eyes",        "target",     "leverage",   "use",          "deploy",
          "launch",    "conduct",     "invade",     "sanction",   "indicted",     "charged",
          "accused",   "blamed",      "seized",     "dismantled", "espionage",    "campaign",
          "intrusion", NULL };
  static const gchar *const said_words[]
      = { "detected",   "reported",  "said",      "says",       "warned",    "attributed", "observed",
          "discovered", "announced", "disclosed", "identified", "confirmed", NULL };
  static WordSet first_set = { .words = first_words, .caseless = TRUE };
  static WordSet said_set = { .words = said_words, .caseless = TRUE };
  static const gchar *const before_words[]
      = { "attribut", "behalf",    "linked",     "tied",     "traced",   "fund", "financ", "benefit",
          "help",     "affiliate", "subsidiary", "branch",   "division", "unit", "arm",    "hacker",
          "actor",    "group",     "attacker",   "operator", "spies",    NULL };
  static WordSet before_set = { .words = before_words, .caseless = TRUE };
  guchar first = *rest;
  gboolean may_after = first >= 0x80 || first == '\'' || first == '-';
  if (first == ' ' || (first >= '\t' && first <= '\r'))
    {
      const gchar *word = rest + separators_length (rest);
      word_set_prepare (&first_set);
      may_after = word_set_at (&first_set, word) >= 0 || word_set_in (&said_set, rest, G_MAXSIZE);
    }
  if (matches_if (may_after, home_after, rest)
      || matches_if (word_set_in (&before_set, before, G_MAXSIZE), home_before, before))
    return TRUE;
  /* Right before an actor's or a reporter's name: "Russian APT28", "the
   * South Korean National Police Agency". */
  if (index + 1 < hits->len)
    {
      const ShrLexiconHit *next = &g_array_index (hits, ShrLexiconHit, index + 1);
      if ((next->kind == SHR_LEXICON_ACTOR || next->kind == SHR_LEXICON_REPORTER) && next->start >= end
          && next->start - end <= 2)
        return TRUE;
    }
  return FALSE;
}

/* A sector word that counts only in a list of sectors ("industries
 * including manufacturing, technology and legal"). */
static gboolean
in_sector_list (const gchar *text, gsize start)
{
  g_autofree gchar *before = window_before (text, start, 200);
  return matches ("(?:sectors?|industries|industry|verticals)\\b[^.;:\\n]{0,30}?(?:including|such\\s+as|like|"
                  "spanning|across"
                  "|:|in\\s+the)\\s[^.;\\n]*$|業界[^。\\n]*$|業種[^。\\n]*$",
                  before);
}

/* Whether @s names one of the record's actors: a sentence about them is
 * about their attacks ("In Israel, OilRig deployed a backdoor"). */
static gboolean
names_an_actor (const ShrRecord *record, const gchar *s)
{
  for (guint i = 0; i < record->actor_aliases->len; i++)
    {
      const ShrActorNames *a = record->actor_aliases->pdata[i];
      if (strstr (s, a->name) != NULL)
        return TRUE;
      for (guint k = 0; k < a->aliases->len && k < 8; k++)
        if (strstr (s, a->aliases->pdata[k]) != NULL)
          return TRUE;
    }
  return FALSE;
}

/* names_home() of the last region hit asked about: a region is asked
 * about for itself, then again for the sector word after it ("Iran's
 * military"). */
typedef struct
{
  gint index;
  gboolean home;
} HomeMemo;

static gboolean
home_of (HomeMemo *memo, const gchar *text, GArray *hits, guint index)
{
  if (memo->index != (gint)index)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, index);
      memo->home = names_home (text, hit->start, hit->end, hits, index);
      memo->index = index;
    }
  return memo->home;
}

static void
collect_targets (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  gint last_region = -1;
  HomeMemo home = { -1, FALSE };
  g_autoptr (GHashTable) cues = NULL; /* start+1 -> 1 or 2, made for the first sentence asked about */
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      gboolean sector = hit->kind == SHR_LEXICON_SECTOR;
      if (!sector && hit->kind != SHR_LEXICON_REGION)
        continue;
      const ShrLabelEntry *e = hit->entry;
      GPtrArray *into = sector ? ctx->record->sectors : ctx->record->regions;
      gboolean have = FALSE;
      for (guint k = 0; k < into->len && !have; k++)
        have = strcmp (into->pdata[k], e->key) == 0;
      /* "North Korea's nuclear program", "the Russian military", "the
       * Iranian government" behind an attack: the home's institutions. */
      if (sector && last_region >= 0)
        {
          const ShrLexiconHit *region = &g_array_index (hits, ShrLexiconHit, last_region);
          if (hit->start >= region->end && hit->start - region->end <= 8)
            {
              g_autofree gchar *gap = g_strndup (text + region->end, hit->start - region->end);
              if (matches ("\\A(?:['’]s)?\\s*[\"“]?$", gap) && home_of (&home, text, hits, last_region))
                continue;
            }
        }
      if (!sector)
        last_region = i;
      if (have || in_url (text, hit->start))
        continue;
      if (sector && hit->needs_vendor && !in_sector_list (text, hit->start))
        continue;
      gsize start, end;
      sentence_bounds (text, hit->start, &start, &end);
      if (cues == NULL)
        cues = g_hash_table_new (g_direct_hash, g_direct_equal);
      guint cue = GPOINTER_TO_UINT (g_hash_table_lookup (cues, GSIZE_TO_POINTER (start + 1)));
      if (cue == 0)
        {
          g_autofree gchar *span = g_strndup (text + start, end - start);
          g_autofree gchar *lower = lower_ascii (span);
          cue = targeting_sentence (lower) || names_an_actor (ctx->record, span) ? 2 : 1;
          g_hash_table_insert (cues, GSIZE_TO_POINTER (start + 1), GUINT_TO_POINTER (cue));
        }
      if (cue != 2)
        continue;
      if (!sector && home_of (&home, text, hits, i))
        continue;
      g_ptr_array_add (into, g_strdup (e->key));
      set_evidence_span (ctx->record, sector ? "sectors" : "regions", text, start, end);
    }
}

/* Whether the text speaks of attackers at all: a vendor's or a
 * distribution's advisory mostly does not, and the passes that look for
 * names no list knows are then spared. */
static gboolean
speaks_of_attackers (const gchar *text, GArray *hits)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_array_index (hits, ShrLexiconHit, i).kind == SHR_LEXICON_ACTOR)
      return TRUE;
  /* A word in either case is looked for once, without its first letter
   * ("ctor" after an "a" or an "A"): a text that speaks of none is
   * searched through for each. */
  static const struct
  {
    const gchar *first; /* the bytes the word may start with, or "" */
    const gchar *rest;
  } words[] = {
    { "aA", "ctor" },
    { "hH", "acker" },
    { "gG", "roup" },
    { "rR", "ansomware" },
    { "", "APT" },
    { "", "gang" },
    { "", "espionage" },
    { "", "\xe6\x94\xbb\xe6\x92\x83\xe3\x82\xb0\xe3\x83\xab\xe3\x83\xbc\xe3\x83\x97" }, /* 攻撃グループ */
    { "", "\xe6\x94\xbb\xe6\x92\x83\xe8\x80\x85" },                                     /* 攻撃者 */
    { "", "\xe9\x9b\x86\xe5\x9b\xa3" },                                                 /* 集団 */
    { "", "\xe3\x83\x8f\xe3\x83\x83\xe3\x82\xab\xe3\x83\xbc" },                         /* ハッカー */
    { "", "\xe3\x83\xa9\xe3\x83\xb3\xe3\x82\xb5\xe3\x83\xa0" },                         /* ランサム */
  };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    for (const gchar *hit = strstr (text, words[i].rest); hit != NULL; hit = strstr (hit + 1, words[i].rest))
      if (*words[i].first == '\0' || (hit > text && strchr (words[i].first, hit[-1]) != NULL))
        return TRUE;
  return FALSE;
}

void
shr_campaign_collect (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  g_return_if_fail (ctx != NULL && text != NULL && hits != NULL);
  gboolean attackers = speaks_of_attackers (text, hits);
  if (attackers)
    collect_actors (ctx, text, hits);
  collect_targets (ctx, text, hits);
  /* Reporters of a campaign: a vendor's advisory has none. */
  const ShrRecord *r = ctx->record;
  if (attackers || r->sectors->len > 0 || r->regions->len > 0)
    collect_reporters (ctx, text, hits);
}
