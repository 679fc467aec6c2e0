// packing_list_test.cpp — the .PKL reader: the sample set, comments before the code page,
// missing blank line / header, bad names, duplicates, Unicode pages.
#include "parser/packing_list.h"

#include <gtest/gtest.h>

#include "tests/parser/test_sets.h"

namespace ccm::parser {
namespace {

using testing::HasProblem;

Result<PackingList, Diagnostic> Read(const std::string& bytes, DiagnosticSink& sink,
                                     bool lenient = false) {
  MemorySource source(bytes);
  ReaderOptions options;
  options.lenient = lenient;
  return ReadPackingList(source, "T.PKL", options, sink);
}

TEST(PackingList, AppendixA) {
  DiagnosticSink sink;
  MemorySource source(testing::ReadFileBytes(testing::AppendixPath("HQPO.PKL")));
  auto list = ReadPackingList(source, "HQPO.PKL", ReaderOptions{}, sink);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);
  EXPECT_EQ(list->code_page.number(), 1252);
  ASSERT_EQ(list->entries.size(), 3u);
  EXPECT_EQ(list->entries[0].name, "Directory.pri");
  EXPECT_EQ(list->entries[0].type, FileType::kPrimary);
  EXPECT_EQ(list->entries[0].line, 4u);
  EXPECT_EQ(list->entries[2].name, "00000001.SEC");
  EXPECT_EQ(list->entries[2].type, FileType::kSecondary);
}

TEST(PackingList, CommentsBeforeCodePageAndQuotedNames) {
  DiagnosticSink sink;
  auto list = Read("! CodePage\r\n850\r\n\r\nFILENAME,filetype\r\n\"A.PRI\",primary\r\n", sink);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(sink.errors(), 0u) << testing::Dump(sink);
  EXPECT_EQ(list->code_page.number(), 850);
  EXPECT_EQ(list->entries[0].name, "A.PRI");
}

TEST(PackingList, MissingBlankLineIsErrorStrictWarningLenient) {
  DiagnosticSink strict;
  ASSERT_TRUE(Read("1252\r\nFilename,Filetype\r\nA.PRI,Primary\r\n", strict).ok());
  EXPECT_TRUE(HasProblem(strict, Severity::kError, "T.PKL", 2, "blank line"));
  DiagnosticSink lenient;
  ASSERT_TRUE(Read("1252\r\nFilename,Filetype\r\nA.PRI,Primary\r\n", lenient, true).ok());
  EXPECT_EQ(lenient.errors(), 0u);
  EXPECT_TRUE(HasProblem(lenient, Severity::kWarning, "T.PKL", 2, "blank line"));
}

TEST(PackingList, MissingColumnHeaderIsAWarning) {
  DiagnosticSink sink;
  auto list = Read("1252\r\n\r\nA.PRI,Primary\r\n", sink);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(sink.errors(), 0u);
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "T.PKL", 3, "Filename,Filetype"));
  EXPECT_EQ(list->entries.size(), 1u);
}

TEST(PackingList, BadCodePagesFail) {
  for (const char* text : {"65001\r\n\r\n", "UTF8\r\n\r\n", "123456\r\n\r\n", "1252,x\r\n", ""}) {
    DiagnosticSink sink;
    EXPECT_FALSE(Read(text, sink).ok()) << text;
  }
  DiagnosticSink sink;
  auto list = Read("437\r\n\r\nFilename,Filetype\r\nA.PRI,Primary\r\n", sink);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "T.PKL", 1, "Q174725"));
}

TEST(PackingList, NamesTypesAndDuplicates) {
  DiagnosticSink sink;
  auto list = Read(
      "1252\r\n\r\nFilename,Filetype\r\n"
      "A.PRI,Primary\r\n"        // 4
      "../B.PRI,Primary\r\n"     // 5 path
      "C:B.PRI,Primary\r\n"      // 6 drive
      "a.pri,Primary\r\n"        // 7 duplicate (case-insensitive)
      "D.SEC,Tertiary\r\n"       // 8 bad type
      "E(1).SEC,Secondary\r\n"   // 9 name pointers cannot carry
      "F.SEC\r\n"                // 10 one field
      "sub\\G.PRI,Primary\r\n",  // 11 backslash
      sink);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->entries.size(), 1u);
  for (std::uint64_t line : {5u, 6u, 7u, 8u, 9u, 10u, 11u}) {
    EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PKL", line, "")) << line << "\n"
                                                                       << testing::Dump(sink);
  }
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PKL", 7, "listed twice"));
}

TEST(PackingList, NoPrimaryIsAnError) {
  DiagnosticSink sink;
  ASSERT_TRUE(Read("1252\r\n\r\nFilename,Filetype\r\nA.SEC,Secondary\r\n", sink).ok());
  EXPECT_GT(sink.errors(), 0u);
  EXPECT_NE(testing::Dump(sink).find("no primary"), std::string::npos);
}

TEST(PackingList, BareLfIsAcceptedWithAWarningAndMissingFinalLineEnd) {
  DiagnosticSink sink;
  auto list = Read("1252\n\nFilename,Filetype\nA.PRI,Primary", sink);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "T.PKL", 1, "bare LF"));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.PKL", 4, "line end"));
  EXPECT_FALSE(list->ends_with_line_end);
}

}  // namespace
}  // namespace ccm::parser
