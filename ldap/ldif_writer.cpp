// ldif_writer.cpp — RFC 2849 rendering. See ldif_writer.h.
#include "ldap/ldif_writer.h"

#include "ldap/base64.h"

namespace ccm::ldap {
namespace {

// Records are sized before they are written, so that each is one allocation of exactly its
// length: a plan holds one prior entry per user as its content record.

// The bytes AppendLine writes for one value.
std::size_t LineSize(std::string_view name, std::string_view value) {
  if (!IsLdifSafe(value))
    return name.size() + 3 + (value.size() + 2) / 3 * 4 + 1;  // "name:: " base64 "\n"
  return name.size() + (value.empty() ? 1 : 2 + value.size()) + 1;
}

void AppendLine(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  if (IsLdifSafe(value)) {
    out += value.empty() ? ":" : ": ";
    out += value;
  } else {
    out += ":: ";
    out += Base64Encode(value);
  }
  out += '\n';
}

std::size_t AttributesSize(const Entry& entry) {
  std::size_t size = 0;
  for (const auto& attribute : entry.attributes) {
    for (const auto& value : attribute.values)
      size += LineSize(attribute.name, value);
  }
  return size;
}

void AppendAttributes(std::string& out, const Entry& entry) {
  for (const auto& attribute : entry.attributes) {
    for (const auto& value : attribute.values)
      AppendLine(out, attribute.name, value);
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
  std::string line;
  line.reserve(LineSize(name, value));
  AppendLine(line, name, value);
  return line;
}

std::string LdifContentRecord(const Entry& entry) {
  std::string out;
  out.reserve(LineSize("dn", entry.dn) + AttributesSize(entry) + 1);
  AppendLine(out, "dn", entry.dn);
  AppendAttributes(out, entry);
  out += '\n';
  return out;
}

std::string LdifAddRecord(const Entry& entry) {
  constexpr std::string_view kChangetype = "changetype: add\n";
  std::string out;
  out.reserve(LineSize("dn", entry.dn) + kChangetype.size() + AttributesSize(entry) + 1);
  AppendLine(out, "dn", entry.dn);
  out += kChangetype;
  AppendAttributes(out, entry);
  out += '\n';
  return out;
}

std::string LdifModifyRecord(std::string_view dn, const std::vector<Modification>& modifications) {
  constexpr std::string_view kChangetype = "changetype: modify\n";
  std::size_t size = LineSize("dn", dn) + kChangetype.size() + 1;
  for (const auto& modification : modifications) {
    // "kind: attribute\n", a line per value, "-\n"
    size += KindName(modification.kind).size() + 2 + modification.attribute.size() + 1 + 2;
    for (const auto& value : modification.values)
      size += LineSize(modification.attribute, value);
  }
  std::string out;
  out.reserve(size);
  AppendLine(out, "dn", dn);
  out += kChangetype;
  for (const auto& modification : modifications) {
    out += KindName(modification.kind);
    out += ": ";
    out += modification.attribute;
    out += '\n';
    for (const auto& value : modification.values)
      AppendLine(out, modification.attribute, value);
    out += "-\n";
  }
  out += '\n';
  return out;
}

std::string LdifDeleteRecord(std::string_view dn) {
  return LdifLine("dn", dn) + "changetype: delete\n\n";
}

}  // namespace ccm::ldap
