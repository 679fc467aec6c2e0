// drop_directory.cpp — the spool's layout, claims, gathering of loose sets and final moves.
// See drop_directory.h for the life cycle, the locking and the security stance.
#include "daemon/drop_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ccm/directory_listing.h"
#include "daemon/spool_fs.h"

namespace ccm::daemon {
namespace {

constexpr std::size_t kRetryFileLimit = 4096;

DropError Errno(const std::string& what, int err) {
  return DropError{what + ": " + std::strerror(err)};
}

bool SameInode(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The names in a folder of the spool.
Result<std::vector<std::string>, DropError> NamesIn(int dir_fd,
                                                    const std::filesystem::path& shown) {
  auto names = ListNames(dir_fd, shown);
  if (!names)
    return Fail(DropErrorOf(std::move(names.error())));
  return std::move(*names);
}

// The first regular, non-hidden .pkl in a folder; empty when none.
Result<std::string, DropError> FindPackingList(int dir_fd, const std::filesystem::path& shown) {
  auto names = NamesIn(dir_fd, shown);
  if (!names)
    return Fail(std::move(names.error()));
  for (const auto& n : *names) {
    if (IsIgnoredName(n) || !IsPackingListName(n))
      continue;
    auto st = spool_fs::StatNoFollow(dir_fd, n);
    if (st && S_ISREG(st->st_mode))
      return n;
  }
  return std::string();
}

std::optional<RetryState> ReadRetry(int set_fd) {
  auto text = spool_fs::ReadSmallFile(set_fd, kRetryFileName, kRetryFileLimit);
  if (!text)
    return std::nullopt;
  return ParseRetryState(*text);
}

// Opens or creates one folder of the layout.
Result<UniqueFd, DropError> OpenOrCreate(int parent, const std::filesystem::path& path,
                                         const std::string& name, mode_t mode) {
  const bool created = ::mkdirat(parent, name.c_str(), mode & 0777) == 0;
  if (!created && errno != EEXIST)
    return Fail(Errno("cannot create " + (path / name).string(), errno));
  UniqueFd fd(spool_fs::OpenDirNoFollow(parent, name));
  if (!fd.valid()) {
    return Fail(Errno("cannot open " + (path / name).string() + " as a directory", errno));
  }
  // Exactly this mode, whatever the umask, also on a spool made before: setgid on incoming/
  // gives dropped sets the spool's group, so the service can move them; the sticky bit keeps one
  // operator from renaming or deleting another's drop; active/ is the service's alone, so a
  // claimed set is out of every operator's reach. A folder we made must get it; one made before
  // by someone else keeps the mode its owner gave it.
  if (::fchmod(fd.get(), mode) != 0 && created)
    return Fail(Errno("cannot set the mode of " + (path / name).string(), errno));
  return fd;
}

}  // namespace

Result<DropDirectory, DropError> DropDirectory::Open(const std::filesystem::path& root) {
  if (root.empty())
    return Fail(DropError{"[drop] dir is empty"});
  DropDirectory d;
  d.root_ = root;
  std::error_code ec;
  if (!std::filesystem::exists(root, ec)) {
    if (::mkdir(root.c_str(), 0750) != 0 && errno != EEXIST) {
      return Fail(Errno("cannot create " + root.string(), errno));
    }
  }
  d.root_fd_ = UniqueFd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.root_fd_.valid())
    return Fail(Errno("cannot open " + root.string(), errno));
  struct {
    UniqueFd* fd;
    const char* name;
    mode_t mode;
  } folders[] = {{&d.incoming_, "incoming", 03770},
                 {&d.active_, "active", 0700},
                 {&d.done_, "done", 0750},
                 {&d.deferred_, "deferred", 0750},
                 {&d.failed_, "failed", 0750}};
  for (auto& f : folders) {
    auto fd = OpenOrCreate(d.root_fd_.get(), root, f.name, f.mode);
    if (!fd)
      return Fail(fd.error());
    *f.fd = std::move(*fd);
  }
  return d;
}

Result<std::vector<IncomingEntry>, DropError> DropDirectory::ListIncoming(
    std::vector<IgnoredEntry>* ignored) const {
  auto names = NamesIn(incoming_.get(), root_ / "incoming");
  if (!names)
    return Fail(std::move(names.error()));
  std::vector<IncomingEntry> out;
  for (const auto& name : *names) {
    if (IsIgnoredName(name))
      continue;
    auto st = spool_fs::StatNoFollow(incoming_.get(), name);
    if (!st)
      continue;
    if (S_ISDIR(st->st_mode)) {
      out.push_back({name, false});  // Observe refuses an over-long name
    } else if (S_ISREG(st->st_mode)) {
      if (IsPackingListName(name) && name.size() > kMaxSetNameBytes) {
        if (ignored)
          ignored->push_back({name, "a packing list name longer than 200 bytes"});
      } else if (IsPackingListName(name)) {
        out.push_back({name, true});
      }
      // Other loose regular files wait to be gathered by their packing list.
    } else if (ignored) {
      ignored->push_back({name, S_ISLNK(st->st_mode) ? "a symbolic link" : "not a file or folder"});
    }
  }
  return out;
}

std::string DropDirectory::UniqueId(const std::string& name, int source_fd) const {
  const std::string base = name.substr(0, kMaxSetNameBytes);
  for (int n = 1;; ++n) {
    const std::string id = n == 1 ? base : base + "-" + std::to_string(n);
    bool taken = false;
    for (int fd : {active_.get(), done_.get(), deferred_.get(), failed_.get()}) {
      // The set's own folder does not make its name taken.
      if (fd == source_fd && n == 1 && base == name)
        continue;
      if (spool_fs::StatNoFollow(fd, id))
        taken = true;
    }
    if (!taken || n > 10000)
      return id;
  }
}

Result<std::optional<ClaimedSet>, DropError> DropDirectory::ClaimFrom(int from_fd,
                                                                      const char* from_label,
                                                                      const std::string& name,
                                                                      ClaimOrigin origin) {
  const std::string where = (root_ / from_label / name).string();
  UniqueFd fd(spool_fs::OpenDirNoFollow(from_fd, name));
  if (!fd.valid()) {
    if (errno == ENOENT)
      return std::optional<ClaimedSet>();
    return Fail(Errno("cannot open " + where, errno));
  }
  // Lock first, then rename: the lock travels with the inode, so no other process can take
  // the set between the rename and the start of work.
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return std::optional<ClaimedSet>();
    return Fail(Errno("cannot lock " + where, errno));
  }
  struct stat mine {};
  ::fstat(fd.get(), &mine);
  auto now_there = spool_fs::StatNoFollow(from_fd, name);
  if (!now_there || !SameInode(mine, *now_there))
    return std::optional<ClaimedSet>();

  std::string id = origin == ClaimOrigin::kResumed ? name : UniqueId(name, from_fd);
  if (origin != ClaimOrigin::kResumed) {
    for (int attempt = 0;; ++attempt) {
      const int err = spool_fs::RenameNoReplace(from_fd, name, active_.get(), id);
      if (err == 0)
        break;
      if (err == ENOENT)
        return std::optional<ClaimedSet>();
      if (err != EEXIST && err != ENOTEMPTY) {
        return Fail(Errno("cannot claim " + where + " into active/" + id, err));
      }
      if (attempt > 100)
        return Fail(DropError{"no free set id for " + where});
      id = name.substr(0, kMaxSetNameBytes) + "-" + std::to_string(attempt + 2);
    }
    ::fsync(from_fd);
    ::fsync(active_.get());
  }

  ClaimedSet set;
  set.id_ = id;
  set.dir_ = root_ / "active" / id;
  // A set that cannot be listed now stays in active/, unlocked, and is resumed by a later scan.
  auto pkl_name = FindPackingList(fd.get(), set.dir_);
  if (!pkl_name)
    return Fail(std::move(pkl_name.error()));
  set.pkl_name_ = std::move(*pkl_name);
  set.origin_ = origin;
  if (auto retry = ReadRetry(fd.get())) {
    set.previous_attempts_ = retry->attempts;
    set.first_deferred_ = retry->first_deferred;
  }
  if (origin == ClaimOrigin::kResumed) {
    // Only a refusal writes reason.txt into a set in active/ (sets with their own are refused
    // before they get there).
    if (auto reason = spool_fs::ReadSmallFile(fd.get(), "reason.txt", 4096))
      set.refused_before_ = std::move(*reason);
  }
  set.fd_ = std::move(fd);
  return std::optional<ClaimedSet>(std::move(set));
}

Result<std::optional<ClaimedSet>, DropError> DropDirectory::ClaimIncoming(const std::string& name) {
  return ClaimFrom(incoming_.get(), "incoming", name, ClaimOrigin::kIncoming);
}

Result<std::optional<ClaimedSet>, DropError> DropDirectory::ClaimDeferred(const std::string& name) {
  return ClaimFrom(deferred_.get(), "deferred", name, ClaimOrigin::kDeferred);
}

Result<std::optional<ClaimedSet>, DropError> DropDirectory::ResumeActive(const std::string& name) {
  return ClaimFrom(active_.get(), "active", name, ClaimOrigin::kResumed);
}

Result<std::vector<std::string>, DropError> DropDirectory::ListActive() const {
  auto names = NamesIn(active_.get(), root_ / "active");
  if (!names)
    return Fail(std::move(names.error()));
  std::vector<std::string> out;
  for (const auto& name : *names) {
    if (IsIgnoredName(name))
      continue;
    auto st = spool_fs::StatNoFollow(active_.get(), name);
    if (st && S_ISDIR(st->st_mode))
      out.push_back(name);
  }
  return out;
}

Result<std::vector<DeferredSet>, DropError> DropDirectory::ListDeferred() const {
  auto names = NamesIn(deferred_.get(), root_ / "deferred");
  if (!names)
    return Fail(std::move(names.error()));
  std::vector<DeferredSet> out;
  for (const auto& name : *names) {
    if (IsIgnoredName(name))
      continue;
    UniqueFd fd(spool_fs::OpenDirNoFollow(deferred_.get(), name));
    if (!fd.valid())
      continue;
    DeferredSet d{name, {}};
    if (auto retry = ReadRetry(fd.get()))
      d.retry = *retry;
    out.push_back(std::move(d));
  }
  return out;
}

Result<SpoolCounts, DropError> DropDirectory::Count() const {
  auto dirs = [this](int fd, const char* folder) -> Result<std::size_t, DropError> {
    auto names = NamesIn(fd, root_ / folder);
    if (!names)
      return Fail(std::move(names.error()));
    std::size_t n = 0;
    for (const auto& name : *names) {
      if (IsIgnoredName(name))
        continue;
      auto st = spool_fs::StatNoFollow(fd, name);
      if (st && S_ISDIR(st->st_mode))
        ++n;
    }
    return n;
  };
  auto incoming = ListIncoming();
  if (!incoming)
    return Fail(std::move(incoming.error()));
  SpoolCounts c;
  c.incoming = incoming->size();
  struct {
    std::size_t* count;
    int fd;
    const char* folder;
  } folders[] = {{&c.active, active_.get(), "active"},
                 {&c.done, done_.get(), "done"},
                 {&c.deferred, deferred_.get(), "deferred"},
                 {&c.failed, failed_.get(), "failed"}};
  for (const auto& f : folders) {
    auto n = dirs(f.fd, f.folder);
    if (!n)
      return Fail(std::move(n.error()));
    *f.count = *n;
  }
  return c;
}

int DropDirectory::StateFd(FinalPlace place) const {
  switch (place) {
    case FinalPlace::kDone:
      return done_.get();
    case FinalPlace::kDeferred:
      return deferred_.get();
    case FinalPlace::kFailed:
      return failed_.get();
  }
  return -1;
}

Result<std::filesystem::path, DropError> DropDirectory::Finish(ClaimedSet set, FinalPlace place,
                                                               const std::string& report_json,
                                                               const std::string& reason,
                                                               const RetryState* retry) {
  const int fd = set.dir_fd();
  const std::string where = set.dir().string();
  // A refused set goes to failed/ even when a name of ours is taken by something the set
  // brought that cannot be replaced (a folder called report.json): it must never stay in
  // active/, where it would be resumed. Its reason is then in the log and status.json.
  const bool refusing = place == FinalPlace::kFailed;
  // Each file is synced; the folder once, below, before it moves.
  AtomicFileOptions options;
  options.durability = Durability::kFileSynced;
  options.shown_dir = set.dir();
  if (place == FinalPlace::kFailed) {
    std::string text = reason;
    if (text.empty() || text.back() != '\n')
      text += '\n';
    // reason.txt first: should the move below fail, a resumed set is recognised as refused.
    if (auto written = WriteFileAtomically(fd, "reason.txt", text, options);
        !written && !refusing) {
      return Fail(DropErrorOf(std::move(written.error())));
    }
  }
  if (auto written = WriteFileAtomically(fd, "report.json", report_json, options);
      !written && !refusing) {
    return Fail(DropErrorOf(std::move(written.error())));
  }
  if (place == FinalPlace::kDeferred && retry != nullptr) {
    if (auto written = WriteFileAtomically(fd, kRetryFileName, FormatRetryState(*retry), options);
        !written) {
      return Fail(DropErrorOf(std::move(written.error())));
    }
  } else if (place != FinalPlace::kDeferred) {
    ::unlinkat(fd, kRetryFileName, 0);  // a finished set carries no retry state
  }
  ::fsync(fd);

  struct stat mine {};
  ::fstat(fd, &mine);
  auto there = spool_fs::StatNoFollow(active_.get(), set.id());
  if (!there || !SameInode(mine, *there)) {
    return Fail(DropError{"set " + set.id() + " is no longer at " + where});
  }
  const int to = StateFd(place);
  std::string final_name = set.id();
  for (int attempt = 0;; ++attempt) {
    const int err = spool_fs::RenameNoReplace(active_.get(), set.id(), to, final_name);
    if (err == 0)
      break;
    if ((err != EEXIST && err != ENOTEMPTY) || attempt > 100) {
      return Fail(Errno("cannot move " + where, err));
    }
    final_name = set.id() + "-" + std::to_string(attempt + 2);
  }
  ::fsync(active_.get());
  ::fsync(to);
  const char* folder = place == FinalPlace::kDone       ? "done"
                       : place == FinalPlace::kDeferred ? "deferred"
                                                        : "failed";
  return root_ / folder / final_name;
}

Result<void, DropError> DropDirectory::WriteSpoolFile(const std::string& name,
                                                      const std::string& content) {
  // Advisory state (status.json): atomic, but not worth an fsync on every change.
  AtomicFileOptions options;
  options.durability = Durability::kUnsynced;
  options.shown_dir = root_;
  auto written = WriteFileAtomically(root_fd_.get(), name, content, options);
  if (!written)
    return Fail(DropErrorOf(std::move(written.error())));
  return {};
}

}  // namespace ccm::daemon
