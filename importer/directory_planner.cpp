// directory_planner.cpp — pipelined resolution searches and the decision per user. See
// directory_planner.h.
#include "importer/directory_planner.h"

#include <boost/asio/post.hpp>
#include <memory>
#include <optional>

#include "importer/address_match.h"

namespace ccm::importer {
namespace {

// RFC 4511 result codes (ldap.h stays inside ldap/).
constexpr int kNoSuchObject = 32;
constexpr int kInvalidDnSyntax = 34;
constexpr int kInappropriateAuth = 48;
constexpr int kInvalidCredentials = 49;

// Shared by every search callback of one planning run.
struct PlanningRun {
  std::vector<MigratingUser> users;
  PlannerOptions options;
  std::vector<Resolution> resolutions;
  std::size_t pending = 0;
  std::optional<ImportError> failure;
  std::function<void(Result<DirectoryPlan, ImportError>)> done;

  void Finish() {
    auto callback = std::move(done);
    if (failure) {
      callback(Fail(std::move(*failure)));
      return;
    }
    DirectoryPlan plan;
    plan.users.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
      plan.users.push_back(DecideUser(users[i], resolutions[i], options.plan));
    }
    CheckPlanCollisions(plan);
    callback(std::move(plan));
  }
};

}  // namespace

ImportError ImportErrorFromLdap(const ldap::Error& error, const std::string& context) {
  ImportError out;
  out.message = context + ": " + error.message();
  if (error.transient()) {
    out.kind = ImportErrorKind::kTransient;
  } else if (error.code == kInvalidCredentials || error.code == kInappropriateAuth ||
             error.code == kInvalidDnSyntax ||
             (error.operation == ldap::Operation::kSearch && error.code == kNoSuchObject)) {
    out.kind = ImportErrorKind::kConfiguration;
  } else {
    out.kind = ImportErrorKind::kPermanent;
  }
  return out;
}

void StartPlanDirectory(ldap::Client& client, std::vector<MigratingUser> users,
                        PlannerOptions options,
                        std::function<void(Result<DirectoryPlan, ImportError>)> done) {
  auto run = std::make_shared<PlanningRun>();
  run->users = std::move(users);
  run->options = std::move(options);
  run->resolutions.resize(run->users.size());
  run->done = std::move(done);
  const bool typeless = run->options.plan.match_target_without_type;
  run->pending = 1;  // held until every search is submitted
  for (std::size_t i = 0; i < run->users.size(); ++i) {
    if (!IsAscii(run->users[i].source_address))
      continue;  // conflict without a search (O-11)
    ldap::SearchRequest request;
    request.base = run->options.base_dn;
    request.scope = ldap::Scope::kSubtree;
    request.filter = ResolutionFilter(run->users[i], typeless);
    ++run->pending;
    client.AsyncSearch(
        std::move(request), [run, i, typeless](Result<ldap::SearchResult, ldap::Error> result) {
          if (!result) {
            if (!run->failure) {
              run->failure =
                  ImportErrorFromLdap(result.error(), "resolving " + run->users[i].source_address);
            }
          } else {
            Resolution& resolution = run->resolutions[i];
            for (ldap::Entry& entry : result->entries) {
              switch (ClassifyEntry(entry, run->users[i], typeless)) {
                case EntryMatch::kMatch:
                  resolution.matches.push_back(std::move(entry));
                  break;
                case EntryMatch::kNearMiss:
                  resolution.near_misses.push_back(std::move(entry));
                  break;
                case EntryMatch::kNone:
                  break;  // equal for caseIgnoreIA5Match only: not the user's address
              }
            }
            if (result->size_limit_exceeded && !run->failure) {
              run->failure = ImportError{ImportErrorKind::kPermanent,
                                         "resolving " + run->users[i].source_address +
                                             ": the server's size limit cut the search short"};
            }
          }
          if (--run->pending == 0)
            run->Finish();
        });
  }
  // Posted, so that `done` never runs inside this call (even with no user to search).
  boost::asio::post(client.get_executor(), [run] {
    if (--run->pending == 0)
      run->Finish();
  });
}

Result<DirectoryPlan, ImportError> PlanDirectory(boost::asio::io_context& io, ldap::Client& client,
                                                 const std::vector<MigratingUser>& users,
                                                 const PlannerOptions& options) {
  std::optional<Result<DirectoryPlan, ImportError>> outcome;
  StartPlanDirectory(client, users, options, [&outcome](Result<DirectoryPlan, ImportError> r) {
    outcome.emplace(std::move(r));
  });
  io.restart();
  while (!outcome && io.run_one() > 0) {
  }
  if (!outcome) {
    return Fail(
        ImportError{ImportErrorKind::kTransient, "planning stopped: the event loop ran dry"});
  }
  return std::move(*outcome);
}

}  // namespace ccm::importer
