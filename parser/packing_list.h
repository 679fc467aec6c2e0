// packing_list.h — reads a packing list (.PKL, docs/file-format.md#packing-list).
//
// Input: the .PKL bytes (ANSI, normally ASCII). Output: the declared code page and the entries
// in listed order with their line numbers. Leading comments and blank lines are skipped; the
// code page must be 1–5 digits alone on its line and is validated by CodePage (Unicode pages
// refused, 437/10000 warned); a blank line must follow (lenient: warning); the column header
// `Filename,Filetype` is required, or missing with a warning when the first
// entry already looks like one. Entry names must be bare names (no path parts, no "..");
// secondary names must not contain # ( ) ; , \ / : * ? " < > |; a name listed twice
// (case-insensitively) is an error, and so is a list without a primary file. Everything is reported
// to the sink with file and line; the result is a failure only when nothing usable could be read
// (no code page).
//
// Thread safety: a pure function over its inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/diagnostics.h"
#include "parser/reader_options.h"

namespace ccm::parser {

enum class FileType { kPrimary, kSecondary };

/// One listed file.
struct PackingListEntry {
  std::string name;  ///< as written (bare name)
  FileType type = FileType::kPrimary;
  std::uint64_t line = 0;
};

/// A parsed packing list.
struct PackingList {
  std::string file;  ///< the .PKL's own name
  CodePage code_page;
  std::vector<PackingListEntry> entries;
  bool ends_with_line_end = true;  ///< false only in lenient mode
};

/// Reads and checks a packing list. Problems go to `sink`; failure means unusable.
Result<PackingList, Diagnostic> ReadPackingList(const ByteSource& source, const std::string& file,
                                                const ReaderOptions& options, DiagnosticSink& sink);

}  // namespace ccm::parser
