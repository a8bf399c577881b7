/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-mustache.c — Mustache templates: a parser to a node tree, and a
 * renderer that walks the tree over a json-glib view.
 *
 * Parsing resolves everything the spec decides from the template text alone
 * (tag kinds, delimiters, standalone lines), so rendering is a plain tree
 * walk. Partial indentation is applied while rendering, not by rewriting the
 * partial's source: the renderer keeps the current indentation and writes it
 * at the start of every line that comes from template text. That way one
 * compiled partial serves every indentation it is included at, and newlines
 * inside interpolated values are never indented (as the spec requires). */
#include "shr-mustache.h"

#include <math.h>
#include <string.h>

#include "shr-error.h"
#include "shr-limits.h"

typedef enum
{
  NODE_TEXT,
  NODE_VAR,      /* {{x}}: escaped in HTML mode */
  NODE_RAW,      /* {{{x}}} and {{&x}} */
  NODE_SECTION,  /* {{#x}} */
  NODE_INVERTED, /* {{^x}} */
  NODE_PARTIAL,  /* {{>x}} */
  NODE_PARENT,   /* {{<x}} */
  NODE_BLOCK,    /* {{$x}} */
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind kind;
  guint line;            /* 1-based line of the tag, for messages */
  gchar *text;           /* TEXT: the literal; otherwise the tag name */
  gsize len;             /* TEXT: its length in bytes */
  gchar **path;          /* VAR..INVERTED: name split on '.'; NULL for "." */
  gchar *indent;         /* PARTIAL/PARENT/BLOCK standing alone on its line:
                          * the whitespace before it; otherwise NULL */
  GPtrArray *children;   /* SECTION, INVERTED, PARENT, BLOCK: (element-type Node) */
  gchar *content_indent; /* BLOCK: leading whitespace of its content's first
                          * line when the tag stands alone, else "" */
};

struct _ShrMustacheTemplate
{
  gatomicrefcount ref;
  gchar *name;
  GPtrArray *nodes; /* (element-type Node) */
};

struct _ShrMustachePartials
{
  gatomicrefcount ref;
  GHashTable *sources;  /* name → source text */
  GHashTable *compiled; /* name → ShrMustacheTemplate */
  gchar *dir;           /* NULL, or where NAME.mustache files are read */
};

static void
node_free (gpointer data)
{
  Node *n = data;
  if (n == NULL)
    return;
  g_free (n->text);
  g_strfreev (n->path);
  g_free (n->indent);
  g_free (n->content_indent);
  if (n->children != NULL)
    g_ptr_array_unref (n->children);
  g_free (n);
}

/* ---- parsing ------------------------------------------------------------ */

/* Parsing runs in three passes: the text is cut into text and tag tokens
 * (set-delimiter tags change how the rest is cut); then every line that
 * holds nothing but whitespace and non-interpolation tags is marked
 * standalone and loses its whitespace and newline; then the tokens are
 * built into a tree. The middle pass needs whole lines, which is why it is
 * not folded into the first. */

typedef struct
{
  gboolean is_tag;
  gchar sigil;                /* tags: 0 for {{x}}, else one of # ^ / ! > < $ & { = */
  gchar closes;               /* '/' tags: the sigil of the section it closes */
  gsize start, end;           /* the token in the source */
  gsize keep_start, keep_end; /* text: the part kept after standalone trims */
  gchar *inner;               /* tags: the name (stripped) */
  guint line;
  gboolean standalone;
  gsize indent_len; /* standalone: whitespace before the line's first tag */
  gsize indent_start;
} Token;

static void
token_clear (gpointer data)
{
  Token *t = data;
  g_free (t->inner);
}

typedef struct
{
  const gchar *src;
  gsize len;
  const gchar *name;
  gchar *otag;
  gchar *ctag;
  GArray *tokens; /* (element-type Token) */
} Parser;

static guint
count_lines (const gchar *src, gsize from, gsize to, guint line)
{
  for (gsize i = from; i < to; i++)
    if (src[i] == '\n')
      line++;
  return line;
}

/* A short quote of the tag at POS for error messages: up to the end of the
 * line or 40 bytes, cut at a character boundary. */
static gchar *
quote_tag (const gchar *src, gsize pos)
{
  const gchar *s = src + pos;
  gsize n = strcspn (s, "\r\n");
  if (n > 40)
    {
      const gchar *end = g_utf8_find_prev_char (s, s + 41);
      n = end != NULL ? (gsize)(end - s) : 40;
    }
  return g_strndup (s, n);
}

static gboolean
parse_delimiters (Parser *p, const gchar *inner, guint line, GError **error)
{
  g_auto (GStrv) parts = g_strsplit_set (inner, " \t\r\n", -1);
  const gchar *found[2] = { NULL, NULL };
  guint n = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (n == 2)
        {
          n = 3;
          break;
        }
      found[n++] = parts[i];
    }
  if (n != 2 || strchr (found[0], '=') != NULL || strchr (found[1], '=') != NULL)
    {
      g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_BAD_DELIMITER,
                   "%s:%u: bad delimiter change “%s=%s=%s”: expected two "
                   "delimiters without '=' separated by a space",
                   p->name, line, p->otag, inner, p->ctag);
      return FALSE;
    }
  g_free (p->otag);
  g_free (p->ctag);
  p->otag = g_strdup (found[0]);
  p->ctag = g_strdup (found[1]);
  return TRUE;
}

static void
add_text_token (Parser *p, gsize start, gsize end)
{
  if (end <= start)
    return;
  Token t = { .start = start, .end = end, .keep_start = start, .keep_end = end };
  g_array_append_val (p->tokens, t);
}

/* Pass 1: tokens. Checks tag syntax and section nesting, so every error
 * is reported with the line of the tag at fault. */
static gboolean
tokenize (Parser *p, GError **error)
{
  gsize pos = 0;
  guint line = 1;
  g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));

  for (;;)
    {
      const gchar *o = strstr (p->src + pos, p->otag);
      if (o == NULL)
        {
          add_text_token (p, pos, p->len);
          break;
        }
      gsize tag_start = o - p->src;
      line = count_lines (p->src, pos, tag_start, line);
      add_text_token (p, pos, tag_start);

      gsize after_open = tag_start + strlen (p->otag);
      gchar sigil = p->src[after_open];
      g_autofree gchar *closer = NULL;
      gsize inner_start = after_open + 1;
      switch (sigil)
        {
        case '{':
          closer = g_strconcat ("}", p->ctag, NULL);
          break;
        case '=':
          closer = g_strconcat ("=", p->ctag, NULL);
          break;
        case '#':
        case '^':
        case '/':
        case '!':
        case '>':
        case '<':
        case '$':
        case '&':
          closer = g_strdup (p->ctag);
          break;
        default:
          sigil = 0;
          closer = g_strdup (p->ctag);
          inner_start = after_open;
          break;
        }
      const gchar *close = strstr (p->src + inner_start, closer);
      if (close == NULL)
        {
          g_autofree gchar *q = quote_tag (p->src, tag_start);
          g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_UNCLOSED_TAG,
                       "%s:%u: unclosed tag “%s”: no “%s” follows", p->name, line, q, closer);
          return FALSE;
        }
      /* Only comments may run over several lines: anything else is far
       * more likely a forgotten "}}" than a name with a newline in it. */
      if (sigil != '!' && sigil != '='
          && memchr (p->src + inner_start, '\n', close - (p->src + inner_start)) != NULL)
        {
          g_autofree gchar *q = quote_tag (p->src, tag_start);
          g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_UNCLOSED_TAG,
                       "%s:%u: unclosed tag “%s”: no “%s” on its line", p->name, line, q, closer);
          return FALSE;
        }
      Token t = {
        .is_tag = TRUE,
        .sigil = sigil,
        .start = tag_start,
        .end = (close - p->src) + strlen (closer),
        .inner = g_strstrip (g_strndup (p->src + inner_start, close - (p->src + inner_start))),
        .line = line,
      };
      g_array_append_val (p->tokens, t);
      pos = t.end;

      if (sigil == '!')
        ;
      else if (sigil == '=')
        {
          if (!parse_delimiters (p, t.inner, line, error))
            return FALSE;
        }
      else if (t.inner[0] == '\0' || strpbrk (t.inner, " \t\r") != NULL)
        {
          g_autofree gchar *q = quote_tag (p->src, tag_start);
          g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_SYNTAX,
                       "%s:%u: bad tag “%s”: a name is needed, without spaces", p->name, line, q);
          return FALSE;
        }
      else if (sigil == '#' || sigil == '^' || sigil == '<' || sigil == '$')
        {
          if (open->len >= SHR_MAX_MUSTACHE_NESTING)
            {
              g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_SYNTAX,
                           "%s:%u: sections nested more than %d deep", p->name, line,
                           SHR_MAX_MUSTACHE_NESTING);
              return FALSE;
            }
          guint idx = p->tokens->len - 1;
          g_array_append_val (open, idx);
        }
      else if (sigil == '/')
        {
          if (open->len == 0)
            {
              g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_MISMATCHED_END,
                           "%s:%u: “%s” closes a section that was never opened", p->name, line, t.inner);
              return FALSE;
            }
          Token *top = &g_array_index (p->tokens, Token, g_array_index (open, guint, open->len - 1));
          if (strcmp (top->inner, t.inner) != 0)
            {
              g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_MISMATCHED_END,
                           "%s:%u: “%s” closes section “%s” opened on line %u", p->name, line, t.inner,
                           top->inner, top->line);
              return FALSE;
            }
          g_array_index (p->tokens, Token, p->tokens->len - 1).closes = top->sigil;
          g_array_set_size (open, open->len - 1);
        }
      line = count_lines (p->src, tag_start, pos, line);
    }

  if (open->len > 0)
    {
      Token *top = &g_array_index (p->tokens, Token, g_array_index (open, guint, open->len - 1));
      g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_UNCLOSED_SECTION,
                   "%s:%u: unclosed section “%s”: no “%s/%s%s” follows", p->name, top->line, top->inner,
                   p->otag, top->inner, p->ctag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const gchar *s, gsize from, gsize to)
{
  for (gsize i = from; i < to; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return FALSE;
  return TRUE;
}

/* Pass 2: standalone lines. A line holding one tag other than an
 * interpolation, and otherwise only spaces and tabs, is removed with its
 * newline (the spec's "standalone" rule). A parent or block tag may share
 * its line with other such tags ("{{<parent}}{{$block}}"): the spec has
 * parents and blocks standalone then too, so such lines go as a whole. */
static void
mark_standalone (Parser *p)
{
  Token *tok = (Token *)(gpointer)p->tokens->data;
  guint n = p->tokens->len;

  for (guint i = 0; i < n; i++)
    {
      if (!tok[i].is_tag || tok[i].standalone)
        continue;

      /* Walk left to the start of the line. */
      gboolean ok = TRUE;
      gint first = (gint)i; /* first token of the line's tag run */
      gsize line_start = 0;
      gint left_text = -1; /* the text token holding the line start */
      for (gint j = (gint)i - 1; j >= 0 && ok; j--)
        {
          if (tok[j].is_tag)
            {
              first = j;
              continue;
            }
          const gchar *nl = g_strrstr_len (p->src + tok[j].start, tok[j].end - tok[j].start, "\n");
          gsize from = nl != NULL ? (gsize)(nl - p->src) + 1 : tok[j].start;
          if (!is_blank (p->src, from, tok[j].end))
            ok = FALSE;
          else if (nl != NULL)
            {
              line_start = from;
              left_text = j;
              break;
            }
        }
      if (!ok)
        continue;

      /* Walk right to the end of the line. */
      gint last = (gint)i;
      gsize line_end = p->len;
      gint right_text = -1;
      for (guint k = i + 1; k < n && ok; k++)
        {
          if (tok[k].is_tag)
            {
              last = (gint)k;
              continue;
            }
          const gchar *nl = memchr (p->src + tok[k].start, '\n', tok[k].end - tok[k].start);
          gsize to = nl != NULL ? (gsize)(nl - p->src) : tok[k].end;
          if (nl != NULL && to > tok[k].start && p->src[to - 1] == '\r')
            to--;
          if (!is_blank (p->src, tok[k].start, to))
            ok = FALSE;
          else if (nl != NULL)
            {
              line_end = (gsize)(nl - p->src) + 1;
              right_text = (gint)k;
              break;
            }
        }
      if (!ok)
        continue;

      guint tags = 0;
      gboolean inheritance = FALSE;
      for (gint k = first; k <= last; k++)
        {
          if (!tok[k].is_tag)
            continue;
          tags++;
          gchar s = tok[k].sigil == '/' ? tok[k].closes : tok[k].sigil;
          if (s == 0 || s == '{' || s == '&')
            ok = FALSE;
          if (s == '<' || s == '$')
            inheritance = TRUE;
        }
      if (!ok || (tags > 1 && !inheritance))
        continue;

      /* The whole line goes: the indentation before the first tag, blank
       * text between tags, and what follows the last one up to and
       * including the newline. */
      gsize indent_start = left_text >= 0 ? line_start : (first > 0 ? tok[first - 1].start : 0);
      if (left_text >= 0)
        tok[left_text].keep_end = MIN (tok[left_text].keep_end, line_start);
      for (gint k = left_text + 1; k < (right_text >= 0 ? right_text : (gint)n); k++)
        {
          if (!tok[k].is_tag)
            {
              tok[k].keep_end = tok[k].keep_start;
              continue;
            }
          tok[k].standalone = TRUE;
          tok[k].indent_start = indent_start;
          tok[k].indent_len = tok[first].start - indent_start;
        }
      if (right_text >= 0)
        tok[right_text].keep_start = MAX (tok[right_text].keep_start, line_end);
    }
}

/* Pass 3: the tree. */
static Node *
build_node (Parser *p, guint *i)
{
  Token *t = &g_array_index (p->tokens, Token, *i);
  (*i)++;
  Node *n = g_new0 (Node, 1);
  n->line = t->line;
  n->text = g_strdup (t->inner);
  switch (t->sigil)
    {
    case 0:
      n->kind = NODE_VAR;
      break;
    case '{':
    case '&':
      n->kind = NODE_RAW;
      break;
    case '#':
      n->kind = NODE_SECTION;
      break;
    case '^':
      n->kind = NODE_INVERTED;
      break;
    case '>':
      n->kind = NODE_PARTIAL;
      break;
    case '<':
      n->kind = NODE_PARENT;
      break;
    case '$':
      n->kind = NODE_BLOCK;
      break;
    default:
      g_assert_not_reached ();
    }
  if (n->kind <= NODE_INVERTED && strcmp (t->inner, ".") != 0)
    n->path = g_strsplit (t->inner, ".", -1);
  if (t->standalone && (n->kind == NODE_PARTIAL || n->kind == NODE_PARENT || n->kind == NODE_BLOCK))
    n->indent = g_strndup (p->src + t->indent_start, t->indent_len);
  return n;
}

static void
build_tree (Parser *p, guint *i, GPtrArray *into)
{
  while (*i < p->tokens->len)
    {
      Token *t = &g_array_index (p->tokens, Token, *i);
      if (!t->is_tag)
        {
          (*i)++;
          if (t->keep_end > t->keep_start)
            {
              Node *n = g_new0 (Node, 1);
              n->kind = NODE_TEXT;
              n->len = t->keep_end - t->keep_start;
              n->text = g_strndup (p->src + t->keep_start, n->len);
              g_ptr_array_add (into, n);
            }
          continue;
        }
      if (t->sigil == '/')
        {
          (*i)++;
          return; /* tokenize() checked that it matches */
        }
      if (t->sigil == '!' || t->sigil == '=')
        {
          (*i)++;
          continue;
        }
      gchar sigil = t->sigil;
      gboolean standalone = t->standalone;
      Node *n = build_node (p, i);
      g_ptr_array_add (into, n);
      if (sigil == '#' || sigil == '^' || sigil == '<' || sigil == '$')
        {
          n->children = g_ptr_array_new_with_free_func (node_free);
          build_tree (p, i, n->children);
          /* A block remembers how far its content is indented, so an
           * argument written at another indentation can be moved there. */
          if (n->kind == NODE_BLOCK)
            {
              Node *c = n->children->len > 0 ? n->children->pdata[0] : NULL;
              gsize w = 0;
              if (standalone && c != NULL && c->kind == NODE_TEXT)
                while (w < c->len && (c->text[w] == ' ' || c->text[w] == '\t'))
                  w++;
              n->content_indent = g_strndup (c != NULL ? c->text : "", w);
            }
        }
    }
}

ShrMustacheTemplate *
shr_mustache_template_new (const gchar *source, const gchar *name, GError **error)
{
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_array_set_clear_func (tokens, token_clear);
  Parser p = {
    .src = source,
    .len = strlen (source),
    .name = name != NULL ? name : "template",
    .otag = g_strdup ("{{"),
    .ctag = g_strdup ("}}"),
    .tokens = tokens,
  };
  gboolean ok = tokenize (&p, error);
  g_free (p.otag);
  g_free (p.ctag);
  if (!ok)
    return NULL;
  mark_standalone (&p);

  ShrMustacheTemplate *t = g_new0 (ShrMustacheTemplate, 1);
  g_atomic_ref_count_init (&t->ref);
  t->name = g_strdup (p.name);
  t->nodes = g_ptr_array_new_with_free_func (node_free);
  guint i = 0;
  build_tree (&p, &i, t->nodes);
  return t;
}

ShrMustacheTemplate *
shr_mustache_template_new_from_file (const gchar *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  g_autofree gchar *contents = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  if (len > SHR_MAX_MUSTACHE_TEMPLATE_BYTES)
    {
      g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_TOO_BIG, "%s: template larger than %d bytes",
                   path, SHR_MAX_MUSTACHE_TEMPLATE_BYTES);
      return NULL;
    }
  if (strlen (contents) != len || !g_utf8_validate (contents, len, NULL))
    {
      g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_SYNTAX,
                   "%s: template is not valid UTF-8 text", path);
      return NULL;
    }
  g_autofree gchar *base = g_path_get_basename (path);
  return shr_mustache_template_new (contents, base, error);
}

ShrMustacheTemplate *
shr_mustache_template_ref (ShrMustacheTemplate *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);
  g_atomic_ref_count_inc (&tmpl->ref);
  return tmpl;
}

void
shr_mustache_template_unref (ShrMustacheTemplate *tmpl)
{
  if (tmpl == NULL || !g_atomic_ref_count_dec (&tmpl->ref))
    return;
  g_free (tmpl->name);
  g_ptr_array_unref (tmpl->nodes);
  g_free (tmpl);
}

const gchar *
shr_mustache_template_get_name (ShrMustacheTemplate *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);
  return tmpl->name;
}

/* ---- partials ----------------------------------------------------------- */

ShrMustachePartials *
shr_mustache_partials_new (void)
{
  ShrMustachePartials *p = g_new0 (ShrMustachePartials, 1);
  g_atomic_ref_count_init (&p->ref);
  p->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->compiled
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)shr_mustache_template_unref);
  return p;
}

ShrMustachePartials *
shr_mustache_partials_new_for_dir (const gchar *dir)
{
  g_return_val_if_fail (dir != NULL, NULL);
  ShrMustachePartials *p = shr_mustache_partials_new ();
  p->dir = g_strdup (dir);
  return p;
}

void
shr_mustache_partials_add (ShrMustachePartials *partials, const gchar *name, const gchar *source)
{
  g_return_if_fail (partials != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (source != NULL);
  g_hash_table_insert (partials->sources, g_strdup (name), g_strdup (source));
  g_hash_table_remove (partials->compiled, name);
}

ShrMustachePartials *
shr_mustache_partials_ref (ShrMustachePartials *partials)
{
  g_return_val_if_fail (partials != NULL, NULL);
  g_atomic_ref_count_inc (&partials->ref);
  return partials;
}

void
shr_mustache_partials_unref (ShrMustachePartials *partials)
{
  if (partials == NULL || !g_atomic_ref_count_dec (&partials->ref))
    return;
  g_hash_table_unref (partials->sources);
  g_hash_table_unref (partials->compiled);
  g_free (partials->dir);
  g_free (partials);
}

/* The compiled partial NAME (transfer none), or NULL: with ERROR set when it
 * exists but cannot be read or compiled, without when there is none. */
static ShrMustacheTemplate *
partials_lookup (ShrMustachePartials *p, const gchar *name, GError **error)
{
  if (p == NULL)
    return NULL;
  ShrMustacheTemplate *t = g_hash_table_lookup (p->compiled, name);
  if (t != NULL)
    return t;

  const gchar *src = g_hash_table_lookup (p->sources, name);
  if (src != NULL)
    t = shr_mustache_template_new (src, name, error);
  else if (p->dir != NULL)
    {
      /* The name comes from a template, but may still not walk out of
       * the directory the administrator named. */
      if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL || name[0] == '.')
        {
          g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_PARTIAL,
                       "partial name “%s” may not contain '/' or '\\' or start with '.'", name);
          return NULL;
        }
      g_autofree gchar *file = g_strconcat (name, ".mustache", NULL);
      g_autofree gchar *path = g_build_filename (p->dir, file, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return NULL;
      t = shr_mustache_template_new_from_file (path, error);
    }
  if (t != NULL)
    g_hash_table_insert (p->compiled, g_strdup (name), t);
  return t;
}

/* ---- rendering ---------------------------------------------------------- */

typedef struct
{
  GString *out;
  ShrMustachePartials *partials;
  ShrMustacheMode mode;
  GPtrArray *context;      /* (element-type JsonNode) borrowed, innermost last */
  GPtrArray *overrides;    /* (element-type Node) BLOCK arguments, outermost first */
  GString *indent;         /* written at the start of each template line */
  gboolean line_start;     /* the next template output begins a line */
  gsize dedent;            /* block arguments: indentation taken off the start
                            * of each of their lines */
  gboolean src_line_start; /* the next template text begins a source line */
  const gchar *tmpl_name;
  guint depth;
  guint64 steps;
} Renderer;

static gboolean render_nodes (Renderer *r, GPtrArray *nodes, GError **error);

static void
begin_output (Renderer *r)
{
  if (r->line_start)
    {
      g_string_append_len (r->out, r->indent->str, r->indent->len);
      r->line_start = FALSE;
    }
}

static void
emit_template_text (Renderer *r, const gchar *s, gsize len)
{
  while (len > 0)
    {
      if (r->src_line_start)
        {
          for (gsize k = 0; k < r->dedent && len > 0 && (*s == ' ' || *s == '\t'); k++)
            s++, len--;
          r->src_line_start = FALSE;
          if (len == 0)
            break;
        }
      begin_output (r);
      const gchar *nl = memchr (s, '\n', len);
      gsize n = nl != NULL ? (gsize)(nl - s) + 1 : len;
      g_string_append_len (r->out, s, n);
      if (nl != NULL)
        r->line_start = r->src_line_start = TRUE;
      s += n;
      len -= n;
    }
}

static void
append_html_escaped (GString *out, const gchar *s)
{
  for (; *s != '\0'; s++)
    {
      switch (*s)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          g_string_append_c (out, *s);
          break;
        }
    }
}

/* The shortest decimal form that reads back as the same double, so 1.21
 * prints as "1.21" and 10.0 as "10" (JSON has one number type). */
static void
append_double (GString *out, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (v))
    {
      g_string_append (out, isnan (v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"));
      return;
    }
  for (gint prec = 15; prec <= 17; prec++)
    {
      gchar fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
}

static void
emit_value (Renderer *r, JsonNode *v, gboolean escape)
{
  begin_output (r);
  r->src_line_start = FALSE;
  if (v == NULL || JSON_NODE_TYPE (v) != JSON_NODE_VALUE)
    return; /* missing, null, objects and arrays print nothing */
  GType t = json_node_get_value_type (v);
  if (t == G_TYPE_STRING)
    {
      const gchar *s = json_node_get_string (v);
      if (s == NULL)
        return;
      if (escape)
        append_html_escaped (r->out, s);
      else
        g_string_append (r->out, s);
    }
  else if (t == G_TYPE_INT64)
    g_string_append_printf (r->out, "%" G_GINT64_FORMAT, json_node_get_int (v));
  else if (t == G_TYPE_DOUBLE)
    append_double (r->out, json_node_get_double (v));
  else if (t == G_TYPE_BOOLEAN)
    g_string_append (r->out, json_node_get_boolean (v) ? "true" : "false");
}

static gboolean
truthy (JsonNode *v)
{
  if (v == NULL)
    return FALSE;
  switch (JSON_NODE_TYPE (v))
    {
    case JSON_NODE_NULL:
      return FALSE;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (v)) > 0;
    case JSON_NODE_OBJECT:
      return TRUE;
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (v);
        if (t == G_TYPE_BOOLEAN)
          return json_node_get_boolean (v);
        if (t == G_TYPE_STRING)
          {
            const gchar *s = json_node_get_string (v);
            return s != NULL && s[0] != '\0';
          }
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static JsonNode *
member (JsonNode *node, const gchar *name)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return NULL;
  JsonObject *o = json_node_get_object (node);
  if (o == NULL || !json_object_has_member (o, name))
    return NULL;
  return json_object_get_member (o, name);
}

/* The spec's name resolution: "." is the top of the context stack; the
 * first part of a dotted name is looked for from the top down, the rest only
 * inside what the first part found (a broken chain is a miss, not a
 * fallback to outer contexts). */
static JsonNode *
lookup (Renderer *r, gchar **path)
{
  if (path == NULL)
    return r->context->pdata[r->context->len - 1];
  JsonNode *v = NULL;
  for (guint i = r->context->len; i-- > 0;)
    {
      v = member (r->context->pdata[i], path[0]);
      if (v != NULL)
        break;
    }
  for (guint k = 1; v != NULL && path[k] != NULL; k++)
    v = member (v, path[k]);
  return v;
}

static gboolean
render_template (Renderer *r, const gchar *name, const gchar *indent, guint line, GError **error)
{
  if (r->depth >= SHR_MAX_MUSTACHE_DEPTH)
    {
      g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_DEPTH,
                   "%s:%u: partial “%s” nested more than %d deep "
                   "(does it include itself?)",
                   r->tmpl_name, line, name, SHR_MAX_MUSTACHE_DEPTH);
      return FALSE;
    }
  GError *local = NULL;
  ShrMustacheTemplate *t = partials_lookup (r->partials, name, &local);
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, "%s:%u: partial “%s”: ", r->tmpl_name, line, name);
      return FALSE;
    }
  if (t == NULL)
    return TRUE; /* the spec: a missing partial renders as "" */

  /* A standalone partial is indented as a whole. When a previous tag on
   * the line already wrote output, its indentation was taken from the text
   * at parse time and is put back here. */
  gsize indent_len = r->indent->len;
  if (indent != NULL)
    {
      if (!r->line_start)
        g_string_append (r->out, indent);
      g_string_append (r->indent, indent);
    }
  const gchar *saved_name = r->tmpl_name;
  gsize saved_dedent = r->dedent;
  r->tmpl_name = t->name;
  r->dedent = 0; /* a block argument's dedent is for its own text only */
  r->depth++;
  /* Hold a reference: a partial could in principle be replaced while the
   * tree is being walked. */
  g_autoptr (ShrMustacheTemplate) hold = shr_mustache_template_ref (t);
  gboolean ok = render_nodes (r, t->nodes, error);
  r->depth--;
  r->dedent = saved_dedent;
  r->tmpl_name = saved_name;
  g_string_truncate (r->indent, indent_len);
  return ok;
}

static Node *
find_override (Renderer *r, const gchar *name)
{
  for (guint i = 0; i < r->overrides->len; i++)
    {
      Node *b = r->overrides->pdata[i];
      if (strcmp (b->text, name) == 0)
        return b;
    }
  return NULL;
}

static gboolean
render_node (Renderer *r, Node *n, GError **error)
{
  switch (n->kind)
    {
    case NODE_TEXT:
      emit_template_text (r, n->text, n->len);
      return TRUE;

    case NODE_VAR:
    case NODE_RAW:
      emit_value (r, lookup (r, n->path), n->kind == NODE_VAR && r->mode == SHR_MUSTACHE_MODE_HTML);
      return TRUE;

    case NODE_SECTION:
      {
        JsonNode *v = lookup (r, n->path);
        if (!truthy (v))
          return TRUE;
        if (JSON_NODE_TYPE (v) == JSON_NODE_ARRAY)
          {
            JsonArray *a = json_node_get_array (v);
            guint len = json_array_get_length (a);
            for (guint i = 0; i < len; i++)
              {
                g_ptr_array_add (r->context, json_array_get_element (a, i));
                gboolean ok = render_nodes (r, n->children, error);
                g_ptr_array_remove_index (r->context, r->context->len - 1);
                if (!ok)
                  return FALSE;
              }
            return TRUE;
          }
        g_ptr_array_add (r->context, v);
        gboolean ok = render_nodes (r, n->children, error);
        g_ptr_array_remove_index (r->context, r->context->len - 1);
        return ok;
      }

    case NODE_INVERTED:
      if (truthy (lookup (r, n->path)))
        return TRUE;
      return render_nodes (r, n->children, error);

    case NODE_PARTIAL:
      return render_template (r, n->text, n->indent, n->line, error);

    case NODE_PARENT:
      {
        /* The blocks given directly inside the parent tag are its
         * arguments; any other text there is ignored. Arguments given
         * further out win over these (the outermost child decides). */
        guint mark = r->overrides->len;
        for (guint i = 0; i < n->children->len; i++)
          {
            Node *c = n->children->pdata[i];
            if (c->kind == NODE_BLOCK)
              g_ptr_array_add (r->overrides, c);
          }
        gboolean ok = render_template (r, n->text, n->indent, n->line, error);
        g_ptr_array_set_size (r->overrides, mark);
        return ok;
      }

    case NODE_BLOCK:
      {
        Node *arg = find_override (r, n->text);
        if (arg == NULL)
          return render_nodes (r, n->children, error);

        /* An argument is moved from where it was written to where the
         * block stands: its own indentation is taken off each line and
         * the block's put on. A block alone on its line stands where its
         * default content is indented (or where the tag is, if empty). */
        gsize indent_len = r->indent->len;
        gsize saved_dedent = r->dedent;
        if (n->indent != NULL)
          {
            const gchar *w = n->content_indent[0] != '\0' ? n->content_indent : n->indent;
            for (gsize k = 0; k < r->dedent && (*w == ' ' || *w == '\t'); k++)
              w++;
            if (!r->line_start)
              g_string_append (r->out, w);
            g_string_append (r->indent, w);
          }
        r->dedent = strlen (arg->content_indent);
        r->src_line_start = TRUE;
        gboolean ok = render_nodes (r, arg->children, error);
        /* The block's line lost its newline as a standalone line; an
         * argument that does not end its last line gets it back. */
        if (ok && n->indent != NULL && !r->line_start)
          {
            g_string_append_c (r->out, '\n');
            r->line_start = TRUE;
          }
        g_string_truncate (r->indent, indent_len);
        r->dedent = saved_dedent;
        r->src_line_start = n->indent != NULL;
        return ok;
      }

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

static gboolean
render_nodes (Renderer *r, GPtrArray *nodes, GError **error)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *n = nodes->pdata[i];
      if (++r->steps > SHR_MAX_MUSTACHE_STEPS || r->out->len > SHR_MAX_MUSTACHE_OUTPUT_BYTES)
        {
          g_set_error (error, SHR_MUSTACHE_ERROR, SHR_MUSTACHE_ERROR_TOO_BIG,
                       "%s:%u: rendering stopped: more than %d bytes of output "
                       "or %d tags visited",
                       r->tmpl_name, n->line, SHR_MAX_MUSTACHE_OUTPUT_BYTES, SHR_MAX_MUSTACHE_STEPS);
          return FALSE;
        }
      if (!render_node (r, n, error))
        return FALSE;
    }
  return TRUE;
}

gchar *
shr_mustache_template_render (ShrMustacheTemplate *tmpl, JsonNode *view, ShrMustachePartials *partials,
                              ShrMustacheMode mode, GError **error)
{
  g_return_val_if_fail (tmpl != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (GString) out = g_string_sized_new (4096);
  g_autoptr (GPtrArray) context = g_ptr_array_new ();
  g_autoptr (GPtrArray) overrides = g_ptr_array_new ();
  g_autoptr (GString) indent = g_string_new (NULL);
  g_ptr_array_add (context, view);
  Renderer r = {
    .out = out,
    .partials = partials,
    .mode = mode,
    .context = context,
    .overrides = overrides,
    .indent = indent,
    .line_start = TRUE,
    .tmpl_name = tmpl->name,
  };
  if (!render_nodes (&r, tmpl->nodes, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gchar *
shr_mustache_render (const gchar *source, JsonNode *view, ShrMustachePartials *partials, ShrMustacheMode mode,
                     GError **error)
{
  g_autoptr (ShrMustacheTemplate) t = shr_mustache_template_new (source, NULL, error);
  if (t == NULL)
    return NULL;
  return shr_mustache_template_render (t, view, partials, mode, error);
}
