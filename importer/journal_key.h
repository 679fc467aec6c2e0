// journal_key.h — the key that authenticates journals (journal.h), and the tag it computes.
//
// A journal is a list of directory changes that `ccmigrate rollback` applies with the service's
// bind DN, so a journal someone else wrote or edited would turn the service's directory rights
// into theirs. Each batch ccmigrate appends to a journal therefore ends with an HMAC-SHA256 tag
// over the batch and the previous batch's tag, made with a 256-bit key that only the service
// user can read ([import] journal_key_file, default /var/lib/ccmigrate/state/journal.key).
//
// The key file holds the key as 64 hexadecimal digits on one line. It is read through
// ldap::ReadSecretFile (no symbolic link, no FIFO, a regular file other users cannot access) and
// the bytes are wiped when the key is destroyed. An import creates the file when it is missing
// (0600, O_EXCL, from getrandom); rollback never creates it.
//
// Thread safety: a JournalKey is an immutable value once loaded; JournalTag is a pure function.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "ccm/result.h"
#include "importer/import_error.h"

namespace ccm::importer {

/// A journal key (256 bits). Never printed.
class JournalKey {
 public:
  /// A key from raw bytes (tests; LoadJournalKey for the real one).
  static JournalKey FromBytes(const std::array<std::uint8_t, 32>& bytes);
  JournalKey(const JournalKey& other) = default;
  JournalKey& operator=(const JournalKey& other) = default;
  ~JournalKey();

  /// HMAC-SHA256(key, previous_tag || segment) as 64 lower-case hex digits.
  std::string Tag(std::string_view previous_tag, std::string_view segment) const;

 private:
  JournalKey() = default;
  std::array<std::uint8_t, 32> bytes_{};
};

/// Reads the key file; kConfiguration when it is missing, unreadable or malformed.
Result<JournalKey, ImportError> LoadJournalKey(const std::filesystem::path& file);

/// Reads the key file, creating it (and its missing parent directory, 0700) with a new random key
/// when it does not exist yet.
Result<JournalKey, ImportError> LoadOrCreateJournalKey(const std::filesystem::path& file);

/// Equality of two tags in time independent of where they differ.
bool TagsEqual(std::string_view a, std::string_view b);

}  // namespace ccm::importer
