// program.cpp — RunProgram: fork + execvp with stdout/stderr sent to an unlinked temporary file,
// then waitpid. See program.h.
#include "tests/support/program.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ccm::test {

Result<ProgramOutcome, std::string> RunProgram(const std::vector<std::string>& argv) {
  if (argv.empty())
    return Fail(std::string("RunProgram: empty argv"));
  char out_template[] = "/tmp/ccm-out.XXXXXX";
  int out = mkstemp(out_template);
  if (out < 0)
    return Fail(std::string("RunProgram: mkstemp: ") + std::strerror(errno));
  unlink(out_template);

  // Built before fork: the child may only make async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    close(out);
    return Fail(std::string("RunProgram: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, 0);
    dup2(out, 1);
    dup2(out, 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ProgramOutcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  lseek(out, 0, SEEK_SET);
  char buffer[4096];
  ssize_t n;
  while ((n = read(out, buffer, sizeof buffer)) > 0)
    outcome.output.append(buffer, static_cast<std::size_t>(n));
  close(out);
  if (outcome.exit_code == 127 && outcome.output.empty())
    outcome.output = "cannot execute " + argv[0];
  return outcome;
}

}  // namespace ccm::test
