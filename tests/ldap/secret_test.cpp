// secret_test.cpp — Secret never prints its bytes; ReadSecretFile reads one line from a
// regular file other users cannot access, and refuses anything else (a second line, a link, a
// FIFO without blocking, a directory, a file readable by others).
#include "ldap/secret.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ccm::ldap {
namespace {

std::string TempFile(const std::string& content) {
  char name[] = "/tmp/ccm-secret.XXXXXX";
  int fd = mkstemp(name);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(name, std::ios::binary) << content;
  return name;
}

TEST(SecretTest, PrintsAsStarsEverywhere) {
  Secret secret("hunter2");
  std::ostringstream streamed;
  streamed << secret;
  EXPECT_EQ(streamed.str(), "***");
  EXPECT_EQ(fmt::format("pw={}", secret), "pw=***");
  EXPECT_EQ(secret.reveal(), "hunter2");
  Secret moved = std::move(secret);
  EXPECT_EQ(moved.reveal(), "hunter2");
  EXPECT_TRUE(secret.empty());  // NOLINT(bugprone-use-after-move): moved-from is wiped
}

TEST(SecretTest, ReadsTheOneLineOfARegularFile) {
  std::string path = TempFile("s3cret\r\n");
  auto secret = ReadSecretFile(path);
  ASSERT_TRUE(secret.ok()) << secret.error();
  EXPECT_EQ(secret->reveal(), "s3cret");
  std::filesystem::remove(path);

  // A second line is an error, not ignored: the file is not what the administrator thinks.
  std::string two = TempFile("s3cret\r\nignored\n");
  auto second = ReadSecretFile(two);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("more than one line"), std::string::npos) << second.error();
  EXPECT_EQ(second.error().find("s3cret"), std::string::npos);
  std::filesystem::remove(two);

  std::string bare = TempFile("no-newline");
  EXPECT_EQ(ReadSecretFile(bare)->reveal(), "no-newline");
  std::filesystem::remove(bare);
}

TEST(SecretTest, RefusesMissingFilesDirectoriesAndSymlinksWithoutShowingContent) {
  auto missing = ReadSecretFile("/nonexistent/secret");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("/nonexistent/secret"), std::string::npos);
  EXPECT_FALSE(ReadSecretFile("/tmp").ok());

  std::string target = TempFile("topsecret");
  std::string link = target + ".link";
  std::filesystem::create_symlink(target, link);
  auto linked = ReadSecretFile(link);
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().find("topsecret"), std::string::npos);
  std::filesystem::remove(link);
  std::filesystem::remove(target);
}

TEST(SecretTest, RefusesAFifoAtOnceAndAFileOthersCanRead) {
  char dir[] = "/tmp/ccm-secret-dir.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string fifo = std::string(dir) + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto read = ReadSecretFile(fifo);  // would block forever without O_NONBLOCK
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().find("is a FIFO"), std::string::npos) << read.error();

  std::string open = TempFile("everyone-sees-this\n");
  std::filesystem::permissions(open, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  auto readable = ReadSecretFile(open);
  ASSERT_FALSE(readable.ok());
  EXPECT_NE(readable.error().find("accessible to every user"), std::string::npos);
  EXPECT_EQ(readable.error().find("everyone-sees-this"), std::string::npos);
  std::filesystem::remove(open);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ccm::ldap
