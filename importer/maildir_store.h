// maildir_store.h — durable, idempotent delivery of composed messages into one user's Maildir++
// mailbox under the store root ([mailstore] root).
//
// Layout: ROOT/<MailboxDirectoryName(key)>/{cur,new,tmp} is INBOX (for a ccmMailStore value,
// ROOT/<value>: a mailbox found under its earlier, escaped name is renamed to it at Open(),
// unless both exist, which is an error naming both); folders are Maildir++
// subdirectories ROOT/<mailbox>/.A.B/{cur,new,tmp} with an empty `maildirfolder` file, created
// as needed together with their parents (.A); names from maildir_names.h.
//
// A message is written to tmp/<unique> and renamed to cur/<unique>:2,<flags> (flags D = unsent
// draft, S = read; none for an unread message). <unique> is "ccm-" + 128 bits of SHA-256 of the
// message identity, so a rerun finds it: each folder's cur/ and new/ are scanned once, on first
// use, for names starting with our prefix (the part before ':' — flags may have changed since),
// and a message whose identity is already there is not written again. A mailbox or folder
// that this run created is known empty: no scan, no tmp/ cleaning (delivery into new mailboxes
// is bound by directory creation, ~11 per user in a typical set, so nothing else is done there).
//
// Durability (batched, maildir_sync_batch.h): Deliver() writes the file into tmp/ and queues it
// in the mailbox's MaildirSyncBatch — its own, or one shared by many mailboxes (an import);
// directories are created without a sync and their parents recorded in the batch. On Flush(),
// the whole batch is made durable at once: one syncfs() of the file system (or one fdatasync
// per file, BatchSync::kFdatasyncEach), then the renames into cur/, then one fsync per
// directory whose entries changed (or a second syncfs). Every `sync_batch` messages the batch
// advances instead: the same steps, pipelined, with the syncs in the background (see there).
// Only a message whose name is durable is counted delivered(). A crash before that loses
// nothing that was reported: the next Open() deletes our leftovers in tmp/ and the rerun
// writes them (and any lost directory) again.
//
// Security: every directory and file below the root is opened relative to its parent's
// descriptor with O_NOFOLLOW (files also O_EXCL), so a symlink planted in the store can never
// lead outside the root; names are single sanitised components. The mailbox directory is
// flock()ed while open: a second writer for the same mailbox gets an error instead of racing.
// Files are created 0600, directories 0700.
//
// Sharing with the mail server (MaildirOptions::group, [mailstore] group): every directory and
// file this code creates is given to the group and made group-readable and -writable (0660,
// directories 0770) with fchown/fchmod on its descriptor, whatever the umask. No set-group-ID
// bit is used (a sandbox with RestrictSUIDSGID= forbids it), and nothing the mail server
// created is changed: its index and uidlist files are never opened, its own tmp/ files are
// left alone, and a message it renamed to change flags is still recognised by its unique name
// (the part before ':' or ','). Open() refuses a store root the group cannot use (see
// GroupCanUseStoreRoot), so no mailbox is created where the mail server could not reach it; a
// root that Open() itself creates is given to the group.
//
// Thread safety: a MaildirMailbox is externally synchronized (one thread delivers to it).
// Different mailboxes may be used from different threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importer/content_source.h"
#include "importer/maildir_sync_batch.h"

namespace ccm::importer {

/// Store settings (from [mailstore]).
struct MaildirOptions {
  std::filesystem::path root;    ///< created if missing
  std::size_t sync_batch = 256;  ///< messages per durable batch (>= 1)
  BatchSync sync = BatchSync::kSyncfs;
  std::optional<gid_t> group;  ///< the store group; nullopt = private files (0600/0700)
};

/// Maildir flags of a delivered message.
struct MaildirFlags {
  bool seen = false;   ///< S: the message was read (cc:Mail Unread = FALSE)
  bool draft = false;  ///< D: the message was never sent (cc:Mail Unsent = TRUE)
};

/// What Deliver() did with a message.
enum class DeliveryOutcome {
  kQueued,          ///< written to tmp/; delivered at the next batch sync (Flush)
  kAlreadyPresent,  ///< its identity is already in this folder (an earlier run delivered it)
};

/// Writes a message's bytes into the sink it is given.
using MessageWriter = std::function<Result<void, MailError>(MessageSink&)>;

/// One user's Maildir++ mailbox, open for delivery.
class MaildirMailbox {
 public:
  /// Opens (creating as needed) the mailbox for `mailbox_key` under options.root, locks it and
  /// removes stale files of ours from its tmp/ directories. With `batch`, the mailbox's
  /// messages and directories become durable with that shared batch (which must outlive the
  /// mailbox; its sync_batch and strategy apply); without, the mailbox has its own, made from
  /// options.
  static Result<std::unique_ptr<MaildirMailbox>, MailError> Open(const MaildirOptions& options,
                                                                 std::string_view mailbox_key,
                                                                 MaildirSyncBatch* batch = nullptr);
  /// Unflushed messages are discarded (their tmp files removed; they were never reported
  /// delivered). Call Flush() first.
  ~MaildirMailbox();
  MaildirMailbox(const MaildirMailbox&) = delete;
  MaildirMailbox& operator=(const MaildirMailbox&) = delete;

  /// Delivers one message into the folder named by a `Folder` column value, unless its identity
  /// is already there. `internal_date` (the received time) becomes the file's mtime, which
  /// IMAP servers report as the arrival date.
  Result<DeliveryOutcome, MailError> Deliver(std::string_view folder, std::string_view identity,
                                             MaildirFlags flags,
                                             std::optional<std::chrono::sys_seconds> internal_date,
                                             const MessageWriter& write);

  /// Makes every queued message of the batch (with a shared batch: of all its mailboxes)
  /// durable and visible; afterwards delivered() counts them.
  Result<void, MailError> Flush();

  /// Messages durably delivered by this object (after a batch sync).
  std::uint64_t delivered() const { return counts_.delivered; }
  /// Messages written and not yet counted (in the batch, at any step). A mailbox destroyed
  /// with some drops them uncounted.
  std::size_t in_batch() const { return counts_.in_batch; }
  /// Descriptors the mailbox holds open (its directory, and tmp/ and cur/ of each folder used).
  std::size_t descriptors() const { return 1 + 2 * folders_.size(); }
  /// Messages skipped because an earlier run had delivered them.
  std::uint64_t already_present() const { return already_present_; }
  /// Messages written and not yet counted (with a shared batch: of all its mailboxes).
  std::size_t queued() const;
  /// The mailbox directory (for reports).
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Folder;
  MaildirMailbox() = default;
  Result<Folder*, MailError> OpenFolder(std::string_view folder_column);

  MaildirOptions options_;
  std::filesystem::path path_;
  int mailbox_fd_ = -1;
  std::map<std::string, std::unique_ptr<Folder>, std::less<>> folders_;  // by directory name
  std::unique_ptr<MaildirSyncBatch> own_batch_;  // when Open() was given none
  MaildirSyncBatch* batch_ = nullptr;
  MaildirSyncBatch::Counts counts_;
  std::uint64_t already_present_ = 0;
};

}  // namespace ccm::importer
