/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-vocab.c — the vocabulary interface and a plain word-table loader. */
#include "config.h"

#include "shr-vocab.h"

#include <string.h>

#include "shr-error.h"

gchar *
shr_vocab_normalize (const gchar *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  /* ASCII: NFKC keeps it, casefolding lowers it, and its white space is
   * \t \n \f \r and the space (g_unichar_isspace). */
  const gchar *q = text;
  while (*q != '\0' && (guchar)*q < 0x80)
    q++;
  if (*q == '\0')
    {
      GString *out = g_string_sized_new (q - text);
      gboolean space = FALSE;
      for (const gchar *p = text; *p; p++)
        {
          if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            {
              space = out->len > 0;
              continue;
            }
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, g_ascii_tolower (*p));
        }
      return g_string_free (out, FALSE);
    }
  g_autofree gchar *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  if (nfkc == NULL) /* not UTF-8 */
    return g_strdup ("");
  g_autofree gchar *folded = g_utf8_casefold (nfkc, -1);
  GString *out = g_string_sized_new (strlen (folded));
  gboolean space = FALSE;
  for (const gchar *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

const ShrProductEntry *
shr_vocabulary_find_product (const ShrVocabulary *vocab, const gchar *name)
{
  if (vocab == NULL || vocab->find_product == NULL || name == NULL)
    return NULL;
  return vocab->find_product (vocab->data, name);
}

const ShrLabelEntry *
shr_vocabulary_find_sector (const ShrVocabulary *vocab, const gchar *key)
{
  if (vocab == NULL || vocab->find_sector == NULL || key == NULL)
    return NULL;
  return vocab->find_sector (vocab->data, key);
}

const ShrLabelEntry *
shr_vocabulary_find_region (const ShrVocabulary *vocab, const gchar *key)
{
  if (vocab == NULL || vocab->find_region == NULL || key == NULL)
    return NULL;
  return vocab->find_region (vocab->data, key);
}

gboolean
shr_vendors_conflict (const gchar *a, const gchar *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  g_autofree gchar *na = shr_vocab_normalize (a);
  g_autofree gchar *nb = shr_vocab_normalize (b);
  if (*na == '\0' || *nb == '\0')
    return FALSE;
  /* "Mitsubishi Electric" and 「三菱電機株式会社」 cannot be compared by
   * their letters: not knowing is no conflict. */
  gboolean ascii_a = TRUE, ascii_b = TRUE;
  for (const guchar *p = (const guchar *)na; *p && ascii_a; p++)
    ascii_a = *p < 0x80;
  for (const guchar *p = (const guchar *)nb; *p && ascii_b; p++)
    ascii_b = *p < 0x80;
  if (ascii_a != ascii_b)
    return FALSE;
  return strstr (na, nb) == NULL && strstr (nb, na) == NULL;
}

const ShrProductEntry *
shr_vocabulary_find_named (const ShrVocabulary *vocab, const gchar *vendor, const gchar *product)
{
  if (vocab == NULL || product == NULL || *product == '\0')
    return NULL;
  const ShrProductEntry *e = NULL;
  if (vendor != NULL && *vendor != '\0')
    {
      g_autofree gchar *full = g_strdup_printf ("%s %s", vendor, product);
      e = shr_vocabulary_find_product (vocab, full);
      if (e != NULL)
        return e;
    }
  e = shr_vocabulary_find_product (vocab, product);
  if (e == NULL && strchr (product, ' ') == NULL)
    {
      g_autofree gchar *pkg = g_strconcat ("pkg:", product, NULL);
      e = shr_vocabulary_find_product (vocab, pkg);
    }
  if (e != NULL && shr_vendors_conflict (e->vendor, vendor))
    return NULL;
  return e;
}

/* Whether @to is @from or reached from it through @links: a group's
 * members, down to the countries; a sector's parents, up to the broadest.
 * The graphs are a few dozen nodes two or three deep: a walk is cheaper
 * than keeping every closure. @depth bounds a cycle the files should never
 * have (update-data refuses one). */
static gboolean
reaches (const gchar *const *(*links) (gconstpointer, const gchar *), gconstpointer data, const gchar *from,
         const gchar *to, guint depth)
{
  if (g_ascii_strcasecmp (from, to) == 0)
    return TRUE;
  const gchar *const *next = links (data, from);
  for (guint i = 0; next != NULL && next[i] != NULL && depth < 8; i++)
    if (reaches (links, data, next[i], to, depth + 1))
      return TRUE;
  return FALSE;
}

gboolean
shr_vocabulary_region_within (const ShrVocabulary *vocab, const gchar *code, const gchar *group)
{
  if (code == NULL || group == NULL)
    return FALSE;
  /* Other codes for a region ("UK") compare as the record's ("GB"). */
  const ShrLabelEntry *c = shr_vocabulary_find_region (vocab, code);
  const ShrLabelEntry *g = shr_vocabulary_find_region (vocab, group);
  if (c == NULL || g == NULL || vocab->region_members == NULL)
    return g_ascii_strcasecmp (code, group) == 0;
  return reaches (vocab->region_members, vocab->data, g->key, c->key, 0);
}

const gchar *const *
shr_vocabulary_sector_parents (const ShrVocabulary *vocab, const gchar *key)
{
  if (vocab == NULL || vocab->sector_parents == NULL || key == NULL)
    return NULL;
  return vocab->sector_parents (vocab->data, key);
}

gboolean
shr_vocabulary_sector_within (const ShrVocabulary *vocab, const gchar *key, const gchar *broader)
{
  if (key == NULL || broader == NULL)
    return FALSE;
  /* STIX names and keys alike: compare the keys they stand for. */
  const ShrLabelEntry *k = shr_vocabulary_find_sector (vocab, key);
  const ShrLabelEntry *b = shr_vocabulary_find_sector (vocab, broader);
  key = k != NULL ? k->key : key;
  broader = b != NULL ? b->key : broader;
  if (vocab == NULL || vocab->sector_parents == NULL)
    return g_ascii_strcasecmp (key, broader) == 0;
  return reaches (vocab->sector_parents, vocab->data, key, broader, 0);
}

GPtrArray *
shr_vocabulary_sector_keys (const ShrVocabulary *vocab)
{
  if (vocab == NULL || vocab->list_sectors == NULL)
    return NULL;
  return vocab->list_sectors (vocab->data);
}

/* ---- the lexicon ---------------------------------------------------------- */

static const ShrProductEntry *
lexicon_find_product (gconstpointer data, const gchar *name)
{
  return shr_lexicon_find_product (data, name);
}

static const ShrLabelEntry *
lexicon_find_sector (gconstpointer data, const gchar *key)
{
  return shr_lexicon_find_sector (data, key);
}

static const ShrLabelEntry *
lexicon_find_region (gconstpointer data, const gchar *key)
{
  return shr_lexicon_find_region (data, key);
}

static const gchar *const *
lexicon_region_members (gconstpointer data, const gchar *code)
{
  return shr_lexicon_region_members (data, code);
}

static const gchar *const *
lexicon_sector_parents (gconstpointer data, const gchar *key)
{
  return shr_lexicon_sector_parents (data, key);
}

ShrVocabulary
shr_vocabulary_for_lexicon (const ShrLexicon *lexicon)
{
  ShrVocabulary v = {
    .find_product = lexicon_find_product,
    .find_sector = lexicon_find_sector,
    .find_region = lexicon_find_region,
    .list_sectors = NULL,
    .data = lexicon,
    .region_members = lexicon_region_members,
    .sector_parents = lexicon_sector_parents,
  };
  return v;
}

/* ---- word tables -------------------------------------------------------- */

typedef struct
{
  ShrProductEntry entry;
  gchar **aliases;
} ProductRow;

typedef struct
{
  ShrLabelEntry entry;
  gchar *fields[3];
  gchar **links; /* a sector's parents, a group's members (NULL-terminated) */
} LabelRow;

struct _ShrWordTables
{
  GPtrArray *products;         /* ProductRow* */
  GHashTable *product_by_name; /* normalised name → ProductRow* (borrowed) */
  GPtrArray *sectors;          /* LabelRow* */
  GHashTable *sector_by_key;
  GPtrArray *regions;
  GHashTable *region_by_key; /* codes and other codes ("UK"), upper case */
  GHashTable *names;         /* owned keys of the two indexes above */
};

static void
product_row_free (gpointer data)
{
  ProductRow *row = data;
  g_free ((gchar *)row->entry.vendor);
  g_free ((gchar *)row->entry.product);
  g_strfreev (row->aliases);
  g_free (row);
}

static void
label_row_free (gpointer data)
{
  LabelRow *row = data;
  for (int i = 0; i < 3; i++)
    g_free (row->fields[i]);
  g_strfreev (row->links);
  g_free (row);
}

void
shr_word_tables_free (ShrWordTables *t)
{
  if (t == NULL)
    return;
  g_hash_table_unref (t->product_by_name);
  g_hash_table_unref (t->sector_by_key);
  g_hash_table_unref (t->region_by_key);
  g_hash_table_unref (t->names);
  g_ptr_array_unref (t->products);
  g_ptr_array_unref (t->sectors);
  g_ptr_array_unref (t->regions);
  g_free (t);
}

/* Reads @path line by line into fields split by TAB; calls @row for each
 * data line. A missing file is not an error (its table stays empty). */
static gboolean
read_tsv (const gchar *path, guint min_fields, gboolean (*row) (ShrWordTables *, gchar **, GError **),
          ShrWordTables *t, GError **error)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE, "%s: not UTF-8", path);
      return FALSE;
    }
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* Only the line end: trailing TABs are empty fields ("vendor<TAB><TAB>"). */
      gsize len = strlen (lines[i]);
      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][len - 1] = '\0';
      const gchar *c = lines[i];
      while (*c == ' ' || *c == '\t')
        c++;
      if (*c == '\0' || lines[i][0] == '#')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (f) < min_fields)
        {
          g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                       "%s:%u: expected %u TAB-separated fields", path, i + 1, min_fields);
          return FALSE;
        }
      if (!row (t, f, error))
        {
          g_prefix_error (error, "%s:%u: ", path, i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static void
index_name (GHashTable *index, const gchar *name, gpointer row)
{
  if (name == NULL || *name == '\0')
    return;
  gchar *key = shr_vocab_normalize (name);
  if (g_hash_table_contains (index, key))
    g_free (key); /* the first row keeps a name two rows share */
  else
    g_hash_table_insert (index, key, row);
}

static gboolean
product_row (ShrWordTables *t, gchar **f, GError **error)
{
  if (f[1][0] == '\0')
    return TRUE; /* a vendor-only row names no product */
  ProductRow *row = g_new0 (ProductRow, 1);
  row->entry.vendor = f[0][0] ? g_strdup (f[0]) : NULL;
  /* '~' marks an everyday word for the extractor (shr-lexicon.h). */
  row->entry.product = g_strdup (f[1][0] == '~' ? f[1] + 1 : f[1]);
  row->aliases = f[2] != NULL && f[2][0] ? g_strsplit (f[2], "|", -1) : g_new0 (gchar *, 1);
  row->entry.aliases = (const gchar *const *)row->aliases;
  g_ptr_array_add (t->products, row);

  index_name (t->product_by_name, row->entry.product, row);
  if (row->entry.vendor != NULL)
    {
      g_autofree gchar *full = g_strdup_printf ("%s %s", row->entry.vendor, row->entry.product);
      index_name (t->product_by_name, full, row);
    }
  for (gchar **a = row->aliases; *a != NULL; a++)
    index_name (t->product_by_name, *a[0] == '~' ? *a + 1 : *a, row);
  return TRUE;
}

static const gchar *
owned_name (ShrWordTables *t, gchar *name)
{
  g_hash_table_add (t->names, name);
  return name;
}

/* Field @i of a row, NULL when the row is shorter. */
static gchar *
nth_field (gchar **f, guint i)
{
  for (guint k = 0; k < i; k++)
    if (f[k] == NULL)
      return NULL;
  return f[i];
}

/* A sector or region row; @links_col holds its parents or members. */
static LabelRow *
label_row (GPtrArray *rows, gchar **f, guint links_col)
{
  LabelRow *row = g_new0 (LabelRow, 1);
  for (int i = 0; i < 3; i++)
    row->fields[i] = g_strdup (f[i]);
  row->entry.key = row->fields[0];
  row->entry.label_ja = row->fields[1];
  row->entry.label_en = row->fields[2];
  gchar *links = nth_field (f, links_col);
  row->links = links != NULL && *g_strstrip (links) ? g_strsplit (links, "|", -1) : g_new0 (gchar *, 1);
  g_ptr_array_add (rows, row);
  return row;
}

static gboolean
sector_row (ShrWordTables *t, gchar **f, GError **error)
{
  if (strcmp (f[0], "-") == 0) /* phrases that name no sector */
    return TRUE;
  LabelRow *row = label_row (t->sectors, f, SHR_SECTOR_PARENTS_COL);
  g_hash_table_insert (t->sector_by_key, (gpointer)owned_name (t, g_ascii_strdown (row->fields[0], -1)), row);
  /* The STIX names a key stands for find it too. */
  gchar *stix_names = nth_field (f, SHR_SECTOR_STIX_COL);
  if (stix_names != NULL && *stix_names)
    {
      g_auto (GStrv) stix = g_strsplit (stix_names, "|", -1);
      for (guint i = 0; stix[i] != NULL; i++)
        {
          gchar *name = g_ascii_strdown (g_strstrip (stix[i]), -1);
          if (*name == '\0' || g_hash_table_contains (t->sector_by_key, name))
            g_free (name);
          else
            g_hash_table_insert (t->sector_by_key, (gpointer)owned_name (t, name), row);
        }
    }
  return TRUE;
}

static gboolean
region_row (ShrWordTables *t, gchar **f, GError **error)
{
  if (strcmp (f[0], "-") == 0) /* phrases that name no region */
    return TRUE;
  /* "GB=UK": the code, then other codes profiles may use for it. */
  g_auto (GStrv) codes = g_strsplit (f[0], "=", -1);
  gchar *whole = f[0];
  f[0] = codes[0];
  LabelRow *row = label_row (t->regions, f, SHR_REGION_MEMBERS_COL);
  f[0] = whole;
  for (guint i = 0; codes[i] != NULL; i++)
    {
      gchar *code = g_ascii_strup (g_strstrip (codes[i]), -1);
      if (g_hash_table_contains (t->region_by_key, code))
        g_free (code);
      else
        g_hash_table_insert (t->region_by_key, (gpointer)owned_name (t, code), row);
    }
  return TRUE;
}

ShrWordTables *
shr_word_tables_load_files (const gchar *products, const gchar *sectors, const gchar *regions, GError **error)
{
  g_autoptr (ShrWordTables) t = g_new0 (ShrWordTables, 1);
  t->products = g_ptr_array_new_with_free_func (product_row_free);
  t->sectors = g_ptr_array_new_with_free_func (label_row_free);
  t->regions = g_ptr_array_new_with_free_func (label_row_free);
  t->product_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->sector_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  t->region_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  t->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if ((products != NULL && !read_tsv (products, 2, product_row, t, error))
      || (sectors != NULL && !read_tsv (sectors, 3, sector_row, t, error))
      || (regions != NULL && !read_tsv (regions, 3, region_row, t, error)))
    return NULL;
  return g_steal_pointer (&t);
}

ShrWordTables *
shr_word_tables_load (const gchar *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_autofree gchar *products = g_build_filename (dir, "products.tsv", NULL);
  g_autofree gchar *sectors = g_build_filename (dir, "sectors.tsv", NULL);
  g_autofree gchar *regions = g_build_filename (dir, "regions.tsv", NULL);
  g_autoptr (ShrWordTables) t = shr_word_tables_load_files (products, sectors, regions, error);
  if (t == NULL)
    return NULL;
  /* The generated list after the hand-written one: a name both give keeps
   * the hand-written row (index_name keeps the first). */
  g_autofree gchar *kev = g_build_filename (dir, "products-kev.tsv", NULL);
  if (!read_tsv (kev, 2, product_row, t, error))
    return NULL;
  return g_steal_pointer (&t);
}

static const ShrProductEntry *
tables_find_product (gconstpointer data, const gchar *name)
{
  const ShrWordTables *t = data;
  g_autofree gchar *key = shr_vocab_normalize (name);
  ProductRow *row = g_hash_table_lookup (t->product_by_name, key);
  return row != NULL ? &row->entry : NULL;
}

static const ShrLabelEntry *
tables_find_sector (gconstpointer data, const gchar *key)
{
  const ShrWordTables *t = data;
  g_autofree gchar *lower = g_ascii_strdown (key, -1);
  LabelRow *row = g_hash_table_lookup (t->sector_by_key, lower);
  return row != NULL ? &row->entry : NULL;
}

static const ShrLabelEntry *
tables_find_region (gconstpointer data, const gchar *key)
{
  const ShrWordTables *t = data;
  g_autofree gchar *upper = g_ascii_strup (key, -1);
  LabelRow *row = g_hash_table_lookup (t->region_by_key, upper);
  return row != NULL ? &row->entry : NULL;
}

static const gchar *const *
tables_region_members (gconstpointer data, const gchar *code)
{
  const ShrLabelEntry *e = tables_find_region (data, code);
  return e != NULL && ((const LabelRow *)e)->links[0] != NULL
             ? (const gchar *const *)((const LabelRow *)e)->links
             : NULL;
}

static const gchar *const *
tables_sector_parents (gconstpointer data, const gchar *key)
{
  const ShrLabelEntry *e = tables_find_sector (data, key);
  return e != NULL ? (const gchar *const *)((const LabelRow *)e)->links : NULL;
}

static GPtrArray *
tables_list_sectors (gconstpointer data)
{
  const ShrWordTables *t = data;
  GPtrArray *keys = g_ptr_array_new ();
  for (guint i = 0; i < t->sectors->len; i++)
    g_ptr_array_add (keys, ((LabelRow *)t->sectors->pdata[i])->fields[0]);
  return keys;
}

ShrVocabulary
shr_word_tables_vocabulary (const ShrWordTables *tables)
{
  ShrVocabulary v = {
    .find_product = tables_find_product,
    .find_sector = tables_find_sector,
    .find_region = tables_find_region,
    .list_sectors = tables_list_sectors,
    .data = tables,
    .region_members = tables_region_members,
    .sector_parents = tables_sector_parents,
  };
  return v;
}
