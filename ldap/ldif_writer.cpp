// ldif_writer.cpp — RFC 2849 rendering. See ldif_writer.h.
#include "ldap/ldif_writer.h"

#include "ldap/base64.h"

namespace ccm::ldap {
namespace {

void AppendAttributes(std::string& out, const Entry& entry) {
  for (const auto& attribute : entry.attributes) {
    for (const auto& value : attribute.values)
      out += LdifLine(attribute.name, value);
  }
}

std::string_view KindName(Modification::Kind kind) {
  switch (kind) {
    case Modification::Kind::kAdd:
      return "add";
    case Modification::Kind::kDelete:
      return "delete";
    case Modification::Kind::kReplace:
      return "replace";
  }
  return "replace";
}

}  // namespace

bool IsLdifSafe(std::string_view value) {
  if (value.empty())
    return true;
  char first = value.front();
  if (first == ' ' || first == ':' || first == '<' || value.back() == ' ')
    return false;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f)
      return false;
  }
  return true;
}

std::string LdifLine(std::string_view name, std::string_view value) {
  std::string line(name);
  if (IsLdifSafe(value)) {
    line += value.empty() ? ":" : ": ";
    line += value;
  } else {
    line += ":: ";
    line += Base64Encode(value);
  }
  line += '\n';
  return line;
}

std::string LdifContentRecord(const Entry& entry) {
  std::string out = LdifLine("dn", entry.dn);
  AppendAttributes(out, entry);
  out += '\n';
  return out;
}

std::string LdifAddRecord(const Entry& entry) {
  std::string out = LdifLine("dn", entry.dn);
  out += "changetype: add\n";
  AppendAttributes(out, entry);
  out += '\n';
  return out;
}

std::string LdifModifyRecord(std::string_view dn, const std::vector<Modification>& modifications) {
  std::string out = LdifLine("dn", dn);
  out += "changetype: modify\n";
  for (const auto& modification : modifications) {
    out += KindName(modification.kind);
    out += ": ";
    out += modification.attribute;
    out += '\n';
    for (const auto& value : modification.values)
      out += LdifLine(modification.attribute, value);
    out += "-\n";
  }
  out += '\n';
  return out;
}

std::string LdifDeleteRecord(std::string_view dn) {
  return LdifLine("dn", dn) + "changetype: delete\n\n";
}

}  // namespace ccm::ldap
