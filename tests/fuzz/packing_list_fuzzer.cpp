// packing_list_fuzzer.cpp — libFuzzer target for the packing-list reader (parser/packing_list):
// the input is one .pkl file, read strict and lenient. Contract: values or diagnostics, never a
// crash, hang or undefined behaviour; diagnostics stay within their bound and every entry is a
// bare file name. Run: scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parser/byte_source.h"
#include "parser/diagnostics.h"
#include "parser/packing_list.h"
#include "parser/reader_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ccm::parser;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  MemorySource source(bytes);
  for (bool lenient : {false, true}) {
    ReaderOptions options;
    options.lenient = lenient;
    options.max_diagnostics = 20;
    DiagnosticSink sink(options.max_diagnostics);
    auto list = ReadPackingList(source, "FUZZ.PKL", options, sink);
    if (sink.kept().size() > options.max_diagnostics)
      __builtin_trap();
    if (list) {
      for (const auto& entry : list->entries) {
        if (!IsBareFileName(entry.name))
          __builtin_trap();
      }
    }
  }
  return 0;
}
