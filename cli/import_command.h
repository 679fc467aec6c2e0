// import_command.h — `ccmigrate import --config FILE PATH.pkl [--force] [--report-dir DIR]`:
// validates the set, applies the Q194218 fix in memory, plans and applies the directory
// changes (journal first) and delivers every converted user's mail (importer/import_job.h).
//
// Output: report.json, journal.ldif and audit.ldif in the report directory (default:
// <set dir>/ccmigrate-import/, beside the set's files but not among them, so a rerun's scan
// does not see them as unlisted files; --report-dir DIR; created if missing), the short
// human summary on stdout, progress on stderr (one live line on a terminal, else a line every
// 10 s). SIGINT/SIGTERM stop at the next safe point (exit 75; rerunning finishes the set).
// Exit codes: 0 done, 1 done with warnings, 2 refused (invalid set, policy, max_changes guard;
// nothing changed), 64 usage, 75 temporary failure (directory unreachable, interrupted), 78
// configuration error.
#pragma once

#include "cli/command_line.h"

namespace ccm::cli {

extern const Command kImportCommand;

}  // namespace ccm::cli
