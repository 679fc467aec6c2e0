// plan_command.cpp — the `plan` subcommand (see plan_command.h).
#include "cli/plan_command.h"

#include <boost/asio/io_context.hpp>
#include <ostream>

#include "cli/config.h"
#include "cli/directory_settings.h"
#include "cli/exit_codes.h"
#include "cli/set_report.h"
#include "importer/directory_planner.h"
#include "importer/migrating_user.h"
#include "importer/plan_ldif.h"
#include "ldap/client.h"
#include "parser/accounts_file.h"

namespace ccm::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: ccmigrate plan --config FILE PATH.pkl\n"
    "\n"
    "Dry run of an import's directory half: validates the set, resolves every user against\n"
    "the directory and prints, as LDIF, exactly the changes `ccmigrate import` would apply\n"
    "(valid input for `ldapmodify -f`; every modify carries its assertion control). Each\n"
    "user's decision and a summary are '#' comments. Nothing is written. Logs go to stderr.\n"
    "\n"
    "Exit codes: 0 clean, 1 warnings, 2 refused (invalid set, or a conflict/skip the policy\n"
    "rejects), 64 usage error, 75 directory unreachable, 78 configuration error.\n";

int ExitFor(importer::ImportErrorKind kind) {
  switch (kind) {
    case importer::ImportErrorKind::kTransient:
      return kExitTempFailure;
    case importer::ImportErrorKind::kConfiguration:
      return kExitConfig;
    case importer::ImportErrorKind::kPermanent:
      return kExitInvalid;
  }
  return kExitInvalid;
}

int RunPlan(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = ParseArgs(args, {{"config", true}});
  if (!parsed) {
    err << "ccmigrate plan: " << parsed.error() << "\n" << kHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1 || !parsed->Value("config")) {
    err << "ccmigrate plan: expected --config FILE and exactly one PATH.pkl\n" << kHelp;
    return kExitUsage;
  }
  auto config = LoadConfig(*parsed->Value("config"));
  if (!config) {
    err << "ccmigrate plan: " << config.error().message << "\n";
    return kExitConfig;
  }

  parser::ScanOptions scan_options;
  scan_options.reader.lenient = config->import.lenient;
  if (!config->import.accounts_file.empty()) {
    auto accounts = parser::ReadAccountsFile(config->import.accounts_file.string());
    if (!accounts) {
      err << "ccmigrate plan: [import] accounts_file: " << accounts.error() << "\n";
      return kExitConfig;
    }
    scan_options.accounts = std::move(*accounts);
    scan_options.accounts_file = config->import.accounts_file.string();
  }
  ScannedSet set = ScanSetAt(parsed->positional.front(), scan_options);
  if (!set.scan || set.sink->errors() > 0) {
    PrintProblems(set, err);
    err << "ccmigrate plan: " << set.path.pkl << ": INVALID (" << set.sink->errors()
        << " errors); refused, nothing planned\n";
    return kExitInvalid;
  }
  PrintProblems(set, err);
  // As `import` counts them: the Q194218 warning is what the in-memory fix resolves.
  bool set_warnings = false;
  for (const parser::Diagnostic& d : set.sink->kept()) {
    if (d.severity == parser::Severity::kWarning && d.message.find("Q194218") == std::string::npos)
      set_warnings = true;
  }

  const std::vector<importer::MigratingUser> users = importer::UsersOfSet(*set.scan);
  err << "ccmigrate plan: " << set.path.pkl << ": " << users.size() << " users; resolving in "
      << config->ldap.base_dn << " on " << config->ldap.uri << "\n";
  auto connection = ConnectionFor(config->ldap);
  if (!connection) {
    err << "ccmigrate plan: " << connection.error() << "\n";
    return kExitConfig;
  }
  boost::asio::io_context io;
  auto plan = [&] {
    ldap::Client client(io.get_executor(), std::move(*connection));
    auto result = importer::PlanDirectory(io, client, users, PlannerOptionsFor(*config));
    return result;
  }();
  io.restart();
  io.poll();
  if (!plan) {
    err << "ccmigrate plan: " << importer::ImportErrorKindName(plan.error().kind)
        << " failure: " << plan.error().message << "\n";
    return ExitFor(plan.error().kind);
  }
  auto ldif = importer::RenderPlanLdif(*plan);
  if (!ldif) {
    err << "ccmigrate plan: " << ldif.error() << "\n";
    return kExitInvalid;
  }
  out << *ldif;
  const std::size_t changes = plan->ConversionsAndCreations();
  if (config->import.max_changes > 0 &&
      changes > static_cast<std::size_t>(config->import.max_changes)) {
    out << "# guard: " << changes
        << " conversions/creations exceed [import] max_changes = " << config->import.max_changes
        << "; `import` refuses this set unless --force\n";
  }
  switch (importer::VerdictOf(*plan, PlanPolicyFor(config->import))) {
    case importer::PlanVerdict::kClean:
      return set_warnings ? kExitWarnings : kExitOk;
    case importer::PlanVerdict::kWarnings:
      return kExitWarnings;
    case importer::PlanVerdict::kRefused:
      err << "ccmigrate plan: refused by policy ([import] on_conflict / on_not_found)\n";
      return kExitInvalid;
  }
  return kExitInvalid;
}

}  // namespace

const Command kPlanCommand{"plan", "print the directory changes an import would make (LDIF)", kHelp,
                           RunPlan};

}  // namespace ccm::cli
