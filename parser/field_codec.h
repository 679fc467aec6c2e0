// field_codec.h — column-aware decoding of raw fields (docs/file-format.md: fields and quoting,
// lists, pointers, values, DIRECTORY escapes, recipient items).
//
// Inputs are raw field bytes as the lexer returns them (quotes included) plus their shape.
// Every decoder returns its value or a message that says what is wrong with the value; the
// caller adds file, line and column. Nothing here allocates per byte beyond the output value.
//   Unquote            quoted value with "" -> ", unquoted value as is
//   UnquoteView        the same without a copy where nothing needs decoding (a scan's path)
//   DecodeSemicolonList per-value or whole-field quoting, one re-split
//   CheckSemicolonList the same checks without building the values
//   DecodeDirectoryValues CSV-unquote, then \\ \r \n \% escapes and % lists
//   ParsePointer       only an unquoted field can be a pointer; ParsePointerView returns the
//                      file name as a view of the field
//   ParseDate / ParseBool / ParsePriority / ParseInteger  scalar values
//   ParseRecipient     "Name", "Name [TYPE:address]", "Name[TYPE:address]"
// Text stays in the set's code page; convert with TextConverter where it leaves the parser.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/ascii.h"
#include "ccm/result.h"
#include "parser/lexer.h"

namespace ccm::parser {

/// A reference to a section of a secondary file: #NAME(offset).
struct Pointer {
  std::string file;
  std::uint64_t offset = 0;
  bool operator==(const Pointer&) const = default;
};

/// A pointer whose file name is a view of the field it was parsed from.
struct PointerView {
  std::string_view file;
  std::uint64_t offset = 0;
};

/// A validated local date and time (source system's local time).
struct LocalDateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool operator==(const LocalDateTime&) const = default;
};

/// A sender or recipient item. `address` is empty when the item has only a name.
struct Recipient {
  std::string display_name;
  std::string address;        ///< "TYPE:address" as written inside the brackets
  std::string address_type;   ///< text before the first colon of `address` (may be empty)
  std::string address_value;  ///< text after the first colon (all of `address` without colon)
  bool operator==(const Recipient&) const = default;
};

/// A list decoded from a semicolon field, and how many empty pieces were dropped.
struct SemicolonList {
  std::vector<std::string> values;
  int dropped_empty = 0;
};

/// Computes the shape of a raw piece (for list items, which the lexer does not split).
FieldShape ShapeOf(std::string_view raw);
/// Unquotes a field. In lenient mode a quote inside an unquoted field is literal.
Result<std::string, std::string> Unquote(std::string_view raw, FieldShape shape, bool lenient);
/// Unquote with the same errors, returning a view: of `raw` (or of what lies between its quotes)
/// when nothing needs decoding, otherwise of `scratch`, which holds the decoded value (valid
/// until `scratch` changes).
Result<std::string_view, std::string> UnquoteView(std::string_view raw, FieldShape shape,
                                                  bool lenient, std::string& scratch);
/// Decodes a `;` list (PAB Email-Address of dl records, MAILMESSAGE To/Cc/Bcc).
Result<SemicolonList, std::string> DecodeSemicolonList(std::string_view raw, bool lenient);
/// DecodeSemicolonList's checks and errors without building the values: the number of empty
/// pieces dropped, or the error DecodeSemicolonList would return.
Result<int, std::string> CheckSemicolonList(std::string_view raw, bool lenient);
/// Decodes a DIRECTORY field. `multi_valued` splits at unescaped '%';
/// `allow_line_breaks` is true only for Comment.
Result<std::vector<std::string>, std::string> DecodeDirectoryValues(std::string_view raw,
                                                                    FieldShape shape,
                                                                    bool multi_valued,
                                                                    bool allow_line_breaks,
                                                                    bool lenient);
/// True when an unquoted raw field starts with '#' (it must then be a valid pointer).
inline bool LooksLikePointer(std::string_view raw, FieldShape shape) {
  return shape == FieldShape::kUnquoted && !raw.empty() && raw.front() == '#';
}
/// The pointer in an unquoted field, or nullopt if the field is not pointer-shaped.
std::optional<Pointer> ParsePointer(std::string_view raw, FieldShape shape);
/// ParsePointer without copying the file name (valid as long as `raw`).
std::optional<PointerView> ParsePointerView(std::string_view raw, FieldShape shape);
/// A secondary-file name as allowed inside a pointer.
bool IsValidSecondaryName(std::string_view name);
/// 14-digit YYYYMMDDHHMMSS with calendar validation; empty -> nullopt.
Result<std::optional<LocalDateTime>, std::string> ParseDate(std::string_view value);
/// TRUE/FALSE (case-insensitive); empty -> nullopt.
Result<std::optional<bool>, std::string> ParseBool(std::string_view value);
/// -1, 0, 1; empty -> 0.
Result<int, std::string> ParsePriority(std::string_view value);
/// Optional '-', then decimal digits, within int64.
Result<std::int64_t, std::string> ParseInteger(std::string_view value);
/// Parses a recipient item.
Recipient ParseRecipient(std::string_view item);
}  // namespace ccm::parser
