// source_address.h — matching keys for cc:Mail source addresses
// (docs/file-format.md#owner-addresses).
//
// A source address identifies a user in the old system ("CCMAIL:Quinn, Avery at HQPO"). For
// matching, NormalizeSourceAddress strips one optional MIGRATE: prefix, folds ASCII case (type
// and value), trims, squeezes runs of spaces to one, and drops spaces after ','. So
// "migrate:ccmail:QUINN,  Avery   at HQPO" and "CCMAIL:Quinn,Avery at HQPO" share one key.
// "First Last" and "Last, First" deliberately stay different (no false matches). The original
// spelling is kept by callers for writing.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ccm::parser {

/// `address` without one leading, case-insensitive "MIGRATE:".
std::string_view StripMigratePrefix(std::string_view address);
/// The matching key of a source address.
std::string NormalizeSourceAddress(std::string_view address);

}  // namespace ccm::parser
