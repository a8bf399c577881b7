#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""extract-baseline — the same mails through Python's email package.

Usage: bench/extract-baseline.py [--seconds N] [DIR]

What a Python mail collector (IntelMQ's mail collectors and similar) does
per message: email.message_from_bytes(policy=default), walk the parts,
get_content() of every text part, and a CVE regex over subject and text.
Loads every DIR/*.eml (default ../shared/corpus) into memory, then runs
over the set for N seconds (default 3) on one thread; prints the same
key=value line as extract-bench:
    baseline messages=M bytes=B seconds=S msgs_per_s=X mb_per_s=Y
"""
import argparse
import email
import email.policy
import os
import re
import sys
import time

CVE = re.compile(r"\bCVE-\d{4}-\d{4,7}\b")


def extract(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    cves = set(CVE.findall(str(msg.get("subject", ""))))
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            text = part.get_content()
        except (LookupError, UnicodeError, AssertionError):
            text = part.get_payload(decode=True).decode("utf-8", "replace")
        cves.update(CVE.findall(text))
    return sorted(cves)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("dir", nargs="?", default="../shared/corpus")
    args = ap.parse_args()
    names = sorted(n for n in os.listdir(args.dir) if n.endswith(".eml"))
    if not names:
        print(f"extract-baseline: no .eml file in {args.dir}", file=sys.stderr)
        return 1
    mails = []
    for n in names:
        with open(os.path.join(args.dir, n), "rb") as f:
            mails.append(f.read())
    for raw in mails:  # untimed warm-up pass, as in extract-bench
        extract(raw)
    messages = nbytes = 0
    start = now = time.monotonic()
    deadline = start + args.seconds
    while now < deadline:
        for raw in mails:
            extract(raw)
            messages += 1
            nbytes += len(raw)
        now = time.monotonic()
    elapsed = now - start
    print(f"baseline messages={messages} bytes={nbytes} files={len(mails)} "
          f"seconds={elapsed:.3f} msgs_per_s={messages / elapsed:.1f} "
          f"mb_per_s={nbytes / elapsed / 1e6:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
