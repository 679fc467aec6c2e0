// csv.h — field encoding for the synthetic set generator, written from the quoting, list and
// DIRECTORY escape rules of docs/file-format.md, independently of
// parser/, so that generated sets are an oracle for the reader.
//
// Inputs are raw field values in the set's code page; outputs are the bytes that go between
// commas. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ccm::bench {

/// Quotes `value` when it holds any of `# ! , \ " % .` or starts/ends with a space, doubling
/// inner quotes; otherwise returns it unchanged.
std::string QuoteField(std::string_view value);

/// Always quotes `value` (doubling inner quotes), as an extractor that over-quotes would.
std::string ForceQuote(std::string_view value);

/// Escapes then quotes a DIRECTORY field: `\` → `\\`, values joined by `%` (a `%` inside a value
/// becomes `\%`), then quoted as needed.
std::string EncodeDirectoryField(std::span<const std::string> values);

/// Encodes a `;` list (PAB members, To/Cc/Bcc): per-value quoting when no value holds
/// `;` or `"`, otherwise whole-field quoting with nested quotes.
std::string EncodeSemicolonList(std::span<const std::string> values);

}  // namespace ccm::bench
