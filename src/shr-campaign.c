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
  static const gchar *const words[] = { "Inc", "Corp", "Ltd", "Co", "St", "Mr", "Ms", "Dr", "vs", "etc", "No", NULL };
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize n = strlen (words[i]);
      if ((gsize) (p - text) >= n && strncmp (p - n, words[i], n) == 0
          && ((gsize) (p - text) == n || !g_ascii_isalnum (p[-(gssize) n - 1])))
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
    return (guchar) p[1] == 0x80 && (guchar) p[2] == 0x82;
  if (c == 0xEF) /* ！ ？ */
    return (guchar) p[1] == 0xBC && ((guchar) p[2] == 0x81 || (guchar) p[2] == 0x9F);
  return c == '\n' && p[1] == '\n';
}

/* The sentence around @offset (transfer full), lines joined. Unlike
 * shr_sentence_at(), abbreviations do not end it. */
static gchar *
sentence_around (const gchar *text, gsize offset)
{
  const gchar *s = text + offset;
  guint n = 0;
  while (s > text && n < 2000)
    {
      const gchar *prev = g_utf8_prev_char (s);
      if (ends_sentence (text, prev) || (*prev == '\n' && prev > text && prev[-1] == '\n'))
        break;
      s = prev;
      n++;
    }
  const gchar *e = text + offset;
  n = 0;
  while (*e != '\0' && n < 2000)
    {
      if (ends_sentence (text, e))
        {
          if (*e != '\n')
            e = g_utf8_next_char (e);
          break;
        }
      e = g_utf8_next_char (e);
      n++;
    }
  GString *out = g_string_sized_new (e - s);
  gboolean space = FALSE;
  for (const gchar *p = s; p < e; p++)
    {
      if (*p == '\n' || *p == ' ' || *p == '\t' || *p == '\r')
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
matches (const gchar *pattern, const gchar *s)
{
  return g_regex_match (shr_regex (pattern), s, 0, NULL);
}

static gchar *
normalized (const gchar *name)
{
  gchar *n = shr_lexicon_normalize (name);
  return g_strstrip (n);
}

static gboolean
same_name (const gchar *a, const gchar *b)
{
  g_autofree gchar *x = normalized (a);
  g_autofree gchar *y = normalized (b);
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

/* ---- names ---------------------------------------------------------------- */

/* Vendors' naming schemes: Mandiant's APT/UNC/FIN/TEMP., Cisco Talos'
 * UAT, Proofpoint's TA, Microsoft's Storm-/DEV- and weather families,
 * CrowdStrike's animals, Secureworks' colours, Trend Micro's Earth, CERT-UA's
 * UAC, Google's TAG, Unit 42's constellations. A name written so is an
 * actor's even when no list knows it yet. */
static const gchar scheme_pattern[]
    = "(?<![A-Za-z0-9_-])(?:APT ?-?[0-9]{1,3}|APT-C-[0-9]{2,3}|UNC[0-9]{2,5}|UAT-?[0-9]{3,5}|TA[0-9]{3,4}"
      "|FIN[0-9]{1,2}|DEV-[0-9]{4}|[Ss]torm-[0-9]{4}|STORM-[0-9]{4}|TAG-[0-9]{2,4}|UAC-[0-9]{4}|TEMP\\.[A-Z][a-z]+"
      "|[A-Z][a-z]+ (?:Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Cyclone|Hail|Tsunami)"
      "|[A-Z][a-z]+ (?:Panda|Bear|Kitten|Chollima|Spider|Jackal|Tiger|Leopard|Buffalo|Ocelot)"
      "|[A-Z][a-z]+ (?:Taurus|Ursa|Serpens|Pisces|Libra|Scorpius)"
      "|(?:BRONZE|IRON|COBALT|NICKEL|GOLD|TUNGSTEN|ZINC|PLATINUM) [A-Z]{3,}|Earth [A-Z][a-z]{2,})(?![A-Za-z0-9_-])";
static GRegex *scheme_re;

static gboolean
is_scheme_name (const gchar *name)
{
  g_autoptr (GMatchInfo) m = NULL;
  if (!g_regex_match (exact_regex (scheme_pattern, &scheme_re), name, 0, &m))
    return FALSE;
  gint start, end;
  g_match_info_fetch_pos (m, 0, &start, &end);
  return start == 0 && name[end] == '\0';
}

/* Words that begin sentences or name things other than actors. */
static gboolean
generic_word (const gchar *w, gsize len)
{
  static const gchar *const words[]
      = { "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "They", "Their", "Our", "We", "He", "She",
          "In", "On", "At", "Of", "For", "From", "By", "With", "And", "Or", "But", "As", "If", "When", "While",
          "APT", "Group", "Groups", "Team", "Actor", "Actors", "Threat", "Hackers", "Unit", "Microsoft", "Google",
          "New", "Big", "Old", "Some", "Other", "Several", "Many", "Both", "All", "Also", "According", "CVE",
          "Security", "Cyber", "Research", "Researchers", "Report", "Reports", "Campaign", "Operation", NULL };
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
  static const gchar *const open[] = { "\"", "'", "\xe2\x80\x9c", "\xe2\x80\x98", "\xe3\x80\x8c", "\xe3\x80\x8e", NULL };
  static const gchar *const close[] = { "\"", "'", "\xe2\x80\x9d", "\xe2\x80\x99", "\xe3\x80\x8d", "\xe3\x80\x8f", NULL };
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

gsize
shr_campaign_parse_aliases (const ShrLexicon *lexicon, const gchar *text, gsize offset, GPtrArray *names)
{
  g_return_val_if_fail (lexicon != NULL && text != NULL && names != NULL, offset);
  const gchar *s = text + offset;
  /* A closing 」 of the name itself: 「MirrorFace」(別名 Earth Kasha). */
  if (g_str_has_prefix (s, "\xe3\x80\x8d") || g_str_has_prefix (s, "\xe2\x80\x9d") || *s == '"')
    s += *s == '"' ? 1 : 3;
  /* "Naikon APT (aka APT30)", "the Lazarus group, also known as …". */
  static const gchar *const nouns[] = { " APT", " group", " Group", " gang", " team", " Team", " actor", NULL };
  for (guint i = 0; nouns[i] != NULL; i++)
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

  static const gchar trigger[]
      = "^(?:aka|a\\.k\\.a\\.?|also known as|also called|also tracked as|formerly known as|formerly tracked as"
        "|formerly|previously known as|previously tracked as|previously|known as|tracked as|別名|通称)\\s*[:：]?\\s*";
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
          = "^\\s*[,，、]?\\s*(?:(?:an?|the)\\s[^.;:()\\n]{0,80}?\\s)?"
            "(?:(?:also|more commonly|commonly|better|otherwise|previously|formerly|sometimes|publicly|now)\\s+)?"
            "(?:known|tracked|referred\\s+to|called|dubbed|named)(?:\\s+by\\s+[^,;.\\n]{1,40}?)?\\s+as\\s+"
            "|^\\s*[,，]?\\s*(?:aka|a\\.k\\.a\\.?)\\s+"
            "|^\\s*[,，、]?\\s*(?:別名|通称)\\s*[:：]?\\s*"
            "|^[^.;\\n]{0,40}?\\boverlaps?\\s+with\\s+(?:public\\s+reporting\\s+on\\s+)?(?:the\\s+)?"
            "(?:groups?|actors?|activity|clusters?)\\s+(?:known|tracked|referred\\s+to)\\s+as\\s+";
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
  gchar *name;          /* as written */
  gboolean ransomware;  /* a ransomware family's name too */
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
      = "^[\"”’'」』]?(?:/[\\w.-]+)?\\s*(?:ransomware(?:-as-a-service)?\\s+|RaaS\\s+)?(?:gang|group|operators?|operation"
        "|affiliates?|actors?|crew|cartel|hackers|(?:has\\s+|have\\s+|had\\s+|also\\s+)?(?:claimed|breached|hacked|attacked"
        "|targeted|compromised|exploited|stole|leaked|listed|posted|demanded|took responsibility)"
        "|(?:is|was|were|are)\\s+(?:behind|responsible))\\b";
  static const gchar before_en[]
      = "(?:attributed\\s+(?:\\w+\\s+){0,3}to|claimed\\s+by|conducted\\s+by|carried\\s+out\\s+by|attacks?\\s+by|attacked\\s+by"
        "|compromised\\s+by|breached\\s+by|perpetrated\\s+by|blamed\\s+on|(?:gang|group|operators?|affiliates?|actors?)\\s+"
        "(?:called|known\\s+as|dubbed))\\s+(?:the\\s+)?[\"“「]?$";
  static const gchar after_ja[]
      = "^[」』]?\\s*(?:(?:が|は|も)[^。\\n]{0,40}?(?:攻撃|仕掛け|標的|狙|悪用|侵入|犯行声明|関与|主張|窃取|リーク)"
        "|(?:による|の)(?:攻撃|犯行|被害)|グループ|集団|一味)";
  static const gchar before_ja[] = "(?:集団|グループ|組織|攻撃者|ギャング)(?:は|の|である)?(?:あの)?\\s*[「『]?$";
  return matches (after_en, after) || matches (before_en, before) || matches (after_ja, after)
         || matches (before_ja, before);
}

/* Whether the text itself calls the name a ransomware family's. */
static gboolean
written_as_ransomware (const gchar *text, gsize start, gsize end)
{
  g_autofree gchar *before = window_before (text, start, 30);
  g_autofree gchar *after = window_after (text, end, 30);
  return matches ("^[\"”’'」』]?(?:/[\\w.-]+)?\\s*ransomware\\b", after)
         || matches ("(?:ランサムウェア|ransomware)\\s*[「『\"“]?$", before);
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
      add_mention (mentions, hit->start, hit->end, g_strndup (text + hit->start, hit->end - hit->start), ransomware);
    }

  /* Names in a vendor's naming scheme that no list knows yet. */
  g_autoptr (GMatchInfo) m = NULL;
  g_regex_match (exact_regex (scheme_pattern, &scheme_re), text, 0, &m);
  while (g_match_info_matches (m))
    {
      gint s, e;
      g_match_info_fetch_pos (m, 0, &s, &e);
      const gchar *first_space = memchr (text + s, ' ', e - s);
      gboolean generic = first_space != NULL && generic_word (text + s, first_space - (text + s));
      if (!generic && !overlaps (mentions, s, e) && !in_url (text, s))
        add_mention (mentions, s, e, g_strndup (text + s, e - s), written_as_ransomware (text, s, e));
      g_match_info_next (m, NULL);
    }

  /* Names the text introduces: "a threat actor called “TunnelVision”",
   * "the cyber group, known as Cyber Av3ngers", 「MirrorFace」と呼ばれる
   * サイバー攻撃グループ, 犯罪集団「LockBit」, "the BlackByte ransomware gang". */
  static const gchar intro_en[]
      = "\\b(?:threat actors?|threat groups?|(?:threat )?activity (?:group|cluster)|hacking groups?|hacker groups?"
        "|hackers|cyber ?(?:crime|criminal|espionage)? ?groups?|APT groups?|state-sponsored groups?"
        "|ransomware (?:groups?|gangs?|operations?)|gangs?|groups?|actors?|adversary|crews?|operators)\\s*,?\\s+"
        "(?:(?:which|that|who)\\s+(?:is\\s+|are\\s+)?)?(?:called|dubbed|named|known as|tracked as|identified as"
        "|calling (?:itself|themselves)|which calls itself|referred to as|going by)\\s+";
  static const gchar intro_ja[] = "(?:攻撃|サイバー攻撃|ハッカー|犯罪|ランサムウェア|APT|脅威)(?:グループ|集団|組織)\\s*(?=「)";
  static const gchar called_ja[]
      = "(「[^」\\n]{2,40}」)\\s*(?:[(（][^)）\\n]{0,60}[)）])?\\s*と(?:呼ばれる|称する|名乗る)[^。\\n]{0,15}?(?:グループ|集団|組織|攻撃者)";
  static GRegex *gang_re;
  static const gchar gang_en[]
      = "(?<![A-Za-z0-9_-])([A-Z][A-Za-z0-9.$-]+(?: [A-Z][A-Za-z0-9.$-]+)?)(?:/[A-Z][A-Za-z0-9.-]+)? ransomware"
        "(?:-as-a-service)? (?:gang|group|operation|operators|affiliates|crew|actors)\\b";
  const gchar *const intro[] = { intro_en, intro_ja };
  for (guint k = 0; k < G_N_ELEMENTS (intro); k++)
    {
      g_autoptr (GMatchInfo) im = NULL;
      g_regex_match (shr_regex (intro[k]), text, 0, &im);
      while (g_match_info_matches (im))
        {
          gint s, e;
          g_match_info_fetch_pos (im, 0, &s, &e);
          gchar *name = NULL;
          gsize end = parse_name (text, e, &name);
          if (name != NULL)
            {
              gsize at = e;
              while (text[at] == ' ')
                at++;
              if (!overlaps (mentions, at, end) && !names_a_region (lexicon, name) && !in_url (text, at))
                add_mention (mentions, at, end, name, FALSE);
              else
                g_free (name);
            }
          g_match_info_next (im, NULL);
        }
    }
  g_autoptr (GMatchInfo) cm = NULL;
  g_regex_match (shr_regex (called_ja), text, 0, &cm);
  while (g_match_info_matches (cm))
    {
      gint s, e;
      g_match_info_fetch_pos (cm, 1, &s, &e);
      gchar *name = NULL;
      gsize end = parse_name (text, s, &name);
      if (name != NULL && !overlaps (mentions, s, end) && !names_a_region (lexicon, name))
        add_mention (mentions, s + 3, end - 3, name, FALSE);
      else
        g_free (name);
      g_match_info_next (cm, NULL);
    }
  g_autoptr (GMatchInfo) gm = NULL;
  g_regex_match (exact_regex (gang_en, &gang_re), text, 0, &gm);
  while (g_match_info_matches (gm))
    {
      gint s, e;
      g_match_info_fetch_pos (gm, 1, &s, &e);
      const gchar *sp = memchr (text + s, ' ', e - s);
      gsize first_len = sp != NULL ? (gsize) (sp - (text + s)) : (gsize) (e - s);
      if (!generic_word (text + s, first_len) && !overlaps (mentions, s, e))
        {
          g_autofree gchar *name = g_strndup (text + s, e - s);
          if (!names_a_region (lexicon, name))
            add_mention (mentions, s, e, g_steal_pointer (&name), FALSE);
        }
      g_match_info_next (gm, NULL);
    }
  g_array_sort (mentions, compare_mentions);
}

typedef struct
{
  gchar *primary;
  GPtrArray *text_aliases; /* (element-type utf8) in the order the text gives them */
  GPtrArray *names;        /* (element-type utf8) every name the text uses for it */
  gsize first;
} Actor;

static void
actor_free (Actor *a)
{
  g_free (a->primary);
  g_ptr_array_unref (a->text_aliases);
  g_ptr_array_unref (a->names);
  g_free (a);
}

static gboolean
actor_has (const ShrLexicon *lexicon, const Actor *a, const gchar *name)
{
  if (strv_has_name (a->names, name))
    return TRUE;
  for (guint i = 0; i < a->names->len; i++)
    if (shr_lexicon_same_actor (lexicon, a->names->pdata[i], name))
      return TRUE;
  return FALSE;
}

static void
add_text_alias (Actor *a, const gchar *name)
{
  if (!same_name (name, a->primary) && !strv_has_name (a->text_aliases, name)
      && a->text_aliases->len < SHR_MAX_ACTOR_ALIASES)
    g_ptr_array_add (a->text_aliases, g_strdup (name));
  if (!strv_has_name (a->names, name))
    g_ptr_array_add (a->names, g_strdup (name));
}

static void
remove_name (GPtrArray *names, const gchar *name)
{
  for (guint i = 0; i < names->len; i++)
    if (same_name (names->pdata[i], name))
      {
        g_ptr_array_remove_index (names, i);
        return;
      }
}

static void
collect_actors (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  const ShrLexicon *lexicon = ctx->lexicon;
  g_autoptr (GArray) mentions = g_array_new (FALSE, FALSE, sizeof (Mention));
  g_array_set_clear_func (mentions, (GDestroyNotify) mention_clear);
  find_mentions (ctx, text, hits, mentions);

  g_autoptr (GPtrArray) actors = g_ptr_array_new_with_free_func ((GDestroyNotify) actor_free);
  for (guint i = 0; i < mentions->len; i++)
    {
      const Mention *m = &g_array_index (mentions, Mention, i);
      if (m->ransomware && !group_attacks (text, m->start, m->end))
        continue;
      g_autoptr (GPtrArray) given = g_ptr_array_new_with_free_func (g_free);
      shr_campaign_parse_aliases (lexicon, text, m->end, given);

      Actor *a = NULL;
      for (guint j = 0; j < actors->len && a == NULL; j++)
        if (actor_has (lexicon, actors->pdata[j], m->name))
          a = actors->pdata[j];
      if (a == NULL)
        {
          if (actors->len >= SHR_MAX_ACTORS)
            continue;
          a = g_new0 (Actor, 1);
          a->primary = g_strdup (m->name);
          a->text_aliases = g_ptr_array_new_with_free_func (g_free);
          a->names = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (a->names, g_strdup (m->name));
          a->first = m->start;
          g_ptr_array_add (actors, a);
          g_autofree gchar *sentence = sentence_around (text, m->start);
          shr_record_set_evidence (ctx->record, "threat_actors", sentence);
        }
      else if (!same_name (m->name, a->primary) && strv_has_name (given, a->primary))
        {
          /* "… Forest Blizzard, more commonly known as Fancy Bear": the
           * text names the actor Forest Blizzard, Fancy Bear being its
           * other name, even where a headline used Fancy Bear first. */
          g_ptr_array_insert (a->text_aliases, 0, a->primary);
          a->primary = g_strdup (m->name);
          remove_name (a->text_aliases, m->name);
          if (!strv_has_name (a->names, m->name))
            g_ptr_array_add (a->names, g_strdup (m->name));
        }
      else
        add_text_alias (a, m->name);
      for (guint k = 0; k < given->len; k++)
        add_text_alias (a, given->pdata[k]);
    }

  for (guint i = 0; i < actors->len; i++)
    {
      Actor *a = actors->pdata[i];
      ShrActorNames *names = shr_record_add_actor (ctx->record, a->primary);
      if (names == NULL)
        break;
      for (guint k = 0; k < a->text_aliases->len; k++)
        if (!strv_has_name (names->aliases, a->text_aliases->pdata[k]))
          g_ptr_array_add (names->aliases, g_strdup (a->text_aliases->pdata[k]));
      names->named_in_text = names->aliases->len;
      /* Then the names the lexicon knows for each name the text used. */
      for (guint n = 0; n < a->names->len && names->aliases->len < SHR_MAX_ACTOR_ALIASES; n++)
        {
          g_autoptr (GPtrArray) known = shr_lexicon_actor_names (lexicon, a->names->pdata[n]);
          for (guint k = 0; k < known->len && names->aliases->len < SHR_MAX_ACTOR_ALIASES; k++)
            if (!same_name (known->pdata[k], a->primary) && !strv_has_name (names->aliases, known->pdata[k]))
              g_ptr_array_add (names->aliases, g_strdup (known->pdata[k]));
        }
    }
}

/* ---- reporters ---------------------------------------------------------- */

/* A reporting verb after the organisation ("Cisco Talos discovered",
 * "ESET researchers", "the National Police Agency in a press conference on
 * Sunday said"), or an attribution before it ("according to ClearSky",
 * "researchers at Volexity", "the Israeli security firm ClearSky"). @strong
 * leaves out the verbs a product's vendor uses for its own fixes
 * ("Microsoft released", "Cisco said"). */
static gboolean
reports (const gchar *text, gsize start, gsize end, gboolean strong)
{
  g_autofree gchar *after = window_after (text, end, 160);
  g_autofree gchar *before = window_before (text, start, 80);
  static const gchar verbs_strong[]
      = "^(?:['’]s)?\\s*(?:[^.;!?\\n]{0,60}?\\s)?\?(?:has\\s+|have\\s+|had\\s+)?(?:also\\s+|recently\\s+|previously\\s+|first\\s+|now\\s+)?"
        "(?:observed|discovered|identified|uncovered|investigated|attributed|attributes|tracks|tracked|detected"
        "|analy[sz]ed|assessed|assesses|warned|warns|continues\\s+to\\s+(?:see|track|observe|monitor)"
        "|(?:has\\s+)?been\\s+(?:closely\\s+)?(?:monitoring|tracking|observing)|researchers|analysts|threat\\s+intelligence"
        "|names)\\b";
  static const gchar verbs_any[]
      = "^(?:['’]s)?\\s*(?:[^.;!?\\n]{0,60}?\\s)?\?(?:has\\s+|have\\s+|had\\s+)?(?:also\\s+|recently\\s+|previously\\s+|first\\s+)?"
        "(?:observed|discovered|identified|uncovered|investigated|attributed|attributes|tracks|tracked|detected"
        "|analy[sz]ed|assessed|assesses|warned|warns|disclosed|reported|reports|said|says|noted|explained|believes"
        "|revealed|found|published|released\\s+(?:a|an|its|the)\\s+[^.\\n]{0,40}?(?:report|analysis|research|advisory|alert)"
        "|continues\\s+to\\s+(?:see|track|observe|monitor)|(?:has\\s+)?been\\s+(?:closely\\s+)?(?:monitoring|tracking|observing)"
        "|researchers|analysts|report|analysis|threat\\s+intelligence|names|issued|alerted)\\b";
  static const gchar attribution[]
      = "(?:according\\s+to|researchers\\s+(?:at|from|with)|analysts\\s+(?:at|from)|(?:report|analysis|research|blog\\s+post"
        "|advisory|alert)s?\\s+(?:\\w+\\s+){0,3}by|(?:cyber)?security\\s+(?:firm|company|vendor|researchers?)"
        "|published\\s+by|released\\s+by|discovered\\s+by|observed\\s+by|identified\\s+by)\\s+(?:the\\s+)?"
        "(?:[A-Z][\\w-]*\\s+){0,2}$";
  static const gchar verbs_ja[]
      = "^\\s*(?:(?:は|が|も|では|及び|と)[^。\\n]{0,80}?(?:発表|公表|報告|注意喚起|明らかに|観測|分析|指摘|警告|公開|調査|確認し|評価)"
        "|(?:によると|によれば|の調査|の報告|の分析|の研究者|のリサーチャー|が公開した|の発表|の注意喚起))";
  static const gchar verbs_ja_strong[]
      = "^\\s*(?:(?:は|が|も|では)[^。\\n]{0,80}?(?:観測|分析|調査|攻撃を確認|注意喚起)|(?:によると|によれば|の調査|の分析|の研究者|のリサーチャー))";
  if (matches (strong ? verbs_strong : verbs_any, after) || matches (attribution, before))
    return TRUE;
  return matches (strong ? verbs_ja_strong : verbs_ja, after);
}

static void
add_reporter (ShrExtractContext *ctx, const gchar *text, gsize start, const gchar *name)
{
  if (ctx->record->reported_by->len >= SHR_MAX_REPORTERS)
    return;
  for (guint i = 0; i < ctx->record->reported_by->len; i++)
    {
      g_autofree gchar *a = normalized (ctx->record->reported_by->pdata[i]);
      g_autofree gchar *b = normalized (name);
      if (strstr (a, b) != NULL || strstr (b, a) != NULL)
        return;
    }
  g_ptr_array_add (ctx->record->reported_by, g_strdup (name));
  g_autofree gchar *sentence = sentence_around (text, start);
  shr_record_set_evidence (ctx->record, "reported_by", sentence);
}

static void
collect_reporters (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      gboolean reporter = hit->kind == SHR_LEXICON_REPORTER;
      /* A vendor named alone ("Microsoft has observed …") reports only with
       * a researcher's verb: its own fixes it merely announces. */
      gboolean vendor = hit->kind == SHR_LEXICON_PRODUCT && ((const ShrProductEntry *) hit->entry)->product == NULL;
      if ((!reporter && !vendor) || g_hash_table_contains (seen, hit->entry) || in_url (text, hit->start))
        continue;
      if (!reports (text, hit->start, hit->end, vendor))
        continue;
      g_hash_table_add (seen, (gpointer) hit->entry);
      g_autofree gchar *name = g_strndup (text + hit->start, hit->end - hit->start);
      add_reporter (ctx, text, hit->start, name);
    }
  /* Firms no list knows: "researchers at Foo Security", "Foo researchers". */
  static GRegex *unknown_re;
  static const gchar unknown[]
      = "(?:[Rr]esearchers (?:at|from|with) (?:the )?|[Ss]ecurity (?:firm|company|vendor) |according to (?:the )?)"
        "([A-Z][A-Za-z0-9&.-]+(?: [A-Z][A-Za-z0-9&.-]+){0,2})(?=[ ,.;:)])"
        "|(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&.-]+(?: [A-Z][A-Za-z0-9&.-]+){0,2}) (?:researchers|threat researchers)\\b";
  g_autoptr (GMatchInfo) m = NULL;
  g_regex_match (exact_regex (unknown, &unknown_re), text, 0, &m);
  while (g_match_info_matches (m))
    {
      for (gint g = 1; g <= 2; g++)
        {
          gint s, e;
          if (!g_match_info_fetch_pos (m, g, &s, &e) || s < 0)
            continue;
          const gchar *sp = memchr (text + s, ' ', e - s);
          gsize first_len = sp != NULL ? (gsize) (sp - (text + s)) : (gsize) (e - s);
          g_autofree gchar *name = g_strndup (text + s, e - s);
          if (!generic_word (text + s, first_len) && !names_a_region (ctx->lexicon, name))
            add_reporter (ctx, text, s, name);
        }
      g_match_info_next (m, NULL);
    }
}

/* ---- sectors and regions -------------------------------------------------- */

/* Whether the sentence around a region or sector word speaks of targets,
 * victims or attacks. A CISA notice that mentions "federal agencies" as
 * its audience names no targeted sector. */
static gboolean
targeting_sentence (const gchar *s)
{
  static const gchar cue[]
      = "\\b(?:target(?:s|ed|ing)?|against|victims?|breach(?:ed|es|ing)?|compromis\\w*|hacked|hacks?|hacking|stole|stolen"
        "|attack(?:s|ed|ing)?|campaigns?|intrusions?|infiltrat\\w*|espionage|impacted\\s+organi[sz]ations"
        "|affected\\s+organi[sz]ations|disrupt\\w*|struck|hit\\s+by|exploit(?:ed|ing)\\s+in|focus(?:ed|es|ing)?\\s+on|spying"
        "|broke\\s+into|broken\\s+into|breaking\\s+into|threat\\s+to|(?:were|was|been)\\s+hit)\\b"
        "|標的|狙|攻撃|被害|侵害|不正アクセス|ハッキング|侵入|感染";
  return matches (cue, s);
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
      = "^(?:['’]s)?(?:\\s*[-–]\\s*|\\s+)[\"“]?(?:(?:state|government|nation-state)[- ])?(?:linked|backed|nexus|sponsored|aligned"
        "|affiliated|origin|state(?!s)|government|nation-state|military|intelligence|threat\\s+(?:actors?|groups?)|APTs?"
        "|hackers?|actors?|groups?|gangs?|operators?|spies|cyber\\s*criminals?|attackers?|adversar(?:y|ies)|crews?"
        "|(?:cyber)?security\\s+(?:firm|company|vendor|researchers?|agency|agencies)|vendors?|companies|company|firms?"
        "|manufacturers?|makers?|officials|authorities|police|agency|agencies|researchers|(?:Main|General)\\s+Directorate"
        "|(?:based|speaking)\\s+(?:threat\\s+)?(?:actors?|groups?|hackers|APTs?|attackers|operators))\\b"
        "|^-,?\\s[^.;\\n]{0,60}?-(?:linked|backed|nexus|sponsored|aligned|affiliated)\\b"
        "|^(?:['’]s)?\\s+(?:(?:has|have|had|also|allegedly|reportedly|now|again|is|was)\\s+)*(?:eyes|targets|targeted|attacks|attacked"
        "|hacks|hacked|spies|leverages|leveraged|uses|used|deploys|deployed|launched|launches|conducts|conducted|sponsors"
        "|sponsored|invaded|invades|sanctioned|sanctions|indicted|charged|accused|blamed|seized|dismantled)\\b"
        "|^['’]s\\s+(?:[\\w-]+\\s+){0,3}?(?:invasion|war|aggression|military|government|intelligence|GRU|FSB|SVR|MSS|IRGC"
        "|[Uu]nits?|hackers|spies|agency|agencies|army|APTs?)\\b"
        "|^\\s+(?:(?:state|nation-state)[- ](?:sponsored|backed)\\s+)?(?:cyber\\s*attacks?|cyberattacks?|attacks|hacking|hacks"
        "|espionage|operations|campaigns?|intrusions)\\b"
        "|^\\s+(?:[A-Z][\\w-]*\\s+){1,4}(?:\\w+\\s+){0,3}(?:detected|reported|said|says|warned|attributed|observed|discovered"
        "|announced|disclosed|identified|confirmed)\\b"
        "|^(?:系|政府の支援|の支援|の国家支援|が支援|を拠点|拠点の|に拠点|の攻撃グループ|のハッカー|の攻撃者"
        "|のサイバー攻撃グループ|の国家|の関与|政府系|の情報機関|の軍|当局|の警察|警察|のセキュリティ企業|のセキュリティベンダー"
        "|製|のベンダー|企業の|語)";
  static const gchar home_before[]
      = "(?:attribut\\w+\\s+(?:[\\w-]+\\s+){0,4}to|on\\s+behalf\\s+of|linked\\s+to|tied\\s+to|traced\\s+(?:back\\s+)?to"
        "|(?:fund|funds|funding|finance|financing|benefit|benefits|helps?)"
        "|(?:affiliate|subsidiary|branch|division|unit|arm)\\s+of\\s+(?:a|an)"
        "|(?:hackers|actors|groups?|attackers|operators|spies)\\s+(?:from|based\\s+in|out\\s+of|in))\\s+(?:the\\s+)?$";
  if (matches (home_after, after) || matches (home_before, before))
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
  return matches ("(?:sectors?|industries|industry|verticals)\\b[^.;:\\n]{0,30}?(?:including|such\\s+as|like|spanning|across"
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

static void
collect_targets (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  gsize home_end = G_MAXSIZE;
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      gboolean sector = hit->kind == SHR_LEXICON_SECTOR;
      if ((!sector && hit->kind != SHR_LEXICON_REGION) || in_url (text, hit->start))
        continue;
      if (!sector && names_home (text, hit->start, hit->end, hits, i))
        {
          home_end = hit->end;
          continue;
        }
      /* "North Korea's nuclear program", "the Russian military", "the
       * Iranian government" behind an attack: the home's institutions. */
      if (sector && home_end != G_MAXSIZE && hit->start >= home_end && hit->start - home_end <= 8)
        {
          g_autofree gchar *gap = g_strndup (text + home_end, hit->start - home_end);
          if (matches ("^(?:['’]s)?\\s*[\"“]?$", gap))
            continue;
        }
      if (sector && hit->needs_vendor && !in_sector_list (text, hit->start))
        continue;
      const ShrLabelEntry *e = hit->entry;
      GPtrArray *into = sector ? ctx->record->sectors : ctx->record->regions;
      gboolean have = FALSE;
      for (guint k = 0; k < into->len && !have; k++)
        have = strcmp (into->pdata[k], e->key) == 0;
      if (have)
        continue;
      g_autofree gchar *s = sentence_around (text, hit->start);
      if (!targeting_sentence (s) && !names_an_actor (ctx->record, s))
        continue;
      g_ptr_array_add (into, g_strdup (e->key));
      shr_record_set_evidence (ctx->record, sector ? "sectors" : "regions", s);
    }
}

void
shr_campaign_collect (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  g_return_if_fail (ctx != NULL && text != NULL && hits != NULL);
  collect_actors (ctx, text, hits);
  collect_reporters (ctx, text, hits);
  collect_targets (ctx, text, hits);
}
