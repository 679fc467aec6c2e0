// code_page_test.cpp — code-page validation and streaming transcoding to UTF-8.
#include "parser/code_page.h"

#include <gtest/gtest.h>

namespace ccm::parser {
namespace {

TEST(CodePage, RejectsUnicodeAndUnknownPages) {
  for (int unicode : {1200, 1201, 65001, 65000, 12000}) {
    auto page = CodePage::FromNumber(unicode);
    ASSERT_FALSE(page.ok()) << unicode;
    EXPECT_NE(page.error().find("Unicode"), std::string::npos);
  }
  EXPECT_FALSE(CodePage::FromNumber(0).ok());
  EXPECT_FALSE(CodePage::FromNumber(99999).ok());
  EXPECT_FALSE(CodePage::FromNumber(4242).ok());
}

TEST(CodePage, WarnsOn437And10000) {
  for (int lossy : {437, 10000}) {
    std::optional<std::string> warning;
    ASSERT_TRUE(CodePage::FromNumber(lossy, &warning).ok()) << lossy;
    EXPECT_TRUE(warning.has_value()) << lossy;
  }
  std::optional<std::string> warning;
  ASSERT_TRUE(CodePage::FromNumber(1252, &warning).ok());
  EXPECT_FALSE(warning.has_value());
}

TEST(CodePage, DbcsLeadBytes) {
  auto sjis = CodePage::FromNumber(932);
  ASSERT_TRUE(sjis.ok());
  EXPECT_TRUE(sjis->is_dbcs());
  EXPECT_TRUE(sjis->IsLeadByte(0x81));
  EXPECT_TRUE(sjis->IsLeadByte(0xE0));
  EXPECT_FALSE(sjis->IsLeadByte(0xA1));  // half-width katakana is single-byte
  EXPECT_FALSE(sjis->IsLeadByte('\\'));
  for (int page : {936, 949, 950})
    EXPECT_TRUE(CodePage::FromNumber(page)->IsLeadByte(0x81));
  EXPECT_FALSE(CodePage::FromNumber(1252)->is_dbcs());
}

TEST(TextConverter, ConvertsAndStreams) {
  auto cp1252 = TextConverter::Create(*CodePage::FromNumber(1252));
  ASSERT_TRUE(cp1252.ok());
  EXPECT_EQ(cp1252->ToUtf8("Caf\xE9 \x80"), "Caf\xC3\xA9 \xE2\x82\xAC");
  auto sjis = TextConverter::Create(*CodePage::FromNumber(932));
  ASSERT_TRUE(sjis.ok());
  // "表" is 0x95 0x5C in Shift-JIS; split across two chunks.
  std::string out;
  sjis->Convert("a\x95", out, false);
  sjis->Convert("\\b", out, true);
  EXPECT_EQ(out,
            "a\xE8\xA1\xA8"
            "b");
  EXPECT_EQ(sjis->ToUtf8("\x95"), "\xEF\xBF\xBD");  // incomplete at the end
}

}  // namespace
}  // namespace ccm::parser
