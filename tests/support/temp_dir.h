// temp_dir.h — a fresh directory under the system temp dir for one test, removed with everything
// in it when the test ends. Tests that take permissions away (unreadable folders) still clean
// up: the owner's rights are restored first, and removal never throws.
//
// Thread safety: one object per test; not shared.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ccm::test {

class TempDir {
 public:
  /// Creates <tmp>/<prefix>.XXXXXX; prefixes stay short (ldapi socket paths have 108 bytes).
  explicit TempDir(const std::string& prefix = "ccm") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + ".XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory's path.
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ccm::test
