// packed_entry.cpp — the layout: DN, attribute count, then per attribute its name, value count
// and values; every string as a 4-byte length (host order: a PackedEntry never leaves the
// process) followed by its bytes, every count as 4 bytes.
#include "ldap/packed_entry.h"

#include <cassert>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ccm::ldap {
namespace {

constexpr std::size_t kCountBytes = sizeof(std::uint32_t);

void PutCount(std::string& out, std::size_t count) {
  // An LDAP message is at most a few MiB in practice and libldap caps it well below 4 GiB.
  assert(count <= std::numeric_limits<std::uint32_t>::max());
  const auto n = static_cast<std::uint32_t>(count);
  char bytes[kCountBytes];
  std::memcpy(bytes, &n, kCountBytes);
  out.append(bytes, kCountBytes);
}

void PutString(std::string& out, std::string_view text) {
  PutCount(out, text.size());
  out.append(text);
}

// Reads what PutCount and PutString wrote, front to back.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : rest_(bytes) {}
  std::size_t Count() {
    assert(rest_.size() >= kCountBytes);
    std::uint32_t n = 0;
    std::memcpy(&n, rest_.data(), kCountBytes);
    rest_.remove_prefix(kCountBytes);
    return n;
  }
  std::string String() {
    const std::size_t length = Count();
    assert(rest_.size() >= length);
    std::string text(rest_.substr(0, length));
    rest_.remove_prefix(length);
    return text;
  }

 private:
  std::string_view rest_;
};

std::size_t PackedLength(const Entry& entry) {
  std::size_t length = 2 * kCountBytes + entry.dn.size();
  for (const Attribute& attribute : entry.attributes) {
    length += 2 * kCountBytes + attribute.name.size();
    for (const std::string& value : attribute.values)
      length += kCountBytes + value.size();
  }
  return length;
}

}  // namespace

PackedEntry::PackedEntry(const Entry& entry) {
  bytes_.reserve(PackedLength(entry));
  PutString(bytes_, entry.dn);
  PutCount(bytes_, entry.attributes.size());
  for (const Attribute& attribute : entry.attributes) {
    PutString(bytes_, attribute.name);
    PutCount(bytes_, attribute.values.size());
    for (const std::string& value : attribute.values)
      PutString(bytes_, value);
  }
}

Entry PackedEntry::Unpack() const {
  Entry entry;
  if (bytes_.empty())
    return entry;  // a default-constructed PackedEntry
  Cursor cursor(bytes_);
  entry.dn = cursor.String();
  entry.attributes.resize(cursor.Count());
  for (Attribute& attribute : entry.attributes) {
    attribute.name = cursor.String();
    attribute.values.resize(cursor.Count());
    for (std::string& value : attribute.values)
      value = cursor.String();
  }
  return entry;
}

}  // namespace ccm::ldap
