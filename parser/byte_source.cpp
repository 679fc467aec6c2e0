// byte_source.cpp — file and memory byte sources, disk and memory set directories
// (see byte_source.h). Security: every open is O_NOFOLLOW relative to the set directory's
// descriptor and is checked to be a regular file with fstat.
#include "parser/byte_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ccm::parser {

namespace {
std::string ErrnoText(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}
}  // namespace

Result<std::unique_ptr<FileSource>, std::string> FileSource::Open(int dir_fd,
                                                                  const std::string& name) {
  int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP)
      return Fail(name + ": is a symbolic link; refused");
    return Fail(ErrnoText(name, err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Fail(ErrnoText(name, err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(name + ": not a regular file; refused");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<FileSource>(new FileSource(fd, static_cast<std::uint64_t>(st.st_size)));
}

FileSource::~FileSource() {
  ::close(fd_);
}

Result<std::size_t, std::string> FileSource::ReadAt(std::uint64_t offset,
                                                    std::span<char> buffer) const {
  std::size_t done = 0;
  while (done < buffer.size() && offset + done < size_) {
    ssize_t n =
        ::pread(fd_, buffer.data() + done, buffer.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return Fail(ErrnoText("read", errno));
    }
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

Result<std::size_t, std::string> MemorySource::ReadAt(std::uint64_t offset,
                                                      std::span<char> buffer) const {
  if (offset >= bytes_.size())
    return std::size_t{0};
  std::size_t n = std::min<std::size_t>(buffer.size(), bytes_.size() - offset);
  std::memcpy(buffer.data(), bytes_.data() + offset, n);
  return n;
}

Result<std::size_t, std::string> WindowedSource::ReadAt(std::uint64_t offset,
                                                        std::span<char> buffer) const {
  if (buffer.size() >= buffer_.size())
    return inner_->ReadAt(offset, buffer);
  bool inside = offset >= start_ && offset - start_ <= filled_ &&
                (offset - start_ + buffer.size() <= filled_ || start_ + filled_ >= size());
  if (!inside) {
    auto got = inner_->ReadAt(offset, std::span<char>(buffer_));
    if (!got)
      return got;
    start_ = offset;
    filled_ = *got;
  }
  std::size_t at = static_cast<std::size_t>(offset - start_);
  std::size_t n = std::min(buffer.size(), filled_ - at);
  std::memcpy(buffer.data(), buffer_.data() + at, n);
  return n;
}

bool IsBareFileName(std::string_view name) {
  if (name.empty() || name == "." || name == "..")
    return false;
  for (char c : name) {
    if (c == '/' || c == '\\' || c == '\0')
      return false;
  }
  return true;
}

Result<std::unique_ptr<DiskDirectory>, std::string> DiskDirectory::OpenPath(
    const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Fail(ErrnoText(path, errno));
  return std::unique_ptr<DiskDirectory>(new DiskDirectory(fd, path));
}

DiskDirectory::~DiskDirectory() {
  ::close(fd_);
}

Result<std::vector<std::string>, std::string> DiskDirectory::List() const {
  int fd = ::dup(fd_);
  if (fd < 0)
    return Fail(ErrnoText(path_, errno));
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    int err = errno;
    ::close(fd);
    return Fail(ErrnoText(path_, err));
  }
  ::rewinddir(dir);
  std::vector<std::string> names;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..")
      continue;
    if (entry->d_type == DT_DIR)
      continue;
    names.push_back(std::move(name));
  }
  ::closedir(dir);
  return names;
}

Result<std::unique_ptr<ByteSource>, std::string> DiskDirectory::Open(
    const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(name + ": not a bare file name; refused");
  auto file = FileSource::Open(fd_, name);
  if (!file)
    return Fail(std::move(file).error());
  return std::unique_ptr<ByteSource>(std::move(file).value());
}

Result<std::vector<std::string>, std::string> MemoryDirectory::List() const {
  std::vector<std::string> names;
  for (const auto& [name, bytes] : files_)
    names.push_back(name);
  return names;
}

Result<std::unique_ptr<ByteSource>, std::string> MemoryDirectory::Open(
    const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(name + ": not a bare file name; refused");
  auto it = files_.find(name);
  if (it == files_.end())
    return Fail(name + ": No such file or directory");
  return std::unique_ptr<ByteSource>(std::make_unique<MemorySource>(it->second));
}

}  // namespace ccm::parser
