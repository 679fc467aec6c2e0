// primary_writer.h — writes primary-file text with the strict quoting rules, the ';' list
// encoding and the DIRECTORY escapes of docs/file-format.md, so that what it writes reads back
// unchanged.
//
// Encoders are pure functions of values. PrimaryWriter appends CR LF lines to a caller-owned
// string: comment lines, section headers (owner without MIGRATE:; sections separated by one
// blank line), column headers on one line, and typed records. A value containing CR or LF
// cannot be written inline (it belongs in a secondary file) and is refused with a message naming
// the column; so is a '%' inside a DIRECTORY value (the sources disagree on how one is read, so
// none is ever written, raw or escaped).
//
// Thread safety: encoders are pure; a PrimaryWriter is externally synchronized.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"
#include "parser/field_codec.h"
#include "parser/primary_reader.h"
#include "parser/records.h"

namespace ccm::parser {

/// Quotes `value` when it contains # ! , \ " % . or starts/ends with a space.
std::string QuoteValue(std::string_view value);
/// Encodes a ';' list (empty values are not written).
std::string EncodeSemicolonList(const std::vector<std::string>& values);
/// Encodes DIRECTORY values: escapes, '%' joins, then quoting. Refuses a '%' in a value.
Result<std::string, std::string> EncodeDirectoryValues(const std::vector<std::string>& values,
                                                       bool allow_line_breaks);
/// #FILE(offset), never quoted.
std::string EncodePointer(const Pointer& pointer);
/// "Name" or "Name [TYPE:address]" (one space before '[').
std::string EncodeRecipient(const Recipient& recipient);
/// YYYYMMDDHHMMSS, or empty.
std::string EncodeDate(const std::optional<LocalDateTime>& date);

/// Appends primary-file lines to a string.
class PrimaryWriter {
 public:
  explicit PrimaryWriter(std::string& out) : out_(out) {}

  /// "!text" (text must not contain CR or LF).
  void Comment(std::string_view text);
  /// Section header; a blank line precedes every section but the first one written.
  void BeginSection(SectionKind kind, std::string_view owner = {});
  /// The column header on one line.
  void ColumnHeader(const std::vector<std::string>& columns);
  /// A DIRECTORY record: Obj-Class, Mode "Create", then `columns` (after the first two).
  Result<void, std::string> Write(const DirectoryRecord& record,
                                  const std::vector<std::string>& columns);
  /// A PAB record.
  Result<void, std::string> Write(const PabEntry& entry);
  /// A MAILMESSAGE record.
  Result<void, std::string> Write(const MailMessage& message);

 private:
  Result<void, std::string> Line(const std::vector<std::string>& fields,
                                 const std::vector<std::string>& columns);
  std::string& out_;
  bool wrote_section_ = false;
};

}  // namespace ccm::parser
