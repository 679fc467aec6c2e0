// packed_entry.cpp — the layout (ccm/packed_strings.h): DN, attribute count, then per attribute
// its name, value count and values.
#include "ldap/packed_entry.h"

#include "ccm/packed_strings.h"

namespace ccm::ldap {

std::size_t PackedEntry::PackedLength(const Entry& entry) {
  std::size_t length = PackedStringBytes(entry.dn.size()) + kPackedCountBytes;
  for (const Attribute& attribute : entry.attributes) {
    length += PackedStringBytes(attribute.name.size()) + kPackedCountBytes;
    for (const std::string& value : attribute.values)
      length += PackedStringBytes(value.size());
  }
  return length;
}

void PackedEntry::AppendTo(const Entry& entry, std::string& out) {
  AppendPackedString(out, entry.dn);
  AppendPackedCount(out, entry.attributes.size());
  for (const Attribute& attribute : entry.attributes) {
    AppendPackedString(out, attribute.name);
    AppendPackedCount(out, attribute.values.size());
    for (const std::string& value : attribute.values)
      AppendPackedString(out, value);
  }
}

Entry PackedEntry::ReadFrom(PackedReader& reader) {
  Entry entry;
  entry.dn = reader.String();
  entry.attributes.resize(reader.Count());
  for (Attribute& attribute : entry.attributes) {
    attribute.name = reader.String();
    attribute.values.resize(reader.Count());
    for (std::string& value : attribute.values)
      value = reader.String();
  }
  return entry;
}

PackedEntry::PackedEntry(const Entry& entry) {
  bytes_.reserve(PackedLength(entry));
  AppendTo(entry, bytes_);
}

Entry PackedEntry::Unpack() const {
  if (bytes_.empty())
    return Entry{};  // a default-constructed PackedEntry
  PackedReader reader(bytes_);
  return ReadFrom(reader);
}

}  // namespace ccm::ldap
