// chain_overlap_index_test.cpp — the chain overlap check in merged intervals: back-to-back
// chains collapse to O(1) intervals in any insertion order, and overlaps are still found (and
// their pointers named) after merging.
#include "parser/chain_overlap_index.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace ccm::parser {
namespace {

IndexedChain At(std::uint64_t begin, std::uint64_t end, std::uint64_t line) {
  return IndexedChain{begin, end, 0, line};
}

TEST(ChainOverlapIndex, ContiguousChainsKeepOneInterval) {
  ChainOverlapIndex index;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    ASSERT_FALSE(index.Insert(At(50 + i * 40, 50 + (i + 1) * 40, i + 1)).has_value()) << i;
  }
  EXPECT_EQ(index.TEST_interval_count(), 1u);
}

TEST(ChainOverlapIndex, ContiguousChainsInAnyOrderEndAsOneInterval) {
  ChainOverlapIndex reversed;
  for (std::uint64_t i = 100000; i-- > 0;)
    ASSERT_FALSE(reversed.Insert(At(i * 40, (i + 1) * 40, i + 1)).has_value()) << i;
  EXPECT_EQ(reversed.TEST_interval_count(), 1u);
  // A stride permutation of 100,000 chains (7919 is prime, so every chain comes once).
  ChainOverlapIndex shuffled;
  for (std::uint64_t k = 0; k < 100000; ++k) {
    std::uint64_t i = (k * 7919) % 100000;
    ASSERT_FALSE(shuffled.Insert(At(i * 40, (i + 1) * 40, i + 1)).has_value()) << i;
  }
  EXPECT_EQ(shuffled.TEST_interval_count(), 1u);
}

TEST(ChainOverlapIndex, GapsKeepIntervalsApartUntilFilled) {
  ChainOverlapIndex index;
  EXPECT_FALSE(index.Insert(At(0, 10, 1)));
  EXPECT_FALSE(index.Insert(At(20, 30, 2)));
  EXPECT_FALSE(index.Insert(At(40, 50, 3)));
  EXPECT_EQ(index.TEST_interval_count(), 3u);
  EXPECT_FALSE(index.Insert(At(10, 20, 4)));  // touches both neighbours
  EXPECT_EQ(index.TEST_interval_count(), 2u);
  EXPECT_FALSE(index.Insert(At(30, 40, 5)));
  EXPECT_EQ(index.TEST_interval_count(), 1u);
}

TEST(ChainOverlapIndex, OverlapWithTheLastChainIsNamedExactly) {
  ChainOverlapIndex index;
  for (std::uint64_t i = 0; i < 1000; ++i)
    ASSERT_FALSE(index.Insert(At(i * 10, (i + 1) * 10, i + 1)));
  auto overlap = index.Insert(At(9995, 10020, 2000));  // inside chain 1000, then past the end
  ASSERT_TRUE(overlap.has_value());
  EXPECT_TRUE(overlap->partner_known);
  EXPECT_FALSE(overlap->same_begin);
  EXPECT_EQ(overlap->earlier.line, 1000u);
  EXPECT_EQ(overlap->later.line, 2000u);
  EXPECT_EQ(overlap->offset, 9995u);
  auto same = index.Insert(At(9995, 10000, 2001));  // the merged chain 2000 is now last
  ASSERT_TRUE(same.has_value());
  EXPECT_TRUE(same->same_begin);
  EXPECT_EQ(same->earlier.line, 2000u);
  EXPECT_EQ(same->later.line, 2001u);
  EXPECT_EQ(index.TEST_interval_count(), 1u);
}

TEST(ChainOverlapIndex, OverlapWithTheFirstChainIsNamedExactly) {
  ChainOverlapIndex index;
  for (std::uint64_t i = 0; i < 1000; ++i)
    ASSERT_FALSE(index.Insert(At(100 + i * 10, 100 + (i + 1) * 10, i + 1)));
  auto same = index.Insert(At(100, 110, 7));  // a second pointer to chain 1's section
  ASSERT_TRUE(same.has_value());
  EXPECT_TRUE(same->partner_known);
  EXPECT_TRUE(same->same_begin);
  EXPECT_EQ(same->earlier.line, 1u);
  EXPECT_EQ(same->later.line, 7u);
  EXPECT_EQ(same->offset, 100u);
  // A chain starting before the run and reaching into it: the run's first chain is later.
  auto before = index.Insert(At(95, 105, 8));
  ASSERT_TRUE(before.has_value());
  EXPECT_TRUE(before->partner_known);
  EXPECT_EQ(before->earlier.line, 8u);
  EXPECT_EQ(before->later.line, 1u);
  EXPECT_EQ(before->offset, 100u);
}

TEST(ChainOverlapIndex, OverlapInsideMergedChainsIsStillDetected) {
  ChainOverlapIndex index;
  for (std::uint64_t i = 0; i < 100000; ++i)
    ASSERT_FALSE(index.Insert(At(i * 40, (i + 1) * 40, i + 1)));
  ASSERT_EQ(index.TEST_interval_count(), 1u);
  auto overlap = index.Insert(At(50000 * 40, 50000 * 40 + 40, 200000));  // same as chain 50001
  ASSERT_TRUE(overlap.has_value());
  EXPECT_FALSE(overlap->partner_known);  // chain 50001's pointer is not kept
  EXPECT_EQ(overlap->earlier.line, 1u);  // the run's first pointer, as an anchor
  EXPECT_EQ(overlap->later.line, 200000u);
  EXPECT_EQ(overlap->offset, 50000u * 40);
  EXPECT_EQ(index.TEST_interval_count(), 1u);
}

TEST(ChainOverlapIndex, OverlapAcrossAGapJoinsIntervals) {
  ChainOverlapIndex index;
  EXPECT_FALSE(index.Insert(At(0, 10, 1)));
  EXPECT_FALSE(index.Insert(At(20, 30, 2)));
  auto overlap = index.Insert(At(5, 25, 3));
  ASSERT_TRUE(overlap.has_value());
  EXPECT_EQ(overlap->earlier.line, 1u);  // the first overlap found, in offset order
  EXPECT_EQ(overlap->later.line, 3u);
  EXPECT_EQ(overlap->offset, 5u);
  EXPECT_EQ(index.TEST_interval_count(), 1u);
  EXPECT_TRUE(index.Insert(At(22, 24, 4)).has_value());   // still inside the merged run
  EXPECT_FALSE(index.Insert(At(30, 31, 5)).has_value());  // touching is not overlapping
}

}  // namespace
}  // namespace ccm::parser
