// entry.h — the LDAP value types: Entry (a DN and multi-valued attributes whose names compare
// case-insensitively) and Modification (one change of a modify request).
//
// Values are byte strings (LDAP values are octet strings; text is UTF-8). Attribute order is
// kept as given or as the server sent it, which keeps LDIF output stable. Attribute names are
// compared ASCII-case-insensitively ("objectclass" finds "objectClass"); value comparison is
// the caller's business, because it depends on the attribute's matching rule.
//
// Thread safety: plain value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/ascii.h"

namespace ccm::ldap {

/// One attribute of an entry.
struct Attribute {
  std::string name;
  std::vector<std::string> values;
  bool operator==(const Attribute&) const = default;
};

/// A directory entry: a DN and its attributes.
struct Entry {
  std::string dn;
  std::vector<Attribute> attributes;

  /// The attribute called `name` (case-insensitive), or nullptr.
  const Attribute* Find(std::string_view name) const;
  /// Its values, or an empty list.
  const std::vector<std::string>& Values(std::string_view name) const;
  /// Its first value, if any.
  std::optional<std::string> First(std::string_view name) const;
  /// Appends `value` to the attribute `name`, creating it at the end if needed.
  void Add(std::string_view name, std::string value);
  /// True when objectClass has `object_class` (case-insensitive).
  bool HasObjectClass(std::string_view object_class) const;

  bool operator==(const Entry&) const = default;
};

/// One change of a modify request (RFC 4511 4.6).
struct Modification {
  enum class Kind { kAdd, kDelete, kReplace };
  Kind kind = Kind::kReplace;
  std::string attribute;
  /// For kDelete, empty means "delete the whole attribute"; for kReplace, empty removes it.
  std::vector<std::string> values;

  static Modification Add(std::string attribute, std::vector<std::string> values);
  static Modification Delete(std::string attribute, std::vector<std::string> values = {});
  static Modification Replace(std::string attribute, std::vector<std::string> values);

  bool operator==(const Modification&) const = default;
};

}  // namespace ccm::ldap
