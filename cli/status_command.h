// status_command.h — the body of `ccmigrate status --config FILE`: prints the running (or last)
// daemon's state file, <[drop] dir>/status.json, and says whether the daemon that wrote it is
// still running (its pid answers kill(pid, 0) — a pid-namespace or pid-reuse blind spot is
// accepted: the state file's updated_at tells the rest).
//
// Output: the JSON itself on stdout (machine-readable), one summary line on stderr.
// Outcome: kShown, or kNoState when there is no readable state file (the daemon never ran on
// this spool, or the spool cannot be opened); exit_codes.h maps it (0 and 1). The caller
// (main.cpp's dispatch) loads the configuration and passes [drop] dir.
//
// Thread safety: none needed (one call per process).
#pragma once

#include <filesystem>
#include <iosfwd>

namespace ccm::cli {

/// What `ccmigrate status` found.
enum class StatusOutcome {
  kShown,    ///< the state file was printed
  kNoState,  ///< no readable state file
};

/// Prints `drop_dir`/status.json to `out`; a summary or the problem to `err`.
StatusOutcome ShowStatus(const std::filesystem::path& drop_dir, std::ostream& out,
                         std::ostream& err);

/// ShowStatus, as the process exit code (exit_codes.h).
int RunStatusCommand(const std::filesystem::path& drop_dir, std::ostream& out, std::ostream& err);

}  // namespace ccm::cli
