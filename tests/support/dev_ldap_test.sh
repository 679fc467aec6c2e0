#!/usr/bin/env bash
# dev_ldap_test.sh — scripts/dev-ldap end to end: start prints a URI that serves the sample
# tree, a second start is a no-op, status tells running from stopped, stop removes the state
# and is idempotent. Uses its own state directory and port; never port 389.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
export CCM_DEV_LDAP_DIR
CCM_DEV_LDAP_DIR=$(mktemp -u /tmp/ccm.dev.XXXXXX)
export CCM_DEV_LDAP_PORT=$((20000 + RANDOM % 20000))
trap '"$here/scripts/dev-ldap" stop 2>/dev/null || true' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if "$here/scripts/dev-ldap" status 2>/dev/null; then fail "status says running before start"; fi
uri=$("$here/scripts/dev-ldap" start)
[ "$uri" = "ldap://127.0.0.1:$CCM_DEV_LDAP_PORT" ] || fail "start printed '$uri'"
pid=$(cat "$CCM_DEV_LDAP_DIR/slapd.pid")
[ "$("$here/scripts/dev-ldap" start 2>/dev/null)" = "$uri" ] || fail "second start"
[ "$(cat "$CCM_DEV_LDAP_DIR/slapd.pid")" = "$pid" ] || fail "second start started another slapd"
found=$(ldapsearch -x -LLL -H "$uri" -b dc=example,dc=test \
  '(ccmProxyAddress=CCMAIL:Lee, Jordan at HQPO)' memberOf)
echo "$found" | grep -q '^memberOf: cn=Cutover Team,ou=Recipients,dc=example,dc=test$' ||
  fail "sample tree not served: $found"
ldapwhoami -x -H "$uri" -D cn=admin,dc=example,dc=test -y "$CCM_DEV_LDAP_DIR/admin.pw" >/dev/null ||
  fail "admin cannot bind with the password file"
"$here/scripts/dev-ldap" status >/dev/null 2>&1 || fail "status says stopped while running"
"$here/scripts/dev-ldap" stop 2>/dev/null
kill -0 "$pid" 2>/dev/null && fail "slapd still running after stop"
[ ! -e "$CCM_DEV_LDAP_DIR" ] || fail "state directory left behind"
"$here/scripts/dev-ldap" stop 2>/dev/null || fail "second stop"
set +e
"$here/scripts/dev-ldap" status 2>/dev/null
[ $? = 3 ] || fail "status after stop should exit 3"
echo "dev-ldap: ok"
