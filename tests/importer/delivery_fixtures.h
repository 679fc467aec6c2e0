// delivery_fixtures.h — what tests of the import's delivery share: a directory half that plans
// every user as an existing mailbox (no server), and a store tree to compare byte for byte.
//
// Used by parallel_delivery_test (tests/importer) and naive_set_delivery_test (tests/bench).
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "importer/import_job.h"

namespace ccm::test {

using importer::Decision;
using importer::DirectoryAccess;
using importer::DirectoryApplication;
using importer::DirectoryPlan;
using importer::ImportError;
using importer::MigratingUser;
using importer::UserPlan;

/// Every user is already a mailbox; its store key is `key_of(user)` (by default its normalised
/// source address).
class DeliverEveryone final : public DirectoryAccess {
 public:
  DeliverEveryone() = default;
  explicit DeliverEveryone(std::function<std::string(const MigratingUser&)> key_of)
      : key_of_(std::move(key_of)) {}

  Result<DirectoryPlan, ImportError> Plan(std::vector<MigratingUser> users) override {
    DirectoryPlan plan;
    for (const MigratingUser& user : users) {
      UserPlan p;
      p.user = user;
      p.decision = Decision::kDeliver;
      p.dn = "uid=" + user.match_key + ",ou=Recipients,dc=example,dc=test";
      p.mail_store = key_of_ ? key_of_(user) : user.match_key;
      p.mailbox_home = "mail1.example.test";
      plan.users.push_back(std::move(p));
    }
    return plan;
  }
  Result<DirectoryApplication, ImportError> Apply(const DirectoryPlan& plan,
                                                  const std::filesystem::path&) override {
    DirectoryApplication out;
    out.users.resize(plan.users.size());
    return out;
  }

 private:
  std::function<std::string(const MigratingUser&)> key_of_;
};

/// Every entry under `root`: relative path -> "dir", "file <mtime> <bytes>" for a message (its
/// mtime is its arrival date) or "file <bytes>" for another file (a `maildirfolder` marker,
/// whose mtime is only when it was made).
inline std::map<std::string, std::string> StoreTree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> tree;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string name = fs::relative(e.path(), root).string();
    if (e.is_directory()) {
      tree[name] = "dir";
      continue;
    }
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string dir = e.path().parent_path().filename().string();
    const bool message = dir == "cur" || dir == "new" || dir == "tmp";
    tree[name] = "file " + (message ? std::to_string(st.st_mtim.tv_sec) + " " : "") + bytes.str();
  }
  return tree;
}

/// `tree` (from StoreTree) with the import time taken out of address-book messages: their Date
/// header and mtime are the time they were delivered (address_book_message.h), the only bytes
/// of a store that two runs over the same set write differently. Everything else stays.
inline std::map<std::string, std::string> WithoutImportTime(
    std::map<std::string, std::string> tree) {
  for (auto& [name, what] : tree) {
    if (what.find("X-CCM-Identity: ccm1-pab:") == std::string::npos)
      continue;
    // "file <mtime> <bytes>", the bytes starting with the Date header.
    const std::size_t bytes = what.find(' ', 5) + 1;
    std::string text = what.substr(bytes);
    if (text.rfind("Date: ", 0) == 0)
      text.erase(0, text.find('\n') + 1);
    what = "file (import time) " + text;
  }
  return tree;
}

/// Files (not directories) of `tree` whose path contains `part` (e.g. "/cur/").
inline std::size_t CountFilesUnder(const std::map<std::string, std::string>& tree,
                                   const std::string& part) {
  std::size_t n = 0;
  for (const auto& [name, what] : tree)
    n += name.find(part) != std::string::npos && what != "dir" ? 1u : 0u;
  return n;
}

}  // namespace ccm::test
