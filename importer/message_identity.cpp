// message_identity.cpp — the names derived from a message identity, and the SHA-256 they rest
// on. SHA-256 comes from nettle (Debian nettle-dev): a maintained, tested implementation that
// the process already loads through libldap → gnutls. See the header.
#include "importer/message_identity.h"

#include <nettle/sha2.h>

#include "ccm/hex.h"

namespace ccm::importer {

std::array<std::uint8_t, 32> Sha256(std::string_view data) {
  static_assert(SHA256_DIGEST_SIZE == 32);
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<std::uint8_t, 32> out{};
  sha256_digest(&context, out.size(), out.data());
  return out;
}

std::string IdentityDigest(std::string_view identity) {
  const auto digest = Sha256(identity);
  return LowerHex(std::span(digest).first(16));
}

std::string MaildirUniqueName(std::string_view identity) {
  return "ccm-" + IdentityDigest(identity);
}

std::string MessageIdFor(std::string_view identity) {
  return "<" + IdentityDigest(identity) + "@ccmigrate.invalid>";
}

}  // namespace ccm::importer
