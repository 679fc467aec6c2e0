// secret.h — ccm::ldap::Secret: a password that does not leak into logs.
//
// A Secret holds bytes read from a secret file (ReadSecretFile) or given by a test. Streaming
// it or formatting it with fmt/spdlog prints "***"; only reveal() gives the bytes, and only the
// bind code calls it. The bytes are wiped (explicit_bzero) when the Secret is destroyed or
// overwritten. ReadSecretFile is the project's one reader of secret files (the LDAP password and
// the journal key). Security stance: the file is opened without following a symbolic link and
// without blocking (a FIFO fails at once), must be a regular file of at most 4 KiB that gives
// other users no access, and holds one line: a trailing "\n" or "\r\n" from an editor is not
// part of the secret; an empty file, a second line or a NUL byte is an error. Every buffer that
// held the bytes is wiped; messages name the file, never its content.
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
