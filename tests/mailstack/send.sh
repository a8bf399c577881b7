#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# send.sh FROM_USER RCPT FILE [RCPT...] — submits FILE through the stack's
# Postfix the way a mail client does: STARTTLS required, the certificate
# verified against the stack's CA file, AUTH as FROM_USER with its password
# (pw-FROM_USER).  RCPT is any address (admin@example.test reaches admin).
# Exits with curl's status: 67 means the login was refused.
#
# Also an example of the curl command line for tests that need variations
# (a wrong password: MAILSTACK_SEND_PASSWORD=...).
set -u
[ -n "${SMTP_PORT:-}" ] || . "${MAILSTACK_DIR:?set MAILSTACK_DIR}/env"
from=${1:?usage: send.sh FROM_USER RCPT FILE [RCPT...]}
rcpt=${2:?usage: send.sh FROM_USER RCPT FILE [RCPT...]}
file=${3:?usage: send.sh FROM_USER RCPT FILE [RCPT...]}
shift 3
extra=()
for r in "$@"; do extra+=(--mail-rcpt "$r"); done
# The URL path is the EHLO name; without one curl would use the file name.
exec curl -sS --max-time 20 \
  --url "smtp://127.0.0.1:$SMTP_PORT/localhost" \
  --ssl-reqd --cacert "$CA_FILE" \
  --user "$from:${MAILSTACK_SEND_PASSWORD:-pw-$from}" \
  --mail-from "$from@example.test" --mail-rcpt "$rcpt" "${extra[@]}" \
  --upload-file "$file"
