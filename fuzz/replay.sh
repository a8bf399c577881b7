#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check: the fuzz target over every fixture mail and every input the
# fuzzer once crashed on (fuzz/corpus/), so a fixed crash stays fixed.
exec "$SHR_TOP_BUILDDIR/fuzz/fuzz-standalone" "$SHR_TOP_SRCDIR/tests/data/mail" "$SHR_TOP_SRCDIR/fuzz/corpus"
