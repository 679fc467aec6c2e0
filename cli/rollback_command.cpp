// rollback_command.cpp — the `rollback` subcommand (see rollback_command.h).
#include "cli/rollback_command.h"

#include <boost/asio/io_context.hpp>
#include <ostream>

#include "cli/command_log.h"
#include "cli/config.h"
#include "cli/directory_settings.h"
#include "cli/exit_codes.h"
#include "importer/directory_rollback.h"
#include "importer/journal.h"
#include "ldap/client.h"

namespace ccm::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: ccmigrate rollback JOURNAL [--config FILE]\n"
    "\n"
    "Undoes the directory changes an import journaled in JOURNAL (journal.ldif beside the\n"
    "set's report), newest first: every converted entry gets back its prior object classes,\n"
    "target address and proxies. Each change is guarded by an assertion that the entry is\n"
    "still what the import made: an entry someone changed since is reported, not touched.\n"
    "Running it again is safe (already restored entries are reported as such).\n"
    "Only directory state is restored: delivered mail stays in the mail store.\n"
    "\n"
    "  --config FILE  the configuration file (default: /etc/ccmigrate/ccmigrate.toml)\n"
    "\n"
    "Exit codes: 0 all restored, 1 some entries not restored (reported), 2 damaged journal,\n"
    "64 usage error, 75 directory unreachable (rerun), 78 configuration error.\n";

int RunRollback(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = ParseArgs(args, {{"config", true}});
  if (!parsed) {
    err << "ccmigrate rollback: " << parsed.error() << "\n" << kHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1) {
    err << "ccmigrate rollback: expected exactly one JOURNAL\n" << kHelp;
    return kExitUsage;
  }
  auto config = LoadConfig(ConfigFileOption(parsed->Value("config")));
  if (!config) {
    err << "ccmigrate rollback: " << config.error().message << "\n";
    return kExitConfig;
  }
  if (auto level = ApplyLogLevel(config->log.level); !level) {
    err << "ccmigrate rollback: " << level.error() << "\n";
    return kExitConfig;
  }
  auto key = importer::LoadJournalKey(config->import.journal_key_file);
  if (!key) {
    err << "ccmigrate rollback: " << key.error().message << "\n";
    return kExitConfig;
  }
  auto records = importer::ReadJournal(parsed->positional.front(), *key);
  if (!records) {
    err << "ccmigrate rollback: " << records.error().message << "; nothing was changed\n";
    // The journal is the command's operand: one that cannot be read is a usage error, not a
    // configuration one.
    if (records.error().kind == importer::ImportErrorKind::kConfiguration)
      return kExitUsage;
    return ExitCodeFor(records.error().kind);
  }
  if (auto scope = importer::CheckRollbackScope(*records, config->ldap.base_dn); !scope) {
    err << "ccmigrate rollback: " << scope.error() << "; nothing was changed\n";
    return kExitInvalid;
  }
  auto connection = ConnectionFor(config->ldap);
  if (!connection) {
    err << "ccmigrate rollback: " << connection.error() << "\n";
    return kExitConfig;
  }
  boost::asio::io_context io;
  auto result = [&] {
    ldap::Client client(io.get_executor(), std::move(*connection));
    return importer::Rollback(io, client, *records);
  }();
  io.restart();
  io.poll();
  if (!result) {
    err << "ccmigrate rollback: " << result.error().message << "\n";
    return ExitCodeFor(result.error().kind);
  }
  for (const auto& entry : result->entries) {
    out << importer::RollbackStatusName(entry.status) << " " << entry.dn << " (journal line "
        << entry.journal_line << ")";
    if (!entry.message.empty())
      out << ": " << entry.message;
    out << "\n";
  }
  using importer::RollbackStatus;
  out << "rollback: " << result->Count(RollbackStatus::kRestored) << " restored, "
      << result->Count(RollbackStatus::kAlreadyRestored) << " already restored, "
      << result->Count(RollbackStatus::kChangedSince) << " changed since (not touched), "
      << result->Count(RollbackStatus::kCreatedKept) << " created entries kept, "
      << result->Count(RollbackStatus::kFailed) << " failed\n"
      << "rollback: directory state only; delivered mail stays in the mail store\n";
  const bool complete = result->Count(RollbackStatus::kChangedSince) == 0 &&
                        result->Count(RollbackStatus::kFailed) == 0 &&
                        result->Count(RollbackStatus::kCreatedKept) == 0;
  return complete ? kExitOk : kExitWarnings;
}

}  // namespace

const Command kRollbackCommand{"rollback", "undo an import's directory changes (JOURNAL)", kHelp,
                               RunRollback};

}  // namespace ccm::cli
