/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-html.h"

#include <string.h>

typedef struct
{
  GString *out;
  gsize max_bytes;
  gboolean truncated;
  gboolean pending_space; /* collapsed whitespace not yet written */
  guint pending_newlines; /* block boundaries not yet written */
  guint row_cells;        /* cells opened in the current table row */
  guint pending_cells;    /* cell boundaries not yet written */
} Writer;

static void
writer_block (Writer *w, guint newlines)
{
  if (w->pending_newlines < newlines)
    w->pending_newlines = newlines;
  w->pending_space = FALSE;
}

static void
writer_append (Writer *w, const gchar *s, gsize len)
{
  if (w->truncated)
    return;
  if (w->out->len > 0)
    {
      if (w->pending_newlines > 0)
        {
          /* Never more than one blank line, whatever the markup nests. */
          gsize have = 0;
          for (gsize i = w->out->len; i > 0 && w->out->str[i - 1] == '\n'; i--)
            have++;
          while (have < w->pending_newlines)
            {
              g_string_append_c (w->out, '\n');
              have++;
            }
        }
      else if (w->pending_cells > 0 && w->out->str[w->out->len - 1] != '\n')
        {
          /* Cells of a row stay on its line, " | " between them, so a
           * table keeps its columns as text (empty cells included). */
          for (guint c = 0; c < w->pending_cells; c++)
            g_string_append (w->out, " | ");
        }
      else if (w->pending_space && w->out->str[w->out->len - 1] != '\n')
        g_string_append_c (w->out, ' ');
    }
  w->pending_newlines = 0;
  w->pending_cells = 0;
  w->pending_space = FALSE;
  if (w->out->len + len > w->max_bytes)
    {
      w->truncated = TRUE;
      return;
    }
  g_string_append_len (w->out, s, len);
}

/* Text between tags: HTML collapses every run of white space to one. */
static void
writer_text (Writer *w, const gchar *s, gsize len)
{
  gsize i = 0;
  while (i < len)
    {
      if (g_ascii_isspace (s[i]))
        {
          if (w->out->len > 0 || w->pending_newlines > 0)
            w->pending_space = TRUE;
          i++;
          continue;
        }
      gsize start = i;
      while (i < len && !g_ascii_isspace (s[i]))
        i++;
      writer_append (w, s + start, i - start);
    }
}

static const struct
{
  const gchar *name;
  gunichar ch;
} named_entities[] = {
  { "amp", '&' },      { "lt", '<' },       { "gt", '>' },       { "quot", '"' },     { "apos", '\'' },
  { "nbsp", 0x00A0 },  { "copy", 0x00A9 },  { "reg", 0x00AE },   { "trade", 0x2122 }, { "hellip", 0x2026 },
  { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C },
  { "rdquo", 0x201D }, { "laquo", 0x00AB }, { "raquo", 0x00BB }, { "bull", 0x2022 },  { "middot", 0x00B7 },
  { "yen", 0x00A5 },   { "euro", 0x20AC },  { "times", 0x00D7 }, { "deg", 0x00B0 },   { "shy", 0x00AD },
  { "zwnj", 0x200C },  { "zwj", 0x200D },   { "ensp", 0x2002 },  { "emsp", 0x2003 },  { "thinsp", 0x2009 },
  { "larr", 0x2190 },  { "rarr", 0x2192 },  { "check", 0x2713 },
};

gunichar
shr_html_entity_decode (const gchar *name, gsize len)
{
  if (len >= 2 && name[0] == '#')
    {
      guint64 value = 0;
      gboolean hex = (name[1] == 'x' || name[1] == 'X');
      gsize i = hex ? 2 : 1;
      if (i >= len)
        return 0;
      for (; i < len; i++)
        {
          gint d = hex ? g_ascii_xdigit_value (name[i]) : g_ascii_digit_value (name[i]);
          if (d < 0)
            return 0;
          value = value * (hex ? 16 : 10) + d;
          if (value > 0x10FFFF)
            return 0xFFFD;
        }
      /* NUL, surrogates and C1 controls are never text. */
      if (value == 0 || (value >= 0xD800 && value <= 0xDFFF))
        return 0xFFFD;
      if (value >= 0x80 && value <= 0x9F)
        return 0xFFFD;
      return (gunichar)value;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (named_entities); i++)
    if (strlen (named_entities[i].name) == len && strncmp (named_entities[i].name, name, len) == 0)
      return named_entities[i].ch;
  return 0;
}

/* Text with entities decoded, as UTF-8, appended to @dest. */
static void
decode_entities (GString *dest, const gchar *s, gsize len)
{
  gsize i = 0;
  while (i < len)
    {
      /* Text up to the next '&' goes as it is. */
      const gchar *amp = memchr (s + i, '&', len - i);
      gsize plain = amp != NULL ? (gsize)(amp - s) : len;
      if (plain > i)
        {
          g_string_append_len (dest, s + i, plain - i);
          i = plain;
          continue;
        }
      if (s[i] == '&')
        {
          gsize j = i + 1;
          while (j < len && j - i < 12 && (g_ascii_isalnum (s[j]) || s[j] == '#'))
            j++;
          gunichar ch = shr_html_entity_decode (s + i + 1, j - i - 1);
          if (ch != 0)
            {
              if (ch == 0x00A0)
                ch = ' ';
              if (ch != 0x00AD && ch != 0x200C && ch != 0x200D)
                g_string_append_unichar (dest, ch);
              i = (j < len && s[j] == ';') ? j + 1 : j;
              continue;
            }
        }
      g_string_append_c (dest, s[i]);
      i++;
    }
}

static gboolean
tag_is (const gchar *name, gsize len, const gchar *const *list)
{
  /* The comparison stops at the end of a shorter entry (a tag name holds
   * no NUL); the entry must then end where the name does. */
  for (gsize i = 0; list[i] != NULL; i++)
    if (g_ascii_strncasecmp (list[i], name, len) == 0 && list[i][len] == '\0')
      return TRUE;
  return FALSE;
}

static const gchar *const block_tags[]
    = { "p",      "div", "h1",         "h2",      "h3",      "h4",      "h5",     "h6",     "table",
        "ul",     "ol",  "blockquote", "pre",     "section", "article", "header", "footer", "hr",
        "center", "dl",  "form",       "address", "main",    "nav",     "aside",  NULL };
static const gchar *const line_tags[] = { "br", "tr", "li", "dt", "dd", "title", NULL };
static const gchar *const cell_tags[] = { "td", "th", NULL };
/* Elements whose content is never shown as text. */
static const gchar *const hidden_tags[]
    = { "script", "style", "head", "noscript", "template", "svg", "math", "object", "iframe", "xml", NULL };

/* Finds attribute @attr in the tag text [s, e) and returns its value. */
static gchar *
tag_attribute (const gchar *s, const gchar *e, const gchar *attr)
{
  gsize alen = strlen (attr);
  const gchar *p = s;
  while (p < e)
    {
      while (p < e && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      const gchar *name = p;
      while (p < e && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      gsize nlen = p - name;
      while (p < e && g_ascii_isspace (*p))
        p++;
      const gchar *value = NULL;
      gsize vlen = 0;
      if (p < e && *p == '=')
        {
          p++;
          while (p < e && g_ascii_isspace (*p))
            p++;
          if (p < e && (*p == '"' || *p == '\''))
            {
              gchar q = *p++;
              value = p;
              while (p < e && *p != q)
                p++;
              vlen = p - value;
              if (p < e)
                p++;
            }
          else
            {
              value = p;
              while (p < e && !g_ascii_isspace (*p) && *p != '>')
                p++;
              vlen = p - value;
            }
        }
      if (nlen == alen && g_ascii_strncasecmp (name, attr, alen) == 0 && value != NULL)
        {
          GString *v = g_string_new (NULL);
          decode_entities (v, value, vlen);
          return g_string_free (v, FALSE);
        }
      if (nlen == 0 && p < e)
        p++;
    }
  return NULL;
}

static void
add_link (GPtrArray *links, gchar *href)
{
  g_strstrip (href);
  if (g_ascii_strncasecmp (href, "http://", 7) != 0 && g_ascii_strncasecmp (href, "https://", 8) != 0)
    return;
  /* A link is one token: white space inside (folded markup) is dropped. */
  GString *clean = g_string_new (NULL);
  for (const gchar *p = href; *p; p++)
    if (!g_ascii_isspace (*p) && (guchar)*p >= 0x20)
      g_string_append_c (clean, *p);
  for (guint i = 0; i < links->len; i++)
    if (strcmp (g_ptr_array_index (links, i), clean->str) == 0)
      {
        g_string_free (clean, TRUE);
        return;
      }
  if (links->len < 500)
    g_ptr_array_add (links, g_string_free (clean, FALSE));
  else
    g_string_free (clean, TRUE);
}

ShrHtmlText *
shr_html_to_text (const gchar *html, gssize len, gsize max_bytes, gboolean *truncated)
{
  g_autofree gchar *valid = g_utf8_make_valid (html, len);
  const gchar *s = valid;
  gsize n = strlen (valid);
  Writer w = { g_string_new (NULL), max_bytes, FALSE, FALSE, 0, 0, 0 };
  ShrHtmlText *result = g_new0 (ShrHtmlText, 1);
  result->links = g_ptr_array_new_with_free_func (g_free);
  GString *title = NULL;
  GString *h1 = NULL;
  GString *capture = NULL;                           /* where text goes besides the output */
  g_autoptr (GString) decoded = g_string_new (NULL); /* one text run, reused */
  gsize i = 0;

  while (i < n)
    {
      if (s[i] != '<')
        {
          gsize start = i;
          while (i < n && s[i] != '<')
            i++;
          g_string_truncate (decoded, 0);
          decode_entities (decoded, s + start, i - start);
          writer_text (&w, decoded->str, decoded->len);
          if (capture != NULL && capture->len < 1000)
            g_string_append_len (capture, decoded->str, decoded->len);
          continue;
        }
      /* Comments and declarations. */
      if (i + 3 < n && strncmp (s + i, "<!--", 4) == 0)
        {
          const gchar *end = strstr (s + i + 4, "-->");
          i = end ? (gsize)(end - s) + 3 : n;
          continue;
        }
      if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?'))
        {
          const gchar *end = memchr (s + i, '>', n - i);
          i = end ? (gsize)(end - s) + 1 : n;
          continue;
        }
      gboolean closing = (i + 1 < n && s[i + 1] == '/');
      gsize name_start = i + 1 + (closing ? 1 : 0);
      gsize j = name_start;
      while (j < n && (g_ascii_isalnum (s[j]) || s[j] == ':' || s[j] == '-'))
        j++;
      gsize name_len = j - name_start;
      if (name_len == 0)
        {
          /* A lone '<' is text ("a < b"). */
          writer_text (&w, "<", 1);
          i++;
          continue;
        }
      /* The tag ends at the first '>' outside quotes. */
      gchar quote = 0;
      gsize k = j;
      while (k < n && (quote != 0 || s[k] != '>'))
        {
          if (quote == 0 && (s[k] == '"' || s[k] == '\''))
            quote = s[k];
          else if (quote != 0 && s[k] == quote)
            quote = 0;
          k++;
        }
      const gchar *name = s + name_start;
      const gchar *attrs = s + j;
      const gchar *attrs_end = s + k;
      i = k < n ? k + 1 : n;

      if (!closing && tag_is (name, name_len, hidden_tags))
        {
          /* Skip to the matching end tag; <title> inside <head> is kept. */
          g_autofree gchar *end_tag = g_strdup_printf ("</%.*s", (int)name_len, name);
          gsize p = i;
          while (p < n)
            {
              const gchar *lt = memchr (s + p, '<', n - p);
              if (lt == NULL)
                {
                  p = n;
                  break;
                }
              p = lt - s;
              if (g_ascii_strncasecmp (s + p, end_tag, strlen (end_tag)) == 0)
                break;
              if (name_len == 4 && g_ascii_strncasecmp (name, "head", 4) == 0
                  && g_ascii_strncasecmp (s + p, "<title", 6) == 0)
                {
                  const gchar *gt = memchr (s + p, '>', n - p);
                  const gchar *te = gt ? g_strstr_len (gt, n - (gt - s), "</") : NULL;
                  if (gt && te && title == NULL)
                    {
                      title = g_string_new (NULL);
                      decode_entities (title, gt + 1, te - gt - 1);
                    }
                }
              p++;
            }
          const gchar *gt = p < n ? memchr (s + p, '>', n - p) : NULL;
          i = gt ? (gsize)(gt - s) + 1 : n;
          continue;
        }

      if (tag_is (name, name_len, block_tags))
        writer_block (&w, 2);
      else if (tag_is (name, name_len, line_tags))
        writer_block (&w, 1);
      else if (tag_is (name, name_len, cell_tags) && !closing)
        {
          w.pending_space = TRUE;
          if (w.row_cells++ > 0 && w.pending_newlines == 0)
            w.pending_cells++;
        }
      if (!closing && name_len == 2 && g_ascii_strncasecmp (name, "tr", 2) == 0)
        {
          w.row_cells = 0;
          w.pending_cells = 0;
        }

      if (name_len == 2 && g_ascii_strncasecmp (name, "h1", 2) == 0)
        {
          if (!closing && h1 == NULL)
            capture = h1 = g_string_new (NULL);
          else if (closing)
            capture = NULL;
        }
      if (!closing && name_len == 2 && g_ascii_strncasecmp (name, "li", 2) == 0)
        writer_append (&w, "* ", 2);
      if (!closing && name_len == 1 && g_ascii_tolower (name[0]) == 'a')
        {
          gchar *href = tag_attribute (attrs, attrs_end, "href");
          if (href != NULL)
            {
              add_link (result->links, href);
              g_free (href);
            }
        }
      if (!closing && name_len == 3 && g_ascii_strncasecmp (name, "img", 3) == 0)
        {
          g_autofree gchar *alt = tag_attribute (attrs, attrs_end, "alt");
          if (alt != NULL && *alt != '\0')
            writer_text (&w, alt, strlen (alt));
        }
    }

  g_string_append_c (w.out, '\n');
  result->text = g_string_free (w.out, FALSE);
  GString *chosen = (title && title->len > 0) ? title : h1;
  if (chosen != NULL)
    {
      GString *collapsed = g_string_new (NULL);
      gboolean space = FALSE;
      for (gsize p = 0; p < chosen->len; p++)
        {
          if (g_ascii_isspace (chosen->str[p]))
            space = collapsed->len > 0;
          else
            {
              if (space)
                g_string_append_c (collapsed, ' ');
              space = FALSE;
              g_string_append_c (collapsed, chosen->str[p]);
            }
        }
      result->title
          = collapsed->len ? g_string_free (collapsed, FALSE) : (g_string_free (collapsed, TRUE), NULL);
    }
  if (title)
    g_string_free (title, TRUE);
  if (h1)
    g_string_free (h1, TRUE);
  if (truncated)
    *truncated = w.truncated;
  return result;
}

void
shr_html_text_free (ShrHtmlText *text)
{
  if (text == NULL)
    return;
  g_free (text->text);
  g_free (text->title);
  g_ptr_array_unref (text->links);
  g_free (text);
}
