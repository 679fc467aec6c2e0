// ascii_test.cpp — the one ASCII case-folding and trimming helper: only A–Z fold, bytes of other
// code pages are never touched, and trimming removes only the blanks asked for.
#include "ccm/ascii.h"

#include <gtest/gtest.h>

namespace ccm {
namespace {

TEST(Ascii, LowerFoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("HQPO.PKL"), "hqpo.pkl");
  EXPECT_EQ(AsciiLower("Zürich ÄÖ"), "zürich ÄÖ");             // UTF-8 bytes unchanged
  EXPECT_EQ(AsciiLower(std::string("\xC4\xD6")), "\xC4\xD6");  // Latin-1 bytes unchanged
  EXPECT_EQ(AsciiLower('Q'), 'q');
  EXPECT_EQ(AsciiLower('@'), '@');
  EXPECT_EQ(AsciiLower('['), '[');
}

TEST(Ascii, EqualsIgnoreCaseComparesAsciiOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("MailMessage", "MAILMESSAGE"));
  EXPECT_FALSE(EqualsIgnoreCase("Body", "Bodies"));
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));        // 0x40 and 0x60 differ only by the case bit
  EXPECT_FALSE(EqualsIgnoreCase("\xC4", "\xE4"));  // Ä and ä in Latin-1 are not folded
}

TEST(Ascii, PrefixesAndSuffixesIgnoreCase) {
  EXPECT_TRUE(StartsWithIgnoreCase("MIGRATE:Quinn", "migrate:"));
  EXPECT_FALSE(StartsWithIgnoreCase("MIG", "migrate:"));
  EXPECT_TRUE(EndsWithIgnoreCase("HQPO.PKL", ".pkl"));
  EXPECT_FALSE(EndsWithIgnoreCase("pkl", ".pkl"));
}

TEST(Ascii, TrimRemovesOnlyTheBlanksAskedFor) {
  EXPECT_EQ(Trim(" \tInbox \t"), "Inbox");
  EXPECT_EQ(Trim("  "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" a b "), "a b");
  EXPECT_EQ(Trim("\t Inbox \t", " "), "\t Inbox \t");
  EXPECT_EQ(Trim("  Inbox\t ", " "), "Inbox\t");
}

}  // namespace
}  // namespace ccm
