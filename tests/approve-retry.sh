#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-retry.sh — a reply whose decision cannot be made now is not lost,
# end to end on the real mail stack (skipped with 77 where it cannot run).
# Our copy of the templates lacks confirmation.txt, so the approval cannot
# commit (it queues its confirmation in the same transaction): the reply
# stays in the watched INBOX, unflagged, the draft pending and nothing is
# sent; the other mail still goes out. Once the template is back, the next
# run reads the reply again and the notices go, once.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
cp -r "$top_src/templates" "$work/templates"
chmod -R u+w "$work/templates"
printf '\n[templates]\ndir = templates\n' >>"$conf"
mv "$work/templates/confirmation.txt" "$work/confirmation.txt"

deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
run_once >/dev/null 2>&1 || fail "first shirase once failed"
wait_count approver 1 || fail "no draft"
reply_to_draft "$work/reply.eml" "承認します。"
out=$(run_once 2>&1); rc=$?
echo "$out" | grep -q "the reply could not be decided" || { echo "$out"; fail "no warning about the undecided reply (rc=$rc)"; }
echo "warned: $(echo "$out" | grep -o 'the reply could not be decided.*' | head -1 | cut -c1-120)"
[ "$(db "SELECT status FROM drafts")" = pending ] || fail "draft status: $(db "SELECT status FROM drafts")"
[ "$(db "SELECT count(*) FROM decisions")" = 0 ] || fail "a decision was recorded without its confirmation"
[ "$(count INBOX)" = 1 ] || fail "the reply left the INBOX ($(count INBOX) there)"
flags=$(doveadm -c "$DOVECOT_CONF" fetch -u watch flags mailbox INBOX all)
echo "$flags" | grep -q 'ShiraseKept' && fail "the reply was flagged kept: it would never be read again"
# A second run, still without the template: still nothing lost or sent.
run_once >/dev/null 2>&1
[ "$(count INBOX)" = 1 ] && [ "$(db "SELECT status FROM drafts")" = pending ] || fail "the second run lost the reply"
sleep 1
[ "$(mailbox_count admin)" = 0 ] || fail "notices went out without a decision"

# The template is back: the same reply decides now.
mv "$work/confirmation.txt" "$work/templates/confirmation.txt"
run_once >/dev/null 2>&1 || fail "shirase once after the fix failed"
wait_count admin 2 || fail "the notices did not go after the fix"
wait_count approver 2 || fail "no confirmation after the fix"
[ "$(count INBOX)" = 0 ] || fail "the decided reply stayed in INBOX"
run_once >/dev/null 2>&1 || fail "a further shirase once failed"
sleep 1
[ "$(mailbox_count admin)" = 2 ] || fail "admin got $(mailbox_count admin) mails, 2 expected"
echo "approve-retry: ok"
