// connection_config.h — how ccm::ldap::Client reaches and authenticates to a directory.
//
// Inputs (the daemon's [ldap] configuration maps onto these fields one to one):
//   uri                 ldap://host:port, ldaps://host:port or ldapi://<percent-encoded path>
//   bind                kSimple (bind_dn + password), kSaslExternal (ldapi peer credentials or
//                       a TLS client certificate) or kAnonymous
//   bind_dn, password   for kSimple; the password comes from a secret file read by the caller
//                       (ReadSecretFile), never from configuration text, and prints as "***"
//   start_tls           send StartTLS on ldap:// before binding (default off; ldaps:// is TLS
//                       from the first byte)
//   ca_file             PEM file of CAs to trust; empty = the system default (ldap.conf)
//   verify_tls          default true: the server certificate must chain to a trusted CA and
//                       name the host. false is an explicit, loudly logged (warn on every
//                       connect) setting for test rigs only.
//   network_timeout     connect (TCP + TLS handshake + bind) limit, default 5 s
//   operation_timeout   per-operation limit from submission to result, default 30 s; on expiry
//                       an in-flight operation is abandoned and fails with LDAP_TIMEOUT (transient)
//   max_in_flight       operations outstanding on the connection at once, default 64 (slapd
//                       drops connections with ~1000 pending)
//   reconnect_initial / reconnect_max
//                       back-off between failed reconnect attempts: doubles from the initial
//                       delay up to the cap (defaults 100 ms, 10 s)
//
// Thread safety: a plain value type.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "ldap/secret.h"

namespace ccm::ldap {

/// How the client authenticates after connecting.
enum class BindMethod { kSimple, kSaslExternal, kAnonymous };

/// See the file comment for each field's meaning and default.
struct ConnectionConfig {
  std::string uri;
  BindMethod bind = BindMethod::kSimple;
  std::string bind_dn;
  Secret password;
  bool start_tls = false;
  std::string ca_file;
  bool verify_tls = true;
  std::chrono::milliseconds network_timeout{5000};
  std::chrono::milliseconds operation_timeout{30000};
  std::size_t max_in_flight = 64;
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{10000};
};

}  // namespace ccm::ldap
