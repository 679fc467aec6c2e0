// source_address.cpp — normalisation of source addresses (see source_address.h).
#include "parser/source_address.h"

#include "parser/field_codec.h"

namespace ccm::parser {

std::string_view StripMigratePrefix(std::string_view address) {
  if (StartsWithIgnoreCase(address, "MIGRATE:")) {
    address.remove_prefix(8);
  }
  return address;
}

std::string NormalizeSourceAddress(std::string_view address) {
  while (!address.empty() && address.front() == ' ')
    address.remove_prefix(1);
  std::string lower = AsciiLower(StripMigratePrefix(address));
  std::string key;
  key.reserve(lower.size());
  for (char c : lower) {
    if (c == ' ') {
      // Squeeze runs, drop leading spaces and spaces right after a comma.
      if (key.empty() || key.back() == ' ' || key.back() == ',')
        continue;
    }
    key.push_back(c);
  }
  while (!key.empty() && key.back() == ' ')
    key.pop_back();
  return key;
}

}  // namespace ccm::parser
