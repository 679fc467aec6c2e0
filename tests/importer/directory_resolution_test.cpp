// directory_resolution_test.cpp — both ways of resolving (one search per kUsersPerResolutionSearch
// users, and a paged scan of the base) against a real slapd (tests/support): a set of a few
// hundred users with custom recipients (some stored without the space after ','), mailboxes,
// near misses (one of them another user's match), an entry two users match, a user matching two
// entries, users not found and a non-ASCII user plans exactly as one search per user does, by
// searches, by a scan over several pages, and by a scan that reads its budget and gives way to
// the searches; N users cost ceil(N / group) searches, or one page when they are most of the
// directory.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "importer/directory_decision.h"
#include "importer/directory_planner.h"
#include "importer/migrating_user.h"
#include "importer/plan_ldif.h"
#include "ldap/client.h"
#include "parser/source_address.h"
#include "tests/ldap/test_config.h"
#include "tests/support/slapd.h"

namespace ccm::importer {
namespace {

constexpr const char* kRecipients = "ou=Recipients,dc=example,dc=test";

MigratingUser UserFor(std::string address) {
  MigratingUser u;
  u.source_address = std::move(address);
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  return u;
}

std::string Entry(const std::string& cn, const std::string& object_class,
                  const std::vector<std::string>& lines) {
  std::string out = "dn: cn=" + cn + "," + kRecipients + "\nobjectClass: inetOrgPerson\n" +
                    "objectClass: " + object_class + "\ncn: " + cn + "\nsn: " + cn + "\n";
  for (const auto& l : lines)
    out += l + "\n";
  return out + "\n";
}

// The directory and the set, interleaved so that related users fall in one group and in
// different groups of kUsersPerResolutionSearch.
struct Fixture {
  std::string ldif;
  std::vector<MigratingUser> users;
};

Fixture Mixed() {
  Fixture f;
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 6) {
      case 0:  // custom recipient: convert
        f.ldif += Entry("CR " + n, "ccmCustomRecipient",
                        {"ccmTargetAddress: CCMAIL:Last" + n + ", First" + n + " at HQPO",
                         "ccmProxyAddress: CCMAIL:Last" + n + ", First" + n + " at HQPO"});
        f.users.push_back(UserFor("CCMAIL:Last" + n + ", First" + n + " at HQPO"));
        break;
      case 1:  // custom recipient stored without the space after ','
        f.ldif += Entry("Tight " + n, "ccmCustomRecipient",
                        {"ccmTargetAddress: CCMAIL:Last" + n + ",First" + n + " at HQPO"});
        f.users.push_back(UserFor("CCMAIL:Last" + n + ", First" + n + " at HQPO"));
        break;
      case 2:  // mailbox already carrying the migrate proxy: deliver
        f.ldif += Entry("Box " + n, "ccmMailbox",
                        {"uid: box" + n, "ccmMailboxHome: mail1.example.test",
                         "ccmProxyAddress: migrate:CCMAIL:Box" + n + ", User at HQPO"});
        f.users.push_back(UserFor("CCMAIL:Box" + n + ", User at HQPO"));
        break;
      case 3:  // near miss only
        f.ldif += Entry("Near " + n, "ccmCustomRecipient",
                        {"ccmTargetAddress: CCMAIL:First" + n + " Near" + n + " at HQPO"});
        f.users.push_back(UserFor("CCMAIL:Near" + n + ", First" + n + " at HQPO"));
        break;
      case 4:  // not found
        f.users.push_back(UserFor("CCMAIL:Missing" + n + ", Nobody at HQPO"));
        break;
      case 5:  // whose `First Last` form is the previous CR's match: a near miss, never a match
        f.users.push_back(UserFor("CCMAIL:First" + std::to_string(i - 5) + " Last" +
                                  std::to_string(i - 5) + " at HQPO"));
        break;
    }
  }
  // One entry two users match (proxy of one, target of the other): users 7 and 250.
  f.ldif += Entry("Shared", "ccmCustomRecipient",
                  {"ccmTargetAddress: CCMAIL:Shared, One at HQPO",
                   "ccmProxyAddress: CCMAIL:Shared, Two at HQPO"});
  f.users[7] = UserFor("CCMAIL:Shared, One at HQPO");
  f.users[250] = UserFor("CCMAIL:Shared, Two at HQPO");
  // The same within one group: users 40 and 41.
  f.ldif += Entry("Shared In Group", "ccmCustomRecipient",
                  {"ccmTargetAddress: CCMAIL:Group, One at HQPO",
                   "ccmProxyAddress: CCMAIL:Group, Two at HQPO"});
  f.users[40] = UserFor("CCMAIL:Group, One at HQPO");
  f.users[41] = UserFor("CCMAIL:Group, Two at HQPO");
  // A user matching two entries: user 100.
  f.ldif +=
      Entry("Twice A", "ccmCustomRecipient", {"ccmTargetAddress: CCMAIL:Twice, Seen at HQPO"});
  f.ldif += Entry(
      "Twice B", "ccmCustomRecipient",
      {"ccmTargetAddress: CCMAIL:Twice B at HQPO", "ccmProxyAddress: CCMAIL:Twice,Seen at HQPO"});
  f.users[100] = UserFor("CCMAIL:Twice, Seen at HQPO");
  // Not ASCII: a conflict without a search.
  f.users[160] = UserFor("CCMAIL:M\xc3\xbcller, Jo at HQPO");
  return f;
}

// PlannerOptions::scan_from_users that never scans.
constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

class DirectoryResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test::Slapd::Start();
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(*server);
    ldap::ConnectionConfig config = ldap::testing::AdminConfig(*server_);
    config.operation_timeout = std::chrono::seconds(30);
    client_ = std::make_unique<ldap::Client>(io_.get_executor(), config);
    options_.base_dn = kRecipients;
    options_.plan.default_home = "mail1.example.test";
    options_.plan.create_base_dn = kRecipients;
    // The sample directory gives the base and a few unrelated entries.
    auto loaded = server_->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
  }
  // A server with a size limit (SlapdOptions::size_limit), the sample directory and `ldif`,
  // planned by an anonymous client, which the limit applies to (the rootdn is exempt).
  void RestartLimited(const std::string& size_limit, const std::string& ldif) {
    client_.reset();
    io_.restart();
    io_.poll();
    auto server = test::Slapd::Start({.size_limit = size_limit});
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(*server);
    auto loaded = server_->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    loaded = server_->LoadLdifText(ldif);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    ldap::ConnectionConfig config = ldap::testing::AnonymousConfig(*server_);
    config.operation_timeout = std::chrono::seconds(30);
    client_ = std::make_unique<ldap::Client>(io_.get_executor(), config);
  }

  void TearDown() override {
    client_.reset();
    io_.restart();
    io_.poll();
  }

  DirectoryPlan Plan(const std::vector<MigratingUser>& users) {
    auto plan = PlanDirectory(io_, *client_, users, options_);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    return plan ? std::move(*plan) : DirectoryPlan{};
  }

  // Every set is scanned, `entries` to a page.
  void ScanInPagesOf(int entries) {
    options_.scan_from_users = 1;
    options_.scan_page_size = entries;
  }

  // Mixed()'s users planned as each planned alone, and the mix is there.
  void ExpectPlannedAsAlone(const DirectoryPlan& planned, const std::vector<MigratingUser>& users);

  // A plan, and the searches (scan pages included) it cost.
  struct Counted {
    DirectoryPlan plan;
    std::size_t searches = 0;
  };
  Counted PlanCounted(const std::vector<MigratingUser>& users) {
    const std::size_t before = TEST_ResolutionSearches();
    DirectoryPlan plan = Plan(users);
    return {std::move(plan), TEST_ResolutionSearches() - before};
  }

 public:
  // One user planned by one search of its own.
  DirectoryPlan PlanOne(const MigratingUser& user) {
    PlannerOptions alone = options_;
    alone.scan_from_users = kNever;
    auto plan = PlanDirectory(io_, *client_, {user}, alone);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    return plan ? std::move(*plan) : DirectoryPlan{};
  }

 protected:
  // Entries under the base that carry an address: what a scan reads (paged, as a scan is).
  std::size_t AddressedEntries() {
    ldap::SearchRequest request;
    request.base = kRecipients;
    request.filter = ldap::Filter::Or(
        {ldap::Filter::Present("ccmProxyAddress"), ldap::Filter::Present("ccmTargetAddress")});
    request.attributes = {"1.1"};
    request.page_size = 1000;
    std::optional<Result<ldap::SearchResult, ldap::Error>> got;
    client_->AsyncSearch(
        request, [&got](Result<ldap::SearchResult, ldap::Error> r) { got.emplace(std::move(r)); });
    io_.restart();
    while (!got && io_.run_one() > 0) {
    }
    EXPECT_TRUE(got && got->ok());
    return got && got->ok() ? (*got)->entries.size() : 0;
  }

  std::unique_ptr<test::Slapd> server_;
  boost::asio::io_context io_;
  std::unique_ptr<ldap::Client> client_;
  PlannerOptions options_;
};

std::string ChangeText(const UserPlan& u) {
  if (!u.change)
    return "(none)";
  auto text = RenderChangeLdif(u.change->Unpack());
  return text ? *text : "render failed: " + text.error();
}

// The oracle: each user planned alone (one search of its own filter), then the plan-wide
// collision check over all of them.
DirectoryPlan PlanAlone(DirectoryResolutionTest& test, const std::vector<MigratingUser>& users);

void ExpectSamePlan(const DirectoryPlan& got, const DirectoryPlan& alone) {
  ASSERT_EQ(got.users.size(), alone.users.size());
  for (std::size_t i = 0; i < alone.users.size(); ++i) {
    const UserPlan& b = got.users[i];
    const UserPlan& a = alone.users[i];
    SCOPED_TRACE("user " + std::to_string(i) + ": " + a.user.source_address);
    EXPECT_EQ(b.user.source_address, a.user.source_address);
    EXPECT_EQ(b.decision, a.decision);
    EXPECT_EQ(b.dn, a.dn);
    EXPECT_EQ(b.mail_store, a.mail_store);
    EXPECT_EQ(b.mailbox_home, a.mailbox_home);
    EXPECT_EQ(b.reason, a.reason);
    EXPECT_EQ(b.warnings, a.warnings);
    EXPECT_EQ(b.prior_ldif, a.prior_ldif);
    EXPECT_EQ(ChangeText(b), ChangeText(a));
  }
  auto got_ldif = RenderPlanLdif(got);
  auto alone_ldif = RenderPlanLdif(alone);
  ASSERT_TRUE(got_ldif.ok());
  ASSERT_TRUE(alone_ldif.ok());
  EXPECT_EQ(*got_ldif, *alone_ldif);
}

// The mix of Mixed() is really there.
void ExpectTheMix(const DirectoryPlan& plan) {
  EXPECT_GE(plan.Count(Decision::kConvert), 90U);
  EXPECT_GE(plan.Count(Decision::kDeliver), 40U);
  EXPECT_GE(plan.Count(Decision::kSkipNotFound), 90U);
  for (std::size_t i : {7U, 250U, 40U, 41U, 100U, 160U})
    EXPECT_EQ(plan.users[i].decision, Decision::kConflict) << i;
  // A near miss only: skipped with one warning, and a `First Last` user whose variant is
  // another user's match is not that user's match.
  EXPECT_EQ(plan.users[3].decision, Decision::kSkipNotFound);
  EXPECT_EQ(plan.users[3].warnings.size(), 1U);
  EXPECT_EQ(plan.users[5].decision, Decision::kSkipNotFound);
  EXPECT_EQ(plan.users[5].warnings.size(), 1U);
  EXPECT_EQ(plan.users[0].decision, Decision::kConvert);
}

std::size_t Ceil(std::size_t n, std::size_t d) {
  return (n + d - 1) / d;
}

TEST_F(DirectoryResolutionTest, BatchedPlanEqualsOneSearchPerUser) {
  const Fixture f = Mixed();
  auto loaded = server_->LoadLdifText(f.ldif);
  ASSERT_TRUE(loaded.ok()) << loaded.error();

  options_.scan_from_users = kNever;
  const auto [batched, searches] = PlanCounted(f.users);
  const std::size_t searched = f.users.size() - 1;  // the non-ASCII user is not searched
  EXPECT_EQ(searches, Ceil(searched, kUsersPerResolutionSearch));

  ExpectPlannedAsAlone(batched, f.users);
}

TEST_F(DirectoryResolutionTest, ScannedPlanEqualsOneSearchPerUser) {
  const Fixture f = Mixed();
  auto loaded = server_->LoadLdifText(f.ldif);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  const std::size_t with_addresses = AddressedEntries();
  ASSERT_GT(with_addresses, 200U);

  ScanInPagesOf(16);  // many pages
  const auto [scanned, pages] = PlanCounted(f.users);
  // A last page that is exactly full may be followed by an empty one.
  EXPECT_GE(pages, Ceil(with_addresses, 16));
  EXPECT_LE(pages, Ceil(with_addresses, 16) + 1);

  ExpectPlannedAsAlone(scanned, f.users);
}

TEST_F(DirectoryResolutionTest, ScanThatReadsItsBudgetGivesWayToTheSearches) {
  Fixture f = Mixed();
  // Addressed entries of other post offices: five per user of the set, more than the budget.
  for (int i = 0; i < 1500; ++i) {
    const std::string n = std::to_string(i);
    f.ldif += Entry("Other " + n, "ccmCustomRecipient",
                    {"ccmTargetAddress: CCMAIL:Other" + n + ", User at BRANCH"});
  }
  auto loaded = server_->LoadLdifText(f.ldif);
  ASSERT_TRUE(loaded.ok()) << loaded.error();

  ScanInPagesOf(100);
  const std::size_t searched = f.users.size() - 1;  // the non-ASCII user is not searched
  const std::size_t budget = searched * kScanEntriesPerUser;
  ASSERT_GT(AddressedEntries(), budget + 100);  // the scan cannot end before its budget
  const auto [planned, searches] = PlanCounted(f.users);
  EXPECT_EQ(searches, Ceil(budget, 100) + Ceil(searched, kUsersPerResolutionSearch));

  ExpectPlannedAsAlone(planned, f.users);
}

TEST_F(DirectoryResolutionTest, ScanCutShortByTheServersSizeLimitGivesWayToTheSearches) {
  const Fixture f = Mixed();
  // A limit of 100 entries for the whole paged search (size.prtotal defaults to the hard limit),
  // above what one group's search returns.
  RestartLimited("size.soft=100 size.hard=100", f.ldif);
  ScanInPagesOf(16);
  const std::size_t searched = f.users.size() - 1;
  const auto [planned, searches] = PlanCounted(f.users);
  // The pages up to the limit, then every group's search.
  EXPECT_GE(searches, Ceil(100, 16) + Ceil(searched, kUsersPerResolutionSearch));
  EXPECT_LE(searches, Ceil(100, 16) + 1 + Ceil(searched, kUsersPerResolutionSearch));

  ExpectPlannedAsAlone(planned, f.users);
}

TEST_F(DirectoryResolutionTest, ScanReadsPastTheSizeLimitWhereTheServerAllowsPagingPastIt) {
  const Fixture f = Mixed();
  // What conf/ldap/limits.ldif gives ccmigrate's service account: the per-search limit stays,
  // a paged search may read the whole base.
  RestartLimited("size.soft=100 size.hard=100 size.prtotal=unlimited", f.ldif);
  ScanInPagesOf(16);
  const auto [planned, pages] = PlanCounted(f.users);
  const std::size_t with_addresses = AddressedEntries();
  ASSERT_GT(with_addresses, 200U);
  EXPECT_GE(pages, Ceil(with_addresses, 16));
  EXPECT_LE(pages, Ceil(with_addresses, 16) + 1);

  ExpectPlannedAsAlone(planned, f.users);
}

TEST_F(DirectoryResolutionTest, NUsersCostAboutNOverGroupSearches) {
  std::vector<MigratingUser> users;
  for (int i = 0; i < 1000; ++i)
    users.push_back(UserFor("CCMAIL:Absent" + std::to_string(i) + ", User at HQPO"));
  options_.scan_from_users = kNever;
  const auto [plan, searches] = PlanCounted(users);
  EXPECT_EQ(searches, Ceil(users.size(), kUsersPerResolutionSearch));
  EXPECT_EQ(plan.Count(Decision::kSkipNotFound), users.size());
}

TEST_F(DirectoryResolutionTest, ALargeSetOfMostOfTheDirectoryCostsOnePagePerThousandEntries) {
  std::vector<MigratingUser> users;
  for (int i = 0; i < static_cast<int>(kScanFromUsers); ++i)
    users.push_back(UserFor("CCMAIL:Absent" + std::to_string(i) + ", User at HQPO"));
  ASSERT_LT(AddressedEntries(), static_cast<std::size_t>(kScanPageSize));
  const auto [plan, searches] = PlanCounted(users);
  EXPECT_EQ(searches, 1U);  // the default options: one scan page
  EXPECT_EQ(plan.Count(Decision::kSkipNotFound), users.size());
  users.pop_back();  // one user fewer than kScanFromUsers: searches
  EXPECT_EQ(PlanCounted(users).searches, Ceil(users.size(), kUsersPerResolutionSearch));
}

void DirectoryResolutionTest::ExpectPlannedAsAlone(const DirectoryPlan& planned,
                                                   const std::vector<MigratingUser>& users) {
  ExpectSamePlan(planned, PlanAlone(*this, users));
  ExpectTheMix(planned);
}

DirectoryPlan PlanAlone(DirectoryResolutionTest& test, const std::vector<MigratingUser>& users) {
  DirectoryPlan alone;
  for (const MigratingUser& u : users) {
    const std::size_t start = TEST_ResolutionSearches();
    DirectoryPlan one = test.PlanOne(u);
    EXPECT_EQ(one.users.size(), 1U);
    EXPECT_LE(TEST_ResolutionSearches() - start, 1U);
    if (!one.users.empty())
      alone.users.push_back(std::move(one.users[0]));
  }
  CheckPlanCollisions(alone);
  return alone;
}

}  // namespace
}  // namespace ccm::importer
