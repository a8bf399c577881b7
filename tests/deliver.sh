#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# deliver.sh — shirase deliver, reprocess and show on the real mail stack
# (skipped with 77 where it cannot run):
# - an advisory piped in as an MTA or Sieve "pipe" would becomes a draft
#   mailed to the approver (no IMAP involved); the same mail again, also
#   with procmail's mbox "From " line, is seen before (exit 0, no second
#   draft); the approver's reply piped in decides, and the notices go out;
# - tempfail (75) when the state is locked by another writer, when it
#   cannot be written, when the configuration is broken and when the
#   database is lost (never re-created empty);
# - reprocess: an advisory taken in by once as not applicable, run again
#   by UID after the asset was added to the profile, is fetched back from
#   the done folder and queues a draft;
# - show: the case with its record, verdict, checklist, decision and the
#   notices sent, as text and as JSON;
# - a digest mail (a JVN feed of four): deliver and reprocess print a line
#   per advisory, each its own case; show gives the case of each.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1"
shirase_in () { (cd "$work" && "$shirase" "$@"); }
cisco=$mail/cisco_sa_iosxe_webui_privesc.eml
cisco_id=cisco-sa-iosxe-webui-privesc-k7Tq2mXz.20260304@cisco.example.invalid

# ---- deliver: from a pipe into a draft ---------------------------------------
out=$(shirase_in deliver -c "$conf" < "$cisco" 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] || fail "deliver exited $rc"
echo "$out" | grep -q "^shirase deliver: handled: \(applicable\|check\), case 1 (new), draft queued$" \
  || fail "deliver did not queue a draft: $out"
wait_count approver 1 || fail "the approver got no draft"
mails approver | cut -f3 | grep -q '^\[承認依頼 #' || fail "the approver's mail is not a draft: $(mails approver)"
[ "$(total)" = 0 ] || fail "deliver went through the IMAP mailbox"
[ "$(db "SELECT folder || '/' || outcome FROM messages")" = deliver/handled ] || fail "messages: $(db "SELECT * FROM messages")"

# The MTA tries again, and procmail hands it over with its "From " line.
out=$(shirase_in deliver -c "$conf" - < "$cisco" 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "seen before (handled): nothing done" || fail "a second delivery: rc=$rc $out"
{ printf 'From cisco@cisco.example.invalid Wed Mar  4 16:00:00 2026\n'; cat "$cisco"; } > "$work/mbox.eml"
out=$(shirase_in deliver -c "$conf" "$work/mbox.eml" 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "seen before" || fail "with an mbox From line: rc=$rc $out"
[ "$(db "SELECT count(*) FROM drafts")" = 1 ] || fail "$(db "SELECT count(*) FROM drafts") drafts, 1 expected"

# Mail that is not mail: taken (0), kept and reported.
printf 'not a mail at all\n' | shirase_in deliver -c "$conf" > "$work/out" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "failed: " "$work/out" || { cat "$work/out"; fail "not mail: rc=$rc"; }
[ "$(ls "$work/state/delivered" | wc -l)" = 2 ] || fail "deliver did not keep both mails: $(ls "$work/state/delivered")"

# The approver's reply, piped in too: approved, the notices go out.
reply_to_draft "$work/reply.eml" "承認します。"
doveadm -c "$DOVECOT_CONF" expunge -u watch mailbox INBOX all
out=$(shirase_in deliver -c "$conf" < "$work/reply.eml" 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] && echo "$out" | grep -q "reply: reply to draft 1" || fail "the reply: rc=$rc $out"
wait_count admin 2 || fail "admin got $(mailbox_count admin) notices after the reply, 2 expected"
[ "$(db "SELECT status FROM drafts")" = sent ] || fail "draft: $(db "SELECT status FROM drafts")"
echo "deliver: draft, seen before, not mail kept, reply decided, notices sent"

# ---- deliver: tempfail -------------------------------------------------------
# Another writer holds the state (past the 5 s busy timeout).
jvn=$mail/jvn_12345678.eml
( printf 'BEGIN EXCLUSIVE;\n'; sleep 9; printf 'COMMIT;\n' ) | sqlite3 "$work/state/shirase.db" &
locker=$!
sleep 0.5
out=$(shirase_in deliver -c "$conf" < "$jvn" 2>&1); rc=$?
wait $locker
[ $rc = 75 ] && echo "$out" | grep -q "the mail stays with the MTA" || fail "state locked: rc=$rc $out"
# A state that cannot be written.
cp "$conf" "$work/unwritable.conf"
: > "$work/a-file"
sed -i "s|^dir = state$|dir = $work/a-file/state|" "$work/unwritable.conf"
out=$(shirase_in deliver -c "$work/unwritable.conf" < "$jvn" 2>&1); rc=$?
[ $rc = 75 ] && echo "$out" | grep -q "a-file/state" || fail "unwritable state: rc=$rc $out"
# A broken configuration: the mail waits with the MTA until it is fixed.
printf '[organization]\nnam = X\n' > "$work/broken.conf"
out=$(shirase_in deliver -c "$work/broken.conf" < "$jvn" 2>&1); rc=$?
[ $rc = 75 ] && echo "$out" | grep -q "broken.conf:2: \[organization\] nam: unknown key" || fail "broken config: rc=$rc $out"
# A lost database (moved away; shirase.id says one existed): refused, not
# started again empty, until an operator restores it or runs once --init.
mv "$work/state/shirase.db" "$work/state/shirase.db.away"
out=$(shirase_in deliver -c "$conf" < "$jvn" 2>&1); rc=$?
[ ! -e "$work/state/shirase.db" ] || fail "deliver created a new database where one was lost"
mv "$work/state/shirase.db.away" "$work/state/shirase.db"
[ $rc = 75 ] && echo "$out" | grep -q "is missing or empty, but the state dir holds shirase.id" \
  || fail "lost database: rc=$rc $out"
# Usage and a missing file are not the MTA's to retry.
out=$(shirase_in deliver -c "$conf" a b 2>&1); rc=$?
[ $rc = 64 ] || fail "two files: rc=$rc $out"
out=$(shirase_in deliver -c "$conf" "$work/nowhere.eml" 2>&1); rc=$?
[ $rc = 66 ] || fail "a missing file: rc=$rc $out"
# Nothing of these was recorded; the mail goes through once the state is free.
out=$(shirase_in deliver -c "$conf" < "$jvn" 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "^shirase deliver: handled: " || fail "after the lock: rc=$rc $out"
echo "deliver: 75 when locked, unwritable, misconfigured or lost; 64 usage; 66 no file"

# ---- reprocess: a message judged before the profile named its product ------------
deliver "$mail/dsa_5901_1_libxml2.eml"
run_once > "$work/once.out" 2>&1 || { cat "$work/once.out"; fail "shirase once failed"; }
dsa_id=aGfX2kQwT5b1cNmR@seger.example.invalid
[ "$(db "SELECT outcome FROM messages WHERE message_id = '$dsa_id'")" = handled ] || fail "the DSA was not handled"
[ "$(db "SELECT count(*) FROM drafts d JOIN messages m ON m.case_id = d.case_id WHERE m.message_id = '$dsa_id'")" = 0 ] \
  || fail "the DSA got a draft before its product was in the profile"
[ "$(count shirase/done)" = 1 ] || fail "the DSA is not in the done folder"
uid=$(db "SELECT uid FROM messages WHERE message_id = '$dsa_id'")
drafts_before=$(mailbox_count approver)
cat >> "$conf" <<'CONF'

[asset libxml2]
vendor = Debian
product = libxml2
version = 2.9.14+dfsg-1.3~deb12u1
scheme = dpkg
CONF
out=$(shirase_in reprocess -c "$conf" "$uid" 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] && echo "$out" | grep -q "^shirase reprocess: UID $uid: was handled; now handled: \(applicable\|check\), case [0-9]* (joined), draft queued$" \
  || fail "reprocess by UID: rc=$rc $out"
wait_count approver $((drafts_before + 1)) || fail "no draft for the reprocessed advisory"
[ "$(db "SELECT count(*) FROM messages WHERE message_id = '$dsa_id'")" = 1 ] || fail "reprocess left two rows"
out=$(shirase_in reprocess -c "$conf" "<no-such@example.test>" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "no message with Message-ID no-such@example.test" || fail "reprocess unknown: rc=$rc $out"
echo "reprocess: fetched back from the done folder by UID, judged with the new profile, draft queued"

# ---- show ------------------------------------------------------------------------
out=$(shirase_in show -c "$conf" "<$cisco_id>" 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] || fail "show exited $rc"
for want in "^case 1: " "^record psirt:" "^verdict: \(applicable\|check\), grade [ABC]$" "^checklist:" \
  "IOS XE" "^draft 1 (new): sent, created " "^  approve by approver@example.test at " \
  "^  notice ja to admin@example.test: sent$" "^  notice en to admin@example.test: sent$" "deliver UID 0 .* handled"; do
  echo "$out" | grep -q "$want" || fail "show: no line matching '$want'"
done
shirase_in show -c "$conf" --json 1 > "$work/show.json" || fail "show --json"
python3 - "$work/show.json" <<'PY' || fail "show --json: wrong document"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["schema"] == "shirase.show/1"
assert d["case"]["id"] == 1
assert d["records"][0]["schema"] == "shirase.record/1"
assert d["verdict"]["verdict"] in ("applicable", "check") and d["verdict"]["checklist"]
assert d["drafts"][0]["decisions"][0]["decision"] == "approve"
sent = {(m["kind"], m["lang"], m["status"]) for m in d["drafts"][0]["mail"]}
assert ("notice", "ja", "sent") in sent and ("notice", "en", "sent") in sent, sent
PY
out=$(shirase_in show -c "$conf" 99 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "no case 99" || fail "show 99: rc=$rc $out"

# ---- a digest mail: a line per advisory, each its own case ----------------------
feed_id=20260310180000.digest@jvn.example.invalid
cases_before=$(db "SELECT count(*) FROM cases")
out=$(shirase_in deliver -c "$conf" < "$mail/jvn_digest_2026_03_10.eml" 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] || fail "deliver (digest) exited $rc"
[ "$(echo "$out" | sed -n 1p)" = "shirase deliver: handled: a digest of 4 advisories" ] || fail "deliver (digest): $out"
n=1
for id in JVN#20260311 JVN#20260312 JVNVU#20260313 JVN#20260314; do
  echo "$out" | grep -q "^shirase deliver: advisory $n of 4 ($id): not_applicable, case $((cases_before + n)) (new)$" \
    || fail "deliver (digest): no line for advisory $n"
  n=$((n + 1))
done
# Taken again, every advisory joins its case; the mail stays one row.
out=$(shirase_in reprocess -c "$conf" "<$feed_id>" 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] && echo "$out" | grep -q "was handled; now handled: a digest of 4 advisories$" \
  && [ "$(echo "$out" | grep -c "^shirase reprocess: advisory [1-4] of 4 (JVN.*): not_applicable, case [0-9]* (joined)$")" = 4 ] \
  || fail "reprocess (digest): rc=$rc $out"
[ "$(db "SELECT count(*) FROM messages WHERE message_id = '$feed_id'")" = 1 ] || fail "reprocess left two rows of the digest"
[ "$(db "SELECT count(*) FROM message_records")" = 4 ] || fail "message_records: $(db "SELECT * FROM message_records")"
out=$(shirase_in show -c "$conf" "<$feed_id>" 2>&1) || { echo "$out"; fail "show (digest) failed"; }
[ "$(echo "$out" | grep -c "^case [0-9]*: ")" = 4 ] || { echo "$out"; fail "show (digest): not one case per advisory"; }
echo "$out" | grep -q "deliver UID 0 .* handled (advisory 3 of 4)" || { echo "$out"; fail "show (digest): the mail is not shown as its item"; }
# A case judged not applicable gives its reasons as text, as a match does.
[ "$(echo "$out" | grep -c "^  - None of the products or targets the advisory names concerns us$")" = 4 ] \
  || { echo "$out"; fail "show (digest): the not-applicable reasons are not shown"; }
echo "deliver.sh: ok"
