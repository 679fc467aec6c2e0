// generate_set.cpp — ccm-gen-set: writes a synthetic cc:Mail migration file set for tests and
// benchmarks (docs/file-format.md; options in bench/gen/set_options.cpp, `--help`).
//
// It is written independently of parser/ so that its sets are an oracle for the reader: the
// JSON summary on stdout states what `ccmigrate check` must find. Timing goes to stderr so that
// stdout is as deterministic as the files. Exit 0 on success, 1 on a write error, 64 on a
// usage error.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/gen/set_generator.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto options = ccm::bench::ParseSetOptions(args);
  if (!options) {
    const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
    std::fprintf(help ? stdout : stderr, "%s%s",
                 help ? "" : "ccm-gen-set: ", options.error().c_str());
    if (!help)
      std::fprintf(stderr, "\n%s", ccm::bench::SetOptionsUsage().c_str());
    return help ? 0 : 64;
  }
  const auto start = std::chrono::steady_clock::now();
  auto summary = ccm::bench::GenerateSet(*options);
  if (!summary) {
    std::fprintf(stderr, "ccm-gen-set: %s\n", summary.error().c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s\n", ccm::bench::SummaryJson(*summary).c_str());
  const double mib = static_cast<double>(summary->bytes + summary->ldif_bytes) / (1024.0 * 1024.0);
  std::fprintf(stderr, "ccm-gen-set: %.1f MiB in %.2f s (%.0f MiB/s)\n", mib, seconds,
               seconds > 0 ? mib / seconds : 0.0);
  return 0;
}
