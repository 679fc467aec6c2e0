// output_file.h — a buffered, byte-counting output file for the synthetic set generator.
//
// Pointers in primary files must be computed from the bytes actually written, never predicted, so
// every write goes through this class, which knows its current offset. Output streams through
// a fixed 1 MiB buffer: a set of any size is never held in memory.
//
// Security: creates files with O_EXCL | O_NOFOLLOW (never overwrites, never follows a link).
// Diagnostics: the first write error is kept and returned by Close(), naming the path.
// Thread safety: externally synchronized (one writer per file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"

namespace ccm::bench {

/// A new file being written sequentially.
class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Creates `path` (which must not exist) for writing.
  Result<void, std::string> Create(const std::filesystem::path& path);
  /// True between a successful Create() and Close().
  bool is_open() const { return fd_ >= 0; }
  /// Appends bytes.
  void Write(std::string_view bytes);
  /// Bytes written so far: the offset the next byte will have.
  std::uint64_t offset() const { return offset_; }
  /// Flushes and closes; reports the first error seen since Create().
  Result<void, std::string> Close();

 private:
  void Flush();

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t offset_ = 0;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  std::string error_;
};

}  // namespace ccm::bench
