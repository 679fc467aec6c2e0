// ldif_ldapmodify_test.cpp — what the LDIF writer produces is what `ldapmodify -f` applies:
// add and modify change records with values that need base64 go through the real tools and
// server, and the stored entry reads back byte-exact, through LdifContentRecord and ReadLdif.
#include <gtest/gtest.h>

#include "ldap/escape.h"
#include "ldap/ldif_reader.h"
#include "ldap/ldif_writer.h"
#include "tests/ldap/test_config.h"
#include "tests/support/slapd_fixture.h"
#include "tests/support/sync_client.h"

namespace ccm::ldap {
namespace {

using LdifLdapmodifyTest = test::SlapdTest;

TEST_F(LdifLdapmodifyTest, LdapmodifyAppliesWhatTheWriterRenders) {
  const std::string ou = "ou=Ldif,dc=example,dc=test";
  Entry unit{ou, {{"objectClass", {"organizationalUnit"}}, {"ou", {"Ldif"}}}};
  Entry person{ChildDn("cn", " Zoë, \"Z\" Ünal ", ou), {}};
  person.Add("objectClass", "inetOrgPerson");
  person.Add("objectClass", "ccmCustomRecipient");
  person.Add("cn", " Zoë, \"Z\" Ünal ");
  person.Add("sn", ":colon first");
  person.Add("description", "<angle first");
  person.Add("description", "trailing space ");
  person.Add("description", "line one\nline two");
  person.Add("ccmTargetAddress", "CCMAIL:Unal, Zoe at HQPO");
  std::string ldif =
      LdifAddRecord(unit) + LdifAddRecord(person) +
      LdifModifyRecord(person.dn,
                       {Modification::Add("ccmProxyAddress", {"CCMAIL:Unal, Zoe at HQPO"}),
                        Modification::Delete("description", {"trailing space "}),
                        Modification::Replace("sn", {"Ünal"})});
  auto applied = slapd().LoadLdifText(ldif);
  ASSERT_TRUE(applied.ok()) << applied.error() << "\n" << ldif;

  SyncClient client(testing::AdminConfig(slapd()));
  SearchRequest request;
  request.base = person.dn;
  request.scope = Scope::kBase;
  request.attributes = {"objectClass",    "cn", "sn", "description", "ccmTargetAddress",
                        "ccmProxyAddress"};
  auto found = client.Search(request);
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->entries.size(), 1u);
  const Entry& stored = found->entries.front();
  EXPECT_EQ(stored.Values("cn"), std::vector<std::string>{" Zoë, \"Z\" Ünal "});
  EXPECT_EQ(stored.Values("sn"), std::vector<std::string>{"Ünal"});
  EXPECT_EQ(stored.Values("description"),
            (std::vector<std::string>{"<angle first", "line one\nline two"}));
  EXPECT_EQ(stored.Values("ccmProxyAddress"), std::vector<std::string>{"CCMAIL:Unal, Zoe at HQPO"});

  // A journal entry: the stored entry as a content record reads back identical.
  auto records = ReadLdif(LdifContentRecord(stored));
  ASSERT_TRUE(records.ok()) << records.error().what();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().kind, LdifRecord::Kind::kContent);
  EXPECT_EQ(records->front().entry, stored);

  ASSERT_TRUE(slapd().LoadLdifText(LdifDeleteRecord(person.dn)).ok());
  auto gone = client.Search(request);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, result_code::kNoSuchObject);
}

}  // namespace
}  // namespace ccm::ldap
