// secret.cpp — Secret's wiping and the secret-file reader. See secret.h.
#include "ldap/secret.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace ccm::ldap {
namespace {

constexpr std::size_t kMaxSecretBytes = 4096;

// Owns the descriptor and the bytes read so far, so every return path closes and wipes.
struct SecretRead {
  int fd = -1;
  std::array<char, kMaxSecretBytes + 1> bytes{};
  std::size_t size = 0;
  ~SecretRead() {
    explicit_bzero(bytes.data(), bytes.size());
    if (fd >= 0)
      ::close(fd);
  }
};

std::string FileKind(mode_t mode) {
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

}  // namespace

Secret::Secret(Secret&& other) noexcept : bytes_(other.bytes_) {
  other.Wipe();
}

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    Wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = other.bytes_;
    other.Wipe();
  }
  return *this;
}

Secret::~Secret() {
  Wipe();
}

void Secret::Wipe() {
  if (!bytes_.empty())
    explicit_bzero(bytes_.data(), bytes_.size());
  bytes_.clear();
}

std::ostream& operator<<(std::ostream& out, const Secret&) {
  return out << "***";
}

Result<Secret, std::string> ReadSecretFile(const std::string& path) {
  SecretRead read;
  // O_NONBLOCK: a FIFO put in the file's place must fail now, not block the process in open().
  read.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (read.fd < 0) {
    if (errno == ELOOP)
      return Fail("secret file " + path + " is a symbolic link");
    return Fail("cannot open secret file " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(read.fd, &info) != 0)
    return Fail("cannot stat secret file " + path + ": " + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    return Fail("secret file " + path + " is " + FileKind(info.st_mode));
  if ((info.st_mode & S_IRWXO) != 0) {
    return Fail("secret file " + path +
                " is accessible to every user (mode o+rwx); chmod o= it and choose a new password");
  }
  if (info.st_size > static_cast<off_t>(kMaxSecretBytes))
    return Fail("secret file " + path + " is larger than 4 KiB; is this really a secret file?");
  while (read.size < read.bytes.size()) {
    const ssize_t got =
        ::read(read.fd, read.bytes.data() + read.size, read.bytes.size() - read.size);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return Fail("cannot read secret file " + path + ": " + std::strerror(errno));
    if (got == 0)
      break;
    read.size += static_cast<std::size_t>(got);
  }
  if (read.size > kMaxSecretBytes)
    return Fail("secret file " + path + " is larger than 4 KiB; is this really a secret file?");
  std::size_t keep = read.size;
  if (keep > 0 && read.bytes[keep - 1] == '\n') {
    --keep;
    if (keep > 0 && read.bytes[keep - 1] == '\r')
      --keep;
  }
  if (keep == 0)
    return Fail("secret file " + path + " is empty");
  if (std::memchr(read.bytes.data(), '\n', keep) != nullptr ||
      std::memchr(read.bytes.data(), '\0', keep) != nullptr) {
    return Fail("secret file " + path + " holds more than one line or a NUL byte");
  }
  return Secret(std::string(read.bytes.data(), keep));
}

}  // namespace ccm::ldap
