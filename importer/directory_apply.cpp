// directory_apply.cpp — batched journal → asserted modify → audit. See directory_apply.h.
#include "importer/directory_apply.h"

#include <deque>
#include <memory>
#include <optional>

#include "importer/directory_planner.h"
#include "ldap/request.h"

namespace ccm::importer {
namespace {

constexpr int kAssertionFailed = 122;

// Batches are pipelined: while one batch's changes are in flight, the next batch is journaled
// and sent, so the server never waits for the journal's fsync or for the client to notice
// that a batch has drained. Batches go to the connections in turn, and at most
// kBatchesInFlightPerConnection per connection are outstanding; each batch's changes are sent
// only after its own journal record is durable.
constexpr std::size_t kBatchesInFlightPerConnection = 2;

struct ApplyRun {
  struct Batch {
    std::vector<std::size_t> users;  // indexes into plan->users
    std::size_t pending = 0;         // changes sent and not yet answered
  };

  std::vector<ldap::Client*> connections;  // batch `sequence` goes to connections[sequence % n]
  const DirectoryPlan* plan = nullptr;
  Journal* journal = nullptr;
  ApplyOptions options;
  ApplyResult result;
  std::size_t next = 0;            // first user not yet considered
  std::deque<Batch> in_flight;     // oldest first
  std::size_t first_sequence = 0;  // sequence number of in_flight.front()
  bool finished = false;
  std::optional<ImportError> failure;
  std::function<void(Result<ApplyResult, ImportError>)> done;

  void Finish() {
    finished = true;
    if (auto synced = journal->SyncAudit(); !synced && !failure)
      failure = std::move(synced.error());
    auto callback = std::move(done);
    if (failure) {
      callback(Fail(std::move(*failure)));
    } else {
      callback(std::move(result));
    }
  }

  static void StartBatches(const std::shared_ptr<ApplyRun>& run);
  static void Send(const std::shared_ptr<ApplyRun>& run, std::size_t sequence);
  static void Answered(const std::shared_ptr<ApplyRun>& run, std::size_t sequence);
};

// Journals and sends batches until every connection has its batches outstanding or no change
// is left;
// finishes the run when nothing is outstanding any more.
void ApplyRun::StartBatches(const std::shared_ptr<ApplyRun>& run) {
  const auto& users = run->plan->users;
  const std::size_t most = kBatchesInFlightPerConnection * run->connections.size();
  while (!run->failure && run->in_flight.size() < most) {
    Batch batch;
    while (run->next < users.size() && batch.users.size() < run->options.batch_size) {
      const std::size_t i = run->next++;
      if (users[i].change) {
        batch.users.push_back(i);
      } else {
        run->result.users[i].status = ApplyStatus::kNothingToDo;
      }
    }
    if (batch.users.empty())
      break;
    std::vector<const UserPlan*> intents;
    for (std::size_t i : batch.users)
      intents.push_back(&users[i]);
    if (auto journaled = run->journal->RecordIntents(intents); !journaled) {
      run->failure = std::move(journaled.error());
      break;
    }
    batch.pending = batch.users.size();
    run->in_flight.push_back(std::move(batch));
    Send(run, run->first_sequence + run->in_flight.size() - 1);
  }
  if (run->in_flight.empty() && !run->finished)
    run->Finish();
}

void ApplyRun::Send(const std::shared_ptr<ApplyRun>& run, std::size_t sequence) {
  const auto& users = run->plan->users;
  ldap::Client& client = *run->connections[sequence % run->connections.size()];
  for (std::size_t i : run->in_flight[sequence - run->first_sequence].users) {
    const UserPlan& u = users[i];
    auto on_result = [run, i, sequence](Result<void, ldap::Error> outcome) {
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
      Answered(run, sequence);
    };
    DirectoryChange change = u.change->Unpack();
    if (change.kind == DirectoryChange::Kind::kAdd) {
      client.AsyncAdd(std::move(change.entry), std::move(on_result));
      continue;
    }
    std::vector<ldap::Control> controls;
    if (change.assertion) {
      auto control = ldap::AssertionControl(*change.assertion);
      if (!control) {
        // An unencodable assertion is a programming error; never send the modify unguarded.
        boost::asio::post(client.get_executor(), [on_result, error = control.error()]() mutable {
          on_result(Fail(std::move(error)));
        });
        continue;
      }
      controls.push_back(std::move(*control));
    }
    client.AsyncModify(std::move(change.dn), std::move(change.modifications), std::move(controls),
                       std::move(on_result));
  }
}

// One change of batch `sequence` was answered. Fully answered batches at the front go to the
// audit file, in order; then the pipeline is refilled (or the run finishes).
void ApplyRun::Answered(const std::shared_ptr<ApplyRun>& run, std::size_t sequence) {
  if (--run->in_flight[sequence - run->first_sequence].pending > 0)
    return;
  while (!run->in_flight.empty() && run->in_flight.front().pending == 0) {
    std::vector<const UserPlan*> applied;
    for (std::size_t i : run->in_flight.front().users) {
      if (run->result.users[i].status == ApplyStatus::kApplied)
        applied.push_back(&run->plan->users[i]);
    }
    run->in_flight.pop_front();
    ++run->first_sequence;
    if (!applied.empty()) {
      auto audited = run->journal->RecordApplied(applied);
      if (!audited && !run->failure)
        run->failure = std::move(audited.error());
    }
  }
  StartBatches(run);
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

void StartApplyDirectoryPlan(std::vector<ldap::Client*> connections, const DirectoryPlan& plan,
                             Journal& journal, ApplyOptions options,
                             std::function<void(Result<ApplyResult, ImportError>)> done) {
  auto run = std::make_shared<ApplyRun>();
  run->connections = std::move(connections);
  run->plan = &plan;
  run->journal = &journal;
  run->options = options;
  if (run->options.batch_size == 0)
    run->options.batch_size = 1;
  run->result.users.resize(plan.users.size());
  run->done = std::move(done);
  // Start from the executor so that `done` never runs inside this call.
  boost::asio::post(run->connections.front()->get_executor(),
                    [run] { ApplyRun::StartBatches(run); });
}

Result<ApplyResult, ImportError> ApplyDirectoryPlan(boost::asio::io_context& io,
                                                    std::vector<ldap::Client*> connections,
                                                    const DirectoryPlan& plan, Journal& journal,
                                                    ApplyOptions options) {
  std::optional<Result<ApplyResult, ImportError>> outcome;
  StartApplyDirectoryPlan(
      std::move(connections), plan, journal, options,
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
