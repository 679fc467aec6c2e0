// ascii.h — ASCII-only case folding. The formats ccmigrate reads compare their keywords, file
// names, attribute names and object classes case-insensitively in ASCII only (cc:Mail sets,
// LDAP schema names); bytes outside A–Z are left as they are, whatever the code page.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ccm {

/// An ASCII lower-case copy of `text`.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// ASCII case-insensitive equality.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = static_cast<char>(y - 'A' + 'a');
    if (x != y)
      return false;
  }
  return true;
}

}  // namespace ccm
