// json_text.h — the one JSON helper the daemon needs for its small state files (status.json,
// retry.json, fallback report.json): a string quoted and escaped per RFC 8259. Bytes that are
// not valid UTF-8 are written as \u00XX of the byte so the output is always valid JSON.
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace ccm::daemon {

/// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace ccm::daemon
