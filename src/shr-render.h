/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-render.h — notices, drafts and digests from the templates.
 *
 * Templates live in one directory: the [templates] dir key of the config,
 * else the installed $(pkgdatadir)/templates, else (a build never
 * installed) the source tree's templates/. A top-level template NAME is
 * the file NAME (notice-ja.txt, notice-en.html, draft.txt, …); partials
 * are NAME.mustache in the same directory. Files ending in .html render in
 * Mustache's HTML mode (every value escaped), the others as plain text.
 * templates/README.md lists the files and the view's keys. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SHR_RENDER_LANG_JA,
  SHR_RENDER_LANG_EN,
  SHR_RENDER_LANG_BOTH,
} ShrRenderLang;

typedef struct _ShrRenderer ShrRenderer;

/* One rendered mail: the Subject (one line, no control characters), the
 * plain text and the HTML (caller frees with shr_rendered_free). */
typedef struct
{
  gchar *subject;
  gchar *text;
  gchar *html; /* NULL for a text-only mail (drafts, digests) */
} ShrRendered;

/* (transfer none) The default directory: $SHIRASE_TEMPLATEDIR, else the
 * installed templates (never a build tree's). */
const gchar *shr_render_default_dir (void);

/* (transfer full) The directory for @keyfile ([templates] dir, relative to
 * the config file's directory @config_path when not absolute), else the
 * default. @keyfile and @config_path may be NULL. */
gchar *shr_render_dir_for_config (GKeyFile *keyfile, const gchar *config_path);

/* A renderer caches compiled templates: use one per thread.
 *
 * (transfer full) A renderer on @dir (NULL: the default). Errors: G_FILE_ERROR
 * when @dir has no notice-ja.txt (it is not a template directory). */
ShrRenderer *shr_renderer_new (const gchar *dir, GError **error);
void shr_renderer_free (ShrRenderer *renderer);

const gchar *shr_renderer_get_dir (ShrRenderer *renderer);

/* Renders template @name against @view (compiled once and cached).
 * Errors: G_FILE_ERROR, SHR_MUSTACHE_ERROR. (transfer full) */
gchar *shr_renderer_render (ShrRenderer *renderer, const gchar *name, JsonNode *view, GError **error);

/* Adds the worded keys to a notice view, each rendered from its template
 * and made one line: topic_ja/topic_en (topic-*.txt: what the notice is
 * about), title_ja/title_en (title-*.txt) and title_differs_ja/_en (the
 * source's title is another, shown as 原題), in_short_ja/in_short_en
 * (in-short-*.txt: 一言でいうと), then subject_ja/subject_en
 * (subject-*.txt), so that the notice bodies can quote the Subject their
 * mail will carry. The line ends of topic, title and in-short templates
 * are dropped (their lines are laid out for the template's reader).
 * Called by the functions below; idempotent. */
gboolean shr_renderer_add_subjects (ShrRenderer *renderer, JsonNode *view, GError **error);

/* The notice in @lang: subject (Japanese for ja and both), text (its
 * spaces tidied and its lines wrapped to SHR_RENDER_TEXT_WIDTH columns)
 * and HTML (spaces tidied). (transfer full) */
ShrRendered *shr_renderer_notice (ShrRenderer *renderer, JsonNode *view, ShrRenderLang lang, GError **error);

/* The approver's draft for the notice of @view: both languages, how to
 * reply, @token in the Subject ([承認依頼 #TOKEN]). The text is draft.txt,
 * which quotes the notices as they will go out. (transfer full) */
ShrRendered *shr_renderer_draft (ShrRenderer *renderer, JsonNode *view, const gchar *token,
                                 const gchar *draft_id, GError **error);

/* Renders @name (a mail to the approvers or a recipient: draft.txt,
 * confirmation.txt, note.txt, digest-recipient.txt) with its spaces tidied
 * and its lines wrapped as a notice's, except the @verbatim strings
 * (shr_render_tidy_mail). (transfer full) */
gchar *shr_renderer_mail (ShrRenderer *renderer, const gchar *name, JsonNode *view,
                          const gchar *const *verbatim, GError **error);

/* The digest (view from shr_notice_digest_view_new); the titles of
 * shr_renderer_add_subjects are added to each item and folded notice.
 * (transfer full) */
ShrRendered *shr_renderer_digest (ShrRenderer *renderer, JsonNode *view, GError **error);

void shr_rendered_free (ShrRendered *rendered);

/* The width of a text part's lines: a notice's text is wrapped to it. */
#define SHR_RENDER_TEXT_WIDTH 76

/* (transfer full) @text with the ASCII spaces Japanese typography has no
 * place for taken out: after an opening full-width bracket, before a
 * closing one or 、。, and between a Japanese character and a particle or
 * joining word after it (の, に, を, が, で, と, は, も, へ, から, および,
 * ほか) or after および — so that a template may write "{{product}} の"
 * whatever the value ends with. Spaces inside a name ("さくら会 さくら総合
 * 病院") and indentation are kept. */
gchar *shr_render_tidy_spaces (const gchar *text);

/* Display columns of @text (@len bytes, or -1 up to its NUL): two for
 * wide and East Asian ambiguous characters, none for combining ones. */
guint shr_render_text_width (const gchar *text, gssize len);

/* (transfer full) @text with every line wider than @width columns wrapped:
 * at a space, or between Japanese characters where kinsoku allows (no
 * line starts with 、。」） or ends with 「（); never inside a word or a
 * URL (a URL longer than the line stays whole). Wrapped lines are
 * indented under the text after the line's list marker (・, "1. ", "- "). */
gchar *shr_render_wrap (const gchar *text, guint width);

/* (transfer full) @text with its spaces tidied (shr_render_tidy_spaces)
 * and its lines wrapped to SHR_RENDER_TEXT_WIDTH (shr_render_wrap),
 * except where one of @verbatim (NULL-terminated, may be NULL) stands:
 * those are kept byte for byte (a notice as it goes out, an approver's
 * edit, a diff, whose lines an approver quotes back or compares). */
gchar *shr_render_tidy_mail (const gchar *text, const gchar *const *verbatim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrRenderer, shr_renderer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrRendered, shr_rendered_free)

G_END_DECLS
