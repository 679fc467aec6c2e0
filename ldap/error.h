// error.h — ccm::ldap::Error: why an LDAP operation failed, as a value.
//
// Every fallible call in ldap/ returns ccm::Result<T, Error>. An Error carries the LDAP result
// code (RFC 4511 codes are positive; libldap's client-side codes such as LDAP_SERVER_DOWN (-1),
// LDAP_TIMEOUT (-5) and LDAP_CONNECT_ERROR (-11) are negative), the operation and the DN it
// concerned, the server's diagnostic message and matched DN. message() puts all of it on one
// line for logs and reports. Passwords never appear in an Error.
//
// transient() tells callers whether retrying later can help: server down, busy, unavailable,
// timeouts, connect errors and local cancellation (client shut down) are transient; everything
// else (no such object, assertion failed, invalid credentials, schema violations, …) is
// permanent. The importer maps transient to *deferred* and permanent to *rejected*.
//
// Thread safety: a plain value type.
#pragma once

#include <string>
#include <string_view>

namespace ccm::ldap {

/// LDAP result codes callers test for, so that nothing outside ldap/ needs <ldap.h>
/// (error.cpp checks them against libldap's values).
namespace result_code {
inline constexpr int kSuccess = 0;
inline constexpr int kSizeLimitExceeded = 4;
inline constexpr int kNoSuchAttribute = 16;
inline constexpr int kConstraintViolation = 19;
inline constexpr int kTypeOrValueExists = 20;
inline constexpr int kInvalidSyntax = 21;
inline constexpr int kNoSuchObject = 32;
inline constexpr int kInvalidDnSyntax = 34;
inline constexpr int kInvalidCredentials = 49;
inline constexpr int kInsufficientAccess = 50;
inline constexpr int kBusy = 51;
inline constexpr int kUnavailable = 52;
inline constexpr int kUnwillingToPerform = 53;
inline constexpr int kObjectClassViolation = 65;
inline constexpr int kNotAllowedOnRdn = 67;
inline constexpr int kAlreadyExists = 68;
inline constexpr int kObjectClassModsProhibited = 69;
inline constexpr int kAssertionFailed = 122;
inline constexpr int kServerDown = -1;     ///< client side: connection lost or refused
inline constexpr int kTimeout = -5;        ///< client side: operation timeout
inline constexpr int kFilterError = -7;    ///< client side: invalid filter, nothing sent
inline constexpr int kUserCancelled = -8;  ///< client side: client shut down
inline constexpr int kConnectError = -11;  ///< client side: e.g. TLS handshake failed
}  // namespace result_code

/// What was being done when an error happened.
enum class Operation {
  kConnect,
  kStartTls,
  kBind,
  kSearch,
  kAdd,
  kModify,
  kDelete,
  kModRdn,
  kWhoAmI,
};

/// A short lower-case name ("modify", "start-tls", …).
std::string_view OperationName(Operation operation);

/// A failed LDAP operation.
struct Error {
  int code = 0;  ///< LDAP result code (libldap's negative codes for local failures)
  Operation operation = Operation::kConnect;
  std::string dn;          ///< the entry (or base, or URI for connect) it concerned
  std::string diagnostic;  ///< the server's or libldap's diagnostic message, may be empty
  std::string matched_dn;  ///< the server's matched DN (for noSuchObject), may be empty

  /// True when retrying later can succeed (see the file comment).
  bool transient() const;
  /// libldap's name for the code, e.g. "Assertion Failed".
  std::string code_name() const;
  /// "modify cn=x,dc=y: Assertion Failed (122): <diagnostic>; matched DN <m>"
  std::string message() const;
};

}  // namespace ccm::ldap
