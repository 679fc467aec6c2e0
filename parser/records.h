// records.h — typed data records of the three primary-section kinds, and their decoders.
//
// Decode* take one raw record of a section (from PrimaryReader) and return the typed record, or
// nullopt after reporting every field problem (file, line, column) to the sink. Text stays in
// the set's code page (convert with TextConverter); dates are validated LocalDateTime values in
// the source system's local time. A field written as a pointer other than Body is kept in
// `indirect` with its column name: its value lives in an `Other` secondary section.
//
// Thread safety: pure functions; the structs are plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parser/diagnostics.h"
#include "parser/field_codec.h"
#include "parser/primary_reader.h"
#include "parser/reader_options.h"

namespace ccm::parser {

/// A column whose value was written as a pointer.
struct IndirectField {
  std::string column;
  Pointer pointer;
  bool operator==(const IndirectField&) const = default;
};

/// One DIRECTORY record.
struct DirectoryRecord {
  std::uint64_t line = 0;
  std::string obj_class;  ///< lower case: "mailbox", "remote" or "dl"
  /// Canonical column name -> decoded values (Obj-Class and Mode excluded; empty fields have
  /// no values).
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;

  /// Values of a column, or nullptr when the section has no such column.
  const std::vector<std::string>* Find(std::string_view canonical) const;
  /// First value of a column, or empty.
  std::string First(std::string_view canonical) const;
  bool operator==(const DirectoryRecord&) const = default;
};

/// One PAB record.
struct PabEntry {
  std::uint64_t line = 0;
  bool is_dl = false;
  std::string display_name;
  std::vector<std::string> addresses;  ///< entry: one address; dl: the members
  std::vector<std::string> fields;     ///< all 24 values; a dl's Email-Address is in `addresses`
  std::vector<IndirectField> indirect;
  bool operator==(const PabEntry&) const = default;
};

/// One MAILMESSAGE record.
struct MailMessage {
  std::uint64_t line = 0;    ///< first physical line of the record
  std::uint64_t offset = 0;  ///< byte offset of the record
  std::string folder;        ///< empty = Inbox
  std::optional<Recipient> sender;
  std::vector<Recipient> to, cc, bcc;
  std::string subject;
  std::optional<LocalDateTime> send_date, received_date;
  int priority = 0;
  bool unread = false;
  bool unsent = false;
  Pointer body;
  std::vector<IndirectField> indirect;
  bool operator==(const MailMessage&) const = default;
};

std::optional<DirectoryRecord> DecodeDirectoryRecord(const SectionInfo& section,
                                                     const RawRecord& record,
                                                     const ReaderOptions& options,
                                                     DiagnosticSink& sink);
std::optional<PabEntry> DecodePabEntry(const SectionInfo& section, const RawRecord& record,
                                       const ReaderOptions& options, DiagnosticSink& sink);
std::optional<MailMessage> DecodeMailMessage(const SectionInfo& section, const RawRecord& record,
                                             const ReaderOptions& options, DiagnosticSink& sink);

}  // namespace ccm::parser
