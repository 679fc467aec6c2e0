#!/usr/bin/env bash
# package_install_test.sh — installs the Debian package into a fresh Debian 12 container and
# checks what an administrator relies on:
#   - apt resolves its dependencies from the Debian mirror (the container uses the host's
#     network, as scripts/container-engine sets up);
#   - `ccmigrate --version` prints the package's version; `ccmigrate check` accepts the sample
#     set shipped in /usr/share/doc/ccmigrate/examples;
#   - the files are where Debian puts them (binary, unit, sysusers, tmpfiles, schema, docs, man
#     page, copyright, bash completion), the ccmigrate system user exists, the spool is its own,
#     /etc/ccmigrate/ccmigrate.toml is a conffile, and the unit only starts once the bind
#     password exists;
#   - `systemd-analyze verify` accepts the installed unit (systemd is installed for it);
#   - upgrades keep a locally edited conffile, both when the new version ships the same
#     conffile and when it ships a changed one (dpkg --force-confold, as unattended upgrades do);
#   - remove keeps the configuration; purge removes it and the empty spool, keeps the user.
# The upgrades install copies of the package with a higher version made with dpkg-deb.
#   usage: package_install_test.sh [DEB]   (default: build one with scripts/package)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
# shellcheck source=scripts/container-engine
source scripts/container-engine

deb=${1:-}
if [ -z "$deb" ]; then
  deb=$(scripts/package | tail -n 1)
fi
[ -f "$deb" ] || {
  echo "no package at $deb"
  exit 1
}
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg-deb -f "$deb" Architecture)

tmp=$(mktemp -d /tmp/ccm-pkgtest.XXXXXX)
container="ccm-pkgtest-$$"
cleanup() {
  "${engine[@]}" rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir "$tmp/pkg"
cp "$deb" "$tmp/pkg/ccmigrate_${version}_${arch}.deb"

# A newer version that ships the same files, and a still newer one whose shipped conffile
# changed (dpkg orders 0.1.0 < 0.1.0+1 < 0.1.0+2).
repack() { # NEW_VERSION CHANGE_CONFFILE
  local root="$tmp/repack"
  rm -rf "$root"
  dpkg-deb -R "$deb" "$root"
  sed -i "s/^Version: .*/Version: $1/" "$root/DEBIAN/control"
  if [ "$2" = yes ]; then
    printf '\n# A line the new version added.\n' >>"$root/etc/ccmigrate/ccmigrate.toml"
  fi
  dpkg-deb --root-owner-group -Zxz -b "$root" "$tmp/pkg/ccmigrate_$1_${arch}.deb" >/dev/null
}
repack "$version+1" no
repack "$version+2" yes

cat >"$tmp/inside.sh" <<'INSIDE'
set -euo pipefail
version=$1
arch=$(dpkg --print-architecture)
export DEBIAN_FRONTEND=noninteractive
failures=0
check() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@" >/tmp/check.out 2>&1; then
    echo "ok: $what"
  else
    echo "FAIL: $what"
    sed 's/^/    /' /tmp/check.out
    failures=$((failures + 1))
  fi
}
apt_install() {
  apt-get install -y -qq -o Dpkg::Use-Pty=0 "$@" >/tmp/apt.log 2>&1 || {
    cat /tmp/apt.log
    return 1
  }
}

# A container has no init: a policy-rc.d refuses service starts as on a build host.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
apt-get update -qq >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }

check "apt installs the package and resolves its dependencies" \
  apt_install "/pkg/ccmigrate_${version}_${arch}.deb"
check "ccmigrate --version prints $version" \
  sh -c "test \"\$(ccmigrate --version)\" = 'ccmigrate $version'"
check "ccmigrate check accepts the shipped sample set" \
  sh -c 'ccmigrate check /usr/share/doc/ccmigrate/examples/HQPO.001/HQPO.PKL; rc=$?; echo "exit $rc"; [ $rc -le 1 ]'
for f in /usr/bin/ccmigrate /lib/systemd/system/ccmigrated.service \
  /usr/lib/sysusers.d/ccmigrate.conf /usr/lib/tmpfiles.d/ccmigrate.conf \
  /usr/share/ccmigrate/schema/ccmigrate.ldif /usr/share/ccmigrate/schema/ccmigrate.schema \
  /usr/share/ccmigrate/schema/ccmigrate-access.ldif /usr/share/doc/ccmigrate/copyright \
  /usr/share/doc/ccmigrate/README.md /usr/share/doc/ccmigrate/operations.md \
  /usr/share/doc/ccmigrate/configuration.md /usr/share/man/man8/ccmigrate.8.gz \
  /usr/share/bash-completion/completions/ccmigrate /etc/ccmigrate/ccmigrate.toml; do
  check "installs $f" test -f "$f"
done
check "the ccmigrate system user exists" sh -c 'id ccmigrate && test "$(id -u ccmigrate)" -lt 1000'
check "the spool belongs to ccmigrate" \
  sh -c 'test "$(stat -c %U:%a /var/spool/ccmigrate/drop)" = ccmigrate:750'
check "/etc/ccmigrate/ccmigrate.toml is a conffile" \
  sh -c "dpkg-query -W -f='\${Conffiles}' ccmigrate | grep -q ' /etc/ccmigrate/ccmigrate.toml '"
check "the unit waits for the bind password" \
  grep -qx 'ConditionPathExists=/etc/ccmigrate/ldap.secret' /lib/systemd/system/ccmigrated.service
check "man ccmigrate is a valid page" sh -c 'zcat /usr/share/man/man8/ccmigrate.8.gz | grep -q "^.SH NAME"'

if apt_install systemd; then
  check "systemd-analyze verify accepts the installed unit" \
    sh -c 'out=$(systemd-analyze verify --man=no /lib/systemd/system/ccmigrated.service 2>&1); echo "$out"; [ -z "$out" ]'
else
  echo "skip: systemd could not be installed; systemd-analyze verify not run"
fi

echo '# edited by the administrator' >>/etc/ccmigrate/ccmigrate.toml
check "an upgrade that ships the same conffile keeps the edited one" sh -c "
  apt-get install -y -qq -o Dpkg::Use-Pty=0 /pkg/ccmigrate_${version}+1_${arch}.deb >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
  test \"\$(dpkg-query -W -f='\${Version}' ccmigrate)\" = '${version}+1'
  grep -qx '# edited by the administrator' /etc/ccmigrate/ccmigrate.toml"
check "an upgrade that ships a changed conffile keeps the edited one (confold)" sh -c "
  apt-get install -y -qq -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold /pkg/ccmigrate_${version}+2_${arch}.deb >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
  test \"\$(dpkg-query -W -f='\${Version}' ccmigrate)\" = '${version}+2'
  grep -qx '# edited by the administrator' /etc/ccmigrate/ccmigrate.toml
  grep -qx '# A line the new version added.' /etc/ccmigrate/ccmigrate.toml.dpkg-dist"

echo 'secret' >/etc/ccmigrate/ldap.secret
check "remove keeps the configuration" sh -c '
  apt-get remove -y -qq -o Dpkg::Use-Pty=0 ccmigrate >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
  test ! -e /usr/bin/ccmigrate && test -f /etc/ccmigrate/ccmigrate.toml'
check "purge removes the configuration and the empty spool, keeps the user" sh -c '
  apt-get purge -y -qq -o Dpkg::Use-Pty=0 ccmigrate >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
  test ! -e /etc/ccmigrate && test ! -e /var/spool/ccmigrate && id ccmigrate'

echo "package install test: $failures failed"
[ "$failures" -eq 0 ]
INSIDE

ensure_base_image
"${engine[@]}" run --name "$container" --network=host "${ulimits[@]}" \
  -v "$tmp/pkg:/pkg:ro" -v "$tmp/inside.sh:/inside.sh:ro" \
  "$base_image" bash /inside.sh "$version" 2>&1 | grep -v 'unable to get systemd connection' || exit 1
