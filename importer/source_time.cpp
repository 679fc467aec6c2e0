// source_time.cpp — 14-digit source date-times and IANA zones; see source_time.h for the DST rule.
#include "importer/source_time.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "importer/tzif.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kMaxZoneFileBytes = 1 << 20;

bool ValidZoneName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/')
    return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '+' || c == '-' || c == '.';
    if (!ok)
      return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    std::string_view part =
        name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || part == "." || part == "..")
      return false;
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  return true;
}

Result<std::string, TimeError> ReadZoneFile(const fs::path& file, std::string_view name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(TimeError{"unknown time zone \"" + std::string(name) + "\" (no " + file.string() +
                          "; is the tzdata package installed?)"});
  }
  std::string bytes;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxZoneFileBytes) {
      return Fail(TimeError{file.string() + ": too large for a time zone file"});
    }
  }
  if (in.bad())
    return Fail(TimeError{"cannot read " + file.string()});
  return bytes;
}

bool Digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Number(std::string_view s) {
  int v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Result<LocalDateTime, TimeError> ParseSourceDateTime(std::string_view digits) {
  if (digits.size() != 14 || !Digits(digits)) {
    return Fail(
        TimeError{"date-time \"" + std::string(digits) + "\" is not 14 digits YYYYMMDDHHMMSS"});
  }
  LocalDateTime t{Number(digits.substr(0, 4)),  Number(digits.substr(4, 2)),
                  Number(digits.substr(6, 2)),  Number(digits.substr(8, 2)),
                  Number(digits.substr(10, 2)), Number(digits.substr(12, 2))};
  using namespace std::chrono;
  year_month_day ymd{year{t.year}, month{static_cast<unsigned>(t.month)},
                     day{static_cast<unsigned>(t.day)}};
  if (!ymd.ok()) {
    return Fail(TimeError{"date-time \"" + std::string(digits) + "\" names no calendar day"});
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 59) {
    return Fail(TimeError{"date-time \"" + std::string(digits) + "\" has an invalid time of day"});
  }
  return t;
}

Result<TimeZone, TimeError> TimeZone::FromTzif(std::string name, std::string_view bytes) {
  auto rules = ParseTzif(bytes);
  if (!rules)
    return Fail(TimeError{"time zone \"" + name + "\": " + rules.error()});
  return TimeZone(std::move(name), std::make_shared<const ZoneRules>(std::move(*rules)));
}

Result<TimeZone, TimeError> TimeZone::Load(std::string_view name, const fs::path& zoneinfo_dir) {
  if (!ValidZoneName(name)) {
    return Fail(TimeError{"\"" + std::string(name) + "\" is not an IANA time zone name"});
  }
  auto bytes = ReadZoneFile(zoneinfo_dir / fs::path(name), name);
  if (!bytes)
    return Fail(std::move(bytes.error()));
  return FromTzif(std::string(name), *bytes);
}

Result<TimeZone, TimeError> TimeZone::LoadLocal() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr) {
    std::string_view value(tz);
    if (!value.empty() && value.front() == ':')
      value.remove_prefix(1);
    if (value.empty())
      return Utc();
    if (value.front() == '/') {
      auto bytes = ReadZoneFile(fs::path(value), value);
      if (!bytes)
        return Fail(std::move(bytes.error()));
      return FromTzif(std::string(value), *bytes);
    }
    return Load(value);
  }
  std::error_code ec;
  if (!fs::exists("/etc/localtime", ec))
    return Utc();
  std::string name = "localtime";
  fs::path target = fs::read_symlink("/etc/localtime", ec);
  if (!ec) {
    std::string s = target.string();
    if (auto at = s.find("zoneinfo/"); at != std::string::npos)
      name = s.substr(at + 9);
  }
  auto bytes = ReadZoneFile("/etc/localtime", name);
  if (!bytes)
    return Fail(std::move(bytes.error()));
  return FromTzif(name, *bytes);
}

TimeZone TimeZone::Utc() {
  auto rules = std::make_shared<ZoneRules>();
  rules->offsets.push_back(0);
  return TimeZone("UTC", std::move(rules));
}

std::chrono::seconds TimeZone::OffsetAt(std::chrono::sys_seconds instant) const {
  return std::chrono::seconds(importer::OffsetAt(*rules_, instant.time_since_epoch().count()));
}

UtcConversion TimeZone::ToUtc(const LocalDateTime& local) const {
  using namespace std::chrono;
  const std::int64_t wall = sys_days(year{local.year} / month{static_cast<unsigned>(local.month)} /
                                     day{static_cast<unsigned>(local.day)})
                                    .time_since_epoch()
                                    .count() *
                                86400 +
                            local.hour * 3600 + local.minute * 60 + local.second;
  // Every offset that could apply near this wall time; transitions are days apart.
  std::vector<std::int64_t> offsets;
  for (std::int64_t probe = -2; probe <= 2; ++probe) {
    offsets.push_back(importer::OffsetAt(*rules_, wall + probe * 86400));
  }
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  std::vector<std::int64_t> instants;
  for (std::int64_t offset : offsets) {
    if (importer::OffsetAt(*rules_, wall - offset) == offset)
      instants.push_back(wall - offset);
  }
  if (instants.empty()) {  // a gap: read with the offset before the change (the smaller one)
    return {sys_seconds(seconds(wall - offsets.front())), LocalTimeKind::kNonexistent};
  }
  std::sort(instants.begin(), instants.end());
  instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
  return {sys_seconds(seconds(instants.front())),
          instants.size() > 1 ? LocalTimeKind::kAmbiguous : LocalTimeKind::kUnique};
}

}  // namespace ccm::importer
