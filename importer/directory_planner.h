// directory_planner.h — resolves every user of a set against the directory and decides
// what happens to each: the I/O shell around the pure DecideUser.
//
// One subtree search in `base_dn` per group of kUsersPerResolutionSearch users, in set order: the
// OR of its users' ResolutionTerms interleaved by rank (native proxy, target, migrate: proxy, other
// spellings, near-miss variant; ldap::Filter escapes every value); all user attributes returned,
// since the entry is journaled before any change. All searches are submitted at once on one
// connection; the ldap client keeps at most its max_in_flight outstanding and queues the rest, so a
// set of N users costs about N / kUsersPerResolutionSearch searches in N / (group * window) round
// trips. Each returned entry is confirmed client-side against every user of its group
// (ClassifyEntry: address normalisation) as that user's match or near miss, so every user gets
// exactly the Resolution a search of its own would give. A group cut short by the server's size
// limit is searched again as two halves (only a one-user search cut short fails). Users with a
// non-ASCII address are not searched at all (conflict). Plan-wide collisions (CheckPlanCollisions)
// run last.
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

/// Where and how to resolve.
struct PlannerOptions {
  PlanOptions plan;     ///< decision options (default_home, create_missing, ...)
  std::string base_dn;  ///< [ldap] base_dn: subtree searched for every user
};

/// Users resolved by one search. Small enough that the filter stays a few tens of KB and a
/// group's entries stay far below slapd's default size limit (500).
inline constexpr std::size_t kUsersPerResolutionSearch = 64;

/// Resolution searches submitted by this process so far (for tests that count round trips).
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
