// drop_service.h — `ccmigrate daemon`: the service loop that takes each set in the drop
// directory from arrival to a final place, unattended.
//
// One io_context thread runs everything: the SetWatcher's wake-ups lead to a scan that (1)
// finishes interrupted gatherings, (2) resumes sets left in active/ by a crash (at start and on
// every periodic rescan, only those no process holds locked), (3) claims deferred sets whose
// back-off has passed, (4) judges each candidate in incoming/ with the ReadinessTracker and
// claims ready ones, gathers loose ones and refuses hostile ones to failed/ — never more than
// max_sets_in_flight sets at once. A claimed set goes to the SetProcessor; its named outcome
// moves it to done/, deferred/ (with retry.json) or failed/ (with reason.txt), report.json
// inside. Every log line about a set starts with "set <id>: " and carries CCM_SET=<id> in the
// journal (LogSet, service_log.h).
//
// Signals (asio::signal_set): SIGTERM/SIGINT stop claiming, ask the processor to reach a safe
// point, wait up to stop_grace for sets in flight, then return from run() (exit 0); SIGHUP
// calls the reload hook: a bad new configuration is logged and the old one kept (a changed
// [drop] dir needs a restart and is ignored with a warning). SIGPIPE is ignored.
//
// --once (RunMode::kOnce): processes what is ready in incoming/ (waiting at most one quiet
// period for sets still settling), retries everything in deferred/ immediately (each set at
// most once per run) and resumes active/, then returns. Verdict(): kDeferred if any set was
// deferred or interrupted, else kRejected if any was rejected, else kWarnings if any was done
// with warnings, else kClean (the command line maps it onto an exit code).
//
// systemd: READY=1 after the first scan, STATUS= on every change, WATCHDOG=1 when enabled.
// Status file: <dir>/status.json (drop_status.h).
//
// Thread safety: construct, Start and run the io_context on one thread; the io_context and the
// processor must outlive the service's last handler (declare them before the service).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>

#include "daemon/drop_directory.h"
#include "daemon/drop_settings.h"
#include "daemon/drop_status.h"
#include "daemon/listed_files.h"
#include "daemon/service_notifier.h"
#include "daemon/set_processor.h"
#include "daemon/set_readiness.h"
#include "daemon/set_watcher.h"

namespace ccm::daemon {

/// How the service runs.
enum class RunMode { kDaemon, kOnce };

/// What the service calls out to; every member has a working default.
struct DropServiceHooks {
  /// "Which files does this .pkl list?" (the parser's reader plugs in here).
  ListedFilesFn listed_files = ParserListedFiles();
  /// SIGHUP: re-reads the configuration; returns the new drop settings or why it is bad. It may
  /// also apply other sections (log level, importer options) before returning. Empty = SIGHUP
  /// only logs that reloading is not supported.
  std::function<Result<DropSettings, std::string>()> reload;
  /// Install SIGTERM/SIGINT/SIGHUP handlers (tests of several services in one process may not).
  bool handle_signals = true;
};

/// What one run of the service amounts to, worst first: a set deferred or interrupted, a set
/// rejected, a set done with warnings, or nothing to report.
enum class RunVerdict { kDeferred, kRejected, kWarnings, kClean };

class DropService {
 public:
  DropService(boost::asio::io_context& io, DropSettings settings, SetProcessor& processor,
              DropServiceHooks hooks = {});
  ~DropService();
  DropService(const DropService&) = delete;
  DropService& operator=(const DropService&) = delete;

  /// Opens (creating) the spool, installs signal handling and the watcher, schedules the first
  /// scan. Run the io_context afterwards; it returns when the service has stopped.
  Result<void, DropError> Start(RunMode mode = RunMode::kDaemon);
  /// What SIGTERM does.
  void Stop();
  /// What SIGHUP does.
  void Reload();
  /// What the run amounts to once the io_context has returned (see the file comment);
  /// always kClean in daemon mode.
  RunVerdict Verdict() const;
  /// The live status (also in <dir>/status.json).
  const DropStatus& status() const { return status_; }
  const DropSettings& settings() const { return settings_; }

 private:
  void OnWake(WakeReason reason);
  void Scan(bool full);
  /// Logs an error of the spool itself (a folder that cannot be listed) and lists it in status.
  void SpoolError(const DropError& error);
  void ScanActive();
  void ScanDeferred(std::optional<SteadyTime>& next_wake);
  void ScanIncoming(std::optional<SteadyTime>& next_wake);
  bool HasSlot() const;
  void Launch(ClaimedSet set);
  void OnDone(const std::shared_ptr<ClaimedSet>& set, SetOutcome outcome);
  void Refuse(const IncomingEntry& entry, const std::string& reason);
  /// Writes the refusal into a claimed set and moves it to failed/.
  void FinishRefusal(ClaimedSet set, const std::string& reason);
  void Shutdown();
  void PublishStatus();
  void WaitForSignal();
  void ArmWatchdog();
  void MaybeFinishOnce();

  boost::asio::io_context& io_;
  DropSettings settings_;
  SetProcessor& processor_;
  DropServiceHooks hooks_;
  ServiceNotifier notifier_;
  RunMode mode_ = RunMode::kDaemon;

  std::optional<DropDirectory> spool_;
  ReadinessTracker tracker_;
  std::unique_ptr<SetWatcher> watcher_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_, watchdog_timer_, once_timer_;
  std::map<std::string, std::shared_ptr<ClaimedSet>> in_flight_;
  std::map<std::string, std::string> waiting_;  ///< candidate key -> last logged reason
  std::set<std::string> logged_ignored_;        ///< incoming/ entries already reported
  std::set<std::string> once_tried_;            ///< --once: set ids already worked on
  std::optional<SteadyTime> once_deadline_;
  std::optional<SteadyTime> last_count_;  ///< when status_.sets was last counted
  bool stopping_ = false, stopped_ = false;
  bool any_deferred_ = false, any_rejected_ = false, any_warnings_ = false;
  DropStatus status_;
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace ccm::daemon
