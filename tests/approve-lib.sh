# SPDX-License-Identifier: GPL-3.0-or-later
# approve-lib.sh — sourced after watch-lib.sh by the tests of approve with
# edits and of the summariser: more advisories, the newest draft, the
# notices as sent, and the blocks between a draft's markers.

# variant N: the Cisco advisory as another case (its own advisory id, CVE
# and Message-ID), so that each part of the test has a draft of its own.
variant ()
{
  sed "s/k7Tq2mXz/k7Tq2mX$1/g; s/CVE-2026-20198/CVE-2026-2019$1/g" "$mail/cisco_sa_iosxe_webui_privesc.eml" >"$work/advisory-$1.eml"
  deliver "$work/advisory-$1.eml"
}

# newest_draft WHO: the Message-ID (without <>) of the newest draft in WHO's INBOX.
newest_draft () { mails "${1:-approver}" | awk -F'\t' '$3 ~ /^\[承認依頼 #/ && $3 !~ /再通知/' | tail -1 | cut -f1 | tr -d '<>'; }

# edit_reply FILE WHO FIRST_LINE FILTER: WHO replies to their newest draft
# with FIRST_LINE, a blank line and the draft's text run through FILTER
# (a shell command from standard input to standard output), quoted "> "
# as mail clients quote. The edited draft text is kept in FILE.draft.
edit_reply ()
{
  local file=$1 who=$2 first=$3 filter=$4
  body "$who" "$(newest_draft "$who")" | eval "$filter" >"$file.draft"
  reply_to_draft "$file" "$(printf '%s\n\n' "$first"; sed 's/^/> /' "$file.draft")" "$who"
}

# block FILE LANG: the notice between LANG's markers in FILE: its Subject
# (first line, without the label) or, with a third argument, its text.
block ()
{
  local begin end
  case $2 in
    ja) begin='^---- 通知文（日本語）ここから ----$'; end='^---- ここまで ----$' ;;
    en) begin='^---- English notice from here ----$'; end='^---- English notice to here ----$' ;;
  esac
  if [ $# -gt 2 ]; then
    sed -n "/$begin/,/$end/p" "$1" | sed '1,3d;$d'
  else
    sed -n "/$begin/,/$end/p" "$1" | sed -n '2s/^[^:]*: //p'
  fi
}

# notice_mid LANG N: the Message-ID of draft N's notice in LANG at admin.
notice_mid () { header admin Message-ID | tr -d ' <>' | grep "^notice\.$2\.$1\."; }
# content_type USER MESSAGE-ID
content_type ()
{
  doveadm -c "$DOVECOT_CONF" fetch -u "$1" hdr mailbox INBOX header message-id "$2" | sed '1d' \
    | python3 -c 'import email, sys; print(email.message_from_string(sys.stdin.read()).get_content_type())'
}
strip_end () { sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }
