#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# summary-example.sh — config/summary-example against an API of our own on
# loopback (python3's http.server): it posts shirase's input with the key
# from its own file, and prints the API's answer, which shirase parses and
# checks; a refused key fails it (shirase then uses the built-in text).
# Skipped (77) without curl or python3.
set -u
top_src=${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "SKIP: needs curl and python3"; exit 77; }
fail () { echo "FAIL: $*"; exit 1; }
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
cat >"$dir/api.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        open(sys.argv[2], "w").write(json.dumps({"auth": self.headers["Authorization"], "body": body}))
        if self.headers["Authorization"] != "Bearer k-123":
            self.send_response(401); self.end_headers(); return
        cve = body["record"]["cves"][0]["id"]
        out = json.dumps({"summary_ja": "Cisco IOS XE に脆弱性（%s）があります。" % cve,
                          "summary_en": "Cisco IOS XE has a flaw (%s)." % cve}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
python3 "$dir/api.py" "$dir/port" "$dir/seen" &
server=$!
for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
[ -s "$dir/port" ] || fail "the test API did not start"
printf 'SUMMARY_API_URL=http://127.0.0.1:%s/v1/summary\nSUMMARY_API_KEY=k-123\n' "$(cat "$dir/port")" >"$dir/summary.env"
input='{"record": {"cves": [{"id": "CVE-2026-20198"}], "products": [{"product": "IOS XE"}]}, "text": "本文"}'
# As shirase runs it: an empty environment but PATH and LANG, from /.
out=$(cd / && printf '%s' "$input" | env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  "$top_src/config/summary-example" "$dir/summary.env") || fail "summary-example failed"
[ "$out" = '{"summary_ja": "Cisco IOS XE \u306b\u8106\u5f31\u6027\uff08CVE-2026-20198\uff09\u304c\u3042\u308a\u307e\u3059\u3002", "summary_en": "Cisco IOS XE has a flaw (CVE-2026-20198)."}' ] \
  || fail "unexpected answer: $out"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["auth"] == "Bearer k-123" and d["body"]["text"] == "本文", d' "$dir/seen" \
  || fail "the API did not get the key and shirase's input"
echo "summary-example: posted the input with the key from its file, printed the API's answer"
sed -i 's/k-123/wrong/' "$dir/summary.env"
if (cd / && printf '%s' "$input" | env -i PATH=/usr/bin:/bin "$top_src/config/summary-example" "$dir/summary.env" 2>"$dir/err"); then
  fail "a refused key did not fail the command"
fi
grep -q '401' "$dir/err" || fail "the failure does not say why: $(cat "$dir/err")"
echo "summary-example: a refused key fails it ($(cat "$dir/err"))"
sed -i 's|^SUMMARY_API_URL=.*|SUMMARY_API_URL=http://api.example.test/v1|' "$dir/summary.env"
if (cd / && printf '%s' "$input" | env -i PATH=/usr/bin:/bin "$top_src/config/summary-example" "$dir/summary.env" 2>"$dir/err"); then
  fail "plain http to another host was used"
fi
grep -q 'https only' "$dir/err" || fail "no reason for refusing plain http: $(cat "$dir/err")"
echo "summary-example: ok"
