/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-lexicon.h"

#include <string.h>

#include "shr-error.h"
#include "shr-text.h"

#define ALIAS_BLOCK 512

/* The aliases as a trie of their normalised bytes: a place of the text is
 * matched by walking the text's bytes down from the root, so each alias
 * that begins there is met once, however many aliases share its start
 * (the 104 of "micr" were each compared in turn at every "microsoft"). */
typedef struct
{
  /* Children: the bytes edge_bytes [first_edge, + n_edges) lead to
   * nodes first_edge + 1 … (ascending; a node is made with the edge to
   * it); of a node with more than TRIE_SPARSE, dense [first_edge + byte]
   * names the child. */
  guint32 first_edge;
  guint32 first_alias; /* the aliases ending here, in the order the lists give them */
  guint32 up;          /* the nearest ancestor where aliases end, 0 for none */
  guint16 n_edges;     /* TRIE_TAIL: no children, but the rest of the one
                        * alias below, compared byte by byte with its
                        * spelling at ShrLexicon.tails + first_edge */
  guint16 n_aliases;
} TrieNode;
#define TRIE_TAIL G_MAXUINT16

#define START_BITS (1u << 18)

static inline guint
start_bit (guint b0, guint b1, guint b2)
{
  return ((b0 << 16 | b1 << 8 | b2) * 2654435761u) >> (32 - 18);
}
#define TRIE_SPARSE 8

#define TOKEN_BITS (1u << 16)

/* The hash of the ASCII letters and digits at @b (lower-cased, as
 * normalised), up to the first other byte; *@len is their count. */
static inline guint
token_bit (const guchar *b, gsize *len)
{
  guint32 h = 2166136261u;
  gsize k = 0;
  for (; g_ascii_isalnum (b[k]); k++)
    h = (h ^ b[k]) * 16777619u;
  *len = k;
  return h >> (32 - 16);
}

typedef struct _Alias
{
  const gchar *norm; /* normalised alias (in ShrLexicon.norms) */
  gsize len;
  ShrLexiconKind kind;
  gconstpointer entry;
  gboolean latin_end;    /* ends in a Latin letter or digit: needs a boundary */
  gboolean kana_start;   /* starts (ends) in katakana, and katakana may not */
  gboolean kana_end;     /* touch it: タイ is not in タイトル */
  gboolean needs_vendor; /* an everyday word too ("Office", "Edge"): see ShrLexiconHit */
  gconstpointer homonym; /* another product written the same (Cisco IOS, Apple iOS) */
  const gchar *exact;    /* '=' in the list: the text must write it so, or NULL */
  struct _Alias *next;   /* while loading: the next alias written the same */
} Alias;

/* One name of one actors.tsv row: the rows that share a name are found
 * by a binary search. */
typedef struct
{
  const gchar *norm; /* normalised name (in ShrLexicon.norms) */
  const ShrActorEntry *entry;
} ActorName;

static gint
compare_actor_names (gconstpointer a, gconstpointer b)
{
  return strcmp (((const ActorName *)a)->norm, ((const ActorName *)b)->norm);
}

/* A sector or region: the public entry first, then what links it to
 * others (a sector's parents, a group's members). */
typedef struct
{
  ShrLabelEntry label;
  gchar **links; /* NULL-terminated, owned */
} LabelRow;

/* How a word of a list is added. */
typedef enum
{
  WORD_PLAIN = 0,
  WORD_EVERYDAY = 1 << 0, /* see ShrLexiconHit.needs_vendor */
  WORD_WEAK = 1 << 1,     /* dropped when another entry has the same word */
} WordFlags;

struct _ShrLexicon
{
  GPtrArray *products;        /* ShrProductEntry* */
  GPtrArray *actors;          /* ShrActorEntry* */
  GPtrArray *sectors;         /* LabelRow* */
  GPtrArray *regions;         /* LabelRow* */
  GPtrArray *reporters;       /* ShrReporterEntry* */
  GHashTable *sector_by_name; /* key and STIX names, lower case -> LabelRow* */
  GHashTable *region_by_code; /* codes, upper case -> LabelRow* */
  GArray *actor_names;        /* ActorName, sorted by name once loaded */
  GStringChunk *strings;
  GStringChunk *norms;     /* normalised words: alias texts and index keys */
  GString *scratch;        /* the word being normalised */
  GPtrArray *alias_blocks; /* Alias[ALIAS_BLOCK] each, owned: ten thousand
                            * words are loaded per run, one allocation each
                            * cost more than reading the files */
  guint block_used;
  /* While loading: normalised alias -> the first Alias written so (the
   * others by Alias.next), the trie's making. */
  GHashTable *by_norm;
  TrieNode *nodes; /* [0] is the root */
  guint8 *edge_bytes;
  const Alias **node_aliases;
  guint32 *dense; /* children by byte of the nodes with many */
  /* The spellings the tails end, each NUL-terminated, side by side: a
   * tail is compared without going through its Alias (every alias a
   * word of the text starts like is a walk to its tail). */
  guint8 *tails;
  /* Most places of a text begin no alias: the first three bytes of every
   * alias (every three an alias of one or two bytes begins), hashed into
   * a bitmap, say so before the trie is walked. */
  guint8 start_bits[START_BITS / 8];
  /* Of the aliases that start with an ASCII letter or digit, the first
   * word (its letters and digits): a word of the text that is not one
   * starts none of them, since an alias that ends in a letter or digit
   * must be followed by a boundary. English words that merely start like
   * one ("use", "microcode") are dismissed here without a walk. */
  guint8 token_bits[TOKEN_BITS / 8];
  GHashTable *product_names; /* normalised name -> ShrProductEntry* */
  GPtrArray *alias_vectors;  /* gchar** owned, for ShrProductEntry.aliases */
  GPtrArray *actor_vectors;  /* const gchar** owned (strings in @strings), for ShrActorEntry.aliases */
};

static void
label_row_free (LabelRow *row)
{
  g_strfreev (row->links);
  g_free (row);
}

static gboolean
is_katakana (gunichar c)
{
  return c >= 0x30A1 && c <= 0x30FF && c != 0x30FB; /* ・ separates words */
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
 * text. The offsets are 32-bit: a mail's text is far shorter than 4 GB
 * (SHR_MAX_MESSAGE_BYTES), and a map of 8 bytes per byte of a 4 KB
 * advisory filled the CPU's whole first-level cache. */
static gchar *
normalize_mapped (const gchar *text, guint32 **map)
{
  /* Runs over every advisory's whole text: the common characters (ASCII,
   * kana, kanji) are copied into a raw buffer, with the offset map written
   * alongside; only the rest goes through the Unicode tables. */
  gsize len = strlen (text);
  gsize cap = len + 64;
  gchar *out = g_malloc (cap);
  g_return_val_if_fail (len < G_MAXUINT32, g_strdup (""));
  guint32 *offsets = map != NULL ? g_new (guint32, cap) : NULL;
  gsize used = 0;
  GString *scratch = NULL;
  const guchar *p = (const guchar *)text;
  while (*p)
    {
      /* A run of ASCII, the bulk of most advisories: lower-cased in a tight
       * loop (the buffers hold len + 64 bytes, and ASCII never grows). */
      if (*p < 0x80 && used + (len - ((const gchar *)p - text)) + 9 <= cap)
        {
          /* A run of white space (a line wrapped inside a name) is one
           * space, as in the lists' words. */
          gsize base = (const gchar *)p - text;
          gsize k = 0;
          for (; p[k] != 0 && p[k] < 0x80; k++)
            {
              guchar c = p[k];
              if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
                {
                  if (used > 0 && out[used - 1] == ' ')
                    continue;
                  c = ' ';
                }
              else if (c >= 'A' && c <= 'Z')
                c += 32;
              out[used] = c;
              if (offsets != NULL)
                offsets[used] = base + k;
              used++;
            }
          p += k;
          continue;
        }
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
      if (used + piece_len + 9 > cap)
        {
          cap = MAX (cap * 2, used + piece_len + 9);
          out = g_realloc (out, cap);
          if (offsets != NULL)
            offsets = g_renew (guint32, offsets, cap);
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
  /* The terminator and eight zero bytes: the scan reads words eight bytes
   * at a time. */
  memset (out + used, 0, 9);
  if (offsets != NULL)
    {
      offsets[used] = (const gchar *)p - text;
      *map = offsets;
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

/* The normalised form of a word of a list, stripped (in lex->scratch, valid
 * until the next call). The lists' words are mostly ASCII: those skip the
 * Unicode tables and every allocation. */
static const gchar *
normalize_word (ShrLexicon *lex, const gchar *word)
{
  GString *out = lex->scratch;
  gsize n = strlen (word);
  const guchar *p = (const guchar *)word;
  gsize i = 0;
  for (; i < n && p[i] < 0x80; i++)
    ;
  if (i < n)
    {
      g_autofree gchar *norm = normalize_mapped (word, NULL);
      g_string_assign (out, norm);
    }
  else
    {
      g_string_set_size (out, n);
      for (i = 0; i < n; i++)
        out->str[i] = (p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i];
    }
  gsize start = 0, end = out->len;
  while (start < end && g_ascii_isspace (out->str[start]))
    start++;
  while (end > start && g_ascii_isspace (out->str[end - 1]))
    end--;
  if (start > 0)
    memmove (out->str, out->str + start, end - start);
  g_string_truncate (out, end - start);
  return out->str;
}

static Alias *
alias_new (ShrLexicon *lex)
{
  if (lex->alias_blocks->len == 0 || lex->block_used == ALIAS_BLOCK)
    {
      g_ptr_array_add (lex->alias_blocks, g_new0 (Alias, ALIAS_BLOCK));
      lex->block_used = 0;
    }
  Alias *block = g_ptr_array_index (lex->alias_blocks, lex->alias_blocks->len - 1);
  return &block[lex->block_used++];
}

/* Adds one word of a list. A leading '!' marks a name that is never looked
 * for; a leading '=' one that must be written exactly so. */
static void
add_word (ShrLexicon *lex, const gchar *word, ShrLexiconKind kind, gconstpointer entry, WordFlags flags)
{
  const gchar *exact = NULL;
  if (word[0] == '!')
    return;
  if (word[0] == '~')
    {
      word++;
      flags |= WORD_EVERYDAY;
    }
  if (word[0] == '=')
    {
      word++;
      exact = g_string_chunk_insert_const (lex->strings, word);
    }
  const gchar *norm = normalize_word (lex, word);
  gsize len = strlen (norm);
  if (len == 0)
    return;
  const guchar *b = (const guchar *)norm;
  if (g_ascii_isalnum (b[0]))
    {
      gsize token_len = 0;
      guint bit = token_bit (b, &token_len);
      lex->token_bits[bit / 8] |= 1 << (bit % 8);
    }
  for (guint second = len > 1 ? b[1] : 0; second <= (len > 1 ? b[1] : 255u); second++)
    for (guint third = len > 2 ? b[2] : 0; third <= (len > 2 ? b[2] : 255u); third++)
      {
        guint bit = start_bit (b[0], second, third);
        lex->start_bits[bit / 8] |= 1 << (bit % 8);
      }
  Alias *first = g_hash_table_lookup (lex->by_norm, norm);
  Alias *before = NULL; /* the last of the same spelling */
  for (Alias *same = first; same != NULL; before = same, same = same->next)
    {
      if (same->kind != kind || g_strcmp0 (same->exact, exact) != 0)
        continue;
      /* The same words for another product ("IOS" of Cisco, "iOS" of
       * Apple): one alias carries both, and the vendor named in the mail
       * decides. A generated list never shadows a hand-written one. */
      if (same->entry != entry && (flags & WORD_WEAK) == 0)
        {
          if (same->homonym == NULL)
            same->homonym = entry;
          same->needs_vendor |= (flags & WORD_EVERYDAY) != 0;
        }
      return;
    }
  Alias *a = alias_new (lex);
  a->norm = g_string_chunk_insert_len (lex->norms, norm, len);
  a->len = len;
  a->kind = kind;
  a->entry = entry;
  a->needs_vendor = (flags & WORD_EVERYDAY) != 0;
  a->exact = exact;
  const gchar *last = g_utf8_prev_char (a->norm + len);
  a->latin_end = is_word_char (g_utf8_get_char (last));
  if (kind != SHR_LEXICON_PRODUCT)
    {
      a->kana_start = is_katakana (g_utf8_get_char (a->norm));
      a->kana_end = is_katakana (g_utf8_get_char (last));
    }
  if (before != NULL)
    before->next = a;
  else
    g_hash_table_insert (lex->by_norm, (gpointer)a->norm, a);
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

gpointer
shr_data_table_once (gsize *once, gpointer *table, const gchar *file, const gchar *what, ShrDataLoadFunc load,
                     ShrDataEmptyFunc empty)
{
  if (g_once_init_enter (once))
    {
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), file, NULL);
      g_autoptr (GError) error = NULL;
      *table = load (path, &error);
      if (*table == NULL)
        {
          g_warning ("%s not available: %s", what, error->message);
          *table = empty ();
        }
      g_once_init_leave (once, 1);
    }
  return *table;
}

/* Reads a TSV data file; calls @row for each non-comment line. A file
 * that is @optional may be missing. */
static gboolean
read_tsv (const gchar *path, guint min_fields, gboolean optional, void (*row) (ShrLexicon *, gchar **, guint),
          ShrLexicon *lex, GError **error)
{
  if (optional && !g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return FALSE;
  /* Split in place: the lists hold ten thousand words, and a copy of each
   * line and field cost more than the rest of the load. */
  guint n = 0;
  for (gchar *line = contents; line != NULL; n++)
    {
      gchar *nl = strchr (line, '\n');
      if (nl != NULL)
        *nl = '\0';
      gsize len = strlen (line);
      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (line[0] != '#' && line[0] != '\0')
        {
          gchar *fields[16] = { NULL };
          guint count = 0;
          for (gchar *f = line; f != NULL && count < G_N_ELEMENTS (fields) - 1;)
            {
              fields[count++] = f;
              f = strchr (f, '\t');
              if (f != NULL)
                *f++ = '\0';
            }
          if (count < min_fields)
            {
              g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                           "%s:%u: %u tab-separated fields expected, %u found", path, n + 1, min_fields,
                           count);
              return FALSE;
            }
          row (lex, fields, count);
        }
      line = nl != NULL ? nl + 1 : NULL;
    }
  return TRUE;
}

/* Calls @word for each word of a '|'-separated list, splitting it in
 * place. */
static void
each_word (gchar *list, void (*word) (ShrLexicon *, gchar *, gpointer), ShrLexicon *lex, gpointer data)
{
  for (gchar *w = list; w != NULL && *w != '\0';)
    {
      gchar *bar = strchr (w, '|');
      if (bar != NULL)
        *bar = '\0';
      g_strstrip (w);
      if (*w != '\0')
        word (lex, w, data);
      if (bar == NULL)
        break;
      *bar = '|';
      w = bar + 1;
    }
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
  while (g_ascii_isspace (*s))
    s++;
  gsize len = strlen (s);
  while (len > 0 && g_ascii_isspace (s[len - 1]))
    len--;
  if (len == 0)
    return NULL;
  return g_string_chunk_insert_len (lex->strings, s, len);
}

/* The first row that gives a name keeps it. */
static void
index_product_name (ShrLexicon *lex, const gchar *name, ShrProductEntry *e)
{
  const gchar *norm = normalize_word (lex, name);
  if (!g_hash_table_contains (lex->product_names, norm))
    g_hash_table_insert (lex->product_names, g_string_chunk_insert (lex->norms, norm), e);
}

/* A product row; @weak for a generated list, whose names give way to the
 * hand-written one's. */
static void
product_row_full (ShrLexicon *lex, gchar **f, guint n, WordFlags weak)
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
      add_word (lex, e->product, SHR_LEXICON_PRODUCT, e, weak | (everyday ? WORD_EVERYDAY : 0));
      if (e->vendor != NULL && !g_str_has_prefix (e->product, e->vendor))
        {
          g_autofree gchar *full = g_strdup_printf ("%s %s", e->vendor, e->product);
          add_word (lex, full, SHR_LEXICON_PRODUCT, e, weak);
        }
    }
  else if (e->vendor != NULL)
    add_word (lex, e->vendor, SHR_LEXICON_PRODUCT, e, weak);
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      if (g_str_has_prefix (aliases[i], "cpe:") || g_str_has_prefix (aliases[i], "pkg:"))
        continue;
      gboolean alias_everyday = FALSE;
      const gchar *alias = strip_everyday_mark (aliases[i], &alias_everyday);
      add_word (lex, alias, SHR_LEXICON_PRODUCT, e, weak | (alias_everyday ? WORD_EVERYDAY : 0));
    }
  /* Lookup by exact name: every spelling, package and CPE name. */
  if (e->product == NULL)
    return;
  index_product_name (lex, e->product, e);
  if (e->vendor != NULL)
    {
      g_autofree gchar *full = g_strconcat (e->vendor, " ", e->product, NULL);
      index_product_name (lex, full, e);
    }
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      gboolean unused;
      const gchar *a = strip_everyday_mark (aliases[i], &unused);
      index_product_name (lex, g_str_has_prefix (a, "pkg:") ? a + 4 : a, e);
    }
}

static void
product_row (ShrLexicon *lex, gchar **f, guint n)
{
  product_row_full (lex, f, n, WORD_PLAIN);
}

static void
product_kev_row (ShrLexicon *lex, gchar **f, guint n)
{
  product_row_full (lex, f, n, WORD_WEAK);
}

/* A name as written, its mark ('=' or '!') dropped. */
static const gchar *
unmarked (const gchar *name)
{
  return (name[0] == '=' || name[0] == '!') ? name + 1 : name;
}

static void
index_actor_name (ShrLexicon *lex, const gchar *name, ShrActorEntry *e)
{
  const gchar *norm = normalize_word (lex, unmarked (name));
  if (*norm == '\0')
    return;
  ActorName an = { g_string_chunk_insert (lex->norms, norm), e };
  g_array_append_val (lex->actor_names, an);
}

typedef struct
{
  ShrActorEntry *entry;
  GPtrArray *plain;
} ActorRow;

static void
actor_alias (ShrLexicon *lex, gchar *word, gpointer data)
{
  ActorRow *row = data;
  g_ptr_array_add (row->plain, g_string_chunk_insert (lex->strings, unmarked (word)));
  add_word (lex, word, SHR_LEXICON_ACTOR, row->entry, WORD_PLAIN);
  index_actor_name (lex, word, row->entry);
}

static void
actor_row (ShrLexicon *lex, gchar **f, guint n)
{
  ShrActorEntry *e = g_malloc0 (sizeof *e);
  e->name = intern (lex, unmarked (f[0]));
  e->country = n > 2 ? intern (lex, f[2]) : NULL;
  e->ransomware = n > 3 && strcmp (g_strstrip (f[3]), "ransomware") == 0;
  g_ptr_array_add (lex->actors, e);
  ActorRow row = { e, g_ptr_array_new () };
  if (e->name != NULL)
    {
      add_word (lex, g_strstrip (f[0]), SHR_LEXICON_ACTOR, e, WORD_PLAIN);
      index_actor_name (lex, f[0], e);
      if (n > 1)
        each_word (f[1], actor_alias, lex, &row);
    }
  g_ptr_array_add (row.plain, NULL);
  /* The strings belong to lex->strings; the vector to lex->alias_vectors
   * (freed with g_free, as g_strfreev would free the strings too). */
  gchar **plain = (gchar **)g_ptr_array_free (row.plain, FALSE);
  g_ptr_array_add (lex->actor_vectors, plain);
  e->aliases = (const gchar *const *)plain;
}

typedef struct
{
  ShrLexiconKind kind;
  gconstpointer entry;
} KindEntry;

static void
add_kind_word (ShrLexicon *lex, gchar *word, gpointer data)
{
  const KindEntry *ke = data;
  add_word (lex, word, ke->kind, ke->entry, WORD_PLAIN);
}

/* A sector or region row; column @links_col holds its parents or members. */
static LabelRow *
label_row (ShrLexicon *lex, gchar **f, guint n, guint links_col, GPtrArray *into, ShrLexiconKind kind)
{
  LabelRow *row = g_new0 (LabelRow, 1);
  ShrLabelEntry *e = &row->label;
  e->key = intern (lex, f[0]);
  e->label_ja = intern (lex, f[1]);
  e->label_en = intern (lex, f[2]);
  row->links = (n > links_col && *g_strstrip (f[links_col])) ? g_strsplit (f[links_col], "|", -1)
                                                             : g_new0 (gchar *, 1);
  g_ptr_array_add (into, row);
  KindEntry ke = { kind, e };
  if (n > 3)
    each_word (f[3], add_kind_word, lex, &ke);
  return row;
}

static void
sector_row (ShrLexicon *lex, gchar **f, guint n)
{
  if (strcmp (f[0], "-") == 0)
    {
      KindEntry ke = { SHR_LEXICON_NOTHING, NULL };
      if (n > 3)
        each_word (f[3], add_kind_word, lex, &ke);
      return;
    }
  LabelRow *row = label_row (lex, f, n, SHR_SECTOR_PARENTS_COL, lex->sectors, SHR_LEXICON_SECTOR);
  g_hash_table_insert (lex->sector_by_name, g_ascii_strdown (row->label.key, -1), row);
  g_auto (GStrv) stix = (n > SHR_SECTOR_STIX_COL && *f[SHR_SECTOR_STIX_COL])
                            ? g_strsplit (f[SHR_SECTOR_STIX_COL], "|", -1)
                            : g_new0 (gchar *, 1);
  for (guint i = 0; stix[i] != NULL; i++)
    if (!g_hash_table_contains (lex->sector_by_name, stix[i]))
      g_hash_table_insert (lex->sector_by_name, g_ascii_strdown (g_strstrip (stix[i]), -1), row);
}

static void
region_row (ShrLexicon *lex, gchar **f, guint n)
{
  if (strcmp (f[0], "-") == 0)
    {
      KindEntry ke = { SHR_LEXICON_NOTHING, NULL };
      if (n > 3)
        each_word (f[3], add_kind_word, lex, &ke);
      return;
    }
  /* "GB=UK": the record's code, then codes profiles may also use. */
  g_auto (GStrv) codes = g_strsplit (f[0], "=", -1);
  gchar *key = f[0];
  f[0] = codes[0];
  LabelRow *row = label_row (lex, f, n, SHR_REGION_MEMBERS_COL, lex->regions, SHR_LEXICON_REGION);
  f[0] = key;
  for (guint i = 0; codes[i] != NULL; i++)
    g_hash_table_insert (lex->region_by_code, g_ascii_strup (g_strstrip (codes[i]), -1), row);
}

static void
reporter_row (ShrLexicon *lex, gchar **f, guint n)
{
  ShrReporterEntry *e = g_malloc0 (sizeof *e);
  e->name = intern (lex, unmarked (f[0]));
  g_ptr_array_add (lex->reporters, e);
  if (e->name == NULL)
    return;
  add_word (lex, f[0], SHR_LEXICON_REPORTER, e, WORD_PLAIN);
  KindEntry ke = { SHR_LEXICON_REPORTER, e };
  if (n > 1)
    each_word (f[1], add_kind_word, lex, &ke);
}

typedef struct
{
  TrieNode *nodes;
  guint8 *bytes;
  const Alias **aliases;
  guint n_nodes, n_edges, n_aliases, cap;
  const Alias *const *keys; /* the first Alias of each spelling, by spelling */
  GByteArray *tails;
} TrieBuild;

/* Makes node @node from @keys [@lo, @hi), which all begin with the @depth
 * bytes that lead to it; @up is its nearest ancestor where aliases end. */
static void
trie_fill (TrieBuild *tb, guint32 node, guint lo, guint hi, gsize depth, guint32 up)
{
  TrieNode t = { .up = up, .first_alias = tb->n_aliases, .first_edge = tb->n_edges };
  /* One spelling below: the rest of it, not a node per byte (most of the
   * aliases' bytes are such tails). */
  gboolean tail = depth > 0 && hi - lo == 1 && tb->keys[lo]->len > depth;
  if (tail || (lo < hi && tb->keys[lo]->len == depth))
    {
      for (const Alias *a = tb->keys[lo]; a != NULL; a = a->next)
        tb->aliases[tb->n_aliases++] = a;
      t.n_aliases = tb->n_aliases - t.first_alias;
      up = node;
      lo++;
    }
  if (tail)
    {
      t.n_edges = TRIE_TAIL;
      t.first_edge = tb->tails->len;
      g_byte_array_append (tb->tails, (const guint8 *)tb->keys[lo - 1]->norm, tb->keys[lo - 1]->len + 1);
      tb->nodes[node] = t;
      return;
    }
  /* The keys that go on with one byte each make a child. */
  guint ends[256];
  guint n_children = 0;
  for (guint i = lo; i < hi; n_children++)
    {
      guchar byte = tb->keys[i]->norm[depth];
      while (i < hi && (guchar)tb->keys[i]->norm[depth] == byte)
        i++;
      ends[n_children] = i;
    }
  if (tb->n_nodes + n_children > tb->cap)
    {
      tb->cap = MAX (tb->cap * 2, tb->n_nodes + n_children);
      tb->nodes = g_renew (TrieNode, tb->nodes, tb->cap);
      tb->bytes = g_renew (guint8, tb->bytes, tb->cap);
    }
  guint32 first_child = tb->n_nodes;
  for (guint c = 0; c < n_children; c++)
    {
      tb->bytes[tb->n_edges++] = tb->keys[c == 0 ? lo : ends[c - 1]]->norm[depth];
      tb->n_nodes++;
    }
  t.n_edges = n_children;
  tb->nodes[node] = t;
  for (guint c = 0; c < n_children; c++)
    trie_fill (tb, first_child + c, c == 0 ? lo : ends[c - 1], ends[c], depth + 1, up);
}

static gint
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(const Alias *const *)a)->norm, (*(const Alias *const *)b)->norm);
}

static void
build_trie (ShrLexicon *lex)
{
  /* The spellings in byte order: by their first byte, then sorted within
   * (a third of the comparisons of one sort). */
  guint n = g_hash_table_size (lex->by_norm);
  const Alias **keys = g_new (const Alias *, n + 1);
  guint at[257] = { 0 };
  guint n_aliases = 0;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, lex->by_norm);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      at[(guchar)((const Alias *)value)->norm[0] + 1]++;
      for (const Alias *a = value; a != NULL; a = a->next)
        n_aliases++;
    }
  for (guint b = 1; b <= 256; b++)
    at[b] += at[b - 1];
  guint place[256];
  memcpy (place, at, sizeof place);
  g_hash_table_iter_init (&it, lex->by_norm);
  while (g_hash_table_iter_next (&it, NULL, &value))
    keys[place[(guchar)((const Alias *)value)->norm[0]]++] = value;
  for (guint b = 0; b < 256; b++)
    if (at[b + 1] - at[b] > 1)
      qsort (keys + at[b], at[b + 1] - at[b], sizeof *keys, compare_keys);
  TrieBuild tb = { .nodes = g_new (TrieNode, 2 * n + 16),
                   .bytes = g_new (guint8, 2 * n + 16),
                   .aliases = g_new (const Alias *, n_aliases + 1),
                   .cap = 2 * n + 16,
                   .n_nodes = 1,
                   .keys = keys,
                   .tails = g_byte_array_new () };
  trie_fill (&tb, 0, 0, n, 0, 0);
  g_free (keys);
  /* A node with many children (the first letters, mostly) gets a child
   * per byte value: a word start of the text goes through two of them. */
  guint dense = 0;
  for (guint i = 0; i < tb.n_nodes; i++)
    dense += tb.nodes[i].n_edges > TRIE_SPARSE && tb.nodes[i].n_edges != TRIE_TAIL;
  lex->dense = g_new0 (guint32, dense * 256);
  for (guint i = 0, d = 0; i < tb.n_nodes; i++)
    {
      TrieNode *t = &tb.nodes[i];
      if (t->n_edges <= TRIE_SPARSE || t->n_edges == TRIE_TAIL)
        continue;
      for (guint e = 0; e < t->n_edges; e++)
        lex->dense[d + tb.bytes[t->first_edge + e]] = t->first_edge + e + 1;
      t->first_edge = d;
      d += 256;
    }
  lex->nodes = g_renew (TrieNode, tb.nodes, tb.n_nodes);
  lex->edge_bytes = g_renew (guint8, tb.bytes, tb.n_edges + 1);
  lex->node_aliases = tb.aliases;
  lex->tails = g_byte_array_free (tb.tails, FALSE);
  g_clear_pointer (&lex->by_norm, g_hash_table_unref);
}

/* The child of trie node @node by @byte, 0 for none. */
static inline guint32
trie_child (const ShrLexicon *lex, guint32 node, guchar byte)
{
  const TrieNode *t = &lex->nodes[node];
  if (t->n_edges > TRIE_SPARSE)
    return lex->dense[t->first_edge + byte];
  const guint8 *bytes = lex->edge_bytes + t->first_edge;
  for (guint lo = 0, hi = t->n_edges; lo < hi; lo++)
    if (bytes[lo] >= byte)
      return bytes[lo] == byte ? t->first_edge + lo + 1 : 0;
  return 0;
}

ShrLexicon *
shr_lexicon_load (const gchar *datadir, GError **error)
{
  g_autoptr (ShrLexicon) lex = g_new0 (ShrLexicon, 1);
  lex->products = g_ptr_array_new_with_free_func (g_free);
  lex->actors = g_ptr_array_new_with_free_func (g_free);
  lex->sectors = g_ptr_array_new_with_free_func ((GDestroyNotify)label_row_free);
  lex->regions = g_ptr_array_new_with_free_func ((GDestroyNotify)label_row_free);
  lex->reporters = g_ptr_array_new_with_free_func (g_free);
  lex->sector_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lex->region_by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lex->actor_names = g_array_new (FALSE, FALSE, sizeof (ActorName));
  lex->actor_vectors = g_ptr_array_new_with_free_func (g_free);
  lex->strings = g_string_chunk_new (4096);
  lex->norms = g_string_chunk_new (16384);
  lex->scratch = g_string_sized_new (128);
  lex->alias_blocks = g_ptr_array_new_with_free_func (g_free);
  lex->by_norm = g_hash_table_new (g_str_hash, g_str_equal);
  lex->product_names = g_hash_table_new (g_str_hash, g_str_equal);
  lex->alias_vectors = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  static const struct
  {
    const gchar *file;
    guint min_fields;
    gboolean optional;
    void (*row) (ShrLexicon *, gchar **, guint);
  } files[] = {
    /* products.tsv first: its names win over the generated list's. */
    { "products.tsv", 2, FALSE, product_row }, { "products-kev.tsv", 2, TRUE, product_kev_row },
    { "actors.tsv", 1, FALSE, actor_row },     { "sectors.tsv", 3, FALSE, sector_row },
    { "regions.tsv", 3, FALSE, region_row },   { "reporters.tsv", 1, TRUE, reporter_row },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree gchar *path = g_build_filename (datadir, files[i].file, NULL);
      if (!read_tsv (path, files[i].min_fields, files[i].optional, files[i].row, lex, error))
        return NULL;
    }
  g_array_sort (lex->actor_names, compare_actor_names);
  build_trie (lex);
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
  g_ptr_array_unref (lex->reporters);
  g_hash_table_unref (lex->sector_by_name);
  g_hash_table_unref (lex->region_by_code);
  g_array_unref (lex->actor_names);
  g_ptr_array_unref (lex->actor_vectors);
  if (lex->by_norm != NULL)
    g_hash_table_unref (lex->by_norm);
  g_free (lex->nodes);
  g_free (lex->edge_bytes);
  g_free (lex->dense);
  g_free (lex->node_aliases);
  g_free (lex->tails);
  g_ptr_array_unref (lex->alias_blocks);
  g_string_chunk_free (lex->norms);
  g_string_free (lex->scratch, TRUE);
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
  g_autofree guint32 *map = NULL;
  g_autofree gchar *norm = normalize_mapped (text, &map);
  gsize n = strlen (norm);
  const gchar *p = norm;
  gboolean prev_word = FALSE;
  gboolean prev_kana = FALSE;
  while (*p)
    {
      /* Inside a word nothing can start: most bytes of a text go here. */
      if (prev_word && g_ascii_isalnum (*p))
        {
          p++;
          prev_kana = FALSE;
          continue;
        }
      /* Runs once per character of every advisory: ASCII and characters
       * no alias starts with are dismissed without Unicode decoding or a
       * hash lookup. */
      gboolean ascii = (guchar)*p < 0x80;
      gsize char_len = 1;
      gunichar c = ascii ? (guchar)*p : shr_text_char_at (p, &char_len);
      const gchar *next = p + char_len;
      gboolean word = is_word_char (c);
      gboolean word_start = !(word && prev_word);
      const Alias *found = NULL;
      if (word_start)
        {
          const guchar *b = (const guchar *)p;
          guint bit = start_bit (b[0], b[1], b[2]);
          /* Longest first: the deepest node the text leads to where
           * aliases end, then those above it. */
          guint32 deepest = 0;
          gboolean may_start = lex->start_bits[bit / 8] & (1 << (bit % 8));
          if (may_start && ascii && g_ascii_isalnum (b[0]))
            {
              gsize token_len = 0;
              guint token = token_bit (b, &token_len);
              may_start = lex->token_bits[token / 8] & (1 << (token % 8));
            }
          if (may_start)
            for (guint32 node = trie_child (lex, 0, b[0]), i = 1; node != 0; i++)
              {
                const TrieNode *t = &lex->nodes[node];
                if (t->n_edges == TRIE_TAIL)
                  {
                    const guint8 *tail = lex->tails + t->first_edge;
                    gsize k = i;
                    while (tail[k] != 0 && b[k] == tail[k])
                      k++;
                    if (tail[k] == 0)
                      deepest = node;
                    break;
                  }
                if (t->n_aliases > 0)
                  deepest = node;
                node = trie_child (lex, node, b[i]);
              }
          for (guint32 t = deepest; t != 0 && found == NULL; t = lex->nodes[t].up)
            for (guint i = 0; i < lex->nodes[t].n_aliases && found == NULL; i++)
              {
                const Alias *a = lex->node_aliases[lex->nodes[t].first_alias + i];
                /* Phrases that name nothing hide their words from every
                 * kind ("US-CERT" is no region). */
                if (only_kind >= 0 && (gint)a->kind != only_kind && a->kind != SHR_LEXICON_NOTHING)
                  continue;
                gsize off = p - norm;
                if (a->latin_end && off + a->len < n)
                  {
                    gunichar after = g_utf8_get_char (norm + off + a->len);
                    if (is_word_char (after))
                      continue;
                  }
                if ((a->kana_start && prev_kana)
                    || (a->kana_end && off + a->len < n
                        && is_katakana (g_utf8_get_char (norm + off + a->len))))
                  continue;
                if (a->exact != NULL)
                  {
                    gsize from = map[off];
                    gsize to = map[off + a->len];
                    if (to - from != strlen (a->exact) || memcmp (text + from, a->exact, to - from) != 0)
                      continue;
                  }
                found = a;
              }
        }
      if (found != NULL)
        {
          gsize off = p - norm;
          /* A single-kind scan steps over a phrase that names nothing
           * without reporting it. */
          if (only_kind < 0 || found->kind != SHR_LEXICON_NOTHING)
            {
              ShrLexiconHit hit = {
                found->kind,           found->entry,        map[off],
                map[off + found->len], found->needs_vendor, found->homonym,
              };
              g_array_append_val (hits, hit);
            }
          const gchar *end = norm + off + found->len;
          gunichar last = g_utf8_get_char (g_utf8_prev_char (end));
          prev_word = is_word_char (last);
          prev_kana = is_katakana (last);
          p = end;
          continue;
        }
      prev_word = word;
      prev_kana = !ascii && is_katakana (c);
      p = next;
      /* The rest of a word: nothing starts inside it. */
      if (prev_word)
        while (g_ascii_isalnum (*p))
          p++, prev_kana = FALSE;
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

/* Sector keys are compared in lower case, region codes in upper case. */
static const ShrLabelEntry *
find_label (GHashTable *index, const gchar *key, gboolean upper)
{
  if (key == NULL)
    return NULL;
  g_autofree gchar *folded = upper ? g_ascii_strup (key, -1) : g_ascii_strdown (key, -1);
  LabelRow *row = g_hash_table_lookup (index, folded);
  return row != NULL ? &row->label : NULL;
}

const ShrLabelEntry *
shr_lexicon_find_sector (const ShrLexicon *lexicon, const gchar *key)
{
  g_return_val_if_fail (lexicon != NULL, NULL);
  return find_label (lexicon->sector_by_name, key, FALSE);
}

const ShrLabelEntry *
shr_lexicon_find_region (const ShrLexicon *lexicon, const gchar *key)
{
  g_return_val_if_fail (lexicon != NULL, NULL);
  return find_label (lexicon->region_by_code, key, TRUE);
}

const gchar *const *
shr_lexicon_region_members (const ShrLexicon *lexicon, const gchar *code)
{
  const ShrLabelEntry *e = shr_lexicon_find_region (lexicon, code);
  return e != NULL && ((const LabelRow *)e)->links[0] != NULL
             ? (const gchar *const *)((const LabelRow *)e)->links
             : NULL;
}

const gchar *const *
shr_lexicon_sector_parents (const ShrLexicon *lexicon, const gchar *key)
{
  const ShrLabelEntry *e = shr_lexicon_find_sector (lexicon, key);
  return e != NULL ? (const gchar *const *)((const LabelRow *)e)->links : NULL;
}

gchar *
shr_lexicon_normalize_name (const gchar *name)
{
  const gchar *p = name;
  while (*p != '\0' && (guchar)*p < 0x80)
    p++;
  gchar *norm = *p == '\0' ? g_ascii_strdown (name, -1) : shr_lexicon_normalize (name);
  return g_strstrip (norm);
}

GPtrArray *
shr_lexicon_find_actors (const ShrLexicon *lexicon, const gchar *name)
{
  g_return_val_if_fail (lexicon != NULL, NULL);
  GPtrArray *out = g_ptr_array_new ();
  if (name == NULL)
    return out;
  g_autofree gchar *norm = shr_lexicon_normalize_name (name);
  const GArray *names = lexicon->actor_names;
  guint lo = 0, hi = names->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (strcmp (g_array_index (names, ActorName, mid).norm, norm) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < names->len && strcmp (g_array_index (names, ActorName, i).norm, norm) == 0; i++)
    {
      gconstpointer e = g_array_index (names, ActorName, i).entry;
      if (out->len == 0 || !g_ptr_array_find (out, e, NULL))
        g_ptr_array_add (out, (gpointer)e);
    }
  return out;
}

static void
add_other_name (GPtrArray *out, GHashTable *seen, const gchar *name)
{
  gchar *norm = shr_lexicon_normalize_name (name);
  if (*norm != '\0' && g_hash_table_add (seen, norm))
    g_ptr_array_add (out, (gpointer)name);
  else if (*norm == '\0')
    g_free (norm);
}

GPtrArray *
shr_lexicon_actor_names (const ShrLexicon *lexicon, const gchar *name)
{
  g_autoptr (GPtrArray) rows = shr_lexicon_find_actors (lexicon, name);
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (seen, shr_lexicon_normalize_name (name));
  for (guint i = 0; i < rows->len; i++)
    {
      const ShrActorEntry *e = rows->pdata[i];
      add_other_name (out, seen, e->name);
      for (const gchar *const *a = e->aliases; *a != NULL; a++)
        add_other_name (out, seen, *a);
    }
  return out;
}

gboolean
shr_lexicon_same_actor (const ShrLexicon *lexicon, const gchar *a, const gchar *b)
{
  g_autoptr (GPtrArray) x = shr_lexicon_find_actors (lexicon, a);
  g_autoptr (GPtrArray) y = shr_lexicon_find_actors (lexicon, b);
  for (guint i = 0; i < x->len; i++)
    for (guint j = 0; j < y->len; j++)
      if (x->pdata[i] == y->pdata[j])
        return TRUE;
  return FALSE;
}
