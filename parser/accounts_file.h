// accounts_file.h — the optional accounts file of docs/file-format.md: one source
// address per line, the only way to name users that have no DIRECTORY record and no PAB section.
//
// Format: one address per line (CR LF or LF), an optional MIGRATE: prefix is stripped, blank
// lines and lines starting with '!' or '#' are ignored. The file is opened without following
// links, must be a regular file and at most 16 MiB.
//
// Thread safety: a pure function of the file's contents.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::parser {

/// One address from an accounts file.
struct AccountLine {
  std::string address;  ///< as written, MIGRATE: stripped
  std::uint64_t line = 0;
};

/// Reads an accounts file at `path`.
Result<std::vector<AccountLine>, std::string> ReadAccountsFile(const std::string& path);
/// Parses accounts-file bytes (tests).
std::vector<AccountLine> ParseAccounts(std::string_view bytes);

}  // namespace ccm::parser
