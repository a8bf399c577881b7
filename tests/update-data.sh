#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# data/update-data regenerates the generated word lists of data/ from the
# public datasets and iso-codes: the committed files are exactly what it
# writes, and a second run changes nothing. Skipped (77) where the datasets
# or iso-codes are not installed (a CI machine without ../shared).
set -eu
top=${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
datasets=${SHR_DATASETS:-$top/../shared/datasets}
if [ ! -f "$datasets/kev/known_exploited_vulnerabilities.json" ] || [ ! -d "$datasets/misp-galaxy" ]; then
  echo "update-data.sh: no datasets at $datasets; skipped"
  exit 77
fi
if [ ! -f /usr/share/iso-codes/json/iso_3166-1.json ]; then
  echo "update-data.sh: iso-codes is not installed; skipped"
  exit 77
fi
command -v python3 >/dev/null || { echo "update-data.sh: no python3; skipped"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$top/data" "$work/data"
chmod -R u+w "$work/data"

# The committed files are the script's output …
python3 "$work/data/update-data" "$datasets" > "$work/first.log"
for f in actors.tsv regions.tsv sectors.tsv products-kev.tsv; do
  if ! cmp -s "$top/data/$f" "$work/data/$f"; then
    echo "update-data.sh: data/$f differs from what data/update-data writes:"
    diff -u "$top/data/$f" "$work/data/$f" | head -20
    exit 1
  fi
done
# … and running it again changes nothing.
python3 "$work/data/update-data" --check "$datasets"
echo "update-data.sh: data/ is what data/update-data writes, and a second run changes nothing"
