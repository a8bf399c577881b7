#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# config/oauth2-token (the helper for oauth2_token_command) against a local
# stand-in for a provider's token endpoint (Microsoft's and Google's speak
# the same RFC 6749 form): the authorization URL, redeeming the code the
# browser came back with (the whole redirect URL pasted), the access token
# cached until 5 minutes before it expires, the refresh when it has, a
# rotated refresh token kept, the provider's error passed on, and the
# file refused when others can read it. Then shirase check-config accepts
# the helper as [imap] oauth2_token_command.
set -u
top_srcdir=${SHR_TOP_SRCDIR:-$(dirname "$0")/..}
top_builddir=${SHR_TOP_BUILDDIR:-.}
helper=$(cd "$top_srcdir/config" && pwd)/oauth2-token
shirase=$top_builddir/shirase
SHIRASE_DATADIR=${SHIRASE_DATADIR:-$top_srcdir/data}
export SHIRASE_DATADIR
for tool in curl python3 flock; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-oauth2.XXXXXX") || exit 99
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }

# The stand-in: POST /token with the authorization_code or refresh_token
# grant; logs each form it gets to $tmp/requests.
cat > "$tmp/server.py" <<'PY'
import http.server, json, sys, urllib.parse
log = open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        f = {k: v[0] for k, v in form.items()}
        log.write(json.dumps(f, sort_keys=True) + "\n")
        if self.path != "/token" or f.get("client_id") != "client-1" or f.get("client_secret") != "s3cret/+=":
            return self.reply(401, {"error": "invalid_client"})
        if f.get("grant_type") == "authorization_code" and f.get("code") == "M.C5_BAY.2/abc":
            return self.reply(200, {"token_type": "Bearer", "access_token": "access-1", "expires_in": 3599,
                                    "refresh_token": "refresh-1", "scope": f.get("scope")})
        if f.get("grant_type") == "refresh_token" and f.get("refresh_token") == "refresh-1":
            return self.reply(200, {"token_type": "Bearer", "access_token": "access-2", "expires_in": 3599,
                                    "refresh_token": "refresh-2"})
        self.reply(400, {"error": "invalid_grant",
                         "error_description": "AADSTS70000: The provided value for the 'refresh_token' is not valid."})
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
python3 "$tmp/server.py" "$tmp/port" "$tmp/requests" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
requests () { wc -l < "$tmp/requests" | tr -d ' '; }
: > "$tmp/requests"

file=$tmp/oauth2-imap
cat > "$file" <<CONF
# Microsoft 365 as doc/oauth2.md sets it up (the endpoints here are the stand-in's)
token_endpoint = http://127.0.0.1:$port/token
authorize_endpoint = http://127.0.0.1:$port/authorize
client_id = client-1
client_secret = s3cret/+=
scope = https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access
redirect_uri = http://localhost
CONF
chmod 600 "$file"

# 1. The URL to open once.
url=$("$helper" --auth-url "$file") || fail "--auth-url"
[ "$url" = "http://127.0.0.1:$port/authorize?client_id=client-1&response_type=code&redirect_uri=http%3A%2F%2Flocalhost&scope=https%3A%2F%2Foutlook.office.com%2FIMAP.AccessAsUser.All%20https%3A%2F%2Foutlook.office.com%2FSMTP.Send%20offline_access" ] \
  && ok "--auth-url" || fail "--auth-url printed $url"

# 2. No refresh token yet: a clear error, nothing on stdout.
out=$("$helper" "$file" 2>"$tmp/err"); rc=$?
[ $rc != 0 ] && [ -z "$out" ] && grep -q "no refresh_token yet (run oauth2-token --redeem" "$tmp/err" \
  && ok "no refresh token yet: refused" || { fail "before --redeem: rc=$rc out=$out"; cat "$tmp/err"; }

# 3. Redeem the code from the URL the browser was sent to.
"$helper" --redeem "$file" "http://localhost/?code=M.C5_BAY.2%2Fabc&session_state=x" 2>"$tmp/err" \
  || { fail "--redeem"; cat "$tmp/err"; }
grep -q '^refresh_token = refresh-1$' "$file" && ok "--redeem kept the refresh token" || { fail "refresh token not kept"; cat "$file"; }
[ "$(stat -c %a "$file")" = 600 ] && ok "the file stays 0600" || fail "mode $(stat -c %a "$file")"
grep -q '"code": "M.C5_BAY.2/abc"' "$tmp/requests" && grep -q '"grant_type": "authorization_code"' "$tmp/requests" \
  && grep -q '"redirect_uri": "http://localhost"' "$tmp/requests" && ok "the code was sent decoded, with the redirect URI" \
  || { fail "authorization_code request"; cat "$tmp/requests"; }

# 4. The token redeemed is cached: no request.
n=$(requests)
[ "$("$helper" "$file")" = access-1 ] && [ "$(requests)" = "$n" ] && ok "cached access token, no request" || fail "cache"

# 5. Less than 5 minutes left: refreshed; the rotated refresh token kept.
sed -i "s/^access_token_expires = .*/access_token_expires = $(( $(date +%s) + 200 ))/" "$file"
[ "$("$helper" "$file")" = access-2 ] && ok "refreshed near expiry" || fail "refresh"
tail -1 "$tmp/requests" | grep -q '"grant_type": "refresh_token", "refresh_token": "refresh-1"' \
  && ok "refresh_token grant sent" || { fail "refresh request"; tail -1 "$tmp/requests"; }
grep -q '^refresh_token = refresh-2$' "$file" && [ "$(grep -c '^refresh_token' "$file")" = 1 ] \
  && ok "rotated refresh token kept (once)" || { fail "rotation"; cat "$file"; }
grep -q '^client_secret = s3cret/+=$' "$file" && ok "other lines kept" || fail "the rewrite lost a line"

# 6. The provider refuses: its words on stderr, nothing on stdout, exit 1.
sed -i "s/^access_token_expires = .*/access_token_expires = 0/" "$file"
out=$("$helper" "$file" 2>"$tmp/err"); rc=$?
[ $rc = 1 ] && [ -z "$out" ] && grep -qF "answered 400: AADSTS70000: The provided value for the 'refresh_token' is not valid." "$tmp/err" \
  && ok "provider error passed on" || { fail "error: rc=$rc out=$out"; cat "$tmp/err"; }

# 7. Refused: a file others can read; plain http to another host.
chmod 644 "$file"
"$helper" "$file" >/dev/null 2>"$tmp/err" && fail "a 0644 file was used" \
  || { grep -q "readable by others (mode 644); chmod 600 it" "$tmp/err" && ok "0644 file refused" || { fail "0644"; cat "$tmp/err"; }; }
chmod 600 "$file"
sed -i "s|^token_endpoint = .*|token_endpoint = http://login.example.test/token|" "$file"
"$helper" "$file" >/dev/null 2>"$tmp/err" && fail "plain http to a remote host was used" \
  || { grep -q 'is not https://' "$tmp/err" && ok "plain http to a remote host refused" || { fail "http"; cat "$tmp/err"; }; }

# 8. shirase takes it as its token command.
cat > "$tmp/shirase.conf" <<CONF
[organization]
name = X

[imap]
host = outlook.office365.com
user = advisories@example.test
oauth2_token_command = $helper $file
CONF
"$shirase" check-config -c "$tmp/shirase.conf" > "$tmp/out" 2>&1 && ok "check-config accepts the helper" \
  || { fail "check-config"; cat "$tmp/out"; }

[ "$failures" -eq 0 ]
