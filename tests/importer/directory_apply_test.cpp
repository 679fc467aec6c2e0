// directory_apply_test.cpp — plan, apply and rollback against a real slapd (tests/support), no
// mocks: the sample set against conf/examples/directory.ldif (both users converted, exact
// attributes, Cutover Team membership intact), `plan` LDIF through ldapmodify gives the same
// directory as apply, a concurrent change between plan and apply (assertion fails, nothing
// clobbered), rerun idempotency, crash between journal and modify, rollback (exact prior
// state, idempotent, someone else's later change left alone), a multi-match conflict and a
// near miss. Each test starts its own server: they change the sample entries.
#include "importer/directory_apply.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ccm/ascii.h"
#include "importer/directory_planner.h"
#include "importer/directory_rollback.h"
#include "importer/journal.h"
#include "importer/migrating_user.h"
#include "importer/plan_ldif.h"
#include "ldap/client.h"
#include "ldap/ldif_writer.h"
#include "parser/file_set.h"
#include "parser/source_address.h"
#include "tests/ldap/test_config.h"
#include "tests/support/program.h"
#include "tests/support/slapd.h"
#include "tests/support/sync_client.h"

namespace ccm::importer {
namespace {

// The journal key of these tests (a real one is read from [import] journal_key_file).
JournalKey TestJournalKey() {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return JournalKey::FromBytes(bytes);
}

using ldap::testing::AdminConfig;

constexpr const char* kRecipients = "ou=Recipients,dc=example,dc=test";
constexpr const char* kAvery = "cn=Avery Quinn,ou=Recipients,dc=example,dc=test";
constexpr const char* kJordan = "cn=Jordan Lee,ou=Recipients,dc=example,dc=test";
constexpr const char* kCasey = "cn=Casey Rowe,ou=Recipients,dc=example,dc=test";
constexpr const char* kTeam = "cn=Cutover Team,ou=Recipients,dc=example,dc=test";

std::unique_ptr<test::Slapd> SampleServer() {
  auto server = test::Slapd::Start();
  EXPECT_TRUE(server.ok()) << server.error();
  if (!server)
    return nullptr;
  auto loaded = (*server)->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif"));
  EXPECT_TRUE(loaded.ok()) << loaded.error();
  return std::move(*server);
}

std::vector<MigratingUser> AppendixAUsers() {
  auto dir = parser::DiskDirectory::OpenPath(test::Slapd::SourcePath("conf/examples/HQPO.001"));
  EXPECT_TRUE(dir.ok());
  parser::DiagnosticSink sink;
  auto scan = parser::ScanFileSet(**dir, "HQPO.PKL", {}, sink);
  EXPECT_TRUE(scan.ok());
  EXPECT_TRUE(scan->valid);
  return UsersOfSet(*scan);
}

MigratingUser UserFor(std::string address) {
  MigratingUser u;
  u.source_address = std::move(address);
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  return u;
}

// Entry text with attributes and values sorted: a state that compares exactly.
std::string Canonical(const ldap::Entry& entry) {
  std::map<std::string, std::vector<std::string>> sorted;
  for (const auto& a : entry.attributes) {
    const std::string name = ccm::AsciiLower(a.name);
    auto values = a.values;
    std::sort(values.begin(), values.end());
    sorted[name] = values;
  }
  std::string out = "dn: " + entry.dn + "\n";
  for (const auto& [name, values] : sorted) {
    for (const auto& v : values)
      out += name + ": " + v + "\n";
  }
  return out;
}

// Every entry under ou=Recipients, canonical, sorted by DN.
std::string Snapshot(const test::Slapd& server) {
  ldap::SyncClient client(AdminConfig(server));
  ldap::SearchRequest request;
  request.base = kRecipients;
  auto result = client.Search(request);
  EXPECT_TRUE(result.ok()) << result.error().message();
  if (!result)
    return {};
  std::vector<std::string> entries;
  for (const auto& e : result->entries)
    entries.push_back(Canonical(e));
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& e : entries)
    out += e + "\n";
  return out;
}

ldap::Entry Read(const test::Slapd& server, const std::string& dn) {
  ldap::SyncClient client(AdminConfig(server));
  ldap::SearchRequest request;
  request.base = dn;
  request.scope = ldap::Scope::kBase;
  auto result = client.Search(request);
  EXPECT_TRUE(result.ok()) << dn << ": " << result.error().message();
  if (!result || result->entries.size() != 1)
    return {};
  return result->entries.front();
}

std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

class DirectoryApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = SampleServer();
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<ldap::Client>(io_.get_executor(), AdminConfig(*server_));
    second_client_ = std::make_unique<ldap::Client>(io_.get_executor(), AdminConfig(*server_));
    options_.base_dn = kRecipients;
    options_.plan.default_home = "mail1.example.test";
    options_.plan.create_base_dn = kRecipients;
    work_ = server_->dir() + "/import";
    std::filesystem::create_directories(work_);
  }
  void TearDown() override {
    client_.reset();
    second_client_.reset();
    io_.restart();
    io_.poll();
  }

  DirectoryPlan Plan(const std::vector<MigratingUser>& users) {
    auto plan = PlanDirectory(io_, *client_, users, options_);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    return plan ? std::move(*plan) : DirectoryPlan{};
  }

  // Applies over one connection, or two (batches alternate between them).
  ApplyResult Apply(const DirectoryPlan& plan, ApplyOptions apply_options = {},
                    std::size_t connections = 1) {
    auto journal = Journal::Open(work_ + "/journal.ldif", work_ + "/audit.ldif", TestJournalKey());
    EXPECT_TRUE(journal.ok());
    std::vector<ldap::Client*> clients{client_.get()};
    if (connections == 2)
      clients.push_back(second_client_.get());
    auto result = ApplyDirectoryPlan(io_, clients, plan, **journal, apply_options);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result ? std::move(*result) : ApplyResult{};
  }

  // Someone re-targets Avery's custom recipient after the plan was made.
  void RetargetAveryAfterPlanning() {
    ASSERT_TRUE(server_
                    ->LoadLdifText(std::string("dn: ") + kAvery +
                                   "\nchangetype: modify\nreplace: ccmTargetAddress\n"
                                   "ccmTargetAddress: SMTP:avery@partner.example\n-\n")
                    .ok());
  }

  RollbackResult RollBack() {
    auto records = ReadJournal(work_ + "/journal.ldif", TestJournalKey());
    EXPECT_TRUE(records.ok()) << records.error().message;
    auto result = Rollback(io_, *client_, *records);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result ? std::move(*result) : RollbackResult{};
  }

  // One change per batch: the second batch is journaled and sent while the first is in flight
  // (on the second connection when there are two). Avery's entry changed after planning.
  void ExpectPipelinedBatchesJournalEachChangeAndAuditOnlyTheApplied(std::size_t connections) {
    const DirectoryPlan plan = Plan(AppendixAUsers());
    ASSERT_EQ(plan.Count(Decision::kConvert), 2U);
    RetargetAveryAfterPlanning();
    const ApplyResult result = Apply(plan, ApplyOptions{1}, connections);
    ASSERT_EQ(result.users.size(), 2U);
    EXPECT_EQ(result.users[0].status, ApplyStatus::kAssertionFailed);
    EXPECT_EQ(result.users[1].status, ApplyStatus::kApplied);
    auto records = ReadJournal(work_ + "/journal.ldif", TestJournalKey());
    ASSERT_TRUE(records.ok()) << records.error().message;
    ASSERT_EQ(records->size(), 2U);  // both intents, each journaled before its change was sent
    std::ifstream audit(work_ + "/audit.ldif");
    const std::string audited((std::istreambuf_iterator<char>(audit)),
                              std::istreambuf_iterator<char>());
    EXPECT_EQ(audited.find(kAvery), std::string::npos) << audited;
    EXPECT_NE(audited.find(kJordan), std::string::npos) << audited;
  }

  std::unique_ptr<test::Slapd> server_;
  boost::asio::io_context io_;
  std::unique_ptr<ldap::Client> client_;
  std::unique_ptr<ldap::Client> second_client_;
  PlannerOptions options_;
  std::string work_;
};

TEST_F(DirectoryApplyTest, AppendixAConvertsAveryAndJordanInPlace) {
  const std::vector<MigratingUser> users = AppendixAUsers();
  ASSERT_EQ(users.size(), 2U);  // Jordan has no mail: included all the same
  const DirectoryPlan plan = Plan(users);
  ASSERT_EQ(plan.users.size(), 2U);
  for (const UserPlan& u : plan.users) {
    EXPECT_EQ(u.decision, Decision::kConvert) << u.user.source_address << ": " << u.reason;
  }
  const ApplyResult result = Apply(plan);
  EXPECT_EQ(result.applied, 2U);
  EXPECT_TRUE(ShouldDeliver(plan, result, 0));
  EXPECT_TRUE(ShouldDeliver(plan, result, 1));

  const ldap::Entry avery = Read(*server_, kAvery);
  EXPECT_EQ(Sorted(avery.Values("objectClass")),
            (std::vector<std::string>{"ccmMailbox", "inetOrgPerson"}));
  EXPECT_TRUE(avery.Values("ccmTargetAddress").empty());
  EXPECT_EQ(avery.Values("ccmMailboxHome"), (std::vector<std::string>{"mail1.example.test"}));
  EXPECT_EQ(avery.Values("ccmMailStore"), (std::vector<std::string>{"aquinn"}));
  EXPECT_EQ(Sorted(avery.Values("ccmProxyAddress")),
            (std::vector<std::string>{"CCMAIL:Quinn, Avery at HQPO", "SMTP:aquinn@corvane.example",
                                      "migrate:CCMAIL:Quinn, Avery at HQPO"}));
  EXPECT_EQ(avery.Values("uid"), (std::vector<std::string>{"AQuinn"}));
  EXPECT_EQ(avery.Values("displayName"), (std::vector<std::string>{"Avery Quinn"}));
  EXPECT_EQ(avery.Values("sn"), (std::vector<std::string>{"Quinn"}));
  EXPECT_EQ(avery.Values("givenName"), (std::vector<std::string>{"Avery"}));

  const ldap::Entry jordan = Read(*server_, kJordan);
  EXPECT_EQ(Sorted(jordan.Values("objectClass")),
            (std::vector<std::string>{"ccmMailbox", "inetOrgPerson"}));
  EXPECT_TRUE(jordan.Values("ccmTargetAddress").empty());
  EXPECT_EQ(jordan.Values("ccmMailboxHome"), (std::vector<std::string>{"mail1.example.test"}));
  EXPECT_EQ(jordan.Values("ccmMailStore"), (std::vector<std::string>{"jlee"}));
  EXPECT_EQ(Sorted(jordan.Values("ccmProxyAddress")),
            (std::vector<std::string>{"CCMAIL:Lee, Jordan at HQPO", "SMTP:jlee@corvane.example",
                                      "migrate:CCMAIL:Lee, Jordan at HQPO"}));

  // The DN never changed: the list still holds both, without anyone touching it.
  const ldap::Entry team = Read(*server_, kTeam);
  EXPECT_EQ(Sorted(team.Values("member")), Sorted({kAvery, kJordan, kCasey}));

  // Journal (prior state first) and audit were written.
  std::ifstream journal(work_ + "/journal.ldif");
  std::stringstream text;
  text << journal.rdbuf();
  EXPECT_NE(text.str().find("ccmTargetAddress: CCMAIL:Quinn, Avery at HQPO"), std::string::npos);
  auto records = ReadJournal(work_ + "/journal.ldif", TestJournalKey());
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2U);
  ASSERT_TRUE((*records)[0].prior.has_value());
  EXPECT_EQ(ldap::LdifContentRecord(*(*records)[0].prior), plan.users[0].prior_ldif);
  EXPECT_GT(std::filesystem::file_size(work_ + "/audit.ldif"), 0U);
}

TEST_F(DirectoryApplyTest, PlanLdifThroughLdapmodifyGivesTheSameDirectoryAsApply) {
  const std::vector<MigratingUser> users = AppendixAUsers();
  const DirectoryPlan plan = Plan(users);
  auto ldif = RenderPlanLdif(plan);
  ASSERT_TRUE(ldif.ok()) << ldif.error();
  const std::string file = work_ + "/plan.ldif";
  std::ofstream(file) << *ldif;

  auto twin = SampleServer();
  ASSERT_NE(twin, nullptr);
  ASSERT_EQ(Snapshot(*twin), Snapshot(*server_));
  auto run = test::RunProgram({"ldapmodify", "-x", "-H", twin->uri(), "-D", twin->admin_dn(), "-y",
                               twin->admin_password_file(), "-f", file});
  ASSERT_TRUE(run.ok()) << run.error();
  ASSERT_EQ(run->exit_code, 0) << run->output << "\n" << *ldif;

  const ApplyResult result = Apply(plan);
  EXPECT_EQ(result.applied, 2U);
  EXPECT_EQ(Snapshot(*twin), Snapshot(*server_));
  EXPECT_NE(Snapshot(*server_).find("ccmmailstore: aquinn"), std::string::npos);

  // The assertion travels in the LDIF: applying it again fails and changes nothing.
  auto again = test::RunProgram({"ldapmodify", "-x", "-H", twin->uri(), "-D", twin->admin_dn(),
                                 "-y", twin->admin_password_file(), "-f", file});
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->exit_code, 0);
  EXPECT_NE(again->output.find("Assertion Failed"), std::string::npos) << again->output;
  EXPECT_EQ(Snapshot(*twin), Snapshot(*server_));
}

TEST_F(DirectoryApplyTest, ConcurrentChangeBetweenPlanAndApplyIsReportedNotClobbered) {
  const DirectoryPlan plan = Plan(AppendixAUsers());
  ASSERT_EQ(plan.Count(Decision::kConvert), 2U);
  RetargetAveryAfterPlanning();
  const ldap::Entry changed = Read(*server_, kAvery);

  const ApplyResult result = Apply(plan);
  ASSERT_EQ(result.users.size(), 2U);
  EXPECT_EQ(result.users[0].status, ApplyStatus::kAssertionFailed);
  EXPECT_NE(result.users[0].message.find("(122)"), std::string::npos) << result.users[0].message;
  EXPECT_FALSE(ShouldDeliver(plan, result, 0));
  EXPECT_EQ(result.users[1].status, ApplyStatus::kApplied);
  EXPECT_EQ(result.assertion_failures, 1U);
  EXPECT_EQ(Canonical(Read(*server_, kAvery)), Canonical(changed));  // nothing clobbered
}

TEST_F(DirectoryApplyTest, PipelinedBatchesJournalEachChangeAndAuditOnlyTheApplied) {
  ExpectPipelinedBatchesJournalEachChangeAndAuditOnlyTheApplied(1);
}

TEST_F(DirectoryApplyTest, BatchesOverTwoConnectionsJournalEachChangeAndAuditOnlyTheApplied) {
  ExpectPipelinedBatchesJournalEachChangeAndAuditOnlyTheApplied(2);
}

TEST_F(DirectoryApplyTest, RerunDeliversWithoutChanges) {
  const DirectoryPlan first = Plan(AppendixAUsers());
  EXPECT_EQ(Apply(first).applied, 2U);
  const std::string after = Snapshot(*server_);

  const DirectoryPlan second = Plan(AppendixAUsers());
  ASSERT_EQ(second.users.size(), 2U);
  for (const UserPlan& u : second.users) {
    EXPECT_EQ(u.decision, Decision::kDeliver) << u.reason;
    EXPECT_FALSE(u.change.has_value());
  }
  EXPECT_EQ(second.users[0].mail_store, "aquinn");
  EXPECT_EQ(second.users[1].mail_store, "jlee");
  const ApplyResult result = Apply(second);
  EXPECT_EQ(result.applied, 0U);
  EXPECT_TRUE(ShouldDeliver(second, result, 0));
  EXPECT_EQ(Snapshot(*server_), after);
}

TEST_F(DirectoryApplyTest, CrashBetweenJournalAndModifyConverges) {
  const DirectoryPlan plan = Plan(AppendixAUsers());
  {
    // The journal got the intents, then the process died before any modify was sent.
    auto journal = Journal::Open(work_ + "/journal.ldif", work_ + "/audit.ldif", TestJournalKey());
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->RecordIntents({&plan.users[0], &plan.users[1]}).ok());
  }
  const std::string before = Snapshot(*server_);
  const DirectoryPlan rerun = Plan(AppendixAUsers());
  EXPECT_EQ(rerun.Count(Decision::kConvert), 2U);
  EXPECT_EQ(Apply(rerun).applied, 2U);
  EXPECT_EQ(Read(*server_, kAvery).Values("ccmMailStore"), (std::vector<std::string>{"aquinn"}));

  // The journal now holds each change twice; rollback undoes the applied one and sees the
  // never-applied one as already in place.
  const RollbackResult rolled = RollBack();
  EXPECT_EQ(rolled.Count(RollbackStatus::kRestored), 2U);
  EXPECT_EQ(rolled.Count(RollbackStatus::kAlreadyRestored), 2U);
  EXPECT_EQ(Snapshot(*server_), before);
}

TEST_F(DirectoryApplyTest, RollbackRestoresTheExactPriorEntriesAndIsIdempotent) {
  const std::string before = Snapshot(*server_);
  const DirectoryPlan plan = Plan(AppendixAUsers());
  EXPECT_EQ(Apply(plan).applied, 2U);
  ASSERT_NE(Snapshot(*server_), before);

  const RollbackResult first = RollBack();
  ASSERT_EQ(first.entries.size(), 2U);
  EXPECT_EQ(first.Count(RollbackStatus::kRestored), 2U);
  EXPECT_EQ(Snapshot(*server_), before);
  EXPECT_EQ(Sorted(Read(*server_, kTeam).Values("member")), Sorted({kAvery, kJordan, kCasey}));

  const RollbackResult second = RollBack();
  EXPECT_EQ(second.Count(RollbackStatus::kAlreadyRestored), 2U);
  EXPECT_EQ(Snapshot(*server_), before);
}

TEST_F(DirectoryApplyTest, RollbackLeavesAnEntryChangedSinceAlone) {
  const DirectoryPlan plan = Plan(AppendixAUsers());
  EXPECT_EQ(Apply(plan).applied, 2U);
  // An administrator moves Jordan's mailbox after the import.
  ASSERT_TRUE(server_
                  ->LoadLdifText(std::string("dn: ") + kJordan +
                                 "\nchangetype: modify\nreplace: ccmMailboxHome\n"
                                 "ccmMailboxHome: mail2.example.test\n-\n")
                  .ok());
  const ldap::Entry jordan = Read(*server_, kJordan);
  const RollbackResult result = RollBack();
  ASSERT_EQ(result.entries.size(), 2U);
  // newest first: Jordan, then Avery
  EXPECT_EQ(result.entries[0].dn, kJordan);
  EXPECT_EQ(result.entries[0].status, RollbackStatus::kChangedSince);
  EXPECT_EQ(result.entries[1].status, RollbackStatus::kRestored);
  EXPECT_EQ(Canonical(Read(*server_, kJordan)), Canonical(jordan));
  EXPECT_TRUE(Read(*server_, kAvery).HasObjectClass("ccmCustomRecipient"));
}

TEST_F(DirectoryApplyTest, SeveralMatchingEntriesAreAConflictAndNothingIsWritten) {
  ASSERT_TRUE(server_
                  ->LoadLdifText("dn: cn=Avery Quinn (old),ou=Recipients,dc=example,dc=test\n"
                                 "objectClass: inetOrgPerson\nobjectClass: ccmCustomRecipient\n"
                                 "cn: Avery Quinn (old)\nsn: Quinn\n"
                                 "ccmTargetAddress: ccmail:QUINN,AVERY at hqpo\n")
                  .ok());
  const std::string avery_before = Canonical(Read(*server_, kAvery));
  const DirectoryPlan plan = Plan(AppendixAUsers());
  ASSERT_EQ(plan.users.size(), 2U);
  EXPECT_EQ(plan.users[0].decision, Decision::kConflict);
  EXPECT_NE(plan.users[0].reason.find(kAvery), std::string::npos) << plan.users[0].reason;
  EXPECT_NE(plan.users[0].reason.find("Avery Quinn (old)"), std::string::npos);
  EXPECT_EQ(plan.users[1].decision, Decision::kConvert);
  EXPECT_EQ(VerdictOf(plan, {}), PlanVerdict::kRefused);
  const ApplyResult result = Apply(plan);
  EXPECT_EQ(result.users[0].status, ApplyStatus::kNothingToDo);
  EXPECT_FALSE(ShouldDeliver(plan, result, 0));
  EXPECT_EQ(Canonical(Read(*server_, kAvery)), avery_before);  // the conflicting user: untouched
  EXPECT_EQ(result.applied, 1U);
}

TEST_F(DirectoryApplyTest, NearMissIsReportedNotMatched) {
  ASSERT_TRUE(server_
                  ->LoadLdifText("dn: cn=Morgan Ellis,ou=Recipients,dc=example,dc=test\n"
                                 "objectClass: inetOrgPerson\nobjectClass: ccmCustomRecipient\n"
                                 "cn: Morgan Ellis\nsn: Ellis\n"
                                 "ccmTargetAddress: CCMAIL:Morgan Ellis at HQPO\n")
                  .ok());
  const DirectoryPlan plan = Plan({UserFor("CCMAIL:Ellis, Morgan at HQPO")});
  ASSERT_EQ(plan.users.size(), 1U);
  EXPECT_EQ(plan.users[0].decision, Decision::kSkipNotFound);
  ASSERT_EQ(plan.users[0].warnings.size(), 1U);
  EXPECT_NE(plan.users[0].warnings[0].find("cn=Morgan Ellis"), std::string::npos);
}

TEST_F(DirectoryApplyTest, CreateAddsAMailboxWhenEnabledAndRollbackKeepsIt) {
  MigratingUser u = UserFor("CCMAIL:Rivera, Sam at HQPO");
  u.has_mailbox_record = true;
  u.common_name = "SRivera";
  u.display_name = "Sam Rivera";
  u.home_server = "~SERVER";
  EXPECT_EQ(Plan({u}).users[0].decision, Decision::kSkipNotFound);  // default: off
  options_.plan.create_missing = true;
  const DirectoryPlan plan = Plan({u});
  ASSERT_EQ(plan.users[0].decision, Decision::kCreate) << plan.users[0].reason;
  EXPECT_EQ(Apply(plan).applied, 1U);
  const ldap::Entry sam = Read(*server_, "cn=Sam Rivera,ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(Sorted(sam.Values("objectClass")),
            (std::vector<std::string>{"ccmMailbox", "inetOrgPerson"}));
  EXPECT_EQ(sam.Values("ccmMailboxHome"), (std::vector<std::string>{"mail1.example.test"}));
  EXPECT_EQ(sam.Values("ccmMailStore"), (std::vector<std::string>{"srivera"}));
  const DirectoryPlan rerun = Plan({u});
  EXPECT_EQ(rerun.users[0].decision, Decision::kDeliver);
  EXPECT_FALSE(rerun.users[0].change.has_value());
  const RollbackResult rolled = RollBack();
  ASSERT_EQ(rolled.entries.size(), 1U);
  EXPECT_EQ(rolled.entries[0].status, RollbackStatus::kCreatedKept);
}

TEST_F(DirectoryApplyTest, UnreachableDirectoryIsTransient) {
  ASSERT_TRUE(server_->Stop().ok());
  ldap::ConnectionConfig config = AdminConfig(*server_);
  config.operation_timeout = std::chrono::seconds(2);
  config.network_timeout = std::chrono::milliseconds(500);
  ldap::Client down(io_.get_executor(), config);
  auto nobody = PlanDirectory(io_, down, {}, options_);  // no user: no connection needed
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->users.empty());
  auto plan = PlanDirectory(io_, down, AppendixAUsers(), options_);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, ImportErrorKind::kTransient) << plan.error().message;
}

}  // namespace
}  // namespace ccm::importer
