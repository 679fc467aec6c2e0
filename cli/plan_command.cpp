// plan_command.cpp — the `plan` subcommand (see plan_command.h).
#include "cli/plan_command.h"

#include <ostream>

#include "cli/command_log.h"
#include "cli/config.h"
#include "cli/directory_settings.h"
#include "cli/exit_codes.h"
#include "cli/import_settings.h"
#include "importer/import_job.h"
#include "importer/ldap_directory_access.h"
#include "importer/plan_ldif.h"

namespace ccm::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: ccmigrate plan [--config FILE] PATH.pkl\n"
    "\n"
    "Dry run of an import's directory half: validates the set, resolves every user against\n"
    "the directory and prints, as LDIF, exactly the changes `ccmigrate import` would apply\n"
    "(valid input for `ldapmodify -f`; every modify carries its assertion control). Each\n"
    "user's decision and a summary are '#' comments. Nothing is written. Logs go to stderr.\n"
    "\n"
    "  --config FILE  the configuration file (default: /etc/ccmigrate/ccmigrate.toml)\n"
    "\n"
    "Exit codes: 0 clean, 1 warnings, 2 refused (invalid set, or a conflict/skip the policy\n"
    "rejects), 64 usage error, 75 directory unreachable, 78 configuration error.\n";

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
  if (parsed->positional.size() != 1) {
    err << "ccmigrate plan: expected exactly one PATH.pkl\n" << kHelp;
    return kExitUsage;
  }
  auto config = LoadConfig(ConfigFileOption(parsed->Value("config")));
  if (!config) {
    err << "ccmigrate plan: " << config.error().message << "\n";
    return kExitConfig;
  }
  if (auto level = ApplyLogLevel(config->log.level); !level) {
    err << "ccmigrate plan: " << level.error() << "\n";
    return kExitConfig;
  }
  // The import's own options and preparation: what is printed is what `import` applies.
  auto options = ImportJobOptionsFor(*config, parsed->positional.front(), {});
  if (!options) {
    err << "ccmigrate plan: " << options.error() << "\n";
    return kExitConfig;
  }
  err << "ccmigrate plan: " << options->pkl_path.string() << ": resolving users in "
      << config->ldap.base_dn << " on " << config->ldap.uri << "\n";
  auto connection = ConnectionFor(config->ldap);
  if (!connection) {
    err << "ccmigrate plan: " << connection.error() << "\n";
    return kExitConfig;
  }
  importer::LdapDirectoryAccess directory(std::move(*connection), PlannerOptionsFor(*config), 1,
                                          config->import.journal_key_file);
  const importer::PlannedImport planned = importer::PrepareImport(*options, directory);
  const importer::ImportReport& report = planned.report;
  for (const std::string& problem : report.warnings)
    err << problem << "\n";
  if (report.warnings_not_shown > 0)
    err << "ccmigrate plan: " << report.warnings_not_shown << " more problems not shown\n";
  for (const importer::SynthesisedReport& s : report.synthesised) {
    err << "ccmigrate plan: " << s.address << ": no MAILMESSAGE section; the import supplies an "
        << "empty one (" << s.reason << ")\n";
  }
  if (!planned.plan) {
    err << "ccmigrate plan: " << report.set << ": " << importer::ImportOutcomeName(report.outcome)
        << " (" << report.reason << "); nothing planned\n";
    return ExitCodeFor(report);
  }
  auto ldif = importer::RenderPlanLdif(*planned.plan);
  if (!ldif) {
    err << "ccmigrate plan: " << ldif.error() << "\n";
    return kExitInvalid;
  }
  out << *ldif;
  if (importer::MassChangeGuardTrips(*planned.plan, options->max_changes)) {
    out << "# guard: " << planned.plan->ConversionsAndCreations()
        << " conversions/creations exceed [import] max_changes = " << options->max_changes
        << "; `import` refuses this set unless --force\n";
  }
  if (report.outcome == importer::ImportOutcome::kRefused)
    err << "ccmigrate plan: " << report.reason << " ([import] on_conflict / on_not_found)\n";
  return ExitCodeFor(report);
}

}  // namespace

const Command kPlanCommand{"plan", "print the directory changes an import would make (LDIF)", kHelp,
                           RunPlan};

}  // namespace ccm::cli
