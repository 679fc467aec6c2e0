// secondary_reader.h — framing of secondary files (.SEC, docs/file-format.md#secondary-files):
// reads a message chain from a pointer by lengths alone, and streams a section's data in chunks.
//
// ReadChain(source, file, offset): at `offset` reads one header line (CR LF; bare CR/LF with a
// warning; at most 4 KiB), CSV-parses it into exactly 7 fields, checks Type/Length/Encoding/
// Islast/Name/Position/Format, skips `Length` data bytes without reading them, expects one line
// end (lenient: up to 4 CR/LF bytes, extra ones reported), and, while Islast is FALSE, continues
// with the next header right there. It never scans data for headers. Chains are limited
// (default 1,024 sections) and must end with Islast=TRUE before EOF. Errors name the secondary
// file and byte offset; `origin` (the pointer's primary file and line) is added to messages.
//
// StreamData(source, section, chunk_size, callback) reads a section's data in bounded chunks:
// bodies and attachments never sit in memory whole. Transcode text only after framing
// (lengths count bytes in the set's code page).
//
// Thread safety: pure functions over a ByteSource (which supports concurrent reads).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"
#include "parser/byte_source.h"
#include "parser/diagnostics.h"
#include "parser/reader_options.h"

namespace ccm::parser {

enum class SecondaryType { kBody, kAttachment, kSchedule, kDocument, kOther };
enum class AttachmentFormat { kNone, kMacbinary };

/// "Body", "Attachment", ...
const char* SecondaryTypeName(SecondaryType type);

/// One framed section of a secondary file.
struct SecondarySection {
  SecondaryType type = SecondaryType::kBody;
  std::uint64_t header_offset = 0;  ///< where its header line starts (pointer target)
  std::uint64_t data_offset = 0;    ///< first data byte
  std::uint64_t length = 0;         ///< data bytes
  bool is_last = true;
  std::string name;                      ///< attachment/document file name (code page bytes)
  std::optional<std::int64_t> position;  ///< empty = end of body; -1 = not inline
  AttachmentFormat format = AttachmentFormat::kNone;
  bool operator==(const SecondarySection&) const = default;
};

/// A message chain: sections from a pointer up to Islast=TRUE.
struct Chain {
  std::string file;
  std::uint64_t begin = 0;  ///< the pointer's offset
  std::uint64_t end = 0;    ///< just past the last section's separator
  std::vector<SecondarySection> sections;
};

/// Reads and checks the chain starting at `offset`. `origin` ("FILE.PRI:LINE") is quoted in
/// messages. Warnings go to `sink`; the first framing error is returned.
Result<Chain, Diagnostic> ReadChain(const ByteSource& source, const std::string& file,
                                    std::uint64_t offset, const std::string& origin,
                                    const ReaderOptions& options, DiagnosticSink& sink);

/// Checks the optional file header line at offset 0 ("Type,Length,Encoding,Islast,Name,
/// Position,Format"); reports a wrong one. Returns true when present.
bool CheckSecondaryFileHeader(const ByteSource& source, const std::string& file,
                              DiagnosticSink& sink);

/// Reads `section`'s data in chunks of at most `chunk_size` bytes; `sink` returns false to stop.
Result<void, std::string> StreamData(const ByteSource& source, const SecondarySection& section,
                                     std::size_t chunk_size,
                                     const std::function<bool(std::string_view)>& sink);

}  // namespace ccm::parser
