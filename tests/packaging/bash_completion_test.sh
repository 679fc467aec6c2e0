#!/usr/bin/env bash
# bash_completion_test.sh — loads bash-completion and conf/bash-completion/ccmigrate and asks
# the completion function what it offers, as bash would after a TAB, for commands, options and
# file arguments. Exits 77 (ctest SKIP_RETURN_CODE) when bash-completion is not installed.
#   usage: bash_completion_test.sh COMPLETION_FILE
set -uo pipefail
completion=$1
framework=/usr/share/bash-completion/bash_completion
[ -r "$framework" ] || { echo "bash-completion not installed: skipped"; exit 77; }
# shellcheck disable=SC1090
source "$framework"
# shellcheck disable=SC1090
source "$completion"

tmp=$(mktemp -d /tmp/ccm-completion.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/set.001" "$tmp/out"
touch "$tmp/set.001/HQPO.PKL" "$tmp/set.001/HQPO.PRI" "$tmp/ccmigrate.toml" "$tmp/notes.txt"
cd "$tmp" || exit 1

failures=0
# complete WORDS...: the completions offered for the last word, sorted, one line.
complete_words() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _ccmigrate
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {
  local want=$1
  shift
  local got
  got=$(complete_words "$@")
  if [ "$got" != "$want" ]; then
    echo "FAIL: '$*' completes to '$got', expected '$want'"
    failures=$((failures + 1))
  else
    echo "ok: '$*' -> '$got'"
  fi
}

expect "check daemon fix import plan rollback status" ccmigrate ""
expect "check" ccmigrate ch
expect "--help --version" ccmigrate --
expect "--help --json --lenient --threads" ccmigrate check --
expect "--config --force --help --report-dir" ccmigrate import --
expect "--config --help --once" ccmigrate daemon --
# Directories stay offered so that one can walk into them; other files do not (notes.txt).
expect "ccmigrate.toml out set.001" ccmigrate import --config ""
expect "out set.001" ccmigrate fix set.001/HQPO.PKL --out ""
expect "set.001/HQPO.PKL" ccmigrate check set.001/
expect "" ccmigrate frobnicate ""

[ "$failures" -eq 0 ] || exit 1
