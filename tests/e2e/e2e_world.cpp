// e2e_world.cpp — the end-to-end fixture: temp world, own slapd, config, daemons, spool and mail
// store inspection. See e2e_world.h.
#include "tests/e2e/e2e_world.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "ccm/ascii.h"
#include "tests/support/program.h"

namespace ccm::test {

fs::path SourceFile(const std::string& relative) {
  return Slapd::SourcePath(relative);
}

void DaemonE2eTest::SetUp() {
  char name[] = "/tmp/cce.XXXXXX";
  ASSERT_NE(mkdtemp(name), nullptr);
  work_ = name;
  spool_ = work_ / "spool";
  mail_ = work_ / "mail";
  config_ = work_ / "c.toml";
  SlapdOptions options;
  options.log_level = "0";
  auto server = Slapd::Start(options);
  ASSERT_TRUE(server) << server.error();
  slapd_ = std::move(*server);
}

void DaemonE2eTest::TearDown() {
  for (auto& d : daemons_) {
    d->Signal(SIGKILL);
    d->WaitExit(5s);
  }
  if (HasFailure())
    std::cerr << Diagnostics();
  daemons_.clear();
  slapd_.reset();
  if (!HasFailure() || std::getenv("CCM_KEEP_E2E") == nullptr) {
    std::error_code ec;
    fs::remove_all(work_, ec);
  } else {
    std::cerr << "kept " << work_ << "\n";
  }
}

void DaemonE2eTest::LoadBaseEntries() {
  auto r = slapd_->LoadLdifText(
      "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\ndc: example\n"
      "o: Example Test\n\n"
      "dn: ou=Recipients,dc=example,dc=test\nobjectClass: organizationalUnit\nou: Recipients\n");
  ASSERT_TRUE(r) << r.error();
}

void DaemonE2eTest::LoadSampleDirectory() {
  auto r = slapd_->LoadLdif(SourceFile("conf/examples/directory.ldif").string());
  ASSERT_TRUE(r) << r.error();
}

std::string DaemonE2eTest::Search(const std::string& filter, const std::vector<std::string>& attrs,
                                  const std::string& base) {
  std::vector<std::string> argv = {"ldapsearch",
                                   "-LLL",
                                   "-x",
                                   "-H",
                                   slapd_->uri(),
                                   "-D",
                                   slapd_->admin_dn(),
                                   "-y",
                                   slapd_->admin_password_file(),
                                   "-b",
                                   base,
                                   "-o",
                                   "ldif-wrap=no",
                                   filter};
  argv.insert(argv.end(), attrs.begin(), attrs.end());
  auto r = RunProgram(argv);
  if (!r) {
    ADD_FAILURE() << r.error();
    return "";
  }
  if (r->exit_code != 0 && r->exit_code != 32)  // 32: no such object
    ADD_FAILURE() << "ldapsearch " << filter << ": exit " << r->exit_code << "\n" << r->output;
  return r->output;
}

std::string DaemonE2eTest::DirectorySnapshot() {
  return Search("(objectClass=*)", {"*"}, slapd_->base_dn());
}

std::multimap<std::string, std::string> DaemonE2eTest::Entry(const std::string& dn) {
  std::multimap<std::string, std::string> attrs;
  const std::string text = Search("(objectClass=*)", {"*"}, dn);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(": ");
    if (colon == std::string::npos || line.rfind("dn: ", 0) == 0)
      continue;
    attrs.emplace(ccm::AsciiLower(line.substr(0, colon)), line.substr(colon + 2));
  }
  return attrs;
}

std::size_t DaemonE2eTest::CountEntries(const std::string& filter, const std::string& base) {
  const std::string text = Search(filter, {"1.1"}, base);
  std::size_t n = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    n += line.rfind("dn: ", 0) == 0 ? 1u : 0u;
  return n;
}

void DaemonE2eTest::WriteConfig(const std::string& import_extra, const std::string& drop_extra,
                                const std::string& mailstore_extra) {
  std::ostringstream c;
  c << "[ldap]\nuri = \"" << slapd_->uri() << "\"\nbind_dn = \"" << slapd_->admin_dn()
    << "\"\npassword_file = \"" << slapd_->admin_password_file()
    << "\"\nbase_dn = \"ou=Recipients,dc=example,dc=test\"\ntimeout_seconds = 2\n"
    << "[import]\ndefault_home = \"mail1.example.test\"\nsource_timezone = \"UTC\"\n"
    << "journal_key_file = \"" << (work_ / "state/journal.key").string() << "\"\n"
    << import_extra << "\n[mailstore]\nroot = \"" << mail_.string() << "\"\n"
    << mailstore_extra << "\n"
    << "[drop]\ndir = \"" << spool_.string() << "\"\nstate_dir = \"" << (work_ / "state").string()
    << "\"\nquiet_seconds = 1\nrescan_seconds = 1\n"
    << "retry_initial_seconds = 1\nretry_max_seconds = 2\n"
    << drop_extra << "\n[log]\nlevel = \"debug\"\n";
  WriteFile(config_, c.str());
}

ChildProcess& DaemonE2eTest::StartDaemon(bool once) {
  std::vector<std::string> argv = {CCMIGRATE, "daemon", "--config", config_.string()};
  if (once)
    argv.push_back("--once");
  const fs::path log = work_ / ("daemon-" + std::to_string(logs_.size() + 1) + ".log");
  logs_.push_back(log);
  auto child = ChildProcess::Start(argv, log.string());
  if (!child) {
    ADD_FAILURE() << child.error();
    std::abort();
  }
  daemons_.push_back(std::move(*child));
  return *daemons_.back();
}

::testing::AssertionResult DaemonE2eTest::WaitRunning(ChildProcess& daemon,
                                                      std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string pid = "\"pid\": " + std::to_string(daemon.pid()) + ",";
  while (std::chrono::steady_clock::now() < deadline) {
    if (!daemon.Running())
      return ::testing::AssertionFailure() << "daemon " << daemon.pid() << " ended\n"
                                           << Diagnostics();
    const std::string status = ReadFile(spool_ / "status.json");
    if (status.find(pid) != std::string::npos &&
        status.find("\"state\": \"running\"") != std::string::npos)
      return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(20ms);
  }
  return ::testing::AssertionFailure()
         << "daemon " << daemon.pid() << " not running after " << timeout.count() << " ms\n"
         << Diagnostics();
}

fs::path DaemonE2eTest::JournalDir(const std::string& id) {
  const fs::path sets = work_ / "state/sets";
  if (!fs::is_directory(sets))
    return {};
  for (const auto& entry : fs::directory_iterator(sets)) {
    const std::string name = entry.path().filename().string();
    const auto dot = name.rfind('.');
    if (dot != std::string::npos && name.substr(0, dot) == id)
      return entry.path();
  }
  return {};
}

void DaemonE2eTest::DropFolder(const fs::path& source, const std::string& id) {
  const fs::path staging = spool_ / ("." + id + ".copying");
  fs::create_directories(spool_ / "incoming");
  fs::copy(source, staging, fs::copy_options::recursive);
  fs::rename(staging, spool_ / "incoming" / id);
}

::testing::AssertionResult DaemonE2eTest::WaitForSet(const std::string& state,
                                                     const std::string& id,
                                                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(spool_ / state / id))
      return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(25ms);
  }
  return ::testing::AssertionFailure()
         << "set " << id << " not in " << state << "/ after " << timeout.count() << " ms\n"
         << Diagnostics();
}

std::vector<std::string> DaemonE2eTest::WhereIs(const std::string& id) {
  std::vector<std::string> found;
  for (const auto& state : kSpoolStates) {
    std::error_code ec;
    if (fs::exists(spool_ / state / id, ec))
      found.push_back(state);
  }
  return found;
}

std::string DaemonE2eTest::Diagnostics() {
  std::ostringstream out;
  for (const auto& log : logs_)
    out << "---- " << log.string() << "\n" << ReadFile(log);
  out << "---- spool " << spool_.string() << "\n";
  for (const auto& state : kSpoolStates) {
    out << state << "/:";
    std::error_code ec;
    for (fs::directory_iterator it(spool_ / state, ec), end; !ec && it != end; it.increment(ec))
      out << " " << it->path().filename().string();
    out << "\n";
  }
  return out.str();
}

namespace {

std::vector<fs::path> FilesUnder(const fs::path& root, bool (*in_place)(const fs::path&)) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && in_place(it->path().parent_path().filename()))
      files.push_back(it->path());
  }
  return files;
}

}  // namespace

std::vector<fs::path> DaemonE2eTest::MessageFiles(const fs::path& root) {
  return FilesUnder(root, [](const fs::path& dir) { return dir == "cur" || dir == "new"; });
}

std::vector<fs::path> DaemonE2eTest::TmpFiles(const fs::path& root) {
  return FilesUnder(root, [](const fs::path& dir) { return dir == "tmp"; });
}

std::string DaemonE2eTest::IdentityOf(const fs::path& message) {
  // The header is folded (RFC 5322 2.2.3): continuation lines start with a space or tab.
  std::istringstream in(ReadFile(message));
  std::string line, value;
  bool in_identity = false;
  const std::string header = "x-ccm-identity:";
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty())
      break;
    if (line[0] == ' ' || line[0] == '\t') {
      if (in_identity)
        value += line;
      continue;
    }
    if (in_identity)
      break;
    if (ccm::EqualsIgnoreCase(line.substr(0, header.size()), header)) {
      in_identity = true;
      value = line.substr(header.size());
    }
  }
  return value;
}

std::string DaemonE2eTest::ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void DaemonE2eTest::WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::map<std::string, std::string> DaemonE2eTest::FolderContents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file())
      files[fs::relative(e.path(), dir).string()] = ReadFile(e.path());
  }
  return files;
}

namespace {

const std::string kAvery = "cn=Avery Quinn,ou=Recipients,dc=example,dc=test";
const std::string kJordan = "cn=Jordan Lee,ou=Recipients,dc=example,dc=test";
const std::string kTeam = "cn=Cutover Team,ou=Recipients,dc=example,dc=test";

bool HasValue(const std::multimap<std::string, std::string>& entry, const std::string& attr,
              const std::string& value) {
  auto [first, last] = entry.equal_range(attr);
  for (auto it = first; it != last; ++it) {
    if (it->second == value)
      return true;
  }
  return false;
}

std::size_t CountPrefixed(const std::multimap<std::string, std::string>& entry,
                          const std::string& attr, const std::string& prefix) {
  std::size_t n = 0;
  auto [first, last] = entry.equal_range(attr);
  for (auto it = first; it != last; ++it)
    n += it->second.rfind(prefix, 0) == 0 ? 1u : 0u;
  return n;
}

}  // namespace

void DaemonE2eTest::ExpectSampleImported() {
  for (const auto& dn : {kAvery, kJordan}) {
    const auto entry = Entry(dn);
    ASSERT_FALSE(entry.empty()) << dn << " is gone";
    EXPECT_TRUE(HasValue(entry, "objectclass", "ccmMailbox")) << dn;
    EXPECT_FALSE(HasValue(entry, "objectclass", "ccmCustomRecipient")) << dn;
    EXPECT_EQ(CountPrefixed(entry, "ccmproxyaddress", "migrate:"), 1u) << dn;
  }
  EXPECT_TRUE(HasValue(Entry(kAvery), "ccmproxyaddress", "SMTP:aquinn@corvane.example"));
  const auto team = Entry(kTeam);
  EXPECT_TRUE(HasValue(team, "member", kAvery));
  EXPECT_TRUE(HasValue(team, "member", kJordan));
  // Priya (another post office) is untouched.
  EXPECT_TRUE(HasValue(Entry("cn=Priya Natarajan,ou=Recipients,dc=example,dc=test"), "objectclass",
                       "ccmCustomRecipient"));

  // Avery's mailbox (ccmMailStore): her three messages and her address book.
  const auto messages = MessageFiles(mail_ / "aquinn");
  ASSERT_EQ(messages.size(), 4u) << Diagnostics();
  std::set<std::string> identities;
  for (const auto& m : messages)
    identities.insert(IdentityOf(m));
  EXPECT_EQ(identities.size(), 4u);
  EXPECT_EQ(std::count_if(
                identities.begin(), identities.end(),
                [](const std::string& id) { return id.find("ccm1-pab:") != std::string::npos; }),
            1);
  EXPECT_EQ(identities.count(""), 0u);
  EXPECT_TRUE(MessageFiles(mail_ / "jlee").empty());
  EXPECT_TRUE(TmpFiles(mail_).empty());
}

}  // namespace ccm::test
