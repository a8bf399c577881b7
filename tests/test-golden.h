/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-golden.h — shared by the tests of what shirase writes to people
 * (tests/test-render: the notices and the approvers' digest;
 * tests/test-notify: the mails of the approval loop): the reader's
 * checks, which fail on what a Japanese administrator and a native editor
 * flagged in notices from real mail, and the golden files under
 * tests/data/render/.
 *
 * SHR_UPDATE_GOLDEN=1 rewrites the golden files (then read them, and
 * commit them only when a Japanese administrator would sign them). */
#pragma once

#include <glib.h>

/* What a text is written in, for the check of English words inside
 * Japanese sentences. */
typedef enum
{
  TEST_TEXT_EN,        /* an English notice: no such check */
  TEST_TEXT_JA,        /* a Japanese notice: every line with Japanese in it */
  TEST_TEXT_BILINGUAL, /* a mail in both (drafts, confirmations, notes, a
                        * recipient's digest): the Japanese half of a
                        * "日本語 / English" line, and the Japanese lines */
} TestTextLang;

/* (transfer full) Every defect of @text (a text part, or its HTML when
 * @html), one line each, "LINE: what"; "empty" when there is none: a
 * Mustache tag left, an empty list, paragraph or section, a space at a
 * line's end, two spaces in a row, a stray space in Japanese text, 「。」
 * after a closing bracket, a text line over 76 columns (a URL aside, and
 * the one-line Subject of a block an approver edits), an English word in
 * a Japanese sentence, a CVSS score without its decimal, and steps that
 * are headings, Markdown links, run together or repeated. */
gchar *test_text_defects (const gchar *text, gboolean html, TestTextLang lang);

/* (transfer full) The golden file tests/data/render/@name, after writing
 * @text to it when SHR_UPDATE_GOLDEN=1. */
gchar *test_read_golden (const gchar *text, const gchar *name);

/* @text is the golden file @name byte for byte (else the first line that
 * differs is named) and test_text_defects finds nothing in it. */
void test_assert_golden (const gchar *text, const gchar *name, gboolean html, TestTextLang lang);

/* The same for a mail in both languages: the golden file holds
 * "Subject: @subject", a blank line and @text; the Subject is read like
 * the text, but may be long (the header is folded). */
void test_assert_golden_mail (const gchar *subject, const gchar *text, const gchar *name);
