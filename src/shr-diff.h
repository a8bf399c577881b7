/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-diff.h — a unified line diff, for showing an approver what their
 * edit changed (DESIGN.md "Approval by reply": the confirmation shows the
 * diff). Small on purpose: no library for one view of two short texts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Above this many line pairs to compare (after the lines both texts share
 * at their start and end are set aside), the changed middle is shown as
 * one hunk that removes all of it and adds all of it: still a correct
 * diff, only not the shortest. A notice edit is a few lines in ~100. */
#define SHR_DIFF_MAX_CELLS (4 * 1000 * 1000)

/* (transfer full) The unified diff (as diff -u writes it, "---"/"+++"
 * headers with @old_label and @new_label, hunks of changes with @context
 * lines around them) that turns @old into @new, line by line; "" when
 * the two have the same lines. A missing newline at the end of either
 * text is not a difference. */
gchar *shr_diff_unified (const gchar *old_text, const gchar *new_text, const gchar *old_label,
                         const gchar *new_label, guint context);

G_END_DECLS
