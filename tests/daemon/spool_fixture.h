// spool_fixture.h — test helpers for the daemon tests: a temporary spool, sets written the way
// operators drop them (a folder renamed into incoming/, or loose files with the .pkl last), and
// byte-exact snapshots of a folder to prove that refused sets stay untouched.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace ccm::daemon::testing {

namespace fs = std::filesystem;

/// A fresh temporary directory, removed at the end of the test.
using ccm::test::TempDir;

inline void WriteFile(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Sets a file's mtime `age` in the past (so it counts as quiet at once).
inline void MakeOld(const fs::path& p, std::chrono::seconds age = std::chrono::seconds(3600)) {
  fs::last_write_time(p, fs::file_time_type::clock::now() - age);
}

inline std::string PackingList(const std::vector<std::string>& primaries,
                               const std::vector<std::string>& secondaries = {}) {
  std::string t = "1252\r\n\r\nFilename,Filetype\r\n";
  for (const auto& p : primaries)
    t += p + ",Primary\r\n";
  for (const auto& s : secondaries)
    t += s + ",Secondary\r\n";
  return t;
}

/// Writes a complete small set (HQPO.PKL + two listed files) into `dir`, all with old mtimes.
inline void WriteSet(const fs::path& dir, bool old = true) {
  fs::create_directories(dir);
  WriteFile(dir / "00000001.PRI", "primary data\r\n");
  WriteFile(dir / "00000001.SEC", "secondary data\r\n");
  WriteFile(dir / "HQPO.PKL", PackingList({"00000001.PRI"}, {"00000001.SEC"}));
  if (old) {
    for (const auto& e : fs::directory_iterator(dir))
      MakeOld(e.path());
  }
}

/// Builds a set in a staging folder and renames it into incoming/ (the recommended way).
inline fs::path DropSet(const fs::path& spool, const std::string& name, bool old = true) {
  const fs::path staging = spool / ("staging-" + name);
  WriteSet(staging, old);
  fs::create_directories(spool / "incoming");
  fs::rename(staging, spool / "incoming" / name);
  return spool / "incoming" / name;
}

/// Every file under `dir` (relative name -> content), for byte-exact comparisons.
inline std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_symlink()) {
      out[fs::relative(e.path(), dir).string()] = "symlink->" + fs::read_symlink(e).string();
    } else if (e.is_regular_file()) {
      out[fs::relative(e.path(), dir).string()] = ReadFile(e.path());
    } else if (!e.is_directory()) {
      out[fs::relative(e.path(), dir).string()] = "special";
    }
  }
  return out;
}

}  // namespace ccm::daemon::testing
