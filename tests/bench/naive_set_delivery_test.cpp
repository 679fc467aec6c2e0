// naive_set_delivery_test.cpp — ccm-naive-delivery (the real binary) delivers exactly what the
// import delivers: on the sample set (Avery has 3 messages, Jordan none) its store is
// the same tree, byte for byte — same mailbox, folders, file names, contents and mtimes — as
// RunImport's (the function behind `ccmigrate import`) with a directory that plans every user
// as `deliver` into the mailbox key the tool uses (the normalised source address). Also:
// --compose-only writes nothing, --limit stops early, a non-empty root and an invalid set are
// refused with the path named. With --group, the same tree again, every entry with the group and
// mode the import gives it under [mailstore] group.
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
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
  // The import also delivers Avery's address book (one message per PAB section); the naive
  // loop delivers MAILMESSAGE records only, so the comparison is over those.
  const auto books = std::erase_if(import_tree, [](const auto& entry) {
    return entry.second.find("X-CCM-Identity: ccm1-pab:") != std::string::npos;
  });
  EXPECT_EQ(books, 1u);
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

// Each entry below `root` (and the root itself, as ".") with its group and permission bits.
std::map<std::string, std::string> OwnershipTree(const fs::path& root) {
  std::map<std::string, std::string> tree;
  auto add = [&](const fs::path& path, const std::string& name) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    tree[name] = "gid " + std::to_string(st.st_gid) + " mode " + mode;
  };
  add(root, ".");
  for (const auto& e : fs::recursive_directory_iterator(root))
    add(e.path(), fs::relative(e.path(), root).string());
  return tree;
}

TEST(NaiveSetDelivery, GroupGivesEveryEntryTheImportsGroupAndModes) {
  // This process's own group: any process may give its files to it (as maildir_store_test).
  const group* own = ::getgrgid(::getegid());
  ASSERT_NE(own, nullptr);
  TempDir work("ccm-naive");
  ImportJobOptions options;
  options.pkl_path = kSample;
  options.output_dir = work.path() / "report";
  options.mailstore.root = work.path() / "import";
  options.mailstore.group = ::getegid();
  fs::create_directories(options.output_dir);
  DeliverEveryone directory;
  ImportResult imported = RunImport(options, directory);
  ASSERT_EQ(imported.report.outcome, importer::ImportOutcome::kDone) << imported.report.reason;
  auto import_tree = StoreTree(work.path() / "import");
  auto import_owners = OwnershipTree(work.path() / "import");
  // Avery's address book is the import's only, as in the test above.
  for (auto it = import_tree.begin(); it != import_tree.end();) {
    if (it->second.find("X-CCM-Identity: ccm1-pab:") != std::string::npos) {
      import_owners.erase(it->first);
      it = import_tree.erase(it);
    } else {
      ++it;
    }
  }

  for (const char* sync : {"file", "names"}) {
    const fs::path root = work.path() / (std::string("naive-") + sync);
    test::ProgramOutcome naive =
        RunTool({"--set", kSample.string(), "--root", root.string(), "--source-timezone", "UTC",
                 "--sync", sync, "--group", own->gr_name});
    ASSERT_EQ(naive.exit_code, 0) << naive.output;
    EXPECT_NE(naive.output.find(std::string("naive-set (sync ") + sync + "): 3 messages"),
              std::string::npos)
        << naive.output;
    EXPECT_EQ(StoreTree(root), import_tree) << sync;
    const auto owners = OwnershipTree(root);
    EXPECT_EQ(owners, import_owners) << sync;
    EXPECT_EQ(owners.at("."), "gid " + std::to_string(::getegid()) + " mode 0770");
  }
  test::ProgramOutcome unknown =
      RunTool({"--set", kSample.string(), "--root", (work.path() / "x").string(), "--group",
               "ccm-no-such-group"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("ccm-no-such-group"), std::string::npos) << unknown.output;
  EXPECT_FALSE(fs::exists(work.path() / "x"));
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
