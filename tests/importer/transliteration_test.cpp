// transliteration_test.cpp — the built-in Latin table (case kept, ligatures, the pound sign),
// table files (additions, overrides, every kind of bad line named by file and line), text
// with an uncovered character, and TransliterateUsers on code-page addresses; no server.
#include "importer/transliteration.h"

#include <gtest/gtest.h>

#include "parser/source_address.h"

namespace ccm::importer {
namespace {

TEST(Transliteration, BuiltInTableKeepsCase) {
  const Transliteration t = Transliteration::BuiltIn();
  EXPECT_EQ(t.ToAscii("CCMAIL:Ångström, Åsa at HQPO"), "CCMAIL:Angstrom, Asa at HQPO");
  EXPECT_EQ(t.ToAscii("Łukasz Żółć"), "Lukasz Zolc");
  EXPECT_EQ(t.ToAscii("ÆRØ æblegrød Straße Þór ŒUVRE"), "AERO aeblegrod Strasse THor OEUVRE");
  EXPECT_EQ(t.ToAscii("£5"), "L5");
  EXPECT_EQ(t.ToAscii("plain ascii"), "plain ascii");
}

TEST(Transliteration, UncoveredCharacterHasNoSpelling) {
  const Transliteration t = Transliteration::BuiltIn();
  EXPECT_EQ(t.ToAscii("Price€"), std::nullopt);
  EXPECT_EQ(t.ToAscii("3×4"), std::nullopt);  // a sign, not a letter
  EXPECT_EQ(t.ToAscii("Ψ"), std::nullopt);
  EXPECT_EQ(t.ToAscii("\xc5"), std::nullopt);      // not UTF-8
  EXPECT_EQ(t.ToAscii("\xc0\x80"), std::nullopt);  // overlong
}

TEST(Transliteration, TableFileAddsAndOverrides) {
  auto t = Transliteration::WithTableText(
      "# Scandinavian spelling\nÅ AA\nå aa\n\nU+20AC EUR\n  u+03a8   Ps  \r\n", "table.txt");
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->ToAscii("Åsa Ångström"), "AAsa AAngstrom");
  EXPECT_EQ(t->ToAscii("Price€ Ψ"), "PriceEUR Ps");
  EXPECT_EQ(t->ToAscii("Ö"), "O");  // the built-in table still applies
}

TEST(Transliteration, BadTableLinesAreNamed) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : {Case{"Å\n", "table.txt:1: the replacement"},
                        Case{"# ok\nAB x\n", "table.txt:2: \"AB\" is not one character"},
                        Case{"a b\n", "table.txt:1: ASCII characters need no mapping"},
                        Case{"Å A A\n", "table.txt:1: more than a character"},
                        Case{"Å 12345678901234567\n", "table.txt:1: the replacement"},
                        Case{"Å \xc3\xa5\n", "table.txt:1: the replacement"},
                        Case{"U+ZZ A\n", "table.txt:1: \"U+ZZ\" is not one character"},
                        Case{"U+110000 A\n", "table.txt:1: \"U+110000\""}}) {
    auto t = Transliteration::WithTableText(c.text, "table.txt");
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_NE(t.error().find(c.error), std::string::npos) << t.error();
  }
}

TEST(Transliteration, MissingTableFileIsNamed) {
  auto t = Transliteration::WithTableFile("/nonexistent/table.txt");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().find("/nonexistent/table.txt"), std::string::npos);
}

MigratingUser UserFor(std::string address) {
  MigratingUser u;
  u.source_address = std::move(address);
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  return u;
}

TEST(TransliterateUsers, SpellsCodePageAddressesAndKeepsTheSetsKey) {
  auto page = parser::CodePage::FromNumber(1252);
  ASSERT_TRUE(page.ok());
  std::vector<MigratingUser> users = {UserFor("CCMAIL:\xc5ngstr\xf6m, \xc5sa at HQPO"),
                                      UserFor("CCMAIL:Quinn, Avery at HQPO"),
                                      UserFor("CCMAIL:Price\x80, Euro at HQPO")};
  const std::string set_key = users[0].match_key;
  auto count = TransliterateUsers(users, Transliteration::BuiltIn(), *page);
  ASSERT_TRUE(count.ok()) << count.error();
  EXPECT_EQ(*count, 1u);
  EXPECT_EQ(users[0].source_address, "CCMAIL:Angstrom, Asa at HQPO");
  EXPECT_EQ(users[0].match_key, "ccmail:angstrom,asa at hqpo");
  EXPECT_EQ(users[0].transliterated_from, "CCMAIL:Ångström, Åsa at HQPO");
  EXPECT_EQ(users[0].SectionKey(), set_key);
  EXPECT_TRUE(users[1].transliterated_from.empty());
  EXPECT_EQ(users[1].SectionKey(), users[1].match_key);
  // € has no spelling: the user keeps the set's bytes and stays a conflict.
  EXPECT_EQ(users[2].source_address, "CCMAIL:Price\x80, Euro at HQPO");
  EXPECT_TRUE(users[2].transliterated_from.empty());
}

}  // namespace
}  // namespace ccm::importer
