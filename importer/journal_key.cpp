// journal_key.cpp — the journal key's file and HMAC-SHA256 (nettle). See journal_key.h.
#include "importer/journal_key.h"

#include <fcntl.h>
#include <nettle/hmac.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ccm/hex.h"
#include "ldap/secret.h"

namespace ccm::importer {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

ImportError KeyError(const std::filesystem::path& file, const std::string& what) {
  return {ImportErrorKind::kConfiguration,
          "[import] journal_key_file " + file.string() + ": " + what};
}

Result<void, ImportError> CreateKeyFile(const std::filesystem::path& file) {
  std::error_code ec;
  const std::filesystem::path parent = file.parent_path();
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    if (::mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST)
      return Fail(
          KeyError(file, std::string("cannot create its directory: ") + std::strerror(errno)));
  }
  std::array<std::uint8_t, 32> random{};
  if (::getrandom(random.data(), random.size(), 0) != static_cast<ssize_t>(random.size()))
    return Fail(KeyError(file, "getrandom failed"));
  std::string text = LowerHex(random) + '\n';
  explicit_bzero(random.data(), random.size());
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    explicit_bzero(text.data(), text.size());
    if (errno == EEXIST)
      return {};  // another process created it first: read theirs
    return Fail(KeyError(file, std::string("cannot create: ") + std::strerror(errno)));
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  explicit_bzero(text.data(), text.size());
  ::close(fd);
  if (!written) {
    ::unlink(file.c_str());
    return Fail(KeyError(file, "cannot write a new key"));
  }
  return {};
}

}  // namespace

JournalKey JournalKey::FromBytes(const std::array<std::uint8_t, 32>& bytes) {
  JournalKey key;
  key.bytes_ = bytes;
  return key;
}

JournalKey::~JournalKey() {
  explicit_bzero(bytes_.data(), bytes_.size());
}

std::string JournalKey::Tag(std::string_view previous_tag, std::string_view segment) const {
  hmac_sha256_ctx context;
  hmac_sha256_set_key(&context, bytes_.size(), bytes_.data());
  hmac_sha256_update(&context, previous_tag.size(),
                     reinterpret_cast<const std::uint8_t*>(previous_tag.data()));
  hmac_sha256_update(&context, segment.size(),
                     reinterpret_cast<const std::uint8_t*>(segment.data()));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  hmac_sha256_digest(&context, digest.size(), digest.data());
  explicit_bzero(&context, sizeof context);
  return LowerHex(digest);
}

bool TagsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

Result<JournalKey, ImportError> LoadJournalKey(const std::filesystem::path& file) {
  auto secret = ldap::ReadSecretFile(file.string());
  if (!secret)
    return Fail(ImportError{ImportErrorKind::kConfiguration,
                            "[import] journal_key_file: " + secret.error()});
  const std::string& hex = secret->reveal();
  if (hex.size() != 64)
    return Fail(KeyError(file, "must hold 64 hexadecimal digits"));
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      explicit_bzero(bytes.data(), bytes.size());
      return Fail(KeyError(file, "must hold 64 hexadecimal digits"));
    }
    bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  JournalKey key = JournalKey::FromBytes(bytes);
  explicit_bzero(bytes.data(), bytes.size());
  return key;
}

Result<JournalKey, ImportError> LoadOrCreateJournalKey(const std::filesystem::path& file) {
  struct stat info {};
  if (::lstat(file.c_str(), &info) != 0 && errno == ENOENT) {
    if (auto created = CreateKeyFile(file); !created)
      return Fail(std::move(created.error()));
  }
  return LoadJournalKey(file);
}

}  // namespace ccm::importer
