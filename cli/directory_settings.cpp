// directory_settings.cpp — configuration → directory settings. See directory_settings.h.
#include "cli/directory_settings.h"

#include <chrono>

namespace ccm::cli {

Result<ldap::ConnectionConfig, std::string> ConnectionFor(const LdapConfig& config) {
  ldap::ConnectionConfig out;
  out.uri = config.uri;
  if (config.sasl_mechanism == "EXTERNAL") {
    out.bind = ldap::BindMethod::kSaslExternal;
  } else if (config.bind_dn.empty()) {
    out.bind = ldap::BindMethod::kAnonymous;
  } else {
    out.bind = ldap::BindMethod::kSimple;
    out.bind_dn = config.bind_dn;
    auto password = ldap::ReadSecretFile(config.password_file.string());
    if (!password)
      return Fail("[ldap] password_file: " + password.error());
    out.password = std::move(*password);
  }
  out.start_tls = config.starttls;
  out.ca_file = config.ca_file.string();
  out.verify_tls = config.tls_verify;
  out.network_timeout = std::chrono::seconds(config.timeout_seconds);
  out.operation_timeout = std::chrono::seconds(config.timeout_seconds);
  out.max_in_flight = static_cast<std::size_t>(config.max_in_flight);
  return out;
}

importer::PlannerOptions PlannerOptionsFor(const Config& config) {
  importer::PlannerOptions out;
  out.base_dn = config.ldap.base_dn;
  out.plan.default_home = config.import.default_home;
  out.plan.create_missing = config.import.create_missing;
  out.plan.match_target_without_type = config.ldap.match_target_without_type;
  out.plan.create_base_dn = config.ldap.base_dn;
  return out;
}

importer::PlanPolicy PlanPolicyFor(const ImportConfig& config) {
  importer::PlanPolicy out;
  out.reject_not_found = config.on_not_found == NotFoundPolicy::kReject;
  out.reject_conflicts = config.on_conflict == ConflictPolicy::kReject;
  return out;
}

}  // namespace ccm::cli
