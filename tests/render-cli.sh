#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shirase render end to end: each output form, the golden Japanese text,
# the mail headers, the draft, and the usage errors.
set -u
top_srcdir=${SHR_TOP_SRCDIR:-$(dirname "$0")/..}
top_builddir=${SHR_TOP_BUILDDIR:-.}
shirase="$top_builddir/shirase"
SHIRASE_DATADIR=${SHIRASE_DATADIR:-$top_srcdir/data}
SHIRASE_TEMPLATEDIR=${SHIRASE_TEMPLATEDIR:-$top_srcdir/templates}
export SHIRASE_DATADIR SHIRASE_TEMPLATEDIR
data="$top_srcdir/tests/data"
conf="$data/render/org.conf"
news="$data/mail/news_en_exchange_oilgas_silk_typhoon.eml"
now=2026-03-16T10:00:00+09:00
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-render-cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }
expect_contains () { # name file text
  if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3' in:"; cat "$2"; fi
}
expect_status () { # name expected actual
  if [ "$2" -eq "$3" ]; then ok "$1"; else fail "$1: exit $3, expected $2"; fi
}

"$shirase" render -c "$conf" --now "$now" --lang ja "$news" > "$tmp/ja.txt"
expect_status "render --lang ja" 0 $?
if cmp -s "$tmp/ja.txt" "$data/render/news_en_exchange_oilgas_silk_typhoon.ja.txt"; then
  ok "the CLI prints the golden Japanese notice"
else
  fail "CLI text differs from the golden file"; diff "$data/render/news_en_exchange_oilgas_silk_typhoon.ja.txt" "$tmp/ja.txt"
fi

"$shirase" render -c "$conf" --now "$now" "$news" > "$tmp/both.txt"
subject_ja="【要対応・A 即日】Silk Typhoon による北米のエネルギー企業を狙った攻撃キャンペーン（CVE-2026-21410、悪用確認済み）"
subject_en="[Action Required / Priority A, same day] Silk Typhoon campaign against energy companies in North America (CVE-2026-21410, exploited)"
# The text part wraps the Subject line at 76 columns; its first line:
expect_contains "both by default: Japanese mail" "$tmp/both.txt" "件名: 【要対応・A 即日】Silk Typhoon による北米のエネルギー企業を狙った攻撃"
expect_contains "both by default: English mail" "$tmp/both.txt" "Subject: [Action Required / Priority A, same day] Silk Typhoon campaign"

"$shirase" render -c "$conf" --now "$now" --html --lang en "$news" > "$tmp/en.html"
expect_contains "--html" "$tmp/en.html" "<!DOCTYPE html>"
if grep -qi "<script" "$tmp/en.html"; then fail "script in HTML"; else ok "no script in HTML"; fi

"$shirase" render -c "$conf" --now "$now" --mail "$news" > "$tmp/mail.eml"
expect_status "render --mail" 0 $?
expect_contains "--mail: To = default + owners" "$tmp/mail.eml" "To: it-admins@example.co.jp, infra@example.co.jp"
expect_contains "--mail: Reply-To = approvers" "$tmp/mail.eml" "Reply-To: security@example.co.jp"
expect_contains "--mail: Auto-Submitted" "$tmp/mail.eml" "Auto-Submitted: auto-generated"
expect_contains "--mail: X-Shirase-Grade" "$tmp/mail.eml" "X-Shirase-Grade: A"
expect_contains "--mail: X-Shirase-Case" "$tmp/mail.eml" "X-Shirase-Case: news:"
expect_contains "--mail: alternative" "$tmp/mail.eml" "Content-Type: multipart/alternative"
expect_contains "--mail: encoded Subject" "$tmp/mail.eml" "Subject: =?UTF-8?B?"
# The whole message reads back as mail: extract takes the notice itself.
"$shirase" extract --json "$tmp/mail.eml" > "$tmp/back.json"
expect_status "the composed mail parses" 0 $?
expect_contains "Subject decodes back" "$tmp/back.json" "\"title\":\"$subject_ja\""

# [templates] charset = iso-2022-jp: the whole notice fits JIS X 0208 (check
# marks as ○/×), so the text part is ISO-2022-JP and reads back.
sed 's/^\[recipients\]/[templates]\ncharset = iso-2022-jp\n\n[recipients]/' "$conf" > "$tmp/jis.conf"
"$shirase" render -c "$tmp/jis.conf" --now "$now" --mail "$news" > "$tmp/jis.eml" 2> "$tmp/err"
expect_status "render --mail, iso-2022-jp" 0 $?
expect_contains "iso-2022-jp text part" "$tmp/jis.eml" "Content-Type: text/plain; charset=iso-2022-jp"
expect_contains "iso-2022-jp Subject" "$tmp/jis.eml" "Subject: =?ISO-2022-JP?B?"
if grep -q "cannot carry" "$tmp/err"; then fail "iso-2022-jp fell back to UTF-8"; cat "$tmp/err"; else ok "no fallback"; fi
"$shirase" extract --json "$tmp/jis.eml" > "$tmp/jis.json"
expect_contains "iso-2022-jp Subject decodes back" "$tmp/jis.json" "\"title\":\"$subject_ja\""
"$shirase" render -c "$conf" --now "$now" --lang en --mail "$news" > "$tmp/en.eml"
"$shirase" extract --json "$tmp/en.eml" > "$tmp/en.json"
expect_contains "English Subject decodes back" "$tmp/en.json" "\"title\":\"$subject_en\""

"$shirase" render -c "$conf" --now "$now" --draft --token K7Q2M9F3XA "$news" > "$tmp/draft.txt"
expect_contains "--draft: token" "$tmp/draft.txt" "[承認依頼 #K7Q2M9F3XA]"
expect_contains "--draft: how to reply" "$tmp/draft.txt" "・却下: 送信しません。"

"$shirase" render -c "$conf" --lang fr "$news" > /dev/null 2> "$tmp/err"
expect_status "--lang fr is a usage error" 2 $?
expect_contains "--lang fr message" "$tmp/err" 'shirase render: --lang: "fr" is not ja, en or both'
"$shirase" render -c "$conf" "$tmp/missing.eml" > /dev/null 2> "$tmp/err"
expect_status "missing input" 1 $?
expect_contains "missing input names the file" "$tmp/err" "missing.eml"

mkdir "$tmp/empty"
printf '[organization]\nname = X\n\n[templates]\ndir = empty\n' > "$tmp/bad.conf"
"$shirase" render -c "$tmp/bad.conf" "$news" > /dev/null 2> "$tmp/err"
expect_status "a templates dir without templates" 1 $?
expect_contains "templates dir error" "$tmp/err" "empty: not a template directory (no notice-ja.txt)"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all passed"
