/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the fuzz target over files, without libFuzzer: `make check` runs
 * it over the seed corpus (every fixture mail and the crashers found so
 * far), so a fixed crash stays fixed. Usage: fuzz-standalone FILE|DIR... */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
run_path (const gchar *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      guint n = 0;
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const gchar *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          if (!g_file_test (child, G_FILE_TEST_IS_DIR))
            n += run_path (child);
        }
      return n;
    }
  gchar *contents = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &contents, &len, NULL))
    {
      fprintf (stderr, "fuzz-standalone: cannot read %s\n", path);
      exit (1);
    }
  LLVMFuzzerTestOneInput ((const uint8_t *)contents, len);
  g_free (contents);
  return 1;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++)
    n += run_path (argv[i]);
  printf ("fuzz-standalone: %u inputs, no crash\n", n);
  return n > 0 ? 0 : 1;
}
