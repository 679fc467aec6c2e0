// command_log.h — where every command's log lines go and at which level.
//
// Every command logs to stderr, never stdout: stdout carries a command's output (LDIF, a
// report summary, status.json) and must stay parseable. main() installs the stderr logger
// before any command runs; the daemon then replaces it with the journal or stderr logger of
// daemon/service_log.h.
//
// Level: a command that reads a configuration logs at its [log] level (default info), one
// without at info. `-v`/`--verbose` and `-q`/`--quiet`, accepted by every command anywhere
// before `--`, move that level one step more or less verbose each (trace ... critical, off),
// also across a daemon's SIGHUP reload.
//
// Thread safety: TakeVerbosityOptions and StartCommandLog run in main() before any thread;
// the rest may run later (spdlog's level change is thread-safe).
#pragma once

#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::cli {

/// Removes -v/--verbose/-q/--quiet from `args` (up to a `--`) and returns their sum: +1 for
/// each -v, -1 for each -q.
int TakeVerbosityOptions(std::vector<std::string>& args);

/// Installs the stderr logger at info moved by `verbosity`, and remembers the verbosity for
/// EffectiveLogLevel.
void StartCommandLog(int verbosity);

/// The level name to log at: `configured` ([log] level) moved by the verbosity given to
/// StartCommandLog; an unknown name is returned unchanged (for the caller to refuse).
std::string EffectiveLogLevel(const std::string& configured);

/// Sets the current logger to EffectiveLogLevel(configured); fails on an unknown level name.
Result<void, std::string> ApplyLogLevel(const std::string& configured);

}  // namespace ccm::cli
