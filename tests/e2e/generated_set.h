// generated_set.h — larger file sets for the end-to-end tests, made by the real generator
// (bench/ccm-gen-set, CCM_GEN_SET from CMake) with its directory LDIF of one custom recipient per
// user, and the checks that such a set was imported exactly once.
//
// The generator's DNs all sit directly under ou=Recipients and reuse the sample's names (its
// first user is cn=Avery Quinn), so a generated set's entries are moved into their own
// ou=<name>,ou=Recipients,dc=example,dc=test before loading; the importer finds them by
// ccmTargetAddress below the configured base either way.
//
// Thread safety: plain values and functions of the test's thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/e2e/e2e_world.h"

namespace ccm::test {

/// What the generator wrote.
struct GeneratedSet {
  std::filesystem::path dir;  ///< the set folder (HQPO.PKL and its files)
  std::string base;           ///< ou=<name>,ou=Recipients,dc=example,dc=test
  std::uint64_t users = 0;
  std::uint64_t users_with_mail = 0;
  std::uint64_t messages_per_user = 0;
  std::uint64_t messages = 0;      ///< the generator's own count
  std::uint64_t pab_sections = 0;  ///< the generator's own count: one address book each
};

/// Generates a set into <work>/<name>/set and loads its custom recipients under
/// ou=<name>,ou=Recipients (which must already exist). Every no_mail_every-th user has no mail.
/// Next to the sample directory, use another post office: the generator's first users have the
/// sample's names, and the same source address twice would be a (correct) conflict.
GeneratedSet GenerateSet(DaemonE2eTest& world, const std::filesystem::path& work,
                         const std::string& name, std::uint64_t users, std::uint64_t messages,
                         std::uint64_t no_mail_every, const std::string& post_office = "HQPO");

/// The set `id` was imported exactly once and completely: it is in done/ only with a "done"
/// report; every user below set.base is a mailbox with exactly one migrate: proxy and no custom
/// recipient is left; the journal never planned a conversion of an entry that was no longer a
/// custom recipient and the audit shows each conversion at most once; every user with mail has
/// exactly messages_per_user messages in the store (the generator's total), each once (unique
/// X-CCM-Identity, unique file name prefix per mailbox), every PAB section arrived as one
/// address-book message, and nothing is left in any tmp/.
void ExpectGeneratedSetImported(DaemonE2eTest& world, const GeneratedSet& set,
                                const std::string& id);

}  // namespace ccm::test
