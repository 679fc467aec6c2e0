// primary_reader_test.cpp — sections and records of primary files: header detection
// after blank lines, data records that look like headers, column headers (alias table, wrong PAB
// header), field counts, continuation per section kind, owner MIGRATE: prefix, re-reading one
// section, and typed decoding of the sample set's records.
#include "parser/primary_reader.h"

#include <gtest/gtest.h>

#include "parser/records.h"
#include "tests/parser/test_sets.h"

namespace ccm::parser {
namespace {

using testing::HasProblem;

const std::string kMailHeader =
    "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,Body\r\n";

struct Read {
  std::vector<SectionInfo> sections;
  std::vector<std::pair<SectionKind, std::uint64_t>> records;  // kind, line
};

Read ReadAll(const std::string& bytes, DiagnosticSink& sink, bool lenient = false,
             const std::string& name = "T.PRI") {
  MemorySource source(bytes);
  ReaderOptions options;
  options.lenient = lenient;
  CodePage page = *CodePage::FromNumber(1252);
  PrimaryReader reader(source, name, page, options, sink);
  Read out;
  for (;;) {
    auto event = reader.Next();
    if (event == PrimaryReader::Event::kEnd)
      break;
    if (event == PrimaryReader::Event::kSection)
      out.sections.push_back(reader.section());
    if (event == PrimaryReader::Event::kRecord) {
      out.records.emplace_back(reader.section().kind, reader.record().line);
    }
  }
  return out;
}

TEST(PrimaryReader, AppendixADirectoryPri) {
  DiagnosticSink sink;
  auto read = ReadAll(testing::ReadFileBytes(testing::AppendixPath("Directory.pri")), sink);
  EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);
  ASSERT_EQ(read.sections.size(), 1u);
  EXPECT_EQ(read.sections[0].kind, SectionKind::kDirectory);
  EXPECT_EQ(read.sections[0].header_line, 2u);
  EXPECT_EQ(read.sections[0].columns[6], "Secondary-Proxy-Addresses");
  EXPECT_EQ(read.records.size(), 2u);
}

TEST(PrimaryReader, AppendixA00000001Pri) {
  DiagnosticSink sink;
  auto read = ReadAll(testing::ReadFileBytes(testing::AppendixPath("00000001.PRI")), sink);
  EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);
  ASSERT_EQ(read.sections.size(), 2u);
  EXPECT_EQ(read.sections[0].kind, SectionKind::kPab);
  EXPECT_EQ(read.sections[0].owner, "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(read.sections[0].columns.size(), 24u);  // continued over three lines
  EXPECT_EQ(read.sections[1].kind, SectionKind::kMailMessage);
  EXPECT_EQ(read.sections[1].header_line, 8u);
  ASSERT_EQ(read.records.size(), 5u);
  EXPECT_EQ(read.records[2].second, 10u);
  EXPECT_EQ(read.records[3].second, 11u);  // continued record: first physical line
  EXPECT_EQ(read.records[4].second, 13u);
}

TEST(PrimaryReader, DataRecordThatLooksLikeAHeaderIsData) {
  DiagnosticSink sink;
  std::string text = "MAILMESSAGE,\"CCMAIL:Quinn, Avery at HQPO\"\r\n" + kMailHeader +
                     "PAB,Jordan Lee,Avery Quinn,,,s,,,,,,#A.SEC(0)\r\n"
                     "PAB,x\r\n";  // header-shaped, no blank line: strict error
  auto read = ReadAll(text, sink);
  ASSERT_EQ(read.sections.size(), 1u);
  EXPECT_EQ(read.records.size(), 1u);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PRI", 4, "blank line"));
  DiagnosticSink lenient_sink;
  auto lenient = ReadAll(text, lenient_sink, true);
  EXPECT_EQ(lenient.sections.size(), 1u) << "a PAB header without its 24 columns is skipped";
  EXPECT_TRUE(HasProblem(lenient_sink, Severity::kWarning, "T.PRI", 4, "blank line"));
}

TEST(PrimaryReader, BlankLineFollowedByDataContinuesTheSection) {
  DiagnosticSink sink;
  std::string text = "MAILMESSAGE,\"CCMAIL:Q at HQPO\"\r\n" + kMailHeader +
                     "Inbox,a,b,,,s,,,,,,#A.SEC(0)\r\n\r\nInbox,a,b,,,t,,,,,,#A.SEC(9)\r\n";
  auto read = ReadAll(text, sink);
  EXPECT_EQ(sink.errors(), 0u) << testing::Dump(sink);
  EXPECT_EQ(read.sections.size(), 1u);
  EXPECT_EQ(read.records.size(), 2u);
}

TEST(PrimaryReader, WrongPabHeaderIsRejectedAndSectionSkipped) {
  DiagnosticSink sink;
  std::string text =
      "PAB,\"CCMAIL:Quinn, Avery at HQPO\"\r\nObj-class,Display-Name,Email-Address\r\n"
      "entry,Morgan,SMTP:m@example.org\r\n\r\nMAILMESSAGE,CCMAIL:x\r\n" +
      kMailHeader;
  auto read = ReadAll(text, sink);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PRI", 2, "24 columns"));
  EXPECT_EQ(read.records.size(), 0u);
  ASSERT_EQ(read.sections.size(), 1u);
  EXPECT_EQ(read.sections[0].kind, SectionKind::kMailMessage);
}

TEST(PrimaryReader, FieldCountsStrictAndLenient) {
  std::string text = "MAILMESSAGE,CCMAIL:x\r\n" + kMailHeader +
                     "Inbox,a,b,,,s,,,,,\r\n"                   // 11 fields
                     "Inbox,a,b,,,s,,,,,,#A.SEC(0),extra\r\n";  // 13 fields
  DiagnosticSink strict;
  auto s = ReadAll(text, strict);
  EXPECT_EQ(s.records.size(), 0u);
  EXPECT_TRUE(HasProblem(strict, Severity::kError, "T.PRI", 3, "11 fields"));
  EXPECT_TRUE(HasProblem(strict, Severity::kError, "T.PRI", 4, "13 fields"));
  DiagnosticSink lenient;
  auto l = ReadAll(text, lenient, true);
  EXPECT_EQ(l.records.size(), 1u);
  EXPECT_TRUE(HasProblem(lenient, Severity::kWarning, "T.PRI", 3, "missing fields"));
  EXPECT_TRUE(HasProblem(lenient, Severity::kError, "T.PRI", 4, "13 fields"));
}

TEST(PrimaryReader, DirectoryAliasesAndNoContinuation) {
  DiagnosticSink sink;
  std::string text =
      "DIRECTORY\r\n"
      "obj-class,MODE,Directory Name,Display Name,Last Name,First Name,Hide From AB,"
      "Secondary-Proxy-Addresses\r\n"
      "mailbox,create,AQuinn,\"C:\\\\\",Quinn,Avery,1,\"MIGRATE:CCMAIL:Quinn, Avery at HQPO\"\r\n";
  MemorySource source(text);
  CodePage page = *CodePage::FromNumber(1252);
  ReaderOptions options;
  PrimaryReader reader(source, "D.PRI", page, options, sink);
  ASSERT_EQ(reader.Next(), PrimaryReader::Event::kSection);
  EXPECT_EQ(reader.section().columns,
            (std::vector<std::string>{"Obj-Class", "Mode", "Common-Name", "Display-Name", "Surname",
                                      "Given-Name", "Hide-From-Address-Book",
                                      "Secondary-Proxy-Addresses"}));
  ASSERT_EQ(reader.Next(), PrimaryReader::Event::kRecord);
  auto record = DecodeDirectoryRecord(reader.section(), reader.record(), options, sink);
  ASSERT_TRUE(record.has_value()) << testing::Dump(sink);
  EXPECT_EQ(record->First("Display-Name"), "C:\\");  // trailing \\ is an escape, not a join
  EXPECT_EQ(record->First("Hide-From-Address-Book"), "1");
  EXPECT_EQ(reader.Next(), PrimaryReader::Event::kEnd);
}

TEST(PrimaryReader, OwnerMigratePrefixIsStripped) {
  DiagnosticSink sink;
  std::string text =
      "PAB,\"migrate:CCMAIL:Quinn, Avery at HQPO\"\r\n"
      "Obj-class,Display-Name,Email-Address,First,Last,Address,City,State,Zip,"
      "Country,Title,Company,Department,Office,Assistant,Bus-Num,Bus2-Num,"
      "Assist-Num,Fax-Num,Home-Num,Home2-Num,Mobile-Num,Pager-Num,Note\r\n"
      "\r\nMAILMESSAGE,PublicMessages\r\n" +
      kMailHeader;
  auto read = ReadAll(text, sink);
  ASSERT_EQ(read.sections.size(), 2u);
  EXPECT_EQ(read.sections[0].owner, "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_TRUE(read.sections[0].had_migrate_prefix);
  EXPECT_TRUE(read.sections[1].is_public);
  EXPECT_EQ(sink.errors(), 0u) << testing::Dump(sink);
}

TEST(PrimaryReader, MalformedStructure) {
  DiagnosticSink sink;
  std::string text =
      "Inbox,x\r\n"                        // 1 before any section
      "\r\nMAILMESSAGE,\"CCMAIL:a\"b\r\n"  // 3 bad owner quoting
      "\r\nMAILMESSAGE,CCMAIL:c\r\n"       // 5 header without column header (EOF)
      "   \r\n";                           // 6 only spaces
  ReadAll(text, sink);
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PRI", 1, "before the first section"));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PRI", 3, "after end doublequote"));
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "T.PRI", 6, "only spaces"));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PRI", 5, "not followed by a column header"));
}

TEST(PrimaryReader, DirectoryHeaderRulesAndModes) {
  DiagnosticSink sink;
  std::string text =
      "DIRECTORY,,\r\n"
      "Obj-Class,Mode,Common-Name\r\n"
      "mailbox,Update,X\r\n"           // 3 mode
      "Dist-List,Create,Y\r\n"         // 4 obj-class
      "mailbox,Create,#A.SEC(0)\r\n";  // 5 pointer in DIRECTORY
  MemorySource source(text);
  CodePage page = *CodePage::FromNumber(1252);
  ReaderOptions options;
  PrimaryReader reader(source, "D.PRI", page, options, sink);
  ASSERT_EQ(reader.Next(), PrimaryReader::Event::kSection);
  int decoded = 0;
  while (reader.Next() == PrimaryReader::Event::kRecord) {
    decoded += DecodeDirectoryRecord(reader.section(), reader.record(), options, sink) ? 1 : 0;
  }
  EXPECT_EQ(decoded, 0);
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "D.PRI", 1, "trailing empty fields"));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "D.PRI", 3, "Mode must be Create"));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "D.PRI", 4, "mailbox, remote or dl"));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "D.PRI", 5, "pointers are not allowed"));
}

TEST(PrimaryReader, SeekToSectionRereadsOneSection) {
  DiagnosticSink sink;
  std::string bytes = testing::ReadFileBytes(testing::AppendixPath("00000001.PRI"));
  auto read = ReadAll(bytes, sink);
  ASSERT_EQ(read.sections.size(), 2u);
  MemorySource source(bytes);
  CodePage page = *CodePage::FromNumber(1252);
  ReaderOptions options;
  PrimaryReader reader(source, "T.PRI", page, options, sink);
  reader.SeekToSection(read.sections[0]);  // the PAB section: must stop before MAILMESSAGE
  ASSERT_EQ(reader.Next(), PrimaryReader::Event::kSection);
  EXPECT_EQ(reader.section(), read.sections[0]);
  int records = 0;
  while (reader.Next() == PrimaryReader::Event::kRecord)
    ++records;
  EXPECT_EQ(records, 2);
}

TEST(Records, AppendixAMessagesAndPab) {
  DiagnosticSink sink;
  std::string bytes = testing::ReadFileBytes(testing::AppendixPath("00000001.PRI"));
  MemorySource source(bytes);
  CodePage page = *CodePage::FromNumber(1252);
  ReaderOptions options;
  PrimaryReader reader(source, "00000001.PRI", page, options, sink);
  std::vector<PabEntry> pab;
  std::vector<MailMessage> mail;
  for (auto e = reader.Next(); e != PrimaryReader::Event::kEnd; e = reader.Next()) {
    if (e != PrimaryReader::Event::kRecord)
      continue;
    if (reader.section().kind == SectionKind::kPab) {
      pab.push_back(*DecodePabEntry(reader.section(), reader.record(), options, sink));
    } else {
      mail.push_back(*DecodeMailMessage(reader.section(), reader.record(), options, sink));
    }
  }
  EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);
  ASSERT_EQ(pab.size(), 2u);
  EXPECT_FALSE(pab[0].is_dl);
  EXPECT_EQ(pab[0].addresses, (std::vector<std::string>{"SMTP:mellis@example.org"}));
  EXPECT_EQ(pab[0].fields[11], "Ellis & Hart, Ltd.");
  EXPECT_TRUE(pab[1].is_dl);
  EXPECT_EQ(pab[1].addresses,
            (std::vector<std::string>{"CCMAIL:Lee, Jordan at HQPO", "Morgan Ellis"}));
  ASSERT_EQ(mail.size(), 3u);
  EXPECT_EQ(mail[0].folder, "Inbox");
  EXPECT_EQ(mail[0].sender->display_name, "Jordan Lee");
  EXPECT_EQ(mail[0].subject, "Cutover date");
  EXPECT_EQ(*mail[0].send_date, (LocalDateTime{1999, 4, 9, 11, 30, 0}));
  EXPECT_EQ(*mail[0].received_date, (LocalDateTime{1999, 4, 9, 11, 32, 5}));
  EXPECT_EQ(mail[0].priority, 1);
  EXPECT_TRUE(mail[0].unread);
  EXPECT_FALSE(mail[0].unsent);
  EXPECT_EQ(mail[0].body, (Pointer{"00000001.SEC", 50}));
  EXPECT_EQ(mail[1].folder, "Projects\\Cutover");
  ASSERT_EQ(mail[1].to.size(), 2u);
  EXPECT_EQ(mail[1].to[1].display_name, "Morgan Ellis");
  EXPECT_EQ(mail[1].to[1].address_type, "SMTP");
  EXPECT_EQ(mail[1].body.offset, 123u);
  EXPECT_EQ(mail[1].line, 11u);
  EXPECT_EQ(mail[2].priority, 0);
  EXPECT_FALSE(mail[2].unread);
  EXPECT_EQ(mail[2].body.offset, 243u);
}

TEST(Records, MailMessageFieldErrorsNameLineAndColumn) {
  DiagnosticSink sink;
  std::string text = "MAILMESSAGE,CCMAIL:x\r\n" + kMailHeader +
                     "Inbox,a,b,,,s,19990231000000,,2,maybe,,\"#A.SEC(0)\"\r\n"
                     "Inbox,a,\"b\"x;c,,,s,,,,,,#A.SEC(\r\n";
  MemorySource source(text);
  CodePage page = *CodePage::FromNumber(1252);
  ReaderOptions options;
  PrimaryReader reader(source, "M.PRI", page, options, sink);
  ASSERT_EQ(reader.Next(), PrimaryReader::Event::kSection);
  while (reader.Next() == PrimaryReader::Event::kRecord) {
    EXPECT_FALSE(DecodeMailMessage(reader.section(), reader.record(), options, sink).has_value());
  }
  auto has = [&](std::uint64_t line, const std::string& field, const std::string& part) {
    for (const auto& d : sink.kept()) {
      if (d.where == line && d.field == field && d.message.find(part) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has(3, "Send-Date", "day 31")) << testing::Dump(sink);  // invalid date
  EXPECT_TRUE(has(3, "Priority", "-1, 0 or 1"));
  EXPECT_TRUE(has(3, "Unread", "TRUE or FALSE"));
  EXPECT_TRUE(has(3, "Body", "quoted field is never a pointer"));
  EXPECT_TRUE(has(4, "To", "doublequote"));  // quoting error in a list
  EXPECT_TRUE(has(4, "Body", "malformed pointer"));
}

}  // namespace
}  // namespace ccm::parser

namespace ccm::parser {
namespace {

TEST(PrimaryReader, DbcsTrailBackslashAtLineEndIsNotAContinuation) {
  // Code page 932: 0x95 0x5C is one character; with one more '\' the line ends in "\\" only
  // for a reader that ignores lead bytes.
  std::string pab =
      "PAB,\"CCMAIL:Quinn, Avery at HQPO\"\r\n"
      "Obj-class,Display-Name,Email-Address,First,Last,Address,City,State,Zip,Country,Title,"
      "Company,Department,Office,Assistant,Bus-Num,Bus2-Num,Assist-Num,Fax-Num,Home-Num,"
      "Home2-Num,Mobile-Num,Pager-Num,Note\r\n"
      "entry,A,SMTP:a@example.org,,,,,,,,,,,,,,,,,,,,,x\x95\\\\\r\n"
      "entry,B,SMTP:b@example.org,,,,,,,,,,,,,,,,,,,,,y\r\n";
  for (int page_number : {932, 1252}) {
    MemorySource source(pab);
    CodePage page = *CodePage::FromNumber(page_number);
    ReaderOptions options;
    DiagnosticSink sink;
    PrimaryReader reader(source, "J.PRI", page, options, sink);
    ASSERT_EQ(reader.Next(), PrimaryReader::Event::kSection);
    std::vector<PabEntry> entries;
    while (reader.Next() == PrimaryReader::Event::kRecord) {
      if (auto e = DecodePabEntry(reader.section(), reader.record(), options, sink)) {
        entries.push_back(*e);
      }
    }
    if (page_number == 932) {
      ASSERT_EQ(entries.size(), 2u) << testing::Dump(sink);
      EXPECT_EQ(entries[0].fields[23], "x\x95\\\\");
      EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);
    } else {
      EXPECT_GT(sink.errors(), 0u) << "single-byte reading joins the lines: 47 fields";
    }
  }
}

}  // namespace
}  // namespace ccm::parser
