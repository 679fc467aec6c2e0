// import_command_test.cpp — `ccmigrate import` as a command (in process, real slapd from
// tests/support): exit codes, the report directory and its report.json, the summary, rerun,
// the mass-change guard, usage and configuration errors; and the daemon processor's mapping of
// import outcomes onto drop outcomes.
#include "cli/import_command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/import_set_processor.h"
#include "tests/support/slapd.h"
#include "tests/support/temp_dir.h"

namespace ccm::cli {
namespace {

using namespace ccm::daemon;  // the service the commands run

namespace fs = std::filesystem;

using ccm::test::TempDir;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ImportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = test::Slapd::Start();
    ASSERT_TRUE(started.ok()) << started.error();
    slapd_ = std::move(*started);
    ASSERT_TRUE(slapd_->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif")).ok());
    fs::copy(test::Slapd::SourcePath("conf/examples/HQPO.001"), tmp_.path() / "set");
    WriteConfig(500);
  }

  void WriteConfig(int max_changes) {
    std::ofstream(tmp_.path() / "c.toml")
        << "[ldap]\nuri = \"" << slapd_->uri() << "\"\nbind_dn = \"" << slapd_->admin_dn()
        << "\"\npassword_file = \"" << slapd_->admin_password_file()
        << "\"\nbase_dn = \"ou=Recipients,dc=example,dc=test\"\ntimeout_seconds = 3\n"
        << "[import]\ndefault_home = \"mail1.example.test\"\nmax_changes = " << max_changes
        << "\nsource_timezone = \"Europe/Berlin\"\njournal_key_file = \""
        << (tmp_.path() / "journal.key").string() << "\"\n[mailstore]\nroot = \""
        << (tmp_.path() / "mail").string() << "\"\n";
  }

  int Import(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--config", (tmp_.path() / "c.toml").string(),
                                     (tmp_.path() / "set/HQPO.PKL").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    out_.str("");
    err_.str("");
    return kImportCommand.run(args, out_, err_);
  }

  std::unique_ptr<test::Slapd> slapd_;
  TempDir tmp_;
  std::ostringstream out_, err_;
};

TEST_F(ImportCommandTest, ImportsTheSampleSetAndWritesItsReport) {
  ASSERT_EQ(Import(), 0) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find(": done\n"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("users: 2, 2 convert"), std::string::npos) << out_.str();
  fs::path report_dir = tmp_.path() / "set/ccmigrate-import";
  std::string json = Slurp(report_dir / "report.json");
  EXPECT_NE(json.find("\"outcome\":\"done\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"messages_delivered\":3"), std::string::npos) << json;
  EXPECT_NE(json.find("\"source_timezone\":\"Europe/Berlin\""), std::string::npos);
  EXPECT_TRUE(fs::exists(report_dir / "journal.ldif"));
  EXPECT_TRUE(fs::exists(report_dir / "audit.ldif"));

  // The rerun: no warnings about our own files, nothing changed, nothing delivered twice.
  ASSERT_EQ(Import(), 0) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("2 deliver; directory changes applied: 0"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("0 delivered now, 3 already present"), std::string::npos);
}

TEST_F(ImportCommandTest, ReportDirectoryOption) {
  fs::path dir = tmp_.path() / "reports/hqpo";
  ASSERT_EQ(Import({"--report-dir", dir.string()}), 0) << out_.str() << err_.str();
  EXPECT_TRUE(fs::exists(dir / "report.json"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "set/ccmigrate-import"));
}

TEST_F(ImportCommandTest, GuardRefusesUnlessForced) {
  WriteConfig(1);
  EXPECT_EQ(Import(), 2) << out_.str();
  EXPECT_NE(out_.str().find("max_changes"), std::string::npos) << out_.str();
  EXPECT_FALSE(fs::exists(tmp_.path() / "mail"));
  EXPECT_EQ(Import({"--force"}), 0) << out_.str() << err_.str();
}

TEST_F(ImportCommandTest, DirectoryDownIsATemporaryFailure) {
  ASSERT_TRUE(slapd_->Stop().ok());
  EXPECT_EQ(Import(), 75) << out_.str();
  EXPECT_NE(out_.str().find("deferred"), std::string::npos) << out_.str();
}

TEST_F(ImportCommandTest, ConfigurationDefaultsToEtcCcmigrate) {
  if (fs::exists("/etc/ccmigrate/ccmigrate.toml"))
    GTEST_SKIP() << "this machine has /etc/ccmigrate/ccmigrate.toml";
  std::ostringstream out, err;
  EXPECT_EQ(kImportCommand.run({"x.pkl"}, out, err), 78);
  EXPECT_NE(err.str().find("/etc/ccmigrate/ccmigrate.toml"), std::string::npos) << err.str();
}

TEST_F(ImportCommandTest, UsageAndConfigurationErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(kImportCommand.run({}, out, err), 64);
  EXPECT_EQ(
      kImportCommand.run({"--config", (tmp_.path() / "none.toml").string(), "x.pkl"}, out, err),
      78);
  std::ofstream(tmp_.path() / "bad.toml") << "[ldap]\nuri = 1\n";
  EXPECT_EQ(
      kImportCommand.run({"--config", (tmp_.path() / "bad.toml").string(), "x.pkl"}, out, err), 78);
}

TEST(ImportSetProcessor, OutcomesMapOntoDropOutcomes) {
  importer::ImportResult r;
  r.report.outcome = importer::ImportOutcome::kDone;
  EXPECT_EQ(OutcomeForImport(r).kind, SetOutcome::Kind::kDone);
  EXPECT_FALSE(OutcomeForImport(r).warnings);
  EXPECT_NE(OutcomeForImport(r).report_json.find("\"outcome\":\"done\""), std::string::npos);
  r.report.outcome = importer::ImportOutcome::kDoneWithWarnings;
  EXPECT_EQ(OutcomeForImport(r).kind, SetOutcome::Kind::kDone);
  EXPECT_TRUE(OutcomeForImport(r).warnings);
  r.report.outcome = importer::ImportOutcome::kDeferred;
  r.report.reason = "directory down";
  EXPECT_EQ(OutcomeForImport(r).kind, SetOutcome::Kind::kDeferred);
  EXPECT_EQ(OutcomeForImport(r).reason, "directory down");
  r.report.outcome = importer::ImportOutcome::kRefused;
  r.report.error_kind = importer::ImportErrorKind::kPermanent;
  EXPECT_EQ(OutcomeForImport(r).kind, SetOutcome::Kind::kRejected);
  r.report.error_kind = importer::ImportErrorKind::kConfiguration;
  EXPECT_EQ(OutcomeForImport(r).kind, SetOutcome::Kind::kDeferred);
  r.report.error_kind.reset();
  r.report.outcome = importer::ImportOutcome::kInterrupted;
  EXPECT_EQ(OutcomeForImport(r).kind, SetOutcome::Kind::kInterrupted);
}

}  // namespace
}  // namespace ccm::cli
