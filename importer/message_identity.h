// message_identity.h — turns a message's stable identity string (built by the caller from the
// set and the record, e.g. "HQPO.001/00000001.PRI:14") into the tokens that make delivery
// idempotent: the Maildir unique name and the Message-ID. Both come from SHA-256 of the
// identity, so they are stable across runs and hosts, carry no export data (nothing from the
// export becomes a path), and an export cannot craft two identities that collide.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ccm::importer {

/// SHA-256 of `data` (FIPS 180-4), computed by nettle.
std::array<std::uint8_t, 32> Sha256(std::string_view data);

/// 32 lower-case hex digits: the first 128 bits of SHA-256(identity).
std::string IdentityDigest(std::string_view identity);

/// The Maildir base name (before ":2,") for a message: "ccm-" + IdentityDigest.
std::string MaildirUniqueName(std::string_view identity);

/// The Message-ID (with angle brackets): "<" + IdentityDigest + "@ccmigrate.invalid>".
std::string MessageIdFor(std::string_view identity);

}  // namespace ccm::importer
