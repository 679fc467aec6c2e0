// journal.h — the import's undo and audit trail: two append-only LDIF
// files whose paths the caller chooses (the job keeps them beside the set's report).
//
// journal.ldif, written BEFORE a batch of changes is sent and fsync'd: for each user, a comment
// line (time, decision, source address), the entry's full prior state as a content record (for
// `create`, none), then the change about to be applied as a change record (modify or add; the
// assertion is described in a comment, since controls are not part of a journal). Rollback
// reads these pairs back (ReadJournal) and applies the exact inverse of each change.
// audit.ldif, appended AFTER each batch's changes succeeded: the applied change records, each
// under a comment with the time and the user. It is a record, not a safety device (the journal
// is), so it is fsync'd once at the end of an apply run (Journal::SyncAudit) and when the
// Journal is destroyed, not per batch.
//
// A crash between journal and modify leaves a journaled change that never happened; rollback
// recognises that (the entry still has its prior state) and reports it as already in place.
// Reruns append to the same files; ReadJournal returns every pair in file order. A batch torn
// by a crash during its journal write (never sent) leaves prior states without changes; they are
// skipped, and each new batch starts with an empty line so it never merges into a torn record.
//
// Security: files are created 0600 (they hold directory data), opened O_APPEND|O_CLOEXEC|
// O_NOFOLLOW; the parent directory is fsync'd when a file is created.
//
// Thread safety: a Journal is externally synchronized.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "importer/directory_plan.h"
#include "importer/import_error.h"
#include "ldap/entry.h"

namespace ccm::importer {

/// The journal and audit files of one import.
class Journal {
 public:
  /// Opens (creating if needed) both files for appending.
  static Result<std::unique_ptr<Journal>, ImportError> Open(std::filesystem::path journal_path,
                                                            std::filesystem::path audit_path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Appends the prior entries and intended changes of `users` (each must carry a change) to
  /// the journal and fsyncs it. Nothing may be sent before this returned ok.
  Result<void, ImportError> RecordIntents(const std::vector<const UserPlan*>& users);
  /// Appends the changes of `users`, which the server accepted, to the audit file.
  Result<void, ImportError> RecordApplied(const std::vector<const UserPlan*>& users);
  /// Makes the audit file durable (fsync).
  Result<void, ImportError> SyncAudit();

  const std::filesystem::path& journal_path() const { return journal_path_; }
  const std::filesystem::path& audit_path() const { return audit_path_; }

 private:
  Journal(std::filesystem::path journal_path, std::filesystem::path audit_path, int journal_fd,
          int audit_fd);
  Result<void, ImportError> Append(int fd, const std::string& text,
                                   const std::filesystem::path& path, bool sync);

  std::filesystem::path journal_path_;
  std::filesystem::path audit_path_;
  int journal_fd_ = -1;
  int audit_fd_ = -1;
};

/// One journaled change as rollback needs it.
struct JournalRecord {
  /// The entry before the change; nullopt for `create` (the entry did not exist).
  std::optional<ldap::Entry> prior;
  /// The DN the change was made to.
  std::string dn;
  /// The modify that was (or was about to be) applied; empty for `create`.
  std::vector<ldap::Modification> modifications;
  /// True when the change was an add (create).
  bool was_add = false;
  /// Line of the change record in the journal (1-based), for messages.
  std::size_t line = 0;
};

/// Reads a journal back: every (prior, change) pair in file order. Fails with kPermanent (the
/// file is damaged or not a ccmigrate journal, naming the line) or kConfiguration (cannot be
/// opened).
Result<std::vector<JournalRecord>, ImportError> ReadJournal(const std::filesystem::path& path);

/// "2026-11-25T02:10:21Z" (UTC, for journal and audit comments).
std::string UtcTimestamp();

}  // namespace ccm::importer
