// byte_source_test.cpp — DiskDirectory opens each name once per job: a file renamed over a
// listed name, or a FIFO or a link put in its place, after the first Open changes nothing later
// Opens read; past the directory's cap a re-open must be the file first opened, and a FIFO put in
// the name fails at once; a file of another owner than the packing list is refused.
#include "parser/byte_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace ccm::parser {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/ccm-bs.XXXXXX";
    EXPECT_NE(::mkdtemp(templ), nullptr);
    path_ = templ;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path_ / name, std::ios::binary) << bytes;
  }
  // Puts `bytes` under `name` the way a swap does: a new file renamed over the name.
  void Swap(const std::string& name, const std::string& bytes) const {
    Write(name + ".new", bytes);
    fs::rename(path_ / (name + ".new"), path_ / name);
  }

 private:
  fs::path path_;
};

std::string ReadAll(const ByteSource& source) {
  std::string bytes(source.size(), '\0');
  auto got = source.ReadAt(0, bytes);
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
  bytes.resize(got.ok() ? *got : 0);
  return bytes;
}

std::string OpenAndRead(const SetDirectory& dir, const std::string& name) {
  auto source = dir.Open(name);
  EXPECT_TRUE(source.ok()) << (source.ok() ? "" : source.error().message);
  return source.ok() ? ReadAll(**source) : std::string();
}

TEST(DiskDirectory, LaterOpensReadTheFileFirstOpenedAfterARenameOverIt) {
  TempDir tmp;
  tmp.Write("U1.PRI", "original bytes");
  auto dir = DiskDirectory::OpenPath(tmp.path().string());
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original bytes");  // the first source is gone
  tmp.Swap("U1.PRI", "swapped in, longer bytes");
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original bytes");
  auto size = (*dir)->Stat("U1.PRI");
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, std::string("original bytes").size());
  fs::remove(tmp.path() / "U1.PRI");
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original bytes");
  // Another directory object is another job: it sees what is there now.
  tmp.Write("U1.PRI", "the next job's bytes");
  auto next_job = DiskDirectory::OpenPath(tmp.path().string());
  ASSERT_TRUE(next_job.ok());
  EXPECT_EQ(OpenAndRead(**next_job, "U1.PRI"), "the next job's bytes");
}

TEST(DiskDirectory, AFifoPutInAnOpenedNameIsNeverOpened) {
  TempDir tmp;
  tmp.Write("U1.SEC", "secondary");
  auto dir = DiskDirectory::OpenPath(tmp.path().string());
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(OpenAndRead(**dir, "U1.SEC"), "secondary");
  fs::remove(tmp.path() / "U1.SEC");
  ASSERT_EQ(::mkfifo((tmp.path() / "U1.SEC").c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(OpenAndRead(**dir, "U1.SEC"), "secondary");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(DiskDirectory, PastItsCapAReopenMustBeTheFileFirstOpened) {
  TempDir tmp;
  tmp.Write("U1.PRI", "original");
  tmp.Write("U2.PRI", "untouched");
  tmp.Write("U3.SEC", "grows");
  auto dir = DiskDirectory::OpenPath(tmp.path().string(), 0);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original");
  EXPECT_EQ(OpenAndRead(**dir, "U2.PRI"), "untouched");
  EXPECT_EQ(OpenAndRead(**dir, "U3.SEC"), "grows");
  // Same size, another file: refused, never read.
  tmp.Swap("U1.PRI", "replaced");
  auto swapped = (*dir)->Open("U1.PRI");
  ASSERT_FALSE(swapped.ok());
  EXPECT_NE(swapped.error().message.find("U1.PRI: changed since it was checked"), std::string::npos)
      << swapped.error().message;
  // The same file, written to in place: refused too.
  std::ofstream(tmp.path() / "U3.SEC", std::ios::app) << " and grows";
  auto grown = (*dir)->Open("U3.SEC");
  ASSERT_FALSE(grown.ok());
  EXPECT_NE(grown.error().message.find("changed since it was checked"), std::string::npos);
  // An unchanged file re-opens as often as asked.
  EXPECT_EQ(OpenAndRead(**dir, "U2.PRI"), "untouched");
  EXPECT_EQ(OpenAndRead(**dir, "U2.PRI"), "untouched");
  // A FIFO put in a name fails at once and says what it is.
  fs::remove(tmp.path() / "U2.PRI");
  ASSERT_EQ(::mkfifo((tmp.path() / "U2.PRI").c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  auto fifo = (*dir)->Open("U2.PRI");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.error().message.find("U2.PRI: is a FIFO; refused"), std::string::npos)
      << fifo.error().message;
}

TEST(DiskDirectory, StatAndOpenSayWhatARefusedFileIs) {
  TempDir tmp;
  tmp.Write("outside", "outside bytes");
  ASSERT_EQ(::mkfifo((tmp.path() / "U1.SEC").c_str(), 0600), 0);
  fs::create_hard_link(tmp.path() / "outside", tmp.path() / "U2.SEC");
  fs::create_symlink(tmp.path() / "outside", tmp.path() / "U3.SEC");
  fs::create_directory(tmp.path() / "U4.SEC");
  auto dir = DiskDirectory::OpenPath(tmp.path().string());
  ASSERT_TRUE(dir.ok());
  const std::pair<const char*, const char*> cases[] = {
      {"U1.SEC", "U1.SEC: is a FIFO; refused"},
      {"U2.SEC", "U2.SEC: has 2 hard links"},
      {"U3.SEC", "U3.SEC: is a symbolic link; refused"},
      {"U4.SEC", "U4.SEC: is a directory; refused"},
  };
  for (const auto& [name, reason] : cases) {
    auto stat = (*dir)->Stat(name);
    ASSERT_FALSE(stat.ok()) << name;
    EXPECT_NE(stat.error().message.find(reason), std::string::npos) << stat.error().message;
    auto opened = (*dir)->Open(name);
    ASSERT_FALSE(opened.ok()) << name;
    EXPECT_NE(opened.error().message.find(reason), std::string::npos) << opened.error().message;
  }
}

TEST(DiskDirectory, AFileOfAnotherOwnerThanThePackingListIsRefused) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to give a file another owner";
  TempDir tmp;
  tmp.Write("HQPO.PKL", "packing list");
  tmp.Write("U1.PRI", "mine");
  tmp.Write("U2.PRI", "someone else's");
  ASSERT_EQ(::chown((tmp.path() / "U2.PRI").c_str(), 65534, 65534), 0);
  auto dir = DiskDirectory::OpenPath(tmp.path().string());
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE((*dir)->OpenPackingList("HQPO.PKL").ok());
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "mine");
  auto other = (*dir)->Open("U2.PRI");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("U2.PRI: belongs to uid 65534, the packing list to uid 0"),
            std::string::npos)
      << other.error().message;
}

TEST(DiskDirectory, AHardLinkOrSymlinkPutInAnOpenedNameChangesNothing) {
  TempDir tmp;
  tmp.Write("U1.PRI", "original");
  tmp.Write("outside", "outside bytes");
  auto dir = DiskDirectory::OpenPath(tmp.path().string());
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original");
  fs::remove(tmp.path() / "U1.PRI");
  fs::create_hard_link(tmp.path() / "outside", tmp.path() / "U1.PRI");
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original");
  fs::remove(tmp.path() / "U1.PRI");
  fs::create_symlink(tmp.path() / "outside", tmp.path() / "U1.PRI");
  EXPECT_EQ(OpenAndRead(**dir, "U1.PRI"), "original");
}

}  // namespace
}  // namespace ccm::parser
