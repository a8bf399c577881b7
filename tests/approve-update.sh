#!/bin/bash
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
echo "$text" | grep -qF "「$first_subject_ja」の続報です" || { echo "$text" | head -30; fail "the update draft does not name the first notice"; }
echo "$text" | grep -q 'C（中） から A（緊急） に上がりました' || { echo "$text" | head -30; fail "the update draft does not say the grade rose"; }
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
echo "$upd_en" | cut -f3 | grep -q '^\[Update\] \[Action Required / A' || fail "English update Subject: $(echo "$upd_en" | cut -f3)"
[ "$(echo "$upd_ja" | cut -f2)" = "$first_ja" ] || fail "the Japanese update answers '$(echo "$upd_ja" | cut -f2)', not $first_ja"
[ "$(echo "$upd_en" | cut -f2)" = "$first_en" ] || fail "the English update answers '$(echo "$upd_en" | cut -f2)', not $first_en"
en_text=$(body admin "$(echo "$upd_en" | cut -f1 | tr -d '<>')")
echo "$en_text" | grep -q 'raised the priority from C (Medium) to A (Critical)' || { echo "$en_text" | head -20; fail "the English update does not say the priority rose"; }
[ "$(db "SELECT group_concat(kind || '/' || status, ' ') FROM drafts")" = "new/sent update/sent" ] \
  || fail "drafts: $(db "SELECT group_concat(kind || '/' || status, ' ') FROM drafts")"

# 4. The same CVE again from another source at grade A: nothing more.
sed 's/20261124\.kev\.1@/20261125.kev.1@/' "$updates/cisa-kev-later.eml" >"$work/kev-again.eml"
deliver "$work/kev-again.eml"
run_once >/dev/null 2>&1 || fail "shirase once on the repeated KEV mail failed"
sleep 1
[ "$(db "SELECT count(*) FROM drafts")" = 2 ] || fail "a source at the same grade queued a draft"
[ "$(mailbox_count admin)" = 4 ] || fail "a source at the same grade sent notices"
echo "approve-update: ok"
