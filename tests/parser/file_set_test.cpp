// file_set_test.cpp — whole-set validation (files, pointers, chains, users) against the
// sample set oracle, and malformed sets of every kind: each problem names file and line (or
// offset).
#include "parser/file_set.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "tests/parser/test_sets.h"

namespace ccm::parser {
namespace {

using testing::AppendixSet;
using testing::Dump;
using testing::HasProblem;

FileSetScan MustScan(const SetDirectory& dir, DiagnosticSink& sink, const std::string& pkl,
                     ScanOptions options = {}) {
  auto scan = ScanFileSet(dir, pkl, options, sink);
  EXPECT_TRUE(scan.ok()) << (scan.ok() ? "" : scan.error().ToString());
  return scan ? std::move(scan).value() : FileSetScan{};
}

TEST(FileSet, AppendixAOracle) {
  MemoryDirectory dir = AppendixSet();
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  EXPECT_TRUE(scan.valid) << Dump(sink);
  EXPECT_EQ(sink.errors(), 0u);
  // 2 users from the DIRECTORY section.
  ASSERT_EQ(scan.users.size(), 2u);
  EXPECT_EQ(scan.users[0].address, "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(scan.users[0].origin, UserOrigin::kDirectory);
  EXPECT_EQ(scan.users[0].common_name, "AQuinn");
  EXPECT_EQ(scan.users[0].display_name, "Avery Quinn");
  EXPECT_EQ(scan.users[0].home_server, "~Server");
  EXPECT_TRUE(scan.users[0].has_pab_section);
  EXPECT_EQ(scan.users[0].pab_file, "00000001.PRI");
  EXPECT_EQ(scan.users[1].address, "CCMAIL:Lee, Jordan at HQPO");
  // 1 PAB section: 1 entry and 1 dl.
  EXPECT_EQ(scan.summary.pab_sections, 1u);
  EXPECT_EQ(scan.summary.pab_entries, 1u);
  EXPECT_EQ(scan.summary.pab_dls, 1u);
  // 1 MAILMESSAGE section (Avery, 3 messages); Jordan flagged.
  EXPECT_EQ(scan.summary.mailmessage_sections, 1u);
  EXPECT_EQ(scan.summary.messages, 3u);
  auto missing = scan.UsersMissingMailMessage();
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->address, "CCMAIL:Lee, Jordan at HQPO");
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "Directory.pri", 5, "Q194218"));
  EXPECT_EQ(sink.warnings(), 1u) << Dump(sink);
  // Code that acts on this warning (the import's in-memory fix) finds it by its code.
  std::vector<std::uint64_t> coded;
  for (const Diagnostic& d : sink.kept()) {
    if (d.code == DiagnosticCode::kUserWithoutMailMessageSection)
      coded.push_back(d.where);
  }
  EXPECT_EQ(coded, std::vector<std::uint64_t>{5}) << Dump(sink);
  // Message 2 has 1 attachment, message 3 is a free document; every pointer frames.
  EXPECT_EQ(scan.summary.attachments, 1u);
  EXPECT_EQ(scan.summary.documents, 1u);
  EXPECT_EQ(scan.summary.secondary_sections, 5u);
  EXPECT_EQ(scan.summary.bytes, 110u + 333u + 912u + 325u);
  ASSERT_EQ(scan.sections.size(), 3u);
  // Records per section, in file order as listed: DIRECTORY (Avery, Jordan), PAB (an entry and
  // a list), Avery's MAILMESSAGE (three messages).
  std::map<SectionKind, std::uint64_t> records;
  for (const SectionInfo& section : scan.sections)
    records[section.kind] = section.records;
  EXPECT_EQ(records[SectionKind::kDirectory], 2u);
  EXPECT_EQ(records[SectionKind::kPab], 2u);
  EXPECT_EQ(records[SectionKind::kMailMessage], 3u);
}

TEST(FileSet, ImporterApiRereadsOneSectionAndItsChains) {
  MemoryDirectory dir = AppendixSet();
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  const SectionInfo* mail = nullptr;
  for (const auto& s : scan.sections) {
    if (s.kind == SectionKind::kMailMessage)
      mail = &s;
  }
  ASSERT_NE(mail, nullptr);
  EXPECT_EQ(mail->file, "00000001.PRI");
  EXPECT_EQ(mail->header_line, 8u);
  ReaderOptions options;
  auto reader = MailMessageReader::Open(dir, scan, *mail, options, sink);
  ASSERT_TRUE(reader.ok()) << reader.error();
  std::vector<MailMessage> messages;
  while (auto m = (*reader)->Next())
    messages.push_back(*m);
  ASSERT_EQ(messages.size(), 3u);
  auto chain = ReadMessageChain(dir, scan, messages[1].body, "00000001.PRI:11", options, sink);
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->sections.size(), 2u);
  EXPECT_EQ(chain->sections[1].name, "AGENDA.TXT");
  EXPECT_EQ(chain->sections[1].length, 36u);
  EXPECT_EQ(chain->sections[1].position, std::optional<std::int64_t>(0));
  auto doc = ReadMessageChain(dir, scan, messages[2].body, "00000001.PRI:13", options, sink);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->sections[1].type, SecondaryType::kDocument);
  EXPECT_EQ(doc->sections[1].name, "ROLLBACK.TXT");
  EXPECT_EQ(doc->sections[1].length, 23u);
}

TEST(FileSet, SectionsOfOneFileShareOneOpenPrimaryFile) {
  MemoryDirectory dir = AppendixSet();
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  const SectionInfo* mail = nullptr;
  const SectionInfo* pab = nullptr;
  for (const auto& s : scan.sections) {
    if (s.kind == SectionKind::kMailMessage)
      mail = &s;
    if (s.kind == SectionKind::kPab)
      pab = &s;
  }
  ASSERT_NE(mail, nullptr);
  ReaderOptions options;
  OpenPrimaryFile primary;
  auto first = MailMessageReader::Open(dir, scan, *mail, options, sink, primary);
  ASSERT_TRUE(first.ok()) << first.error();
  const ByteSource* opened = primary.source.get();
  ASSERT_NE(opened, nullptr);
  EXPECT_EQ(primary.disk_name, "00000001.PRI");
  first->reset();  // the reader's end leaves the file open for the next section
  auto again = MailMessageReader::Open(dir, scan, *mail, options, sink, primary);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(primary.source.get(), opened);
  int messages = 0;
  while ((*again)->Next())
    ++messages;
  EXPECT_EQ(messages, 3);
  // Errors are those of the plain Open, and leave the open file alone.
  ASSERT_NE(pab, nullptr);
  auto wrong = MailMessageReader::Open(dir, scan, *pab, options, sink, primary);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error(), MailMessageReader::Open(dir, scan, *pab, options, sink).error());
  EXPECT_EQ(primary.source.get(), opened);
}

TEST(FileSet, MissingDuplicateAndUnlistedFiles) {
  MemoryDirectory dir = AppendixSet();
  dir.Put("HQPO.PKL",
          "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\n00000001.PRI,Primary\r\n"
          "00000001.SEC,Secondary\r\nGONE.PRI,Primary\r\n00000001.sec,Secondary\r\n");
  dir.Put("Ccmail.password", "secret");
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  EXPECT_FALSE(scan.valid);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "HQPO.PKL", 7, "missing")) << Dump(sink);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "HQPO.PKL", 8, "listed twice"));
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "Ccmail.password", 0, "not listed"));
  EXPECT_EQ(Dump(sink).find("secret"), std::string::npos);
}

TEST(FileSet, CallerFilesAreNotWarnedAboutButOtherUnlistedFilesAre) {
  MemoryDirectory dir = AppendixSet();
  dir.Put("report.json", "{}");
  dir.Put("Retry.JSON", "{}");
  dir.Put("notes.txt", "x");
  ScanOptions options;
  options.caller_files = {"report.json", "retry.json"};
  DiagnosticSink sink;
  auto scan = ScanFileSet(dir, "HQPO.PKL", options, sink);
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->valid);
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "notes.txt", 0, "not listed")) << Dump(sink);
  EXPECT_EQ(Dump(sink).find("report.json"), std::string::npos) << Dump(sink);
  EXPECT_EQ(Dump(sink).find("Retry.JSON"), std::string::npos) << Dump(sink);
}

TEST(FileSet, NamesMatchCaseInsensitivelyButNotAmbiguously) {
  MemoryDirectory dir = AppendixSet();
  dir.Put("HQPO.PKL",
          "1252\r\n\r\nFilename,Filetype\r\nDIRECTORY.PRI,Primary\r\n00000001.pri,Primary\r\n"
          "00000001.sec,Secondary\r\n");
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  EXPECT_TRUE(scan.valid) << Dump(sink);
  EXPECT_EQ(scan.files[0].disk_name, "Directory.pri");
  // FindFile: by listed name in any case, through the scan's index and without it.
  for (bool indexed : {true, false}) {
    if (!indexed)
      scan.file_index.clear();
    ASSERT_NE(scan.FindFile("00000001.SEC"), nullptr) << indexed;
    EXPECT_EQ(scan.FindFile("00000001.SEC")->listed_name, "00000001.sec");
    EXPECT_EQ(scan.FindFile("directory.pri"), &scan.files[0]);
    EXPECT_EQ(scan.FindFile("00000002.sec"), nullptr);
  }
  dir.Put("directory.PRI", "x");
  DiagnosticSink ambiguous;
  MustScan(dir, ambiguous, "HQPO.PKL");
  EXPECT_TRUE(HasProblem(ambiguous, Severity::kError, "HQPO.PKL", 4, "differ only in case"));
}

TEST(FileSet, PointerProblems) {
  MemoryDirectory dir = AppendixSet();
  std::string pri = testing::ReadFileBytes(testing::AppendixPath("00000001.PRI"));
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = pri.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    pri.replace(at, from.size(), to);
  };
  replace("#00000001.SEC(50)", "#OTHER.SEC(50)");       // line 10: not listed
  replace("#00000001.SEC(123)", "#00000001.SEC(125)");  // line 11: not on a header
  replace("#00000001.SEC(243)", "#00000001.SEC(123)");  // line 13: frames, but see below
  dir.Put("00000001.PRI", pri);
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  EXPECT_FALSE(scan.valid);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "00000001.PRI", 10, "does not list"))
      << Dump(sink);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "00000001.SEC", 125, "00000001.PRI:11"));
  // Offset 243 is now referenced by nobody: no overlap, but the set is still invalid.
}

TEST(FileSet, OverlappingChainsAreRejected) {
  MemoryDirectory dir = AppendixSet();
  std::string pri = testing::ReadFileBytes(testing::AppendixPath("00000001.PRI"));
  auto at = pri.find("#00000001.SEC(243)");
  pri.replace(at, 18, "#00000001.SEC(168)");  // the attachment of message 2
  dir.Put("00000001.PRI", pri);
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  EXPECT_FALSE(scan.valid);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "00000001.SEC", 168, "overlap")) << Dump(sink);
  pri.replace(at, 18, "#00000001.SEC(050)");  // same section as message 1
  dir.Put("00000001.PRI", pri);
  DiagnosticSink same;
  MustScan(dir, same, "HQPO.PKL");
  EXPECT_TRUE(HasProblem(same, Severity::kError, "00000001.SEC", 50, "same section"));
}

TEST(FileSet, OverlapsAreFoundAndNamedAfterChainsMerge) {
  // Messages 1-3 frame back to back ([50,123), [123,243), [243,...)): the overlap index keeps
  // one interval for them. A pointer into message 2's attachment names message 2's pointer.
  MemoryDirectory dir = AppendixSet();
  std::string pri = testing::ReadFileBytes(testing::AppendixPath("00000001.PRI"));
  auto at = pri.find("#00000001.SEC(243)");
  pri.replace(at, 18, "#00000001.SEC(168)");
  dir.Put("00000001.PRI", pri);
  DiagnosticSink sink;
  EXPECT_FALSE(MustScan(dir, sink, "HQPO.PKL").valid);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "00000001.SEC", 168,
                         "message chains overlap (pointers at 00000001.PRI:11 and "
                         "00000001.PRI:13)"))
      << Dump(sink);
  // A fourth message pointing into message 2 after all three merged: message 2 is neither the
  // first nor the last chain of the run, so the run's first pointer is named as the anchor.
  std::string four = testing::ReadFileBytes(testing::AppendixPath("00000001.PRI"));
  four +=
      "Inbox,Jordan Lee,Avery Quinn,,,Again,19990412080000,19990412080000,,,,"
      "#00000001.SEC(168)\r\n";
  dir.Put("00000001.PRI", four);
  DiagnosticSink middle;
  EXPECT_FALSE(MustScan(dir, middle, "HQPO.PKL").valid);
  EXPECT_TRUE(HasProblem(middle, Severity::kError, "00000001.SEC", 168,
                         "pointer at 00000001.PRI:14 lands inside the back-to-back chains that "
                         "start with the pointer at 00000001.PRI:10"))
      << Dump(middle);
  EXPECT_EQ(middle.errors(), 1u) << Dump(middle);
}

TEST(FileSet, UnreferencedSecondaryIsWarned) {
  MemoryDirectory dir = AppendixSet();
  dir.Put("HQPO.PKL",
          "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\n00000001.PRI,Primary\r\n"
          "00000001.SEC,Secondary\r\nEXTRA.SEC,Secondary\r\n");
  dir.Put("EXTRA.SEC", "Type,Length,Encoding,Islast,Name,Position,Format\r\n");
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "HQPO.PKL");
  EXPECT_TRUE(scan.valid) << Dump(sink);
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "HQPO.PKL", 7, "no pointer references"));
}

TEST(FileSet, UsersFromCcmailFallbackPabOwnersAndAccounts) {
  MemoryDirectory dir;
  dir.Put("S.PKL", "1252\r\n\r\nFilename,Filetype\r\nD.PRI,Primary\r\nP.PRI,Primary\r\n");
  dir.Put("D.PRI",
          "DIRECTORY\r\nObj-Class,Mode,Common-Name,Secondary-Proxy-Addresses,Hide-From-AB\r\n"
          "mailbox,Create,A,\"CCMAIL:Quinn, Avery at HQPO\",0\r\n"
          "mailbox,Create,N,\"SMTP:n@example.org\",1\r\n"
          "remote,Create,R,\"MIGRATE:CCMAIL:Remote, Rita at HQPO\",\r\n"
          "mailbox,Create,B,\"MIGRATE:CCMAIL:Quinn,Avery at HQPO\",\r\n");
  dir.Put("P.PRI",
          "PAB,\"MIGRATE:CCMAIL:Owner, Pat at HQPO\"\r\n"
          "Obj-class,Display-Name,Email-Address,First,Last,Address,City,State,Zip,Country,Title,"
          "Company,Department,Office,Assistant,Bus-Num,Bus2-Num,Assist-Num,Fax-Num,Home-Num,"
          "Home2-Num,Mobile-Num,Pager-Num,Note\r\n");
  ScanOptions options;
  options.accounts = ParseAccounts(
      "! accounts\r\nMIGRATE:CCMAIL:Extra, Eve at HQPO\r\n\r\n"
      "ccmail:owner,   pat at hqpo\r\n");
  options.accounts_file = "accounts.txt";
  DiagnosticSink sink;
  FileSetScan scan = MustScan(dir, sink, "S.PKL", options);
  ASSERT_EQ(scan.users.size(), 3u) << Dump(sink);
  EXPECT_EQ(scan.users[0].address, "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(scan.users[0].hide_from_address_book, std::optional<bool>(false));
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "D.PRI", 3, "using its CCMAIL: proxy"));
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "D.PRI", 4, "never be matched"));
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "D.PRI", 6, "same source address"));
  EXPECT_EQ(scan.users[1].address, "CCMAIL:Owner, Pat at HQPO");
  EXPECT_EQ(scan.users[1].origin, UserOrigin::kPabOwner);
  EXPECT_EQ(scan.users[2].address, "CCMAIL:Extra, Eve at HQPO");
  EXPECT_EQ(scan.users[2].origin, UserOrigin::kAccountsFile);
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "accounts.txt", 2, "Q194218"));
  EXPECT_EQ(scan.UsersMissingMailMessage().size(), 3u);
}

TEST(FileSet, UnusablePackingListFailsTheScan) {
  MemoryDirectory dir;
  dir.Put("X.PKL", "hello\r\n");
  DiagnosticSink sink;
  auto scan = ScanFileSet(dir, "X.PKL", ScanOptions{}, sink);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.error().file, "X.PKL");
  EXPECT_EQ(scan.error().where, 1u);
  DiagnosticSink none;
  EXPECT_FALSE(ScanFileSet(dir, "NOPE.PKL", ScanOptions{}, none).ok());
  EXPECT_FALSE(ScanFileSet(dir, "../X.PKL", ScanOptions{}, none).ok());
}

TEST(FileSet, ManyErrorsAreBoundedButCounted) {
  MemoryDirectory dir;
  std::string pri =
      "MAILMESSAGE,CCMAIL:x\r\nFolder,Sender,To,Cc,Bcc,Subject,Send-Date,"
      "Received-Date,Priority,Unread,Unsent,Body\r\n";
  for (int i = 0; i < 50; ++i)
    pri += "Inbox,a,b,,,s,,,,,,notapointer\r\n";
  dir.Put("S.PKL", "1252\r\n\r\nFilename,Filetype\r\nM.PRI,Primary\r\n");
  dir.Put("M.PRI", pri);
  ScanOptions options;
  options.reader.max_diagnostics = 10;
  DiagnosticSink sink(10);
  MustScan(dir, sink, "S.PKL", options);
  EXPECT_EQ(sink.kept().size(), 10u);
  EXPECT_EQ(sink.errors(), 50u);
  EXPECT_EQ(sink.dropped(), 40u);
}

TEST(FileSet, DiskDirectoryRefusesSymlinksAndNonRegularFiles) {
  char templ[] = "/tmp/ccm-ps.XXXXXX";
  ASSERT_NE(::mkdtemp(templ), nullptr);
  std::filesystem::path root(templ);
  for (const char* name : {"HQPO.PKL", "Directory.pri", "00000001.PRI"}) {
    std::filesystem::copy_file(testing::AppendixPath(name), root / name);
  }
  std::filesystem::create_symlink(testing::AppendixPath("00000001.SEC"), root / "00000001.SEC");
  auto dir = DiskDirectory::OpenPath(root.string());
  ASSERT_TRUE(dir.ok());
  DiagnosticSink sink;
  FileSetScan scan = MustScan(**dir, sink, "HQPO.PKL");
  EXPECT_FALSE(scan.valid);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "HQPO.PKL", 6, "symbolic link")) << Dump(sink);
  std::filesystem::remove(root / "00000001.SEC");
  std::filesystem::create_directory(root / "00000001.SEC");
  DiagnosticSink dir_sink;
  MustScan(**dir, dir_sink, "HQPO.PKL");
  EXPECT_TRUE(HasProblem(dir_sink, Severity::kError, "HQPO.PKL", 6, "")) << Dump(dir_sink);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace ccm::parser
