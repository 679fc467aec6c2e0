// check_generated_set_test.cpp — `ccmigrate check` (the real binary) against sets written by the
// synthetic generator, whose summary is the oracle: a valid set with users without mail passes
// with the expected user, message, attachment and document counts and lists exactly those users
// as missing a MAILMESSAGE section; a set with one corrupted pointer is reported invalid with
// the file and line of the pointer.
#include <sys/wait.h>

#include <algorithm>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/gen/set_generator.h"
#include "ccm/ascii.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace ccm::bench {
namespace {

namespace fs = std::filesystem;
namespace pt = boost::property_tree;

using ccm::test::TempDir;

struct CheckRun {
  int exit_code = -1;
  std::string output;
};

CheckRun RunCheck(const fs::path& pkl, const std::string& extra) {
  const std::string command =
      std::string(CCMIGRATE_BINARY) + " check " + extra + " '" + pkl.string() + "' 2>/dev/null";
  CheckRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return run;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    run.output.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

pt::ptree ParseJson(const std::string& text) {
  pt::ptree tree;
  std::istringstream in(text);
  pt::read_json(in, tree);
  return tree;
}

std::vector<std::string> Strings(const pt::ptree& list) {
  std::vector<std::string> out;
  for (const auto& [key, value] : list)
    out.push_back(value.get_value<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

// `sections` holds counts by kind; accept the kind names in any case.
std::uint64_t SectionCount(const pt::ptree& sections, std::string kind) {
  for (const auto& [key, value] : sections) {
    if (ccm::EqualsIgnoreCase(key, kind))
      return value.get_value<std::uint64_t>();
  }
  return 0;
}

SetOptions Options(const fs::path& out) {
  SetOptions o;
  o.out = out;
  o.users = 23;
  o.messages = 8;
  o.body_bytes = 700;
  o.attachment_bytes = 3000;
  o.attachment_every = 3;
  o.no_mail_every = 4;
  o.free_documents = true;
  o.seed = 11;
  return o;
}

TEST(CheckGeneratedSet, CountsMatchTheGeneratorAndUsersWithoutMailAreListed) {
  TempDir t;
  const SetOptions o = Options(t.path() / "HQPO.001");
  auto summary = GenerateSet(o);
  ASSERT_TRUE(summary.ok()) << summary.error();
  ASSERT_EQ(summary->users_missing_mailmessage.size(), 5u);  // users 4, 8, ..., 20

  const CheckRun run = RunCheck(summary->packing_list, "--json");
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.exit_code << "\n" << run.output;
  const pt::ptree json = ParseJson(run.output);
  EXPECT_TRUE(json.get<bool>("valid"));
  EXPECT_EQ(json.get<std::uint64_t>("users"), o.users);
  auto expected_missing = summary->users_missing_mailmessage;
  std::sort(expected_missing.begin(), expected_missing.end());
  EXPECT_EQ(Strings(json.get_child("users_missing_mailmessage")), expected_missing);
  EXPECT_EQ(json.get<std::uint64_t>("messages"), summary->messages);
  EXPECT_EQ(json.get<std::uint64_t>("attachments"), summary->attachments);
  EXPECT_EQ(json.get<std::uint64_t>("documents"), summary->documents);
  EXPECT_EQ(json.get<std::uint64_t>("bytes"), summary->bytes);  // every file, .PKL included
  const auto& sections = json.get_child("sections");
  EXPECT_EQ(SectionCount(sections, "directory"), summary->directory_sections);
  EXPECT_EQ(SectionCount(sections, "pab"), summary->pab_sections);
  EXPECT_EQ(SectionCount(sections, "mailmessage"), summary->mailmessage_sections);
  for (const auto& [key, problem] : json.get_child("problems")) {
    EXPECT_NE(problem.get<std::string>("severity"), "error")
        << problem.get<std::string>("file") << ": " << problem.get<std::string>("message");
  }
}

TEST(CheckGeneratedSet, OtherCodePageAndNoPabsIsValidToo) {
  TempDir t;
  SetOptions o = Options(t.path() / "set");
  o.code_page = 850;
  o.pab_every = 0;
  o.no_mail_every = 0;
  auto summary = GenerateSet(o);
  ASSERT_TRUE(summary.ok()) << summary.error();
  const CheckRun run = RunCheck(summary->packing_list, "--json");
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.exit_code << "\n" << run.output;
  const pt::ptree json = ParseJson(run.output);
  EXPECT_TRUE(json.get<bool>("valid"));
  EXPECT_TRUE(json.get_child("users_missing_mailmessage").empty());
  EXPECT_EQ(json.get<std::uint64_t>("messages"), summary->messages);
}

TEST(CheckGeneratedSet, ACorruptedPointerMakesTheSetInvalidAndIsLocated) {
  TempDir t;
  const SetOptions o = Options(t.path() / "set");
  auto summary = GenerateSet(o);
  ASSERT_TRUE(summary.ok()) << summary.error();
  // Move the first Body pointer of user 2's primary file one byte off its section header.
  const fs::path pri = o.out / "00000002.PRI";
  std::string text;
  {
    std::ifstream in(pri, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  // Pick a pointer whose record is not continued from the line before, so that the record's
  // first physical line is the pointer's line.
  std::size_t at = text.find("#00000002.SEC(");
  while (at != std::string::npos) {
    const std::size_t line_start = text.rfind("\r\n", at);
    if (line_start == std::string::npos || line_start < 2 ||
        text.compare(line_start - 2, 2, "\\\\") != 0) {
      break;
    }
    at = text.find("#00000002.SEC(", at + 1);
  }
  ASSERT_NE(at, std::string::npos);
  const std::size_t open = at + std::string("#00000002.SEC(").size();
  const std::size_t close = text.find(')', open);
  const auto offset = std::stoull(text.substr(open, close - open));
  text.replace(open, close - open, std::to_string(offset + 1));
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  fs::remove(pri);
  std::ofstream(pri, std::ios::binary) << text;

  const CheckRun run = RunCheck(summary->packing_list, "");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  // Problem lines read FILE:LINE: severity: message; the pointer's primary line or the
  // secondary offset must be named.
  const bool names_pointer =
      run.output.find("00000002.PRI:" + std::to_string(line) + ":") != std::string::npos ||
      run.output.find("00000002.SEC:" + std::to_string(offset + 1) + ":") != std::string::npos;
  EXPECT_TRUE(names_pointer) << run.output;
}

TEST(CheckGeneratedSet, OutputIsTheSameOnOneThreadAndOnSeveral) {
  TempDir t;
  SetOptions o = Options(t.path() / "set");
  o.users = 40;
  auto summary = GenerateSet(o);
  ASSERT_TRUE(summary.ok()) << summary.error();
  // Problems in several users' files, so that several readers find some: a pointer moved off
  // its header in every fifth user's primary file, and a stray file.
  for (int user = 1; user <= 36; user += 5) {
    char name[16];
    std::snprintf(name, sizeof name, "%08d", user);
    const fs::path pri = o.out / (std::string(name) + ".PRI");
    std::string text;
    {
      std::ifstream in(pri, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      text = s.str();
    }
    const std::string key = "#" + std::string(name) + ".SEC(";
    const std::size_t at = text.rfind(key);
    if (at == std::string::npos)
      continue;  // a user without mail
    const std::size_t open = at + key.size();
    const std::size_t close = text.find(')', open);
    text.replace(open, close - open,
                 std::to_string(std::stoull(text.substr(open, close - open)) + 1));
    fs::remove(pri);
    std::ofstream(pri, std::ios::binary) << text;
  }
  std::ofstream(o.out / "STRAY.TXT") << "not listed\n";

  for (const char* mode : {"--json", ""}) {
    const CheckRun one = RunCheck(summary->packing_list, std::string(mode) + " --threads 1");
    EXPECT_EQ(one.exit_code, 2) << one.output;
    EXPECT_NE(one.output.find("STRAY.TXT"), std::string::npos) << one.output;
    for (const char* threads : {" --threads 2", " --threads 4", ""}) {
      const CheckRun many = RunCheck(summary->packing_list, mode + std::string(threads));
      EXPECT_EQ(many.exit_code, one.exit_code) << threads;
      EXPECT_EQ(many.output, one.output) << mode << threads;
    }
  }
}

}  // namespace
}  // namespace ccm::bench
