// directory_planner.h — resolves every user of a set against the directory and decides
// what happens to each: the I/O shell around the pure DecideUser.
//
// Two ways to resolve, with the same result (each entry is classified client-side by
// ClassifyEntry, an entry two users match reaches both, every user's matches keep the server's
// order, and plan-wide collisions, CheckPlanCollisions, run last):
//
// - Searches: one subtree search in `base_dn` per group of kUsersPerResolutionSearch users, in set
//   order: the OR of its users' ResolutionTerms interleaved by rank (native proxy, target,
//   migrate: proxy, other spellings, near-miss variant; ldap::Filter escapes every value); all
//   user attributes returned, since the entry is journaled before any change. All searches are
//   submitted at once on one connection; the ldap client keeps at most its max_in_flight
//   outstanding and queues the rest, so a set of N users costs about N /
//   kUsersPerResolutionSearch searches in N / (group * window) round trips. Each returned entry
//   is confirmed against every user of its group. A group cut short by the server's size limit
//   is searched again as two halves (only a one-user search cut short fails).
// - A scan: a set of at least kScanFromUsers users to search reads the entries of `base_dn` that
//   carry a ccmProxyAddress or ccmTargetAddress, one RFC 2696 page at a time, and looks each
//   entry's addresses up in an index of the users' match keys. Up to 18 indexed terms per user
//   cost slapd several times what sending it an entry costs, so when the set's users are most of
//   the entries a scan is the cheaper way by far; when they are not, the scan stops once it has
//   read kScanEntriesPerUser entries per user and the searches above resolve the set instead
//   (a scan that fails or meets a size limit does the same). Users are decided when the scan
//   ends, since any later entry may match them too, on two threads for a large set; until then
//   each matched entry is held packed (ldap/packed_entry.h), and the users' keys and the index
//   are released before deciding.
//
// Users with a non-ASCII address are not searched at all (conflict).
//
// Diagnostics: an LDAP failure maps to an ImportError naming the user and the operation:
// transient (server down, busy, timeout) → kTransient; invalid credentials, a missing base →
// kConfiguration; anything else → kPermanent. The first failure ends planning (nothing has been
// written: planning never writes).
//
// Thread safety: call on the thread that runs the client's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "importer/directory_decision.h"
#include "importer/directory_plan.h"
#include "importer/import_error.h"
#include "importer/migrating_user.h"
#include "ldap/client.h"
#include "ldap/error.h"

namespace ccm::importer {

/// Users resolved by one search. Small enough that the filter stays a few tens of KB and a
/// group's entries stay far below slapd's default size limit (500).
inline constexpr std::size_t kUsersPerResolutionSearch = 64;

/// Sets with at least this many users to search are resolved by a scan first. Below it, the
/// searches cost a few tens of milliseconds at most, whatever the directory's size.
inline constexpr std::size_t kScanFromUsers = 1000;

/// A scan stops (and the searches resolve the set) after reading this many entries per user to
/// search. Sending slapd an entry costs it about a seventh of what one user's search does, so a
/// scan that gives up has cost at most about half of the searches that follow it.
inline constexpr std::size_t kScanEntriesPerUser = 4;

/// Entries per page of a scan: one round trip each.
inline constexpr int kScanPageSize = 1000;

/// Where and how to resolve.
struct PlannerOptions {
  PlanOptions plan;     ///< decision options (default_home, create_missing, ...)
  std::string base_dn;  ///< [ldap] base_dn: subtree searched for every user
  /// Users to search from which a scan is tried first (tests set it to force either way).
  std::size_t scan_from_users = kScanFromUsers;
  int scan_page_size = kScanPageSize;  ///< entries per page of a scan
};

/// Resolution searches (each page of a scan counts as one) submitted by this process so far (for
/// tests that count round trips).
std::size_t TEST_ResolutionSearches();

/// Maps an ldap failure to the importer's error kinds (see the file comment).
ImportError ImportErrorFromLdap(const ldap::Error& error, const std::string& context);

/// Starts planning; `done` is called once, from the client's executor.
void StartPlanDirectory(ldap::Client& client, std::vector<MigratingUser> users,
                        PlannerOptions options,
                        std::function<void(Result<DirectoryPlan, ImportError>)> done);

/// Plans synchronously: starts planning and runs `io` (the client's io_context) until done. The
/// plan takes the users (UserPlan::user): a caller done with them moves them in.
Result<DirectoryPlan, ImportError> PlanDirectory(boost::asio::io_context& io, ldap::Client& client,
                                                 std::vector<MigratingUser> users,
                                                 const PlannerOptions& options);

}  // namespace ccm::importer
