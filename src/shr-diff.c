/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-diff.c — see shr-diff.h. */
#include "shr-diff.h"

#include <string.h>

/* The lines of @text, without their line ends. */
static GPtrArray *
split_lines (const gchar *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  if (text == NULL || *text == '\0')
    return lines;
  const gchar *p = text;
  while (*p != '\0')
    {
      const gchar *nl = strchr (p, '\n');
      if (nl == NULL)
        {
          g_ptr_array_add (lines, g_strdup (p));
          break;
        }
      g_ptr_array_add (lines, g_strndup (p, nl - p));
      p = nl + 1;
    }
  return lines;
}

typedef enum
{
  OP_SAME,
  OP_DEL,
  OP_ADD,
} Op;

typedef struct
{
  Op op;
  guint a; /* index in old (SAME, DEL) */
  guint b; /* index in new (SAME, ADD) */
} Step;

static gboolean
same_line (GPtrArray *a, guint i, GPtrArray *b, guint j)
{
  return strcmp (a->pdata[i], b->pdata[j]) == 0;
}

/* The edit script from @a to @b: common start and end as they are, the
 * middle by a longest common subsequence (or replaced whole past the cap). */
static GArray *
edit_script (GPtrArray *a, GPtrArray *b)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (Step));
  guint head = 0;
  while (head < a->len && head < b->len && same_line (a, head, b, head))
    head++;
  guint tail = 0;
  while (tail < a->len - head && tail < b->len - head
         && same_line (a, a->len - 1 - tail, b, b->len - 1 - tail))
    tail++;
  for (guint i = 0; i < head; i++)
    g_array_append_val (steps, ((Step){ OP_SAME, i, i }));
  guint n = a->len - head - tail, m = b->len - head - tail;
  if ((guint64)(n + 1) * (m + 1) > SHR_DIFF_MAX_CELLS)
    {
      for (guint i = 0; i < n; i++)
        g_array_append_val (steps, ((Step){ OP_DEL, head + i, 0 }));
      for (guint j = 0; j < m; j++)
        g_array_append_val (steps, ((Step){ OP_ADD, 0, head + j }));
    }
  else
    {
      /* lcs[i][j]: the longest common subsequence of a[i..n) and b[j..m). */
      guint32 *lcs = g_new0 (guint32, (gsize)(n + 1) * (m + 1));
#define LCS(i, j) lcs[(gsize)(i) * (m + 1) + (j)]
      for (guint i = n; i-- > 0;)
        for (guint j = m; j-- > 0;)
          LCS (i, j) = same_line (a, head + i, b, head + j) ? LCS (i + 1, j + 1) + 1
                                                            : MAX (LCS (i + 1, j), LCS (i, j + 1));
      guint i = 0, j = 0;
      while (i < n || j < m)
        {
          if (i < n && j < m && same_line (a, head + i, b, head + j))
            {
              g_array_append_val (steps, ((Step){ OP_SAME, head + i, head + j }));
              i++, j++;
            }
          else if (j == m || (i < n && LCS (i + 1, j) >= LCS (i, j + 1)))
            g_array_append_val (steps, ((Step){ OP_DEL, head + i++, 0 }));
          else
            g_array_append_val (steps, ((Step){ OP_ADD, 0, head + j++ }));
        }
#undef LCS
      g_free (lcs);
    }
  for (guint k = 0; k < tail; k++)
    g_array_append_val (steps, ((Step){ OP_SAME, a->len - tail + k, b->len - tail + k }));
  return steps;
}

/* "start,count" of a hunk's range (diff -u: a range of one line is just
 * its number; an empty range names the line before it). */
static void
append_range (GString *out, guint start, guint count)
{
  if (count == 1)
    g_string_append_printf (out, "%u", start + 1);
  else
    g_string_append_printf (out, "%u,%u", count == 0 ? start : start + 1, count);
}

gchar *
shr_diff_unified (const gchar *old_text, const gchar *new_text, const gchar *old_label,
                  const gchar *new_label, guint context)
{
  g_autoptr (GPtrArray) a = split_lines (old_text);
  g_autoptr (GPtrArray) b = split_lines (new_text);
  g_autoptr (GArray) steps = edit_script (a, b);
  GString *out = g_string_new (NULL);
  guint k = 0;
  while (k < steps->len)
    {
      /* The next change, and the hunk around it: changes closer than
       * twice the context join one hunk. */
      while (k < steps->len && g_array_index (steps, Step, k).op == OP_SAME)
        k++;
      if (k == steps->len)
        break;
      guint start = k >= context ? k - context : 0;
      guint end = k;
      for (;;)
        {
          while (end < steps->len && g_array_index (steps, Step, end).op != OP_SAME)
            end++;
          guint same = 0;
          while (end + same < steps->len && g_array_index (steps, Step, end + same).op == OP_SAME)
            same++;
          if (end + same == steps->len || same > 2 * context)
            {
              end += MIN (same, context);
              break;
            }
          end += same;
        }
      if (out->len == 0)
        g_string_append_printf (out, "--- %s\n+++ %s\n", old_label, new_label);
      /* Where the hunk starts in each text, and how many lines of each. */
      guint a_start = 0, b_start = 0, a_count = 0, b_count = 0;
      gboolean a_set = FALSE, b_set = FALSE;
      for (guint s = 0; s < start; s++)
        {
          const Step *st = &g_array_index (steps, Step, s);
          if (st->op != OP_ADD)
            a_start = st->a + 1;
          if (st->op != OP_DEL)
            b_start = st->b + 1;
        }
      for (guint s = start; s < end; s++)
        {
          const Step *st = &g_array_index (steps, Step, s);
          if (st->op != OP_ADD)
            {
              if (!a_set)
                a_start = st->a, a_set = TRUE;
              a_count++;
            }
          if (st->op != OP_DEL)
            {
              if (!b_set)
                b_start = st->b, b_set = TRUE;
              b_count++;
            }
        }
      g_string_append (out, "@@ -");
      append_range (out, a_start, a_count);
      g_string_append (out, " +");
      append_range (out, b_start, b_count);
      g_string_append (out, " @@\n");
      for (guint s = start; s < end; s++)
        {
          const Step *st = &g_array_index (steps, Step, s);
          const gchar *line = st->op == OP_ADD ? b->pdata[st->b] : a->pdata[st->a];
          g_string_append_c (out, st->op == OP_SAME ? ' ' : st->op == OP_DEL ? '-' : '+');
          g_string_append (out, line);
          g_string_append_c (out, '\n');
        }
      k = end;
    }
  return g_string_free (out, FALSE);
}
