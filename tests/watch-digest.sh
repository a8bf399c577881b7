#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# watch-digest.sh — a digest mail (a JVN feed of four advisories) through
# `shirase once` on the real mail stack (skipped with 77 where it cannot
# run): each advisory is a case of its own. The vendor's own advisory on
# one of them came first: that item joins its case and adds no draft; the
# other product we run gets a draft naming the item of the feed; the two
# we do not run wait for the approvers' digest, each with its item; the
# same feed again is seen before and changes nothing; approved, the
# notice names the item too.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1
require_auth_results = false
remind_hours = 8760
expire_hours = 8760" "time = 00:00"
cat >>"$conf" <<CONF

[asset mail]
vendor = 株式会社エグザンプルメール
product = ExampleMail Server
version = 6.1.3

[asset router]
vendor = サンプルネットワークス株式会社
product = Sample Router SR-500
version = 2.0.8
CONF

sh () { (cd "$work" && "$shirase" "$@" -c "$conf"); }
# flat: the text without line breaks and spaces (notices are wrapped).
flat () { tr -d '\n '; }
drafts () { header approver Subject | grep -c '^\[承認依頼 #'; }
feed=$mail/jvn_digest_2026_03_10.eml
feed_id=20260310180000.digest@jvn.example.invalid

# 1. The vendor's advisory on the router flaw (CVE-2026-26102): a case and a draft.
deliver "$top_src/tests/data/digest/samplenet_sa_2026_003.eml"
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once (vendor advisory) failed"; }
echo "$out" | grep -q "^shirase once: 1 messages: 1 handled, 0 failed, 0 ignored, 0 replies, 0 seen before$" \
  || { echo "$out"; fail "a mail that is one advisory is not reported as before"; }
echo "$out" | grep -q "INBOX UID 1 handled: applicable, case 1 (new), draft queued (" || { echo "$out"; fail "the vendor's advisory was not drafted"; }
wait_count approver 1 || fail "no draft for the vendor's advisory"

# 2. The JVN feed: one message, four advisories, each judged as its own case.
deliver "$feed"
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once (feed) failed"; }
echo "$out" | grep -q "^shirase once: 1 messages: 1 handled, 0 failed, 0 ignored, 0 replies, 0 seen before; 1 digest mail: 4 advisories$" \
  || { echo "$out"; fail "once does not report the feed's advisories"; }
for line in \
  "UID 2 handled: advisory 1 of 4 (JVN#20260311): applicable, case 2 (new), draft queued" \
  "UID 2 handled: advisory 2 of 4 (JVN#20260312): applicable, case 1 (joined)" \
  "UID 2 handled: advisory 3 of 4 (JVNVU#20260313): not_applicable, case 3 (new)" \
  "UID 2 handled: advisory 4 of 4 (JVN#20260314): not_applicable, case 4 (new)"; do
  echo "$out" | grep -qF "$line" || { echo "$out"; fail "not logged: $line"; }
done
[ "$(count shirase/done)" = 2 ] || fail "the feed was not moved to the done folder"
wait_count approver 2 || fail "no draft for the mail server's advisory"
sleep 1
[ "$(drafts)" = 2 ] || { header approver Subject; fail "$(drafts) drafts, 2 expected (the vendor's, the feed's mail server item)"; }
subject=$(header approver Subject | grep 'ExampleMail Server') || { header approver Subject; fail "no draft for ExampleMail Server"; }
echo "draft: $subject"
draft=$(body approver "$(header approver Message-ID | tr -d ' ' | tail -1)")
echo "$draft" | flat | grep -qF 'JVN#20260311（日本語ソース）・「脆弱性対策情報新着のお知らせ(2026/03/104件)」4件中1件目' \
  || { echo "$draft" | head -40; fail "the draft does not name the item of the feed (ja)"; }
echo "$draft" | flat | grep -qF 'JVN#20260311(Japanesesource),item1of4in"脆弱性対策情報' \
  || fail "the draft does not name the item of the feed (en)"
st=$(status) || fail "shirase status failed"
echo "$st" | grep -q '^messages: *2 handled' || { echo "$st"; fail "the feed is not one handled message"; }
echo "$st" | grep -q '^records: *5 in 4 cases$' || { echo "$st"; fail "expected 5 records in 4 cases"; }
echo "$st" | grep -q '^drafts pending: 2$' || { echo "$st"; fail "expected 2 drafts pending"; }
echo "$st" | grep -q '^next digest: *2 not-applicable advisories' || { echo "$st"; fail "the two advisories that do not apply do not wait for the digest"; }

# show by the feed's Message-ID: each advisory's case, the feed as its item.
js=$(sh show --json "<$feed_id>") || fail "shirase show failed"
echo "$js" | python3 -c '
import json, sys
cases = [json.loads(l) for l in sys.stdin]
assert [c["case"]["id"] for c in cases] == [2, 1, 3, 4], [c["case"]["id"] for c in cases]
for n, c in zip([1, 2, 3, 4], cases):
    feed = [m for m in c["messages"] if m["uid"] == 2]
    assert len(feed) == 1 and feed[0]["item"] == {"index": n, "of": 4}, c["messages"]
# The router case holds both mails: the vendor advisory (no item) and the feed item.
assert sorted(m["item"] is None for m in cases[1]["messages"]) == [False, True], cases[1]["messages"]
assert cases[1]["verdict"]["verdict"] == "applicable" and cases[2]["verdict"]["verdict"] == "not_applicable"
assert cases[2]["verdict"]["reasons"] == ["None of the products or targets the advisory names concerns us"], cases[2]["verdict"]
' || { echo "$js"; fail "show does not give each advisory of the feed its case"; }

# 3. The same feed again: seen before, nothing new.
deliver "$feed"
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once (feed again) failed"; }
echo "$out" | grep -q "^shirase once: 1 messages: 0 handled, 0 failed, 0 ignored, 0 replies, 1 seen before$" \
  || { echo "$out"; fail "the feed again was not seen before"; }
sleep 1
[ "$(drafts)" = 2 ] || fail "the feed again made a draft"
st=$(status) || fail "shirase status failed"
echo "$st" | grep -q '^records: *5 in 4 cases$' || { echo "$st"; fail "the feed again changed the cases"; }

# 4. Approved, the mail server's notice names the item of the feed.
reply_to_draft "$work/reply.eml" "承認"
out=$(run_once 2>&1) || { echo "$out"; fail "shirase once (reply) failed"; }
wait_count admin 2 || { echo "$out"; fail "the notices did not reach admin"; }
notice=$(body admin "$(header admin Message-ID | tr -d ' ' | grep '\.ja\.' | head -1)")
echo "$notice" | flat | grep -qF '情報源:JapanVulnerabilityNotesJVN#20260311（日本語ソース）・「脆弱性対策情報新着のお知らせ(2026/03/104件)」4件中1件目' \
  || { echo "$notice" | head -12; fail "the notice's source line does not name the item"; }

# 5. The approvers' digest lists the two that do not apply, each as its item.
if test_hooks; then
  out=$(SHIRASE_TEST_CLOCK_OFFSET=86400 run_once 2>&1) || { echo "$out"; fail "shirase once (day 1) failed"; }
  for _ in $(seq 100); do header approver Subject | grep -q '静観ダイジェスト' && break; sleep 0.1; done
  mid=$(header approver Message-ID | tr -d ' ' | grep '^<digest\.') || fail "no digest reached the approver"
  digest=$(body approver "$mid")
  echo "$digest" | flat | grep -qF 'JVNVU#20260313（日本語ソース）・「脆弱性対策情報新着のお知らせ(2026/03/104件)」4件中3件目' \
    || { echo "$digest"; fail "the digest does not list item 3 of the feed"; }
  echo "$digest" | flat | grep -qF 'JVN#20260314（日本語ソース）・「脆弱性対策情報新着のお知らせ(2026/03/104件)」4件中4件目' \
    || { echo "$digest"; fail "the digest does not list item 4 of the feed"; }
fi
echo "PASS"
