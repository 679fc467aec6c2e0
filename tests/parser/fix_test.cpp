// fix_test.cpp — the Q194218 fix: the sample set yields exactly the set docs/file-format.md
// shows (CCMFIX01.PRI, the
// rewritten packing list, existing files byte-identical), the PAB-owner case appends to a copy
// whose prefix is byte-identical, and the rewritten set reads back as the original model plus
// the new sections.
#include "parser/fix.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/parser/test_sets.h"
#include "tests/support/temp_dir.h"

namespace ccm::parser {
namespace {

using testing::ReadFileBytes;

const std::string kA2Fix =
    "! Added by ccmigrate: MAILMESSAGE sections for users without one (KB Q194218)\r\n"
    "MAILMESSAGE,\"CCMAIL:Lee, Jordan at HQPO\"\r\n"
    "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,Body\r\n";

using ccm::test::TempDir;

FileSetScan Scan(const SetDirectory& dir, const std::string& pkl, DiagnosticSink& sink) {
  auto scan = ScanFileSet(dir, pkl, ScanOptions{}, sink);
  EXPECT_TRUE(scan.ok());
  return scan ? std::move(scan).value() : FileSetScan{};
}

TEST(Fix, PlanForAppendixAIsA2) {
  MemoryDirectory dir = testing::AppendixSet();
  DiagnosticSink sink;
  FileSetScan scan = Scan(dir, "HQPO.PKL", sink);
  FixPlan plan = PlanFix(scan);
  ASSERT_EQ(plan.sections.size(), 1u);
  EXPECT_EQ(plan.sections[0].address, "CCMAIL:Lee, Jordan at HQPO");
  EXPECT_EQ(plan.sections[0].file, "CCMFIX01.PRI");
  EXPECT_TRUE(plan.sections[0].in_new_file);
  EXPECT_EQ(plan.sections[0].reason, "DB8: no mail");
  EXPECT_EQ(plan.new_file, "CCMFIX01.PRI");
  EXPECT_EQ(plan.new_file_text, kA2Fix);
  EXPECT_TRUE(plan.appended.empty());
  EXPECT_EQ(plan.pkl_suffix, "CCMFIX01.PRI,Primary\r\n");
}

TEST(Fix, RefusesASetWithAFileNamedLikeAnotherFilesTemporaryName) {
  MemoryDirectory input;
  input.Put("HQPO.PKL", "");
  input.Put("A.PRI", "");
  input.Put(".A.PRI.tmp", "");
  FileSetScan scan;
  scan.files.push_back({"A.PRI", "A.PRI", FileType::kPrimary, 0, true, false});
  scan.files.push_back({".A.PRI.tmp", ".A.PRI.tmp", FileType::kPrimary, 0, true, false});
  TempDir out;
  int fd = ::open(out.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  auto outcome = WriteFixedSet(input, scan, "HQPO.PKL", FixPlan{}, fd);
  ::close(fd);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().find(".A.PRI.tmp: a file of the set has the temporary name"),
            std::string::npos)
      << outcome.error();
  EXPECT_TRUE(std::filesystem::is_empty(out.path()));
}

TEST(Fix, WritesA2ByteForByteAndReadsBackAsModelPlusNewSection) {
  auto input = DiskDirectory::OpenPath(std::string(CCM_SOURCE_DIR) + "/conf/examples/HQPO.001");
  ASSERT_TRUE(input.ok());
  DiagnosticSink sink;
  FileSetScan scan = Scan(**input, "HQPO.PKL", sink);
  FixPlan plan = PlanFix(scan);
  TempDir out;
  int fd = ::open(out.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  auto outcome = WriteFixedSet(**input, scan, "HQPO.PKL", plan, fd);
  ::close(fd);
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  EXPECT_EQ(outcome->copied, 3u);
  EXPECT_EQ(outcome->created, 1u);
  for (const char* name : {"Directory.pri", "00000001.PRI", "00000001.SEC"}) {
    EXPECT_EQ(ReadFileBytes(out.path() / name), ReadFileBytes(testing::AppendixPath(name))) << name;
  }
  EXPECT_EQ(ReadFileBytes(out.path() / "CCMFIX01.PRI"), kA2Fix);
  EXPECT_EQ(ReadFileBytes(out.path() / "HQPO.PKL"),
            "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\n00000001.PRI,Primary\r\n"
            "00000001.SEC,Secondary\r\nCCMFIX01.PRI,Primary\r\n");
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 5u) << "no temporary files left behind";

  auto fixed_dir = DiskDirectory::OpenPath(out.path().string());
  DiagnosticSink again;
  FileSetScan fixed = Scan(**fixed_dir, "HQPO.PKL", again);
  EXPECT_EQ(again.kept().size(), 0u) << testing::Dump(again);
  EXPECT_TRUE(fixed.UsersMissingMailMessage().empty());
  // Same model plus the new section: users, counts, and the original sections unchanged.
  ASSERT_EQ(fixed.users.size(), scan.users.size());
  for (std::size_t i = 0; i < scan.users.size(); ++i) {
    EXPECT_EQ(fixed.users[i].address, scan.users[i].address);
    EXPECT_EQ(fixed.users[i].common_name, scan.users[i].common_name);
  }
  ASSERT_EQ(fixed.sections.size(), scan.sections.size() + 1);
  for (std::size_t i = 0; i < scan.sections.size(); ++i) {
    EXPECT_EQ(fixed.sections[i], scan.sections[i]);
  }
  const SectionInfo& added = fixed.sections.back();
  EXPECT_EQ(added.file, "CCMFIX01.PRI");
  EXPECT_EQ(added.owner, "CCMAIL:Lee, Jordan at HQPO");
  EXPECT_EQ(fixed.summary.messages, scan.summary.messages);
  EXPECT_EQ(fixed.summary.mailmessage_sections, 2u);
  ReaderOptions options;
  auto reader = MailMessageReader::Open(**fixed_dir, fixed, added, options, again);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->Next().has_value()) << "Jordan's section has 0 messages";
}

TEST(Fix, PabOwnerGetsTheSectionAppendedToACopyOfTheirPrimary) {
  std::string set = testing::DataPath("PABOWNER.001");
  auto input = DiskDirectory::OpenPath(set);
  ASSERT_TRUE(input.ok());
  DiagnosticSink sink;
  FileSetScan scan = Scan(**input, "BRPO.PKL", sink);
  ASSERT_TRUE(scan.valid) << testing::Dump(sink);
  FixPlan plan = PlanFix(scan);
  ASSERT_EQ(plan.sections.size(), 1u);
  EXPECT_EQ(plan.sections[0].file, "00000002.PRI");
  EXPECT_FALSE(plan.sections[0].in_new_file);
  EXPECT_TRUE(plan.new_file.empty());
  EXPECT_TRUE(plan.pkl_suffix.empty());
  TempDir out;
  int fd = ::open(out.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  auto outcome = WriteFixedSet(**input, scan, "BRPO.PKL", plan, fd);
  ::close(fd);
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  EXPECT_EQ(outcome->extended, 1u);
  std::string original = ReadFileBytes(set + "/00000002.PRI");
  std::string copy = ReadFileBytes(out.path() / "00000002.PRI");
  ASSERT_GT(copy.size(), original.size());
  EXPECT_EQ(copy.substr(0, original.size()), original) << "prefix must be byte-identical";
  EXPECT_EQ(copy.substr(original.size()),
            "\r\nMAILMESSAGE,\"CCMAIL:Lee, Jordan at HQPO\"\r\n"
            "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,"
            "Body\r\n");
  EXPECT_EQ(ReadFileBytes(out.path() / "BRPO.PKL"), ReadFileBytes(set + "/BRPO.PKL"));
  auto fixed_dir = DiskDirectory::OpenPath(out.path().string());
  DiagnosticSink again;
  FileSetScan fixed = Scan(**fixed_dir, "BRPO.PKL", again);
  EXPECT_EQ(again.kept().size(), 0u) << testing::Dump(again);
  EXPECT_TRUE(fixed.UsersMissingMailMessage().empty());
}

TEST(Fix, NewFileNameAvoidsListedNamesAndReasons) {
  MemoryDirectory dir = testing::AppendixSet();
  dir.Put("HQPO.PKL",
          "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\nccmfix01.pri,Primary\r\n");
  dir.Put("ccmfix01.pri",
          "PAB,\"CCMAIL:Quinn, Avery at HQPO\"\r\n"
          "Obj-class,Display-Name,Email-Address,First,Last,Address,City,State,"
          "Zip,Country,Title,Company,Department,Office,Assistant,Bus-Num,"
          "Bus2-Num,Assist-Num,Fax-Num,Home-Num,Home2-Num,Mobile-Num,Pager-Num,"
          "Note\r\n");
  DiagnosticSink sink;
  FileSetScan scan = Scan(dir, "HQPO.PKL", sink);
  FixPlan plan = PlanFix(scan);
  ASSERT_EQ(plan.sections.size(), 2u);
  EXPECT_EQ(plan.sections[0].file, "ccmfix01.pri");  // Avery owns a PAB section there
  EXPECT_EQ(plan.sections[1].file, "CCMFIX02.PRI");
  EXPECT_EQ(plan.sections[1].reason, "mail not selected");  // the set carries no mail at all
}

TEST(Fix, NothingToDoGivesAnEmptyPlan) {
  MemoryDirectory dir;
  dir.Put("S.PKL", "1252\r\n\r\nFilename,Filetype\r\nM.PRI,Primary\r\n");
  dir.Put("M.PRI",
          "MAILMESSAGE,PublicMessages\r\nFolder,Sender,To,Cc,Bcc,Subject,Send-Date,"
          "Received-Date,Priority,Unread,Unsent,Body\r\n");
  DiagnosticSink sink;
  FixPlan plan = PlanFix(Scan(dir, "S.PKL", sink));
  EXPECT_TRUE(plan.empty());
  EXPECT_TRUE(plan.new_file.empty());
  EXPECT_TRUE(plan.pkl_suffix.empty());
}

}  // namespace
}  // namespace ccm::parser
