// program.h — runs a helper program (slapadd, ldapmodify, openssl, …) to completion for the
// test harness and returns its exit status and combined stdout/stderr.
//
// Inputs: an argv vector (argv[0] is an absolute path or found on PATH); no shell is involved,
// so arguments are never re-parsed. Output is collected through a temporary file, so a chatty
// program cannot block on a full pipe.
//
// Thread safety: a free function; safe to call from several threads.
#pragma once

#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::test {

/// How a finished program ended.
struct ProgramOutcome {
  int exit_code = -1;  ///< exit status, or 128 + signal number when killed by a signal
  std::string output;  ///< stdout and stderr, interleaved
};

/// Runs argv to completion; fails only when the program could not be started.
Result<ProgramOutcome, std::string> RunProgram(const std::vector<std::string>& argv);

}  // namespace ccm::test
