#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# watch-outage.sh — the watcher against a failing world, on the real stack:
# Dovecot killed and restarted while shirase watch runs (it reconnects with
# backoff, nothing is lost); a wrong password, a port nobody listens on and
# a certificate that does not verify give clear errors, no busy loop, and
# no secret in the log; password_command works; security = none towards a
# non-loopback host is refused.
. "${SHR_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/watch-lib.sh"

wait_for ()
{
  local end=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  until "$@"; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.05
  done
}
has () { [ "$(count "$1")" = "$2" ]; }

# ---- 1. Dovecot killed and restarted mid-run ----------------------------------
log=$work/watch.log
drop_many 50 before
(cd "$work" && exec "$shirase" watch -c "$conf") >"$log" 2>&1 &
pid=$!
cleanup_hooks="kill $pid 2>/dev/null;"
wait_for 10 has shirase/done 50 || { cat "$log"; fail "the first 50 were not handled"; }
dpid=$(cat "$MAILSTACK_DIR/dovecot/run/master.pid")
kill -KILL -- -"$dpid"
rm -f "$MAILSTACK_DIR/dovecot/run/master.pid"
drop_many 50 during # while the server is down
sleep 1.5
dovecot -c "$DOVECOT_CONF" </dev/null >>"$MAILSTACK_DIR/setup.log" 2>&1 || fail "Dovecot did not restart"
wait_for 15 has shirase/done 100 || { cat "$log"; fail "after the restart: $(count shirase/done) in done, expected 100"; }
grep -q "retrying in" "$log" || fail "no reconnect was logged"
kill -TERM $pid; wait $pid; rc=$?
cleanup_hooks=""
[ "$rc" = 0 ] || fail "watch exited $rc"
[ "$(count INBOX)" = 0 ] && [ "$(total)" = 100 ] || fail "messages lost: $(total) of 100"
status | grep -q "^messages: *100 handled" || { status; fail "the state does not hold 100 handled"; }
echo "Dovecot restart: reconnected, 100 of 100 handled"
grep "retrying in" "$log" | head -3

# ---- 2. wrong password ----------------------------------------------------------
secret=wrong-secret-4711
printf '%s\n' "$secret" >"$work/badpw"; chmod 600 "$work/badpw"
sed -i 's/^password_file = .*/password_file = badpw/' "$conf"
out=$(run_once 2>&1) && fail "once succeeded with a wrong password"
echo "$out" | grep -q 'refused LOGIN as watch: "Authentication failed' || { echo "$out"; fail "the error does not quote the server"; }
echo "wrong password: $(echo "$out" | tail -1)"
status | grep -q '^IMAP: .*refused LOGIN as watch: "Authentication failed' || { status; fail "status does not report the login failure"; }
# The daemon retries with backoff (1, 2, 4 s …), not in a busy loop.
log2=$work/watch-badpw.log
(cd "$work" && exec "$shirase" watch -c "$conf" --log-level debug) >"$log2" 2>&1 &
pid=$!
cleanup_hooks="kill $pid 2>/dev/null;"
sleep 4
cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
kill -TERM $pid; wait $pid
cleanup_hooks=""
tries=$(grep -c "refused LOGIN" "$log2")
echo "wrong password, 4 s of watch: $tries attempts, $cpu clock ticks of CPU"
# (Dovecot itself slows repeated failures from one address down, so the
# count may be as low as 1; a busy loop would make hundreds.)
[ "$tries" -ge 1 ] && [ "$tries" -le 4 ] || { cat "$log2"; fail "$tries login attempts in 4 s (expected 1-4: backoff)"; }
[ "$cpu" -le 50 ] || fail "watch used $cpu ticks of CPU while failing (busy loop?)"
cat "$log" "$log2" >"$work/all.log"; echo "$out" >>"$work/all.log"
if grep -F -q -e "$secret" -e pw-watch "$work/all.log"; then fail "a password appears in the log"; fi

# ---- 3. a port nobody listens on ----------------------------------------------
sed -i 's/^password_file = .*/password_file = pw/' "$conf"
sed -i "s/^port = .*/port = 1/" "$conf"
t=$(now)
out=$(run_once 2>&1) && fail "once succeeded against a closed port"
echo "$out" | grep -q "cannot connect to IMAP server 127.0.0.1:1: connection refused" || { echo "$out"; fail "unclear error for a closed port"; }
echo "closed port: $(echo "$out" | tail -1) ($(ms_since "$t") ms)"
# The daemon against the closed port: attempts at 0, 1, 3 s (backoff 1, 2, 4 s).
log4=$work/watch-closed.log
(cd "$work" && exec "$shirase" watch -c "$conf") >"$log4" 2>&1 &
pid=$!
cleanup_hooks="kill $pid 2>/dev/null;"
sleep 4.5
kill -TERM $pid; wait $pid
cleanup_hooks=""
tries=$(grep -c "connection refused; retrying" "$log4")
echo "closed port, 4.5 s of watch: $tries attempts ($(grep -o 'retrying in [0-9]* s' "$log4" | tr '\n' ' '))"
[ "$tries" = 3 ] || { cat "$log4"; fail "$tries attempts in 4.5 s, expected 3 (backoff 1, 2, 4 s)"; }
sed -i "s/^port = .*/port = $IMAP_PORT/" "$conf"

# ---- 4. a certificate that does not verify -------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=other-ca \
  -keyout "$work/other.key" -out "$work/other.pem" 2>/dev/null || fail "openssl"
sed -i "s|^ca_file = .*|ca_file = $work/other.pem|" "$conf"
out=$(run_once 2>&1) && fail "once accepted a certificate that does not verify"
echo "$out" | grep -q "does not verify against $work/other.pem" || { echo "$out"; fail "unclear certificate error"; }
echo "bad certificate: $(echo "$out" | tail -1)"
# The right CA but the wrong name: the server is not "imap.example.test".
sed -i "s|^ca_file = .*|ca_file = $CA_FILE|" "$conf"

# ---- 5. password_command, and security = none only on loopback -------------------
sed -i 's/^password_file = .*/password_command = cat pw/' "$conf"
drop_many 1 cmd
out=$(run_once 2>&1) || { echo "$out"; fail "password_command did not work"; }
echo "$out" | grep -q "^shirase once: 1 messages: 1 handled" || { echo "$out"; fail "password_command: nothing handled"; }
status | grep -q '^IMAP: *no error since the last login' || { status; fail "status still reports an old IMAP error"; }
sed -i 's/^security = .*/security = none/; s/^host = .*/host = imap.example.test/' "$conf"
out=$(run_once 2>&1) && fail "security = none towards a remote host was accepted"
echo "$out" | grep -q "security = none is allowed only towards a loopback address" || { echo "$out"; fail "unclear error for security = none"; }
sed -i 's/^security = .*/security = starttls/; s/^host = .*/host = 127.0.0.1/' "$conf"

# ---- 6. IMAPS (security = tls) through a TLS front to Dovecot's IMAP port, and
# polling instead of IDLE ----------------------------------------------------------
command -v python3 >/dev/null || fail "python3 is needed for the TLS front"
tls_port=$((IMAP_PORT + 3))
python3 - "$tls_port" "$IMAP_PORT" "$MAILSTACK_DIR/tls/cert.pem" "$MAILSTACK_DIR/tls/key.pem" <<'PY' &
import socket, ssl, sys, threading
port, back, cert, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(8)
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
while True:
    c, _ = srv.accept()
    try: t = ctx.wrap_socket(c, server_side=True)
    except (ssl.SSLError, OSError): c.close(); continue
    u = socket.create_connection(("127.0.0.1", back))
    threading.Thread(target=pipe, args=(t, u), daemon=True).start()
    threading.Thread(target=pipe, args=(u, t), daemon=True).start()
PY
front=$!
cleanup_hooks="kill $front 2>/dev/null;"
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null && break; sleep 0.05; done
sed -i "s/^security = .*/security = tls/; s/^port = .*/port = $tls_port/; s/^password_command = .*/password_file = pw/" "$conf"
sed -i 's/^\[imap\]$/[imap]\nidle = false\npoll_seconds = 1/' "$conf"
log3=$work/watch-poll.log
(cd "$work" && exec "$shirase" watch -c "$conf" --log-level debug) >"$log3" 2>&1 &
pid=$!
cleanup_hooks="kill $front $pid 2>/dev/null;"
wait_for 5 grep -q "INBOX selected" "$log3" || { cat "$log3"; fail "no IMAPS session"; }
before=$(count shirase/done)
t=$(now)
drop_many 1 poll
wait_for 4 has shirase/done $((before + 1)) || { cat "$log3"; fail "polling (idle = false) did not pick the mail up"; }
echo "IMAPS + polling every 1 s: handled in $(ms_since "$t") ms"
grep -q "IMAP: IDLE" "$log3" && fail "IDLE used although idle = false"
kill -TERM $pid; wait $pid
kill $front; wait $front 2>/dev/null
cleanup_hooks=""
sed -i "s/^security = .*/security = starttls/; s/^port = .*/port = $IMAP_PORT/; /^idle = false$/d; /^poll_seconds = 1$/d" "$conf"

# ---- 7. a trusted certificate for another name --------------------------------------
# Dovecot restarted with a certificate for other.example.test only; the
# client trusts exactly that certificate but connects to 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=other.example.test \
  -addext subjectAltName=DNS:other.example.test -keyout "$MAILSTACK_DIR/tls/key.pem" \
  -out "$MAILSTACK_DIR/tls/cert.pem" 2>/dev/null || fail "openssl"
dpid=$(cat "$MAILSTACK_DIR/dovecot/run/master.pid")
kill -KILL -- -"$dpid"; rm -f "$MAILSTACK_DIR/dovecot/run/master.pid"; sleep 0.2
dovecot -c "$DOVECOT_CONF" </dev/null >>"$MAILSTACK_DIR/setup.log" 2>&1 || fail "Dovecot did not restart"
out=$(run_once 2>&1) && fail "once accepted a certificate for another host name"
echo "$out" | grep -q "does not verify.*name in the certificate does not match" || { echo "$out"; fail "unclear host name error"; }
echo "wrong host name: $(echo "$out" | tail -1)"
echo PASS
