/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-mustache.h — a Mustache renderer for the notice templates.
 *
 * Implements the Mustache spec (github.com/mustache/spec): variables,
 * sections, inverted sections, comments, partials (with standalone-line
 * indentation), set delimiters, dotted names, the implicit iterator, and
 * inheritance (parents {{<p}} and blocks {{$b}}). Lambdas are not supported:
 * the view is plain JSON.
 *
 * The view is a json-glib JsonNode. Truthiness for sections: a missing name,
 * null, false, "" and [] are false; every number is true (a CVSS of 0.0 is a
 * value, not an absence); objects and other strings are true. Interpolated,
 * strings print as they are, integers in decimal, doubles in the shortest
 * form that reads back the same (9.8 → "9.8", 10.0 → "10"), booleans as
 * true/false; null, objects and arrays print nothing.
 *
 * Stricter than the spec requires, to catch typos: a tag other than a
 * comment must close on its own line, and a tag name may not contain spaces.
 *
 * A template is compiled once (shr_mustache_template_new) and rendered many
 * times. Parse errors are SHR_MUSTACHE_ERROR GErrors whose message names the
 * template, the line and the tag, e.g.
 *   "notice-ja.txt:12: unclosed section “cves”".
 *
 * Partials come from a ShrMustachePartials: sources added by name and/or a
 * directory where partial NAME is the file NAME.mustache. Compiled partials
 * are cached in it, so a ShrMustachePartials must not be used by two
 * threads at once. A partial that is not found renders as "" (the spec);
 * nesting of partials and parents is capped by SHR_MAX_MUSTACHE_DEPTH. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SHR_MUSTACHE_MODE_TEXT, /* {{x}} is inserted as is (plain-text mail) */
  SHR_MUSTACHE_MODE_HTML, /* {{x}} escapes & < > " ' ({{{x}}}, {{&x}} never do) */
} ShrMustacheMode;

typedef struct _ShrMustacheTemplate ShrMustacheTemplate;
typedef struct _ShrMustachePartials ShrMustachePartials;

/* Compiles SOURCE (UTF-8). NAME is used in error messages only (NULL:
 * "template"). Returns NULL and sets ERROR (SHR_MUSTACHE_ERROR) on a syntax
 * error. (transfer full) */
G_GNUC_WARN_UNUSED_RESULT
ShrMustacheTemplate *shr_mustache_template_new (const gchar *source, const gchar *name, GError **error);

/* Reads and compiles a template file (at most SHR_MAX_MUSTACHE_TEMPLATE_BYTES,
 * valid UTF-8). Errors: G_FILE_ERROR, SHR_MUSTACHE_ERROR. (transfer full) */
G_GNUC_WARN_UNUSED_RESULT
ShrMustacheTemplate *shr_mustache_template_new_from_file (const gchar *path, GError **error);

ShrMustacheTemplate *shr_mustache_template_ref (ShrMustacheTemplate *tmpl);
void shr_mustache_template_unref (ShrMustacheTemplate *tmpl);

/* The name given at compile time (transfer none). */
const gchar *shr_mustache_template_get_name (ShrMustacheTemplate *tmpl);

/* Renders TMPL against VIEW (any JsonNode; NULL is an empty object).
 * PARTIALS may be NULL (then every partial is ""). Returns the output
 * (caller frees), or NULL with ERROR set when a partial does not compile or
 * a cap is reached (SHR_MUSTACHE_ERROR_DEPTH, _TOO_BIG). */
G_GNUC_WARN_UNUSED_RESULT
gchar *shr_mustache_template_render (ShrMustacheTemplate *tmpl, JsonNode *view, ShrMustachePartials *partials,
                                     ShrMustacheMode mode, GError **error);

/* Compile-and-render in one call, for one-off use. Caller frees. */
G_GNUC_WARN_UNUSED_RESULT
gchar *shr_mustache_render (const gchar *source, JsonNode *view, ShrMustachePartials *partials,
                            ShrMustacheMode mode, GError **error);

/* An empty partial set. (transfer full) */
ShrMustachePartials *shr_mustache_partials_new (void);

/* A partial set that loads partial NAME from DIR/NAME.mustache on first use
 * (names with '/', '\\' or a leading '.' are refused). Partials added with
 * shr_mustache_partials_add() take precedence. (transfer full) */
ShrMustachePartials *shr_mustache_partials_new_for_dir (const gchar *dir);

/* Adds (or replaces) partial NAME with SOURCE; both are copied. The source
 * is compiled on first use, so a syntax error shows when rendering. */
void shr_mustache_partials_add (ShrMustachePartials *partials, const gchar *name, const gchar *source);

ShrMustachePartials *shr_mustache_partials_ref (ShrMustachePartials *partials);
void shr_mustache_partials_unref (ShrMustachePartials *partials);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrMustacheTemplate, shr_mustache_template_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrMustachePartials, shr_mustache_partials_unref)

G_END_DECLS
