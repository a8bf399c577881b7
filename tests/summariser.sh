#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# summariser.sh MODE [FILE] — a scripted [summary] command for the tests:
# reads shirase's JSON on standard input and answers as MODE says.
#   good          a summary that names only what the record holds
#   hallucinated  a summary naming a CVE id the record does not hold
#   version       a summary naming a version the record does not hold
#   oversize      70 KB of output
#   invalid       JSON cut short
#   nothing       no output at all
#   hang          never answers
#   crash         killed by SIGSEGV
#   fail          exits 3 with a message on standard error
#   env           good, after writing its environment, directory and open
#                 descriptors, and its input, to FILE (for the test to
#                 check what the command sees)
input=$(cat)
cve=$(printf '%s' "$input" | grep -o 'CVE-[0-9]\{4\}-[0-9]\{4,\}' | head -1)
good ()
{
  printf '{"summary_ja": "Cisco IOS XE の Web UI 機能に、認証なしで最上位の権限を持つアカウントを作られる脆弱性（%s）があります。HTTP サーバー機能を使っているか確認してください。",\n' "$cve"
  printf ' "summary_en": "The web UI of Cisco IOS XE lets an unauthenticated attacker create an account with the highest privilege (%s). Check whether the HTTP Server feature is on.",\n' "$cve"
  printf ' "title_ja": "Cisco IOS XE の Web UI で管理者権限を奪われる脆弱性（%s）",\n' "$cve"
  printf ' "steps_ja": ["HTTP サーバー機能が有効か確認する。", "有効なら、修正版へ更新するまで無効にする。"],\n'
  printf ' "steps_en": ["Check whether the HTTP Server feature is enabled.", "If it is, disable it until the fixed release is installed."]}\n'
}
case $1 in
  good) good ;;
  hallucinated)
    printf '{"summary_ja": "Cisco IOS XE に脆弱性（%s、CVE-2026-99999）があります。", "summary_en": "Cisco IOS XE has flaws (%s, CVE-2026-99999)."}\n' "$cve" "$cve" ;;
  version)
    printf '{"summary_ja": "Cisco IOS XE 17.18.1 へ更新してください（%s）。", "summary_en": "Update Cisco IOS XE to 17.18.1 (%s)."}\n' "$cve" "$cve" ;;
  oversize)
    printf '{"summary_ja": "'
    i=0
    while [ $i -lt 1000 ]; do printf 'この要約はとても長く、同じ文を何度も繰り返しています。'; i=$((i + 1)); done
    printf '", "summary_en": "long"}\n' ;;
  invalid) printf '{"summary_ja": "途中で切れた' ;;
  nothing) ;;
  hang) sleep 600 ;;
  crash) kill -SEGV $$ ;;
  fail) echo "summary API: 401 Unauthorized (key rejected)" >&2; exit 3 ;;
  env)
    { echo "cwd=$(pwd)"; env | sort | sed 's/^/env:/'; for fd in /proc/$$/fd/*; do echo "fd:$(readlink "$fd")"; done
      echo "input=$input"; } >"$2"
    good ;;
  *) echo "summariser.sh: unknown mode $1" >&2; exit 2 ;;
esac
