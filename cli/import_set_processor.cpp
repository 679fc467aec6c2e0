// import_set_processor.cpp — the daemon's import processor; see import_set_processor.h.
#include "cli/import_set_processor.h"

#include <iostream>
#include <mutex>

#include "cli/directory_settings.h"
#include "cli/import_settings.h"
#include "daemon/blocking_set_processor.h"
#include "daemon/drop_directory.h"
#include "daemon/service_log.h"
#include "importer/ldap_directory_access.h"

namespace ccm::cli {

using daemon::BlockingSetProcessor;
using daemon::ClaimedSet;
using daemon::SetOutcome;
using daemon::SetProcessor;
using daemon::SpoolFileNames;
namespace {

// The configuration the next job starts with; replaced on SIGHUP.
struct SharedConfig {
  std::mutex mutex;
  std::shared_ptr<const Config> config;

  std::shared_ptr<const Config> Get() {
    std::lock_guard lock(mutex);
    return config;
  }
  void Set(const Config& next) {
    auto copy = std::make_shared<const Config>(next);
    std::lock_guard lock(mutex);
    config = std::move(copy);
  }
};

// One processor per daemon run; the plugs share it so that reload reaches the running jobs.
std::shared_ptr<SharedConfig> CurrentConfig() {
  static auto shared = std::make_shared<SharedConfig>();
  return shared;
}

SetOutcome ImportOneSet(const std::shared_ptr<SharedConfig>& shared, const ClaimedSet& set,
                        const std::atomic<bool>& stop) {
  // Whatever the import logs on this worker thread (the directory client's warnings) is about
  // this set: the journal gets CCM_SET for it too.
  daemon::SetLogScope log_scope(daemon::PrintableName(set.id()));
  std::shared_ptr<const Config> config = shared->Get();
  auto options = ImportJobOptionsFor(*config, set.pkl_path(), set.dir() / "ccmigrate-import");
  if (!options)
    return SetOutcome::Deferred("configuration: " + options.error());
  options->caller_files = SpoolFileNames();  // a retried set still holds its last report
  std::error_code ec;
  std::filesystem::create_directories(options->output_dir, ec);
  if (ec)
    return SetOutcome::Deferred(options->output_dir.string() + ": " + ec.message());
  options->stop = &stop;
  options->progress = &std::cerr;
  options->progress_label = "import " + set.id();
  importer::LdapDirectoryAccess directory(ConnectionFor(config->ldap), PlannerOptionsFor(*config),
                                          static_cast<std::size_t>(config->ldap.connections));
  return OutcomeForImport(importer::RunImport(*options, directory));
}

}  // namespace

daemon::SetOutcome OutcomeForImport(const importer::ImportResult& result) {
  std::string json = importer::RenderReportJson(result.report);
  const std::string& reason = result.report.reason;
  // A configuration value, not the set, is at fault: the set waits for the fixed configuration
  // (a reload) instead of being refused.
  if (result.report.error_kind == importer::ImportErrorKind::kConfiguration)
    return SetOutcome::Deferred(reason, json);
  switch (result.report.outcome) {
    case importer::ImportOutcome::kDone:
      return SetOutcome::Done(std::move(json));
    case importer::ImportOutcome::kDoneWithWarnings:
      return SetOutcome::Done(std::move(json), true, reason);
    case importer::ImportOutcome::kDeferred:
      return SetOutcome::Deferred(reason, std::move(json));
    case importer::ImportOutcome::kRefused:
      return SetOutcome::Rejected(reason, std::move(json));
    case importer::ImportOutcome::kInterrupted:
      return SetOutcome::Interrupted(reason);
  }
  return SetOutcome::Deferred("unknown import outcome", std::move(json));
}

Result<std::unique_ptr<daemon::SetProcessor>, std::string> MakeImportSetProcessor(
    const Config& config) {
  // Check now what every job would check, so a bad configuration stops the daemon at start.
  if (auto probe = ImportJobOptionsFor(config, "probe.pkl", "."); !probe) {
    return Fail(probe.error());
  }
  auto shared = CurrentConfig();
  shared->Set(config);
  std::size_t threads = config.drop ? static_cast<std::size_t>(config.drop->max_sets_in_flight) : 1;
  return std::unique_ptr<daemon::SetProcessor>(std::make_unique<BlockingSetProcessor>(
      [shared](const ClaimedSet& set, const std::atomic<bool>& stop) {
        return ImportOneSet(shared, set, stop);
      },
      threads));
}

DaemonPlugs ImportDaemonPlugs() {
  DaemonPlugs plugs;
  plugs.make_processor = MakeImportSetProcessor;
  plugs.reload = [](const Config& config) -> Result<void, std::string> {
    if (auto probe = ImportJobOptionsFor(config, "probe.pkl", "."); !probe) {
      return Fail(probe.error());
    }
    CurrentConfig()->Set(config);
    return {};
  };
  return plugs;
}

}  // namespace ccm::cli
