// set_messages_test.cpp — MAILMESSAGE records to delivery messages: the sample set (Avery's
// three messages: exact body, AGENDA.TXT at position 0, the free document ROLLBACK.TXT) and
// small in-memory sets for code-page transcoding, time zones, several bodies, an Other
// field and identity stability.
#include "importer/set_messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "parser/source_address.h"

namespace ccm::importer {
namespace {

using namespace std::chrono;

std::string ReadAll(ContentSource& source, std::size_t step = 7) {
  std::string out;
  std::vector<char> buffer(step);
  for (;;) {
    auto n = source.Read(buffer);
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
    if (!n.ok() || *n == 0)
      break;
    out.append(buffer.data(), *n);
  }
  return out;
}

struct LoadedSet {
  std::unique_ptr<parser::SetDirectory> directory;
  parser::FileSetScan scan;
  parser::ReaderOptions options;
  parser::DiagnosticSink sink;
};

std::unique_ptr<LoadedSet> Load(std::unique_ptr<parser::SetDirectory> directory,
                                const std::string& pkl) {
  auto set = std::make_unique<LoadedSet>();
  set->directory = std::move(directory);
  auto scan = parser::ScanFileSet(*set->directory, pkl, {}, set->sink);
  EXPECT_TRUE(scan.ok()) << (scan.ok() ? "" : scan.error().ToString());
  if (!scan.ok())
    return nullptr;
  set->scan = std::move(*scan);
  for (const auto& d : set->sink.kept()) {
    if (d.severity == parser::Severity::kError)
      ADD_FAILURE() << d.ToString();
  }
  EXPECT_TRUE(set->scan.valid);
  return set;
}

// Calls `take` with every message of the MAILMESSAGE sections `wanted` accepts, in file order.
template <typename Wanted, typename Take>
void EachMessage(LoadedSet& set, SetMessageSource& source, Wanted wanted, Take take) {
  for (const auto& section : set.scan.sections) {
    if (section.kind != parser::SectionKind::kMailMessage || !wanted(section))
      continue;
    auto messages = source.OpenSection(section, set.sink);
    EXPECT_TRUE(messages.ok()) << (messages.ok() ? "" : messages.error().message);
    if (!messages.ok())
      return;
    for (;;) {
      auto next = (*messages)->Next();
      EXPECT_TRUE(next.ok()) << (next.ok() ? "" : next.error().message);
      if (!next.ok() || !next->has_value())
        break;
      take(**next);
    }
  }
}

std::vector<SetMessage> MessagesOf(LoadedSet& set, SetMessageSource& source,
                                   std::string_view owner) {
  std::vector<SetMessage> out;
  EachMessage(
      set, source,
      [&](const parser::SectionInfo& section) {
        return parser::NormalizeSourceAddress(section.owner) ==
               parser::NormalizeSourceAddress(owner);
      },
      [&](SetMessage& message) { out.push_back(std::move(message)); });
  return out;
}

std::unique_ptr<LoadedSet> AppendixA() {
  auto dir =
      parser::DiskDirectory::OpenPath(std::string(CCM_SOURCE_DIR) + "/conf/examples/HQPO.001");
  EXPECT_TRUE(dir.ok());
  if (!dir.ok())
    return nullptr;
  return Load(std::move(*dir), "HQPO.PKL");
}

TEST(SetMessages, AppendixAAverysThreeMessages) {
  auto set = AppendixA();
  ASSERT_NE(set, nullptr);
  auto source = SetMessageSource::Open(*set->directory, set->scan, TimeZone::Utc(), set->options);
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto messages = MessagesOf(*set, **source, "CCMAIL:Quinn, Avery at HQPO");
  ASSERT_EQ(messages.size(), 3u);

  // Message 1: body text exact (CR LF kept; the composer normalises line ends).
  SetMessage& m1 = messages[0];
  EXPECT_EQ(m1.folder, "Inbox");
  EXPECT_EQ(m1.message.subject, "Cutover date");
  EXPECT_EQ(m1.message.sender.display_name, "Jordan Lee");
  ASSERT_EQ(m1.message.to.size(), 1u);
  EXPECT_EQ(m1.message.to[0].display_name, "Avery Quinn");
  EXPECT_EQ(m1.message.priority, 1);
  EXPECT_TRUE(m1.message.unread);
  EXPECT_FALSE(m1.message.unsent);
  ASSERT_TRUE(m1.message.sent.has_value());
  EXPECT_EQ(*m1.message.sent, sys_days{1999y / 4 / 9} + 11h + 30min);
  EXPECT_EQ(*m1.message.received, sys_days{1999y / 4 / 9} + 11h + 32min + 5s);
  ASSERT_EQ(m1.message.parts.size(), 1u);
  EXPECT_EQ(m1.message.parts[0].kind, PartKind::kBody);
  EXPECT_EQ(ReadAll(*m1.message.parts[0].content),
            "Can we move the HQPO cutover to Saturday?\r\n\r\nJordan\r\n");
  EXPECT_TRUE(m1.warnings.empty());
  EXPECT_EQ(m1.origin, "00000001.PRI:10");

  // Message 2: body and the attachment AGENDA.TXT, 36 bytes, position 0.
  SetMessage& m2 = messages[1];
  EXPECT_EQ(m2.folder, "Projects\\Cutover");
  ASSERT_EQ(m2.message.to.size(), 2u);
  EXPECT_EQ(m2.message.to[1].display_name, "Morgan Ellis");
  EXPECT_EQ(m2.message.to[1].type, "SMTP");
  EXPECT_EQ(m2.message.to[1].address, "mellis@example.org");
  ASSERT_EQ(m2.message.parts.size(), 2u);
  EXPECT_EQ(ReadAll(*m2.message.parts[0].content), "Draft agenda attached.\r\n");
  const MessagePart& agenda = m2.message.parts[1];
  EXPECT_EQ(agenda.kind, PartKind::kAttachment);
  EXPECT_EQ(agenda.name, "AGENDA.TXT");
  EXPECT_EQ(agenda.size, 36u);
  EXPECT_FALSE(agenda.macbinary);
  EXPECT_EQ(ReadAll(*m2.message.parts[1].content), "1. Directory sync\r\n2. Mail cutover\r\n");
  ASSERT_EQ(m2.positions.size(), 1u);
  EXPECT_EQ(m2.positions[0], std::optional<std::int64_t>(0));

  // Message 3: a free document, ROLLBACK.TXT, 23 bytes; the empty body stays empty.
  SetMessage& m3 = messages[2];
  EXPECT_FALSE(m3.message.unread);
  ASSERT_EQ(m3.message.parts.size(), 2u);
  EXPECT_EQ(ReadAll(*m3.message.parts[0].content), "");
  EXPECT_EQ(m3.message.parts[1].kind, PartKind::kDocument);
  EXPECT_EQ(m3.message.parts[1].name, "ROLLBACK.TXT");
  EXPECT_EQ(m3.message.parts[1].size, 23u);
  EXPECT_EQ(ReadAll(*m3.message.parts[1].content), "Rollback checklist v2\r\n");

  // Identities: distinct, and owner + file + offsets are visible in them.
  EXPECT_NE(m1.message.identity, m2.message.identity);
  EXPECT_NE(m2.message.identity, m3.message.identity);
  EXPECT_EQ(m1.message.identity.rfind("ccm1:ccmail:quinn,avery at hqpo|00000001.pri@", 0), 0u)
      << m1.message.identity;
  EXPECT_NE(m1.message.identity.find("|00000001.sec@50|"), std::string::npos);

  // No Jordan messages: his mail section does not exist in the original set.
  EXPECT_TRUE(MessagesOf(*set, **source, "CCMAIL:Lee, Jordan at HQPO").empty());
}

TEST(SetMessages, IdentityIsStableAcrossRuns) {
  std::vector<std::string> first, second;
  for (auto* ids : {&first, &second}) {
    auto set = AppendixA();
    ASSERT_NE(set, nullptr);
    auto source = SetMessageSource::Open(*set->directory, set->scan, TimeZone::Utc(), set->options);
    ASSERT_TRUE(source.ok());
    for (auto& m : MessagesOf(*set, **source, "CCMAIL:Quinn, Avery at HQPO"))
      ids->push_back(m.message.identity);
  }
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(first, second);
}

TEST(SetMessages, SourceTimeZoneAppliesToDates) {
  auto set = AppendixA();
  ASSERT_NE(set, nullptr);
  auto zone = TimeZone::Load("America/New_York");
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  auto source = SetMessageSource::Open(*set->directory, set->scan, *zone, set->options);
  ASSERT_TRUE(source.ok());
  auto messages = MessagesOf(*set, **source, "CCMAIL:Quinn, Avery at HQPO");
  ASSERT_EQ(messages.size(), 3u);
  // 1999-04-09 11:30 EDT (UTC-4; DST began 1999-04-04).
  EXPECT_EQ(*messages[0].message.sent, sys_days{1999y / 4 / 9} + 15h + 30min);
}

// A small set built in memory: one MAILMESSAGE section whose secondary sections are given.
struct SecSection {
  std::string header;  // without CR LF; "{len}" is replaced by the data length
  std::string data;
};

std::string BuildSecondary(const std::vector<SecSection>& sections,
                           std::vector<std::uint64_t>& offsets) {
  std::string sec = "Type,Length,Encoding,Islast,Name,Position,Format\r\n";
  for (const auto& s : sections) {
    offsets.push_back(sec.size());
    std::string header = s.header;
    header.replace(header.find("{len}"), 5, std::to_string(s.data.size()));
    sec += header + "\r\n" + s.data + "\r\n";
  }
  return sec;
}

std::unique_ptr<LoadedSet> MemorySet(const std::string& records, const std::string& sec) {
  auto dir = std::make_unique<parser::MemoryDirectory>();
  dir->Put("M.PKL", "1252\r\n\r\nFilename,Filetype\r\nM.PRI,Primary\r\nM.SEC,Secondary\r\n");
  dir->Put("M.PRI",
           "MAILMESSAGE,\"CCMAIL:Quinn, Avery at HQPO\"\r\n"
           "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,Body"
           "\r\n" +
               records);
  dir->Put("M.SEC", sec);
  return Load(std::move(dir), "M.PKL");
}

TEST(SetMessages, TranscodesCodePageTextAndConcatenatesBodies) {
  std::vector<std::uint64_t> at;
  std::string sec = BuildSecondary({{"Body,{len},,FALSE,,,",
                                     "Gr\xfc\xdf"
                                     "e, "},
                                    {"Body,{len},,FALSE,,,", "Andr\xe9\r\n"},
                                    {"Attachment,{len},,TRUE,\"R\xc9SUM\xc9.TXT\",-1,Macbinary",
                                     std::string("\x00\x01\xff", 3)}},
                                   at);
  auto set =
      MemorySet("Inbox,\"M\xfcller, J\xfcrgen\",Avery Quinn,,,Caf\xe9 \x80,,,-1,,TRUE,#M.SEC(" +
                    std::to_string(at[0]) + ")\r\n",
                sec);
  ASSERT_NE(set, nullptr);
  auto source = SetMessageSource::Open(*set->directory, set->scan, TimeZone::Utc(), set->options);
  ASSERT_TRUE(source.ok());
  auto messages = MessagesOf(*set, **source, "CCMAIL:Quinn, Avery at HQPO");
  ASSERT_EQ(messages.size(), 1u);
  SetMessage& m = messages[0];
  EXPECT_EQ(m.message.subject, "Caf\u00e9 \u20ac");
  EXPECT_EQ(m.message.sender.display_name, "M\u00fcller, J\u00fcrgen");
  EXPECT_EQ(m.message.priority, -1);
  EXPECT_TRUE(m.message.unsent);
  EXPECT_FALSE(m.message.sent.has_value());
  ASSERT_EQ(m.message.parts.size(), 2u);
  // One byte at a time: the transcoder must carry nothing wrong across reads.
  EXPECT_EQ(ReadAll(*m.message.parts[0].content, 1), "Gr\u00fc\u00dfe, Andr\u00e9\r\n");
  EXPECT_EQ(m.message.parts[1].name, "R\u00c9SUM\u00c9.TXT");
  EXPECT_TRUE(m.message.parts[1].macbinary);
  EXPECT_EQ(ReadAll(*m.message.parts[1].content), std::string("\x00\x01\xff", 3));
  ASSERT_EQ(m.positions.size(), 1u);
  EXPECT_EQ(m.positions[0], std::optional<std::int64_t>(-1));
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].find("concatenated in order"), std::string::npos) << m.warnings[0];
  EXPECT_EQ(m.warnings[0].rfind("M.PRI:3: ", 0), 0u) << m.warnings[0];
}

TEST(SetMessages, FieldInAnOtherSectionIsUsed) {
  std::vector<std::uint64_t> at;
  std::string sec = BuildSecondary(
      {{"Body,{len},,TRUE,,,", "Hi\r\n"}, {"Other,{len},,TRUE,,,", "Jordan Lee;\"Lee, Pat\"\r\n"}},
      at);
  auto set = MemorySet("Inbox,Avery Quinn,#M.SEC(" + std::to_string(at[1]) +
                           "),,,Hello,19990409113000,,,,,#M.SEC(" + std::to_string(at[0]) + ")\r\n",
                       sec);
  ASSERT_NE(set, nullptr);
  auto source = SetMessageSource::Open(*set->directory, set->scan, TimeZone::Utc(), set->options);
  ASSERT_TRUE(source.ok());
  auto messages = MessagesOf(*set, **source, "CCMAIL:Quinn, Avery at HQPO");
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(messages[0].message.to.size(), 2u);
  EXPECT_EQ(messages[0].message.to[0].display_name, "Jordan Lee");
  EXPECT_EQ(messages[0].message.to[1].display_name, "Lee, Pat");
  EXPECT_TRUE(messages[0].warnings.empty());
}

TEST(SetMessages, DifferentContentAtTheSamePlaceGetsADifferentIdentity) {
  std::vector<std::uint64_t> at;
  std::string sec = BuildSecondary({{"Body,{len},,TRUE,,,", "Hi\r\n"}}, at);
  std::string ids[2];
  int i = 0;
  for (const char* subject : {"First", "Other"}) {
    auto set = MemorySet(std::string("Inbox,A,B,,,") + subject + ",,,,,,#M.SEC(50)\r\n", sec);
    ASSERT_NE(set, nullptr);
    auto source = SetMessageSource::Open(*set->directory, set->scan, TimeZone::Utc(), set->options);
    ASSERT_TRUE(source.ok());
    auto messages = MessagesOf(*set, **source, "CCMAIL:Quinn, Avery at HQPO");
    ASSERT_EQ(messages.size(), 1u);
    ids[i++] = messages[0].message.identity;
  }
  EXPECT_NE(ids[0], ids[1]);
}

// A SetDirectory over in-memory files that counts what delivery asks of the file system: opens
// per file, reads per file with their sizes, and how many sources are open at once.
struct FileCounts {
  int opens = 0;
  int reads = 0;
  std::uint64_t bytes_read = 0;
  std::size_t largest_read = 0;
  int live = 0;
  int most_live = 0;
};

class CountingSource final : public parser::ByteSource {
 public:
  CountingSource(std::unique_ptr<parser::ByteSource> inner, FileCounts& counts)
      : inner_(std::move(inner)), counts_(counts) {
    counts_.most_live = std::max(counts_.most_live, ++counts_.live);
  }
  ~CountingSource() override { --counts_.live; }
  std::uint64_t size() const override { return inner_->size(); }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override {
    if (offset < inner_->size()) {  // FileSource makes no system call at the end
      ++counts_.reads;
      counts_.largest_read = std::max(counts_.largest_read, buffer.size());
    }
    auto n = inner_->ReadAt(offset, buffer);
    if (n.ok())
      counts_.bytes_read += *n;
    return n;
  }

 private:
  std::unique_ptr<parser::ByteSource> inner_;
  FileCounts& counts_;
};

class CountingDirectory final : public parser::SetDirectory {
 public:
  void Put(const std::string& name, std::string bytes) { files_.Put(name, std::move(bytes)); }
  std::string path() const override { return files_.path(); }
  Result<std::vector<std::string>, FileError> List() const override { return files_.List(); }
  Result<std::unique_ptr<parser::ByteSource>, FileError> Open(
      const std::string& name) const override {
    auto opened = files_.Open(name);
    if (!opened.ok())
      return opened;
    std::lock_guard lock(mutex_);  // the scan opens files on several threads
    FileCounts& c = counts[name];
    ++c.opens;
    return std::unique_ptr<parser::ByteSource>(
        std::make_unique<CountingSource>(std::move(*opened), c));
  }
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override {
    return files_.Stat(name);
  }
  /// Forgets what the scan did; live counts stay (sources still open stay open).
  void ResetCounts() {
    for (auto& [name, c] : counts)
      c = FileCounts{0, 0, 0, 0, c.live, c.live};
  }
  mutable std::map<std::string, FileCounts> counts;

 private:
  parser::MemoryDirectory files_;
  mutable std::mutex mutex_;
};

// Every message of every MAILMESSAGE section in file order, each rendered as its parts' bytes
// joined by '|'; messages are dropped as soon as they are read, as delivery does.
std::vector<std::string> ReadEveryMessage(LoadedSet& set, SetMessageSource& source) {
  std::vector<std::string> out;
  EachMessage(
      set, source, [](const parser::SectionInfo&) { return true; },
      [&](SetMessage& message) {
        std::string text;
        for (MessagePart& part : message.message.parts)
          text += ReadAll(*part.content, 64 * 1024) + "|";
        out.push_back(std::move(text));
      });
  return out;
}

// ReadEveryMessage through a new source (UTC), as delivery opens one: after
// CountingDirectory::ResetCounts its reads are the only ones counted.
std::vector<std::string> ReadWithNewSource(LoadedSet& set) {
  auto source = SetMessageSource::Open(*set.directory, set.scan, TimeZone::Utc(), set.options);
  EXPECT_TRUE(source.ok()) << (source.ok() ? "" : source.error().message);
  return source ? ReadEveryMessage(set, **source) : std::vector<std::string>{};
}

const char kColumns[] =
    "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,Body\r\n";

TEST(SetMessages, OneReadServesTheConsecutiveChainsOfSmallMessages) {
  // Two users' sections in one primary file, twenty messages in one secondary file: bodies, an
  // attachment every fourth message and a To field in an Other section every fifth.
  std::vector<SecSection> sections;
  for (int i = 0; i < 20; ++i) {
    bool attachment = i % 4 == 3;
    sections.push_back({std::string("Body,{len},,") + (attachment ? "FALSE" : "TRUE") + ",,,",
                        "body " + std::to_string(i) + std::string(500, 'x')});
    if (attachment)
      sections.push_back({"Attachment,{len},,TRUE,A.TXT,-1,", "attachment " + std::to_string(i)});
    if (i % 5 == 4)
      sections.push_back({"Other,{len},,TRUE,,,", "To " + std::to_string(i) + "\r\n"});
  }
  std::vector<std::uint64_t> at;
  std::string sec = BuildSecondary(sections, at);
  std::string pri;
  std::vector<std::string> expected;
  std::size_t s = 0;
  for (int user = 0; user < 2; ++user) {
    pri += std::string(user == 0 ? "" : "\r\n") + "MAILMESSAGE,\"CCMAIL:User " +
           std::to_string(user) + " at HQPO\"\r\n" + kColumns;
    for (int i = user * 10; i < user * 10 + 10; ++i) {
      std::uint64_t body = at[s++];
      std::string text = "body " + std::to_string(i) + std::string(500, 'x') + "|";
      if (i % 4 == 3) {
        text += "attachment " + std::to_string(i) + "|";
        ++s;
      }
      std::string to = "B";
      if (i % 5 == 4)
        to = "#M.SEC(" + std::to_string(at[s++]) + ")";
      pri += "Inbox,A," + to + ",,,S,,,,,,#M.SEC(" + std::to_string(body) + ")\r\n";
      expected.push_back(text);
    }
  }
  ASSERT_EQ(s, at.size());
  auto counting = std::make_unique<CountingDirectory>();
  CountingDirectory& dir = *counting;
  dir.Put("M.PKL", "1252\r\n\r\nFilename,Filetype\r\nM.PRI,Primary\r\nM.SEC,Secondary\r\n");
  dir.Put("M.PRI", pri);
  dir.Put("M.SEC", sec);
  ASSERT_LT(sec.size(), 128u * 1024);
  auto set = Load(std::move(counting), "M.PKL");
  ASSERT_NE(set, nullptr);
  dir.ResetCounts();

  EXPECT_EQ(ReadWithNewSource(*set), expected);
  // One open of each file; one read of the secondary file for all 20 chains (headers, line-end
  // probes, data, Other fields); one read of the primary file per section.
  EXPECT_EQ(dir.counts["M.SEC"].opens, 1);
  EXPECT_EQ(dir.counts["M.SEC"].reads, 1);
  EXPECT_EQ(dir.counts["M.PRI"].opens, 1);
  EXPECT_EQ(dir.counts["M.PRI"].reads, 2);
}

TEST(SetMessages, LargePartsStreamThroughABoundedWindow) {
  // A 1 MiB attachment between two small messages: it is read in bounded steps, never whole,
  // and nothing is read twice over.
  std::string big;
  for (int i = 0; big.size() < (1 << 20); ++i)
    big += std::to_string(i) + ",";
  std::vector<std::uint64_t> at;
  std::string sec = BuildSecondary({{"Body,{len},,TRUE,,,", "first"},
                                    {"Body,{len},,FALSE,,,", "second"},
                                    {"Attachment,{len},,TRUE,BIG.BIN,-1,", big},
                                    {"Body,{len},,TRUE,,,", "third"}},
                                   at);
  auto counting = std::make_unique<CountingDirectory>();
  CountingDirectory& dir = *counting;
  dir.Put("M.PKL", "1252\r\n\r\nFilename,Filetype\r\nM.PRI,Primary\r\nM.SEC,Secondary\r\n");
  dir.Put("M.PRI", std::string("MAILMESSAGE,\"CCMAIL:Quinn, Avery at HQPO\"\r\n") + kColumns +
                       "Inbox,A,B,,,S,,,,,,#M.SEC(" + std::to_string(at[0]) + ")\r\n" +
                       "Inbox,A,B,,,S,,,,,,#M.SEC(" + std::to_string(at[1]) + ")\r\n" +
                       "Inbox,A,B,,,S,,,,,,#M.SEC(" + std::to_string(at[3]) + ")\r\n");
  dir.Put("M.SEC", sec);
  auto set = Load(std::move(counting), "M.PKL");
  ASSERT_NE(set, nullptr);
  dir.ResetCounts();

  EXPECT_EQ(ReadWithNewSource(*set),
            (std::vector<std::string>{"first|", "second|" + big + "|", "third|"}));
  const FileCounts& c = dir.counts["M.SEC"];
  EXPECT_EQ(c.opens, 1);
  EXPECT_LE(c.largest_read, 128u * 1024);
  EXPECT_GE(c.reads, static_cast<int>(big.size() / (128 * 1024)));
  EXPECT_LE(c.bytes_read, sec.size() + 2 * 128 * 1024);
}

TEST(SetMessages, OpenSecondaryFilesAreBounded) {
  // Twenty users, each with a primary and a secondary file of their own, read in order: each
  // file is opened once and at most eight secondary files are open at any time.
  auto counting = std::make_unique<CountingDirectory>();
  CountingDirectory& dir = *counting;
  std::string pkl = "1252\r\n\r\nFilename,Filetype\r\n";
  std::vector<std::string> expected;
  for (int user = 0; user < 20; ++user) {
    std::string name = "U" + std::to_string(user);
    pkl += name + ".PRI,Primary\r\n" + name + ".SEC,Secondary\r\n";
    std::vector<std::uint64_t> at;
    std::string sec = BuildSecondary(
        {{"Body,{len},,TRUE,,,", "to " + name}, {"Body,{len},,TRUE,,,", "again " + name}}, at);
    dir.Put(name + ".SEC", sec);
    dir.Put(name + ".PRI", "MAILMESSAGE,\"CCMAIL:" + name + " at HQPO\"\r\n" + kColumns +
                               "Inbox,A,B,,,S,,,,,,#" + name + ".SEC(" + std::to_string(at[0]) +
                               ")\r\nInbox,A,B,,,S,,,,,,#" + name + ".SEC(" +
                               std::to_string(at[1]) + ")\r\n");
    expected.push_back("to " + name + "|");
    expected.push_back("again " + name + "|");
  }
  dir.Put("M.PKL", pkl);
  auto set = Load(std::move(counting), "M.PKL");
  ASSERT_NE(set, nullptr);
  dir.ResetCounts();

  // The source stays open: its secondary files are what is counted live below.
  auto source = SetMessageSource::Open(*set->directory, set->scan, TimeZone::Utc(), set->options);
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(ReadEveryMessage(*set, **source), expected);
  int live = 0;
  for (const auto& [name, c] : dir.counts) {
    if (name == "M.PKL")
      continue;
    EXPECT_EQ(c.opens, 1) << name;
    EXPECT_EQ(c.reads, 1) << name;
    if (name.ends_with(".SEC"))
      live += c.live;
  }
  EXPECT_EQ(live, 8);
}

}  // namespace
}  // namespace ccm::importer
