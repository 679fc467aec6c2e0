#!/usr/bin/env bash
# systemd_unit_test.sh — checks systemd/ccmigrated.service with `systemd-analyze verify` and
# records its `systemd-analyze security --offline=yes` exposure score (docs/operations.md).
# verify needs ExecStart's binary to exist, so a temporary copy of the unit points ExecStart at
# the binary given here (the built ccmigrate). Exits 77 (ctest SKIP_RETURN_CODE) when
# systemd-analyze is not installed. Fails when verify complains or the score exceeds MAX_SCORE.
# With a DROP_IN (systemd/mail-group.conf), the unit is checked a second time with the drop-in's
# lines appended, as systemd merges them; the exposure limit holds for both.
#   usage: systemd_unit_test.sh UNIT BINARY [MAX_SCORE [DROP_IN]]
set -euo pipefail
unit=$1
binary=$2
max_score=${3:-2.0}
drop_in=${4:-}
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not installed: skipped"; exit 77; }
[ -x "$binary" ] || { echo "binary $binary missing"; exit 1; }

tmp=$(mktemp -d /tmp/ccm-unit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sed "s#^ExecStart=/usr/bin/ccmigrate #ExecStart=$binary #" "$unit" >"$tmp/ccmigrated.service"
grep -q "^ExecStart=$binary " "$tmp/ccmigrated.service" || { echo "ExecStart not rewritten"; exit 1; }

check() { # $1 = the unit file to check
  local file=$1 out security score
  out=$(systemd-analyze verify --man=no "$file" 2>&1) || { echo "$out"; exit 1; }
  if [ -n "$out" ]; then
    echo "systemd-analyze verify complained:"
    echo "$out"
    exit 1
  fi
  echo "systemd-analyze verify: clean"

  security=$(systemd-analyze security --offline=yes "$file" 2>&1)
  score=$(echo "$security" | sed -n 's/.*Overall exposure level for ccmigrated.service: \([0-9.]*\).*/\1/p')
  [ -n "$score" ] || { echo "$security"; echo "no exposure score found"; exit 1; }
  echo "systemd-analyze security --offline=yes: exposure $score (limit $max_score)"
  awk -v s="$score" -v m="$max_score" 'BEGIN { exit !(s <= m) }' || { echo "$security"; exit 1; }
}

check "$tmp/ccmigrated.service"
if [ -n "$drop_in" ]; then
  mkdir "$tmp/with-drop-in"
  cat "$tmp/ccmigrated.service" "$drop_in" >"$tmp/with-drop-in/ccmigrated.service"
  echo "with the drop-in $(basename "$drop_in"):"
  check "$tmp/with-drop-in/ccmigrated.service"
fi
