// set_generator.h — writes a whole synthetic migration file set: the packing list
// (<PO>.PKL), Directory.pri with one DIRECTORY section for every user, the per-user
// primary/secondary files, and optionally an LDIF with one custom recipient per user for the
// import benchmark.
//
// Inputs: SetOptions. Output: files under options.out (created; must not exist or be empty),
// streamed so memory stays bounded by the number of users without mail (their addresses are
// kept for the summary). Deterministic: same options, same bytes.
// Diagnostics: errors name the path. Thread safety: one call at a time per output directory.
#pragma once

#include <string>

#include "bench/gen/set_options.h"
#include "ccm/result.h"

namespace ccm::bench {

/// Generates the set described by `options`; returns what was written.
Result<SetSummary, std::string> GenerateSet(const SetOptions& options);

/// The summary as one JSON object (keys named like `ccmigrate check --json` where they overlap).
std::string SummaryJson(const SetSummary& summary);

}  // namespace ccm::bench
