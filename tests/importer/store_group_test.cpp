// store_group_test.cpp — [mailstore] group: resolving a name against the group database and the
// process's groups, and the rule for a store root the group can use (pure, on a struct stat).
#include "importer/store_group.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace ccm::importer {
namespace {

struct stat Root(gid_t gid, mode_t mode) {
  struct stat st {};
  st.st_gid = gid;
  st.st_mode = S_IFDIR | mode;
  return st;
}

TEST(StoreGroup, TheProcesssOwnGroupResolvesToItsGid) {
  const group* own = ::getgrgid(::getegid());
  ASSERT_NE(own, nullptr);
  auto gid = ResolveStoreGroup(own->gr_name);
  ASSERT_TRUE(gid.ok()) << gid.error();
  EXPECT_EQ(*gid, ::getegid());
}

TEST(StoreGroup, AnUnknownOrEmptyNameIsRefused) {
  auto unknown = ResolveStoreGroup("ccm-no-such-group");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("no group named 'ccm-no-such-group'"), std::string::npos);
  EXPECT_FALSE(ResolveStoreGroup("").ok());
}

TEST(StoreGroup, TheRootMustGiveTheGroupRwx) {
  EXPECT_TRUE(GroupCanUseStoreRoot(Root(50, 02770), 50));
  EXPECT_TRUE(GroupCanUseStoreRoot(Root(50, 0770), 50));
  EXPECT_TRUE(GroupCanUseStoreRoot(Root(0, 01777), 50));   // rwx for everyone (like /tmp)
  EXPECT_FALSE(GroupCanUseStoreRoot(Root(50, 0750), 50));  // no group write
  EXPECT_FALSE(GroupCanUseStoreRoot(Root(50, 0700), 50));
  EXPECT_FALSE(GroupCanUseStoreRoot(Root(51, 0770), 50));  // another group's
  EXPECT_FALSE(GroupCanUseStoreRoot(Root(51, 0775), 50));  // others may not write
}

}  // namespace
}  // namespace ccm::importer
