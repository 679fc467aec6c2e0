// fuzz_input.cpp — see fuzz_input.h.
#include "tests/fuzz/fuzz_input.h"

#include <string_view>

namespace ccm::fuzz {

std::vector<FuzzFile> SplitFuzzInput(const std::uint8_t* data, std::size_t size,
                                     std::size_t max_files) {
  static constexpr std::string_view kMarker{"\0CCMF\0", 6};
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<FuzzFile> files;
  std::size_t start = 0;
  while (start <= input.size() && files.size() < max_files) {
    std::size_t end = input.find(kMarker, start);
    if (end == std::string_view::npos)
      end = input.size();
    const std::string_view segment = input.substr(start, end - start);
    const std::size_t newline = segment.find('\n');
    FuzzFile file;
    if (newline == std::string_view::npos) {
      file.name = std::string(segment);
    } else {
      file.name = std::string(segment.substr(0, newline));
      file.bytes = std::string(segment.substr(newline + 1));
    }
    files.push_back(std::move(file));
    start = end + kMarker.size();
  }
  return files;
}

}  // namespace ccm::fuzz
