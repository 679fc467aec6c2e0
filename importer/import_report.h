// import_report.h — what one import did, as data, and its two renderings: report.json (for
// scripts, the daemon's done/ and failed/ folders) and a short human summary (stdout).
//
// report.json (keys are stable; scripts rely on them):
//   {"ccmigrate_report": 1, "set": PATH, "outcome": "done"|"done-with-warnings"|"deferred"|
//    "refused"|"interrupted", "reason": TEXT, "source_timezone": NAME, "code_page": N,
//    "error_kind": "transient"|"permanent"|"configuration" (only when an error ended the run),
//    "totals": {"users", "convert", "deliver", "create", "skip-not-found", "conflict",
//               "directory_changes_applied", "messages", "messages_delivered",
//               "messages_already_present", "messages_failed", "address_books",
//               "address_books_delivered", "address_books_already_present",
//               "addresses_translated", "addresses_untranslated", "warnings"},
//    "timings_ms": {"validate", "plan", "apply", "deliver", "total", "addresses"},
//                  (integer milliseconds; "addresses": collecting and looking up the addresses
//                   of the mail to deliver, part of "deliver")
//    "users": [{"address", "decision", "dn", "mail_store", "reason", "directory": "applied"|
//               "unchanged"|"failed"|"not-applied", "messages", "messages_delivered",
//               "messages_already_present", "messages_failed", "address_books",
//               "address_books_delivered", "address_books_already_present",
//               "addresses_translated", "addresses_untranslated", "warnings": [..],
//               "notes": [..]}],
//    "synthesised_sections": [{"address", "file", "reason"}],     (the Q194218 fix)
//    "skipped_sections": [{"kind": "PublicMessages", "owner", "file", "line",
//                          "records", "reason"}],
//    "untranslated_addresses": [{"address", "reason"}], "untranslated_addresses_not_shown": N,
//    "transliterated": [{"address", "as"}],  (every user address spelled in ASCII for lookup)
//    "public": {"root", "messages_delivered", "messages_already_present"} (only when delivered)
//    "warnings": [..], "warnings_not_shown": N}
// "messages_delivered" counts what this run wrote durably; a rerun reports the earlier run's
// messages under "messages_already_present", so delivered + already_present = messages when
// nothing failed. "address_books" counts a user's PAB sections, each delivered as one message
// (address_book_message.h) and counted apart from "messages". "addresses_translated" and
// "addresses_untranslated" count address items (From, To, Cc, Bcc of the messages delivered now,
// and the addresses and list members of their address books) written as a directory person's
// SMTP address, and cc:Mail items written in their lossless form (address_translation.h);
// "untranslated_addresses" names distinct untranslated ones with the directory's reason, at
// most kMaxUntranslatedShown.
//
// Security: every string is escaped by ccm::JsonEscape (invalid UTF-8 becomes U+FFFD); export
// text reaches the summary only through the same neutralisation of control characters.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importer/directory_plan.h"
#include "importer/import_error.h"

namespace ccm::importer {

/// How an import ended (the daemon maps these onto its done/deferred/rejected folders; the
/// command line maps them onto exit codes).
enum class ImportOutcome { kDone, kDoneWithWarnings, kDeferred, kRefused, kInterrupted };

/// "done", "done-with-warnings", "deferred", "refused", "interrupted".
std::string_view ImportOutcomeName(ImportOutcome outcome);

/// What applying the plan did to one user's entry.
enum class DirectoryStatus { kNotApplied, kApplied, kUnchanged, kFailed };

/// "not-applied", "applied", "unchanged", "failed".
std::string_view DirectoryStatusName(DirectoryStatus status);

/// Which kind of section was validated but not delivered.
enum class SkippedKind { kPab, kPublicMessages };

/// "PAB", "PublicMessages".
std::string_view SkippedKindName(SkippedKind kind);

/// One user's line of the report.
struct UserReport {
  std::string address;  ///< source address, UTF-8
  Decision decision = Decision::kSkipNotFound;
  std::string dn;
  std::string mail_store;  ///< the Maildir key (convert/deliver/create)
  std::string reason;
  DirectoryStatus directory = DirectoryStatus::kNotApplied;
  std::uint64_t messages = 0;            ///< records in the user's MAILMESSAGE sections
  std::uint64_t messages_delivered = 0;  ///< written durably by this run
  std::uint64_t messages_already_present = 0;
  std::uint64_t messages_failed = 0;
  std::uint64_t address_books = 0;  ///< PAB sections owned by the user
  std::uint64_t address_books_delivered = 0;
  std::uint64_t address_books_already_present = 0;
  std::uint64_t addresses_translated = 0;
  std::uint64_t addresses_untranslated = 0;
  std::vector<std::string> warnings;
  /// Informational notes (UserPlan::notes): reported, but they do not make the run "done with
  /// warnings".
  std::vector<std::string> notes;

  /// Skipped, in conflict, its directory change failed, or a message was not delivered: the
  /// run cannot be "done" without warnings.
  bool Incomplete() const;
};

/// A MAILMESSAGE section the in-memory Q194218 fix supplied.
struct SynthesisedReport {
  std::string address;
  std::string file;  ///< where `ccmigrate fix` puts it
  std::string reason;
};

/// An address the directory gave no SMTP address for.
struct UntranslatedAddress {
  std::string address;  ///< `TYPE:addr`, or a bare display name
  std::string reason;   ///< "no entry", "2 entries", ...
};

/// A user address looked up by its ASCII spelling ([import] transliteration).
struct TransliteratedName {
  std::string address;  ///< as the set spells it, UTF-8
  std::string ascii;    ///< the spelling looked up
};

/// Untranslated addresses the report names at most.
inline constexpr std::size_t kMaxUntranslatedShown = 100;

/// A section that was parsed and validated but not delivered.
struct SkippedSection {
  SkippedKind kind = SkippedKind::kPab;
  std::string owner;
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t records = 0;  ///< messages (public) or entries and lists (PAB)
  std::string reason;
};

/// Seconds spent per phase.
struct ImportTimings {
  double validate = 0, plan = 0, apply = 0, deliver = 0, total = 0;
  double addresses = 0;  ///< part of deliver: address collection and lookup
};

/// The whole report.
struct ImportReport {
  std::string set;  ///< path of the packing list
  ImportOutcome outcome = ImportOutcome::kDone;
  std::string reason;  ///< one line; empty for a clean run
  /// The kind of the error that ended the run, when one did (deferred or refused by a failure
  /// rather than by a decision): lets a caller tell a configuration error from a bad set.
  std::optional<ImportErrorKind> error_kind;
  std::string source_timezone;
  int code_page = 0;
  std::vector<UserReport> users;
  std::vector<SynthesisedReport> synthesised;
  std::vector<SkippedSection> skipped_sections;
  std::vector<UntranslatedAddress> untranslated_addresses;  ///< at most kMaxUntranslatedShown
  std::vector<TransliteratedName> transliterated;           ///< every one
  std::uint64_t untranslated_addresses_not_shown = 0;
  std::string public_root;  ///< set when public sections were delivered
  std::string journal_dir;  ///< where journal.ldif and audit.ldif are ("" = not said)
  std::uint64_t public_delivered = 0, public_already_present = 0;
  std::uint64_t directory_changes_applied = 0;
  std::vector<std::string> warnings;  ///< set-level (validation warnings, public delivery)
  std::uint64_t warnings_not_shown = 0;
  ImportTimings timings;

  /// Messages delivered by this run over all users (public excluded).
  std::uint64_t MessagesDelivered() const;
  /// Warnings of the set plus every user's.
  std::uint64_t WarningCount() const;
};

/// Receives report.json's text piece by piece, in order.
using ReportTextSink = std::function<void(std::string_view piece)>;

/// Writes report.json's text (one object, newline-terminated) to `sink` in pieces of about
/// 64 KiB, so that a report of many users is never held whole.
void WriteReportJson(const ImportReport& report, const ReportTextSink& sink);

/// report.json's text, whole (WriteReportJson's pieces joined).
std::string RenderReportJson(const ImportReport& report);

/// The short human summary: outcome, counts by decision, messages, skipped and synthesised
/// sections, the first problems, timings.
std::string RenderReportSummary(const ImportReport& report);

}  // namespace ccm::importer
