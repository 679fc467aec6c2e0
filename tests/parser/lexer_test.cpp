// lexer_test.cpp — the tokenizer: line ends, comments, blanks, continuation (incl. the
// odd-backslash rule and DBCS trail bytes), quoting, limits, chunk boundaries.
#include "parser/lexer.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace ccm::parser {
namespace {

struct Item {
  LexResult result;
  std::uint64_t line;
  std::vector<std::string> fields;  // raw
  std::string error;
};

// Lexes `text` feeding it in chunks of `chunk` bytes (0 = all at once).
std::vector<Item> Lex(const std::string& text, bool continuation = false, std::size_t chunk = 0,
                      LexerLimits limits = {}, const std::array<bool, 256>* lead = nullptr) {
  Lexer lexer(limits, lead);
  lexer.set_continuation(continuation);
  std::vector<Item> items;
  auto take = [&](LexResult r) {
    Item item{r, 0, {}, {}};
    if (r == LexResult::kRecord) {
      item.line = lexer.record().line;
      for (std::size_t i = 0; i < lexer.record().size(); ++i) {
        item.fields.emplace_back(lexer.record().raw(i));
      }
    } else if (r == LexResult::kBad) {
      item.line = lexer.error_line();
      item.error = lexer.error();
    }
    items.push_back(item);
  };
  std::size_t step = chunk == 0 ? text.size() : chunk;
  for (std::size_t at = 0; at < text.size(); at += step) {
    const char* p = text.data() + at;
    const char* end = text.data() + std::min(text.size(), at + step);
    for (;;) {
      LexResult r = lexer.Consume(p, end);
      if (r == LexResult::kNeedMore)
        break;
      take(r);
    }
  }
  for (;;) {
    LexResult r = lexer.Finish();
    if (r == LexResult::kEof)
      break;
    take(r);
  }
  return items;
}

TEST(Lexer, SplitsFieldsKeepingWhitespaceAndEmptyFields) {
  auto items = Lex(" a , b,,\r\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].result, LexResult::kRecord);
  EXPECT_EQ(items[0].fields, (std::vector<std::string>{" a ", " b", "", ""}));
}

TEST(Lexer, AcceptsCrLfBareCrAndBareLfAndFlagsThem) {
  Lexer lexer;
  std::string text = "a\r\nb\rc\nd\r\n";
  const char* p = text.data();
  const char* end = p + text.size();
  std::vector<std::pair<std::string, int>> seen;  // field, flags
  for (;;) {
    LexResult r = lexer.Consume(p, end);
    if (r == LexResult::kNeedMore)
      r = lexer.Finish();
    if (r == LexResult::kEof)
      break;
    ASSERT_EQ(r, LexResult::kRecord);
    seen.emplace_back(std::string(lexer.record().raw(0)),
                      (lexer.record().bare_cr ? 1 : 0) + (lexer.record().bare_lf ? 2 : 0));
  }
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (std::pair<std::string, int>{"a", 0}));
  EXPECT_EQ(seen[1], (std::pair<std::string, int>{"b", 1}));
  EXPECT_EQ(seen[2], (std::pair<std::string, int>{"c", 2}));
  EXPECT_EQ(seen[3], (std::pair<std::string, int>{"d", 0}));
}

TEST(Lexer, CommentsAndBlankLinesAndLineNumbers) {
  auto items = Lex("!comment, \"x\r\n\r\nrec\r\n");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].result, LexResult::kComment);
  EXPECT_EQ(items[1].result, LexResult::kBlank);
  EXPECT_EQ(items[2].result, LexResult::kRecord);
  EXPECT_EQ(items[2].line, 3u);
}

TEST(Lexer, ContinuationJoinsWithoutSeparatorOnlyWhenEnabled) {
  std::string text = "Folder,Sender\\\\\r\n,To\r\n";
  auto joined = Lex(text, true);
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].fields, (std::vector<std::string>{"Folder", "Sender", "To"}));
  EXPECT_EQ(joined[0].line, 1u);
  auto plain = Lex(text, false);  // DIRECTORY, .PKL, .SEC headers
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[0].fields, (std::vector<std::string>{"Folder", "Sender\\\\"}));
}

TEST(Lexer, OddBackslashRuleKeepsOneBackslashAsData) {
  auto items = Lex("a\\\\\\\r\nb\r\n", true);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].fields, (std::vector<std::string>{"a\\b"}));
}

TEST(Lexer, SingleBackslashAtLineEndIsData) {
  auto items = Lex("a\\\r\nb\r\n", true);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].fields[0], "a\\");
}

TEST(Lexer, ContinuationDoesNotApplyInsideQuotesOrComments) {
  auto quoted = Lex("\"a\\\\\r\nb\"\r\n", true);
  ASSERT_GE(quoted.size(), 1u);
  EXPECT_EQ(quoted[0].result, LexResult::kBad);
  auto comment = Lex("!x\\\\\r\nb\r\n", true);
  ASSERT_EQ(comment.size(), 2u);
  EXPECT_EQ(comment[0].result, LexResult::kComment);
  EXPECT_EQ(comment[1].fields[0], "b");
}

TEST(Lexer, BangInsideContinuedLineIsData) {
  auto items = Lex("a\\\\\r\n!b\r\n", true);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].fields[0], "a!b");
}

TEST(Lexer, EofAfterContinuationIsAnError) {
  auto items = Lex("a\\\\\r\n", true);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].result, LexResult::kBad);
  EXPECT_NE(items[0].error.find("continuation"), std::string::npos);
}

TEST(Lexer, DbcsTrailByteBackslashIsNotAContinuation) {
  std::array<bool, 256> lead{};
  for (int b = 0x81; b <= 0x9F; ++b)
    lead[static_cast<std::size_t>(b)] = true;
  // 0x95 0x5C is one character in code page 932; then a real "\\" would continue.
  std::string text = "x\x95\\\\\r\ny\r\n";
  auto items = Lex(text, true, 0, {}, &lead);
  ASSERT_EQ(items.size(), 2u) << "0x5C after a lead byte plus one '\\' is not a marker";
  auto without = Lex(text, true);
  ASSERT_EQ(without.size(), 1u) << "without the DBCS table the two 0x5C bytes continue";
}

TEST(Lexer, QuotedFieldsDoubledQuotesAndShapes) {
  Lexer lexer;
  std::string text = "\"a,b\",\"say \"\"hi\"\"\",\"x\";\"y\",plain,ab\"c\"\r\n";
  const char* p = text.data();
  ASSERT_EQ(lexer.Consume(p, p + text.size()), LexResult::kRecord);
  const RawRecord& rec = lexer.record();
  ASSERT_EQ(rec.size(), 5u);
  EXPECT_EQ(rec.raw(0), "\"a,b\"");
  EXPECT_EQ(rec.shape(0), FieldShape::kQuoted);
  EXPECT_EQ(rec.raw(1), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(rec.shape(1), FieldShape::kQuoted);
  EXPECT_EQ(rec.shape(2), FieldShape::kMixed);
  EXPECT_EQ(rec.shape(3), FieldShape::kUnquoted);
  EXPECT_EQ(rec.shape(4), FieldShape::kMixed);
}

TEST(Lexer, LineEndInsideQuotesIsBadAndLexingResumes) {
  auto items = Lex("\"open\r\nnext\r\n");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].result, LexResult::kBad);
  EXPECT_EQ(items[0].line, 1u);
  EXPECT_EQ(items[1].fields[0], "next");
}

TEST(Lexer, MissingFinalLineEndIsFlagged) {
  Lexer lexer;
  std::string text = "a,b";
  const char* p = text.data();
  EXPECT_EQ(lexer.Consume(p, p + text.size()), LexResult::kNeedMore);
  EXPECT_EQ(lexer.Finish(), LexResult::kRecord);
  EXPECT_TRUE(lexer.record().unterminated);
  EXPECT_EQ(lexer.Finish(), LexResult::kEof);
}

TEST(Lexer, LimitsGiveBadResultsWithoutBuffering) {
  LexerLimits limits;
  limits.max_field = 4;
  limits.max_line = 10;
  limits.max_fields = 3;
  auto items = Lex("abcde\r\na,b,c,d\r\n1234,1234,1234\r\nok\r\n", false, 0, limits);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].result, LexResult::kBad);
  EXPECT_NE(items[0].error.find("field longer"), std::string::npos);
  EXPECT_EQ(items[1].result, LexResult::kBad);
  EXPECT_NE(items[1].error.find("fields"), std::string::npos);
  EXPECT_EQ(items[2].result, LexResult::kBad);
  EXPECT_NE(items[2].error.find("logical line"), std::string::npos);
  EXPECT_EQ(items[3].fields[0], "ok");
}

TEST(Lexer, ChunkBoundariesDoNotChangeResults) {
  std::string text =
      "!c\r\n\r\nPAB,\"CCMAIL:Quinn, Avery at HQPO\"\r\nx\\\\\r\ny,\"q\"\"q\"\r\nlast\rz\n";
  auto whole = Lex(text, true);
  for (std::size_t chunk : {1u, 2u, 3u, 5u}) {
    auto pieces = Lex(text, true, chunk);
    ASSERT_EQ(pieces.size(), whole.size()) << chunk;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(pieces[i].result, whole[i].result) << chunk;
      EXPECT_EQ(pieces[i].fields, whole[i].fields) << chunk;
      EXPECT_EQ(pieces[i].line, whole[i].line) << chunk;
    }
  }
}

TEST(Lexer, WholeLineInOneReadIsViewedInPlace) {
  Lexer lexer;
  std::string text = "Inbox,\"Quinn, Avery\",#A.SEC(0)\r\n";
  const char* p = text.data();
  ASSERT_EQ(lexer.Consume(p, p + text.size()), LexResult::kRecord);
  const RawRecord& rec = lexer.record();
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec.raw(1).data(), text.data() + 6);  // a view of the input, not a copy
  EXPECT_EQ(rec.shape(1), FieldShape::kQuoted);
  EXPECT_EQ(rec.text(), "Inbox\"Quinn, Avery\"#A.SEC(0)");
  EXPECT_EQ(rec.end_offset, text.size());
  EXPECT_EQ(p, text.data() + text.size());
}

// Whole lines are taken in place, one-byte chunks byte by byte: both must agree on everything a
// caller sees, for every kind of line.
TEST(Lexer, InPlaceAndByteByByteGiveTheSameRecords) {
  const std::vector<std::string> lines = {
      "a,b,c\r\n",
      "\"x\",\"\",\"say \"\"hi\"\"\",\"a\";\"b\",c\"d\"e,\"q\"r,\"q\"\"\r\n",
      "Filed\\Mail,\\\\,\"\\\\\"\r\n",
      "tail\\\\\r\nnext\r\n",
      "x\\\\\\\r\ny\r\n",
      "bare lf\nbare cr\rmixed\r\r\n",
      "\"open\r\nafter\r\n",
      "!comment,with\"quote\r\n\r\n",
      "abcdefghij,k\r\n",
      "1,2,3,4,5\r\n",
      "12345678901\r\n",
      "abcdefg,hijkl,m\r\n",
      "ab\"c\r\n",
      "\"a\"\"\r\n",
      "last,without,end",
  };
  LexerLimits limits;
  limits.max_field = 9;
  limits.max_line = 12;  // above max_field: which limit a long run meets first is chunk-dependent
  limits.max_fields = 4;
  for (bool continuation : {false, true}) {
    for (const auto& line : lines) {
      // Repeated so that a record also starts mid-buffer, after another.
      const std::string text = line + line;
      auto lex = [&](std::size_t chunk) {
        Lexer lexer(limits);
        lexer.set_continuation(continuation);
        std::vector<std::string> seen;
        auto take = [&](LexResult r) {
          const RawRecord& rec = lexer.record();
          std::string item = std::to_string(static_cast<int>(r)) + "@" +
                             std::to_string(r == LexResult::kBad ? lexer.error_line() : rec.line);
          if (r == LexResult::kBad)
            item += " " + lexer.error();
          if (r == LexResult::kRecord) {
            item += " [" + std::to_string(rec.offset) + "," + std::to_string(rec.end_offset) +
                    ") " + std::to_string(rec.bare_lf) + std::to_string(rec.bare_cr) +
                    std::to_string(rec.unterminated) + " " + rec.text();
            for (std::size_t i = 0; i < rec.size(); ++i) {
              item += "|" + std::string(rec.raw(i)) + "/" +
                      std::to_string(static_cast<int>(rec.shape(i)));
            }
          }
          seen.push_back(item);
        };
        std::size_t step = chunk == 0 ? text.size() : chunk;
        for (std::size_t at = 0; at < text.size(); at += step) {
          const char* p = text.data() + at;
          const char* end = text.data() + std::min(text.size(), at + step);
          for (LexResult r; (r = lexer.Consume(p, end)) != LexResult::kNeedMore;)
            take(r);
        }
        for (LexResult r; (r = lexer.Finish()) != LexResult::kEof;)
          take(r);
        seen.push_back("next offset " + std::to_string(lexer.offset()) + ", line " +
                       std::to_string(lexer.line()));
        return seen;
      };
      EXPECT_EQ(lex(0), lex(1)) << line << (continuation ? " (continuation)" : "");
    }
  }
}

TEST(RecordReader, ReportsOffsetsOfRecords) {
  MemorySource source("ab\r\n\r\ncd\r\n");
  RecordReader reader(source, Lexer(), 3);
  ASSERT_EQ(reader.Next(), LexResult::kRecord);
  EXPECT_EQ(reader.lexer().record().offset, 0u);
  EXPECT_EQ(reader.lexer().record().end_offset, 4u);
  ASSERT_EQ(reader.Next(), LexResult::kBlank);
  ASSERT_EQ(reader.Next(), LexResult::kRecord);
  EXPECT_EQ(reader.lexer().record().offset, 6u);
  EXPECT_EQ(reader.lexer().record().line, 3u);
  EXPECT_EQ(reader.Next(), LexResult::kEof);
  reader.Seek(6, 3);
  ASSERT_EQ(reader.Next(), LexResult::kRecord);
  EXPECT_EQ(reader.lexer().record().raw(0), "cd");
}

}  // namespace
}  // namespace ccm::parser
