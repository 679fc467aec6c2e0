// maildir_sync_batch.cpp — the shared durable batch; see maildir_sync_batch.h.
#include "importer/maildir_sync_batch.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;

MailError SystemError(const std::string& what, const fs::path& where, int err) {
  return MailError{what + " " + where.string() + ": " + std::strerror(err)};
}

}  // namespace

MaildirSyncBatch::MaildirSyncBatch(std::size_t sync_batch, BatchSync sync)
    : sync_batch_(sync_batch == 0 ? 1 : sync_batch), sync_(sync) {}

MaildirSyncBatch::~MaildirSyncBatch() {
  for (auto& [path, fd] : roots_)
    ::close(fd);
  for (auto& [dev, fd] : file_systems_)
    ::close(fd);
  for (auto& [path, fd] : changed_)
    ::close(fd);
}

Result<int, MailError> MaildirSyncBatch::StoreRoot(const fs::path& root) {
  if (auto it = roots_.find(root); it != roots_.end())
    return it->second;
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    return Fail(MailError{"cannot create " + root.string() + ": " + ec.message()});
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Fail(SystemError("cannot open", root, errno));
  roots_.emplace(root, fd);
  if (auto r = AddFileSystem(fd, root); !r)
    return Fail(std::move(r.error()));
  return fd;
}

Result<void, MailError> MaildirSyncBatch::AddFileSystem(int fd, const fs::path& shown) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return Fail(SystemError("cannot stat", shown, errno));
  if (file_systems_.count(st.st_dev) != 0)
    return {};
  int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0)
    return Fail(SystemError("cannot duplicate descriptor of", shown, errno));
  file_systems_.emplace(st.st_dev, dup);
  return {};
}

Result<void, MailError> MaildirSyncBatch::DirectoryChanged(int fd, const fs::path& shown) {
  if (changed_.count(shown.string()) != 0)
    return {};
  int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0)
    return Fail(SystemError("cannot duplicate descriptor of", shown, errno));
  changed_.emplace(shown.string(), dup);
  return {};
}

void MaildirSyncBatch::Discard(const void* owner) {
  std::erase_if(messages_, [&](const Message& m) {
    if (m.owner != owner)
      return false;
    ::unlinkat(m.tmp_dir, m.tmp_name.c_str(), 0);
    return true;
  });
}

Result<void, MailError> MaildirSyncBatch::SyncData() {
  if (sync_ == BatchSync::kSyncfs) {
    // syncfs also commits the created directories' entries; their parents are still fsynced
    // in step 3 (cheap then: nothing left to commit) so the rule does not depend on it.
    for (auto& [dev, fd] : file_systems_) {
      ++counts_.syncfs;
      if (::syncfs(fd) != 0)
        return Fail(SystemError(
            "cannot syncfs the file system of",
            messages_.empty() ? fs::path("the mail store") : messages_.front().cur_path, errno));
    }
    return {};
  }
  for (const Message& m : messages_) {
    int fd = ::openat(m.tmp_dir, m.tmp_name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    ++counts_.fdatasync;
    if (fd < 0 || ::fdatasync(fd) != 0) {
      int err = errno;
      if (fd >= 0)
        ::close(fd);
      return Fail(SystemError("cannot sync", m.cur_path.parent_path() / "tmp" / m.tmp_name, err));
    }
    ::close(fd);
  }
  return {};
}

Result<void, MailError> MaildirSyncBatch::Flush() {
  if (messages_.empty() && changed_.empty())
    return {};
  if (!messages_.empty()) {
    if (auto r = SyncData(); !r)
      return r;
  }
  std::size_t done = 0;
  for (const Message& m : messages_) {
    if (::renameat2(m.tmp_dir, m.tmp_name.c_str(), m.cur_dir, m.final_name.c_str(),
                    RENAME_NOREPLACE) != 0) {
      int err = errno;
      if (err != EEXIST) {
        // Renamed ones are not known durable: not counted; a rerun finds them in cur/.
        messages_.erase(messages_.begin(), messages_.begin() + static_cast<std::ptrdiff_t>(done));
        return Fail(SystemError("cannot move into place", m.cur_path / m.final_name, err));
      }
      ::unlinkat(m.tmp_dir, m.tmp_name.c_str(), 0);  // same name and flags: already there
    }
    if (auto r = DirectoryChanged(m.cur_dir, m.cur_path); !r) {
      messages_.erase(messages_.begin(), messages_.begin() + static_cast<std::ptrdiff_t>(done));
      return r;
    }
    ++done;
  }
  if (auto r = SyncDirectories(); !r) {
    messages_.clear();  // renamed but not known durable: not counted; a rerun finds them
    return r;
  }
  for (const Message& m : messages_)
    ++*m.counter;
  messages_.clear();
  return {};
}

Result<void, MailError> MaildirSyncBatch::SyncDirectories() {
  if (sync_ == BatchSync::kSyncfs && changed_.size() > 1) {
    // One more syncfs commits every changed directory at once. On ext4 each directory fsync
    // issues its own device cache flush even when the journal has nothing left to commit,
    // so one fsync per directory costs a flush per directory.
    for (auto& [dev, fd] : file_systems_) {
      ++counts_.syncfs;
      if (::syncfs(fd) != 0)
        return Fail(
            SystemError("cannot syncfs the file system of", changed_.begin()->first, errno));
    }
    for (auto& [path, fd] : changed_)
      ::close(fd);
    changed_.clear();
    return {};
  }
  for (auto it = changed_.begin(); it != changed_.end();) {
    ++counts_.dir_fsync;
    if (::fsync(it->second) != 0) {
      return Fail(SystemError("cannot fsync", it->first, errno));
    }
    ::close(it->second);
    it = changed_.erase(it);
  }
  return {};
}

}  // namespace ccm::importer
