// ascii.h — ASCII-only case folding and trimming, the one copy for every layer. The formats
// ccmigrate reads compare their keywords, file names, attribute names and object classes
// case-insensitively in ASCII only (cc:Mail sets, LDAP schema names); bytes outside A–Z are left
// as they are, whatever the code page or the process locale (std::tolower is not used for that
// reason). Trimming removes ASCII blanks only, never bytes of a multi-byte character.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ccm {

/// `c` in ASCII lower case; any other byte unchanged.
inline char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// An ASCII lower-case copy of `text`.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = AsciiLower(c);
  return out;
}

/// ASCII case-insensitive equality.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i]))
      return false;
  }
  return true;
}

/// True when `text` begins with `prefix`, compared ASCII case-insensitively.
inline bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

/// True when `text` ends with `suffix`, compared ASCII case-insensitively.
inline bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

/// `text` without the leading and trailing bytes found in `blanks` (space and tab by default).
inline std::string_view Trim(std::string_view text, std::string_view blanks = " \t") {
  const std::size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

}  // namespace ccm
