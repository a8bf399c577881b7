#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Machine-readable output in any locale: under `env -i` (the C locale of
# cron or a minimal unit) extract --json, match --json and status --json
# write UTF-8 with the Japanese intact, carry their "schema", and write
# times in RFC 3339.
set -u
top_srcdir=${SHR_TOP_SRCDIR:-$(dirname "$0")/..}
top_builddir=${SHR_TOP_BUILDDIR:-.}
shirase=$(cd "$top_builddir" && pwd)/shirase
datadir=${SHIRASE_DATADIR:-$top_srcdir/data}
datadir=$(cd "$datadir" && pwd)
mail=$(cd "$top_srcdir/tests/data/mail" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-json.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }
run () { env -i SHIRASE_DATADIR="$datadir" "$shirase" "$@"; }

cat > "$tmp/org.conf" <<CONF
[organization]
name = 株式会社サンプル
sectors = energy
regions = JP
timezone = Asia/Tokyo

[asset exchange]
vendor = Microsoft
product = Exchange Server
exposure = internet

[state]
dir = $tmp/state
CONF

# A Japanese advisory (JVN, ISO-2022-JP on the wire) and an English one.
run extract --json "$mail/jvn_12345678.eml" > "$tmp/extract.json" || fail "extract --json under env -i"
run match -c "$tmp/org.conf" --now 2026-03-16T10:00:00+09:00 --json "$top_srcdir/config/demo/mail/01-news-exchange-campaign.eml" \
  > "$tmp/match.json" || fail "match --json under env -i"
run status -c "$tmp/org.conf" --json > "$tmp/status.json"
[ $? = 2 ] || fail "status --json under env -i: exit status (no state yet: 2)"
grep -q '?' "$tmp/match.json" && grep -q '"label_ja":"??' "$tmp/match.json" && fail "match: Japanese replaced by '?'"

python3 - "$tmp" <<'PY' && ok "Japanese intact, schema keys, RFC 3339 dates" || fail "JSON under env -i"
import json, re, sys
d = sys.argv[1]
def load(name):
    raw = open(f"{d}/{name}", "rb").read()
    return json.loads(raw.decode("utf-8"))  # strict: raises on bytes that are not UTF-8
rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
e = load("extract.json")
assert e["schema"] == "shirase.record/1", e.get("schema")
assert "脆弱性" in e["title"], e["title"]
assert rfc3339.match(e["received"]["date"]), e["received"]["date"]
assert e["received"]["date"] == "2026-03-03T12:00:00+09:00", e["received"]["date"]
m = load("match.json")
assert m["schema"] == "shirase.match/1", m.get("schema")
assert m["record"]["schema"] == "shirase.record/1"
labels = {"A": ("緊急", "即日"), "B": ("高", "今週中"), "C": ("中", "今月中")}
assert m["grade"] in labels, m["grade"]  # Exchange + energy: never 静観
assert m["priority"]["label_ja"] == labels[m["grade"]][0], m["priority"]
assert m["deadline"]["label_ja"] == labels[m["grade"]][1], m["deadline"]
assert any("『Microsoft Exchange Server』" in c["text_ja"] for c in m["checklist"]), m["checklist"]
assert rfc3339.match(m["record"]["received"]["date"]), m["record"]["received"]["date"]
s = load("status.json")
assert s["schema"] == "shirase.status/1" and s["health"] == "critical", s
PY

# The text output too: the summary keeps its Japanese in the C locale.
run match -c "$tmp/org.conf" --now 2026-03-16T10:00:00+09:00 "$top_srcdir/config/demo/mail/01-news-exchange-campaign.eml" > "$tmp/match.txt"
grep -q "^判定: .*優先度 [ABC] \(即日\|今週中\|今月中\)" "$tmp/match.txt" && grep -qF "『Microsoft Exchange Server』" "$tmp/match.txt" && ok "text summary in Japanese under env -i" || { fail "text summary"; cat "$tmp/match.txt"; }

[ "$failures" -eq 0 ]
