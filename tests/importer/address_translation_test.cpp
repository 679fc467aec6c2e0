// address_translation_test.cpp — the primary-SMTP rule, the translation table's rules for
// typed items, bare names, SMTP items and unknown people, and the header rendering of each
// outcome; no server.
#include "importer/address_translation.h"

#include <gtest/gtest.h>

namespace ccm::importer {
namespace {

ldap::Entry EntryWith(std::vector<ldap::Attribute> attributes) {
  return {"cn=E,dc=t", std::move(attributes)};
}

TEST(PrimarySmtpAddress, UpperCaseSmtpProxyIsThePrimary) {
  auto e = EntryWith({{"ccmProxyAddress",
                       {"smtp:alias@corvane.example", "CCMAIL:Quinn, Avery at HQPO",
                        "SMTP:aquinn@corvane.example"}},
                      {"mail", {"avery@corvane.example"}}});
  EXPECT_EQ(PrimarySmtpAddress(e), "aquinn@corvane.example");
}

TEST(PrimarySmtpAddress, MailWhenThereIsNoUpperCaseProxy) {
  auto e = EntryWith(
      {{"ccmProxyAddress", {"smtp:alias@corvane.example"}}, {"mail", {"avery@corvane.example"}}});
  EXPECT_EQ(PrimarySmtpAddress(e), "avery@corvane.example");
}

TEST(PrimarySmtpAddress, FirstLowerCaseProxyLast) {
  auto e = EntryWith({{"ccmProxyAddress",
                       {"CCMAIL:Quinn, Avery at HQPO", "smtp:first@corvane.example",
                        "smtp:second@corvane.example"}}});
  EXPECT_EQ(PrimarySmtpAddress(e), "first@corvane.example");
}

TEST(PrimarySmtpAddress, NoneWithoutAnySmtpAddress) {
  auto e = EntryWith({{"ccmProxyAddress", {"CCMAIL:Quinn, Avery at HQPO", "SMTP:"}}});
  EXPECT_EQ(PrimarySmtpAddress(e), std::nullopt);
  EXPECT_EQ(PersonOf(e), std::nullopt);
}

TEST(PersonOf, DisplayNameElseCommonName) {
  auto with_display = EntryWith({{"cn", {"AQuinn"}},
                                 {"displayName", {"Avery Quinn"}},
                                 {"ccmProxyAddress", {"SMTP:aquinn@corvane.example"}}});
  EXPECT_EQ(PersonOf(with_display), (DirectoryPerson{"Avery Quinn", "aquinn@corvane.example"}));
  auto with_cn = EntryWith({{"cn", {"Avery Q"}}, {"mail", {"aquinn@corvane.example"}}});
  EXPECT_EQ(PersonOf(with_cn), (DirectoryPerson{"Avery Q", "aquinn@corvane.example"}));
}

class TranslationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    table_.AddPerson("CCMAIL:Quinn, Avery at HQPO", {"Avery Quinn", "aquinn@corvane.example"});
    table_.AddDisplayName("Avery Quinn", "CCMAIL:Quinn, Avery at HQPO");
  }
  AddressTranslation table_;
};

TEST_F(TranslationTest, TypedItemUnderAnySpellingResolutionAccepts) {
  MailAddress a{"Q", "ccmail", "QUINN,Avery   at hqpo"};
  EXPECT_EQ(table_.Translate(a), AddressForm::kTranslated);
  EXPECT_EQ(a.display_name, "Avery Quinn");
  EXPECT_EQ(a.type, "SMTP");
  EXPECT_EQ(a.address, "aquinn@corvane.example");
  EXPECT_EQ(FormatAddress(a), "Avery Quinn <aquinn@corvane.example>");
}

TEST_F(TranslationTest, MigratePrefixedAddressIsTheSamePerson) {
  EXPECT_NE(table_.Find("migrate:CCMAIL:Quinn, Avery at HQPO"), nullptr);
}

TEST_F(TranslationTest, BareDisplayNameStandsForItsDirectoryRecord) {
  MailAddress a{"avery  QUINN", "", ""};
  EXPECT_EQ(table_.SourceAddressOf(a), "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(table_.Translate(a), AddressForm::kTranslated);
  EXPECT_EQ(FormatAddress(a), "Avery Quinn <aquinn@corvane.example>");
}

TEST_F(TranslationTest, BareNativeNameStandsForTheUserItNames) {
  table_.AddDisplayName(*NativeNameOf("CCMAIL:Quinn, Avery at HQPO"),
                        "CCMAIL:Quinn, Avery at HQPO");
  MailAddress a{"quinn,  avery", "", ""};
  EXPECT_EQ(table_.Translate(a), AddressForm::kTranslated);
  EXPECT_EQ(FormatAddress(a), "Avery Quinn <aquinn@corvane.example>");
}

TEST_F(TranslationTest, BareNativeAddressIsLookedUpAsCcmail) {
  MailAddress a{"Quinn, Avery AT hqpo", "", ""};
  EXPECT_EQ(table_.SourceAddressOf(a), "CCMAIL:Quinn, Avery AT hqpo");
  EXPECT_EQ(table_.Translate(a), AddressForm::kTranslated);
  MailAddress stranger{"Nobody, Known at XXPO", "", ""};
  EXPECT_EQ(table_.Translate(stranger), AddressForm::kUntranslated);
  EXPECT_EQ(stranger.display_name, "Nobody, Known at XXPO");
}

TEST(NativeNameOf, NameBetweenTypeAndTheLastAt) {
  EXPECT_EQ(NativeNameOf("CCMAIL:Quinn, Avery at HQPO"), "Quinn, Avery");
  EXPECT_EQ(NativeNameOf("migrate:CCMAIL:Lee, Jordan at Corp at HQPO"), "Lee, Jordan at Corp");
  EXPECT_EQ(NativeNameOf("Quinn, Avery AT HQPO"), "Quinn, Avery");
  EXPECT_EQ(NativeNameOf("CCMAIL:Quinn, Avery"), std::nullopt);
  EXPECT_EQ(NativeNameOf("CCMAIL: at HQPO"), std::nullopt);
}

TEST_F(TranslationTest, NearMissSpellingIsNotTheSamePerson) {
  MailAddress a{"", "CCMAIL", "Avery Quinn at HQPO"};
  EXPECT_EQ(table_.Translate(a), AddressForm::kUntranslated);
  EXPECT_EQ(a.type, "CCMAIL");
}

TEST_F(TranslationTest, SmtpItemIsKeptAsItIs) {
  MailAddress a{"Morgan Ellis", "SMTP", "mellis@example.org"};
  EXPECT_EQ(table_.SourceAddressOf(a), std::nullopt);
  EXPECT_EQ(table_.Translate(a), AddressForm::kKept);
  EXPECT_EQ(FormatAddress(a), "Morgan Ellis <mellis@example.org>");
}

TEST_F(TranslationTest, UnknownPersonKeepsTheLosslessForm) {
  MailAddress a{"Known Nobody", "CCMAIL", "Nobody, Known at XXPO"};
  const std::string before = FormatAddress(a);
  EXPECT_EQ(table_.Translate(a), AddressForm::kUntranslated);
  EXPECT_EQ(FormatAddress(a), before);
  EXPECT_EQ(
      before,
      "\"Known Nobody [CCMAIL:Nobody, Known at XXPO]\" <Nobody.Known.at.XXPO@ccmail.invalid>");
  MailAddress bare{"Casey Rowe", "", ""};
  EXPECT_EQ(table_.Translate(bare), AddressForm::kUntranslated);
  EXPECT_EQ(FormatAddress(bare), "Casey Rowe <Casey.Rowe@unknown.invalid>");
}

TEST_F(TranslationTest, NameTwoRecordsShareStandsForNeither) {
  table_.AddDisplayName("Avery Quinn", "CCMAIL:Quinn, Avery at BRPO");
  MailAddress a{"Avery Quinn", "", ""};
  EXPECT_EQ(table_.SourceAddressOf(a), std::nullopt);
  EXPECT_EQ(table_.Translate(a), AddressForm::kUntranslated);
}

TEST_F(TranslationTest, SameNameAddedTwiceForTheSameAddressStillStands) {
  table_.AddDisplayName("Avery Quinn", "ccmail:QUINN, Avery at HQPO");
  EXPECT_EQ(table_.SourceAddressOf({"Avery Quinn", "", ""}), "CCMAIL:Quinn, Avery at HQPO");
}

TEST_F(TranslationTest, EmptyItemIsKept) {
  MailAddress a;
  EXPECT_EQ(table_.Translate(a), AddressForm::kKept);
}

TEST_F(TranslationTest, PersonWithoutDisplayNameKeepsTheItemsName) {
  table_.AddPerson("X400:C=US;S=Ortiz", {"", "sortiz@corvane.example"});
  MailAddress a{"Sam", "X400", "C=US;S=Ortiz"};
  EXPECT_EQ(table_.Translate(a), AddressForm::kTranslated);
  EXPECT_EQ(FormatAddress(a), "Sam <sortiz@corvane.example>");
}

}  // namespace
}  // namespace ccm::importer
