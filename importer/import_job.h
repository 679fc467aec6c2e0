// import_job.h — one whole import of a file set, in named steps:
//   validate   scan the whole set; the users and the in-memory Q194218 fix
//   plan       resolve every user against the directory and decide (policy may refuse)
//   guard      the mass-change guard
//   apply      the directory changes (journal first)
//   deliver    every converted/delivered/created user's messages, then public folders
//   conclude   the named outcome
// Used by `ccmigrate import` and by the daemon's set processor; `ccmigrate plan` runs the
// first two steps through PrepareImport, so that what it prints is what `import` applies.
//
// Inputs: ImportJobOptions (from the configuration and the command line) and a DirectoryAccess,
// the directory half (planning and applying against LDAP; LdapDirectoryAccess in
// ldap_directory_access.h is the real one). Outputs: an ImportReport, the Maildir files under
// [mailstore] root (and public_root), and whatever the directory half writes into
// `output_dir` (journal.ldif, audit.ldif).
//
// Outcomes (named, never inferred later):
//   done                every user handled, no warnings
//   done-with-warnings  finished; some user was skipped/in conflict (policy allowed it), a
//                       message could not be converted, or there are warnings
//   deferred            the directory was unreachable or busy, the mail store could not be
//                       written, or a file of the set could not be opened for now (out of
//                       descriptors): nothing is half-applied, a rerun finishes the job. The
//                       report's error_kind says whether a wait cures it (transient: out of
//                       descriptors, a locked mailbox) or a person must act (permanent: the
//                       store is full, read-only or refuses permission; ccm/io_failure.h)
//   refused             invalid set, conflicts under the reject policy, or the guard tripped;
//                       nothing was changed
//   interrupted         a stop was requested; stopped at a safe point (between messages, after
//                       a durable flush); a rerun finishes the job
// A rerun after any interruption is safe: converted users plan as `deliver`, and delivery skips
// every message whose identity is already in its folder (set_messages.h, maildir_store.h).
//
// Transliteration ([import] transliteration): users whose address is not ASCII are looked up by
// its ASCII spelling (transliteration.h); the report lists every name so spelled.
//
// Mass-change guard: when the plan converts or creates more entries than max_changes (0 = no
// limit) the job is refused before any change, unless `force`.
//
// Public folders: PublicMessages sections go into a Maildir++ store named "PublicMessages"
// under public_root when one is configured (folders from the Folder column), otherwise they are
// reported as skipped with the reason.
//
// Address books: each PAB section of a user who receives mail arrives in their Inbox as one
// message carrying the book as a vCard file (address_book_message.h), before their mail; a
// rerun finds it and delivers no second one.
//
// Addresses: after the directory part and before delivery, the distinct cc:Mail addresses of
// the mail and books to deliver are collected (address_collection.h) and looked up in batches
// (DirectoryAccess::LookUpAddresses); every delivered header and book then names a person the
// directory knows by their SMTP address (address_translation.h). A lookup that fails
// transiently defers the job (the directory part is done; a rerun delivers). Messages an
// earlier run delivered keep the headers they were written with: a rerun never rewrites or
// redelivers them, even when the directory now knows more people.
//
// Delivery runs on `delivery_threads` workers ([mailstore] delivery_threads), each mailbox on
// one of them (parallel_delivery.h); a user's counts are still only those made durable.
//
// Progress: on a terminal (`progress_terminal`), one self-overwriting line with users and
// messages done and the message rate; otherwise a plain line every `progress_interval`.
//
// Diagnostics: every warning names the user's source address or the record (FILE.PRI:LINE).
// Test hooks: TEST_stop_after_directory / TEST_stop_after_messages end the job abruptly at that
// point as a kill would (queued, unsynced messages are discarded, nothing is reported
// delivered) so tests can prove that a rerun completes the job.
//
// Thread safety: RunImport is a blocking function; run one per set. The DirectoryAccess is used
// from the calling thread only; delivery workers are started and joined inside. `stop` may be
// set from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "importer/address_lookup.h"
#include "importer/directory_plan.h"
#include "importer/import_error.h"
#include "importer/import_report.h"
#include "importer/maildir_store.h"
#include "importer/source_time.h"
#include "importer/transliteration.h"
#include "parser/accounts_file.h"
#include "parser/reader_options.h"

namespace ccm::importer {

/// What applying the plan did for one user (index-aligned with DirectoryPlan::users).
struct AppliedUser {
  enum class Status { kApplied, kUnchanged, kFailed };
  Status status = Status::kUnchanged;
  std::string message;  ///< why it failed (assertion failed, entry changed...), names the DN
};

/// What applying the plan did.
struct DirectoryApplication {
  std::vector<AppliedUser> users;  ///< one per plan user, same order
};

/// The directory half of an import.
class DirectoryAccess {
 public:
  virtual ~DirectoryAccess() = default;
  /// Resolves and decides every user (pure decisions over what the directory says). The plan
  /// takes the users (UserPlan::user).
  virtual Result<DirectoryPlan, ImportError> Plan(std::vector<MigratingUser> users) = 0;
  /// Applies the plan's changes, journaling each prior entry into `output_dir` first. A
  /// transient failure means: stop, nothing is half-applied, rerun later.
  virtual Result<DirectoryApplication, ImportError> Apply(
      const DirectoryPlan& plan, const std::filesystem::path& output_dir) = 0;
  /// Who the cc:Mail addresses of the set's mail and address books are (address_lookup.h):
  /// one answer per address, same order. A directory half that cannot look people up (the
  /// tests' in-memory ones) knows no one, and every address stays in its lossless form.
  virtual Result<std::vector<AddressAnswer>, ImportError> LookUpAddresses(
      const std::vector<std::string>& addresses) {
    return std::vector<AddressAnswer>(addresses.size(),
                                      AddressAnswer{std::nullopt, "no directory lookup"});
  }
};

/// Everything a job needs besides the directory.
struct ImportJobOptions {
  std::filesystem::path pkl_path;             ///< the set's packing list
  std::filesystem::path output_dir;           ///< report, journal and audit go here
  bool force = false;                         ///< import --force: skip the mass-change guard
  std::int64_t max_changes = 500;             ///< [import] max_changes; 0 = no limit
  PlanPolicy policy;                          ///< [import] on_not_found / on_conflict
  parser::ReaderOptions reader;               ///< lenient ([import] lenient) and limits
  std::vector<parser::AccountLine> accounts;  ///< [import] accounts_file, read
  std::string accounts_file;
  std::vector<std::string> caller_files;   ///< names in the set's folder that are not the set's
  TimeZone source_zone = TimeZone::Utc();  ///< [import] source_timezone
  /// [import] transliteration (and transliteration_table); nullopt = off.
  std::optional<Transliteration> transliteration;
  MaildirOptions mailstore;               ///< [mailstore] root, sync_batch
  std::size_t delivery_threads = 2;       ///< [mailstore] delivery_threads (>= 1)
  std::filesystem::path public_root;      ///< [mailstore] public_root; empty = skip public
  std::ostream* progress = nullptr;       ///< where progress goes (nullptr: none)
  std::string progress_label = "import";  ///< progress lines start "<label>: " (e.g. set id)
  bool progress_terminal = false;         ///< a terminal: overwrite one line
  std::chrono::seconds progress_interval{10};
  const std::atomic<bool>* stop = nullptr;                ///< set to stop at the next safe point
  bool TEST_stop_after_directory = false;                 ///< tests: end abruptly after apply
  std::optional<std::uint64_t> TEST_stop_after_messages;  ///< tests: end abruptly after N
};

/// How a job ended.
struct ImportResult {
  ImportReport report;       ///< report.outcome names the ending
  bool interrupted = false;  ///< a stop request (or a TEST_ hook) ended it early
};

/// Runs one import; see the file comment. Never throws for bad input.
ImportResult RunImport(const ImportJobOptions& options, DirectoryAccess& directory);

/// What an import would do, as far as its directory plan.
struct PlannedImport {
  /// The report after validation and planning: outcome refused (invalid set, policy),
  /// deferred (directory unreachable), or done / done-with-warnings as the import would end
  /// if every change and message succeeded. Nothing applied, nothing delivered.
  ImportReport report;
  /// The plan `import` would apply (also when the policy refuses it); none when validation or
  /// planning failed.
  std::optional<DirectoryPlan> plan;
};

/// The first steps of RunImport, the very same ones (validate, users and the in-memory fix,
/// resolve, plan), without the guard, apply or delivery: what `ccmigrate plan` prints.
PlannedImport PrepareImport(const ImportJobOptions& options, DirectoryAccess& directory);

/// True when the plan converts or creates more entries than max_changes (0 = no limit).
bool MassChangeGuardTrips(const DirectoryPlan& plan, std::int64_t max_changes);

}  // namespace ccm::importer
