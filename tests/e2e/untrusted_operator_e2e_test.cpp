// untrusted_operator_e2e_test.cpp — the people who drop sets are not trusted: each test plays
// one trick an operator could try against the real binary and a real slapd, and checks that the
// directory is unchanged and that nothing outside the spool was read into a report or written:
// a forged journal, an edited journal (rollback refuses both whole), a hard link to a file
// outside the set, a planted report.json/ folder, 200,000 listed names, an over-long folder
// name, a forged retry.json, `status` without the secret, a FIFO as the password file, and a
// FIFO swapped in after the claim, with a real service user and a real operator (made with
// useradd when missing; that test needs root and is skipped without it).
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "tests/e2e/e2e_world.h"
#include "tests/e2e/generated_set.h"
#include "tests/support/program.h"

namespace ccm::test {
namespace {

class UntrustedOperatorE2eTest : public DaemonE2eTest {
 protected:
  // A copy of the sample set outside the spool, to be changed and then dropped by rename.
  fs::path MakeSet(const std::string& id) {
    const fs::path dir = work_ / "staging" / id;
    fs::create_directories(dir);
    const fs::path sample = SourceFile("conf/examples/HQPO.001");
    for (const char* name : {"HQPO.PKL", "Directory.pri", "00000001.PRI", "00000001.SEC"})
      fs::copy_file(sample / name, dir / name);
    return dir;
  }
  void Drop(const std::string& id) {
    fs::create_directories(spool_ / "incoming");
    fs::rename(work_ / "staging" / id, spool_ / "incoming" / id);
  }
  ProgramOutcome Ccmigrate(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {CCMIGRATE};
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = RunProgram(argv);
    EXPECT_TRUE(run.ok());
    return run.ok() ? *run : ProgramOutcome{};
  }
  // Imports the sample set through the daemon; returns its journal in done/.
  fs::path ImportSample(ChildProcess& daemon) {
    EXPECT_TRUE(WaitRunning(daemon));
    DropFolder(SourceFile("conf/examples/HQPO.001"), "HQPO.001");
    EXPECT_TRUE(WaitForSet("done", "HQPO.001"));
    // Nothing of ccmigrate's state in the set's folder: the journal is in the state directory.
    EXPECT_FALSE(fs::exists(spool_ / "done/HQPO.001/ccmigrate-import"));
    return JournalDir("HQPO.001") / "journal.ldif";
  }
  // A file outside the spool whose content must never show up anywhere.
  fs::path Sentinel() {
    const fs::path path = work_ / "outside" / "sentinel.txt";
    fs::create_directories(path.parent_path());
    WriteFile(path, "SENTINEL-6f1c outside the spool\n");
    return path;
  }
  void ExpectSentinelUntouched(const fs::path& sentinel, const struct stat& before) {
    struct stat after {};
    ASSERT_EQ(::stat(sentinel.c_str(), &after), 0);
    EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    EXPECT_EQ(ReadFile(sentinel), "SENTINEL-6f1c outside the spool\n");
    for (const std::string& state : kSpoolStates) {
      if (!fs::exists(spool_ / state))
        continue;
      for (const auto& entry : fs::recursive_directory_iterator(spool_ / state)) {
        if (!entry.is_regular_file() || entry.path().filename() == "sentinel.txt" ||
            entry.path().filename().string().rfind("00000001", 0) == 0)
          continue;
        EXPECT_EQ(ReadFile(entry.path()).find("SENTINEL-6f1c"), std::string::npos) << entry.path();
      }
    }
  }
};

TEST_F(UntrustedOperatorE2eTest, ForgedJournalIsRefusedWholeAndChangesNothing) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  const fs::path journal = ImportSample(daemon);
  ASSERT_TRUE(fs::is_regular_file(journal)) << Diagnostics();
  const std::string after_import = DirectorySnapshot();

  // Hand-written: make Mallory a member of Cutover Team, with a made-up tag.
  const fs::path forged = work_ / "forged.ldif";
  WriteFile(forged,
            "# ccmigrate journal: every batch ends with an HMAC-SHA256 tag under the journal "
            "key\n# ccmigrate-tag: " +
                std::string(64, 'a') +
                "\n\ndn: cn=Cutover Team,ou=Recipients,dc=example,dc=test\nobjectClass: "
                "groupOfNames\ncn: Cutover Team\n\n"
                "dn: cn=Cutover Team,ou=Recipients,dc=example,dc=test\nchangetype: modify\n"
                "delete: member\nmember: cn=Mallory,dc=example,dc=test\n-\n\n"
                "# ccmigrate-tag: " +
                std::string(64, 'b') + "\n");
  auto run = Ccmigrate({"rollback", forged.string(), "--config", config_.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("the journal was changed after ccmigrate wrote it"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("nothing was changed"), std::string::npos) << run.output;
  // An old-style journal without any tag is refused too.
  WriteFile(forged,
            "dn: cn=Cutover Team,ou=Recipients,dc=example,dc=test\nobjectClass: groupOfNames\n"
            "cn: Cutover Team\n\ndn: cn=Cutover Team,ou=Recipients,dc=example,dc=test\n"
            "changetype: modify\ndelete: member\nmember: cn=Mallory,dc=example,dc=test\n-\n\n");
  run = Ccmigrate({"rollback", forged.string(), "--config", config_.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(DirectorySnapshot(), after_import);
  EXPECT_TRUE(daemon.Running());
}

TEST_F(UntrustedOperatorE2eTest, EditedJournalIsRefusedWholeAndTheRealOneStillRollsBack) {
  LoadSampleDirectory();
  WriteConfig();
  const std::string before_import = DirectorySnapshot();
  auto& daemon = StartDaemon();
  const fs::path journal = ImportSample(daemon);
  const std::string text = ReadFile(journal);
  const std::string after_import = DirectorySnapshot();
  ASSERT_NE(after_import, before_import);

  // One value changed: Avery's prior state gets a second target address.
  std::string edited = text;
  const auto at = edited.find("ccmTargetAddress: ");
  ASSERT_NE(at, std::string::npos) << text;
  edited.insert(at, "ccmTargetAddress: smtp:mallory@example.test\n");
  WriteFile(work_ / "edited.ldif", edited);
  auto run =
      Ccmigrate({"rollback", (work_ / "edited.ldif").string(), "--config", config_.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("the tag does not match"), std::string::npos) << run.output;
  // A record added after the last tag.
  WriteFile(work_ / "added.ldif",
            text +
                "\ndn: cn=Cutover Team,ou=Recipients,dc=example,dc=test\nchangetype: modify\n"
                "add: member\nmember: cn=Mallory,dc=example,dc=test\n-\n\n");
  run = Ccmigrate({"rollback", (work_ / "added.ldif").string(), "--config", config_.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("text after the last tag"), std::string::npos) << run.output;
  // A batch removed: the header's tag and the last batch only.
  const auto header_end = text.find('\n', text.find("# ccmigrate-tag: ")) + 1;
  const auto second_tag = text.find("# ccmigrate-tag: ", header_end);
  ASSERT_NE(second_tag, std::string::npos);
  std::string removed = text.substr(0, header_end) + "\n# nothing\n" +
                        text.substr(second_tag);  // the batch's body replaced
  WriteFile(work_ / "removed.ldif", removed);
  run = Ccmigrate({"rollback", (work_ / "removed.ldif").string(), "--config", config_.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(DirectorySnapshot(), after_import) << "a refused journal changed the directory";

  // The journal ccmigrate wrote is applied.
  run = Ccmigrate({"rollback", journal.string(), "--config", config_.string()});
  EXPECT_LE(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("restored"), std::string::npos) << run.output;
  EXPECT_NE(DirectorySnapshot(), after_import);
  EXPECT_TRUE(daemon.Running());
}

TEST_F(UntrustedOperatorE2eTest, HardLinkToAFileOutsideIsRefused) {
  LoadSampleDirectory();
  WriteConfig();
  const std::string directory_before = DirectorySnapshot();
  const fs::path sentinel = Sentinel();
  struct stat before {};
  ASSERT_EQ(::stat(sentinel.c_str(), &before), 0);
  const fs::path set = MakeSet("LINKED");
  fs::remove(set / "00000001.PRI");
  fs::create_hard_link(sentinel, set / "00000001.PRI");
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  Drop("LINKED");
  ASSERT_TRUE(WaitForSet("failed", "LINKED")) << Diagnostics();
  const std::string reason = ReadFile(spool_ / "failed/LINKED/reason.txt");
  EXPECT_NE(reason.find("00000001.PRI is a hard link (2 links)"), std::string::npos) << reason;
  EXPECT_EQ(DirectorySnapshot(), directory_before);
  EXPECT_TRUE(MessageFiles(mail_).empty());
  ExpectSentinelUntouched(sentinel, before);
}

TEST_F(UntrustedOperatorE2eTest, PlantedReportFolderNeverBecomesStateAndTheSetEndsInFailed) {
  LoadSampleDirectory();
  WriteConfig();
  const std::string directory_before = DirectorySnapshot();
  const fs::path set = MakeSet("PLANTED");
  fs::create_directories(set / "report.json");
  WriteFile(set / "report.json" / "keep.txt", "the operator's own bytes\n");
  fs::create_directories(set / "ccmigrate-import");
  WriteFile(set / "ccmigrate-import" / "journal.ldif", "dn: cn=x\nchangetype: delete\n\n");
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  Drop("PLANTED");
  ASSERT_TRUE(WaitForSet("failed", "PLANTED")) << Diagnostics();
  EXPECT_EQ(WhereIs("PLANTED"), std::vector<std::string>{"failed"});
  // Left byte-identical: still a folder, with the operator's file, and the planted journal.
  EXPECT_TRUE(fs::is_directory(spool_ / "failed/PLANTED/report.json"));
  EXPECT_EQ(ReadFile(spool_ / "failed/PLANTED/report.json/keep.txt"), "the operator's own bytes\n");
  EXPECT_EQ(ReadFile(spool_ / "failed/PLANTED/ccmigrate-import/journal.ldif"),
            "dn: cn=x\nchangetype: delete\n\n");
  EXPECT_NE(ReadFile(spool_ / "failed/PLANTED/reason.txt").find("reserves for its own files"),
            std::string::npos);
  // It does not come back: a rescan later it is still only in failed/.
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(WhereIs("PLANTED"), std::vector<std::string>{"failed"});
  EXPECT_EQ(DirectorySnapshot(), directory_before);
  EXPECT_TRUE(MessageFiles(mail_).empty());
  EXPECT_TRUE(daemon.Running());
}

TEST_F(UntrustedOperatorE2eTest, TwoHundredThousandListedNamesAreRefusedAtOnce) {
  LoadSampleDirectory();
  WriteConfig();
  const std::string directory_before = DirectorySnapshot();
  const fs::path set = MakeSet("MANY");
  std::string pkl = "1252\r\n\r\nFilename,Filetype\r\n";
  for (int i = 0; i < 200000; ++i)
    pkl += "F" + std::to_string(i) + ".PRI,Primary\r\n";
  WriteFile(set / "HQPO.PKL", pkl);
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  const auto start = std::chrono::steady_clock::now();
  Drop("MANY");
  ASSERT_TRUE(WaitForSet("failed", "MANY", 30s)) << Diagnostics();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  const std::string reason = ReadFile(spool_ / "failed/MANY/reason.txt");
  EXPECT_NE(reason.find("lists 200000 files, more than [drop] max_listed_files 65536"),
            std::string::npos)
      << reason;
  EXPECT_LT(reason.size(), 512U);
  EXPECT_LT(fs::file_size(spool_ / "status.json"), 16384U);
  EXPECT_EQ(DirectorySnapshot(), directory_before);
  EXPECT_TRUE(daemon.Running());
}

TEST_F(UntrustedOperatorE2eTest, OverLongFolderNameIsRefusedNotRetried) {
  LoadSampleDirectory();
  WriteConfig();
  const std::string directory_before = DirectorySnapshot();
  const std::string long_name(250, 'L');
  MakeSet(long_name);
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  Drop(long_name);
  const std::string id(200, 'L');  // set ids keep the first 200 bytes
  ASSERT_TRUE(WaitForSet("failed", id)) << Diagnostics();
  EXPECT_NE(ReadFile(spool_ / "failed" / id / "reason.txt").find("250 bytes long"),
            std::string::npos);
  EXPECT_TRUE(fs::is_empty(spool_ / "incoming"));
  EXPECT_TRUE(fs::is_empty(spool_ / "active"));
  EXPECT_EQ(DirectorySnapshot(), directory_before);
  EXPECT_TRUE(daemon.Running());
}

TEST_F(UntrustedOperatorE2eTest, ForgedRetryStateIsRangeCheckedAndTheSetIsStillImported) {
  LoadSampleDirectory();
  WriteConfig();
  // A set in deferred/ (as if put there by hand) whose retry.json puts it off to the year 3000,
  // and one whose value would overflow the clock.
  const fs::path set = MakeSet("RETRY");
  WriteFile(set / "retry.json", "{\"attempts\": 1, \"next_attempt_unix_ms\": 32503680000000}\n");
  const fs::path other = MakeSet("OVERFLOW");
  WriteFile(other / "retry.json",
            "{\"attempts\": 1, \"next_attempt_unix_ms\": 9223372036854775807}\n");
  fs::create_directories(spool_ / "deferred");
  fs::rename(set, spool_ / "deferred/RETRY");
  fs::rename(other, spool_ / "deferred/OVERFLOW");
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  // Read as "due now, attempts 0": imported at once instead of never (or at a wrapped time).
  ASSERT_TRUE(WaitForSet("done", "RETRY", 60s)) << Diagnostics();
  ASSERT_TRUE(WaitForSet("done", "OVERFLOW", 60s)) << Diagnostics();
  ExpectSampleImported();
  EXPECT_FALSE(fs::exists(spool_ / "done/RETRY/retry.json"));
  EXPECT_FALSE(fs::exists(spool_ / "done/OVERFLOW/retry.json"));
  EXPECT_TRUE(daemon.Running());
}

TEST_F(UntrustedOperatorE2eTest, StatusCheckAndFixWorkWithoutTheSecret) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  daemon.Signal(SIGTERM);
  ASSERT_TRUE(daemon.WaitExit(30s).has_value());
  const std::string directory_before = DirectorySnapshot();
  // The secret is gone (as /run/credentials is once the service stopped).
  std::string config = ReadFile(config_);
  const auto at = config.find("password_file = \"");
  ASSERT_NE(at, std::string::npos);
  config.insert(at + 17, (work_ / "gone/").string());
  WriteFile(config_, config);
  auto status = Ccmigrate({"status", "--config", config_.string()});
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("\"sets\""), std::string::npos) << status.output;
  const fs::path pkl = SourceFile("conf/examples/HQPO.001/HQPO.PKL");
  auto check = Ccmigrate({"check", pkl.string()});
  EXPECT_LE(check.exit_code, 1) << check.output;
  auto fix = Ccmigrate({"fix", pkl.string(), "--out", (work_ / "fixed").string()});
  EXPECT_LE(fix.exit_code, 1) << fix.output;
  // A command that binds says what is wrong, and changes nothing.
  auto plan = Ccmigrate({"plan", "--config", config_.string(), pkl.string()});
  EXPECT_EQ(plan.exit_code, 78) << plan.output;
  EXPECT_NE(plan.output.find("[ldap] password_file: cannot open secret file"), std::string::npos)
      << plan.output;
  EXPECT_EQ(DirectorySnapshot(), directory_before);
}

TEST_F(UntrustedOperatorE2eTest, FifoAsThePasswordFileFailsAtOnce) {
  LoadSampleDirectory();
  WriteConfig();
  const std::string directory_before = DirectorySnapshot();
  const fs::path fifo = work_ / "ldap.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string config = ReadFile(config_);
  const auto at = config.find("password_file = \"");
  const auto end = config.find('"', at + 17);
  config.replace(at + 17, end - (at + 17), fifo.string());
  WriteFile(config_, config);
  const fs::path pkl = SourceFile("conf/examples/HQPO.001/HQPO.PKL");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"plan", "--config", config_.string(), pkl.string()},
        std::vector<std::string>{"daemon", "--config", config_.string(), "--once"}}) {
    std::vector<std::string> argv = {CCMIGRATE};
    argv.insert(argv.end(), args.begin(), args.end());
    const fs::path log = work_ / ("fifo-" + args.front() + ".log");
    auto child = ChildProcess::Start(argv, log.string());
    ASSERT_TRUE(child.ok()) << child.error();
    const auto code = (*child)->WaitExit(10s);
    ASSERT_TRUE(code.has_value()) << args.front() << " blocked on the FIFO";
    EXPECT_EQ(*code, 78) << ReadFile(log);
    EXPECT_NE(ReadFile(log).find("is a FIFO"), std::string::npos) << ReadFile(log);
  }
  EXPECT_EQ(DirectorySnapshot(), directory_before);
}

// A system user for the test, made when missing; its uid and gid.
struct TestUser {
  uid_t uid = 0;
  gid_t gid = 0;
};
std::optional<TestUser> EnsureUser(const std::string& name) {
  if (::getpwnam(name.c_str()) == nullptr) {
    auto made = RunProgram({"useradd", "--system", "--user-group", "--no-create-home", "--shell",
                            "/usr/sbin/nologin", name});
    if (!made.ok() || (made->exit_code != 0 && ::getpwnam(name.c_str()) == nullptr))
      return std::nullopt;
  }
  const struct passwd* user = ::getpwnam(name.c_str());
  if (user == nullptr)
    return std::nullopt;
  return TestUser{user->pw_uid, user->pw_gid};
}

void Own(const fs::path& path, const TestUser& user, gid_t group, mode_t mode) {
  ASSERT_EQ(::chown(path.c_str(), user.uid, group), 0) << path;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
}

// The service runs as its own user and an operator, in the spool's group, drops a set; once it
// is claimed the operator cannot reach it (active/ is the service's alone), and a FIFO that
// root swaps in for a listed file cannot hang the worker: the set still ends in a final place
// and the service keeps serving.
TEST_F(UntrustedOperatorE2eTest, FifoSwappedInAfterTheClaimCannotHangAWorker) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to make and switch to the test users";
  const auto service = EnsureUser("ccm-e2e-svc");
  const auto op = EnsureUser("ccm-e2e-op");
  ASSERT_TRUE(service && op) << "useradd failed";
  LoadBaseEntries();
  const auto set = GenerateSet(*this, work_, "GEN", 200, 4, 10);
  WriteConfig("max_changes = 0", "", "sync_batch = 16");
  const std::string directory_before = DirectorySnapshot();

  // The service's own places; the secret as the service's credential.
  ASSERT_EQ(::chmod(work_.c_str(), 0755), 0);
  for (const fs::path& dir : {spool_, mail_, work_ / "state"}) {
    fs::create_directories(dir);
    Own(dir, *service, service->gid, 0750);
  }
  std::string config = ReadFile(config_);
  const auto at = config.find("password_file = \"");
  const auto end = config.find('"', at + 17);
  const fs::path secret = work_ / "service.secret";
  fs::copy_file(config.substr(at + 17, end - (at + 17)), secret);
  Own(secret, *service, service->gid, 0400);
  config.replace(at + 17, end - (at + 17), secret.string());
  WriteFile(config_, config);
  ASSERT_EQ(::chmod(config_.c_str(), 0644), 0);

  // The operator's set, group-writable for the service as docs/operations.md asks.
  const fs::path staging = work_ / "operator";
  fs::create_directories(staging);
  Own(staging, *op, op->gid, 0755);
  fs::copy(set.dir, staging / "GEN", fs::copy_options::recursive);
  Own(staging / "GEN", *op, service->gid, 02770);
  for (const auto& file : fs::directory_iterator(staging / "GEN"))
    Own(file.path(), *op, service->gid, 0640);

  const fs::path log = work_ / "daemon-as-service.log";
  auto started = ChildProcess::Start({"/usr/bin/setpriv", "--reuid=" + std::to_string(service->uid),
                                      "--regid=" + std::to_string(service->gid), "--clear-groups",
                                      "--", CCMIGRATE, "daemon", "--config", config_.string()},
                                     log.string());
  ASSERT_TRUE(started.ok()) << started.error();
  auto& daemon = **started;
  const auto as_operator = [&](const std::string& command) {
    auto run =
        RunProgram({"/usr/bin/setpriv", "--reuid=" + std::to_string(op->uid),
                    "--regid=" + std::to_string(op->gid),
                    "--groups=" + std::to_string(service->gid), "--", "/bin/sh", "-c", command});
    EXPECT_TRUE(run.ok());
    return run.ok() ? *run : ProgramOutcome{};
  };
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!fs::exists(spool_ / "incoming") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(fs::exists(spool_ / "incoming")) << ReadFile(log);
  auto dropped = as_operator("mv '" + (staging / "GEN").string() + "' '" +
                             (spool_ / "incoming/GEN").string() + "'");
  ASSERT_EQ(dropped.exit_code, 0) << dropped.output;

  ASSERT_TRUE(WaitForSet("active", "GEN", 30s)) << ReadFile(log);
  // The operator can no longer reach the claimed set.
  auto swap = as_operator("mkfifo '" + (spool_ / "active/GEN/swapped.SEC").string() + "'");
  EXPECT_NE(swap.exit_code, 0) << swap.output;
  EXPECT_NE(swap.output.find("Permission denied"), std::string::npos) << swap.output;
  // Root can: a FIFO in place of a listed file while the worker reads the set.
  std::string swapped;
  std::error_code ec;
  for (fs::directory_iterator it(spool_ / "active/GEN", ec), last; !ec && it != last;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".SEC") {
      fs::remove(it->path(), ec);
      ASSERT_EQ(::mkfifo(it->path().c_str(), 0600), 0);
      swapped = name;
      break;
    }
  }
  ASSERT_FALSE(swapped.empty()) << "the set left active/ before the swap: " << ec.message();
  // The worker does not hang: the set reaches a final place and the service keeps serving.
  const auto final_deadline = std::chrono::steady_clock::now() + 120s;
  std::vector<std::string> where;
  while (std::chrono::steady_clock::now() < final_deadline) {
    where = WhereIs("GEN");
    if (where.size() == 1 && where.front() != "active" && where.front() != "incoming")
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(where.size(), 1U) << ReadFile(log);
  EXPECT_NE(where.front(), "active") << ReadFile(log);
  EXPECT_TRUE(daemon.Running()) << ReadFile(log);
  EXPECT_TRUE(fs::is_fifo(spool_ / where.front() / "GEN" / swapped));
  // The service wrote only where it may: its state directory holds the set's journal, owned by
  // the service user; nothing else under the test's directory belongs to it.
  const fs::path journal_dir = JournalDir("GEN");
  if (!journal_dir.empty()) {
    struct stat st {};
    ASSERT_EQ(::stat(journal_dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, service->uid);
    EXPECT_EQ(st.st_mode & 0777, 0700U);
  }
  for (const auto& entry : fs::recursive_directory_iterator(work_)) {
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0 || st.st_uid != service->uid)
      continue;
    const std::string path = entry.path().string();
    const bool allowed = path.rfind(spool_.string(), 0) == 0 ||
                         path.rfind(mail_.string(), 0) == 0 ||
                         path.rfind((work_ / "state").string(), 0) == 0 || entry.path() == secret;
    EXPECT_TRUE(allowed) << path << " belongs to the service";
  }
  if (where.front() != "done") {
    EXPECT_EQ(DirectorySnapshot(), directory_before);
  }
  daemon.Signal(SIGTERM);
  EXPECT_TRUE(daemon.WaitExit(60s).has_value());
}

}  // namespace
}  // namespace ccm::test
