#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages as an administrator reads them: shirase(1) and
# shirase.conf(5) render with man -l without a warning, in a UTF-8 locale
# and in the C locale (cron, a minimal system); shirase(1) has an entry for
# every command `shirase --help` lists, and its EXIT STATUS, ENVIRONMENT,
# FILES and EXAMPLES sections. (Every configuration key is checked against
# shirase.conf(5) by tests/test-config /config/documented.)
set -u
top_builddir=${SHR_TOP_BUILDDIR:-.}
command -v man >/dev/null || { echo "SKIP: man (man-db) is not installed"; exit 77; }
failures=0
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-man.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

for page in man/shirase.1 man/shirase.conf.5; do
  [ -s "$top_builddir/$page" ] || { fail "$page not built"; continue; }
  for locale in C.UTF-8 C; do
    env -i PATH="$PATH" LC_ALL=$locale MANWIDTH=80 man --warnings -l "$top_builddir/$page" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc = 0 ] && [ ! -s "$tmp/err" ] && [ "$(wc -l < "$tmp/out")" -gt 50 ]; then
      ok "$page renders without a warning (LC_ALL=$locale, $(wc -l < "$tmp/out") lines)"
    else
      fail "$page (LC_ALL=$locale): exit $rc, $(wc -l < "$tmp/out") lines"
      cat "$tmp/err"
    fi
  done
done

env -i PATH="$PATH" LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$top_builddir/man/shirase.1" > "$tmp/shirase.1.txt" 2>/dev/null
verbs=$("$top_builddir/shirase" --help | sed -n 's/^  \([a-z-]*\)  .*/\1/p')
[ -n "$verbs" ] || fail "shirase --help lists no command"
for verb in $verbs; do
  grep -q "^       $verb\( \|$\)" "$tmp/shirase.1.txt" || fail "shirase(1) has no entry for '$verb'"
done
ok "shirase(1) describes every command: $(echo $verbs)"
for section in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
  grep -q "^$section$" "$tmp/shirase.1.txt" || fail "shirase(1) has no $section section"
done
grep -q "^CONFIG\|^SEE ALSO" "$tmp/shirase.1.txt" && grep -q "shirase.conf(5)" "$tmp/shirase.1.txt" || fail "shirase(1) does not name shirase.conf(5)"
# What the unit's Documentation= names is what make installs.
grep -q "^Documentation=man:shirase(1) man:shirase.conf(5)$" "$top_builddir/config/shirase.service" \
  && ok "the unit's Documentation= names both pages" || fail "Documentation= in the unit"

[ "$failures" -eq 0 ]
