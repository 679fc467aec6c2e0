// byte_source.cpp — file and memory byte sources, disk and memory set directories
// (see byte_source.h). Security: every open is O_NOFOLLOW|O_NONBLOCK relative to the set
// directory's descriptor (a FIFO put in a file's place fails at once instead of blocking the
// reader) and is checked with fstat to be a regular file with one link (a hard link would pull
// in a file from outside the set). A DiskDirectory opens each name once per job and hands the
// same descriptor to every reader; past the descriptor pool, a re-open must match the first.
#include "parser/byte_source.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>

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

// Descriptors kept open by all DiskDirectories of the process (see SetFileDescriptorPool).
std::atomic<std::size_t> kept_in_pool{0};

bool TakePoolSlot() {
  const std::size_t pool = SetFileDescriptorPool();
  std::size_t kept = kept_in_pool.load(std::memory_order_relaxed);
  while (kept < pool) {
    if (kept_in_pool.compare_exchange_weak(kept, kept + 1, std::memory_order_relaxed))
      return true;
  }
  return false;
}

// A reader's handle on a descriptor its directory keeps: the reads go to the shared file.
class SharedFileSource final : public ByteSource {
 public:
  explicit SharedFileSource(std::shared_ptr<const FileSource> file) : file_(std::move(file)) {}
  std::uint64_t size() const override { return file_->size(); }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override {
    return file_->ReadAt(offset, buffer);
  }

 private:
  std::shared_ptr<const FileSource> file_;
};

// Why a file that is not a regular file with one link is refused, naming what it is.
std::optional<std::string> WhyRefused(const std::string& name, const struct stat& st) {
  if (S_ISLNK(st.st_mode))
    return name + ": is a symbolic link; refused";
  if (!S_ISREG(st.st_mode)) {
    const char* what = S_ISFIFO(st.st_mode)                         ? "is a FIFO"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "is a device"
                       : S_ISSOCK(st.st_mode)                       ? "is a socket"
                       : S_ISDIR(st.st_mode)                        ? "is a directory"
                                                                    : "is not a regular file";
    return name + ": " + what + "; refused";
  }
  if (st.st_nlink > 1) {
    return name + ": has " + std::to_string(st.st_nlink) +
           " hard links (a hard link can pull in a file from outside the set); refused";
  }
  return std::nullopt;
}

std::string OwnerMismatch(const std::string& name, std::uint32_t owner, std::uint32_t expected) {
  return name + ": belongs to uid " + std::to_string(owner) + ", the packing list to uid " +
         std::to_string(expected) + "; refused";
}
}  // namespace

std::size_t SetFileDescriptorPool() {
  static const std::size_t pool = [] {
    constexpr std::size_t kMinimum = 16;
    rlimit limit{};
    std::size_t soft = 1024;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
      soft = static_cast<std::size_t>(limit.rlim_cur);
    return std::max(soft / 4, kMinimum);
  }();
  return pool;
}

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
  if (auto refused = WhyRefused(name, st)) {
    ::close(fd);
    return Fail(Refusal(std::move(*refused)));
  }
  // The advice widens read-ahead for files streamed in many reads; a small file is read in one or
  // two, so it would only cost a system call per open (per user, in a set of per-user files).
  if (st.st_size > kSequentialAdviceFrom)
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  FileIdentity identity;
  identity.device = static_cast<std::uint64_t>(st.st_dev);
  identity.inode = static_cast<std::uint64_t>(st.st_ino);
  identity.size = static_cast<std::uint64_t>(st.st_size);
  identity.modified_ns =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  identity.owner = static_cast<std::uint32_t>(st.st_uid);
  return std::unique_ptr<FileSource>(new FileSource(fd, identity));
}

FileSource::~FileSource() {
  ::close(fd_);
}

Result<std::size_t, FileError> FileSource::ReadAt(std::uint64_t offset,
                                                  std::span<char> buffer) const {
  std::size_t done = 0;
  while (done < buffer.size() && offset + done < identity_.size) {
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

Result<std::unique_ptr<DiskDirectory>, FileError> DiskDirectory::OpenPath(
    const std::string& path, std::size_t max_kept_open) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Fail(ErrnoText(path, errno));
  return std::unique_ptr<DiskDirectory>(new DiskDirectory(fd, path, max_kept_open));
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
  return OpenChecked(name, false);
}

Result<std::unique_ptr<ByteSource>, FileError> DiskDirectory::OpenPackingList(
    const std::string& name) const {
  return OpenChecked(name, true);
}

// The first open of a name, its checks and its entry in the table are one step for every
// thread: the openat and fstat run outside the lock (readers on other threads open their own files
// meanwhile), and a name another thread entered in between is treated like a re-open past the
// pool: only the same file, unchanged, is accepted. openat with O_NONBLOCK cannot block.
Result<std::unique_ptr<ByteSource>, FileError> DiskDirectory::OpenChecked(const std::string& name,
                                                                          bool packing_list) const {
  if (!IsBareFileName(name))
    return Fail(Refusal(name + ": not a bare file name; refused"));
  {
    std::lock_guard lock(mutex_);
    auto known = opened_.find(name);
    if (known != opened_.end() && known->second.file != nullptr) {
      const FileIdentity& identity = known->second.identity;
      if (owner_ && identity.owner != *owner_)
        return Fail(Refusal(OwnerMismatch(name, identity.owner, *owner_)));
      if (packing_list && !owner_)
        owner_ = identity.owner;
      return std::unique_ptr<ByteSource>(std::make_unique<SharedFileSource>(known->second.file));
    }
  }
  auto file = FileSource::Open(fd_, name);
  if (!file)
    return Fail(std::move(file).error());
  const FileIdentity& identity = (*file)->identity();
  std::lock_guard lock(mutex_);
  if (owner_ && identity.owner != *owner_)
    return Fail(Refusal(OwnerMismatch(name, identity.owner, *owner_)));
  auto known = opened_.find(name);
  if (known != opened_.end()) {
    // Opened before: only the same file, unchanged, may be read again.
    if (!(identity == known->second.identity)) {
      return Fail(Refusal(name +
                          ": changed since it was checked (another file, size or modification "
                          "time under the same name); refused"));
    }
    return std::unique_ptr<ByteSource>(std::move(file).value());
  }
  if (packing_list && !owner_)
    owner_ = identity.owner;
  Opened& entry = opened_[name];
  entry.identity = identity;
  if (kept_open_ >= max_kept_open_ || !TakePoolSlot())
    return std::unique_ptr<ByteSource>(std::move(file).value());
  ++kept_open_;
  entry.file = std::shared_ptr<const FileSource>(std::move(file).value().release(),
                                                 [](const FileSource* kept) {
                                                   delete kept;
                                                   kept_in_pool.fetch_sub(1);
                                                 });
  return std::unique_ptr<ByteSource>(std::make_unique<SharedFileSource>(entry.file));
}

Result<std::uint64_t, FileError> DiskDirectory::Stat(const std::string& name) const {
  if (!IsBareFileName(name))
    return Fail(Refusal(name + ": not a bare file name; refused"));
  {
    std::lock_guard lock(mutex_);
    if (auto known = opened_.find(name); known != opened_.end())
      return known->second.identity.size;
  }
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return Fail(ErrnoText(name, errno));
  if (auto refused = WhyRefused(name, st))
    return Fail(Refusal(std::move(*refused)));
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
