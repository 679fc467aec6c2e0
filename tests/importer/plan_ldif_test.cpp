// plan_ldif_test.cpp — LDIF rendering of plans: exact text of a conversion record, base64 for
// unsafe values, comment hygiene, the summary; no server (ldapmodify validity is checked by the
// integration test that applies the output).
#include "importer/plan_ldif.h"

#include <gtest/gtest.h>

#include "importer/directory_decision.h"
#include "ldap/base64.h"
#include "ldap/request.h"
#include "parser/source_address.h"

namespace ccm::importer {
namespace {

TEST(CommentText, CannotBreakOutOfAComment) {
  EXPECT_EQ(CommentText("a\nchangetype: add\r\x01"), "a?changetype: add??");
}

TEST(RenderPlanLdif, ConversionRecordIsExact) {
  MigratingUser u;
  u.source_address = "CCMAIL:Lee, Jordan at HQPO";
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  u.home_server = "~Server";
  ldap::Entry cr{"cn=Jordan Lee,ou=Recipients,dc=example,dc=test",
                 {{"objectClass", {"inetOrgPerson", "ccmCustomRecipient"}},
                  {"uid", {"JLee"}},
                  {"ccmTargetAddress", {"CCMAIL:Lee, Jordan at HQPO"}}}};
  PlanOptions options;
  options.default_home = "mail1.example.test";
  DirectoryPlan plan;
  plan.users.push_back(DecideUser(u, {{cr}, {}}, options));
  MigratingUser missing;
  missing.source_address = "CCMAIL:Gone\nchangetype: add at HQPO";
  missing.match_key = parser::NormalizeSourceAddress(missing.source_address);
  plan.users.push_back(DecideUser(missing, {}, options));

  auto ldif = RenderPlanLdif(plan);
  ASSERT_TRUE(ldif.ok()) << ldif.error();
  auto control = ldap::AssertionControl(*plan.users[0].change->assertion());
  ASSERT_TRUE(control.ok());
  // [0] and { [3] equalityMatch {objectClass, ccmCustomRecipient}, [3] {ccmTargetAddress, ...} }
  ASSERT_GT(control->value.size(), 4U);
  EXPECT_EQ(control->value[0], '\xa0');
  EXPECT_EQ(control->value[2], '\xa3');
  const std::string record =
      "dn: cn=Jordan Lee,ou=Recipients,dc=example,dc=test\n"
      "control: 1.3.6.1.1.12 true:: " +
      ldap::Base64Encode(control->value) +
      "\n"
      "changetype: modify\n"
      "delete: objectClass\nobjectClass: ccmCustomRecipient\n-\n"
      "delete: ccmTargetAddress\nccmTargetAddress: CCMAIL:Lee, Jordan at HQPO\n-\n"
      "add: objectClass\nobjectClass: ccmMailbox\n-\n"
      "add: ccmMailboxHome\nccmMailboxHome: mail1.example.test\n-\n"
      "add: ccmMailStore\nccmMailStore: jlee\n-\n"
      "add: ccmProxyAddress\nccmProxyAddress: migrate:CCMAIL:Lee, Jordan at HQPO\n"
      "ccmProxyAddress: ccmail:Lee, Jordan at HQPO\n-\n\n";
  EXPECT_NE(ldif->find("\n# user: CCMAIL:Lee, Jordan at HQPO\n# decision: convert "
                       "cn=Jordan Lee,ou=Recipients,dc=example,dc=test\n"),
            std::string::npos)
      << *ldif;
  EXPECT_NE(ldif->find(record), std::string::npos) << *ldif;
  // export text never leaves a comment line
  EXPECT_EQ(ldif->find("\nchangetype: add"), std::string::npos) << *ldif;
  EXPECT_NE(ldif->find("# decision: skip-not-found\n"), std::string::npos);
  EXPECT_NE(ldif->find("# summary: 2 users, convert 1, deliver 0, create 0, skip-not-found 1, "
                       "conflict 0\n"),
            std::string::npos)
      << *ldif;
  // every non-comment, non-blank line belongs to a change record
  std::size_t dn_lines = 0;
  for (std::size_t pos = 0; (pos = ldif->find("\ndn: ", pos)) != std::string::npos; ++pos) {
    ++dn_lines;
  }
  EXPECT_EQ(dn_lines, 1U);
}

TEST(RenderPlanLdif, AddRecordForCreate) {
  DirectoryChange add;
  add.kind = DirectoryChange::Kind::kAdd;
  add.dn = "cn=New,dc=t";
  add.entry = {"cn=New,dc=t", {{"objectClass", {"inetOrgPerson", "ccmMailbox"}}, {"sn", {"New"}}}};
  auto text = RenderChangeLdif(add);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "dn: cn=New,dc=t\nchangetype: add\nobjectClass: inetOrgPerson\nobjectClass: "
            "ccmMailbox\nsn: New\n\n");
}

}  // namespace
}  // namespace ccm::importer
