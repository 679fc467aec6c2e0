// import_job_test.cpp — the import pipeline on the sample set with an in-memory directory
// (the planner's pure DecideUser over entries held in the test, changes applied in memory):
// end-to-end delivery into Maildir, rerun idempotency, abrupt stops at several points followed by
// a rerun (every message exactly once, nothing converted twice), a transient directory failure
// (deferred, nothing changed) and the mass-change guard. The same pipeline against a real slapd
// is in import_job_slapd_test.cpp.
#include "importer/import_job.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ccm/ascii.h"
#include "importer/directory_decision.h"
#include "importer/plan_ldif.h"
#include "parser/field_codec.h"
#include "parser/source_address.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;

using ccm::test::TempDir;

ldap::Entry CustomRecipient(const std::string& cn, const std::string& uid,
                            const std::string& target) {
  return {"cn=" + cn + ",ou=Recipients,dc=example,dc=test",
          {{"objectClass", {"inetOrgPerson", "ccmCustomRecipient"}},
           {"cn", {cn}},
           {"uid", {uid}},
           {"ccmTargetAddress", {target}},
           {"ccmProxyAddress", {target}}}};
}

// The sample directory's two HQPO custom recipients, held in memory.
class MemoryDirectory final : public DirectoryAccess {
 public:
  MemoryDirectory() {
    entries.push_back(CustomRecipient("Avery Quinn", "AQuinn", "CCMAIL:Quinn, Avery at HQPO"));
    entries.push_back(CustomRecipient("Jordan Lee", "JLee", "CCMAIL:Lee, Jordan at HQPO"));
  }

  Result<DirectoryPlan, ImportError> Plan(std::vector<MigratingUser> users) override {
    ++plans;
    if (unreachable)
      return Fail(ImportError{ImportErrorKind::kTransient, "ldap: server down"});
    DirectoryPlan plan;
    PlanOptions options;
    options.default_home = "mail1.example.test";
    for (const MigratingUser& user : users) {
      Resolution resolution;
      for (const ldap::Entry& e : entries) {
        bool match = false;
        for (const char* attr : {"ccmProxyAddress", "ccmTargetAddress"}) {
          for (const std::string& v : e.Values(attr)) {
            match = match || parser::NormalizeSourceAddress(v) == user.match_key;
          }
        }
        if (match)
          resolution.matches.push_back(e);
      }
      plan.users.push_back(DecideUser(user, resolution, options));
    }
    return plan;
  }

  Result<DirectoryApplication, ImportError> Apply(const DirectoryPlan& plan,
                                                  const fs::path&) override {
    DirectoryApplication out;
    for (const UserPlan& p : plan.users) {
      AppliedUser a;
      if (p.change) {
        const DirectoryChange change = p.change->Unpack();
        for (ldap::Entry& e : entries) {
          if (e.dn == change.dn)
            ApplyChange(e, change);
        }
        a.status = AppliedUser::Status::kApplied;
        ++changes_applied;
      }
      out.users.push_back(a);
    }
    last_applied = plan;
    return out;
  }

  static void ApplyChange(ldap::Entry& e, const DirectoryChange& change) {
    for (const ldap::Modification& m : change.modifications) {
      auto it = std::find_if(e.attributes.begin(), e.attributes.end(), [&](const auto& a) {
        return ccm::EqualsIgnoreCase(a.name, m.attribute);
      });
      if (it == e.attributes.end()) {
        e.attributes.push_back({m.attribute, {}});
        it = e.attributes.end() - 1;
      }
      if (m.kind == ldap::Modification::Kind::kReplace)
        it->values = m.values;
      if (m.kind == ldap::Modification::Kind::kAdd)
        it->values.insert(it->values.end(), m.values.begin(), m.values.end());
      if (m.kind == ldap::Modification::Kind::kDelete) {
        if (m.values.empty())
          it->values.clear();
        for (const auto& v : m.values)
          std::erase(it->values, v);
      }
    }
  }

  std::vector<ldap::Entry> entries;
  std::optional<DirectoryPlan> last_applied;  // the plan Apply was last given
  bool unreachable = false;
  int plans = 0;
  int changes_applied = 0;
};

class ImportJobTest : public ::testing::Test {
 protected:
  ImportJobOptions Options() {
    ImportJobOptions o;
    o.pkl_path = fs::path(CCM_SOURCE_DIR) / "conf/examples/HQPO.001/HQPO.PKL";
    o.output_dir = out_.path();
    o.mailstore.root = store_.path() / "mail";
    o.mailstore.sync_batch = 2;
    return o;
  }
  // Every file under the store: relative path -> content.
  std::map<std::string, std::string> StoreFiles() {
    std::map<std::string, std::string> files;
    if (!fs::exists(store_.path() / "mail"))
      return files;
    for (const auto& e : fs::recursive_directory_iterator(store_.path() / "mail")) {
      if (!e.is_regular_file() || e.path().filename() == "maildirfolder")
        continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      files[fs::relative(e.path(), store_.path() / "mail").string()] = text.str();
    }
    return files;
  }
  std::size_t CountUnder(const std::string& sub) {
    std::size_t n = 0;
    for (const auto& [path, text] : StoreFiles())
      n += path.find(sub) != std::string::npos;
    return n;
  }

  TempDir out_, store_;
  MemoryDirectory directory_;
};

TEST_F(ImportJobTest, AppendixAEndToEnd) {
  ImportResult r = RunImport(Options(), directory_);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDone) << RenderReportJson(r.report);
  ASSERT_EQ(r.report.users.size(), 2u);
  const UserReport& avery = r.report.users[0];
  const UserReport& jordan = r.report.users[1];
  EXPECT_EQ(avery.address, "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(avery.decision, Decision::kConvert);
  EXPECT_EQ(avery.directory, DirectoryStatus::kApplied);
  EXPECT_EQ(avery.messages, 3u);
  EXPECT_EQ(avery.messages_delivered, 3u);
  EXPECT_EQ(jordan.decision, Decision::kConvert);
  EXPECT_EQ(jordan.directory, DirectoryStatus::kApplied);
  EXPECT_EQ(jordan.messages, 0u);
  EXPECT_EQ(r.report.directory_changes_applied, 2u);
  ASSERT_EQ(r.report.synthesised.size(), 1u);
  EXPECT_EQ(r.report.synthesised[0].address, "CCMAIL:Lee, Jordan at HQPO");
  // The PAB section (Morgan Ellis and the Cutover Team list) arrives as one message.
  EXPECT_TRUE(r.report.skipped_sections.empty());
  EXPECT_EQ(avery.address_books, 1u);
  EXPECT_EQ(avery.address_books_delivered, 1u);

  auto files = StoreFiles();
  ASSERT_EQ(files.size(), 4u);  // three messages and the address book
  std::string all;
  for (const auto& [path, text] : files) {
    EXPECT_EQ(path.find("/tmp/"), std::string::npos) << path;
    EXPECT_TRUE(path.find("/cur/") != std::string::npos || path.find("/new/") != std::string::npos)
        << path;
    EXPECT_EQ(path.rfind(avery.mail_store + "/", 0), 0u) << path;
    all += text;
  }
  EXPECT_EQ(CountUnder("/.Projects.Cutover/cur/"), 2u);
  for (const char* literal :
       {"Subject: Cutover date", "Subject: Agenda", "filename=\"AGENDA.TXT\"",
        "filename=\"ROLLBACK.TXT\"", "Subject: ROLLBACK.TXT",
        "Subject: Personal address book from cc:Mail", "Content-Type: text/vcard; charset=utf-8"}) {
    EXPECT_NE(all.find(literal), std::string::npos) << literal;
  }
}

TEST_F(ImportJobTest, RerunChangesNothingAndDeliversNothingTwice) {
  ASSERT_EQ(RunImport(Options(), directory_).report.outcome, ImportOutcome::kDone);
  auto before = StoreFiles();
  auto entries = directory_.entries;
  ImportResult r = RunImport(Options(), directory_);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDone) << RenderReportSummary(r.report);
  EXPECT_EQ(r.report.users[0].decision, Decision::kDeliver);
  EXPECT_EQ(r.report.users[1].decision, Decision::kDeliver);
  EXPECT_EQ(r.report.directory_changes_applied, 0u);
  EXPECT_EQ(r.report.users[0].messages_delivered, 0u);
  EXPECT_EQ(r.report.users[0].messages_already_present, 3u);
  EXPECT_EQ(r.report.users[0].address_books_already_present, 1u);
  EXPECT_EQ(directory_.entries, entries);
  EXPECT_EQ(StoreFiles(), before);
}

TEST_F(ImportJobTest, StopAfterTheDirectoryThenRerun) {
  ImportJobOptions o = Options();
  o.TEST_stop_after_directory = true;
  ImportResult first = RunImport(o, directory_);
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.report.outcome, ImportOutcome::kInterrupted);
  EXPECT_EQ(directory_.changes_applied, 2);
  EXPECT_TRUE(StoreFiles().empty());

  ImportResult second = RunImport(Options(), directory_);
  EXPECT_EQ(second.report.outcome, ImportOutcome::kDone) << RenderReportSummary(second.report);
  EXPECT_EQ(second.report.users[0].decision, Decision::kDeliver);
  EXPECT_EQ(directory_.changes_applied, 2);  // nothing converted twice
  EXPECT_EQ(second.report.users[0].messages_delivered, 3u);
  EXPECT_EQ(second.report.users[0].address_books_delivered, 1u);
  EXPECT_EQ(StoreFiles().size(), 4u);
}

TEST_F(ImportJobTest, StopAfterSomeMessagesThenRerunDeliversEachExactlyOnce) {
  for (std::uint64_t stop_after : {1u, 2u, 3u}) {
    SCOPED_TRACE(stop_after);
    TempDir store;
    MemoryDirectory directory;
    ImportJobOptions o = Options();
    o.mailstore.root = store.path();
    o.TEST_stop_after_messages = stop_after;
    ImportResult first = RunImport(o, directory);
    EXPECT_TRUE(first.interrupted);
    o.TEST_stop_after_messages.reset();
    ImportResult second = RunImport(o, directory);
    EXPECT_EQ(second.report.outcome, ImportOutcome::kDone) << RenderReportSummary(second.report);
    EXPECT_EQ(
        second.report.users[0].messages_delivered + second.report.users[0].messages_already_present,
        3u);
    EXPECT_EQ(second.report.users[0].address_books_delivered +
                  second.report.users[0].address_books_already_present,
              1u);
    std::size_t files = 0, tmp = 0;
    for (const auto& e : fs::recursive_directory_iterator(store.path())) {
      if (!e.is_regular_file() || e.path().filename() == "maildirfolder")
        continue;
      ++files;
      tmp += e.path().parent_path().filename() == "tmp";
    }
    EXPECT_EQ(files, 4u);  // three messages and the address book
    EXPECT_EQ(tmp, 0u);
    EXPECT_EQ(directory.changes_applied, 2);
  }
}

TEST_F(ImportJobTest, UnreachableDirectoryDefersAndChangesNothing) {
  directory_.unreachable = true;
  ImportResult r = RunImport(Options(), directory_);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred);
  EXPECT_NE(r.report.reason.find("server down"), std::string::npos);
  EXPECT_EQ(directory_.changes_applied, 0);
  EXPECT_TRUE(StoreFiles().empty());
}

// A store that cannot be written for a reason no wait cures (its root is a file: ENOTDIR, a real
// error even as root) defers the set with a permanent error: a person must act, then a rerun
// finishes; the drop service limits how long such a set waits.
TEST_F(ImportJobTest, AStoreThatCannotBeWrittenDefersWithAPermanentError) {
  std::ofstream(store_.path() / "mail") << "not a directory\n";
  ImportResult r = RunImport(Options(), directory_);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred) << r.report.reason;
  EXPECT_EQ(r.report.error_kind, ImportErrorKind::kPermanent);
  EXPECT_NE(r.report.reason.find("Not a directory"), std::string::npos) << r.report.reason;
}

// Out of descriptors while scanning (a real EMFILE: the limit lowered so that the set's
// directory opens and its packing list does not) defers the set instead of refusing it.
TEST_F(ImportJobTest, OutOfDescriptorsWhileScanningDefersTheSet) {
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &before), 0);
  const int probe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(probe, 0);
  ::close(probe);
  rlimit low = before;
  low.rlim_cur = static_cast<rlim_t>(probe) + 1;  // room for the set's directory only
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  ImportResult r = RunImport(Options(), directory_);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &before), 0);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred) << r.report.reason;
  EXPECT_EQ(r.report.error_kind, ImportErrorKind::kTransient);
  EXPECT_NE(r.report.reason.find("Too many open files"), std::string::npos) << r.report.reason;
  EXPECT_EQ(directory_.plans, 0);
  EXPECT_TRUE(StoreFiles().empty());
}

TEST_F(ImportJobTest, MassChangeGuardRefusesUnlessForced) {
  ImportJobOptions o = Options();
  o.max_changes = 1;
  ImportResult refused = RunImport(o, directory_);
  EXPECT_EQ(refused.report.outcome, ImportOutcome::kRefused);
  EXPECT_NE(refused.report.reason.find("max_changes"), std::string::npos);
  EXPECT_EQ(directory_.changes_applied, 0);
  EXPECT_TRUE(StoreFiles().empty());

  o.force = true;
  EXPECT_EQ(RunImport(o, directory_).report.outcome, ImportOutcome::kDone);
  EXPECT_EQ(directory_.changes_applied, 2);
}

TEST_F(ImportJobTest, InvalidSetIsRefused) {
  ImportJobOptions o = Options();
  o.pkl_path = out_.path() / "MISSING.PKL";
  ImportResult r = RunImport(o, directory_);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kRefused);
  EXPECT_EQ(directory_.plans, 0);
}

TEST_F(ImportJobTest, PrepareImportPlansExactlyWhatRunImportApplies) {
  PlannedImport planned = PrepareImport(Options(), directory_);
  ASSERT_TRUE(planned.plan.has_value()) << planned.report.reason;
  EXPECT_EQ(planned.report.outcome, ImportOutcome::kDone) << planned.report.reason;
  EXPECT_EQ(planned.report.users.size(), 2u);
  EXPECT_EQ(planned.report.synthesised.size(), 1u);  // Jordan's section, from the in-memory fix
  EXPECT_EQ(directory_.changes_applied, 0);
  EXPECT_TRUE(StoreFiles().empty());
  auto printed = RenderPlanLdif(*planned.plan);
  ASSERT_TRUE(printed.ok());
  EXPECT_NE(printed->find("changetype: modify"), std::string::npos);

  ImportResult r = RunImport(Options(), directory_);
  ASSERT_EQ(r.report.outcome, ImportOutcome::kDone) << r.report.reason;
  ASSERT_TRUE(directory_.last_applied.has_value());
  auto applied = RenderPlanLdif(*directory_.last_applied);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, *printed);
}

TEST_F(ImportJobTest, PrepareImportNamesHowItEnded) {
  directory_.unreachable = true;
  PlannedImport down = PrepareImport(Options(), directory_);
  EXPECT_FALSE(down.plan.has_value());
  EXPECT_EQ(down.report.outcome, ImportOutcome::kDeferred);
  EXPECT_EQ(down.report.error_kind, ImportErrorKind::kTransient);

  ImportJobOptions o = Options();
  o.pkl_path = out_.path() / "MISSING.PKL";
  PlannedImport invalid = PrepareImport(o, directory_);
  EXPECT_FALSE(invalid.plan.has_value());
  EXPECT_EQ(invalid.report.outcome, ImportOutcome::kRefused);
  EXPECT_FALSE(invalid.report.error_kind.has_value());  // the set, not an error, refused it

  // A second entry for Avery: a conflict the default policy refuses; the plan is still there
  // to show why.
  directory_.unreachable = false;
  directory_.entries.push_back(CustomRecipient("Avery Q", "AQ", "CCMAIL:Quinn, Avery at HQPO"));
  PlannedImport conflict = PrepareImport(Options(), directory_);
  ASSERT_TRUE(conflict.plan.has_value());
  EXPECT_EQ(conflict.report.outcome, ImportOutcome::kRefused);
  EXPECT_EQ(conflict.plan->Count(Decision::kConflict), 1u);
  EXPECT_EQ(directory_.changes_applied, 0);
}

TEST_F(ImportJobTest, ProgressLinesWhenNotATerminal) {
  std::ostringstream progress;
  ImportJobOptions o = Options();
  o.progress = &progress;
  o.progress_interval = std::chrono::seconds(0);
  ASSERT_EQ(RunImport(o, directory_).report.outcome, ImportOutcome::kDone);
  EXPECT_NE(progress.str().find("import: users 2/2, messages 3"), std::string::npos)
      << progress.str();
  EXPECT_EQ(progress.str().find('\r'), std::string::npos);
}

}  // namespace
}  // namespace ccm::importer
