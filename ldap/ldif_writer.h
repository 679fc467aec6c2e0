// ldif_writer.h — renders entries and changes as LDIF (RFC 2849) for the importer's dry run
// and journal, in a form `ldapmodify -f` accepts.
//
// A value (or DN) is written as "name: value" when it is a SAFE-STRING, and as
// "name:: <base64>" when it is empty-unsafe: a leading space, ":" or "<", a trailing space,
// NUL/CR/LF or any other control byte, or any byte >= 0x80 (so UTF-8 and binary data survive
// byte-exact). Lines are not folded. Every record ends with an empty line, so records can be
// concatenated into one file.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ldap/entry.h"

namespace ccm::ldap {

/// True when `value` may be written as "name: value" (RFC 2849 SAFE-STRING, no trailing space).
bool IsLdifSafe(std::string_view value);

/// One "name: value" or "name:: base64" line, with its newline.
std::string LdifLine(std::string_view name, std::string_view value);

/// A content record: dn and attributes (a journal's "prior entry").
std::string LdifContentRecord(const Entry& entry);

/// A change record that adds `entry`.
std::string LdifAddRecord(const Entry& entry);

/// A change record that applies `modifications` to `dn` ("-" after each one).
std::string LdifModifyRecord(std::string_view dn, const std::vector<Modification>& modifications);

/// A change record that deletes `dn`.
std::string LdifDeleteRecord(std::string_view dn);

}  // namespace ccm::ldap
