#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# watch-timers.sh — a daemon that keeps time, on the real mail stack: with
# no mail arriving, shirase watch
#  1. sends the notices an approval queued while Postfix was down, once
#     Postfix is back (the outbox's own retry times);
#  2. reminds a pending draft at remind_hours, and expires it at
#     expire_hours;
#  3. sends the daily digest at [digest] time;
#  4. at start, takes back the rows a killed sender still held leased
#     and sends them at once, not when the lease ends.
# shirase status names the next action of each kind. The first retry after
# 2 s (SHIRASE_TEST_OUTBOX_BACKOFF) and a clock moved forward
# (SHIRASE_TEST_CLOCK_OFFSET) need a test build.
NEED_TEST_HOOKS="the outbox backoff and the clock moved forward"
. "${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/watch-lib.sh"
command -v sqlite3 >/dev/null || { echo "SKIP: the sqlite3 tool is not installed"; exit 77; }

with_approval "remind_hours = 1
expire_hours = 2"
postfix_ctl () { "$top_src/tests/send-smtp.sh" "postfix-$1" || fail "postfix $1"; }
wait_until () # wait_until SECONDS COMMAND...
{
  local end=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.2
  done
}
has_mails () { [ "$(mailbox_count "$1")" -ge "$2" ]; }
subjects () { header "$1" Subject; }
log=$work/watch.log
start_watch () # start_watch [ENV=VALUE...]
{
  (cd "$work" && exec env "$@" "$shirase" watch -c "$conf" --log-level debug) >>"$log" 2>&1 &
  pid=$!
  cleanup_hooks="kill $pid 2>/dev/null;"
}
stop_watch ()
{
  kill -TERM "$pid"; wait "$pid"; local rc=$?
  cleanup_hooks=""
  [ "$rc" = 0 ] || { tail -20 "$log"; fail "watch exited $rc"; }
}

# ---- 1. Postfix down while an approval queues the notices ------------------------
start_watch SHIRASE_TEST_OUTBOX_BACKOFF=2
deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
wait_until 15 has_mails approver 1 || { tail -20 "$log"; fail "no draft"; }
postfix_ctl stop
reply_to_draft "$work/reply.eml" "承認します。"
wait_until 15 grep -q "outbox: .*will retry" "$log" || { tail -20 "$log"; fail "the outbox did not meet the closed port"; }
[ "$(db "SELECT count(*) FROM outbox WHERE kind = 'notice' AND status = 'queued'")" = 4 ] \
  || { db "SELECT kind, status, last_error FROM outbox"; tail -20 "$log"; fail "the notices are not waiting in the outbox"; }
st=$(status)
echo "$st" | grep -q "^next send: *20.*, [0-9]* mails queued" || { echo "$st"; fail "status does not show the next send"; }
sleep 4 # the outage lasts a while: several retries fail
before=$(grep -c "outbox: .*will retry" "$log")
[ "$before" -ge 2 ] || fail "the outbox was not retried during the outage ($before tries)"
postfix_ctl start
t=$(now)
# No mail arrives from here on: only the daemon's own timers can send.
wait_until 60 has_mails admin 2 || { tail -30 "$log"; fail "the notices did not go out after Postfix came back"; }
echo "Postfix down, $before failed tries; back: the notices went out $(ms_since "$t") ms later, no mail arriving"
wait_until 10 has_mails approver 2 || fail "no confirmation"
stop_watch

# ---- 2. a reminder and an expiry, nobody writing -------------------------------------
deliver "$top_src/tests/data/update/cisco-snmp-first.eml"
run_once >/dev/null 2>&1 || fail "once on the second advisory failed"
wait_count approver 3 || fail "no second draft"
draft=$(db "SELECT id FROM drafts WHERE status = 'pending'")
created=$(db "SELECT created_at FROM drafts WHERE id = $draft")
st=$(status)
echo "$st" | grep -q "^next reminder: *$(date -u -d @$((created + 3600)) +%Y-%m-%dT%H:%M:%SZ)" \
  || { echo "$st"; fail "status does not name the reminder's time"; }
echo "$st" | grep -q "^next expiry: *$(date -u -d @$((created + 7200)) +%Y-%m-%dT%H:%M:%SZ)" \
  || { echo "$st"; fail "status does not name the expiry's time"; }
# The clock 3 s short of remind_hours after the draft.
start_watch SHIRASE_TEST_CLOCK_OFFSET=$((created + 3600 - $(date +%s) - 3))
sleep 1
[ "$(mailbox_count approver)" = 3 ] || fail "a reminder before its time"
wait_until 15 has_mails approver 4 || { tail -20 "$log"; fail "no reminder at remind_hours"; }
subjects approver | tail -1 | grep -q "再通知" || { subjects approver; fail "the fourth mail is not the reminder"; }
stop_watch
echo "reminder: sent at remind_hours by the timer"
start_watch SHIRASE_TEST_CLOCK_OFFSET=$((created + 7200 - $(date +%s) - 3))
wait_until 15 has_mails approver 5 || { tail -20 "$log"; fail "no expiry note at expire_hours"; }
[ "$(db "SELECT status FROM drafts WHERE id = $draft")" = expired ] || fail "the draft did not expire"
stop_watch
echo "expiry: the draft expired at expire_hours, the note sent, by the timer"

# ---- 3. the daily digest at [digest] time --------------------------------------------
sed -i 's/^enabled = false$/time = 09:00/' "$conf"
# The clock 3 s short of the next 09:00 in Tokyo (the organisation's zone).
next9=$(TZ=Asia/Tokyo date -d "$(TZ=Asia/Tokyo date -d '+1 day' +%F) 09:00" +%s)
[ "$(( next9 - $(date +%s) ))" -gt 86400 ] && next9=$((next9 - 86400))
start_watch SHIRASE_TEST_CLOCK_OFFSET=$((next9 - $(date +%s) - 3))
seen=$(mailbox_count approver)
wait_until 20 has_mails approver $((seen + 1)) || { tail -20 "$log"; fail "no digest at [digest] time"; }
subjects approver | tail -1 | grep -qi "digest\|ダイジェスト\|まとめ" || { subjects approver | tail -1; fail "the new mail is not the digest"; }
stop_watch
echo "digest: sent at [digest] time by the timer"

# ---- 4. leases of a killed sender taken back at start -------------------------------------
# The next day's digest queued while Postfix is down, then its rows made
# to look as a sender killed mid-send leaves them: 'sending', leased for
# 15 minutes by a process that is gone.
day2=$((next9 + 86400 + 60 - $(date +%s)))
postfix_ctl stop
SHIRASE_TEST_CLOCK_OFFSET=$day2 SHIRASE_TEST_OUTBOX_BACKOFF=2 run_once >/dev/null 2>&1
postfix_ctl start
queued=$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")
[ "$queued" -gt 0 ] || fail "nothing waits in the outbox"
sleep 0.1 &
dead=$!
wait $dead
db "UPDATE outbox SET status = 'sending', next_attempt_at = strftime('%s','now') + 900,
    lease_owner = '$(hostname):$dead:1' WHERE status = 'queued'" || fail "the lease could not be set"
st=$(status)
echo "$st" | grep -q "^next lease end: *20.*(in 1[45] min)" || { echo "$st"; fail "status does not show the lease end"; }
seen=$(mailbox_count approver)
start_watch SHIRASE_TEST_CLOCK_OFFSET=$day2
wait_until 15 has_mails approver $((seen + 1)) || { tail -20 "$log"; fail "the killed sender's rows waited for their lease"; }
grep -q "which is gone, are queued again" "$log" || fail "the reclaim was not logged"
[ "$(db "SELECT count(*) FROM outbox WHERE status IN ('queued','sending')")" = 0 ] || fail "rows left unsent"
stop_watch
echo "leases of a dead sender: taken back at start and sent ($queued rows)"
echo PASS
