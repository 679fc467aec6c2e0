// atomic_file.cpp — temporary file, write, fsync, rename, fsync of the directory. See
// atomic_file.h.
#include "ccm/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace ccm {
namespace {

bool IsBareFileName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

std::string Shown(const std::filesystem::path& dir, const std::string& name) {
  return dir.empty() ? name : (dir / name).string();
}

}  // namespace

std::string TemporaryNameFor(std::string_view name) {
  std::string temporary = ".";
  temporary.append(name).append(".tmp");
  return temporary;
}

Result<AtomicFile, FileError> AtomicFile::Create(int dir_fd, std::string name,
                                                 AtomicFileOptions options) {
  if (!IsBareFileName(name)) {
    return Fail(FileError{
        EINVAL, "cannot write " + Shown(options.shown_dir, name) + ": not a bare file name"});
  }
  const std::string temporary = TemporaryNameFor(name);
  ::unlinkat(dir_fd, temporary.c_str(), 0);  // a killed writer's leftover
  UniqueFd fd(::openat(dir_fd, temporary.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                       options.mode));
  if (!fd.valid())
    return Fail(FileError::Of("create", Shown(options.shown_dir, temporary), errno));
  return AtomicFile(dir_fd, std::move(name), std::move(options), std::move(fd));
}

AtomicFile::AtomicFile(int dir_fd, std::string name, AtomicFileOptions options, UniqueFd fd)
    : dir_fd_(dir_fd),
      name_(std::move(name)),
      temporary_(TemporaryNameFor(name_)),
      options_(std::move(options)),
      fd_(std::move(fd)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : dir_fd_(other.dir_fd_),
      name_(std::move(other.name_)),
      temporary_(std::move(other.temporary_)),
      options_(std::move(other.options_)),
      fd_(std::move(other.fd_)),
      done_(std::exchange(other.done_, true)) {}

AtomicFile::~AtomicFile() {
  Discard();
}

void AtomicFile::Discard() {
  if (done_)
    return;
  done_ = true;
  fd_.Reset();
  ::unlinkat(dir_fd_, temporary_.c_str(), 0);
}

FileError AtomicFile::ErrorOf(std::string_view operation, int code) const {
  return FileError::Of(operation, Shown(options_.shown_dir, temporary_), code);
}

Result<void, FileError> AtomicFile::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      Discard();
      return Fail(ErrorOf("write", err));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void, FileError> AtomicFile::Commit() {
  if (options_.durability != Durability::kUnsynced && ::fsync(fd_.get()) != 0) {
    const int err = errno;
    Discard();
    return Fail(ErrorOf("fsync", err));
  }
  if (::close(fd_.release()) != 0) {
    const int err = errno;
    Discard();
    return Fail(ErrorOf("close", err));
  }
  if (::renameat(dir_fd_, temporary_.c_str(), dir_fd_, name_.c_str()) != 0) {
    const int err = errno;
    Discard();
    return Fail(
        FileError::Of("rename", Shown(options_.shown_dir, temporary_) + " to " + name_, err));
  }
  done_ = true;
  if (options_.durability == Durability::kSynced && ::fsync(dir_fd_) != 0) {
    return Fail(FileError::Of("fsync the directory of", Shown(options_.shown_dir, name_), errno));
  }
  return {};
}

Result<void, FileError> WriteFileAtomically(int dir_fd, const std::string& name,
                                            std::string_view content,
                                            const AtomicFileOptions& options) {
  auto file = AtomicFile::Create(dir_fd, name, options);
  if (!file)
    return Fail(std::move(file.error()));
  if (auto appended = file->Append(content); !appended)
    return appended;
  return file->Commit();
}

}  // namespace ccm
