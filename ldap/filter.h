// filter.h — ccm::ldap::Filter: search filters built from parts, never pasted from strings.
//
// Filter::Eq("ccmProxyAddress", address) escapes the value (RFC 4515); And/Or/Not combine
// filters. Attribute names are program constants, not data: a name that is not a valid
// attribute description (letters, digits, "-", ";" options, or a numeric OID) makes the filter
// invalid; the client refuses an invalid filter with result_code::kFilterError (-7) before anything
// is sent, so a bad name cannot turn into an injection or a silently wrong search.
//
// Thread safety: a plain value type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ccm::ldap {

/// A well-formed RFC 4515 search filter.
class Filter {
 public:
  /// (attribute=value), value escaped.
  static Filter Eq(std::string_view attribute, std::string_view value);
  /// (attribute=*)
  static Filter Present(std::string_view attribute);
  /// (&f1 f2 …); an empty list is the absolute true filter (&).
  static Filter And(std::vector<Filter> parts);
  /// (|f1 f2 …); an empty list is the absolute false filter (|).
  static Filter Or(std::vector<Filter> parts);
  /// (!f)
  static Filter Not(const Filter& part);

  /// The filter text, e.g. "(ccmProxyAddress=CCMAIL:Quinn, Avery at HQPO)".
  const std::string& str() const { return text_; }
  /// False when an attribute name was not a valid attribute description.
  bool valid() const { return valid_; }

 private:
  Filter(std::string text, bool valid) : text_(std::move(text)), valid_(valid) {}
  static Filter Combine(char op, const std::vector<Filter>& parts);
  std::string text_;
  bool valid_ = true;
};

/// True when `name` is an attribute description: a descr or numeric OID, with ";options".
bool IsAttributeDescription(std::string_view name);

}  // namespace ccm::ldap
