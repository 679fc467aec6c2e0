// directory_rollback.h — undoes an import's directory changes from its journal (journal.h):
// `ccmigrate rollback JOURNAL`.
//
// Journaled changes are undone newest first, one modify per change, each the exact inverse of
// the journaled modify (every added value deleted, every deleted value added back, in reverse
// order), so attributes someone else changed meanwhile are left alone. Each modify carries an
// assertion that the entry is still what the import made of it: every value the change added
// is present and every value it deleted is absent. When that assertion fails (rc 122) the entry
// is read back: if it already holds the prior values it is reported as already restored (a
// second rollback, or a change that was journaled but never applied because of a crash);
// otherwise it was changed by someone else since, and it is reported and NOT touched.
// Entries the import created (`create`) are reported, not deleted.
//
// Rollback restores directory state only: delivered mail stays in the mail store.
//
// Thread safety: call on the thread that runs the client's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"
#include "importer/import_error.h"
#include "importer/journal.h"
#include "ldap/client.h"

namespace ccm::importer {

/// What rollback did for one journaled change.
enum class RollbackStatus { kRestored, kAlreadyRestored, kChangedSince, kCreatedKept, kFailed };

/// "restored", "already-restored", "changed-since", "created-kept", "failed".
std::string_view RollbackStatusName(RollbackStatus status);

/// One journaled change's outcome.
struct RollbackEntryResult {
  std::string dn;
  std::size_t journal_line = 0;
  RollbackStatus status = RollbackStatus::kFailed;
  std::string message;
};

/// The outcome of a rollback, newest change first.
struct RollbackResult {
  std::vector<RollbackEntryResult> entries;
  std::size_t Count(RollbackStatus status) const;
};

/// The inverse of a journaled modify and its "still what we made" assertion.
struct InverseChange {
  std::vector<ldap::Modification> modifications;
  ldap::Filter still_ours;  ///< all added values present, all deleted values absent
};

/// Computes the inverse of `record`; fails for a change rollback cannot invert exactly
/// (replace, or delete without values — ccmigrate never journals those).
Result<InverseChange, std::string> InverseOf(const JournalRecord& record);

/// Checks that every record stays inside what ccmigrate manages: its DN is `base_dn` or under
/// it, and its change touches only ccmigrate's attributes (objectClass values ccmCustomRecipient
/// and ccmMailbox, ccmTargetAddress, ccmMailboxHome, ccmMailStore, ccmProxyAddress). The error
/// names the journal line and what is outside; rollback then applies nothing.
Result<void, std::string> CheckRollbackScope(const std::vector<JournalRecord>& records,
                                             std::string_view base_dn);

/// Rolls back every change in `records` (as ReadJournal returns them). Fails only on a
/// transient LDAP error (kTransient: rerun later; what was done so far stays done) or a
/// configuration error (bind refused).
Result<RollbackResult, ImportError> Rollback(boost::asio::io_context& io, ldap::Client& client,
                                             const std::vector<JournalRecord>& records);

}  // namespace ccm::importer
