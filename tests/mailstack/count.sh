#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# count.sh USER [FOLDER] — prints the number of messages in USER's FOLDER
# (default INBOX), or 0 when the folder does not exist.  The stack is the one
# named by $MAILSTACK_DIR (or $DOVECOT_CONF).
set -u
export PATH="$PATH:/usr/sbin:/sbin"
[ -n "${DOVECOT_CONF:-}" ] || . "${MAILSTACK_DIR:?set MAILSTACK_DIR or DOVECOT_CONF}/env"
user=${1:?usage: count.sh USER [FOLDER]}
folder=${2:-INBOX}
n=$(doveadm -c "$DOVECOT_CONF" -f flow mailbox status -u "$user" messages "$folder" 2>/dev/null)
case "$n" in
  *messages=*) echo "${n##*messages=}" ;;
  *) echo 0 ;;
esac
