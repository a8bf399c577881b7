/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-util.h — shared by the tests: the test word lists (tests/data/vocab:
 * a few products and regions; data/sectors.tsv: the real sectors), files
 * in a scratch directory, and removing that directory afterwards. */
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

/* Removes @dir and everything below it (a test's scratch directory). */
static inline void
test_remove_tree (const gchar *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}
