// status_command.cpp — `ccmigrate status`. See status_command.h.
#include "cli/status_command.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ostream>

#include "cli/exit_codes.h"
#include "daemon/drop_directory.h"
#include "daemon/drop_status.h"
#include "daemon/spool_fs.h"
#include "daemon/state_json.h"

namespace ccm::cli {

using daemon::kStatusFileName;
using daemon::UniqueFd;

StatusOutcome ShowStatus(const std::filesystem::path& drop_dir, std::ostream& out,
                         std::ostream& err) {
  UniqueFd dir(::open(drop_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    err << "ccmigrate status: cannot open " << drop_dir.string() << ": " << std::strerror(errno)
        << "\n";
    return StatusOutcome::kNoState;
  }
  auto text = daemon::spool_fs::ReadSmallFile(dir.get(), kStatusFileName, 1u << 20);
  if (!text) {
    err << "ccmigrate status: no readable " << kStatusFileName << " in " << drop_dir.string()
        << " (has the daemon run on this spool?)\n";
    return StatusOutcome::kNoState;
  }
  out << *text;
  const std::int64_t pid = daemon::ParseStatusPid(*text).value_or(0);
  const bool running = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
  err << "ccmigrate status: daemon pid " << pid << (running ? " is running" : " is not running")
      << "\n";
  return StatusOutcome::kShown;
}

int RunStatusCommand(const std::filesystem::path& drop_dir, std::ostream& out, std::ostream& err) {
  return ExitCodeFor(ShowStatus(drop_dir, out, err));
}

}  // namespace ccm::cli
