#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the official Mustache spec (../shared/spec/mustache beside the
# checkout) through tests/mustache-spec; skipped (77) when it is absent.
spec="${SHR_TOP_SRCDIR:-.}/../shared/spec/mustache"
if [ ! -d "$spec" ]; then
  echo "SKIP: $spec not found"
  exit 77
fi
exec "${SHR_TOP_BUILDDIR:-.}/tests/mustache-spec" "$spec"
