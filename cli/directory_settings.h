// directory_settings.h — the configuration's [ldap] and [import] keys mapped onto what the
// importer's directory half takes: the ldap client's ConnectionConfig, the planner's options
// and the plan policy. `plan`, `import`, `rollback` and the daemon all use these, so a dry run
// resolves and decides exactly as the import does.
//
// Mapping: uri, bind_dn (empty = anonymous unless sasl_mechanism = "EXTERNAL"), password (read
// from password_file here, by ldap::ReadSecretFile, only for a simple bind; the bytes go only to
// the bind and are wiped with the ConnectionConfig), starttls, ca_file, tls_verify, timeout_seconds
// (network and per-operation timeout), max_in_flight (the pipelining window); base_dn (the
// searched subtree and where `create` adds), match_target_without_type, default_home,
// create_missing; on_not_found = reject / on_conflict = reject → PlanPolicy.
//
// Thread safety: pure functions (ConnectionFor reads the password file).
#pragma once

#include "cli/config.h"
#include "importer/directory_plan.h"
#include "importer/directory_planner.h"
#include "ldap/connection_config.h"

namespace ccm::cli {

/// The ldap client's connection settings for [ldap], with the password read from password_file
/// for a simple bind. Fails with "[ldap] password_file: <why>" when it cannot be read; only
/// commands that bind call this.
Result<ldap::ConnectionConfig, std::string> ConnectionFor(const LdapConfig& config);

/// The planner's options for [ldap] and [import].
importer::PlannerOptions PlannerOptionsFor(const Config& config);

/// The verdict policy for [import] on_not_found / on_conflict.
importer::PlanPolicy PlanPolicyFor(const ImportConfig& config);

}  // namespace ccm::cli
