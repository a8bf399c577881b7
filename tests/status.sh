#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shirase status as a monitoring system uses it: the exit status of a
# monitoring plugin (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) for each
# condition, the same verdict in --json, and a state that is only read
# (a missing one is reported, never created). No mail server needed: the
# state is set up with shirase drafts (which creates it) and sqlite3.
set -u
top_srcdir=${SHR_TOP_SRCDIR:-$(dirname "$0")/..}
top_builddir=${SHR_TOP_BUILDDIR:-.}
shirase="$top_builddir/shirase"
SHIRASE_DATADIR=${SHIRASE_DATADIR:-$top_srcdir/data}
export SHIRASE_DATADIR
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 (the CLI) is not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-status.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }

conf=$tmp/shirase.conf
cat > "$conf" <<CONF
[organization]
name = テスト株式会社

[state]
dir = $tmp/state
CONF
db () { sqlite3 "$tmp/state/shirase.db" "$1"; }

# expect NAME STATUS [TEXT] [ARGS…]: status exits STATUS and prints TEXT.
expect () {
  name=$1 want=$2 text=$3
  shift 3
  "$shirase" status -c "$conf" "$@" > "$tmp/out" 2>&1
  got=$?
  if [ "$got" != "$want" ]; then fail "$name: exit $got, expected $want"; cat "$tmp/out"; return; fi
  if [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/out"; then fail "$name: no '$text' in:"; cat "$tmp/out"; return; fi
  ok "$name (exit $want)"
}

# No state: CRITICAL, and nothing created.
expect "no state" 2 "health:         CRITICAL: no state at $tmp/state/shirase.db: the mailbox has never been read"
[ ! -e "$tmp/state" ] && ok "status created no state" || fail "status created $tmp/state"
expect "no state, JSON" 2 '"health":"critical"' --json
[ ! -e "$tmp/state" ] || fail "status --json created $tmp/state"

# A state whose mailbox was never read: CRITICAL.
"$shirase" drafts -c "$conf" > /dev/null || fail "shirase drafts could not create the state"
expect "never read" 2 "CRITICAL: the mailbox has never been read"

# Read a minute ago: OK.
now=$(date +%s)
db "INSERT INTO settings VALUES ('imap.last_ok_at', '$((now - 60))')"
expect "read a minute ago" 0 "health:         OK"
expect "read a minute ago, JSON" 0 '"health":"ok","reasons":[]' --json

# Read two hours ago: WARNING, unless --max-age allows it.
db "UPDATE settings SET value = '$((now - 7200))' WHERE key = 'imap.last_ok_at'"
expect "read 2 h ago" 1 "WARNING: the mailbox was last read 120 minutes ago (over 60)"
expect "read 2 h ago, --max-age 180" 0 "health:         OK" --max-age 180
db "UPDATE settings SET value = '$((now - 60))' WHERE key = 'imap.last_ok_at'"

# Mail that failed for good in the outbox: WARNING.
db "INSERT INTO outbox (kind, recipient, lang, message_id, status, last_error, created_at, updated_at)
    VALUES ('notice', 'gone@example.test', 'ja', '<n1@example.test>', 'failed', '550 5.1.1 no such user', $now, $now)"
expect "outbox failure" 1 "WARNING: 1 mail failed for good in the outbox (shirase outbox)"
expect "outbox failure, JSON" 1 '"outbox":{"waiting":0,"failed":1}' --json

# The last login failed: CRITICAL, above the warning, with the server's words.
db "INSERT INTO settings VALUES ('imap.last_error', '2026-03-12T09:15:00Z IMAP server imap.example.test:993 refused LOGIN as watch: \"Authentication failed.\"')"
expect "login failing" 2 'CRITICAL: IMAP: IMAP server imap.example.test:993 refused LOGIN as watch: "Authentication failed."'
expect "login failing, JSON" 2 '"imap_error":{"at":"2026-03-12T09:15:00Z","message":"IMAP server imap.example.test:993 refused LOGIN as watch: \"Authentication failed.\""}' --json
"$shirase" status -c "$conf" --json > "$tmp/out.json"
python3 - "$tmp/out.json" <<'PY' && ok "JSON: schema, health and both reasons, most severe first" || fail "JSON document"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["schema"] == "shirase.status/1", d
assert d["health"] == "critical", d
assert d["reasons"][0].startswith("IMAP: IMAP server"), d["reasons"]
assert d["reasons"][1].startswith("1 mail failed for good"), d["reasons"]
assert d["messages"] == {"handled": 0, "failed": 0, "ignored": 0, "replies": 0}, d
PY

# The full integrity check on a sound state: said, health unchanged.
db "DELETE FROM settings WHERE key = 'imap.last_error'"
db "DELETE FROM outbox"
expect "--check, sound state" 0 "state check:    ok (integrity_check)" --check
expect "--check, JSON" 0 '"integrity_check":"ok"' --check --json

# Damage a run met (recorded beside the database): CRITICAL, with what to do.
echo "2026-03-12T09:15:00Z database disk image is malformed" > "$tmp/state/shirase.db.damaged"
expect "damage recorded" 2 "CRITICAL: state damaged: 2026-03-12T09:15:00Z database disk image is malformed: restore shirase.db from a backup"
expect "damage recorded, JSON" 2 '"damage":"2026-03-12T09:15:00Z database disk image is malformed"' --json
rm "$tmp/state/shirase.db.damaged"

# A lost database (shirase.id left, shirase.db gone): CRITICAL, not "never
# read", and not created again.
rm -f "$tmp/state/shirase.db" "$tmp/state/shirase.db-wal" "$tmp/state/shirase.db-shm"
expect "lost database" 2 "is missing or empty, but the state dir holds shirase.id"
[ ! -e "$tmp/state/shirase.db" ] && ok "status did not create the lost database again" \
  || fail "status created $tmp/state/shirase.db"

# With mail to send configured: the next action of each kind, in the text
# and in the JSON (read from the state and the configuration only; no
# server is spoken to). A pending draft not yet mailed is due at once.
rm -rf "$tmp/state"
cat >> "$conf" <<CONF

[smtp]
url = smtp://127.0.0.1:1/localhost
security = none
from = Shirase <shirase@example.test>

[approval]
approvers = approver@example.test

[recipients]
default = admin@example.test
CONF
"$shirase" drafts -c "$conf" > /dev/null || fail "shirase drafts could not create the state"
db "INSERT INTO settings VALUES ('imap.last_ok_at', '$((now - 60))')"
expect "scheduled, text" 0 "next digest at: "
"$shirase" status -c "$conf" --json > "$tmp/out.json"
python3 - "$tmp/out.json" <<'PY' && ok "JSON: scheduled, with RFC 3339 times" || fail "JSON scheduled"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
s = d["scheduled"]
assert s["drafts_to_mail"] == 0 and s["outbox_queued"] == 0, s
assert s["next_send"] is None and s["next_reminder"] is None, s
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", s["next_digest"]), s
PY

# Usage and configuration errors: UNKNOWN.
expect "unknown option" 3 "" --colour
printf '[organization]\nnam = X\n' > "$tmp/bad.conf"
"$shirase" status -c "$tmp/bad.conf" > "$tmp/out" 2>&1
[ $? = 3 ] && grep -qF "bad.conf:2: [organization] nam: unknown key" "$tmp/out" && ok "bad configuration (exit 3)" \
  || { fail "bad configuration"; cat "$tmp/out"; }

[ "$failures" -eq 0 ]
