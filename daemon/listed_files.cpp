// listed_files.cpp — a bounded reader of the packing list's file names. See listed_files.h.
#include "daemon/listed_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace ccm::daemon {
namespace {

constexpr std::size_t kMaxPackingListBytes = 16u << 20;
constexpr std::size_t kMaxLineBytes = 1u << 20;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Splits `line` at the comma outside quotes; unquotes a quoted first field.
Result<std::pair<std::string, std::string>, std::string> SplitEntry(std::string_view line) {
  std::string name;
  std::size_t i = 0;
  if (!line.empty() && line[0] == '"') {
    for (i = 1; i < line.size(); ++i) {
      if (line[i] == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          name += '"';
          ++i;
        } else {
          break;
        }
      } else {
        name += line[i];
      }
    }
    if (i >= line.size())
      return Fail(std::string("unterminated quote"));
    ++i;
    if (i >= line.size() || line[i] != ',')
      return Fail(std::string("text after closing quote"));
  } else {
    i = line.find(',');
    if (i == std::string_view::npos)
      return Fail(std::string("expected name,type"));
    name = std::string(line.substr(0, i));
  }
  return std::pair{name, std::string(line.substr(i + 1))};
}

}  // namespace

Result<std::vector<std::string>, std::string> ReadListedFiles(const std::filesystem::path& pkl) {
  const std::string where = pkl.filename().string();
  const int fd = ::open(pkl.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return Fail(where + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(where + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxPackingListBytes) {
    ::close(fd);
    return Fail(where + ": larger than " + std::to_string(kMaxPackingListBytes) + " bytes");
  }
  std::string content(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < content.size()) {
    const auto n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  content.resize(got);

  // Physical lines: CR LF, bare CR or LF.
  std::vector<std::string_view> lines;
  std::string_view rest(content);
  while (!rest.empty()) {
    const auto end = rest.find_first_of("\r\n");
    const auto line = rest.substr(0, end);
    if (line.size() > kMaxLineBytes) {
      return Fail(where + ":" + std::to_string(lines.size() + 1) + ": line longer than " +
                  std::to_string(kMaxLineBytes) + " bytes");
    }
    if (end == std::string_view::npos) {
      return Fail(where + ":" + std::to_string(lines.size() + 1) + ": no line end at end of file");
    }
    lines.push_back(line);
    std::size_t skip = 1;
    if (rest[end] == '\r' && end + 1 < rest.size() && rest[end + 1] == '\n')
      skip = 2;
    rest.remove_prefix(end + skip);
  }

  std::vector<std::string> names;
  enum class Want { kCodePage, kHeaderOrEntry, kEntry } want = Want::kCodePage;
  bool primary_seen = false;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const auto line = lines[n];
    const auto at = where + ":" + std::to_string(n + 1) + ": ";
    if (line.empty() || line[0] == '!')
      continue;
    if (want == Want::kCodePage) {
      if (line.size() > 5 ||
          !std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Fail(at + "expected the code page number");
      }
      want = Want::kHeaderOrEntry;
      continue;
    }
    auto entry = SplitEntry(line);
    if (!entry)
      return Fail(at + entry.error());
    auto& [name, type] = *entry;
    if (want == Want::kHeaderOrEntry) {
      want = Want::kEntry;
      if (EqualsNoCase(name, "Filename") && EqualsNoCase(type, "Filetype"))
        continue;
    }
    if (EqualsNoCase(type, "Primary")) {
      primary_seen = true;
    } else if (!EqualsNoCase(type, "Secondary")) {
      return Fail(at + "file type must be Primary or Secondary");
    }
    if (name.empty())
      return Fail(at + "empty file name");
    names.push_back(std::move(name));
  }
  if (want == Want::kCodePage)
    return Fail(where + ": no code page line");
  if (!primary_seen)
    return Fail(where + ": no primary file listed");
  return names;
}

}  // namespace ccm::daemon
