// primary_reader.h — streams the sections and data records of one primary file (.PRI).
//
// Input: a ByteSource, the file's bare name, options, a DiagnosticSink. Next() yields kSection
// (a section header plus its column header were read; section() describes it), kRecord (one
// data record of that section with the right field count; record() holds its raw fields) and
// finally kEnd. Header detection: a record is a section header only as the first
// record of the file or after a blank line, with first field DIRECTORY (1 field) or PAB /
// MAILMESSAGE (exactly 2 fields); lenient mode also takes one without the blank line (warning).
// Continuation is on in PAB and MAILMESSAGE sections and off in DIRECTORY sections. DIRECTORY
// column names resolve through the alias table; PAB needs its 24 columns and MAILMESSAGE its
// 12, in order (a wrong header is reported and its section skipped). Owner addresses lose
// one optional MIGRATE: prefix. Everything wrong is reported with file and line and the
// reader carries on; it never holds more than one logical record.
//
// SeekToSection() re-reads one section later from its recorded offset (the importer's way to
// revisit a MAILMESSAGE section without re-reading the set); the reader then ends at the next
// section header.
//
// Thread safety: externally synchronized.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/diagnostics.h"
#include "parser/lexer.h"
#include "parser/reader_options.h"

namespace ccm::parser {

enum class SectionKind { kDirectory, kPab, kMailMessage };

/// "DIRECTORY", "PAB" or "MAILMESSAGE".
const char* SectionKindName(SectionKind kind);

/// Where a section is and what its header says.
struct SectionInfo {
  SectionKind kind = SectionKind::kDirectory;
  std::string file;                 ///< primary file's bare name
  std::uint64_t header_line = 0;    ///< line of the section-header record
  std::uint64_t header_offset = 0;  ///< byte offset of the section-header record
  std::string owner;  ///< PAB/MAILMESSAGE owner as written, MIGRATE: stripped (code page)
  bool had_migrate_prefix = false;
  bool is_public = false;            ///< MAILMESSAGE,PublicMessages
  std::vector<std::string> columns;  ///< canonical column names
  /// Records of the section that decoded, as counted by ScanFileSet (file_set.h); a
  /// PrimaryReader's own section() reports 0 (it has not read them yet).
  std::uint64_t records = 0;
  bool operator==(const SectionInfo&) const = default;

  /// This section's place and header without its column names: what a set's scan keeps of each
  /// section (a reader seeking to the section reads its column header again), so that a set of
  /// one MAILMESSAGE section per user does not hold the same twelve names per user.
  SectionInfo Place() const {
    return SectionInfo{.kind = kind,
                       .file = file,
                       .header_line = header_line,
                       .header_offset = header_offset,
                       .owner = owner,
                       .had_migrate_prefix = had_migrate_prefix,
                       .is_public = is_public,
                       .columns = {},
                       .records = records};
  }
};

/// The canonical DIRECTORY column for a header name (the alias table); unknown names are
/// returned unchanged.
std::string CanonicalDirectoryColumn(std::string_view name);
/// True for DIRECTORY columns that hold %-lists.
bool IsMultiValuedDirectoryColumn(std::string_view canonical);

/// The 24 PAB columns and 12 MAILMESSAGE columns, in order.
const std::vector<std::string>& PabColumns();
const std::vector<std::string>& MailMessageColumns();

/// Streams one primary file.
class PrimaryReader {
 public:
  enum class Event { kSection, kRecord, kEnd };

  /// `lead_bytes` comes from the set's CodePage (DBCS awareness); it must outlive the reader.
  PrimaryReader(const ByteSource& source, std::string file, const CodePage& code_page,
                const ReaderOptions& options, DiagnosticSink& sink);

  /// Advances to the next section or record.
  Event Next();
  /// The current section (valid after the first kSection).
  const SectionInfo& section() const { return section_; }
  /// The current data record (valid after kRecord).
  const RawRecord& record() const { return reader_.lexer().record(); }
  /// Restarts at `section` (from an earlier pass); reading ends at the following section.
  void SeekToSection(const SectionInfo& section);
  /// Number of sections seen so far.
  std::uint64_t sections_seen() const { return sections_seen_; }

 private:
  std::optional<SectionKind> HeaderKind(const RawRecord& rec) const;
  void StartSection(SectionKind kind, const RawRecord& rec);
  bool ResolveColumns(const RawRecord& rec);
  void Report(std::uint64_t line, Severity severity, std::string message, std::string field = {});

  std::string file_;
  const ReaderOptions& options_;
  DiagnosticSink& sink_;
  RecordReader reader_;
  SectionInfo section_;
  bool have_section_ = false;
  bool expecting_columns_ = false;
  bool skip_section_ = false;
  bool blank_before_ = true;
  bool warned_lf_ = false;
  bool single_section_ = false;
  std::uint64_t sections_seen_ = 0;
};

}  // namespace ccm::parser
