// set_messages.h — turns the MAILMESSAGE records of a validated file set into the delivery model
// of mime_message.h: one MailMessage per record, with its parts streaming from the secondary
// file's byte ranges.
//
// Inputs: the set directory and the FileSetScan of parser/file_set.h (the set must have been
// validated: chains were checked by the scan and are only re-framed here), the source time zone
// ([import] source_timezone) and the reader options.
//
// Conversion of one record (docs/file-format.md#mailmessage-section):
// - Folder, Sender, To/Cc/Bcc, Subject and attachment/document names are transcoded from the
//   set's code page to UTF-8. A field written as a pointer to an `Other` section is read
//   from there (at most 1 MiB) and decoded with its column's rules.
// - Send-Date/Received-Date are local times of the source system, converted with the zone;
//   an ambiguous or skipped local time (DST change) gives a warning.
// - Parts come from the chain at the Body pointer: every `Body` section's bytes form the text,
//   concatenated in order without separator (more than one Body gives a warning); an
//   `Attachment` keeps its name as given, its Position (-1 = not inline, empty = end of
//   body; not rendered, see mime_message.h) and its Macbinary flag; a `Document` is a free
//   document; a `Schedule` is framed only and travels as an opaque attachment; an
//   `Other` section in a chain is not a message part and gives a warning.
// - Part contents are ContentSources over (secondary file, offset, length): nothing is loaded
//   whole, a multi-GiB attachment moves in 64 KiB steps; body text is transcoded as it streams.
//
// Reads: each secondary file is read through a 128 KiB read-ahead window (parser's
// WindowedSource), so one read serves the headers, line-end probes and data of the consecutive
// chains of many small messages; large parts' chunks go straight to the file. At most 8
// secondary files (and one primary file) stay open: memory is bounded by 8 windows, whatever
// the number of files in the set. Several sections of one primary file share one open file.
//
// Identity (stable across reruns and across `fix`, which never changes existing bytes):
//   "ccm1:" owner-key "|" primary file (lower case) "@" record offset "|" body file (lower
//   case) "@" body offset "|" fingerprint
// where fingerprint = 16 hex digits of SHA-256 over the record's decoded fields (sender,
// recipients, subject, dates, flags) and the chain's section lengths. The owner key keeps two
// mailboxes apart; file + offsets pin the record; the fingerprint keeps a different set that
// happens to reuse the same file names and offsets from being taken for one already delivered.
// The set directory's name is deliberately not part of it: the daemon moves sets between
// directories, and a rerun must still find what it delivered.
//
// Security: names and folder values are only ever data here; maildir_names.h turns them into
// paths. Byte ranges come from the framed chain, never from data content. Secondary files are
// opened through SetDirectory (read-only, no links).
//
// Thread safety: a SetMessageSource and the messages it returns are externally synchronized:
// its messages share one code-page converter and the open secondary files, so compose them one
// at a time on one thread; they must not outlive the source.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "importer/mime_message.h"
#include "importer/source_time.h"
#include "parser/code_page.h"
#include "parser/file_set.h"

namespace ccm::importer {

/// One converted record of a MAILMESSAGE section.
struct SetMessage {
  MailMessage message;  ///< identity, headers, flags, parts (sources stream lazily)
  std::string folder;   ///< the Folder column, UTF-8 ("" = Inbox)
  std::string origin;   ///< "FILE.PRI:LINE" of the record, for logs and the report
  /// Position of each non-body part, in part order: nullopt = end of body, -1 = not
  /// inline. Kept for the report and later rendering; the composer does not place icons.
  std::vector<std::optional<std::int64_t>> positions;
  std::vector<std::string> warnings;  ///< each already prefixed with `origin`
};

class SectionMessages;

/// Converts MAILMESSAGE records of one validated set.
class SetMessageSource {
 public:
  /// `directory` and `scan` must outlive the source.
  static Result<std::unique_ptr<SetMessageSource>, MailError> Open(
      const parser::SetDirectory& directory, const parser::FileSetScan& scan, TimeZone zone,
      const parser::ReaderOptions& options);
  ~SetMessageSource();
  SetMessageSource(const SetMessageSource&) = delete;
  SetMessageSource& operator=(const SetMessageSource&) = delete;

  /// Streams the records of `section` (a MAILMESSAGE section of the scan). Parser diagnostics
  /// of the (already validated) records go to `sink`.
  Result<std::unique_ptr<SectionMessages>, MailError> OpenSection(
      const parser::SectionInfo& section, parser::DiagnosticSink& sink);

  /// Converts one decoded record of `section` (used by SectionMessages; public for tests).
  Result<SetMessage, MailError> Convert(const parser::SectionInfo& section,
                                        const parser::MailMessage& record,
                                        parser::DiagnosticSink& sink);

  /// The time zone dates are read in.
  const TimeZone& zone() const { return zone_; }

 private:
  struct Shared;
  SetMessageSource(const parser::SetDirectory& directory, const parser::FileSetScan& scan,
                   TimeZone zone, const parser::ReaderOptions& options);
  Result<std::shared_ptr<const parser::ByteSource>, MailError> Secondary(const std::string& name);
  Result<std::string, MailError> ReadOther(const parser::Pointer& pointer,
                                           const std::string& origin, parser::DiagnosticSink& sink);

  struct OpenSecondary {
    std::string key;  // lower-case listed name
    std::shared_ptr<const parser::ByteSource> source;
  };

  const parser::SetDirectory& directory_;
  const parser::FileSetScan& scan_;
  TimeZone zone_;
  parser::ReaderOptions options_;
  std::shared_ptr<Shared> shared_;  // converter, shared with the content sources
  // Secondary files behind read-ahead windows, least recently used first; bounded, so a set of
  // per-user files never holds a descriptor and a window per user.
  std::vector<OpenSecondary> secondaries_;
  parser::OpenPrimaryFile primary_;  // the last section's primary file, for the next section
};

/// The records of one MAILMESSAGE section, converted one at a time.
class SectionMessages {
 public:
  /// The next message; nullopt at the end of the section. An error concerns that one record
  /// only (its chain could not be re-read): the caller reports it and may call Next() again.
  Result<std::optional<SetMessage>, MailError> Next();

 private:
  friend class SetMessageSource;
  SectionMessages() = default;
  SetMessageSource* source_ = nullptr;
  parser::SectionInfo section_;
  parser::DiagnosticSink* sink_ = nullptr;
  std::unique_ptr<parser::MailMessageReader> reader_;
};

/// The identity string of a record (see the manual above); exposed for tests.
std::string SetMessageIdentity(std::string_view owner_key, std::string_view primary_file,
                               const parser::MailMessage& record, const parser::Chain& chain);

}  // namespace ccm::importer
