// base64.h — RFC 4648 base64 for LDIF values (ldif_writer, ldif_reader).
//
// Decode is strict: only the standard alphabet, with "=" padding to a multiple of four
// characters; anything else is refused (std::nullopt), so a damaged journal is noticed rather
// than half-read.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ccm::ldap {

std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace ccm::ldap
