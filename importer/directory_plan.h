// directory_plan.h — the directory half of an import as data: per user, what resolution found,
// the decision (docs/directory-changes.md) and the exact LDAP change that carries it out.
//
// `ccmigrate plan` prints a DirectoryPlan with RenderPlanLdif (plan_ldif.h); `import` applies
// the very same value with ApplyDirectoryPlan (directory_apply.h), so the dry run is exactly
// what is applied.
//
// Thread safety: plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/block_store.h"
#include "importer/directory_change.h"
#include "importer/migrating_user.h"
#include "importer/packed_change.h"
#include "ldap/entry.h"

namespace ccm::importer {

/// What happens to one user.
enum class Decision { kConvert, kDeliver, kCreate, kSkipNotFound, kConflict };

/// Every decision, in the order reports list them.
inline constexpr Decision kDecisions[] = {Decision::kConvert, Decision::kDeliver, Decision::kCreate,
                                          Decision::kSkipNotFound, Decision::kConflict};

/// "convert", "deliver", "create", "skip-not-found", "conflict".
std::string_view DecisionName(Decision decision);

/// The plan for one user.
struct UserPlan {
  MigratingUser user;
  Decision decision = Decision::kSkipNotFound;
  /// The entry (empty for skip-not-found and a multi-match conflict).
  std::string dn;
  /// The mailbox's store key (ccmMailStore; a safe single path component), set for convert,
  /// deliver and create: mail goes to <[mailstore] root>/<mail_store>.
  std::string mail_store;
  /// ccmMailboxHome after the change (convert/create: mapped Home-Server; deliver: the entry's).
  std::string mailbox_home;
  /// Human text for skip/conflict (and a one-line summary for the others).
  std::string reason;
  /// Near misses and similar problems; reported, never acted on; they make the plan "with
  /// warnings".
  std::vector<std::string> warnings;
  /// Informational items (e.g. the set's DIRECTORY mailbox record collides with the custom
  /// recipient that is converted instead); reported, but they do not make a plan "with
  /// warnings".
  std::vector<std::string> notes;
  /// The write, if any (convert; deliver when the migrate proxy or store is missing; create),
  /// packed: a plan holds one per user for as long as the import runs.
  std::optional<PackedChange> change;
  /// The matched entry as read during planning, as the content record the journal writes before
  /// the change is applied (ldap::LdifContentRecord); empty when no entry matched. Held as text,
  /// in the planner's block store with the changes (ccm/block_store.h), where an ldap::Entry
  /// takes an allocation per attribute and value.
  KeptText prior_ldif;
};

/// How a plan ends under the configured policies.
enum class PlanVerdict { kClean, kWarnings, kRefused };

/// The plan for a whole set.
struct DirectoryPlan {
  std::vector<UserPlan> users;

  /// Users with this decision.
  std::size_t Count(Decision decision) const;
  /// Users whose plan carries a directory change.
  std::size_t Changes() const;
  /// Entries converted or created (what [import] max_changes limits).
  std::size_t ConversionsAndCreations() const;
  /// Users with at least one warning (notes do not count).
  std::size_t UsersWithWarnings() const;
};

/// Policies that turn a plan into a verdict ([import] on_not_found / on_conflict).
struct PlanPolicy {
  bool reject_not_found = false;  ///< on_not_found = "reject"
  bool reject_conflicts = true;   ///< on_conflict = "reject" (the default)
};

/// kRefused when a conflict or skip is rejected by policy, kWarnings when any user was
/// skipped, in conflict (skip-user policy) or has warnings, otherwise kClean.
PlanVerdict VerdictOf(const DirectoryPlan& plan, const PlanPolicy& policy);

}  // namespace ccm::importer
