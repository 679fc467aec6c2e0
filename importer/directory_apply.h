// directory_apply.h — applies a DirectoryPlan to the directory (journal, then modify): the thin
// I/O shell that journals, writes and audits.
//
// Users with a change are handled in batches of `batch_size` (default 512):
// the batch's prior entries and intended changes are appended to the journal and fsync'd
// (Journal::RecordIntents); only then are its changes sent, all at once on one connection, each
// modify with its critical RFC 4528 assertion control (add for `create`); the changes the
// server accepted go to the audit file, in batch order (fsync'd once at the end). Batches go to
// the connections in turn ([ldap] connections), two in flight per connection: the next one is
// journaled and sent while the server works on the current one, so the journal's fsync and the
// drain at the end of a batch never leave the server idle, and the server reads and answers the
// connections in parallel (on slapd, two connections applied 10,000 conversions 7-14% faster
// than one). One modify per user is atomic, so no user is ever half-converted; the order of
// changes across connections does not matter, as every user's change touches its own entry.
//
// Outcomes per user (ApplyStatus):
//   nothing-to-do     no change planned (deliver to an entry that needs nothing, skip, conflict)
//   applied           the server accepted the change
//   assertion-failed  rc 122: the entry changed since planning (someone else's change); nothing
//                     was written and nothing clobbered. The user is reported and gets no mail;
//                     the run ends "done with warnings" (a rerun re-plans the user from the
//                     current state), not "refused": the other users were applied correctly.
//   failed            another permanent LDAP error for this user (e.g. schema violation, entry
//                     deleted); reported like assertion-failed
//   not-attempted     a transient failure stopped the run before this user's change was sent
// A transient failure (server down, timeout) finishes the batch in flight and returns a
// kTransient ImportError: the set is deferred and a rerun converges, because a converted user
// is then found as a mailbox (deliver) and a journaled-but-unsent change is simply planned again.
//
// Thread safety: call on the thread that runs the connections' io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"
#include "importer/directory_plan.h"
#include "importer/import_error.h"
#include "importer/journal.h"
#include "ldap/client.h"

namespace ccm::importer {

/// What happened to one user's change.
enum class ApplyStatus { kNothingToDo, kApplied, kAssertionFailed, kFailed, kNotAttempted };

/// "nothing-to-do", "applied", "assertion-failed", "failed", "not-attempted".
std::string_view ApplyStatusName(ApplyStatus status);

/// One user's outcome.
struct UserApplyResult {
  ApplyStatus status = ApplyStatus::kNotAttempted;
  std::string message;  ///< the LDAP error for assertion-failed/failed, else empty
};

/// The outcome of applying a plan; `users` is parallel to DirectoryPlan::users.
struct ApplyResult {
  std::vector<UserApplyResult> users;
  std::size_t applied = 0;
  std::size_t assertion_failures = 0;
  std::size_t failures = 0;
};

/// True when user `index`'s mail should be delivered into its UserPlan::mail_store: the
/// decision is convert, deliver or create and its change (if any) was applied.
bool ShouldDeliver(const DirectoryPlan& plan, const ApplyResult& result, std::size_t index);

/// Options of an apply run.
struct ApplyOptions {
  /// Changes journaled with one fsync and sent together (the client keeps its own window).
  std::size_t batch_size = 512;
};

/// Starts applying over `connections` (at least one, all on one executor; batches go to them in
/// turn); `done` is called once, from that executor. `plan`, `journal` and the connections
/// must outlive the run.
void StartApplyDirectoryPlan(std::vector<ldap::Client*> connections, const DirectoryPlan& plan,
                             Journal& journal, ApplyOptions options,
                             std::function<void(Result<ApplyResult, ImportError>)> done);

/// Applies synchronously, running `io` (the connections' io_context) until done.
Result<ApplyResult, ImportError> ApplyDirectoryPlan(boost::asio::io_context& io,
                                                    std::vector<ldap::Client*> connections,
                                                    const DirectoryPlan& plan, Journal& journal,
                                                    ApplyOptions options = {});

}  // namespace ccm::importer
