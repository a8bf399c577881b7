/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-extract.h"
#include "shr-family.h"

#include <stdlib.h>
#include <string.h>

#include "shr-affected.h"
#include "shr-campaign.h"
#include "shr-limits.h"
#include "shr-recognizers.h"
#include "shr-text.h"

/* ---- helpers shared with the recognisers -------------------------------- */

gchar *
shr_field_value (const gchar *text, const gchar *key)
{
  if (text == NULL)
    return NULL;
  g_autofree gchar **lines = shr_text_split (text, "\n");
  gsize klen = strlen (key);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const gchar *p = lines[i];
      while (*p == ' ' || *p == '\t')
        p++;
      if (g_ascii_strncasecmp (p, key, klen) != 0)
        continue;
      p += klen;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != ':')
        continue;
      p++;
      GString *value = g_string_new (p);
      /* Continuation lines: indented more than the key, and not a new key. */
      for (gsize j = i + 1; lines[j] != NULL; j++)
        {
          const gchar *c = lines[j];
          if (c[0] != ' ' && c[0] != '\t')
            break;
          const gchar *t = c;
          while (*t == ' ' || *t == '\t')
            t++;
          if (*t == '\0' || strchr (t, ':') != NULL)
            break;
          g_string_append_c (value, ' ');
          g_string_append (value, t);
        }
      gchar *s = g_string_free (value, FALSE);
      g_strstrip (s);
      if (*s == '\0')
        {
          g_free (s);
          return NULL;
        }
      return s;
    }
  return NULL;
}

static inline gboolean
is_sentence_end (const gchar *p, const gchar *end)
{
  /* Byte tests, not Unicode decoding: this runs for every character. */
  guchar c = *p;
  if (c == '.' || c == '!' || c == '?')
    {
      const gchar *n = p + 1;
      return (end != NULL && n >= end) || *n == '\0' || *n == ' ' || *n == '\n';
    }
  if (c == 0xE3) /* 。 U+3002 */
    return (guchar)p[1] == 0x80 && (guchar)p[2] == 0x82;
  if (c == 0xEF) /* ！ U+FF01, ？ U+FF1F */
    return (guchar)p[1] == 0xBC && ((guchar)p[2] == 0x81 || (guchar)p[2] == 0x9F);
  return FALSE;
}

gchar *
shr_sentence_at (const gchar *text, gsize offset)
{
  /* Called for every hit in a long text: never measure the whole of it. */
  offset = strnlen (text, offset);
  const gchar *end = NULL;
  /* Back to the previous sentence end or paragraph break. */
  const gchar *s = text + offset;
  while (s > text)
    {
      const gchar *prev = g_utf8_prev_char (s);
      if (*prev == '\n' && prev > text && prev[-1] == '\n')
        break;
      if (is_sentence_end (prev, end) && prev < text + offset)
        break;
      s = prev;
    }
  const gchar *e = text + offset;
  while (*e != '\0')
    {
      if (*e == '\n' && e[1] == '\n')
        break;
      if (is_sentence_end (e, end))
        {
          e = g_utf8_next_char (e);
          break;
        }
      e = g_utf8_next_char (e);
    }
  return shr_text_joined (s, e);
}

gchar *
shr_text_joined (const gchar *from, const gchar *to)
{
  GString *out = g_string_sized_new (to - from);
  gboolean space = FALSE;
  for (const gchar *p = from; p < to; p++)
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

/* Whether @vendor is named in the subject or body by something other
 * than an everyday word ("Microsoft", "Microsoft Teams", "Apache httpd"). */
static gboolean
vendor_named (ShrExtractContext *ctx, const gchar *vendor)
{
  if (vendor == NULL)
    return FALSE;
  if (ctx->named_vendors == NULL)
    {
      ctx->named_vendors = g_hash_table_new (g_str_hash, g_str_equal);
      const gchar *texts[] = { ctx->subject, ctx->body };
      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        {
          g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, texts[t]);
          for (guint i = 0; i < hits->len; i++)
            {
              const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
              const ShrProductEntry *e = hit->entry;
              if (!hit->needs_vendor && e->vendor != NULL)
                g_hash_table_add (ctx->named_vendors, (gpointer)e->vendor);
            }
        }
    }
  return g_hash_table_contains (ctx->named_vendors, vendor);
}

/* Whether a hit in the scanned text stands in a part of the advisory that
 * names things without being about them: references, credits, history,
 * contact and legal text ("Windows sandbox escape" in a Firefox
 * advisory's reference list). */
static gboolean
in_aside (ShrExtractContext *ctx, const gchar *text, gsize at)
{
  if (ctx->doc == NULL)
    return FALSE;
  gsize body_at;
  if (text == ctx->body)
    body_at = at;
  else if (text == ctx->scan_text && at >= ctx->body_offset)
    body_at = at - ctx->body_offset;
  else
    return FALSE;
  ShrRole role = shr_document_role_at (ctx->doc, body_at);
  return role == SHR_ROLE_REFERENCES || role == SHR_ROLE_ACKNOWLEDGEMENTS || role == SHR_ROLE_HISTORY
         || role == SHR_ROLE_CONTACT;
}

/* Whether a hit stands in a table's platform column ("Acrobat DC |
 * Continuous | 25.001.20844 | Windows & macOS"): the systems a product runs
 * on, not products of the advisory — unless the product column of the same
 * table names it too. */
static gboolean
in_platform_column (ShrExtractContext *ctx, const gchar *text, const ShrLexiconHit *hit)
{
  if (ctx->doc == NULL || ctx->doc->tables->len == 0)
    return FALSE;
  gsize body_at;
  if (text == ctx->body)
    body_at = hit->start;
  else if (text == ctx->scan_text && hit->start >= ctx->body_offset)
    body_at = hit->start - ctx->body_offset;
  else
    return FALSE;
  g_autofree gchar *name = g_utf8_casefold (text + hit->start, hit->end - hit->start);
  for (guint i = 0; i < ctx->doc->tables->len; i++)
    {
      const ShrTable *t = ctx->doc->tables->pdata[i];
      if (body_at < t->start || body_at >= t->end)
        continue;
      gint platform = -1, product = -1;
      for (guint c = 0; c < t->header->len; c++)
        {
          g_autofree gchar *h = g_utf8_casefold (t->header->pdata[c], -1);
          if (platform < 0
              && shr_regex_test ("^\\s*(?:platforms?|operating systems?|os|対象os|プラットフォーム)\\s*$", h))
            platform = (gint)c;
          else if (product < 0 && g_array_index (t->columns, ShrColumn, c) == SHR_COLUMN_PRODUCT)
            product = (gint)c;
        }
      if (platform < 0)
        return FALSE;
      gboolean in_platform = FALSE;
      for (guint r = 0; r < t->rows->len; r++)
        {
          const GPtrArray *cells = t->rows->pdata[r];
          g_autofree gchar *pcell
              = (guint)platform < cells->len ? g_utf8_casefold (cells->pdata[platform], -1) : NULL;
          g_autofree gchar *ncell = product >= 0 && (guint)product < cells->len
                                        ? g_utf8_casefold (cells->pdata[product], -1)
                                        : NULL;
          if (ncell != NULL && strstr (ncell, name) != NULL)
            return FALSE;
          in_platform |= pcell != NULL && strstr (pcell, name) != NULL;
        }
      return in_platform;
    }
  return FALSE;
}

/* In an article, a product counts as the one at risk when the title names
 * it or the text names it next to words of flaws and attacks ("a flaw in
 * X", 「X の脆弱性」, "attackers targeting X"); one mentioned in passing
 * ("moved laterally over RDP", "a Windows laptop") is no product of the
 * advisory. */
static gboolean
at_risk_in_article (ShrExtractContext *ctx, const gchar *text, const ShrLexiconHit *hit)
{
  if (g_strcmp0 (ctx->record->source_kind, "news") != 0)
    return TRUE;
  if (text == ctx->scan_text && hit->start < ctx->body_offset)
    return TRUE; /* the subject */
  gsize len = strlen (text);
  gsize from = hit->start > 90 ? hit->start - 90 : 0;
  gsize to = MIN (len, hit->end + 90);
  /* Keep the window on character boundaries. */
  while (from > 0 && ((guchar)text[from] & 0xC0) == 0x80)
    from--;
  while (to < len && ((guchar)text[to] & 0xC0) == 0x80)
    to++;
  g_autofree gchar *window = shr_ascii_lower_len (text + from, to - from);
  static const gchar *const words[] = { "vulnerab",
                                        "flaw",
                                        "bug",
                                        "cve-",
                                        "zero-day",
                                        "0-day",
                                        "exploit",
                                        "patch",
                                        "security update",
                                        "advisory",
                                        "affect",
                                        "fix",
                                        "attack",
                                        "target",
                                        "compromis",
                                        "breach",
                                        "hack",
                                        "backdoor",
                                        "initial access",
                                        "intrusion",
                                        "abused",
                                        "ransomware",
                                        "infect",
                                        "脆弱性",
                                        "悪用",
                                        "修正",
                                        "アップデート",
                                        "更新プログラム",
                                        "攻撃",
                                        "標的",
                                        "狙",
                                        "侵害",
                                        "不正アクセス",
                                        "侵入",
                                        "被害",
                                        "ゼロデイ",
                                        "ランサムウェア",
                                        "ランサムウエア",
                                        "感染",
                                        NULL };
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (window, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Two vendors' products written alike but for case (Apple's "iOS", Cisco's
 * "IOS"): the spelling tells them apart without a vendor named. A word
 * only one product has ("Teams") still needs its vendor. */
static const ShrProductEntry *
spelled_as_one_of (const gchar *text, const ShrLexiconHit *hit, const ShrProductEntry *a,
                   const ShrProductEntry *b)
{
  if (a == NULL || b == NULL || a->product == NULL || b->product == NULL
      || strcmp (a->product, b->product) == 0)
    return NULL;
  gsize len = hit->end - hit->start;
  if (strlen (a->product) == len && strncmp (text + hit->start, a->product, len) == 0)
    return a;
  if (strlen (b->product) == len && strncmp (text + hit->start, b->product, len) == 0)
    return b;
  return NULL;
}

/* Operating systems other products run on. */
static gboolean
names_an_os (const ShrProductEntry *e)
{
  static const gchar *const systems[]
      = { "Windows", "macOS", "Linux", "Android", "iOS", "iPadOS", "ChromeOS", NULL };
  return e != NULL && e->product != NULL && g_strv_contains (systems, e->product);
}

typedef struct
{
  const gchar *vendor;
  gchar *kind;
  gsize start;
} VendorEquipment;

/* "Cisco devices", "Fortinet firewalls", 米Fortinet(フォーティネット)製VPN
 * (仮想私設網)装置: the kind of the vendor's equipment named right after
 * the vendor's name at @hit, or NULL. (transfer full) */
static gchar *
vendor_equipment (const gchar *text, const ShrLexiconHit *hit)
{
  const gchar *after = text + hit->end;
  /* "edge devices" before "edge" */
  g_autofree gchar *kind = shr_match_group ("\\A(?:'s)?[ \t]+([\\w-]+[ \t]+[\\w-]+)", after, 1);
  if (kind == NULL || !shr_family_is_equipment_kind (kind))
    {
      g_clear_pointer (&kind, g_free);
      kind = shr_match_group ("\\A(?:'s)?[ \t]+([\\w-]+)", after, 1);
    }
  if (kind == NULL || !shr_family_is_equipment_kind (kind))
    {
      g_clear_pointer (&kind, g_free);
      g_autofree gchar *made = shr_match_group (
          "\\A(?:[(（][^)）\n]{1,20}[)）])?製(?:の)?([A-Za-z0-9-]{0,12}(?:[(（][^)）\n]{1,12}[)）])?"
          "[^\\s、。「」()（）A-Za-z0-9]{0,6}?(?:装置|機器|製品|ルーター|ルータ|ファイアウォール|"
          "ゲートウェイ|VPN))",
          after, 1);
      if (made != NULL && shr_family_is_equipment_kind (made))
        kind = g_steal_pointer (&made);
    }
  return g_steal_pointer (&kind);
}

static void
vendor_equipment_clear (VendorEquipment *v)
{
  g_free (v->kind);
}

/* A vendor's equipment named by kind is a product of the advisory only
 * where it names none of that vendor's products: "Cisco devices" in an
 * advisory about IOS XE says no more than IOS XE. */
static guint
add_vendor_equipment (ShrExtractContext *ctx, const gchar *text, const GArray *equipment)
{
  guint added = 0;
  for (guint i = 0; i < equipment->len; i++)
    {
      const VendorEquipment *v = &g_array_index (equipment, VendorEquipment, i);
      gboolean named = FALSE;
      for (guint j = 0; j < ctx->record->products->len && !named; j++)
        {
          const ShrProduct *p = ctx->record->products->pdata[j];
          named = g_strcmp0 (p->vendor, v->vendor) == 0 && !shr_family_is_equipment_kind (p->product);
        }
      guint before = ctx->record->products->len;
      if (!named)
        shr_record_add_product (ctx->record, v->vendor, v->kind);
      if (ctx->record->products->len > before)
        {
          added++;
          if (!g_hash_table_contains (ctx->record->evidence, "products"))
            {
              g_autofree gchar *sentence = shr_sentence_at (text, v->start);
              shr_record_set_evidence (ctx->record, "products", sentence);
            }
        }
    }
  return added;
}

/* Whether @gap may end in "for" or "on" and white space, at its end or at
 * a line's, as "…\\s+(?:for|on)\\s+$" needs. A gap with a byte outside
 * ASCII (another script's space or newline) may. */
static gboolean
may_end_in_for_or_on (const gchar *gap)
{
  gsize len = strlen (gap);
  for (gsize i = 0; i < len; i++)
    if ((guchar)gap[i] >= 0x80)
      return TRUE;
  for (gsize end = 0; end <= len; end++)
    {
      if (end < len && gap[end] != '\n' && gap[end] != '\r' && gap[end] != '\v' && gap[end] != '\f')
        continue;
      gsize k = end;
      while (k > 0 && g_ascii_isspace (gap[k - 1]))
        k--;
      if (k == end)
        continue;
      if ((k >= 3 && g_ascii_strncasecmp (gap + k - 3, "for", 3) == 0)
          || (k >= 2 && g_ascii_strncasecmp (gap + k - 2, "on", 2) == 0))
        return TRUE;
    }
  return FALSE;
}

static guint
add_product_hits (ShrExtractContext *ctx, const gchar *text, GArray *hits)
{
  guint added = 0;
  g_autoptr (GArray) equipment = g_array_new (FALSE, FALSE, sizeof (VendorEquipment));
  g_array_set_clear_func (equipment, (GDestroyNotify)vendor_equipment_clear);
  gsize prev_end = 0;
  gboolean have_prev = FALSE, prev_platform = FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, i);
      if (hit->kind != SHR_LEXICON_PRODUCT)
        continue;
      /* "Outlook for Windows", "Chrome on Android": the platform a product
       * runs on qualifies it, and is no product of the advisory. */
      gboolean platform = FALSE;
      if (have_prev && hit->start > prev_end && hit->start - prev_end <= 12)
        {
          g_autofree gchar *gap = g_strndup (text + prev_end, hit->start - prev_end);
          platform = shr_regex_test ("^\\s*(?:for|on|under|running on)\\s+$", gap);
        }
      /* "updated to 142.0.7444.162/.163 for Windows, Mac and Linux": the
       * platforms a release is built for. */
      if (!platform && hit->start >= 6)
        {
          gsize from = hit->start > 40 ? hit->start - 40 : 0;
          while (from > 0 && ((guchar)text[from] & 0xC0) == 0x80)
            from--;
          g_autofree gchar *gap = g_strndup (text + from, hit->start - from);
          platform = may_end_in_for_or_on (gap) && shr_regex_test ("\\d[\\w./-]*\\s+(?:for|on)\\s+$", gap);
        }
      /* "… for Windows and macOS", "Windows & macOS": the next of a list of
       * platforms is one too. */
      if (!platform && prev_platform && hit->start > prev_end && hit->start - prev_end <= 7)
        {
          g_autofree gchar *gap = g_strndup (text + prev_end, hit->start - prev_end);
          platform = shr_regex_test ("^\\s*(?:,|&|/|and|or)\\s*$", gap);
        }
      /* "targeting Adobe Reader users on Windows": an operating system the
       * users of a product named just before run. */
      if (!platform && have_prev && hit->start > prev_end && hit->start - prev_end <= 40
          && names_an_os (hit->entry))
        {
          g_autofree gchar *gap = g_strndup (text + prev_end, hit->start - prev_end);
          platform = shr_regex_test ("^[^.。\\n]*\\b(?:for|on|running|under)\\s+$", gap);
        }
      prev_platform = platform;
      have_prev = TRUE;
      prev_end = hit->end;
      if (platform || in_aside (ctx, text, hit->start) || in_platform_column (ctx, text, hit)
          || !at_risk_in_article (ctx, text, hit))
        continue;
      const ShrProductEntry *e = hit->entry;
      if (e->product == NULL)
        {
          g_autofree gchar *kind = vendor_equipment (text, hit);
          if (kind != NULL && equipment != NULL)
            {
              VendorEquipment v = { e->vendor, g_steal_pointer (&kind), hit->start };
              g_array_append_val (equipment, v);
            }
          continue;
        }
      /* "our office in Tokyo", "the HTTP Server feature" of a Cisco box;
       * "iOS" in an Apple advisory is not Cisco's IOS. */
      if (hit->needs_vendor && !vendor_named (ctx, e->vendor))
        {
          const ShrProductEntry *other = hit->homonym;
          if (other != NULL && vendor_named (ctx, other->vendor))
            e = other;
          else if ((e = spelled_as_one_of (text, hit, e, other)) == NULL)
            continue;
        }
      guint before = ctx->record->products->len;
      shr_record_add_product (ctx->record, e->vendor, e->product);
      if (ctx->record->products->len > before)
        {
          added++;
          if (!g_hash_table_contains (ctx->record->evidence, "products"))
            {
              g_autofree gchar *sentence = shr_sentence_at (text, hit->start);
              shr_record_set_evidence (ctx->record, "products", sentence);
            }
        }
    }
  return added + add_vendor_equipment (ctx, text, equipment);
}

/* A Japanese article names a product or service no list knows in 「」,
 * right after saying what it is: 法人向けメールセキュリティサービス
 * 「IIJセキュアMXサービス」に不正アクセス, 同社製品「Example Gateway」の脆弱性.
 * A name with a word of Latin script, no sentence in it, next to a flaw
 * or an attack, is a product of the advisory. */
/* The kinds of thing a Japanese article names before a product in 「」
 * (法人向けファイル共有サービス「…」, 同社製品「…」): one list for the
 * pattern and for the gate that keeps it from running where it cannot
 * match. A longer word stands before the shorter one it starts with. */
static const gchar *const quoted_kinds[] = { "サービス",
                                             "製品",
                                             "ソフトウェア",
                                             "ソフト",
                                             "ソリューション",
                                             "システム",
                                             "機器",
                                             "装置",
                                             "アプリケーション",
                                             "アプリ",
                                             "ツール",
                                             "ファームウェア",
                                             "プラットフォーム",
                                             "ルーター",
                                             "ルータ",
                                             "ゲートウェイ",
                                             NULL };

/* The pattern of add_quoted_products(): a kind word, の or である, and the
 * name in 「」. Made once, from quoted_kinds. */
static const gchar *
quoted_pattern (void)
{
  static gsize made;
  static gchar *pattern;
  if (g_once_init_enter (&made))
    {
      g_autofree gchar *kinds = g_strjoinv ("|", (gchar **)quoted_kinds);
      pattern = g_strdup_printf ("(%s)(?:の|である)?\\s*「([^「」。、\n()（）]{2,40})」", kinds);
      g_once_init_leave (&made, 1);
    }
  return pattern;
}

/* Whether some 「 of @text follows, past white space, one of the words
 * add_quoted_products() reads before a name (with の or である): where
 * its pattern can match. */
static gboolean
may_quote_product (const gchar *text)
{
  static const gchar *const links[] = { "", "の", "である", NULL };
  for (const gchar *q = strstr (text, "「"); q != NULL; q = strstr (q + 1, "「"))
    {
      const gchar *r = q;
      while (r > text)
        {
          const gchar *prev = g_utf8_find_prev_char (text, r);
          gunichar c = prev != NULL ? g_utf8_get_char (prev) : 0;
          if (prev == NULL || !(g_unichar_isspace (c) || c == 0x85 || c == 0x180E))
            break;
          r = prev;
        }
      gsize before = r - text;
      for (gsize k = 0; quoted_kinds[k] != NULL; k++)
        for (gsize l = 0; links[l] != NULL; l++)
          {
            gsize kl = strlen (quoted_kinds[k]), ll = strlen (links[l]);
            if (before >= kl + ll && memcmp (r - ll, links[l], ll) == 0
                && memcmp (r - ll - kl, quoted_kinds[k], kl) == 0)
              return TRUE;
          }
    }
  return FALSE;
}

static void
add_quoted_products (ShrExtractContext *ctx, const gchar *text)
{
  if (g_strcmp0 (ctx->record->lang, "ja") != 0 || !may_quote_product (text))
    return;
  const gchar *quoted = quoted_pattern ();
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, quoted, text);
  for (; shr_matches_found (&m); shr_matches_next (&m))
    {
      g_autofree gchar *name = shr_matches_fetch (&m, 2);
      gint start = 0, end = 0;
      shr_matches_pos (&m, 2, &start, &end);
      gboolean latin = FALSE;
      for (const gchar *c = name; *c && !latin; c++)
        latin = g_ascii_isalpha (*c);
      if (!latin || in_aside (ctx, text, start))
        continue;
      ShrLexiconHit hit = { .start = start, .end = end };
      if (!at_risk_in_article (ctx, text, &hit) && g_strcmp0 (ctx->record->source_kind, "news") == 0)
        continue;
      /* Known to the lexicon already (「Windows」): that entry stands. */
      g_autoptr (GArray) known = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, name);
      if (known->len > 0)
        continue;
      g_strstrip (name);
      guint before = ctx->record->products->len;
      shr_record_add_product (ctx->record, NULL, name);
      if (ctx->record->products->len > before && !g_hash_table_contains (ctx->record->evidence, "products"))
        {
          g_autofree gchar *sentence = shr_sentence_at (text, start);
          shr_record_set_evidence (ctx->record, "products", sentence);
        }
    }
}

guint
shr_add_lexicon_products (ShrExtractContext *ctx, const gchar *text)
{
  g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, text);
  return add_product_hits (ctx, text, hits);
}

/* (transfer full) The @len bytes at @s with ASCII letters lower-cased,
 * byte for byte (the offsets of the copy are those of @s), as
 * g_ascii_strdown() gives them; that calls a function per byte, and this
 * runs over every advisory several times. */
gchar *
shr_ascii_lower_len (const gchar *s, gsize len)
{
  gchar *out = g_malloc (len + 1);
  gsize i = 0;
  /* Eight bytes at a time: 0x20 is added to each byte from 'A' to 'Z'.
   * Of each byte's low seven bits, adding 0x80 - 'A' sets the high bit
   * from 'A' up and adding 0x7F - 'Z' from past 'Z' (no carry leaves a
   * byte); a byte with its own high bit set is not ASCII. */
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 high = ones * 0x80;
  for (; i + 8 <= len; i += 8)
    {
      guint64 x;
      memcpy (&x, s + i, 8);
      guint64 low7 = x & ~high;
      guint64 from_a = low7 + ones * (0x80 - 'A');
      guint64 past_z = low7 + ones * (0x7F - 'Z');
      x |= (from_a & ~past_z & ~x & high) >> 2;
      memcpy (out + i, &x, 8);
    }
  for (; i < len; i++)
    {
      gchar c = s[i];
      out[i] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
  out[len] = '\0';
  return out;
}

/* Whether @s holds no byte but ASCII: eight bytes at a time. */
static gboolean
is_ascii (const gchar *s)
{
  gsize len = strlen (s), i = 0;
  guint64 any = 0;
  for (; i + 8 <= len; i += 8)
    {
      guint64 x;
      memcpy (&x, s + i, 8);
      any |= x;
    }
  for (; i < len; i++)
    any |= (guchar)s[i];
  return (any & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}

static gchar *
ascii_lower (const gchar *s)
{
  return shr_ascii_lower_len (s, strlen (s));
}

/* ---- sentences ---------------------------------------------------------- */

/* Splits @text into sentences, each with its lines joined. Japanese lines
 * join without a space; English ones with one. */
static GPtrArray *
split_sentences (const gchar *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  const gchar *end = text + strlen (text);
  const gchar *p = text;
  const gchar *line_start = text;
  while (p < end)
    {
      if (*p == '\n')
        {
          gboolean paragraph = (p + 1 < end && p[1] == '\n');
          /* The whole line's length, not what is left of it after a
           * sentence ended on it: a wrapped sentence's first fragment is
           * no heading. */
          gsize line_len = p - line_start;
          line_start = p + 1;
          /* A line that starts with a list marker, or a short line (a
           * heading, a "Key: value"), ends the sentence as well. */
          const gchar *n = p + 1;
          while (n < end && (*n == ' ' || *n == '\t'))
            n++;
          gboolean list_item = n < end
                               && (*n == '*' || *n == '-' || g_str_has_prefix (n, "・")
                                   || g_str_has_prefix (n, "●") || g_str_has_prefix (n, "■"));
          if (paragraph || list_item || line_len < 60)
            {
              if (cur->len > 0)
                g_ptr_array_add (out, g_strdup (cur->str));
              g_string_truncate (cur, 0);
            }
          else if (cur->len > 0 && (guchar)cur->str[cur->len - 1] < 0x80)
            g_string_append_c (cur, ' ');
          p++;
          continue;
        }
      if (cur->len == 0 && (*p == ' ' || *p == '\t'))
        {
          p++;
          continue;
        }
      /* Copy the run up to the next line end or sentence end at once. */
      const gchar *run = p;
      /* Byte by byte, stopping only at the bytes a line or sentence end
       * starts with: each is ASCII or a UTF-8 lead byte, never inside a
       * character, and this loop runs over every byte of every mail. */
      static const guint8 may_end[256]
          = { ['\n'] = 1, ['.'] = 1, ['!'] = 1, ['?'] = 1, [0xE3] = 1, [0xEF] = 1 };
      while (p < end && !(may_end[(guchar)*p] && (*p == '\n' || is_sentence_end (p, end))))
        p++;
      gboolean sentence_end = p < end && *p != '\n';
      if (sentence_end)
        p = g_utf8_next_char (p);
      g_string_append_len (cur, run, p - run);
      if (sentence_end)
        {
          g_strstrip (cur->str);
          g_string_set_size (cur, strlen (cur->str));
          if (cur->len > 0)
            g_ptr_array_add (out, g_strdup (cur->str));
          g_string_truncate (cur, 0);
        }
    }
  if (cur->len > 0)
    g_ptr_array_add (out, g_strdup (cur->str));
  g_string_free (cur, TRUE);
  return out;
}

#define PAIR_BUCKETS 1024

static inline guint
pair_bucket (guchar b0, guchar b1)
{
  return ((guint)b0 << 5 ^ b1) & (PAIR_BUCKETS - 1);
}

/* Chains every place of @text (@len bytes) by its first two bytes. */
static void
chain_pairs (const gchar *text, gsize len, guint32 **head, guint32 **next)
{
  *head = g_new0 (guint32, PAIR_BUCKETS);
  *next = g_new (guint32, len > 0 ? len : 1);
  for (gsize i = len > 1 ? len - 1 : 0; i-- > 0;)
    {
      guint b = pair_bucket (text[i], text[i + 1]);
      (*next)[i] = (*head)[b];
      (*head)[b] = (guint32)i + 1;
    }
}

/* Marks in *@mask (made on first need, @n entries) the sentence of
 * @starts that place @at of the joined text falls in. */
static void
mark_sentence (const GArray *starts, guint n, gsize at, gboolean **mask)
{
  guint lo = 0, hi = starts->len;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (starts, gsize, mid) <= at)
        lo = mid;
      else
        hi = mid;
    }
  if (*mask == NULL)
    *mask = g_new0 (gboolean, n);
  if (lo < n)
    (*mask)[lo] = TRUE;
}

/* Which sentences may hold a match: those that contain one of @words (in
 * lower case when @lower; each pattern's alternatives all contain one of
 * its words). Looking the words up in all the sentences at once is far
 * cheaper than running a large alternation of case-insensitive patterns
 * at every position of the text, which dominated extraction; and looking
 * each up along the chain of its first two bytes (join_sentences()) is
 * cheaper than a scan of the whole text per word. The caller then runs
 * the pattern on the candidate sentences alone. Returns NULL when no
 * sentence qualifies. */
gboolean *
shr_sentences_holding (const ShrExtractContext *ctx, guint n, const gchar *const *words, gboolean lower)
{
  gboolean *mask = NULL;
  const GArray *starts = ctx->sentence_starts;
  const gchar *text = lower ? ctx->sentence_lower : ctx->sentence_text;
  for (gsize w = 0; words[w] != NULL; w++)
    {
      const gchar *word = words[w];
      /* A word in Japanese is not looked for in a text all in ASCII. */
      if (ctx->sentences_ascii && !is_ascii (word))
        continue;
      gsize word_len = strlen (word);
      if (word_len < 2)
        {
          for (const gchar *hit = strstr (text, word); hit != NULL && *hit != '\0';
               hit = strstr (hit + 1, word))
            mark_sentence (starts, n, hit - text, &mask);
          continue;
        }
      /* The chain of the text lower-cased serves both: it holds the same
       * bytes at the same places, but for the case of ASCII letters. */
      guint bucket = pair_bucket (g_ascii_tolower (word[0]), g_ascii_tolower (word[1]));
      for (guint32 place = ctx->pair_head[bucket]; place != 0; place = ctx->pair_next[place - 1])
        {
          gsize at = place - 1;
          if (at + word_len <= ctx->sentence_len && memcmp (text + at, word, word_len) == 0)
            mark_sentence (starts, n, at, &mask);
        }
    }
  return mask;
}

static void
join_sentences (ShrExtractContext *ctx, GPtrArray *sentences)
{
  GString *text = g_string_new (NULL);
  ctx->sentence_starts = g_array_sized_new (FALSE, FALSE, sizeof (gsize), sentences->len);
  for (guint i = 0; i < sentences->len; i++)
    {
      gsize at = text->len;
      g_array_append_val (ctx->sentence_starts, at);
      g_string_append (text, g_ptr_array_index (sentences, i));
      g_string_append_c (text, '\n');
    }
  ctx->sentence_len = text->len;
  ctx->sentence_text = g_string_free (text, FALSE);
  ctx->sentence_lower = ascii_lower (ctx->sentence_text);
  ctx->sentences_ascii = is_ascii (ctx->sentence_text);
  chain_pairs (ctx->sentence_lower, ctx->sentence_len, &ctx->pair_head, &ctx->pair_next);
}

/* ---- generic passes ----------------------------------------------------- */

static gchar *
clean_subject (const gchar *subject)
{
  if (subject == NULL)
    return g_strdup ("");
  gchar *s = g_strdup (subject);
  g_strstrip (s);
  /* Repeatedly drop reply/forward prefixes and list tags ("[oss-security]",
   * "[SECURITY]"), but keep bracketed advisory ids ("[DSA 5647-1]"). */
  for (;;)
    {
      g_autofree gchar *next
          = g_regex_replace (shr_regex ("^\\s*(?:(?:re|fwd?|fw|tr|wg|aw|転送|返信)\\s*(?:\\[\\d+\\])?\\s*[:"
                                        "：]\\s*|\\[[^\\]\\d]{1,40}\\]\\s*)"),
                             s, -1, 0, "", 0, NULL);
      if (next == NULL || strcmp (next, s) == 0)
        break;
      g_free (s);
      s = g_steal_pointer (&next);
    }
  /* A stray closing bracket left by list software re-tagging. */
  gsize len = strlen (s);
  if (len > 0 && s[len - 1] == ']' && strchr (s, '[') == NULL)
    s[len - 1] = '\0';
  g_strstrip (s);
  return s;
}

static void
detect_language (ShrExtractContext *ctx)
{
  guint kana = 0, han = 0, latin = 0;
  for (const gchar *p = ctx->body; *p;)
    {
      /* ASCII, most of an English text, without Unicode decoding. */
      if ((guchar)*p < 0x80)
        {
          if (g_ascii_isalpha (*p))
            latin++;
          p++;
          continue;
        }
      gunichar c = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      GUnicodeScript script = g_unichar_get_script (c);
      if (script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA)
        {
          /* Enough kana decides it; no need to read the rest. */
          if (++kana >= 20)
            break;
        }
      else if (script == G_UNICODE_SCRIPT_HAN)
        han++;
    }
  for (const gchar *p = ctx->subject; *p; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));
      if (script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA)
        kana++;
    }
  /* Japanese prose always has kana; an English text may quote a Japanese
   * name or two, so a few kana are not enough. */
  gboolean ja = kana >= 20 || (kana >= 3 && (kana + han) * 8 >= latin);
  ctx->record->lang = g_strdup (ja ? "ja" : "en");
}

static void
collect_cves (ShrExtractContext *ctx)
{
  const gchar *texts[]
      = { ctx->message->outer_subject, ctx->message->subject, ctx->message->all_text, ctx->message->body };
  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      if (texts[t] == NULL)
        continue;
      g_auto (ShrMatches) m = { 0 };
      shr_matches_first (&m, "\\bCVE[-‐‑–]\\s?(\\d{4})[-‐‑–]\\s?(\\d{4,7})\\b", texts[t]);
      while (shr_matches_found (&m))
        {
          g_autofree gchar *year = shr_matches_fetch (&m, 1);
          g_autofree gchar *num = shr_matches_fetch (&m, 2);
          g_autofree gchar *id = g_strdup_printf ("CVE-%s-%s", year, num);
          if (shr_record_add_cve (ctx->record, id) == NULL)
            return;
          shr_matches_next (&m);
        }
    }
}

/* The CVE named in @sentence, if exactly one is, else the record's only
 * CVE, else NULL. */
static ShrCve *
cve_for_sentence (ShrRecord *record, const gchar *sentence)
{
  g_autofree gchar *id = shr_match_group ("\\b(CVE-\\d{4}-\\d{4,7})\\b", sentence, 1);
  if (id != NULL)
    {
      g_autofree gchar *upper = g_ascii_strup (id, -1);
      return shr_record_find_cve (record, upper);
    }
  if (record->cves->len == 1)
    return g_ptr_array_index (record->cves, 0);
  return NULL;
}

/* The record's highest score so far, with where the text says it. */
static void
raise_cvss_max (ShrRecord *record, gdouble score, const gchar *evidence)
{
  if (score <= record->cvss_max)
    return;
  record->cvss_max = score;
  g_hash_table_remove (record->evidence, "cvss_max");
  shr_record_set_evidence (record, "cvss_max", evidence);
}

static void
collect_cvss (ShrExtractContext *ctx, GPtrArray *sentences)
{
  static const gchar *const patterns[] = {
    "CVSS\\)?\\s*(?:v|version\\s*)?(?:[234](?:\\.[01])?\\s*)?(?:(?:base|overall|temporal)\\s+)?(?:score|"
    "基本値|スコア|値)?\\s*(?:[:：=]|of|is|was|\\()?\\s*(10(?:\\.0)?|\\d\\.\\d)(?![/\\d]|\\.\\d)",
    "(?:base score|基本値|CVSSスコア)\\s*[:：]?\\s*(10(?:\\.0)?|\\d\\.\\d)(?![/\\d]|\\.\\d)",
    "(10(?:\\.0)?|\\d\\.\\d)\\s+(?:on|in|out of 10 on)\\s+the\\s+CVSS",
    "CVSS-B[TE]*\\s*[:：]\\s*(10(?:\\.0)?|\\d\\.\\d)(?![/\\d]|\\.\\d)",
    /* "7.5 (CVSS:3.1/AV:N/…)": a score just before its vector. */
    "(?<![\\d.])(10(?:\\.0)?|\\d\\.\\d)\\s*[(（]?\\s*CVSS:[234]\\.\\d/",
    /* "(CVSS:3.1/AV:N/…/A:H, 10.0)": a score just after its vector. */
    "CVSS:[234]\\.\\d(?:/"
    "[A-Za-z]{1,3}:[A-Za-z])+[)）]?\\s*[,;:]?\\s*(?:score\\s*[:：]?\\s*)?(10(?:\\.0)?|\\d\\.\\d)(?![/"
    "\\d]|\\.\\d)",
    "CVSS[^。\\n]{0,20}?(?:ベーススコア|基本値|スコア)[^0-9。\\n]{0,6}(10(?:\\.0)?|\\d\\.\\d)(?![/"
    "\\d]|\\.\\d)",
  };
  if (strstr (ctx->sentence_text, "CVSS") == NULL && strstr (ctx->sentence_text, "cvss") == NULL
      && strstr (ctx->sentence_text, "Base Score") == NULL
      && strstr (ctx->sentence_text, "base score") == NULL && strstr (ctx->sentence_text, "基本値") == NULL)
    return;
  for (guint i = 0; i < sentences->len; i++)
    {
      const gchar *s = g_ptr_array_index (sentences, i);
      if (strstr (s, "CVSS") == NULL && strstr (s, "cvss") == NULL && strstr (s, "Base Score") == NULL
          && strstr (s, "基本値") == NULL && strstr (s, "base score") == NULL)
        continue;
      for (gsize p = 0; p < G_N_ELEMENTS (patterns); p++)
        {
          g_auto (ShrMatches) m = { 0 };
          shr_matches_first (&m, patterns[p], s);
          while (shr_matches_found (&m))
            {
              g_autofree gchar *num = shr_matches_fetch (&m, 1);
              gdouble score = g_ascii_strtod (num, NULL);
              gint start = 0, end = 0;
              shr_matches_pos (&m, 1, &start, &end);
              /* "CVSSv3.1" and "CVSS 4.0" are versions, not scores. */
              gboolean version = start > 0
                                 && (s[start - 1] == 'v' || s[start - 1] == 'V'
                                     || (start >= 4 && g_ascii_strncasecmp (s + start - 4, "CVSS", 4) == 0)
                                     || (start >= 5 && g_ascii_strncasecmp (s + start - 5, "CVSS ", 5) == 0
                                         && s[end] != ')' && strstr ("2.0 3.0 3.1 4.0", num) != NULL));
              if (!version && score >= 0.0 && score <= 10.0)
                {
                  ShrCve *cve = cve_for_sentence (ctx->record, s);
                  if (cve != NULL && cve->cvss < 0)
                    cve->cvss = score;
                  raise_cvss_max (ctx->record, score, s);
                }
              shr_matches_next (&m);
            }
        }
      g_autofree gchar *vector
          = shr_match_group ("(CVSS:[234]\\.\\d/AV:[NALP]/[A-Z]{1,3}:[A-Z](?:/[A-Z]{1,3}:[A-Z])*)", s, 1);
      if (vector != NULL)
        {
          ShrCve *cve = cve_for_sentence (ctx->record, s);
          if (cve != NULL && cve->vector == NULL)
            cve->vector = g_strdup (vector);
        }
    }
}

/* A table with a CVE column and a score or severity column, in whatever
 * order the vendor prints them ("Category | Impact | Severity | CVSS base
 * score | CVE Numbers"). */
static void
cvss_from_structure (ShrExtractContext *ctx)
{
  for (guint i = 0; ctx->doc != NULL && i < ctx->doc->tables->len; i++)
    {
      const ShrTable *t = ctx->doc->tables->pdata[i];
      gint cve_col = -1, score_col = -1, severity_col = -1;
      for (guint c = 0; c < t->columns->len; c++)
        {
          ShrColumn col = g_array_index (t->columns, ShrColumn, c);
          if (col == SHR_COLUMN_CVE && cve_col < 0)
            cve_col = (gint)c;
          else if (col == SHR_COLUMN_SCORE && score_col < 0)
            score_col = (gint)c;
          else if (col == SHR_COLUMN_SEVERITY && severity_col < 0)
            severity_col = (gint)c;
        }
      if (cve_col < 0 || (score_col < 0 && severity_col < 0))
        continue;
      for (guint r = 0; r < t->rows->len; r++)
        {
          const GPtrArray *cells = t->rows->pdata[r];
          if ((guint)cve_col >= cells->len)
            continue;
          g_autofree gchar *id = shr_match_group ("\\b(CVE-\\d{4}-\\d{4,7})\\b", cells->pdata[cve_col], 1);
          g_autofree gchar *upper = id != NULL ? g_ascii_strup (id, -1) : NULL;
          ShrCve *cve = upper != NULL ? shr_record_find_cve (ctx->record, upper) : NULL;
          if (cve == NULL)
            continue;
          g_autofree gchar *num
              = score_col >= 0 && (guint)score_col < cells->len
                    ? shr_match_group ("^\\s*(10(?:\\.0)?|\\d\\.\\d)(?![\\d.])", cells->pdata[score_col], 1)
                    : NULL;
          if (num != NULL && cve->cvss < 0)
            {
              gdouble score = g_ascii_strtod (num, NULL);
              cve->cvss = score;
              if (score > ctx->record->cvss_max)
                {
                  g_autoptr (GString) row = g_string_new (NULL);
                  for (guint c = 0; c < cells->len; c++)
                    g_string_append_printf (row, "%s%s", c > 0 ? " | " : "", (const gchar *)cells->pdata[c]);
                  raise_cvss_max (ctx->record, score, row->str);
                }
            }
          g_autofree gchar *said = severity_col >= 0 && (guint)severity_col < cells->len
                                       ? g_strstrip (g_strdup (cells->pdata[severity_col]))
                                       : NULL;
          const gchar *word = said != NULL ? shr_severity_normalize (said) : NULL;
          if (word != NULL && cve->severity == NULL)
            cve->severity = g_strdup (word);
        }
    }
}

/* Whether a digit may stand at @p as \\d reads it (any script's digit). */
static gboolean
may_be_digit (const gchar *p)
{
  return g_ascii_isdigit (*p) || (guchar)*p >= 0x80;
}

/* Whether a line of @text starts with a CVE id and a score, after blanks
 * and table bars: where the rows below begin. Any newline counts as a
 * line's end, and so, to be safe, does a byte of a character outside
 * ASCII; so does such a byte count as a digit. */
static gboolean
has_cve_row (const gchar *text)
{
  for (const gchar *p = strcasestr (text, "cve-"); p != NULL; p = strcasestr (p + 4, "cve-"))
    {
      const gchar *q = p;
      while (q > text && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '|'))
        q--;
      if (!(q == text || q[-1] == '\n' || q[-1] == '\r' || q[-1] == '\v' || q[-1] == '\f'
            || (guchar)q[-1] >= 0x80))
        continue;
      const gchar *c = p + 4;
      guint digits = 0;
      for (; may_be_digit (c) && digits < 40; c++)
        digits++;
      if (digits < 4 || *c != '-')
        continue;
      for (c++, digits = 0; may_be_digit (c) && digits < 40; c++)
        digits++;
      if (digits < 4 || (*c != ' ' && *c != '\t' && *c != '|'))
        continue;
      while (*c == ' ' || *c == '\t' || *c == '|')
        c++;
      if (may_be_digit (c))
        return TRUE;
    }
  return FALSE;
}

/* Tables of "CVE-… 9.8 Critical CVSS:3.1/…" rows, as vendors print them. */
static void
collect_cvss_table (ShrExtractContext *ctx)
{
  cvss_from_structure (ctx);
  if (strstr (ctx->body, "CVSS") == NULL || !has_cve_row (ctx->body))
    return;
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m,
                     "^[ \\t|]*(CVE-\\d{4}-\\d{4,7})[ \\t|]+(10(?:\\.0)?|\\d\\.\\d)(?:[ "
                     "\\t|]+(critical|high|medium|moderate|low))?(?=[ \\t|]|$)",
                     ctx->body);
  while (shr_matches_found (&m))
    {
      g_autofree gchar *id = shr_matches_fetch (&m, 1);
      g_autofree gchar *num = shr_matches_fetch (&m, 2);
      g_autofree gchar *word = shr_matches_fetch (&m, 3);
      g_autofree gchar *row = shr_matches_fetch (&m, 0);
      g_autofree gchar *upper = g_ascii_strup (id, -1);
      ShrCve *cve = shr_record_find_cve (ctx->record, upper);
      gdouble score = g_ascii_strtod (num, NULL);
      if (cve != NULL && cve->cvss < 0)
        {
          cve->cvss = score;
          if (word != NULL && *word != '\0' && cve->severity == NULL)
            cve->severity = g_strdup (shr_severity_normalize (word));
        }
      raise_cvss_max (ctx->record, score, row);
      shr_matches_next (&m);
    }
}

static void
raise_severity (ShrRecord *record, const gchar *word, const gchar *sentence)
{
  const gchar *norm = shr_severity_normalize (word);
  if (norm == NULL)
    return;
  if (shr_severity_rank (norm) > shr_severity_rank (record->severity))
    {
      g_free (record->severity);
      record->severity = g_strdup (norm);
      g_hash_table_remove (record->evidence, "severity");
      shr_record_set_evidence (record, "severity", sentence);
    }
}

/* The severity word @text starts with, or the word after a score: "8.7
 * HIGH (CVSS v4.0)", "Critical", "緊急", 「緊急（CVSS 3.0 基本値 9.4）」;
 * NULL when it starts with none. (transfer full) */
static gchar *
leading_severity (const gchar *text)
{
  gchar *word = shr_match_group (
      "^(?:\\d+(?:\\.\\d)?\\s*)?[\"“(（「]?([A-Za-z]+|緊急|重要|警告|注意|重大|高|中|低)", text, 1);
  if (word != NULL && shr_severity_normalize (word) == NULL)
    g_clear_pointer (&word, g_free);
  return word;
}

/* "Severity: Critical", "Impact: critical", 「深刻度: 緊急」, "Max Severity
 * Rating  Important" as the structure found them, whatever the layout;
 * or a Severity section that starts with the word (■深刻度 over
 * 「緊急（CVSS 3.0 基本値 9.4）」). */
static void
severity_from_fields (ShrExtractContext *ctx)
{
  g_autofree gchar *section = shr_document_role_text (ctx->doc, SHR_ROLE_SEVERITY);
  if (section != NULL)
    {
      g_strstrip (section);
      g_autofree gchar *word = leading_severity (section);
      if (word != NULL)
        {
          g_autofree gchar *line = g_strndup (section, strcspn (section, "\n"));
          raise_severity (ctx->record, word, line);
        }
    }
  for (guint i = 0; i < ctx->doc->fields->len; i++)
    {
      const ShrField *f = g_ptr_array_index (ctx->doc->fields, i);
      if (f->role != SHR_ROLE_SEVERITY && f->role != SHR_ROLE_IMPACT && f->role != SHR_ROLE_SCORE
          && !shr_regex_test ("cvss|score|severity|rating|深刻度|重要度|基本値", f->key))
        continue;
      g_autofree gchar *word = leading_severity (f->value);
      if (word != NULL)
        {
          g_autofree gchar *line = g_strdup_printf ("%s: %s", f->key, f->value);
          raise_severity (ctx->record, word, line);
        }
    }
}

static void
collect_severity (ShrExtractContext *ctx, GPtrArray *sentences)
{
  severity_from_fields (ctx);
  static const gchar *const patterns[] = {
    /* "Severity: Low", "Security Impact Rating: High", "Impact: Important",
     * "Max Severity: Critical", "severity rating of Critical". */
    "(?:severity|security impact rating|impact|severity rating|aggregate severity "
    "rating)\\s*(?:rating)?\\s*(?:[:：]|is|of)\\s*(?:\\d+(?:\\.\\d)?\\s*[-–(]?\\s*)?[\"“]?(critical|"
    "important|high|moderate|medium|low)\\b",
    "\\b(critical|high|medium|moderate|low)[- ]severity\\b",
    /* Release notes' fix lists: "[$25000][460000001] High CVE-2026-13001: …". */
    "(?-i:\\b(Critical|High|Medium|Low)) CVE-\\d{4}-\\d{4,7}\\b",
    "\\brated\\s+(?:(?:the|this|it|its)\\s+)?(?:(?:flaw|vulnerability|bug|issue|update)\\s+)?(?:as\\s+)?[\"“]"
    "?(critical|important|high|moderate|low)\\b",
    "^(critical|important|moderate|low):\\s",
    /* Errata subjects: "ELSA-2026-0001 Important: Oracle Linux 8 foo update". */
    "(?-i:\\b(Critical|Important|Moderate|Low)):\\s+(?-i:[A-Z])",
    "\\b(critical)\\b[^.\\n]{0,40}?\\b(?:flaw|vulnerabilit|bug|zero-day|security update|security "
    "hole|RCE|remote code execution)",
    "(?:深刻度|重要度|危険度|最大深刻度|脆弱性の深刻度)[^。\\n]{0,8}?[「『【(（]?(緊急|重要|警告|注意|重大|"
    "高|中|低|critical|high|medium|moderate|low)(?![a-z])",
    "基本値\\s*[:：]?\\s*\\d+(?:\\.\\d)?\\s*[(（]\\s*(緊急|重要|警告|注意|critical|high|medium|low)",
  };
  /* For each pattern, words every one of its matches contains. */
  static const gchar *const words[][8] = {
    { "severity", "impact", NULL },
    { "severity", NULL },
    { " cve-", NULL },
    { "rated", NULL },
    { "critical:", "important:", "moderate:", "low:", NULL },
    { "critical:", "important:", "moderate:", "low:", NULL },
    { "critical", NULL },
    { "深刻度", "重要度", "危険度", NULL },
    { "基本値", NULL },
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (words) == G_N_ELEMENTS (patterns));
  for (gsize p = 0; p < G_N_ELEMENTS (patterns); p++)
    {
      g_autofree gboolean *candidates = shr_sentences_holding (ctx, sentences->len, words[p], TRUE);
      for (guint i = 0; candidates != NULL && i < sentences->len; i++)
        {
          if (!candidates[i])
            continue;
          const gchar *s = g_ptr_array_index (sentences, i);
          g_auto (ShrMatches) m = { 0 };
          shr_matches_first (&m, patterns[p], s);
          while (shr_matches_found (&m))
            {
              g_autofree gchar *word = shr_matches_fetch (&m, 1);
              raise_severity (ctx->record, word, s);
              shr_matches_next (&m);
            }
        }
    }
}

/* Runs @re only around the places where one of @words (lower case) occurs
 * in the sentence @s (@lower is its lower-cased copy): every match of the
 * large English patterns contains one of their words, at most @before
 * bytes after the match starts and @after bytes before it ends. Scanning
 * a few windows instead of the whole sentence is what makes these
 * patterns affordable. */
static gboolean
match_near_words (const gchar *pattern, const gchar *s, const gchar *lower, const gchar *const *words,
                  gsize before, gsize after, GMatchInfo **match)
{
  gsize len = strlen (s);
  gsize starts[32], ends[32];
  guint n = 0;
  for (gsize w = 0; words[w] != NULL; w++)
    {
      gsize wlen = strlen (words[w]);
      for (const gchar *hit = memmem (lower, len, words[w], wlen); hit != NULL && n < G_N_ELEMENTS (starts);
           hit = memmem (hit + 1, len - (hit + 1 - lower), words[w], wlen))
        {
          gsize at = hit - lower;
          starts[n] = at > before ? at - before : 0;
          ends[n] = MIN (len, at + wlen + after);
          n++;
        }
    }
  if (n == G_N_ELEMENTS (starts))
    {
      /* Too many to bother: the whole sentence. */
      n = 1;
      starts[0] = 0;
      ends[0] = len;
    }
  for (guint i = 0; i < n; i++)
    {
      /* Most windows do not match: only a match is worth a GMatchInfo. */
      if (!shr_regex_test_range (pattern, s, starts[i], ends[i]))
        continue;
      if (match != NULL)
        g_regex_match_full (shr_regex (pattern), s, ends[i], starts[i], 0, match, NULL);
      return TRUE;
    }
  return FALSE;
}

/* Whether the lower-cased sentence @lower (@len bytes) holds one of
 * @words: the literals one of which every match of a pattern holds, so
 * that the pattern is not run where it cannot match. */
static gboolean
holds_any_word (const gchar *lower, gsize len, const gchar *const *words)
{
  for (gsize w = 0; words[w] != NULL; w++)
    if (memmem (lower, len, words[w], strlen (words[w])) != NULL)
      return TRUE;
  return FALSE;
}

/* Whether @lower (@len bytes) may hold an English negation of
 * exploitation: each wording is built on "not", "n't" or the word "no"
 * (a byte of another script beside it may be a boundary too). */
static gboolean
may_negate_en (const gchar *lower, gsize len)
{
  if (memmem (lower, len, "not", 3) != NULL || memmem (lower, len, "n't", 3) != NULL)
    return TRUE;
  for (const gchar *p = memmem (lower, len, "no", 2); p != NULL;
       p = memmem (p + 2, len - (gsize)(p + 2 - lower), "no", 2))
    {
      gboolean starts = p == lower || (!g_ascii_isalnum (p[-1]) && p[-1] != '_');
      gboolean ends = p + 2 == lower + len || (!g_ascii_isalnum (p[2]) && p[2] != '_');
      if (starts && ends)
        return TRUE;
    }
  return FALSE;
}

/* Sentence-level reading of exploitation: a sentence that negates it is
 * read first, so "not aware of any exploitation in the wild" is never a
 * report of exploitation; conditional wording ("if exploited", 「悪用された
 * 場合」) says nothing either way. */
static void
collect_exploitation (ShrExtractContext *ctx, GPtrArray *sentences)
{
  static const gchar *negative_en
      = "(?:\\b(?:not|n't)\\s+(?:been\\s+|yet\\s+)?(?:aware|seen|observed|detected|know|identified)\\w*\\b[^."
        "]{0,100}\\b(?:exploit|attack|in the wild|malicious use)"
        "|\\bno\\s+(?:known\\s+|public\\s+|active\\s+|current\\s+|evidence\\s+(?:of|that)\\s+(?:active\\s+|"
        "any\\s+)?|reports?\\s+of\\s+|indication\\s+(?:of|that)\\s+|sign\\s+of\\s+)+(?:\\w+\\s+){0,5}?(?:"
        "exploit|attack|in-the-wild|malicious)"
        "|\\b(?:has|have|had|is|are|was|were)\\s+not\\s+(?:yet\\s+)?(?:been\\s+)?(?:known\\s+to\\s+(?:be|"
        "have\\s+been)\\s+)?(?:actively\\s+)?exploited"
        "|\\bexploited\\s*[:：]\\s*no\\b)";
  static const gchar *negative_ja = "(?:悪用|攻撃)[^。]{0,15}(?:確認|観測|把握|認識|報告)[^。]{0,8}(?:いない|"
                                    "てない|いません|おりません|ていません)";
  static const gchar *positive_en
      = "(?:exploited in the wild|in-the-wild exploitation|exploitation in the wild"
        "|\\b(?:actively|being|been|is being|are "
        "being|were|was)\\s+(?:actively\\s+)?(?:exploited|abused|weaponized)"
        "|\\bactive(?:ly)?\\s+exploit(?:ation|ed)|\\bunder active (?:attack|exploitation)|\\bmass "
        "exploitation"
        "|\\bexploitation detected|\\bexploited\\s*[:：]\\s*yes\\b"
        "|\\bzero-day (?:exploit|attack)s?\\b|\\bexploited as (?:a )?zero-day"
        /* "exploiting X" reports exploitation when someone is doing it ("have
         * been exploiting", "are exploiting", "actively exploiting"); alone it
         * is a participle ("an attacker exploiting this flaw could …"). */
        "|\\b(?:is|are|was|were|been|has|have|had|actively|continue to|continues "
        "to|began|started|now)\\s+(?:\\w+\\s+)?(?:exploiting|weaponi[sz]ing|leveraging|abusing) (?:a |an "
        "|the |this |these |two |multiple |several )?(?:\\w+[- "
        "]){0,2}?(?:zero-day|0-day|n-day|1-day|vulnerabilit|flaw|bug|security hole)"
        "|\\b(?:weaponi[sz]ed|leveraged|abused)\\s+(?:a |an |the |two |multiple |several )?(?:\\w+[- "
        "]){0,2}?(?:zero-day|0-day|n-day|1-day|one-day|vulnerabilit|flaw|bug)"
        "|\\baware of (?:customers|organizations|users) (?:experiencing|impacted|affected)"
        "|\\b(?:has|have|had)\\s+(?:actively\\s+|also\\s+)?been\\s+(?:actively\\s+)?(?:exploiting|abusing|"
        "weaponi[sz]ing)\\b"
        "|\\b(?:is|are|were|was)\\s+(?:actively\\s+|now\\s+|still\\s+)?(?:exploiting|abusing|weaponi[sz]ing)"
        "\\b"
        "|\\b(?:observed|seen|detected|identified|tracking|tracked)\\s+(?:\\w+\\s+){0,3}?(?:activity|attacks?"
        "|attempts|campaigns?|actors?)\\s+(?:that|which|who)\\s+(?:exploit|leverage|abuse)"
        "|\\b(?:observed|seen|detected)\\s+(?:\\w+\\s+){0,2}?(?:exploitation|exploit attempts)\\b"
        "|\\b(?:gain(?:s|ed|ing)?|obtain(?:s|ed)?|achiev(?:es|ed)|got)\\s+(?:initial\\s+)?(?:entry|access|a "
        "foothold)\\s+(?:\\w+\\s+){0,3}?by\\s+exploiting"
        "|\\bexploitation (?:attempts|activity) (?:have|has) been (?:observed|seen|detected)"
        "|\\battacks? (?:are|were|have been|has been)\\s+(?:actively\\s+)?exploiting"
        "|\\b(?:attackers|intruders|threat actors|hackers|adversaries|the "
        "(?:group|actors?|attackers)|ransomware "
        "(?:gangs|groups|operators))\\s+(?:have\\s+|had\\s+)?(?:exploited|are exploiting|were "
        "exploiting|began exploiting|started exploiting|leveraged)"
        "|\\bexploit(?:ed|ing)\\s+(?:an?\\s+)?(?:unpatched|vulnerable|CVE-\\d)"
        "|\\b(?:observed|seen|detected)\\s+(?:being\\s+exploited\\s+)?in the wild"
        "|\\blimited,? targeted attacks|\\bevidence of active exploitation)";
  /* The two wordings whose keyword can stand far from where they start;
   * they begin with a literal word, so they are cheap over a sentence. */
  static const gchar *positive_en_far
      = "(?:\\b(?:is|are|became)\\s+aware\\s+(?:of|that)\\b[^.]{0,100}\\b(?:exploit|targeted attacks|attacks)"
        "|\\badd(?:s|ed)?\\b[^.]{0,120}known exploited vulnerabilit"
        /* "Exploits of CVE-… on unmitigated appliances have been observed." */
        "|\\bexploit(?:s|ation)\\b[^.;]{0,100}?\\b(?:have|has) been (?:observed|seen|detected|reported)\\b)";
  static const gchar *positive_ja
      = "(?:悪用[がをもはの]?(?:既に|すでに)?(?:確認|観測|観察)(?:され|し|さ|を)|悪用されている|"
        "悪用されました|悪用されていた"
        "|(?:すでに|既に|実際に)悪用|悪用された(?:こと|事実)|攻撃[がを](?:確認|観測)(?:され|し)"
        "|ゼロデイ(?:攻撃|脆弱性)として悪用|悪用(?:事例|実績)が(?:確認|報告)|悪用の事実[をが](?:確認|把握|"
        "報告)"
        "|(?:脆弱性|欠陥)\\s*(?:[(（][^)）]{0,40}[)）])?\\s*を(?:突いた|悪用した)(?:攻撃|不正アクセス|侵入|"
        "ランサムウェア)|を狙った攻撃(?:事案|活動)が"
        "|悪用した攻撃が(?:限定的に)?(?:発生|確認|観測|報告)|攻撃(?:活動)?に(?:積極的に|実際に)?(?:使われ|"
        "使って|利用され|悪用され)"
        "|悪用が(?:活発|拡大|急増|続いて)|ゼロデイ攻撃(?:を受け|が確認|に悪用|で悪用))";
  /* A vendor or CERT hedges what it has seen ("may have been actively
   * exploited", "was likely abused", 「悪用した可能性が極めて高い」): a
   * report of exploitation all the same, the hedge kept in the evidence.
   * Future and conditional wording ("may be exploited", 「悪用される可能
   * 性がある」) is not a report of anything. */
  static const gchar *hedged_en
      = "\\b(?:may|might|could) have been (?:actively |successfully )?(?:exploited|abused|used in attacks)"
        "|\\bmay be under (?:active |limited )?(?:exploitation|attack)"
        "|\\b(?:likely|probably|reportedly|possibly|potentially) (?:been )?(?:exploited|abused)\\b"
        "|\\bevidence (?:of|suggesting) (?:potential |possible |likely )?(?:exploitation|(?:it|that it) was "
        "(?:likely )?(?:exploited|abused))"
        "|\\b(?:is|was|were) (?:believed|thought|suspected) to have been (?:exploited|abused)"
        "|\\breports? that (?:this|the) (?:issue|vulnerability|flaw) (?:may have been|was|has been) "
        "(?:actively )?exploited";
  static const gchar *hedged_ja = "(?:悪用|攻撃|侵入|使用|利用)(?:さ)?れた(?:可能性|疑い)が(?:極めて|非常に)?"
                                  "(?:高い|ある)|悪用して[^。]{0,20}した可能性が(?:極めて|非常に)?高い"
                                  "|悪用された(?:とみられ|と見られ|模様)|悪用された恐れ";
  static const gchar *conditional_en = "\\b(?:if|could|may|might|would|whether|potentially|possible)\\b";
  static const gchar *conditional_ja_after = "^[^。、]{0,4}(?:場合|可能性|おそれ|恐れ|か[、。]|かどうか|か$)";

  static const gchar *const negative_words[]
      = { "exploit", "attack", "in the wild", "in-the-wild", "malicious", "悪用", "攻撃", NULL };
  static const gchar *const positive_words[]
      = { "exploit", "attack",      "abus",        "weaponiz", "weaponis", "leverag",
          "aware",   "in the wild", "in-the-wild", "悪用",     "攻撃",     NULL };
  g_autofree gboolean *neg_candidates = shr_sentences_holding (ctx, sentences->len, negative_words, TRUE);
  g_autofree gboolean *pos_candidates = shr_sentences_holding (ctx, sentences->len, positive_words, TRUE);
  if (neg_candidates == NULL && pos_candidates == NULL)
    return;
  gchar *neg_sentence = NULL;
  const gchar *hedged = NULL;
  for (guint i = 0; i < sentences->len; i++)
    {
      gboolean maybe_negative = neg_candidates != NULL && neg_candidates[i];
      gboolean maybe_positive = pos_candidates != NULL && pos_candidates[i];
      if (!maybe_negative && !maybe_positive)
        continue;
      const gchar *s = g_ptr_array_index (sentences, i);
      /* Japanese and English wording are separate patterns: a sentence is
       * matched only against the language it is in, which halves the cost
       * of the largest patterns of the extractor. */
      gboolean ja = strstr (s, "悪用") != NULL || strstr (s, "攻撃") != NULL;
      /* The sentence's lower-cased copy is its line in sentence_lower. */
      const gchar *lower = ctx->sentence_lower + g_array_index (ctx->sentence_starts, gsize, i);
      gsize lower_len = strlen (s);
      static const gchar *const en_words[]
          = { "exploit",  "attack",  "in the wild", "in-the-wild", "abus", "weaponiz",
              "weaponis", "leverag", "aware",       "malicious",   NULL };
      gboolean en = FALSE;
      for (gsize w = 0; en_words[w] != NULL && !en; w++)
        en = memmem (lower, lower_len, en_words[w], strlen (en_words[w])) != NULL;
      static const gchar *const neg_en_words[]
          = { "exploit", "attack", "in the wild", "in-the-wild", "malicious", NULL };
      if (maybe_negative
          && ((en && may_negate_en (lower, lower_len)
               && match_near_words (negative_en, s, lower, neg_en_words, 170, 40, NULL))
              || (ja && (strstr (s, "ない") != NULL || strstr (s, "ません") != NULL)
                  && shr_regex_test (negative_ja, s))))
        {
          if (neg_sentence == NULL)
            neg_sentence = g_strdup (s);
          continue;
        }
      g_autoptr (GMatchInfo) m = NULL;
      if (!maybe_positive)
        continue;
      /* Every English hedge above holds one of these, as written. */
      static const gchar *const hedged_en_words[]
          = { "have been", "may be under", "ly exploited", "ly abu", "ly been ", "evidence", "report", NULL };
      if ((en && holds_any_word (lower, lower_len, hedged_en_words) && shr_regex_test (hedged_en, s))
          || (ja && shr_regex_test (hedged_ja, s)))
        {
          hedged = hedged != NULL ? hedged : s;
          continue;
        }
      gboolean positive = FALSE;
      if (en)
        {
          positive = match_near_words (positive_en, s, lower, en_words, 60, 60, &m);
          if (!positive)
            {
              g_clear_pointer (&m, g_match_info_unref);
              /* Its three wordings hold these. */
              static const gchar *const far_words[] = { "aware", "exploited vulnerabilit", "been", NULL };
              positive = holds_any_word (lower, lower_len, far_words)
                         && g_regex_match (shr_regex (positive_en_far), s, 0, &m);
            }
        }
      if (!positive)
        {
          g_clear_pointer (&m, g_match_info_unref);
          if (!(ja && g_regex_match (shr_regex (positive_ja), s, 0, &m)))
            continue;
        }
      gboolean counted = FALSE;
      while (g_match_info_matches (m) && !counted)
        {
          gint start = 0, end = 0;
          g_match_info_fetch_pos (m, 0, &start, &end);
          g_autofree gchar *before = g_strndup (s, start);
          gboolean cond = shr_regex_test (conditional_en, before)
                          || shr_regex_test (conditional_ja_after, s + end)
                          || strstr (before, "万が一") != NULL || strstr (before, "仮に") != NULL;
          if (!cond)
            counted = TRUE;
          g_match_info_next (m, NULL);
        }
      if (!counted)
        continue;
      ctx->record->exploited = SHR_TRISTATE_TRUE;
      g_free (ctx->record->exploited_evidence);
      ctx->record->exploited_evidence = g_strdup (s);
      shr_record_set_evidence (ctx->record, "exploited", s);
      if (shr_regex_test ("known exploited vulnerabilit|\\bKEV\\b", s))
        ctx->record->kev = TRUE;
      g_free (neg_sentence);
      return;
    }
  if (hedged != NULL)
    {
      /* No plain statement, but a hedged one: exploitation is reported. */
      ctx->record->exploited = SHR_TRISTATE_TRUE;
      g_free (ctx->record->exploited_evidence);
      ctx->record->exploited_evidence = g_strdup (hedged);
      shr_record_set_evidence (ctx->record, "exploited", hedged);
      g_free (neg_sentence);
      return;
    }
  if (neg_sentence != NULL)
    {
      ctx->record->exploited = SHR_TRISTATE_FALSE;
      ctx->record->exploited_evidence = neg_sentence;
      shr_record_set_evidence (ctx->record, "exploited", neg_sentence);
    }
}

static gchar *
trim_url (const gchar *url)
{
  gchar *u = g_strdup (url);
  gsize len = strlen (u);
  while (len > 0 && strchr (".,;:)>]}'\"", u[len - 1]) != NULL)
    u[--len] = '\0';
  return u;
}

static void
collect_references (ShrExtractContext *ctx)
{
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, "https?://[^\\s<>\"'）」』】\\]\\[]+", ctx->body);
  while (shr_matches_found (&m) && ctx->record->references->len < SHR_MAX_REFERENCES)
    {
      g_autofree gchar *raw = shr_matches_fetch (&m, 0);
      g_autofree gchar *url = trim_url (raw);
      shr_strv_add_unique (ctx->record->references, url);
      shr_matches_next (&m);
    }
  for (guint i = 0; i < ctx->message->links->len && ctx->record->references->len < SHR_MAX_REFERENCES; i++)
    shr_strv_add_unique (ctx->record->references, g_ptr_array_index (ctx->message->links, i));
}

static gboolean
is_url_line (const gchar *line)
{
  g_autofree gchar *t = g_strstrip (g_strdup (line));
  if (g_str_has_prefix (t, "Read more:") || g_str_has_prefix (t, "Source:") || g_str_has_prefix (t, "出典:"))
    {
      const gchar *u = strstr (t, "http");
      return u != NULL && strchr (u, ' ') == NULL;
    }
  return (g_str_has_prefix (t, "http://") || g_str_has_prefix (t, "https://")) && strchr (t, ' ') == NULL;
}

/* The page the advisory or article lives at: a URL standing alone at the
 * end or right under the title, as newsletters and feeds print it. */
static void
find_source_url (ShrExtractContext *ctx)
{
  if (ctx->record->source_url != NULL)
    return;
  g_autofree gchar **lines = shr_text_split (ctx->body, "\n");
  GPtrArray *nonblank = g_ptr_array_new ();
  for (gsize i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_ptr_array_add (nonblank, lines[i]);
  const gchar *found = NULL;
  for (guint i = nonblank->len; i > 0 && i + 3 > nonblank->len && found == NULL; i--)
    if (is_url_line (g_ptr_array_index (nonblank, i - 1)))
      found = g_ptr_array_index (nonblank, i - 1);
  for (guint i = 0; i < nonblank->len && i < 3 && found == NULL; i++)
    if (is_url_line (g_ptr_array_index (nonblank, i)))
      found = g_ptr_array_index (nonblank, i);
  if (found != NULL)
    {
      const gchar *u = strstr (found, "http");
      ctx->record->source_url = trim_url (u);
    }
  else if (ctx->message->links->len > 0 && ctx->message->html_title != NULL)
    ctx->record->source_url
        = g_strdup (g_ptr_array_index (ctx->message->links, ctx->message->links->len - 1));
  g_ptr_array_unref (nonblank);
}

static gboolean
is_boilerplate_paragraph (const gchar *p, const gchar *title)
{
  if (shr_regex_test ("\\A\\s*(?:-{3,}|={3,}|_{3,}|\\*{3,}|(?:- ){3,}|-----BEGIN|Hash:|By [A-Z]|https?://)",
                      p))
    return TRUE;
  /* A block of "Key : value" lines is a header, not prose. */
  if (shr_regex_test ("\\A[^\\n:]{1,30}:[^\\n]*\\n[^\\n:]{1,30}:", p))
    return TRUE;
  if (title != NULL && *title != '\0' && strstr (p, title) == p && strlen (p) < strlen (title) + 40)
    return TRUE;
  /* Bylines, datelines, navigation, subscription and audience notes: the
   * page around an article, not its lead. */
  if (shr_regex_test ("\\A(?:(?:\\S+\\s+)?(?:Written by|Posted by|Published by|Authors?:|Reporter:|By:)"
                      "|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? \\d{1,2} [A-Z][a-z]+ \\d{4}"
                      "|(?:Topic|Synopsis|Summary|Overview)\\s*[:：]?\\s*\\z)",
                      p))
    return TRUE;
  /* The words anywhere in it: looked for only where one of their letters'
   * runs stands (most paragraphs have none). */
  g_autofree gchar *lower = ascii_lower (p);
  if ((strstr (lower, "subscri") != NULL || strstr (lower, "sign up") != NULL
       || strstr (lower, "click") != NULL || strstr (lower, "cookie") != NULL
       || strstr (lower, "please") != NULL || strstr (lower, "this a") != NULL
       || strstr (lower, "this u") != NULL || strstr (lower, "this m") != NULL || strstr (p, "記事") != NULL
       || strstr (p, "ログイン") != NULL || strstr (p, "会員登録") != NULL)
      && shr_regex_test (
          "please (?:download|subscribe|register|sign up|click)|\\bsubscribe\\b|\\bsign up\\b"
          "|\\bclick here\\b|\\bcookies?\\b|\\bThis (?:alert|advisory|update|message) (?:is|was) "
          "(?:relevant|intended|sent) to\\b"
          "|記事一覧|ログイン|会員登録|この記事をシェア",
          p))
    return TRUE;
  /* A line of labels joined by separators: "SC Media · Brief · Ransomware". */
  guint seps = 0;
  for (const gchar *c = p; *c; c++)
    seps += *c == '|' || (c[0] == '\xc2' && c[1] == '\xb7');
  if (seps >= 2)
    return TRUE;
  /* A list of ids ("* CVE-2024-1 * CVE-2024-2"): fewer words than ids. */
  guint ids = 0, words = 0;
  g_autofree gchar **w = shr_text_split (p, " ");
  for (guint i = 0; w[i] != NULL; i++)
    {
      if (*w[i] == '\0' || strcmp (w[i], "*") == 0 || strcmp (w[i], "-") == 0)
        continue;
      words++;
      ids += g_str_has_prefix (w[i], "CVE-");
    }
  return ids >= 2 && ids * 2 >= words;
}

/* Where the paragraph that starts at @from ends: past the blank line
 * (white space only) after it, or NULL at the end of the text. */
static const gchar *
next_blank_line (const gchar *from)
{
  for (const gchar *nl = strchr (from, '\n'); nl != NULL; nl = strchr (nl + 1, '\n'))
    {
      const gchar *c = nl + 1;
      while (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\f' || *c == '\v')
        c++;
      if (*c == '\n')
        {
          /* The whole run of blank lines. */
          while (*c != '\0' && g_ascii_isspace (*c))
            c++;
          return *c != '\0' ? c : NULL;
        }
    }
  return NULL;
}

/* The first paragraph of @text that reads as the advisory's lead: prose,
 * long enough, and not page furniture. */
static gchar *
lead_paragraph (ShrExtractContext *ctx, const gchar *text, gsize min_en, gsize min_ja)
{
  gboolean ja = g_strcmp0 (ctx->record->lang, "ja") == 0;
  /* Paragraph by paragraph, stopping at the lead (usually among the
   * first): the text is not split whole. */
  for (const gchar *next = text; next != NULL;)
    {
      const gchar *from = next;
      const gchar *blank = next_blank_line (from);
      next = blank;
      g_autofree gchar *paragraph = blank != NULL ? g_strndup (from, blank - from) : g_strdup (from);
      gchar *p = g_strstrip (paragraph);
      /* Japanese articles often write one paragraph per line (each line
       * ends a sentence); CERT alerts wrap paragraphs at a fixed width
       * (lines end anywhere), and then the lines are one paragraph. */
      gboolean line_per_paragraph = FALSE;
      if (ja && strchr (p, '\n') != NULL)
        {
          line_per_paragraph = TRUE;
          g_autofree gchar **probe = shr_text_split (p, "\n");
          for (gsize j = 0; probe[j] != NULL && probe[j + 1] != NULL; j++)
            {
              g_autofree gchar *t = g_strstrip (g_strdup (probe[j]));
              if (*t != '\0' && !g_str_has_suffix (t, "。") && !g_str_has_suffix (t, "」")
                  && !g_str_has_suffix (t, "）") && !g_str_has_suffix (t, ")"))
                line_per_paragraph = FALSE;
            }
        }
      /* A lead ends where a list starts ("…以下の通りです。\n・Windows 11"). */
      if (!line_per_paragraph)
        {
          g_autoptr (GMatchInfo) lm = NULL;
          if (g_regex_match (shr_regex ("\\n\\s*(?:[-*•・●■]|\\d{1,2}[.)])\\s*\\S"), p, 0, &lm))
            {
              gint at = 0;
              g_match_info_fetch_pos (lm, 0, &at, NULL);
              if (at > 0)
                p[at] = '\0';
            }
        }
      g_autofree gchar **lines = line_per_paragraph ? shr_text_split (p, "\n") : shr_text_split (p, "\n\n");
      for (gsize j = 0; lines[j] != NULL; j++)
        {
          gchar *l = g_strstrip (lines[j]);
          gsize min_chars = ja ? min_ja : min_en;
          if (strlen (l) < min_chars || g_utf8_strlen (l, 4 * min_chars) < (glong)min_chars
              || is_boilerplate_paragraph (l, ctx->record->title))
            continue;
          /* Prose has a sentence in it. */
          if (!(ja ? (strstr (l, "。") != NULL || strstr (l, "、") != NULL)
                   : (strstr (l, ". ") != NULL || g_str_has_suffix (l, ".") || strstr (l, ", ") != NULL)))
            continue;
          /* A line break inside Japanese text is no space; a space the
           * writer put on a line ("Sample Router シリーズ") is kept. */
          GString *s = g_string_new (NULL);
          gboolean space = FALSE, line_break = FALSE;
          for (const gchar *c = l; *c; c++)
            {
              if (*c == '\n' || *c == ' ' || *c == '\t')
                {
                  space = TRUE;
                  line_break = line_break || *c == '\n';
                }
              else
                {
                  if (space && s->len > 0 && !(ja && line_break && (guchar)*c >= 0x80))
                    g_string_append_c (s, ' ');
                  space = line_break = FALSE;
                  g_string_append_c (s, *c);
                }
            }
          if (s->len > 1200)
            {
              const gchar *cut = g_utf8_find_prev_char (s->str, s->str + 1200);
              g_string_truncate (s, cut - s->str);
              g_string_append (s, "…");
            }
          return g_string_free (s, FALSE);
        }
    }
  return NULL;
}

/* The advisory's own first description (quoted in notices as 原文): its
 * Summary or Description section where it has one, else its lead. */
static void
find_summary (ShrExtractContext *ctx)
{
  /* A Summary section, else the lead before any heading (an article's or
   * an alert's first paragraph), else a Description section, else the
   * first prose anywhere. */
  g_autofree gchar *summary = shr_document_role_text (ctx->doc, SHR_ROLE_SUMMARY);
  if (summary != NULL)
    ctx->record->summary = lead_paragraph (ctx, summary, 40, 20);
  if (ctx->record->summary == NULL && ctx->doc->sections->len > 0)
    {
      g_autofree gchar *lead = shr_document_section_text (ctx->doc, 0);
      ctx->record->summary = lead_paragraph (ctx, lead, 60, 30);
    }
  if (ctx->record->summary == NULL)
    {
      g_autofree gchar *description = shr_document_role_text (ctx->doc, SHR_ROLE_DESCRIPTION);
      if (description != NULL)
        ctx->record->summary = lead_paragraph (ctx, description, 40, 20);
    }
  if (ctx->record->summary == NULL)
    ctx->record->summary = lead_paragraph (ctx, ctx->body, 60, 30);
}

/* An item of a Solution or Workaround section that is a step: a sentence
 * that says to do something, not a heading, a link or "no workaround". */
static gboolean
is_step (const gchar *item)
{
  gsize len = strlen (item);
  if (len < 12 || len > 600)
    return FALSE;
  /* A line that is mostly an address ("alpha: ftp://…/foo.rpm") is a link. */
  const gchar *url = strstr (item, "://");
  if (url != NULL)
    {
      guint words = 0;
      for (const gchar *c = item; *c; c++)
        words += *c == ' ';
      if (words < 6)
        return FALSE;
    }
  /* Each branch of the pattern below holds one of these (in ASCII lower
   * case; none holds an 's' or a 'k', which a caseless pattern also
   * matches as 'ſ' and the Kelvin sign): most steps hold none and are not
   * scanned at every position. */
  gchar lower[601];
  for (gsize i = 0; i <= len; i++)
    lower[i] = g_ascii_tolower (item[i]);
  gboolean maybe_not_step = strchr (item, ':') != NULL || strstr (item, "：") != NULL
                            || strstr (item, "はありません") != NULL || strstr (lower, "around") != NULL
                            || strstr (lower, "download") != NULL || strstr (lower, "documentation") != NULL
                            || strstr (lower, "e note") != NULL;
  /* Two patterns, not one alternation of both: the wordings anchored at a
   * line's start are tried there only, the others where their first
   * letter stands, instead of every wording at every position. */
  static const gchar *not_step_line
      = "^(?:https?://\\S+|\\[[^\\]]*\\]\\(https?://[^)]*\\))$|^[^.。]{0,40}[:：]$"
        "|^(?:Downloads?|Documentation|Release notes)\\b";
  static const gchar *not_step_words
      = "\\bno (?:known )?workarounds?\\b|\\bthere (?:is|are) no (?:known )?workaround"
        "|回避策はありません|ワークアラウンドはありません";
  if (maybe_not_step && (shr_regex_test (not_step_line, item) || shr_regex_test (not_step_words, item)))
    return FALSE;
  return shr_regex_test (
      "\\b(?:upgrade|update|apply|install|patch|disable|enable|restrict|block|limit|remove"
      "|configure|set|change|rotate|reset|review|check|monitor|hunt|isolate|migrate|replace"
      "|follow|use|avoid|deploy|run|verify|should|must|recommend|advise|urge)"
      "|アップデート|更新|適用|無効|有効|制限|設定|変更|確認|削除|導入|実施|移行|してください|推奨",
      item);
}

/* Adds a step unless the same one is there, written with or without its
 * final colon or full stop. */
static void
add_step (ShrRecord *r, const gchar *step)
{
  if (r->mitigations->len >= SHR_MAX_MITIGATIONS)
    return;
  g_autofree gchar *s = g_strstrip (g_strdup (step));
  gsize len = strlen (s);
  while (len > 0 && (s[len - 1] == ':' || s[len - 1] == '.'))
    s[--len] = '\0';
  for (guint i = 0; i < r->mitigations->len; i++)
    {
      /* The same step, or one a longer step already says. */
      const gchar *m = r->mitigations->pdata[i];
      if (strstr (m, s) != NULL)
        return;
    }
  g_ptr_array_add (r->mitigations, g_strdup (step));
}

/* Steps from the Solution and Workaround sections: each list item, or each
 * sentence of a paragraph; a sentence that ends with ':' takes the command
 * lines under it ("… upgrade to the latest version: emerge --sync"). */
static void
mitigations_from_structure (ShrExtractContext *ctx)
{
  static const ShrRole roles[] = { SHR_ROLE_SOLUTION, SHR_ROLE_WORKAROUND, SHR_ROLE_FIXED };
  for (gsize r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      g_autofree gchar *text = shr_document_role_text (ctx->doc, roles[r]);
      if (text == NULL)
        continue;
      g_autofree gchar **lines = shr_text_split (text, "\n");
      GString *cur = g_string_new (NULL);
      gboolean open_colon = FALSE;
      for (guint i = 0;; i++)
        {
          const gchar *raw = lines[i];
          g_autofree gchar *t = raw ? g_strstrip (g_strdup (raw)) : NULL;
          gboolean end = raw == NULL;
          gboolean blank = !end && *t == '\0';
          gboolean bullet = !end && (shr_regex_test ("^(?:[-*•・●]|\\d{1,2}[.)-]|\\(\\d{1,2}\\))\\s*\\S", t));
          gboolean command = !end
                             && (g_str_has_prefix (t, "# ") || g_str_has_prefix (t, "$ ")
                                 || g_str_has_prefix (t, "(global)#"));
          if (command && open_colon)
            {
              const gchar *cmd = t + (t[0] == '(' ? strlen ("(global)#") : 2);
              g_string_append_printf (cur, "%s %s", cur->str[cur->len - 1] == ':' ? "" : ";", cmd);
              continue;
            }
          /* Commands may stand under their sentence after a blank line. */
          if (blank && open_colon)
            continue;
          if (end || blank || bullet
              || (cur->len > 0 && (g_str_has_suffix (cur->str, ".") || g_str_has_suffix (cur->str, "。"))))
            {
              if (cur->len > 0)
                {
                  gchar *step = g_strstrip (g_string_free (cur, FALSE));
                  /* "1. Upgrade …": the number is the list's, not the step's. */
                  g_autofree gchar *clean = g_regex_replace (
                      shr_regex ("^(?:[-*•・●]|\\d{1,2}[.)-]|\\(\\d{1,2}\\))\\s*"), step, -1, 0, "", 0, NULL);
                  if (g_str_has_suffix (clean, ":"))
                    clean[strlen (clean) - 1] = '\0';
                  if (is_step (clean))
                    add_step (ctx->record, clean);
                  g_free (step);
                  cur = g_string_new (NULL);
                }
              open_colon = FALSE;
              if (end)
                break;
              if (blank)
                continue;
            }
          if (cur->len > 0 && (guchar)t[0] < 0x80)
            g_string_append_c (cur, ' ');
          g_string_append (cur, t);
          open_colon = g_str_has_suffix (t, ":");
        }
      g_string_free (cur, TRUE);
    }
}

static void
collect_mitigations (ShrExtractContext *ctx, GPtrArray *sentences)
{
  mitigations_from_structure (ctx);
  static const gchar *pattern_en = "\\b(?:recommend|recommends|recommended|should|advise[sd]?|urge[sd]?|"
                                   "encourage[sd]?|must)\\b[^.]{0,80}\\b(?:upgrad|updat|patch|apply|install|"
                                   "disabl|block|restrict|mitigat|deploy|remov|rotat|reset|review|hunt)";
  static const gchar *pattern_ja = "(?:アップデート|更新|適用|対策|回避策|無効化|緩和策|バージョンアップ|"
                                   "修正)[^。]{0,40}(?:ください|推奨|求め|勧め|必要|してください|を実施)";
  static const gchar *const words[]
      = { "recommend",  "should",     "advise",   "urge",        "encourage",    "must",
          "workaround", "mitigation", "solution", "remediation", "アップデート", "更新",
          "適用",       "対策",       "回避策",   "無効化",      "緩和策",       "バージョンアップ",
          "修正",       NULL };
  g_autofree gboolean *candidates = shr_sentences_holding (ctx, sentences->len, words, TRUE);
  for (guint i = 0;
       candidates != NULL && i < sentences->len && ctx->record->mitigations->len < SHR_MAX_MITIGATIONS; i++)
    {
      if (!candidates[i])
        continue;
      const gchar *s = g_ptr_array_index (sentences, i);
      gsize bytes = strlen (s);
      if (bytes > 1200 || (bytes > 400 && g_utf8_strlen (s, -1) > 400))
        continue;
      gboolean ascii_only = TRUE;
      for (const guchar *c = (const guchar *)s; *c && ascii_only; c++)
        ascii_only = *c < 0x80;
      /* The English pattern's matches start at one of these words. */
      static const gchar *const en_starts[]
          = { "recommend",  "should",     "advise",   "urge",        "encourage", "must",
              "workaround", "mitigation", "solution", "remediation", NULL };
      g_autofree gchar *lower = ascii_lower (s);
      if ((match_near_words (pattern_en, s, lower, en_starts, 0, 130, NULL)
           || (!ascii_only && shr_regex_test (pattern_ja, s)))
          && is_step (s))
        add_step (ctx->record, s);
    }
}

/* Whether @s may name a release the way add_fixed_in()'s named pattern
 * reads it: each holds "CU" and a digit, or "RTM", in any case (a byte
 * outside ASCII may be a digit too). */
static gboolean
may_name_release (const gchar *s)
{
  if (strcasestr (s, "rtm") != NULL)
    return TRUE;
  for (const gchar *p = strcasestr (s, "cu"); p != NULL; p = strcasestr (p + 1, "cu"))
    if (g_ascii_isdigit (p[2]) || (guchar)p[2] >= 0x80)
      return TRUE;
  return FALSE;
}

/* Adds the versions of @s that lie after byte @after (-1: anywhere) and end
 * before byte @before (-1: anywhere), unless written as affected ("… and
 * earlier"), to the product named closest before each. Returns how many. */
static guint
add_fixed_in (ShrRecord *r, const gchar *s, const gchar *version, const gchar *affected_after, gint after,
              gint before)
{
  guint found = 0;
  /* Versions, and releases named the way some vendors name their fixes
   * ("Exchange Server 2019 CU15 SU3"); data/builds.tsv places the latter. */
  static const gchar *named = "(?<![\\w.])((?:(?-i:[A-Z])[\\w.]*\\s+){1,4}?(?:\\d{4}|SE|Subscription "
                              "Edition)\\s+(?:CU\\d+|RTM)(?:\\s+SU\\s?\\d+)?)(?![\\w])";
  const gchar *patterns[] = { version, may_name_release (s) ? named : NULL };
  for (gsize k = 0; k < G_N_ELEMENTS (patterns); k++)
    {
      if (patterns[k] == NULL)
        continue;
      g_auto (ShrMatches) m = { 0 };
      shr_matches_first (&m, patterns[k], s);
      while (shr_matches_found (&m))
        {
          gint start, end;
          shr_matches_pos (&m, 1, &start, &end);
          gboolean placed = (after < 0 || start >= after) && (before < 0 || end <= before);
          if (placed && !shr_regex_test (affected_after, s + end))
            {
              g_autofree gchar *v = shr_matches_fetch (&m, 1);
              ShrProduct *target = g_ptr_array_index (r->products, 0);
              gsize best = 0;
              for (guint j = 0; j < r->products->len; j++)
                {
                  ShrProduct *p = g_ptr_array_index (r->products, j);
                  const gchar *at = strstr (s, p->product);
                  if (at != NULL && at < s + start && (gsize)(at - s) >= best)
                    {
                      best = at - s;
                      target = p;
                    }
                }
              /* "Exchange Server 2019 CU15 SU3" of the product Exchange Server
               * is its release "2019 CU15 SU3": notices print the product
               * name before each fixed version. */
              const gchar *kept = v;
              gsize plen = strlen (target->product);
              if (k == 1 && g_ascii_strncasecmp (v, target->product, plen) == 0 && v[plen] == ' ')
                kept = v + plen + 1;
              if (target->fixed->len < 20 && shr_strv_add_unique (target->fixed, kept))
                found++;
            }
          shr_matches_next (&m);
        }
    }
  return found;
}

/* Fixed versions as prose and lists give them: "upgrade to 7.4.6 or
 * later", "fixed in PAN-OS 11.2.6", 「22.7R2.6 で修正」, a list under
 * 「修正済みバージョン」/"Fixed versions". A version written as affected
 * ("7.4.5 and earlier", 「…およびそれ以前」) is not taken. */
static void
collect_fixed_versions (ShrExtractContext *ctx, GPtrArray *sentences)
{
  ShrRecord *r = ctx->record;
  if (r->products->len == 0)
    return;
  /* A distribution's packages have their fixes from the package lists;
   * prose adds the versions a vendor names ("fixed in PAN-OS 10.1.14-h8,
   * PAN-OS 10.2.10-h12, …", "Additional PAN-OS 11.1 fixes:" over a list). */
  if (g_strcmp0 (r->source_kind, "dsa") == 0 || g_strcmp0 (r->source_kind, "usn") == 0
      || g_strcmp0 (r->source_kind, "rhsa") == 0)
    return;
  for (guint i = 0; i < r->products->len; i++)
    if (((ShrProduct *)g_ptr_array_index (r->products, i))->ecosystem != NULL)
      return;
  /* Cues the fixed versions follow, and (Japanese) cues they precede. */
  static const gchar *cue_before
      = "(?:fixed in|fixed versions?|upgrade to|update to|updated to|patched in|resolved in|addressed "
        "in|first fixed|fixed release|install the"
        "|\\bfixes\\s*[:：]|\\bfixes (?:are|were) (?:available|released) (?:in|for)"
        "|修正済み|修正版|修正バージョン|対策済み|修正した|修正された)";
  static const gchar *cue_after = "(?:で修正|へアップデート|にアップデート|へ更新|に更新|以降へ|以降に)";
  static const gchar *version
      = "(?<![A-Za-z0-9_.])(?:(?i:ver)\\.?\\s?)?([vV]?\\d+(?:\\.\\d+)+(?:R\\d+(?:\\.\\d+)*-S\\d+(?:\\.\\d+)*|"
        "[a-zA-"
        "Z]\\w*|-h\\d+|R\\d+(?:\\.\\d+)*|-\\d+sv|-\\d+\\.\\d+(?:\\.\\d+)*|\\([\\w.]+\\)\\w*| "
        "(?-i:U)\\d[a-z]?)?)(?![A-Za-z0-9_]|\\.\\d)";
  static const gchar *affected_after
      = "^\\s*(?:and|or)?\\s*(?:earlier|before|prior|or lower|and below|およびそれ以前|以前|より前|未満)";
  static const gchar *const before_words[]
      = { "fixed",       "fixes",        "upgrade to",  "update to", "updated to", "patched in",
          "resolved in", "addressed in", "install the", "修正",      "対策済み",   NULL };
  static const gchar *const after_words[] = { "で修正", "アップデート", "更新", "以降へ", "以降に", NULL };
  g_autofree gboolean *before = shr_sentences_holding (ctx, sentences->len, before_words, TRUE);
  g_autofree gboolean *after = shr_sentences_holding (ctx, sentences->len, after_words, TRUE);
  for (guint i = 0; (before != NULL || after != NULL) && i < sentences->len; i++)
    {
      if (!(before != NULL && before[i]) && !(after != NULL && after[i]))
        continue;
      const gchar *s = g_ptr_array_index (sentences, i);
      /* Rows of a table run together ("… 7.4.0 through 7.4.7       Upgrade
       * to 7.4.8 or above FortiOS 7.2 …"): the table was read cell by
       * cell, where a train's label is no fix. */
      if (strstr (s, " | ") != NULL || strstr (s, "   ") != NULL)
        continue;
      gint cue_start = -1, cue_end = -1;
      gboolean versions_precede = FALSE;
      g_autoptr (GMatchInfo) cm = NULL;
      if (g_regex_match (shr_regex (cue_before), s, 0, &cm))
        g_match_info_fetch_pos (cm, 0, &cue_start, &cue_end);
      else
        {
          g_clear_pointer (&cm, g_match_info_unref);
          if (!g_regex_match (shr_regex (cue_after), s, 0, &cm))
            continue;
          g_match_info_fetch_pos (cm, 0, &cue_start, &cue_end);
          versions_precede = TRUE;
        }
      guint found = add_fixed_in (r, s, version, affected_after, versions_precede ? -1 : cue_end,
                                  versions_precede ? cue_start : -1);
      /* "… update to the following fixed versions:" then a list, one
       * product and version per item. */
      if (found == 0 && !versions_precede)
        for (guint j = i + 1; j < sentences->len; j++)
          {
            const gchar *item = g_ptr_array_index (sentences, j);
            if (!(g_str_has_prefix (item, "- ") || g_str_has_prefix (item, "* ")
                  || g_str_has_prefix (item, "・") || g_str_has_prefix (item, "•")))
              break;
            add_fixed_in (r, item, version, affected_after, 0, -1);
          }
    }
}

static void
decide_category (ShrExtractContext *ctx)
{
  ShrRecord *r = ctx->record;
  if (r->category != NULL)
    return;
  const gchar *t = r->title ? r->title : "";
  if (r->threat_actors->len > 0 && r->sectors->len > 0)
    r->category = g_strdup ("campaign");
  else if (shr_regex_test ("\\b(?:hacked|breach|stole|stolen|data leak|ransomware "
                           "attack)\\b|不正アクセス|情報漏え?洩?い|被害",
                           t))
    r->category = g_strdup ("incident");
  else if (shr_regex_test ("\\bcampaign\\b|攻撃キャンペーン", t) || r->threat_actors->len > 0)
    r->category = g_strdup ("campaign");
  else if (shr_regex_test ("monthly|patch tuesday|security updates? "
                           "(?:release|guide)|月例|セキュリティ更新プログラム",
                           t))
    r->category = g_strdup ("patch");
  else if (r->cves->len > 0
           || shr_regex_test ("vulnerabilit|flaw|脆弱性|security (?:update|advisory)|zero-day", t))
    r->category = g_strdup ("vulnerability");
  else
    r->category = g_strdup ("information");
}

/* Whatever a recogniser took from the body, a title or an id is one line
 * (it goes into mail headers later): controls and runs of white space
 * become one space, and it is cut to a sane length. */
static void
make_one_line (gchar **field, gsize max_bytes)
{
  if (*field == NULL)
    return;
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  for (const guchar *p = (const guchar *)*field; *p; p++)
    {
      if (*p < 0x20 || *p == ' ' || *p == 0x7f)
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  if (out->len > max_bytes)
    {
      const gchar *end = g_utf8_find_prev_char (out->str, out->str + max_bytes + 1);
      g_string_truncate (out, end ? (gsize)(end - out->str) : 0);
    }
  g_free (*field);
  *field = g_string_free (out, FALSE);
}

static gchar *
make_head (const gchar *body)
{
  GString *head = g_string_new (NULL);
  guint lines = 0;
  for (const gchar *p = body; *p && lines < 30;)
    {
      const gchar *nl = strchr (p, '\n');
      gsize len = nl ? (gsize)(nl - p) : strlen (p);
      gboolean blank = TRUE;
      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isspace (p[i]))
          blank = FALSE;
      if (!blank)
        {
          g_string_append_len (head, p, len);
          g_string_append_c (head, '\n');
          lines++;
        }
      p = nl ? nl + 1 : p + len;
    }
  return g_string_free (head, FALSE);
}

ShrRecord *
shr_extract_message (const ShrMessage *message, const ShrLexicon *lexicon)
{
  g_return_val_if_fail (message != NULL && lexicon != NULL, NULL);
  ShrRecord *record = shr_record_new ();
  for (guint i = 0; i < message->warnings->len; i++)
    shr_strv_add_unique (record->warnings, g_ptr_array_index (message->warnings, i));

  record->message_id = g_strdup (message->message_id);
  record->date = g_strdup (message->date ? message->date : message->outer_date);
  record->from = g_strdup (message->from);
  record->forwarded_by = g_strdup (message->forwarded_by);

  g_autofree gchar *subject = clean_subject (message->subject);
  if (*subject == '\0' && message->html_title != NULL)
    {
      g_free (subject);
      subject = clean_subject (message->html_title);
    }
  ShrExtractContext ctx = {
    .message = message,
    .lexicon = lexicon,
    .record = record,
    .subject = subject,
    .from = message->from ? message->from : "",
    .body = message->body ? message->body : "",
  };
  ctx.head = make_head (ctx.body);
  ctx.ids = g_strconcat (ctx.subject, "\n", ctx.head, NULL);
  ctx.ids_lower = ascii_lower (ctx.ids);
  if (*subject != '\0')
    {
      record->title = g_strdup (subject);
      shr_record_set_evidence (record, "title", message->subject);
    }

  detect_language (&ctx);
  collect_cves (&ctx);
  ctx.doc = shr_document_parse (ctx.body);

  for (const ShrRecognizer *const *r = shr_recognizers (); *r != NULL; r++)
    if ((*r)->detect (&ctx))
      {
        (*r)->extract (&ctx);
        break;
      }

  /* The subject is a sentence too: "… Under Active Attack". */
  g_autofree gchar *text = g_strconcat (subject, "\n\n", ctx.body, NULL);
  ctx.scan_text = text;
  ctx.body_offset = strlen (subject) + 2;
  g_autoptr (GPtrArray) sentences = split_sentences (text);
  join_sentences (&ctx, sentences);

  collect_cvss (&ctx, sentences);
  collect_cvss_table (&ctx);
  collect_severity (&ctx, sentences);
  if (record->exploited == SHR_TRISTATE_UNKNOWN)
    collect_exploitation (&ctx, sentences);
  g_autoptr (GArray) hits = shr_lexicon_scan_all (lexicon, text);
  if (!ctx.products_exact)
    {
      add_product_hits (&ctx, text, hits);
      if (g_strcmp0 (record->source_kind, "news") == 0 || g_strcmp0 (record->source_kind, "other") == 0)
        add_quoted_products (&ctx, text);
    }
  shr_campaign_collect (&ctx, text, hits);
  collect_references (&ctx);
  find_source_url (&ctx);
  find_summary (&ctx);
  collect_mitigations (&ctx, sentences);
  gboolean packages = FALSE;
  for (guint i = 0; i < record->products->len; i++)
    packages |= ((ShrProduct *)g_ptr_array_index (record->products, i))->ecosystem != NULL;
  if (!packages && g_strcmp0 (record->source_kind, "dsa") != 0 && g_strcmp0 (record->source_kind, "usn") != 0
      && g_strcmp0 (record->source_kind, "rhsa") != 0)
    {
      shr_affected_from_structure (&ctx, ctx.doc);
      shr_affected_from_prose (&ctx, ctx.doc);
    }
  collect_fixed_versions (&ctx, sentences);
  if (!packages)
    shr_affected_versions_in_sentences (&ctx, sentences);
  shr_affected_derive_ranges (record);
  shr_affected_unaffected (&ctx, sentences);
  shr_affected_conditions (&ctx, ctx.doc, sentences);
  shr_affected_vendors_by_short_name (&ctx, ctx.body);

  make_one_line (&record->title, SHR_MAX_SUBJECT_BYTES);
  make_one_line (&record->advisory_id, 128);
  make_one_line (&record->source_name, 200);
  if (record->source_url != NULL && strpbrk (record->source_url, " \t\r\n") != NULL)
    *strpbrk (record->source_url, " \t\r\n") = '\0';
  shr_record_finish (record);
  /* A severity is what the text states; a CVSS score is kept as the
   * score (matching weighs both), not turned into a word it never wrote. */
  decide_category (&ctx);
  if (record->source_kind == NULL)
    record->source_kind = g_strdup ("other");
  if (record->title == NULL)
    shr_record_add_warning (record, "no subject or title found");
  g_free (ctx.head);
  g_free (ctx.ids);
  g_free (ctx.ids_lower);
  g_free (ctx.sentence_text);
  g_free (ctx.sentence_lower);
  g_free (ctx.pair_head);
  g_free (ctx.pair_next);
  g_array_unref (ctx.sentence_starts);
  if (ctx.named_vendors != NULL)
    g_hash_table_unref (ctx.named_vendors);
  shr_document_free (ctx.doc);
  return record;
}

ShrRecord *
shr_extract_file (const gchar *path, const ShrLexicon *lexicon, GError **error)
{
  g_autoptr (ShrMessage) message = shr_message_read_file (path, error);
  if (message == NULL)
    return NULL;
  return shr_extract_message (message, lexicon);
}

/* ---- digests: several advisories in one mail -------------------------------- */

typedef struct
{
  gsize start;  /* of the item's first line in the body */
  gchar *id;    /* what tells the items apart */
  gchar *title; /* the item's first line, markers removed */
} ItemStart;

static void
item_start_clear (ItemStart *s)
{
  g_free (s->id);
  g_free (s->title);
}

/* Whether the last line with text before offset AT is a rule (=====). */
static gboolean
follows_rule (const gchar *body, gsize at)
{
  gsize end = at;
  while (end > 0)
    {
      gsize start = end - 1;
      while (start > 0 && body[start - 1] != '\n')
        start--;
      g_autofree gchar *line = g_strstrip (g_strndup (body + start, end - start));
      if (*line != '\0')
        return shr_regex_test ("^(?:-{20,}|={20,}|_{20,}|\\*{20,}|━{10,}|─{10,})$", line);
      end = start;
    }
  return FALSE;
}

/* Where the items of a digest start: lines that open with an advisory id
 * (a JVN or JVN iPedia feed, a list's digest of DSA or USN notices), a
 * numbered bracket heading (JPCERT/CC's weekly 【1】, 【2】), or — in a
 * KEV alert — a CVE id followed by the product and the flaw. Never inside
 * references or credits. (transfer full) */
static GArray *
find_items (const ShrRecord *parent, const gchar *body, ShrDocument **doc)
{
  GArray *starts = g_array_new (FALSE, TRUE, sizeof (ItemStart));
  g_array_set_clear_func (starts, (GDestroyNotify)item_start_clear);
  static const gchar *ids = "^[ \\t]*(?:[-*•・■◆●]\\s*|\\d{1,2}[.)]\\s+|\\(\\d{1,2}\\)\\s*)?"
                            "(JVNDB-\\d{4}-\\d{6}|JVN(?:VU|TA)?#\\d{6,8}|\\[?(?:DSA|DLA)[- "
                            "]\\d{3,5}-\\d{1,2}\\]?|USN-\\d{1,5}-\\d{1,2}"
                            "|RH[SBE]A-\\d{4}:\\d{3,6}|GLSA[ "
                            "-]\\d{6}-\\d{2}|ICSA-\\d{2}-\\d{3}-\\d{2}|FG-IR-\\d{2}-\\d{3,5})(?![\\w-])";
  static const gchar *brackets = "^[ \\t]*【(\\d{1,2})】\\s*(\\S.{2,})$";
  static const gchar *kev_lines
      = "^[ \\t]*(?:[-*•]\\s*)?(CVE-\\d{4}-\\d{4,7})[ \\t]+(?!\\()([A-Z][^\\n:|]{8,})$";
  /* Each pattern runs over the whole body, so it runs only when the body
   * holds a literal every match of it contains: most mails are no
   * digest, and these two were the costliest GRegex matches of ingest.
   * Every id of the pattern below starts with one of id_literals (lower
   * case): an id added to the pattern needs its literal here too, or
   * digests of it are read as one advisory. */
  g_autofree gchar *lower = shr_ascii_lower_len (body, strlen (body));
  static const gchar *const id_literals[]
      = { "jvn", "dsa", "dla", "usn-", "rhsa-", "rhba-", "rhea-", "glsa", "icsa-", "fg-ir-", NULL };
  gboolean may_have_ids = FALSE;
  for (gsize i = 0; id_literals[i] != NULL && !may_have_ids; i++)
    may_have_ids = strstr (lower, id_literals[i]) != NULL;
  const gchar *patterns[] = { may_have_ids ? ids : NULL, strstr (body, "【") != NULL ? brackets : NULL,
                              parent->kev ? kev_lines : NULL };
  for (gsize k = 0; k < G_N_ELEMENTS (patterns); k++)
    {
      if (patterns[k] == NULL)
        continue;
      g_array_set_size (starts, 0);
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_auto (ShrMatches) m = { 0 };
      shr_matches_first (&m, patterns[k], body);
      for (; shr_matches_found (&m); shr_matches_next (&m))
        {
          gint at = 0, end = 0;
          shr_matches_pos (&m, 0, &at, &end);
          /* The structure is read only for a mail that has such lines:
           * most have none, and it costs a tenth of their extraction. */
          if (*doc == NULL)
            *doc = shr_document_parse (body);
          ShrRole role = shr_document_role_at (*doc, at);
          /* The previous item's references run on until the next heading;
           * a rule over the line says a new item starts there. */
          if ((role == SHR_ROLE_REFERENCES || role == SHR_ROLE_ACKNOWLEDGEMENTS || role == SHR_ROLE_HISTORY
               || role == SHR_ROLE_CONTACT)
              && !follows_rule (body, at))
            continue;
          g_autofree gchar *id = shr_matches_fetch (&m, 1);
          g_autofree gchar *upper = g_ascii_strup (id, -1);
          /* The item's first lines, up to a blank one, are its title
           * ("CVE-2026-24472 Fortinet FortiOS Authentication Bypass Using an
           * / Alternate Path or Channel Vulnerability"). */
          GString *line = g_string_new (NULL);
          for (const gchar *p = body + at; *p && line->len < 300;)
            {
              const gchar *nl = strchr (p, '\n');
              gsize ll = nl ? (gsize)(nl - p) : strlen (p);
              g_autofree gchar *piece = g_strstrip (g_strndup (p, ll));
              if (*piece == '\0'
                  || (line->len > 0
                      && (shr_regex_test (patterns[k], piece) || strstr (piece, "://") != NULL)))
                break;
              if (line->len > 0)
                g_string_append_c (line, (guchar)piece[0] < 0x80 ? ' ' : '\0');
              g_string_append (line, piece);
              line->len = strlen (line->str);
              if (nl == NULL || (guchar)piece[0] >= 0x80)
                break;
              p = nl + 1;
            }
          g_autofree gchar *title = g_regex_replace (
              shr_regex ("^[ \\t]*(?:[-*•・■◆●]\\s*|\\d{1,2}[.)]\\s+|\\(\\d{1,2}\\)\\s*|【\\d{1,2}】\\s*)?"),
              line->str, -1, 0, "", 0, NULL);
          g_string_free (line, TRUE);
          ItemStart s = { (gsize)at, g_steal_pointer (&upper), g_strstrip (g_steal_pointer (&title)) };
          /* Named twice (a table of contents, then the item): the later
           * place is the item's. */
          gboolean replaced = FALSE;
          for (guint j = 0; j < starts->len && !replaced; j++)
            {
              ItemStart *o = &g_array_index (starts, ItemStart, j);
              if (strcmp (o->id, s.id) == 0)
                {
                  item_start_clear (o);
                  *o = s;
                  replaced = TRUE;
                }
            }
          if (!replaced)
            g_array_append_val (starts, s);
          g_hash_table_add (seen, g_strdup (s.id));
        }
      /* In the order they stand in the mail. */
      for (guint a = 0; a < starts->len; a++)
        for (guint b = a + 1; b < starts->len; b++)
          if (g_array_index (starts, ItemStart, b).start < g_array_index (starts, ItemStart, a).start)
            {
              ItemStart t = g_array_index (starts, ItemStart, a);
              g_array_index (starts, ItemStart, a) = g_array_index (starts, ItemStart, b);
              g_array_index (starts, ItemStart, b) = t;
            }
      if (starts->len >= 2)
        return starts;
    }
  g_array_set_size (starts, 0);
  return starts;
}

GPtrArray *
shr_extract_items (const ShrMessage *message, const ShrLexicon *lexicon)
{
  return shr_extract_items_with_text (message, lexicon, NULL);
}

GPtrArray *
shr_extract_items_with_text (const ShrMessage *message, const ShrLexicon *lexicon, GPtrArray **texts)
{
  g_return_val_if_fail (message != NULL && lexicon != NULL, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_record_free);
  ShrRecord *whole = shr_extract_message (message, lexicon);
  const gchar *body = message->body ? message->body : "";
  if (texts != NULL)
    *texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (ShrDocument) doc = NULL;
  g_autoptr (GArray) starts = find_items (whole, body, &doc);
  if (starts->len < 2 || starts->len > SHR_MAX_DIGEST_ITEMS_PER_MAIL)
    {
      if (starts->len > SHR_MAX_DIGEST_ITEMS_PER_MAIL)
        shr_record_add_warning (whole, "a digest of %u items: more than %d, read as one advisory",
                                starts->len, SHR_MAX_DIGEST_ITEMS_PER_MAIL);
      g_ptr_array_add (out, whole);
      if (texts != NULL)
        g_ptr_array_add (*texts, g_strdup (body));
      return out;
    }
  gsize len = strlen (body);
  for (guint i = 0; i < starts->len; i++)
    {
      const ItemStart *s = &g_array_index (starts, ItemStart, i);
      gsize end = i + 1 < starts->len ? g_array_index (starts, ItemStart, i + 1).start : len;
      /* An item ends at a rule that parts it from what follows. */
      gboolean ruled = FALSE;
      {
        const gchar *nl = strchr (body + s->start, '\n');
        g_autoptr (GMatchInfo) rm = NULL;
        if (nl != NULL && (gsize)(nl - body) < end
            && g_regex_match_full (shr_regex ("^[ \\t]*(?:-{20,}|={20,}|_{20,}|\\*{20,})[ \\t]*$"), body, end,
                                   nl - body, 0, &rm, NULL))
          {
            gint rs = 0;
            g_match_info_fetch_pos (rm, 0, &rs, NULL);
            end = rs;
            ruled = TRUE;
          }
      }
      /* The last item ends where the mail's own trailer starts, unless a
       * rule already parts them: then the sections are the item's own. */
      if (i + 1 == starts->len && !ruled)
        for (guint k = 0; k < doc->sections->len; k++)
          {
            const ShrSection *sec = g_ptr_array_index (doc->sections, k);
            if (sec->heading_start > s->start
                && (sec->role == SHR_ROLE_REFERENCES || sec->role == SHR_ROLE_CONTACT
                    || sec->role == SHR_ROLE_HISTORY))
              {
                end = MIN (end, sec->heading_start);
                break;
              }
          }
      g_autofree gchar *text = g_strndup (body + s->start, end - s->start);
      g_autoptr (ShrMessage) item = shr_message_new_item (message, s->title, text);
      ShrRecord *r = shr_extract_message (item, lexicon);
      /* What the digest says of all its items: the source, and for a KEV
       * alert that each was added for being exploited. */
      if (g_strcmp0 (r->source_kind, "other") == 0 || g_strcmp0 (r->source_kind, "news") == 0)
        {
          g_free (r->source_kind);
          r->source_kind = g_strdup (whole->source_kind);
          g_free (r->source_name);
          r->source_name = g_strdup (whole->source_name);
        }
      if (r->source_url == NULL)
        r->source_url = g_strdup (whole->source_url);
      if (whole->kev)
        {
          r->kev = TRUE;
          if (r->exploited != SHR_TRISTATE_TRUE)
            {
              r->exploited = SHR_TRISTATE_TRUE;
              g_free (r->exploited_evidence);
              r->exploited_evidence = g_strdup (whole->exploited_evidence);
              if (whole->exploited_evidence != NULL)
                shr_record_set_evidence (r, "exploited", whole->exploited_evidence);
            }
        }
      r->item = i + 1;
      r->items = starts->len;
      /* The mail's own title: a recognizer may have taken the first
       * item's for the whole. */
      g_autofree gchar *subject = clean_subject (message->subject);
      r->digest_title = *subject != '\0' ? g_steal_pointer (&subject) : g_strdup (whole->title);
      g_ptr_array_add (out, r);
      if (texts != NULL)
        g_ptr_array_add (*texts, g_steal_pointer (&text));
    }
  shr_record_free (whole);
  return out;
}

GPtrArray *
shr_extract_file_items (const gchar *path, const ShrLexicon *lexicon, GError **error)
{
  g_autoptr (ShrMessage) message = shr_message_read_file (path, error);
  if (message == NULL)
    return NULL;
  return shr_extract_items (message, lexicon);
}
