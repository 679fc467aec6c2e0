// directory_listing.h — the one directory lister of the tree: the names in a directory, read
// through its fd, sorted, without "." and "..". Used by the spool (incoming/, set folders,
// active/, deferred/), the file-set reader, the mail store and `fix`.
//
// The listing opens "." relative to the given fd, so the caller's fd (and its file offset) is
// left alone and the same fd can be listed again. An entry's type is what the directory reports
// (d_type): a hint for skipping, never a security decision — stat or open with O_NOFOLLOW what
// is to be trusted, since the entry can change after the listing.
//
// Diagnostics: FileError ("cannot list <shown>: <strerror>") on open or read errors; a listing
// never silently comes back short. Thread safety: reentrant.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ccm/file_error.h"
#include "ccm/result.h"

namespace ccm {

/// What the directory says an entry is.
enum class EntryType { kUnknown, kRegular, kDirectory, kSymlink, kOther };

/// One name in a directory.
struct DirectoryEntry {
  std::string name;
  EntryType type = EntryType::kUnknown;
};

/// The entries of the directory `dir_fd`, sorted by name; `shown` names it in errors.
Result<std::vector<DirectoryEntry>, FileError> ListDirectory(int dir_fd,
                                                             const std::filesystem::path& shown);

/// The names of ListDirectory's entries.
Result<std::vector<std::string>, FileError> ListNames(int dir_fd,
                                                      const std::filesystem::path& shown);

}  // namespace ccm
