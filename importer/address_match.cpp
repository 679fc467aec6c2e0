// address_match.cpp — search spellings, near-miss variants, the resolution filter and the
// client-side confirmation of matches. See address_match.h.
#include "importer/address_match.h"

#include <algorithm>

#include "ccm/ascii.h"
#include "parser/source_address.h"

namespace ccm::importer {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t';
}

std::string SqueezeSpaces(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) {
    if (IsSpace(c)) {
      if (!out.empty() && out.back() == ' ')
        continue;
      c = ' ';
    }
    out.push_back(c);
  }
  return out;
}

// Every ',' followed by `after` (", " or ","), the spaces that followed it dropped.
std::string WithCommaSpacing(std::string_view text, std::string_view after) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ',') {
      out.push_back(text[i]);
      continue;
    }
    out.append(after);
    while (i + 1 < text.size() && IsSpace(text[i + 1]))
      ++i;
  }
  return out;
}

// Position of the last " at " (any case), or npos.
std::size_t FindLastAt(std::string_view text) {
  const std::string lower = AsciiLower(text);
  return lower.rfind(" at ");
}

}  // namespace

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string_view TypeOf(std::string_view address) {
  const std::size_t colon = address.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return {};
  const std::string_view type = address.substr(0, colon);
  const bool word = std::all_of(type.begin(), type.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  return word ? type : std::string_view{};
}

std::string_view WithoutType(std::string_view address) {
  const std::string_view type = TypeOf(address);
  return type.empty() ? address : address.substr(type.size() + 1);
}

std::vector<std::string> SearchSpellings(std::string_view address) {
  const std::string squeezed = SqueezeSpaces(parser::StripMigratePrefix(address));
  std::vector<std::string> out;
  for (std::string candidate :
       {squeezed, WithCommaSpacing(squeezed, ", "), WithCommaSpacing(squeezed, ",")}) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const std::string& s) {
      return EqualsIgnoreCase(s, candidate);
    });
    if (!seen)
      out.push_back(std::move(candidate));
  }
  return out;
}

std::optional<std::string> NearMissAddress(std::string_view address) {
  address = parser::StripMigratePrefix(address);
  const std::string_view type = TypeOf(address);
  const std::string_view rest = WithoutType(address);
  const std::size_t at = FindLastAt(rest);
  if (at == std::string_view::npos)
    return std::nullopt;
  const std::string name = SqueezeSpaces(rest.substr(0, at));
  const std::string post_office(Trim(rest.substr(at + 4)));
  std::string swapped;
  if (const std::size_t comma = name.find(','); comma != std::string::npos) {
    const std::string last(Trim(std::string_view(name).substr(0, comma)));
    const std::string first(Trim(std::string_view(name).substr(comma + 1)));
    if (last.empty() || first.empty() || first.find(',') != std::string::npos)
      return std::nullopt;
    swapped = first + " " + last;
  } else if (const std::size_t space = name.rfind(' '); space != std::string::npos) {
    swapped = name.substr(space + 1) + ", " + name.substr(0, space);
  } else {
    return std::nullopt;
  }
  std::string out;
  if (!type.empty())
    out.append(type).append(":");
  return out + swapped + " at " + post_office;
}

namespace {

void AddTerms(std::vector<ldap::Filter>& terms, const std::vector<std::string>& spellings,
              bool match_target_without_type) {
  for (const std::string& s : spellings) {
    terms.push_back(ldap::Filter::Eq("ccmProxyAddress", s));
    terms.push_back(ldap::Filter::Eq("ccmTargetAddress", s));
    terms.push_back(ldap::Filter::Eq("ccmProxyAddress", "migrate:" + s));
    if (match_target_without_type && !TypeOf(s).empty()) {
      terms.push_back(ldap::Filter::Eq("ccmTargetAddress", WithoutType(s)));
    }
  }
}

}  // namespace

std::vector<ldap::Filter> ResolutionTerms(const MigratingUser& user,
                                          bool match_target_without_type) {
  std::vector<ldap::Filter> terms;
  AddTerms(terms, SearchSpellings(user.source_address), match_target_without_type);
  if (auto variant = NearMissAddress(user.source_address))
    AddTerms(terms, SearchSpellings(*variant), match_target_without_type);
  return terms;
}

std::vector<ldap::Filter> IdentityTerms(std::string_view address, bool match_target_without_type) {
  std::vector<ldap::Filter> terms;
  AddTerms(terms, SearchSpellings(address), match_target_without_type);
  return terms;
}

namespace {

std::string TypelessKey(std::string_view address) {
  return parser::NormalizeSourceAddress(WithoutType(address));
}

// Whether the entry holds `key` (or, for a type-less target, `typeless_key`).
bool Holds(const EntryAddressKeys& entry, const std::string& key, const std::string& typeless_key,
           bool match_target_without_type) {
  if (std::find(entry.proxies.begin(), entry.proxies.end(), key) != entry.proxies.end())
    return true;
  for (std::size_t i = 0; i < entry.targets.size(); ++i) {
    if (entry.targets[i] == key)
      return true;
    if (match_target_without_type && !entry.target_has_type[i] && entry.targets[i] == typeless_key)
      return true;
  }
  return false;
}

}  // namespace

UserMatchKeys MatchKeysOf(const MigratingUser& user) {
  UserMatchKeys keys;
  keys.key = parser::NormalizeSourceAddress(user.source_address);
  keys.typeless_key = TypelessKey(user.source_address);
  if (auto variant = NearMissAddress(user.source_address)) {
    keys.near_key = parser::NormalizeSourceAddress(*variant);
    keys.near_typeless_key = TypelessKey(*variant);
  }
  return keys;
}

EntryAddressKeys AddressKeysOf(const ldap::Entry& entry) {
  EntryAddressKeys keys;
  for (const std::string& v : entry.Values("ccmProxyAddress"))
    keys.proxies.push_back(parser::NormalizeSourceAddress(v));
  for (const std::string& v : entry.Values("ccmTargetAddress")) {
    keys.targets.push_back(parser::NormalizeSourceAddress(v));
    keys.target_has_type.push_back(!TypeOf(v).empty());
  }
  return keys;
}

EntryMatch ClassifyEntry(const EntryAddressKeys& entry, const UserMatchKeys& user,
                         bool match_target_without_type) {
  if (Holds(entry, user.key, user.typeless_key, match_target_without_type))
    return EntryMatch::kMatch;
  if (user.near_key &&
      Holds(entry, *user.near_key, *user.near_typeless_key, match_target_without_type)) {
    return EntryMatch::kNearMiss;
  }
  return EntryMatch::kNone;
}

ldap::Filter AnyTermByRank(std::vector<std::vector<ldap::Filter>> terms_per_item) {
  std::size_t most = 0;
  for (const auto& terms : terms_per_item)
    most = std::max(most, terms.size());
  std::vector<ldap::Filter> by_rank;
  for (std::size_t rank = 0; rank < most; ++rank) {
    for (auto& terms : terms_per_item) {
      if (rank < terms.size())
        by_rank.push_back(std::move(terms[rank]));
    }
  }
  return ldap::Filter::Or(std::move(by_rank));
}

}  // namespace ccm::importer
