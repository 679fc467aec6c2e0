// fix_command.cpp — the `fix` subcommand (see fix_command.h).
#include "cli/fix_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "ccm/directory_listing.h"
#include "cli/exit_codes.h"
#include "cli/set_report.h"
#include "parser/accounts_file.h"
#include "parser/fix.h"

namespace ccm::cli {

namespace {

constexpr std::string_view kHelp =
    "usage: ccmigrate fix PATH.pkl --out DIR [--accounts FILE] [--lenient]\n"
    "\n"
    "Writes a corrected copy of the set into DIR in which every user to be migrated has a\n"
    "MAILMESSAGE section (KB Q194218). Users come from DIRECTORY mailbox records (their\n"
    "MIGRATE: proxy), PAB section owners and, with --accounts, a file with one source address\n"
    "per line. Existing files are copied byte for byte; new sections go into a copy of the\n"
    "user's own primary file (when it holds their PAB section) or into a new CCMFIX01.PRI.\n"
    "\n"
    "  --out DIR        output directory; must not exist or be empty, never the input directory\n"
    "  --accounts FILE  extra users, one source address per line\n"
    "  --lenient        read the input in lenient mode\n"
    "\n"
    "Exit codes: 0 written, 1 written with warnings, 2 refused (invalid set or bad DIR),\n"
    "64 usage error, 75 a write failed.\n";

// Opens (creating if needed) an empty output directory that is not the input directory.
int OpenOutputDirectory(const std::string& out_path, const parser::DiskDirectory& input,
                        std::ostream& err, int* fd_out) {
  struct stat in_st {};
  if (::fstat(input.fd(), &in_st) != 0) {
    err << "ccmigrate fix: cannot stat the input directory: " << std::strerror(errno) << '\n';
    return kExitTempFailure;
  }
  if (::mkdir(out_path.c_str(), 0755) != 0 && errno != EEXIST) {
    err << "ccmigrate fix: cannot create " << out_path << ": " << std::strerror(errno) << '\n';
    return kExitInvalid;
  }
  int fd = ::open(out_path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    err << "ccmigrate fix: " << out_path
        << " is not a directory we can open: " << std::strerror(errno) << "; refused\n";
    return kExitInvalid;
  }
  struct stat out_st {};
  ::fstat(fd, &out_st);
  if (out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino) {
    ::close(fd);
    err << "ccmigrate fix: --out is the input directory; refused (the input is never changed)\n";
    return kExitInvalid;
  }
  auto present = ListNames(fd, out_path);
  if (!present) {
    ::close(fd);
    err << "ccmigrate fix: " << present.error().message << "; refused\n";
    return kExitInvalid;
  }
  if (!present->empty()) {
    ::close(fd);
    err << "ccmigrate fix: " << out_path << " is not empty; refused\n";
    return kExitInvalid;
  }
  *fd_out = fd;
  return kExitOk;
}

int RunFix(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = ParseArgs(args, {{"out", true}, {"accounts", true}, {"lenient", false}});
  if (!parsed) {
    err << "ccmigrate fix: " << parsed.error() << "\n" << kHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1 || !parsed->Value("out")) {
    err << "ccmigrate fix: expected PATH.pkl and --out DIR\n" << kHelp;
    return kExitUsage;
  }
  parser::ScanOptions options;
  options.reader.lenient = parsed->Flag("lenient");
  if (auto accounts_path = parsed->Value("accounts")) {
    auto accounts = parser::ReadAccountsFile(*accounts_path);
    if (!accounts) {
      err << "ccmigrate fix: --accounts: " << accounts.error() << '\n';
      return kExitUsage;
    }
    options.accounts = std::move(accounts).value();
    options.accounts_file = *accounts_path;
  }
  ScannedSet input = ScanSetAt(parsed->positional.front(), options, FilesReadAgain::kYes);
  if (!input.scan || input.sink->errors() > 0) {
    PrintProblems(input, out);
    err << "ccmigrate fix: " << input.path.pkl << " is invalid (" << input.sink->errors()
        << " errors); refused, nothing written\n";
    return kExitInvalid;
  }
  const std::string out_path = *parsed->Value("out");
  int out_fd = -1;
  if (int rc = OpenOutputDirectory(out_path, *input.directory, err, &out_fd); rc != kExitOk) {
    return rc;
  }
  parser::FixPlan plan = parser::PlanFix(*input.scan);
  auto outcome = parser::WriteFixedSet(*input.directory, *input.scan, input.path.pkl, plan, out_fd);
  ::close(out_fd);
  if (!outcome) {
    err << "ccmigrate fix: writing the corrected set failed: " << outcome.error() << '\n';
    return kExitTempFailure;
  }
  for (const auto& section : plan.sections) {
    out << "added a MAILMESSAGE section for \"" << ToUtf8(input, section.address) << "\" to "
        << section.file << (section.in_new_file ? " (new file)" : " (appended to a copy)")
        << "; reason: " << section.reason << '\n';
  }
  if (plan.empty())
    out << "every user already has a MAILMESSAGE section; set copied unchanged\n";
  out << "wrote " << out_path << "/" << input.path.pkl << ": " << outcome->copied
      << " files copied unchanged, " << outcome->extended << " extended, " << outcome->created
      << " new\n";

  // Re-check what was written (10.5 step 6): valid, and nobody is missing a section.
  parser::ScanOptions recheck_options = options;
  ScannedSet written =
      ScanSetAt(out_path + "/" + input.path.pkl, recheck_options, FilesReadAgain::kNo);
  PrintProblems(written, out);
  if (!written.scan || written.sink->errors() > 0 ||
      !written.scan->UsersMissingMailMessage().empty()) {
    err << "ccmigrate fix: the written set does not check clean; see the problems above\n";
    return kExitInvalid;
  }
  return ExitCodeFor(*written.sink);
}

}  // namespace

const Command kFixCommand{"fix", "add missing MAILMESSAGE sections (KB Q194218) into a copy", kHelp,
                          RunFix};

}  // namespace ccm::cli
