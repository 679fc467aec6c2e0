// e2e_world.h — the fixture of the end-to-end tests: one test, one world. Each test gets its own
// short temporary directory (/tmp/cce.XXXXXX) holding the spool, the mail store, the config
// file and the daemons' logs, and its own throwaway slapd (tests/support/slapd.h), because the
// tests change the directory (conversions) and stop and restart the server.
//
// The binary under test is the real `ccmigrate` (CCMIGRATE, from CMake), run as a child process
// (child_process.h); the directory is queried with Debian's ldapsearch as the rootdn, never
// through ccm_ldap, so the product's client is not its own oracle. Every wait is bounded; a test
// that times out prints Diagnostics(): the daemons' logs and the spool's folders.
//
// Thread safety: use from the test's thread only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/child_process.h"
#include "tests/support/slapd.h"

namespace ccm::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// The spool folders a set can be in.
inline const std::vector<std::string> kSpoolStates = {"incoming", "active", "done", "deferred",
                                                      "failed"};

class DaemonE2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

 public:
  /// The test's own server.
  Slapd& slapd() { return *slapd_; }

  // --- the directory
  /// dc=example,dc=test and ou=Recipients only.
  void LoadBaseEntries();
  /// conf/examples/directory.ldif (Avery, Jordan, Priya, Casey, Cutover Team).
  void LoadSampleDirectory();
  /// ldapsearch -LLL as the rootdn under ou=Recipients (or `base`), unwrapped LDIF text.
  std::string Search(const std::string& filter, const std::vector<std::string>& attrs = {},
                     const std::string& base = "ou=Recipients,dc=example,dc=test");
  /// Every entry and attribute of the tree, as text (for before/after comparisons).
  std::string DirectorySnapshot();
  /// One entry's attributes: lower-case name -> values (empty when missing).
  std::multimap<std::string, std::string> Entry(const std::string& dn);
  /// How many entries a filter matches under ou=Recipients (or `base`).
  std::size_t CountEntries(const std::string& filter,
                           const std::string& base = "ou=Recipients,dc=example,dc=test");

  /// The sample set's imported state: Avery and Jordan are mailboxes on the same DNs with one
  /// migrate: proxy each, Cutover Team still lists them, Priya is untouched, Avery's three
  /// messages are in the store (cur/ or new/) once each and nothing is left in any tmp/.
  void ExpectSampleImported();

  // --- configuration and daemons
  /// Writes the config file: the server, the mail store, the spool with quiet_seconds = 1 and
  /// rescan_seconds = 1, plus extra lines in [import] and [drop].
  void WriteConfig(const std::string& import_extra = "", const std::string& drop_extra = "",
                   const std::string& mailstore_extra = "");
  /// Starts `ccmigrate daemon --config FILE` (+ `--once`); its output goes to its own log.
  ChildProcess& StartDaemon(bool once = false);
  /// Waits until status.json says this daemon is running.
  ::testing::AssertionResult WaitRunning(ChildProcess& daemon,
                                         std::chrono::milliseconds timeout = 20s);

  // --- the spool
  /// Copies `source` to a dot-name in the spool root and renames it into incoming/<id>.
  void DropFolder(const fs::path& source, const std::string& id);
  /// Waits until spool/<state>/<id> exists.
  ::testing::AssertionResult WaitForSet(const std::string& state, const std::string& id,
                                        std::chrono::milliseconds timeout = 60s);
  /// The folder with a set's journal.ldif and audit.ldif in the service's state directory
  /// (work_/state/sets/<id>.<inode>); empty when there is none yet.
  fs::path JournalDir(const std::string& id);
  /// The spool folders holding <id> (a set must be in exactly one).
  std::vector<std::string> WhereIs(const std::string& id);
  /// The daemons' logs and a listing of the spool.
  std::string Diagnostics();

  // --- the mail store
  /// Every message file (regular file under a cur/ or new/) below `root`.
  static std::vector<fs::path> MessageFiles(const fs::path& root);
  /// Every file under a tmp/ below `root`.
  static std::vector<fs::path> TmpFiles(const fs::path& root);
  /// The value of a message's X-CCM-Identity header ("" when absent).
  static std::string IdentityOf(const fs::path& message);

  static std::string ReadFile(const fs::path& path);
  static void WriteFile(const fs::path& path, const std::string& bytes);
  /// Relative path -> content of every regular file below `dir`.
  static std::map<std::string, std::string> FolderContents(const fs::path& dir);

  /// The test's temporary directory, spool and mail store.
  const fs::path& work() const { return work_; }
  const fs::path& spool() const { return spool_; }
  const fs::path& mail() const { return mail_; }

 protected:
  fs::path work_;   ///< the test's temporary directory
  fs::path spool_;  ///< work_/spool
  fs::path mail_;   ///< work_/mail
  fs::path config_;
  std::unique_ptr<Slapd> slapd_;
  std::vector<std::unique_ptr<ChildProcess>> daemons_;
  std::vector<fs::path> logs_;
};

/// An absolute path in the source tree.
fs::path SourceFile(const std::string& relative);

}  // namespace ccm::test
