// secret.cpp — Secret's wiping and the secret-file reader. See secret.h.
#include "ldap/secret.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ccm::ldap {

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
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return Fail("cannot open secret file " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size > 4096) {
    close(fd);
    return Fail("secret file " + path + " is not a regular file of at most 4096 bytes");
  }
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  ssize_t got = read(fd, bytes.data(), bytes.size());
  close(fd);
  if (got < 0 || static_cast<std::size_t>(got) != bytes.size()) {
    explicit_bzero(bytes.data(), bytes.size());
    return Fail("cannot read secret file " + path);
  }
  auto end = bytes.find('\n');
  if (end != std::string::npos) {
    std::size_t keep = (end > 0 && bytes[end - 1] == '\r') ? end - 1 : end;
    explicit_bzero(bytes.data() + keep, bytes.size() - keep);
    bytes.resize(keep);
  }
  return Secret(std::move(bytes));
}

}  // namespace ccm::ldap
