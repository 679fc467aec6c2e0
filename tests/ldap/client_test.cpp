// client_test.cpp — ccm::ldap::Client and SyncClient against a real slapd: every operation,
// paging past the server's size limit, the assertion control, many operations in flight with
// results matched to their callers, and C++20 coroutine use.
#include "ldap/client.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <set>

#include "ldap/escape.h"
#include "tests/ldap/test_config.h"
#include "tests/support/slapd_fixture.h"
#include "tests/support/sync_client.h"

namespace ccm::ldap {
namespace {

using testing::AdminConfig;
using testing::AnonymousConfig;

const std::string kAvery = "cn=Avery Quinn,ou=Recipients,dc=example,dc=test";

// A fresh organizational unit for one test, so tests sharing the server do not interfere.
std::string MakeOu(SyncClient& client, const std::string& name) {
  Entry ou{ChildDn("ou", name, "dc=example,dc=test"), {}};
  ou.Add("objectClass", "organizationalUnit");
  ou.Add("ou", name);
  auto added = client.Add(ou);
  EXPECT_TRUE(added.ok()) << added.error().message();
  return ou.dn;
}

Entry Person(const std::string& parent, const std::string& cn) {
  Entry person{ChildDn("cn", cn, parent), {}};
  person.Add("objectClass", "inetOrgPerson");
  person.Add("cn", cn);
  person.Add("sn", cn);
  person.Add("uid", cn);
  return person;
}

std::optional<Entry> Lookup(SyncClient& client, const std::string& dn) {
  SearchRequest request;
  request.base = dn;
  request.scope = Scope::kBase;
  auto found = client.Search(request);
  if (!found || found->entries.size() != 1)
    return std::nullopt;
  return found->entries.front();
}

using ClientTest = test::SlapdTest;

TEST_F(ClientTest, SimpleBindThenWhoAmINamesTheBindDn) {
  SyncClient client(AdminConfig(slapd()));
  auto connected = client.Connect();
  ASSERT_TRUE(connected.ok()) << connected.error().message();
  EXPECT_TRUE(client.client().connected());
  auto who = client.WhoAmI();
  ASSERT_TRUE(who.ok()) << who.error().message();
  EXPECT_EQ(*who, "dn:cn=admin,dc=example,dc=test");
}

TEST_F(ClientTest, SaslExternalOverLdapiBindsAsThePeerCredentials) {
  ConnectionConfig config;
  config.uri = slapd().ldapi_uri();
  config.bind = BindMethod::kSaslExternal;
  SyncClient client(config);
  auto who = client.WhoAmI();
  ASSERT_TRUE(who.ok()) << who.error().message();
  EXPECT_EQ(*who, "dn:gidNumber=" + std::to_string(getgid()) + "+uidNumber=" +
                      std::to_string(getuid()) + ",cn=peercred,cn=external,cn=auth");
}

TEST_F(ClientTest, SearchFindsTheSampleCustomRecipientByProxyAddress) {
  SyncClient client(AnonymousConfig(slapd()));
  SearchRequest request;
  request.base = "ou=Recipients,dc=example,dc=test";
  request.filter = Filter::Or({Filter::Eq("ccmProxyAddress", "migrate:CCMAIL:Quinn, Avery at HQPO"),
                               Filter::Eq("ccmProxyAddress", "ccmail:QUINN, AVERY AT HQPO"),
                               Filter::Eq("ccmTargetAddress", "CCMAIL:Quinn, Avery at HQPO")});
  request.attributes = {"objectClass", "ccmProxyAddress", "memberOf"};
  auto found = client.Search(request);
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->entries.size(), 1u);
  const Entry& avery = found->entries.front();
  EXPECT_EQ(avery.dn, kAvery);
  EXPECT_TRUE(avery.HasObjectClass("ccmcustomrecipient"));
  EXPECT_EQ(
      avery.Values("ccmproxyaddress"),
      (std::vector<std::string>{"CCMAIL:Quinn, Avery at HQPO", "SMTP:aquinn@corvane.example"}));
  EXPECT_EQ(avery.First("memberOf"), "cn=Cutover Team,ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(avery.Find("sn"), nullptr) << "only the requested attributes come back";
}

TEST_F(ClientTest, AddModifyModRdnDeleteChangeTheDirectory) {
  SyncClient client(AdminConfig(slapd()));
  std::string ou = MakeOu(client, "ClientOps");
  Entry person = Person(ou, "Sam Park");
  ASSERT_TRUE(client.Add(person).ok());

  auto duplicate = client.Add(person);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, result_code::kAlreadyExists);
  EXPECT_FALSE(duplicate.error().transient());
  EXPECT_NE(duplicate.error().message().find("add cn=Sam Park,ou=ClientOps"), std::string::npos)
      << duplicate.error().message();

  auto modified = client.Modify(person.dn, {Modification::Add("description", {"one", "two"}),
                                            Modification::Replace("sn", {"Park"})});
  ASSERT_TRUE(modified.ok()) << modified.error().message();
  auto after = Lookup(client, person.dn);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->Values("description"), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(after->First("sn"), "Park");

  ASSERT_TRUE(client.Modify(person.dn, {Modification::Delete("description", {"one"})}).ok());
  EXPECT_EQ(Lookup(client, person.dn)->Values("description"), (std::vector<std::string>{"two"}));

  auto renamed = client.ModRdn(person.dn, Rdn("cn", "Sam Park-Lee"), false);
  ASSERT_TRUE(renamed.ok()) << renamed.error().message();
  std::string new_dn = ChildDn("cn", "Sam Park-Lee", ou);
  auto moved = Lookup(client, new_dn);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->Values("cn"), (std::vector<std::string>{"Sam Park", "Sam Park-Lee"}))
      << "deleteoldrdn=0 keeps the old value";
  EXPECT_FALSE(Lookup(client, person.dn));

  ASSERT_TRUE(client.Delete(new_dn).ok());
  EXPECT_FALSE(Lookup(client, new_dn));
  auto gone = client.Delete(new_dn);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, result_code::kNoSuchObject);
  EXPECT_EQ(gone.error().matched_dn, ou);
  EXPECT_FALSE(gone.error().transient());
}

TEST_F(ClientTest, ConvertWithAssertionSucceedsOnceAndAFalseAssertionChangesNothing) {
  SyncClient client(AdminConfig(slapd()));
  std::string ou = MakeOu(client, "Assertion");
  Entry cr = Person(ou, "Robin Vale");
  cr.Add("objectClass", "ccmCustomRecipient");
  cr.Add("ccmTargetAddress", "CCMAIL:Vale, Robin at HQPO");
  cr.Add("ccmProxyAddress", "CCMAIL:Vale, Robin at HQPO");
  ASSERT_TRUE(client.Add(cr).ok());

  auto guard = AssertionControl(Filter::Eq("objectClass", "ccmCustomRecipient"));
  ASSERT_TRUE(guard.ok()) << guard.error().message();
  std::vector<Modification> convert = {
      Modification::Delete("objectClass", {"ccmCustomRecipient"}),
      Modification::Delete("ccmTargetAddress"), Modification::Add("objectClass", {"ccmMailbox"}),
      Modification::Add("ccmMailboxHome", {"mail1.example.test"}),
      Modification::Add("ccmProxyAddress",
                        {"migrate:CCMAIL:Vale, Robin at HQPO", "ccmail:Vale, Robin at HQPO"})};
  // ccmail:… equals CCMAIL:… under caseIgnoreIA5Match, so the server refuses the duplicate:
  auto duplicate = client.Modify(cr.dn, convert, {*guard});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, result_code::kTypeOrValueExists);
  convert.back().values.pop_back();

  auto converted = client.Modify(cr.dn, convert, {*guard});
  ASSERT_TRUE(converted.ok()) << converted.error().message();
  auto mailbox = Lookup(client, cr.dn);
  ASSERT_TRUE(mailbox);
  EXPECT_TRUE(mailbox->HasObjectClass("ccmMailbox"));
  EXPECT_FALSE(mailbox->HasObjectClass("ccmCustomRecipient"));

  auto again = client.Modify(cr.dn, {Modification::Replace("ccmMailboxHome", {"mail2"})}, {*guard});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, result_code::kAssertionFailed);
  EXPECT_EQ(again.error().code, 122);
  EXPECT_FALSE(again.error().transient());
  EXPECT_EQ(Lookup(client, cr.dn)->First("ccmMailboxHome"), "mail1.example.test");
}

TEST(ClientPagingTest, PagedSearchReadsPastTheServerSizeLimit) {
  auto started =
      test::Slapd::Start({.size_limit = "size.soft=5 size.hard=5 size.prtotal=unlimited"});
  ASSERT_TRUE(started.ok()) << started.error();
  test::Slapd& server = **started;
  SyncClient admin(AdminConfig(server));
  ASSERT_TRUE(admin
                  .Add(Entry{"dc=example,dc=test",
                             {{"objectClass", {"dcObject", "organization"}},
                              {"dc", {"example"}},
                              {"o", {"Example"}}}})
                  .ok());
  std::string ou = MakeOu(admin, "Paging");
  for (int i = 0; i < 23; ++i)
    ASSERT_TRUE(admin.Add(Person(ou, "p" + std::to_string(i))).ok());

  SyncClient anonymous(AnonymousConfig(server));  // the rootdn is exempt from size limits
  SearchRequest request;
  request.base = ou;
  request.scope = Scope::kOneLevel;
  request.attributes = {"cn"};
  auto limited = anonymous.Search(request);
  ASSERT_TRUE(limited.ok()) << limited.error().message();
  EXPECT_TRUE(limited->size_limit_exceeded);
  EXPECT_EQ(limited->entries.size(), 5u);

  request.page_size = 4;
  auto paged = anonymous.Search(request);
  ASSERT_TRUE(paged.ok()) << paged.error().message();
  EXPECT_FALSE(paged->size_limit_exceeded);
  std::set<std::string> names;
  for (const auto& entry : paged->entries)
    names.insert(*entry.First("cn"));
  EXPECT_EQ(names.size(), 23u);

  // One page at a time: each answer holds one page and names the next, until the last.
  request.one_page = true;
  std::set<std::string> paged_one_by_one;
  std::vector<std::size_t> page_sizes;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = anonymous.Search(request);
    ASSERT_TRUE(page.ok()) << page.error().message();
    EXPECT_FALSE(page->size_limit_exceeded);
    page_sizes.push_back(page->entries.size());
    for (const auto& entry : page->entries)
      paged_one_by_one.insert(*entry.First("cn"));
    if (page->next_page_cookie.empty())
      break;
    request.page_cookie = page->next_page_cookie;
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{4, 4, 4, 4, 4, 3}));
  EXPECT_EQ(paged_one_by_one, names);
  request.one_page = false;
  request.page_cookie.clear();

  request.page_size = 0;
  request.size_limit = 2;  // a client limit below the server's
  auto two = admin.Search(request);
  ASSERT_TRUE(two.ok());
  EXPECT_TRUE(two->size_limit_exceeded);
  EXPECT_EQ(two->entries.size(), 2u);
}

TEST_F(ClientTest, ManyOperationsInFlightCompleteWithTheirOwnResults) {
  {
    SyncClient setup(AdminConfig(slapd()));
    MakeOu(setup, "InFlight");
  }
  const std::string ou = "ou=InFlight,dc=example,dc=test";
  constexpr int kCount = 400;
  boost::asio::io_context io;
  ConnectionConfig config = AdminConfig(slapd());
  config.max_in_flight = 16;
  Client client(io.get_executor(), config);

  int added = 0;
  std::size_t most_in_flight = 0;
  for (int i = 0; i < kCount; ++i) {
    client.AsyncAdd(Person(ou, "u" + std::to_string(i)), [&](Result<void, Error> result) {
      EXPECT_TRUE(result.ok()) << result.error().message();
      ++added;
      most_in_flight = std::max(most_in_flight, client.in_flight());
    });
  }
  io.run();
  ASSERT_EQ(added, kCount);
  EXPECT_LE(most_in_flight, 16u);
  EXPECT_GT(most_in_flight, 1u) << "operations were not pipelined";

  std::map<int, std::string> answers;
  for (int i = 0; i < kCount; ++i) {
    SearchRequest request;
    request.base = ou;
    request.filter = Filter::Eq("uid", "u" + std::to_string(i));
    request.attributes = {"uid"};
    client.AsyncSearch(request, [&answers, i](Result<SearchResult, Error> result) {
      ASSERT_TRUE(result.ok()) << result.error().message();
      ASSERT_EQ(result->entries.size(), 1u) << "search " << i;
      answers[i] = *result->entries.front().First("uid");
    });
  }
  io.restart();
  io.run();
  ASSERT_EQ(answers.size(), static_cast<std::size_t>(kCount));
  for (const auto& [i, uid] : answers)
    EXPECT_EQ(uid, "u" + std::to_string(i));
}

TEST_F(ClientTest, CoroutinesAwaitResults) {
  boost::asio::io_context io;
  Client client(io.get_executor(), AnonymousConfig(slapd()));
  std::optional<Result<SearchResult, Error>> outcome;
  std::optional<Result<std::string, Error>> who;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto connected = co_await client.AsyncConnect(boost::asio::use_awaitable);
        EXPECT_TRUE(connected.ok());
        SearchRequest request;
        request.base = kAvery;
        request.scope = Scope::kBase;
        outcome.emplace(co_await client.AsyncSearch(request, boost::asio::use_awaitable));
        who.emplace(co_await client.AsyncWhoAmI(boost::asio::use_awaitable));
      },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(outcome && outcome->ok());
  ASSERT_EQ((*outcome)->entries.size(), 1u);
  EXPECT_EQ((*outcome)->entries.front().First("uid"), "AQuinn");
  ASSERT_TRUE(who && who->ok());
  EXPECT_EQ(**who, "") << "anonymous";
}

TEST(ClientSignalTest, ConstructingAClientIgnoresSigpipeUnlessSomeoneHandlesIt) {
  struct sigaction saved {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &saved), 0);
  boost::asio::io_context io;
  Client client(io.get_executor(), ConnectionConfig{});
  struct sigaction now {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &now), 0);
  if (saved.sa_handler == SIG_DFL)
    EXPECT_EQ(now.sa_handler, SIG_IGN);
  else
    EXPECT_EQ(now.sa_handler, saved.sa_handler) << "an installed disposition is left alone";
}

TEST_F(ClientTest, AnInvalidAttributeNameInAFilterIsRefusedBeforeSending) {
  SyncClient client(AnonymousConfig(slapd()));
  SearchRequest request;
  request.base = "dc=example,dc=test";
  request.filter = Filter::Eq("cn)(objectClass=*", "x");
  auto refused = client.Search(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, result_code::kFilterError);
  EXPECT_FALSE(client.client().connected()) << "nothing was sent, not even a connect";
}

}  // namespace
}  // namespace ccm::ldap
