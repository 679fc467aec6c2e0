// exit_codes.h — the process exit codes of every ccmigrate subcommand (sysexits-style where a
// convention exists), and the one map from each layer's named outcome onto them. Scripts rely
// on the codes; change them only through an issue. No layer below the command line knows a
// process exit code: the importer, the drop service and the reader name their outcomes, and
// the functions here turn those names into numbers.
//
// Thread safety: constants and pure functions.
#pragma once

#include "cli/status_command.h"
#include "daemon/drop_service.h"
#include "importer/directory_plan.h"
#include "importer/import_error.h"
#include "importer/import_report.h"
#include "parser/diagnostics.h"

namespace ccm::cli {

inline constexpr int kExitOk = 0;            ///< done, nothing to report
inline constexpr int kExitWarnings = 1;      ///< done/valid, with warnings
inline constexpr int kExitNoState = 1;       ///< status: no state file to show
inline constexpr int kExitInvalid = 2;       ///< input invalid, or the request was refused
inline constexpr int kExitUsage = 64;        ///< command-line usage error (EX_USAGE)
inline constexpr int kExitTempFailure = 75;  ///< temporary failure, retry later (EX_TEMPFAIL)
inline constexpr int kExitConfig = 78;       ///< configuration error (EX_CONFIG)

/// done 0, done-with-warnings 1, refused 2, deferred and interrupted 75.
int ExitCodeFor(importer::ImportOutcome outcome);

/// transient 75, permanent 2, configuration 78.
int ExitCodeFor(importer::ImportErrorKind kind);

/// An import's (or a plan's) exit code: 78 when a configuration error ended it, otherwise its
/// outcome's.
int ExitCodeFor(const importer::ImportReport& report);

/// `daemon --once`: deferred 75, rejected 2, warnings 1, clean 0.
int ExitCodeFor(daemon::RunVerdict verdict);

/// `status`: shown 0, no state file 1.
int ExitCodeFor(StatusOutcome outcome);

/// `check` and `fix`: errors 2, warnings 1, otherwise 0.
int ExitCodeFor(const parser::DiagnosticSink& sink);

}  // namespace ccm::cli
