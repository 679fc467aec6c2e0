// source_time.cpp — 14-digit source date-times and IANA zones; see source_time.h for the DST rule.
#include "importer/source_time.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

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

// cctz reads any file it is given and caches the zone for the life of the process, so the
// file is checked first: a regular file (following links, as /etc/localtime is one) of at most
// 1 MiB. Then a load failure can only mean the bytes are no valid zone file.
Result<cctz::time_zone, TimeError> LoadZoneFile(const fs::path& file, std::string_view name) {
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::exists(status)) {
    return Fail(TimeError{"unknown time zone \"" + std::string(name) + "\" (no " + file.string() +
                          "; is the tzdata package installed?)"});
  }
  if (!fs::is_regular_file(status))
    return Fail(TimeError{file.string() + ": not a regular file"});
  if (fs::file_size(file, ec) > kMaxZoneFileBytes || ec)
    return Fail(TimeError{file.string() + ": too large for a time zone file"});
  cctz::time_zone zone;
  if (!cctz::load_time_zone(file.string(), &zone))
    return Fail(TimeError{file.string() + ": not a valid time zone file"});
  return zone;
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

Result<TimeZone, TimeError> TimeZone::Load(std::string_view name, const fs::path& zoneinfo_dir) {
  if (!ValidZoneName(name)) {
    return Fail(TimeError{"\"" + std::string(name) + "\" is not an IANA time zone name"});
  }
  // An absolute path: cctz then reads exactly this file, whatever $TZDIR says.
  auto zone = LoadZoneFile(fs::absolute(zoneinfo_dir / fs::path(name)), name);
  if (!zone)
    return Fail(std::move(zone.error()));
  return TimeZone(std::string(name), *zone);
}

Result<TimeZone, TimeError> TimeZone::LoadLocal() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr) {
    std::string_view value(tz);
    if (!value.empty() && value.front() == ':')
      value.remove_prefix(1);
    if (value.empty())
      return Utc();
    if (value.front() == '/') {
      auto zone = LoadZoneFile(fs::path(value), value);
      if (!zone)
        return Fail(std::move(zone.error()));
      return TimeZone(std::string(value), *zone);
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
  auto zone = LoadZoneFile("/etc/localtime", name);
  if (!zone)
    return Fail(std::move(zone.error()));
  return TimeZone(name, *zone);
}

TimeZone TimeZone::Utc() {
  return TimeZone("UTC", cctz::utc_time_zone());
}

std::chrono::seconds TimeZone::OffsetAt(std::chrono::sys_seconds instant) const {
  return std::chrono::seconds(zone_.lookup(instant).offset);
}

UtcConversion TimeZone::ToUtc(const LocalDateTime& local) const {
  const auto lookup = zone_.lookup(cctz::civil_second(local.year, local.month, local.day,
                                                      local.hour, local.minute, local.second));
  // `pre` is the wall time read with the offset in force before the change: for a repeated
  // time the earlier instant, for a skipped one the time moved forward by the gap.
  switch (lookup.kind) {
    case cctz::time_zone::civil_lookup::SKIPPED:
      return {lookup.pre, LocalTimeKind::kNonexistent};
    case cctz::time_zone::civil_lookup::REPEATED:
      return {lookup.pre, LocalTimeKind::kAmbiguous};
    case cctz::time_zone::civil_lookup::UNIQUE:
      break;
  }
  return {lookup.pre, LocalTimeKind::kUnique};
}

}  // namespace ccm::importer
