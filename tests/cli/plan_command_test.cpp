// plan_command_test.cpp — `ccmigrate plan` and `ccmigrate rollback` end to end against a real
// slapd (tests/support), through the commands' entry points: stdout is only LDIF that
// ldapmodify applies, the password never appears, exit codes 0/2/75/78, and rollback's report.
#include "cli/plan_command.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli/rollback_command.h"
#include "importer/directory_apply.h"
#include "importer/directory_planner.h"
#include "importer/journal.h"
#include "importer/migrating_user.h"
#include "ldap/client.h"
#include "ldap/secret.h"
#include "parser/file_set.h"
#include "tests/support/program.h"
#include "tests/support/slapd.h"

namespace ccm::cli {
namespace {

namespace fs = std::filesystem;

struct CommandRun {
  int rc = -1;
  std::string out, err;
};

CommandRun RunCommand(const Command& command, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CommandRun r;
  r.rc = command.run(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

class PlanCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test::Slapd::Start();
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(*server);
    ASSERT_TRUE(server_->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif")).ok());
    dir_ = server_->dir() + "/cli";
    fs::create_directories(dir_);
    config_ = WriteConfig(server_->uri());
    pkl_ = test::Slapd::SourcePath("conf/examples/HQPO.001/HQPO.PKL");
  }

  std::string WriteConfig(const std::string& uri, const std::string& extra = "") {
    const std::string path = dir_ + "/ccmigrate.toml";
    std::ofstream(path) << "[ldap]\nuri = \"" << uri << "\"\nbind_dn = \"" << server_->admin_dn()
                        << "\"\npassword_file = \"" << server_->admin_password_file()
                        << "\"\nbase_dn = \"ou=Recipients,dc=example,dc=test\"\n"
                        << "timeout_seconds = 3\n"
                        << "[import]\ndefault_home = \"mail1.example.test\"\n"
                        << "journal_key_file = \"" << dir_ << "/journal.key\"\n"
                        << extra << "[mailstore]\nroot = \"" << dir_ << "/mail\"\n";
    return path;
  }

  std::string Password() const {
    std::ifstream in(server_->admin_password_file());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::unique_ptr<test::Slapd> server_;
  std::string dir_, config_, pkl_;
};

TEST_F(PlanCommandTest, PrintsOnlyLdifThatLdapmodifyApplies) {
  const CommandRun run = RunCommand(kPlanCommand, {"--config", config_, pkl_});
  ASSERT_EQ(run.rc, 0) << run.err << run.out;
  // Every stdout line is a comment, a separator or an LDIF line.
  const std::regex ldif_line(R"(^(#.*|-|[A-Za-z][A-Za-z0-9;-]*::? .*|)$)");
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_match(line, ldif_line)) << "not LDIF: " << line;
  }
  EXPECT_NE(run.out.find("# decision: convert cn=Avery Quinn,"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("# decision: convert cn=Jordan Lee,"), std::string::npos);
  EXPECT_NE(run.out.find("control: 1.3.6.1.1.12 true:: "), std::string::npos);
  EXPECT_NE(run.out.find("# summary: 2 users, convert 2,"), std::string::npos);
  const std::string password = Password();
  ASSERT_FALSE(password.empty());
  EXPECT_EQ(run.out.find(password), std::string::npos);
  EXPECT_EQ(run.err.find(password), std::string::npos);

  const std::string file = dir_ + "/plan.ldif";
  std::ofstream(file) << run.out;
  auto applied =
      test::RunProgram({"ldapmodify", "-x", "-H", server_->uri(), "-D", server_->admin_dn(), "-y",
                        server_->admin_password_file(), "-f", file});
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->exit_code, 0) << applied->output;

  // Planned again: both are mailboxes now, nothing to write.
  const CommandRun again = RunCommand(kPlanCommand, {"--config", config_, pkl_});
  EXPECT_EQ(again.rc, 0) << again.err;
  EXPECT_EQ(again.out.find("changetype:"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("deliver 2"), std::string::npos) << again.out;
}

TEST_F(PlanCommandTest, ExitCodes) {
  EXPECT_EQ(RunCommand(kPlanCommand, {}).rc, 64);
  EXPECT_EQ(RunCommand(kPlanCommand, {"--config", dir_ + "/missing.toml", pkl_}).rc, 78);

  // An invalid set is refused before the directory is asked anything.
  const std::string broken = dir_ + "/broken";
  fs::copy(test::Slapd::SourcePath("conf/examples/HQPO.001"), broken);
  fs::remove(broken + "/00000001.SEC");
  const CommandRun invalid = RunCommand(kPlanCommand, {"--config", config_, broken + "/HQPO.PKL"});
  EXPECT_EQ(invalid.rc, 2) << invalid.err;
  EXPECT_TRUE(invalid.out.empty());
  EXPECT_NE(invalid.err.find("error"), std::string::npos) << invalid.err;

  // A second entry carrying Avery's address: conflict, refused under the default policy.
  ASSERT_TRUE(server_
                  ->LoadLdifText("dn: cn=Avery Q,ou=Recipients,dc=example,dc=test\n"
                                 "objectClass: inetOrgPerson\nobjectClass: ccmCustomRecipient\n"
                                 "cn: Avery Q\nsn: Q\n"
                                 "ccmTargetAddress: CCMAIL:Quinn, Avery at HQPO\n")
                  .ok());
  const CommandRun conflict = RunCommand(kPlanCommand, {"--config", config_, pkl_});
  EXPECT_EQ(conflict.rc, 2) << conflict.err;
  EXPECT_NE(conflict.out.find("# decision: conflict"), std::string::npos);
  const CommandRun allowed =
      RunCommand(kPlanCommand,
                 {"--config", WriteConfig(server_->uri(), "on_conflict = \"skip-user\"\n"), pkl_});
  EXPECT_EQ(allowed.rc, 1) << allowed.err;

  ASSERT_TRUE(server_->Stop().ok());
  const CommandRun down = RunCommand(kPlanCommand, {"--config", config_, pkl_});
  EXPECT_EQ(down.rc, 75) << down.err;
}

TEST_F(PlanCommandTest, RollbackCommandRestoresAndSaysMailStays) {
  // Import's directory half, as the job runs it.
  boost::asio::io_context io;
  ldap::ConnectionConfig connection;
  connection.uri = server_->uri();
  connection.bind_dn = server_->admin_dn();
  connection.password = ldap::Secret(Password());
  auto client = std::make_unique<ldap::Client>(io.get_executor(), connection);
  auto dir = parser::DiskDirectory::OpenPath(test::Slapd::SourcePath("conf/examples/HQPO.001"));
  ASSERT_TRUE(dir.ok());
  parser::DiagnosticSink sink;
  auto scan = parser::ScanFileSet(**dir, "HQPO.PKL", {}, sink);
  ASSERT_TRUE(scan.ok());
  importer::PlannerOptions options;
  options.base_dn = "ou=Recipients,dc=example,dc=test";
  options.plan.default_home = "mail1.example.test";
  auto plan = importer::PlanDirectory(io, *client, importer::UsersOfSet(*scan), options);
  ASSERT_TRUE(plan.ok());
  // The key the configuration names ([import] journal_key_file), made here as an import would.
  auto key = importer::LoadOrCreateJournalKey(dir_ + "/journal.key");
  ASSERT_TRUE(key.ok()) << key.error().message;
  auto journal = importer::Journal::Open(dir_ + "/journal.ldif", dir_ + "/audit.ldif", *key);
  ASSERT_TRUE(journal.ok());
  auto applied = importer::ApplyDirectoryPlan(io, {client.get()}, *plan, **journal);
  ASSERT_TRUE(applied.ok());
  ASSERT_EQ(applied->applied, 2U);
  client.reset();

  const CommandRun first =
      RunCommand(kRollbackCommand, {dir_ + "/journal.ldif", "--config", config_});
  EXPECT_EQ(first.rc, 0) << first.err << first.out;
  EXPECT_NE(first.out.find("restored cn=Jordan Lee,ou=Recipients,dc=example,dc=test"),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("2 restored"), std::string::npos);
  EXPECT_NE(first.out.find("delivered mail stays"), std::string::npos);
  const CommandRun second =
      RunCommand(kRollbackCommand, {dir_ + "/journal.ldif", "--config", config_});
  EXPECT_EQ(second.rc, 0);
  EXPECT_NE(second.out.find("2 already restored"), std::string::npos) << second.out;

  std::ofstream(dir_ + "/bad.ldif") << "dn: cn=x\nchangetype: frobnicate\n\n";
  EXPECT_EQ(RunCommand(kRollbackCommand, {dir_ + "/bad.ldif", "--config", config_}).rc, 2);
}

}  // namespace
}  // namespace ccm::cli
