#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# deliver.sh USER FILE [FOLDER] — puts FILE (an RFC 5322 message) straight
# into USER's FOLDER (default INBOX), bypassing SMTP: the quickest way to
# seed a mailbox.  The stack is the one named by $MAILSTACK_DIR (or
# $DOVECOT_CONF), as exported by `eval "$(mailstack.sh env DIR)"`.
set -u
export PATH="$PATH:/usr/sbin:/sbin"
[ -n "${DOVECOT_CONF:-}" ] || . "${MAILSTACK_DIR:?set MAILSTACK_DIR or DOVECOT_CONF}/env"
user=${1:?usage: deliver.sh USER FILE [FOLDER]}
file=${2:?usage: deliver.sh USER FILE [FOLDER]}
folder=${3:-INBOX}
# Creating an existing folder fails harmlessly; saving into a missing one
# would not.
[ "$folder" = INBOX ] || doveadm -c "$DOVECOT_CONF" mailbox create -u "$user" "$folder" 2>/dev/null
exec doveadm -c "$DOVECOT_CONF" save -u "$user" -m "$folder" <"$file"
