#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# digest-e2e.sh — the daily digest and the hourly cap, on the real mail
# stack (skipped with 77 where it cannot run).
#
# Day 0: two not-applicable advisories (no draft: the DSA, and the FortiOS
# item of the KEV alert, which names two flaws) and three drafts, two of
# grade C and one of grade A, all approved with [recipients] hourly_cap = 1:
# admin gets the first C notice at once, the second is folded (the
# approver's confirmation says so), the A notice goes at once all the same.
# Day 1 (SHIRASE_TEST_CLOCK_OFFSET): the approver gets one digest listing
# the not-applicable advisories with their reasons (the KEV alert's item as
# its item: 2件中2件目) and the folded notice; admin
# gets their own digest holding that notice; a second run that day sends
# nothing. Day 2: the next digest comes, empty but sent.
NEED_TEST_HOOKS="the clock moved forward (SHIRASE_TEST_CLOCK_OFFSET)"
. "$(dirname "$0")/watch-lib.sh"

# [digest] time = 00:00: due whatever the hour the test runs at.
with_approval "quorum = 1
require_auth_results = false
remind_hours = 8760
expire_hours = 8760" "time = 00:00"
sed -i 's/^lang = both$/lang = both\nhourly_cap = 1/' "$conf"
cat >>"$conf" <<CONF

[asset curl]
product = curl

[asset ssh]
product = OpenSSH

[asset vpn]
vendor = Ivanti
product = Connect Secure
version = 22.7R2.3
CONF

dove () { doveadm -c "$DOVECOT_CONF" "$@"; }
sh () { (cd "$work" && "$shirase" "$@" -c "$conf"); }
day () { SHIRASE_TEST_CLOCK_OFFSET=$(($1 * 86400)) run_once 2>&1; }
# bodies USER: the text part of each message in USER's INBOX.
bodies ()
{
  local uid
  for uid in $(dove fetch -u "$1" uid mailbox INBOX all | sed -n 's/^uid: //p'); do
    dove fetch -u "$1" text mailbox INBOX uid "$uid" | sed '1d' | python3 -c '
import email, email.policy, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
print("Subject:", m["Subject"])
print(m.get_body(preferencelist=("plain",)).get_content())'
  done
}
digests () { header "$1" Subject | grep -c "$2"; }
approver_digests () { digests approver '^\[shirase\] 静観ダイジェスト'; }

# ---- day 0 ----------------------------------------------------------------------
for m in dsa_5901_1_libxml2 dla_4102_1_curl usn_7301_1_openssh cisa_kev_2026_03_10; do
  deliver "$mail/$m.eml"
done
out=$(day 0) || { echo "$out"; fail "shirase once failed"; }
wait_count approver 3 || { echo "$out"; fail "no drafts reached the approver"; }
[ "$(db "SELECT count(*) FROM drafts")" = 3 ] || fail "$(db "SELECT count(*) FROM drafts") drafts, 3 expected (none for the not-applicable advisory)"
[ "$(db "SELECT count(*) FROM digest_items WHERE kind = 'not_applicable'")" = 2 ] || fail "the two not-applicable advisories do not wait for the digest"
# The first run only starts the count: no digest at install time.
sleep 1
[ "$(approver_digests)" = 0 ] || fail "a digest on the first run"

c_ids=$(db "SELECT d.id FROM drafts d JOIN cases c ON c.id = d.case_id WHERE c.grade = 'C' ORDER BY d.id")
a_id=$(db "SELECT d.id FROM drafts d JOIN cases c ON c.id = d.case_id WHERE c.grade = 'A'")
c1=$(echo "$c_ids" | sed -n 1p)
c2=$(echo "$c_ids" | sed -n 2p)
[ -n "$c1" ] && [ -n "$c2" ] && [ -n "$a_id" ] || fail "expected two grade C drafts and one grade A: $(db "SELECT d.id, c.grade FROM drafts d JOIN cases c ON c.id = d.case_id")"
# The draft's Subject is the notice's Japanese Subject after the tag.
subject=$(header approver Subject | grep -F "#$(db "SELECT token FROM drafts WHERE id = $c2")]")
c2_subject=${subject#*] }
notices_of () { header admin Message-ID | grep -c "^<notice\.$1\."; }

# The first C notice goes at once.
sh approve "$c1" >/dev/null || fail "approve $c1"
day 0 >/dev/null || fail "shirase once failed"
wait_count admin 2 || fail "the first grade C notice did not reach admin"

# The second is over the cap: approved by reply, folded, and the
# confirmation names admin as receiving it in the next digest.
msgid=$(db "SELECT message_id FROM drafts WHERE id = $c2")
{
  printf 'From: Approver <approver@example.test>\nTo: Shirase <shirase@example.test>\n'
  printf 'Subject: Re: %s\nMessage-ID: <reply-c2@example.test>\n' "$subject"
  printf 'In-Reply-To: <%s>\nReferences: <%s>\nDate: %s\n' "$msgid" "$msgid" "$(date -R)"
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n承認\n'
} >"$work/reply.eml"
deliver "$work/reply.eml"
out=$(day 0) || { echo "$out"; fail "shirase once (reply) failed"; }
[ "$(db "SELECT status FROM drafts WHERE id = $c2")" = approved ] || { echo "$out"; fail "the reply did not approve draft $c2"; }
[ "$(db "SELECT count(*) FROM digest_items WHERE kind = 'folded' AND recipient = 'admin@example.test' AND draft_id = $c2")" = 1 ] \
  || fail "the second grade C notice was not folded for admin"
wait_count approver 4 || fail "no confirmation"
confirmation=$(bodies approver | grep -A2 '次回のまとめ送りで届ける宛先') || { bodies approver | tail -30; fail "the confirmation does not say who gets it in the digest"; }
echo "$confirmation" | grep -q 'admin@example.test … 日本語・English' || fail "the confirmation does not name admin: $confirmation"
echo "confirmation: $(echo "$confirmation" | tr '\n' ' ')"

# Grade A goes at once, cap or not.
sh approve "$a_id" >/dev/null || fail "approve $a_id"
day 0 >/dev/null || fail "shirase once failed"
wait_count admin 4 || fail "the grade A notice did not reach admin at once"
sleep 1
[ "$(mailbox_count admin)" = 4 ] || fail "admin got $(mailbox_count admin) mails on day 0, 4 expected (C1 and A, ja + en)"
[ "$(notices_of "$c1")" = 2 ] || fail "the first C notice is not in admin's mailbox"
[ "$(notices_of "$a_id")" = 2 ] || fail "the A notice is not in admin's mailbox"
[ "$(notices_of "$c2")" = 0 ] && ! header admin Subject | grep -qF "$c2_subject" || fail "the folded notice went out at once"

st=$(status) || fail "shirase status failed"
echo "$st" | grep -q '^next digest: *2 not-applicable advisories, 1 held-back notices' || { echo "$st"; fail "status does not show what waits for the digest"; }

# ---- day 1: the digests -----------------------------------------------------------
out=$(day 1) || { echo "$out"; fail "shirase once (day 1) failed"; }
for _ in $(seq 100); do [ "$(approver_digests)" -ge 1 ] && [ "$(mailbox_count admin)" -ge 5 ] && break; sleep 0.1; done
[ "$(approver_digests)" = 1 ] || { echo "$out"; fail "the approver got $(approver_digests) digests, 1 expected"; }
digest=$(bodies approver | sed -n '/^Subject: \[shirase\] 静観ダイジェスト/,$p')
echo "$digest" | head -1
echo "$digest" | grep -q '（2件、まとめ送り1件）' || fail "the digest's Subject does not count 2 + 1: $(echo "$digest" | head -1)"
# Listed by its Japanese title, the source's below it.
echo "$digest" | grep -q '^1\. Debian libxml2 の' && echo "$digest" | grep -q '^   原題: DSA-5901-1 libxml2 security update$' \
  || { echo "$digest"; fail "the not-applicable advisory is not listed"; }
echo "$digest" | grep -q '^2\. Fortinet FortiOS の' && echo "$digest" | tr -d ' \n' | grep -qF '」2件中2件目' \
  || { echo "$digest"; fail "the KEV alert's FortiOS item is not listed as its item"; }
echo "$digest" | grep -q '・勧告が挙げる製品・標的のいずれにも該当しない' || { echo "$digest"; fail "its reason is not given"; }
echo "$digest" | grep -q -- '- None of the products or targets the advisory names concerns us' || fail "no English reason"
# By its Japanese title (the draft's Subject after 【要対応・C 今月中】), wrapped.
echo "$digest" | tr -d ' \n' | grep -qF "$(echo "admin@example.test … 【C】${c2_subject#*】}" | tr -d ' \n')" \
  || { echo "$digest"; fail "the folded notice is not listed to the approver"; }
msgid=$(header approver Message-ID | grep '^<digest\.' | tr -d ' ')
case "$msgid" in "<digest.$(TZ=Asia/Tokyo date -d @$(($(date +%s) + 86400)) +%F)."*"@example.test>") ;; *) fail "unexpected digest Message-ID: $msgid" ;; esac

[ "$(mailbox_count admin)" = 5 ] || fail "admin has $(mailbox_count admin) mails, 5 expected (their digest)"
mine=$(bodies admin | sed -n '/^Subject: \[shirase\] まとめ送り/,$p')
[ -n "$mine" ] || { header admin Subject; fail "admin's digest has not the expected Subject"; }
echo "$mine" | head -1
echo "$mine" | grep -q '（1件）' || fail "admin's digest does not count 1"
echo "$mine" | grep -q '上限（1件）' || fail "admin's digest does not say why"
echo "$mine" | has_text "1. $c2_subject" || { echo "$mine" | head -12; fail "admin's digest does not list the notice's Subject ($c2_subject)"; }
echo "$mine" | grep -q '======== 1/1 日本語 ========' || fail "the Japanese notice is not in admin's digest"
echo "$mine" | grep -q '======== 1/1 English ========' || fail "the English notice is not in admin's digest"
# (the notice's text is wrapped at 76 columns: compare without spaces and line ends)
echo "$mine" | tr -d ' \n' | grep -qF "$(echo "件名: $c2_subject" | tr -d ' \n')" || { echo "$mine"; fail "the folded notice's text is not in admin's digest"; }
[ "$(db "SELECT count(*) FROM digest_items WHERE digested_at IS NULL")" = 0 ] || fail "items left undigested"

status | grep -q '^next digest: *0 not-applicable advisories, 0 held-back notices' || fail "status still shows items waiting"

# The same day again: nothing more.
day 1 >/dev/null || fail "shirase once (day 1, again) failed"
sleep 1
[ "$(approver_digests)" = 1 ] || fail "a second digest the same day"
[ "$(mailbox_count admin)" = 5 ] || fail "admin got more on day 1"

# ---- day 2: the next digest, empty -------------------------------------------------
day 2 >/dev/null || fail "shirase once (day 2) failed"
for _ in $(seq 100); do [ "$(approver_digests)" -ge 2 ] && break; sleep 0.1; done
[ "$(approver_digests)" = 2 ] || fail "no digest on day 2"
header approver Subject | grep '静観ダイジェスト' | tail -1 | grep -q '（0件）$' || fail "day 2's digest is not empty: $(header approver Subject | tail -1)"
bodies approver | sed -n '/（0件）$/,$p' | grep -q '該当なし / None\.' || fail "day 2's digest does not say None"
bodies approver | sed -n '/（0件）$/,$p' | grep -q 'まとめ送り' && fail "day 2's digest lists folded notices again"
sleep 1
[ "$(mailbox_count admin)" = 5 ] || fail "admin got a digest with nothing in it"
[ "$(db "SELECT count(*) FROM outbox WHERE status <> 'sent'")" = 0 ] || fail "outbox rows not sent: $(db "SELECT kind, recipient, status, last_error FROM outbox WHERE status <> 'sent'")"
echo "digest-e2e: ok"
