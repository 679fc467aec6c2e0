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
// Authentication: a new journal starts with a header line; the header and every batch end with
// a tag line `# ccmigrate-tag: <HMAC-SHA256 hex>`, the tag over the bytes since the previous tag
// line, chained to the previous tag (journal_key.h). ReadJournal refuses the whole journal when
// a tag does not match, a tag is missing, or bytes follow the last tag: so a journal that was
// written by hand, had a value changed, or had a record added, removed or moved is never
// applied. Not covered: cutting whole batches off the end (rollback then undoes fewer changes,
// never a change ccmigrate did not journal), replaying another authentic journal (its changes
// are ccmigrate's own), and anyone who can read the key (the service user and root).
// Journal::Open verifies an existing journal before appending to it: one that fails is refused
// (kPermanent); a tail after the last tag, left by a batch a crash cut short before it was sent,
// is cut off.
//
// Security: files are created 0600 (they hold directory data), opened O_CLOEXEC|O_NOFOLLOW|
// O_NONBLOCK and must be regular files with one link; the parent directory is fsync'd when a
// file is created.
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
#include "importer/journal_key.h"
#include "ldap/entry.h"

namespace ccm::importer {

/// The journal and audit files of one import.
class Journal {
 public:
  /// Opens (creating if needed) both files for appending; an existing journal must verify
  /// under `key`.
  static Result<std::unique_ptr<Journal>, ImportError> Open(std::filesystem::path journal_path,
                                                            std::filesystem::path audit_path,
                                                            const JournalKey& key);
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
          int audit_fd, const JournalKey& key, std::string last_tag);
  Result<void, ImportError> AppendTagged(std::string text);
  Result<void, ImportError> Append(int fd, const std::string& text,
                                   const std::filesystem::path& path, bool sync);

  std::filesystem::path journal_path_;
  std::filesystem::path audit_path_;
  int journal_fd_ = -1;
  int audit_fd_ = -1;
  JournalKey key_;
  std::string last_tag_;  ///< the tag that ends the journal so far
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

/// Reads a journal back: every (prior, change) pair in file order, after checking every tag
/// under `key`. Fails with kPermanent (the file is damaged, not authentic or not a ccmigrate
/// journal, naming the line) or kConfiguration (cannot be opened).
Result<std::vector<JournalRecord>, ImportError> ReadJournal(const std::filesystem::path& path,
                                                            const JournalKey& key);

/// How much of a journal's text its tags cover, and the last tag.
struct VerifiedJournal {
  std::size_t length = 0;  ///< bytes up to and including the last tag line
  std::string last_tag;    ///< "" when there is no tag
};

/// Checks the tags of journal text (pure; `name` prefixes messages). Fails with the line of the
/// first tag that does not match, or when the text does not start with a journal header.
Result<VerifiedJournal, std::string> VerifyJournalText(std::string_view text, const JournalKey& key,
                                                       const std::string& name);

/// "2026-11-25T02:10:21Z" (UTC, for journal and audit comments).
std::string UtcTimestamp();

}  // namespace ccm::importer
