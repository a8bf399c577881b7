#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The CLI end to end: `shirase --help/--version`, and `shirase extract` on
# good and bad inputs, from files and from standard input, as text and JSON.
set -u

top_build=${SHR_TOP_BUILDDIR:-.}
top_src=${SHR_TOP_SRCDIR:-.}
shirase=$top_build/shirase
mail=$top_src/tests/data/mail
good=$mail/dsa_5901_1_libxml2.eml
good2=$mail/jvn_12345678.eml

if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: skipping"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail ()
{
  echo "FAIL: $*"
  failures=$((failures + 1))
}

ok ()
{
  echo "ok: $*"
}

# Asserts that file $1 contains the fixed string $2.
contains ()
{
  if grep -F -q -e "$2" "$1"; then
    ok "$3"
  else
    fail "$3: '$2' not in $1:"
    sed 's/^/    /' "$1"
  fi
}

# Runs shirase with the arguments; stdout, stderr and status land in $tmp.
run ()
{
  "$shirase" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  echo $? >"$tmp/status"
}

status_is ()
{
  got=$(cat "$tmp/status")
  if [ "$got" = "$1" ]; then
    ok "$2: exit $1"
  else
    fail "$2: exit status $got, expected $1"
    sed 's/^/    err: /' "$tmp/err"
  fi
}

json_lines ()
{
  # Every line of $1 is one JSON object; prints how many.
  python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    assert isinstance(json.loads(line), dict)
    n += 1
print(n)' "$1"
}

# ---- --help, --version ------------------------------------------------------
run --help
status_is 0 "--help"
contains "$tmp/out" "extract" "--help lists the extract verb"

run --version
status_is 0 "--version"
if grep -E -q '^shirase [0-9]+\.[0-9]+' "$tmp/out"; then
  ok "--version prints 'shirase X.Y'"
else
  fail "--version printed: $(cat "$tmp/out")"
fi

run extract --help
status_is 0 "extract --help"
contains "$tmp/out" "--json" "extract --help shows --json"

run extract
status_is 2 "extract without a file"

# ---- good and bad files mixed ---------------------------------------------
: >"$tmp/empty.eml"
printf '\377\330\377\340\000\020JFIF\000\001' >"$tmp/photo.jpg"
printf 'Dear all,\nplease patch.\n' >"$tmp/prose.txt"

run extract "$tmp/empty.eml" "$good" "$tmp/photo.jpg" "$tmp/missing.eml"
status_is 1 "extract with bad files"
contains "$tmp/err" "$tmp/empty.eml" "the empty file is named"
contains "$tmp/err" "empty" "the reason for the empty file is given"
contains "$tmp/err" "$tmp/photo.jpg" "the JPEG is named"
contains "$tmp/err" "not a mail" "the reason for the JPEG is given"
contains "$tmp/err" "$tmp/missing.eml" "the missing file is named"
contains "$tmp/out" "DSA-5901-1" "the good file's record is still printed"
if grep -F -q "$tmp/photo.jpg" "$tmp/out"; then
  fail "a bad file appears on standard output"
else
  ok "bad files only on standard error"
fi

run extract --json "$tmp/prose.txt" "$good"
status_is 1 "extract --json with a bad file"
contains "$tmp/err" "$tmp/prose.txt" "the prose file is named"
n=$(json_lines "$tmp/out")
[ "$n" = 1 ] && ok "one JSON record for one good file" || fail "JSON records: $n, expected 1"

# ---- only good files --------------------------------------------------------
run extract "$good"
status_is 0 "extract one good file"
contains "$tmp/out" "DSA-5901-1" "the summary names the advisory"

run extract --json "$good" "$good2"
status_is 0 "extract --json two files"
n=$(json_lines "$tmp/out")
[ "$n" = 2 ] && ok "two JSON objects, one per line" || fail "JSON lines: $n, expected 2"
contains "$tmp/out" '"advisory_id":"DSA-5901-1"' "first record is the DSA"

# ---- standard input -----------------------------------------------------------
"$shirase" extract --json - <"$good" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/status"
status_is 0 "extract --json - (stdin)"
n=$(json_lines "$tmp/out")
[ "$n" = 1 ] && ok "one JSON object from stdin" || fail "JSON lines from stdin: $n"
contains "$tmp/out" "DSA-5901-1" "stdin record is the DSA"

"$shirase" extract - <"$tmp/empty.eml" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/status"
status_is 1 "extract - with empty stdin"
contains "$tmp/err" "stdin" "the error names standard input"

# ---- no build-tree fallback -----------------------------------------------------
# Without SHIRASE_DATADIR a binary reads only the installed word lists:
# where none are installed it says so, instead of reading a build tree's.
installed=$(env -u SHIRASE_DATADIR "$shirase" extract "$good" 2>&1 >/dev/null | sed -n 's/.*Failed to open file .\(.*\)products.tsv.*/\1/p')
if [ -n "$installed" ]; then
  ok "without SHIRASE_DATADIR the installed data dir is read: $installed"
  case "$installed" in
    "$top_src"*|"$top_build"*) fail "the default data dir is in the build tree: $installed" ;;
  esac
elif env -u SHIRASE_DATADIR "$shirase" extract "$good" >/dev/null 2>&1; then
  ok "installed word lists found (an installed shirase)"
else
  fail "without SHIRASE_DATADIR: $(env -u SHIRASE_DATADIR "$shirase" extract "$good" 2>&1 | head -2)"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
exit 0
