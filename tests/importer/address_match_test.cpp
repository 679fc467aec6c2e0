// address_match_test.cpp — search spellings, the escaped resolution filter, near-miss variants
// and the client-side normalised confirmation of returned entries; no server.
#include "importer/address_match.h"

#include <gtest/gtest.h>

#include "parser/source_address.h"

namespace ccm::importer {
namespace {

MigratingUser UserFor(std::string address) {
  MigratingUser u;
  u.source_address = std::move(address);
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  return u;
}

ldap::Entry WithProxy(std::string value) {
  return {"cn=E,dc=t", {{"objectClass", {"ccmCustomRecipient"}}, {"ccmProxyAddress", {value}}}};
}

ldap::Entry WithTarget(std::string value) {
  return {"cn=E,dc=t", {{"objectClass", {"ccmCustomRecipient"}}, {"ccmTargetAddress", {value}}}};
}

// One user's resolution filter, as a one-user search sends it.
ldap::Filter ResolutionFilterOf(const MigratingUser& user, bool match_target_without_type) {
  return ldap::Filter::Or(ResolutionTerms(user, match_target_without_type));
}

EntryMatch Classify(const ldap::Entry& entry, const MigratingUser& user,
                    bool match_target_without_type) {
  return ClassifyEntry(AddressKeysOf(entry), MatchKeysOf(user), match_target_without_type);
}

TEST(SearchSpellings, CoverTheCommaSpacingTheServerDoesNotFold) {
  EXPECT_EQ(
      SearchSpellings("CCMAIL:Quinn, Avery at HQPO"),
      (std::vector<std::string>{"CCMAIL:Quinn, Avery at HQPO", "CCMAIL:Quinn,Avery at HQPO"}));
  EXPECT_EQ(
      SearchSpellings("MIGRATE:CCMAIL:Quinn,   Avery  at HQPO"),
      (std::vector<std::string>{"CCMAIL:Quinn, Avery at HQPO", "CCMAIL:Quinn,Avery at HQPO"}));
  EXPECT_EQ(SearchSpellings("SMTP:a@b"), (std::vector<std::string>{"SMTP:a@b"}));
}

TEST(NearMissAddress, SwapsTheTwoNameForms) {
  EXPECT_EQ(NearMissAddress("CCMAIL:Quinn, Avery at HQPO"), "CCMAIL:Avery Quinn at HQPO");
  EXPECT_EQ(NearMissAddress("CCMAIL:Avery Quinn at HQPO"), "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(NearMissAddress("CCMAIL:Mary Ann Smith at HQPO"), "CCMAIL:Smith, Mary Ann at HQPO");
  EXPECT_EQ(NearMissAddress("CCMAIL:Avery at HQPO"), std::nullopt);
  EXPECT_EQ(NearMissAddress("SMTP:a@b"), std::nullopt);
}

TEST(ResolutionFilter, AsksForMigrateNativeAndTargetFormsEscaped) {
  const std::string filter =
      ResolutionFilterOf(UserFor("CCMAIL:Quinn, Avery (HQ*) at HQPO"), false).str();
  // Ranked most likely first: native proxy, target, then the migrate: proxy.
  EXPECT_EQ(filter.rfind("(|(ccmProxyAddress=CCMAIL:Quinn, Avery \\28HQ\\2a\\29 at HQPO)"
                         "(ccmTargetAddress=CCMAIL:Quinn, Avery \\28HQ\\2a\\29 at HQPO)"
                         "(ccmProxyAddress=migrate:CCMAIL:Quinn, Avery \\28HQ\\2a\\29 at HQPO)",
                         0),
            0U)
      << filter;
  EXPECT_EQ(filter.find("(ccmTargetAddress=Quinn"), std::string::npos);
  // the near-miss variant is asked for in the same search
  EXPECT_NE(filter.find("(ccmProxyAddress=CCMAIL:Avery \\28HQ\\2a\\29 Quinn at HQPO)"),
            std::string::npos)
      << filter;
  const std::string typeless =
      ResolutionFilterOf(UserFor("CCMAIL:Quinn, Avery at HQPO"), true).str();
  EXPECT_NE(typeless.find("(ccmTargetAddress=Quinn, Avery at HQPO)"), std::string::npos);
}

TEST(ClassifyEntry, ConfirmsWith103Normalisation) {
  const MigratingUser u = UserFor("CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(Classify(WithProxy("ccmail:QUINN,AVERY   AT hqpo"), u, false), EntryMatch::kMatch);
  EXPECT_EQ(Classify(WithProxy("Migrate:CCMAIL:Quinn, Avery at HQPO"), u, false),
            EntryMatch::kMatch);
  EXPECT_EQ(Classify(WithTarget("CCMAIL:Quinn, Avery at HQPO"), u, false), EntryMatch::kMatch);
  EXPECT_EQ(Classify(WithProxy("CCMAIL:Quinn, Avery at BRPO"), u, false), EntryMatch::kNone);
  EXPECT_EQ(Classify(WithProxy("CCMAIL:Quinn, Avery-Jo at HQPO"), u, false), EntryMatch::kNone);
}

TEST(ClassifyEntry, TypelessTargetOnlyWhenConfigured) {
  const MigratingUser u = UserFor("CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(Classify(WithTarget("Quinn, Avery at HQPO"), u, false), EntryMatch::kNone);
  EXPECT_EQ(Classify(WithTarget("Quinn, Avery at HQPO"), u, true), EntryMatch::kMatch);
  EXPECT_EQ(Classify(WithProxy("Quinn, Avery at HQPO"), u, true), EntryMatch::kNone);
}

TEST(ClassifyEntry, OtherNameFormIsANearMissNeverAMatch) {
  const MigratingUser u = UserFor("CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(Classify(WithProxy("CCMAIL:Avery Quinn at HQPO"), u, false), EntryMatch::kNearMiss);
  EXPECT_EQ(Classify(WithTarget("ccmail:avery  quinn at hqpo"), u, false), EntryMatch::kNearMiss);
}

TEST(IsAscii, RejectsHighBytes) {
  EXPECT_TRUE(IsAscii("CCMAIL:Quinn, Avery at HQPO"));
  EXPECT_FALSE(IsAscii("CCMAIL:M\xfcller at HQPO"));
}

}  // namespace
}  // namespace ccm::importer
