// primary_writer_test.cpp — quoting, `;` list encoding, DIRECTORY escapes, and the round trip
// model -> write -> read -> same model for all three section kinds.
#include "parser/primary_writer.h"

#include <gtest/gtest.h>

#include "tests/parser/test_sets.h"

namespace ccm::parser {
namespace {

TEST(PrimaryWriter, QuotesPerW1) {
  EXPECT_EQ(QuoteValue("Inbox"), "Inbox");
  EXPECT_EQ(QuoteValue("Lee, Jordan"), "\"Lee, Jordan\"");
  EXPECT_EQ(QuoteValue("Projects\\Cutover"), "\"Projects\\Cutover\"");
  EXPECT_EQ(QuoteValue("a.txt"), "\"a.txt\"");
  EXPECT_EQ(QuoteValue("#1"), "\"#1\"");
  EXPECT_EQ(QuoteValue("!x"), "\"!x\"");
  EXPECT_EQ(QuoteValue("50%"), "\"50%\"");
  EXPECT_EQ(QuoteValue("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(QuoteValue(" lead"), "\" lead\"");
  EXPECT_EQ(QuoteValue(""), "");
  EXPECT_EQ(EncodePointer({"00000001.SEC", 50}), "#00000001.SEC(50)");  // never quoted
}

TEST(PrimaryWriter, ListEncodingRoundTrips) {
  std::vector<std::vector<std::string>> lists = {
      {"Lee, Jordan", "Natarajan, Priya"},
      {"SMTP:ellis@example.org", "X400:C=US;A= ;P=Corvane;S=Quinn;G=Avery"},
      {"a;b"},
      {"say \"hi\"", "plain"},
      {"Jordan Lee"},
  };
  for (const auto& values : lists) {
    std::string encoded = EncodeSemicolonList(values);
    auto decoded = DecodeSemicolonList(encoded, false);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(decoded->values, values) << encoded;
  }
  EXPECT_EQ(EncodeSemicolonList({"Lee, Jordan", "Natarajan, Priya"}),
            "\"Lee, Jordan\";\"Natarajan, Priya\"");
}

TEST(PrimaryWriter, DirectoryEscapesAndRefusals) {
  auto encoded = EncodeDirectoryValues({"C:\\mail"}, false);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, "\"C:\\\\mail\"");
  EXPECT_FALSE(EncodeDirectoryValues({"50%"}, false).ok());             // no % inside a value
  EXPECT_FALSE(EncodeDirectoryValues({"a\r\nb"}, false).ok());          // no line break
  EXPECT_EQ(*EncodeDirectoryValues({"a\r\nb"}, true), "\"a\\r\\nb\"");  // Comment
  EXPECT_EQ(*EncodeDirectoryValues({"x", "y"}, false), "\"x%y\"");
}

// Writes a model, reads it back with the reader, and returns what was read.
struct Model {
  std::vector<SectionInfo> sections;
  std::vector<DirectoryRecord> directory;
  std::vector<PabEntry> pab;
  std::vector<MailMessage> mail;
};

Model ReadBack(const std::string& text, DiagnosticSink& sink) {
  MemorySource source(text);
  CodePage page = *CodePage::FromNumber(1252);
  ReaderOptions options;
  PrimaryReader reader(source, "W.PRI", page, options, sink);
  Model model;
  for (auto e = reader.Next(); e != PrimaryReader::Event::kEnd; e = reader.Next()) {
    if (e == PrimaryReader::Event::kSection) {
      model.sections.push_back(reader.section());
      continue;
    }
    switch (reader.section().kind) {
      case SectionKind::kDirectory:
        if (auto r = DecodeDirectoryRecord(reader.section(), reader.record(), options, sink)) {
          model.directory.push_back(*r);
        }
        break;
      case SectionKind::kPab:
        if (auto r = DecodePabEntry(reader.section(), reader.record(), options, sink)) {
          model.pab.push_back(*r);
        }
        break;
      case SectionKind::kMailMessage:
        if (auto r = DecodeMailMessage(reader.section(), reader.record(), options, sink)) {
          model.mail.push_back(*r);
        }
        break;
    }
  }
  return model;
}

TEST(PrimaryWriter, RoundTripOfTheAppendixModel) {
  // Read the sample set's primaries, write them with the writer, read again: same model.
  for (const char* name : {"Directory.pri", "00000001.PRI"}) {
    DiagnosticSink sink;
    Model original = ReadBack(testing::ReadFileBytes(testing::AppendixPath(name)), sink);
    ASSERT_EQ(sink.errors(), 0u) << testing::Dump(sink);
    std::string text;
    PrimaryWriter writer(text);
    std::size_t d = 0, p = 0, m = 0;
    // Records follow their sections in order; rebuild per section.
    for (const auto& section : original.sections) {
      writer.BeginSection(section.kind, section.owner);
      writer.ColumnHeader(section.columns);
      if (section.kind == SectionKind::kDirectory) {
        for (; d < original.directory.size(); ++d) {
          ASSERT_TRUE(writer.Write(original.directory[d], section.columns).ok());
        }
      } else if (section.kind == SectionKind::kPab) {
        for (; p < original.pab.size(); ++p)
          ASSERT_TRUE(writer.Write(original.pab[p]).ok());
      } else {
        for (; m < original.mail.size(); ++m)
          ASSERT_TRUE(writer.Write(original.mail[m]).ok());
      }
    }
    DiagnosticSink again;
    Model copy = ReadBack(text, again);
    EXPECT_EQ(again.kept().size(), 0u) << testing::Dump(again) << text;
    ASSERT_EQ(copy.sections.size(), original.sections.size());
    for (std::size_t i = 0; i < copy.sections.size(); ++i) {
      EXPECT_EQ(copy.sections[i].kind, original.sections[i].kind);
      EXPECT_EQ(copy.sections[i].owner, original.sections[i].owner);
      EXPECT_EQ(copy.sections[i].columns, original.sections[i].columns);
    }
    auto same_but_lines = [](auto a, auto b) {
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        b[i].line = a[i].line;
        if constexpr (requires { a[i].offset; })
          b[i].offset = a[i].offset;
        EXPECT_EQ(a[i], b[i]) << i;
      }
    };
    same_but_lines(original.directory, copy.directory);
    same_but_lines(original.pab, copy.pab);
    same_but_lines(original.mail, copy.mail);
  }
}

TEST(PrimaryWriter, RoundTripOfAwkwardValues) {
  MailMessage m;
  m.folder = "Projects\\Cutover, 1999.";
  m.sender = Recipient{"Quinn, \"Ave\" Avery", "CCMAIL:Quinn, Avery at HQPO", "CCMAIL",
                       "Quinn, Avery at HQPO"};
  m.to = {Recipient{"Lee, Jordan", "", "", ""},
          Recipient{"X", "X400:C=US;A= ;P=Corvane", "X400", "C=US;A= ;P=Corvane"}};
  m.cc = {Recipient{"#hash !bang %pct", "", "", ""}};
  m.subject = " Re: \"plans\"; Friday ";
  m.send_date = LocalDateTime{2000, 2, 29, 23, 59, 59};
  m.priority = -1;
  m.unread = true;
  m.body = {"00000001.SEC", 7};
  m.indirect = {{"Bcc", {"00000001.SEC", 99}}};
  std::string text;
  PrimaryWriter writer(text);
  writer.BeginSection(SectionKind::kMailMessage, "CCMAIL:Quinn, Avery at HQPO");
  writer.ColumnHeader(MailMessageColumns());
  ASSERT_TRUE(writer.Write(m).ok());
  DiagnosticSink sink;
  Model back = ReadBack(text, sink);
  ASSERT_EQ(back.mail.size(), 1u) << testing::Dump(sink) << text;
  back.mail[0].line = m.line;
  back.mail[0].offset = m.offset;
  EXPECT_EQ(back.mail[0], m) << text;
  MailMessage bad = m;
  bad.subject = "two\r\nlines";
  EXPECT_FALSE(writer.Write(bad).ok());  // a line break belongs in a secondary file
}

TEST(PrimaryWriter, SectionsAreSeparatedByBlankLines) {
  std::string text;
  PrimaryWriter writer(text);
  writer.Comment(" c");
  writer.BeginSection(SectionKind::kMailMessage, "CCMAIL:Lee, Jordan at HQPO");
  writer.ColumnHeader(MailMessageColumns());
  writer.BeginSection(SectionKind::kMailMessage, "CCMAIL:Quinn, Avery at HQPO");
  writer.ColumnHeader(MailMessageColumns());
  EXPECT_NE(text.find("Body\r\n\r\nMAILMESSAGE,\"CCMAIL:Quinn"), std::string::npos) << text;
  DiagnosticSink sink;
  EXPECT_EQ(ReadBack(text, sink).sections.size(), 2u);
  EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);
}

}  // namespace
}  // namespace ccm::parser
