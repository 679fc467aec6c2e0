// ldap_directory_access.h — the real directory half of an import job: DirectoryAccess over
// [ldap] connections ldap::Clients (one io_context, run synchronously by the planner and the
// applier), so RunImport stays a plain blocking function. Planning uses the first connection;
// applying spreads its journaled batches over all of them.
//
// Plan = PlanDirectory (pipelined searches, pure decisions; directory_planner.h); Apply = load
// (or create) the journal key ([import] journal_key_file; journal_key.h), open
// <output_dir>/journal.ldif and audit.ldif (journal.h) and ApplyDirectoryPlan
// (directory_apply.h). Apply statuses map onto the job's: applied → applied; nothing-to-do →
// unchanged; assertion-failed, failed, not-attempted → failed (the user gets no mail and is
// reported; a rerun re-plans it from the directory's current state).
//
// LookUpAddresses = LookUpAddresses of address_lookup.h on the first connection, in the same
// base DN and with the same match_target_without_type as planning.
//
// Inputs: the connection settings ([ldap]), the number of connections and the planner options
// ([import] default_home, create_missing, [ldap] base_dn, match_target_without_type). The password
// reaches only the client's bind.
//
// Thread safety: externally synchronized; use from one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <vector>

#include "importer/directory_planner.h"
#include "importer/import_job.h"
#include "ldap/client.h"

namespace ccm::importer {

class LdapDirectoryAccess final : public DirectoryAccess {
 public:
  /// Plans on the first of `connections` (>= 1) connections; applies over all of them.
  LdapDirectoryAccess(ldap::ConnectionConfig connection, PlannerOptions planner,
                      std::size_t connections, std::filesystem::path journal_key_file);
  ~LdapDirectoryAccess() override;

  Result<DirectoryPlan, ImportError> Plan(std::vector<MigratingUser> users) override;
  Result<DirectoryApplication, ImportError> Apply(const DirectoryPlan& plan,
                                                  const std::filesystem::path& output_dir) override;
  Result<std::vector<AddressAnswer>, ImportError> LookUpAddresses(
      const std::vector<std::string>& addresses) override;

 private:
  boost::asio::io_context io_;
  std::vector<std::unique_ptr<ldap::Client>> clients_;
  PlannerOptions planner_;
  std::filesystem::path journal_key_file_;
};

}  // namespace ccm::importer
