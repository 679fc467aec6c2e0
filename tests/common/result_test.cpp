#include "ccm/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

ccm::Result<int, std::string> ParseDigit(char c) {
  if (c < '0' || c > '9')
    return ccm::Fail(std::string("not a digit: ") + c);
  return c - '0';
}

TEST(ResultTest, HoldsValueOrError) {
  auto good = ParseDigit('7');
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);

  auto bad = ParseDigit('x');
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "not a digit: x");
}

TEST(ResultTest, SameTypeForValueAndErrorIsUnambiguous) {
  ccm::Result<std::string, std::string> value = std::string("v");
  ccm::Result<std::string, std::string> error = ccm::Fail(std::string("e"));
  EXPECT_TRUE(value.ok());
  EXPECT_EQ(*value, "v");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.error(), "e");
}

TEST(ResultTest, MoveOnlyValues) {
  ccm::Result<std::unique_ptr<int>, std::string> r = std::make_unique<int>(3);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 3);
}

TEST(ResultTest, VoidResult) {
  ccm::Result<void, std::string> fine;
  ccm::Result<void, std::string> broken = ccm::Fail(std::string("boom"));
  EXPECT_TRUE(fine.ok());
  EXPECT_FALSE(broken.ok());
  EXPECT_EQ(broken.error(), "boom");
}

}  // namespace
