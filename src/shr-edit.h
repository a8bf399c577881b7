/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-edit.h — approve with edits: the notices between markers in the
 * draft, and the approver's edited text read back from a reply
 * (DESIGN.md "Approval by reply").
 *
 * The draft shows each notice as a block the approver can quote and edit:
 *
 *   ---- 通知文（日本語）ここから ----
 *   件名: 【要対応・A 即日】…
 *
 *   (the notice's text, as it will go out)
 *   ---- ここまで ----
 *
 * and the same for English ("---- English notice from here ----" …
 * "---- English notice to here ----", "Subject: …"). A reply whose first
 * line is 修正承認 / approve with edits carries one or both blocks, quoted
 * ("> ", at any depth) or not; lines typed unquoted inside a quoted block
 * belong to it. Everything here is pure. */
#pragma once

#include <glib.h>

#include "shr-error.h"

G_BEGIN_DECLS

#define SHR_EDIT_JA_BEGIN "---- 通知文（日本語）ここから ----"
#define SHR_EDIT_JA_END "---- ここまで ----"
#define SHR_EDIT_EN_BEGIN "---- English notice from here ----"
#define SHR_EDIT_EN_END "---- English notice to here ----"

typedef struct
{
  gchar *subject; /* one line */
  gchar *text;    /* lines ending in '\n', no trailing spaces, no blank
                   * lines at the end */
} ShrEditedNotice;

/* What a reply says the notices must be: @ja and @en, each NULL when the
 * reply leaves that language as drafted. */
typedef struct
{
  ShrEditedNotice *ja;
  ShrEditedNotice *en;
} ShrEdit;

void shr_edit_free (ShrEdit *edit);

/* (transfer full) The block of the notice in @lang ("ja" or "en") with
 * @subject and @text, as the draft shows it (ending in a newline). */
gchar *shr_edit_block (const gchar *lang, const gchar *subject, const gchar *text);

/* (transfer full) @text as a block holds it: '\r' and trailing blanks of
 * each line dropped, blank lines at the end dropped, one '\n' at the end. */
gchar *shr_edit_normalize (const gchar *text);

/* (transfer full) The blocks of @reply_text (a reply's text, UTF-8).
 * Errors (SHR_EDIT_ERROR; the message says why in Japanese and English,
 * for the answer to the approver):
 *   _MISSING    no block at all;
 *   _BROKEN     a block without its end marker, an end marker without a
 *               block, a block opened inside another;
 *   _AMBIGUOUS  two different blocks of one language at the same quoting
 *               depth (a block typed unquoted wins over the quoted draft);
 *   _SUBJECT    the block's first line is not 件名: / Subject:, the Subject
 *               is empty, runs over two lines, holds a control character or
 *               is longer than SHR_MAX_SUBJECT_BYTES;
 *   _CONTROL    the text holds a control character (other than a tab);
 *   _TOO_BIG    a block over SHR_MAX_EDITED_NOTICE_BYTES. */
ShrEdit *shr_edit_parse (const gchar *reply_text, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* (transfer full) The notices draft body @draft_body (the draft's JSON in
 * the state: "notices": {"ja": {"subject", "text"}, "en": …}) showed, in
 * an ShrEdit; a language it did not show is NULL. */
ShrEdit *shr_edit_drafted (const gchar *draft_body);

/* Checks @edit against the notices as the draft showed them (@drafted:
 * shr_edit_drafted; a language the draft did not show must not be
 * edited) and drops from it a language whose
 * block is the draft's unchanged. Errors (SHR_EDIT_ERROR):
 *   _GRADE_LINES  a line giving the priority or the deadline (対応優先度:,
 *                 対応期限:, Priority:, Deadline:) was removed or changed:
 *                 the grade is the policy's, not the approver's to edit;
 *   _UNCHANGED    every block is the draft's text (approve instead);
 *   _MISSING      a block of a language the draft did not show. */
gboolean shr_edit_check (ShrEdit *edit, const ShrEdit *drafted, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* (transfer full) @edit as JSON: {"ja": {"subject", "text"}, "en": …},
 * a language present only when edited. The same edit gives the same
 * string (the state compares approvals by it). */
gchar *shr_edit_to_json (const ShrEdit *edit);

/* (transfer full) The edit @json holds (shr_edit_to_json), or NULL when
 * it is not one. */
ShrEdit *shr_edit_from_json (const gchar *json);

/* (transfer full) The unified diff of what @edit changes in both
 * languages against @drafted (as for shr_edit_check), the Subject shown
 * as the first line of each; "" when nothing changed. */
gchar *shr_edit_diff (const ShrEdit *edit, const ShrEdit *drafted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrEdit, shr_edit_free)

G_END_DECLS
