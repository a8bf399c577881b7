#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# mailstack.sh — a real, throwaway mail stack for end-to-end tests.
#
#   mailstack.sh start [DIR]   build and start the stack in DIR (default: a
#                              new /tmp/mst.XXXXXX); print its variables and
#                              write them to DIR/env
#   mailstack.sh env DIR       print the variables of a running stack
#   mailstack.sh stop DIR      stop every daemon of the stack and remove DIR
#   mailstack.sh check         exit 0 when this machine can run the stack,
#                              77 (the automake "skip" code) when it cannot
#
# Dovecot serves IMAP (STARTTLS) and LMTP; Postfix takes SMTP (STARTTLS,
# AUTH via Dovecot's SASL socket) and delivers over LMTP.  Everything lives in
# DIR, on loopback high ports, with a throwaway EC certificate, so several
# stacks can run side by side and the system's own mail services are neither
# needed nor touched.  The recipe, its timings and the reasons for the odd
# steps below are in the project's notes/mailstack.md.
#
# Users: watch approver approver2 admin admin2 shirase, password pw-<user>.
# Any domain reaches them: admin@example.test is delivered to admin.
#
# MAILSTACK_OWNER_PID=PID: stop the stack by itself once PID has exited.
# MAILSTACK_RCPT_ACCESS="addr action;...": Postfix answers RCPT TO for addr
# with action (e.g. "550 5.1.1 no such user here").
# MAILSTACK_HEADER_REJECT=REGEX: Postfix refuses, at the end of DATA, a
# message with a header line matching REGEX.
#
# Ports: IMAP on a random free even port between 10000 and 32000, SMTP on
# the next one; MAILSTACK_BASE_PORT=N tries N first.
#
# Postfix cannot run without root, so neither can this stack.

set -u
export PATH="$PATH:/usr/sbin:/sbin"

MAILSTACK_USERS="watch approver approver2 admin admin2 shirase"

die () { echo "mailstack: $*" >&2; exit 1; }

# Exit 77 (skip) when the stack cannot run here, naming what is missing.
mailstack_check ()
{
  if [ "$(id -u)" != 0 ]; then
    echo "mailstack: needs root (Postfix refuses to run otherwise)" >&2
    return 77
  fi
  local b
  for b in dovecot doveadm postfix openssl; do
    if ! command -v "$b" >/dev/null 2>&1; then
      echo "mailstack: $b not installed (apt-get install dovecot-imapd dovecot-lmtpd postfix openssl)" >&2
      return 77
    fi
  done
  return 0
}

# True when something accepts connections on 127.0.0.1:$1 or listens on it.
port_busy ()
{
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ] && return 0
  fi
  return 1
}

# Waits up to $3 seconds for a server on port $1 whose greeting starts with
# $2.  The subshell keeps the probe's fd and any error text out of ours.
wait_greeting ()
{
  local port=$1 prefix=$2 deadline=$((SECONDS + $3))
  while [ "$SECONDS" -le "$deadline" ]; do
    if ( exec 3<>"/dev/tcp/127.0.0.1/$port" && IFS= read -r -t 2 line <&3 \
           && [ "${line#"$prefix"}" != "$line" ] ) 2>/dev/null; then
      return 0
    fi
    sleep 0.01
  done
  return 1
}

write_files ()
{
  local d=$1 imap=$2 smtp=$3 u

  mkdir -p "$d/tls" "$d/dovecot/run" "$d/dovecot/state" "$d/mail" \
           "$d/postfix/etc" "$d/postfix/queue" "$d/postfix/data" || return 1
  chmod 755 "$d" "$d/dovecot" "$d/postfix"
  chown nobody:nogroup "$d/mail"
  chown postfix "$d/postfix/data"

  # EC rather than RSA: 8 ms instead of 0.2 s.  The SAN IP:127.0.0.1 lets
  # clients verify the certificate when they connect by address.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$d/tls/key.pem" -out "$d/tls/cert.pem" >>"$d/setup.log" 2>&1 \
    || return 1
  chmod 600 "$d/tls/key.pem"

  : >"$d/dovecot/users"
  for u in $MAILSTACK_USERS; do
    echo "$u:{PLAIN}pw-$u::::::" >>"$d/dovecot/users"
  done
  # Read by Dovecot's auth process, which runs as the dovecot user.
  chgrp dovecot "$d/dovecot/users" && chmod 640 "$d/dovecot/users"

  cat >"$d/dovecot/dovecot.conf" <<EOF
# Written by tests/mailstack/mailstack.sh; every path stays inside $d.
base_dir = $d/dovecot/run
state_dir = $d/dovecot/state
instance_name = mailstack-$imap
log_path = $d/dovecot/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <$d/tls/cert.pem
ssl_key = <$d/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Ln
# The default 2 s per failed login would slow every negative test.
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_fsync = never
# Tests open many sessions as one user; the default limit is 10.
mail_max_userip_connections = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN $d/dovecot/users
}
# uid 0 is refused by Dovecot, hence nobody.
userdb {
  driver = passwd-file
  args = $d/dovecot/users
  default_fields = uid=nobody gid=nogroup home=$d/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
service auth {
  unix_listener auth-smtp {
    mode = 0666
  }
}
EOF

  cat >"$d/postfix/etc/main.cf" <<EOF
# Written by tests/mailstack/mailstack.sh; every path stays inside $d.
compatibility_level = 3.6
queue_directory = $d/postfix/queue
data_directory = $d/postfix/data
maillog_file = $d/postfix/maillog
maillog_file_prefixes = $d/postfix, /dev/stdout
myhostname = localhost
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
smtputf8_enable = no
biff = no
virtual_mailbox_domains = static:all
virtual_transport = lmtp:unix:$d/dovecot/run/lmtp
lmtp_destination_concurrency_limit = 2
smtpd_tls_security_level = may
smtpd_tls_cert_file = $d/tls/cert.pem
smtpd_tls_key_file = $d/tls/key.pem
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $d/dovecot/run/auth-smtp
smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:$d/postfix/etc/rcpt_access
header_checks = regexp:$d/postfix/etc/header_checks
EOF
  # MAILSTACK_RCPT_ACCESS="addr action[;addr action...]": answers to RCPT
  # TO, e.g. "gone@example.test 550 5.1.1 no such user here" (tests of a
  # refusal for one recipient; otherwise Postfix accepts all, bounces later).
  printf '%s\n' "${MAILSTACK_RCPT_ACCESS:-}" | tr ';' '\n' >"$d/postfix/etc/rcpt_access"
  # MAILSTACK_HEADER_REJECT=REGEX: a message with a header line matching
  # REGEX is refused at the end of DATA (550 5.7.1 ...).
  if [ -n "${MAILSTACK_HEADER_REJECT:-}" ]; then
    printf '/%s/ REJECT refused by header_checks\n' "$MAILSTACK_HEADER_REJECT"
  fi >"$d/postfix/etc/header_checks"

  # Our own master.cf rather than a copy of /etc/postfix's: nothing chrooted
  # (the chroot would lack our sockets), and only the services delivery needs.
  cat >"$d/postfix/etc/master.cf" <<EOF
$smtp     inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  # Postfix re-reads a config younger than about 1 s in 300 ms steps,
  # adding 2 s to every start.
  touch -d '1 minute ago' "$d/postfix/etc/main.cf" "$d/postfix/etc/master.cf"

  # What "post-install create-missing" would make, so that the quick-start
  # marker can skip postfix-script's slow check-fatal/check-warn.
  local q=$d/postfix/queue
  for u in active bounce corrupt defer deferred flush hold incoming private saved trace; do
    mkdir -p "$q/$u"; chown postfix:root "$q/$u"; chmod 700 "$q/$u"
  done
  mkdir -p "$q/maildrop" "$q/public" "$q/pid"
  chown postfix:postdrop "$q/maildrop" "$q/public"
  chmod 730 "$q/maildrop"; chmod 710 "$q/public"; chmod 755 "$q/pid"
  : >"$q/quick-start"
}

write_env ()
{
  local d=$1 imap=$2 smtp=$3 u
  {
    echo "MAILSTACK_DIR='$d'"
    echo "IMAP_PORT=$imap"
    echo "SMTP_PORT=$smtp"
    echo "CA_FILE='$d/tls/cert.pem'"
    echo "DOVECOT_CONF='$d/dovecot/dovecot.conf'"
    echo "POSTFIX_CONF_DIR='$d/postfix/etc'"
    echo "LMTP_SOCKET='$d/dovecot/run/lmtp'"
    for u in $MAILSTACK_USERS; do
      echo "MAILSTACK_PW_${u^^}=pw-$u"
    done
    echo "export MAILSTACK_DIR IMAP_PORT SMTP_PORT CA_FILE DOVECOT_CONF POSTFIX_CONF_DIR LMTP_SOCKET"
  } >"$d/env"
}

# Every process that belongs to the stack in $1.  All Dovecot and Postfix
# processes work in (or chroot to) a directory of the stack, so cwd and root
# find them without matching our own callers, whose environment may well name
# the dir.  Zombies have neither and do not count (PID 1 in a container may
# reap them late).
mailstack_pids ()
{
  local d=$1
  find /proc/[0-9]*/cwd /proc/[0-9]*/root -maxdepth 0 \
       \( -lname "$d" -o -lname "$d/*" -o -lname "$d (deleted)" \
          -o -lname "$d/* (deleted)" \) 2>/dev/null \
    | sed -n 's|^/proc/\([0-9]*\)/.*|\1|p' | grep -vx "$$" | sort -un
}

# Kills a process group and waits (briefly) until none of it is left.
kill_group ()
{
  local pgid=$1 i
  [ -n "$pgid" ] || return 0
  kill -KILL -- "-$pgid" 2>/dev/null || return 0
  for i in $(seq 100); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    # kill -0 succeeds on zombies; stop waiting once only zombies remain.
    [ -z "$(ps -o stat= -g "$pgid" 2>/dev/null | grep -v '^Z')" ] && return 0
    sleep 0.01
  done
}

stop_daemons ()
{
  local d=$1 pid
  # The watchdog itself ends up here through exec, as this very process.
  pid=$(cat "$d/watchdog.pid" 2>/dev/null)
  if [ -n "$pid" ] && [ "$pid" != "$$" ]; then
    kill "$pid" 2>/dev/null
  fi
  if [ -f "$d/postfix/etc/main.cf" ]; then
    pid=$(cat "$d/postfix/queue/pid/master.pid" 2>/dev/null | tr -d ' ')
    postfix -c "$d/postfix/etc" stop </dev/null >>"$d/setup.log" 2>&1
    # "postfix stop" returns at once and the children take about 1 s to
    # follow their master; the queue is thrown away, so do not wait for them.
    [ -n "$pid" ] && kill_group "$pid"
  fi
  # A graceful Dovecot stop takes over 1 s; nothing in it needs keeping.
  pid=$(cat "$d/dovecot/run/master.pid" 2>/dev/null)
  if [ -n "$pid" ]; then
    kill_group "$pid"
    # Left behind, it would make the next start in this base_dir fail while
    # the zombie master is not yet reaped.
    rm -f "$d/dovecot/run/master.pid"
  fi
  # Anything still there (a half-started stack) goes too.
  for pid in $(mailstack_pids "$d"); do
    kill -KILL "$pid" 2>/dev/null
  done
}

try_start ()
{
  local d=$1 imap=$2 smtp=$3

  write_files "$d" "$imap" "$smtp" || { echo "mailstack: setup failed, see $d/setup.log" >&2; return 1; }

  # Dovecot first: smtpd dies without its SASL socket and Postfix then
  # throttles smtpd for 60 s.  dovecot daemonises after binding.
  if ! dovecot -c "$d/dovecot/dovecot.conf" </dev/null >>"$d/setup.log" 2>&1; then
    return 2
  fi
  wait_greeting "$imap" "* OK" 10 || return 2

  if ! postfix -c "$d/postfix/etc" start </dev/null >>"$d/setup.log" 2>&1; then
    return 2
  fi
  wait_greeting "$smtp" "220 " 10 || return 2
  return 0
}

# With MAILSTACK_OWNER_PID set (a test passes its $$), a watchdog stops the
# stack once that process is gone, so a test killed by a timeout does not
# leave servers behind.  It runs in its own session so that killing the
# test's process group does not take it along.
start_watchdog ()
{
  local d=$1 owner=${MAILSTACK_OWNER_PID:-}
  [ -n "$owner" ] || return 0
  local self
  self="$(cd "$(dirname "$0")" && pwd -P)/$(basename "$0")"
  ( cd / && exec setsid bash -c \
      'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; exec "$2" stop "$3"' \
      watchdog "$owner" "$self" "$d" ) </dev/null >>"$d/setup.log" 2>&1 &
  echo $! >"$d/watchdog.pid"
}

mailstack_start ()
{
  local d=${1:-} made=0 attempt base imap smtp rc

  mailstack_check || exit $?
  if [ -z "$d" ]; then
    # Short: unix socket paths are limited to 108 bytes.
    d=$(mktemp -d /tmp/mst.XXXXXX) || die "mktemp failed"
    made=1
  else
    [ -e "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ] && die "$d exists and is not empty"
    mkdir -p "$d" || die "cannot create $d"
    d=$(cd "$d" && pwd -P)
  fi
  chmod 755 "$d"
  case "$d" in /root/*) die "$d: must be reachable by the nobody, postfix and dovecot users";; esac

  for attempt in 1 2 3 4 5 6 7 8; do
    # Below the kernel's ephemeral range (32768+), so that no outgoing
    # connection holds our port; random, so parallel stacks rarely collide.
    base=$((10000 + (RANDOM % 11000) * 2))
    # A fixed first choice, for reproducing a problem.
    [ "$attempt" = 1 ] && [ -n "${MAILSTACK_BASE_PORT:-}" ] && base=$MAILSTACK_BASE_PORT
    imap=$base smtp=$((base + 1))
    if port_busy "$imap" || port_busy "$smtp"; then
      continue
    fi
    try_start "$d" "$imap" "$smtp"; rc=$?
    if [ $rc = 0 ]; then
      rm -f "$d.failed.log"
      write_env "$d" "$imap" "$smtp"
      start_watchdog "$d"
      cat "$d/env"
      return 0
    fi
    # Another stack may have taken the ports between the check and the bind:
    # clear this attempt and try other ports.
    stop_daemons "$d"
    [ $rc = 1 ] && break
    cat "$d/setup.log" "$d/dovecot/dovecot.log" "$d/postfix/maillog" \
      >"$d.failed.log" 2>/dev/null
    find "$d" -mindepth 1 -delete
  done
  echo "mailstack: could not start the stack; last attempt's logs:" >&2
  tail -20 "$d.failed.log" >&2 2>/dev/null
  rm -f "$d.failed.log"
  [ $made = 1 ] && rm -rf "$d"
  return 1
}

mailstack_stop ()
{
  local d=${1:?usage: mailstack.sh stop DIR}
  [ -d "$d" ] || return 0
  d=$(cd "$d" && pwd -P)
  # Refuse to rm -rf something that is not a stack.
  [ -f "$d/dovecot/dovecot.conf" ] || [ -f "$d/env" ] || [ -f "$d/setup.log" ] \
    || die "$d does not look like a mail stack; not removing it"
  stop_daemons "$d"
  rm -f "$d.failed.log"
  rm -rf "$d"
}

case "${1:-}" in
  start) mailstack_start "${2:-}" ;;
  stop) mailstack_stop "${2:-}" ;;
  env) [ -f "${2:?usage: mailstack.sh env DIR}/env" ] || die "$2: no env file"; cat "$2/env" ;;
  check) mailstack_check ;;
  pids) mailstack_pids "${2:?usage: mailstack.sh pids DIR}" ;;
  *) echo "usage: mailstack.sh start [DIR] | stop DIR | env DIR | pids DIR | check" >&2; exit 2 ;;
esac
