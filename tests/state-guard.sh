#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# state-guard.sh — state that cannot be replayed or silently lost, on the
# real mail stack (skipped with 77 where it cannot run).
#  1. A lost database: draft 1 is approved by reply and its notices go out;
#     shirase.db becomes a 0-byte file. `once` refuses to start (exit 1,
#     nothing moved) until told --init; the new state's draft 1 has
#     another token and Message-ID, and the old approval replayed byte for
#     byte (with an Authentication-Results that passes) sends nothing. The
#     new notices do not reuse the old notices' Message-IDs.
#  2. A damaged database (pages overwritten in the middle): `once` fails
#     loudly (exit 1, nothing moved), `status` says DAMAGED and exits 2
#     (CRITICAL), `status --check` too; the backup put back, all runs again.
. "${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/watch-lib.sh"
command -v sqlite3 >/dev/null || { echo "SKIP: the sqlite3 tool is not installed"; exit 77; }

with_approval "require_auth_results = true
trusted_authserv_id = mx.example.test"
good_ar="Authentication-Results: mx.example.test; dkim=pass header.d=example.test; spf=pass smtp.mailfrom=approver@example.test"

# ---- 1. a lost database ---------------------------------------------------------
deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
run_once >/dev/null 2>&1 || fail "the first run failed"
wait_count approver 1 || fail "no draft for the first advisory"
old_draft=$(mails approver | head -1)
old_mid=$(echo "$old_draft" | cut -f1)
old_token=$(echo "$old_draft" | cut -f3 | sed -n 's/^\[承認依頼 #\([0-9A-Z]*\)\].*/\1/p')
reply_to_draft "$work/approval.eml" "承認します。" approver "$good_ar"
run_once >/dev/null 2>&1 || fail "the run on the approval failed"
wait_count admin 2 || fail "the approved notices did not arrive"
old_notices=$(mails admin | cut -f1 | sort)
echo "draft 1 ($old_token) approved by reply; its notices went out"

: >"$work/state/shirase.db" # lost: a 0-byte file, the state dir as it was
deliver "$top_src/tests/data/update/cisco-snmp-first.eml"
before=$(count INBOX)
out=$(run_once 2>&1) && { echo "$out"; fail "once started on a lost database"; }
echo "$out" | grep -q "is missing or empty, but the state dir holds shirase.id" || { echo "$out"; fail "the refusal does not say why"; }
echo "$out" | grep -q -- "--init" || { echo "$out"; fail "the refusal does not say what to do"; }
[ "$(count INBOX)" = "$before" ] || fail "a refused run moved mail"
[ "$(wc -c <"$work/state/shirase.db")" = 0 ] || fail "the refused run wrote a database"
rc=0; out=$(status 2>&1) || rc=$?
[ "$rc" = 2 ] || { echo "$out"; fail "status exited $rc on a lost database, not 2 (CRITICAL)"; }
echo "$out" | grep -q "^health: *CRITICAL: .*missing or empty" || { echo "$out"; fail "status does not say the database is lost"; }
echo "lost database: once refuses (exit 1), status says CRITICAL (exit 2), nothing moved"

out=$(run_once --init 2>&1) || { echo "$out"; fail "once --init failed"; }
wait_count approver 3 || fail "no draft from the new state" # old draft, confirmation, new draft
new_draft=$(mails approver | awk -F'\t' '$3 ~ /^\[承認依頼 #/' | tail -1)
new_mid=$(echo "$new_draft" | cut -f1)
new_token=$(echo "$new_draft" | cut -f3 | sed -n 's/^\[承認依頼 #\([0-9A-Z]*\)\].*/\1/p')
[ "$(db 'SELECT id FROM drafts')" = 1 ] || fail "the new state's first draft is not draft 1"
[ "$new_token" != "$old_token" ] || fail "the new draft 1 carries the old draft 1's token $old_token"
[ "$new_mid" != "$old_mid" ] || fail "the new draft 1 carries the old draft 1's Message-ID"
echo "--init: a new state; its draft 1 has token $new_token (was $old_token) and another Message-ID"

# The old approval, replayed byte for byte, passing Authentication-Results.
admin_before=$(mailbox_count admin)
cp "$work/approval.eml" "$work/replay.eml"
deliver "$work/replay.eml"
run_once >/dev/null 2>&1 || fail "the run on the replayed approval failed"
sleep 1
[ "$(mailbox_count admin)" = "$admin_before" ] || fail "the replayed old approval sent notices"
[ "$(db 'SELECT status FROM drafts WHERE id = 1')" = pending ] || fail "the replayed old approval decided draft 1"
[ "$(db 'SELECT count(*) FROM decisions')" = 0 ] || fail "the replayed old approval was recorded as a decision"
echo "the old approval replayed: refused, the new draft 1 still pending, no notice"

# The new draft approved as it should be: its notices' Message-IDs are new.
reply_to_draft "$work/approval2.eml" "承認" approver "$good_ar"
run_once >/dev/null 2>&1 || fail "the run on the new approval failed"
wait_count admin $((admin_before + 2)) || fail "the new notices did not arrive"
new_notices=$(mails admin | cut -f1 | sort | comm -13 <(echo "$old_notices") -)
[ "$(echo "$new_notices" | grep -c .)" = 2 ] || { echo "$new_notices"; fail "the new notices reuse old Message-IDs"; }
echo "new notices with new Message-IDs"

# ---- 2. a damaged database ----------------------------------------------------------
# Enough state for pages in the middle: a few hundred advisories.
drop_many 300 dmg
run_once >/dev/null 2>&1 || fail "the run over 300 advisories failed"
cp "$work/state/shirase.db" "$work/backup.db"
pages=$(( $(wc -c <"$work/state/shirase.db") / 4096 ))
[ "$pages" -gt 40 ] || fail "only $pages pages"
dd if=/dev/urandom of="$work/state/shirase.db" bs=4096 seek=$((pages / 2)) count=8 conv=notrunc 2>/dev/null
deliver "$mail/dsa_5901_1_libxml2.eml"
before=$(count INBOX)
for i in 1 2 3; do
  out=$(run_once 2>&1) && { echo "$out"; fail "once exited 0 on a damaged database (run $i)"; }
done
echo "$out" | grep -qi "check failed\|malformed\|damaged\|not a database" || { echo "$out"; fail "once does not say the database is damaged"; }
[ "$(count INBOX)" = "$before" ] || fail "once moved mail while the state was damaged"
rc=0; out=$(status 2>&1) || rc=$?
[ "$rc" = 2 ] || { echo "$out"; fail "status exited $rc on a damaged database, not 2 (CRITICAL)"; }
echo "$out" | grep -q "^state DAMAGED:" || { echo "$out"; fail "status does not show the damage"; }
rc=0; out=$(cd "$work" && "$shirase" status --check --json -c "$conf" 2>&1) || rc=$?
[ "$rc" = 2 ] || { echo "$out"; fail "status --check exited $rc on a damaged database, not 2"; }
echo "$out" | grep -q '"health":"critical"' && echo "$out" | grep -q '"damage":"[^"]' \
  || { echo "$out"; fail "status --check --json does not report the damage"; }
echo "damaged database: once fails three times in a row (exit 1, nothing moved), status and status --check say so (CRITICAL, exit 2)"

cp "$work/backup.db" "$work/state/shirase.db"
rm -f "$work/state/shirase.db-wal" "$work/state/shirase.db-shm"
out=$(run_once 2>&1) || { echo "$out"; fail "once failed on the restored backup"; }
[ "$(count INBOX)" = 0 ] || fail "$(count INBOX) left in INBOX after the restore"
out=$(cd "$work" && "$shirase" status --check -c "$conf" 2>&1) || { echo "$out"; fail "status --check after the restore"; }
echo "$out" | grep -q "^state check: *ok" || { echo "$out"; fail "status --check does not say ok"; }
echo "$out" | grep -q "DAMAGED" && { echo "$out"; fail "the damage is still shown after the restore"; }
echo "backup restored: once runs, status --check ok, the damage record cleared"
echo PASS
