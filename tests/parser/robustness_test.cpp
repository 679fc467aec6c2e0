// robustness_test.cpp — deterministic mutations of the sample set (flipped, inserted and
// deleted bytes, truncations) go through the whole-set scan, the fix planner and the writer:
// every outcome is values and diagnostics naming a file, never a crash or a hang. (The
// libFuzzer target in tests/fuzz explores further; this keeps a cheap guard in every test run.)
#include <gtest/gtest.h>

#include <random>

#include "parser/file_set.h"
#include "parser/fix.h"
#include "tests/parser/test_sets.h"

namespace ccm::parser {
namespace {

std::string Mutate(std::string bytes, std::mt19937& rng) {
  static const char kInteresting[] = {'\r', '\n', '"', ',', '\\', ';',    '%',
                                      '#',  '(',  ')', '!', '\0', '\x95', '\xff'};
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !bytes.empty(); ++i) {
    std::size_t at = rng() % bytes.size();
    switch (rng() % 5) {
      case 0:
        bytes[at] = kInteresting[rng() % sizeof kInteresting];
        break;
      case 1:
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     kInteresting[rng() % sizeof kInteresting]);
        break;
      case 2:
        bytes.erase(at, 1 + rng() % 3);
        break;
      case 3:
        bytes.resize(at);
        break;
      default:
        bytes[at] = static_cast<char>(rng());
        break;
    }
  }
  return bytes;
}

TEST(Robustness, MutatedAppendixSetsNeverCrash) {
  const char* names[] = {"HQPO.PKL", "Directory.pri", "00000001.PRI", "00000001.SEC"};
  std::vector<std::string> originals;
  for (const char* name : names)
    originals.push_back(testing::ReadFileBytes(testing::AppendixPath(name)));
  std::mt19937 rng(20261125);
  int scanned = 0;
  for (int round = 0; round < 10000; ++round) {
    MemoryDirectory dir;
    std::size_t target = rng() % 4;
    for (std::size_t i = 0; i < 4; ++i) {
      dir.Put(names[i], i == target ? Mutate(originals[i], rng) : originals[i]);
    }
    for (bool lenient : {false, true}) {
      ScanOptions options;
      options.reader.lenient = lenient;
      DiagnosticSink sink(50);
      auto scan = ScanFileSet(dir, "HQPO.PKL", options, sink);
      for (const auto& d : sink.kept())
        ASSERT_FALSE(d.file.empty()) << d.ToString();
      if (!scan)
        continue;
      ++scanned;
      EXPECT_EQ(scan->valid, sink.errors() == 0);
      FixPlan plan = PlanFix(*scan);
      for (const auto& section : plan.sections)
        EXPECT_FALSE(section.file.empty());
    }
  }
  EXPECT_GT(scanned, 5000);
}

}  // namespace
}  // namespace ccm::parser
