// people.h — the synthetic users of a generated set and their cc:Mail addresses.
//
// User i (0-based) always gets the same name, independent of the seed, so that tests can name
// users; the seed changes content (messages, sizes), not identities. Names exercise the format:
// every native cc:Mail name holds a comma ("Last, First"), some hold apostrophes, hyphens,
// spaces or a dot. Names are ASCII: the directory's proxy attributes are IA5.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ccm::bench {

/// One cc:Mail user of the synthetic post office.
struct Person {
  std::string common_name;     ///< DIRECTORY Common-Name, unique, [A-Za-z0-9] only
  std::string given_name;      ///< e.g. "Avery"
  std::string surname;         ///< e.g. "Quinn"
  std::string display_name;    ///< "Avery Quinn"
  std::string native_name;     ///< cc:Mail user name, "Quinn, Avery"
  std::string source_address;  ///< "CCMAIL:Quinn, Avery at HQPO"
  std::string smtp_address;    ///< "aquinn17@hqpo.example.test"
};

/// The i-th user of post office `post_office`.
Person MakePerson(std::uint64_t index, std::string_view post_office);

/// An external correspondent (not a user of the set), e.g. "Morgan Ellis".
struct Correspondent {
  std::string display_name;
  std::string address;  ///< "SMTP:mellis@example.org" or "CCMAIL:Natarajan, Priya at BRPO"
};

/// The i-th external correspondent (a small, fixed cast).
Correspondent MakeCorrespondent(std::uint64_t index);

}  // namespace ccm::bench
