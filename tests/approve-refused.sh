#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-refused.sh — every reply that must not count, end to end on the
# real mail stack (skipped with 77 where it cannot run), with
# require_auth_results on. Each refused reply changes nothing: no notice,
# no decision, the draft still pending; an approver is told why, a
# stranger or an auto-reply gets no answer (no backscatter). With
# require_auth_results off, a From that only mentions the approver (in a
# comment, as a display name, beside another address, in a second From
# header) is a stranger's (issue 15). Then a valid
# approval sends the notices once, its replay and a late second reply send
# nothing more, and a reply to an expired draft is refused.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1
require_auth_results = true
trusted_authserv_id = mx.example.test
expire_hours = 72"
good_ar="Authentication-Results: mx.example.test; dkim=pass header.d=example.test; spf=pass smtp.mailfrom=approver@example.test"

deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
deliver "$top_src/tests/data/update/cisco-snmp-first.eml"
run_once >/dev/null 2>&1 || fail "first shirase once failed"
wait_count approver 2 || fail "the two drafts did not arrive"
drafts=$(mails approver)
a_line=$(echo "$drafts" | grep 'Web UI\|CVE-2026-20198' | head -1)
b_line=$(echo "$drafts" | grep 'CVE-2026-20412' | head -1)
a_id=$(echo "$a_line" | cut -f1); a_subject=$(echo "$a_line" | cut -f3)
b_subject=$(echo "$b_line" | cut -f3)
b_token=$(echo "$b_subject" | sed -n 's/^\[承認依頼 #\([0-9A-Z]*\)\].*/\1/p')
[ -n "$a_id" ] && [ -n "$b_token" ] || { echo "$drafts"; fail "could not tell the two drafts apart"; }
a_db=$(db "SELECT id FROM drafts WHERE message_id = '$(echo "$a_id" | tr -d '<>')'")
n=0

# reply FROM SUBJECT IN-REPLY-TO BODY [HEADER...]: writes and delivers one reply.
reply ()
{
  local from=$1 subject=$2 irt=$3 text=$4 h
  shift 4
  n=$((n + 1))
  {
    printf 'From: %s\nTo: Shirase <shirase@example.test>\nSubject: %s\n' "$from" "$subject"
    printf 'Message-ID: <refused-%d@example.test>\nDate: %s\n' "$n" "$(date -R)"
    [ -z "$irt" ] || printf 'In-Reply-To: %s\nReferences: %s\n' "$irt" "$irt"
    for h in "$@"; do printf '%s\n' "$h"; done
    printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%b\n' "$text"
  } >"$work/reply-$n.eml"
  deliver "$work/reply-$n.eml"
}

# changes_nothing WHAT: after shirase once, no notice, no decision, draft A pending.
changes_nothing ()
{
  run_once >/dev/null 2>&1 || fail "$1: shirase once failed"
  [ "$(mailbox_count admin)" = 0 ] || fail "$1: a notice was sent"
  [ "$(db "SELECT count(*) FROM decisions")" = 0 ] || fail "$1: a decision was recorded"
  [ "$(db "SELECT status FROM drafts WHERE id = $a_db")" = pending ] || fail "$1: draft A is $(db "SELECT status FROM drafts WHERE id = $a_db")"
}

# answered WHAT TEXT: the approver got one more mail, [受け付けできません …] saying TEXT.
seen=2
answered ()
{
  seen=$((seen + 1))
  wait_count approver $seen || fail "$1: the approver was not told why"
  local last
  last=$(mails approver | tail -1)
  echo "$last" | cut -f3 | grep -q '^\[受け付けできません / Not accepted\]' || fail "$1: last mail is $(echo "$last" | cut -f3)"
  local text
  text=$(body approver "$(echo "$last" | cut -f1 | tr -d '<>')")
  echo "$text" | flat | grep -q "$2" || { echo "$text"; fail "$1: the answer does not say '$2'"; }
  echo "refused, answered: $1"
}
not_answered ()
{
  sleep 1
  [ "$(mailbox_count approver)" = $seen ] || fail "$1: answered ($(mails approver | tail -1 | cut -f3))"
  [ "$(db "SELECT count(*) FROM outbox WHERE recipient NOT LIKE '%@example.test' OR recipient LIKE 'stranger%'")" = 0 ] \
    || fail "$1: something was queued to a stranger"
  echo "refused, not answered: $1"
}

reply "Stranger <stranger@example.test>" "Re: $a_subject" "$a_id" "承認" "$good_ar"
changes_nothing "From not an approver"; not_answered "From not an approver"

reply "Approver <approver@example.test>" "Re: Cisco IOS XE" "" "承認" "$good_ar"
changes_nothing "no reference to the draft"; answered "no reference to the draft" "does not refer to a draft"

reply "Approver <approver@example.test>" "Re: [承認依頼 #0000000000] Cisco" "" "承認" "$good_ar"
changes_nothing "a wrong token"; answered "a wrong token" "not this draft's"

reply "Approver <approver@example.test>" "Re: [承認依頼 #$b_token] Cisco" "$a_id" "承認" "$good_ar"
changes_nothing "another draft's token"; answered "another draft's token" "not this draft's"

reply "Approver <approver@example.test>" "Re: $a_subject" "$a_id" "承認"
changes_nothing "Authentication-Results missing"; answered "Authentication-Results missing" "Authentication-Results for your mail are missing"

reply "Approver <approver@example.test>" "Re: $a_subject" "$a_id" "承認" \
  "Authentication-Results: evil.test; dkim=pass header.d=example.test; spf=pass smtp.mailfrom=approver@example.test"
changes_nothing "Authentication-Results from an untrusted server"; answered "Authentication-Results from an untrusted server" "are missing"

reply "Approver <approver@example.test>" "Re: $a_subject" "$a_id" "承認" \
  "Authentication-Results: mx.example.test; dkim=fail header.d=example.test; spf=fail smtp.mailfrom=approver@example.test"
changes_nothing "Authentication-Results failed"; answered "Authentication-Results failed" "neither DKIM nor SPF passed"

reply "Approver <approver@example.test>" "自動応答: Re: $a_subject" "$a_id" "承認\n不在にしております。" "$good_ar" "Auto-Submitted: auto-replied"
changes_nothing "an out-of-office auto-reply"; not_answered "an out-of-office auto-reply"

reply "Approver <approver@example.test>" "Re: $a_subject" "$a_id" "\n2026/11/26 shirase wrote:\n> 承認 (approve)\n> 却下 理由 (reject REASON)" "$good_ar"
changes_nothing "承認 only inside the quoted draft"; answered "承認 only inside the quoted draft" "says neither approve"

# With require_auth_results off (the default) the From header alone names
# the sender, read as RFC 5322 says and as every mail system shows it: the
# approver's address in a comment or a display name, beside another
# address, or in a second From header is not the approver's mail.
set_key require_auth_results false
# (check-config refuses a trusted_authserv_id that would have no effect)
sed -i 's|^trusted_authserv_id = |# trusted_authserv_id = |' "$conf"
reply "Mallory <mallory@evil.test> (<approver@example.test>)" "Re: $a_subject" "$a_id" "承認" "$good_ar"
changes_nothing "the approver's address in a comment"; not_answered "the approver's address in a comment"
reply "\"approver@example.test\" <mallory@evil.test>" "Re: $a_subject" "$a_id" "承認" "$good_ar"
changes_nothing "the approver's address as the display name"; not_answered "the approver's address as the display name"
reply "Mallory <mallory@evil.test>, Approver <approver@example.test>" "Re: $a_subject" "$a_id" "承認" "$good_ar"
changes_nothing "two addresses in From"; not_answered "two addresses in From"
reply "Mallory <mallory@evil.test>" "Re: $a_subject" "$a_id" "承認" "$good_ar" "From: Approver <approver@example.test>"
changes_nothing "two From headers, the approver's last"; not_answered "two From headers, the approver's last"
set_key require_auth_results true
sed -i 's|^# trusted_authserv_id = |trusted_authserv_id = |' "$conf"

# A valid approval: the notices, once.
reply "Approver <approver@example.test>" "Re: $a_subject" "$a_id" "承認します。" "$good_ar"
ok_reply=$n
run_once >/dev/null 2>&1 || fail "shirase once after the approval failed"
wait_count admin 2 || fail "the approval sent no notices"
seen=$((seen + 1)); wait_count approver $seen || fail "no confirmation of the approval"
echo "approved: $(mails admin | cut -f3 | tr '\n' ' ')"

# Its replay, and a second reply after the decision: nothing more.
deliver "$work/reply-$ok_reply.eml"
run_once >/dev/null 2>&1 || fail "shirase once on the replay failed"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "the replay sent more notices"
not_answered "the same approval delivered again"
reply "Approver <approver@example.test>" "Re: $a_subject" "$a_id" "approve" "$good_ar"
run_once >/dev/null 2>&1 || fail "shirase once on the late reply failed"
answered "a reply after the draft was approved" "this draft is already \\(approved\\|sent\\)"
[ "$(mailbox_count admin)" = 2 ] || fail "a reply after the approval sent more notices"

# Draft B: an approval read after expire_hours (72 h) is refused, whether
# the draft was already marked expired or not yet (the clock moved forward:
# test builds only).
if test_hooks; then
  reply "Approver <approver@example.test>" "Re: $b_subject" "$(echo "$b_line" | cut -f1)" "承認" "$good_ar"
  SHIRASE_TEST_CLOCK_OFFSET=$((73 * 3600)) run_once >/dev/null 2>&1 || fail "shirase once at +73 h failed"
  wait_count approver $((seen + 2)) || fail "no answer and expiry note for draft B"
  text=$(for m in $(mails approver | tail -2 | cut -f1 | tr -d '<>'); do body approver "$m"; done)
  echo "$text" | grep -q 'Why: the draft has expired' || { echo "$text"; fail "the late approval was not answered as expired"; }
  seen=$((seen + 2))
  echo "refused, answered: an approval after expire_hours"
  reply "Approver <approver@example.test>" "Re: $b_subject" "$(echo "$b_line" | cut -f1)" "承認" "$good_ar"
  run_once >/dev/null 2>&1 || fail "shirase once on the late approval failed"
  answered "an approval of a draft marked expired" "this draft is already expired or replaced by a newer draft"
  [ "$(mailbox_count admin)" = 2 ] || fail "an approval after expiry sent notices"
  [ "$(db "SELECT status FROM drafts WHERE id <> $a_db")" = expired ] || fail "draft B: $(db "SELECT status FROM drafts WHERE id <> $a_db")"
else
  echo "an approval after expire_hours: skipped (SHIRASE_TEST_CLOCK_OFFSET needs --enable-test-hooks)"
fi

# Every reply is kept, none deleted.
[ "$(count INBOX)" = 0 ] || fail "$(count INBOX) messages left in INBOX"
[ "$(( $(count shirase/done) + $(count shirase/failed) ))" = $((n + 3)) ] \
  || fail "$(count shirase/done) in done and $(count shirase/failed) in failed, $((n + 3)) delivered"
echo "approve-refused: ok"
