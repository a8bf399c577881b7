#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-remind.sh — a draft nobody answers, on the real mail stack
# (skipped with 77 where it cannot run): after [approval] remind_hours the
# approvers get one reminder that keeps the token; after expire_hours the
# draft expires with a note, and an approval then sends nothing.
# SHIRASE_TEST_CLOCK_OFFSET moves the reminders' clock forward.
NEED_TEST_HOOKS="the clock moved forward (SHIRASE_TEST_CLOCK_OFFSET)"
. "$(dirname "$0")/watch-lib.sh"

with_approval "remind_hours = 1
expire_hours = 2"
subjects () { header approver Subject; }

deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
run_once >/dev/null 2>&1 || fail "shirase once failed"
wait_count approver 1 || fail "no draft"
token=$(db "SELECT token FROM drafts")

SHIRASE_TEST_CLOCK_OFFSET=1800 run_once >/dev/null 2>&1 || fail "once +30 min failed"
sleep 1
[ "$(mailbox_count approver)" = 1 ] || fail "a reminder before remind_hours"

SHIRASE_TEST_CLOCK_OFFSET=3700 run_once >/dev/null 2>&1 || fail "once +1 h failed"
wait_count approver 2 || fail "no reminder after remind_hours"
subjects | grep -q "^\[承認依頼 #$token\] \[再通知 / Reminder\]" || { subjects; fail "the reminder does not keep the token"; }
SHIRASE_TEST_CLOCK_OFFSET=3900 run_once >/dev/null 2>&1 || fail "once +65 min failed"
sleep 1
[ "$(mailbox_count approver)" = 2 ] || fail "a second reminder"
echo "reminder: $(subjects | tail -1)"

SHIRASE_TEST_CLOCK_OFFSET=7300 run_once >/dev/null 2>&1 || fail "once +2 h failed"
wait_count approver 3 || fail "no expiry note"
subjects | grep -q '^\[期限切れ / Expired\]' || { subjects; fail "no [期限切れ / Expired] note"; }
[ "$(db "SELECT status FROM drafts")" = expired ] || fail "draft status: $(db "SELECT status FROM drafts")"
echo "expired: $(subjects | tail -1)"

# An approval after expiry sends nothing.
out=$( (cd "$work" && "$shirase" approve -c "$conf" 1) 2>&1 ); rc=$?
[ $rc = 1 ] || fail "approve after expiry: rc=$rc $out"
run_once >/dev/null 2>&1 || fail "shirase once failed"
sleep 1
[ "$(mailbox_count admin)" = 0 ] || fail "a notice went out after expiry"
echo "approve-remind: ok"
