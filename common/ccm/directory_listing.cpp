// directory_listing.cpp — readdir over a private fd of the directory. See directory_listing.h.
#include "ccm/directory_listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ccm {
namespace {

EntryType TypeOf(unsigned char d_type) {
  switch (d_type) {
    case DT_REG:
      return EntryType::kRegular;
    case DT_DIR:
      return EntryType::kDirectory;
    case DT_LNK:
      return EntryType::kSymlink;
    case DT_UNKNOWN:
      return EntryType::kUnknown;
    default:
      return EntryType::kOther;
  }
}

}  // namespace

Result<std::vector<DirectoryEntry>, FileError> ListDirectory(int dir_fd,
                                                             const std::filesystem::path& shown) {
  const int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Fail(FileError::Of("list", shown.string(), errno));
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    const int err = errno;
    ::close(fd);
    return Fail(FileError::Of("list", shown.string(), err));
  }
  std::vector<DirectoryEntry> entries;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr)
      break;
    const std::string_view name(entry->d_name);
    if (name != "." && name != "..")
      entries.push_back({std::string(name), TypeOf(entry->d_type)});
  }
  const int err = errno;
  ::closedir(dir);
  if (err != 0)
    return Fail(FileError::Of("list", shown.string(), err));
  std::sort(entries.begin(), entries.end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) { return a.name < b.name; });
  return entries;
}

Result<std::vector<std::string>, FileError> ListNames(int dir_fd,
                                                      const std::filesystem::path& shown) {
  auto entries = ListDirectory(dir_fd, shown);
  if (!entries)
    return Fail(std::move(entries.error()));
  std::vector<std::string> names;
  names.reserve(entries->size());
  for (auto& entry : *entries)
    names.push_back(std::move(entry.name));
  return names;
}

}  // namespace ccm
