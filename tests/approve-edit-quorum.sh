#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-edit-quorum.sh — approvals with edits under [approval] quorum = 2,
# end to end on the real mail stack (skipped with 77 where it cannot run).
# Approvals must agree on the text: a second approver's different edit is
# refused with an explanation (the first edit's diff and its blocks to
# quote), and the same edit sends it; an edit after an approval as drafted
# starts the count again, and an approval as drafted after an edit is
# refused.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 2"
set_key approvers "approver@example.test, approver2@example.test"

. "$(dirname "$0")/approve-lib.sh"

edit_one='sed "s/^お疲れさまです。$/お疲れさまです。情報システム部の佐藤です。/"'
edit_two='sed "s/^お疲れさまです。$/お疲れさまです。セキュリティ担当の鈴木です。/"'
last_subject () { mails "$1" | tail -1 | cut -f3; }
last_body () { body "$1" "$(mails "$1" | tail -1 | cut -f1 | tr -d '<>')"; }

# ---- 1. Two approvers, two different edits: refused; the same edit sends. --
variant 1
run_once >/dev/null 2>&1 || fail "shirase once on the advisory failed"
wait_count approver 1 && wait_count approver2 1 || fail "the draft did not reach both approvers"
edit_reply "$work/a1.eml" approver "修正承認" "$edit_one"
run_once >/dev/null 2>&1 || fail "shirase once on the first edit failed"
wait_count approver 2 || fail "the first edit was not confirmed"
last_subject approver | grep -q '^\[承認を記録 / Approval recorded\]' || fail "confirmation: $(last_subject approver)"
last_body approver >"$work/recorded.txt"
grep -qxF '+お疲れさまです。情報システム部の佐藤です。' "$work/recorded.txt" || fail "the recorded edit's confirmation shows no diff"
flat <"$work/recorded.txt" | grep -q 'The other approvers must approve the same text' || fail "the confirmation does not say the others must approve the same text"
edit_reply "$work/b1.eml" approver2 "修正承認" "$edit_two"
run_once >/dev/null 2>&1 || fail "shirase once on the second, different edit failed"
wait_count approver2 2 || fail "the different edit was not answered"
sleep 1
[ "$(mailbox_count admin)" = 0 ] || fail "two different edits sent a notice"
last_subject approver2 | grep -q '^\[受け付けできません / Not accepted\]' || fail "answer: $(last_subject approver2)"
last_body approver2 >"$work/conflict.txt"
grep -q 'all approvals must be of the same text' "$work/conflict.txt" || { cat "$work/conflict.txt"; fail "the refusal does not explain"; }
grep -qxF '+お疲れさまです。情報システム部の佐藤です。' "$work/conflict.txt" || fail "the refusal does not show the first edit's diff"
grep -qx -- '---- 通知文（日本語）ここから ----' "$work/conflict.txt" || fail "the refusal does not give the first edit's block to quote"
[ "$(db "SELECT count(*) FROM decisions WHERE draft_id = 1")" = 1 ] || fail "the different edit was recorded"
echo "different edits: the second refused ($(grep '^Why' "$work/conflict.txt" | cut -c1-70)…)"
# approver2 agrees: replies to the refusal quoting the first edit's block.
reply_text=$(printf '修正承認\n\n'; sed 's/^/> /' "$work/conflict.txt")
reply_to_draft "$work/b2.eml" "$reply_text" approver2
run_once >/dev/null 2>&1 && run_once >/dev/null 2>&1 || fail "shirase once on the agreeing edit failed"
wait_count admin 2 || fail "the agreed edit was not sent"
mid=$(notice_mid ja 1)
body admin "$mid" | grep -qx 'お疲れさまです。情報システム部の佐藤です。' || fail "the notice is not the agreed edit"
[ "$(content_type admin "$mid")" = text/plain ] || fail "the edited notice is not text only"
[ "$(content_type admin "$(notice_mid en 1)")" = multipart/alternative ] || fail "the unedited English notice lost its HTML"
[ "$(db "SELECT count(DISTINCT edited) || '/' || count(*) FROM decisions WHERE draft_id = 1")" = 1/2 ] || fail "decisions: $(db "SELECT approver, edited IS NULL FROM decisions WHERE draft_id = 1")"
echo "the same edit by the second approver: sent, the edited Japanese notice word for word"

# ---- 2. An edit after an approval as drafted starts the count again. ------
variant 2
run_once >/dev/null 2>&1 || fail "shirase once on the second advisory failed"
a=$(mailbox_count approver); b=$(mailbox_count approver2)
reply_to_draft "$work/a3.eml" "承認" approver
run_once >/dev/null 2>&1 || fail "shirase once on the plain approval failed"
wait_count approver $((a + 1)) || fail "the plain approval was not confirmed"
edit_reply "$work/b3.eml" approver2 "修正承認" "$edit_two"
run_once >/dev/null 2>&1 || fail "shirase once on the edit after the approval failed"
wait_count approver2 $((b + 1)) || fail "the edit after the approval was not confirmed"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "sent after a plain approval and an edit (of different texts)"
last_body approver2 >"$work/restarted.txt"
grep -q 'Approvals of the text before your edit no longer count' "$work/restarted.txt" || { cat "$work/restarted.txt"; fail "the confirmation does not say the count started again"; }
[ "$(db "SELECT approver FROM decisions WHERE draft_id = 2")" = approver2@example.test ] || fail "the plain approval still counts"
echo "edit after a plain approval: the count starts again"
# approver approves as drafted again: refused, their approval is of another text.
reply_to_draft "$work/a4.eml" "承認します" approver
run_once >/dev/null 2>&1 || fail "shirase once on the plain approval after the edit failed"
wait_count approver $((a + 2)) || fail "the plain approval after an edit was not answered"
last_subject approver | grep -q '^\[受け付けできません' || fail "answer: $(last_subject approver)"
[ "$(mailbox_count admin)" = 2 ] || fail "sent on a plain approval after an edit"
edit_reply "$work/a5.eml" approver "approve with edits" "$edit_two"
run_once >/dev/null 2>&1 && run_once >/dev/null 2>&1 || fail "shirase once on the agreeing edit failed"
wait_count admin 4 || fail "two approvals of the same edit did not send it"
body admin "$(notice_mid ja 2)" | grep -qx 'お疲れさまです。セキュリティ担当の鈴木です。' || fail "draft 2's notice is not the edit"
echo "plain approval after the edit refused; the same edit by both: sent"
echo "approve-edit-quorum: ok"
