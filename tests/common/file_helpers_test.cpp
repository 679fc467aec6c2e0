// file_helpers_test.cpp — the one atomic writer and the one directory lister in common/, against
// real directories: a write replaces the file whole and leaves no temporary name; a symlink or a
// stale file under the temporary name is never followed or kept; an abandoned write leaves the old
// file; errors carry errno and name the operation and the file; a listing is sorted and complete.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ccm/atomic_file.h"
#include "ccm/directory_listing.h"
#include "tests/support/temp_dir.h"

namespace ccm {
namespace {

namespace fs = std::filesystem;
using ccm::test::TempDir;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

AtomicFileOptions WithMode(mode_t mode) {
  AtomicFileOptions options;
  options.mode = mode;
  return options;
}

AtomicFileOptions Unsynced() {
  AtomicFileOptions options;
  options.durability = Durability::kUnsynced;
  return options;
}

AtomicFileOptions ShownAs(const char* dir) {
  AtomicFileOptions options;
  options.shown_dir = dir;
  return options;
}

class FileHelpersTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = UniqueFd(::open(tmp_.path().c_str(), O_RDONLY | O_DIRECTORY)); }
  TempDir tmp_;
  UniqueFd dir_;
};

TEST_F(FileHelpersTest, WritesAndReplacesWholeWithoutLeavingTheTemporaryName) {
  ASSERT_TRUE(WriteFileAtomically(dir_.get(), "report.json", "first").ok());
  ASSERT_TRUE(WriteFileAtomically(dir_.get(), "report.json", "second", WithMode(0600)).ok());
  EXPECT_EQ(ReadFile(tmp_.path() / "report.json"), "second");
  EXPECT_EQ(TemporaryNameFor("report.json"), ".report.json.tmp");
  EXPECT_FALSE(fs::exists(tmp_.path() / ".report.json.tmp"));
  auto names = ListNames(dir_.get(), tmp_.path());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"report.json"});
}

TEST_F(FileHelpersTest, NeverFollowsOrKeepsWhatLiesUnderTheTemporaryName) {
  WriteFile(tmp_.path() / "victim", "untouched");
  fs::create_symlink(tmp_.path() / "victim", tmp_.path() / ".retry.json.tmp");
  ASSERT_TRUE(WriteFileAtomically(dir_.get(), "retry.json", "{}").ok());
  EXPECT_EQ(ReadFile(tmp_.path() / "victim"), "untouched");
  EXPECT_EQ(ReadFile(tmp_.path() / "retry.json"), "{}");
  EXPECT_FALSE(fs::is_symlink(tmp_.path() / "retry.json"));
  ASSERT_EQ(::mkfifo((tmp_.path() / ".status.json.tmp").c_str(), 0600), 0);  // never blocks
  EXPECT_TRUE(WriteFileAtomically(dir_.get(), "status.json", "{}", Unsynced()).ok());
}

TEST_F(FileHelpersTest, AnAbandonedWriteLeavesTheOldFile) {
  WriteFile(tmp_.path() / "reason.txt", "old\n");
  {
    auto file = AtomicFile::Create(dir_.get(), "reason.txt");
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Append("new, but never committed").ok());
  }
  EXPECT_EQ(ReadFile(tmp_.path() / "reason.txt"), "old\n");
  EXPECT_FALSE(fs::exists(tmp_.path() / ".reason.txt.tmp"));
  auto file = AtomicFile::Create(dir_.get(), "reason.txt");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Append("new ").ok());
  ASSERT_TRUE(file->Append("text\n").ok());
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(ReadFile(tmp_.path() / "reason.txt"), "new text\n");
}

TEST_F(FileHelpersTest, ErrorsNameTheOperationAndTheFileAndKeepErrno) {
  fs::create_directory(tmp_.path() / ".report.json.tmp");  // cannot be replaced by a file
  auto written = WriteFileAtomically(dir_.get(), "report.json", "x", ShownAs("/spool/active/A"));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, EEXIST);
  EXPECT_EQ(written.error().message, "cannot create /spool/active/A/.report.json.tmp: " +
                                         std::string(std::strerror(EEXIST)));
  for (const char* bad : {"", ".", "..", "../escape", "a/b"}) {
    auto refused = WriteFileAtomically(dir_.get(), bad, "x");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message.find("not a bare file name"), std::string::npos);
  }
}

TEST_F(FileHelpersTest, ListsSortedWithTypesAndWithoutDotEntries) {
  WriteFile(tmp_.path() / "b.sec", "");
  WriteFile(tmp_.path() / "A.PKL", "");
  fs::create_directory(tmp_.path() / "sub");
  fs::create_symlink("/etc/passwd", tmp_.path() / "link");
  auto entries = ListDirectory(dir_.get(), tmp_.path());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].name, "A.PKL");
  EXPECT_EQ((*entries)[1].name, "b.sec");
  EXPECT_EQ((*entries)[2].name, "link");
  EXPECT_EQ((*entries)[3].name, "sub");
  for (const auto& e : *entries) {
    if (e.type == EntryType::kUnknown)
      continue;  // a file system may not report types
    const EntryType expected = e.name == "sub"    ? EntryType::kDirectory
                               : e.name == "link" ? EntryType::kSymlink
                                                  : EntryType::kRegular;
    EXPECT_EQ(e.type, expected) << e.name;
  }
  // The caller's fd is left alone: listing it twice gives the same names.
  auto again = ListNames(dir_.get(), tmp_.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 4u);
}

TEST_F(FileHelpersTest, AListingErrorIsAValueNamingTheDirectory) {
  WriteFile(tmp_.path() / "plain", "");
  UniqueFd file(::open((tmp_.path() / "plain").c_str(), O_RDONLY));
  auto listed = ListNames(file.get(), "/spool/incoming/plain");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, ENOTDIR);
  EXPECT_EQ(listed.error().message.rfind("cannot list /spool/incoming/plain: ", 0), 0u);
}

}  // namespace
}  // namespace ccm
