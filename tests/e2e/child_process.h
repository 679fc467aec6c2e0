// child_process.h — the ccmigrate binary under test as a real child process (end-to-end tests).
//
// ChildProcess::Start forks and execs argv with stdin from /dev/null and stdout and stderr
// appended to a log file, so a test can print what the daemon said when it fails. The child gets
// PR_SET_PDEATHSIG SIGKILL, so a crashed test binary does not leak daemons; the destructor kills
// (SIGKILL) and reaps a child still running. Every wait is bounded by a timeout.
//
// Thread safety: externally synchronized; use from the test's thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::test {

/// A running (or finished) child process; see the file comment.
class ChildProcess {
 public:
  /// Starts argv (argv[0] an absolute path) with its output appended to log_path.
  static Result<std::unique_ptr<ChildProcess>, std::string> Start(
      const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Sends a signal to the child (no-op once it was reaped).
  void Signal(int signo);
  /// Waits up to `timeout` for the child to end; its exit code (128 + signal when killed), or
  /// nullopt when it is still running.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  /// True while the child has not ended (reaps it when it has).
  bool Running();
  pid_t pid() const { return pid_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  bool Reap(int options);

  pid_t pid_;
  std::optional<int> exit_code_;
};

}  // namespace ccm::test
