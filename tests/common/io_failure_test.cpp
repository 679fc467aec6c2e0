// io_failure_test.cpp — errno → IoFailure: what a wait cures is transient; a full disk, a
// refused permission, a read-only or failing file system and anything unknown are persistent.
#include "ccm/io_failure.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace ccm {
namespace {

TEST(IoFailureTest, ShortagesAndBusyResourcesAreTransient) {
  for (int code : {EMFILE, ENFILE, ENOMEM, ENOBUFS, EAGAIN, EWOULDBLOCK, EINTR, EBUSY, ETIMEDOUT})
    EXPECT_EQ(IoFailureOf(code), IoFailure::kTransient) << code;
}

TEST(IoFailureTest, FullOrRefusingFileSystemsArePersistent) {
  for (int code : {ENOSPC, EDQUOT, EACCES, EPERM, EROFS, EIO})
    EXPECT_EQ(IoFailureOf(code), IoFailure::kPersistent) << code;
}

TEST(IoFailureTest, UnknownOrMissingErrnoIsPersistent) {
  EXPECT_EQ(IoFailureOf(0), IoFailure::kPersistent);
  EXPECT_EQ(IoFailureOf(ENOTDIR), IoFailure::kPersistent);
  EXPECT_EQ(IoFailureOf(ENAMETOOLONG), IoFailure::kPersistent);
}

TEST(IoFailureTest, Names) {
  EXPECT_EQ(IoFailureName(IoFailure::kTransient), "transient");
  EXPECT_EQ(IoFailureName(IoFailure::kPersistent), "persistent");
}

}  // namespace
}  // namespace ccm
