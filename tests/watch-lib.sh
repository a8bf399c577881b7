# SPDX-License-Identifier: GPL-3.0-or-later
# watch-lib.sh — sourced by the tests/watch-*.sh end-to-end tests: starts
# the real mail stack (skipping with 77 where it cannot run), writes a
# configuration for the "watch" user and offers small helpers.
[ -n "${BASH_VERSION:-}" ] || { echo "watch-lib.sh needs bash" >&2; exit 99; }
set -u

top_src=${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
top_build=${SHR_TOP_BUILDDIR:-$top_src}
ms=$top_src/tests/mailstack/mailstack.sh
mail=$top_src/tests/data/mail
shirase=$top_build/shirase
export SHIRASE_DATADIR=${SHIRASE_DATADIR:-$top_src/data}
export SHIRASE_TEMPLATEDIR=${SHIRASE_TEMPLATEDIR:-$top_src/templates}

# test_hooks: whether this build has the SHIRASE_TEST_* switches
# (configure --enable-test-hooks); need_test_hooks WHY: skip without them.
test_hooks ()
{
  case ${SHR_TEST_HOOKS:-} in
    yes) return 0 ;;
    no) return 1 ;;
    *) grep -q '^#define SHR_TEST_HOOKS 1' "$top_build/config.h" 2>/dev/null ;;
  esac
}
need_test_hooks () { test_hooks || { echo "SKIP: $1 needs a build configured with --enable-test-hooks"; exit 77; }; }
# A test that sets NEED_TEST_HOOKS=WHY before sourcing this file is skipped
# before the mail stack starts.
[ -z "${NEED_TEST_HOOKS:-}" ] || need_test_hooks "$NEED_TEST_HOOKS"

"$ms" check || exit 77
[ -x "$shirase" ] || { echo "FAIL: $shirase not built"; exit 1; }

fail () { echo "FAIL: $*"; exit 1; }
now () { date +%s.%N; }
ms_since () { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

envtext=$(MAILSTACK_OWNER_PID=$$ "$ms" start) || fail "the mail stack did not start"
eval "$envtext"
work=$MAILSTACK_DIR/shirase
mkdir -p "$work"
cleanup_hooks=""
cleanup () { eval "$cleanup_hooks"; "$ms" stop "$MAILSTACK_DIR"; }
trap cleanup EXIT

printf 'pw-watch\n' >"$work/pw"
chmod 600 "$work/pw"

# write_conf [EXTRA_IMAP_LINES]: the configuration used by every test.
conf=$work/shirase.conf
write_conf ()
{
  cat >"$conf" <<CONF
[organization]
name = Example Corp
sectors = energy
regions = JP

[asset edge-router]
vendor = Cisco
product = IOS XE
version = 17.9.4
exposure = internet
owners = netops@example.test

[imap]
host = 127.0.0.1
port = $IMAP_PORT
security = starttls
ca_file = $CA_FILE
user = watch
address = watch@example.test
password_file = pw
done_folder = shirase/done
failed_folder = shirase/failed
${1:-}

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT/localhost
from = Shirase <shirase@example.test>

[state]
dir = state
CONF
}
write_conf

count () { "$top_src/tests/mailstack/count.sh" watch "${1:-INBOX}"; }
total () { echo $(( $(count INBOX) + $(count shirase/done) + $(count shirase/failed) )); }
deliver () { "$top_src/tests/mailstack/deliver.sh" watch "$@" >/dev/null || fail "deliver $*"; }

# drop_many N PREFIX [FILE…]: N distinct advisories straight into the
# Maildir (far quicker than one doveadm call each), taken in turn from the
# FILEs (default: six fixture shapes), each with its own Message-ID; Dovecot
# assigns their UIDs on the next access.
drop_many ()
{
  local n=$1 prefix=$2 dir=$MAILSTACK_DIR/mail/watch/Maildir
  shift 2
  mkdir -p "$dir/new" "$dir/cur" "$dir/tmp"
  python3 - "$n" "$prefix" "$dir/new" "$mail" "$@" <<'PY'
import os, sys, time
n, prefix, out, mail = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
files = sys.argv[5:] or [os.path.join(mail, b) for b in
         ["dsa_5901_1_libxml2.eml", "jpcert_at_2026_0012.eml", "cisa_kev_2026_03_10.eml",
          "panos_cve_2026_0300.eml", "usn_7301_1_openssh.eml", "rhsa_2026_1234_kernel.eml"]]
raws = [open(f, "rb").read() for f in files]
for i in range(n):
    raw = raws[i % len(raws)]
    head, sep, body = raw.partition(b"\n\n")
    lines = [l for l in head.split(b"\n") if not l.lower().startswith(b"message-id:")]
    lines.insert(0, b"Message-ID: <%s.%d@bench.example.test>" % (prefix.encode(), i))
    data = b"\n".join(lines) + sep + body
    name = "%d.%s_%d.bench" % (int(time.time()), prefix, i)
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
PY
  chown -R nobody:nogroup "$dir"
}

# The state's view, through the sqlite3 tool when present.
db () { sqlite3 "$work/state/shirase.db" "$1"; }

run_once () { (cd "$work" && "$shirase" once -c "$conf" "$@"); }
status () { (cd "$work" && "$shirase" status -c "$conf"); }

# with_approval [LINES [DIGEST_LINES]]: the configuration of the approval
# tests — [smtp] completed (STARTTLS, AUTH as the shirase user), [approval]
# with approver@example.test plus LINES (one key per line), [recipients],
# and [digest] with DIGEST_LINES, by default "enabled = false": a daily
# digest falling due mid-test would add a mail to the approver's count.
with_approval ()
{
  printf 'pw-shirase\n' >"$work/smtp-pw"
  chmod 600 "$work/smtp-pw"
  sed -i '/^\[smtp\]/,/^$/d' "$conf"
  cat >>"$conf" <<CONF

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT/localhost
security = starttls
ca_file = $CA_FILE
user = shirase
password_file = smtp-pw
from = Shirase <shirase@example.test>

[approval]
approvers = approver@example.test
${1:-}

[recipients]
default = admin@example.test
lang = both

[digest]
${2:-enabled = false}
CONF
}

# mailbox_count USER; wait_count USER N: up to 10 s for N messages.
mailbox_count () { "$top_src/tests/mailstack/count.sh" "$1"; }
wait_count ()
{
  local i
  for i in $(seq 1 100); do
    [ "$(mailbox_count "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}

# header USER NAME: the decoded header NAME of each message in USER's INBOX.
header ()
{
  local uid
  for uid in $(doveadm -c "$DOVECOT_CONF" fetch -u "$1" uid mailbox INBOX all | sed -n 's/^uid: //p'); do
    doveadm -c "$DOVECOT_CONF" fetch -u "$1" hdr mailbox INBOX uid "$uid" | sed '1d' | python3 -c '
import email, email.header, sys
m = email.message_from_string(sys.stdin.read())
v = m.get(sys.argv[1], "")
print(str(email.header.make_header(email.header.decode_header(v))).replace("\n", " "))' "$2"
  done
}

# mails USER: one line per message in USER's INBOX, oldest first:
# Message-ID, In-Reply-To, Subject (decoded), tab-separated.
mails ()
{
  local uid
  for uid in $(doveadm -c "$DOVECOT_CONF" fetch -u "$1" uid mailbox INBOX all | sed -n 's/^uid: //p'); do
    doveadm -c "$DOVECOT_CONF" fetch -u "$1" hdr mailbox INBOX uid "$uid" | sed '1d' | python3 -c '
import email, email.header, sys
m = email.message_from_string(sys.stdin.read())
def h(n):
    return str(email.header.make_header(email.header.decode_header(m.get(n, "")))).replace("\n", " ")
print("\t".join((h("Message-ID").strip(), h("In-Reply-To").strip(), h("Subject"))))'
  done
}

# body USER MESSAGE-ID: the plain-text body of that message in USER's INBOX.
# flat: stdin's lines joined by one space, for an English phrase that the
# mails' wrapping at 76 columns may have split.
flat () { tr '\n' ' ' | tr -s ' '; }

# has_text TEXT: stdin holds TEXT however its lines are wrapped (spaces
# and line ends are left out of both before comparing), for Japanese text,
# which wraps between any two characters.
has_text () { tr -d ' \n' | grep -qF -- "$(printf '%s' "$1" | tr -d ' \n')"; }

body ()
{
  doveadm -c "$DOVECOT_CONF" fetch -u "$1" text mailbox INBOX header message-id "$2" | sed '1d' | python3 -c '
import email, email.policy, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
print(m.get_body(preferencelist=("plain",)).get_content())'
}

# reply_to_draft FILE TEXT [APPROVER [HEADER]]: the approver's reply saying
# TEXT to the newest draft ([承認依頼 …], not a reminder) in their INBOX,
# with HEADER (a whole line, such as our server's Authentication-Results)
# on top, written to FILE and delivered to the watched INBOX.
reply_to_draft ()
{
  local file=$1 text=$2 who=${3:-approver} top=${4:-} line msgid subject
  line=$(mails "$who" | awk -F'\t' '$3 ~ /^\[承認依頼 #/ && $3 !~ /再通知/' | tail -1)
  [ -n "$line" ] || fail "no draft in $who's INBOX"
  msgid=$(printf '%s' "$line" | cut -f1)
  subject=$(printf '%s' "$line" | cut -f3)
  {
    [ -z "$top" ] || printf '%s\n' "$top"
    printf 'From: %s <%s@example.test>\n' "$who" "$who"
    printf 'To: Shirase <shirase@example.test>\n'
    printf 'Subject: Re: %s\n' "$subject"
    printf 'Message-ID: <reply.%s.%s@example.test>\n' "$(date +%s%N)" "$who"
    printf 'In-Reply-To: %s\nReferences: %s\n' "$msgid" "$msgid"
    printf 'Date: %s\n' "$(date -R)"
    printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
    printf '%s\n' "$text"
  } >"$file"
  deliver "$file"
}

# set_key KEY VALUE: changes the one line "KEY = …" of the configuration.
set_key ()
{
  [ "$(grep -c "^$1 = " "$conf")" = 1 ] || fail "set_key: no single '$1 = ' line in the configuration"
  sed -i "s|^$1 = .*|$1 = $2|" "$conf"
}
