// drop_e2e_test.cpp — the drop directory end to end with the real binary and a real slapd:
// the sample set dropped by rename ends in done/ with the expected directory and mail; a set
// dropped slowly is not taken early; an invalid set goes to failed/ whole and changes nothing.
#include <fstream>
#include <set>
#include <thread>

#include "tests/e2e/e2e_world.h"

namespace ccm::test {
namespace {

using DropE2eTest = DaemonE2eTest;

TEST_F(DropE2eTest, SampleSetDroppedByRenameEndsInDoneWithDirectoryAndMail) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  DropFolder(SourceFile("conf/examples/HQPO.001"), "HQPO.001");

  ASSERT_TRUE(WaitForSet("done", "HQPO.001"));
  EXPECT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"done"});
  const fs::path set = spool_ / "done/HQPO.001";
  EXPECT_TRUE(fs::is_regular_file(set / "HQPO.PKL"));
  const std::string report = ReadFile(set / "report.json");
  EXPECT_NE(report.find("\"outcome\":\"done\""), std::string::npos) << report;
  // Journal and audit live in the service's state directory, named by the report; nothing of
  // ccmigrate's state is in the set's folder.
  const fs::path journal_dir = JournalDir("HQPO.001");
  ASSERT_FALSE(journal_dir.empty()) << Diagnostics();
  EXPECT_NE(report.find("\"journal_dir\":\"" + journal_dir.string() + "\""), std::string::npos)
      << report;
  EXPECT_TRUE(fs::is_regular_file(journal_dir / "journal.ldif"));
  EXPECT_TRUE(fs::is_regular_file(journal_dir / "audit.ldif"));
  EXPECT_FALSE(fs::exists(set / "ccmigrate-import"));
  ExpectSampleImported();
  EXPECT_EQ(MessageFiles(mail_).size(), 4u);  // Avery's three messages and her address book
  EXPECT_TRUE(daemon.Running());
}

// A folder renamed into incoming/ before its files are complete: a listed file missing for
// more than two quiet periods, then the same file growing in small steps, each well inside the
// quiet period. The set must stay in incoming/ the whole time and end in done/ with all of
// Avery's messages, which proves the complete file was read.
TEST_F(DropE2eTest, FolderWithMissingThenGrowingFileIsNotTakenEarly) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));

  const fs::path sample = SourceFile("conf/examples/HQPO.001");
  const std::string sec = ReadFile(sample / "00000001.SEC");
  const fs::path staging = spool_ / ".slow";
  fs::create_directory(staging);
  for (const char* name : {"HQPO.PKL", "Directory.pri", "00000001.PRI"})
    fs::copy_file(sample / name, staging / name);
  fs::rename(staging, spool_ / "incoming/SLOW");
  const fs::path growing = spool_ / "incoming/SLOW/00000001.SEC";

  const auto still_incoming = [&](const char* stage) {
    EXPECT_EQ(WhereIs("SLOW"), std::vector<std::string>{"incoming"}) << stage << Diagnostics();
  };
  std::this_thread::sleep_for(2500ms);  // two and a half quiet periods without the file
  still_incoming("while 00000001.SEC is missing");
  {
    std::ofstream out(growing, std::ios::binary);
    const std::size_t step = sec.size() / 6 + 1;
    for (std::size_t at = 0; at < sec.size(); at += step) {
      out.write(sec.data() + at, static_cast<std::streamsize>(std::min(step, sec.size() - at)));
      out.flush();
      std::this_thread::sleep_for(400ms);
      if (at + step < sec.size())
        still_incoming("while 00000001.SEC grows");
    }
  }
  ASSERT_TRUE(WaitForSet("done", "SLOW"));
  ExpectSampleImported();
}

// Loose files written into incoming/ one by one with pauses, the packing list last: gathered
// into a folder named after the packing list and imported.
TEST_F(DropE2eTest, LooseFilesWithPackingListLastAreGatheredAndImported) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  const fs::path sample = SourceFile("conf/examples/HQPO.001");
  for (const char* name : {"00000001.SEC", "00000001.PRI", "Directory.pri", "HQPO.PKL"}) {
    fs::copy_file(sample / name, spool_ / "incoming" / (std::string(".") + name + ".part"));
    fs::rename(spool_ / "incoming" / (std::string(".") + name + ".part"),
               spool_ / "incoming" / name);
    std::this_thread::sleep_for(700ms);
    EXPECT_TRUE(fs::is_empty(spool_ / "active")) << Diagnostics();
    EXPECT_TRUE(fs::is_empty(spool_ / "done")) << Diagnostics();
  }
  ASSERT_TRUE(WaitForSet("done", "HQPO"));
  ExpectSampleImported();
}

// A set with a pointer past the end of its secondary file: refused to failed/ with reason.txt
// and report.json, its own files byte-identical, the directory and the mail store untouched.
TEST_F(DropE2eTest, InvalidSetGoesToFailedWholeAndChangesNothing) {
  LoadSampleDirectory();
  WriteConfig();
  const fs::path broken = work_ / "broken";
  fs::copy(SourceFile("conf/examples/HQPO.001"), broken);
  std::string pri = ReadFile(broken / "00000001.PRI");
  const auto at = pri.find("#00000001.SEC(243)");
  ASSERT_NE(at, std::string::npos);
  pri.replace(at, 18, "#00000001.SEC(999)");
  WriteFile(broken / "00000001.PRI", pri);
  const auto original = FolderContents(broken);
  const std::string before = DirectorySnapshot();
  ASSERT_NE(before.find("ccmCustomRecipient"), std::string::npos);

  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  DropFolder(broken, "BROKEN");
  ASSERT_TRUE(WaitForSet("failed", "BROKEN"));
  EXPECT_EQ(WhereIs("BROKEN"), std::vector<std::string>{"failed"});

  const fs::path set = spool_ / "failed/BROKEN";
  const std::string reason = ReadFile(set / "reason.txt");
  EXPECT_FALSE(reason.empty());
  EXPECT_TRUE(fs::is_regular_file(set / "report.json"));
  auto now = FolderContents(set);
  for (const auto& [name, bytes] : original) {
    ASSERT_TRUE(now.count(name)) << name << " missing in failed/";
    EXPECT_TRUE(now[name] == bytes) << name << " changed";
  }
  EXPECT_EQ(DirectorySnapshot(), before);
  EXPECT_TRUE(MessageFiles(mail_).empty());
  EXPECT_TRUE(daemon.Running());
}

}  // namespace
}  // namespace ccm::test
