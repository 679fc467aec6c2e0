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
// Pipelined (kSyncfs): a delivery that fills the batch calls Advance() instead of waiting for
// two syncs. Each Advance() starts one syncfs in the background and returns; the writer goes
// on with the next messages while the disk works. That syncfs serves two batches at once: it
// makes durable the names of the batch renamed just before it started and the bytes of the
// batch written just before it started. So at each Advance(), once the previous background
// sync has ended:
//   - the messages renamed before it started are counted (their names are durable),
//   - the messages written before it started are renamed (their bytes are durable),
//   - the messages written since become the next batch to rename, and the next sync starts.
// The rule above holds unchanged: nothing is renamed before a sync that started after it was
// written, nothing counted before a sync that started after it was renamed. Flush() drains the
// pipeline and waits. Settle() only collects what the running sync makes durable (for a writer
// that must stop without more syncs).
//
// Inputs: sync_batch (messages queued before Deliver() advances by itself) and the BatchSync
// strategy. Diagnostics: errors name the operation and the path. TEST_counts() reports how
// many sync calls were made, so tests can prove the batching without timing.
//
// Descriptors: the batch holds one per store root and file system, and with kSyncfs at most
// one per changed directory (only while a single directory changed: more are made durable by
// syncfs). Messages borrow their mailbox's tmp/ and cur/ descriptors until renamed.
//
// Thread safety: externally synchronized; the batch and all its mailboxes are used by one
// thread (the background syncfs touches only the batch's file-system descriptors). The batch
// must outlive the mailboxes opened with it; a mailbox destroyed while it has messages in the
// batch takes them out (not counted; see Discard()).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <future>
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

  /// Makes every queued message and changed directory durable and counted (steps 1–4 above,
  /// after the background sync, if any, has ended).
  Result<void, MailError> Flush();
  /// One step of the pipeline (see above): counts, renames, and starts the next sync without
  /// waiting for it. With kFdatasyncEach, the same as Flush().
  Result<void, MailError> Advance();
  /// Waits for the background sync, if any, and counts the messages whose names it made
  /// durable; starts no sync and renames nothing. For a writer ending after a failure.
  void Settle();
  /// Messages written and not yet counted (in any step), over all mailboxes.
  std::size_t queued() const { return messages_.size() + written_.size() + renamed_.size(); }
  /// Sync calls made so far.
  const SyncCounts& TEST_counts() const { return counts_; }

  // For MaildirMailbox (maildir_store.cpp) only.
  /// A mailbox's messages in the batch and those counted durable.
  struct Counts {
    std::uint64_t delivered = 0;
    std::size_t in_batch = 0;
  };
  struct Message {
    const void* owner;                    // the mailbox, for Discard()
    Counts* counts;                       // the mailbox's
    int tmp_dir;                          // owned by the mailbox
    int cur_dir;                          // owned by the mailbox
    std::string tmp_name;                 // in tmp/
    std::string final_name;               // in cur/
    const std::filesystem::path* folder;  // its directory, for messages (owned by the mailbox)
  };
  /// The store root's descriptor (owned by the batch): created and opened on first use, its
  /// file system remembered for step 1.
  Result<int, MailError> StoreRoot(const std::filesystem::path& root);
  /// Remembers that the entries of directory `fd` changed (it is fsynced at Flush()).
  Result<void, MailError> DirectoryChanged(int fd, const std::filesystem::path& shown);
  /// Queues a message written into tmp/.
  void Add(Message message);
  bool full() const { return messages_.size() >= sync_batch_; }
  /// Drops `owner`'s messages, uncounted: those still in tmp/ are removed; those already
  /// renamed stay in cur/ (a rerun finds them).
  void Discard(const void* owner);

 private:
  Result<void, MailError> AddFileSystem(int fd, const std::filesystem::path& shown);
  // What a syncfs needs, copied so that the background sync shares nothing with the writer.
  struct FileSystems {
    std::vector<int> descriptors;  // owned by the batch
    std::filesystem::path shown;
  };
  FileSystems SyncTargets() const;
  static Result<void, MailError> SyncFileSystems(const FileSystems& targets);
  Result<void, MailError> SyncData();
  Result<void, MailError> RenameWritten();
  bool SeveralChanged() const;
  Result<void, MailError> CurChanged(const Message& m);
  Result<void, MailError> SyncDirectories();
  Result<void, MailError> CompleteBackgroundSync();
  void TakeWritten();
  void CountRenamed();
  void ForgetChangedDirectories();

  std::size_t sync_batch_;
  BatchSync sync_;

  std::map<std::filesystem::path, int> roots_;  // store root -> its descriptor (owned)
  std::map<dev_t, int> file_systems_;           // device -> a descriptor on it (owned)
  // Directory path -> descriptor (owned; -1 once a second directory changed under kSyncfs).
  std::map<std::string, int> changed_;
  std::vector<Message> messages_;                    // in tmp/, written since the last sync started
  std::vector<Message> written_;                     // in tmp/, bytes durable once background_ ends
  std::vector<Message> renamed_;                     // in cur/, names durable once background_ ends
  std::future<Result<void, MailError>> background_;  // the running syncfs, if any
  SyncCounts counts_;
};

}  // namespace ccm::importer
