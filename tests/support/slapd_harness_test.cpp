// slapd_harness_test.cpp — the harness itself: the sample directory loads, the server restarts
// with its data and port, pauses, and stops without leaving a process behind (for the
// containerised backend, CCM_TEST_LDAP=container: the container stops answering). The client layer
// is tested in tests/ldap/; here only ldap-utils talk to the server.
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>

#include "tests/support/program.h"
#include "tests/support/slapd.h"
#include "tests/support/slapd_fixture.h"

namespace ccm::test {
namespace {

std::string Search(const Slapd& server, const std::string& filter, const std::string& attr) {
  auto found = RunProgram({"ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.uri(),
                           "-b", server.base_dn(), filter, attr});
  EXPECT_TRUE(found.ok());
  if (!found)
    return {};
  EXPECT_EQ(found->exit_code, 0) << found->output;
  return found->output;
}

using SharedDirectoryTest = SlapdTest;

TEST_F(SharedDirectoryTest, SampleDirectoryIsLoadedWithMemberOf) {
  std::string avery = Search(slapd(), "(ccmProxyAddress=ccmail:quinn, avery at hqpo)", "memberOf");
  EXPECT_NE(avery.find("dn: cn=Avery Quinn,ou=Recipients,dc=example,dc=test"), std::string::npos)
      << avery;
  EXPECT_NE(avery.find("memberOf: cn=Cutover Team,ou=Recipients,dc=example,dc=test"),
            std::string::npos)
      << avery;
  std::string priya = Search(slapd(), "(ccmTargetAddress=CCMAIL:Natarajan, Priya at BRPO)", "cn");
  EXPECT_NE(priya.find("cn: Priya Natarajan"), std::string::npos) << priya;
  std::string casey = Search(slapd(), "(objectClass=ccmMailbox)", "ccmMailboxHome");
  EXPECT_NE(casey.find("ccmMailboxHome: mail1.example.test"), std::string::npos) << casey;
}

TEST(SlapdHarnessTest, RestartKeepsPortAndDataAndStopLeavesNoProcess) {
  auto started = Slapd::Start();
  ASSERT_TRUE(started.ok()) << started.error();
  Slapd& server = **started;
  ASSERT_TRUE(server.LoadLdif(Slapd::SourcePath("conf/examples/directory.ldif")).ok());
  int port = server.port();
  pid_t first = server.pid();

  ASSERT_TRUE(server.Stop().ok());
  EXPECT_FALSE(server.running());
  if (server.in_container()) {
    // The container has no pid of ours: stopped means nothing answers on its port any more.
    auto refused = RunProgram({"timeout", "10", "env", "LDAPTIMEOUT=1", "ldapsearch", "-x", "-H",
                               server.uri(), "-b", "", "-s", "base", "namingContexts"});
    ASSERT_TRUE(refused.ok());
    EXPECT_NE(refused->exit_code, 0) << "a stopped container answered: " << refused->output;
  } else {
    EXPECT_EQ(kill(first, 0), -1) << "stopped slapd still exists (zombie or alive)";
    EXPECT_EQ(errno, ESRCH);
  }

  auto restarted = server.Restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error();
  EXPECT_EQ(server.port(), port);
  EXPECT_NE(Search(server, "(cn=Jordan Lee)", "uid").find("uid: JLee"), std::string::npos);

  std::string dir = server.dir();
  started->reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(SlapdHarnessTest, PausedServerAnswersNothingUntilResumed) {
  auto started = Slapd::Start();
  ASSERT_TRUE(started.ok()) << started.error();
  Slapd& server = **started;
  ASSERT_TRUE(server.Pause().ok());
  // LDAPTIMEOUT bounds ldapsearch's wait for the reply; `timeout` guards the test regardless.
  auto hung = RunProgram({"timeout", "10", "env", "LDAPTIMEOUT=1", "ldapsearch", "-x", "-H",
                          server.uri(), "-b", "", "-s", "base", "namingContexts"});
  ASSERT_TRUE(hung.ok());
  EXPECT_NE(hung->exit_code, 0) << "a paused server answered: " << hung->output;
  ASSERT_TRUE(server.Resume().ok());
  auto answered = RunProgram(
      {"ldapsearch", "-x", "-LLL", "-H", server.uri(), "-b", "", "-s", "base", "namingContexts"});
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->exit_code, 0) << answered->output;
  EXPECT_NE(answered->output.find("dc=example,dc=test"), std::string::npos);
}

TEST(SlapdHarnessTest, TlsServerPresentsACertificateSignedByItsCaFile) {
  auto started = Slapd::Start({.tls = true});
  ASSERT_TRUE(started.ok()) << started.error();
  Slapd& server = **started;
  ASSERT_FALSE(server.ca_file().empty());
  auto verified = RunProgram({"env", "LDAPTLS_CACERT=" + server.ca_file(), "LDAPTLS_REQCERT=demand",
                              "ldapsearch", "-x", "-LLL", "-H", server.ldaps_uri(), "-b", "", "-s",
                              "base", "namingContexts"});
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->exit_code, 0) << verified->output;
}

}  // namespace
}  // namespace ccm::test
