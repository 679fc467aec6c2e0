// request.cpp — AssertionControl: BER-encodes the filter with libldap. See request.h.
#include "ldap/request.h"

#include "ldap/handle.h"

namespace ccm::ldap {

Result<Control, Error> AssertionControl(const Filter& assertion) {
  Error error{
      LDAP_FILTER_ERROR, Operation::kModify, {}, "invalid assertion filter " + assertion.str(), {}};
  if (!assertion.valid())
    return Fail(std::move(error));
  // libldap wants a handle only for error reporting; this one never connects.
  LDAP* raw = nullptr;
  if (ldap_initialize(&raw, nullptr) != LDAP_SUCCESS)
    return Fail(Error{LDAP_LOCAL_ERROR, Operation::kModify, {}, "ldap_initialize failed", {}});
  LdapHandle ld(raw);
  berval value{0, nullptr};
  int rc = ldap_create_assertion_control_value(ld.get(), const_cast<char*>(assertion.str().c_str()),
                                               &value);
  if (rc != LDAP_SUCCESS)
    return Fail(std::move(error));
  Control control{LDAP_CONTROL_ASSERT, std::string(value.bv_val, value.bv_len), true};
  ber_memfree(value.bv_val);
  return control;
}

}  // namespace ccm::ldap
