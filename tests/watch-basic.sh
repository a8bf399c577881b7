#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# watch-basic.sh — shirase watch on the real mail stack: an advisory
# delivered into the watched mailbox is handled within 2 s through IDLE and
# moved to done_folder; a malformed one goes to failed_folder and shirase
# status reports it; a second source of the same vulnerability joins the
# first's case (one draft); automatic replies are ignored, list mail with
# Precedence: bulk and List-Id is not; a reply to a draft stays for the
# approval step; SIGHUP with a broken config keeps the old one; SIGTERM
# exits 0; nothing is deleted; the password never reaches the log.
. "${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/watch-lib.sh"

log=$work/watch.log
# IDLE re-issued every second here (28 minutes in service), so that the
# mail below also arrives across re-issues.
(cd "$work" && SHIRASE_TEST_IDLE_SECONDS=1 exec "$shirase" watch -c "$conf" --log-level debug) >"$log" 2>&1 &
pid=$!
cleanup_hooks="kill $pid 2>/dev/null;"

wait_for () # wait_for SECONDS COMMAND...: until COMMAND succeeds
{
  local end=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  until "$@"; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.02
  done
}
logged () { grep -q -- "$1" "$log"; }
has () { [ "$(count "$1")" = "$2" ]; }

wait_for 5 logged "INBOX selected" || { cat "$log"; fail "watch did not log in"; }
sleep 0.3 # into IDLE

# 1. An advisory: handled within 2 s (Dovecot alone waits 0.5 s).
t=$(now)
deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
wait_for 3 has shirase/done 1 || { cat "$log"; fail "the advisory was not moved to shirase/done within 3 s"; }
lat=$(ms_since "$t")
echo "IDLE: delivered -> handled and moved in $lat ms"
[ "$lat" -le 2000 ] || fail "latency $lat ms is over 2 s"
has INBOX 0 || fail "INBOX not empty after the move"

# 2. A malformed mail (no header at all) goes to shirase/failed.
printf 'this is not a mail message at all\n' >"$work/bad.eml"
deliver "$work/bad.eml"
wait_for 3 has shirase/failed 1 || { cat "$log"; fail "the malformed mail did not reach shirase/failed"; }

# 3. The same vulnerability (CVE-2026-20198) from a second source (CISA)
# joins the Cisco case: no second draft.
deliver "$mail/cisa_aa26_071a_volt_typhoon.eml"
wait_for 3 has shirase/done 2 || fail "the second source was not handled"
logged "case 1 (joined)" || { cat "$log"; fail "the second source did not join case 1"; }

# 4. An automatic reply is ignored; list mail with Precedence: bulk and a
# List-Id is an advisory; a reply to a draft stays in INBOX.
printf 'From: someone@example.test\nTo: watch@example.test\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <ooo.1@example.test>\n\nI am away. CVE-2026-9999\n' >"$work/ooo.eml"
deliver "$work/ooo.eml"
sed -e '1i Precedence: bulk' -e '1i List-Id: <oss-security.lists.example.test>' \
  "$mail/panos_cve_2026_0300.eml" >"$work/list.eml"
deliver "$work/list.eml"
printf 'From: approver@example.test\nTo: watch@example.test\nSubject: Re: [承認依頼 #K7Q2M9F3XA] Cisco IOS XE\nMessage-ID: <reply.1@example.test>\n\n承認\n\n> CVE-2026-20198\n' >"$work/reply.eml"
deliver "$work/reply.eml"
wait_for 3 has shirase/done 4 || { cat "$log"; fail "the auto-reply and the list mail were not both moved to done"; }
wait_for 3 logged "reply: reply to an unknown draft token" || { cat "$log"; fail "the reply was not recognised"; }
logged "ignored: automatic reply (Auto-Submitted: auto-replied)" || fail "the auto-reply was not ignored"
logged "UID 5 handled" || { cat "$log"; fail "the list advisory (Precedence: bulk + List-Id) was not handled"; }
has INBOX 1 || fail "the reply did not stay in INBOX"

# 5. SIGHUP with a broken configuration keeps the running one.
cp "$conf" "$conf.good"
echo "bogus_key = 1" >>"$conf"
kill -HUP $pid
wait_for 3 logged "keeping the previous configuration" || { cat "$log"; fail "a broken config on SIGHUP was not refused"; }
cp "$conf.good" "$conf"
kill -HUP $pid
wait_for 3 logged "switching to it" || fail "a valid config on SIGHUP was not taken"
wait_for 5 eval '[ "$(grep -c "INBOX selected" "$log")" -ge 2 ]' || fail "no new session after the reload"
sleep 0.3
deliver "$mail/dsa_5901_1_libxml2.eml"
wait_for 3 has shirase/done 5 || { cat "$log"; fail "nothing handled after the reload"; }

[ "$(grep -c "IMAP: IDLE in INBOX" "$log")" -ge 3 ] || fail "IDLE was not re-issued"

# 6. SIGTERM: exit 0.
kill -TERM $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
kill -0 $pid 2>/dev/null && fail "watch still running 5 s after SIGTERM"
wait $pid; rc=$?
cleanup_hooks=""
[ "$rc" = 0 ] || { cat "$log"; fail "watch exited $rc after SIGTERM"; }

# The state agrees: one draft for the Cisco case, status reports the failure.
st=$(status) || fail "shirase status failed"
echo "$st"
echo "$st" | grep -q "^messages: *4 handled, 1 failed, 1 ignored, 1 replies" || fail "status counts are wrong"
echo "$st" | grep -q "^drafts pending: 1$" || fail "expected exactly one draft (the Cisco case)"
echo "$st" | grep -q "^last error: *IMAP message: not a mail message" || fail "status does not report the failure"

# Nothing deleted: 7 delivered, 7 in the folders.
[ "$(total)" = 7 ] || fail "$(total) messages in the folders, 7 delivered"
# A second pass finds nothing new (the reply is kept, not re-read).
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once failed"; }
echo "$out" | grep -q "^shirase once: 0 messages" || { echo "$out"; fail "a second pass handled something"; }
# The password never reaches a log.
if grep -F -q "pw-watch" "$log"; then fail "the password appears in the log"; fi
echo "PASS"
