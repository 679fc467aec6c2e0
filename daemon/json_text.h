// json_text.h — the one JSON helper the daemon's small state files need (status.json,
// retry.json, fallback report.json): a string quoted and escaped by the project's JSON rules
// (ccm::JsonEscape in common/ccm/json_writer.h: RFC 8259 escapes; a byte that is not valid
// UTF-8 becomes U+FFFD, so the output is always valid JSON).
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace ccm::daemon {

/// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace ccm::daemon
