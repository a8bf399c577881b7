/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-html.h — HTML mail bodies to plain text.
 *
 * Mail HTML is hostile and sloppy: no DOM is built. A single pass drops
 * tags, the contents of <script>, <style>, <head> and comments, turns block
 * elements into line breaks, decodes entities and keeps every link target.
 * Nothing in the output can be active: it is text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *text;      /* UTF-8 text, '\n' line ends, blank line between blocks */
  gchar *title;     /* <title>, else the first <h1>, else NULL */
  GPtrArray *links; /* (element-type utf8) http(s) hrefs, in order, unique */
} ShrHtmlText;

/* (transfer full) Converts @html (UTF-8; invalid bytes are replaced) of
 * @len bytes (-1: NUL-terminated). Output is capped at @max_bytes;
 * *@truncated says whether the cap was hit. */
ShrHtmlText *shr_html_to_text (const gchar *html, gssize len, gsize max_bytes, gboolean *truncated);

void shr_html_text_free (ShrHtmlText *text);

/* Decodes one entity body (without '&' and ';'): "amp", "#x30CF", "#39".
 * Returns the Unicode character or 0 when unknown. */
gunichar shr_html_entity_decode (const gchar *name, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrHtmlText, shr_html_text_free)

G_END_DECLS
