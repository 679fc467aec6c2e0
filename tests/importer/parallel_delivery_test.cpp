// parallel_delivery_test.cpp — delivery on several workers (parallel_delivery.h), through
// RunImport on generated sets (bench/gen, no server: every user is planned as an existing
// mailbox): several workers write exactly the store one worker writes, byte for byte; an abrupt
// stop at any point followed by a rerun
// delivers every message once; a stop request and a failing mailbox leave every other worker's
// counted messages on disk and nothing counted that is not.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench/gen/set_generator.h"
#include "gtest/gtest.h"
#include "importer/import_job.h"
#include "importer/maildir_names.h"
#include "tests/importer/delivery_fixtures.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;
using test::CountFilesUnder;
using test::DeliverEveryone;
using test::StoreTree;
using test::TempDir;

class ParallelDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Generate("set", 40);
    ASSERT_GT(summary_.messages, 100u);
  }

  // A set of `users` users with 5 messages each (every 7th user has none) in summary_.
  void Generate(const std::string& name, std::size_t users) {
    bench::SetOptions set;
    set.out = work_.path() / name;
    set.users = users;
    set.messages = 5;
    set.no_mail_every = 7;
    set.attachment_bytes = 300;
    set.free_documents = true;
    set.seed = 11;
    auto summary = bench::GenerateSet(set);
    ASSERT_TRUE(summary.ok()) << summary.error();
    summary_ = *summary;
  }

  ImportJobOptions Options(const std::string& store, std::size_t threads) {
    ImportJobOptions o;
    o.pkl_path = summary_.packing_list;
    o.output_dir = work_.path() / ("report-" + store);
    fs::create_directories(o.output_dir);
    o.mailstore.root = work_.path() / store;
    o.mailstore.sync_batch = 8;  // many flushes per worker
    o.delivery_threads = threads;
    return o;
  }

  static std::uint64_t Delivered(const ImportReport& report) {
    std::uint64_t n = 0;
    for (const UserReport& u : report.users)
      n += u.messages_delivered + u.messages_already_present;
    return n;
  }

  // Each user's counted deliveries are exactly the message files in its mailbox (INBOX
  // "cur/..." and folders' ".F/cur/...").
  static void ExpectCountsAreOnDisk(const ImportReport& report, const fs::path& root) {
    for (const UserReport& u : report.users) {
      auto dir = MailboxDirectoryName(u.mail_store);
      ASSERT_TRUE(dir.ok());
      std::size_t files =
          fs::is_directory(root / *dir) ? CountFilesUnder(StoreTree(root / *dir), "cur/") : 0;
      EXPECT_EQ(u.messages_delivered + u.messages_already_present, files) << u.address;
    }
  }

  TempDir work_{"ccm-parallel"};
  bench::SetSummary summary_;
};

TEST_F(ParallelDeliveryTest, SeveralWorkersWriteTheStoreOneWorkerWrites) {
  DeliverEveryone directory;
  ImportResult one = RunImport(Options("one", 1), directory);
  ImportResult four = RunImport(Options("four", 4), directory);
  ASSERT_EQ(one.report.outcome, ImportOutcome::kDone) << one.report.reason;
  ASSERT_EQ(four.report.outcome, ImportOutcome::kDone) << four.report.reason;

  auto tree = StoreTree(work_.path() / "one");
  EXPECT_EQ(CountFilesUnder(tree, "cur/"), summary_.messages);
  EXPECT_EQ(CountFilesUnder(tree, "tmp/"), 0u);
  EXPECT_EQ(StoreTree(work_.path() / "four"), tree);
  ASSERT_EQ(four.report.users.size(), one.report.users.size());
  for (std::size_t i = 0; i < one.report.users.size(); ++i) {
    const UserReport& a = one.report.users[i];
    const UserReport& b = four.report.users[i];
    EXPECT_EQ(b.address, a.address);
    EXPECT_EQ(b.messages, a.messages) << a.address;
    EXPECT_EQ(b.messages_delivered, a.messages_delivered) << a.address;
    EXPECT_EQ(b.warnings, a.warnings) << a.address;
  }
  EXPECT_EQ(Delivered(four.report), summary_.messages);
}

TEST_F(ParallelDeliveryTest, AbruptStopAnywhereThenRerunDeliversEachMessageOnce) {
  for (std::uint64_t stop_after : {1u, 9u, 60u, 150u}) {
    SCOPED_TRACE(stop_after);
    DeliverEveryone directory;
    const std::string store = "abrupt" + std::to_string(stop_after);
    ImportJobOptions o = Options(store, 3);
    o.TEST_stop_after_messages = stop_after;
    ImportResult first = RunImport(o, directory);
    EXPECT_TRUE(first.interrupted);
    EXPECT_EQ(first.report.outcome, ImportOutcome::kInterrupted);

    o.TEST_stop_after_messages.reset();
    ImportResult second = RunImport(o, directory);
    ASSERT_EQ(second.report.outcome, ImportOutcome::kDone) << second.report.reason;
    EXPECT_EQ(Delivered(second.report), summary_.messages);
    auto tree = StoreTree(work_.path() / store);
    EXPECT_EQ(CountFilesUnder(tree, "cur/"), summary_.messages);
    EXPECT_EQ(CountFilesUnder(tree, "tmp/"), 0u);
  }
}

TEST_F(ParallelDeliveryTest, StopRequestEndsEveryWorkerWithWhatItCountedOnDisk) {
  std::atomic<bool> stop{true};
  DeliverEveryone directory;
  ImportJobOptions o = Options("stopped", 3);
  o.stop = &stop;
  ImportResult first = RunImport(o, directory);
  EXPECT_EQ(first.report.outcome, ImportOutcome::kInterrupted);
  std::uint64_t counted = Delivered(first.report);
  EXPECT_GE(counted, 1u);
  EXPECT_LT(counted, summary_.messages);
  auto tree = StoreTree(work_.path() / "stopped");
  EXPECT_EQ(CountFilesUnder(tree, "cur/"), counted);  // counted = durable and visible
  ExpectCountsAreOnDisk(first.report, work_.path() / "stopped");
  EXPECT_EQ(CountFilesUnder(tree, "tmp/"), 0u);

  o.stop = nullptr;
  ImportResult second = RunImport(o, directory);
  ASSERT_EQ(second.report.outcome, ImportOutcome::kDone) << second.report.reason;
  EXPECT_EQ(Delivered(second.report), summary_.messages);
  EXPECT_EQ(CountFilesUnder(StoreTree(work_.path() / "stopped"), "cur/"), summary_.messages);
}

TEST_F(ParallelDeliveryTest, AFailingMailboxDefersTheSetAndOthersKeepWhatTheyCounted) {
  // A file where one user's mailbox directory must go: that mailbox cannot be opened.
  DeliverEveryone directory;
  ImportJobOptions o = Options("failing", 3);
  ImportResult probe = RunImport(Options("probe", 1), directory);
  ASSERT_EQ(probe.report.outcome, ImportOutcome::kDone);
  const UserReport* victim = nullptr;
  for (const UserReport& u : probe.report.users) {
    if (u.messages > 0)
      victim = &u;  // the last user with mail
  }
  ASSERT_NE(victim, nullptr);
  auto dir = MailboxDirectoryName(victim->mail_store);
  ASSERT_TRUE(dir.ok());
  fs::create_directories(o.mailstore.root);
  std::ofstream(o.mailstore.root / *dir) << "not a mailbox";

  ImportResult r = RunImport(o, directory);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred);
  EXPECT_NE(r.report.reason.find(victim->address), std::string::npos) << r.report.reason;
  auto tree = StoreTree(o.mailstore.root);
  EXPECT_EQ(CountFilesUnder(tree, "cur/"), Delivered(r.report));  // nothing counted unwritten
  ExpectCountsAreOnDisk(r.report, o.mailstore.root);
  EXPECT_EQ(CountFilesUnder(tree, "tmp/"), 0u);
}

// The process's soft limit on open files, lowered for a scope.
class DescriptorLimit {
 public:
  explicit DescriptorLimit(rlim_t soft) {
    EXPECT_EQ(::getrlimit(RLIMIT_NOFILE, &saved_), 0);
    rlimit lowered = saved_;
    lowered.rlim_cur = std::min(soft, saved_.rlim_max);
    EXPECT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  }
  ~DescriptorLimit() { ::setrlimit(RLIMIT_NOFILE, &saved_); }

 private:
  rlimit saved_{};
};

TEST_F(ParallelDeliveryTest, OpenMailboxesStayWithinTheDescriptorLimit) {
  // 200 users with ~4 folders each, default batches: keeping every mailbox of three batches
  // open would take ~9 descriptors x 150 mailboxes per worker, far over a limit of 256.
  Generate("big", 200);
  DeliverEveryone directory;
  ImportJobOptions o = Options("limited", 2);
  o.mailstore.sync_batch = 256;
  ImportResult r;
  {
    DescriptorLimit limit(256);
    r = RunImport(o, directory);
  }
  ASSERT_EQ(r.report.outcome, ImportOutcome::kDone) << r.report.reason;
  EXPECT_EQ(Delivered(r.report), summary_.messages);
  ExpectCountsAreOnDisk(r.report, o.mailstore.root);
}

}  // namespace
}  // namespace ccm::importer
