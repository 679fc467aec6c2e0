// content.h — the payload of synthetic messages: body text, binary attachment bytes, subjects,
// folders and dates, all drawn from a deterministic Random.
//
// Body text is CR LF lines of words that now and then look like a secondary section header or a
// primary section header, so a reader that scans for headers instead of framing by length
// (a secondary file's data may hold anything) fails. With code page 1252 some words carry accented
// letters (bytes >= 0x80). Output goes straight to an OutputFile in bounded chunks, whatever the
// requested size. Thread safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include "bench/gen/output_file.h"
#include "bench/gen/random.h"

namespace ccm::bench {

/// Writes exactly `bytes` bytes of text (CR LF lines; ends in CR LF when bytes >= 2).
void WriteBodyText(OutputFile& out, Random& random, std::uint64_t bytes, bool accented);

/// Writes exactly `bytes` random binary bytes (any value, CR and LF included).
void WriteBinary(OutputFile& out, Random& random, std::uint64_t bytes);

/// A message subject (raw value, not yet quoted); some contain `, " # ! .` or `\`.
std::string MakeSubject(Random& random, bool accented);

/// A folder path; nested folders use `\`. One folder is literally "PAB" (a record that
/// looks like a section header).
std::string MakeFolder(Random& random);

/// Send and receive dates, 14 digits each, valid calendar dates in 1996-1999.
struct MessageDates {
  std::string sent;
  std::string received;
};
MessageDates MakeDates(Random& random);

/// An 8.3 file name (eight characters, a dot, three), e.g. "BUDGET07.XLS".
std::string MakeFileName(Random& random, std::uint64_t number);

}  // namespace ccm::bench
