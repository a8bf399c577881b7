#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-failure.sh — a recipient the SMTP server refuses for good, end to
# end on the real mail stack (skipped with 77 where it cannot run): Postfix
# answers 550 to RCPT TO:<gone@example.test>. After the approval the other
# recipient still gets both notices, the refused ones are marked failed
# (never retried), and the approvers get one report naming the address and
# the server's reply.
export MAILSTACK_RCPT_ACCESS="gone@example.test 550 5.1.1 no such user here"
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
set_key default "admin@example.test, gone@example.test"

deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
run_once >/dev/null 2>&1 || fail "first shirase once failed"
wait_count approver 1 || fail "no draft"
reply_to_draft "$work/reply.eml" "承認"
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once after the approval failed"; }
wait_count admin 2 || { echo "$out"; fail "admin did not get the notices"; }
[ "$(db "SELECT count(*) FROM outbox WHERE recipient = 'gone@example.test' AND kind = 'notice' AND status = 'failed'")" = 2 ] \
  || fail "gone's notices: $(db "SELECT lang, status, last_error FROM outbox WHERE recipient = 'gone@example.test'")"
db "SELECT lang, attempts, last_error FROM outbox WHERE recipient = 'gone@example.test'" | grep -q '550' \
  || fail "the server's reply is not kept: $(db "SELECT last_error FROM outbox WHERE recipient = 'gone@example.test'")"

# The report is queued by the run that saw the failure and sent by the next.
run_once >/dev/null 2>&1 || fail "shirase once sending the report failed"
run_once >/dev/null 2>&1 || fail "a further shirase once failed"
sleep 1
reports=$(mails approver | awk -F'\t' '$3 ~ /^\[送信失敗 \/ Delivery failed\]/')
echo "reports:"; echo "$reports" | cut -f3
[ "$(echo "$reports" | grep -c .)" = 1 ] || { mails approver | cut -f3; fail "expected one failure report"; }
text=$(body approver "$(echo "$reports" | cut -f1 | tr -d '<>')")
echo "$text" | grep -q 'gone@example.test' || { echo "$text"; fail "the report does not name the address"; }
echo "$text" | grep -q '550 5.1.1' || { echo "$text"; fail "the report does not quote the server's reply"; }
[ "$(mailbox_count admin)" = 2 ] || fail "admin got $(mailbox_count admin) mails, 2 expected"
[ "$(db "SELECT count(*) FROM outbox WHERE recipient = 'gone@example.test' AND attempts > 1")" = 0 ] || fail "a 5xx was retried"
[ "$(db "SELECT status FROM drafts")" = sent ] || fail "draft status: $(db "SELECT status FROM drafts")"
out=$( (cd "$work" && "$shirase" outbox -c "$conf") 2>&1) || fail "shirase outbox failed: $out"
echo "$out" | grep -q $'\tnotice\tfailed\t1\tgone@example.test\t.*550 5.1.1' || { echo "$out"; fail "shirase outbox does not list the failed notices"; }

# The address exists now: the failed notices go again, on request, once.
: >"$POSTFIX_CONF_DIR/rcpt_access"
postfix -c "$POSTFIX_CONF_DIR" reload >/dev/null 2>&1 || fail "postfix reload failed"
sleep 1
out=$( (cd "$work" && "$shirase" outbox -c "$conf" --retry-failed) 2>&1) || fail "shirase outbox --retry-failed failed: $out"
echo "$out" | head -1
echo "$out" | grep -q '^2 failed mail(s) queued again' || fail "retry-failed: $out"
run_once >/dev/null 2>&1 || fail "shirase once after --retry-failed failed"
[ "$(db "SELECT group_concat(status) FROM outbox WHERE recipient = 'gone@example.test'")" = sent,sent ] \
  || fail "gone's notices after the retry: $(db "SELECT status, last_error FROM outbox WHERE recipient = 'gone@example.test'")"
(cd "$work" && "$shirase" outbox -c "$conf") | grep -q '^nothing waits' || fail "shirase outbox still lists mail"
[ "$(mailbox_count admin)" = 2 ] || fail "admin got the notices again"
echo "approve-failure: ok"
