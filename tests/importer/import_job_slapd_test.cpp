// import_job_slapd_test.cpp — the import job against a real slapd (tests/support; no mocks): the
// sample set end to end (both custom recipients converted, Avery's three messages with the
// attachment and the free document delivered, Jordan converted with no mail, journal written),
// rerun idempotency, abrupt stops after the directory part and after some messages followed by
// a rerun (every message exactly once, nothing converted twice), and an unreachable directory
// (deferred, exit 75, nothing changed). Each test starts its own server: conversions change the
// sample entries.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "importer/import_job.h"
#include "importer/ldap_directory_access.h"
#include "tests/support/slapd.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;

using ccm::test::TempDir;

class ImportJobSlapdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = test::Slapd::Start();
    ASSERT_TRUE(started.ok()) << started.error();
    slapd_ = std::move(*started);
    auto loaded = slapd_->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
  }

  std::unique_ptr<LdapDirectoryAccess> Directory() {
    ldap::ConnectionConfig c;
    c.uri = slapd_->uri();
    c.bind = ldap::BindMethod::kSimple;
    c.bind_dn = slapd_->admin_dn();
    c.password = ldap::Secret(slapd_->admin_password());
    c.network_timeout = std::chrono::seconds(2);
    c.operation_timeout = std::chrono::seconds(5);
    c.reconnect_max = std::chrono::milliseconds(200);
    PlannerOptions p;
    p.base_dn = "ou=Recipients,dc=example,dc=test";
    p.plan.default_home = "mail1.example.test";
    p.plan.create_base_dn = p.base_dn;
    return std::make_unique<LdapDirectoryAccess>(std::move(c), std::move(p), 2,
                                                 out_.path() / "journal.key");
  }

  ImportJobOptions Options() {
    ImportJobOptions o;
    o.pkl_path = test::Slapd::SourcePath("conf/examples/HQPO.001/HQPO.PKL");
    o.output_dir = out_.path();
    o.mailstore.root = store_.path();
    o.mailstore.sync_batch = 2;
    return o;
  }

  ImportResult Run(const ImportJobOptions& o) {
    auto directory = Directory();
    return RunImport(o, *directory);
  }

  std::map<std::string, std::string> StoreFiles() {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(store_.path())) {
      if (!e.is_regular_file() || e.path().filename() == "maildirfolder")
        continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      files[fs::relative(e.path(), store_.path()).string()] = text.str();
    }
    return files;
  }

  void ExpectAveryDeliveredOnce() {
    auto files = StoreFiles();
    ASSERT_EQ(files.size(), 3u);
    std::string all;
    for (const auto& [path, text] : files) {
      EXPECT_EQ(path.rfind("aquinn/", 0), 0u) << path;
      EXPECT_TRUE(path.find("/cur/") != std::string::npos ||
                  path.find("/new/") != std::string::npos)
          << path;
      EXPECT_EQ(path.find("/tmp/"), std::string::npos) << path;
      all += text;
    }
    for (const char* literal :
         {"Subject: Cutover date", "Subject: Agenda", "filename=\"AGENDA.TXT\"",
          "filename=\"ROLLBACK.TXT\"", "From: Jordan Lee"}) {
      EXPECT_NE(all.find(literal), std::string::npos) << literal;
    }
  }

  std::unique_ptr<test::Slapd> slapd_;
  TempDir out_, store_;
};

TEST_F(ImportJobSlapdTest, AppendixAEndToEnd) {
  ImportResult r = Run(Options());
  ASSERT_EQ(r.report.outcome, ImportOutcome::kDone) << RenderReportJson(r.report);
  ASSERT_EQ(r.report.users.size(), 2u);
  const UserReport& avery = r.report.users[0];
  const UserReport& jordan = r.report.users[1];
  EXPECT_EQ(avery.decision, Decision::kConvert);
  EXPECT_EQ(avery.directory, DirectoryStatus::kApplied);
  EXPECT_EQ(avery.dn, "cn=Avery Quinn,ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(avery.mail_store, "aquinn");
  EXPECT_EQ(avery.messages_delivered, 3u);
  EXPECT_EQ(jordan.decision, Decision::kConvert);
  EXPECT_EQ(jordan.directory, DirectoryStatus::kApplied);
  EXPECT_EQ(jordan.messages, 0u);
  EXPECT_EQ(r.report.directory_changes_applied, 2u);
  ExpectAveryDeliveredOnce();
  EXPECT_TRUE(fs::exists(out_.path() / "journal.ldif"));
  EXPECT_TRUE(fs::exists(out_.path() / "audit.ldif"));
  std::ifstream journal(out_.path() / "journal.ldif");
  std::stringstream text;
  text << journal.rdbuf();
  EXPECT_NE(text.str().find("ccmCustomRecipient"), std::string::npos);
}

TEST_F(ImportJobSlapdTest, RerunChangesNothingAndDeliversNothingTwice) {
  ASSERT_EQ(Run(Options()).report.outcome, ImportOutcome::kDone);
  auto before = StoreFiles();
  ImportResult again = Run(Options());
  EXPECT_EQ(again.report.outcome, ImportOutcome::kDone) << RenderReportJson(again.report);
  EXPECT_EQ(again.report.users[0].decision, Decision::kDeliver);
  EXPECT_EQ(again.report.users[1].decision, Decision::kDeliver);
  EXPECT_EQ(again.report.directory_changes_applied, 0u);
  EXPECT_EQ(again.report.users[0].messages_delivered, 0u);
  EXPECT_EQ(again.report.users[0].messages_already_present, 3u);
  EXPECT_EQ(StoreFiles(), before);
}

TEST_F(ImportJobSlapdTest, InterruptedAtSeveralPointsThenRerun) {
  // After the directory part: both converted, nothing delivered yet.
  ImportJobOptions o = Options();
  o.TEST_stop_after_directory = true;
  ImportResult first = Run(o);
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.report.outcome, ImportOutcome::kInterrupted);
  EXPECT_EQ(first.report.directory_changes_applied, 2u);
  EXPECT_TRUE(StoreFiles().empty());

  // After one message of the rerun (queued, not yet synced: lost like a kill would lose it).
  o.TEST_stop_after_directory = false;
  o.TEST_stop_after_messages = 1;
  ImportResult second = Run(o);
  EXPECT_TRUE(second.interrupted);
  EXPECT_EQ(second.report.directory_changes_applied, 0u);  // nothing converted twice

  // After two more (one batch synced).
  o.TEST_stop_after_messages = 2;
  Run(o);

  o.TEST_stop_after_messages.reset();
  ImportResult last = Run(o);
  EXPECT_EQ(last.report.outcome, ImportOutcome::kDone) << RenderReportJson(last.report);
  EXPECT_EQ(last.report.directory_changes_applied, 0u);
  EXPECT_EQ(last.report.users[0].messages_delivered + last.report.users[0].messages_already_present,
            3u);
  ExpectAveryDeliveredOnce();
}

TEST_F(ImportJobSlapdTest, UnreachableDirectoryDefersAndChangesNothing) {
  ASSERT_TRUE(slapd_->Stop().ok());
  ImportResult r = Run(Options());
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred) << RenderReportJson(r.report);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred);
  EXPECT_TRUE(StoreFiles().empty());
  EXPECT_FALSE(fs::exists(out_.path() / "audit.ldif"));

  // Back up: the rerun finishes the job.
  ASSERT_TRUE(slapd_->Restart().ok());
  ImportResult rerun = Run(Options());
  EXPECT_EQ(rerun.report.outcome, ImportOutcome::kDone) << RenderReportJson(rerun.report);
  EXPECT_EQ(rerun.report.directory_changes_applied, 2u);
  ExpectAveryDeliveredOnce();
}

}  // namespace
}  // namespace ccm::importer
