// connect.cpp — OpenConnection: the blocking connect + StartTLS + bind sequence. See connect.h.
#include "ldap/connect.h"

#include <spdlog/spdlog.h>

namespace ccm::ldap {
namespace {

timeval ToTimeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

Error MakeError(LDAP* ld, int code, Operation operation, std::string dn) {
  Error error;
  error.code = code;
  error.operation = operation;
  error.dn = std::move(dn);
  if (ld != nullptr)
    error.diagnostic = DiagnosticMessage(ld);
  return error;
}

}  // namespace

std::string DiagnosticMessage(LDAP* ld) {
  char* raw = nullptr;
  if (ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &raw) != LDAP_OPT_SUCCESS || raw == nullptr)
    return {};
  LdapString owned(raw);
  return std::string(raw);
}

Result<LdapHandle, Error> OpenConnection(const ConnectionConfig& config) {
  LDAP* raw = nullptr;
  int rc = ldap_initialize(&raw, config.uri.c_str());
  if (rc != LDAP_SUCCESS)
    return Fail(Error{rc, Operation::kConnect, config.uri, "invalid LDAP URI", {}});
  LdapHandle ld(raw);

  int version = LDAP_VERSION3;
  ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  timeval network = ToTimeval(config.network_timeout);
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &network);
  ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &network);  // bounds StartTLS and bind replies

  if (!config.ca_file.empty() && ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CACERTFILE,
                                                 config.ca_file.c_str()) != LDAP_OPT_SUCCESS)
    return Fail(Error{LDAP_PARAM_ERROR,
                      Operation::kConnect,
                      config.uri,
                      "cannot use CA file " + config.ca_file,
                      {}});
  int require = config.verify_tls ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER;
  if (!config.verify_tls)
    spdlog::warn(
        "ldap: TLS certificate verification is OFF for {} (verify_tls = false); "
        "anyone on the path can impersonate the directory",
        config.uri);
  ldap_set_option(ld.get(), LDAP_OPT_X_TLS_REQUIRE_CERT, &require);
  int is_server = 0;
  if (ldap_set_option(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &is_server) != LDAP_OPT_SUCCESS)
    return Fail(MakeError(ld.get(), LDAP_CONNECT_ERROR, Operation::kConnect, config.uri));

  // libldap reports a failed TLS handshake without a diagnostic; say what to check.
  std::string tls_hint = "TLS handshake failed? the server certificate must be trusted by " +
                         (config.ca_file.empty() ? std::string("the system CAs (ca_file unset)")
                                                 : "ca_file " + config.ca_file) +
                         " and name the host";
  rc = ldap_connect(ld.get());
  if (rc != LDAP_SUCCESS) {
    Error error = MakeError(ld.get(), rc, Operation::kConnect, config.uri);
    if (config.uri.rfind("ldaps://", 0) == 0)
      error.diagnostic = "connect failed, or " + tls_hint + " (libldap: " + error.diagnostic + ")";
    return Fail(std::move(error));
  }

  const bool tls = config.start_tls || config.uri.rfind("ldaps://", 0) == 0;
  if (!tls) {
    // libldap reads every message with two read() calls (its header, then the rest) unless a
    // read-ahead layer buffers the socket; a search returning thousands of entries then costs
    // twice as many system calls. TLS buffers on its own, so only plain connections get one.
    Sockbuf* sb = nullptr;
    if (ldap_get_option(ld.get(), LDAP_OPT_SOCKBUF, &sb) == LDAP_OPT_SUCCESS && sb != nullptr)
      ber_sockbuf_add_io(sb, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, nullptr);
  }

  if (config.start_tls) {
    rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
    if (rc != LDAP_SUCCESS) {
      Error error = MakeError(ld.get(), rc, Operation::kStartTls, config.uri);
      error.diagnostic += (error.diagnostic.empty() ? "" : "; ") + tls_hint;
      return Fail(std::move(error));
    }
  }

  switch (config.bind) {
    case BindMethod::kSimple: {
      const std::string& password = config.password.reveal();
      berval credentials{static_cast<ber_len_t>(password.size()),
                         const_cast<char*>(password.data())};
      rc = ldap_sasl_bind_s(ld.get(), config.bind_dn.c_str(), LDAP_SASL_SIMPLE, &credentials,
                            nullptr, nullptr, nullptr);
      break;
    }
    case BindMethod::kAnonymous: {
      berval none{0, nullptr};
      rc = ldap_sasl_bind_s(ld.get(), "", LDAP_SASL_SIMPLE, &none, nullptr, nullptr, nullptr);
      break;
    }
    case BindMethod::kSaslExternal: {
      // An empty initial response (not an absent one) completes EXTERNAL in one round trip.
      berval empty{0, const_cast<char*>("")};
      rc = ldap_sasl_bind_s(ld.get(), nullptr, "EXTERNAL", &empty, nullptr, nullptr, nullptr);
      break;
    }
  }
  if (rc != LDAP_SUCCESS) {
    std::string who = config.bind == BindMethod::kSaslExternal ? "SASL EXTERNAL" : config.bind_dn;
    return Fail(MakeError(ld.get(), rc, Operation::kBind, who.empty() ? "anonymous" : who));
  }
  return ld;
}

}  // namespace ccm::ldap
