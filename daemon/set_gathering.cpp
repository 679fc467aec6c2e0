// set_gathering.cpp — turns a loose set in incoming/ (files copied in with the .pkl last) into
// a set folder, so that the rest of the life cycle only ever deals with folders.
//
// Steps, each one rename: make `incoming/.gather.<PKL>/` (hidden, so no scan picks it up);
// move the .pkl into it (the step that decides which process gathers: the loser finds the .pkl
// gone); move each listed file present in incoming/ (matched case-insensitively); rename the
// folder to the .pkl's stem, made unique (-2, -3 ...). A crash part-way leaves a .gather folder
// holding the .pkl: RecoverGatherings moves any listed files still loose and places it.
// Security: only regular files with one link owned by the .pkl's owner are moved; names come from
// the directory listing, matched to listed names, never used as paths. See drop_directory.h.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "ccm/ascii.h"
#include "ccm/directory_listing.h"
#include "daemon/drop_directory.h"
#include "daemon/spool_fs.h"

namespace ccm::daemon {
namespace {

constexpr std::string_view kGatherPrefix = ".gather.";

std::string StemOf(const std::string& pkl_name) {
  const auto dot = pkl_name.rfind('.');
  std::string stem = dot == std::string::npos ? pkl_name : pkl_name.substr(0, dot);
  if (stem.empty() || IsIgnoredName(stem))
    stem = "set";
  return stem;
}

// Moves the listed files that lie loose in incoming/ into the gathering folder: only regular
// files with one link that belong to the packing list's owner (`owner`), so that nobody's set
// takes in another operator's files.
Result<void, DropError> MoveListedFiles(int incoming_fd, const std::filesystem::path& incoming,
                                        int gather_fd, const std::vector<std::string>& listed,
                                        uid_t owner) {
  auto names = ListNames(incoming_fd, incoming);
  if (!names)
    return Fail(DropErrorOf(std::move(names.error())));
  std::map<std::string, std::string> by_lower;
  for (const auto& n : *names) {
    if (!n.empty() && n[0] != '.')
      by_lower.emplace(AsciiLower(n), n);
  }
  for (const auto& name : listed) {
    auto it = by_lower.find(AsciiLower(name));
    if (it == by_lower.end())
      continue;
    auto st = spool_fs::StatNoFollow(incoming_fd, it->second);
    if (!st || !S_ISREG(st->st_mode) || st->st_nlink != 1 || st->st_uid != owner)
      continue;
    spool_fs::RenameNoReplace(incoming_fd, it->second, gather_fd, it->second);
  }
  return {};
}

// Renames the gathering folder to its final name; returns it, or nullopt when it vanished.
Result<std::optional<std::string>, DropError> Place(int incoming_fd, const std::string& gather,
                                                    const std::string& stem) {
  for (int n = 1; n < 1000; ++n) {
    const std::string name = n == 1 ? stem : stem + "-" + std::to_string(n);
    const int err = spool_fs::RenameNoReplace(incoming_fd, gather, incoming_fd, name);
    if (err == 0) {
      ::fsync(incoming_fd);
      return std::optional<std::string>(name);
    }
    if (err == ENOENT)
      return std::optional<std::string>();
    if (err != EEXIST && err != ENOTEMPTY) {
      return Fail(DropError{"cannot place gathered set " + stem + ": " + std::strerror(err)});
    }
  }
  return Fail(DropError{"no free folder name for gathered set " + stem});
}

}  // namespace

Result<std::optional<std::string>, DropError> DropDirectory::GatherLooseSet(
    const std::string& pkl_name, const ListedFilesFn& listed_files) {
  const int in = incoming_.get();
  const std::string gather = std::string(kGatherPrefix) + pkl_name;
  if (::mkdirat(in, gather.c_str(), 0750) != 0 && errno != EEXIST) {
    return Fail(
        DropError{"cannot create incoming/" + PrintableName(gather) + ": " + std::strerror(errno)});
  }
  UniqueFd gfd(spool_fs::OpenDirNoFollow(in, gather));
  if (!gfd.valid()) {
    return Fail(
        DropError{"cannot open incoming/" + PrintableName(gather) + ": " + std::strerror(errno)});
  }
  auto pkl_st = spool_fs::StatNoFollow(in, pkl_name);
  if (!pkl_st || !S_ISREG(pkl_st->st_mode)) {
    ::unlinkat(in, gather.c_str(), AT_REMOVEDIR);  // only succeeds when empty
    return std::optional<std::string>();
  }
  const int err = spool_fs::RenameNoReplace(in, pkl_name, gfd.get(), pkl_name);
  if (err == ENOENT) {
    ::unlinkat(in, gather.c_str(), AT_REMOVEDIR);
    return std::optional<std::string>();
  }
  if (err != 0) {
    return Fail(DropError{"cannot move " + PrintableName(pkl_name) +
                          " for gathering: " + std::strerror(err)});
  }
  auto listed = listed_files(root_ / "incoming" / gather / pkl_name);
  if (listed) {
    // On an error the folder stays hidden in incoming/; RecoverGatherings finishes it later.
    if (auto moved = MoveListedFiles(in, root_ / "incoming", gfd.get(), *listed, pkl_st->st_uid);
        !moved) {
      return Fail(std::move(moved.error()));
    }
  }
  ::fsync(gfd.get());
  return Place(in, gather, StemOf(pkl_name));
}

Result<std::vector<std::string>, DropError> DropDirectory::RecoverGatherings(
    const ListedFilesFn& listed_files) {
  std::vector<std::string> placed;
  const int in = incoming_.get();
  auto names = ListNames(in, root_ / "incoming");
  if (!names)
    return Fail(DropErrorOf(std::move(names.error())));
  for (const auto& name : *names) {
    if (name.rfind(kGatherPrefix, 0) != 0)
      continue;
    const std::string pkl_name = name.substr(kGatherPrefix.size());
    UniqueFd gfd(spool_fs::OpenDirNoFollow(in, name));
    if (!gfd.valid())
      continue;
    auto st = spool_fs::StatNoFollow(gfd.get(), pkl_name);
    if (!st || !S_ISREG(st->st_mode)) {
      // Made but the .pkl not yet moved in: if the .pkl is still loose, the normal gathering
      // will use this folder; otherwise it is an empty leftover.
      if (!spool_fs::StatNoFollow(in, pkl_name))
        ::unlinkat(in, name.c_str(), AT_REMOVEDIR);
      continue;
    }
    auto listed = listed_files(root_ / "incoming" / name / pkl_name);
    if (listed) {
      if (auto moved = MoveListedFiles(in, root_ / "incoming", gfd.get(), *listed, st->st_uid);
          !moved) {
        return Fail(std::move(moved.error()));
      }
    }
    auto where = Place(in, name, StemOf(pkl_name));
    if (where && *where)
      placed.push_back(**where);
  }
  return placed;
}

}  // namespace ccm::daemon
