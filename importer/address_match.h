// address_match.h — how a user's source address is looked up in the directory
// (docs/directory-changes.md) and how a returned entry is confirmed: pure functions, no I/O.
//
// The server compares ccmProxyAddress/ccmTargetAddress with caseIgnoreIA5Match, which folds
// case and runs of spaces but not our rule "no space after ','". So the search asks for the
// few spellings that differ only there (SearchSpellings), and every returned entry is confirmed
// client-side with parser::NormalizeSourceAddress (ClassifyEntry). The `First Last` /
// `Last, First` variant of the user name (NearMissAddress) is searched in the same request and
// reported as a near miss, never matched.
//
// Security: every value in a filter is escaped per RFC 4515 (cc:Mail names contain commas and
// can contain `(`, `)`, `*` and `\`).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importer/migrating_user.h"
#include "ldap/entry.h"
#include "ldap/filter.h"

namespace ccm::importer {

/// True when every byte is 7-bit ASCII (the IA5 proxy syntax cannot hold anything else).
bool IsAscii(std::string_view text);

/// The address without its "TYPE:" prefix (unchanged when it has none).
std::string_view WithoutType(std::string_view address);
/// The "TYPE" of "TYPE:address", or empty.
std::string_view TypeOf(std::string_view address);

/// The spellings of `address` a server-side equality match must cover: spaces squeezed, and
/// each ',' followed by one space / by none. Distinct, original first.
std::vector<std::string> SearchSpellings(std::string_view address);

/// The other conventional form of the user name ("TYPE:Last, First at PO" <-> "TYPE:First Last
/// at PO"), or nullopt when the name has neither form.
std::optional<std::string> NearMissAddress(std::string_view address);

/// The equality terms of one user's resolution: ccmProxyAddress = migrate:<A> or <A>,
/// ccmTargetAddress = <A> (and the type-less <A> when `match_target_without_type`), for every
/// search spelling of the address and of its near-miss variant (ldap::Filter escapes every
/// value, RFC 4515). Ranked most likely to match first — the native proxy and the target (what
/// a custom recipient holds, and a converted mailbox keeps as a proxy), then the migrate:
/// proxy, then the other spellings, then the near-miss variant's — because the server tests
/// each candidate entry against a search's whole OR in order, and a batched search interleaves
/// its users' terms by rank.
std::vector<ldap::Filter> ResolutionTerms(const MigratingUser& user,
                                          bool match_target_without_type);

/// The terms that find the entries `address` identifies (no near-miss variant): the terms of
/// ResolutionTerms for the address's own spellings, same rank order.
std::vector<ldap::Filter> IdentityTerms(std::string_view address, bool match_target_without_type);

/// One search's filter for a batch: the OR of every item's terms interleaved by rank (every
/// item's most likely term first). The server tests each candidate entry against the OR in order,
/// so a candidate meets its own item's likely term within the first batch-size terms instead of
/// after the terms of the items before it.
ldap::Filter AnyTermByRank(std::vector<std::vector<ldap::Filter>> terms_per_item);

/// How a returned entry relates to a user.
enum class EntryMatch { kNone, kMatch, kNearMiss };

/// A user's addresses as ClassifyEntry compares them, normalised once. A batched search
/// classifies every returned entry against every user of its group, so normalising per
/// comparison would dominate planning.
struct UserMatchKeys {
  std::string key;                               ///< NormalizeSourceAddress(address)
  std::string typeless_key;                      ///< of the address without its TYPE: prefix
  std::optional<std::string> near_key;           ///< of NearMissAddress(address), if any
  std::optional<std::string> near_typeless_key;  ///< of that variant without its TYPE:
};
UserMatchKeys MatchKeysOf(const MigratingUser& user);

/// An entry's ccmProxyAddress and ccmTargetAddress values, normalised once.
struct EntryAddressKeys {
  std::vector<std::string> proxies;
  std::vector<std::string> targets;
  std::vector<bool> target_has_type;  ///< per target: it carries a TYPE: prefix
};
EntryAddressKeys AddressKeysOf(const ldap::Entry& entry);

/// Confirms an entry with the address normalisation: a proxy or target equal to the user's key is a
/// match; equal to the near-miss variant's key is a near miss.
EntryMatch ClassifyEntry(const EntryAddressKeys& entry, const UserMatchKeys& user,
                         bool match_target_without_type);

}  // namespace ccm::importer
