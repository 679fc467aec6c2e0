// atomic_file.h — the one way ccmigrate replaces a file: write a temporary file next to it, then
// rename it over the final name, so that a reader sees the old file or the new one, never a part.
// Used for the spool's report.json, reason.txt, retry.json and status.json, the import report and
// the files `fix` writes.
//
// Security stance: everything is relative to a directory fd; the name must be a bare file name
// (no '/', not "." or ".."). The temporary file is created with O_EXCL|O_NOFOLLOW (a symlink
// planted under its name is never followed) and O_NONBLOCK (a FIFO under that name fails instead
// of blocking); a stale temporary file of a writer killed earlier is removed first. So there is
// one writer per name at a time: callers serialise writers of the same file.
//
// Durability: kSynced fsyncs the file before the rename and the directory after it (the new
// content survives a crash once Commit returns); kFileSynced leaves the directory to the caller
// (who syncs it once after several files); kUnsynced is for advisory state (status.json).
//
// Crash residue: a process killed between create and rename leaves TemporaryNameFor(name) behind;
// the next write of the same name removes it, and the spool lists these names as its own so that
// a resumed set does not take them for files of the set.
//
// Diagnostics: FileError (errno, and a message naming the operation and the file as `shown_dir`
// / name). Thread safety: an AtomicFile is externally synchronized; the functions are reentrant.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "ccm/file_error.h"
#include "ccm/result.h"
#include "ccm/unique_fd.h"

namespace ccm {

/// How far a committed file is on disk when Commit returns.
enum class Durability {
  kSynced,      ///< file and directory fsync'ed
  kFileSynced,  ///< file fsync'ed; the caller syncs the directory
  kUnsynced,    ///< no fsync: advisory state
};

/// How an atomic file is written.
struct AtomicFileOptions {
  mode_t mode = 0640;
  Durability durability = Durability::kSynced;
  /// The directory as the user knows it, for messages ("" names the file alone).
  std::filesystem::path shown_dir;
};

/// The temporary name a file called `name` is written under: ".<name>.tmp".
std::string TemporaryNameFor(std::string_view name);

/// A file being written under its temporary name; Commit renames it into place. Destroying an
/// uncommitted AtomicFile removes the temporary file.
class AtomicFile {
 public:
  /// Creates dir_fd/TemporaryNameFor(name) for writing.
  static Result<AtomicFile, FileError> Create(int dir_fd, std::string name,
                                              AtomicFileOptions options = {});

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  /// Appends `bytes` to the file.
  Result<void, FileError> Append(std::string_view bytes);
  /// Syncs as the options say, closes, and renames the file over `name`.
  Result<void, FileError> Commit();

 private:
  AtomicFile(int dir_fd, std::string name, AtomicFileOptions options, UniqueFd fd);
  FileError ErrorOf(std::string_view operation, int code) const;
  void Discard();

  int dir_fd_;
  std::string name_;
  std::string temporary_;
  AtomicFileOptions options_;
  UniqueFd fd_;
  bool done_ = false;
};

/// Writes `content` as dir_fd/name atomically (AtomicFile::Create, Append, Commit).
Result<void, FileError> WriteFileAtomically(int dir_fd, const std::string& name,
                                            std::string_view content,
                                            const AtomicFileOptions& options = {});

}  // namespace ccm
