// naive_set_delivery.cpp — ccm-naive-delivery: the like-for-like baseline of the import's
// mail delivery target (>= 10x a naive durable loop that writes, fsyncs, renames and fsyncs the
// folder for each message, over the SAME messages: --sync names). It delivers exactly the
// messages `ccmigrate import` delivers for a set, composed by the importer's own code, into a
// Maildir++ store the naive way: one message at a time, each fsynced on its own.
//
// Usage: ccm-naive-delivery --set PATH.pkl --root DIR [--source-timezone UTC] [--limit N]
//                           [--sync file|names|none] [--group NAME] [--compose-only]
//   --set              the set's packing list
//   --root             the store root; created if missing, refused unless empty (the numbers are
//                      for delivery into an empty store, as the import benchmark's)
//   --source-timezone  IANA zone of the set's dates (default UTC, as bench/import_throughput's
//                      [import] source_timezone)
//   --limit            stop after N messages
//   --sync             what is made durable, one call at a time:
//                        file   (default) fsync each message file before its rename (write,
//                               fsync, rename: a cheaper reference than the target's loop);
//                        names  also fsync cur/ after each rename and each parent after each
//                               directory it creates: the target's naive durable loop, and the
//                               import's own guarantee (a message is counted only when its bytes
//                               AND its name are on disk), naively;
//                        none   no sync at all: not durable, the file-system floor that no
//                               durable strategy can beat on this disk (one thread)
//   --group            [mailstore] group of the import: every directory and file it creates is
//                      given to group NAME with modes 0770 / 0660 (fchown + fchmod on the new
//                      entry, as importer/maildir_store.cpp does), and the root, when it does not
//                      let the group create mailboxes, too; the group must pass
//                      ResolveStoreGroup (this process is a member), as the import's. The naive
//                      loop then pays what a naive deliverer sharing the store with the mail
//                      server pays; the store's names and bytes are the same
//   --compose-only     compose every message into a discarded sink, touch no file system: the
//                      composition CPU alone, to separate it from the file-system cost
// Prints one line on stdout:
//   naive-set (sync MODE): N messages, M mailboxes, T s, R msg/s
//   compose-only: N messages, T s, R msg/s
// Exit 0; 1 on a delivery error or a record that could not be converted (named on stderr, as
// the import would warn and continue; the run continues too and exits 1 at the end); 2 on
// usage errors, an unreadable or invalid set, or a non-empty root.
//
// Which messages, in which order (as importer/import_job.cpp's Job::Run): the set is validated
// by parser::ScanFileSet with the import's default options and refused when invalid; users come
// from UsersOfSet (users without mail — the in-memory Q194218 fix — get no mailbox, as the
// import opens one on its first message); each user's MAILMESSAGE sections come from
// importer::MailSectionsOf, as the import's, and are read through SetMessageSource::OpenSection.
// Every user is taken to receive mail (a set whose users all convert or are mailboxes, like
// the generated benchmark set); PublicMessages sections are not delivered (the import delivers
// them only with [mailstore] public_root) and PAB sections never are.
//
// Where (as importer/maildir_store.cpp): the mailbox directory is MailboxDirectoryName of the
// owner's normalised address (the import uses the directory entry's ccmMailStore key, which
// needs LDAP; the number of mailboxes and folders is the same), INBOX is <mailbox>/{cur,new,tmp}
// and is created with the mailbox, each folder is MaildirFolderDirectory(Folder column) with
// every level (.A, .A.B) a Maildir of its own holding an empty `maildirfolder` file, created on
// first use. Message files are <tmp|cur>/MaildirUniqueName(identity), renamed into cur/ with
// ":2," + D (unsent) + S (read), mtime = received (else sent) time, files 0600, dirs 0700
// (with --group: given to the group, files 0660, dirs 0770).
//
// The naive strategy, per message: (first message of a user) mkdirat the mailbox and its INBOX
// directories; (first message into a folder) mkdirat each level, its cur/new/tmp and its
// maildirfolder file (with --group each is given to the group; with --sync names each creation
// is then followed by an fsync of its parent); then openat tmp/<unique> O_CREAT|O_EXCL|O_NOFOLLOW
// (with --group, fchown + fchmod), compose straight into the descriptor
// (through the composer's own 64 KiB buffering, as the store does), futimens, fsync (not with
// --sync none), close, renameat into cur/ (with --sync names, then fsync of cur/). A message
// counts after its rename. No batching of any kind.
//
// Timing covers what report.json's "deliver" timing covers in the import: from opening the
// set's message source to the last rename (validation is outside both).
//
// Security: a benchmark tool; paths below the root come only from maildir_names.h and are
// opened relative to their parent's descriptor with O_NOFOLLOW, as in the store.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "importer/maildir_names.h"
#include "importer/message_identity.h"
#include "importer/migrating_user.h"
#include "importer/mime_message.h"
#include "importer/set_messages.h"
#include "importer/source_time.h"
#include "importer/store_group.h"
#include "parser/byte_source.h"
#include "parser/file_set.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ccm::Fail;
using ccm::Result;
using ccm::importer::MailError;

constexpr const char* kUsage =
    "usage: ccm-naive-delivery --set PATH.pkl --root DIR [--source-timezone UTC] [--limit N] "
    "[--sync file|names|none] [--group NAME] [--compose-only]\n";

enum class SyncMode { kFile, kNames, kNone };

// How the loop makes entries: what it syncs, and the store group it gives them to (if any).
struct Policy {
  SyncMode sync = SyncMode::kFile;
  std::optional<gid_t> group;

  mode_t DirectoryMode() const { return group ? 0770 : 0700; }
  mode_t FileMode() const { return group ? 0660 : 0600; }
};

struct Options {
  fs::path pkl;
  fs::path root;
  std::string zone = "UTC";
  std::optional<std::uint64_t> limit;
  bool compose_only = false;
  SyncMode sync = SyncMode::kFile;
  std::string group;  // empty: none
};

Result<Options, std::string> ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--compose-only") {
      o.compose_only = true;
      continue;
    }
    if (i + 1 >= argc)
      return Fail("missing value for " + arg);
    std::string value = argv[++i];
    if (arg == "--set") {
      o.pkl = value;
    } else if (arg == "--root") {
      o.root = value;
    } else if (arg == "--sync") {
      if (value == "file") {
        o.sync = SyncMode::kFile;
      } else if (value == "names") {
        o.sync = SyncMode::kNames;
      } else if (value == "none") {
        o.sync = SyncMode::kNone;
      } else {
        return Fail("--sync: file, names or none, not " + value);
      }
    } else if (arg == "--group") {
      if (value.empty())
        return Fail(std::string("--group: empty group name"));
      o.group = value;
    } else if (arg == "--source-timezone") {
      o.zone = value;
    } else if (arg == "--limit") {
      char* end = nullptr;
      errno = 0;
      unsigned long long n = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || errno != 0 || value.front() == '-')
        return Fail("--limit: not a number: " + value);
      o.limit = n;
    } else {
      return Fail("unknown option " + arg);
    }
  }
  if (o.pkl.empty())
    return Fail(std::string("--set is required"));
  if (o.root.empty() && !o.compose_only)
    return Fail(std::string("--root is required (unless --compose-only)"));
  return o;
}

class FdCloser {
 public:
  explicit FdCloser(int fd = -1) : fd_(fd) {}
  FdCloser(FdCloser&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FdCloser& operator=(FdCloser&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~FdCloser() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string SystemError(const std::string& what, const fs::path& where, int err) {
  return what + " " + where.string() + ": " + std::strerror(err);
}

// fsync of a directory whose entries changed (SyncMode::kNames only).
Result<void, std::string> SyncNames(int dir, const fs::path& shown, const Policy& policy) {
  if (policy.sync == SyncMode::kNames && ::fsync(dir) != 0)
    return Fail(SystemError("cannot fsync", shown, errno));
  return {};
}

// Gives a new entry (open as `fd`) to the store group with `mode`, whatever the umask, as the
// store's Sharing::Apply does; nothing without a group.
Result<void, std::string> GiveToGroup(int fd, mode_t mode, const fs::path& shown,
                                      const Policy& policy) {
  if (!policy.group)
    return {};
  if (::fchown(fd, static_cast<uid_t>(-1), *policy.group) != 0)
    return Fail(SystemError("cannot give to the store group", shown, errno));
  if (::fchmod(fd, mode) != 0)
    return Fail(SystemError("cannot set the mode of", shown, errno));
  return {};
}

// mkdirat (an existing directory is fine: two owners may share a mailbox name), then open it;
// a new one is given to the group, then its name made durable.
Result<FdCloser, std::string> MakeDir(int parent, const std::string& name, const fs::path& shown,
                                      const Policy& policy) {
  const bool made = ::mkdirat(parent, name.c_str(), policy.DirectoryMode()) == 0;
  if (!made && errno != EEXIST)
    return Fail(SystemError("cannot create", shown, errno));
  FdCloser fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0)
    return Fail(SystemError("cannot open", shown, errno));
  if (made) {
    if (auto r = GiveToGroup(fd.get(), policy.DirectoryMode(), shown, policy); !r)
      return Fail(std::move(r.error()));
    if (auto r = SyncNames(parent, shown.parent_path(), policy); !r)
      return Fail(std::move(r.error()));
  }
  return fd;
}

// A Maildir's cur/new/tmp (and maildirfolder for a folder); keeps tmp/ and cur/ open.
struct NaiveFolder {
  fs::path path;
  FdCloser tmp, cur;
};

Result<NaiveFolder, std::string> MakeMaildir(int dir, const fs::path& shown, bool folder,
                                             const Policy& policy) {
  NaiveFolder f;
  f.path = shown;
  auto cur = MakeDir(dir, "cur", shown / "cur", policy);
  if (!cur)
    return Fail(std::move(cur.error()));
  auto fresh = MakeDir(dir, "new", shown / "new", policy);
  if (!fresh)
    return Fail(std::move(fresh.error()));
  auto tmp = MakeDir(dir, "tmp", shown / "tmp", policy);
  if (!tmp)
    return Fail(std::move(tmp.error()));
  if (folder) {
    FdCloser fd(::openat(dir, "maildirfolder", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                         policy.FileMode()));
    if (fd.get() < 0)
      return Fail(SystemError("cannot create", shown / "maildirfolder", errno));
    if (auto r = GiveToGroup(fd.get(), policy.FileMode(), shown / "maildirfolder", policy); !r)
      return Fail(std::move(r.error()));
    if (auto r = SyncNames(dir, shown, policy); !r)
      return Fail(std::move(r.error()));
  }
  f.cur = std::move(*cur);
  f.tmp = std::move(*tmp);
  return f;
}

// Writes composed bytes straight into a descriptor.
class FdSink final : public ccm::importer::MessageSink {
 public:
  FdSink(int fd, const fs::path& shown) : fd_(fd), shown_(shown) {}
  Result<void, MailError> Write(std::string_view bytes) override {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return Fail(MailError{SystemError("cannot write", shown_, errno)});
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }

 private:
  int fd_;
  const fs::path& shown_;
};

// Takes the bytes and forgets them (--compose-only).
class DiscardSink final : public ccm::importer::MessageSink {
 public:
  Result<void, MailError> Write(std::string_view bytes) override {
    bytes_ += bytes.size();
    return {};
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::uint64_t bytes_ = 0;
};

// One user's mailbox, delivered to naively; folders are created on first use.
class NaiveMailbox {
 public:
  static Result<NaiveMailbox, std::string> Open(int root_fd, const fs::path& root,
                                                const std::string& owner_key,
                                                const Policy& policy) {
    auto name = ccm::importer::MailboxDirectoryName(owner_key);
    if (!name)
      return Fail("mailbox for " + owner_key + ": " + name.error().message);
    NaiveMailbox box;
    box.policy_ = policy;
    box.path_ = root / *name;
    auto dir = MakeDir(root_fd, *name, box.path_, policy);
    if (!dir)
      return Fail(std::move(dir.error()));
    auto inbox = MakeMaildir(dir->get(), box.path_, false, policy);
    if (!inbox)
      return Fail(std::move(inbox.error()));
    box.dir_ = std::move(*dir);
    box.folders_.emplace("", std::move(*inbox));
    return box;
  }

  Result<void, std::string> Deliver(std::string_view folder_column,
                                    ccm::importer::MailMessage& message) {
    if (message.identity.empty())
      return Fail("message without identity for " + path_.string());
    auto folder = Folder(ccm::importer::MaildirFolderDirectory(folder_column));
    if (!folder)
      return Fail(std::move(folder.error()));
    const std::string unique = ccm::importer::MaildirUniqueName(message.identity);
    const fs::path shown = (*folder)->path / "tmp" / unique;
    FdCloser fd(::openat((*folder)->tmp.get(), unique.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, policy_.FileMode()));
    if (fd.get() < 0)
      return Fail(SystemError("cannot create", shown, errno));
    if (auto r = GiveToGroup(fd.get(), policy_.FileMode(), shown, policy_); !r)
      return Fail(std::move(r.error()));
    FdSink sink(fd.get(), shown);
    if (auto r = ccm::importer::ComposeMessage(message, sink); !r)
      return Fail(shown.string() + ": " + r.error().message);
    if (auto arrival = message.received ? message.received : message.sent) {
      timespec times[2];
      times[0].tv_sec = static_cast<time_t>(arrival->time_since_epoch().count());
      times[0].tv_nsec = 0;
      times[1] = times[0];
      if (::futimens(fd.get(), times) != 0)
        return Fail(SystemError("cannot set time of", shown, errno));
    }
    if (policy_.sync != SyncMode::kNone && ::fsync(fd.get()) != 0)
      return Fail(SystemError("cannot fsync", shown, errno));
    if (::close(fd.release()) != 0)
      return Fail(SystemError("cannot close", shown, errno));
    std::string final_name = unique + ":2,";
    if (message.unsent)
      final_name += 'D';
    if (!message.unread)
      final_name += 'S';
    if (::renameat((*folder)->tmp.get(), unique.c_str(), (*folder)->cur.get(),
                   final_name.c_str()) != 0) {
      return Fail(SystemError("cannot rename into", (*folder)->path / "cur" / final_name, errno));
    }
    return SyncNames((*folder)->cur.get(), (*folder)->path / "cur", policy_);
  }

 private:
  NaiveMailbox() = default;

  // The folder's Maildir, creating ".A" before ".A.B" (each a Maildir) the first time.
  Result<NaiveFolder*, std::string> Folder(const std::string& dir_name) {
    if (auto it = folders_.find(dir_name); it != folders_.end())
      return &it->second;
    std::optional<NaiveFolder> made;
    for (std::size_t dot = dir_name.find('.', 1);; dot = dir_name.find('.', dot + 1)) {
      const std::string level = dir_name.substr(0, dot);
      auto fd = MakeDir(dir_.get(), level, path_ / level, policy_);
      if (!fd)
        return Fail(std::move(fd.error()));
      auto maildir = MakeMaildir(fd->get(), path_ / level, true, policy_);
      if (!maildir)
        return Fail(std::move(maildir.error()));
      if (dot == std::string::npos) {
        made = std::move(*maildir);
        break;
      }
    }
    return &folders_.emplace(dir_name, std::move(*made)).first->second;
  }

  Policy policy_;
  fs::path path_;
  FdCloser dir_;
  std::map<std::string, NaiveFolder> folders_;  // by directory name; "" = INBOX
};

[[noreturn]] void Exit(int code, const std::string& message) {
  std::fprintf(stderr, "ccm-naive-delivery: %s\n", message.c_str());
  std::exit(code);
}

struct Totals {
  std::uint64_t messages = 0;
  std::uint64_t mailboxes = 0;
  std::uint64_t failed = 0;
};

// The import's users with their MAILMESSAGE sections, in the order the import delivers them.
std::vector<std::pair<std::string, std::vector<const ccm::parser::SectionInfo*>>> OwnersInOrder(
    const ccm::parser::FileSetScan& scan) {
  auto by_owner = ccm::importer::MailSectionsOf(scan).by_owner;
  std::vector<std::pair<std::string, std::vector<const ccm::parser::SectionInfo*>>> out;
  for (const ccm::importer::MigratingUser& user : ccm::importer::UsersOfSet(scan))
    out.emplace_back(user.match_key, by_owner[user.match_key]);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = ParseArgs(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "ccm-naive-delivery: %s\n%s", parsed.error().c_str(), kUsage);
    return 2;
  }
  const Options& o = *parsed;
  auto zone = o.zone == "UTC" ? Result<ccm::importer::TimeZone, ccm::importer::TimeError>(
                                    ccm::importer::TimeZone::Utc())
                              : ccm::importer::TimeZone::Load(o.zone);
  if (!zone)
    Exit(2, "--source-timezone " + o.zone + ": " + zone.error().message);

  // Validation, as the import: default reader options, no accounts file, refused when invalid.
  fs::path set_dir = o.pkl.parent_path().empty() ? fs::path(".") : o.pkl.parent_path();
  auto dir = ccm::parser::DiskDirectory::OpenPath(set_dir.string());
  if (!dir)
    Exit(2, "cannot open the set " + set_dir.string() + ": " + dir.error().message);
  ccm::parser::DiagnosticSink sink(1000);
  ccm::parser::ScanOptions scan_options;
  auto scan = ccm::parser::ScanFileSet(**dir, o.pkl.filename().string(), scan_options, sink);
  if (!scan)
    Exit(2, "invalid set " + o.pkl.string() + ": " + scan.error().ToString());
  if (!scan->valid || sink.errors() > 0) {
    Exit(2, "invalid set " + o.pkl.string() + ": " + std::to_string(sink.errors()) + " error(s)");
  }

  Policy policy;
  policy.sync = o.sync;
  if (!o.group.empty()) {
    auto gid = ccm::importer::ResolveStoreGroup(o.group);
    if (!gid)
      Exit(2, "--group " + o.group + ": " + gid.error());
    policy.group = *gid;
  }
  FdCloser root_fd;
  if (!o.compose_only) {
    std::error_code ec;
    fs::create_directories(o.root, ec);
    if (ec)
      Exit(2, "cannot create " + o.root.string() + ": " + ec.message());
    if (!fs::is_empty(o.root, ec) || ec)
      Exit(2, "refusing " + o.root.string() + ": not an empty directory");
    root_fd = FdCloser(::open(o.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root_fd.get() < 0)
      Exit(2, SystemError("cannot open", o.root, errno));
    // As the store's CheckStoreRoot for a root it made: given to the group unless it already
    // lets the group create mailboxes.
    struct stat st {};
    if (policy.group && ::fstat(root_fd.get(), &st) == 0 &&
        !ccm::importer::GroupCanUseStoreRoot(st, *policy.group)) {
      if (auto r = GiveToGroup(root_fd.get(), policy.DirectoryMode(), o.root, policy); !r)
        Exit(2, r.error());
    }
  }

  Totals totals;
  DiscardSink discard;
  ccm::parser::ReaderOptions reader;
  const auto start = Clock::now();
  auto source = ccm::importer::SetMessageSource::Open(**dir, *scan, *zone, reader);
  if (!source)
    Exit(2, o.pkl.string() + ": " + source.error().message);
  bool done = false;
  for (auto& [owner_key, sections] : OwnersInOrder(*scan)) {
    std::optional<NaiveMailbox> mailbox;
    for (const ccm::parser::SectionInfo* section : sections) {
      if (done)
        break;
      auto stream = (*source)->OpenSection(*section, sink);
      if (!stream)
        Exit(1, "reading " + section->file + ": " + stream.error().message);
      for (;;) {
        if (o.limit && totals.messages >= *o.limit) {
          done = true;
          break;
        }
        auto next = (*stream)->Next();
        if (!next) {
          ++totals.failed;
          std::fprintf(stderr, "ccm-naive-delivery: %s; message not delivered\n",
                       next.error().message.c_str());
          continue;
        }
        if (!next->has_value())
          break;
        ccm::importer::SetMessage& m = **next;
        if (o.compose_only) {
          if (auto r = ccm::importer::ComposeMessage(m.message, discard); !r)
            Exit(1, m.origin + ": " + r.error().message);
          ++totals.messages;
          continue;
        }
        if (!mailbox) {
          auto opened = NaiveMailbox::Open(root_fd.get(), o.root, owner_key, policy);
          if (!opened)
            Exit(1, opened.error());
          mailbox.emplace(std::move(*opened));
          ++totals.mailboxes;
        }
        if (auto r = mailbox->Deliver(m.folder, m.message); !r)
          Exit(1, m.origin + ": " + r.error());
        ++totals.messages;
      }
    }
    if (done)
      break;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double rate = seconds > 0 ? static_cast<double>(totals.messages) / seconds : 0.0;
  if (o.compose_only) {
    std::printf("compose-only: %llu messages, %.3f s, %.0f msg/s\n",
                static_cast<unsigned long long>(totals.messages), seconds, rate);
    std::fprintf(stderr, "ccm-naive-delivery: composed %llu bytes\n",
                 static_cast<unsigned long long>(discard.bytes()));
  } else {
    std::printf("naive-set (sync %s): %llu messages, %llu mailboxes, %.3f s, %.0f msg/s\n",
                o.sync == SyncMode::kFile    ? "file"
                : o.sync == SyncMode::kNames ? "names"
                                             : "none",
                static_cast<unsigned long long>(totals.messages),
                static_cast<unsigned long long>(totals.mailboxes), seconds, rate);
  }
  if (totals.failed > 0) {
    std::fprintf(stderr, "ccm-naive-delivery: %llu message(s) could not be converted\n",
                 static_cast<unsigned long long>(totals.failed));
    return 1;
  }
  return 0;
}
