#!/usr/bin/env bash
# systemd_unit_test.sh — checks systemd/ccmigrated.service with `systemd-analyze verify` and
# records its `systemd-analyze security --offline=yes` exposure score (docs/operations.md).
# verify needs ExecStart's binary to exist, so a temporary copy of the unit points ExecStart at
# the binary given here (the built ccmigrate). Exits 77 (ctest SKIP_RETURN_CODE) when
# systemd-analyze is not installed. Fails when verify complains or the score exceeds MAX_SCORE.
#   usage: systemd_unit_test.sh UNIT BINARY [MAX_SCORE]
set -euo pipefail
unit=$1
binary=$2
max_score=${3:-2.0}
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not installed: skipped"; exit 77; }
[ -x "$binary" ] || { echo "binary $binary missing"; exit 1; }

tmp=$(mktemp -d /tmp/ccm-unit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sed "s#^ExecStart=/usr/bin/ccmigrate #ExecStart=$binary #" "$unit" >"$tmp/ccmigrated.service"
grep -q "^ExecStart=$binary " "$tmp/ccmigrated.service" || { echo "ExecStart not rewritten"; exit 1; }

out=$(systemd-analyze verify --man=no "$tmp/ccmigrated.service" 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then
  echo "systemd-analyze verify complained:"
  echo "$out"
  exit 1
fi
echo "systemd-analyze verify: clean"

security=$(systemd-analyze security --offline=yes "$tmp/ccmigrated.service" 2>&1)
score=$(echo "$security" | sed -n 's/.*Overall exposure level for ccmigrated.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { echo "$security"; echo "no exposure score found"; exit 1; }
echo "systemd-analyze security --offline=yes: exposure $score (limit $max_score)"
awk -v s="$score" -v m="$max_score" 'BEGIN { exit !(s <= m) }' || { echo "$security"; exit 1; }
