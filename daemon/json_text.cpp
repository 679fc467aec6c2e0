// json_text.cpp — JSON string escaping. See json_text.h.
#include "daemon/json_text.h"

#include <cstdint>

namespace ccm::daemon {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0.
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto b = static_cast<std::uint8_t>(text[i]);
  std::size_t len = 0;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (i + len > text.size())
    return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((static_cast<std::uint8_t>(text[i + k]) & 0xC0) != 0x80)
      return 0;
  }
  return len;
}

}  // namespace

std::string JsonQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (auto len = Utf8Length(text, i); len > 0) {
      out.append(text.substr(i, len));
      i += len - 1;
    } else {
      out += "\\u00";  // a stray byte: keep its value visible, keep the JSON valid
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += '"';
  return out;
}

}  // namespace ccm::daemon
