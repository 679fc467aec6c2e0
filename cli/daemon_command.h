// daemon_command.h — the body of `ccmigrate daemon --config FILE [--once]` and
// `ccmigrate status --config FILE`: configuration in, drop service (or status file) out.
//
// RunDaemon loads the configuration (a [drop] table is required), sets up logging ([log] level;
// journal under systemd, else stderr), builds the SetProcessor through the plug the importer
// provides, and runs the DropService on one io_context until SIGTERM/SIGINT (exit 0) or, with
// --once, until everything ready has been worked on (exit 0/1/2/75, see drop_service.h).
// SIGHUP reloads the file: [log] level and [drop] settings are applied, DaemonPlugs::reload
// gets the whole new configuration (e.g. importer options); any failure keeps the old
// configuration. The packing-list plug is the parser's reader (listed_files.h), strict
// unless [import] lenient.
// Exit codes: 78 configuration error (unreadable or invalid file, no [drop] table, bad level,
// processor refused the configuration, spool cannot be opened), 64 usage error.
//
// Thread safety: one call per process.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "cli/command_line.h"
#include "cli/config.h"
#include "daemon/set_processor.h"

namespace ccm::cli {

/// What the importer plugs into the daemon.
struct DaemonPlugs {
  /// Builds the processor for a loaded configuration.
  std::function<Result<std::unique_ptr<daemon::SetProcessor>, std::string>(const Config&)>
      make_processor;
  /// Applies a reloaded configuration to the processor (may be empty).
  std::function<Result<void, std::string>(const Config&)> reload;
};

/// Runs the service for the configuration file; returns the process exit code.
int RunDaemon(const std::filesystem::path& config_file, bool once, const DaemonPlugs& plugs,
              std::ostream& err);

/// `ccmigrate daemon` argument handling (--config FILE, --once, --help) around RunDaemon.
int RunDaemonCommandLine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                         const DaemonPlugs& plugs);

/// `ccmigrate status` argument handling (--config FILE, --help) around RunStatusCommand.
int RunStatusCommandLine(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

/// Help texts of the two commands.
extern const char* const kDaemonHelp;
extern const char* const kStatusHelp;

/// `ccmigrate daemon`, with the importer plugged in (import_set_processor.h), and
/// `ccmigrate status`: entries for main.cpp's dispatch table.
extern const Command kDaemonCommand;
extern const Command kStatusCommand;

}  // namespace ccm::cli
