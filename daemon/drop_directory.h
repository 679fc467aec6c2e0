// drop_directory.h — the spool on disk: incoming/ active/ done/ deferred/ failed/ under
// [drop] dir, and every move of a set between them.
//
// Life cycle: a set arrives in incoming/ as a folder holding one .pkl (renamed in: the
// recommended way) or as loose files with the .pkl written last. Loose sets are first gathered
// into a folder: the .pkl moves into a hidden `incoming/.gather.<PKL>/`, then each listed file,
// then the folder is renamed to the .pkl's stem (HQPO.PKL -> incoming/HQPO/, made unique with
// -2, -3 ...). An interrupted gathering is finished by the next scan. A ready folder is claimed
// by one rename into active/<set-id>/ (set id = folder name, made unique across the state
// folders with -2, -3 ...) and ends, after processing, by one rename into exactly one of done/,
// deferred/ or failed/, keeping its folder and .pkl names; report.json (and reason.txt for
// failed/, retry.json for deferred/) is written inside it first.
//
// Two processes on one spool: a set is locked (flock on its directory fd) before it is renamed
// and for as long as it is worked on; a claim that finds the set locked or gone has lost a race
// and returns nullopt, not an error. A set in active/ that no process holds locked is an orphan
// of a crash and is resumed.
//
// Security: everything goes through directory fds (openat/renameat2/fstatat); symlinks are never
// followed; only regular files and directories count; dot-files and temp names (`.*`, `*.tmp`,
// `*~`, `*.part`) are never picked up. Nothing is opened for reading except the .pkl (by the
// ListedFilesFn, through /proc/self/fd/N of the already opened folder); FIFOs and devices are
// only ever fstatat'ed, so they cannot block. A set folder with a link, FIFO, device, bad
// listed name or over max_set_bytes is reported hostile (the service refuses it to failed/);
// anything else odd in incoming/ is returned as ignored (the service logs it) and left alone.
// A set folder that holds a name the spool or the import writes (ReservedSetNames), whose name
// is longer than kMaxSetNameBytes, or whose packing list lists more than max_listed_files
// names is refused at once; a refused set reaches failed/ even when its own report.json name is
// taken by something we cannot replace (the reason then stays in the log and status.json).
// Our own files in a set folder: report.json, reason.txt, retry.json (written by ccm/atomic_file.h:
// a dot temp file and a rename, O_NOFOLLOW|O_NONBLOCK).
//
// Thread safety: a DropDirectory is externally synchronized; ClaimedSet is a move-only value.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ccm/atomic_file.h"
#include "ccm/file_error.h"
#include "ccm/result.h"
#include "ccm/unique_fd.h"
#include "daemon/listed_files.h"
#include "daemon/retry_schedule.h"
#include "daemon/set_readiness.h"
#include "daemon/spool_fs.h"

namespace ccm::daemon {

/// The files the spool itself writes into a set's folder (never part of the set), with the
/// temporary names they are written under: a daemon killed mid-write leaves one behind, and the
/// resumed import must not take it for an unlisted file of the set.
inline const std::vector<std::string>& SpoolFileNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const std::string name : {"report.json", "reason.txt", kRetryFileName}) {
      all.push_back(name);
      all.push_back(TemporaryNameFor(name));
    }
    return all;
  }();
  return names;
}

/// Names the spool or an import writes into a set's folder: a set that arrives holding one of
/// them (in any case) is refused, so that nothing an operator brings becomes ccmigrate's state.
inline const std::vector<std::string>& ReservedSetNames() {
  static const std::vector<std::string> names = {"report.json", "reason.txt", kRetryFileName,
                                                 "ccmigrate-import"};
  return names;
}

/// The longest set folder or loose packing-list name the spool takes (bytes). Longer names are
/// refused (folders) or left alone (loose files): the spool's own names add a prefix or a
/// suffix to them, which must stay within the file system's 255 bytes.
inline constexpr std::size_t kMaxSetNameBytes = 200;

/// The most files a packing list may list before the set is refused ([drop] max_listed_files).
inline constexpr std::size_t kDefaultMaxListedFiles = 65536;

/// A failed spool operation; the message names the operation, the path and errno's text.
struct DropError {
  std::string message;
};

/// A failed file operation (listing, atomic write) in the spool, as a DropError.
inline DropError DropErrorOf(FileError error) {
  return DropError{std::move(error.message)};
}

using ccm::UniqueFd;

/// Where a claimed set came from.
enum class ClaimOrigin { kIncoming, kDeferred, kResumed };

/// The final places of a set.
enum class FinalPlace { kDone, kDeferred, kFailed };

/// A set in active/, locked by this process until it is finished.
class ClaimedSet {
 public:
  /// The set id: its folder name in active/ (and, normally, in done/ deferred/ failed/).
  const std::string& id() const { return id_; }
  /// <spool>/active/<id>
  const std::filesystem::path& dir() const { return dir_; }
  /// The set folder's fd (opened O_DIRECTORY|O_NOFOLLOW, holds the flock).
  int dir_fd() const { return fd_.get(); }
  /// The .pkl's name inside the folder; empty when the folder holds none.
  const std::string& pkl_name() const { return pkl_name_; }
  /// dir()/pkl_name()
  std::filesystem::path pkl_path() const { return dir_ / pkl_name_; }
  ClaimOrigin origin() const { return origin_; }
  /// How often the set was deferred before (from retry.json; 0 when none).
  int previous_attempts() const { return previous_attempts_; }
  /// When the set was first deferred (from retry.json); nullopt when never, or not recorded.
  const std::optional<std::chrono::system_clock::time_point>& first_deferred() const {
    return first_deferred_;
  }
  /// For a set resumed from active/: the reason it was refused with before (its reason.txt),
  /// when a crash or a failed move kept it from reaching failed/. Such a set is never imported.
  const std::optional<std::string>& refused_before() const { return refused_before_; }

 private:
  friend class DropDirectory;
  std::string id_;
  std::filesystem::path dir_;
  UniqueFd fd_;
  std::string pkl_name_;
  ClaimOrigin origin_ = ClaimOrigin::kIncoming;
  int previous_attempts_ = 0;
  std::optional<std::chrono::system_clock::time_point> first_deferred_;
  std::optional<std::string> refused_before_;
};

/// A candidate in incoming/.
struct IncomingEntry {
  std::string name;        ///< folder name, or the loose .pkl's name
  bool loose_pkl = false;  ///< a .pkl lying directly in incoming/
};

/// Something in incoming/ that is not a candidate and is left alone.
struct IgnoredEntry {
  std::string name;
  std::string why;
};

/// A set waiting in deferred/.
struct DeferredSet {
  std::string name;
  RetryState retry;  ///< attempts 0 and due now when retry.json is missing or unreadable
};

/// How many sets sit in each folder.
struct SpoolCounts {
  std::size_t incoming = 0, active = 0, done = 0, deferred = 0, failed = 0;
};

/// The spool. Open() creates the layout; every other call works on directory fds.
class DropDirectory {
 public:
  /// Opens (creating if missing) the spool and sets its folders' modes: root 0750, incoming/
  /// 03770 (setgid, sticky), active/ 0700, done/ deferred/ failed/ 0750.
  static Result<DropDirectory, DropError> Open(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  /// Sets the packing-list cap (default kDefaultMaxListedFiles).
  void set_max_listed_files(std::size_t limit) { max_listed_files_ = limit; }

  /// Candidates in incoming/ (set folders and loose .pkl files), in name order; `ignored`
  /// (optional) receives entries that are neither (links, FIFOs, devices, stray files). An error
  /// when incoming/ cannot be listed.
  Result<std::vector<IncomingEntry>, DropError> ListIncoming(
      std::vector<IgnoredEntry>* ignored = nullptr) const;
  /// What a candidate looks like now; nullopt when it vanished, or when its folder cannot be
  /// listed right now (it is looked at again on the next scan).
  std::optional<SetObservation> Observe(const IncomingEntry& entry,
                                        const ListedFilesFn& listed_files) const;
  /// Moves a loose set (its .pkl and the listed files present in incoming/) into a new folder
  /// in incoming/; returns that folder's name, or nullopt when another process got there first.
  Result<std::optional<std::string>, DropError> GatherLooseSet(const std::string& pkl_name,
                                                               const ListedFilesFn& listed_files);
  /// Finishes gatherings interrupted by a crash; returns the folders placed.
  Result<std::vector<std::string>, DropError> RecoverGatherings(const ListedFilesFn& listed_files);

  /// Claims incoming/<name> into active/; nullopt when another process won the race.
  Result<std::optional<ClaimedSet>, DropError> ClaimIncoming(const std::string& name);
  /// Claims deferred/<name> into active/ for another attempt; nullopt when lost a race.
  Result<std::optional<ClaimedSet>, DropError> ClaimDeferred(const std::string& name);
  /// Takes over active/<name> if no process holds it (a crash left it); nullopt otherwise.
  Result<std::optional<ClaimedSet>, DropError> ResumeActive(const std::string& name);

  /// Folder names in active/.
  Result<std::vector<std::string>, DropError> ListActive() const;
  /// Sets in deferred/ with their retry state.
  Result<std::vector<DeferredSet>, DropError> ListDeferred() const;
  /// Sets per folder.
  Result<SpoolCounts, DropError> Count() const;

  /// Writes report.json (and reason.txt for kFailed, retry.json for kDeferred) into the set and
  /// renames it into the final place; returns the path it ended at. The set is unlocked after.
  Result<std::filesystem::path, DropError> Finish(ClaimedSet set, FinalPlace place,
                                                  const std::string& report_json,
                                                  const std::string& reason,
                                                  const RetryState* retry = nullptr);

  /// Writes `content` to root()/<name> atomically (temp file, rename; no fsync: advisory).
  Result<void, DropError> WriteSpoolFile(const std::string& name, const std::string& content);

 private:
  DropDirectory() = default;
  Result<std::optional<ClaimedSet>, DropError> ClaimFrom(int from_fd, const char* from_label,
                                                         const std::string& name,
                                                         ClaimOrigin origin);
  std::string UniqueId(const std::string& name, int source_fd) const;
  int StateFd(FinalPlace place) const;

  std::filesystem::path root_;
  UniqueFd root_fd_, incoming_, active_, done_, deferred_, failed_;
  std::size_t max_listed_files_ = kDefaultMaxListedFiles;
};

/// True for names the spool never picks up: `.*`, `*.tmp`, `*~`, `*.part`.
bool IsIgnoredName(const std::string& name);
/// True for a `*.pkl` name (any case).
bool IsPackingListName(const std::string& name);
/// `name` with control bytes and non-ASCII shown as \xNN, for log lines.
std::string PrintableName(const std::string& name);

}  // namespace ccm::daemon
