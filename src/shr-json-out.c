/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-json-out.c — JSON written either as a json-glib tree or, directly, as
 * the text json-glib's generator would print for that tree. */
#include "config.h"

#include "shr-json-out.h"

#include <string.h>

/* The bytes json-glib's json_strescape() escapes: '"', '\\', the control
 * characters below 0x1f (0x1f itself is left as is) and 0x7f; and the NUL
 * that ends the string. */
static const guint8 json_stop[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,          1,          1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

/* @s as json-glib's json_strescape() writes it. */
static void
text_escaped (GString *out, const gchar *s)
{
  const gchar *p = s;
  for (;;)
    {
      const gchar *run = p;
      while (!json_stop[(guchar)*p])
        p++;
      g_string_append_len (out, run, p - run);
      gchar c = *p++;
      switch (c)
        {
        case '\0':
          return;
        case '\\':
        case '"':
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u00%02x", (guint)c);
          break;
        }
    }
}

static void
text_indent (ShrJsonOut *o, guint depth)
{
  for (guint i = 0; i < depth * 2; i++)
    g_string_append_c (o->text, ' ');
}

/* Before a value in the text: the separator and, pretty, the line and
 * indent json-glib puts before an array element or a member. */
static void
text_element (ShrJsonOut *o)
{
  if (o->after_name)
    {
      o->after_name = FALSE;
      return;
    }
  if (o->depth == 0)
    return;
  if (o->filled & (G_GUINT64_CONSTANT (1) << o->depth))
    g_string_append_c (o->text, ',');
  o->filled |= G_GUINT64_CONSTANT (1) << o->depth;
  if (o->pretty)
    {
      g_string_append_c (o->text, '\n');
      text_indent (o, o->depth);
    }
}

void
shr_json_out_name (ShrJsonOut *o, const gchar *name)
{
  if (o->builder != NULL)
    {
      json_builder_set_member_name (o->builder, name);
      return;
    }
  text_element (o);
  g_string_append_c (o->text, '"');
  text_escaped (o->text, name);
  g_string_append (o->text, o->pretty ? "\" : " : "\":");
  o->after_name = TRUE;
}

void
shr_json_out_begin (ShrJsonOut *o, gboolean object)
{
  if (o->builder != NULL)
    {
      if (object)
        json_builder_begin_object (o->builder);
      else
        json_builder_begin_array (o->builder);
      return;
    }
  /* One bit of filled per level: 63 levels at most (a record nests five
   * deep); deeper would shift past the word. */
  g_return_if_fail (o->depth < 63);
  text_element (o);
  g_string_append_c (o->text, object ? '{' : '[');
  o->depth++;
  o->filled &= ~(G_GUINT64_CONSTANT (1) << o->depth);
}

/* Pretty, json-glib indents the closing brace of an empty object too,
 * not that of an empty array. */
void
shr_json_out_end (ShrJsonOut *o, gboolean object)
{
  if (o->builder != NULL)
    {
      if (object)
        json_builder_end_object (o->builder);
      else
        json_builder_end_array (o->builder);
      return;
    }
  gboolean filled = (o->filled & (G_GUINT64_CONSTANT (1) << o->depth)) != 0;
  o->depth--;
  if (o->pretty && filled)
    g_string_append_c (o->text, '\n');
  if (o->pretty && (filled || object))
    text_indent (o, o->depth);
  g_string_append_c (o->text, object ? '}' : ']');
}

void
shr_json_out_string (ShrJsonOut *o, const gchar *value)
{
  if (o->builder != NULL)
    {
      json_builder_add_string_value (o->builder, value);
      return;
    }
  text_element (o);
  g_string_append_c (o->text, '"');
  text_escaped (o->text, value);
  g_string_append_c (o->text, '"');
}

void
shr_json_out_null (ShrJsonOut *o)
{
  if (o->builder != NULL)
    {
      json_builder_add_null_value (o->builder);
      return;
    }
  text_element (o);
  g_string_append (o->text, "null");
}

void
shr_json_out_boolean (ShrJsonOut *o, gboolean value)
{
  if (o->builder != NULL)
    {
      json_builder_add_boolean_value (o->builder, value);
      return;
    }
  text_element (o);
  g_string_append (o->text, value ? "true" : "false");
}

void
shr_json_out_int (ShrJsonOut *o, gint64 value)
{
  if (o->builder != NULL)
    {
      json_builder_add_int_value (o->builder, value);
      return;
    }
  text_element (o);
  g_string_append_printf (o->text, "%" G_GINT64_FORMAT, value);
}

/* As json-glib prints a double: 17 significant digits, and ".0" after a
 * number without a point so that it reads back as a double. */
void
shr_json_out_double (ShrJsonOut *o, gdouble value)
{
  if (o->builder != NULL)
    {
      json_builder_add_double_value (o->builder, value);
      return;
    }
  text_element (o);
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (o->text, g_ascii_dtostr (buf, sizeof buf, value));
  if (strchr (buf, '.') == NULL)
    g_string_append (o->text, ".0");
}
