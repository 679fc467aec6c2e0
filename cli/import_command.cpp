// import_command.cpp — the `import` subcommand (see import_command.h).
#include "cli/import_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <optional>
#include <ostream>

#include "ccm/atomic_file.h"
#include "cli/command_log.h"
#include "cli/config.h"
#include "cli/directory_settings.h"
#include "cli/exit_codes.h"
#include "cli/import_settings.h"
#include "importer/import_job.h"
#include "importer/ldap_directory_access.h"

namespace ccm::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: ccmigrate import [--config FILE] PATH.pkl [--force] [--report-dir DIR]\n"
    "\n"
    "Imports a migration file set: validates it, adds missing MAILMESSAGE sections in memory\n"
    "(KB Q194218), converts each user's custom recipient into a mailbox (one asserted modify;\n"
    "the prior entry is journaled first) and delivers the user's messages into the Maildir++\n"
    "store under [mailstore] root. Rerunning after any interruption is safe and finishes the\n"
    "job: nothing is converted twice, no message is delivered twice.\n"
    "\n"
    "  --config FILE     the configuration file (default: /etc/ccmigrate/ccmigrate.toml)\n"
    "  --force           import even when the plan converts or creates more entries than\n"
    "                    [import] max_changes\n"
    "  --report-dir DIR  where report.json, journal.ldif and audit.ldif go (created if\n"
    "                    missing; default: ccmigrate-import/ inside the set's directory)\n"
    "\n"
    "Exit codes: 0 done, 1 done with warnings, 2 refused (nothing changed), 64 usage error,\n"
    "75 temporary failure (rerun later), 78 configuration error.\n";

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) {
  g_stop.store(true);
}

AtomicFileOptions ReportFileOptions(const std::filesystem::path& dir) {
  AtomicFileOptions options;
  options.mode = 0644;
  options.shown_dir = dir;
  return options;
}

// Writes report.json into `dir` as it is rendered, a piece at a time: a large set's report is
// never held whole beside the import's own data.
Result<void, std::string> WriteReport(const std::filesystem::path& dir,
                                      const importer::ImportReport& report) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid())
    return Fail(FileError::Of("open the report directory", dir.string(), errno).message);
  auto file = AtomicFile::Create(fd.get(), "report.json", ReportFileOptions(dir));
  if (!file)
    return Fail(std::move(file.error().message));
  std::optional<FileError> failure;
  importer::WriteReportJson(report, [&](std::string_view piece) {
    if (failure)
      return;
    if (auto appended = file->Append(piece); !appended)
      failure = std::move(appended.error());
  });
  if (failure)
    return Fail(std::move(failure->message));
  if (auto committed = file->Commit(); !committed)
    return Fail(std::move(committed.error().message));
  return {};
}

int RunImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = ParseArgs(args, {{"config", true}, {"force", false}, {"report-dir", true}});
  if (!parsed) {
    err << "ccmigrate import: " << parsed.error() << "\n" << kHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1) {
    err << "ccmigrate import: expected exactly one PATH.pkl\n" << kHelp;
    return kExitUsage;
  }
  auto config = LoadConfig(ConfigFileOption(parsed->Value("config")));
  if (!config) {
    err << "ccmigrate import: " << config.error().message << "\n";
    return kExitConfig;
  }
  if (auto level = ApplyLogLevel(config->log.level); !level) {
    err << "ccmigrate import: " << level.error() << "\n";
    return kExitConfig;
  }
  std::filesystem::path pkl = parsed->positional.front();
  // Default: a subdirectory of the set's directory. Not the set directory itself: the scan
  // warns about unlisted files there, so a rerun would see our own report as a problem
  // (subdirectories are not set entries).
  std::filesystem::path report_dir =
      (pkl.parent_path().empty() ? std::filesystem::path(".") : pkl.parent_path()) /
      "ccmigrate-import";
  if (auto dir = parsed->Value("report-dir"))
    report_dir = *dir;
  std::error_code ec;
  std::filesystem::create_directories(report_dir, ec);
  if (ec) {
    err << "ccmigrate import: report directory " << report_dir.string() << ": " << ec.message()
        << "\n";
    return kExitUsage;
  }
  auto options = ImportJobOptionsFor(*config, pkl, report_dir);
  if (!options) {
    err << "ccmigrate import: " << options.error() << "\n";
    return kExitConfig;
  }
  auto connection = ConnectionFor(config->ldap);
  if (!connection) {
    err << "ccmigrate import: " << connection.error() << "\n";
    return kExitConfig;
  }
  options->force = parsed->Flag("force");
  options->progress = &err;
  options->progress_terminal = ::isatty(STDERR_FILENO) == 1;
  options->stop = &g_stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  importer::LdapDirectoryAccess directory(std::move(*connection), PlannerOptionsFor(*config),
                                          static_cast<std::size_t>(config->ldap.connections),
                                          config->import.journal_key_file);
  importer::ImportResult result = importer::RunImport(*options, directory);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  out << importer::RenderReportSummary(result.report);
  if (auto written = WriteReport(report_dir, result.report); !written) {
    err << "ccmigrate import: " << written.error() << "\n";
    // The import itself happened; a missing report is still a failure worth a retry.
    const int code = ExitCodeFor(result.report);
    return code == kExitOk || code == kExitWarnings ? kExitTempFailure : code;
  }
  out << "  report: " << (report_dir / "report.json").string() << "\n";
  return ExitCodeFor(result.report);
}

}  // namespace

const Command kImportCommand{"import", "import a set: convert custom recipients, deliver mail",
                             kHelp, RunImportCommand};

}  // namespace ccm::cli
