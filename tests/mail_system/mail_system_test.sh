#!/usr/bin/env bash
# mail_system_test.sh — the migrated mailboxes as a real mail system serves them: ccmigrate
# imports into a store shared with Dovecot's mail user, a stock Dovecot 2.3 with the shipped
# conf/dovecot files serves them over IMAP, and postmap answers with the shipped conf/postfix
# tables; all against a real slapd (scripts/dev-ldap) that runs the shipped least-privilege ACL
# (conf/ldap/access.ldif), indexes (conf/ldap/indexes.ldif) and limits (conf/ldap/limits.ldif).
#
# The world: the sample set conf/examples/HQPO.001 (Avery Quinn: three messages; Jordan Lee:
# none) and tests/mail_system/data/DOTPO.001 (Jamie Doe, uid J.Doe: two messages, one with an
# attachment). ccmigrate runs as the system user `ccmigrate` with the supplementary group vmail
# ([mailstore] group = "vmail"); Dovecot's mail processes run as vmail:vmail. The users and the
# group are created when missing (idempotent).
#
# Checks, in order:
#   - the size limit: at slapd's default of 500 entries a search, a paged read of the recipients
#     by ccmigrate's service account stops at 500, and passes it once conf/ldap/limits.ldif is
#     applied, while a plain search still stops at 500;
#   - bad configuration: an unknown group, and a group the process is not in, exit 78 naming
#     [mailstore] group, before anything is written;
#   - bad input: a store root the group cannot use, and a mailbox folder that is a symlink,
#     defer the set; a ccmMailStore value naming a path outside the root makes the user a
#     conflict; nothing is written outside the root in any case;
#   - a converted user who opens the mailbox before ccmigrate delivered (the deferred run had
#     converted Jamie): Dovecot creates the folder, and the rerun delivers into it;
#   - both sets import (exit 0); the mailbox folders are the ccmMailStore values (j.doe, not
#     j%2Edoe); everything ccmigrate created is group vmail, group-readable and -writable;
#   - over IMAP (tests/mail_system/imap_client.py): each converted user logs in with an SMTP
#     address and the entry's password; LIST shows the mapped folders; every message exactly
#     once with its Subject, Date, INTERNALDATE = cc:Mail received date, \Seen = not Unread, and
#     attachments as named MIME parts; an unconverted custom recipient, an unknown address and
#     a wrong password cannot log in;
#   - a flag set over IMAP survives a rerun of the import, and the rerun adds nothing; a rerun
#     after a message file was lost delivers exactly that one and leaves every other entry of
#     the mailbox (Dovecot's index and uidlist files included) as it was;
#   - postmap -q: converted address -> "<ccmMailStore>/", custom recipient -> its target,
#     unknown -> nothing.
# Needs root (Dovecot switches to vmail; ccmigrate runs as another user); exits 77 (skipped)
# otherwise. Usage: mail_system_test.sh CCMIGRATE_BINARY
set -euo pipefail
ccmigrate=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
client=$here/tests/mail_system/imap_client.py

[ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
for tool in /usr/sbin/dovecot /usr/sbin/postmap /usr/sbin/slapd python3 setpriv; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps"; exit 1; }
done

work=$(mktemp -d /tmp/ccmm.XXXXXX) # short: the ldapi socket path must stay under 108 bytes
chmod 755 "$work"
export CCM_DEV_LDAP_DIR=$work/ldap CCM_DEV_DOVECOT_DIR=$work/dovecot
cleanup() {
  local rc=$?
  "$here/scripts/dev-dovecot" stop >/dev/null 2>&1 || true
  "$here/scripts/dev-ldap" stop >/dev/null 2>&1 || true
  if [ $rc -ne 0 ] || [ "${KEEP:-0}" = 1 ]; then
    for log in "$work"/dovecot.log "$work"/*.out; do [ -f "$log" ] && { echo "--- $log"; tail -40 "$log"; }; done
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# --- users: vmail (Dovecot's mail processes, the store group) and ccmigrate (the importer)
getent group vmail >/dev/null || groupadd --system vmail
getent passwd vmail >/dev/null ||
  useradd --system --gid vmail --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vmail
getent passwd ccmigrate >/dev/null ||
  useradd --system --user-group --no-create-home --home-dir /var/lib/ccmigrate \
    --shell /usr/sbin/nologin ccmigrate
as_ccmigrate() { setpriv --reuid=ccmigrate --regid=ccmigrate --groups=vmail "$@"; }
as_ccmigrate_alone() { setpriv --reuid=ccmigrate --regid=ccmigrate --clear-groups "$@"; }

# --- the directory, with the shipped ACL and indexes
port=""
for candidate in $(seq 11389 11489); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || fail "no free port for slapd"
uri=$(CCM_DEV_LDAP_PORT=$port "$here/scripts/dev-ldap" start 2>"$work/dev-ldap.out")
ldapi="ldapi://${CCM_DEV_LDAP_DIR//\//%2F}%2Fldapi"
admin=(-x -H "$ldapi" -D cn=admin,dc=example,dc=test -y "$CCM_DEV_LDAP_DIR/admin.pw")
ldapmodify -Q -Y EXTERNAL -H "$ldapi" -f "$here/conf/ldap/indexes.ldif" >"$work/ldif.out" 2>&1 ||
  fail "conf/ldap/indexes.ldif: $(cat "$work/ldif.out")"
ldapmodify -Q -Y EXTERNAL -H "$ldapi" -f "$here/conf/ldap/access.ldif" >"$work/ldif.out" 2>&1 ||
  fail "conf/ldap/access.ldif: $(cat "$work/ldif.out")"
ldapadd "${admin[@]}" -f "$here/conf/ldap/services.ldif" >"$work/ldif.out" 2>&1 ||
  fail "conf/ldap/services.ldif: $(cat "$work/ldif.out")"
# Passwords: the two services, and the users who log in (Priya stays a custom recipient).
secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=\n'; }
mkdir -p "$work/secrets" && chmod 700 "$work/secrets"
umask 077
for who in ccmigrate mail-lookup; do
  secret >"$work/secrets/$who.pw"
  ldappasswd "${admin[@]}" -T "$work/secrets/$who.pw" "cn=$who,ou=Services,dc=example,dc=test" >/dev/null
done
ldapadd "${admin[@]}" >"$work/ldif.out" 2>&1 <<'LDIF' || fail "Jamie Doe: $(cat "$work/ldif.out")"
dn: cn=Jamie Doe,ou=Recipients,dc=example,dc=test
objectClass: inetOrgPerson
objectClass: ccmCustomRecipient
cn: Jamie Doe
sn: Doe
givenName: Jamie
uid: J.Doe
ccmTargetAddress: CCMAIL:Doe, Jamie at DOTPO
ccmProxyAddress: CCMAIL:Doe, Jamie at DOTPO
ccmProxyAddress: SMTP:jamie.doe@corvane.example
LDIF
ldapmodify "${admin[@]}" >"$work/ldif.out" 2>&1 <<'LDIF' || fail "Priya: $(cat "$work/ldif.out")"
dn: cn=Priya Natarajan,ou=Recipients,dc=example,dc=test
changetype: modify
add: ccmProxyAddress
ccmProxyAddress: SMTP:pnatarajan@corvane.example
LDIF
# The size limit: with slapd's default of 500 entries a search, ccmigrate's paged read of the base
# stops at 500 until conf/ldap/limits.ldif lets its service account page past it.
ldapmodify -Q -Y EXTERNAL -H "$ldapi" >"$work/ldif.out" 2>&1 <<'LDIF' || fail "size limit: $(cat "$work/ldif.out")"
dn: olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcSizeLimit
olcSizeLimit: 500
LDIF
for i in $(seq 1 520); do
  printf 'dn: cn=Paged %s,ou=Recipients,dc=example,dc=test\nobjectClass: inetOrgPerson\nobjectClass: ccmCustomRecipient\ncn: Paged %s\nsn: Paged\nccmTargetAddress: CCMAIL:Paged, %s at FARPO\n\n' "$i" "$i" "$i"
done | ldapadd "${admin[@]}" >"$work/ldif.out" 2>&1 || fail "paged entries: $(cat "$work/ldif.out")"
addressed() {
  ldapsearch -x -LLL -H "$uri" -D cn=ccmigrate,ou=Services,dc=example,dc=test \
    -y "$work/secrets/ccmigrate.pw" -b ou=Recipients,dc=example,dc=test "$@" \
    '(|(ccmProxyAddress=*)(ccmTargetAddress=*))' 1.1 2>/dev/null | grep -c '^dn:'
}
before=$(addressed -E pr=1000/noprompt) || true
[ "$before" = 500 ] || fail "a paged read before limits.ldif returned $before entries, not 500"
ldapmodify -Q -Y EXTERNAL -H "$ldapi" -f "$here/conf/ldap/limits.ldif" >"$work/ldif.out" 2>&1 ||
  fail "conf/ldap/limits.ldif: $(cat "$work/ldif.out")"
paged=$(addressed -E pr=1000/noprompt) || true
plain=$(addressed) || true
[ "$paged" -gt 520 ] && [ "$plain" = 500 ] ||
  fail "with limits.ldif: paged read $paged entries (want all, over 520), plain search $plain (want 500)"
pass "conf/ldap/limits.ldif: ccmigrate's paged read passes the 500-entry limit ($paged entries), a plain search does not"
declare -A password
for cn in "Avery Quinn" "Jordan Lee" "Jamie Doe" "Priya Natarajan"; do
  password[$cn]=$(secret)
  printf '%s' "${password[$cn]}" >"$work/secrets/user.pw"
  ldappasswd "${admin[@]}" -T "$work/secrets/user.pw" "cn=$cn,ou=Recipients,dc=example,dc=test" >/dev/null
done
pass "slapd with conf/ldap/access.ldif, indexes.ldif and services.ldif"

umask 022
# --- ccmigrate's world: owned by the ccmigrate user; the store root by ccmigrate:vmail
run=$work/run
mkdir -p "$run" "$work/mail"
cp -r "$here/conf/examples/HQPO.001" "$here/tests/mail_system/data/DOTPO.001" "$run/"
cp "$work/secrets/ccmigrate.pw" "$run/ldap.pw"
write_config() { # $1 = extra [mailstore] lines
  cat >"$run/ccmigrate.toml" <<TOML
[ldap]
uri = "$uri"
bind_dn = "cn=ccmigrate,ou=Services,dc=example,dc=test"
password_file = "ldap.pw"
base_dn = "ou=Recipients,dc=example,dc=test"

[import]
default_home = "mail1.example.test"
source_timezone = "UTC"
on_conflict = "skip-user"
journal_key_file = "journal.key"

[mailstore]
root = "$work/mail"
$1
TOML
}
chown -R ccmigrate:ccmigrate "$run"
chmod 600 "$run/ldap.pw"
# The store root as docs/mail-system.md sets it up: the store group's, set-group-ID, so that a
# mailbox folder Dovecot creates itself is shared with the group too.
chown ccmigrate:vmail "$work/mail"
chmod 2770 "$work/mail"
import() { # $1 = set directory name, $2 = pkl; prints nothing, returns ccmigrate's exit code
  local rc=0
  as_ccmigrate "$ccmigrate" import --config "$run/ccmigrate.toml" "$run/$1/$2" \
    --report-dir "$run/$1.report" >>"$work/import.out" 2>&1 || rc=$?
  return $rc
}
expect_exit() { # $1 = expected code, $2 = what, rest = command
  local want=$1 what=$2 rc=0
  shift 2
  "$@" || rc=$?
  [ "$rc" -eq "$want" ] || fail "$what: exit $rc, expected $want (see $work/import.out)"
}
nothing_outside() { # the only entries of $work are ours: nothing written outside the root
  local extra
  extra=$(find "$work" -mindepth 1 -maxdepth 1 \
    ! -name ldap ! -name dovecot ! -name run ! -name mail ! -name secrets ! -name outside \
    ! -name '*.out' | sort)
  [ -z "$extra" ] || fail "written outside the store root: $extra"
  [ -z "$(ls -A "$work/outside" 2>/dev/null)" ] || fail "written into $work/outside"
}

# --- configuration errors: at start, exit 78, naming the key
write_config 'group = "ccm-no-such-group"'
chown ccmigrate "$run/ccmigrate.toml"
rc=0; as_ccmigrate "$ccmigrate" import --config "$run/ccmigrate.toml" "$run/HQPO.001/HQPO.PKL" \
  >"$work/config.out" 2>&1 || rc=$?
[ $rc -eq 78 ] && grep -q "\[mailstore\] group" "$work/config.out" ||
  fail "unknown group: exit $rc: $(cat "$work/config.out")"
write_config 'group = "vmail"'
chown ccmigrate "$run/ccmigrate.toml"
rc=0; as_ccmigrate_alone "$ccmigrate" import --config "$run/ccmigrate.toml" "$run/HQPO.001/HQPO.PKL" \
  >"$work/config.out" 2>&1 || rc=$?
[ $rc -eq 78 ] && grep -q "\[mailstore\] group.*not a member of group 'vmail'" "$work/config.out" ||
  fail "group without the process: exit $rc: $(cat "$work/config.out")"
[ -z "$(ls -A "$work/mail")" ] || fail "a configuration error wrote into the store"
pass "unknown group and group without the process: exit 78 naming [mailstore] group"

# --- Dovecot with the shipped configuration, serving the store from the start
imap_port=$(CCM_MAIL_ROOT=$work/mail CCM_LDAP_URI=$uri \
  CCM_LDAP_LOOKUP_DN=cn=mail-lookup,ou=Services,dc=example,dc=test \
  CCM_LDAP_LOOKUP_PW_FILE=$work/secrets/mail-lookup.pw "$here/scripts/dev-dovecot" start)
trap 'cp "$CCM_DEV_DOVECOT_DIR/dovecot.log" "$work/dovecot.log" 2>/dev/null || true; cleanup' EXIT
imap() { python3 "$client" "$imap_port" "$@"; }


same() { # $1 = what, $2 = expected JSON, $3 = actual JSON: equal as sorted message lists
  python3 - "$1" "$2" "$3" <<'PY' || exit 1
import json, sys
what, want, got = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
key = lambda m: (m['folder'], m['subject'])
for m in got['messages']:
    # The address book's Date and INTERNALDATE are the time it was delivered.
    if m['subject'] == 'Personal address book from cc:Mail':
        m['date'] = m['internaldate'] = '(import time)'
for d in (want, got):
    d['messages'].sort(key=key)
if want != got:
    print(f'FAIL: {what}:\nexpected {json.dumps(want, sort_keys=True)}\ngot      {json.dumps(got, sort_keys=True)}')
    sys.exit(1)
PY
}

# --- bad input
mkdir -p "$work/outside" && chmod 777 "$work/outside"
# A root the group cannot use: deferred (a rerun finishes), nothing delivered.
chmod 0700 "$work/mail"
expect_exit 75 "HQPO into a root the group cannot use" import HQPO.001 HQPO.PKL
grep -q "does not let the store group" "$run/HQPO.001.report/report.json" ||
  fail "report does not say why: $(cat "$run/HQPO.001.report/report.json")"
[ -z "$(ls -A "$work/mail")" ] || fail "a refused root got mailboxes"
chmod 2770 "$work/mail"
# A ccmMailStore naming a path outside the root: Jamie as a mailbox with ../outside.
ldapmodify "${admin[@]}" >/dev/null <<'LDIF'
dn: cn=Jamie Doe,ou=Recipients,dc=example,dc=test
changetype: modify
delete: objectClass
objectClass: ccmCustomRecipient
-
delete: ccmTargetAddress
-
add: objectClass
objectClass: ccmMailbox
-
add: ccmMailboxHome
ccmMailboxHome: mail1.example.test
-
add: ccmMailStore
ccmMailStore: ../outside
LDIF
expect_exit 1 "DOTPO with ccmMailStore ../outside" import DOTPO.001 DOTPO.PKL
grep -q '"decision":"conflict"' "$run/DOTPO.001.report/report.json" ||
  fail "unsafe ccmMailStore is not a conflict: $(cat "$run/DOTPO.001.report/report.json")"
nothing_outside
# Back to a custom recipient; then its mailbox folder is a symlink out of the root: deferred.
ldapmodify "${admin[@]}" >/dev/null <<'LDIF'
dn: cn=Jamie Doe,ou=Recipients,dc=example,dc=test
changetype: modify
delete: objectClass
objectClass: ccmMailbox
-
delete: ccmMailboxHome
-
delete: ccmMailStore
-
add: objectClass
objectClass: ccmCustomRecipient
-
add: ccmTargetAddress
ccmTargetAddress: CCMAIL:Doe, Jamie at DOTPO
LDIF
ln -s "$work/outside" "$work/mail/j.doe"
expect_exit 75 "DOTPO with a symlinked mailbox folder" import DOTPO.001 DOTPO.PKL
grep -q "refusing" "$run/DOTPO.001.report/report.json" ||
  fail "symlink not refused: $(cat "$run/DOTPO.001.report/report.json")"
nothing_outside
rm "$work/mail/j.doe"
# Jamie is converted (the deferred run applied the directory change) and opens the mailbox
# before ccmigrate delivers: Dovecot creates the folder, and the rerun delivers into it.
same "Jamie before delivery" '{"folders": ["INBOX"], "messages": []}' \
  "$(imap jamie.doe@corvane.example "${password[Jamie Doe]}" dump)"
[ "$(stat -c %U "$work/mail/j.doe")" = vmail ] || fail "Dovecot did not create j.doe"
pass "bad input: root the group cannot use (75), ccmMailStore outside the root (conflict), symlinked folder (75); nothing written outside the root"

# --- the imports (HQPO's directory changes were made by the deferred run: this one finishes)
expect_exit 0 "HQPO import" import HQPO.001 HQPO.PKL
expect_exit 0 "DOTPO import" import DOTPO.001 DOTPO.PKL
# Jordan has no mail: his mailbox folder appears when Dovecot first opens it.
[ "$(ls "$work/mail" | tr '\n' ' ')" = "aquinn j.doe " ] || fail "mailbox folders: $(ls "$work/mail")"
store=$(ldapsearch "${admin[@]}" -LLL -b ou=Recipients,dc=example,dc=test '(cn=Jamie Doe)' ccmMailStore |
  sed -n 's/^ccmMailStore: //p')
[ "$store" = j.doe ] || fail "Jamie's ccmMailStore is '$store'"
bad=$(find "$work/mail" -mindepth 1 -user ccmigrate \
  \( ! -group vmail -o \( -type d ! -perm -0770 \) -o \( -type f ! -perm -0660 \) \))
[ -z "$bad" ] || fail "not shared with vmail: $bad"
[ -n "$(find "$work/mail/j.doe" -user ccmigrate -type f -path '*/cur/*')" ] ||
  fail "no message of ccmigrate's in Dovecot's j.doe"
pass "imports done (j.doe into the folder Dovecot made); folders = ccmMailStore; all shared with vmail"

epoch() { date -u -d "$1" +%s; }
# The third message is a free document: its subject is the document's name
# (docs/mail-delivery.md); its Unread field is empty, so it counts as read. The PAB section
# arrives as an unread message in the INBOX (docs/addresses-and-address-books.md).
expected_avery=$(cat <<JSON
{"folders": ["INBOX", "Projects", "Projects.Cutover"],
 "messages": [
  {"folder": "INBOX", "subject": "Cutover date", "date": "Fri, 09 Apr 1999 11:30:00 +0000",
   "internaldate": $(epoch "1999-04-09 11:32:05"), "flags": [], "attachments": []},
  {"folder": "Projects.Cutover", "subject": "Agenda", "date": "Sat, 10 Apr 1999 09:00:00 +0000",
   "internaldate": $(epoch "1999-04-10 09:00:00"), "flags": ["\\\\Seen"], "attachments": ["AGENDA.TXT"]},
  {"folder": "Projects.Cutover", "subject": "ROLLBACK.TXT", "date": "Sun, 11 Apr 1999 08:00:00 +0000",
   "internaldate": $(epoch "1999-04-11 08:00:00"), "flags": ["\\\\Seen"], "attachments": ["ROLLBACK.TXT"]},
  {"folder": "INBOX", "subject": "Personal address book from cc:Mail", "date": "(import time)",
   "internaldate": "(import time)", "flags": [], "attachments": ["address-book.vcf"]}
 ]}
JSON
)
expected_jamie=$(cat <<JSON
{"folders": ["INBOX", "Sent"],
 "messages": [
  {"folder": "INBOX", "subject": "Welcome", "date": "Mon, 12 Apr 1999 10:00:00 +0000",
   "internaldate": $(epoch "1999-04-12 10:05:00"), "flags": [], "attachments": []},
  {"folder": "Sent", "subject": "Meeting minutes", "date": "Tue, 13 Apr 1999 14:30:00 +0000",
   "internaldate": $(epoch "1999-04-13 14:30:00"), "flags": ["\\\\Seen"], "attachments": ["MINUTES.TXT"]}
 ]}
JSON
)
expected_jordan='{"folders": ["INBOX"], "messages": []}'
avery=$(imap aquinn@corvane.example "${password[Avery Quinn]}" dump)
same "Avery over IMAP" "$expected_avery" "$avery"
jamie=$(imap JAMIE.DOE@corvane.example "${password[Jamie Doe]}" dump)
same "Jamie (uid J.Doe) over IMAP" "$expected_jamie" "$jamie"
jordan=$(imap jlee@corvane.example "${password[Jordan Lee]}" dump)
same "Jordan (no mail) over IMAP" "$expected_jordan" "$jordan"
pass "IMAP: folders, subjects, dates, INTERNALDATE, \\Seen and attachments as expected"

expect_exit 3 "Priya (custom recipient) login" \
  imap pnatarajan@corvane.example "${password[Priya Natarajan]}" login 127.0.0.2
expect_exit 3 "unknown address login" imap nobody@corvane.example x login 127.0.0.3
expect_exit 3 "Avery with a wrong password" imap aquinn@corvane.example wrong login 127.0.0.4
expect_exit 0 "Avery with her password" imap aquinn@corvane.example "${password[Avery Quinn]}" login
pass "IMAP: a custom recipient, an unknown address and a wrong password cannot log in"

# --- a flag set over IMAP survives a rerun; the rerun adds nothing
imap aquinn@corvane.example "${password[Avery Quinn]}" flag Projects.Cutover Agenda '\Flagged' >/dev/null
ls "$work/mail/aquinn" | grep -q '^dovecot' || fail "Dovecot kept no index in the mailbox"
expect_exit 0 "HQPO rerun" import HQPO.001 HQPO.PKL
grep -q '"messages_delivered":0' "$run/HQPO.001.report/report.json" ||
  fail "the rerun delivered something: $(cat "$run/HQPO.001.report/report.json")"
expected_flagged=${expected_avery/'"flags": ["\\Seen"], "attachments": ["AGENDA.TXT"]'/'"flags": ["\\Flagged", "\\Seen"], "attachments": ["AGENDA.TXT"]'}
[ "$expected_flagged" != "$expected_avery" ] || fail "test bug: flag substitution"
after=$(imap aquinn@corvane.example "${password[Avery Quinn]}" dump)
same "Avery after the rerun" "$expected_flagged" "$after"
pass "a flag set over IMAP survives the rerun; the rerun delivered nothing"

# --- a rerun delivers exactly what is missing and touches nothing else
snapshot() { # Avery's mailbox: every file's name, inode, mode, owner, group, size and mtime;
  # every directory's name, inode, mode, owner and group (a delivery changes a folder's mtime)
  (cd "$work/mail/aquinn" && {
    find . -mindepth 1 ! -type d -printf '%p %i %m %u %g %s %T@\n'
    find . -mindepth 1 -type d -printf '%p %i %m %u %g\n'
  } | sort)
}
lost=$(grep -L "^X-CCM-Identity: ccm1-pab:" $(find "$work/mail/aquinn/cur" -type f) | head -n 1)
[ -n "$lost" ] || fail "no message in Avery's INBOX"
rm "$lost"
before=$(snapshot)
expect_exit 0 "HQPO rerun after a lost message" import HQPO.001 HQPO.PKL
grep -q '"messages_delivered":1' "$run/HQPO.001.report/report.json" ||
  fail "the rerun did not deliver exactly the lost message: $(cat "$run/HQPO.001.report/report.json")"
[ -f "$lost" ] || fail "the lost message did not come back as $lost"
after_rerun=$(snapshot | grep -vF "./cur/$(basename "$lost") ")
[ "$before" = "$after_rerun" ] || fail "the rerun touched other entries: $(diff <(echo "$before") <(echo "$after_rerun"))"
same "Avery after the lost message came back" "$expected_flagged" \
  "$(imap aquinn@corvane.example "${password[Avery Quinn]}" dump)"
pass "a rerun delivers exactly the lost message and leaves every other entry as it was"

# --- Postfix tables (no daemon)
mkdir -p "$work/postfix"
printf 'compatibility_level = 3.6\n' >"$work/postfix/main.cf"
for table in ccmigrate-mailboxes ccmigrate-gateway; do
  sed -e "s|ldap://ldap.example.test|$uri|" \
    -e "s|^bind_pw = CHANGE-ME|bind_pw = $(cat "$work/secrets/mail-lookup.pw")|" \
    "$here/conf/postfix/$table.cf" >"$work/postfix/$table.cf"
  grep -q "^server_host = $uri" "$work/postfix/$table.cf" && ! grep -q CHANGE-ME "$work/postfix/$table.cf" ||
    fail "conf/postfix/$table.cf no longer templates"
done
query() { postmap -c "$work/postfix" -q "$1" "ldap:$work/postfix/$2.cf"; }
[ "$(query aquinn@corvane.example ccmigrate-mailboxes)" = "aquinn/" ] || fail "postmap: Avery"
[ "$(query jamie.doe@corvane.example ccmigrate-mailboxes)" = "j.doe/" ] || fail "postmap: Jamie"
[ "$(query pnatarajan@corvane.example ccmigrate-gateway)" = "CCMAIL:Natarajan, Priya at BRPO" ] ||
  fail "postmap: Priya -> $(query pnatarajan@corvane.example ccmigrate-gateway || true)"
for miss in "nobody@corvane.example ccmigrate-mailboxes" "nobody@corvane.example ccmigrate-gateway" \
  "pnatarajan@corvane.example ccmigrate-mailboxes" "aquinn@corvane.example ccmigrate-gateway"; do
  rc=0
  out=$(query $miss) || rc=$?
  [ $rc -eq 1 ] && [ -z "$out" ] || fail "postmap $miss: exit $rc, '$out'"
done
pass "postmap: converted -> mailbox, custom recipient -> target, unknown -> nothing"
echo "mail system: all checks passed"
