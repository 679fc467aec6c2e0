// naive_set_delivery_test.cpp — ccm-naive-delivery (the real binary) delivers exactly what the
// import delivers: on the sample set (Avery has 3 messages, Jordan none) its store is
// the same tree, byte for byte — same mailbox, folders, file names, contents and mtimes — as
// RunImport's (the function behind `ccmigrate import`) with a directory that plans every user
// as `deliver` into the mailbox key the tool uses (the normalised source address). Also:
// --compose-only writes nothing, --limit stops early, a non-empty root and an invalid set are
// refused with the path named.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "importer/import_job.h"
#include "tests/importer/delivery_fixtures.h"
#include "tests/support/program.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;
using ccm::test::TempDir;
using test::CountFilesUnder;
using test::DeliverEveryone;
using test::StoreTree;

// Runs ccm-naive-delivery with `args` (no shell): exit status and combined output.
test::ProgramOutcome RunTool(std::vector<std::string> args) {
  args.insert(args.begin(), CCM_NAIVE_DELIVERY_BINARY);
  auto run = test::RunProgram(args);
  EXPECT_TRUE(run.ok()) << (run.ok() ? "" : run.error());
  return run ? std::move(*run) : test::ProgramOutcome{};
}

const fs::path kSample = fs::path(CCM_SOURCE_DIR) / "conf/examples/HQPO.001/HQPO.PKL";

TEST(NaiveSetDelivery, DeliversWhatTheImportDeliversByteForByte) {
  TempDir work("ccm-naive");
  ImportJobOptions options;
  options.pkl_path = kSample;
  options.output_dir = work.path() / "report";
  options.mailstore.root = work.path() / "import";
  fs::create_directories(options.output_dir);
  DeliverEveryone directory;
  ImportResult imported = RunImport(options, directory);
  ASSERT_EQ(imported.report.outcome, importer::ImportOutcome::kDone) << imported.report.reason;

  test::ProgramOutcome naive =
      RunTool({"--set", kSample.string(), "--root", (work.path() / "naive").string(),
               "--source-timezone", "UTC"});
  ASSERT_EQ(naive.exit_code, 0) << naive.output;
  EXPECT_NE(naive.output.find("naive-set (sync file): 3 messages, 1 mailboxes, "),
            std::string::npos)
      << naive.output;

  auto import_tree = StoreTree(work.path() / "import");
  auto naive_tree = StoreTree(work.path() / "naive");
  EXPECT_EQ(CountFilesUnder(naive_tree, "/cur/"), 3u);
  EXPECT_EQ(CountFilesUnder(naive_tree, "/tmp/"), 0u);
  EXPECT_EQ(naive_tree, import_tree);

  // The other sync modes change only what is made durable, never what is delivered.
  for (const char* sync : {"names", "none"}) {
    const fs::path root = work.path() / (std::string("naive-") + sync);
    test::ProgramOutcome other = RunTool({"--set", kSample.string(), "--root", root.string(),
                                          "--source-timezone", "UTC", "--sync", sync});
    ASSERT_EQ(other.exit_code, 0) << other.output;
    EXPECT_NE(other.output.find(std::string("naive-set (sync ") + sync + "): 3 messages"),
              std::string::npos)
        << other.output;
    EXPECT_EQ(StoreTree(root), import_tree) << sync;
  }
  EXPECT_EQ(RunTool({"--set", kSample.string(), "--root", (work.path() / "bad").string(), "--sync",
                     "sometimes"})
                .exit_code,
            2);
}

TEST(NaiveSetDelivery, ComposeOnlyWritesNothing) {
  TempDir work("ccm-naive");
  test::ProgramOutcome run = RunTool(
      {"--set", kSample.string(), "--root", (work.path() / "x").string(), "--compose-only"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("compose-only: 3 messages, "), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(work.path() / "x"));
}

TEST(NaiveSetDelivery, LimitStopsAfterNMessages) {
  TempDir work("ccm-naive");
  test::ProgramOutcome run =
      RunTool({"--set", kSample.string(), "--root", (work.path() / "store").string(), "--limit",
               "2", "--sync", "names"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("naive-set (sync names): 2 messages, 1 mailboxes, "), std::string::npos)
      << run.output;
  EXPECT_EQ(CountFilesUnder(StoreTree(work.path() / "store"), "/cur/"), 2u);
}

TEST(NaiveSetDelivery, RefusesANonEmptyRootNamingIt) {
  TempDir work("ccm-naive");
  std::ofstream(work.path() / "stray") << "x";
  test::ProgramOutcome run = RunTool({"--set", kSample.string(), "--root", work.path().string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find(work.path().string()), std::string::npos) << run.output;
  EXPECT_EQ(std::distance(fs::directory_iterator(work.path()), fs::directory_iterator()), 1);
}

TEST(NaiveSetDelivery, RefusesAMissingSetNamingIt) {
  TempDir work("ccm-naive");
  const fs::path missing = work.path() / "nowhere" / "HQPO.PKL";
  test::ProgramOutcome run =
      RunTool({"--set", missing.string(), "--root", (work.path() / "s").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find((work.path() / "nowhere").string()), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(work.path() / "s"));
}

}  // namespace
}  // namespace ccm::importer
