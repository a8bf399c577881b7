#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shirase watch under a service manager (Type=notify, WatchdogSec=): the
# sd_notify datagrams it sends to $NOTIFY_SOCKET — READY=1 once the
# configuration and state are loaded (even with the mail server down),
# STATUS= with the IMAP error, WATCHDOG=1 at half the interval while the
# mailbox worker is alive, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1
# on SIGTERM. A Python socket stands in for systemd; the IMAP port is a
# closed one on loopback, so no mail server (and no root) is needed.
set -u
top_srcdir=${SHR_TOP_SRCDIR:-$(dirname "$0")/..}
top_builddir=${SHR_TOP_BUILDDIR:-.}
shirase=$(cd "$top_builddir" && pwd)/shirase
SHIRASE_DATADIR=${SHIRASE_DATADIR:-$top_srcdir/data}
export SHIRASE_DATADIR
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shirase-notify.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

printf 'pw\n' > "$tmp/pw"
chmod 600 "$tmp/pw"
# Port 9 (discard) on loopback: nothing listens, so every connection is
# refused at once and retried with backoff.
cat > "$tmp/shirase.conf" <<CONF
[organization]
name = X

[imap]
host = 127.0.0.1
port = 9
security = none
user = watch
password_file = pw

[state]
dir = $tmp/state
CONF

python3 - "$shirase" "$tmp" <<'PY'
import os, signal, socket, subprocess, sys, time
shirase, tmp = sys.argv[1], sys.argv[2]
path = os.path.join(tmp, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.2)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="1000000")
p = subprocess.Popen([shirase, "watch", "-c", "shirase.conf", "--log-level", "warning"], cwd=tmp, env=env,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
got = []
def wait_for(pred, seconds, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if any(pred(m) for m in got):
            return
        try:
            got.append(sock.recv(4096).decode("utf-8"))
        except socket.timeout:
            pass
    p.kill()
    print("FAIL: no %s within %s s; got %r" % (what, seconds, got))
    print(p.communicate()[0].decode("utf-8", "replace"))
    sys.exit(1)
def fail(what):
    p.kill()
    print("FAIL:", what, got)
    sys.exit(1)

wait_for(lambda m: m.startswith("READY=1"), 10, "READY=1")
print("ok: READY=1 with the mail server down:", got[-1].replace("\n", " | "))
wait_for(lambda m: m.startswith("STATUS=IMAP:"), 10, "STATUS= with the IMAP error")
print("ok:", [m for m in got if m.startswith("STATUS=IMAP:")][0])
start = len(got)
time.sleep(2.6)
while True:
    try:
        got.append(sock.recv(4096).decode("utf-8"))
    except socket.timeout:
        break
pings = got[start:].count("WATCHDOG=1")
if not 3 <= pings <= 8:
    fail("%d WATCHDOG=1 in 2.6 s at WATCHDOG_USEC=1000000 (expected about 5)" % pings)
print("ok: %d watchdog pings in 2.6 s (every 0.5 s)" % pings)
del got[:]
p.send_signal(signal.SIGHUP)
wait_for(lambda m: m == "READY=1", 10, "READY=1 after the reload")
if got.index("RELOADING=1") > got.index("READY=1"):
    fail("RELOADING=1 must come before READY=1")
print("ok: SIGHUP: RELOADING=1, then READY=1")
del got[:]
p.send_signal(signal.SIGTERM)
wait_for(lambda m: m == "STOPPING=1", 10, "STOPPING=1")
rc = p.wait(timeout=30)
if rc != 0:
    fail("watch exited %d after SIGTERM" % rc)
print("ok: SIGTERM: STOPPING=1, exit 0")
PY
