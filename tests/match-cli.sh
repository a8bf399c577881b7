#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The match, check-config and assets verbs end to end, on fixture mails
# written for these tests (tests/data/match) and the extract fixtures.
set -u
top_srcdir=${SHR_TOP_SRCDIR:-$(dirname "$0")/..}
top_builddir=${SHR_TOP_BUILDDIR:-.}
shirase="$top_builddir/shirase"
SHIRASE_DATADIR=${SHIRASE_DATADIR:-$top_srcdir/data}
SHIRASE_TEMPLATEDIR=${SHIRASE_TEMPLATEDIR:-$top_srcdir/templates}
export SHIRASE_DATADIR SHIRASE_TEMPLATEDIR
data="$top_srcdir/tests/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-match-cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0

fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }

expect_contains () { # name file text
  if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3' in:"; cat "$2"; fi
}

now=2026-05-14T10:00:00+09:00
news="$data/match/news-exchange-energy.eml"

# 1. The reference scenario: Exchange + energy → applicable, both rows ✓.
cat > "$tmp/concerned.conf" <<'CONF'
[organization]
name = 株式会社サンプル
sectors = energy;it
regions = JP
timezone = Asia/Tokyo

[asset exchange]
vendor = Microsoft
product = Exchange Server
version = 15.2.1544.4
owners = infra@example.co.jp
CONF
"$shirase" match -c "$tmp/concerned.conf" --now "$now" --json "$news" > "$tmp/out.json"
[ $? -eq 0 ] && ok "match exits 0" || fail "match exit status"
expect_contains "applicable, grade A" "$tmp/out.json" '"verdict":"applicable","grade":"A"'
expect_contains "same-day deadline" "$tmp/out.json" '"deadline":{"date":"2026-05-14","label_ja":"即日","label_en":"same day"}'
expect_contains "Exchange row matched" "$tmp/out.json" '"text_ja":"自組織で『Microsoft Exchange Server』を運用している","text_en":"We run Microsoft Exchange Server","matched":true,"asset":"exchange"'
expect_contains "energy row matched" "$tmp/out.json" '"text_ja":"自組織が『エネルギー・石油・ガス』に該当する","text_en":"We are in energy, oil and gas","matched":true'
expect_contains "owners" "$tmp/out.json" '"owners":["infra@example.co.jp"]'

# The same story forwarded from Gmail (an extract fixture): same verdict.
fwd="$data/mail/news_en_exchange_oilgas_silk_typhoon__v-gmail-inline-forward.eml"
if [ -f "$fwd" ]; then
  "$shirase" match -c "$tmp/concerned.conf" --now "$now" --json "$fwd" > "$tmp/fwd.json"
  expect_contains "forwarded article applicable" "$tmp/fwd.json" '"verdict":"applicable","grade":"A"'
  # The article names a North American victim: the sector in another
  # region is not a stated target, the row says so and does not hold.
  expect_contains "forwarded article target row" "$tmp/fwd.json" '"text_en":"We are in energy, oil and gas and operate in North America","matched":false'
fi

# 2. The same article, an organisation running neither → 静観.
cat > "$tmp/other.conf" <<'CONF'
[organization]
name = 株式会社ほか
sectors = retail

[asset web]
vendor = Apache
product = HTTP Server
version = 2.4.62
CONF
"$shirase" match -c "$tmp/other.conf" --now "$now" "$news" > "$tmp/out.txt"
expect_contains "summary says 静観" "$tmp/out.txt" "判定: 静観"
expect_contains "summary says 静観でOK" "$tmp/out.txt" "上記いずれにも該当しない → 静観でOK"
expect_contains "English summary" "$tmp/out.txt" "Verdict: not applicable — no action"

# 3. check-config: a good file passes, a bad one names file, line and key.
"$shirase" check-config -c "$tmp/concerned.conf" > "$tmp/cc.out" 2>&1
[ $? -eq 0 ] && ok "check-config: valid" || { fail "check-config valid"; cat "$tmp/cc.out"; }
printf '[organization]\nname = X\nsectors = enrgy\n[imapp]\n' > "$tmp/bad.conf"
"$shirase" check-config -c "$tmp/bad.conf" > "$tmp/cc.out" 2>&1
[ $? -eq 1 ] && ok "check-config: exit 1" || fail "check-config exit status"
expect_contains "check-config: sector" "$tmp/cc.out" "$tmp/bad.conf:3: [organization] sectors: unknown sector \"enrgy\""
expect_contains "check-config: group" "$tmp/cc.out" "$tmp/bad.conf:4: unknown group [imapp]"
"$shirase" match -c "$tmp/bad.conf" "$news" > "$tmp/m.out" 2>&1
[ $? -eq 1 ] && ok "match refuses a bad config" || fail "match with bad config"

# 4. assets import → assets_file → match a DSA by its source package.
printf 'libxml2:amd64\t2.12.7+dfsg+really2.9.14-2.1\tlibxml2\nlibxml2-utils\t2.12.7+dfsg+really2.9.14-2.1\tlibxml2\nrc-only\t\nbash\t5.2.37-2\n' > "$tmp/dpkg.txt"
"$shirase" assets import --format dpkg "$tmp/dpkg.txt" -o "$tmp/assets.conf" --owners ops@example.co.jp 2>/dev/null
[ $? -eq 0 ] && ok "assets import dpkg" || fail "assets import dpkg"
expect_contains "dpkg asset group" "$tmp/assets.conf" "[asset dpkg-libxml2-utils]"
expect_contains "dpkg scheme" "$tmp/assets.conf" "scheme=dpkg"
expect_contains "source package alias" "$tmp/assets.conf" "aliases=libxml2"
printf '[organization]\nname = X\nassets_file = assets.conf\n' > "$tmp/pkgs.conf"
"$shirase" check-config -c "$tmp/pkgs.conf" > "$tmp/cc.out" 2>&1
expect_contains "imported file checks" "$tmp/cc.out" "OK (3 assets)"
# Packages of unknown release: a Debian fix cannot be placed, so check.
"$shirase" match -c "$tmp/pkgs.conf" --now "$now" --json "$data/mail/dsa_5901_1_libxml2.eml" > "$tmp/dsa.json"
expect_contains "DSA to packages of unknown release" "$tmp/dsa.json" '"verdict":"check"'
expect_contains "DSA: says the release is missing" "$tmp/dsa.json" 'give the asset a platform'
# Imported from a Debian 13 host: compared with trixie's fix.
"$shirase" assets import --format dpkg --platform "Debian 13" "$tmp/dpkg.txt" -o "$tmp/assets.conf" --owners ops@example.co.jp 2>/dev/null
expect_contains "platform recorded" "$tmp/assets.conf" "platform=Debian 13"
"$shirase" match -c "$tmp/pkgs.conf" --now "$now" --json "$data/mail/dsa_5901_1_libxml2.eml" > "$tmp/dsa.json"
expect_contains "DSA applicable to the packages" "$tmp/dsa.json" '"verdict":"applicable"'
expect_contains "both binary packages" "$tmp/dsa.json" '"assets":["dpkg-libxml2","dpkg-libxml2-utils"]'
expect_contains "owners from import" "$tmp/dsa.json" '"owners":["ops@example.co.jp"]'

printf 'openssl 1:3.0.7-27.el9\nbash (none):5.1.8-9.el9\n' > "$tmp/rpm.txt"
"$shirase" assets import --format rpm "$tmp/rpm.txt" > "$tmp/rpm.conf" 2>/dev/null
expect_contains "rpm epoch kept" "$tmp/rpm.conf" "version=1:3.0.7-27.el9"
expect_contains "rpm (none) dropped" "$tmp/rpm.conf" "version=5.1.8-9.el9"

printf 'vendor,product,version,exposure,owners\nMicrosoft,"Exchange Server",15.2.1544.4,internet,infra@example.co.jp\n' > "$tmp/inv.csv"
"$shirase" assets import --format csv "$tmp/inv.csv" > "$tmp/csv.conf" 2>/dev/null
expect_contains "csv asset" "$tmp/csv.conf" "[asset exchange-server]"
expect_contains "csv exposure" "$tmp/csv.conf" "exposure=internet"
printf 'bash\tnot a version\n' > "$tmp/bad.txt"
"$shirase" assets import --format dpkg "$tmp/bad.txt" > /dev/null 2> "$tmp/err"
[ $? -eq 1 ] && ok "bad inventory refused" || fail "bad inventory status"
expect_contains "bad inventory line" "$tmp/err" "$tmp/bad.txt:1: \"not a version\" is not a version: contains spaces"

# check-config refuses what once refuses, with the same file, line and key:
# both load the configuration through one loader.
printf 'pw\n' > "$tmp/pw"; chmod 600 "$tmp/pw"
: > "$tmp/empty-pw"; chmod 600 "$tmp/empty-pw"
for case in "password_file = pw|oauth2_token_command = cat pw|7|[imap]: give exactly one of password_file" \
            "password_file = empty-pw||6|[imap] password_file $tmp/empty-pw: empty (its first line is the secret)" \
            "password_file = pw|security = none|7|[imap] security = none is allowed only towards a loopback address"; do
  IFS='|' read -r a b line message <<CASE
$case
CASE
  printf '[organization]\nname = X\n[imap]\nhost = imap.example.test\nuser = u\n%s\n%s\n' "$a" "$b" > "$tmp/rule.conf"
  "$shirase" check-config -c "$tmp/rule.conf" > "$tmp/cc.out" 2>&1; cc=$?
  "$shirase" once -c "$tmp/rule.conf" > "$tmp/once.out" 2>&1; once=$?
  if [ $cc = 1 ] && [ $once = 1 ] && grep -qF "$tmp/rule.conf:$line: $message" "$tmp/cc.out" \
     && grep -qF "$tmp/rule.conf:$line: $message" "$tmp/once.out"; then
    ok "check-config and once agree: line $line: $message"
  else
    fail "check-config ($cc) and once ($once) on: $message"; cat "$tmp/cc.out" "$tmp/once.out"
  fi
done

# An organisation's profile judges mail whatever its mail groups say: match
# and render take a file whose [approval] has no [smtp] to send by, which
# check-config and once refuse.
printf '[organization]\nname = X\nsectors = energy\n[approval]\napprovers = a@example.test\n' > "$tmp/judge.conf"
"$shirase" check-config -c "$tmp/judge.conf" > "$tmp/cc.out" 2>&1 && fail "check-config took [approval] without [smtp]" \
  || ok "check-config: [approval] without [smtp] refused"
if "$shirase" match -c "$tmp/judge.conf" "$news" > "$tmp/judge.out" 2>&1; then
  ok "match: a profile without [smtp] judges"
else
  fail "match refused a profile for its mail groups"; cat "$tmp/judge.out"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
exit 0
