// secret.h — ccm::ldap::Secret: a password that does not leak into logs.
//
// A Secret holds bytes read from a secret file (ReadSecretFile) or given by a test. Streaming
// it or formatting it with fmt/spdlog prints "***"; only reveal() gives the bytes, and only the
// bind code calls it. The bytes are wiped (explicit_bzero) when the Secret is destroyed or
// overwritten. Security stance: the secret file must be a regular file; its content up to the
// first newline is the secret (a trailing "\n" or "\r\n" from an editor is not part of it).
//
// Thread safety: a plain value type.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>

#include "ccm/result.h"

namespace ccm::ldap {

/// A password; prints as "***".
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string bytes) : bytes_(std::move(bytes)) {}
  Secret(const Secret& other) = default;
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  /// The secret bytes; pass them straight to the bind call, never to a log.
  const std::string& reveal() const { return bytes_; }
  bool empty() const { return bytes_.empty(); }

 private:
  void Wipe();
  std::string bytes_;
};

/// Prints "***".
std::ostream& operator<<(std::ostream& out, const Secret& secret);

/// Reads a secret file (see the file comment); the error names the file, never its content.
Result<Secret, std::string> ReadSecretFile(const std::string& path);

}  // namespace ccm::ldap

template <>
struct fmt::formatter<ccm::ldap::Secret> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const ccm::ldap::Secret&, Context& context) const {
    return fmt::formatter<std::string_view>::format("***", context);
  }
};
