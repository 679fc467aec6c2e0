// store_group.h — the group that shares the mail store with the mail server ([mailstore] group).
//
// ResolveStoreGroup turns the configured name into a gid, and refuses a group that does not
// exist or that this process is not a member of (its effective gid or one of its supplementary
// groups): such a process could not give its folders and files to the group, and the mail
// server would see nothing. Callers check this at start, before any delivery.
//
// GroupCanUseStoreRoot tells whether the group may create mailboxes in the store root: the
// root belongs to the group and its group bits are rwx, or its bits for others are rwx. Only
// the mode bits are read; a POSIX ACL granting the group access is not taken into account.
//
// Thread safety: pure functions of the system's group database and the process credentials.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <string_view>

#include "ccm/result.h"

namespace ccm::importer {

/// The gid of group `name`, or why it cannot be the store group.
Result<gid_t, std::string> ResolveStoreGroup(std::string_view name);

/// True when `root` (its stat) lets group `gid` create and enter mailbox folders.
bool GroupCanUseStoreRoot(const struct stat& root, gid_t gid);

}  // namespace ccm::importer
