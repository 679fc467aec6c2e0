// maildir_store.cpp — Maildir++ delivery with batched durability; see maildir_store.h.
// All file-system access below the root goes through *at() calls on directory descriptors.
#include "importer/maildir_store.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_set>

#include "ccm/directory_listing.h"
#include "ccm/unique_fd.h"
#include "importer/maildir_names.h"
#include "importer/message_identity.h"
#include "importer/store_group.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kOurPrefix = "ccm-";

using ccm::UniqueFd;

MailError SystemError(const std::string& what, const fs::path& where, int err) {
  return MailError{what + " " + where.string() + ": " + std::strerror(err), err};
}

// How new entries are made: private to the process, or shared with the store group.
struct Sharing {
  std::optional<gid_t> group;

  mode_t DirectoryMode() const { return group ? 0770 : 0700; }
  mode_t FileMode() const { return group ? 0660 : 0600; }
  // Gives a new entry (open as `fd`) to the group with its full mode, whatever the umask.
  // `shown` names the entry, built only for an error message.
  template <typename Shown>
  Result<void, MailError> Apply(int fd, mode_t mode, const Shown& shown) const {
    if (!group)
      return {};
    if (::fchown(fd, static_cast<uid_t>(-1), *group) != 0)
      return Fail(SystemError("cannot give to the store group (gid " + std::to_string(*group) + ")",
                              shown(), errno));
    if (::fchmod(fd, mode) != 0)
      return Fail(SystemError("cannot set the mode of", shown(), errno));
    return {};
  }
};

bool IsSingleComponent(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

// Creates `name` in `parent` unless it exists; true when this call created it. An existing
// entry is checked later, when it is opened with O_NOFOLLOW | O_DIRECTORY (or never used).
// A new directory is shared as `sharing` says (opened without following links for that).
Result<bool, MailError> MakeDirAt(int parent, const char* name, const fs::path& shown,
                                  const Sharing& sharing) {
  if (::mkdirat(parent, name, sharing.DirectoryMode()) != 0) {
    if (errno == EEXIST)
      return false;
    return Fail(SystemError("cannot create", shown / name, errno));
  }
  if (sharing.group) {
    UniqueFd fd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0)
      return Fail(SystemError("cannot open", shown / name, errno));
    if (auto r = sharing.Apply(fd.get(), sharing.DirectoryMode(), [&] { return shown / name; }); !r)
      return Fail(std::move(r.error()));
  }
  return true;
}

// Opens (optionally creating) the directory `name` inside `parent`, never following a symlink.
Result<UniqueFd, MailError> OpenDirAt(int parent, const std::string& name, bool create,
                                      const fs::path& shown, const Sharing& sharing,
                                      bool* created = nullptr) {
  if (!IsSingleComponent(name)) {
    return Fail(MailError{"refusing unsafe directory name \"" + name + "\" in " + shown.string()});
  }
  if (create) {
    auto made = MakeDirAt(parent, name.c_str(), shown, sharing);
    if (!made)
      return Fail(std::move(made.error()));
    if (created != nullptr)
      *created = *made;
  }
  int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP || err == ENOTDIR) {
      return Fail(MailError{"refusing " + (shown / name).string() +
                            ": not a directory (a symbolic link or file where the mail store "
                            "expects a directory)"});
    }
    return Fail(SystemError("cannot open", shown / name, err));
  }
  return UniqueFd(fd);
}

// Names in a directory (ccm/directory_listing.h); `fd` stays open.
Result<std::vector<std::string>, MailError> List(int fd, const fs::path& shown) {
  auto names = ListNames(fd, shown);
  if (!names)
    return Fail(SystemError("cannot list", shown, names.error().code));
  return std::move(*names);
}

// Removes files of ours (a crashed or killed earlier run) from a tmp/ directory.
Result<void, MailError> CleanTmp(int tmp_fd, const fs::path& shown) {
  auto names = List(tmp_fd, shown);
  if (!names)
    return Fail(std::move(names.error()));
  for (const std::string& name : *names) {
    if (name.rfind(kOurPrefix, 0) != 0)
      continue;
    if (::unlinkat(tmp_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
      return Fail(SystemError("cannot remove stale", shown / name, errno));
    }
  }
  return {};
}

// CleanTmp on the tmp/ of INBOX and of every folder of the mailbox directory `mailbox`.
Result<void, MailError> CleanMailboxTmp(int mailbox, const fs::path& shown) {
  auto names = List(mailbox, shown);
  if (!names)
    return Fail(std::move(names.error()));
  names->push_back("");
  for (const std::string& entry : *names) {
    if (!entry.empty() && (entry.front() != '.' || !IsSingleComponent(entry)))
      continue;
    UniqueFd folder;
    if (entry.empty()) {
      folder = UniqueFd(::openat(mailbox, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    } else {
      folder = UniqueFd(
          ::openat(mailbox, entry.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }
    if (folder.get() < 0)
      continue;  // a file or a symlink: not a folder of ours
    UniqueFd tmp(::openat(folder.get(), "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (tmp.get() < 0)
      continue;
    if (auto r = CleanTmp(tmp.get(), shown / entry / "tmp"); !r)
      return Fail(std::move(r.error()));
  }
  return {};
}

// Writes into a file in a folder's tmp/ (named in errors).
class FdSink : public MessageSink {
 public:
  FdSink(int fd, const fs::path& folder, const std::string& name)
      : fd_(fd), folder_(folder), name_(name) {}
  Result<void, MailError> Write(std::string_view bytes) override {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR)
          continue;
        return Fail(SystemError("cannot write", folder_ / "tmp" / name_, errno));
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }

 private:
  int fd_;
  const fs::path& folder_;
  const std::string& name_;
};

}  // namespace

struct MaildirMailbox::Folder {
  std::string dir_name;  // "" = INBOX
  fs::path path;
  UniqueFd cur, tmp;
  std::unordered_set<std::string> present;  // unique names found in cur/ and new/, or queued
};

namespace {

// What EnsureMaildir found.
struct MaildirCreated {
  bool any = false;    // some directory was created: the parent's entries changed
  bool fresh = false;  // cur/ and new/ were both created: nothing was delivered here before
};

// Makes sure cur/ new/ tmp/ exist in `dir` (and `maildirfolder` for a folder). Only mkdirat:
// what exists already is opened and checked by the caller, a new directory needs no check.
Result<MaildirCreated, MailError> EnsureMaildir(int dir, const fs::path& shown, bool folder,
                                                const Sharing& sharing) {
  MaildirCreated out;
  bool cur_new = true;
  for (const char* sub : {"cur", "new", "tmp"}) {
    auto created = MakeDirAt(dir, sub, shown, sharing);
    if (!created)
      return Fail(std::move(created.error()));
    out.any = out.any || *created;
    if (std::string_view(sub) != "tmp")
      cur_new = cur_new && *created;
  }
  out.fresh = cur_new;
  if (folder) {
    // O_EXCL: an existing marker (ours or the mail server's) is left as it is.
    UniqueFd fd(::openat(dir, "maildirfolder", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         sharing.FileMode()));
    if (fd.get() < 0 && errno != EEXIST)
      return Fail(SystemError("cannot create", shown / "maildirfolder", errno));
    if (fd.get() >= 0) {
      if (auto r =
              sharing.Apply(fd.get(), sharing.FileMode(), [&] { return shown / "maildirfolder"; });
          !r)
        return Fail(std::move(r.error()));
    }
  }
  return out;
}

// With a store group, the root must let the group reach the mailboxes: a root this call
// created (`fresh`) is given to the group, an existing one is only checked.
Result<void, MailError> CheckStoreRoot(int root, const fs::path& shown, const Sharing& sharing,
                                       bool fresh) {
  if (!sharing.group)
    return {};
  struct stat st {};
  if (::fstat(root, &st) != 0)
    return Fail(SystemError("cannot stat", shown, errno));
  if (GroupCanUseStoreRoot(st, *sharing.group))
    return {};
  if (fresh)
    return sharing.Apply(root, sharing.DirectoryMode(), [&] { return shown; });
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return Fail(MailError{"the store root " + shown.string() + " (group " +
                        std::to_string(st.st_gid) + ", mode " + mode +
                        ") does not let the store group (gid " + std::to_string(*sharing.group) +
                        ") create mailboxes; give it to the group with mode 2770 or 0770 "
                        "([mailstore] group)"});
}

// A mailbox written under its earlier, escaped name (`j%2Edoe` for `j.doe`) is renamed to its
// current name, atomically and only when the current name is free; true when it did.
Result<bool, MailError> AdoptEarlierName(int root, const fs::path& shown, std::string_view key,
                                         const std::string& name) {
  auto earlier = EscapedMailboxDirectoryName(key);
  if (!earlier || *earlier == name)
    return false;
  struct stat st {};
  if (::fstatat(root, earlier->c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT)
      return false;
    return Fail(SystemError("cannot stat", shown / *earlier, errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Fail(MailError{"refusing " + (shown / *earlier).string() +
                          ": not a directory (the earlier name of mailbox " + name + ")"});
  }
  if (::renameat2(root, earlier->c_str(), root, name.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) {
      return Fail(
          MailError{"mailbox " + (shown / name).string() + " and its earlier name " +
                    (shown / *earlier).string() +
                    " both exist; move the messages of the earlier one into the current one (see "
                    "docs/mail-system.md) and remove it"});
    }
    return Fail(SystemError("cannot rename", shown / *earlier, errno));
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<MaildirMailbox>, MailError> MaildirMailbox::Open(
    const MaildirOptions& options, std::string_view mailbox_key, MaildirSyncBatch* batch) {
  auto name = MailboxDirectoryName(mailbox_key);
  if (!name)
    return Fail(std::move(name.error()));
  std::unique_ptr<MaildirMailbox> box(new MaildirMailbox());
  box->options_ = options;
  if (box->options_.sync_batch == 0)
    box->options_.sync_batch = 1;
  if (batch == nullptr) {
    box->own_batch_ = std::make_unique<MaildirSyncBatch>(box->options_.sync_batch, options.sync);
    batch = box->own_batch_.get();
  }
  box->batch_ = batch;
  const Sharing sharing{options.group};
  std::error_code ec;
  const bool fresh_root = sharing.group && !fs::exists(options.root, ec) && !ec;
  auto root = batch->StoreRoot(options.root);
  if (!root)
    return Fail(std::move(root.error()));
  if (auto r = CheckStoreRoot(*root, options.root, sharing, fresh_root); !r)
    return Fail(std::move(r.error()));
  box->path_ = options.root / *name;
  auto adopted = AdoptEarlierName(*root, options.root, mailbox_key, *name);
  if (!adopted)
    return Fail(std::move(adopted.error()));
  if (*adopted) {
    if (auto r = batch->DirectoryChanged(*root, options.root); !r)
      return Fail(std::move(r.error()));
  }
  bool created = false;
  auto dir = OpenDirAt(*root, *name, true, options.root, sharing, &created);
  if (!dir)
    return Fail(std::move(dir.error()));
  if (created) {
    if (auto r = batch->DirectoryChanged(*root, options.root); !r)
      return Fail(std::move(r.error()));
  }
  if (::flock(dir->get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Fail(MailError{"mailbox " + box->path_.string() +
                                " is in use by another delivery (locked); try again later",
                            EWOULDBLOCK});
    }
    return Fail(SystemError("cannot lock", box->path_, errno));
  }
  box->mailbox_fd_ = dir->release();

  // Leftovers of ours in any tmp/ of this mailbox go now; a mailbox this call created has none.
  if (!created) {
    if (auto r = CleanMailboxTmp(box->mailbox_fd_, box->path_); !r)
      return Fail(std::move(r.error()));
  }
  if (auto inbox = box->OpenFolder(""); !inbox)
    return Fail(std::move(inbox.error()));
  return box;
}

MaildirMailbox::~MaildirMailbox() {
  if (batch_ != nullptr)
    batch_->Discard(this);
  if (mailbox_fd_ >= 0)
    ::close(mailbox_fd_);  // also releases the flock
}

std::size_t MaildirMailbox::queued() const {
  return batch_->queued();
}

Result<MaildirMailbox::Folder*, MailError> MaildirMailbox::OpenFolder(
    std::string_view folder_column) {
  std::string dir_name = MaildirFolderDirectory(folder_column);
  if (auto it = folders_.find(dir_name); it != folders_.end())
    return it->second.get();

  auto folder = std::make_unique<Folder>();
  folder->dir_name = dir_name;
  folder->path = dir_name.empty() ? path_ : path_ / dir_name;
  // The folder's own directory: the mailbox directory for INBOX, else the last level below.
  UniqueFd level_fd;
  int dir = mailbox_fd_;
  const Sharing sharing{options_.group};
  MaildirCreated created;
  if (dir_name.empty()) {
    auto made = EnsureMaildir(dir, path_, false, sharing);
    if (!made)
      return Fail(std::move(made.error()));
    created = *made;
    if (created.any) {
      if (auto r = batch_->DirectoryChanged(dir, path_); !r)
        return Fail(std::move(r.error()));
    }
  } else {
    // Parents first: ".A" before ".A.B", so IMAP clients see a proper hierarchy.
    for (std::size_t dot = dir_name.find('.', 1);; dot = dir_name.find('.', dot + 1)) {
      std::string level = dir_name.substr(0, dot);
      bool level_created = false;
      auto fd = OpenDirAt(mailbox_fd_, level, true, path_, sharing, &level_created);
      if (!fd)
        return Fail(std::move(fd.error()));
      auto made = EnsureMaildir(fd->get(), path_ / level, true, sharing);
      if (!made)
        return Fail(std::move(made.error()));
      if (level_created) {
        if (auto r = batch_->DirectoryChanged(mailbox_fd_, path_); !r)
          return Fail(std::move(r.error()));
      }
      if (level_created || made->any) {
        if (auto r = batch_->DirectoryChanged(fd->get(), path_ / level); !r)
          return Fail(std::move(r.error()));
      }
      if (dot == std::string::npos) {
        created = *made;
        level_fd = std::move(*fd);
        dir = level_fd.get();
        break;
      }
    }
  }
  auto cur = OpenDirAt(dir, "cur", false, folder->path, sharing);
  if (!cur)
    return Fail(std::move(cur.error()));
  folder->cur = std::move(*cur);
  auto tmp = OpenDirAt(dir, "tmp", false, folder->path, sharing);
  if (!tmp)
    return Fail(std::move(tmp.error()));
  folder->tmp = std::move(*tmp);
  // One scan per folder and run: what earlier runs delivered here (flags may have changed; a
  // mail server may also have added ",S=<size>" before the flags).
  // cur/ and new/ that were just created are empty: nothing to scan.
  if (!created.fresh) {
    for (const char* sub : {"cur", "new"}) {
      auto fd = OpenDirAt(dir, sub, false, folder->path, sharing);
      if (!fd)
        return Fail(std::move(fd.error()));
      auto names = List(fd->get(), folder->path / sub);
      if (!names)
        return Fail(std::move(names.error()));
      for (const std::string& name : *names) {
        if (name.rfind(kOurPrefix, 0) == 0)
          folder->present.insert(name.substr(0, name.find_first_of(":,")));
      }
    }
  }
  Folder* raw = folder.get();
  folders_.emplace(dir_name, std::move(folder));
  return raw;
}

Result<DeliveryOutcome, MailError> MaildirMailbox::Deliver(
    std::string_view folder_column, std::string_view identity, MaildirFlags flags,
    std::optional<std::chrono::sys_seconds> internal_date, const MessageWriter& write) {
  if (identity.empty())
    return Fail(MailError{"message has no identity"});
  auto opened = OpenFolder(folder_column);
  if (!opened)
    return Fail(std::move(opened.error()));
  Folder* folder = *opened;
  std::string unique = MaildirUniqueName(identity);
  if (folder->present.count(unique) != 0) {
    ++already_present_;
    return DeliveryOutcome::kAlreadyPresent;
  }
  // Only for messages: built when an error needs it, not per message.
  auto shown = [&] { return folder->path / "tmp" / unique; };
  UniqueFd fd(::openat(folder->tmp.get(), unique.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                       options_.group ? 0660 : 0600));
  if (fd.get() < 0)
    return Fail(SystemError("cannot create", shown(), errno));
  auto fail = [&](MailError error) -> Result<DeliveryOutcome, MailError> {
    fd.Reset();
    ::unlinkat(folder->tmp.get(), unique.c_str(), 0);
    return Fail(std::move(error));
  };
  if (const Sharing sharing{options_.group}; sharing.group) {
    if (auto r = sharing.Apply(fd.get(), sharing.FileMode(), shown); !r)
      return fail(std::move(r.error()));
  }
  FdSink sink(fd.get(), folder->path, unique);
  if (auto r = write(sink); !r) {
    return fail(MailError{"message " + std::string(identity) + " for " + folder->path.string() +
                          ": " + r.error().message});
  }
  if (internal_date) {
    timespec times[2];
    times[0].tv_sec = static_cast<time_t>(internal_date->time_since_epoch().count());
    times[0].tv_nsec = 0;
    times[1] = times[0];
    if (::futimens(fd.get(), times) != 0)
      return fail(SystemError("cannot set time of", shown(), errno));
  }
  if (::close(fd.release()) != 0) {
    int err = errno;
    ::unlinkat(folder->tmp.get(), unique.c_str(), 0);
    return Fail(SystemError("cannot write", shown(), err));
  }
  std::string final_name = unique + ":2,";
  if (flags.draft)
    final_name += 'D';
  if (flags.seen)
    final_name += 'S';
  folder->present.insert(unique);
  batch_->Add(MaildirSyncBatch::Message{this, &counts_, folder->tmp.get(), folder->cur.get(),
                                        unique, std::move(final_name), &folder->path});
  if (batch_->full()) {
    if (auto r = batch_->Advance(); !r)
      return Fail(std::move(r.error()));
  }
  return DeliveryOutcome::kQueued;
}

Result<void, MailError> MaildirMailbox::Flush() {
  return batch_->Flush();
}

}  // namespace ccm::importer
