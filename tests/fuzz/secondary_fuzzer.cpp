// secondary_fuzzer.cpp — libFuzzer target for secondary-file framing (parser/secondary_reader):
// the input is one .sec file; its header line is checked, and chains are framed from offset 0
// and from a pointer offset taken from the input's first bytes, then streamed in small chunks.
// Contract: sections lie inside the file in order, streaming gives exactly each section's
// length, and nothing crashes or hangs. Run: scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "parser/byte_source.h"
#include "parser/diagnostics.h"
#include "parser/reader_options.h"
#include "parser/secondary_reader.h"

namespace {

void Require(bool condition) {
  if (!condition)
    __builtin_trap();
}

void Frame(const ccm::parser::ByteSource& source, std::uint64_t offset) {
  using namespace ccm::parser;
  ReaderOptions options;
  options.max_diagnostics = 20;
  options.max_chain_sections = 64;
  DiagnosticSink sink(options.max_diagnostics);
  auto chain = ReadChain(source, "FUZZ.SEC", offset, "FUZZ.PRI:1", options, sink);
  if (!chain)
    return;
  Require(chain->sections.size() <= options.max_chain_sections);
  std::uint64_t previous_end = chain->begin;
  for (const auto& section : chain->sections) {
    Require(section.header_offset >= previous_end);
    Require(section.data_offset + section.length <= source.size());
    previous_end = section.data_offset + section.length;
    std::uint64_t streamed = 0;
    auto r = StreamData(source, section, 7, [&](std::string_view chunk) {
      Require(!chunk.empty() && chunk.size() <= 7);
      streamed += chunk.size();
      return true;
    });
    Require(!r.ok() || streamed == section.length);
  }
  Require(chain->end <= source.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ccm::parser;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  MemorySource source(bytes);
  DiagnosticSink sink(20);
  (void)CheckSecondaryFileHeader(source, "FUZZ.SEC", sink);
  Frame(source, 0);
  if (size >= 2) {
    std::uint16_t offset = 0;
    std::memcpy(&offset, data, sizeof offset);
    Frame(source, offset % (size + 1));
  }
  return 0;
}
