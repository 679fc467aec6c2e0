// import_set_processor.cpp — the daemon's import processor; see import_set_processor.h.
#include "cli/import_set_processor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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
using daemon::UniqueFd;
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

// Opens or makes one directory below `parent` (0700), never through a symbolic link.
Result<UniqueFd, std::string> OpenOwnDirectory(int parent, const std::string& name,
                                               const std::filesystem::path& shown) {
  if (::mkdirat(parent, name.c_str(), 0700) != 0 && errno != EEXIST)
    return Fail(shown.string() + ": " + std::strerror(errno));
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid())
    return Fail(shown.string() + ": " + std::strerror(errno));
  return fd;
}

// The set's journal directory: <state_dir>/sets/<set id>.<inode of the set folder>, made one
// level at a time through directory descriptors, so nothing an operator can write (the set's
// own folder) ever holds state the service reads back. The inode keeps two sets that had the
// same id at different times apart.
Result<std::filesystem::path, std::string> JournalDirFor(const std::filesystem::path& state_dir,
                                                         const ClaimedSet& set) {
  struct stat folder {};
  if (::fstat(set.dir_fd(), &folder) != 0)
    return Fail(set.dir().string() + ": " + std::strerror(errno));
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  UniqueFd state(::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!state.valid())
    return Fail("[drop] state_dir " + state_dir.string() + ": " + std::strerror(errno));
  auto sets = OpenOwnDirectory(state.get(), "sets", state_dir / "sets");
  if (!sets)
    return Fail(std::move(sets.error()));
  const std::string name = set.id() + "." + std::to_string(folder.st_ino);
  auto own = OpenOwnDirectory(sets->get(), name, state_dir / "sets" / name);
  if (!own)
    return Fail(std::move(own.error()));
  return state_dir / "sets" / name;
}

SetOutcome ImportOneSet(const std::shared_ptr<SharedConfig>& shared, const ClaimedSet& set,
                        const std::atomic<bool>& stop) {
  // Whatever the import logs on this worker thread (the directory client's warnings) is about
  // this set: the journal gets CCM_SET for it too.
  daemon::SetLogScope log_scope(daemon::PrintableName(set.id()));
  std::shared_ptr<const Config> config = shared->Get();
  auto journal_dir = JournalDirFor(config->drop->state_dir, set);
  if (!journal_dir)
    return SetOutcome::Deferred("state directory: " + journal_dir.error());
  auto options = ImportJobOptionsFor(*config, set.pkl_path(), *journal_dir);
  if (!options)
    return SetOutcome::Deferred("configuration: " + options.error());
  options->caller_files = SpoolFileNames();  // a retried set still holds its last report
  options->stop = &stop;
  options->progress = &std::cerr;
  options->progress_label = "import " + set.id();
  auto connection = ConnectionFor(config->ldap);
  if (!connection)
    return SetOutcome::Deferred("configuration: " + connection.error());
  importer::LdapDirectoryAccess directory(std::move(*connection), PlannerOptionsFor(*config),
                                          static_cast<std::size_t>(config->ldap.connections),
                                          config->import.journal_key_file);
  importer::ImportResult result = importer::RunImport(*options, directory);
  result.report.journal_dir = journal_dir->string();
  return OutcomeForImport(result);
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
      // A permanent error that defers (the mail store full or refusing) waits for a person,
      // within [drop] max_deferral_age_seconds.
      return SetOutcome::Deferred(reason, std::move(json),
                                  result.report.error_kind == importer::ImportErrorKind::kPermanent
                                      ? SetOutcome::Cause::kPersistent
                                      : SetOutcome::Cause::kTransient);
    case importer::ImportOutcome::kRefused:
      return SetOutcome::Rejected(reason, std::move(json));
    case importer::ImportOutcome::kInterrupted:
      return SetOutcome::Interrupted(reason);
  }
  return SetOutcome::Deferred("unknown import outcome", std::move(json));
}

Result<std::unique_ptr<daemon::SetProcessor>, std::string> MakeImportSetProcessor(
    const Config& config) {
  // Check now what every job would check, so a bad configuration stops the daemon at start
  // (the password is read once here and wiped; each job reads it again to bind).
  if (auto probe = ImportJobOptionsFor(config, "probe.pkl", "."); !probe) {
    return Fail(probe.error());
  }
  if (auto probe = ConnectionFor(config.ldap); !probe)
    return Fail(probe.error());
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
