// exit_codes.h — the process exit codes every ccmigrate subcommand uses (sysexits-style where a
// convention exists). Scripts rely on them; change only through an issue.
#pragma once

namespace ccm::cli {

inline constexpr int kExitOk = 0;            ///< done, nothing to report
inline constexpr int kExitWarnings = 1;      ///< done/valid, with warnings
inline constexpr int kExitInvalid = 2;       ///< input invalid, or the request was refused
inline constexpr int kExitUsage = 64;        ///< command-line usage error (EX_USAGE)
inline constexpr int kExitTempFailure = 75;  ///< temporary failure, retry later (EX_TEMPFAIL)
inline constexpr int kExitConfig = 78;       ///< configuration error (EX_CONFIG)

}  // namespace ccm::cli
