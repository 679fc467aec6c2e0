// maildir_sync_batch.h — one durable batch shared by many Maildir mailboxes (maildir_store.h).
//
// Why: an import spreads a few messages over each of thousands of new mailboxes. Making every
// mailbox (and every directory it creates) durable on its own costs ~20 fsyncs per user; a
// shared batch makes all of them durable together. Mailboxes opened with the same batch
// record here the files they wrote into tmp/ and the directories whose entries they changed
// (parents of directories and files they created); nothing is synced until Flush():
//   1. one syncfs() per file system of the batch (usually one) makes every written file and
//      every created directory durable (BatchSync::kFdatasyncEach: one fdatasync per file);
//   2. every message is renamed from tmp/ into cur/ (renameat2 RENAME_NOREPLACE);
//   3. the directories whose entries changed — each cur/ that received a message and each
//      parent of a created directory, deduplicated by path — are made durable: with kSyncfs
//      and more than one of them by a second syncfs (on ext4 every directory fsync issues its
//      own device cache flush), else by one fsync each;
//   4. only then is each message counted in its mailbox's delivered().
// A message is therefore never visible in cur/ before its bytes are durable, and never counted
// before its name is. A crash anywhere loses nothing that was counted.
//
// Inputs: sync_batch (messages queued before Deliver() flushes by itself) and the BatchSync
// strategy. Diagnostics: errors name the operation and the path. TEST_counts() reports how
// many sync calls were made, so tests can prove the batching without timing.
//
// Thread safety: externally synchronized; the batch and all its mailboxes are used by one
// thread. The batch must outlive the mailboxes opened with it (a mailbox drops its unsynced
// messages from the batch when destroyed).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "importer/content_source.h"

namespace ccm::importer {

/// How a batch's file contents are made durable before the renames.
enum class BatchSync {
  kSyncfs,         ///< one syncfs() for the whole batch (default; fastest measured)
  kFdatasyncEach,  ///< fdatasync() of each file of the batch, then the renames
};

/// Sync calls a batch made (for tests: batching is proven by counting, not timing).
struct SyncCounts {
  std::uint64_t syncfs = 0;     ///< syncfs() calls
  std::uint64_t fdatasync = 0;  ///< fdatasync() calls on message files
  std::uint64_t dir_fsync = 0;  ///< fsync() calls on directories
};

/// Durable batch of message deliveries and directory creations across mailboxes.
class MaildirSyncBatch {
 public:
  /// `sync_batch` messages make the batch full (0 is taken as 1).
  explicit MaildirSyncBatch(std::size_t sync_batch = 256, BatchSync sync = BatchSync::kSyncfs);
  /// Closes its descriptors; does not sync (unflushed messages belong to their mailboxes).
  ~MaildirSyncBatch();
  MaildirSyncBatch(const MaildirSyncBatch&) = delete;
  MaildirSyncBatch& operator=(const MaildirSyncBatch&) = delete;

  /// Makes every queued message and changed directory durable (steps 1–4 above).
  Result<void, MailError> Flush();
  /// Messages written but not yet synced, over all mailboxes.
  std::size_t queued() const { return messages_.size(); }
  /// Sync calls made so far.
  const SyncCounts& TEST_counts() const { return counts_; }

  // For MaildirMailbox (maildir_store.cpp) only.
  struct Message {
    const void* owner;       // the mailbox, for Discard()
    std::uint64_t* counter;  // the mailbox's delivered count
    int tmp_dir;             // owned by the mailbox
    int cur_dir;             // owned by the mailbox
    std::string tmp_name;    // in tmp/
    std::string final_name;  // in cur/
    std::filesystem::path cur_path;
  };
  /// The store root's descriptor (owned by the batch): created and opened on first use, its
  /// file system remembered for step 1.
  Result<int, MailError> StoreRoot(const std::filesystem::path& root);
  /// Remembers that the entries of directory `fd` changed (it is fsynced at Flush()).
  Result<void, MailError> DirectoryChanged(int fd, const std::filesystem::path& shown);
  /// Queues a message written into tmp/.
  void Add(Message message) { messages_.push_back(std::move(message)); }
  bool full() const { return messages_.size() >= sync_batch_; }
  /// Drops `owner`'s queued messages and removes their tmp files.
  void Discard(const void* owner);

 private:
  Result<void, MailError> SyncData();
  Result<void, MailError> SyncDirectories();

  std::size_t sync_batch_;
  BatchSync sync_;
  Result<void, MailError> AddFileSystem(int fd, const std::filesystem::path& shown);

  std::map<std::filesystem::path, int> roots_;  // store root -> its descriptor (owned)
  std::map<dev_t, int> file_systems_;           // device -> a descriptor on it (owned)
  std::map<std::string, int> changed_;          // directory path -> descriptor (owned)
  std::vector<Message> messages_;
  SyncCounts counts_;
};

}  // namespace ccm::importer
