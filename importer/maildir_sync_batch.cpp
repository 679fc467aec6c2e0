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
  return MailError{what + " " + where.string() + ": " + std::strerror(err), err};
}

}  // namespace

MaildirSyncBatch::MaildirSyncBatch(std::size_t sync_batch, BatchSync sync)
    : sync_batch_(sync_batch == 0 ? 1 : sync_batch), sync_(sync) {}

MaildirSyncBatch::~MaildirSyncBatch() {
  if (background_.valid())
    background_.wait();  // it uses file_systems_' descriptors
  for (auto& [path, fd] : roots_)
    ::close(fd);
  for (auto& [dev, fd] : file_systems_)
    ::close(fd);
  ForgetChangedDirectories();
}

Result<int, MailError> MaildirSyncBatch::StoreRoot(const fs::path& root) {
  if (auto it = roots_.find(root); it != roots_.end())
    return it->second;
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    return Fail(MailError{"cannot create " + root.string() + ": " + ec.message(), ec.value()});
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

// Under kSyncfs only a lone changed directory is fsynced (SyncDirectories); once a second one
// changed, a syncfs covers them all: nothing more is recorded and no descriptor kept open.
bool MaildirSyncBatch::SeveralChanged() const {
  return sync_ == BatchSync::kSyncfs && changed_.size() >= 2;
}

Result<void, MailError> MaildirSyncBatch::DirectoryChanged(int fd, const fs::path& shown) {
  if (SeveralChanged())
    return {};
  std::string key = shown.string();
  if (changed_.count(key) != 0)
    return {};
  if (sync_ == BatchSync::kSyncfs && changed_.size() == 1) {
    ::close(std::exchange(changed_.begin()->second, -1));
    changed_.emplace(std::move(key), -1);
    return {};
  }
  int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0)
    return Fail(SystemError("cannot duplicate descriptor of", shown, errno));
  changed_.emplace(std::move(key), dup);
  return {};
}

Result<void, MailError> MaildirSyncBatch::CurChanged(const Message& m) {
  if (SeveralChanged())
    return {};  // without building the path
  return DirectoryChanged(m.cur_dir, *m.folder / "cur");
}

void MaildirSyncBatch::ForgetChangedDirectories() {
  for (auto& [path, fd] : changed_) {
    if (fd >= 0)
      ::close(fd);
  }
  changed_.clear();
}

void MaildirSyncBatch::Add(Message message) {
  ++message.counts->in_batch;
  messages_.push_back(std::move(message));
}

void MaildirSyncBatch::Discard(const void* owner) {
  auto drop = [&](std::vector<Message>& step, bool in_tmp) {
    std::erase_if(step, [&](const Message& m) {
      if (m.owner != owner)
        return false;
      if (in_tmp)
        ::unlinkat(m.tmp_dir, m.tmp_name.c_str(), 0);
      --m.counts->in_batch;
      return true;
    });
  };
  drop(messages_, true);
  drop(written_, true);
  drop(renamed_, false);
}

MaildirSyncBatch::FileSystems MaildirSyncBatch::SyncTargets() const {
  FileSystems targets;
  for (auto& [dev, fd] : file_systems_)
    targets.descriptors.push_back(fd);
  if (!roots_.empty())
    targets.shown = roots_.begin()->first;
  return targets;
}

Result<void, MailError> MaildirSyncBatch::SyncFileSystems(const FileSystems& targets) {
  for (int fd : targets.descriptors) {
    if (::syncfs(fd) != 0)
      return Fail(SystemError("cannot syncfs the file system of", targets.shown, errno));
  }
  return {};
}

Result<void, MailError> MaildirSyncBatch::SyncData() {
  if (sync_ == BatchSync::kSyncfs) {
    // syncfs also commits the created directories' entries; their parents are still fsynced
    // in step 3 (cheap then: nothing left to commit) so the rule does not depend on it.
    counts_.syncfs += file_systems_.size();
    return SyncFileSystems(SyncTargets());
  }
  for (const Message& m : messages_) {
    int fd = ::openat(m.tmp_dir, m.tmp_name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    ++counts_.fdatasync;
    if (fd < 0 || ::fdatasync(fd) != 0) {
      int err = errno;
      if (fd >= 0)
        ::close(fd);
      return Fail(SystemError("cannot sync", *m.folder / "tmp" / m.tmp_name, err));
    }
    ::close(fd);
  }
  return {};
}

// Step 2 for written_ (their bytes are durable): each is moved into renamed_ as it is renamed.
Result<void, MailError> MaildirSyncBatch::RenameWritten() {
  std::size_t done = 0;
  auto keep_done = [&] {
    renamed_.insert(renamed_.end(), std::make_move_iterator(written_.begin()),
                    std::make_move_iterator(written_.begin() + static_cast<std::ptrdiff_t>(done)));
    written_.erase(written_.begin(), written_.begin() + static_cast<std::ptrdiff_t>(done));
  };
  for (const Message& m : written_) {
    if (::renameat2(m.tmp_dir, m.tmp_name.c_str(), m.cur_dir, m.final_name.c_str(),
                    RENAME_NOREPLACE) != 0) {
      int err = errno;
      if (err != EEXIST) {
        keep_done();
        return Fail(SystemError("cannot move into place", *m.folder / "cur" / m.final_name, err));
      }
      ::unlinkat(m.tmp_dir, m.tmp_name.c_str(), 0);  // same name and flags: already there
    }
    if (auto r = CurChanged(m); !r) {
      keep_done();
      return r;
    }
    ++done;
  }
  keep_done();
  return {};
}

// messages_ join written_: a sync that starts from now on covers their bytes.
void MaildirSyncBatch::TakeWritten() {
  written_.insert(written_.end(), std::make_move_iterator(messages_.begin()),
                  std::make_move_iterator(messages_.end()));
  messages_.clear();
}

void MaildirSyncBatch::CountRenamed() {
  for (const Message& m : renamed_) {
    ++m.counts->delivered;
    --m.counts->in_batch;
  }
  renamed_.clear();
}

// Waits for the background sync, if any; what it covered is then counted (names) or renamed
// (bytes). On its failure renamed_ stays uncounted: not known durable; a rerun finds them in cur/.
Result<void, MailError> MaildirSyncBatch::CompleteBackgroundSync() {
  if (!background_.valid())
    return {};
  if (auto r = background_.get(); !r)
    return r;
  CountRenamed();
  return RenameWritten();
}

Result<void, MailError> MaildirSyncBatch::Advance() {
  if (sync_ != BatchSync::kSyncfs)
    return Flush();
  if (auto r = CompleteBackgroundSync(); !r)
    return r;
  TakeWritten();
  // The sync about to start covers every directory changed so far.
  ForgetChangedDirectories();
  counts_.syncfs += file_systems_.size();
  background_ = std::async(std::launch::async,
                           [targets = SyncTargets()] { return SyncFileSystems(targets); });
  return {};
}

void MaildirSyncBatch::Settle() {
  if (background_.valid() && background_.get().ok())
    CountRenamed();
}

Result<void, MailError> MaildirSyncBatch::Flush() {
  if (auto r = CompleteBackgroundSync(); !r)  // the pipeline first
    return r;
  if (messages_.empty() && changed_.empty() && renamed_.empty())
    return {};
  if (!messages_.empty()) {
    // One sync for these messages' bytes; it also makes the names renamed above durable.
    if (auto r = SyncData(); !r)
      return r;
    CountRenamed();
    TakeWritten();
    if (auto r = RenameWritten(); !r)
      return r;
  }
  if (auto r = SyncDirectories(); !r)
    return r;  // renamed but not known durable: not counted; a rerun finds them
  CountRenamed();
  return {};
}

Result<void, MailError> MaildirSyncBatch::SyncDirectories() {
  if (sync_ == BatchSync::kSyncfs && changed_.size() > 1) {
    // One more syncfs commits every changed directory at once. On ext4 each directory fsync
    // issues its own device cache flush even when the journal has nothing left to commit,
    // so one fsync per directory costs a flush per directory.
    counts_.syncfs += file_systems_.size();
    if (auto r = SyncFileSystems(SyncTargets()); !r)
      return r;
    ForgetChangedDirectories();
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
