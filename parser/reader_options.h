// reader_options.h — knobs shared by every reader of a file set: strict or lenient mode and the
// limits (docs/file-format.md#limits).
//
// Strict (the default) rejects everything below as an error; lenient turns these
// into warnings (quotes inside unquoted values, missing blank lines between sections and after
// the code page, missing trailing fields, junk between secondary sections, a file without a
// final line end). Lenient mode is only ever chosen explicitly: quoting errors in address lists
// are rejected unless an operator asks otherwise.
//
// Thread safety: a plain value.
#pragma once

#include <cstddef>
#include <cstdint>

#include "parser/lexer.h"

namespace ccm::parser {

struct ReaderOptions {
  bool lenient = false;
  LexerLimits limits;
  std::uint64_t max_section_length = std::uint64_t{2} << 30;  ///< secondary Length, bytes
  std::uint32_t max_chain_sections = 1024;                    ///< sections per message chain
  std::uint64_t max_set_size = std::uint64_t{64} << 30;       ///< sum of listed file sizes
  std::size_t max_diagnostics = 1000;                         ///< kept, not counted
};

}  // namespace ccm::parser
