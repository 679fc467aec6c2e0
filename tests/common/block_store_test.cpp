// block_store_test.cpp — kept bytes stay intact across blocks and threads, and live as long as
// any text kept in them.
#include "ccm/block_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ccm {
namespace {

std::string Text(int i) {
  return "dn: cn=User " + std::to_string(i) + ",ou=Recipients,dc=example,dc=test\n";
}

TEST(BlockStoreTest, KeptBytesStayIntactAcrossBlocks) {
  BlockStore store(256);  // small blocks: the strings below fill many
  std::vector<std::string_view> kept;
  for (int i = 0; i < 200; ++i)
    kept.push_back(store.Keep(Text(i)));
  const std::string large(1000, 'x');  // longer than a block: a block of its own
  const std::string_view kept_large = store.Keep(large);
  for (int i = 0; i < 200; ++i)
    EXPECT_EQ(kept[static_cast<std::size_t>(i)], Text(i));
  EXPECT_EQ(kept_large, large);
  EXPECT_EQ(store.Keep(""), "");
}

TEST(BlockStoreTest, TwoThreadsKeepAtOnce) {
  BlockStore store(4096);
  std::vector<std::string_view> kept(2000);
  {
    auto keep = [&](int first) {
      for (int i = first; i < 2000; i += 2)
        kept[static_cast<std::size_t>(i)] = store.Keep(Text(i));
    };
    std::jthread other(keep, 1);
    keep(0);
  }
  for (int i = 0; i < 2000; ++i)
    EXPECT_EQ(kept[static_cast<std::size_t>(i)], Text(i));
}

TEST(KeptTextTest, ReadsTheSameBeforeAndAfterMovingIntoAStore) {
  KeptText text = Text(7);
  EXPECT_EQ(text.view(), Text(7));
  auto store = std::make_shared<BlockStore>();
  text.MoveInto(store);
  EXPECT_EQ(text.view(), Text(7));
  EXPECT_EQ(text, KeptText(Text(7)));
  KeptText empty;
  empty.MoveInto(store);
  EXPECT_TRUE(empty.empty());
}

TEST(KeptTextTest, TheStoreLivesAsLongAsATextKeptInIt) {
  KeptText copy;
  std::weak_ptr<BlockStore> watch;
  {
    auto store = std::make_shared<BlockStore>();
    watch = store;
    KeptText text = Text(1);
    text.MoveInto(store);
    copy = text;
  }  // the store's other owners are gone
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(copy.view(), Text(1));
  copy = KeptText{};
  EXPECT_TRUE(watch.expired());  // its blocks went with the last text
}

}  // namespace
}  // namespace ccm
