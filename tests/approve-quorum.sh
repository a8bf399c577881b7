#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-quorum.sh — approvals racing, replayed and counted, end to end on
# the real mail stack (skipped with 77 where it cannot run).
# Quorum 1: two approvers approve at the same moment (their replies read by
# two shirase processes at once) and one reply arrives twice: each
# recipient receives each notice exactly once. Quorum 2: nothing is sent
# after the first approval (which is confirmed as recorded), nor after a
# second reply from the same approver; the second distinct approver sends it.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
set_key approvers "approver@example.test, approver2@example.test"

# 1. Quorum 1, two approvers at once, one reply twice.
deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
run_once >/dev/null 2>&1 || fail "first shirase once failed"
wait_count approver 1 && wait_count approver2 1 || fail "the draft did not reach both approvers"
reply_to_draft "$work/a1.eml" "承認します。" approver
reply_to_draft "$work/b1.eml" "approve" approver2
deliver "$work/a1.eml"
(run_once >"$work/once-1.log" 2>&1; echo $? >"$work/rc-1") &
(run_once >"$work/once-2.log" 2>&1; echo $? >"$work/rc-2") &
wait
for i in 1 2; do
  [ "$(cat "$work/rc-$i")" = 0 ] || { cat "$work/once-$i.log"; fail "concurrent shirase once $i failed"; }
done
run_once >/dev/null 2>&1 || fail "shirase once after the race failed"
run_once >/dev/null 2>&1 || fail "a further shirase once failed"
wait_count admin 2 || fail "the notices did not arrive"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "admin got $(mailbox_count admin) notices, 2 expected (one ja, one en)"
[ "$(mails admin | cut -f1 | sort -u | grep -c .)" = 2 ] || fail "a notice arrived twice"
[ "$(db "SELECT count(*) FROM decisions")" = 1 ] || fail "$(db "SELECT count(*) FROM decisions") decisions recorded, 1 expected"
echo "race: admin got $(mails admin | cut -f3 | tr '\n' '|')"
echo "race: decided by $(db "SELECT approver FROM decisions")"

# 2. Quorum 2.
set_key quorum 2
deliver "$top_src/tests/data/update/cisco-snmp-first.eml"
a_before=$(mailbox_count approver)
run_once >/dev/null 2>&1 || fail "shirase once on the second advisory failed"
wait_count approver $((a_before + 1)) || fail "no second draft"
reply_to_draft "$work/a2.eml" "承認" approver
run_once >/dev/null 2>&1 || fail "shirase once after the first approval failed"
wait_count approver $((a_before + 2)) || fail "the first approval was not confirmed"
mails approver | tail -1 | cut -f3 | grep -q '^\[承認を記録 / Approval recorded\]' || fail "confirmation: $(mails approver | tail -1 | cut -f3)"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "sent after one approval of two"
reply_to_draft "$work/a3.eml" "承認" approver
run_once >/dev/null 2>&1 || fail "shirase once after the same approver's second reply failed"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "sent after the same approver approved twice"
reply_to_draft "$work/b2.eml" "承認" approver2
run_once >/dev/null 2>&1 || fail "shirase once after the second approver failed"
wait_count admin 4 || fail "not sent after the second distinct approver"
sleep 1
[ "$(mailbox_count admin)" = 4 ] || fail "admin got $(mailbox_count admin), 4 expected"
echo "quorum 2: $(db "SELECT group_concat(approver, ', ') FROM decisions WHERE draft_id = 2") → sent"
echo "approve-quorum: ok"
