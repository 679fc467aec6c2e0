// fuzz_input.h — how one fuzzer input encodes a whole file set.
//
// An input is a sequence of files separated by the 6-byte marker "\0CCMF\0"; each file is its
// bare name, a '\n', then its bytes. The first file is the packing list. scripts/fuzz packs the
// seed corpus (conf/examples, tests/data, small generated sets) in this form, so mutations hit
// names, packing list, primary and secondary files alike.
//
// Thread safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ccm::fuzz {

/// One file of a fuzzed set.
struct FuzzFile {
  std::string name;
  std::string bytes;
};

/// Splits a fuzzer input into files (at most `max_files`; the rest is dropped).
std::vector<FuzzFile> SplitFuzzInput(const std::uint8_t* data, std::size_t size,
                                     std::size_t max_files = 16);

}  // namespace ccm::fuzz
