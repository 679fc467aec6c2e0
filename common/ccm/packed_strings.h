// packed_strings.h — counts and byte strings laid end to end in one std::string: the layout of
// values that are held many times over and read back whole (ldap::PackedEntry,
// importer::PackedChange). Each count is 4 bytes in host order and each string is its length as
// a count followed by its bytes: a packed value never leaves the process.
//
// Thread safety: pure functions; a PackedReader is a cursor over bytes its caller keeps alive.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace ccm {

inline constexpr std::size_t kPackedCountBytes = sizeof(std::uint32_t);

/// The packed length of a string of `length` bytes.
inline constexpr std::size_t PackedStringBytes(std::size_t length) {
  return kPackedCountBytes + length;
}

inline void AppendPackedCount(std::string& out, std::size_t count) {
  // Directory values are bounded by the LDAP message size, far below 4 GiB.
  assert(count <= std::numeric_limits<std::uint32_t>::max());
  const auto n = static_cast<std::uint32_t>(count);
  char bytes[kPackedCountBytes];
  std::memcpy(bytes, &n, kPackedCountBytes);
  out.append(bytes, kPackedCountBytes);
}

inline void AppendPackedString(std::string& out, std::string_view text) {
  AppendPackedCount(out, text.size());
  out.append(text);
}

/// Reads back, front to back, what AppendPackedCount and AppendPackedString wrote.
class PackedReader {
 public:
  explicit PackedReader(std::string_view bytes) : rest_(bytes) {}

  std::size_t Count() {
    assert(rest_.size() >= kPackedCountBytes);
    std::uint32_t n = 0;
    std::memcpy(&n, rest_.data(), kPackedCountBytes);
    rest_.remove_prefix(kPackedCountBytes);
    return n;
  }
  std::string String() {
    const std::size_t length = Count();
    assert(rest_.size() >= length);
    std::string text(rest_.substr(0, length));
    rest_.remove_prefix(length);
    return text;
  }
  bool AtEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace ccm
