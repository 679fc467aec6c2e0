// spool_fs.h — the few directory-fd system calls the spool is built from, as small functions
// that never follow symlinks: lstat-style stat, renaming without replacing, opening a
// subdirectory, reading a small file. Listing and atomic writes are common/'s
// (ccm/directory_listing.h, ccm/atomic_file.h). Internal to daemon/.
//
// Diagnostics: functions return errno values (0 = success) or nullopt; callers name the
// operation and the file. Thread safety: reentrant.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::daemon::spool_fs {

/// fstatat(AT_SYMLINK_NOFOLLOW); nullopt when absent or unreadable.
std::optional<struct stat> StatNoFollow(int dir_fd, const std::string& name);
/// renameat2(RENAME_NOREPLACE); returns 0 or errno (EEXIST when the target exists).
int RenameNoReplace(int from_dir, const std::string& from, int to_dir, const std::string& to);
/// Opens a subdirectory without following links; -1 and errno on failure.
int OpenDirNoFollow(int dir_fd, const std::string& name);
/// Reads at most `limit` bytes of a regular file without following links or blocking.
std::optional<std::string> ReadSmallFile(int dir_fd, const std::string& name, std::size_t limit);

}  // namespace ccm::daemon::spool_fs
