// address_lookup.h — asks the directory who the cc:Mail addresses of an import's mail and
// address books are: the I/O shell behind address_translation.h.
//
// Batched like user resolution (directory_planner.h): one subtree search in `base_dn` per group
// of kAddressesPerLookupSearch addresses, the OR of their IdentityTerms (the native proxy, the
// target, the migrate: proxy, in the spellings the server's matching rule does not fold), all
// submitted at once on one connection whose client keeps a bounded window in flight. So N
// distinct addresses cost about N / 64 searches, whatever the number of messages naming them.
// Each returned entry is confirmed client-side with the resolution's normalisation
// (ClassifyEntry); near-miss spellings are never searched and never match. A group cut short
// by the server's size limit is searched again as two halves.
//
// Answers: an address exactly one entry identifies, and that entry has an SMTP address
// (PrimarySmtpAddress), is found; no entry, several entries, or an entry without an SMTP
// address leave it unknown, with the reason. Addresses with a byte outside ASCII are not
// searched (the proxy syntax cannot hold them).
//
// Memory: the addresses, their keys and one answer each; returned entries carry five
// attributes and are dropped once classified. The caller bounds the number of addresses
// (kMaxLookedUpAddresses).
//
// Diagnostics: an LDAP failure maps to an ImportError as planning's do (ImportErrorFromLdap);
// the first ends the lookup.
//
// Thread safety: call on the thread that runs the client's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "importer/address_translation.h"
#include "importer/import_error.h"
#include "ldap/client.h"

namespace ccm::importer {

/// Addresses looked up by one search (as kUsersPerResolutionSearch, for the same reasons).
inline constexpr std::size_t kAddressesPerLookupSearch = 64;
/// Distinct addresses one import looks up at most; the rest stay untranslated (and reported).
inline constexpr std::size_t kMaxLookedUpAddresses = 100000;

/// Where and how to look up.
struct AddressLookupOptions {
  std::string base_dn;                     ///< [ldap] base_dn
  bool match_target_without_type = false;  ///< [ldap] match_target_without_type
};

/// The directory's answer for one address.
struct AddressAnswer {
  std::optional<DirectoryPerson> person;  ///< set when found
  std::string reason;                     ///< why not found: "no entry", "2 entries", ...
};

/// Lookup searches submitted by this process so far (for tests that count round trips).
std::size_t TEST_AddressLookupSearches();

/// Looks up every address (see the file comment); one answer per address, same order.
Result<std::vector<AddressAnswer>, ImportError> LookUpAddresses(
    boost::asio::io_context& io, ldap::Client& client, const std::vector<std::string>& addresses,
    const AddressLookupOptions& options);

}  // namespace ccm::importer
