#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# send-smtp.sh — shr-send and the outbox against the real mail stack
# (Postfix with STARTTLS and AUTH, delivering into Dovecot): 1,000 notices
# over one reused connection, each delivered once; a 5xx for one recipient;
# the SMTP server down and back; a wrong password. The checks are in the
# GTest program tests/send-smtp-cases; this script starts and stops the stack
# around it, and stops and restarts Postfix when it asks (postfix-stop,
# postfix-start). Skips (77) without root or the servers.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/mailstack
ms=$here/mailstack.sh

case "${1:-}" in
  postfix-stop)
    . "$MAILSTACK_DIR/env"
    pid=$(tr -d ' ' <"$MAILSTACK_DIR/postfix/queue/pid/master.pid" 2>/dev/null)
    postfix -c "$POSTFIX_CONF_DIR" stop >/dev/null 2>&1
    # Its smtpd children (one holds our connection) go with the group.
    [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null
    for _ in $(seq 200); do
      (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null || exit 0
      sleep 0.02
    done
    echo "postfix still answers on $SMTP_PORT" >&2
    exit 1 ;;
  postfix-start)
    . "$MAILSTACK_DIR/env"
    export PATH="$PATH:/usr/sbin:/sbin"
    postfix -c "$POSTFIX_CONF_DIR" start >/dev/null 2>&1 || exit 1
    for _ in $(seq 500); do
      if ( exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT" && IFS= read -r -t 2 l <&3 \
             && [ "${l#220 }" != "$l" ] ) 2>/dev/null; then
        exit 0
      fi
      sleep 0.02
    done
    exit 1 ;;
esac

"$ms" check || exit 77
prog=${SHR_TOP_BUILDDIR:-.}/tests/send-smtp-cases
[ -x "$prog" ] || { echo "FAIL: $prog not built"; exit 1; }

envtext=$(MAILSTACK_OWNER_PID=$$ \
  MAILSTACK_RCPT_ACCESS="gone@example.test 550 5.1.1 <gone@example.test>: no such user here" \
  MAILSTACK_HEADER_REJECT="^Subject: .*REJECTME" \
  "$ms" start) || { echo "FAIL: the stack did not start"; exit 1; }
eval "$envtext"
trap '"$ms" stop "$MAILSTACK_DIR"' EXIT
export PATH="$PATH:/usr/sbin:/sbin"
SEND_SMTP_SCRIPT="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" \
MAILSTACK_COUNT="$here/count.sh" \
  "$prog"
