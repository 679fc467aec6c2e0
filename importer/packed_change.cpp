// packed_change.cpp — the layout (ccm/packed_strings.h): for a modify, the DN, the modification
// count, then per modification its kind, attribute, value count and values; for an add, the
// entry as ldap::PackedEntry lays it out (its DN is the change's).
#include "importer/packed_change.h"

#include "ccm/packed_strings.h"
#include "ldap/packed_entry.h"

namespace ccm::importer {
namespace {

std::size_t ModifyLength(const DirectoryChange& change) {
  std::size_t length = PackedStringBytes(change.dn.size()) + kPackedCountBytes;
  for (const ldap::Modification& modification : change.modifications) {
    length +=
        kPackedCountBytes + PackedStringBytes(modification.attribute.size()) + kPackedCountBytes;
    for (const std::string& value : modification.values)
      length += PackedStringBytes(value.size());
  }
  return length;
}

}  // namespace

PackedChange::PackedChange(const DirectoryChange& change)
    : kind_(change.kind), assertion_(change.assertion) {
  std::string bytes;
  if (change.kind == DirectoryChange::Kind::kAdd) {
    bytes.reserve(ldap::PackedEntry::PackedLength(change.entry));
    ldap::PackedEntry::AppendTo(change.entry, bytes);
  } else {
    bytes.reserve(ModifyLength(change));
    AppendPackedString(bytes, change.dn);
    AppendPackedCount(bytes, change.modifications.size());
    for (const ldap::Modification& modification : change.modifications) {
      AppendPackedCount(bytes, static_cast<std::size_t>(modification.kind));
      AppendPackedString(bytes, modification.attribute);
      AppendPackedCount(bytes, modification.values.size());
      for (const std::string& value : modification.values)
        AppendPackedString(bytes, value);
    }
  }
  bytes_ = std::move(bytes);
}

DirectoryChange PackedChange::Unpack() const {
  DirectoryChange change;
  change.kind = kind_;
  change.assertion = assertion_;
  PackedReader reader(bytes_.view());
  if (kind_ == DirectoryChange::Kind::kAdd) {
    change.entry = ldap::PackedEntry::ReadFrom(reader);
    change.dn = change.entry.dn;
    return change;
  }
  change.dn = reader.String();
  change.modifications.resize(reader.Count());
  for (ldap::Modification& modification : change.modifications) {
    modification.kind = static_cast<ldap::Modification::Kind>(reader.Count());
    modification.attribute = reader.String();
    modification.values.resize(reader.Count());
    for (std::string& value : modification.values)
      value = reader.String();
  }
  return change;
}

}  // namespace ccm::importer
