/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-affected.c — products and versions from an advisory's structure. */
#include "config.h"

#include "shr-affected.h"

#include <string.h>

#include "shr-version.h"
#include "shr-text.h"

/* A version as vendors write them: "7.4.5", "v1.0.1", "10.2.9-h19",
 * "13.1-49.15", "22.7R2.6", "17.9.6a", "2.3.3op2", "12.2(55)SE". */
/* Word characters are ASCII here: GRegex's \\w takes in kana and kanji,
 * and 「Ver.3.30以前」 has its version before 以前. */
#define VERSION_RE                                                                                           \
  "(?<![A-Za-z0-9_.+/"                                                                                       \
  "-])(?:(?i:ver)\\.?\\s?)?([vV]?\\d+(?:\\.\\d+)+(?:-h\\d+|-\\d+(?:\\.\\d+)*|R\\d+(?:\\.\\d+)*(?:-S\\d+(?:"  \
  "\\.\\d+)*)?|[a-zA-Z]{1,3}\\d*(?:\\.\\d+)*"                                                                \
  "|\\([\\w.]+\\)\\w*| (?-i:U)\\d[a-z]?| Update \\d[a-z]?)?)(?![A-Za-z0-9_]|\\.\\d)"

/* ---- names ---------------------------------------------------------------- */

/* Generic words a product name carries in tables and lists ("Cisco IOS XE
 * Software Release", "MXsecurity Series", 「GT27 モデル」). */
static gboolean
is_qualifier (const gchar *word)
{
  static const gchar *const q[]
      = { "software",       "release",      "releases",   "version", "versions", "firmware",
          "series",         "appliance",    "appliances", "edition", "モデル",   "シリーズ",
          "ファームウェア", "ソフトウェア", "バージョン", NULL };
  g_autofree gchar *l = g_utf8_casefold (word, -1);
  return g_strv_contains (q, l);
}

gboolean
shr_plausible_product_name (const gchar *name, gboolean strict)
{
  if (name == NULL)
    return FALSE;
  gsize len = strlen (name);
  glong chars = g_utf8_strlen (name, -1);
  if (chars < 2 || len > 80)
    return FALSE;
  if (strstr (name, "://") != NULL || strchr (name, '@') != NULL)
    return FALSE;
  /* "CVE-2026-33001 OSコマンドインジェクション CVSS": a flaw's line. */
  if (shr_regex_test ("CVE-\\d{4}-\\d", name))
    return FALSE;
  /* Sentences and lists are not names. */
  static const gchar *const punct[]
      = { "。", "、", ". ", ", ", "; ", "! ", "? ", "：", ": ", "「", "」", NULL };
  for (guint i = 0; punct[i] != NULL; i++)
    if (strstr (name, punct[i]) != NULL)
      return FALSE;
  guint words = 0, letters = 0, upper = 0, digits = 0, wide = 0;
  gboolean in = FALSE;
  for (const gchar *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean space = c == ' ' || c == '\t';
      if (!space && !in)
        words++;
      in = !space;
      if (c >= 0x80)
        wide++;
      else if (g_ascii_isalpha (c))
        {
          letters++;
          upper += g_ascii_isupper (c);
        }
      else if (g_ascii_isdigit (c))
        digits++;
    }
  if (words > 7 || (letters == 0 && wide == 0))
    return FALSE;
  if (strict && wide == 0 && upper == 0 && digits == 0)
    return FALSE;
  g_autofree gchar *lower = g_utf8_casefold (name, -1);
  static const gchar *const generic[] = { "software",
                                          "firmware",
                                          "product",
                                          "products",
                                          "the product",
                                          "the software",
                                          "device",
                                          "devices",
                                          "system",
                                          "systems",
                                          "application",
                                          "applications",
                                          "version",
                                          "versions",
                                          "server",
                                          "servers",
                                          "component",
                                          "components",
                                          "multiple products",
                                          "various products",
                                          "all versions",
                                          "affected versions",
                                          "affected products",
                                          "the following",
                                          "following products",
                                          "platform",
                                          "platforms",
                                          "package",
                                          "packages",
                                          "library",
                                          "module",
                                          "plugin",
                                          "service",
                                          "services",
                                          "feature",
                                          "solution",
                                          "update",
                                          "updates",
                                          "patch",
                                          "vulnerability",
                                          "vulnerabilities",
                                          "note",
                                          "users",
                                          "customers",
                                          "attacker",
                                          "attackers",
                                          "the vulnerability",
                                          "the issue",
                                          "this issue",
                                          "it",
                                          "this",
                                          "windows users",
                                          "linux",
                                          "unix",
                                          "web",
                                          "api",
                                          "apis",
                                          "cloud",
                                          "models",
                                          "model",
                                          "series",
                                          "version information",
                                          "品",
                                          "製品",
                                          "機器",
                                          "システム",
                                          "ソフトウェア",
                                          "ファームウェア",
                                          "アプリケーション",
                                          "サーバ",
                                          "サーバー",
                                          "バージョン",
                                          "複数の製品",
                                          "当該製品",
                                          "対象製品",
                                          "同製品",
                                          "本製品",
                                          "各製品",
                                          "以下の製品",
                                          "モデル",
                                          "シリーズ",
                                          "機能",
                                          "サービス",
                                          NULL };
  if (g_strv_contains (generic, lower) || strstr (name, "対象") != NULL || strstr (name, "以下") != NULL)
    return FALSE;
  /* Words that qualify a name are none alone ("Release", "Software Release"). */
  g_autofree gchar **parts = shr_text_split (name, " ");
  gboolean all_qualifiers = TRUE;
  for (guint i = 0; parts[i] != NULL && all_qualifiers; i++)
    all_qualifiers = *parts[i] == '\0' || is_qualifier (parts[i]);
  if (all_qualifiers)
    return FALSE;
  /* Fragments that start with a function word are the middle of a sentence. */
  static const gchar *const starts[]
      = { "the ", "a ",    "an ",    "this ", "these ",    "those ",    "its ",     "their ",
          "our ", "all ",  "any ",   "some ", "other ",    "multiple ", "several ", "and ",
          "or ",  "of ",   "in ",    "on ",   "to ",       "for ",      "with ",    "by ",
          "if ",  "when ", "which ", "that ", "versions ", "version ",  NULL };
  for (guint i = 0; starts[i] != NULL; i++)
    if (g_str_has_prefix (lower, starts[i]))
      return FALSE;
  /* A Japanese fragment ends with a particle or starts with one. */
  static const gchar *const particles[]
      = { "の", "に",     "を",   "は",   "が",     "で",       "と",   "や", "も",
          "へ", "および", "及び", "など", "または", "ならびに", "製品", NULL };
  for (guint i = 0; particles[i] != NULL; i++)
    if (g_str_has_suffix (name, particles[i]) || g_str_has_prefix (name, particles[i]))
      return FALSE;
  return TRUE;
}

/* The product the lexicon knows in @name when it covers all of @name but
 * the vendor's name and generic qualifiers; NULL otherwise. */
static const ShrProductEntry *
known_product (ShrExtractContext *ctx, const gchar *name)
{
  const ShrProductEntry *e = shr_lexicon_find_product (ctx->lexicon, name);
  if (e != NULL && e->product != NULL)
    return e;
  g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, name);
  const ShrProductEntry *found = NULL;
  gsize covered_end = 0;
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      const ShrProductEntry *pe = hit->entry;
      if (pe->product == NULL)
        continue; /* the vendor's own name */
      if (found != NULL)
        return NULL; /* two products: not one name */
      found = pe;
      covered_end = hit->end;
    }
  if (found == NULL)
    return NULL;
  /* What follows the hit must be qualifiers only. */
  g_autofree gchar **rest = shr_text_split (name + covered_end, " ");
  for (guint i = 0; rest[i] != NULL; i++)
    if (*rest[i] != '\0' && !is_qualifier (rest[i]))
      return NULL;
  return found;
}

/* The vendor named in @text (the lexicon's vendor rows and products), or
 * NULL. (transfer none) */
static const gchar *
vendor_in (ShrExtractContext *ctx, const gchar *text)
{
  if (text == NULL)
    return NULL;
  g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, text);
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      const ShrProductEntry *pe = hit->entry;
      if (pe->vendor != NULL && !hit->needs_vendor)
        return pe->vendor;
    }
  return NULL;
}

/* The vendor this advisory is about when a name does not say: a "Vendor:"
 * field, the PSIRT or distribution that sent it, the vendor named in the
 * title. (transfer none) */
static const gchar *
context_vendor (ShrExtractContext *ctx, const ShrDocument *doc)
{
  for (guint i = 0; i < doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (doc->fields, i);
      const gchar *k = f->key;
      while (*k == '*' || *k == '-' || *k == ' ')
        k++;
      if (g_ascii_strcasecmp (k, "vendor") == 0 || strcmp (k, "ベンダ") == 0 || strcmp (k, "開発者") == 0)
        return f->value;
    }
  if (g_strcmp0 (ctx->record->source_kind, "psirt") == 0 && ctx->record->products->len > 0)
    return ((ShrProduct *)g_ptr_array_index (ctx->record->products, 0))->vendor;
  return vendor_in (ctx, ctx->subject);
}

/* Removes the vendor's name from the front of @name ("Moxa MXsecurity"). */
static const gchar *
without_vendor (const gchar *name, const gchar *vendor)
{
  if (vendor == NULL)
    return name;
  gsize vl = strlen (vendor);
  if (g_ascii_strncasecmp (name, vendor, vl) == 0 && name[vl] == ' ')
    return name + vl + 1;
  return name;
}

/* Splits a row or line label into the product's name and the release
 * train at its end: "FortiManager Cloud 7.4" → ("FortiManager Cloud",
 * "7.4"); "17.9" → ("", "17.9"); "PAN-OS 10.2" → ("PAN-OS", "10.2"). */
static gchar *
split_train (const gchar *label, gchar **train)
{
  *train = NULL;
  g_autofree gchar *t
      = shr_match_group ("^(.*?)\\s*(?<![\\w.])[vV]?(\\d+(?:\\.\\d+){0,2}(?:\\.x)?)\\s*$", label, 2);
  if (t != NULL)
    {
      g_autofree gchar *name
          = shr_match_group ("^(.*?)\\s*(?<![\\w.])[vV]?\\d+(?:\\.\\d+){0,2}(?:\\.x)?\\s*$", label, 1);
      gsize tl = strlen (t);
      if (tl > 2 && g_str_has_suffix (t, ".x"))
        t[tl - 2] = '\0';
      *train = g_steal_pointer (&t);
      return name ? g_steal_pointer (&name) : g_strdup ("");
    }
  return g_strstrip (g_strdup (label));
}

/* @name is a model of @series: @series ends with "series" or 「シリーズ」
 * and @name starts with the words before it ("Sample Router SR-500" of
 * "Sample Router シリーズ"). */
static gboolean
is_model_of_series (const gchar *name, const gchar *series)
{
  static const gchar *const marks[]
      = { " シリーズ", "シリーズ", " series", " Series", " family", " Family", NULL };
  for (guint i = 0; marks[i] != NULL; i++)
    {
      if (!g_str_has_suffix (series, marks[i]))
        continue;
      gsize stem = strlen (series) - strlen (marks[i]);
      return stem >= 2 && g_ascii_strncasecmp (name, series, stem) == 0 && name[stem] == ' ';
    }
  return FALSE;
}

/* The vendor of every product the record has, when they have one and the
 * same; else NULL. (transfer none) */
static const gchar *
only_vendor (const ShrRecord *record)
{
  const gchar *vendor = NULL;
  for (guint i = 0; i < record->products->len; i++)
    {
      const ShrProduct *p = g_ptr_array_index (record->products, i);
      if (p->vendor == NULL || (vendor != NULL && strcmp (vendor, p->vendor) != 0))
        return NULL;
      vendor = p->vendor;
    }
  return vendor;
}

/* The product a name in a table, list or field stands for, added to the
 * record when new (borrowed), or NULL when the name is no product's. */
static ShrProduct *
product_for_name (ShrExtractContext *ctx, const gchar *name, const gchar *vendor_hint, gboolean strict)
{
  if (name == NULL || *name == '\0')
    return NULL;
  const ShrProductEntry *e = known_product (ctx, name);
  if (e != NULL)
    return shr_record_add_product (ctx->record, e->vendor, e->product);
  const gchar *vendor = vendor_in (ctx, name);
  if (vendor == NULL)
    vendor = vendor_hint;
  g_autofree gchar *clean = g_strstrip (g_strdup (without_vendor (name, vendor)));
  /* Qualifiers at the end say nothing of which product it is. */
  for (;;)
    {
      gchar *space = strrchr (clean, ' ');
      if (space == NULL || !is_qualifier (space + 1))
        break;
      *space = '\0';
      g_strchomp (clean);
    }
  if (!shr_plausible_product_name (clean, strict))
    return NULL;
  /* A product the record already has by another spelling of the same
   * name, or a model of a series it has: 「Sample Router シリーズにおける…」
   * then "Sample Router SR-500 ファームウェア 2.0.8 およびそれ以前" under
   * 影響を受けるシステム is one product, not two. */
  for (guint i = 0; i < ctx->record->products->len; i++)
    {
      ShrProduct *p = g_ptr_array_index (ctx->record->products, i);
      if (g_ascii_strcasecmp (p->product, clean) == 0 || is_model_of_series (clean, p->product))
        return p;
    }
  /* An advisory about one vendor's product lists that vendor's models. */
  if (vendor == NULL)
    vendor = only_vendor (ctx->record);
  return shr_record_add_product (ctx->record, vendor, clean);
}

static gboolean
says_not_affected (const gchar *cell)
{
  /* PAN-OS tables write "None" under Affected for an unaffected product. */
  if (cell != NULL
      && (g_ascii_strcasecmp (cell, "none") == 0 || strcmp (cell, "なし") == 0 || strcmp (cell, "-") == 0))
    return TRUE;
  if (cell == NULL)
    return FALSE;
  g_autofree gchar *said = shr_match_group (
      "\\b(not "
      "(?:affected|vulnerable|applicable|impacted)|unaffected|n/a)\\b|影響(?:を受け)?ない|対象外|該当しない",
      cell, 0);
  return said != NULL;
}

/* The versions in a "fixed" cell or line ("Upgrade to 7.4.5 or above",
 * ">= 1.6.19", "17.9.6a", 「22.7R2.6 以降」). "Migrate to a fixed release"
 * names none. */
static void
add_fixed_versions (ShrProduct *p, const gchar *text)
{
  if (text == NULL || says_not_affected (text))
    return;
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, VERSION_RE, text);
  while (shr_matches_found (&m))
    {
      gint start = 0, end = 0;
      shr_matches_pos (&m, 1, &start, &end);
      /* "7.4.0 and earlier" in a fixed column is a note, not a fix. */
      if (!shr_regex_test ("^\\s*(?:and|or)?\\s*(?:earlier|before|prior|below|以前|より前|未満)", text + end))
        {
          g_autofree gchar *v = shr_matches_fetch (&m, 1);
          if (p->fixed->len < 40)
            shr_strv_add_unique (p->fixed, v);
        }
      shr_matches_next (&m);
    }
}

static gboolean
has_version (const gchar *text)
{
  return text != NULL && shr_regex_test (VERSION_RE, text);
}

/* A version, or a bare release number with the word that bounds it:
 * "Firefox 148より前のバージョン", "Chrome 131 and earlier". */
static gboolean
has_bound_version (const gchar *text)
{
  return has_version (text)
         || (text != NULL
             && shr_regex_test ("(?<![A-Za-z0-9_.])\\d{1,4}\\s*(?:より前|以前|未満|から|まで|(?:and|or) "
                                "(?:earlier|prior|before|older))|\\b(?:before|prior to) \\d{1,4}(?![\\d.])",
                                text));
}

static gboolean
says_all_versions (const gchar *text)
{
  return text != NULL
         && shr_regex_test ("\\ball (?:supported |current |prior |previous "
                            ")?(?:versions|releases)\\b|全て?の?バージョン|全バージョン",
                            text);
}

/* ---- tables --------------------------------------------------------------- */

static gint
column_index (const ShrTable *t, ShrColumn want)
{
  for (guint i = 0; i < t->columns->len; i++)
    if (g_array_index (t->columns, ShrColumn, i) == want)
      return i;
  return -1;
}

static const gchar *
cell (GPtrArray *row, gint i)
{
  return i >= 0 && (guint)i < row->len ? g_ptr_array_index (row, i) : NULL;
}

static void
read_version_table (ShrExtractContext *ctx, const ShrDocument *doc, const ShrTable *t, const gchar *vendor)
{
  gint pc = column_index (t, SHR_COLUMN_PRODUCT);
  gint ac = column_index (t, SHR_COLUMN_AFFECTED);
  gint fc = column_index (t, SHR_COLUMN_FIXED);
  if (ac < 0 && fc < 0)
    return;
  if (pc < 0)
    pc = 0;
  if (pc == ac || pc == fc)
    return;
  /* A header such as "Cisco IOS XE Software Release" names the product
   * the rows' trains belong to. */
  ShrProduct *header_product = NULL;
  const gchar *header_label = (guint)pc < t->header->len ? g_ptr_array_index (t->header, pc) : NULL;
  if (header_label != NULL && shr_lexicon_find_product (ctx->lexicon, header_label) == NULL)
    {
      g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, header_label);
      for (guint i = 0; i < hits->len && header_product == NULL; i++)
        {
          const ShrProductEntry *pe = g_array_index (hits, ShrLexiconHit, i).entry;
          if (pe->product != NULL)
            header_product = shr_record_add_product (ctx->record, pe->vendor, pe->product);
        }
    }
  for (guint r = 0; r < t->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (t->rows, r);
      const gchar *label = cell (row, pc);
      const gchar *affected = cell (row, ac);
      const gchar *fixed = cell (row, fc);
      if (label == NULL)
        continue;
      g_autofree gchar *train = NULL;
      g_autofree gchar *name = NULL;
      g_autofree gchar *label_range = NULL;
      if (g_ascii_isdigit (*label) || ((*label == 'v' || *label == 'V') && g_ascii_isdigit (label[1])))
        {
          /* A train alone ("17.9"), or with range words ("17.6 and
           * earlier"), under a header that names the product. */
          name = split_train (label, &train);
          if (*name != '\0')
            {
              g_clear_pointer (&train, g_free);
              train = shr_match_group ("^[vV]?(\\d+(?:\\.\\d+)*)", label, 1);
              label_range = g_strdup (label);
            }
          g_free (name);
          name = g_strdup ("");
        }
      else
        name = split_train (label, &train);
      if (affected == NULL && label_range != NULL)
        affected = label_range;
      if (ac < 0 && says_not_affected (fixed))
        affected = fixed;
      ShrProduct *p = NULL;
      if (*name != '\0')
        p = product_for_name (ctx, name, vendor, FALSE);
      if (p == NULL)
        p = header_product;
      if (p == NULL && ctx->record->products->len > 0)
        p = g_ptr_array_index (ctx->record->products, 0);
      if (p == NULL)
        continue;
      /* "7.4.0 through 7.4.4 | Upgrade to 7.4.5 or above" is one range of
       * the train 7.4; "Not affected" says the train is not; "6.4 all
       * versions | Migrate to a fixed release" has no fix. */
      gboolean unaffected = says_not_affected (affected);
      g_autofree gchar *row_text
          = g_strdup_printf ("%s%s%s%s%s", label, affected ? " " : "", affected ? affected : "",
                             fixed ? " " : "", fixed ? fixed : "");
      if (unaffected)
        {
          shr_product_add_range (p, train, NULL, NULL, NULL, TRUE, row_text);
          continue;
        }
      g_autofree gchar *introduced = NULL, *last = NULL, *below = NULL;
      gboolean all = FALSE;
      if (affected != NULL && says_all_versions (affected))
        {
          /* "6.4 all versions": every release of the train. */
          all = TRUE;
          shr_strv_add_unique (p->affected, affected);
        }
      else if (affected != NULL)
        {
          g_autoptr (ShrRange) range = shr_range_parse (affected, NULL);
          if (range != NULL && range->intervals->len > 0)
            {
              const ShrInterval *iv = g_ptr_array_index (range->intervals, 0);
              introduced = g_strdup (iv->low);
              if (iv->high_inclusive)
                last = g_strdup (iv->high);
              else
                below = g_strdup (iv->high);
              all = iv->low == NULL && iv->high == NULL;
            }
          else
            all = says_all_versions (affected);
          if (has_version (affected) || all)
            {
              g_autofree gchar *phrase = train && !all && !g_str_has_prefix (affected, train)
                                             ? g_strdup (affected)
                                             : g_strdup (affected);
              shr_strv_add_unique (p->affected, phrase);
            }
        }
      add_fixed_versions (p, fixed);
      g_autofree gchar *row_fix
          = fixed != NULL && !says_not_affected (fixed) ? shr_match_group (VERSION_RE, fixed, 1) : NULL;
      const gchar *fix = row_fix != NULL ? row_fix : below;
      if (introduced != NULL || last != NULL || fix != NULL || all)
        {
          if (train == NULL)
            train = shr_version_train (introduced ? introduced : last ? last : fix);
          shr_product_add_range (p, train, introduced, last, fix, FALSE, row_text);
        }
    }
  (void)doc;
}

/* ---- sections and fields ---------------------------------------------------- */

/* The items of a section: each list item, and each paragraph with its
 * wrapped lines joined; list markers removed. A line in a column layout
 * (two spaces inside it) is an item of its own. */
static GPtrArray *
section_items (const gchar *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar **lines = shr_text_split (text, "\n");
  GString *cur = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const gchar *l = lines[i];
      while (*l == ' ' || *l == '\t')
        l++;
      gboolean marker = FALSE;
      for (;;)
        {
          if ((*l == '*' || *l == '-' || *l == '+') && l[1] == ' ')
            l += 2;
          else if (g_str_has_prefix (l, "・") || g_str_has_prefix (l, "•") || g_str_has_prefix (l, "●"))
            l = g_utf8_next_char (l);
          else
            break;
          marker = TRUE;
          while (*l == ' ' || *l == '\t')
            l++;
        }
      g_autofree gchar *t = g_strstrip (g_strdup (l));
      gboolean columns = strstr (t, "  ") != NULL || strchr (t, '|') != NULL;
      /* A short line that does not end a sentence is an item of a list
       * written without markers ("GT23 モデル", "Foo Server 2.1"). */
      glong chars = g_utf8_strlen (t, -1);
      gboolean short_line = chars <= 40 && !g_str_has_suffix (t, ".") && !g_str_has_suffix (t, "。");
      if (*t == '\0' || marker || columns || short_line)
        {
          if (cur->len > 0)
            g_ptr_array_add (out, g_strdup (cur->str));
          g_string_truncate (cur, 0);
        }
      if (*t == '\0')
        continue;
      if (marker || columns || short_line)
        {
          /* A list item may wrap onto the next lines: they join it. */
          g_string_assign (cur, t);
          if (columns || (short_line && !marker))
            {
              g_ptr_array_add (out, g_strdup (cur->str));
              g_string_truncate (cur, 0);
            }
          continue;
        }
      if (cur->len > 0 && (guchar)t[0] < 0x80)
        g_string_append_c (cur, ' ');
      g_string_append (cur, t);
    }
  if (cur->len > 0)
    g_ptr_array_add (out, g_strdup (cur->str));
  g_string_free (cur, TRUE);
  return out;
}

/* A sentence rather than a list item: many words, or a sentence end. */
static gboolean
is_prose (const gchar *item)
{
  guint words = 0;
  gboolean in = FALSE;
  for (const gchar *p = item; *p; p++)
    {
      gboolean w = *p != ' ';
      if (w && !in)
        words++;
      in = w;
    }
  /* Japanese has no spaces between words: a sentence ends with 。. */
  return words > 10 || (g_str_has_suffix (item, ".") && words > 4) || g_str_has_suffix (item, "。")
         || g_utf8_strlen (item, -1) > 120;
}

/* One line of an "Affected Products" section or a "Fixed in" list: the
 * products the lexicon finds in it, else the name before its first
 * version ("MXsecurity Series: Software v1.0", "Foo Gateway 3.1 and
 * earlier", 「GT27 モデル」). */
static void
read_product_line (ShrExtractContext *ctx, const gchar *written, const gchar *vendor, gboolean fixed_list,
                   gboolean names_only)
{
  /* 「Aterm WX3600HP　ファームウェア Ver1.5.3」: an ideographic space parts
   * words as a space does. */
  g_autoptr (GString) spaced = g_string_new (written);
  g_string_replace (spaced, "\u3000", " ", 0);
  const gchar *line = spaced->str;
  g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, line);
  ShrProduct *p = NULL;
  gsize name_end = 0;
  guint first_hit = 0;
  for (guint i = 0; i < hits->len && p == NULL; i++)
    {
      first_hit = i;
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      const ShrProductEntry *pe = hit->entry;
      if (pe->product == NULL || hit->needs_vendor)
        continue;
      /* "Firefox ESR 128.3.1": the longest known name wins, but a name the
       * lexicon lacks ("FortiManager Cloud") is its own product. */
      g_auto (ShrMatches) m = { 0 };
      const gchar *after = line + hit->end;
      gsize extra = 0;
      if (shr_matches_first (&m,
                             "^((?:\\s+(?!(?:v|ver|version|versions|release|prior|before|through|up|"
                             "and|or|from|to|all)\\b|(?:v|ver)\\.?\\d+\\.)[A-Z][\\w+-]*)+)",
                             after))
        {
          gint s = 0, e = 0;
          shr_matches_pos (&m, 1, &s, &e);
          extra = e;
        }
      if (extra > 0)
        {
          g_autofree gchar *name = g_strndup (line + hit->start, hit->end - hit->start + extra);
          p = product_for_name (ctx, name, pe->vendor, FALSE);
          name_end = hit->end + extra;
        }
      if (p == NULL)
        {
          p = shr_record_add_product (ctx->record, pe->vendor, pe->product);
          name_end = hit->end;
        }
    }
  if (p == NULL && !names_only)
    {
      /* The name is what stands before the first version or range word. */
      g_autofree gchar *name
          = shr_match_group ("^(?!(?:all|any|every|each)\\s+versions?\\b)(.+?)\\s*(?:[:：]|\\s(?:[vV]?\\d|"
                             "versions?\\b|ver\\.|ver\\d|prior\\b|before\\b|all\\b|up "
                             "to\\b|through\\b|earlier\\b|<|≤|<=)|バージョン|の(?:全|すべて)|$)",
                             line, 1);
      if (name != NULL)
        {
          p = product_for_name (ctx, name, vendor, FALSE);
          name_end = strlen (name);
        }
    }
  else if (p == NULL && names_only)
    p = product_for_name (ctx, line, vendor, FALSE);
  if (p == NULL)
    return;
  /* "NetScaler ADC and NetScaler Gateway 14.1 BEFORE 14.1-47.46": the
   * versions are of every product named before them. */
  g_autoptr (GPtrArray) named = g_ptr_array_new ();
  g_ptr_array_add (named, p);
  static const gchar *const joiners[] = { "and", "or", "&", ",", "/", "および", "、", NULL };
  for (guint i = first_hit + 1; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      const ShrProductEntry *pe = hit->entry;
      if (hit->start < name_end || pe->product == NULL || hit->needs_vendor)
        break;
      g_autofree gchar *between = g_strstrip (g_strndup (line + name_end, hit->start - name_end));
      if (!g_strv_contains (joiners, between))
        break;
      g_ptr_array_add (named, shr_record_add_product (ctx->record, pe->vendor, pe->product));
      name_end = hit->end;
    }
  const gchar *rest = line + MIN (name_end, strlen (line));
  for (guint i = 0; i < named->len; i++)
    {
      ShrProduct *q = named->pdata[i];
      if (q == NULL)
        continue;
      if (fixed_list)
        add_fixed_versions (q, rest);
      else if (has_bound_version (rest) || says_all_versions (rest))
        {
          g_autofree gchar *phrase = g_strstrip (g_strdup (rest));
          const gchar *ph = phrase;
          while (*ph == ':' || *ph == ' ' || g_str_has_prefix (ph, "：") || g_str_has_prefix (ph, "\u3000"))
            ph = *ph == ':' || *ph == ' ' ? ph + 1 : ph + strlen ("：");
          if (*ph != '\0' && strlen (ph) < 300)
            shr_strv_add_unique (q->affected, ph);
        }
    }
}

static gboolean
field_key_is (const ShrField *f, const gchar *const *keys)
{
  const gchar *k = f->key;
  while (*k == '*' || *k == '-' || *k == ' ')
    k++;
  for (guint i = 0; keys[i] != NULL; i++)
    if (g_ascii_strcasecmp (k, keys[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
starts_with_product (const ShrRecord *record, const gchar *line)
{
  for (guint i = 0; i < record->products->len; i++)
    {
      const ShrProduct *p = record->products->pdata[i];
      gsize n = strlen (p->product);
      if (n > 2 && g_ascii_strncasecmp (line, p->product, n) == 0 && !g_ascii_isalnum (line[n]))
        return TRUE;
    }
  return FALSE;
}

/* A package advisory's fields (GitHub, OSV and registry alerts):
 * "Package: example-lib (npm)", "Affected versions: < 4.5.1", "Patched
 * version: 4.5.1". The ecosystem in parentheses is no part of the name. */
static void
read_package_fields (ShrExtractContext *ctx, const ShrDocument *doc)
{
  static const gchar *const package_keys[] = { "package", "package name", "affected package", NULL };
  static const gchar *const affected_keys[]
      = { "affected versions", "affected version", "vulnerable versions", "vulnerable version", NULL };
  static const gchar *const fixed_keys[] = { "patched versions", "patched version",       "fixed versions",
                                             "fixed version",    "first patched version", NULL };
  const ShrField *package = NULL;
  for (guint i = 0; i < doc->fields->len && package == NULL; i++)
    if (field_key_is (g_ptr_array_index (doc->fields, i), package_keys))
      package = g_ptr_array_index (doc->fields, i);
  if (package == NULL)
    return;
  g_autofree gchar *name
      = shr_match_group ("^\\s*([\\w@/.:+-]{2,100})(?:\\s*\\([\\w .-]{1,20}\\))?\\s*$", package->value, 1);
  if (name == NULL)
    return;
  ShrProduct *p = shr_record_add_product (ctx->record, NULL, name);
  if (p == NULL)
    return;
  for (guint i = 0; i < doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (doc->fields, i);
      if (field_key_is (f, affected_keys) && has_version (f->value) && strlen (f->value) < 300)
        shr_strv_add_unique (p->affected, f->value);
      else if (field_key_is (f, fixed_keys))
        add_fixed_versions (p, f->value);
    }
}

/* A sentence that opens a list of what is affected or fixed, where no
 * heading does: 「対象となるバージョンは次のとおりです。」 over "- Apache
 * Tomcat 11.0.0-M1から11.0.13まで", "The following versions are
 * affected:". Each item that gives a version is a product line. */
/* The first place in @text where one of @words stands, or NULL. */
static const gchar *
first_of (const gchar *text, const gchar *const *words)
{
  const gchar *first = NULL;
  for (guint i = 0; words[i] != NULL; i++)
    {
      const gchar *at = strstr (text, words[i]);
      if (at != NULL && (first == NULL || at < first))
        first = at;
    }
  return first;
}

static void
read_lead_in_lists (ShrExtractContext *ctx, const gchar *text, const gchar *vendor)
{
  /* Every lead-in holds one of these: most mails hold none, and the
   * patterns are not run over them. */
  gboolean ja = strstr (text, "とおり") != NULL || strstr (text, "通り") != NULL;
  gboolean en = strstr (text, "ollowing") != NULL || strstr (text, "OLLOWING") != NULL;
  if (!ja && !en)
    return;
  static const gchar *const leads[] = {
    "(?:対象となる|影響を受ける|該当する)(?:製品|バージョン|システム|ソフトウェア|機種)[^。\\n]{0,30}(?:次|"
    "以下)の(?:とおり|通り)",
    "(?:修正済み|修正された|対策済み|修正)(?:の)?(?:製品|バージョン|版)[^。\\n]{0,30}(?:次|以下)の(?:とおり|"
    "通り)",
    "\\bfollowing (?:products?|versions?|releases?|software)[^.\\n]{0,60}\\b(?:are|is) "
    "(?:affected|vulnerable|impacted)"
    "[^.\\n]{0,40}:[ \\t]*$"
    "|\\b(?:affects|impacts) the following (?:products?|versions?|releases?)[^.\\n]{0,40}:[ \\t]*$",
  };
  /* And each pattern its words a match starts with (following: up to
   * "affects the " before it): a pattern is tried from the first of them
   * on, or not at all. */
  static const gchar *const ja_subjects[] = { "対象となる", "影響を受ける", "該当する", NULL };
  static const gchar *const ja_fixes[] = { "修正", "対策済み", NULL };
  const gchar *following = en ? strcasestr (text, "following") : NULL;
  const gchar *from[G_N_ELEMENTS (leads)] = {
    ja ? first_of (text, ja_subjects) : NULL,
    ja ? first_of (text, ja_fixes) : NULL,
    following == NULL ? NULL : following - MIN ((gsize)(following - text), strlen ("affects the ")),
  };
  /* The English lead-ins stand within one line that holds "following":
   * most mails have such lines and no lead-in, and those lines alone are
   * tested before the text is walked from the first of them. */
  if (from[2] != NULL)
    {
      gboolean any = FALSE;
      for (const gchar *f = following; f != NULL && !any; f = strcasestr (f + 1, "following"))
        {
          const gchar *start = f;
          while (start > text && start[-1] != '\n')
            start--;
          const gchar *end = strchr (f, '\n');
          end = end != NULL ? end : f + strlen (f);
          any = shr_regex_test_range (leads[2], text, start - text, end - text);
          if (!any && *end != '\0')
            f = end;
        }
      if (!any)
        from[2] = NULL;
    }
  for (guint k = 0; k < G_N_ELEMENTS (leads); k++)
    {
      if (from[k] == NULL)
        continue;
      gboolean fixed = k == 1;
      g_autoptr (GMatchInfo) m = NULL;
      g_regex_match_full (shr_regex (leads[k]), text, -1, from[k] - text, 0, &m, NULL);
      for (guint found = 0; g_match_info_matches (m) && found < 16; g_match_info_next (m, NULL), found++)
        {
          gint end = 0;
          g_match_info_fetch_pos (m, 0, NULL, &end);
          /* The items start on the lines after the lead-in. */
          const gchar *line = strchr (text + end, '\n');
          for (guint items = 0; line != NULL && items < 30; items++)
            {
              line++;
              const gchar *eol = strchr (line, '\n');
              gsize len = eol != NULL ? (gsize)(eol - line) : strlen (line);
              g_autofree gchar *item = g_strstrip (g_strndup (line, len));
              const gchar *body = NULL;
              static const gchar *const bullets[] = { "- ", "* ", "・", "•", "●", "○", NULL };
              for (guint b = 0; bullets[b] != NULL && body == NULL; b++)
                if (g_str_has_prefix (item, bullets[b]))
                  body = item + strlen (bullets[b]);
              if (body == NULL)
                break;
              while (*body == ' ')
                body++;
              if (has_bound_version (body) && !is_prose (body))
                read_product_line (ctx, body, vendor, fixed, FALSE);
              line = eol;
            }
        }
    }
}

void
shr_affected_from_structure (ShrExtractContext *ctx, const ShrDocument *doc)
{
  const gchar *vendor = context_vendor (ctx, doc);

  /* Fields that name products: "Products: Firefox, Firefox ESR",
   * "Equipment: MXsecurity Series", "Affected Products: …". */
  static const gchar *const product_keys[]
      = { "products", "product", "equipment", "affected products", "affected product", "affected software",
          "対象製品", "製品名",  NULL };
  for (guint i = 0; i < doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (doc->fields, i);
      if (!field_key_is (f, product_keys))
        continue;
      g_auto (GStrv) names = g_regex_split (shr_regex ("\\s*(?:,|;|、|\\band\\b)\\s*"), f->value, 0);
      for (guint k = 0; names[k] != NULL; k++)
        if (*names[k] != '\0')
          read_product_line (ctx, names[k], vendor, FALSE, !has_version (names[k]));
    }

  read_package_fields (ctx, doc);
  read_lead_in_lists (ctx, doc->text, vendor);

  /* A list post's "Affected: libexample 2.9.0 up to and including 2.11.3",
   * "Fixed: libexample 2.11.4": a name, then versions. */
  static const gchar *const affected_keys[] = { "affected", "vulnerable", "影響を受けるバージョン", NULL };
  static const gchar *const fixed_keys[] = { "fixed", "fixed in", "fix", "修正版", NULL };
  for (guint i = 0; i < doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (doc->fields, i);
      gboolean fixed = field_key_is (f, fixed_keys);
      if ((!fixed && !field_key_is (f, affected_keys)) || !g_unichar_isalpha (g_utf8_get_char (f->value))
          || !has_version (f->value) || strlen (f->value) > 200)
        continue;
      g_autofree gchar *first = g_strdup (f->value);
      /* "(released today); 2.10.x users should …": the first clause. */
      gchar *cut = strpbrk (first, ";(");
      if (cut != NULL)
        *cut = '\0';
      read_product_line (ctx, first, vendor, fixed, FALSE);
    }

  for (guint i = 0; i < doc->tables->len; i++)
    read_version_table (ctx, doc, g_ptr_array_index (doc->tables, i), vendor);

  for (guint s = 0; s < doc->sections->len; s++)
    {
      const ShrSection *sec = g_ptr_array_index (doc->sections, s);
      gboolean solution = sec->role == SHR_ROLE_SOLUTION;
      if (sec->role != SHR_ROLE_AFFECTED && sec->role != SHR_ROLE_FIXED && !solution)
        continue;
      g_autofree gchar *text = shr_document_section_text (doc, s);
      g_autoptr (GPtrArray) items = section_items (text);
      for (guint l = 0; l < items->len && l < 60; l++)
        {
          const gchar *line = g_ptr_array_index (items, l);
          /* Table rows were read as tables. */
          if (strstr (line, "  ") != NULL || strchr (line, '|') != NULL
              || strstr (line, "\u3000\u3000") != NULL)
            continue;
          /* "Reporter: …", "Impact: critical": fields, not products. */
          g_autofree gchar *key = strchr (line, ':') != NULL || strstr (line, "：") != NULL
                                      ? shr_match_group ("^([^:：]{1,30})[:：]", line, 1)
                                      : NULL;
          if (key != NULL && (shr_heading_role (key) != SHR_ROLE_NONE || !has_version (line)))
            continue;
          /* A vendor's name alone over its products (JVN's layout). */
          if (vendor != NULL && !has_version (line)
              && (g_str_has_prefix (vendor, line) || g_str_has_prefix (line, vendor)))
            continue;
          /* Under Solution, only a line that gives a product already named
           * with a version: 「Aterm WX3600HP　Ver1.5.4」 after 「最新のファーム
           * ウェアへアップデートしてください」. */
          if (solution)
            {
              if (!is_prose (line) && has_version (line) && starts_with_product (ctx->record, line))
                read_product_line (ctx, line, vendor, TRUE, FALSE);
              continue;
            }
          if (is_prose (line))
            {
              /* In a sentence only names the lexicon knows are products:
               * "… running Cisco IOS XE Software if the HTTP Server …". */
              shr_add_lexicon_products (ctx, line);
              continue;
            }
          read_product_line (ctx, line, vendor, sec->role == SHR_ROLE_FIXED, FALSE);
        }
    }
}

/* ---- prose ----------------------------------------------------------------- */

static gboolean
holds_any_word (const gchar *text, const gchar *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (text, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
add_prose_candidate (ShrExtractContext *ctx, const gchar *candidate, const gchar *vendor)
{
  if (candidate == NULL)
    return FALSE;
  g_autofree gchar *train = NULL;
  g_autofree gchar *name = split_train (candidate, &train);
  ShrProduct *p = product_for_name (ctx, name, vendor, TRUE);
  if (p == NULL)
    return FALSE;
  if (train != NULL && strchr (train, '.') != NULL)
    shr_strv_add_unique (p->affected, train);
  return TRUE;
}

void
shr_affected_from_prose (ShrExtractContext *ctx, const ShrDocument *doc)
{
  if (ctx->record->products->len > 0)
    return;
  const gchar *vendor = context_vendor (ctx, doc);
  /* Where the product is named: the title, then the summary or the
   * description, then the first paragraph. */
  g_autofree gchar *summary = shr_document_role_text (doc, SHR_ROLE_SUMMARY);
  if (summary == NULL)
    summary = shr_document_role_text (doc, SHR_ROLE_DESCRIPTION);
  const gchar *texts[] = { ctx->subject, summary, ctx->body };
  static const gchar *const en[] = {
    "\\b(?:vulnerabilit(?:y|ies)|flaws?|bugs?|weakness(?:es)?|zero-days?|0-days?)[ \\t]+(?:\\w+[ "
    "\\t]+){0,2}?(?:in|on|affecting|impacting)[ \\t]+(?:the[ \\t]+)?"
    "((?-i:[A-Z][\\w.+-]*|[a-z]+[A-Z][\\w.+-]*)(?:[ \\t]+(?-i:[A-Z0-9][\\w.+-]*|[a-z]+[A-Z][\\w.+-]*)){0,4})",
    "(?<![\\w.])((?-i:[A-Z][\\w.+-]*)(?:[ \\t]+(?-i:[A-Z0-9][\\w.+-]*)){0,4})[ \\t]+(?:contains|is affected "
    "by|is vulnerable to|suffers from)[ \\t]+(?:a|an|multiple|several|two|three)\\b",
    /* The CVE description's own form: "An issue was discovered in Foo
     * before 1.2.3", "An issue has been discovered in Foo CE/EE …". */
    "\\bissues?[ \\t]+(?:has[ \\t]+been|have[ \\t]+been|was|were)[ \\t]+(?:discovered|found|identified)[ "
    "\\t]+in[ "
    "\\t]+(?:the[ \\t]+)?((?-i:[A-Z][\\w.+-]*|[a-z]+[A-Z][\\w.+-]*)(?:[ "
    "\\t]+(?-i:[A-Z0-9][\\w.+/-]*|[a-z]+[A-Z]["
    "\\w.+-]*)){0,4})",
  };
  static const gchar *const ja[] = {
    "^\\s*(?:【[^】]*】\\s*|\\[[^\\]\\n]*\\]\\s*)*(?:\\S+?製\\s*)?(.+?)\\s*(?:における|に関する|において)(?:"
    "複数の)?[^、。]{0,40}脆弱性",
    "([\\w\\p{Katakana}\\p{Han}ー・.+-]{2,40}?)\\s*に(?:複数の|重大な|深刻な)?(?:ゼロデイ)?脆弱性",
  };
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      if (texts[t] == NULL)
        continue;
      /* The body is long: its first two paragraphs are where a product is
       * introduced. */
      g_autofree gchar *head
          = t == 2 ? g_strndup (texts[t], MIN (strlen (texts[t]), 1500)) : g_strdup (texts[t]);
      g_autofree gchar *lower = shr_ascii_lower_len (head, strlen (head));
      /* The patterns hold one of these words: most texts are passed over
       * without running them. */
      gboolean en_words = strstr (lower, "vulnerab") || strstr (lower, "flaw") || strstr (lower, "bug")
                          || strstr (lower, "weakness") || strstr (lower, "-day")
                          || strstr (lower, "contains") || strstr (lower, "affected by")
                          || strstr (lower, "suffers") || strstr (lower, "issue");
      gboolean ja_words = strstr (head, "脆弱性") != NULL;
      /* And each pattern its own; a letter a caseless 's' or 'k' matches
       * outside ASCII (ſ, the Kelvin sign) lets every pattern decide. */
      static const gchar *const en_own[G_N_ELEMENTS (en)][6] = {
        { "vulnerabilit", "flaw", "bug", "weakness", "-day", NULL },
        { "contains", "affected by", "vulnerable to", "suffers", NULL },
        { "issue", NULL },
      };
      gboolean folds
          = en_words && (strstr (head, "\xc5\xbf") != NULL || strstr (head, "\xe2\x84\xaa") != NULL);
      for (guint i = 0; en_words && i < G_N_ELEMENTS (en); i++)
        {
          if (!folds && !holds_any_word (lower, en_own[i]))
            continue;
          g_autofree gchar *c = shr_match_group (en[i], head, 1);
          if (add_prose_candidate (ctx, c, vendor))
            return;
        }
      for (guint i = 0; ja_words && i < G_N_ELEMENTS (ja); i++)
        {
          /* The first pattern tries every line of a long text with a lazy
           * name: not worth it where none of its joining words stands. */
          if (i == 0 && strstr (head, "における") == NULL && strstr (head, "に関する") == NULL
              && strstr (head, "において") == NULL)
            continue;
          g_autofree gchar *c = shr_match_group (ja[i], head, 1);
          if (add_prose_candidate (ctx, c, vendor))
            return;
        }
    }
}

/* ---- sentences holding a word ----------------------------------------------- */

/* Whether sentence @i, ASCII letters lower-cased, holds one of @words
 * (lower case). A caseless 's' or 'k' also matches ſ (U+017F) and the
 * Kelvin sign (U+212A): a caller whose words hold one lets a sentence
 * holding those through itself. */
static gboolean
sentence_lower_holds (const ShrExtractContext *ctx, guint i, const gchar *const *words)
{
  const GArray *starts = ctx->sentence_starts;
  gsize start = g_array_index (starts, gsize, i);
  const gchar *lower = ctx->sentence_lower + start;
  /* Each sentence ends with the newline before the next one. */
  gsize len = i + 1 < starts->len ? g_array_index (starts, gsize, i + 1) - 1 - start : strlen (lower);
  for (guint w = 0; words[w] != NULL; w++)
    if (memmem (lower, len, words[w], strlen (words[w])) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- versions in sentences ------------------------------------------------- */

/* One version ("7.0.16", "9.1R18", "128.2.0esr", "7.0.x") and what bounds
 * it on either side: "prior to 2.4.58", "7.0.0 through 7.0.16", "3.4 and
 * earlier", 「7.0.0 から 7.0.16 まで」. */
#define SENTENCE_VERSION "v?\\d+(?:\\.\\d+)+(?:\\.x|esr|-h\\d+|[A-Za-z]{1,3}\\d[\\w.]*(?:-S\\d+)?)?"
#define SENTENCE_RANGE                                                                                         \
  "(?:(?:prior to|before|earlier than|older than|up to(?: and "                                                \
  "including)?|through|from|between|<=?|>=?|≤)\\s+)?" SENTENCE_VERSION                                         \
  "(?:\\s*(?:through|thru|to|-|–|〜|~|から|before|prior to)\\s*" SENTENCE_VERSION "(?:\\s*(?:まで|以前))?" \
  "|\\s*(?:(?:and|or) (?:all )?(?:earlier|prior|older|below|lower|later|above|newer|higher)"                   \
  "|およびそれ以前|及びそれ以前|以前|より前|未満|までの|まで|以降|およびそれ以降))?"

static gboolean
says_affected (const ShrExtractContext *ctx, guint i, const gchar *sentence)
{
  /* Its every wording holds one of these. */
  static const gchar *const words[] = { "vulnerab",    "affect",     "impact",       "present in", "exist",
                                        "susceptible", "影響を受け", "脆弱性が存在", "脆弱性があ", NULL };
  if (!sentence_lower_holds (ctx, i, words) && strstr (sentence, "\xc5\xbf") == NULL)
    return FALSE;
  return shr_regex_test ("(?i)\\b(?:vulnerab\\w*|affect\\w*|impact\\w*|present in|exists? in|susceptible)\\b"
                         "|影響を受け|脆弱性が存在|脆弱性があ",
                         sentence);
}

void
shr_affected_versions_in_sentences (ShrExtractContext *ctx, GPtrArray *sentences)
{
  ShrRecord *r = ctx->record;
  gboolean wanted = FALSE;
  for (guint i = 0; i < r->products->len; i++)
    {
      const ShrProduct *p = g_ptr_array_index (r->products, i);
      wanted |= p->affected->len == 0 && p->ranges->len == 0 && p->ecosystem == NULL;
    }
  if (!wanted)
    return;
  /* After the name: "versions", "Software", 「ファームウェア」, then a list of
   * ranges joined by commas and "and"/"or"/、. */
  static const gchar *after_name
      = "\\A(?:\\s+(?i:software|firmware|server|appliances?|devices?))?"
        /* "GitLab CE/EE affecting all versions from 16.1 before 18.3.6" */
        "(?:\\s+(?i:affecting)(?:\\s+(?i:all))?)?"
        "(?:\\s*\\(?\\s*(?i:versions?|releases?|builds?|ver\\.)|\\s*バージョン)?[ \\t:]*"
        "(" SENTENCE_RANGE "(?:(?:,\\s*|,?\\s+(?:and|or)\\s+|\\s*(?:、|および|及び)\\s*)" SENTENCE_RANGE
        ")*)";
  /* A fix named in the same clause: "upgrade to FortiOS 7.0.17". */
  static const gchar *fix_before
      = "(?i)(?:upgrade|update|fixed|patched|resolved|addressed|remediated|install)\\w*"
        "(?:\\s+(?:to|in|with))?\\s*(?:the\\s+)?(?:latest\\s+)?(?:version\\s+)?$";
  for (guint i = 0; i < sentences->len; i++)
    {
      const gchar *s = g_ptr_array_index (sentences, i);
      if (strlen (s) > 800 || strchr (s, '.') == NULL)
        continue;
      /* Only a sentence that names a product can give it versions: that
       * test is cheaper than the pattern of says_affected(). */
      gboolean names_product = FALSE;
      for (guint k = 0; k < r->products->len && !names_product; k++)
        names_product = strstr (s, ((const ShrProduct *)g_ptr_array_index (r->products, k))->product) != NULL;
      if (!names_product || !says_affected (ctx, i, s))
        continue;
      for (guint k = 0; k < r->products->len; k++)
        {
          ShrProduct *p = g_ptr_array_index (r->products, k);
          if (p->affected->len > 0 || p->ranges->len > 0 || p->ecosystem != NULL)
            continue;
          gsize nl = strlen (p->product);
          for (const gchar *at = strstr (s, p->product); at != NULL; at = strstr (at + 1, p->product))
            {
              if ((at > s && g_ascii_isalnum (at[-1])) || g_ascii_isalnum (at[nl]))
                continue;
              /* What comes before the name, read in place. */
              if (shr_regex_test_range (fix_before, s, 0, at - s))
                continue;
              g_autofree gchar *list = shr_match_group (after_name, at + nl, 1);
              if (list == NULL)
                continue;
              g_auto (ShrMatches) m = { 0 };
              shr_matches_first (&m, "(?i)" SENTENCE_RANGE, list);
              for (; shr_matches_found (&m); shr_matches_next (&m))
                {
                  g_autofree gchar *one = shr_matches_fetch (&m, 0);
                  /* "13.0.1.180 and all earlier" as the range reader knows it. */
                  g_autofree gchar *plain
                      = g_regex_replace (shr_regex ("\\b(and|or) all\\b"), one, -1, 0, "\\1", 0, NULL);
                  shr_strv_add_unique (p->affected, g_strstrip (plain));
                }
            }
        }
    }
}

/* ---- ranges ---------------------------------------------------------------- */

/* A product every row of which says "not affected" is named by the
 * advisory only to say so ("Cloud NGFW | None | All"). */
static gboolean
only_unaffected (const ShrProduct *p)
{
  if (p->ranges->len == 0 || p->affected->len > 0 || p->fixed->len > 0)
    return FALSE;
  for (guint i = 0; i < p->ranges->len; i++)
    if (!((ShrProductRange *)g_ptr_array_index (p->ranges, i))->unaffected)
      return FALSE;
  return TRUE;
}

void
shr_affected_derive_ranges (ShrRecord *record)
{
  for (guint i = record->products->len; i > 0; i--)
    if (only_unaffected (g_ptr_array_index (record->products, i - 1)))
      g_ptr_array_remove_index (record->products, i - 1);
  for (guint i = 0; i < record->products->len; i++)
    shr_product_derive_ranges (g_ptr_array_index (record->products, i));
}

/* ---- conditions -------------------------------------------------------------- */

static void
add_condition (ShrRecord *r, const gchar *sentence)
{
  g_autofree gchar *c = g_strstrip (g_strdup (sentence));
  if (g_utf8_strlen (c, -1) > 240)
    {
      gchar *cut = g_utf8_offset_to_pointer (c, 240);
      *cut = '\0';
      gchar *t = g_strconcat (c, "…", NULL);
      g_free (c);
      c = t;
    }
  for (guint i = 0; i < r->products->len; i++)
    {
      ShrProduct *p = g_ptr_array_index (r->products, i);
      if (p->conditions->len < 4)
        shr_strv_add_unique (p->conditions, c);
    }
}

void
shr_affected_conditions (ShrExtractContext *ctx, const ShrDocument *doc, GPtrArray *sentences)
{
  if (ctx->record->products->len == 0)
    return;
  /* "Required Configuration for Exposure": what the section says. */
  g_autofree gchar *section = shr_document_role_text (doc, SHR_ROLE_CONDITIONS);
  if (section != NULL)
    {
      g_autofree gchar *first = shr_sentence_at (section, 0);
      if (first != NULL && *first != '\0')
        {
          add_condition (ctx->record, first);
          return;
        }
    }
  /* A configuration the flaw needs that is not the default, or a feature
   * that must be on: "when writes were enabled for the default servlet
   * (disabled by default)", "only if X is configured", "if the HTTP Server
   * feature is enabled", 「…を有効にしている場合のみ」「初期設定では無効」. */
  static const gchar *en
      = "(?:\\bonly (?:if|when)\\b[^.]{0,120}\\b(?:enabled|configured|turned on|exposed|in use|used|set)\\b"
        "|\\b(?:if|when|where)\\b[^.]{0,80}\\b(?:feature|option|service|setting|interface|module|mode|"
        "servlet|protocol|portal|gateway|logging)\\b[^.]{0,40}\\b(?:is|are|was|were|has been|have "
        "been)\\s+(?:enabled|configured|turned on|exposed)"
        "|\\((?:disabled|not enabled|off) by default\\)|\\bnot enabled by default\\b|\\bnon-default "
        "configuration"
        "|\\bmust (?:be|have been) (?:enabled|configured|turned on)\\b|\\brequires? [^.]{0,60}\\bto be "
        "(?:enabled|configured)\\b)";
  static const gchar *ja = "(?:(?:有効|設定|使用|利用)(?:に|を)?(?:して|されて)いる場合(?:のみ|に限り)|(?:"
                           "初期設定|デフォルト|既定)(?:で|では)(?:無効|オフ)"
                           "|が有効(?:になって|化されて)いる場合|を有効(?:に|化)している場合)";
  /* Every wording above holds one of these. */
  static const gchar *const condition_words[]
      = { "enabled", "configured", "default", "turned on", "exposed", "場合", "無効", "オフ", NULL };
  g_autofree gboolean *holding = shr_sentences_holding (ctx, sentences->len, condition_words, FALSE);
  for (guint i = 0; holding != NULL && i < sentences->len; i++)
    {
      const gchar *s = g_ptr_array_index (sentences, i);
      if (!holding[i] || strlen (s) > 1200)
        continue;
      if (shr_regex_test (en, s) || shr_regex_test (ja, s))
        {
          add_condition (ctx->record, s);
          return;
        }
    }
  /* The flaw is in a feature of the product, which may not be in use: "a
   * vulnerability found in the web user interface (UI) feature in Cisco
   * IOS XE software", 「管理画面機能における脆弱性」. */
  static const gchar *feature_en = "\\b(?:vulnerabilit(?:y|ies)|flaws?|bugs?|weakness(?:es)?)\\s+(?:(?:found|"
                                   "located|present|that exists?|residing)\\s+)?"
                                   "(?:in|within|affecting)\\s+the\\s+(?:[\\w()/"
                                   "-]+\\s+){1,6}?(?:feature|component)\\s+(?:in|of)\\s+[^.,;:]{2,60}";
  static const gchar *feature_ja
      = "[^\\s、。「」]{2,30}[ \\t]?機能(?:に(?:おける|存在する)|の)[^。]{0,20}脆弱性";
  static const gchar *const feature_words[] = { "feature", "component", "機能", NULL };
  g_autofree gboolean *naming_feature = shr_sentences_holding (ctx, sentences->len, feature_words, FALSE);
  for (guint i = 0; naming_feature != NULL && i < sentences->len; i++)
    {
      const gchar *s = g_ptr_array_index (sentences, i);
      if (!naming_feature[i] || strlen (s) > 1200)
        continue;
      /* The advisory's own words, quoted as the condition. */
      g_autofree gchar *phrase = shr_match_group (feature_en, s, 0);
      if (phrase == NULL && strstr (s, "機能") != NULL && strstr (s, "脆弱性") != NULL)
        phrase = shr_match_group (feature_ja, s, 0);
      if (phrase != NULL)
        {
          add_condition (ctx->record, phrase);
          return;
        }
    }
}

/* ---- what the text says is not affected -------------------------------------- */

static ShrProduct *
product_in (ShrRecord *r, const gchar *sentence)
{
  ShrProduct *best = r->products->len > 0 ? g_ptr_array_index (r->products, 0) : NULL;
  for (guint i = 0; i < r->products->len; i++)
    {
      ShrProduct *p = g_ptr_array_index (r->products, i);
      if (strstr (sentence, p->product) != NULL)
        return p;
    }
  return best;
}

void
shr_affected_unaffected (ShrExtractContext *ctx, GPtrArray *sentences)
{
  ShrRecord *r = ctx->record;
  if (r->products->len == 0)
    return;
  /* "OpenSSL 1.1.1 and 1.0.2 are not affected", "Versions 7.6.x are not
   * vulnerable", 「バージョン 3.x は影響を受けません」: those trains. "No
   * other versions are affected", "only X is affected", 「それ以外は影響を
   * 受けません」: what is not listed is not affected. */
  static const gchar *trains_en
      = "(?<![\\w.])((?:[vV]?\\d+(?:\\.\\d+)*(?:\\.x)?)(?:(?:,\\s*|,?\\s+(?:and|or)\\s+)[vV]?\\d+(?:\\.\\d+)*"
        "(?:\\.x)?)*)"
        "\\s+(?:(?:and|or) (?:later|earlier|above|below) "
        ")?(?:versions?\\s+|releases?\\s+|series\\s+)?(?:is|are)\\s+not\\s+(?:affected|vulnerable|impacted)";
  static const gchar *trains_ja = "(?<![\\w.])([vV]?\\d+(?:\\.\\d+)*(?:\\.x)?(?:(?:、|および|及び|と|,\\s*)["
                                  "vV]?\\d+(?:\\.\\d+)*(?:\\.x)?)*)\\s*(?:系|系列|シリーズ)?\\s*(?:は|"
                                  "について(?:は)?)\\s*(?:本|この|当該)?(?:脆弱性の)?影響を受けません";
  static const gchar *others
      = "\\b(?:no other (?:\\w+ ){0,3}(?:versions?|releases?|products?) (?:are|is) "
        "(?:affected|vulnerable)|other (?:versions|releases) (?:are|were) not (?:affected|vulnerable)|only "
        "(?:versions? |releases? )?[\\w. -]{1,40} (?:is|are) (?:affected|vulnerable))"
        "|(?:それ以外|上記以外|他)の(?:バージョン|製品)(?:は|には)(?:本脆弱性の)?影響(?:を受けません|"
        "はありません|はない)";
  /* Every wording above holds one of these as written, and, in any case,
   * the word that says what the versions are not (or the Japanese 影響). */
  static const gchar *const unaffected_words[] = { "not ", "影響", "only", "Only", NULL };
  static const gchar *const affected_words[] = { "affected", "vulnerable", "impacted", NULL };
  g_autofree gboolean *holding = shr_sentences_holding (ctx, sentences->len, unaffected_words, FALSE);
  for (guint i = 0; holding != NULL && i < sentences->len; i++)
    {
      const gchar *s = g_ptr_array_index (sentences, i);
      if (!holding[i] || strlen (s) > 600)
        continue;
      if (!sentence_lower_holds (ctx, i, affected_words) && strstr (s, "影響") == NULL)
        continue;
      if (shr_regex_test (others, s))
        {
          ShrProduct *p = product_in (r, s);
          if (p != NULL)
            p->others_unaffected = TRUE;
        }
      g_autofree gchar *list = shr_match_group (trains_en, s, 1);
      if (list == NULL && strstr (s, "影響を受けません") != NULL)
        list = shr_match_group (trains_ja, s, 1);
      if (list == NULL)
        continue;
      /* "2.4.59 and later are not affected" names the fix, not a train. */
      if (shr_regex_test ("(?:and|or) (?:later|above)\\s+(?:versions?\\s+)?(?:is|are) not", s))
        continue;
      ShrProduct *p = product_in (r, s);
      if (p == NULL)
        continue;
      g_auto (GStrv) trains
          = g_regex_split (shr_regex ("\\s*(?:,|\\band\\b|\\bor\\b|、|および|及び|と)\\s*"), list, 0);
      for (guint t = 0; trains[t] != NULL; t++)
        {
          gchar *train = g_strstrip (trains[t]);
          if (*train == 'v' || *train == 'V')
            train++;
          gsize tl = strlen (train);
          if (tl > 2 && g_str_has_suffix (train, ".x"))
            train[tl - 2] = '\0';
          if (*train != '\0' && g_ascii_isdigit (*train))
            shr_product_add_range (p, train, NULL, NULL, NULL, TRUE, s);
        }
    }
}

/* ---- vendors by an organisation's short name ------------------------------- */

/* @name starts with @prefix as a word of its own: what follows is no
 * Latin letter or digit ("IIJセキュアMX", "IIJ SecureMX"; not "IIJmio"). */
static gboolean
starts_with_name (const gchar *name, const gchar *prefix)
{
  gsize n = strlen (prefix);
  return n >= 2 && strncmp (name, prefix, n) == 0 && !g_ascii_isalnum (name[n]);
}

/* The first "(" or "（" (EF BC 88) at or after @p with a capital after it,
 * or NULL. */
static const gchar *
bracket_before_capital (const gchar *p)
{
  for (p = strpbrk (p, "(\xef"); p != NULL; p = strpbrk (p + 1, "(\xef"))
    if ((*p == '(' && g_ascii_isupper (p[1])) || (p[1] == '\xbc' && p[2] == '\x88' && g_ascii_isupper (p[3])))
      return p;
  return NULL;
}

/* Whether @c may stand in the names the pattern below reads before a
 * bracket: more than it takes (a letter, digit, mark, space of any kind,
 * Han or Katakana, "&.-_ー・"), never a bracket or other punctuation. */
static gboolean
may_stand_in_name (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || g_unichar_isspace (c) || c == 0x0b || c == 0x85
         || c == 0x180e || (c < 0x80 && c != 0 && strchr ("&.-_", c) != NULL) || c == 0x30fc || c == 0x30fb
         || g_unichar_type (c) == G_UNICODE_CONNECT_PUNCTUATION || script == G_UNICODE_SCRIPT_HAN
         || script == G_UNICODE_SCRIPT_KATAKANA;
}

void
shr_affected_vendors_by_short_name (ShrExtractContext *ctx, const gchar *text)
{
  GPtrArray *products = ctx->record->products;
  gboolean wanted = FALSE;
  for (guint i = 0; i < products->len; i++)
    wanted |= ((ShrProduct *)products->pdata[i])->vendor == NULL;
  if (!wanted)
    return;
  /* An organisation and its short name in brackets: Japanese names run
   * without spaces; English ones are capitalised words whose first
   * letter is the short name's. */
  GRegex *re
      = shr_regex ("(?-i)(?:([\\p{Han}\\p{Katakana}ー・]{2,30})|((?:[A-Z][\\w&.-]*\\s+){0,5}[A-Z][\\w&.-]*)"
                   "\\s?)[（(]([A-Z][A-Za-z0-9&-]{1,11})[)）]");
  /* The pattern is costly at each position: it is tried around each
   * bracket with a capital after it, from where a name can start before it
   * to where the short name's closing bracket can stand after it (a match
   * holds the first bracket after its start, as no name holds one). */
  const gchar *text_end = text + strlen (text);
  const gchar *pos = text;
  guint found = 0;
  for (const gchar *bracket = bracket_before_capital (pos); bracket != NULL && found < 32;
       bracket = bracket_before_capital (MAX (pos, bracket + 1)))
    {
      const gchar *start = bracket;
      while (start > pos)
        {
          const gchar *prev = g_utf8_prev_char (start);
          if (!may_stand_in_name (g_utf8_get_char (prev)))
            break;
          start = prev;
        }
      /* "（" + 12 letters + "）", to the end of a character. */
      const gchar *end = bracket + MIN ((gsize)(text_end - bracket), strlen ("（") + 12 + strlen ("）"));
      while ((*end & 0xc0) == 0x80)
        end++;
      g_autoptr (GMatchInfo) m = NULL;
      if (!g_regex_match_full (re, text, end - text, start - text, 0, &m, NULL))
        continue;
      found++;
      gint match_end = 0;
      g_match_info_fetch_pos (m, 0, NULL, &match_end);
      pos = text + match_end;
      g_autofree gchar *ja = g_match_info_fetch (m, 1);
      g_autofree gchar *en = g_match_info_fetch (m, 2);
      g_autofree gchar *abbr = g_match_info_fetch (m, 3);
      const gchar *org = ja != NULL && *ja != '\0' ? ja : en;
      if (org == NULL || *org == '\0' || (org == en && g_ascii_toupper (*en) != *abbr))
        continue;
      for (guint i = 0; i < products->len; i++)
        {
          ShrProduct *p = products->pdata[i];
          if (p->vendor == NULL
              && (starts_with_name (p->product, abbr) || starts_with_name (p->product, org)))
            p->vendor = g_strdup (org);
        }
    }
}
