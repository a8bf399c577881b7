/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-lexicon.h"

#include <string.h>

#include "shr-error.h"

typedef struct
{
  gchar *norm; /* normalised alias */
  gsize len;
  ShrLexiconKind kind;
  gconstpointer entry;
  gboolean latin_end;    /* ends in a Latin letter or digit: needs a boundary */
  gboolean needs_vendor; /* an everyday word too ("Office", "Edge"): see ShrLexiconHit */
  gconstpointer homonym; /* another product written the same (Cisco IOS, Apple iOS) */
} Alias;

struct _ShrLexicon
{
  GPtrArray *products; /* ShrProductEntry* */
  GPtrArray *actors;   /* ShrActorEntry* */
  GPtrArray *sectors;  /* ShrLabelEntry* */
  GPtrArray *regions;  /* ShrLabelEntry* */
  GStringChunk *strings;
  GPtrArray *aliases; /* Alias* (owned) */
  /* Aliases by their first three bytes (longest first), so a word of the
   * text is compared only with the few aliases that can match it; aliases
   * of one or two bytes by their first byte. A bitmap of first byte pairs
   * spares the hash lookup at most places. */
  GHashTable *by_prefix; /* guint32 b0<<16|b1<<8|b2 -> GPtrArray of Alias* */
  GPtrArray *short_by_byte[256];
  guint8 pair_bits[65536 / 8];
  GHashTable *product_names; /* normalised name -> ShrProductEntry* */
  GPtrArray *alias_vectors;  /* gchar** owned, for ShrProductEntry.aliases */
};

static void
alias_free (Alias *a)
{
  g_free (a->norm);
  g_free (a);
}

static void
append_normalized_char (GString *out, const gchar *p, gsize char_len)
{
  guchar c = *p;
  if (c < 0x80)
    {
      g_string_append_c (out, g_ascii_tolower (c));
      return;
    }
  /* Kana, kanji and Japanese punctuation are their own NFKC casefold
   * (U+3000, the ideographic space, is not): the bulk of Japanese text
   * needs no Unicode tables. */
  gunichar u = g_utf8_get_char (p);
  if ((u > 0x3000 && u <= 0x30FF && u != 0x309B && u != 0x309C) || (u >= 0x4E00 && u <= 0x9FFF))
    {
      g_string_append_len (out, p, char_len);
      return;
    }
  /* Full-width ASCII (Ａ, ０, （) and the ideographic space are, under NFKC,
   * their ASCII counterparts. */
  if (u >= 0xFF01 && u <= 0xFF5E)
    {
      gchar a = (gchar)(u - 0xFEE0);
      g_string_append_c (out, (a >= 'A' && a <= 'Z') ? a + 32 : a);
      return;
    }
  if (u == 0x3000)
    {
      g_string_append_c (out, ' ');
      return;
    }
  g_autofree gchar *nfkc = g_utf8_normalize (p, char_len, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return;
  g_autofree gchar *folded = g_utf8_casefold (nfkc, -1);
  /* NFKC turns "ｱ" into "ア" and "Ａ" into "A" but also some symbols into
   * sequences with spaces; keep what it gives. */
  g_string_append (out, folded);
}

/* Normalises @text and records, for every output byte, the input offset of
 * the character it came from, so hits can be reported in the caller's
 * text. */
static gchar *
normalize_mapped (const gchar *text, GArray *map)
{
  /* Runs over every advisory's whole text: the common characters (ASCII,
   * kana, kanji) are copied into a raw buffer, with the offset map written
   * alongside; only the rest goes through the Unicode tables. */
  gsize len = strlen (text);
  gsize cap = len + 64;
  gchar *out = g_malloc (cap);
  gsize *offsets = map != NULL ? g_new (gsize, cap) : NULL;
  gsize used = 0;
  GString *scratch = NULL;
  const guchar *p = (const guchar *)text;
  while (*p)
    {
      gsize off = (const gchar *)p - text;
      const guchar *next;
      const gchar *piece;
      gsize piece_len;
      gchar one;
      if (*p < 0x80)
        {
          one = (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
          piece = &one;
          piece_len = 1;
          next = p + 1;
        }
      else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80
               && (((p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F)) - 0x3001u
                       < 0x30FFu - 0x3001u + 1
                   || (p[0] >= 0xE4 && p[0] <= 0xE9)))
        {
          /* Kana, CJK punctuation (U+3001–U+30FF) and kanji (U+4E00–U+9FFF,
           * lead bytes E4–E9) are their own NFKC casefold, with the two
           * spacing sound marks of U+309B/C, which append_normalized_char
           * handles, as the exception. */
          guint u = (p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F);
          if (u == 0x309B || u == 0x309C)
            goto slow;
          piece = (const gchar *)p;
          piece_len = 3;
          next = p + 3;
        }
      else
        {
        slow:
          next = (const guchar *)g_utf8_next_char (p);
          if (scratch == NULL)
            scratch = g_string_sized_new (16);
          g_string_truncate (scratch, 0);
          append_normalized_char (scratch, (const gchar *)p, next - p);
          piece = scratch->str;
          piece_len = scratch->len;
        }
      if (used + piece_len + 1 > cap)
        {
          cap = MAX (cap * 2, used + piece_len + 1);
          out = g_realloc (out, cap);
          if (offsets != NULL)
            offsets = g_renew (gsize, offsets, cap);
        }
      for (gsize i = 0; i < piece_len; i++)
        {
          out[used] = piece[i];
          if (offsets != NULL)
            offsets[used] = off;
          used++;
        }
      p = next;
    }
  out[used] = '\0';
  if (offsets != NULL)
    {
      offsets[used] = (const gchar *)p - text;
      g_array_set_size (map, 0);
      g_array_append_vals (map, offsets, used + 1);
      g_free (offsets);
    }
  if (scratch != NULL)
    g_string_free (scratch, TRUE);
  return out;
}

gchar *
shr_lexicon_normalize (const gchar *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree gchar *valid = g_utf8_make_valid (text, -1);
      return normalize_mapped (valid, NULL);
    }
  return normalize_mapped (text, NULL);
}

static gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);
  return c < 0x3000 && g_unichar_isalnum (c);
}

static gint
compare_alias_length (gconstpointer a, gconstpointer b)
{
  const Alias *x = *(Alias *const *)a;
  const Alias *y = *(Alias *const *)b;
  return (x->len < y->len) - (x->len > y->len);
}

static void
add_alias_full (ShrLexicon *lex, const gchar *name, ShrLexiconKind kind, gconstpointer entry,
                gboolean needs_vendor)
{
  gchar *norm = shr_lexicon_normalize (name);
  g_strstrip (norm);
  if (*norm == '\0')
    {
      g_free (norm);
      return;
    }
  Alias *a = g_new0 (Alias, 1);
  a->norm = norm;
  a->len = strlen (norm);
  a->kind = kind;
  a->entry = entry;
  a->needs_vendor = needs_vendor;
  const gchar *last = g_utf8_prev_char (norm + a->len);
  a->latin_end = is_word_char (g_utf8_get_char (last));
  g_ptr_array_add (lex->aliases, a);
  const guchar *b = (const guchar *)norm;
  GPtrArray *list;
  if (a->len < 3)
    {
      if (lex->short_by_byte[b[0]] == NULL)
        lex->short_by_byte[b[0]] = g_ptr_array_new ();
      list = lex->short_by_byte[b[0]];
    }
  else
    {
      guint pair = (b[0] << 8) | b[1];
      lex->pair_bits[pair / 8] |= 1 << (pair % 8);
      guint32 key = (b[0] << 16) | (b[1] << 8) | b[2];
      list = g_hash_table_lookup (lex->by_prefix, GUINT_TO_POINTER (key));
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (lex->by_prefix, GUINT_TO_POINTER (key), list);
        }
    }
  /* The same words for another product ("IOS" of Cisco, "iOS" of Apple):
   * one alias carries both, and the vendor named in the mail decides. */
  for (guint i = 0; i < list->len; i++)
    {
      Alias *same = g_ptr_array_index (list, i);
      if (same->kind == kind && same->entry != entry && strcmp (same->norm, norm) == 0)
        {
          if (same->homonym == NULL)
            same->homonym = entry;
          same->needs_vendor |= needs_vendor;
          return;
        }
    }
  g_ptr_array_add (list, a);
}

gchar *
shr_lexicon_read_data (const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  GError *local = NULL;
  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return NULL;
    }
  if (!g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE, "%s: not valid UTF-8", path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* Reads a TSV data file; calls @row for each non-comment line. */
static gboolean
read_tsv (const gchar *path, guint min_fields, void (*row) (ShrLexicon *, gchar **, guint), ShrLexicon *lex,
          GError **error)
{
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      gchar *line = lines[n];
      gsize len = strlen (line);
      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (line[0] == '#' || line[0] == '\0')
        continue;
      g_auto (GStrv) fields = g_strsplit (line, "\t", -1);
      guint count = g_strv_length (fields);
      if (count < min_fields)
        {
          g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                       "%s:%u: %u tab-separated fields expected, %u found", path, n + 1, min_fields, count);
          return FALSE;
        }
      row (lex, fields, count);
    }
  return TRUE;
}

static void
add_alias (ShrLexicon *lex, const gchar *name, ShrLexiconKind kind, gconstpointer entry)
{
  add_alias_full (lex, name, kind, entry, FALSE);
}

/* A leading '~' on a product name or alias in products.tsv marks a word
 * that is also everyday English ("~Office", "~Edge", "~HTTP Server"): it
 * names the product only where its vendor is named too. */
static const gchar *
strip_everyday_mark (const gchar *s, gboolean *marked)
{
  *marked = s != NULL && s[0] == '~';
  return *marked ? s + 1 : s;
}

static const gchar *
intern (ShrLexicon *lex, const gchar *s)
{
  if (s == NULL)
    return NULL;
  g_autofree gchar *stripped = g_strstrip (g_strdup (s));
  if (*stripped == '\0')
    return NULL;
  return g_string_chunk_insert_const (lex->strings, stripped);
}

static void
product_row (ShrLexicon *lex, gchar **f, guint n)
{
  ShrProductEntry *e = g_malloc0 (sizeof *e);
  e->vendor = intern (lex, f[0]);
  gboolean everyday = FALSE;
  e->product = intern (lex, strip_everyday_mark (f[1], &everyday));
  gchar **aliases = (n > 2 && *f[2]) ? g_strsplit (f[2], "|", -1) : g_new0 (gchar *, 1);
  g_ptr_array_add (lex->alias_vectors, aliases);
  e->aliases = (const gchar *const *)aliases;
  g_ptr_array_add (lex->products, e);

  if (e->product != NULL)
    {
      add_alias_full (lex, e->product, SHR_LEXICON_PRODUCT, e, everyday);
      if (e->vendor != NULL && !g_str_has_prefix (e->product, e->vendor))
        {
          g_autofree gchar *full = g_strdup_printf ("%s %s", e->vendor, e->product);
          add_alias (lex, full, SHR_LEXICON_PRODUCT, e);
        }
    }
  else if (e->vendor != NULL)
    add_alias (lex, e->vendor, SHR_LEXICON_PRODUCT, e);
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      if (g_str_has_prefix (aliases[i], "cpe:") || g_str_has_prefix (aliases[i], "pkg:"))
        continue;
      gboolean alias_everyday = FALSE;
      const gchar *alias = strip_everyday_mark (aliases[i], &alias_everyday);
      add_alias_full (lex, alias, SHR_LEXICON_PRODUCT, e, alias_everyday);
    }
  /* Lookup by exact name: every spelling, package and CPE name. */
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  if (e->product)
    g_ptr_array_add (names, g_strdup (e->product));
  if (e->product && e->vendor)
    g_ptr_array_add (names, g_strdup_printf ("%s %s", e->vendor, e->product));
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      gboolean unused;
      const gchar *a = strip_everyday_mark (aliases[i], &unused);
      if (g_str_has_prefix (a, "pkg:"))
        a += 4;
      g_ptr_array_add (names, g_strdup (a));
    }
  for (guint i = 0; i < names->len; i++)
    {
      gchar *norm = shr_lexicon_normalize (g_ptr_array_index (names, i));
      g_strstrip (norm);
      if (e->product != NULL && !g_hash_table_contains (lex->product_names, norm))
        g_hash_table_insert (lex->product_names, norm, e);
      else
        g_free (norm);
    }
  g_ptr_array_unref (names);
}

static void
actor_row (ShrLexicon *lex, gchar **f, guint n)
{
  ShrActorEntry *e = g_malloc0 (sizeof *e);
  e->name = intern (lex, f[0]);
  e->country = n > 2 ? intern (lex, f[2]) : NULL;
  g_ptr_array_add (lex->actors, e);
  add_alias (lex, e->name, SHR_LEXICON_ACTOR, e);
  if (n > 1 && *f[1])
    {
      g_auto (GStrv) aliases = g_strsplit (f[1], "|", -1);
      for (guint i = 0; aliases[i] != NULL; i++)
        add_alias (lex, aliases[i], SHR_LEXICON_ACTOR, e);
    }
}

static void
label_row (ShrLexicon *lex, gchar **f, guint n, GPtrArray *into, ShrLexiconKind kind)
{
  ShrLabelEntry *e = g_malloc0 (sizeof *e);
  e->key = intern (lex, f[0]);
  e->label_ja = intern (lex, f[1]);
  e->label_en = intern (lex, f[2]);
  g_ptr_array_add (into, e);
  if (n > 3 && *f[3])
    {
      g_auto (GStrv) words = g_strsplit (f[3], "|", -1);
      for (guint i = 0; words[i] != NULL; i++)
        add_alias (lex, words[i], kind, e);
    }
}

static void
sector_row (ShrLexicon *lex, gchar **f, guint n)
{
  label_row (lex, f, n, lex->sectors, SHR_LEXICON_SECTOR);
}

static void
region_row (ShrLexicon *lex, gchar **f, guint n)
{
  label_row (lex, f, n, lex->regions, SHR_LEXICON_REGION);
}

static void
sort_list (gpointer key, gpointer value, gpointer data)
{
  g_ptr_array_sort (value, compare_alias_length);
}

ShrLexicon *
shr_lexicon_load (const gchar *datadir, GError **error)
{
  g_autoptr (ShrLexicon) lex = g_new0 (ShrLexicon, 1);
  lex->products = g_ptr_array_new_with_free_func (g_free);
  lex->actors = g_ptr_array_new_with_free_func (g_free);
  lex->sectors = g_ptr_array_new_with_free_func (g_free);
  lex->regions = g_ptr_array_new_with_free_func (g_free);
  lex->strings = g_string_chunk_new (4096);
  lex->aliases = g_ptr_array_new_with_free_func ((GDestroyNotify)alias_free);
  lex->by_prefix
      = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  lex->product_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lex->alias_vectors = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  static const struct
  {
    const gchar *file;
    guint min_fields;
    void (*row) (ShrLexicon *, gchar **, guint);
  } files[] = {
    { "products.tsv", 2, product_row },
    { "actors.tsv", 1, actor_row },
    { "sectors.tsv", 3, sector_row },
    { "regions.tsv", 3, region_row },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree gchar *path = g_build_filename (datadir, files[i].file, NULL);
      if (!read_tsv (path, files[i].min_fields, files[i].row, lex, error))
        return NULL;
    }
  g_hash_table_foreach (lex->by_prefix, sort_list, NULL);
  for (guint i = 0; i < 256; i++)
    if (lex->short_by_byte[i] != NULL)
      g_ptr_array_sort (lex->short_by_byte[i], compare_alias_length);
  return g_steal_pointer (&lex);
}

void
shr_lexicon_free (ShrLexicon *lex)
{
  if (lex == NULL)
    return;
  g_ptr_array_unref (lex->products);
  g_ptr_array_unref (lex->actors);
  g_ptr_array_unref (lex->sectors);
  g_ptr_array_unref (lex->regions);
  g_hash_table_unref (lex->by_prefix);
  for (guint i = 0; i < 256; i++)
    if (lex->short_by_byte[i] != NULL)
      g_ptr_array_unref (lex->short_by_byte[i]);
  g_ptr_array_unref (lex->aliases);
  g_hash_table_unref (lex->product_names);
  g_ptr_array_unref (lex->alias_vectors);
  g_string_chunk_free (lex->strings);
  g_free (lex);
}

const gchar *
shr_lexicon_default_dir (void)
{
  const gchar *dir = g_getenv ("SHIRASE_DATADIR");
  if (dir != NULL && *dir != '\0')
    return dir;
  /* The installed data only: a binary that silently read a build tree's
   * files would behave differently from the package. Tests and a build
   * that was never installed set SHIRASE_DATADIR. */
  return SHR_DATADIR;
}

ShrLexicon *
shr_lexicon_get_default (GError **error)
{
  static ShrLexicon *lexicon;
  static GMutex lock;
  g_mutex_lock (&lock);
  if (lexicon == NULL)
    {
      lexicon = shr_lexicon_load (shr_lexicon_default_dir (), error);
    }
  ShrLexicon *result = lexicon;
  g_mutex_unlock (&lock);
  return result;
}

static GArray *
scan (const ShrLexicon *lex, const gchar *text, gint only_kind)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (ShrLexiconHit));
  g_autoptr (GArray) map = g_array_sized_new (FALSE, FALSE, sizeof (gsize), strlen (text) + 1);
  g_autofree gchar *norm = normalize_mapped (text, map);
  gsize n = strlen (norm);
  const gchar *p = norm;
  gboolean prev_word = FALSE;
  while (*p)
    {
      /* Runs once per character of every advisory: ASCII and characters
       * no alias starts with are dismissed without Unicode decoding or a
       * hash lookup. */
      gboolean ascii = (guchar)*p < 0x80;
      gunichar c = ascii ? (guchar)*p : g_utf8_get_char (p);
      const gchar *next = ascii ? p + 1 : g_utf8_next_char (p);
      gboolean word = is_word_char (c);
      gboolean word_start = !(word && prev_word);
      const Alias *found = NULL;
      if (word_start)
        {
          const guchar *b = (const guchar *)p;
          guint pair = (b[0] << 8) | b[1];
          GPtrArray *lists[2] = { NULL, lex->short_by_byte[b[0]] };
          if (b[1] != 0 && (lex->pair_bits[pair / 8] & (1 << (pair % 8))) && b[2] != 0)
            lists[0]
                = g_hash_table_lookup (lex->by_prefix, GUINT_TO_POINTER ((b[0] << 16) | (b[1] << 8) | b[2]));
          for (guint l = 0; l < 2 && found == NULL; l++)
            for (guint i = 0; lists[l] != NULL && i < lists[l]->len && found == NULL; i++)
              {
                const Alias *a = g_ptr_array_index (lists[l], i);
                if (only_kind >= 0 && (gint)a->kind != only_kind)
                  continue;
                gsize off = p - norm;
                if (off + a->len > n || memcmp (p, a->norm, a->len) != 0)
                  continue;
                if (a->latin_end && off + a->len < n)
                  {
                    gunichar after = g_utf8_get_char (norm + off + a->len);
                    if (is_word_char (after))
                      continue;
                  }
                found = a;
              }
        }
      if (found != NULL)
        {
          gsize off = p - norm;
          ShrLexiconHit hit = {
            found->kind,
            found->entry,
            g_array_index (map, gsize, off),
            g_array_index (map, gsize, off + found->len),
            found->needs_vendor,
            found->homonym,
          };
          g_array_append_val (hits, hit);
          const gchar *end = norm + off + found->len;
          prev_word = is_word_char (g_utf8_get_char (g_utf8_prev_char (end)));
          p = end;
          continue;
        }
      prev_word = word;
      p = next;
    }
  return hits;
}

GArray *
shr_lexicon_scan (const ShrLexicon *lexicon, ShrLexiconKind kind, const gchar *text)
{
  g_return_val_if_fail (lexicon != NULL && text != NULL, NULL);
  return scan (lexicon, text, kind);
}

GArray *
shr_lexicon_scan_all (const ShrLexicon *lexicon, const gchar *text)
{
  g_return_val_if_fail (lexicon != NULL && text != NULL, NULL);
  return scan (lexicon, text, -1);
}

const ShrProductEntry *
shr_lexicon_find_product (const ShrLexicon *lexicon, const gchar *name)
{
  g_return_val_if_fail (lexicon != NULL, NULL);
  if (name == NULL)
    return NULL;
  g_autofree gchar *norm = shr_lexicon_normalize (name);
  g_strstrip (norm);
  return g_hash_table_lookup (lexicon->product_names, norm);
}

static const ShrLabelEntry *
find_label (GPtrArray *list, const gchar *key)
{
  for (guint i = 0; i < list->len; i++)
    {
      const ShrLabelEntry *e = g_ptr_array_index (list, i);
      if (g_ascii_strcasecmp (e->key, key) == 0)
        return e;
    }
  return NULL;
}

const ShrLabelEntry *
shr_lexicon_find_sector (const ShrLexicon *lexicon, const gchar *key)
{
  return find_label (lexicon->sectors, key);
}

const ShrLabelEntry *
shr_lexicon_find_region (const ShrLexicon *lexicon, const gchar *key)
{
  return find_label (lexicon->regions, key);
}
