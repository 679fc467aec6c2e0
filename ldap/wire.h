// wire.h — what ClientCore puts on the wire and reads back, in libldap terms: StartOperation
// sends one request (search with an optional RFC 2696 page cookie, add, modify, delete,
// modrdn, whoami) with its controls and returns libldap's code and the message id;
// ParseEntry turns a search-entry reply into an Entry. Argument arrays (LDAPMod, LDAPControl,
// berval) live only for the duration of the call: libldap encodes the request immediately.
//
// Thread safety: free functions; the LDAP handle must not be used concurrently.
#pragma once

#include <ldap.h>

#include <string>

#include "ldap/client.h"
#include "ldap/entry.h"

namespace ccm::ldap {

/// Sends `request` on `ld`; on LDAP_SUCCESS, *msgid identifies the reply. For a search with
/// page_size > 0, `page_cookie` is the server's cookie for the next page ("" for the first).
int StartOperation(LDAP* ld, const detail::Request& request, const std::string& page_cookie,
                   int* msgid);

/// The DN and attributes of an LDAP_RES_SEARCH_ENTRY message.
Entry ParseEntry(LDAP* ld, LDAPMessage* message);

}  // namespace ccm::ldap
