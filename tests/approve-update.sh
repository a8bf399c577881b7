#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-update.sh — 続報 (update) notices, end to end on the real mail stack
# (skipped with 77 where it cannot run). A Cisco advisory (CVSS 6.8, grade
# C) is approved and notified; CISA then lists its CVE as exploited (KEV),
# which raises the case to grade A: the approver gets a draft marked
# 【続報】, and once approved the administrators get notices marked
# 【続報】 / [Update] that answer the first ones (In-Reply-To), so mail
# clients thread them. A later source that does not raise the grade sends
# nothing.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
updates=$top_src/tests/data/update
admin_mails () { mails admin; }

# 1. The first source, approved and sent at grade C.
deliver "$updates/cisco-snmp-first.eml"
run_once >/dev/null 2>&1 || fail "first shirase once failed"
wait_count approver 1 || fail "no draft for the first source"
mails approver | cut -f3 | grep -q '【要対応・C 今月中】' || { mails approver; fail "the first draft is not grade C"; }
reply_to_draft "$work/reply1.eml" "承認します。"
run_once >/dev/null 2>&1 || fail "shirase once after the first approval failed"
wait_count admin 2 || fail "the first notices did not arrive"
first=$(admin_mails)
echo "first notices:"; echo "$first" | cut -f1,3
echo "$first" | cut -f3 | grep -q '続報\|Update' && fail "a first notice is marked as an update"
[ "$(db "SELECT kind || '/' || status FROM drafts")" = new/sent ] || fail "first draft: $(db "SELECT kind, status FROM drafts")"
first_ja=$(echo "$first" | awk -F'\t' '$1 ~ /\.ja\./ {print $1}')
first_en=$(echo "$first" | awk -F'\t' '$1 ~ /\.en\./ {print $1}')
first_subject_ja=$(echo "$first" | awk -F'\t' '$1 ~ /\.ja\./ {print $3}')

# 2. CISA: exploited, grade A → an update draft to the approver.
approver_before=$(mailbox_count approver)
deliver "$updates/cisa-kev-later.eml"
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once on the KEV mail failed"; }
echo "$out" | grep -q "update draft queued" || { echo "$out"; fail "no update draft queued"; }
wait_count approver $((approver_before + 1)) || fail "no update draft reached the approver"
draft=$(mails approver | tail -1)
echo "update draft: $(echo "$draft" | cut -f3)"
echo "$draft" | cut -f3 | grep -q '^\[承認依頼 #[0-9A-Z]*\] 【続報】【要対応・A 即日】' || fail "the update draft's Subject: $(echo "$draft" | cut -f3)"
text=$(body approver "$(echo "$draft" | cut -f1 | tr -d '<>')")
# The text part is wrapped at 76 columns: compare without spaces and line ends.
squash () { tr -d ' \n'; }
echo "$text" | squash | grep -qF "$(echo "「$first_subject_ja」の続報です" | squash)" || { echo "$text" | head -30; fail "the update draft does not name the first notice"; }
echo "$text" | squash | grep -qF "$(echo 'CISA（英語ソース）の新しい情報により、対応優先度が C（中）から A（緊急）に上がりました' | squash)" || { echo "$text" | head -30; fail "the update draft does not say the grade rose"; }
[ "$(mailbox_count admin)" = 2 ] || fail "notices went out before the update was approved"
listed=$( (cd "$work" && "$shirase" drafts -c "$conf") 2>&1) || fail "shirase drafts failed: $listed"
echo "$listed" | grep -q '\[続報 / update\] CISA Adds' || fail "shirase drafts does not mark the update: $listed"

# 3. Approved → the update notices, threaded under the first ones.
reply_to_draft "$work/reply2.eml" "approve"
run_once >/dev/null 2>&1 || fail "shirase once after the update approval failed"
wait_count admin 4 || fail "the update notices did not arrive"
sleep 1
[ "$(mailbox_count admin)" = 4 ] || fail "admin got $(mailbox_count admin) mails, 4 expected"
upd=$(admin_mails | tail -2)
echo "update notices:"; echo "$upd" | cut -f1,2,3
upd_ja=$(echo "$upd" | awk -F'\t' '$1 ~ /\.ja\./')
upd_en=$(echo "$upd" | awk -F'\t' '$1 ~ /\.en\./')
echo "$upd_ja" | cut -f3 | grep -q '^【続報】【要対応・A 即日】' || fail "Japanese update Subject: $(echo "$upd_ja" | cut -f3)"
echo "$upd_en" | cut -f3 | grep -q '^\[Update\] \[Action Required / Priority A' || fail "English update Subject: $(echo "$upd_en" | cut -f3)"
[ "$(echo "$upd_ja" | cut -f2)" = "$first_ja" ] || fail "the Japanese update answers '$(echo "$upd_ja" | cut -f2)', not $first_ja"
[ "$(echo "$upd_en" | cut -f2)" = "$first_en" ] || fail "the English update answers '$(echo "$upd_en" | cut -f2)', not $first_en"
en_text=$(body admin "$(echo "$upd_en" | cut -f1 | tr -d '<>')")
echo "$en_text" | squash | grep -qF "$(echo 'raised the priority from C (Medium) to A (Critical)' | squash)" || { echo "$en_text" | head -20; fail "the English update does not say the priority rose"; }
[ "$(db "SELECT group_concat(kind || '/' || status, ' ') FROM drafts")" = "new/sent update/sent" ] \
  || fail "drafts: $(db "SELECT group_concat(kind || '/' || status, ' ') FROM drafts")"

# 4. The same CVE again from another source at grade A: nothing more.
sed 's/20261124\.kev\.1@/20261125.kev.1@/' "$updates/cisa-kev-later.eml" >"$work/kev-again.eml"
deliver "$work/kev-again.eml"
run_once >/dev/null 2>&1 || fail "shirase once on the repeated KEV mail failed"
sleep 1
[ "$(db "SELECT count(*) FROM drafts")" = 2 ] || fail "a source at the same grade queued a draft"
[ "$(mailbox_count admin)" = 4 ] || fail "a source at the same grade sent notices"
# 5. Another case whose grade rises before the approvers answer: the new
# draft replaces the pending one, which can no longer be approved; only
# the higher grade goes out, as a first notice.
sed -e 's/CVE-2026-20412/CVE-2026-20413/g' -e 's/Qw3r7Z/Qw3r7Y/g' \
  "$updates/cisco-snmp-first.eml" >"$work/first-b.eml"
sed -e 's/CVE-2026-20412/CVE-2026-20413/g' -e 's/20261124\.kev\.1@/20261126.kev.1@/' \
  "$updates/cisa-kev-later.eml" >"$work/kev-b.eml"
approver_before=$(mailbox_count approver)
deliver "$work/first-b.eml"
run_once >/dev/null 2>&1 || fail "shirase once on the second case failed"
wait_count approver $((approver_before + 1)) || fail "no draft for the second case"
old_line=$(mails approver | tail -1)
old_token=$(echo "$old_line" | cut -f3 | sed -n 's/^\[承認依頼 #\([0-9A-Z]*\)\].*/\1/p')
deliver "$work/kev-b.eml"
run_once >/dev/null 2>&1 || fail "shirase once on the second case's KEV mail failed"
wait_count approver $((approver_before + 2)) || fail "no replacing draft"
new_line=$(mails approver | tail -1)
echo "$new_line" | cut -f3 | grep -q '【要対応・A 即日】' || fail "the replacing draft is not grade A: $(echo "$new_line" | cut -f3)"
echo "$new_line" | cut -f3 | grep -q '続報' && fail "the replacing draft is marked as an update, but nothing was notified"
text=$(body approver "$(echo "$new_line" | cut -f1 | tr -d '<>')")
echo "$text" | grep -qF "先の下書き [承認依頼 #$old_token]" || { echo "$text" | head -20; fail "the replacing draft does not name the one it replaces"; }
echo "replacing draft: $(echo "$new_line" | cut -f3)"
# Approving the replaced draft changes nothing, and the approver is told.
admin_before=$(mailbox_count admin)
{
  printf 'From: Approver <approver@example.test>\nTo: Shirase <shirase@example.test>\n'
  printf 'Subject: Re: %s\nMessage-ID: <reply-old-b@example.test>\n' "$(echo "$old_line" | cut -f3)"
  printf 'In-Reply-To: %s\nReferences: %s\n' "$(echo "$old_line" | cut -f1)" "$(echo "$old_line" | cut -f1)"
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n承認\n'
} >"$work/reply-old-b.eml"
deliver "$work/reply-old-b.eml"
run_once >/dev/null 2>&1 || fail "shirase once on the reply to the replaced draft failed"
wait_count approver $((approver_before + 3)) || fail "the approver was not told the old draft is replaced"
mails approver | tail -1 | cut -f3 | grep -q '^\[受け付けできません / Not accepted\]' || fail "no refusal for the replaced draft"
sleep 1
[ "$(mailbox_count admin)" = "$admin_before" ] || fail "approving the replaced draft sent notices"
reply_to_draft "$work/reply-new-b.eml" "承認"
run_once >/dev/null 2>&1 || fail "shirase once on the approval of the replacing draft failed"
wait_count admin $((admin_before + 2)) || fail "the replacing draft's notices did not arrive"
sleep 1
new_notices=$(mails admin | tail -2 | cut -f3)
echo "$new_notices" | grep -q 'C 今月中\|C within' && fail "the replaced grade C notice went out"
[ "$(echo "$new_notices" | grep -c 'A 即日\|A, same day')" = 2 ] || fail "expected the two grade A notices: $new_notices"
echo "approve-update: ok"
