// escape.cpp — RFC 4515 and RFC 4514 escaping. See escape.h.
#include "ldap/escape.h"

namespace ccm::ldap {
namespace {

void AppendHex(std::string& out, unsigned char byte) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += '\\';
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0x0f];
}

}  // namespace

std::string EscapeFilterValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '*' || c == '(' || c == ')' || c == '\\' || byte < 0x20 || byte >= 0x7f)
      AppendHex(out, byte);
    else
      out += c;
  }
  return out;
}

std::string EscapeDnValue(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 4);
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    auto byte = static_cast<unsigned char>(c);
    bool leading = i == 0 && (c == ' ' || c == '#');
    bool trailing = i + 1 == value.size() && c == ' ';
    if (byte < 0x20 || byte == 0x7f) {
      AppendHex(out, byte);
    } else if (leading || trailing || c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' ||
               c == '>' || c == ';' || c == '=') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Rdn(std::string_view type, std::string_view value) {
  return std::string(type) + "=" + EscapeDnValue(value);
}

std::string ChildDn(std::string_view type, std::string_view value, std::string_view parent) {
  return Rdn(type, value) + "," + std::string(parent);
}

}  // namespace ccm::ldap
