// generator_test.cpp — the synthetic set generator (bench/gen) is deterministic, writes what it
// was asked for, and writes sets whose framing is right: every pointer lands on a secondary
// section header, every line ends in CR LF. These properties make it an oracle for the reader.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "bench/gen/set_generator.h"
#include "bench/gen/user_files.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace ccm::bench {
namespace {

namespace fs = std::filesystem;

using ccm::test::TempDir;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> ReadSet(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    files[e.path().filename().string()] = ReadFile(e.path());
  }
  return files;
}

SetOptions Small(const fs::path& out) {
  SetOptions o;
  o.out = out;
  o.users = 12;
  o.messages = 9;
  o.body_bytes = 300;
  o.attachment_bytes = 200;
  o.attachment_every = 4;
  o.no_mail_every = 5;
  o.free_documents = true;
  o.seed = 7;
  return o;
}

TEST(GenerateSet, SameSeedGivesIdenticalBytes) {
  TempDir a, b;
  SetOptions oa = Small(a.path() / "set");
  SetOptions ob = Small(b.path() / "set");
  oa.directory_ldif = a.path() / "dir.ldif";
  ob.directory_ldif = b.path() / "dir.ldif";
  ASSERT_TRUE(GenerateSet(oa).ok());
  ASSERT_TRUE(GenerateSet(ob).ok());
  const auto sa = ReadSet(oa.out);
  EXPECT_EQ(sa, ReadSet(ob.out));
  EXPECT_EQ(ReadFile(*oa.directory_ldif), ReadFile(*ob.directory_ldif));
  // PKL, Directory.pri, 11 PRI (user 5 has neither mail nor PAB), 10 SEC.
  EXPECT_EQ(sa.size(), 1u + 1u + 11u + 10u);
}

TEST(GenerateSet, DifferentSeedGivesDifferentContentSameUsers) {
  TempDir a, b;
  SetOptions oa = Small(a.path());
  SetOptions ob = Small(b.path());
  ob.seed = 8;
  auto ra = GenerateSet(oa);
  auto rb = GenerateSet(ob);
  ASSERT_TRUE(ra.ok() && rb.ok());
  const auto sa = ReadSet(oa.out);
  const auto sb = ReadSet(ob.out);
  EXPECT_NE(sa.at("00000001.SEC"), sb.at("00000001.SEC"));
  EXPECT_NE(sa.at("00000001.PRI"), sb.at("00000001.PRI"));
  EXPECT_EQ(ra->users_missing_mailmessage, rb->users_missing_mailmessage);
  EXPECT_EQ(ra->messages, rb->messages);
}

TEST(GenerateSet, CountsAreWhatWasAskedFor) {
  TempDir t;
  const SetOptions o = Small(t.path());
  auto r = GenerateSet(o);
  ASSERT_TRUE(r.ok()) << r.error();
  // Users 5 and 10 (1-based) have no mail; 10 users x 9 messages.
  ASSERT_EQ(r->users_missing_mailmessage.size(), 2u);
  EXPECT_EQ(r->users_missing_mailmessage[0], MakePerson(4, "HQPO").source_address);
  EXPECT_EQ(r->users_missing_mailmessage[1], MakePerson(9, "HQPO").source_address);
  EXPECT_EQ(r->users, 12u);
  EXPECT_EQ(r->mailmessage_sections, 10u);
  EXPECT_EQ(r->messages, 90u);
  // Per user: message 3 is a free document (m % 7 == 3); messages 4 and 8 have attachments.
  EXPECT_EQ(r->documents, 10u);
  EXPECT_EQ(r->attachments, 20u);
  EXPECT_EQ(r->pab_sections, 4u);  // users 0, 3, 6, 9 (0-based)

  // Independently: count what the files hold.
  const auto set = ReadSet(o.out);
  std::uint64_t mail_sections = 0, attachments = 0, documents = 0, bytes = 0;
  for (const auto& [name, data] : set) {
    bytes += data.size();
    if (name.ends_with(".PRI")) {
      for (std::size_t p = data.find("\r\nMAILMESSAGE,"); p != std::string::npos;
           p = data.find("\r\nMAILMESSAGE,", p + 1)) {
        ++mail_sections;
      }
    }
    if (name.ends_with(".SEC")) {
      for (std::size_t p = data.find("\nAttachment,"); p != std::string::npos;
           p = data.find("\nAttachment,", p + 1)) {
        ++attachments;
      }
      for (std::size_t p = data.find("\nDocument,"); p != std::string::npos;
           p = data.find("\nDocument,", p + 1)) {
        ++documents;
      }
    }
  }
  // Users with a PAB have a blank line before MAILMESSAGE; the others start the file with it.
  for (const auto& [name, data] : set) {
    if (name.ends_with(".PRI") && data.starts_with("MAILMESSAGE,"))
      ++mail_sections;
  }
  EXPECT_EQ(mail_sections, 10u);
  // Body text holds trap lines starting "Attachment," — so count at least, never fewer.
  EXPECT_GE(attachments, 20u);
  EXPECT_EQ(documents, 10u);
  EXPECT_EQ(bytes, r->bytes);
  EXPECT_EQ(r->files, set.size());
}

TEST(GenerateSet, EveryPointerLandsOnASectionHeaderAndChainsEnd) {
  TempDir t;
  const SetOptions o = Small(t.path());
  ASSERT_TRUE(GenerateSet(o).ok());
  const auto set = ReadSet(o.out);
  const std::regex pointer(R"(#([0-9]{8}\.SEC)\(([0-9]+)\))");
  const std::regex header(R"(^(Body|Attachment|Document|Other),([0-9]+),,(TRUE|True|FALSE),)");
  int pointers = 0;
  for (const auto& [name, data] : set) {
    if (!name.ends_with(".PRI"))
      continue;
    for (std::sregex_iterator it(data.begin(), data.end(), pointer), end; it != end; ++it) {
      ++pointers;
      const std::string& sec = set.at((*it)[1].str());
      std::size_t at = std::stoull((*it)[2].str());
      // Follow the chain by length, as the reader does.
      for (int hops = 0;; ++hops) {
        ASSERT_LT(hops, 3);
        ASSERT_LT(at, sec.size());
        const std::size_t eol = sec.find("\r\n", at);
        ASSERT_NE(eol, std::string::npos);
        const std::string line = sec.substr(at, eol - at);
        std::smatch m;
        ASSERT_TRUE(std::regex_search(line, m, header)) << name << ": " << line;
        const std::size_t data_end = eol + 2 + std::stoull(m[2].str());
        ASSERT_LE(data_end + 2, sec.size());
        ASSERT_EQ(sec.substr(data_end, 2), "\r\n");
        if (m[3].str() != "FALSE")
          break;
        at = data_end + 2;
      }
    }
  }
  EXPECT_EQ(
      pointers, 90 + 0 /* Other notes counted below */ + [&] {
        int notes = 0;
        for (const auto& [name, data] : set) {
          if (!name.ends_with(".SEC"))
            continue;
          for (std::size_t p = data.find("\r\nOther,"); p != std::string::npos;
               p = data.find("\r\nOther,", p + 1)) {
            ++notes;
          }
        }
        return notes;
      }());
}

TEST(GenerateSet, PrimaryFilesUseCrLfOnly) {
  TempDir t;
  const SetOptions o = Small(t.path());
  ASSERT_TRUE(GenerateSet(o).ok());
  for (const auto& [name, data] : ReadSet(o.out)) {
    if (name.ends_with(".SEC"))
      continue;
    ASSERT_TRUE(data.ends_with("\r\n")) << name;
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data[i] == '\n') {
        ASSERT_TRUE(i > 0 && data[i - 1] == '\r') << name << " at " << i;
      }
      if (data[i] == '\r') {
        ASSERT_TRUE(i + 1 < data.size() && data[i + 1] == '\n') << name << " at " << i;
      }
    }
  }
}

TEST(GenerateSet, RefusesANonEmptyDirectory) {
  TempDir t;
  std::ofstream(t.path() / "x") << "x";
  const auto r = GenerateSet(Small(t.path()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("not empty"), std::string::npos);
}

TEST(ParseSetOptions, ReadsEveryOptionAndRejectsBadOnes) {
  auto o = ParseSetOptions({"--out",
                            "/x",
                            "--users",
                            "3",
                            "--messages",
                            "4",
                            "--body-bytes",
                            "10",
                            "--attachment-bytes",
                            "5",
                            "--attachment-every",
                            "2",
                            "--no-mail-every",
                            "3",
                            "--seed",
                            "9",
                            "--free-documents",
                            "--code-page",
                            "850",
                            "--directory-ldif",
                            "/y.ldif"});
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->users, 3u);
  EXPECT_EQ(o->messages, 4u);
  EXPECT_EQ(o->body_bytes, 10u);
  EXPECT_EQ(o->attachment_bytes, 5u);
  EXPECT_EQ(o->attachment_every, 2u);
  EXPECT_EQ(o->no_mail_every, 3u);
  EXPECT_EQ(o->seed, 9u);
  EXPECT_TRUE(o->free_documents);
  EXPECT_EQ(o->code_page, 850u);
  EXPECT_EQ(o->directory_ldif, fs::path("/y.ldif"));
  EXPECT_FALSE(ParseSetOptions({"--users", "3"}).ok());                         // no --out
  EXPECT_FALSE(ParseSetOptions({"--out", "/x", "--users", "-1"}).ok());         // not a number
  EXPECT_FALSE(ParseSetOptions({"--out", "/x", "--bogus", "1"}).ok());          // unknown
  EXPECT_FALSE(ParseSetOptions({"--out", "/x", "--code-page", "65001"}).ok());  // Unicode
}

TEST(GenSetBinary, PrintsSummaryAndExits64OnUsageError) {
  TempDir t;
  const std::string bin = CCM_GEN_SET_BINARY;
  const std::string out = (t.path() / "set").string();
  const std::string summary = (t.path() / "summary.json").string();
  int rc = std::system(
      (bin + " --out " + out + " --users 3 --messages 2 >" + summary + " 2>/dev/null").c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 0);
  EXPECT_NE(ReadFile(summary).find("\"messages\":6"), std::string::npos);
  rc = std::system((bin + " --users 3 2>/dev/null").c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 64);
}

}  // namespace
}  // namespace ccm::bench
