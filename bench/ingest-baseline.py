#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ingest-baseline.py HOST PORT CA_FILE USER PASSWORD DB — what a user would
script instead of shirase: imaplib (STARTTLS, certificate verified), every
message of INBOX fetched in batches of 200 (BODY.PEEK[]), parsed with the
email package, CVE ids found with a regex over the decoded text parts, one
row per message in sqlite3 (one commit at the end: the most favourable for
it). It does far less than shirase: no forwards unwrapped, no record, no
correlation, no match, no draft, no move. Prints the message count last."""
import email, email.policy, imaplib, re, sqlite3, ssl, sys

host, port, ca, user, pw, dbpath = sys.argv[1:7]
CVE = re.compile(r"CVE-\d{4}-\d{4,7}", re.I)
db = sqlite3.connect(dbpath)
db.execute("CREATE TABLE IF NOT EXISTS seen (message_id TEXT, subject TEXT, cves TEXT)")
ctx = ssl.create_default_context(cafile=ca)
imap = imaplib.IMAP4(host, int(port))
imap.starttls(ctx)
imap.login(user, pw)
imap.select("INBOX")
typ, data = imap.uid("SEARCH", None, "ALL")
uids = data[0].split()
count = 0
for i in range(0, len(uids), 200):
    chunk = b",".join(uids[i:i + 200])
    typ, data = imap.uid("FETCH", chunk, "(BODY.PEEK[])")
    for item in data:
        if not isinstance(item, tuple):
            continue
        msg = email.message_from_bytes(item[1], policy=email.policy.default)
        text = []
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                try:
                    text.append(part.get_content())
                except Exception:
                    pass
        cves = sorted(set(c.upper() for c in CVE.findall("\n".join(text))))
        db.execute("INSERT INTO seen VALUES (?, ?, ?)", (msg.get("Message-ID"), str(msg.get("Subject")), ",".join(cves)))
        count += 1
db.commit()
imap.logout()
print(count)
