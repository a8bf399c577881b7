/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-text.h"

/* shr_text_split() must cut exactly where g_strsplit() does: the reader and
 * the extractor switched from one to the other with the same results. */
static void
assert_splits_as_glib (const gchar *text, const gchar *sep)
{
  g_auto (GStrv) expected = g_strsplit (text, sep, -1);
  g_autofree gchar **got = shr_text_split (text, sep);
  g_assert_cmpuint (g_strv_length (got), ==, g_strv_length (expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (got[i], ==, expected[i]);
}

static void
test_split_like_glib (void)
{
  static const gchar *const texts[] = {
    "",
    "one line",
    "\n",
    "a\nb\n",
    "\n\nleading and trailing\n\n",
    "Summary\n\nAn advisory.\n\n\nFixed in 1.2.3\n",
    "a\n\n\nb",
    "\xe6\xa6\x82\xe8\xa6\x81\n\xe5\xaf\xbe\xe7\xad\x96\n", /* 概要, 対策 */
    "  two  spaces  ",
  };
  static const gchar *const seps[] = { "\n", "\n\n", " " };
  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    for (gsize s = 0; s < G_N_ELEMENTS (seps); s++)
      assert_splits_as_glib (texts[t], seps[s]);
}

static void
test_split_pieces_writable (void)
{
  /* Callers strip pieces in place; one piece's change stays in it. */
  g_autofree gchar **lines = shr_text_split ("  first  \nsecond\n", "\n");
  g_assert_cmpstr (g_strstrip (lines[0]), ==, "first");
  g_assert_cmpstr (lines[1], ==, "second");
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_null (lines[3]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/split/like-glib", test_split_like_glib);
  g_test_add_func ("/text/split/pieces-writable", test_split_pieces_writable);
  return g_test_run ();
}
