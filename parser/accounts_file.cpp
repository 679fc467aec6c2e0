// accounts_file.cpp — reads the optional accounts file (see accounts_file.h).
#include "parser/accounts_file.h"

#include <fcntl.h>

#include "parser/byte_source.h"
#include "parser/source_address.h"

namespace ccm::parser {

std::vector<AccountLine> ParseAccounts(std::string_view bytes) {
  std::vector<AccountLine> accounts;
  std::uint64_t line = 0;
  while (!bytes.empty()) {
    std::size_t end = bytes.find('\n');
    std::string_view text = bytes.substr(0, end);
    bytes = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
    ++line;
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
      text.remove_suffix(1);
    }
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
      text.remove_prefix(1);
    if (text.empty() || text.front() == '!' || text.front() == '#')
      continue;
    accounts.push_back({std::string(StripMigratePrefix(text)), line});
  }
  return accounts;
}

Result<std::vector<AccountLine>, std::string> ReadAccountsFile(const std::string& path) {
  auto file = FileSource::Open(AT_FDCWD, path);
  if (!file)
    return Fail(std::move(file).error().message);
  if ((*file)->size() > (16u << 20))
    return Fail(path + ": accounts file larger than 16 MiB");
  std::string bytes(static_cast<std::size_t>((*file)->size()), '\0');
  auto got = (*file)->ReadAt(0, std::span<char>(bytes));
  if (!got)
    return Fail(path + ": " + got.error().message);
  bytes.resize(*got);
  return ParseAccounts(bytes);
}

}  // namespace ccm::parser
