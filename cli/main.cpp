// main.cpp — the ccmigrate executable: dispatches `ccmigrate COMMAND ...` to the subcommands in
// kCommands. Each subcommand lives in its own file and is described by a Command (name, summary,
// help, run). `ccmigrate --help` lists them, `ccmigrate help COMMAND` and `ccmigrate COMMAND
// --help` print one command's help, `ccmigrate --version` the version. Unknown commands and
// options exit 64. Before any command runs, logging goes to stderr (command_log.h), at a level
// -v/-q move.
#include <sys/prctl.h>
#include <sys/resource.h>

#include <iostream>
#include <string>
#include <vector>

#include "ccm/version.h"
#include "cli/check_command.h"
#include "cli/command_line.h"
#include "cli/command_log.h"
#include "cli/daemon_command.h"
#include "cli/exit_codes.h"
#include "cli/fix_command.h"
#include "cli/import_command.h"
#include "cli/plan_command.h"
#include "cli/rollback_command.h"

namespace {

using ccm::cli::Command;

// The dispatch table. Later subcommands (plan, import, rollback, daemon, status) add a line.
const Command* const kCommands[] = {&ccm::cli::kCheckCommand,  &ccm::cli::kFixCommand,
                                    &ccm::cli::kPlanCommand,   &ccm::cli::kRollbackCommand,
                                    &ccm::cli::kImportCommand, &ccm::cli::kDaemonCommand,
                                    &ccm::cli::kStatusCommand};

const Command* Find(const std::string& name) {
  for (const Command* command : kCommands) {
    if (command->name == name)
      return command;
  }
  return nullptr;
}

void PrintUsage(std::ostream& out) {
  out << "usage: ccmigrate [-v|-q] COMMAND [ARGS]\n"
         "       ccmigrate help COMMAND\n"
         "       ccmigrate --version\n"
         "\n"
         "ccmigrate finishes Lotus cc:Mail migrations: it validates migration file sets, adds\n"
         "the MAILMESSAGE sections the cc:Mail extractor leaves out (KB Q194218), converts each\n"
         "user's custom recipient into a mailbox in an LDAP directory and delivers the mail.\n"
         "\n"
         "Every command logs to stderr; -v (more) and -q (less) move the [log] level, and may\n"
         "be given more than once. Commands that read a configuration take --config FILE\n"
         "(default: /etc/ccmigrate/ccmigrate.toml).\n"
         "\n"
         "commands:\n";
  for (const Command* command : kCommands) {
    std::string name(command->name);
    name.resize(10, ' ');
    out << "  " << name << command->summary << '\n';
  }
}

// Delivery keeps the folders of many mailboxes open and sizes itself to the soft limit on open
// files (parallel_delivery.cpp). That limit is often 1024 while the hard limit allows far
// more; raising the soft limit to the hard one is what a program that needs many descriptors
// is expected to do (systemd gives services 1024:524288 for that reason). Nothing here uses
// select(), which the low default protects.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);  // on failure delivery keeps to the lower limit
  }
}

// The process holds the LDAP password and the journal key in memory: no core dump may write them
// to disk and no other process of the same user may ptrace it (the unit also sets LimitCORE=0).
void ForbidCoreDumps() {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
}

}  // namespace

int main(int argc, char** argv) {
  ForbidCoreDumps();
  RaiseOpenFileLimit();
  std::vector<std::string> args(argv + 1, argv + argc);
  ccm::cli::StartCommandLog(ccm::cli::TakeVerbosityOptions(args));
  if (args.empty()) {
    PrintUsage(std::cerr);
    return ccm::cli::kExitUsage;
  }
  const std::string& first = args.front();
  if (first == "help" && args.size() == 2) {
    if (const Command* command = Find(args[1])) {
      std::cout << command->help;
      return ccm::cli::kExitOk;
    }
    std::cerr << "ccmigrate help: unknown command \"" << args[1] << "\"\n";
    PrintUsage(std::cerr);
    return ccm::cli::kExitUsage;
  }
  if (first == "--help" || first == "-h" || (first == "help" && args.size() == 1)) {
    PrintUsage(std::cout);
    return ccm::cli::kExitOk;
  }
  if (first == "help") {
    std::cerr << "ccmigrate help: expected at most one COMMAND\n";
    PrintUsage(std::cerr);
    return ccm::cli::kExitUsage;
  }
  if (first == "--version") {
    std::cout << "ccmigrate " << ccm::kVersion << '\n';
    return ccm::cli::kExitOk;
  }
  if (const Command* command = Find(first)) {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    int rc = command->run(rest, std::cout, std::cerr);
    std::cout.flush();
    return rc;
  }
  std::cerr << "ccmigrate: unknown command \"" << first << "\"\n";
  PrintUsage(std::cerr);
  return ccm::cli::kExitUsage;
}
