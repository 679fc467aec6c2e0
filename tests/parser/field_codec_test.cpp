// field_codec_test.cpp — unquoting, `;` lists, DIRECTORY escapes (backslashes in values),
// pointers, scalars (invalid dates), recipient items (quotes in names).
#include "parser/field_codec.h"

#include <gtest/gtest.h>

namespace ccm::parser {
namespace {

std::vector<std::string> List(std::string_view raw, bool lenient = false) {
  auto list = DecodeSemicolonList(raw, lenient);
  EXPECT_TRUE(list.ok()) << raw;
  return list ? list->values : std::vector<std::string>{};
}

TEST(Unquote, QuotedUnquotedAndErrors) {
  EXPECT_EQ(*Unquote("\"Lee, Jordan\"", FieldShape::kQuoted, false), "Lee, Jordan");
  EXPECT_EQ(*Unquote("\"say \"\"hi\"\"\"", FieldShape::kQuoted, false), "say \"hi\"");
  EXPECT_EQ(*Unquote("Projects\\Cutover", FieldShape::kUnquoted, false), "Projects\\Cutover");
  EXPECT_EQ(*Unquote("\"\"", FieldShape::kQuoted, false), "");
  auto after = Unquote("\"a\"b", FieldShape::kMixed, false);
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.error().find("after end doublequote"), std::string::npos);
  EXPECT_FALSE(Unquote("ab\"c", FieldShape::kMixed, false).ok());   // strict
  EXPECT_EQ(*Unquote("ab\"c", FieldShape::kMixed, true), "ab\"c");  // lenient
}

TEST(SemicolonList, PerValueQuoting) {
  EXPECT_EQ(List("\"Lee, Jordan\";\"Natarajan, Priya\""),
            (std::vector<std::string>{"Lee, Jordan", "Natarajan, Priya"}));
  EXPECT_EQ(List("Jordan Lee;\"Morgan Ellis [SMTP:mellis@example.org]\""),
            (std::vector<std::string>{"Jordan Lee", "Morgan Ellis [SMTP:mellis@example.org]"}));
  EXPECT_EQ(List("\"Lee, Jordan\""), (std::vector<std::string>{"Lee, Jordan"}));
  EXPECT_TRUE(List("").empty());
}

TEST(SemicolonList, WholeFieldQuotingWithNestedQuotes) {
  EXPECT_EQ(List("\"SMTP:ellis@example.org;\"\"X400:C=US;A= ;P=Corvane;S=Quinn;G=Avery\"\"\""),
            (std::vector<std::string>{"SMTP:ellis@example.org",
                                      "X400:C=US;A= ;P=Corvane;S=Quinn;G=Avery"}));
}

TEST(SemicolonList, WholeFieldQuotingWithoutNestedQuotes) {
  // One quoted piece whose content holds ';' is a list too, doubled quotes or not.
  EXPECT_EQ(List("\"Lee, Jordan at HQPO;Quinn, Avery at HQPO\""),
            (std::vector<std::string>{"Lee, Jordan at HQPO", "Quinn, Avery at HQPO"}));
  EXPECT_EQ(List("\"a;b\"", true), (std::vector<std::string>{"a", "b"}));
  auto dropped = DecodeSemicolonList("\"a;;b\"", false);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(dropped->dropped_empty, 1);
}

TEST(SemicolonList, EmptyPiecesAreDroppedAndCounted) {
  auto list = DecodeSemicolonList("a;;b;", false);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(list->dropped_empty, 2);
}

// The check counts and fails exactly as decoding does, with quotes or without.
TEST(SemicolonList, CheckAgreesWithDecode) {
  for (const char* raw : {"", ";", ";;", "a", "a;;b;", ";a", "a b;c d", "\"a;b\"", "\"a\";;\"b\"",
                          "Lee\"Jordan;b", "\"Lee, Jordan\"x;b", "\"\"", "x;\"y\";",
                          "\"Quinn, Avery\"", "\"a;;b\"", "\"a\"\"b\"", "\"a\"b\"", "\""}) {
    for (bool lenient : {false, true}) {
      auto decoded = DecodeSemicolonList(raw, lenient);
      auto checked = CheckSemicolonList(raw, lenient);
      ASSERT_EQ(checked.ok(), decoded.ok()) << raw;
      if (decoded.ok())
        EXPECT_EQ(*checked, decoded->dropped_empty) << raw;
      else
        EXPECT_EQ(checked.error(), decoded.error()) << raw;
    }
  }
}

TEST(SemicolonList, QuotingErrorsAreReportedStrictly) {
  EXPECT_FALSE(DecodeSemicolonList("\"Lee, Jordan\"x;b", false).ok());
  EXPECT_FALSE(DecodeSemicolonList("Lee\"Jordan;b", false).ok());
  EXPECT_TRUE(DecodeSemicolonList("Lee\"Jordan;b", true).ok());
}

TEST(DirectoryValues, EscapesAndPercentLists) {
  auto v = DecodeDirectoryValues("\"C:\\\\mail\\\\x\"", FieldShape::kQuoted, false, false, false);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, (std::vector<std::string>{"C:\\mail\\x"}));
  auto multi = DecodeDirectoryValues("\"CCMAIL:Quinn, Avery at HQPO%SMTP:aquinn@corvane.example\"",
                                     FieldShape::kQuoted, true, false, false);
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(*multi, (std::vector<std::string>{"CCMAIL:Quinn, Avery at HQPO",
                                              "SMTP:aquinn@corvane.example"}));
  auto single = DecodeDirectoryValues("50%", FieldShape::kUnquoted, false, false, false);
  EXPECT_EQ(*single, (std::vector<std::string>{"50%"}));
  auto comment = DecodeDirectoryValues("\"a\\r\\nb\"", FieldShape::kQuoted, false, true, false);
  EXPECT_EQ(*comment, (std::vector<std::string>{"a\r\nb"}));
}

TEST(DirectoryValues, BadEscapesAreErrors) {
  auto lone =
      DecodeDirectoryValues("\"Projects\\Cutover\"", FieldShape::kQuoted, false, false, false);
  ASSERT_FALSE(lone.ok());
  EXPECT_NE(lone.error().find("\\C"), std::string::npos);
  EXPECT_FALSE(DecodeDirectoryValues("\"x\\\"", FieldShape::kQuoted, false, false, false).ok());
  EXPECT_FALSE(DecodeDirectoryValues("\"a\\%b\"", FieldShape::kQuoted, true, false, false).ok());
  auto lenient = DecodeDirectoryValues("\"a\\%b\"", FieldShape::kQuoted, true, false, true);
  EXPECT_EQ(*lenient, (std::vector<std::string>{"a%b"}));
  EXPECT_FALSE(DecodeDirectoryValues("\"a\\nb\"", FieldShape::kQuoted, false, false, false).ok());
}

TEST(Pointer, OnlyUnquotedFieldsAreParsed) {
  auto p = ParsePointer("#00000001.SEC(50)", FieldShape::kUnquoted);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->file, "00000001.SEC");
  EXPECT_EQ(p->offset, 50u);
  EXPECT_FALSE(ParsePointer("\"#00000001.SEC(50)\"", FieldShape::kQuoted).has_value());
  EXPECT_EQ(ParsePointer("#A.SEC(007)", FieldShape::kUnquoted)->offset, 7u);
  EXPECT_EQ(ParsePointer("#A.SEC(18446744073709551615)", FieldShape::kUnquoted)->offset,
            18446744073709551615u);
}

TEST(Pointer, MalformedPointersAreRejected) {
  for (const char* bad : {"#A.SEC()", "#(5)", "#A.SEC(5", "#A.SEC(x)", "#A/B.SEC(5)", "#A:B(5)",
                          "#A.SEC(18446744073709551616)", "#A.SEC(-1)"}) {
    EXPECT_FALSE(ParsePointer(bad, FieldShape::kUnquoted).has_value()) << bad;
    EXPECT_TRUE(LooksLikePointer(bad, FieldShape::kUnquoted)) << bad;
  }
}

TEST(Date, ValidatesTheCalendar) {
  auto ok = ParseDate("19990409113000");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(**ok, (LocalDateTime{1999, 4, 9, 11, 30, 0}));
  EXPECT_FALSE(ParseDate("").value().has_value());
  EXPECT_TRUE(ParseDate("20000229000000").ok());
  for (const char* bad :
       {"19990231000000", "19000229000000", "19991301000000", "19990100000000", "19990101240000",
        "19990101006000", "19990101000060", "1999010100000", "199901010000000", "1999O101000000",
        "00000101000000", " 9990101000000"}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
  EXPECT_NE(ParseDate("19990231000000").error().find("day 31"), std::string::npos);
}

TEST(Scalars, BooleansPriorityIntegers) {
  EXPECT_EQ(*ParseBool("True"), std::optional<bool>(true));
  EXPECT_EQ(*ParseBool("FALSE"), std::optional<bool>(false));
  EXPECT_FALSE(ParseBool("").value().has_value());
  EXPECT_FALSE(ParseBool("yes").ok());
  EXPECT_FALSE(ParseBool("1").ok());
  EXPECT_EQ(*ParsePriority(""), 0);
  EXPECT_EQ(*ParsePriority("-1"), -1);
  EXPECT_EQ(*ParsePriority("1"), 1);
  EXPECT_FALSE(ParsePriority("2").ok());
  EXPECT_EQ(*ParseInteger("-42"), -42);
  EXPECT_FALSE(ParseInteger("").ok());
  EXPECT_FALSE(ParseInteger("-").ok());
  EXPECT_FALSE(ParseInteger("0 ").ok());
  EXPECT_FALSE(ParseInteger("99999999999999999999").ok());
}

TEST(Recipient, NameAndBracketedAddress) {
  auto plain = ParseRecipient("Jordan Lee");
  EXPECT_EQ(plain.display_name, "Jordan Lee");
  EXPECT_TRUE(plain.address.empty());
  auto spaced = ParseRecipient("Morgan Ellis [SMTP:mellis@example.org]");
  EXPECT_EQ(spaced.display_name, "Morgan Ellis");
  EXPECT_EQ(spaced.address_type, "SMTP");
  EXPECT_EQ(spaced.address_value, "mellis@example.org");
  auto tight = ParseRecipient("Gamers[SMTP:gamers@example.com]");
  EXPECT_EQ(tight.display_name, "Gamers");
  EXPECT_EQ(tight.address, "SMTP:gamers@example.com");
  auto x400 = ParseRecipient("Q [X400:c=US;a=[x]]");  // address runs to the last ']'
  EXPECT_EQ(x400.address, "X400:c=US;a=[x]");
  auto ccmail = ParseRecipient("Quinn, Avery [CCMAIL:Quinn, Avery at HQPO]");
  EXPECT_EQ(ccmail.address_type, "CCMAIL");
  EXPECT_EQ(ccmail.address_value, "Quinn, Avery at HQPO");
  auto quote = ParseRecipient("Say \"Hi\" Smith");  // quotes in a name: kept as given
  EXPECT_EQ(quote.display_name, "Say \"Hi\" Smith");
}

}  // namespace
}  // namespace ccm::parser
