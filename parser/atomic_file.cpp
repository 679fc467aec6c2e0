// atomic_file.cpp — temp file, fsync, rename, fsync directory (see atomic_file.h).
#include "parser/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace ccm::parser {

namespace {

Result<void, std::string> WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return Fail(std::string("write: ") + std::strerror(errno));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Result<void, std::string> WriteFileAtomically(int dir_fd, const std::string& name,
                                              const ByteSource* prefix, std::string_view suffix) {
  if (!IsBareFileName(name))
    return Fail(name + ": not a bare file name");
  std::string temp = ".ccm-tmp." + std::to_string(::getpid()) + "." + name;
  int fd =
      ::openat(dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return Fail(name + ": cannot create a temporary file: " + std::strerror(errno));
  auto fail = [&](std::string message) {
    ::close(fd);
    ::unlinkat(dir_fd, temp.c_str(), 0);
    return Fail(name + ": " + message);
  };
  if (prefix != nullptr) {
    std::vector<char> buffer(1 << 20);
    std::uint64_t offset = 0;
    while (offset < prefix->size()) {
      auto got = prefix->ReadAt(offset, std::span<char>(buffer));
      if (!got)
        return fail(got.error());
      if (*got == 0)
        return fail("source shrank while being copied");
      if (auto w = WriteAll(fd, buffer.data(), *got); !w)
        return fail(w.error());
      offset += *got;
    }
  }
  if (auto w = WriteAll(fd, suffix.data(), suffix.size()); !w)
    return fail(w.error());
  if (::fsync(fd) != 0)
    return fail(std::string("fsync: ") + std::strerror(errno));
  if (::close(fd) != 0) {
    ::unlinkat(dir_fd, temp.c_str(), 0);
    return Fail(name + ": close: " + std::strerror(errno));
  }
  if (::renameat(dir_fd, temp.c_str(), dir_fd, name.c_str()) != 0) {
    int err = errno;
    ::unlinkat(dir_fd, temp.c_str(), 0);
    return Fail(name + ": rename: " + std::strerror(err));
  }
  if (::fsync(dir_fd) != 0)
    return Fail(name + ": fsync of the directory: " + std::strerror(errno));
  return {};
}

}  // namespace ccm::parser
