// packed_change.h — a DirectoryChange held in one block of memory: how a plan keeps one change
// per user for as long as the import runs.
//
// A DirectoryChange takes one allocation for its DN, its list of modifications, and each
// modification's value list and longer values: about fifteen for a conversion, some 850 bytes
// with the allocator's overhead. A PackedChange keeps the DN and the modifications (or the added
// entry) in one string of exactly their length (ccm/packed_strings.h), beside the assertion, and
// gives the change back unchanged. Apply, the journal and `plan`'s LDIF unpack one change at a
// time, as they use it. The planner moves the packed bytes into its block store (MoveInto), so
// that the plan's changes, released together after the apply, leave whole pages behind.
//
// Thread safety: a plain value.
#pragma once

#include <optional>
#include <string>

#include "ccm/block_store.h"
#include "importer/directory_change.h"
#include "ldap/filter.h"

namespace ccm::importer {

class PackedChange {
 public:
  /// Packs `change` (one allocation of exactly the packed length, the assertion aside).
  explicit PackedChange(const DirectoryChange& change);

  /// The change as it was packed.
  DirectoryChange Unpack() const;
  DirectoryChange::Kind kind() const { return kind_; }
  /// Moves the packed bytes into `store` (ccm/block_store.h).
  void MoveInto(const std::shared_ptr<BlockStore>& store) { bytes_.MoveInto(store); }
  /// kModify: the assertion the entry must still satisfy.
  const std::optional<ldap::Filter>& assertion() const { return assertion_; }

  bool operator==(const PackedChange& other) const {
    return kind_ == other.kind_ && bytes_ == other.bytes_ &&
           assertion_.has_value() == other.assertion_.has_value() &&
           (!assertion_ || assertion_->str() == other.assertion_->str());
  }

 private:
  DirectoryChange::Kind kind_;
  // An ldap::Filter is only ever built from its parts, never read back from text, so the
  // assertion is kept as it is.
  std::optional<ldap::Filter> assertion_;
  KeptText bytes_;  // kModify: DN and modifications; kAdd: the entry (ldap::PackedEntry)
};

}  // namespace ccm::importer
