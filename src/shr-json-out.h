/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-json-out.h — one walk, two outputs: a json-glib tree (JsonBuilder)
 * or the text json-glib 1.6's generator prints for that tree, byte for
 * byte (its escaping, 17-digit doubles with ".0", the pretty layout),
 * written directly into a GString. Building the tree and printing it cost
 * about four times the direct text, for JSON made for every mail ingest
 * stores (the record, a digest item). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  JsonBuilder *builder; /* a tree, or */
  GString *text;        /* the generator's text */
  gboolean pretty;      /* for the text: json_generator_set_pretty () */
  /* private */
  gboolean after_name; /* the next value is a member's */
  guint depth;         /* open objects and arrays */
  guint64 filled;      /* bit d: the container at depth d has an element */
} ShrJsonOut;

/* Initialise as { .builder = b } or { .text = s, .pretty = p }; then
 * write as with a JsonBuilder: a member's name, then its value. */
void shr_json_out_name (ShrJsonOut *o, const gchar *name);
/* An object (@object) or an array, opened and closed. */
void shr_json_out_begin (ShrJsonOut *o, gboolean object);
void shr_json_out_end (ShrJsonOut *o, gboolean object);
void shr_json_out_string (ShrJsonOut *o, const gchar *value);
void shr_json_out_null (ShrJsonOut *o);
void shr_json_out_boolean (ShrJsonOut *o, gboolean value);
void shr_json_out_int (ShrJsonOut *o, gint64 value);
void shr_json_out_double (ShrJsonOut *o, gdouble value);

G_END_DECLS
