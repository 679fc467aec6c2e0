// escape.h — escaping untrusted values for LDAP filters (RFC 4515) and DNs (RFC 4514).
//
// Every value that comes from data (cc:Mail names contain commas and can contain "(", ")",
// "*" and "\") goes through one of these before it reaches a filter or a DN. Callers build
// filters with Filter (filter.h), which escapes for them; DNs with Rdn()/ChildDn().
//
// Filter values: "*", "(", ")", "\" and NUL become \2a \28 \29 \5c \00 as RFC 4515 requires;
// control bytes, DEL and bytes >= 0x80 are hex-escaped too (allowed by the RFC), so the
// result is plain printable ASCII whatever the input bytes are.
// DN values: "," "+" """ "\" "<" ">" ";" "=" are backslash-escaped, a leading "#" or space and
// a trailing space are escaped, NUL and other control bytes become \XX; UTF-8 passes through.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ccm::ldap {

/// Escapes a value for use inside a search filter assertion (RFC 4515).
std::string EscapeFilterValue(std::string_view value);

/// Escapes an attribute value for use inside a DN (RFC 4514).
std::string EscapeDnValue(std::string_view value);

/// "type=escaped value", e.g. Rdn("cn", "Quinn, Avery") == "cn=Quinn\, Avery".
std::string Rdn(std::string_view type, std::string_view value);

/// Rdn(type, value) + "," + parent.
std::string ChildDn(std::string_view type, std::string_view value, std::string_view parent);

}  // namespace ccm::ldap
