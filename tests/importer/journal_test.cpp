// journal_test.cpp — the journal and audit files (append-only, 0600, prior state before the
// change, readable back), a damaged or truncated journal, and the exact inverse rollback
// computes from a journaled change; no server.
#include "importer/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
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

// The journal key of these tests (a real one is read from [import] journal_key_file).
JournalKey TestJournalKey() {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return JournalKey::FromBytes(bytes);
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ccm-journal.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ldap::Entry AveryEntry() {
    return {"cn=Avery Quinn,ou=Recipients,dc=example,dc=test",
            {{"objectClass", {"inetOrgPerson", "ccmCustomRecipient"}},
             {"cn", {"Avery Quinn"}},
             {"uid", {"AQuinn"}},
             {"description", {" leading space and caf\xc3\xa9"}},
             {"ccmTargetAddress", {"CCMAIL:Quinn, Avery at HQPO"}}}};
  }

  static UserPlan AveryPlan() {
    MigratingUser u;
    u.source_address = "CCMAIL:Quinn, Avery at HQPO";
    u.match_key = parser::NormalizeSourceAddress(u.source_address);
    PlanOptions options;
    options.default_home = "mail1.example.test";
    return DecideUser(u, {{AveryEntry()}, {}}, options);
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
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif", TestJournalKey());
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

  auto records = ReadJournal(dir_ + "/journal.ldif", TestJournalKey());
  ASSERT_TRUE(records.ok()) << records.error().message;
  ASSERT_EQ(records->size(), 1U);
  const JournalRecord& r = records->front();
  ASSERT_TRUE(r.prior.has_value());
  EXPECT_EQ(*r.prior, AveryEntry());  // byte-exact, including the base64 value
  EXPECT_EQ(r.dn, plan.dn);
  EXPECT_EQ(r.modifications, plan.change->Unpack().modifications);

  // Appending (a rerun) keeps what is there.
  {
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif", TestJournalKey());
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->RecordIntents({&plan}).ok());
  }
  auto twice = ReadJournal(dir_ + "/journal.ldif", TestJournalKey());
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->size(), 2U);
}

TEST_F(JournalTest, InverseUndoesExactlyTheJournaledChange) {
  const UserPlan plan = AveryPlan();
  JournalRecord record;
  record.prior = AveryEntry();
  record.dn = plan.dn;
  record.modifications = plan.change->Unpack().modifications;
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

TEST_F(JournalTest, HandWrittenJournalIsRefused) {
  std::ofstream(dir_ + "/orphan.ldif")
      << "dn: cn=x,dc=t\nchangetype: modify\nadd: cn\ncn: y\n-\n\n";
  auto orphan = ReadJournal(dir_ + "/orphan.ldif", TestJournalKey());
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().kind, ImportErrorKind::kPermanent);
  EXPECT_NE(orphan.error().message.find("orphan.ldif:1"), std::string::npos)
      << orphan.error().message;
  // Opening it to append refuses it too: an import never adopts a journal it did not write.
  auto adopted = Journal::Open(dir_ + "/orphan.ldif", dir_ + "/audit.ldif", TestJournalKey());
  ASSERT_FALSE(adopted.ok());
  EXPECT_EQ(adopted.error().kind, ImportErrorKind::kPermanent);

  // A header and a tag made up without the key.
  std::ofstream(dir_ + "/forged.ldif")
      << "# ccmigrate journal: every batch ends with an HMAC-SHA256 tag under the journal key\n"
      << "# ccmigrate-tag: " << std::string(64, '0') << "\n";
  auto forged = ReadJournal(dir_ + "/forged.ldif", TestJournalKey());
  ASSERT_FALSE(forged.ok());
  EXPECT_NE(forged.error().message.find("forged.ldif:2: the journal was changed"),
            std::string::npos)
      << forged.error().message;

  std::ofstream(dir_ + "/empty.ldif");
  EXPECT_FALSE(ReadJournal(dir_ + "/empty.ldif", TestJournalKey()).ok());
  auto missing = ReadJournal(dir_ + "/none.ldif", TestJournalKey());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ImportErrorKind::kConfiguration);
}

class JournalEditTest : public JournalTest {
 protected:
  // A journal of two batches (Avery, then Avery again) as text.
  std::string TwoBatches() {
    const UserPlan plan = AveryPlan();
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif", TestJournalKey());
    EXPECT_TRUE(journal.ok());
    EXPECT_TRUE((*journal)->RecordIntents({&plan}).ok());
    EXPECT_TRUE((*journal)->RecordIntents({&plan}).ok());
    journal->reset();
    EXPECT_EQ(ReadJournal(dir_ + "/journal.ldif", TestJournalKey())->size(), 2U);
    return Read("journal.ldif");
  }
  Result<std::vector<JournalRecord>, ImportError> ReadEdited(const std::string& text) {
    std::ofstream(dir_ + "/edited.ldif", std::ios::trunc) << text;
    return ReadJournal(dir_ + "/edited.ldif", TestJournalKey());
  }
};

TEST_F(JournalEditTest, AChangedValueIsRefused) {
  std::string text = TwoBatches();
  const auto at = text.find("mail1.example.test");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, "evil1");
  auto edited = ReadEdited(text);
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error().kind, ImportErrorKind::kPermanent);
  EXPECT_NE(edited.error().message.find("the journal was changed"), std::string::npos)
      << edited.error().message;
}

TEST_F(JournalEditTest, AnAddedRecordIsRefusedWhereverItGoes) {
  const std::string text = TwoBatches();
  const std::string extra =
      "\ndn: cn=admins,ou=Groups,dc=example,dc=test\nchangetype: modify\nadd: member\n"
      "member: cn=mallory,dc=example,dc=test\n-\n\n";
  EXPECT_FALSE(ReadEdited(text + extra).ok());  // after the last tag
  const auto first_tag = text.find("# ccmigrate-tag: ", text.find("# ccmigrate-tag: ") + 1);
  ASSERT_NE(first_tag, std::string::npos);
  std::string inside = text;
  inside.insert(first_tag, extra);  // inside a batch
  EXPECT_FALSE(ReadEdited(inside).ok());
}

TEST_F(JournalEditTest, ARemovedBatchOrAnotherKeyIsRefused) {
  const std::string text = TwoBatches();
  // Cut out the first batch (between the header's tag and the first batch's tag).
  const auto header_end = text.find('\n', text.find("# ccmigrate-tag: ")) + 1;
  const auto first_tag = text.find("# ccmigrate-tag: ", header_end);
  const auto first_end = text.find('\n', first_tag) + 1;
  auto removed = ReadEdited(text.substr(0, header_end) + text.substr(first_end));
  ASSERT_FALSE(removed.ok());
  EXPECT_NE(removed.error().message.find("the tag does not match"), std::string::npos);

  std::array<std::uint8_t, 32> other{};
  other.fill(0x55);
  EXPECT_FALSE(ReadJournal(dir_ + "/journal.ldif", JournalKey::FromBytes(other)).ok());
}

TEST_F(JournalEditTest, ATornBatchIsCutOffByTheNextImportAndRefusedUntilThen) {
  const std::string text = TwoBatches();
  std::ofstream(dir_ + "/journal.ldif", std::ios::app)
      << "\n\ndn: cn=y,dc=t\nobjectClass: top\ncn: y";
  auto torn = ReadJournal(dir_ + "/journal.ldif", TestJournalKey());
  ASSERT_FALSE(torn.ok());
  EXPECT_NE(torn.error().message.find("text after the last tag"), std::string::npos)
      << torn.error().message;
  const UserPlan plan = AveryPlan();
  {
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif", TestJournalKey());
    ASSERT_TRUE(journal.ok()) << journal.error().message;
    ASSERT_TRUE((*journal)->RecordIntents({&plan}).ok());
  }
  auto after = ReadJournal(dir_ + "/journal.ldif", TestJournalKey());
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->size(), 3U);
  EXPECT_EQ(Read("journal.ldif").find("cn=y,dc=t"), std::string::npos);
}

TEST_F(JournalTest, RollbackScopeIsBaseDnAndManagedAttributes) {
  const UserPlan plan = AveryPlan();
  {
    auto journal = Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif", TestJournalKey());
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->RecordIntents({&plan}).ok());
  }
  auto records = ReadJournal(dir_ + "/journal.ldif", TestJournalKey());
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(CheckRollbackScope(*records, "dc=example,dc=test").ok());
  EXPECT_TRUE(CheckRollbackScope(*records, "DC=Example, DC=Test").ok());
  auto outside = CheckRollbackScope(*records, "ou=Other,dc=example,dc=test");
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.error().find("is not under [ldap] base_dn"), std::string::npos);
  EXPECT_FALSE(CheckRollbackScope(*records, "dc=xample,dc=test").ok());

  auto group = *records;
  group.front().modifications.push_back(
      ldap::Modification::Add("member", {"cn=mallory,dc=example,dc=test"}));
  auto member = CheckRollbackScope(group, "dc=example,dc=test");
  ASSERT_FALSE(member.ok());
  EXPECT_NE(member.error().find("touches member, which ccmigrate does not manage"),
            std::string::npos)
      << member.error();
  auto classes = *records;
  classes.front().modifications.push_back(ldap::Modification::Add("objectClass", {"posixGroup"}));
  EXPECT_FALSE(CheckRollbackScope(classes, "dc=example,dc=test").ok());
}

}  // namespace
}  // namespace ccm::importer
