// set_observation.cpp — DropDirectory::Observe: what a candidate set in incoming/ looks like
// right now, as a SetObservation for the readiness rules (set_readiness.h). Only the .pkl is
// opened (by the ListedFilesFn, via /proc/self/fd of the folder's fd so that a swapped path
// cannot redirect it); every other entry is only fstatat'ed without following links, so a FIFO
// or device can never block and a symlink is never read. See drop_directory.h.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "ccm/ascii.h"
#include "ccm/directory_listing.h"
#include "daemon/drop_directory.h"
#include "daemon/spool_fs.h"

namespace ccm::daemon {
namespace {

const char* KindName(mode_t mode) {
  if (S_ISLNK(mode))
    return "a symbolic link";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISDIR(mode))
    return "a directory";
  return "not a regular file";
}

// A listed name must be a bare file name: no separators, no "..", no control bytes.
bool IsBareFileName(const std::string& name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..")
    return false;
  if (name.find("..") != std::string::npos)
    return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '/' || c == '\\' || u < 0x20 || u == 0x7F;
  });
}

bool IsReservedName(const std::string& lower_name) {
  const auto& reserved = ReservedSetNames();
  return std::find(reserved.begin(), reserved.end(), lower_name) != reserved.end();
}

bool IsOwnFile(const std::string& name) {
  const auto& own = SpoolFileNames();
  return std::find(own.begin(), own.end(), name) != own.end();
}

std::int64_t MtimeNs(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// Path through which the .pkl is read: the already opened folder, not its (swappable) name.
std::filesystem::path PathViaFd(int dir_fd, const std::filesystem::path& fallback_dir,
                                const std::string& name) {
  const auto proc = std::filesystem::path("/proc/self/fd") / std::to_string(dir_fd);
  std::error_code ec;
  if (std::filesystem::exists(proc, ec))
    return proc / name;
  return fallback_dir / name;
}

}  // namespace

bool IsIgnoredName(const std::string& name) {
  return name.empty() || name[0] == '.' || name.back() == '~' || EndsWithIgnoreCase(name, ".tmp") ||
         EndsWithIgnoreCase(name, ".part");
}

bool IsPackingListName(const std::string& name) {
  return EndsWithIgnoreCase(name, ".pkl");
}

std::string PrintableName(const std::string& name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<SetObservation> DropDirectory::Observe(const IncomingEntry& entry,
                                                     const ListedFilesFn& listed_files) const {
  SetObservation obs;
  UniqueFd folder;
  int dir_fd = incoming_.get();
  std::filesystem::path dir_path = root_ / "incoming";
  std::vector<std::string> names;

  if (entry.loose_pkl) {
    auto listed = ListNames(dir_fd, dir_path);
    if (!listed)
      return std::nullopt;  // incoming/ cannot be listed now: looked at again on the next scan
    names = std::move(*listed);
    if (std::find(names.begin(), names.end(), entry.name) == names.end())
      return std::nullopt;
    obs.pkl_name = entry.name;
  } else {
    folder = UniqueFd(spool_fs::OpenDirNoFollow(dir_fd, entry.name));
    if (!folder.valid()) {
      if (errno == ENOENT)
        return std::nullopt;
      obs.hostile = "set folder cannot be opened as a directory";
      return obs;
    }
    dir_fd = folder.get();
    dir_path /= entry.name;
    if (entry.name.size() > kMaxSetNameBytes) {
      obs.hostile = "the set folder's name is " + std::to_string(entry.name.size()) +
                    " bytes long, more than " + std::to_string(kMaxSetNameBytes);
      return obs;
    }
    auto listed = ListNames(dir_fd, dir_path);
    if (!listed)
      return std::nullopt;  // cannot be listed now (EMFILE, EIO ...): looked at again next scan
    names = std::move(*listed);
    for (const auto& n : names) {
      if (IsReservedName(AsciiLower(n))) {
        obs.hostile =
            "the set holds " + PrintableName(n) + ", a name ccmigrate reserves for its own files";
        return obs;
      }
    }
    for (const auto& n : names) {
      if (IsIgnoredName(n) || !IsPackingListName(n))
        continue;
      if (!obs.pkl_name.empty()) {
        obs.hostile = "more than one packing list (" + PrintableName(obs.pkl_name) + ", " +
                      PrintableName(n) + ")";
        return obs;
      }
      obs.pkl_name = n;
    }
  }

  // Present entries by lower-case name, for the case-insensitive lookup of listed names (1.1).
  std::map<std::string, std::vector<std::string>> by_lower;
  for (const auto& n : names) {
    if (!n.empty() && n[0] != '.')
      by_lower[AsciiLower(n)].push_back(n);
  }

  std::vector<std::pair<std::string, struct stat>> counted;
  uid_t pkl_uid = 0;  // every listed file must belong to the packing list's owner
  WallTime newest{};
  bool any_mtime = false;
  auto count = [&](const std::string& name, const struct stat& st) {
    counted.emplace_back(name, st);
    obs.total_bytes += static_cast<std::uint64_t>(st.st_size);
    const WallTime m{
        std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(MtimeNs(st)))};
    if (!any_mtime || m > newest)
      newest = m;
    any_mtime = true;
  };

  if (!obs.pkl_name.empty()) {
    auto st = spool_fs::StatNoFollow(dir_fd, obs.pkl_name);
    if (!st) {
      if (entry.loose_pkl)
        return std::nullopt;
      obs.pkl_name.clear();  // vanished between listing and stat: not there yet
      return obs;
    }
    if (!S_ISREG(st->st_mode)) {
      obs.hostile = "packing list " + PrintableName(obs.pkl_name) + " is " + KindName(st->st_mode);
      return obs;
    }
    if (st->st_nlink > 1) {
      obs.hostile = "packing list " + PrintableName(obs.pkl_name) + " is a hard link (" +
                    std::to_string(st->st_nlink) + " links)";
      return obs;
    }
    pkl_uid = st->st_uid;
    count(obs.pkl_name, *st);
    auto listed = listed_files(PathViaFd(dir_fd, dir_path, obs.pkl_name));
    if (listed && listed->size() > max_listed_files_) {
      obs.hostile = "packing list " + PrintableName(obs.pkl_name) + " lists " +
                    std::to_string(listed->size()) + " files, more than [drop] max_listed_files " +
                    std::to_string(max_listed_files_);
      return obs;
    }
    if (listed) {
      obs.listing_ok = true;
      obs.listed = std::move(*listed);
    } else {
      obs.listing_error = listed.error();
    }
  }

  std::map<std::string, std::string> listed_lower;  // lower -> as listed
  for (const auto& name : obs.listed) {
    if (!IsBareFileName(name)) {
      obs.hostile = "listed name \"" + PrintableName(name) + "\" is not a bare file name";
      return obs;
    }
    if (IsOwnFile(AsciiLower(name))) {
      // The spool writes these into the set's folder; a listed file must not be overwritten.
      obs.hostile = "listed file " + PrintableName(name) + " has a name the spool reserves";
      return obs;
    }
    if (!listed_lower.emplace(AsciiLower(name), name).second) {
      obs.hostile = "file " + PrintableName(name) + " is listed twice";
      return obs;
    }
    auto it = by_lower.find(AsciiLower(name));
    if (it == by_lower.end()) {
      obs.missing.push_back(name);
      continue;
    }
    if (it->second.size() > 1) {
      obs.hostile = "listed file " + PrintableName(name) + " matches several files by case";
      return obs;
    }
    auto st = spool_fs::StatNoFollow(dir_fd, it->second.front());
    if (!st) {
      obs.missing.push_back(name);
      continue;
    }
    if (!S_ISREG(st->st_mode)) {
      obs.hostile = "listed file " + PrintableName(name) + " is " + KindName(st->st_mode);
      return obs;
    }
    if (st->st_nlink > 1) {
      obs.hostile = "listed file " + PrintableName(name) + " is a hard link (" +
                    std::to_string(st->st_nlink) + " links)";
      return obs;
    }
    if (st->st_uid != pkl_uid) {
      obs.hostile = "listed file " + PrintableName(name) + " belongs to uid " +
                    std::to_string(st->st_uid) + ", the packing list to uid " +
                    std::to_string(pkl_uid);
      return obs;
    }
    count(it->second.front(), *st);
  }

  if (!entry.loose_pkl) {
    for (const auto& n : names) {
      if (IsIgnoredName(n) || IsOwnFile(n) || n == obs.pkl_name)
        continue;
      if (listed_lower.contains(AsciiLower(n)))
        continue;
      obs.unlisted.push_back(n);
    }
  }

  std::sort(counted.begin(), counted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, st] : counted) {
    obs.fingerprint += name + ":" + std::to_string(st.st_size) + ":" + std::to_string(MtimeNs(st)) +
                       ":" + std::to_string(st.st_ino) + "\n";
  }
  for (const auto& m : obs.missing)
    obs.fingerprint += "missing:" + m + "\n";
  if (any_mtime)
    obs.newest_mtime = newest;
  return obs;
}

}  // namespace ccm::daemon
