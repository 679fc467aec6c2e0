// daemon_command.cpp — `ccmigrate daemon` and `ccmigrate status` around the drop service. See
// daemon_command.h.
#include "cli/daemon_command.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <ostream>

#include "cli/command_line.h"
#include "cli/command_log.h"
#include "cli/drop_service_settings.h"
#include "cli/exit_codes.h"
#include "cli/import_set_processor.h"
#include "cli/status_command.h"
#include "daemon/drop_service.h"
#include "daemon/drop_settings.h"
#include "daemon/listed_files.h"
#include "daemon/service_log.h"

namespace ccm::cli {

using daemon::ConfigureServiceLog;
using daemon::DropService;
using daemon::DropServiceHooks;
using daemon::DropSettings;
using daemon::ParserListedFiles;
using daemon::RunMode;
using daemon::SetLogLevel;

const char* const kDaemonHelp =
    "usage: ccmigrate daemon [--config FILE] [--once]\n"
    "\n"
    "Watches the drop directory ([drop] dir) and takes each file set from incoming/ through\n"
    "active/ to done/, deferred/ or failed/. Runs in the foreground; logs to the journal under\n"
    "systemd, else to stderr. SIGTERM stops it (exit 0), SIGHUP reloads the configuration.\n"
    "\n"
    "  --config FILE  the configuration file (default: /etc/ccmigrate/ccmigrate.toml)\n"
    "  --once         process what is ready in incoming/, retry everything in deferred/ now,\n"
    "                 then exit: 0 done, 1 warnings, 2 refused, 75 still deferred\n";

const char* const kStatusHelp =
    "usage: ccmigrate status [--config FILE]\n"
    "\n"
    "Prints the drop-directory service's state file (<[drop] dir>/status.json): sets per\n"
    "folder, sets in flight, counters, the last outcome and the last errors.\n"
    "\n"
    "  --config FILE  the configuration file (default: /etc/ccmigrate/ccmigrate.toml)\n";

namespace {

parser::ReaderOptions ReaderOptionsFor(const Config& config) {
  parser::ReaderOptions options;
  options.lenient = config.import.lenient;
  return options;
}

Result<Config, std::string> LoadDaemonConfig(const std::filesystem::path& file) {
  auto config = LoadConfig(file);
  if (!config)
    return Fail(config.error().message);
  if (!config->drop)
    return Fail(file.string() + ": the daemon needs a [drop] table");
  return std::move(*config);
}

}  // namespace

int RunDaemon(const std::filesystem::path& config_file, bool once, const DaemonPlugs& plugs,
              std::ostream& err) {
  auto config = LoadDaemonConfig(config_file);
  if (!config) {
    err << "ccmigrate daemon: " << config.error() << "\n";
    return kExitConfig;
  }
  if (auto log = ConfigureServiceLog(EffectiveLogLevel(config->log.level)); !log) {
    err << "ccmigrate daemon: " << log.error() << "\n";
    return kExitConfig;
  }
  if (!plugs.make_processor) {
    err << "ccmigrate daemon: no set processor is built into this binary\n";
    return kExitConfig;
  }
  auto processor = plugs.make_processor(*config);
  if (!processor) {
    err << "ccmigrate daemon: " << processor.error() << "\n";
    return kExitConfig;
  }

  boost::asio::io_context io;
  DropServiceHooks hooks;
  hooks.listed_files = ParserListedFiles(ReaderOptionsFor(*config));
  hooks.reload = [&]() -> Result<DropSettings, std::string> {
    auto fresh = LoadDaemonConfig(config_file);
    if (!fresh)
      return Fail(fresh.error());
    if (auto level = SetLogLevel(EffectiveLogLevel(fresh->log.level)); !level)
      return Fail(level.error());
    if (plugs.reload) {
      if (auto applied = plugs.reload(*fresh); !applied)
        return Fail(applied.error());
    }
    return DropSettingsFromConfig(*fresh->drop);
  };
  DropService service(io, DropSettingsFromConfig(*config->drop), **processor, hooks);
  if (auto started = service.Start(once ? RunMode::kOnce : RunMode::kDaemon); !started) {
    spdlog::critical("cannot start: {}", started.error().message);
    err << "ccmigrate daemon: " << started.error().message << "\n";
    return kExitConfig;
  }
  io.run();
  return ExitCodeFor(service.Verdict());
}

int RunDaemonCommandLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                         const DaemonPlugs& plugs) {
  auto parsed = ParseArgs(args, {{"config", true}, {"once", false}});
  if (!parsed) {
    err << "ccmigrate daemon: " << parsed.error() << "\n" << kDaemonHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kDaemonHelp;
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    err << kDaemonHelp;
    return kExitUsage;
  }
  return RunDaemon(ConfigFileOption(parsed->Value("config")), parsed->Flag("once"), plugs, err);
}

int RunStatusCommandLine(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  auto parsed = ParseArgs(args, {{"config", true}});
  if (!parsed) {
    err << "ccmigrate status: " << parsed.error() << "\n" << kStatusHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kStatusHelp;
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    err << kStatusHelp;
    return kExitUsage;
  }
  auto config = LoadDaemonConfig(ConfigFileOption(parsed->Value("config")));
  if (!config) {
    err << "ccmigrate status: " << config.error() << "\n";
    return kExitConfig;
  }
  return RunStatusCommand(config->drop->dir, out, err);
}

namespace {

int RunDaemonWithImporter(const std::vector<std::string>& args, std::ostream& out,
                          std::ostream& err) {
  return RunDaemonCommandLine(args, out, err, ImportDaemonPlugs());
}

}  // namespace

const Command kDaemonCommand{"daemon", "run the drop-directory service ([--config FILE] [--once])",
                             kDaemonHelp, RunDaemonWithImporter};
const Command kStatusCommand{"status", "show the drop-directory service's state ([--config FILE])",
                             kStatusHelp, RunStatusCommandLine};

}  // namespace ccm::cli
