// connect.h — opens one bound libldap connection, blocking: initialize, options (protocol 3,
// no referral chasing, network timeout, TLS trust and verification), connect, optional
// StartTLS, then a simple, anonymous or SASL EXTERNAL bind. Client runs it on a helper thread;
// nothing else should need it.
//
// Diagnostics: the Error names the step (connect, start-tls, bind), the URI or bind DN, and
// libldap's diagnostic (e.g. the certificate verification failure). Never the password.
// Security: verify_tls=false logs a warning on every call.
//
// Thread safety: a free function; the handle it returns may be moved to another thread.
#pragma once

#include "ccm/result.h"
#include "ldap/connection_config.h"
#include "ldap/error.h"
#include "ldap/handle.h"

namespace ccm::ldap {

/// A connected and bound handle, or why there is none.
Result<LdapHandle, Error> OpenConnection(const ConnectionConfig& config);

/// libldap's current diagnostic message on `ld` ("" if none).
std::string DiagnosticMessage(LDAP* ld);

}  // namespace ccm::ldap
