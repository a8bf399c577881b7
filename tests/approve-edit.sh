#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-edit.sh — approve with edits, end to end on the real mail stack
# (skipped with 77 where it cannot run; the part after expiry needs
# --enable-test-hooks). The approver replies 修正承認 with the draft quoted
# and edited: the notices that reach the administrators are the edited
# text word for word (text only: no HTML part made from the templates),
# the confirmation shows the diff, the state keeps the edit and shirase
# drafts/status say so. Each malformed edit decides nothing and is
# answered with why. An edit after the draft expired is refused.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"

. "$(dirname "$0")/approve-lib.sh"

# Edits: a sentence of the Japanese notice, and the English Subject.
edit_ja='sed "s/^お疲れさまです。$/お疲れさまです。情報システム部の佐藤です。/"'
edit_en='sed "/^---- English notice from here ----$/{n;s/^Subject: .*/Subject: [Check Required] Cisco IOS XE web UI: is the HTTP server on? (CVE-2026-20198)/}"'

# ---- 1. Approved with edits: the edited text goes out word for word. ----
variant 1
run_once >/dev/null 2>&1 || fail "shirase once on the advisory failed"
wait_count approver 1 || fail "no draft reached the approver"
edit_reply "$work/edit1.eml" approver "修正承認します。" "$edit_ja | $edit_en"
grep -q '^> お疲れさまです。情報システム部の佐藤です。$' "$work/edit1.eml" || fail "the test's edit did not apply to the draft"
run_once >/dev/null 2>&1 || fail "shirase once on the edited approval failed"
run_once >/dev/null 2>&1 || fail "shirase once sending the notices failed"
wait_count admin 2 || fail "the edited notices did not reach admin"
for lang in ja en; do
  mid=$(notice_mid $lang 1)
  [ -n "$mid" ] || fail "no $lang notice of draft 1"
  body admin "$mid" | strip_end >"$work/sent-$lang.txt"
  block "$work/edit1.eml.draft" $lang text | strip_end >"$work/edited-$lang.txt"
  diff "$work/edited-$lang.txt" "$work/sent-$lang.txt" >"$work/diff-$lang.txt" \
    || { head "$work/diff-$lang.txt"; fail "the $lang notice sent is not the edited text"; }
  [ "$(content_type admin "$mid")" = text/plain ] || fail "the edited $lang notice is $(content_type admin "$mid"), not text only"
  echo "$lang notice: the edited text word for word ($(wc -l <"$work/sent-$lang.txt") lines, text/plain)"
done
grep -qx 'お疲れさまです。情報システム部の佐藤です。' "$work/sent-ja.txt" || fail "the Japanese edit is not in the notice"
# (tr -s: the header helper joins a folded Subject's lines with a space)
subjects=$(header admin Subject | tr -s ' ')
echo "$subjects" | grep -qxF "$(block "$work/edit1.eml.draft" en)" || fail "the English Subject is not the edited one: $subjects"
echo "$subjects" | grep -qxF "$(block "$work/edit1.eml.draft" ja)" || fail "the Japanese Subject is not the draft's: $subjects"
# The confirmation says approved with edits and shows the diff.
wait_count approver 2 || fail "no confirmation"
confirm=$(mails approver | tail -1)
echo "$confirm" | cut -f3 | grep -q '^\[修正承認済み / Approved with edits\]' || fail "confirmation: $(echo "$confirm" | cut -f3)"
body approver "$(echo "$confirm" | cut -f1 | tr -d '<>')" >"$work/confirm1.txt"
for line in '--- 下書き（日本語） / draft (Japanese)' '+++ 修正後（日本語） / edited (Japanese)' '-お疲れさまです。' \
  '+お疲れさまです。情報システム部の佐藤です。' '+++ 修正後（英語） / edited (English)' \
  '+Subject: [Check Required] Cisco IOS XE web UI: is the HTTP server on? (CVE-2026-20198)'; do
  grep -qxF -- "$line" "$work/confirm1.txt" || { cat "$work/confirm1.txt"; fail "the confirmation's diff lacks '$line'"; }
done
grep -q '^@@ -[0-9,]* +[0-9,]* @@$' "$work/confirm1.txt" || fail "the confirmation has no diff hunk"
echo "confirmation: $(echo "$confirm" | cut -f3 | cut -c1-60)…, with the diff ($(grep -c '^[-+][^-+]' "$work/confirm1.txt") changed lines)"
# Kept in the state; drafts and status say so.
[ "$(db "SELECT edited IS NOT NULL FROM drafts WHERE id = 1")" = 1 ] || fail "the edit is not kept with the draft"
[ "$(db "SELECT count(*) FROM decisions WHERE draft_id = 1 AND edited IS NOT NULL")" = 1 ] || fail "the approval does not keep its text"
drafts=$(cd "$work" && "$shirase" drafts --all -c "$conf") || fail "shirase drafts --all failed"
echo "$drafts" | grep -q $'^1\tsent (approved with edits)\t' || fail "shirase drafts --all: $drafts"
status | grep -qx 'approved with edits: 1 drafts (latest: draft 1)' || fail "shirase status: $(status)"
echo "drafts: $(echo "$drafts" | cut -f1,2 | head -1)"

# ---- 2. Malformed edits decide nothing and are answered with why. -------
variant 2
a_before=$(mailbox_count approver)
run_once >/dev/null 2>&1 || fail "shirase once on the second advisory failed"
wait_count approver $((a_before + 1)) || fail "no second draft"
yes '> 追加した行です。長い説明をここに貼り付けました。この行は何度も繰り返されます。' | head -1200 | sed 's/^> //' >"$work/big.txt"
# The reader drops C0 controls from a reply's text (and makes a bare CR a
# line end: a Subject cut in two); a C1 control such as NEL (U+0085, a line
# end to some software) reaches the edit's checks.
nel=$(printf '\302\205')
n=0
for spec in \
  "no-block|cat >/dev/null; echo 件名を直してから送ってください。|no edited notice" \
  "no-end|sed '/^---- English notice to here ----\$/d'|the English block has no end marker" \
  "crossed|sed '/^---- ここまで ----\$/d'|the Japanese block is not closed by" \
  "no-begin|sed '/^---- English notice from here ----\$/d'|has no \"---- English notice from here ----\" before it" \
  "subject-two-lines|sed '/^---- 通知文（日本語）ここから ----\$/{n;s/の権限昇格/の\\n権限昇格/}'|runs over more than one line" \
  "subject-control|sed '/^---- English notice from here ----\$/{n;s/Cisco IOS/Cisco${nel}Bcc: IOS/}'|control character (U+0085)" \
  "deadline-removed|sed '/^対応期限: /d'|removed or changed" \
  "grade-changed|sed 's/^Priority: C (Medium)\$/Priority: B (High)/'|Priority: C (Medium)" \
  "oversize|sed '/^■ 概要\$/r $work/big.txt'|larger than 64 KiB" \
  "unchanged|cat|unchanged"; do
  n=$((n + 1))
  name=${spec%%|*}; rest=${spec#*|}; filter=${rest%|*}; want[$n]=${rest##*|}; names[$n]=$name
  edit_reply "$work/bad-$name.eml" approver "修正承認" "$filter"
done
run_once >/dev/null 2>&1 || fail "shirase once on the malformed edits failed"
wait_count approver $((a_before + 1 + n)) || fail "not every malformed edit was answered ($(mailbox_count approver) mails)"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "a malformed edit sent a notice: $(mails admin)"
[ "$(db "SELECT status FROM drafts WHERE id = 2")" = pending ] || fail "a malformed edit decided: $(db "SELECT status FROM drafts WHERE id = 2")"
[ "$(db "SELECT count(*) FROM decisions WHERE draft_id = 2")" = 0 ] || fail "a malformed edit was recorded as a decision"
: >"$work/answers.txt"
for mid in $(mails approver | awk -F'\t' '$3 ~ /^\[受け付けできません/ { print $1 }' | tr -d '<>'); do
  body approver "$mid" >>"$work/answers.txt"
done
[ "$(mails approver | grep -c $'\t\\[受け付けできません')" = $n ] || fail "$(mails approver | grep -c '受け付けできません') answers, $n expected"
for i in $(seq 1 $n); do
  flat <"$work/answers.txt" | grep -qF -- "${want[$i]}" || { cat "$work/answers.txt"; fail "${names[$i]}: no answer says '${want[$i]}'"; }
  echo "${names[$i]}: refused, answered \"…${want[$i]}…\""
done
# The draft can still be approved with a good edit.
edit_reply "$work/edit2.eml" approver "approve with edits" "$edit_ja"
run_once >/dev/null 2>&1 && run_once >/dev/null 2>&1 || fail "shirase once after the good edit failed"
wait_count admin 4 || fail "the good edit after the malformed ones sent nothing"
[ "$(content_type admin "$(notice_mid en 2)")" = multipart/alternative ] || fail "the English notice, not edited, lost its HTML part"
echo "then approved with a good edit: the unedited English notice keeps its HTML part"

# ---- 3. An edit after the draft expired is refused. ------------------------
if test_hooks; then
  variant 3
  a_before=$(mailbox_count approver)
  run_once >/dev/null 2>&1 || fail "shirase once on the third advisory failed"
  wait_count approver $((a_before + 1)) || fail "no third draft"
  edit_reply "$work/late.eml" approver "修正承認" "$edit_ja"
  SHIRASE_TEST_CLOCK_OFFSET=$((73 * 3600)) run_once >/dev/null 2>&1 || fail "shirase once 73 h later failed"
  wait_count approver $((a_before + 3)) || fail "the late edit was not answered"
  sleep 1
  [ "$(mailbox_count admin)" = 4 ] || fail "an edit after expiry sent a notice"
  [ "$(db "SELECT status FROM drafts WHERE id = 3")" = expired ] || fail "draft 3: $(db "SELECT status FROM drafts WHERE id = 3")"
  [ "$(db "SELECT count(*) FROM decisions WHERE draft_id = 3")" = 0 ] || fail "the late edit was recorded"
  late=$(mails approver | awk -F'\t' '$3 ~ /^\[受け付けできません/ { print $1 }' | tail -1 | tr -d '<>')
  body approver "$late" | grep -q 'expired' || fail "the answer to the late edit does not say the draft expired"
  echo "after expiry: refused ($(body approver "$late" | grep '^Why' | head -1))"
fi
echo "approve-edit: ok"
