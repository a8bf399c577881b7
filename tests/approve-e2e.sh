#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# approve-e2e.sh — approval by reply, end to end on the real mail stack
# (Dovecot + Postfix; skipped with 77 where it cannot run): an advisory in
# the watched INBOX → `shirase once` sends the draft to the approver →
# the approver's reply 「承認します。」 in the watched INBOX → `shirase once`
# sends the Japanese and the English notice to [recipients] default, once;
# a third `shirase once` sends nothing more.
. "$(dirname "$0")/watch-lib.sh"

with_approval "quorum = 1
require_auth_results = false"

dove () { doveadm -c "$DOVECOT_CONF" "$@"; }
# Our own copy of the templates, changed after the draft went out (below).
cp -r "$top_src/templates" "$work/templates"
chmod -R u+w "$work/templates"
printf '\n[templates]\ndir = templates\n' >>"$conf"

# 1. The advisory → a draft to the approver.
deliver "$mail/cisco_sa_iosxe_webui_privesc.eml"
out=$(run_once 2>&1) || { echo "$out"; fail "first shirase once failed"; }
wait_count approver 1 || { echo "$out"; fail "no draft reached the approver"; }
subject=$(header approver Subject)
msgid=$(header approver Message-ID | tr -d ' ')
echo "draft: $subject $msgid"
echo "$subject" | grep -q '\[承認依頼 #[0-9A-Z]\{10\}\]' || fail "the draft's Subject has no token: $subject"
case "$msgid" in "<draft."*) ;; *) fail "unexpected draft Message-ID: $msgid" ;; esac
[ "$(count INBOX)" = 0 ] || fail "the advisory stayed in INBOX"
[ "$("$top_src/tests/mailstack/count.sh" admin)" = 0 ] || fail "a notice went out before the approval"

# Editing the templates now must not change what the approver approves.
printf '\n（下書きの後に変更 / changed after the draft）\n' >>"$work/templates/mail-ja.mustache"

# 2. The approver's reply → the notices.
{
  printf 'From: Approver <approver@example.test>\n'
  printf 'To: Shirase <shirase@example.test>\n'
  printf 'Subject: Re: %s\n' "$subject"
  printf 'Message-ID: <reply-1@example.test>\n'
  printf 'In-Reply-To: %s\n' "$msgid"
  printf 'References: %s\n' "$msgid"
  printf 'Date: %s\n' "$(date -R)"
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
  printf '承認します。\n\n'
  dove fetch -u approver body mailbox INBOX all | sed -n '2,$p' | sed 's/^/> /'
} >"$work/reply.eml"
# The approver's client sends the reply to the draft's Reply-To, through
# Postfix: it must come back to the watched mailbox.
reply_to=$(header approver Reply-To | sed 's/.*<\(.*\)>.*/\1/')
[ "$reply_to" = watch@example.test ] || fail "the draft's Reply-To is '$reply_to', not the watched mailbox"
"$top_src/tests/mailstack/send.sh" approver "$reply_to" "$work/reply.eml" >/dev/null || fail "could not send the reply"
for _ in $(seq 100); do [ "$(count INBOX)" -ge 1 ] && break; sleep 0.1; done
[ "$(count INBOX)" = 1 ] || fail "the reply did not reach the watched INBOX"
out=$(run_once 2>&1) || { echo "$out"; fail "second shirase once failed"; }
echo "$out" | grep -q "1 replies" || { echo "$out"; fail "the reply was not seen as one"; }
wait_count admin 2 || { echo "$out"; fail "the notices did not reach admin"; }
sleep 1
subjects=$(header admin Subject)
echo "notices:"
echo "$subjects"
[ "$("$top_src/tests/mailstack/count.sh" admin)" = 2 ] || fail "admin got $("$top_src/tests/mailstack/count.sh" admin) mails, 2 expected"
# One Subject in Japanese (non-ASCII), one in English (ASCII only).
[ "$(echo "$subjects" | LC_ALL=C grep -c '[^ -~]')" = 1 ] || fail "expected one Japanese Subject"
[ "$(echo "$subjects" | LC_ALL=C grep -c '^[ -~]*$')" = 1 ] || fail "expected one English Subject"
[ "$(header admin Reply-To | sort -u)" = approver@example.test ] || fail "the notices' Reply-To is not the approvers: $(header admin Reply-To)"
langs=$(header admin Message-ID | sed -n 's/^<notice\.[0-9]*\.\([a-z]*\)\..*/\1/p' | sort | tr '\n' ' ')
[ "$langs" = "en ja " ] || fail "notice Message-IDs name languages '$langs', expected 'en ja '"
# What went out is what the draft showed, word for word, in each language.
draft_mid=$(echo "$msgid" | tr -d '<>')
draft_text=$(body approver "$draft_mid")
for lang in ja en; do
  notice_mid=$(header admin Message-ID | tr -d ' <>' | grep "^notice\.[0-9]*\.$lang\.")
  body admin "$notice_mid" >"$work/notice-$lang.txt"
  case $lang in
    ja) printf '%s\n' "$draft_text" | sed -n '/^---- 通知文（日本語）ここから ----$/,/^---- ここまで ----$/p' ;;
    en) printf '%s\n' "$draft_text" | sed -n '/^---- English notice from here ----$/,/^---- English notice to here ----$/p' ;;
  esac | sed '1d;$d' >"$work/block-$lang.txt"
  # Between the markers: the Subject line, a blank line, the notice.
  sed '1,2d' "$work/block-$lang.txt" >"$work/draft-$lang.txt"
  [ -s "$work/draft-$lang.txt" ] || fail "the draft shows no $lang notice"
  notice_subject=$(header admin Subject | { [ $lang = ja ] && LC_ALL=C grep '[^ -~]' || LC_ALL=C grep '^[ -~]*$'; })
  # (tr -s: the header helper joins a folded Subject's lines with a space)
  [ "$(head -1 "$work/block-$lang.txt" | tr -s ' ')" = "$([ $lang = ja ] && echo 件名 || echo Subject): $(echo "$notice_subject" | tr -s ' ')" ] \
    || fail "the draft's $lang block shows '$(head -1 "$work/block-$lang.txt")', the notice's Subject is '$notice_subject'"
  diff <(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/draft-$lang.txt") \
       <(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/notice-$lang.txt") >"$work/diff-$lang.txt" \
    || { head -20 "$work/diff-$lang.txt"; fail "the $lang notice sent differs from the draft"; }
  echo "$lang notice: $(wc -l <"$work/notice-$lang.txt") lines, the same as the draft showed"
done
# The reply is kept (moved to done once decided), never deleted.
[ "$(count INBOX)" = 0 ] || fail "the decided reply stayed in INBOX"
[ "$(count shirase/done)" = 2 ] || fail "$(count shirase/done) messages in done, 2 expected (advisory, reply)"
# Approved, and once its notices are delivered, sent.
[ "$(db "SELECT status FROM drafts")" = sent ] || fail "draft status: $(db "SELECT status FROM drafts")"
# The approver is told what was decided and who receives what.
wait_count approver 2 || fail "no confirmation reached the approver"
confirm=$(header approver Subject | grep '^\[承認済み / Approved\]') || fail "no [承認済み / Approved] confirmation: $(header approver Subject)"
echo "confirmation: $confirm"
bodies=$(for uid in $(dove fetch -u approver uid mailbox INBOX all | sed -n 's/^uid: //p'); do
  dove fetch -u approver text mailbox INBOX uid "$uid" | sed '1d' | python3 -c '
import email, email.policy, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
print(m.get_body(preferencelist=("plain",)).get_content())'
done)
echo "$bodies" | grep -q "admin@example.test … 日本語・English" || { echo "$bodies" | tail -20; fail "the confirmation does not list the recipients"; }

# 3. Nothing more: the same reply again, and another pass.
deliver "$work/reply.eml"
out=$(run_once 2>&1) || { echo "$out"; fail "third shirase once failed"; }
out=$(run_once 2>&1) || { echo "$out"; fail "fourth shirase once failed"; }
sleep 2
[ "$("$top_src/tests/mailstack/count.sh" admin)" = 2 ] || fail "admin got more notices: $("$top_src/tests/mailstack/count.sh" admin)"
[ "$("$top_src/tests/mailstack/count.sh" approver)" = 2 ] || fail "the approver got more than the draft and one confirmation"
[ "$(db "SELECT count(*) FROM outbox WHERE status <> 'sent'")" = 0 ] || fail "outbox rows not sent"
echo "approve-e2e: ok"
