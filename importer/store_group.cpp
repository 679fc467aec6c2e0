// store_group.cpp — resolving [mailstore] group; see store_group.h.
#include "importer/store_group.h"

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace ccm::importer {

Result<gid_t, std::string> ResolveStoreGroup(std::string_view name) {
  const std::string wanted(name);
  if (wanted.empty())
    return Fail(std::string("the group name is empty"));
  std::vector<char> buffer(16384);
  group entry{};
  group* found = nullptr;
  int err = 0;
  while ((err = ::getgrnam_r(wanted.c_str(), &entry, buffer.data(), buffer.size(), &found)) ==
             ERANGE &&
         buffer.size() < (1u << 22)) {
    buffer.resize(buffer.size() * 2);
  }
  if (err != 0)
    return Fail("cannot look up group '" + wanted + "': " + std::strerror(err));
  if (found == nullptr)
    return Fail("no group named '" + wanted + "' exists");
  const gid_t gid = found->gr_gid;
  if (::getegid() == gid)
    return gid;
  const int count = ::getgroups(0, nullptr);
  std::vector<gid_t> groups(static_cast<std::size_t>(std::max(count, 0)));
  if (count > 0 && ::getgroups(count, groups.data()) < 0)
    return Fail("cannot read this process's groups: " + std::string(std::strerror(errno)));
  if (std::find(groups.begin(), groups.end(), gid) != groups.end())
    return gid;
  return Fail("this process (uid " + std::to_string(::geteuid()) + ") is not a member of group '" +
              wanted + "' (gid " + std::to_string(gid) +
              "); add the service user to it (SupplementaryGroups= in the unit, or the group's "
              "member list)");
}

bool GroupCanUseStoreRoot(const struct stat& root, gid_t gid) {
  constexpr mode_t kGroupRwx = S_IRWXG;
  constexpr mode_t kOtherRwx = S_IRWXO;
  if (root.st_gid == gid && (root.st_mode & kGroupRwx) == kGroupRwx)
    return true;
  return (root.st_mode & kOtherRwx) == kOtherRwx;
}

}  // namespace ccm::importer
