// directory_decision.h — the pure core of planning: given a user and what resolution found,
// decide what happens to them and compute the exact change that carries it out. No I/O.
//
// Decision table (every row is unit-tested):
//   source address not 7-bit ASCII                       → conflict (with [import]
//                                                          transliteration the address is its
//                                                          ASCII spelling when the table
//                                                          covers it, transliteration.h)
//   several matching entries                             → conflict, no DN
//   a transliterated address matching no entry           → conflict (the spelling is a guess)
//   one entry with both ccmMailbox and ccmCustomRecipient,
//     or with neither                                    → conflict
//   one entry with ccmMailbox                            → deliver; a modify (asserted on
//                                                          objectClass=ccmMailbox) adds the
//                                                          migrate proxy and ccmMailStore if
//                                                          missing
//   one entry with ccmCustomRecipient                    → convert (one modify, see below)
//   none, a DIRECTORY mailbox record, create enabled     → create (an add under create_base_dn)
//   none otherwise                                       → skip-not-found
// Near misses become warnings on the user's plan, whatever the decision; a DIRECTORY
// mailbox record colliding with a custom recipient is a note on the plan, not a warning.
//
// Convert = ONE modify on the custom recipient's DN (the DN never changes, so group memberships
// survive), asserted on (&(objectClass=ccmCustomRecipient)(ccmTargetAddress=<old target>)):
// delete objectClass ccmCustomRecipient and the ccmTargetAddress value; add objectClass
// ccmMailbox, ccmMailboxHome, ccmMailStore, ccmProxyAddress migrate:<A> when no proxy normalises
// to it, and the old target as a secondary proxy with a lower-case type when no proxy
// normalises to it (the server would reject a duplicate value). Every other attribute stays.
//
// Mailbox home: Home-Server "" or "~Server" (any case, spaces trimmed) → default_home;
// anything else is a literal server name. ccmMailStore: see MailStoreKey.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "importer/directory_plan.h"
#include "importer/migrating_user.h"
#include "ldap/entry.h"

namespace ccm::importer {

/// What planning needs to know besides the data.
struct PlanOptions {
  std::string default_home;                ///< [import] default_home
  bool create_missing = false;             ///< [import] create_missing
  bool match_target_without_type = false;  ///< [ldap] match_target_without_type
  std::string create_base_dn;              ///< where `create` adds entries ([ldap] base_dn)
};

/// The entries resolution returned for one user, already confirmed client-side.
struct Resolution {
  std::vector<ldap::Entry> matches;
  std::vector<ldap::Entry> near_misses;
};

/// The ccmMailboxHome for a DIRECTORY Home-Server value.
std::string MailboxHomeFor(std::string_view home_server, std::string_view default_home);

/// A mailbox's store key: a single safe path component, stable across runs. Taken from the
/// entry's first uid, else the value of its RDN; lower-cased; bytes outside [a-z0-9._-] become
/// '_', leading dots are dropped, at most 64 bytes. When that changed anything but case (or left
/// nothing), "-" + 8 hex digits of SHA-256(DN) are appended so that two different names cannot
/// share a store. E.g. uid AQuinn → "aquinn"; RDN "cn=O'Neil, Pat" → "o_neil__pat-1a2b3c4d".
std::string MailStoreKey(const ldap::Entry& entry);

/// True for a key MailStoreKey could have produced (an existing ccmMailStore is only trusted
/// when it passes).
bool IsSafeMailStoreKey(std::string_view key);

/// The value of a DN's first RDN ("cn=Avery Quinn,ou=..." → "Avery Quinn"), RFC 4514 escapes
/// undone.
std::string FirstRdnValue(std::string_view dn);

/// Decides one user (the table above). The plan takes the user, so it and the resolution are
/// passed by value: a caller done with them moves them in.
UserPlan DecideUser(MigratingUser user, Resolution resolution, const PlanOptions& options);

/// Plan-wide checks after every user is decided: two users resolving to the same entry, or two
/// entries with the same store key, turn all of them into conflicts (never guess).
void CheckPlanCollisions(DirectoryPlan& plan);

}  // namespace ccm::importer
