// test_sets.h — helpers for parser tests: the sample set loaded byte for byte from
// conf/examples/HQPO.001, small fixtures from tests/data/parser, and in-memory sets.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parser/byte_source.h"
#include "parser/diagnostics.h"

namespace ccm::parser::testing {

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline std::string AppendixPath(const std::string& name) {
  return std::string(CCM_SOURCE_DIR) + "/conf/examples/HQPO.001/" + name;
}

inline std::string DataPath(const std::string& name) {
  return std::string(CCM_SOURCE_DIR) + "/tests/data/parser/" + name;
}

/// The sample set as a MemoryDirectory.
inline MemoryDirectory AppendixSet() {
  MemoryDirectory dir;
  for (const char* name : {"HQPO.PKL", "Directory.pri", "00000001.PRI", "00000001.SEC"}) {
    dir.Put(name, ReadFileBytes(AppendixPath(name)));
  }
  return dir;
}

/// True when some kept diagnostic has this severity, file, position and message part.
inline bool HasProblem(const DiagnosticSink& sink, Severity severity, const std::string& file,
                       std::uint64_t where, const std::string& part) {
  for (const auto& d : sink.kept()) {
    if (d.severity == severity && d.file == file && d.where == where &&
        d.ToString().find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// All kept diagnostics as text (for failure messages).
inline std::string Dump(const DiagnosticSink& sink) {
  std::string text;
  for (const auto& d : sink.kept())
    text += d.ToString() + "\n";
  return text;
}

}  // namespace ccm::parser::testing
