// byte_source.cpp — file and memory byte sources, disk and memory set directories
// (see byte_source.h). Security: every open is O_NOFOLLOW|O_NONBLOCK relative to the set
// directory's descriptor (a FIFO put in a file's place fails at once instead of blocking the
// reader) and is checked with fstat to be a regular file with one link (a hard link would pull
// in a file from outside the set).
#include "parser/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ccm/directory_listing.h"

namespace ccm::parser {

namespace {
// The size of RecordReader's buffer: a file no larger is read whole by one read.
constexpr off_t kSequentialAdviceFrom = 256 << 10;

FileError ErrnoText(const std::string& what, int err) {
  return FileError{err, what + ": " + std::strerror(err)};
}

FileError Refusal(std::string message) {
  return FileError{0, std::move(message)};
}
}  // namespace

Result<std::unique_ptr<FileSource>, FileError> FileSource::Open(int dir_fd,
                                                                const std::string& name) {
  int fd =
      ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP)
      return Fail(Refusal(name + ": is a symbolic link; refused"));
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
    const char* what = S_ISFIFO(st.st_mode)                         ? "a FIFO"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISSOCK(st.st_mode)                       ? "a socket"
                       : S_ISDIR(st.st_mode)                        ? "a directory"
                                                                    : "not a regular file";
    return Fail(Refusal(name + ": is " + what + "; refused"));
  }
  if (st.st_nlink > 1) {
    ::close(fd);
    return Fail(
        Refusal(name + ": has " + std::to_string(st.st_nlink) +
                " hard links (a hard link can pull in a file from outside the set); refused"));
  }
  // The advice widens read-ahead for files streamed in many reads; a small file is read in one or
  // two, so it would only cost a system call per open (per user, in a set of per-user files).
  if (st.st_size > kSequentialAdviceFrom)
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<FileSource>(new FileSource(fd, static_cast<std::uint64_t>(st.st_size)));
}

FileSource::~FileSource() {
  ::close(fd_);
}

Result<std::size_t, FileError> FileSource::ReadAt(std::uint64_t offset,
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

Result<std::size_t, FileError> MemorySource::ReadAt(std::uint64_t offset,
                                                    std::span<char> buffer) const {
  if (offset >= bytes_.size())
    return std::size_t{0};
  std::size_t n = std::min<std::size_t>(buffer.size(), bytes_.size() - offset);
  std::memcpy(buffer.data(), bytes_.data() + offset, n);
  return n;
}

WindowedSource::WindowedSource(std::unique_ptr<ByteSource> inner, std::size_t window)
    : inner_(std::move(inner)),
      capacity_(static_cast<std::size_t>(std::min<std::uint64_t>(window, inner_->size()))),
      direct_from_(std::max<std::size_t>(window / 2, 1)) {}

Result<std::size_t, FileError> WindowedSource::ReadAt(std::uint64_t offset,
                                                      std::span<char> buffer) const {
  const std::uint64_t size = inner_->size();
  if (offset >= size || buffer.empty())
    return std::size_t{0};
  // What a plain read returns: everything asked for, up to the end of the source.
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - offset));
  const bool starts_inside = offset >= start_ && offset - start_ < filled_;
  const std::size_t held = starts_inside ? filled_ - static_cast<std::size_t>(offset - start_) : 0;
  if (held >= want) {
    std::memcpy(buffer.data(), buffer_.get() + (offset - start_), want);
    return want;
  }
  if (want >= direct_from_) {
    if (held > 0)
      std::memcpy(buffer.data(), buffer_.get() + (offset - start_), held);
    auto rest = inner_->ReadAt(offset + held, buffer.subspan(held, want - held));
    if (!rest)
      return rest;
    return held + *rest;
  }
  if (!buffer_)
    buffer_.reset(new char[capacity_]);
  filled_ = 0;  // a failed refill leaves no stale window behind
  auto got = inner_->ReadAt(offset, std::span<char>(buffer_.get(), capacity_));
  if (!got)
    return got;
  start_ = offset;
  filled_ = *got;
  std::size_t n = std::min(want, filled_);
  std::memcpy(buffer.data(), buffer_.get(), n);
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

Result<std::unique_ptr<DiskDirectory>, FileError> DiskDirectory::OpenPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Fail(ErrnoText(path, errno));
  return std::unique_ptr<DiskDirectory>(new DiskDirectory(fd, path));
}

DiskDirectory::~DiskDirectory() {
  ::close(fd_);
}

Result<std::vector<std::string>, FileError> DiskDirectory::List() const {
  auto entries = ListDirectory(fd_, path_);
  if (!entries)
    return Fail(ErrnoText(path_, entries.error().code));
  std::vector<std::string> names;
  for (auto& entry : *entries) {
    if (entry.type != EntryType::kDirectory)
      names.push_back(std::move(entry.name));
  }
  return names;
}

Result<std::unique_ptr<ByteSource>, FileError> DiskDirectory::Open(const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(Refusal(name + ": not a bare file name; refused"));
  auto file = FileSource::Open(fd_, name);
  if (!file)
    return Fail(std::move(file).error());
  return std::unique_ptr<ByteSource>(std::move(file).value());
}

Result<std::uint64_t, FileError> DiskDirectory::Stat(const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(Refusal(name + ": not a bare file name; refused"));
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return Fail(ErrnoText(name, errno));
  if (S_ISLNK(st.st_mode))
    return Fail(Refusal(name + ": is a symbolic link; refused"));
  if (!S_ISREG(st.st_mode))
    return Fail(Refusal(name + ": not a regular file; refused"));
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::vector<std::string>, FileError> MemoryDirectory::List() const {
  std::vector<std::string> names;
  for (const auto& [name, bytes] : files_)
    names.push_back(name);
  return names;
}

Result<std::unique_ptr<ByteSource>, FileError> MemoryDirectory::Open(
    const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(Refusal(name + ": not a bare file name; refused"));
  auto it = files_.find(name);
  if (it == files_.end())
    return Fail(ErrnoText(name, ENOENT));
  return std::unique_ptr<ByteSource>(std::make_unique<MemorySource>(it->second));
}

}  // namespace ccm::parser

namespace ccm::parser {

Result<std::uint64_t, FileError> MemoryDirectory::Stat(const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(Refusal(name + ": not a bare file name; refused"));
  auto it = files_.find(name);
  if (it == files_.end())
    return Fail(ErrnoText(name, ENOENT));
  return static_cast<std::uint64_t>(it->second.size());
}

}  // namespace ccm::parser
