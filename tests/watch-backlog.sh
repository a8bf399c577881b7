#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# watch-backlog.sh — 1,000 advisories waiting when `shirase once` starts:
# all handled, each exactly once (state, folders and Message-IDs agree),
# nothing deleted; a second run handles 0.
. "${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/watch-lib.sh"

n=1000
drop_many $n backlog
[ "$(count INBOX)" = $n ] || fail "INBOX holds $(count INBOX) messages, expected $n"

t=$(now)
out=$(run_once --log-level warning 2>&1) || { echo "$out"; fail "shirase once failed"; }
el=$(ms_since "$t")
echo "$out"
echo "$n messages in $el ms ($(awk -v n=$n -v ms="$el" 'BEGIN { printf "%.0f", n * 1000 / ms }') messages/s end to end)"
echo "$out" | grep -q "^shirase once: $n messages: $n handled, 0 failed" || fail "not all $n handled"
[ "$(count INBOX)" = 0 ] || fail "$(count INBOX) left in INBOX"
[ "$(count shirase/done)" = $n ] || fail "$(count shirase/done) in shirase/done, expected $n"
[ "$(total)" = $n ] || fail "messages lost or duplicated: $(total) in the folders"
# Each Message-ID once in the done folder.
dups=$(doveadm -c "$DOVECOT_CONF" fetch -u watch hdr.message-id mailbox shirase/done all | grep -i '^hdr.message-id' | sort | uniq -d | wc -l)
[ "$dups" = 0 ] || fail "$dups Message-IDs twice in shirase/done"
status | grep -q "^messages: *$n handled, 0 failed, 0 ignored, 0 replies" || { status; fail "status disagrees"; }

out=$(run_once 2>&1) || { echo "$out"; fail "the second shirase once failed"; }
echo "$out" | grep -q "^shirase once: 0 messages" || { echo "$out"; fail "the second run handled something"; }
# A server without MOVE: UID COPY, \Deleted, UID EXPUNGE of exactly those.
if test_hooks; then
  drop_many 20 nomove
  out=$(SHIRASE_TEST_NO_MOVE=1 run_once 2>&1) || { echo "$out"; fail "once without MOVE failed"; }
  echo "$out" | grep -q "^shirase once: 20 messages: 20 handled" || { echo "$out"; fail "without MOVE: not all handled"; }
  [ "$(count INBOX)" = 0 ] && [ "$(count shirase/done)" = $((n + 20)) ] || fail "without MOVE: INBOX $(count INBOX), done $(count shirase/done)"
  echo "without MOVE (COPY + UID EXPUNGE): 20 of 20 moved"
else
  echo "without MOVE: skipped (SHIRASE_TEST_NO_MOVE needs --enable-test-hooks)"
fi
echo PASS
