// hostile_value_test.cpp — escaping against the real server: entries whose names contain
// every RFC 4514/4515 special character are added through ChildDn, found through Filter::Eq
// and by their DN, and filter-injection attempts match nothing (or only the one right entry).
#include <gtest/gtest.h>

#include "ldap/escape.h"
#include "ldap/filter.h"
#include "tests/ldap/test_config.h"
#include "tests/support/slapd_fixture.h"
#include "tests/support/sync_client.h"

namespace ccm::ldap {
namespace {

const std::string kOu = "ou=Hostile,dc=example,dc=test";

const std::vector<std::string>& HostileNames() {
  static const std::vector<std::string> names = {
      "Quinn, Avery (HQ)", "*",           "a)(uid=*",   "back\\slash", "#hash",
      " leading",          "trailing ",   "semi;colon", "plus+sign",   "quote\"d",
      "<angle>",           "equals=sign", "tab\there",  "Zoë Ünal",    "x)(|(cn=*"};
  return names;
}

class HostileValueTest : public test::SlapdTest {
 protected:
  void SetUp() override {
    test::SlapdTest::SetUp();
    if (HasFatalFailure())
      return;
    client_.emplace(testing::AdminConfig(slapd()));
    SearchRequest exists;
    exists.base = kOu;
    exists.scope = Scope::kBase;
    if (client_->Search(exists).ok())
      return;  // another test of this binary made the tree already
    ASSERT_TRUE(
        client_->Add(Entry{kOu, {{"objectClass", {"organizationalUnit"}}, {"ou", {"Hostile"}}}})
            .ok());
    int n = 0;
    for (const auto& name : HostileNames()) {
      Entry entry{ChildDn("cn", name, kOu), {}};
      entry.Add("objectClass", "inetOrgPerson");
      entry.Add("cn", name);
      entry.Add("sn", "hostile");
      entry.Add("uid", "h" + std::to_string(n++));
      entry.Add("objectClass", "ccmCustomRecipient");
      entry.Add("ccmTargetAddress", "CCMAIL:" + std::to_string(n) + " " +
                                        (name == "Zoë Ünal" ? std::string("Zoe") : name) +
                                        " at HQPO");
      auto added = client_->Add(entry);
      ASSERT_TRUE(added.ok()) << "cn=" << name << ": " << added.error().message();
    }
  }

  std::vector<Entry> Find(const Filter& filter) {
    SearchRequest request;
    request.base = kOu;
    request.scope = Scope::kOneLevel;
    request.filter = filter;
    auto found = client_->Search(request);
    EXPECT_TRUE(found.ok()) << filter.str() << ": " << found.error().message();
    return found ? found->entries : std::vector<Entry>{};
  }

  std::optional<SyncClient> client_;
};

TEST_F(HostileValueTest, EveryHostileNameIsFoundByItsOwnEqualityFilterOnly) {
  for (const auto& name : HostileNames()) {
    auto found = Find(Filter::Eq("cn", name));
    ASSERT_EQ(found.size(), 1u) << "cn=" << name << " filter " << Filter::Eq("cn", name).str();
    EXPECT_EQ(found.front().Values("cn"), std::vector<std::string>{name});
  }
}

TEST_F(HostileValueTest, EveryHostileDnAddressesExactlyItsEntry) {
  for (const auto& name : HostileNames()) {
    SearchRequest request;
    request.base = ChildDn("cn", name, kOu);
    request.scope = Scope::kBase;
    auto found = client_->Search(request);
    ASSERT_TRUE(found.ok()) << request.base << ": " << found.error().message();
    ASSERT_EQ(found->entries.size(), 1u);
    EXPECT_EQ(found->entries.front().Values("cn"), std::vector<std::string>{name});
  }
}

TEST_F(HostileValueTest, InjectionAttemptsMatchNothingElse) {
  // Unescaped, "*" would match every entry and "x)(|(cn=*" would widen the filter.
  EXPECT_EQ(Find(Filter::Eq("cn", "*")).size(), 1u);
  EXPECT_EQ(Find(Filter::Eq("cn", "x)(|(cn=*")).size(), 1u);
  EXPECT_TRUE(Find(Filter::Eq("cn", "*)(objectClass=*")).empty());
  EXPECT_TRUE(Find(Filter::Eq("cn", std::string("nul\0byte", 8))).empty());
  EXPECT_TRUE(Find(Filter::Eq("cn", "\\2a")).empty()) << "a literal backslash sequence";
  auto both = Find(Filter::Or({Filter::Eq("cn", "a)(uid=*"), Filter::Eq("cn", "back\\slash")}));
  EXPECT_EQ(both.size(), 2u);
  auto neither = Find(Filter::And({Filter::Eq("cn", "a)(uid=*"), Filter::Eq("uid", "h0")}));
  EXPECT_TRUE(neither.empty());
  auto cc_mail = Find(Filter::Eq("ccmTargetAddress", "ccmail:1 quinn, avery (hq) at hqpo"));
  ASSERT_EQ(cc_mail.size(), 1u);
  EXPECT_EQ(cc_mail.front().First("cn"), "Quinn, Avery (HQ)");
}

}  // namespace
}  // namespace ccm::ldap
