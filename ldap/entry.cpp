// entry.cpp — lookups on Entry and the Modification factories. See entry.h.
#include "ldap/entry.h"

namespace ccm::ldap {

const Attribute* Entry::Find(std::string_view name) const {
  for (const auto& attribute : attributes) {
    if (EqualsIgnoreCase(attribute.name, name))
      return &attribute;
  }
  return nullptr;
}

const std::vector<std::string>& Entry::Values(std::string_view name) const {
  static const std::vector<std::string> kNone;
  const Attribute* attribute = Find(name);
  return attribute != nullptr ? attribute->values : kNone;
}

std::optional<std::string> Entry::First(std::string_view name) const {
  const auto& values = Values(name);
  if (values.empty())
    return std::nullopt;
  return values.front();
}

void Entry::Add(std::string_view name, std::string value) {
  for (auto& attribute : attributes) {
    if (EqualsIgnoreCase(attribute.name, name)) {
      attribute.values.push_back(std::move(value));
      return;
    }
  }
  attributes.push_back(Attribute{std::string(name), {std::move(value)}});
}

bool Entry::HasObjectClass(std::string_view object_class) const {
  for (const auto& value : Values("objectClass")) {
    if (EqualsIgnoreCase(value, object_class))
      return true;
  }
  return false;
}

Modification Modification::Add(std::string attribute, std::vector<std::string> values) {
  return {Kind::kAdd, std::move(attribute), std::move(values)};
}

Modification Modification::Delete(std::string attribute, std::vector<std::string> values) {
  return {Kind::kDelete, std::move(attribute), std::move(values)};
}

Modification Modification::Replace(std::string attribute, std::vector<std::string> values) {
  return {Kind::kReplace, std::move(attribute), std::move(values)};
}

}  // namespace ccm::ldap
