// handle.h — RAII owners for libldap's LDAP* (connection) and LDAPMessage* (reply): the only
// way ldap/ holds them, so every path frees them exactly once. Nothing outside ldap/ includes
// <ldap.h>.
//
// Thread safety: like unique_ptr; a handle is used by one thread at a time.
#pragma once

#include <ldap.h>

#include <memory>

namespace ccm::ldap {

struct LdapUnbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext(ld, nullptr, nullptr); }
};
struct LdapMessageFree {
  void operator()(LDAPMessage* message) const { ldap_msgfree(message); }
};
struct LdapMemoryFree {
  void operator()(void* memory) const { ldap_memfree(memory); }
};
struct BerValueFree {
  void operator()(berval* value) const { ber_bvfree(value); }
};

/// Owns a connection handle; unbinds (and closes its socket) on destruction.
using LdapHandle = std::unique_ptr<LDAP, LdapUnbind>;
/// Owns one reply message.
using MessageHandle = std::unique_ptr<LDAPMessage, LdapMessageFree>;
/// Owns a string libldap allocated (ldap_get_dn, diagnostic messages).
using LdapString = std::unique_ptr<char, LdapMemoryFree>;

}  // namespace ccm::ldap
