// packed_entry.h — an Entry held in one block of memory, for code that keeps many entries at once.
//
// An Entry takes one allocation for its DN, its attribute list, each attribute's value list and
// each value longer than the short-string buffer: about twenty for a typical person entry, some
// 1.3 KB with the allocator's overhead. A PackedEntry holds the same bytes in one string of
// exactly their length (ccm/packed_strings.h), and gives the Entry back
// unchanged, attribute and value order included. The planner's read of a large base keeps every
// matched entry until the read ends, so that is where the difference shows.
//
// Thread safety: a plain value.
#pragma once

#include <string>
#include <string_view>

#include "ccm/packed_strings.h"
#include "ldap/entry.h"

namespace ccm::ldap {

class PackedEntry {
 public:
  PackedEntry() = default;
  /// Packs `entry` (one allocation of exactly the packed length).
  explicit PackedEntry(const Entry& entry);

  /// The entry as it was packed.
  Entry Unpack() const;
  /// Bytes held (the packed length).
  std::size_t size() const { return bytes_.size(); }

  bool operator==(const PackedEntry&) const = default;

  /// The layout, for values that pack an entry among other parts (importer::PackedChange).
  static std::size_t PackedLength(const Entry& entry);
  static void AppendTo(const Entry& entry, std::string& out);
  static Entry ReadFrom(PackedReader& reader);

 private:
  std::string bytes_;
};

}  // namespace ccm::ldap
