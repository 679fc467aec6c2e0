// secret_test.cpp — Secret never prints its bytes; ReadSecretFile reads one line from a
// regular file and refuses anything else.
#include "ldap/secret.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
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

TEST(SecretTest, ReadsTheFirstLineOfARegularFile) {
  std::string path = TempFile("s3cret\r\nignored\n");
  auto secret = ReadSecretFile(path);
  ASSERT_TRUE(secret.ok()) << secret.error();
  EXPECT_EQ(secret->reveal(), "s3cret");
  std::filesystem::remove(path);

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

}  // namespace
}  // namespace ccm::ldap
