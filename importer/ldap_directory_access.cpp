// ldap_directory_access.cpp — DirectoryAccess over PlanDirectory/ApplyDirectoryPlan; see the
// header.
#include "importer/ldap_directory_access.h"

#include "importer/directory_apply.h"
#include "importer/journal.h"

namespace ccm::importer {

LdapDirectoryAccess::LdapDirectoryAccess(ldap::ConnectionConfig connection, PlannerOptions planner)
    : client_(std::make_unique<ldap::Client>(io_.get_executor(), std::move(connection))),
      planner_(std::move(planner)) {}

LdapDirectoryAccess::~LdapDirectoryAccess() {
  client_.reset();
  // Let cancelled operations' completions run before the io_context goes away.
  io_.restart();
  io_.poll();
}

Result<DirectoryPlan, ImportError> LdapDirectoryAccess::Plan(
    const std::vector<MigratingUser>& users) {
  io_.restart();
  return PlanDirectory(io_, *client_, users, planner_);
}

Result<DirectoryApplication, ImportError> LdapDirectoryAccess::Apply(
    const DirectoryPlan& plan, const std::filesystem::path& output_dir) {
  auto journal = Journal::Open(output_dir / "journal.ldif", output_dir / "audit.ldif");
  if (!journal)
    return Fail(std::move(journal.error()));
  io_.restart();
  auto applied = ApplyDirectoryPlan(io_, *client_, plan, **journal);
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

}  // namespace ccm::importer
