// file_set.h — whole-set validation and the streamed model of a file set, with the set's users
// (docs/file-format.md).
//
// ScanFileSet reads a packing list and every file it lists from one SetDirectory, in one
// streaming pass that opens each file once, and checks everything before anything is trusted: every
// listed file exists (names match case-insensitively, ambiguous matches are refused), is a bare
// name, opens as a regular file without following links; no name is listed twice; the set size
// stays within the limit; every primary file parses (sections, column headers, field counts, typed
// fields); every pointer names a listed secondary file and lands on a section header whose chain
// frames correctly; no two chains overlap. Listed secondary files no pointer references, and
// unlisted files in the directory, are warned about. Problems go to the sink (bounded); the scan
// itself fails only when the packing list is unusable.
//
// Memory is O(users + sections + gaps between chains): records are decoded one at a time,
// secondary data is skipped by length, never read, and the overlap check keeps merged intervals
// (ChainOverlapIndex), so back-to-back chains cost nothing per message.
//
// The result is what later stages need: the set's users (DIRECTORY mailbox records'
// migrate proxy, CCMAIL fallback with a warning, PAB owners, optional accounts file) with their
// DIRECTORY details, and an index of every section (file + byte offset + line) so that one
// section can be re-read later (MailMessageReader) without re-reading the set.
//
// Primary files are read on several threads (ScanOptions::threads) and their findings merged
// in listed order, so the outcome does not depend on the number of threads.
//
// Thread safety: ScanFileSet is a function; results are plain values. MailMessageReader is
// externally synchronized.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ccm/result.h"
#include "parser/accounts_file.h"
#include "parser/byte_source.h"
#include "parser/diagnostics.h"
#include "parser/packing_list.h"
#include "parser/primary_reader.h"
#include "parser/reader_options.h"
#include "parser/records.h"
#include "parser/secondary_reader.h"

namespace ccm::parser {

/// Where a user of the set comes from (the first place it was seen).
enum class UserOrigin { kDirectory, kPabOwner, kAccountsFile };
const char* UserOriginName(UserOrigin origin);

/// A user who is to be migrated.
struct User {
  std::string address;  ///< source address, original spelling, MIGRATE: stripped (code page)
  std::string key;      ///< NormalizeSourceAddress(address)
  UserOrigin origin = UserOrigin::kDirectory;
  std::string file;  ///< where it was first seen (accounts file: its path)
  std::uint64_t line = 0;
  bool has_directory_record = false;
  bool has_pab_section = false;
  bool has_mailmessage_section = false;
  std::string pab_file;  ///< primary file with the user's first PAB section, if any
  // From the DIRECTORY record, when there is one (code page bytes):
  std::string common_name;
  std::string display_name;
  std::string home_server;  ///< "~Server" is a placeholder for the configured home
  std::optional<bool> hide_from_address_book;
};

/// Counts for reports.
struct SetSummary {
  std::uint64_t directory_sections = 0;
  std::uint64_t pab_sections = 0;
  std::uint64_t mailmessage_sections = 0;  ///< including PublicMessages sections
  std::uint64_t public_sections = 0;
  std::uint64_t secondary_sections = 0;
  std::uint64_t directory_records = 0;
  std::uint64_t pab_entries = 0;
  std::uint64_t pab_dls = 0;
  std::uint64_t messages = 0;  ///< MAILMESSAGE records (a free document counts as a message)
  std::uint64_t attachments = 0;
  std::uint64_t documents = 0;
  std::uint64_t bytes = 0;  ///< sum of the listed files' sizes
};

/// A listed file resolved to its name in the directory.
struct SetFile {
  std::string listed_name;  ///< as in the packing list
  std::string disk_name;    ///< as in the directory
  FileType type = FileType::kPrimary;
  std::uint64_t size = 0;
  bool found = false;
  bool has_directory_section = false;  ///< primaries only
};

/// The outcome of a scan.
struct FileSetScan {
  std::string directory;  ///< display path
  PackingList packing_list;
  std::vector<SetFile> files;  ///< in listed order
  std::vector<User> users;     ///< the set's users, in discovery order
  /// Every section, in file order, with its record count; columns are left empty
  /// (SectionInfo::Place).
  std::vector<SectionInfo> sections;
  SetSummary summary;
  bool valid = false;  ///< no error was reported during the scan
  /// ASCII-lower-cased listed name -> position of its first listing in `files`; built at the end
  /// of ScanFileSet so that FindFile is not a linear search per section (a set has one primary
  /// and one secondary file per user). Empty for a hand-built scan: FindFile then searches.
  std::unordered_map<std::string, std::size_t> file_index;

  /// The listed file `name` resolves to (case-insensitive), or nullptr.
  const SetFile* FindFile(std::string_view name) const;
  /// Users without a MAILMESSAGE section (Q194218), in discovery order.
  std::vector<const User*> UsersMissingMailMessage() const;
};

/// Options of a scan.
struct ScanOptions {
  ReaderOptions reader;
  std::vector<AccountLine> accounts;  ///< optional accounts file
  std::string accounts_file;          ///< its name, for diagnostics
  /// Names in the set's directory that belong to the caller, not to the set (the drop spool's
  /// report.json, retry.json, reason.txt): compared case-insensitively, never warned about as
  /// unlisted files.
  std::vector<std::string> caller_files;
  /// Threads that read primary files at once; 0 = one per core, at most 4. The diagnostics,
  /// users and summary are the same for any number.
  std::size_t threads = 0;
};

/// Scans and validates the set whose packing list is `pkl_name` in `directory`.
Result<FileSetScan, Diagnostic> ScanFileSet(const SetDirectory& directory,
                                            const std::string& pkl_name, const ScanOptions& options,
                                            DiagnosticSink& sink);

/// A primary file kept open between MailMessageReaders, so that reading several sections of one
/// file opens and checks it once.
struct OpenPrimaryFile {
  std::string disk_name;
  std::shared_ptr<const ByteSource> source;
};

/// Streams the typed messages of one MAILMESSAGE section found by an earlier scan.
class MailMessageReader {
 public:
  static Result<std::unique_ptr<MailMessageReader>, FileError> Open(const SetDirectory& directory,
                                                                    const FileSetScan& scan,
                                                                    const SectionInfo& section,
                                                                    const ReaderOptions& options,
                                                                    DiagnosticSink& sink);
  /// The same, reading through `primary` when it holds the section's file already, and otherwise
  /// opening the file and leaving it in `primary` for the next section. Same errors as above.
  static Result<std::unique_ptr<MailMessageReader>, FileError> Open(
      const SetDirectory& directory, const FileSetScan& scan, const SectionInfo& section,
      const ReaderOptions& options, DiagnosticSink& sink, OpenPrimaryFile& primary);
  /// The next message, or nullopt at the end of the section. Records with errors are reported
  /// and skipped.
  std::optional<MailMessage> Next();

 private:
  MailMessageReader() = default;
  std::shared_ptr<const ByteSource> source_;
  std::unique_ptr<PrimaryReader> reader_;
  const ReaderOptions* options_ = nullptr;
  DiagnosticSink* sink_ = nullptr;
};

/// Frames a message's body chain (the secondary sections of one message).
Result<Chain, Diagnostic> ReadMessageChain(const SetDirectory& directory, const FileSetScan& scan,
                                           const Pointer& body, const std::string& origin,
                                           const ReaderOptions& options, DiagnosticSink& sink);

}  // namespace ccm::parser
