// directory_apply.cpp — batched journal → asserted modify → audit. See directory_apply.h.
#include "importer/directory_apply.h"

#include <memory>
#include <optional>

#include "importer/directory_planner.h"
#include "ldap/request.h"

namespace ccm::importer {
namespace {

constexpr int kAssertionFailed = 122;

struct ApplyRun {
  ldap::Client* client = nullptr;
  const DirectoryPlan* plan = nullptr;
  Journal* journal = nullptr;
  ApplyOptions options;
  ApplyResult result;
  std::size_t next = 0;  // first user not yet considered
  std::vector<std::size_t> batch;
  std::size_t pending = 0;
  std::optional<ImportError> failure;
  std::function<void(Result<ApplyResult, ImportError>)> done;

  void Finish() {
    if (auto synced = journal->SyncAudit(); !synced && !failure)
      failure = std::move(synced.error());
    auto callback = std::move(done);
    if (failure) {
      callback(Fail(std::move(*failure)));
    } else {
      callback(std::move(result));
    }
  }

  static void NextBatch(const std::shared_ptr<ApplyRun>& run);
  static void BatchDone(const std::shared_ptr<ApplyRun>& run);
};

void ApplyRun::BatchDone(const std::shared_ptr<ApplyRun>& run) {
  std::vector<const UserPlan*> applied;
  for (std::size_t i : run->batch) {
    if (run->result.users[i].status == ApplyStatus::kApplied)
      applied.push_back(&run->plan->users[i]);
  }
  if (!applied.empty()) {
    auto audited = run->journal->RecordApplied(applied);
    if (!audited && !run->failure)
      run->failure = std::move(audited.error());
  }
  if (run->failure) {
    run->Finish();
    return;
  }
  NextBatch(run);
}

void ApplyRun::NextBatch(const std::shared_ptr<ApplyRun>& run) {
  run->batch.clear();
  const auto& users = run->plan->users;
  while (run->next < users.size() && run->batch.size() < run->options.batch_size) {
    const std::size_t i = run->next++;
    if (users[i].change) {
      run->batch.push_back(i);
    } else {
      run->result.users[i].status = ApplyStatus::kNothingToDo;
    }
  }
  if (run->batch.empty()) {
    run->Finish();
    return;
  }
  std::vector<const UserPlan*> intents;
  for (std::size_t i : run->batch)
    intents.push_back(&users[i]);
  if (auto journaled = run->journal->RecordIntents(intents); !journaled) {
    run->failure = std::move(journaled.error());
    run->Finish();
    return;
  }
  run->pending = run->batch.size();
  for (std::size_t i : run->batch) {
    const UserPlan& u = users[i];
    auto on_result = [run, i](Result<void, ldap::Error> outcome) {
      UserApplyResult& r = run->result.users[i];
      const UserPlan& user = run->plan->users[i];
      if (outcome) {
        r.status = ApplyStatus::kApplied;
        ++run->result.applied;
      } else if (outcome.error().transient()) {
        r.status = ApplyStatus::kNotAttempted;
        if (!run->failure) {
          run->failure =
              ImportErrorFromLdap(outcome.error(), std::string(DecisionName(user.decision)) + " " +
                                                       user.user.source_address);
        }
      } else if (outcome.error().code == kAssertionFailed) {
        r.status = ApplyStatus::kAssertionFailed;
        r.message =
            "the entry changed since planning; nothing written (" + outcome.error().message() + ")";
        ++run->result.assertion_failures;
      } else {
        r.status = ApplyStatus::kFailed;
        r.message = outcome.error().message();
        ++run->result.failures;
      }
      if (--run->pending == 0)
        BatchDone(run);
    };
    if (u.change->kind == DirectoryChange::Kind::kAdd) {
      run->client->AsyncAdd(u.change->entry, std::move(on_result));
      continue;
    }
    std::vector<ldap::Control> controls;
    if (u.change->assertion) {
      auto control = ldap::AssertionControl(*u.change->assertion);
      if (!control) {
        // An unencodable assertion is a programming error; never send the modify unguarded.
        boost::asio::post(
            run->client->get_executor(),
            [on_result, error = control.error()]() mutable { on_result(Fail(std::move(error))); });
        continue;
      }
      controls.push_back(std::move(*control));
    }
    run->client->AsyncModify(u.change->dn, u.change->modifications, std::move(controls),
                             std::move(on_result));
  }
}

}  // namespace

std::string_view ApplyStatusName(ApplyStatus status) {
  switch (status) {
    case ApplyStatus::kNothingToDo:
      return "nothing-to-do";
    case ApplyStatus::kApplied:
      return "applied";
    case ApplyStatus::kAssertionFailed:
      return "assertion-failed";
    case ApplyStatus::kFailed:
      return "failed";
    case ApplyStatus::kNotAttempted:
      return "not-attempted";
  }
  return "failed";
}

bool ShouldDeliver(const DirectoryPlan& plan, const ApplyResult& result, std::size_t index) {
  const UserPlan& u = plan.users[index];
  if (u.decision != Decision::kConvert && u.decision != Decision::kDeliver &&
      u.decision != Decision::kCreate) {
    return false;
  }
  if (index >= result.users.size())
    return false;
  const ApplyStatus s = result.users[index].status;
  return s == ApplyStatus::kApplied || s == ApplyStatus::kNothingToDo;
}

void StartApplyDirectoryPlan(ldap::Client& client, const DirectoryPlan& plan, Journal& journal,
                             ApplyOptions options,
                             std::function<void(Result<ApplyResult, ImportError>)> done) {
  auto run = std::make_shared<ApplyRun>();
  run->client = &client;
  run->plan = &plan;
  run->journal = &journal;
  run->options = options;
  if (run->options.batch_size == 0)
    run->options.batch_size = 1;
  run->result.users.resize(plan.users.size());
  run->done = std::move(done);
  // Start from the executor so that `done` never runs inside this call.
  boost::asio::post(client.get_executor(), [run] { ApplyRun::NextBatch(run); });
}

Result<ApplyResult, ImportError> ApplyDirectoryPlan(boost::asio::io_context& io,
                                                    ldap::Client& client, const DirectoryPlan& plan,
                                                    Journal& journal, ApplyOptions options) {
  std::optional<Result<ApplyResult, ImportError>> outcome;
  StartApplyDirectoryPlan(
      client, plan, journal, options,
      [&outcome](Result<ApplyResult, ImportError> r) { outcome.emplace(std::move(r)); });
  io.restart();
  while (!outcome && io.run_one() > 0) {
  }
  if (!outcome) {
    return Fail(ImportError{ImportErrorKind::kTransient, "apply stopped: the event loop ran dry"});
  }
  return std::move(*outcome);
}

}  // namespace ccm::importer
