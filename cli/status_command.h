// status_command.h — the body of `ccmigrate status --config FILE`: prints the running (or last)
// daemon's state file, <[drop] dir>/status.json, and says whether the daemon that wrote it is
// still running (its pid answers kill(pid, 0) — a pid-namespace or pid-reuse blind spot is
// accepted: the state file's updated_at tells the rest).
//
// Output: the JSON itself on stdout (machine-readable), one summary line on stderr.
// Exit codes: 0 printed; 1 no state file (the daemon never ran on this spool) or unreadable.
// The caller (main.cpp's dispatch) loads the configuration and passes [drop] dir.
//
// Thread safety: none needed (one call per process).
#pragma once

#include <filesystem>
#include <iosfwd>

namespace ccm::cli {

/// Prints `drop_dir`/status.json to `out`; a summary or the problem to `err`.
int RunStatusCommand(const std::filesystem::path& drop_dir, std::ostream& out, std::ostream& err);

}  // namespace ccm::cli
