#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check: every fuzz target over its seeds and every input a fuzzer
# once crashed on, so a fixed crash stays fixed (fuzz/run-fuzz fuzzes them).
set -e
b=$SHR_TOP_BUILDDIR/fuzz
s=$SHR_TOP_SRCDIR
"$b/fuzz-standalone" "$s/tests/data/mail" "$s/fuzz/corpus" "$s/fuzz/seeds/inbound"
"$b/replay-inbound" "$s/fuzz/seeds/inbound" "$s/tests/data/mail" "$s/tests/data/replies" "$s/fuzz/corpus"
"$b/replay-command" "$s/fuzz/seeds/command" "$s/tests/data/replies"
"$b/replay-auth-results" "$s/fuzz/seeds/auth-results"
"$b/replay-config" "$s/fuzz/seeds/config"
