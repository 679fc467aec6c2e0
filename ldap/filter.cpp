// filter.cpp — building RFC 4515 filters from parts. See filter.h.
#include "ldap/filter.h"

#include "ldap/escape.h"

namespace ccm::ldap {
namespace {

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsKeychars(std::string_view part) {
  if (part.empty() || !IsAlpha(part[0]))
    return false;
  for (char c : part) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '-')
      return false;
  }
  return true;
}

bool IsNumericOid(std::string_view part) {
  if (part.empty())
    return false;
  bool digit_expected = true;
  for (char c : part) {
    if (IsDigit(c)) {
      digit_expected = false;
    } else if (c == '.' && !digit_expected) {
      digit_expected = true;
    } else {
      return false;
    }
  }
  return !digit_expected;
}

}  // namespace

bool IsAttributeDescription(std::string_view name) {
  auto semicolon = name.find(';');
  std::string_view type = name.substr(0, semicolon);
  if (!IsKeychars(type) && !IsNumericOid(type))
    return false;
  while (semicolon != std::string_view::npos) {
    name = name.substr(semicolon + 1);
    semicolon = name.find(';');
    if (!IsKeychars(name.substr(0, semicolon)))
      return false;
  }
  return true;
}

Filter Filter::Eq(std::string_view attribute, std::string_view value) {
  return Filter("(" + std::string(attribute) + "=" + EscapeFilterValue(value) + ")",
                IsAttributeDescription(attribute));
}

Filter Filter::Present(std::string_view attribute) {
  return Filter("(" + std::string(attribute) + "=*)", IsAttributeDescription(attribute));
}

Filter Filter::Combine(char op, const std::vector<Filter>& parts) {
  std::string text = "(";
  text += op;
  bool valid = true;
  for (const auto& part : parts) {
    text += part.text_;
    valid = valid && part.valid_;
  }
  text += ")";
  return Filter(std::move(text), valid);
}

Filter Filter::And(std::vector<Filter> parts) {
  return Combine('&', parts);
}

Filter Filter::Or(std::vector<Filter> parts) {
  return Combine('|', parts);
}

Filter Filter::Not(const Filter& part) {
  return Filter("(!" + part.text_ + ")", part.valid_);
}

}  // namespace ccm::ldap
