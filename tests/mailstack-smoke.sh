#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mailstack-smoke.sh — the real test mail stack works: it starts, takes a
# mail over SMTP with STARTTLS and AUTH (certificate verified), delivers it
# to the right IMAP mailbox, refuses a wrong password, and stops without
# leaving a process behind.  Skips (77) without root or the servers.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/mailstack
ms=$here/mailstack.sh

"$ms" check || exit 77
if ! command -v curl >/dev/null 2>&1; then
  echo "SKIP: the curl command line tool is not installed (apt-get install curl)"
  exit 77
fi

now () { date +%s.%N; }
ms_since () { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
fail () { echo "FAIL: $*"; [ -n "${MAILSTACK_DIR:-}" ] && "$ms" stop "$MAILSTACK_DIR"; exit 1; }

t=$(now)
envtext=$(MAILSTACK_OWNER_PID=$$ "$ms" start) || fail "the stack did not start"
eval "$envtext"
echo "start: $(ms_since "$t") ms (IMAP $IMAP_PORT, SMTP $SMTP_PORT, $MAILSTACK_DIR)"
trap '"$ms" stop "$MAILSTACK_DIR"' EXIT

msg=$MAILSTACK_DIR/smoke.eml
printf 'From: shirase@example.test\r\nTo: admin@example.test\r\nSubject: smoke %s\r\nMessage-ID: <smoke.%s@example.test>\r\n\r\nHello over STARTTLS.\r\n' \
  "$$" "$$" >"$msg"

[ "$("$here/count.sh" admin)" = 0 ] || fail "admin's INBOX is not empty at start"

t=$(now)
"$here/send.sh" shirase admin@example.test "$msg" || fail "send with STARTTLS+AUTH failed (curl $?)"
sent=$(ms_since "$t")

# Poll for delivery (typically under 10 ms) for up to 5 s.
t=$(now)
n=0
for _ in $(seq 500); do
  n=$("$here/count.sh" admin)
  [ "$n" = 1 ] && break
  sleep 0.01
done
[ "$n" = 1 ] || fail "admin's INBOX has $n messages 5 s after the send, expected 1"
echo "send: $sent ms; visible in admin's INBOX $(ms_since "$t") ms later"

# The message arrived intact: fetch it over IMAP with STARTTLS.
got=$(curl -sS --max-time 10 --ssl-reqd --cacert "$CA_FILE" \
        "imap://127.0.0.1:$IMAP_PORT/INBOX;UID=1" --user "admin:$MAILSTACK_PW_ADMIN")
case "$got" in
  *"Message-ID: <smoke.$$@example.test>"*"Hello over STARTTLS."*) ;;
  *) fail "IMAP fetch did not return the message sent: $got" ;;
esac
[ "$("$here/count.sh" admin2)" = 0 ] || fail "admin2 got a mail addressed to admin"

t=$(now)
MAILSTACK_SEND_PASSWORD=wrong "$here/send.sh" shirase admin@example.test "$msg" 2>/dev/null
rc=$?
[ "$rc" = 67 ] || fail "a wrong password gave curl exit $rc, expected 67 (login denied)"
echo "wrong password refused in $(ms_since "$t") ms"

dir=$MAILSTACK_DIR
trap - EXIT
t=$(now)
"$ms" stop "$dir" || fail "stop failed"
echo "stop: $(ms_since "$t") ms"
[ ! -e "$dir" ] || fail "$dir still exists after stop"
left=$("$ms" pids "$dir")
[ -z "$left" ] || fail "processes left running after stop: $left"
# The same by command line, for the daemons' masters.
left=$(pgrep -f -- "(dovecot|master).*$dir/" 2>/dev/null | tr '\n' ' ')
[ -z "$left" ] || fail "daemons of $dir still running: $left"
exit 0
