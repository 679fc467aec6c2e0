// packed_change_test.cpp — a PackedChange gives back exactly the change it packed.
#include "importer/packed_change.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccm::importer {
namespace {

using ldap::Modification;

void ExpectSameChange(const DirectoryChange& back, const DirectoryChange& change) {
  EXPECT_EQ(back.kind, change.kind);
  EXPECT_EQ(back.dn, change.dn);
  ASSERT_EQ(back.assertion.has_value(), change.assertion.has_value());
  if (change.assertion) {
    EXPECT_EQ(back.assertion->str(), change.assertion->str());
  }
  EXPECT_EQ(back.modifications, change.modifications);
  EXPECT_EQ(back.entry, change.entry);
}

TEST(PackedChangeTest, AnAssertedModifyComesBackWhole) {
  DirectoryChange change;
  change.kind = DirectoryChange::Kind::kModify;
  change.dn = "cn=Avery Quinn\\, Jr.,ou=Recipients,dc=example,dc=test";
  change.assertion = ldap::Filter::And({ldap::Filter::Eq("objectClass", "ccmCustomRecipient"),
                                        ldap::Filter::Eq("ccmTargetAddress", "CCMAIL:Quinn (A)")});
  change.modifications = {Modification::Delete("objectClass", {"ccmCustomRecipient"}),
                          Modification::Delete("ccmTargetAddress"),
                          Modification::Add("ccmProxyAddress", {"migrate:CCMAIL:Quinn", ""}),
                          Modification::Replace("description", {std::string("a\0b", 3)}),
                          Modification::Replace("sn", {})};
  const PackedChange packed(change);
  EXPECT_EQ(packed.kind(), DirectoryChange::Kind::kModify);
  ASSERT_TRUE(packed.assertion().has_value());
  ExpectSameChange(packed.Unpack(), change);
}

TEST(PackedChangeTest, AnUnassertedModifyStaysUnasserted) {
  DirectoryChange change;
  change.dn = "cn=Casey,dc=example,dc=test";
  change.modifications = {Modification::Add("ccmMailStore", {"casey"})};
  const PackedChange packed(change);
  EXPECT_FALSE(packed.assertion().has_value());
  ExpectSameChange(packed.Unpack(), change);
}

TEST(PackedChangeTest, AnAddComesBackWithItsEntryAndDn) {
  DirectoryChange change;
  change.kind = DirectoryChange::Kind::kAdd;
  change.dn = "cn=Jordan Lee,ou=Recipients,dc=example,dc=test";
  change.entry = {change.dn,
                  {{"objectClass", {"inetOrgPerson", "ccmMailbox"}},
                   {"cn", {"Jordan Lee"}},
                   {"ccmProxyAddress", {"migrate:CCMAIL:Lee, Jordan at HQPO", "CCMAIL:Lee"}}}};
  const PackedChange packed(change);
  EXPECT_EQ(packed.kind(), DirectoryChange::Kind::kAdd);
  ExpectSameChange(packed.Unpack(), change);
  EXPECT_EQ(packed, PackedChange(change));
}

}  // namespace
}  // namespace ccm::importer
