// error.cpp — naming and classifying ccm::ldap::Error. See error.h.
#include "ldap/error.h"

#include <ldap.h>

namespace ccm::ldap {

static_assert(result_code::kSizeLimitExceeded == LDAP_SIZELIMIT_EXCEEDED);
static_assert(result_code::kNoSuchAttribute == LDAP_NO_SUCH_ATTRIBUTE);
static_assert(result_code::kConstraintViolation == LDAP_CONSTRAINT_VIOLATION);
static_assert(result_code::kTypeOrValueExists == LDAP_TYPE_OR_VALUE_EXISTS);
static_assert(result_code::kInvalidSyntax == LDAP_INVALID_SYNTAX);
static_assert(result_code::kNoSuchObject == LDAP_NO_SUCH_OBJECT);
static_assert(result_code::kInvalidDnSyntax == LDAP_INVALID_DN_SYNTAX);
static_assert(result_code::kInvalidCredentials == LDAP_INVALID_CREDENTIALS);
static_assert(result_code::kInsufficientAccess == LDAP_INSUFFICIENT_ACCESS);
static_assert(result_code::kBusy == LDAP_BUSY);
static_assert(result_code::kUnavailable == LDAP_UNAVAILABLE);
static_assert(result_code::kUnwillingToPerform == LDAP_UNWILLING_TO_PERFORM);
static_assert(result_code::kObjectClassViolation == LDAP_OBJECT_CLASS_VIOLATION);
static_assert(result_code::kNotAllowedOnRdn == LDAP_NOT_ALLOWED_ON_RDN);
static_assert(result_code::kAlreadyExists == LDAP_ALREADY_EXISTS);
static_assert(result_code::kObjectClassModsProhibited == LDAP_NO_OBJECT_CLASS_MODS);
static_assert(result_code::kAssertionFailed == LDAP_ASSERTION_FAILED);
static_assert(result_code::kServerDown == LDAP_SERVER_DOWN);
static_assert(result_code::kTimeout == LDAP_TIMEOUT);
static_assert(result_code::kFilterError == LDAP_FILTER_ERROR);
static_assert(result_code::kUserCancelled == LDAP_USER_CANCELLED);
static_assert(result_code::kConnectError == LDAP_CONNECT_ERROR);

std::string_view OperationName(Operation operation) {
  switch (operation) {
    case Operation::kConnect:
      return "connect";
    case Operation::kStartTls:
      return "start-tls";
    case Operation::kBind:
      return "bind";
    case Operation::kSearch:
      return "search";
    case Operation::kAdd:
      return "add";
    case Operation::kModify:
      return "modify";
    case Operation::kDelete:
      return "delete";
    case Operation::kModRdn:
      return "modrdn";
    case Operation::kWhoAmI:
      return "whoami";
  }
  return "operation";
}

bool Error::transient() const {
  switch (code) {
    case LDAP_SERVER_DOWN:
    case LDAP_TIMEOUT:
    case LDAP_CONNECT_ERROR:
    case LDAP_USER_CANCELLED:
    case LDAP_BUSY:
    case LDAP_UNAVAILABLE:
      return true;
    default:
      return false;
  }
}

std::string Error::code_name() const {
  return ldap_err2string(code);
}

std::string Error::message() const {
  std::string text(OperationName(operation));
  if (!dn.empty())
    text += " " + dn;
  text += ": " + code_name() + " (" + std::to_string(code) + ")";
  if (!diagnostic.empty())
    text += ": " + diagnostic;
  if (!matched_dn.empty())
    text += "; matched DN " + matched_dn;
  return text;
}

}  // namespace ccm::ldap
