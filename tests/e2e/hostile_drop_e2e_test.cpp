// hostile_drop_e2e_test.cpp — hostile drops are refused without harm (see
// docs/operations.md "What the service refuses"): a listed file that is a symlink to
// /etc/passwd, a listed name with "..", a FIFO listed as a file, a packing list with a 2 MiB
// line, and odd entries (a symlink, a FIFO) loose in incoming/. The daemon neither hangs nor
// crashes, /etc/passwd is untouched, the refused sets sit in failed/ with reason.txt, the odd
// entries are left alone, and a normal set dropped afterwards still completes.
#include <sys/stat.h>

#include <thread>

#include "tests/e2e/e2e_world.h"

namespace ccm::test {
namespace {

using HostileDropE2eTest = DaemonE2eTest;

const char* const kPkl =
    "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\n00000001.PRI,Primary\r\n"
    "00000001.SEC,Secondary\r\n";

TEST_F(HostileDropE2eTest, HostileSetsAreRefusedWithoutHarmAndANormalSetStillCompletes) {
  LoadSampleDirectory();
  WriteConfig();
  const fs::path sample = SourceFile("conf/examples/HQPO.001");
  ASSERT_EQ(ReadFile(sample / "HQPO.PKL"), kPkl);
  const std::string passwd = ReadFile("/etc/passwd");
  struct stat passwd_before {};
  ASSERT_EQ(stat("/etc/passwd", &passwd_before), 0);
  const std::string directory_before = DirectorySnapshot();

  // Built outside the spool, then dropped by rename like any set.
  const auto make = [&](const std::string& id) {
    const fs::path dir = work_ / "hostile" / id;
    fs::create_directories(dir);
    for (const char* name : {"HQPO.PKL", "Directory.pri", "00000001.PRI", "00000001.SEC"})
      fs::copy_file(sample / name, dir / name);
    return dir;
  };
  const fs::path link = make("LINK");
  fs::remove(link / "00000001.PRI");
  fs::create_symlink("/etc/passwd", link / "00000001.PRI");
  const fs::path dots = make("DOTS");
  WriteFile(dots / "HQPO.PKL",
            "1252\r\n\r\nFilename,Filetype\r\nDirectory.pri,Primary\r\n"
            "../../../../etc/passwd,Primary\r\n00000001.SEC,Secondary\r\n");
  const fs::path fifo = make("FIFO");
  fs::remove(fifo / "00000001.SEC");
  ASSERT_EQ(mkfifo((fifo / "00000001.SEC").c_str(), 0600), 0);
  const fs::path huge = make("HUGE");
  WriteFile(huge / "HQPO.PKL", std::string(kPkl) + std::string(2u << 20, 'A') + "\r\n");

  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  fs::create_symlink("/etc", spool_ / "incoming/ETC");
  ASSERT_EQ(mkfifo((spool_ / "incoming/PIPE").c_str(), 0600), 0);
  for (const std::string id : {"LINK", "DOTS", "FIFO", "HUGE"}) {
    fs::rename(work_ / "hostile" / id, spool_ / "incoming" / id);
  }
  for (const std::string id : {"LINK", "DOTS", "FIFO", "HUGE"}) {
    ASSERT_TRUE(WaitForSet("failed", id, 60s)) << id;
    EXPECT_EQ(WhereIs(id), std::vector<std::string>{"failed"}) << id;
    EXPECT_FALSE(ReadFile(spool_ / "failed" / id / "reason.txt").empty()) << id;
    EXPECT_TRUE(fs::is_regular_file(spool_ / "failed" / id / "report.json")) << id;
  }
  // Kept whole, as they came: the link is still a link, the FIFO still a FIFO.
  EXPECT_TRUE(fs::is_symlink(spool_ / "failed/LINK/00000001.PRI"));
  EXPECT_TRUE(fs::is_fifo(spool_ / "failed/FIFO/00000001.SEC"));
  EXPECT_EQ(fs::file_size(spool_ / "failed/HUGE/HQPO.PKL"),
            std::string(kPkl).size() + (2u << 20) + 2);
  // Odd entries loose in incoming/ are left alone.
  EXPECT_TRUE(fs::is_symlink(spool_ / "incoming/ETC"));
  EXPECT_TRUE(fs::is_fifo(spool_ / "incoming/PIPE"));
  ASSERT_TRUE(daemon.Running()) << Diagnostics();

  // Nothing was harmed.
  EXPECT_EQ(ReadFile("/etc/passwd"), passwd);
  struct stat passwd_after {};
  ASSERT_EQ(stat("/etc/passwd", &passwd_after), 0);
  EXPECT_EQ(passwd_after.st_mtim.tv_sec, passwd_before.st_mtim.tv_sec);
  EXPECT_EQ(passwd_after.st_mtim.tv_nsec, passwd_before.st_mtim.tv_nsec);
  EXPECT_EQ(passwd_after.st_mode, passwd_before.st_mode);
  EXPECT_EQ(DirectorySnapshot(), directory_before);
  EXPECT_TRUE(MessageFiles(mail_).empty());

  // And the service still works.
  DropFolder(sample, "HQPO.001");
  ASSERT_TRUE(WaitForSet("done", "HQPO.001"));
  ExpectSampleImported();
  EXPECT_TRUE(daemon.Running());
}

}  // namespace
}  // namespace ccm::test
