// drop_service.cpp — the drop directory's service loop. See drop_service.h for the behaviour,
// signals and --once.
#include "daemon/drop_service.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "ccm/json_writer.h"
#include "daemon/service_log.h"

namespace ccm::daemon {
namespace {

using Clock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

const char* OriginName(ClaimOrigin origin) {
  switch (origin) {
    case ClaimOrigin::kIncoming:
      return "incoming";
    case ClaimOrigin::kDeferred:
      return "deferred";
    case ClaimOrigin::kResumed:
      return "active (resumed)";
  }
  return "?";
}

ReadinessPolicy PolicyOf(const DropSettings& s) {
  return {s.quiet_period, s.incomplete_timeout, s.max_set_bytes};
}

std::string MinimalReport(const std::string& id, const SetOutcome& outcome) {
  JsonWriter json;
  json.BeginObject(JsonLayout::kLines);
  json.Member("set", id);
  json.Member("outcome", OutcomeName(outcome.kind));
  json.Member("warnings", outcome.warnings);
  json.Member("reason", outcome.reason);
  json.Member("finished_at", Rfc3339(WallClock::now()));
  json.EndObject();
  return json.str() + "\n";
}

void KeepEarliest(std::optional<SteadyTime>& current, SteadyTime candidate) {
  if (!current || candidate < *current)
    current = candidate;
}

}  // namespace

DropService::DropService(boost::asio::io_context& io, DropSettings settings,
                         SetProcessor& processor, DropServiceHooks hooks)
    : io_(io),
      settings_(std::move(settings)),
      processor_(processor),
      hooks_(std::move(hooks)),
      tracker_(PolicyOf(settings_)),
      signals_(io),
      grace_timer_(io),
      watchdog_timer_(io),
      once_timer_(io) {
  if (!hooks_.listed_files)
    hooks_.listed_files = ParserListedFiles();
}

DropService::~DropService() = default;

Result<void, DropError> DropService::Start(RunMode mode) {
  mode_ = mode;
  ::signal(SIGPIPE, SIG_IGN);  // a write to a closed LDAP connection must not kill us
  auto spool = DropDirectory::Open(settings_.dir);
  if (!spool)
    return Fail(spool.error());
  spool_.emplace(std::move(*spool));
  spool_->set_max_listed_files(settings_.max_listed_files);

  if (hooks_.handle_signals) {
    signals_.add(SIGTERM);
    signals_.add(SIGINT);
    if (mode_ == RunMode::kDaemon)
      signals_.add(SIGHUP);
    WaitForSignal();
  }
  if (mode_ == RunMode::kOnce) {
    // Sets still settling get one quiet period (plus a little) to become ready.
    once_deadline_ = Clock::now() + settings_.quiet_period + std::chrono::milliseconds(50);
    once_timer_.expires_at(*once_deadline_ + std::chrono::milliseconds(1));
    once_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec)
        Scan(false);
    });
  } else {
    watcher_ =
        std::make_unique<SetWatcher>(io_, settings_.dir / "incoming", settings_.rescan_interval,
                                     [this](WakeReason why) { OnWake(why); });
    watcher_->Start();
    ArmWatchdog();
  }
  spdlog::info("drop directory {}: started ({}; quiet period {} ms, {} set(s) in flight)",
               settings_.dir.string(), mode_ == RunMode::kOnce ? "once" : "daemon",
               settings_.quiet_period.count(), settings_.max_sets_in_flight);
  status_.state = "running";
  boost::asio::post(io_, [this] {
    Scan(true);
    notifier_.Ready();
  });
  return {};
}

void DropService::WaitForSignal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec)
      return;
    if (signo == SIGHUP) {
      Reload();
    } else {
      spdlog::info("signal {}: stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
      Stop();
    }
    if (!stopped_)
      WaitForSignal();
  });
}

void DropService::ArmWatchdog() {
  auto interval = notifier_.WatchdogInterval();
  if (!interval)
    return;
  notifier_.WatchdogPing();
  watchdog_timer_.expires_after(*interval);
  watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_)
      ArmWatchdog();
  });
}

void DropService::OnWake(WakeReason reason) {
  if (reason == WakeReason::kOverflow)
    spdlog::warn("inotify queue overflow: full rescan");
  Scan(reason == WakeReason::kOverflow || reason == WakeReason::kPeriodic);
}

bool DropService::HasSlot() const {
  return !stopping_ && in_flight_.size() < std::max<std::size_t>(1, settings_.max_sets_in_flight);
}

void DropService::Scan(bool full) {
  if (stopped_ || !spool_)
    return;
  std::optional<SteadyTime> next_wake;
  if (!stopping_) {
    auto recovered = spool_->RecoverGatherings(hooks_.listed_files);
    if (!recovered)
      SpoolError(recovered.error());
    for (const auto& placed : recovered ? *recovered : std::vector<std::string>()) {
      LogSet(spdlog::level::info, "set {}: finished an interrupted gathering of loose files",
             PrintableName(placed));
    }
    // Crash leftovers first (they were claimed earliest), then due retries, then new sets.
    if (full || mode_ == RunMode::kOnce)
      ScanActive();
    ScanDeferred(next_wake);
    ScanIncoming(next_wake);
  }
  // Counting reads every state folder: at most once a second, and on every full rescan.
  if (full || !last_count_ || Clock::now() - *last_count_ >= std::chrono::seconds(1)) {
    if (auto counts = spool_->Count())
      status_.sets = *counts;
    else
      SpoolError(counts.error());
    last_count_ = Clock::now();
  }
  PublishStatus();
  if (next_wake && watcher_)
    watcher_->WakeAt(*next_wake);
  if (mode_ == RunMode::kOnce) {
    if (next_wake && once_deadline_ && *next_wake <= *once_deadline_ && !stopping_) {
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, *next_wake);
      timer->async_wait([this, timer](const boost::system::error_code& ec) {
        if (!ec)
          Scan(false);
      });
    }
    MaybeFinishOnce();
  }
}

void DropService::SpoolError(const DropError& error) {
  spdlog::error("drop directory {}: {}", settings_.dir.string(), error.message);
  status_.AddError("", error.message);
}

void DropService::ScanActive() {
  auto active = spool_->ListActive();
  if (!active) {
    SpoolError(active.error());
    return;
  }
  for (const auto& name : *active) {
    if (!HasSlot())
      return;
    if (in_flight_.contains(name))
      continue;
    if (mode_ == RunMode::kOnce && once_tried_.contains(name))
      continue;
    auto claim = spool_->ResumeActive(name);
    if (!claim) {
      LogSet(spdlog::level::err, "set {}: cannot resume: {}", PrintableName(name),
             claim.error().message);
      status_.AddError(name, claim.error().message);
      continue;
    }
    if (*claim && (*claim)->refused_before()) {
      // Refused once: finish the refusal, never import it.
      FinishRefusal(std::move(**claim), *(*claim)->refused_before());
      continue;
    }
    if (*claim)
      Launch(std::move(**claim));
  }
}

void DropService::ScanDeferred(std::optional<SteadyTime>& next_wake) {
  const auto now_wall = WallClock::now();
  // The service never schedules a retry further out than the longest back-off plus its jitter;
  // a retry.json that says otherwise was not written by it, and the set is simply due now.
  const auto latest = now_wall + std::chrono::duration_cast<WallClock::duration>(
                                     settings_.retry.max * (1.0 + settings_.retry.jitter) +
                                     std::chrono::seconds(1));
  auto deferred = spool_->ListDeferred();
  if (!deferred) {
    SpoolError(deferred.error());
    return;
  }
  for (auto& d : *deferred) {
    if (d.retry.next_attempt > latest)
      d.retry.next_attempt = now_wall;
    if (mode_ == RunMode::kOnce) {
      if (once_tried_.contains(d.name))
        continue;
    } else if (d.retry.next_attempt > now_wall) {
      const auto wait =
          std::chrono::duration_cast<Clock::duration>(d.retry.next_attempt - now_wall);
      KeepEarliest(next_wake, Clock::now() + wait);
      continue;
    }
    if (!HasSlot())
      return;
    auto claim = spool_->ClaimDeferred(d.name);
    if (!claim) {
      LogSet(spdlog::level::err, "set {}: cannot claim for retry: {}", PrintableName(d.name),
             claim.error().message);
      status_.AddError(d.name, claim.error().message);
      continue;
    }
    if (*claim)
      Launch(std::move(**claim));
  }
}

void DropService::ScanIncoming(std::optional<SteadyTime>& next_wake) {
  std::vector<IgnoredEntry> ignored;
  auto listed = spool_->ListIncoming(&ignored);
  if (!listed) {
    // Nothing is forgotten or claimed on a failed listing; the next scan tries again.
    SpoolError(listed.error());
    return;
  }
  const auto& entries = *listed;
  std::set<std::string> still_ignored;
  for (const auto& i : ignored) {
    still_ignored.insert(i.name);
    if (logged_ignored_.insert(i.name).second) {
      spdlog::warn("incoming/{}: {}; ignored (not a set folder or packing list)",
                   PrintableName(i.name), i.why);
    }
  }
  std::erase_if(logged_ignored_, [&](const auto& n) { return !still_ignored.contains(n); });

  std::set<std::string> present;
  for (const auto& entry : entries) {
    const std::string key = (entry.loose_pkl ? "loose:" : "dir:") + entry.name;
    const std::string id = PrintableName(entry.name);
    auto obs = spool_->Observe(entry, hooks_.listed_files);
    if (!obs)
      continue;
    present.insert(key);
    const auto verdict = tracker_.Observe(key, *obs, Clock::now(), WallClock::now());
    if (verdict.state == Readiness::kWaiting) {
      KeepEarliest(next_wake, verdict.recheck_at);
      if (waiting_[key] != verdict.reason) {
        waiting_[key] = verdict.reason;
        LogSet(spdlog::level::debug, "set {}: waiting: {}", id, verdict.reason);
      }
      continue;
    }
    // (--once: a set ready after the settling deadline is still taken; only waiting stops.)
    if (stopping_)
      continue;
    if (verdict.state == Readiness::kRefused) {
      tracker_.Forget(key);
      waiting_.erase(key);
      Refuse(entry, verdict.reason);
      continue;
    }
    // Ready.
    if (entry.loose_pkl) {
      auto gathered = spool_->GatherLooseSet(entry.name, hooks_.listed_files);
      tracker_.Forget(key);
      waiting_.erase(key);
      if (!gathered) {
        LogSet(spdlog::level::err, "set {}: cannot gather loose files: {}", id,
               gathered.error().message);
        status_.AddError(entry.name, gathered.error().message);
      } else if (*gathered) {
        LogSet(spdlog::level::info, "set {}: gathered loose files of {} into incoming/{}",
               PrintableName(**gathered), id, PrintableName(**gathered));
        KeepEarliest(next_wake, Clock::now());  // claim the new folder on the next pass
        boost::asio::post(io_, [this] { Scan(false); });
      }
      continue;
    }
    if (!HasSlot())
      continue;  // stays in incoming/; claimed when a slot frees
    for (const auto& u : obs->unlisted) {
      LogSet(spdlog::level::info, "set {}: file {} is not listed in {}; ignored", id,
             PrintableName(u), PrintableName(obs->pkl_name));
    }
    auto claim = spool_->ClaimIncoming(entry.name);
    tracker_.Forget(key);
    waiting_.erase(key);
    if (!claim) {
      LogSet(spdlog::level::err, "set {}: cannot claim: {}", id, claim.error().message);
      status_.AddError(entry.name, claim.error().message);
    } else if (!*claim) {
      LogSet(spdlog::level::info, "set {}: taken by another process", id);
    } else {
      Launch(std::move(**claim));
    }
  }
  tracker_.Retain(present);
  std::erase_if(waiting_, [&](const auto& kv) { return !present.contains(kv.first); });
}

void DropService::Refuse(const IncomingEntry& entry, const std::string& reason) {
  std::string folder = entry.name;
  if (entry.loose_pkl) {
    auto gathered = spool_->GatherLooseSet(entry.name, hooks_.listed_files);
    if (!gathered) {
      LogSet(spdlog::level::err, "set {}: refused ({}) but cannot be gathered: {}",
             PrintableName(entry.name), reason, gathered.error().message);
      status_.AddError(entry.name, gathered.error().message);
      return;
    }
    if (!*gathered)
      return;
    folder = **gathered;
  }
  auto claim = spool_->ClaimIncoming(folder);
  if (!claim) {
    LogSet(spdlog::level::err, "set {}: refused ({}) but cannot be claimed: {}",
           PrintableName(folder), reason, claim.error().message);
    status_.AddError(folder, claim.error().message);
    return;
  }
  if (!*claim)
    return;  // another process took it
  FinishRefusal(std::move(**claim), reason);
}

void DropService::FinishRefusal(ClaimedSet set, const std::string& reason) {
  const std::string id = set.id();
  LogSet(spdlog::level::warn, "set {}: refused: {}", PrintableName(id), reason);
  auto outcome = SetOutcome::Rejected(reason);
  const auto report = MinimalReport(id, outcome);
  auto where = spool_->Finish(std::move(set), FinalPlace::kFailed, report, reason);
  if (!where) {
    LogSet(spdlog::level::err, "set {}: cannot move to failed/: {}", PrintableName(id),
           where.error().message);
    status_.AddError(id, where.error().message);
    return;
  }
  ++status_.rejected;
  any_rejected_ = true;
  status_.last_outcome = DropStatus::Event{WallClock::now(), id, "rejected", reason};
}

void DropService::Launch(ClaimedSet claimed) {
  auto set = std::make_shared<ClaimedSet>(std::move(claimed));
  const std::string id = set->id();
  in_flight_[id] = set;
  once_tried_.insert(id);
  status_.in_flight.insert(id);
  ++status_.claimed;
  LogSet(spdlog::level::info, "set {}: claimed from {} into active/ (packing list {}{})",
         PrintableName(id), OriginName(set->origin()),
         set->pkl_name().empty() ? "missing" : PrintableName(set->pkl_name()),
         set->previous_attempts() > 0 ? ", attempt " + std::to_string(set->previous_attempts() + 1)
                                      : std::string());
  PublishStatus();
  processor_.Process(*set, [this, set](SetOutcome outcome) {
    boost::asio::post(io_, [this, set, outcome = std::move(outcome)]() mutable {
      OnDone(set, std::move(outcome));
    });
  });
}

void DropService::OnDone(const std::shared_ptr<ClaimedSet>& set, SetOutcome outcome) {
  const std::string id = set->id();
  const std::string pid = PrintableName(id);
  in_flight_.erase(id);
  status_.in_flight.erase(id);
  // A persistent cause (a full or refusing store) waits for a person only so long: past the
  // age limit the set is refused with what kept it waiting (and a report.json that says so).
  if (outcome.kind == SetOutcome::Kind::kDeferred &&
      outcome.cause == SetOutcome::Cause::kPersistent &&
      DeferralExpired(set->first_deferred(), WallClock::now(), settings_.max_deferral_age)) {
    outcome = SetOutcome::Rejected(
        ExpiredDeferralReason(*set->first_deferred(), set->previous_attempts() + 1,
                              settings_.max_deferral_age, outcome.reason));
  }
  const char* name = OutcomeName(outcome.kind);

  if (outcome.kind == SetOutcome::Kind::kInterrupted) {
    LogSet(spdlog::level::info,
           "set {}: interrupted at a safe point ({}); stays in active/ and resumes at "
           "the next start",
           pid, outcome.reason);
    ++status_.interrupted;
    any_deferred_ = true;
    status_.last_outcome = DropStatus::Event{WallClock::now(), id, name, outcome.reason};
  } else {
    FinalPlace place = FinalPlace::kDone;
    std::optional<RetryState> retry;
    if (outcome.kind == SetOutcome::Kind::kDeferred) {
      place = FinalPlace::kDeferred;
      RetryState before;
      before.attempts = set->previous_attempts();
      before.first_deferred = set->first_deferred();
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      retry = NextRetry(before, WallClock::now(), settings_.retry, outcome.reason,
                        [&] { return unit(rng_); });
    } else if (outcome.kind == SetOutcome::Kind::kRejected) {
      place = FinalPlace::kFailed;
    }
    const std::string report =
        outcome.report_json.empty() ? MinimalReport(id, outcome) : outcome.report_json;
    std::string reason = outcome.reason;
    if (place == FinalPlace::kFailed && reason.empty())
      reason = "rejected (no reason given)";
    auto where = spool_->Finish(std::move(*set), place, report, reason, retry ? &*retry : nullptr);
    if (!where) {
      LogSet(spdlog::level::err, "set {}: {} but cannot be moved: {}; it stays in active/", pid,
             name, where.error().message);
      status_.AddError(id, where.error().message);
      any_deferred_ = true;
    } else {
      const auto final_name = where->filename().string();
      if (outcome.kind == SetOutcome::Kind::kDone) {
        ++status_.done;
        if (outcome.warnings)
          ++status_.done_with_warnings;
        any_warnings_ = any_warnings_ || outcome.warnings;
        LogSet(spdlog::level::info, "set {}: done{} -> {}", pid,
               outcome.warnings ? " with warnings" : "", where->string());
      } else if (outcome.kind == SetOutcome::Kind::kDeferred) {
        ++status_.deferred;
        any_deferred_ = true;
        once_tried_.insert(final_name);
        const auto delay = std::chrono::duration_cast<std::chrono::seconds>(retry->next_attempt -
                                                                            WallClock::now());
        LogSet(spdlog::level::warn, "set {}: deferred ({}); attempt {}, next in {} s -> {}", pid,
               outcome.reason, retry->attempts, delay.count(), where->string());
      } else {
        ++status_.rejected;
        any_rejected_ = true;
        LogSet(spdlog::level::warn, "set {}: rejected ({}) -> {}", pid, reason, where->string());
      }
      if (outcome.kind != SetOutcome::Kind::kDone && !outcome.reason.empty()) {
        // Listed for the operator, but an outcome is not a service error: not counted.
        status_.AddError(id, std::string(name) + ": " + outcome.reason, false);
      }
      status_.last_outcome = DropStatus::Event{WallClock::now(), id, name, outcome.reason};
    }
  }

  if (stopping_) {
    PublishStatus();
    if (in_flight_.empty())
      Shutdown();
    return;
  }
  Scan(false);  // a slot is free
}

void DropService::MaybeFinishOnce() {
  if (mode_ != RunMode::kOnce || stopped_ || !in_flight_.empty())
    return;
  // Anything still settling within the deadline keeps the run alive via its timer.
  if (once_deadline_ && Clock::now() <= *once_deadline_ && !waiting_.empty() && !stopping_)
    return;
  Shutdown();
}

void DropService::Stop() {
  if (stopping_ || stopped_)
    return;
  stopping_ = true;
  status_.state = "stopping";
  notifier_.Stopping();
  if (watcher_)
    watcher_->Stop();
  processor_.RequestStop();
  if (in_flight_.empty()) {
    Shutdown();
    return;
  }
  spdlog::info("waiting up to {} ms for {} set(s) in flight", settings_.stop_grace.count(),
               in_flight_.size());
  PublishStatus();
  grace_timer_.expires_after(settings_.stop_grace);
  grace_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_)
      return;
    spdlog::warn(
        "{} set(s) did not reach a safe point in time; they stay in active/ and resume "
        "at the next start",
        in_flight_.size());
    Shutdown();
  });
}

void DropService::Shutdown() {
  if (stopped_)
    return;
  stopped_ = true;
  stopping_ = true;
  if (watcher_)
    watcher_->Stop();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  grace_timer_.cancel();
  watchdog_timer_.cancel();
  once_timer_.cancel();
  status_.state = "stopped";
  if (spool_) {
    if (auto counts = spool_->Count())
      status_.sets = *counts;
  }
  PublishStatus();
  spdlog::info("drop directory {}: stopped", settings_.dir.string());
}

void DropService::Reload() {
  if (!hooks_.reload) {
    spdlog::info("SIGHUP: configuration reload is not wired; nothing changed");
    return;
  }
  notifier_.Reloading();
  auto fresh = hooks_.reload();
  if (!fresh) {
    spdlog::error("SIGHUP: new configuration refused, keeping the old one: {}", fresh.error());
    status_.AddError("", "reload refused: " + fresh.error());
  } else {
    DropSettings next = std::move(*fresh);
    if (next.dir != settings_.dir) {
      spdlog::warn("SIGHUP: [drop] dir changed to {}; that needs a restart, keeping {}",
                   next.dir.string(), settings_.dir.string());
      next.dir = settings_.dir;
    }
    settings_ = std::move(next);
    tracker_.SetPolicy(PolicyOf(settings_));
    if (watcher_)
      watcher_->SetRescanInterval(settings_.rescan_interval);
    spdlog::info("SIGHUP: configuration reloaded");
  }
  notifier_.Ready();
  PublishStatus();
  Scan(false);
}

RunVerdict DropService::Verdict() const {
  if (mode_ == RunMode::kDaemon)
    return RunVerdict::kClean;
  if (any_deferred_)
    return RunVerdict::kDeferred;
  if (any_rejected_)
    return RunVerdict::kRejected;
  if (any_warnings_)
    return RunVerdict::kWarnings;
  return RunVerdict::kClean;
}

void DropService::PublishStatus() {
  if (!spool_)
    return;
  if (auto w = spool_->WriteSpoolFile(kStatusFileName, FormatStatus(status_, WallClock::now()));
      !w) {
    spdlog::warn("cannot write status: {}", w.error().message);
  }
  std::string text = std::to_string(in_flight_.size()) + " set(s) in flight";
  if (status_.last_outcome) {
    text += "; last: " + status_.last_outcome->set + " " + status_.last_outcome->outcome;
  }
  notifier_.Status(text);
}

}  // namespace ccm::daemon
