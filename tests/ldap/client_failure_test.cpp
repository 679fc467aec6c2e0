// client_failure_test.cpp — how ccm::ldap::Client fails, against real slapd instances: bad
// credentials, nothing listening, TLS without a trusted CA (and with one), an operation that
// times out and is abandoned, and a server restarted under a stream of operations.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ldap/client.h"
#include "ldap/escape.h"
#include "tests/ldap/test_config.h"
#include "tests/support/program.h"
#include "tests/support/slapd.h"
#include "tests/support/slapd_fixture.h"
#include "tests/support/sync_client.h"

namespace ccm::ldap {
namespace {

using namespace std::chrono_literals;
using testing::AdminConfig;

std::unique_ptr<test::Slapd> StartServer(test::SlapdOptions options = {}) {
  auto started = test::Slapd::Start(std::move(options));
  EXPECT_TRUE(started.ok()) << started.error();
  if (!started)
    return nullptr;
  auto server = std::move(*started);
  auto loaded = server->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif"));
  EXPECT_TRUE(loaded.ok()) << loaded.error();
  return server;
}

using ClientFailureTest = test::SlapdTest;

TEST_F(ClientFailureTest, WrongPasswordIsAPermanentBindErrorThatDoesNotShowThePassword) {
  ConnectionConfig config = AdminConfig(slapd());
  config.password = Secret("not-the-password-4711");
  SyncClient client(config);
  auto connected = client.Connect();
  ASSERT_FALSE(connected.ok());
  const Error& error = connected.error();
  EXPECT_EQ(error.code, result_code::kInvalidCredentials);
  EXPECT_EQ(error.operation, Operation::kBind);
  EXPECT_FALSE(error.transient());
  EXPECT_NE(error.message().find("bind cn=admin,dc=example,dc=test"), std::string::npos)
      << error.message();
  EXPECT_EQ(error.message().find("4711"), std::string::npos);

  // Operations queued behind a permanent connect failure fail with it instead of waiting.
  SearchRequest request;
  request.base = "dc=example,dc=test";
  auto search = client.Search(request);
  ASSERT_FALSE(search.ok());
  EXPECT_EQ(search.error().code, result_code::kInvalidCredentials);
}

TEST(ClientConnectTest, NothingListeningIsATransientServerDown) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  ConnectionConfig config = AdminConfig(*server);
  ASSERT_TRUE(server->Stop().ok());  // its port is now certainly closed
  SyncClient client(config);
  auto started = std::chrono::steady_clock::now();
  auto connected = client.Connect();
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().code, result_code::kServerDown);
  EXPECT_TRUE(connected.error().transient());
  EXPECT_EQ(connected.error().operation, Operation::kConnect);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(ClientTlsTest, TlsNeedsATrustedCaAndWorksWithOne) {
  auto server = StartServer({.tls = true});
  ASSERT_TRUE(server);

  ConnectionConfig untrusted = AdminConfig(*server);
  untrusted.uri = server->ldaps_uri();
  // A CA that did not sign the server's certificate.
  std::string other_ca = server->dir() + "/other-ca.crt";
  auto made = test::RunProgram({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                                "/CN=Other CA", "-keyout", server->dir() + "/other-ca.key", "-out",
                                other_ca});
  ASSERT_TRUE(made.ok() && made->exit_code == 0);
  untrusted.ca_file = other_ca;
  SyncClient refused(untrusted);
  auto failed = refused.Connect();
  ASSERT_FALSE(failed.ok());
  // libldap reports a failed ldaps handshake as "can't contact" (-1); either way transient.
  EXPECT_TRUE(failed.error().code == result_code::kServerDown ||
              failed.error().code == result_code::kConnectError)
      << failed.error().message();
  EXPECT_TRUE(failed.error().transient());
  EXPECT_NE(failed.error().message().find("ca_file"), std::string::npos)
      << failed.error().message();

  untrusted.uri = server->uri();
  untrusted.start_tls = true;
  SyncClient refused_start_tls(untrusted);
  auto failed_start_tls = refused_start_tls.Connect();
  ASSERT_FALSE(failed_start_tls.ok());
  EXPECT_EQ(failed_start_tls.error().operation, Operation::kStartTls);
  EXPECT_TRUE(failed_start_tls.error().transient()) << failed_start_tls.error().message();

  ConnectionConfig trusted = AdminConfig(*server);
  trusted.uri = server->ldaps_uri();
  trusted.ca_file = server->ca_file();
  SyncClient ldaps(trusted);
  auto who = ldaps.WhoAmI();
  ASSERT_TRUE(who.ok()) << who.error().message();
  EXPECT_EQ(*who, "dn:cn=admin,dc=example,dc=test");

  trusted.uri = server->uri();
  trusted.start_tls = true;
  SyncClient start_tls(trusted);
  auto who_start_tls = start_tls.WhoAmI();
  ASSERT_TRUE(who_start_tls.ok()) << who_start_tls.error().message();

  ConnectionConfig unverified = AdminConfig(*server);
  unverified.uri = server->ldaps_uri();
  unverified.verify_tls = false;  // explicit opt-out: connects, with a warning in the log
  SyncClient insecure(unverified);
  EXPECT_TRUE(insecure.Connect().ok());
}

TEST(ClientTimeoutTest, ATimedOutOperationIsAbandonedAndTheConnectionStaysUsable) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  ConnectionConfig config = AdminConfig(*server);
  config.operation_timeout = 300ms;
  SyncClient client(config);
  ASSERT_TRUE(client.Connect().ok());

  ASSERT_TRUE(server->Pause().ok());
  SearchRequest request;
  request.base = "cn=Jordan Lee,ou=Recipients,dc=example,dc=test";
  request.scope = Scope::kBase;
  auto started = std::chrono::steady_clock::now();
  auto timed_out = client.Search(request);
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(server->Resume().ok());
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().code, result_code::kTimeout);
  EXPECT_TRUE(timed_out.error().transient());
  EXPECT_GE(waited, 290ms);
  EXPECT_LT(waited, 3s);
  EXPECT_EQ(client.client().in_flight(), 0u);

  auto answered = client.Search(request);
  ASSERT_TRUE(answered.ok()) << answered.error().message();
  ASSERT_EQ(answered->entries.size(), 1u);
  EXPECT_TRUE(client.client().connected()) << "the same connection is still in use";
  // The abandon reached the server (slapd logs it once it has read it).
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (server->ReadLog().find("ABANDON msg=") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  EXPECT_NE(server->ReadLog().find("ABANDON msg="), std::string::npos);
}

TEST(ClientRestartTest, AStoppedServerGivesATransientErrorAndTheClientReconnects) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  ConnectionConfig config = AdminConfig(*server);
  config.operation_timeout = 1s;
  config.reconnect_initial = 20ms;
  SyncClient client(config);
  SearchRequest request;
  request.base = "cn=Casey Rowe,ou=Recipients,dc=example,dc=test";
  request.scope = Scope::kBase;
  ASSERT_TRUE(client.Search(request).ok());

  ASSERT_TRUE(server->Stop().ok());
  auto down = client.Search(request);
  ASSERT_FALSE(down.ok());
  EXPECT_TRUE(down.error().transient()) << down.error().message();
  EXPECT_FALSE(client.client().connected());

  ASSERT_TRUE(server->Restart().ok());
  auto back = client.Search(request);
  ASSERT_TRUE(back.ok()) << back.error().message();
  ASSERT_EQ(back->entries.size(), 1u);
  EXPECT_TRUE(client.client().connected());
}

TEST(ClientRestartTest, ARestartUnderAStreamOfOperationsLosesOnlyWhatWasInFlight) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  SyncClient setup(AdminConfig(*server));
  ASSERT_TRUE(setup
                  .Add(Entry{"ou=Stream,dc=example,dc=test",
                             {{"objectClass", {"organizationalUnit"}}, {"ou", {"Stream"}}}})
                  .ok());

  boost::asio::io_context io;
  ConnectionConfig config = AdminConfig(*server);
  config.max_in_flight = 32;
  config.operation_timeout = 5s;
  config.reconnect_initial = 20ms;
  config.reconnect_max = 100ms;
  Client client(io.get_executor(), config);
  boost::asio::steady_timer restart_timer(io);

  constexpr int kCount = 300;
  int succeeded = 0, transient = 0, permanent = 0, completions = 0;
  bool stopped = false;
  int succeeded_after_restart = 0;
  bool restarted = false;
  for (int i = 0; i < kCount; ++i) {
    Entry entry{ChildDn("cn", "s" + std::to_string(i), "ou=Stream,dc=example,dc=test"), {}};
    entry.Add("objectClass", "person");
    entry.Add("cn", "s" + std::to_string(i));
    entry.Add("sn", "s");
    client.AsyncAdd(entry, [&](Result<void, Error> result) {
      ++completions;
      if (result.ok()) {
        ++succeeded;
        if (restarted)
          ++succeeded_after_restart;
      } else if (result.error().transient()) {
        ++transient;
      } else {
        ++permanent;
        ADD_FAILURE() << result.error().message();
      }
      if (succeeded == 50 && !stopped) {
        stopped = true;
        EXPECT_TRUE(server->Stop().ok());
        restart_timer.expires_after(200ms);
        restart_timer.async_wait([&](auto) {
          EXPECT_TRUE(server->Restart().ok());
          restarted = true;
        });
      }
    });
  }
  io.run();
  EXPECT_EQ(completions, kCount) << "every operation completes exactly once";
  EXPECT_EQ(permanent, 0);
  EXPECT_GT(succeeded_after_restart, 0) << "the client reconnected after the restart";
  EXPECT_LE(transient, 32) << "only operations in flight at the stop may fail";

  SearchRequest count;
  count.base = "ou=Stream,dc=example,dc=test";
  count.scope = Scope::kOneLevel;
  count.attributes = {"1.1"};
  auto stored = setup.Search(count);
  ASSERT_TRUE(stored.ok()) << stored.error().message();
  EXPECT_GE(static_cast<int>(stored->entries.size()), succeeded);
  EXPECT_LE(static_cast<int>(stored->entries.size()), succeeded + transient);
}

TEST(ClientShutdownTest, DestroyingTheClientCancelsWhatIsPending) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  boost::asio::io_context io;
  auto client = std::make_unique<Client>(io.get_executor(), AdminConfig(*server));
  std::optional<Result<std::string, Error>> outcome;
  client->AsyncWhoAmI([&](Result<std::string, Error> result) { outcome.emplace(result); });
  client.reset();
  io.run();
  ASSERT_TRUE(outcome);
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code, result_code::kUserCancelled);
  EXPECT_TRUE(outcome->error().transient());
}

}  // namespace
}  // namespace ccm::ldap
