// maildir_sync_batch_test.cpp — a batch shared by many mailboxes makes their messages and new
// directories durable together: proven by counting sync calls (TEST_counts), not by timing.
// Also: nothing is visible in cur/ or counted before the flush, the fdatasync strategy, and a
// mailbox destroyed before the flush takes only its own messages out of the batch.
#include "importer/maildir_sync_batch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "importer/maildir_names.h"
#include "importer/maildir_store.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;

using ccm::test::TempDir;

std::size_t Count(const fs::path& dir) {
  if (!fs::exists(dir))
    return 0;
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

MessageWriter Bytes(std::string text) {
  return [text](MessageSink& sink) { return sink.Write(text); };
}

std::string Key(std::size_t i) {
  return "user" + std::to_string(i) + "@example.test";
}

// Opens `users` mailboxes with `batch` and delivers one message each into INBOX, Sent Items
// and Projects\Cutover (when `folders`), or only INBOX.
std::vector<std::unique_ptr<MaildirMailbox>> DeliverToMany(const fs::path& root,
                                                           MaildirSyncBatch& batch,
                                                           std::size_t users, bool folders,
                                                           const std::string& run) {
  std::vector<std::unique_ptr<MaildirMailbox>> boxes;
  for (std::size_t i = 0; i < users; ++i) {
    auto box = MaildirMailbox::Open({root, 100000, BatchSync::kSyncfs, {}}, Key(i), &batch);
    EXPECT_TRUE(box.ok()) << (box.ok() ? "" : box.error().message);
    if (!box.ok())
      return boxes;
    std::vector<std::string> targets = {""};
    if (folders)
      targets = {"", "Sent Items", "Projects\\Cutover"};
    for (const std::string& folder : targets) {
      auto r = (*box)->Deliver(folder, run + Key(i) + folder, {}, std::nullopt, Bytes("x\n"));
      EXPECT_TRUE(r.ok());
      EXPECT_EQ(*r, DeliveryOutcome::kQueued);
    }
    boxes.push_back(std::move(*box));
  }
  return boxes;
}

TEST(MaildirSyncBatch, ManyNewMailboxesCostTwoSyncfsAndNoDirectoryFsync) {
  TempDir dir;
  constexpr std::size_t kUsers = 20;
  MaildirSyncBatch batch(100000, BatchSync::kSyncfs);
  auto boxes = DeliverToMany(dir.path(), batch, kUsers, true, "a");
  ASSERT_EQ(boxes.size(), kUsers);

  // 20 mailboxes x 13 new directories each, 60 messages: no sync call yet, nothing visible.
  EXPECT_EQ(batch.TEST_counts().syncfs, 0u);
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 0u);
  EXPECT_EQ(batch.queued(), 3 * kUsers);
  fs::path first = dir.path() / *MailboxDirectoryName(Key(0));
  EXPECT_EQ(Count(first / "cur"), 0u);
  EXPECT_EQ(Count(first / "tmp"), 1u);
  EXPECT_EQ(boxes[0]->delivered(), 0u);

  ASSERT_TRUE(batch.Flush().ok());
  // One syncfs for the data and the new directories, one for the renames: per batch, not per
  // mailbox or directory.
  EXPECT_EQ(batch.TEST_counts().syncfs, 2u);
  EXPECT_EQ(batch.TEST_counts().fdatasync, 0u);
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 0u);
  EXPECT_EQ(batch.queued(), 0u);
  for (const auto& box : boxes)
    EXPECT_EQ(box->delivered(), 3u);
  EXPECT_EQ(Count(first / "cur"), 1u);
  EXPECT_EQ(Count(first / ".Sent" / "cur"), 1u);
  EXPECT_EQ(Count(first / ".Projects.Cutover" / "cur"), 1u);
  EXPECT_EQ(Count(first / "tmp"), 0u);

  // A second flush with nothing queued costs nothing.
  ASSERT_TRUE(batch.Flush().ok());
  EXPECT_EQ(batch.TEST_counts().syncfs, 2u);
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 0u);
}

TEST(MaildirSyncBatch, OneMailboxCostsOneSyncfsAndOneFsyncOfItsCur) {
  TempDir dir;
  MaildirSyncBatch batch(100000);
  {
    auto boxes = DeliverToMany(dir.path(), batch, 1, false, "a");
    ASSERT_TRUE(batch.Flush().ok());  // new mailbox: root and mailbox directory changed too
  }
  auto boxes = DeliverToMany(dir.path(), batch, 1, false, "b");
  ASSERT_TRUE(batch.Flush().ok());
  EXPECT_EQ(batch.TEST_counts().syncfs, 3u);  // 2 for the new mailbox, 1 now
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 1u);
  EXPECT_EQ(boxes[0]->delivered(), 1u);
}

TEST(MaildirSyncBatch, ExistingMailboxesCostNoDirectoryWork) {
  TempDir dir;
  constexpr std::size_t kUsers = 10;
  {
    MaildirSyncBatch first(100000);
    auto boxes = DeliverToMany(dir.path(), first, kUsers, true, "a");
    ASSERT_TRUE(first.Flush().ok());
  }
  MaildirSyncBatch batch(100000);
  auto boxes = DeliverToMany(dir.path(), batch, kUsers, false, "b");
  ASSERT_TRUE(batch.Flush().ok());
  EXPECT_EQ(batch.TEST_counts().syncfs, 2u);
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 0u);
  for (const auto& box : boxes)
    EXPECT_EQ(box->delivered(), 1u);
}

std::size_t InCur(const fs::path& root, const std::string& key) {
  return Count(root / *MailboxDirectoryName(key) / "cur");
}

TEST(MaildirSyncBatch, FullBatchesAdvanceThePipelineOneBackgroundSyncEach) {
  TempDir dir;
  MaildirSyncBatch batch(4);
  auto boxes = DeliverToMany(dir.path(), batch, 3, false, "a");  // 3 messages: not full
  EXPECT_EQ(batch.TEST_counts().syncfs, 0u);
  auto more = MaildirMailbox::Open({dir.path(), 4, BatchSync::kSyncfs, {}}, Key(0) + "x", &batch);
  ASSERT_TRUE(more.ok());
  auto deliver_more = [&](int from, int to) {
    for (int i = from; i <= to; ++i) {
      auto r = (*more)->Deliver("", "m" + std::to_string(i), {}, std::nullopt, Bytes("x\n"));
      ASSERT_TRUE(r.ok());
    }
  };

  deliver_more(1, 1);  // the 4th message: full, one sync starts in the background
  EXPECT_EQ(batch.TEST_counts().syncfs, 1u);
  EXPECT_EQ(InCur(dir.path(), Key(0)), 0u);  // not renamed before that sync has ended
  EXPECT_EQ(boxes[0]->delivered(), 0u);
  EXPECT_EQ(batch.queued(), 4u);

  deliver_more(2, 5);  // full again: the first 4 are renamed, another sync starts
  EXPECT_EQ(batch.TEST_counts().syncfs, 2u);
  EXPECT_EQ(InCur(dir.path(), Key(0)), 1u);
  EXPECT_EQ(InCur(dir.path(), Key(0) + "x"), 1u);
  for (const auto& box : boxes)
    EXPECT_EQ(box->delivered(), 0u);  // renamed, but no sync has started since
  EXPECT_EQ(batch.queued(), 8u);

  deliver_more(6, 9);  // the second sync covered their names: the first 4 are counted
  EXPECT_EQ(batch.TEST_counts().syncfs, 3u);
  for (const auto& box : boxes)
    EXPECT_EQ(box->delivered(), 1u);
  EXPECT_EQ((*more)->delivered(), 1u);
  EXPECT_EQ(InCur(dir.path(), Key(0) + "x"), 5u);
  EXPECT_EQ(batch.queued(), 8u);

  // Flush drains: m2..m5 counted after the running sync, m6..m9 renamed into one cur/ that is
  // fsynced on its own.
  ASSERT_TRUE(batch.Flush().ok());
  EXPECT_EQ(batch.TEST_counts().syncfs, 3u);
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 1u);
  EXPECT_EQ((*more)->delivered(), 9u);
  EXPECT_EQ(InCur(dir.path(), Key(0) + "x"), 9u);
  EXPECT_EQ(batch.queued(), 0u);
}

TEST(MaildirSyncBatch, SettleCountsOnlyWhatTheRunningSyncMadeDurable) {
  TempDir dir;
  MaildirSyncBatch batch(2);
  auto boxes = DeliverToMany(dir.path(), batch, 5, false, "a");  // 2 advances, 1 queued
  ASSERT_EQ(batch.TEST_counts().syncfs, 2u);
  batch.Settle();  // messages 1-2 were renamed before the running sync: counted
  EXPECT_EQ(boxes[0]->delivered() + boxes[1]->delivered(), 2u);
  EXPECT_EQ(boxes[2]->delivered() + boxes[3]->delivered() + boxes[4]->delivered(), 0u);
  EXPECT_EQ(batch.TEST_counts().syncfs, 2u);  // no sync started, nothing renamed
  EXPECT_EQ(InCur(dir.path(), Key(2)), 0u);
  EXPECT_EQ(batch.queued(), 3u);
}

TEST(MaildirSyncBatch, FdatasyncStrategySyncsEachFileAndNoFileSystem) {
  TempDir dir;
  MaildirSyncBatch batch(100000, BatchSync::kFdatasyncEach);
  auto boxes = DeliverToMany(dir.path(), batch, 5, true, "a");
  ASSERT_TRUE(batch.Flush().ok());
  EXPECT_EQ(batch.TEST_counts().syncfs, 0u);
  EXPECT_EQ(batch.TEST_counts().fdatasync, 15u);
  // Directories whose entries changed: the store root (once, shared), and per mailbox the
  // mailbox directory, .Sent, .Projects, .Projects.Cutover (new subdirectories) and the three
  // cur/ that received a message — 7, not one per created directory (13) plus their parents.
  EXPECT_EQ(batch.TEST_counts().dir_fsync, 1 + 7 * 5u);
  for (const auto& box : boxes)
    EXPECT_EQ(box->delivered(), 3u);
}

TEST(MaildirSyncBatch, AMailboxDestroyedBeforeTheFlushTakesOnlyItsOwnMessagesOut) {
  TempDir dir;
  MaildirSyncBatch batch(100000);
  auto boxes = DeliverToMany(dir.path(), batch, 2, false, "a");
  fs::path gone = dir.path() / *MailboxDirectoryName(Key(0));
  EXPECT_EQ(Count(gone / "tmp"), 1u);
  boxes[0].reset();
  EXPECT_EQ(Count(gone / "tmp"), 0u);  // never reported delivered, so removed
  EXPECT_EQ(batch.queued(), 1u);
  ASSERT_TRUE(batch.Flush().ok());
  EXPECT_EQ(Count(gone / "cur"), 0u);
  EXPECT_EQ(boxes[1]->delivered(), 1u);
  EXPECT_EQ(Count(dir.path() / *MailboxDirectoryName(Key(1)) / "cur"), 1u);
}

}  // namespace
}  // namespace ccm::importer
