// ldap_directory_access.cpp — DirectoryAccess over PlanDirectory/ApplyDirectoryPlan; see the
// header.
#include "importer/ldap_directory_access.h"

#include <algorithm>

#include "importer/directory_apply.h"
#include "importer/journal.h"

namespace ccm::importer {

LdapDirectoryAccess::LdapDirectoryAccess(ldap::ConnectionConfig connection, PlannerOptions planner,
                                         std::size_t connections,
                                         std::filesystem::path journal_key_file)
    : planner_(std::move(planner)), journal_key_file_(std::move(journal_key_file)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, connections); ++i)
    clients_.push_back(std::make_unique<ldap::Client>(io_.get_executor(), connection));
}

LdapDirectoryAccess::~LdapDirectoryAccess() {
  clients_.clear();
  // Let cancelled operations' completions run before the io_context goes away.
  io_.restart();
  io_.poll();
}

Result<DirectoryPlan, ImportError> LdapDirectoryAccess::Plan(std::vector<MigratingUser> users) {
  io_.restart();
  return PlanDirectory(io_, *clients_.front(), std::move(users), planner_);
}

Result<DirectoryApplication, ImportError> LdapDirectoryAccess::Apply(
    const DirectoryPlan& plan, const std::filesystem::path& output_dir) {
  auto key = LoadOrCreateJournalKey(journal_key_file_);
  if (!key)
    return Fail(std::move(key.error()));
  auto journal = Journal::Open(output_dir / "journal.ldif", output_dir / "audit.ldif", *key);
  if (!journal)
    return Fail(std::move(journal.error()));
  io_.restart();
  std::vector<ldap::Client*> connections;
  for (const auto& client : clients_)
    connections.push_back(client.get());
  auto applied = ApplyDirectoryPlan(io_, std::move(connections), plan, **journal);
  if (!applied)
    return Fail(std::move(applied.error()));
  DirectoryApplication out;
  for (const UserApplyResult& r : applied->users) {
    AppliedUser u;
    u.message = r.message;
    switch (r.status) {
      case ApplyStatus::kApplied:
        u.status = AppliedUser::Status::kApplied;
        break;
      case ApplyStatus::kNothingToDo:
        u.status = AppliedUser::Status::kUnchanged;
        break;
      case ApplyStatus::kAssertionFailed:
      case ApplyStatus::kFailed:
      case ApplyStatus::kNotAttempted:
        u.status = AppliedUser::Status::kFailed;
        if (u.message.empty())
          u.message = std::string(ApplyStatusName(r.status));
        break;
    }
    out.users.push_back(std::move(u));
  }
  return out;
}

Result<std::vector<AddressAnswer>, ImportError> LdapDirectoryAccess::LookUpAddresses(
    const std::vector<std::string>& addresses) {
  AddressLookupOptions options;
  options.base_dn = planner_.base_dn;
  options.match_target_without_type = planner_.plan.match_target_without_type;
  return importer::LookUpAddresses(io_, *clients_.front(), addresses, options);
}

}  // namespace ccm::importer
