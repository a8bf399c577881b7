#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-shell.sh — the approval step from a shell, on the real mail stack
# (skipped with 77 where it cannot run): shirase drafts lists the pending
# draft; approve/reject refuse bad arguments with a clear error; approve ID
# queues the notices (sent by the next shirase once, once); a second
# approve changes nothing.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
sh () { (cd "$work" && "$shirase" "$@" -c "$conf"); }
admin_count () { mailbox_count admin; }

[ "$(sh drafts)" = "no draft is waiting for a decision" ] || fail "drafts on an empty state: $(sh drafts)"

deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
run_once >/dev/null 2>&1 || fail "shirase once failed"
list=$(sh drafts)
echo "$list"
[ "$(echo "$list" | wc -l)" = 1 ] || fail "one pending draft expected"
id=$(echo "$list" | cut -f1)
echo "$list" | cut -f2 | grep -qx pending || fail "the draft is not pending"
echo "$list" | cut -f4 | grep -q '^[0-9A-Z]\{10\}$' || fail "no token listed"

out=$(sh reject "$id" 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q -- "--reason TEXT is required" || fail "reject without a reason: rc=$rc $out"
out=$(sh approve x12 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q '"x12" is not a draft id' || fail "approve x12: rc=$rc $out"
out=$(sh approve 999 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "draft 999" || fail "approve 999: rc=$rc $out"

out=$(sh approve "$id" 2>&1) || fail "approve $id failed: $out"
echo "$out"
echo "$out" | grep -q "draft $id: approved" || fail "approve did not approve: $out"
[ "$(db "SELECT status FROM drafts WHERE id = $id")" = approved ] || fail "draft status: $(db "SELECT status FROM drafts")"

run_once >/dev/null 2>&1 || fail "shirase once after approve failed"
for _ in $(seq 100); do [ "$(admin_count)" -ge 2 ] && break; sleep 0.1; done
sleep 1
[ "$(admin_count)" = 2 ] || fail "admin got $(admin_count) notices, 2 expected"
[ "$(db "SELECT status FROM drafts WHERE id = $id")" = sent ] || fail "draft status after sending: $(db "SELECT status FROM drafts")"

out=$(sh approve "$id" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "not" || fail "a second approve: rc=$rc $out"
run_once >/dev/null 2>&1 || fail "shirase once failed"
sleep 1
[ "$(admin_count)" = 2 ] || fail "a second approve sent more notices"
echo "approve-shell: ok"
