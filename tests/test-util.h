/* test-util.h — shared by the match and config tests: the test word lists
 * (tests/data/vocab: a few products and regions; data/sectors.tsv: the
 * real sectors) and a scratch directory for config files. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "shr-vocab.h"

static inline const gchar *
test_srcdir (void)
{
  const gchar *d = g_getenv ("SHR_TOP_SRCDIR");
  return d != NULL ? d : SHR_SRCDIR;
}

static inline ShrWordTables *
test_word_tables (void)
{
  g_autofree gchar *products
      = g_build_filename (test_srcdir (), "tests", "data", "vocab", "products.tsv", NULL);
  g_autofree gchar *sectors = g_build_filename (test_srcdir (), "data", "sectors.tsv", NULL);
  g_autofree gchar *regions
      = g_build_filename (test_srcdir (), "tests", "data", "vocab", "regions.tsv", NULL);
  g_autoptr (GError) error = NULL;
  ShrWordTables *t = shr_word_tables_load_files (products, sectors, regions, &error);
  g_assert_no_error (error);
  return t;
}

/* Writes @text to @dir/@name with @mode; returns the path (caller frees). */
static inline gchar *
test_write_file (const gchar *dir, const gchar *name, const gchar *text, int mode)
{
  gchar *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}
