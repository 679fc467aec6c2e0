// file_set_test.cpp — whole-set validation (files, pointers, chains, users) against the
// sample set oracle, and malformed sets of every kind: each problem names file and line (or
// offset).
#include "parser/file_set.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <vector>

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
  ASSERT_TRUE(reader.ok()) << reader.error().message;
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
  ASSERT_TRUE(first.ok()) << first.error().message;
  const ByteSource* opened = primary.source.get();
  ASSERT_NE(opened, nullptr);
  EXPECT_EQ(primary.disk_name, "00000001.PRI");
  first->reset();  // the reader's end leaves the file open for the next section
  auto again = MailMessageReader::Open(dir, scan, *mail, options, sink, primary);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(primary.source.get(), opened);
  int messages = 0;
  while ((*again)->Next())
    ++messages;
  EXPECT_EQ(messages, 3);
  // Errors are those of the plain Open, and leave the open file alone.
  ASSERT_NE(pab, nullptr);
  auto wrong = MailMessageReader::Open(dir, scan, *pab, options, sink, primary);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message,
            MailMessageReader::Open(dir, scan, *pab, options, sink).error().message);
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

// A set of per-user files (U<i>.PRI / U<i>.SEC) with `messages` short messages each, plus a
// Directory.pri naming every user; `edit` may change any file before it is stored.
struct PerUserSet {
  std::map<std::string, std::string> files;
  std::string pkl = "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\n";
};

PerUserSet MakePerUserSet(int users, const std::vector<int>& messages) {
  PerUserSet set;
  std::string directory =
      "DIRECTORY\r\nObj-Class,Mode,Common-Name,Display-Name,Secondary-Proxy-Addresses\r\n";
  for (int u = 0; u < users; ++u) {
    const std::string name = "U" + std::to_string(u);
    directory +=
        "Mailbox,Create," + name + "," + name + ",\"MIGRATE:CCMAIL:" + name + " at HQPO\"\r\n";
    if (u % 5 == 4)
      continue;  // no mail: warned about (Q194218)
    set.pkl += name + ".PRI,Primary\r\n" + name + ".SEC,Secondary\r\n";
    std::string sec = "Type,Length,Encoding,Islast,Name,Position,Format\r\n";
    std::string pri = "MAILMESSAGE,\"CCMAIL:" + name +
                      " at HQPO\"\r\nFolder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,"
                      "Priority,Unread,Unsent,Body\r\n";
    const int count = messages[static_cast<std::size_t>(u) % messages.size()];
    for (int m = 0; m < count; ++m) {
      const std::string body = "message " + std::to_string(m) + " of " + name;
      const std::size_t at = sec.size();
      sec += "Body,";
      sec += std::to_string(body.size()) + ",," + (m % 3 == 2 ? "FALSE" : "TRUE") + ",,,\r\n" +
             body + "\r\n";
      if (m % 3 == 2)
        sec += "Attachment,4,,TRUE,A.TXT,-1,\r\ndata\r\n";
      pri += "Inbox,\"Lee, Jordan\",\"A\";\"B\",,,Subject " + std::to_string(m) +
             ",19990412080000,19990412080000,,FALSE,,#" + name + ".SEC(" + std::to_string(at) +
             ")\r\n";
    }
    set.files[name + ".PRI"] = pri;
    set.files[name + ".SEC"] = sec;
  }
  set.files["Directory.pri"] = directory;
  return set;
}

MemoryDirectory Store(const PerUserSet& set) {
  MemoryDirectory dir;
  dir.Put("HQPO.PKL", set.pkl);
  for (const auto& [name, bytes] : set.files)
    dir.Put(name, bytes);
  return dir;
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

// Everything a scan reports, as text, for comparing scans.
std::vector<std::string> Outcome(const Result<FileSetScan, Diagnostic>& scan,
                                 const DiagnosticSink& sink) {
  std::vector<std::string> out;
  for (const auto& d : sink.kept())
    out.push_back(d.ToString());
  out.push_back("counts " + std::to_string(sink.errors()) + " " + std::to_string(sink.warnings()) +
                " " + std::to_string(sink.dropped()));
  if (!scan)
    return out;
  for (const auto& u : scan->users) {
    out.push_back("user " + u.address + " " + u.file + ":" + std::to_string(u.line) + " " +
                  std::to_string(u.has_directory_record) + std::to_string(u.has_pab_section) +
                  std::to_string(u.has_mailmessage_section));
  }
  for (const auto& s : scan->sections) {
    out.push_back("section " + s.file + ":" + std::to_string(s.header_line) + " " + s.owner + " " +
                  std::to_string(s.records));
  }
  const SetSummary& m = scan->summary;
  out.push_back("summary " + std::to_string(m.directory_sections) + " " +
                std::to_string(m.mailmessage_sections) + " " + std::to_string(m.messages) + " " +
                std::to_string(m.attachments) + " " + std::to_string(m.secondary_sections) + " " +
                std::to_string(m.bytes) + " " + std::to_string(scan->valid));
  for (const auto& f : scan->files)
    out.push_back("file " + f.listed_name + " " + std::to_string(f.size) + " " +
                  std::to_string(f.found) + std::to_string(f.has_directory_section));
  return out;
}

std::vector<std::string> ScanWithThreads(const SetDirectory& dir, std::size_t threads,
                                         std::size_t limit = 1000) {
  ScanOptions options;
  options.threads = threads;
  DiagnosticSink sink(limit);
  auto scan = ScanFileSet(dir, "HQPO.PKL", options, sink);
  return Outcome(scan, sink);
}

TEST(FileSet, TheNumberOfReadersChangesNothingInWhatAScanReports) {
  PerUserSet set = MakePerUserSet(24, {6, 3, 9});
  auto& f = set.files;
  Replace(f["U1.PRI"], "19990412080000,19990412080000,,FALSE,,#U1",
          "19991312080000,19990412080000,,FALSE,,#U1");                // bad date
  Replace(f["U2.PRI"], "#U2.SEC(", "#NOWHERE.SEC(");                   // not listed
  Replace(f["U3.PRI"], "#U3.SEC(50)", "#U3.SEC(51)");                  // not on a header
  Replace(f["U5.PRI"], ",#U5.SEC(50)", ",#U6.SEC(50)");                // U6's first section:
  Replace(f["U7.SEC"], "Type,Length,Encoding", "Type,Size,Encoding");  // overlaps across files
  Replace(f["U8.PRI"], "\"A\";\"B\"", "\"A\";;\"B\"");                 // empty item dropped
  Replace(f["U10.PRI"], "Subject 1,", "Subject \"1\" x,");             // quote in a value
  f.erase("U11.SEC");                                                  // missing
  set.pkl += "EXTRA.SEC,Secondary\r\n";                                // unreferenced
  f["EXTRA.SEC"] = "Type,Length,Encoding,Islast,Name,Position,Format\r\n";
  f["STRAY.TXT"] = "not listed";
  MemoryDirectory dir = Store(set);

  const auto one = ScanWithThreads(dir, 1);
  ASSERT_GT(one.size(), 40u);
  for (const char* expected :
       {"U1.PRI:3: error: Send-Date:", "U2.PRI:3: error: pointer to \"NOWHERE.SEC\"",
        "U3.SEC:51: error:", "U6.SEC:50: error: two pointers target the same section",
        "U7.SEC:0: error: file header line", "U8.PRI:3: warning: To: empty list item",
        "HQPO.PKL:", "EXTRA.SEC\" is listed but no pointer", "no MAILMESSAGE section"}) {
    bool found = false;
    for (const auto& line : one)
      found = found || line.find(expected) != std::string::npos;
    EXPECT_TRUE(found) << expected << "\n" << ::testing::PrintToString(one);
  }
  for (std::size_t threads : {2u, 3u, 8u})
    EXPECT_EQ(ScanWithThreads(dir, threads), one) << threads << " readers";
  // With the sink's bound hit, the same diagnostics are kept and the same are dropped.
  const auto bounded = ScanWithThreads(dir, 1, 5);
  EXPECT_EQ(ScanWithThreads(dir, 4, 5), bounded);
}

TEST(FileSet, ManyRecordsOnManyReadersStayInOrder) {
  // Files large enough that readers hand over many chunks and wait for the merge; a few
  // errors spread through them must come out in file and line order, as with one reader.
  PerUserSet set = MakePerUserSet(9, {3000, 20, 5000});
  Replace(set.files["U2.PRI"], "Subject 4000,19990412080000", "Subject 4000,1999041208000x");
  Replace(set.files["U5.PRI"], "Subject 10,19990412080000", "Subject 10,1999041208000x");
  Replace(set.files["U6.PRI"], "Subject 2999,19990412080000", "Subject 2999,1999041208000x");
  MemoryDirectory dir = Store(set);
  const auto one = ScanWithThreads(dir, 1);
  EXPECT_EQ(ScanWithThreads(dir, 2), one);
  EXPECT_EQ(ScanWithThreads(dir, 4), one);
}

// A MemoryDirectory that counts how often each file is opened (from any thread).
class OpenCountingDirectory final : public SetDirectory {
 public:
  explicit OpenCountingDirectory(MemoryDirectory files) : files_(std::move(files)) {}
  std::string path() const override { return files_.path(); }
  Result<std::vector<std::string>, FileError> List() const override { return files_.List(); }
  Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const override {
    std::lock_guard lock(mutex_);
    ++opens[name];
    return files_.Open(name);
  }
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override {
    return files_.Stat(name);
  }
  mutable std::map<std::string, int> opens;

 private:
  MemoryDirectory files_;
  mutable std::mutex mutex_;
};

TEST(FileSet, EachListedFileIsOpenedOnce) {
  PerUserSet set = MakePerUserSet(30, {4, 7});
  set.pkl += "EXTRA.SEC,Secondary\r\n";  // no pointer reaches it: opened for its header
  set.files["EXTRA.SEC"] = "Type,Length,Encoding,Islast,Name,Position,Format\r\n";
  for (std::size_t threads : {1u, 2u}) {
    OpenCountingDirectory dir(Store(set));
    ScanOptions options;
    options.threads = threads;
    DiagnosticSink sink;
    auto scan = ScanFileSet(dir, "HQPO.PKL", options, sink);
    ASSERT_TRUE(scan.ok());
    EXPECT_TRUE(scan->valid) << Dump(sink);
    EXPECT_EQ(dir.opens.size(), set.files.size() + 1) << threads;  // + the packing list
    for (const auto& [name, count] : dir.opens)
      EXPECT_EQ(count, 1) << name << " with " << threads << " readers";
  }
}

// A MemoryDirectory whose Stat of the given files fails (as a stat of a FIFO or a link would).
class StatRefusingDirectory final : public SetDirectory {
 public:
  StatRefusingDirectory(MemoryDirectory files, std::set<std::string> refused)
      : files_(std::move(files)), refused_(std::move(refused)) {}
  std::string path() const override { return files_.path(); }
  Result<std::vector<std::string>, FileError> List() const override { return files_.List(); }
  Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const override {
    return files_.Open(name);
  }
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override {
    if (refused_.count(name))
      return Fail(FileError{0, name + ": a FIFO, not a regular file; refused"});
    return files_.Stat(name);
  }

 private:
  MemoryDirectory files_;
  std::set<std::string> refused_;
};

TEST(FileSet, StatsOnSeveralThreadsReportInListedOrder) {
  // Enough files that the up-front stats are split between threads; the refusals must come
  // out in packing-list order, and the scan must not depend on the number of threads.
  PerUserSet set = MakePerUserSet(700, {1});
  ASSERT_GT(set.files.size(), 1100u);
  StatRefusingDirectory dir(Store(set), {"U1.SEC", "U2.PRI", "U3.PRI", "U698.PRI"});
  const auto one = ScanWithThreads(dir, 1);
  std::vector<std::string> refusals;
  for (const auto& line : one) {
    if (line.find("not a regular file") != std::string::npos)
      refusals.push_back(line);
  }
  EXPECT_EQ(refusals, (std::vector<std::string>{
                          "HQPO.PKL:8: error: U1.SEC: a FIFO, not a regular file; refused",
                          "HQPO.PKL:9: error: U2.PRI: a FIFO, not a regular file; refused",
                          "HQPO.PKL:11: error: U3.PRI: a FIFO, not a regular file; refused",
                          "HQPO.PKL:1123: error: U698.PRI: a FIFO, not a regular file; refused"}))
      << ::testing::PrintToString(one);
  EXPECT_EQ(ScanWithThreads(dir, 2), one);
  EXPECT_EQ(ScanWithThreads(dir, 3), one);
}

// A MemoryDirectory whose Open of one file fails with `code`, as the disk would.
class FailingDirectory final : public SetDirectory {
 public:
  FailingDirectory(MemoryDirectory files, std::string failing, int code)
      : files_(std::move(files)), failing_(std::move(failing)), code_(code) {}
  std::string path() const override { return files_.path(); }
  Result<std::vector<std::string>, FileError> List() const override { return files_.List(); }
  Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const override {
    if (name == failing_)
      return Fail(FileError{code_, name + ": " + std::strerror(code_)});
    return files_.Open(name);
  }
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override {
    return files_.Stat(name);
  }

 private:
  MemoryDirectory files_;
  std::string failing_;
  int code_;
};

// Out of descriptors or memory says nothing about the set: the diagnostic is coded so that the
// import defers the set; a file the process may not read is an ordinary error.
TEST(FileSet, AFileThatCannotBeOpenedForNowIsCodedUnreadableForNow) {
  PerUserSet set = MakePerUserSet(3, {2, 2});
  for (int code : {EMFILE, ENFILE, ENOMEM}) {
    FailingDirectory dir(Store(set), "U1.PRI", code);
    DiagnosticSink sink;
    auto scan = ScanFileSet(dir, "HQPO.PKL", ScanOptions{}, sink);
    ASSERT_TRUE(scan.ok());
    EXPECT_FALSE(scan->valid);
    EXPECT_EQ(sink.unreadable_for_now(), 1u) << Dump(sink);
    ASSERT_FALSE(sink.kept().empty());
    EXPECT_EQ(sink.kept().front().code, DiagnosticCode::kUnreadableForNow) << Dump(sink);
    EXPECT_NE(sink.kept().front().message.find(std::strerror(code)), std::string::npos);
  }
  FailingDirectory denied(Store(set), "U1.PRI", EACCES);
  DiagnosticSink sink;
  auto scan = ScanFileSet(denied, "HQPO.PKL", ScanOptions{}, sink);
  ASSERT_TRUE(scan.ok());
  EXPECT_FALSE(scan->valid);
  EXPECT_EQ(sink.unreadable_for_now(), 0u) << Dump(sink);
  EXPECT_GT(sink.errors(), 0u);
  // The packing list itself: the scan's own error carries the code.
  FailingDirectory pkl(Store(set), "HQPO.PKL", EMFILE);
  DiagnosticSink pkl_sink;
  auto no_scan = ScanFileSet(pkl, "HQPO.PKL", ScanOptions{}, pkl_sink);
  ASSERT_FALSE(no_scan.ok());
  EXPECT_EQ(no_scan.error().code, DiagnosticCode::kUnreadableForNow);
}

}  // namespace
}  // namespace ccm::parser
