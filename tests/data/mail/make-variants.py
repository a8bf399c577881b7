#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Regenerate the encoded and forwarded fixture mails from the base fixtures.

The base mails (NAME.eml with a hand-written NAME.expect.json) are plain
UTF-8 or ASCII text/plain messages written in the shape of the real
formats.  This script derives the variants the reader must cope with —
other charsets and transfer encodings, HTML-only newsletters,
multipart/alternative, and every forward style listed in issue 2 — and
writes NAME__v-VARIANT.eml plus an expect.json copied from the base with
`variant`, `variant_of` and `forwarded_by` filled in.

Base mails whose real form is not UTF-8 are kept as UTF-8 sources under
src/ and transcoded here (the JPCERT/CC alert, sent as ISO-2022-JP).

Run it from anywhere: python3 tests/data/mail/make-variants.py
The output is deterministic (fixed boundaries, dates and ids), so a re-run
on an unchanged tree leaves git clean.  Standard library only.
"""

import base64
import datetime
import email
import email.utils
import html
import json
import os
import quopri
import re
from email import policy

HERE = os.path.dirname(os.path.abspath(__file__))
WATCH = "Security Watch <secwatch@example.invalid>"


# ---- reading the bases ---------------------------------------------------

class Base:
    def __init__(self, name, path=None):
        self.name = name
        path = path or os.path.join(HERE, name + ".eml")
        with open(path, "rb") as f:
            self.raw = f.read()
        msg = email.message_from_bytes(self.raw, policy=policy.default)
        self.msg = msg
        self.subject = str(msg["Subject"])
        self.from_ = str(msg["From"])
        self.from_name, self.from_addr = email.utils.parseaddr(self.from_)
        self.to = str(msg["To"])
        self.date = str(msg["Date"])
        self.dt = email.utils.parsedate_to_datetime(self.date)
        self.message_id = str(msg["Message-ID"])
        self.list_id = msg["List-Id"]
        self.body = msg.get_content()
        if not self.body.endswith("\n"):
            self.body += "\n"

    def expect(self):
        with open(os.path.join(HERE, self.name + ".expect.json"), encoding="utf-8") as f:
            return json.load(f)


# ---- encoding helpers ----------------------------------------------------

PYCODEC = {"ISO-2022-JP": "iso2022_jp", "Shift_JIS": "shift_jis",
           "EUC-JP": "euc_jp", "UTF-8": "utf-8", "ISO-8859-1": "latin-1",
           "us-ascii": "ascii"}


def is_ascii(s):
    return all(ord(c) < 128 for c in s)


def ew(text, charset="UTF-8"):
    """RFC 2047 B encoded words, each at most 75 characters, never splitting a
    character; folded with newline + space.  ASCII text is returned as is."""
    if is_ascii(text):
        return text

    def word(s):
        b = s.encode(PYCODEC[charset])
        return "=?%s?B?%s?=" % (charset, base64.b64encode(b).decode())

    words, cur = [], ""
    for c in text:
        if cur and len(word(cur + c)) > 75:
            words.append(word(cur))
            cur = ""
        cur += c
    words.append(word(cur))
    return "\n ".join(words)


def q_word(text, charset="ISO-8859-1"):
    """One RFC 2047 Q encoded word."""
    out = []
    for byte in text.encode(PYCODEC[charset]):
        c = chr(byte)
        if c == " ":
            out.append("_")
        elif c.isalnum() and byte < 128:
            out.append(c)
        else:
            out.append("=%02X" % byte)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def addr(name, address, charset="UTF-8"):
    if not name:
        return address
    if is_ascii(name):
        if re.search(r'[(),.:;<>@\[\]"]', name):
            name = '"%s"' % name
        return "%s <%s>" % (name, address)
    return "%s <%s>" % (ew(name, charset), address)


def encode_body(text, charset, cte):
    data = text.encode(PYCODEC[charset])
    if cte == "base64":
        return base64.encodebytes(data)
    if cte == "quoted-printable":
        return quopri.encodestring(data)
    return data


def mail(headers, body_bytes):
    """headers: list of (name, value) with value already encoded (str)."""
    head = "".join("%s: %s\n" % (k, v) for k, v in headers if v is not None)
    return head.encode("ascii") + b"\n" + body_bytes


def leaf_headers(charset, cte, subtype="plain", extra=""):
    return [("Content-Type", 'text/%s; charset="%s"%s' % (subtype, charset, extra)),
            ("Content-Transfer-Encoding", cte)]


def part(charset, cte, text, subtype="plain"):
    return mail(leaf_headers(charset, cte, subtype), encode_body(text, charset, cte))


def multipart(subtype, boundary, parts):
    out = [b"This is a multi-part message in MIME format.\n"]
    for p in parts:
        out.append(b"\n--" + boundary.encode() + b"\n" + p)
        if not p.endswith(b"\n"):
            out.append(b"\n")
    out.append(b"\n--" + boundary.encode() + b"--\n")
    return b"".join(out)


def top_headers(b, frm, to, subject, date, msgid, charset="UTF-8", list_id=True):
    return [("From", frm), ("To", to), ("Subject", ew(subject, charset)),
            ("Date", date), ("Message-ID", msgid),
            ("List-Id", b.list_id if list_id else None),
            ("MIME-Version", "1.0")]


def write(name, data, expect):
    with open(os.path.join(HERE, name + ".eml"), "wb") as f:
        f.write(data)
    if expect is not None:
        with open(os.path.join(HERE, name + ".expect.json"), "w", encoding="utf-8") as f:
            json.dump(expect, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(name)


def variant_expect(b, variant, forwarded_by=None):
    e = b.expect()
    e["forwarded_by"] = forwarded_by
    e["variant"] = variant
    e["variant_of"] = b.name
    return e


# ---- HTML ----------------------------------------------------------------

URL_RE = re.compile(r"https?://[^\s<>]+")


def to_html(b, entities=False, traps=True, link_text=None):
    """A newsletter-style HTML rendering of the base text.  With traps, a
    <style> and a <script> whose contents must never reach the record, and
    &nbsp; / &amp; / numeric entities that must be decoded."""
    def esc(s):
        s = html.escape(s, quote=False)
        if entities:
            s = "".join(c if ord(c) < 128 else "&#x%X;" % ord(c) for c in s)
        return s

    paras = re.split(r"\n\s*\n", b.body.strip("\n"))
    out = []
    for p in paras:
        lines = []
        for line in p.split("\n"):
            m = URL_RE.fullmatch(line.strip())
            if m:
                url = m.group(0)
                text = link_text.get(url, url) if link_text else url
                lines.append('<a href="%s" style="color:#005ea2">%s</a>'
                             % (html.escape(url), esc(text)))
            else:
                lines.append(esc(line).replace("  ", "&nbsp; "))
        out.append('<p style="margin:0 0 12px 0">%s</p>' % "<br>\n".join(lines))
    head = ['<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
            "<title>%s</title>" % esc(b.subject)]
    if traps:
        head.append("<style type=\"text/css\">\n"
                    "/* STYLE-TEXT-MUST-NOT-APPEAR */\n"
                    "body{margin:0;padding:0;background:#f2f2f2}\n"
                    "p{font-family:Arial,Helvetica,sans-serif;font-size:14px}\n"
                    "</style>")
        head.append("<script type=\"text/javascript\">\n"
                    "var SCRIPT_TEXT_MUST_NOT_APPEAR = \"<p>tracking</p>\";\n"
                    "</script>")
    foot = ""
    if traps:
        foot = ('<p style="font-size:11px;color:#71767a">Manage&nbsp;Subscriptions '
                '&amp; Preferences&nbsp;|&nbsp;<a href="https://public.govdelivery.example.com/'
                'unsubscribe">Unsubscribe</a></p>\n')
    return ("<!DOCTYPE html>\n<html><head>\n%s\n</head>\n"
            '<body>\n<table width="100%%" cellpadding="0" cellspacing="0" border="0">'
            '<tr><td align="center">\n<table width="640" cellpadding="20"><tr><td>\n'
            "%s\n%s</td></tr></table>\n</td></tr></table>\n</body></html>\n"
            % ("\n".join(head), "\n".join(out), foot))


# ---- variants: encodings -------------------------------------------------

def recode(b, out_name, charset, cte, variant=None, from_q=False, body=None,
           mailer=None):
    frm = (q_word(b.from_name, charset) + " <%s>" % b.from_addr) if from_q \
        else addr(b.from_name, b.from_addr, charset)
    h = top_headers(b, frm, b.to, b.subject, b.date, b.message_id, charset)
    if mailer:
        h.append(("X-Mailer", mailer))
    h += leaf_headers(charset, cte)
    data = mail(h, encode_body(body or b.body, charset, cte))
    write(out_name, data, variant_expect(b, variant) if variant else None)


def html_only(b, entities=False, link_text=None):
    h = top_headers(b, addr(b.from_name, b.from_addr), b.to, b.subject, b.date,
                    b.message_id)
    h += leaf_headers("UTF-8", "quoted-printable", "html")
    data = mail(h, encode_body(to_html(b, entities, True, link_text), "UTF-8",
                               "quoted-printable"))
    write(b.name + "__v-html-only", data, variant_expect(b, "html-only"))


def alternative(b):
    bnd = "b1_alt_" + re.sub(r"[^a-z0-9]", "", b.name)[:20]
    h = top_headers(b, addr(b.from_name, b.from_addr), b.to, b.subject, b.date,
                    b.message_id)
    h.append(("Content-Type", 'multipart/alternative; boundary="%s"' % bnd))
    body = multipart("alternative", bnd, [
        part("UTF-8", "quoted-printable", b.body),
        part("UTF-8", "quoted-printable", to_html(b, traps=False), "html")])
    write(b.name + "__v-multipart-alternative", mail(h, body),
          variant_expect(b, "multipart-alternative"))


# ---- variants: forwards --------------------------------------------------

def en_long(dt):   # Tuesday, March 10, 2026 5:00 PM
    return dt.strftime("%A, %B ") + str(dt.day) + dt.strftime(", %Y ") + \
        str((dt.hour % 12) or 12) + dt.strftime(":%M %p")


def gmail_date(dt):  # Tue, Mar 10, 2026 at 5:00 PM
    return dt.strftime("%a, %b ") + str(dt.day) + dt.strftime(", %Y at ") + \
        str((dt.hour % 12) or 12) + dt.strftime(":%M %p")


def fwd_date(b, hours_later=20):
    return email.utils.format_datetime(
        (b.dt + datetime.timedelta(hours=hours_later)).astimezone(datetime.timezone.utc))


def forward_inline(b, variant, who, subject_prefix, note, block, charset="UTF-8",
                   cte="8bit", html_too=False, headers_extra=()):
    name, address = who
    text = note + "\n\n" + block + "\n" + b.body
    h = [("From", addr(name, address, charset)), ("To", WATCH),
         ("Subject", ew(subject_prefix + b.subject, charset)),
         ("Date", fwd_date(b)),
         ("Message-ID", "<fwd.%s@example.invalid>" % re.sub(r"[^a-z0-9]", "", variant + b.name)[:40])]
    h += list(headers_extra)
    h.append(("MIME-Version", "1.0"))
    if html_too:
        bnd = "000000000000a1b2c3" + "%06d" % (sum(map(ord, b.name)) % 1000000)
        h.append(("Content-Type", 'multipart/alternative; boundary="%s"' % bnd))
        gm = ('<div dir="ltr">%s<br><br><div class="gmail_quote"><div dir="ltr" '
              'class="gmail_attr">%s</div><br><br>%s</div></div>\n'
              % (html.escape(note), "<br>".join(html.escape(l) for l in block.strip("\n").split("\n")),
                 "<br>\n".join(html.escape(l) for l in b.body.split("\n"))))
        body = multipart("alternative", bnd, [part(charset, cte, text),
                                              part(charset, cte, gm, "html")])
    else:
        if cte == "8bit" and is_ascii(text):
            cte = "7bit"
        h += leaf_headers(charset, cte)
        body = encode_body(text, charset, cte)
    write(b.name + "__v-" + variant, mail(h, body), variant_expect(b, variant, address))


def gmail(b, who, note):
    block = ("---------- Forwarded message ---------\n"
             "From: %s\nDate: %s\nSubject: %s\nTo: <%s>\n"
             % (addr(b.from_name, b.from_addr), gmail_date(b.dt), b.subject,
                email.utils.parseaddr(b.to)[1]))
    forward_inline(b, "gmail-inline-forward", who, "Fwd: ", note, block,
                   cte="quoted-printable", html_too=True)


def outlook_original(b, who, note):
    block = ("-----Original Message-----\nFrom: %s\nSent: %s\nTo: %s\nSubject: %s\n"
             % (addr(b.from_name, b.from_addr), en_long(b.dt), b.to, b.subject))
    forward_inline(b, "outlook-original-message-forward", who, "FW: ", note, block,
                   cte="quoted-printable",
                   headers_extra=[("Thread-Topic", b.subject),
                                  ("X-Mailer", "Microsoft Outlook 16.0")])


def outlook_from_sent(b, who, note):
    block = ("________________________________\nFrom: %s\nSent: %s\nTo: %s\nSubject: %s\n"
             % (addr(b.from_name, b.from_addr), en_long(b.dt), b.to, b.subject))
    forward_inline(b, "outlook-from-sent-forward", who, "FW: ", note, block,
                   cte="quoted-printable",
                   headers_extra=[("Thread-Topic", b.subject),
                                  ("Accept-Language", "en-US")])


def outlook_ja(b, who, note):
    dt = b.dt
    wd = "月火水木金土日"[dt.weekday()]
    block = ("________________________________\n差出人: %s\n送信日時: %d年%d月%d日 "
             "(%s) %d:%02d\n宛先: %s\n件名: %s\n"
             % (addr(b.from_name, b.from_addr), dt.year, dt.month, dt.day, wd,
                dt.hour, dt.minute, b.to, b.subject))
    forward_inline(b, "outlook-ja-forward", who, "FW: ", note, block,
                   cte="base64",
                   headers_extra=[("Thread-Topic", ew(b.subject)),
                                  ("Accept-Language", "ja-JP"),
                                  ("Content-Language", "ja-JP")])


def thunderbird_en(b, who, note):
    block = ("-------- Forwarded Message --------\nSubject: \t%s\nDate: \t%s\n"
             "From: \t%s\nTo: \t%s\n"
             % (b.subject, b.date, addr(b.from_name, b.from_addr), b.to))
    forward_inline(b, "thunderbird-inline-forward", who, "Fwd: ", note, block,
                   cte="7bit" if is_ascii(b.body + note) else "8bit",
                   headers_extra=[("User-Agent", "Mozilla Thunderbird")])


def thunderbird_ja(b, who, note):
    block = ("-------- 転送メッセージ --------\n件名: \t%s\n日付: \t%s\n"
             "差出人: \t%s\n宛先: \t%s\n"
             % (b.subject, b.date, addr(b.from_name, b.from_addr), b.to))
    forward_inline(b, "thunderbird-ja-inline-forward", who, "Fwd: ", note, block,
                   headers_extra=[("User-Agent", "Mozilla Thunderbird"),
                                  ("Content-Language", "ja")])


def apple(b, who, note):
    dt = b.dt
    block = ("Begin forwarded message:\n\nFrom: %s\nSubject: %s\nDate: %s at %s\n"
             "To: %s\n"
             % (addr(b.from_name, b.from_addr), b.subject,
                dt.strftime("%B ") + str(dt.day) + dt.strftime(", %Y"),
                str((dt.hour % 12) or 12) + dt.strftime(":%M:%S %p GMT"), b.to))
    forward_inline(b, "apple-mail-forward", who, "Fwd: ", note, block,
                   headers_extra=[("X-Mailer", "Apple Mail (2.3826.400.131.1.6)")])


def quoted_reply(b, who, note):
    name, address = who
    quoted = "".join(("> " + l if l else ">") + "\n" for l in b.body.rstrip("\n").split("\n"))
    text = "%s\n\nOn %s, %s wrote:\n%s" % (note, gmail_date(b.dt),
                                          addr(b.from_name, b.from_addr), quoted)
    h = [("From", addr(name, address)), ("To", WATCH),
         ("Subject", ew("Re: " + b.subject)), ("Date", fwd_date(b, 2)),
         ("Message-ID", "<reply.%s@example.invalid>" % b.name),
         ("In-Reply-To", b.message_id), ("References", b.message_id),
         ("MIME-Version", "1.0")]
    h += leaf_headers("UTF-8", "8bit" if not is_ascii(text) else "7bit")
    write(b.name + "__v-quoted-reply-forward",
          mail(h, encode_body(text, "UTF-8", "8bit")),
          variant_expect(b, "quoted-reply-forward", address))


def attach_forward(inner_raw, inner_subject, who, note, tag, date, to=WATCH):
    name, address = who
    bnd = "------------fwd" + tag
    h = [("From", addr(name, address)), ("To", to),
         ("Subject", ew("Fwd: " + inner_subject)), ("Date", date),
         ("Message-ID", "<att.%s@example.invalid>" % tag),
         ("MIME-Version", "1.0"),
         ("Content-Type", 'multipart/mixed; boundary="%s"' % bnd)]
    att = (b"Content-Type: message/rfc822\nContent-Disposition: attachment;\n"
           b" filename=\"forwarded.eml\"\n\n" + inner_raw)
    body = multipart("mixed", bnd, [part("UTF-8", "7bit" if is_ascii(note) else "8bit", note + "\n"),
                                    att])
    return mail(h, body)


def rfc822(b, who, note):
    data = attach_forward(b.raw, b.subject, who, note, re.sub(r"[^a-z0-9]", "", b.name)[:24],
                          fwd_date(b))
    write(b.name + "__v-forward-as-attachment", data,
          variant_expect(b, "forward-as-attachment", who[1]))


def rfc822_nested(b, first, second, note1, note2):
    tag = re.sub(r"[^a-z0-9]", "", b.name)[:20]
    inner = attach_forward(b.raw, b.subject, first, note1, tag + "a", fwd_date(b, 3),
                           addr(*second))
    outer = attach_forward(inner, "Fwd: " + b.subject, second, note2, tag + "b",
                           fwd_date(b, 26))
    write(b.name + "__v-nested-forward-as-attachment", outer,
          variant_expect(b, "nested-forward-as-attachment", second[1]))


# ---- the set -------------------------------------------------------------

def main():
    # Bases whose real form is not UTF-8: transcode from src/.
    jp = Base("jpcert_at_2026_0012", os.path.join(HERE, "src", "jpcert_at_2026_0012.eml"))
    recode(jp, "jpcert_at_2026_0012", "ISO-2022-JP", "7bit")

    B = {n: Base(n) for n in [
        "dsa_5901_1_libxml2", "rhsa_2026_1234_kernel", "freebsd_sa_26_03_openssh",
        "openssl_secadv_20260212", "jpcert_wr_2026_03_11", "jvn_12345678",
        "jvnvu_91234567", "ipa_ms_2026_03", "cisa_kev_2026_03_10",
        "cisa_aa26_071a_volt_typhoon", "msrc_ja_2026_03", "cisco_sa_iosxe_webui_privesc",
        "fortinet_fg_ir_26_042", "panos_cve_2026_0300", "ivanti_epmm_2026_03",
        "news_en_exchange_oilgas_silk_typhoon", "news_ja_sonicwall_exploited",
        "news_ja_tomcat_conditional", "news_en_veeam_not_exploited"]}

    # Encodings.
    recode(B["news_ja_sonicwall_exploited"], "news_ja_sonicwall_exploited__v-iso-2022-jp",
           "ISO-2022-JP", "7bit", "iso-2022-jp", mailer="Becky! ver. 2.81.05")
    recode(B["news_ja_tomcat_conditional"], "news_ja_tomcat_conditional__v-shift_jis",
           "Shift_JIS", "8bit", "shift_jis")
    recode(B["jvn_12345678"], "jvn_12345678__v-euc-jp", "EUC-JP", "8bit", "euc-jp")
    recode(B["msrc_ja_2026_03"], "msrc_ja_2026_03__v-base64", "UTF-8", "base64", "base64")
    recode(B["ipa_ms_2026_03"], "ipa_ms_2026_03__v-quoted-printable", "UTF-8",
           "quoted-printable", "quoted-printable")
    recode(B["dsa_5901_1_libxml2"], "dsa_5901_1_libxml2__v-quoted-printable", "us-ascii",
           "quoted-printable", "quoted-printable")
    v = B["news_en_veeam_not_exploited"]
    v.from_name = "Patch Watch – José Müller".replace("–", "-")
    latin_body = v.body.replace("By Laura Becker", "By José Müller") + \
        "\n© 2026 Patch Watch · Zürich\n"
    recode(v, "news_en_veeam_not_exploited__v-latin1", "ISO-8859-1", "8bit", "latin1",
           from_q=True, body=latin_body)
    html_only(B["cisa_kev_2026_03_10"], link_text={
        "https://www.cisa.gov/news-events/alerts/2026/03/10/cisa-adds-two-known-exploited-vulnerabilities-catalog":
            "View this alert on cisa.gov",
        "https://www.cisa.gov/known-exploited-vulnerabilities-catalog":
            "Known Exploited Vulnerabilities Catalog"})
    html_only(B["jpcert_wr_2026_03_11"], entities=True)
    alternative(B["cisco_sa_iosxe_webui_privesc"])

    # Forwards.
    gmail(B["news_en_exchange_oilgas_silk_typhoon"],
          ("Maria Lopez", "m.lopez@example.invalid"),
          "FYI - we run Exchange 2019 on-prem. Can infra confirm we are on SU3?")
    outlook_original(B["rhsa_2026_1234_kernel"], ("Tom Baker", "t.baker@example.invalid"),
                     "Please review for the RHEL 9 build servers.")
    outlook_from_sent(B["panos_cve_2026_0300"], ("Ken Okada", "k.okada@example.invalid"),
                      "For awareness: the branch firewalls run PAN-OS 11.1.")
    outlook_ja(B["ipa_ms_2026_03"], ("佐藤 由紀", "y.sato@example.invalid"),
               "情報システム部各位\n\nIPAからの注意喚起を転送します。今月の更新の適用をお願いします。")
    thunderbird_en(B["ivanti_epmm_2026_03"], ("Hiro Tanaka", "h.tanaka@example.invalid"),
                   "Forwarding the Ivanti advisory for the MDM team.")
    thunderbird_ja(B["jvnvu_91234567"], ("岡田 健", "k.okada@example.invalid"),
                   "参考までに転送します。総務部のNASが該当するか確認してください。")
    apple(B["cisa_aa26_071a_volt_typhoon"], ("Emma Clarke", "e.clarke@example.invalid"),
          "Worth a read given our utilities customers.")
    rfc822(B["freebsd_sa_26_03_openssh"], ("Jun Mori", "j.mori@example.invalid"),
           "FreeBSD advisory attached; our bastion hosts are on 14.2.")
    rfc822_nested(B["openssl_secadv_20260212"],
                  ("Alex Kim", "a.kim@example.invalid"),
                  ("Sara Nilsson", "s.nilsson@example.invalid"),
                  "Forwarding the OpenSSL advisory, see attached.",
                  "Passing this on to the security watch mailbox.")
    quoted_reply(B["fortinet_fg_ir_26_042"], ("Ryo Ito", "r.ito@example.invalid"),
                 "We have two FortiGates on 7.4.5 - this one is urgent.")


if __name__ == "__main__":
    main()
