// directory_change.h — one directory write the plan carries out, as data: a modify guarded by
// an RFC 4528 assertion, or an add. Apply sends it through the ldap client; plan_ldif prints
// it for ldapmodify; both read this one value, so the dry run is what is applied. A plan holds
// it packed (packed_change.h) and each reader unpacks it as it goes.
//
// Thread safety: a plain value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ldap/entry.h"
#include "ldap/filter.h"

namespace ccm::importer {

/// One LDAP write.
struct DirectoryChange {
  enum class Kind { kModify, kAdd };
  Kind kind = Kind::kModify;
  std::string dn;
  /// kModify: the assertion the entry must still satisfy (sent as a critical control).
  std::optional<ldap::Filter> assertion;
  /// kModify: the parts, applied atomically in this order.
  std::vector<ldap::Modification> modifications;
  /// kAdd: the new entry (its dn equals `dn`).
  ldap::Entry entry;
};

}  // namespace ccm::importer
