#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-summary.sh — the summariser plug-in ([summary] command), end to
# end through the draft and the approval on the real mail stack (skipped
# with 77 where it cannot run). tests/summariser.sh answers as told: a
# good summary is shown in the draft marked 機械生成の要約（要確認）beside
# the built-in text and, approved, is in the notices without the mark; a
# hallucinated CVE id, oversize output, invalid JSON, nothing, a hang and a
# crash are each discarded with a warning naming the reason, the draft
# says why, and the notices carry the built-in text. A hanging command
# costs its timeout and blocks nothing.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
printf '\n[summary]\ncommand = /bin/sh %s/tests/summariser.sh good\ntimeout_seconds = 2\n' "$top_src" >>"$conf"
(cd "$work" && "$shirase" check-config -c "$conf" >/dev/null) || fail "check-config refuses the [summary] group"

. "$(dirname "$0")/approve-lib.sh"
mode () { sed -i "s|^command = .*|command = /bin/sh $top_src/tests/summariser.sh $1|" "$conf"; }
machine_ja='Cisco IOS XE の Web UI 機能に、認証なしで最上位の権限を持つアカウントを作られる脆弱性'
machine_en='The web UI of Cisco IOS XE lets an unauthenticated attacker create an account with the highest privilege'
# Their start, as the notices' text (wrapped at 76 columns) begins.
start_ja='Cisco IOS XE の Web UI 機能に、認証なしで最上位の権限'
start_en='The web UI of Cisco IOS XE lets an unauthenticated attacker'
n=0
admin=0

# ---- 1. Good output: marked in the draft, unmarked in the notices. -------
n=$((n + 1)); variant $n
run_once >/dev/null 2>"$work/once-$n.log" || fail "shirase once with the good summariser failed"
wait_count approver 1 || fail "no draft"
body approver "$(newest_draft)" >"$work/draft-$n.txt"
grep -qx '機械生成の要約（要確認） / Machine-written summary — check it' "$work/draft-$n.txt" || fail "the draft does not mark the machine-written summary"
has_text "日本語: $machine_ja（CVE-2026-2019$n）" <"$work/draft-$n.txt" || fail "the draft does not show the machine-written Japanese summary"
has_text "English: $machine_en (CVE-2026-2019$n)" <"$work/draft-$n.txt" || fail "the draft does not show the machine-written English summary"
has_text '組み込みの要約（shirase が記録から組み立てた文） / Built-in summary (composed by shirase from the record): 日本語: Cisco IOS XE（17.9 系' <"$work/draft-$n.txt" \
  || fail "the draft does not show the built-in summary beside it"
block "$work/draft-$n.txt" ja text >"$work/block-ja-$n.txt"
grep -q "^$start_ja" "$work/block-ja-$n.txt" || fail "the Japanese notice in the draft does not use the machine-written summary"
grep -q '^1\. HTTP サーバー機能が有効か確認する。$' "$work/block-ja-$n.txt" || fail "the notice does not use the machine-written steps"
[ "$(block "$work/draft-$n.txt" ja)" = "【要確認・C 今月中】Cisco IOS XE の Web UI で管理者権限を奪われる脆弱性（CVE-2026-2019$n）" ] \
  || fail "the notice does not use the machine-written title: $(block "$work/draft-$n.txt" ja)"
! grep -q '機械生成\|Machine-written' "$work/block-ja-$n.txt" || fail "the notice carries the machine mark"
[ "$(db "SELECT json_extract(summary, '$.ok') FROM drafts WHERE id = $n")" = 1 ] || fail "the summary is not kept with the draft"
reply_to_draft "$work/reply-$n.eml" "承認"
run_once >/dev/null 2>&1 && run_once >/dev/null 2>&1 || fail "shirase once on the approval failed"
admin=$((admin + 2)); wait_count admin $admin || fail "the notices did not arrive"
body admin "$(notice_mid ja $n)" >"$work/notice-ja-$n.txt"
body admin "$(notice_mid en $n)" >"$work/notice-en-$n.txt"
grep -q "^$start_ja" "$work/notice-ja-$n.txt" || fail "the Japanese notice sent lacks the approved machine-written summary"
grep -q "^$start_en" "$work/notice-en-$n.txt" || fail "the English notice sent lacks the approved machine-written summary"
! grep -q '機械生成\|Machine-written\|要確認）$' "$work/notice-ja-$n.txt" "$work/notice-en-$n.txt" || fail "a notice sent carries the machine mark"
echo "good: marked in the draft beside the built-in text; approved, the notices say it unmarked"

# ---- 2. Each bad behaviour: discarded with the reason, built-in text. ----
for spec in "hallucinated|it names CVE-2026-99999, which the record does not" \
  "oversize|wrote more than 65536 bytes" "invalid|the output is not JSON" "nothing|wrote nothing" \
  "hang|ran past 2 s and was stopped" "crash|was killed by signal 11"; do
  m=${spec%%|*}; reason=${spec#*|}
  n=$((n + 1)); variant $n; mode "$m"
  a_before=$(mailbox_count approver)
  start=$(now)
  run_once >/dev/null 2>"$work/once-$n.log" || fail "$m: shirase once failed"
  took=$(ms_since "$start")
  wait_count approver $((a_before + 1)) || fail "$m: no draft (the pipeline was blocked)"
  grep -q "draft $n: the machine-written summary is discarded, the built-in text is used: .*$reason" "$work/once-$n.log" \
    || { cat "$work/once-$n.log"; fail "$m: no warning naming the reason"; }
  body approver "$(newest_draft)" >"$work/draft-$n.txt"
  has_text "機械生成の要約は使いません（組み込みの文を使います） / The machine-written summary is not used (the built-in text is):" <"$work/draft-$n.txt" \
    && has_text "$reason" <"$work/draft-$n.txt" || fail "$m: the draft does not say why the summary is not used"
  ! grep -q "$machine_ja" "$work/draft-$n.txt" || fail "$m: the draft shows the discarded summary"
  block "$work/draft-$n.txt" ja text | grep -q '^Cisco IOS XE（17.9 系' || fail "$m: the notice does not carry the built-in summary"
  [ "$(db "SELECT json_extract(summary, '$.ok') FROM drafts WHERE id = $n")" = 0 ] || fail "$m: the outcome is not kept"
  echo "$m: discarded (\"…$reason…\"), the draft says so, built-in text; shirase once took $took ms"
done
# The last ones go through the approval with the built-in text.
reply_to_draft "$work/reply-$n.eml" "承認"
run_once >/dev/null 2>&1 && run_once >/dev/null 2>&1 || fail "shirase once on the approval failed"
admin=$((admin + 2)); wait_count admin $admin || fail "the notices did not arrive"
body admin "$(notice_mid ja $n)" >"$work/notice-ja-$n.txt"
grep -q '^Cisco IOS XE（17.9 系' "$work/notice-ja-$n.txt" || fail "the notice sent after a discarded summary is not the built-in text"
echo "approved after a discarded summary: the built-in text went out"
echo "approve-summary: ok"
