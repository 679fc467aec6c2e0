// generated_set.cpp — runs ccm-gen-set and loads its directory LDIF. See generated_set.h.
#include "tests/e2e/generated_set.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "tests/support/program.h"

namespace ccm::test {

GeneratedSet GenerateSet(DaemonE2eTest& world, const std::filesystem::path& work,
                         const std::string& name, std::uint64_t users, std::uint64_t messages,
                         std::uint64_t no_mail_every, const std::string& post_office) {
  GeneratedSet set;
  set.dir = work / name / "set";
  set.base = "ou=" + name + ",ou=Recipients,dc=example,dc=test";
  set.users = users;
  set.messages_per_user = messages;
  set.users_with_mail = users - (no_mail_every > 0 ? users / no_mail_every : 0);
  const auto ldif = work / name / "dir.ldif";
  std::filesystem::create_directories(work / name);
  auto run = RunProgram({CCM_GEN_SET, "--out", set.dir.string(), "--users", std::to_string(users),
                         "--messages", std::to_string(messages), "--no-mail-every",
                         std::to_string(no_mail_every), "--seed", "5", "--post-office", post_office,
                         "--directory-ldif", ldif.string()});
  if (!run || run->exit_code != 0) {
    ADD_FAILURE() << "ccm-gen-set: " << (run ? run->output : run.error());
    return set;
  }
  std::smatch m;
  if (std::regex_search(run->output, m, std::regex("\"messages\":([0-9]+)")))
    set.messages = std::stoull(m[1]);
  if (std::regex_search(run->output, m, std::regex("\"pab\":([0-9]+)")))
    set.pab_sections = std::stoull(m[1]);
  EXPECT_EQ(set.messages, set.users_with_mail * messages) << run->output;

  std::string text = DaemonE2eTest::ReadFile(ldif);
  text = std::regex_replace(text, std::regex(",ou=Recipients,dc=example,dc=test"), "," + set.base);
  text = "dn: " + set.base + "\nobjectClass: organizationalUnit\nou: " + name + "\n\n" + text;
  DaemonE2eTest::WriteFile(ldif, text);
  auto loaded = world.slapd().LoadLdif(ldif.string());
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error());
  return set;
}

}  // namespace ccm::test

namespace ccm::test {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

}  // namespace

void ExpectGeneratedSetImported(DaemonE2eTest& world, const GeneratedSet& set,
                                const std::string& id) {
  ASSERT_EQ(world.WhereIs(id), std::vector<std::string>{"done"}) << world.Diagnostics();
  const auto folder = world.spool() / "done" / id;
  const std::string report = DaemonE2eTest::ReadFile(folder / "report.json");
  EXPECT_NE(report.find("\"outcome\":\"done\""), std::string::npos) << report.substr(0, 600);

  // The directory: all converted, each once.
  EXPECT_EQ(world.CountEntries("(objectClass=ccmCustomRecipient)", set.base), 0u);
  EXPECT_EQ(world.CountEntries("(objectClass=ccmMailbox)", set.base), set.users);
  std::map<std::string, int> migrate;
  std::string dn;
  for (const auto& line :
       Lines(world.Search("(objectClass=ccmMailbox)", {"ccmProxyAddress"}, set.base))) {
    if (line.rfind("dn: ", 0) == 0) {
      dn = line.substr(4);
      migrate[dn] += 0;
    } else if (line.rfind("ccmProxyAddress: migrate:", 0) == 0) {
      ++migrate[dn];
    }
  }
  EXPECT_EQ(migrate.size(), set.users);
  for (const auto& [entry, n] : migrate)
    EXPECT_EQ(n, 1) << entry << " has " << n << " migrate: proxies";

  // The journal: every prior state journaled before a conversion is still a custom recipient.
  const std::filesystem::path journal_dir = world.JournalDir(id);
  EXPECT_FALSE(journal_dir.empty());
  const auto journal = Lines(DaemonE2eTest::ReadFile(journal_dir / "journal.ldif"));
  std::size_t priors = 0;
  for (std::size_t i = 0; i < journal.size(); ++i) {
    if (journal[i] != "# prior state:")
      continue;
    ++priors;
    bool custom = false;
    std::string who;
    for (std::size_t j = i + 1; j < journal.size() && !journal[j].empty(); ++j) {
      custom = custom || journal[j] == "objectClass: ccmCustomRecipient";
      if (journal[j].rfind("dn: ", 0) == 0)
        who = journal[j];
    }
    EXPECT_TRUE(custom) << "journal plans a second conversion of " << who;
  }
  EXPECT_GE(priors, set.users);
  // The audit: each applied conversion at most once.
  std::map<std::string, int> applied;
  for (const auto& line : Lines(DaemonE2eTest::ReadFile(journal_dir / "audit.ldif"))) {
    const auto at = line.find(" convert ");
    if (line.rfind("# ccmigrate applied ", 0) == 0 && at != std::string::npos)
      ++applied[line.substr(at + 9)];
  }
  EXPECT_LE(applied.size(), set.users);
  EXPECT_GE(applied.size(), 1u);
  for (const auto& [who, n] : applied)
    EXPECT_EQ(n, 1) << who << " applied " << n << " times";

  // The mail: this set's mailboxes (report.json names them) hold exactly the generator's
  // messages, each once.
  std::set<std::string> keys;
  const std::regex key("\"mail_store\":\"([^\"]+)\"");
  for (std::sregex_iterator it(report.begin(), report.end(), key), end; it != end; ++it)
    keys.insert((*it)[1]);
  EXPECT_EQ(keys.size(), set.users);
  std::size_t total = 0, with_mail = 0, books = 0;
  std::set<std::string> identities;
  for (const auto& k : keys) {
    auto files = DaemonE2eTest::MessageFiles(world.mail() / k);
    // Address books (address_book_message.h) are counted apart from the messages.
    const auto first_book = std::stable_partition(files.begin(), files.end(), [](const auto& f) {
      return DaemonE2eTest::IdentityOf(f).find("ccm1-pab:") == std::string::npos;
    });
    EXPECT_LE(files.end() - first_book, 1) << "mailbox " << k << ": address book twice";
    books += static_cast<std::size_t>(files.end() - first_book);
    files.erase(first_book, files.end());
    total += files.size();
    if (files.empty())
      continue;
    ++with_mail;
    EXPECT_EQ(files.size(), set.messages_per_user) << "mailbox " << k;
    std::set<std::string> prefixes;
    for (const auto& f : files) {
      const std::string name = f.filename().string();
      EXPECT_TRUE(prefixes.insert(name.substr(0, name.find(':'))).second)
          << "duplicate message " << f;
      const std::string identity = DaemonE2eTest::IdentityOf(f);
      EXPECT_FALSE(identity.empty()) << f;
      EXPECT_TRUE(identities.insert(identity).second) << "identity twice: " << identity;
    }
  }
  EXPECT_EQ(with_mail, set.users_with_mail);
  EXPECT_EQ(total, set.messages);
  EXPECT_EQ(books, set.pab_sections);
  EXPECT_TRUE(DaemonE2eTest::TmpFiles(world.mail()).empty());
}

}  // namespace ccm::test
