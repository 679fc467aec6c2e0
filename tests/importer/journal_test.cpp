// journal_test.cpp — the journal and audit files (append-only, 0600, prior state before the
// change, readable back), a damaged or truncated journal, and the exact inverse rollback
// computes from a journaled change; no server.
#include "importer/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "importer/directory_decision.h"
#include "importer/directory_rollback.h"
#include "parser/source_address.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ccm-journal.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static UserPlan AveryPlan() {
    MigratingUser u;
    u.source_address = "CCMAIL:Quinn, Avery at HQPO";
    u.match_key = parser::NormalizeSourceAddress(u.source_address);
    ldap::Entry cr{"cn=Avery Quinn,ou=Recipients,dc=example,dc=test",
                   {{"objectClass", {"inetOrgPerson", "ccmCustomRecipient"}},
                    {"cn", {"Avery Quinn"}},
                    {"uid", {"AQuinn"}},
                    {"description", {" leading space and caf\xc3\xa9"}},
                    {"ccmTargetAddress", {"CCMAIL:Quinn, Avery at HQPO"}}}};
    PlanOptions options;
    options.default_home = "mail1.example.test";
    return DecideUser(u, {{cr}, {}}, options);
  }

  std::string Read(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string dir_;
};

TEST_F(JournalTest, PriorStateAndChangeRoundTrip) {
  const UserPlan plan = AveryPlan();
  ASSERT_EQ(plan.decision, Decision::kConvert);
  {
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif");
    ASSERT_TRUE(journal.ok()) << journal.error().message;
    ASSERT_TRUE((*journal)->RecordIntents({&plan}).ok());
    ASSERT_TRUE((*journal)->RecordApplied({&plan}).ok());
  }
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/journal.ldif").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const std::string text = Read("journal.ldif");
  EXPECT_LT(text.find("objectClass: ccmCustomRecipient"), text.find("changetype: modify"));
  EXPECT_NE(text.find("description:: "), std::string::npos);  // unsafe value, base64
  EXPECT_NE(Read("audit.ldif").find("changetype: modify"), std::string::npos);

  auto records = ReadJournal(dir_ + "/journal.ldif");
  ASSERT_TRUE(records.ok()) << records.error().message;
  ASSERT_EQ(records->size(), 1U);
  const JournalRecord& r = records->front();
  ASSERT_TRUE(r.prior.has_value());
  EXPECT_EQ(*r.prior, *plan.prior);  // byte-exact, including the base64 value
  EXPECT_EQ(r.dn, plan.dn);
  EXPECT_EQ(r.modifications, plan.change->modifications);

  // Appending (a rerun) keeps what is there.
  {
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif");
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->RecordIntents({&plan}).ok());
  }
  auto twice = ReadJournal(dir_ + "/journal.ldif");
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->size(), 2U);
}

TEST_F(JournalTest, InverseUndoesExactlyTheJournaledChange) {
  const UserPlan plan = AveryPlan();
  JournalRecord record;
  record.prior = plan.prior;
  record.dn = plan.dn;
  record.modifications = plan.change->modifications;
  auto inverse = InverseOf(record);
  ASSERT_TRUE(inverse.ok()) << inverse.error();
  using ldap::Modification;
  const std::vector<Modification> expected = {
      Modification::Delete("ccmProxyAddress",
                           {"migrate:CCMAIL:Quinn, Avery at HQPO", "ccmail:Quinn, Avery at HQPO"}),
      Modification::Delete("ccmMailStore", {"aquinn"}),
      Modification::Delete("ccmMailboxHome", {"mail1.example.test"}),
      Modification::Delete("objectClass", {"ccmMailbox"}),
      Modification::Add("ccmTargetAddress", {"CCMAIL:Quinn, Avery at HQPO"}),
      Modification::Add("objectClass", {"ccmCustomRecipient"}),
  };
  EXPECT_EQ(inverse->modifications, expected);
  const std::string& f = inverse->still_ours.str();
  EXPECT_NE(f.find("(ccmMailStore=aquinn)"), std::string::npos) << f;
  EXPECT_NE(f.find("(!(objectClass=ccmCustomRecipient))"), std::string::npos) << f;
  EXPECT_NE(f.find("(!(ccmTargetAddress=CCMAIL:Quinn, Avery at HQPO))"), std::string::npos) << f;

  record.modifications.push_back(Modification::Replace("ccmMailboxHome", {"x"}));
  EXPECT_FALSE(InverseOf(record).ok());
}

TEST_F(JournalTest, DamagedJournalIsRefusedTruncatedTailIsIgnored) {
  std::ofstream(dir_ + "/orphan.ldif")
      << "dn: cn=x,dc=t\nchangetype: modify\nadd: cn\ncn: y\n-\n\n";
  auto orphan = ReadJournal(dir_ + "/orphan.ldif");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().kind, ImportErrorKind::kPermanent);
  EXPECT_NE(orphan.error().message.find("orphan.ldif:1"), std::string::npos)
      << orphan.error().message;

  // A crash while the last batch was being written: its prior state has no change after it,
  // so nothing of it was sent and nothing is to be undone.
  std::ofstream(dir_ + "/tail.ldif") << "dn: cn=x,dc=t\nobjectClass: top\ncn: x\n\n";
  auto tail = ReadJournal(dir_ + "/tail.ldif");
  ASSERT_TRUE(tail.ok()) << tail.error().message;
  EXPECT_TRUE(tail->empty());

  // ... and a rerun appending after such a torn tail (cut mid-line) still reads.
  const UserPlan plan = AveryPlan();
  std::ofstream(dir_ + "/torn.ldif") << "dn: cn=x,dc=t\nobjectClass: top\ncn: x\n\n"
                                     << "dn: cn=y,dc=t\nobjectClass: top\ncn: y";
  {
    auto journal = Journal::Open(dir_ + "/torn.ldif", dir_ + "/audit.ldif");
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->RecordIntents({&plan}).ok());
  }
  auto torn = ReadJournal(dir_ + "/torn.ldif");
  ASSERT_TRUE(torn.ok()) << torn.error().message;
  ASSERT_EQ(torn->size(), 1U);
  EXPECT_EQ(torn->front().dn, plan.dn);

  auto missing = ReadJournal(dir_ + "/none.ldif");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ImportErrorKind::kConfiguration);
}

}  // namespace
}  // namespace ccm::importer
