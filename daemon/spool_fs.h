// spool_fs.h — the few directory-fd system calls the spool is built from, as small functions
// that never follow symlinks: listing a directory, lstat-style stat, renaming without
// replacing, writing a file atomically (and the temporary name it writes under). Internal to
// daemon/.
//
// Diagnostics: functions return errno values (0 = success) or DropError messages naming the
// operation and the file. Thread safety: reentrant.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::daemon::spool_fs {

/// Names in the directory `dir_fd` (without "." and ".."); empty on error.
std::vector<std::string> ListNames(int dir_fd);
/// fstatat(AT_SYMLINK_NOFOLLOW); nullopt when absent or unreadable.
std::optional<struct stat> StatNoFollow(int dir_fd, const std::string& name);
/// renameat2(RENAME_NOREPLACE); returns 0 or errno (EEXIST when the target exists).
int RenameNoReplace(int from_dir, const std::string& from, int to_dir, const std::string& to);
/// Opens a subdirectory without following links; -1 and errno on failure.
int OpenDirNoFollow(int dir_fd, const std::string& name);
/// The temporary name WriteFileAtomic writes `name` under before renaming it into place. A
/// process killed between the two leaves it behind.
inline std::string TemporaryNameFor(const std::string& name) {
  return "." + name + ".tmp";
}
/// Writes `content` to dir_fd/name through TemporaryNameFor(name) (fsync'ed when `durable`) and
/// a rename. Returns errno or 0.
int WriteFileAtomic(int dir_fd, const std::string& name, const std::string& content,
                    bool durable = true);
/// Reads at most `limit` bytes of a regular file without following links or blocking.
std::optional<std::string> ReadSmallFile(int dir_fd, const std::string& name, std::size_t limit);

}  // namespace ccm::daemon::spool_fs
