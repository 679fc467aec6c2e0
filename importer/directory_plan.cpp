// directory_plan.cpp — names, counts and the verdict of a DirectoryPlan. See directory_plan.h.
#include "importer/directory_plan.h"

#include <algorithm>

namespace ccm::importer {

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kConvert:
      return "convert";
    case Decision::kDeliver:
      return "deliver";
    case Decision::kCreate:
      return "create";
    case Decision::kSkipNotFound:
      return "skip-not-found";
    case Decision::kConflict:
      return "conflict";
  }
  return "conflict";
}

std::size_t DirectoryPlan::Count(Decision decision) const {
  return static_cast<std::size_t>(std::count_if(
      users.begin(), users.end(), [&](const UserPlan& u) { return u.decision == decision; }));
}

std::size_t DirectoryPlan::Changes() const {
  return static_cast<std::size_t>(std::count_if(
      users.begin(), users.end(), [](const UserPlan& u) { return u.change.has_value(); }));
}

std::size_t DirectoryPlan::ConversionsAndCreations() const {
  return Count(Decision::kConvert) + Count(Decision::kCreate);
}

std::size_t DirectoryPlan::UsersWithWarnings() const {
  return static_cast<std::size_t>(std::count_if(
      users.begin(), users.end(), [](const UserPlan& u) { return !u.warnings.empty(); }));
}

PlanVerdict VerdictOf(const DirectoryPlan& plan, const PlanPolicy& policy) {
  const std::size_t conflicts = plan.Count(Decision::kConflict);
  const std::size_t skipped = plan.Count(Decision::kSkipNotFound);
  if ((conflicts > 0 && policy.reject_conflicts) || (skipped > 0 && policy.reject_not_found)) {
    return PlanVerdict::kRefused;
  }
  if (conflicts > 0 || skipped > 0 || plan.UsersWithWarnings() > 0)
    return PlanVerdict::kWarnings;
  return PlanVerdict::kClean;
}

}  // namespace ccm::importer
