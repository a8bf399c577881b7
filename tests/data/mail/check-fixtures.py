#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sanity check of the fixtures themselves, independent of shirase: every
NAME.eml parses with Python's email package, and the CVE ids found in its
decoded subject and text parts (message/rfc822 attachments included, HTML
<script>/<style> excluded) equal NAME.expect.json "cves", and every
"references_include" URL occurs in the decoded text.  Usage:
    python3 tests/data/mail/check-fixtures.py [DIR]"""
import email
import glob
import json
import os
import re
import sys
from email import policy


def texts_of(msg, out):
    out.append(str(msg["Subject"] or ""))

    def walk(p):
        if p.get_content_type() == "message/rfc822":
            texts_of(p.get_payload()[0], out)
        elif p.is_multipart():
            for q in p.iter_parts():
                walk(q)
        elif p.get_content_maintype() == "text":
            t = p.get_content()
            if p.get_content_subtype() == "html":
                t = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", t)
            out.append(t)
    walk(msg)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = sorted(glob.glob(os.path.join(d, "*.eml")))
    bad = 0
    for f in files:
        with open(f, "rb") as fh:
            msg = email.message_from_bytes(fh.read(), policy=policy.default)
        texts = []
        texts_of(msg, texts)
        text = "\n".join(texts)
        cves = sorted(set(re.findall(r"CVE-\d{4}-\d{4,}", text)))
        with open(f[:-4] + ".expect.json", encoding="utf-8") as fh:
            e = json.load(fh)
        missing = [r for r in e.get("references_include", []) if r not in text]
        if cves != sorted(e["cves"]) or missing:
            bad += 1
            print("MISMATCH %s: found %s expected %s; references missing %s"
                  % (os.path.basename(f), cves, e["cves"], missing))
    print("%d fixtures, %d mismatches" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
