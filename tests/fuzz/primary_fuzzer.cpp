// primary_fuzzer.cpp — libFuzzer target for the primary-file lexer and record reader
// (parser/lexer, parser/primary_reader): the input is one .pri file. It is lexed with small
// limits (the limit paths) and read section by section, strict and lenient. Contract: records
// stay inside the input and in order, a strict record has its section's column count, and the
// reader always advances. Run: scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/diagnostics.h"
#include "parser/lexer.h"
#include "parser/primary_reader.h"
#include "parser/reader_options.h"

namespace {

void Require(bool condition) {
  if (!condition)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ccm::parser;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  MemorySource source(bytes);
  {
    Lexer small(LexerLimits{256, 64, 8});
    small.set_comments((size & 1) != 0);
    RecordReader reader(source, std::move(small), 4096);
    std::uint64_t last = 0;
    for (int guard = 0;; ++guard) {
      Require(guard < 1'000'000);
      const LexResult r = reader.Next();
      if (r == LexResult::kEof)
        break;
      Require(r != LexResult::kNeedMore);
      if (r == LexResult::kRecord) {
        const RawRecord& record = reader.lexer().record();
        Require(record.offset <= record.end_offset && record.end_offset <= source.size());
        Require(record.offset >= last);
        last = record.offset;
      }
    }
  }
  static const CodePage code_page = *CodePage::FromNumber(1252);
  for (bool lenient : {false, true}) {
    ReaderOptions options;
    options.lenient = lenient;
    options.max_diagnostics = 20;
    DiagnosticSink sink(options.max_diagnostics);
    PrimaryReader reader(source, "FUZZ.PRI", code_page, options, sink);
    for (int guard = 0;; ++guard) {
      Require(guard < 1'000'000);
      const auto event = reader.Next();
      if (event == PrimaryReader::Event::kEnd)
        break;
      if (event == PrimaryReader::Event::kRecord) {
        const RawRecord& record = reader.record();
        if (!lenient)
          Require(record.size() == reader.section().columns.size());
        Require(record.end_offset <= source.size());
      }
    }
    Require(sink.kept().size() <= options.max_diagnostics);
  }
  return 0;
}
