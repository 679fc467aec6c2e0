// source_time_test.cpp — 14-digit source times to UTC with real IANA zones (tzdata), including
// 1999 rules that differ from today's, DST gaps and overlaps, hostile zone names and broken
// zone files.
#include "importer/source_time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

using namespace std::chrono;

sys_seconds Utc(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  return sys_days(year{y} / month{mo} / day{d}) + hours{h} + minutes{mi} + seconds{s};
}

TimeZone Zone(std::string_view name) {
  auto zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << (zone.ok() ? "" : zone.error().message);
  return zone.ok() ? *zone : TimeZone::Utc();
}

UtcConversion Convert(const TimeZone& zone, std::string_view digits) {
  auto local = ParseSourceDateTime(digits);
  EXPECT_TRUE(local.ok()) << digits;
  return zone.ToUtc(local.ok() ? *local : LocalDateTime{});
}

TEST(ParseSourceDateTime, AcceptsValidCalendarDates) {
  auto t = ParseSourceDateTime("19990409113000");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, (LocalDateTime{1999, 4, 9, 11, 30, 0}));
  EXPECT_TRUE(ParseSourceDateTime("20000229235959").ok());  // leap day
}

TEST(ParseSourceDateTime, RejectsInvalidDates) {
  EXPECT_FALSE(ParseSourceDateTime("19990231000000").ok());  // KB Q233325: 31 Feb
  EXPECT_FALSE(ParseSourceDateTime("19990229000000").ok());  // not a leap year
  EXPECT_FALSE(ParseSourceDateTime("19991301000000").ok());
  EXPECT_FALSE(ParseSourceDateTime("19990100000000").ok());
  EXPECT_FALSE(ParseSourceDateTime("19990409240000").ok());
  EXPECT_FALSE(ParseSourceDateTime("19990409116000").ok());
  EXPECT_FALSE(ParseSourceDateTime("19990409113060").ok());
  EXPECT_FALSE(ParseSourceDateTime("1999040911300").ok());
  EXPECT_FALSE(ParseSourceDateTime("199904091130000").ok());
  EXPECT_FALSE(ParseSourceDateTime("1999-04-09 1130").ok());
  EXPECT_FALSE(ParseSourceDateTime("").ok());
}

TEST(TimeZone, BerlinSummerAndWinter1999) {
  TimeZone berlin = Zone("Europe/Berlin");
  auto summer = Convert(berlin, "19990409113000");
  EXPECT_EQ(summer.utc, Utc(1999, 4, 9, 9, 30));
  EXPECT_EQ(summer.kind, LocalTimeKind::kUnique);
  EXPECT_EQ(Convert(berlin, "19990115120000").utc, Utc(1999, 1, 15, 11));
  EXPECT_EQ(berlin.OffsetAt(Utc(1999, 4, 9, 9, 30)), hours{2});
}

TEST(TimeZone, NewYorkUsesTheRulesOf1999NotToday) {
  TimeZone ny = Zone("America/New_York");
  // In 1999 DST began on the first Sunday of April (4 April); today's rule (second Sunday of
  // March) would put 3 April 1999 in EDT. KB Q281734 is exactly this kind of error.
  EXPECT_EQ(Convert(ny, "19990403120000").utc, Utc(1999, 4, 3, 17));  // EST, UTC-5
  EXPECT_EQ(Convert(ny, "19990405120000").utc, Utc(1999, 4, 5, 16));  // EDT, UTC-4
  // And in 2024 the modern rule applies: 15 March is already EDT.
  EXPECT_EQ(Convert(ny, "20240315120000").utc, Utc(2024, 3, 15, 16));
}

TEST(TimeZone, NonexistentLocalTimeMovesForwardByTheGap) {
  TimeZone berlin = Zone("Europe/Berlin");
  // 28 March 1999: 02:00 CET became 03:00 CEST; 02:30 never happened.
  auto gap = Convert(berlin, "19990328023000");
  EXPECT_EQ(gap.kind, LocalTimeKind::kNonexistent);
  EXPECT_EQ(gap.utc, Utc(1999, 3, 28, 1, 30));  // = 03:30 CEST
  EXPECT_EQ(Convert(berlin, "19990328015959").utc, Utc(1999, 3, 28, 0, 59, 59));
  EXPECT_EQ(Convert(berlin, "19990328030000").utc, Utc(1999, 3, 28, 1));
}

TEST(TimeZone, AmbiguousLocalTimeTakesTheEarlierInstant) {
  TimeZone berlin = Zone("Europe/Berlin");
  // 31 October 1999: 03:00 CEST became 02:00 CET; 02:30 happened twice.
  auto twice = Convert(berlin, "19991031023000");
  EXPECT_EQ(twice.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(twice.utc, Utc(1999, 10, 31, 0, 30));  // the first 02:30 (CEST)
  EXPECT_EQ(Convert(berlin, "19991031030000").kind, LocalTimeKind::kUnique);
  EXPECT_EQ(Convert(berlin, "19991031030000").utc, Utc(1999, 10, 31, 2));
  TimeZone ny = Zone("America/New_York");
  auto ny_twice = Convert(ny, "19991031013000");  // 02:00 EDT -> 01:00 EST
  EXPECT_EQ(ny_twice.kind, LocalTimeKind::kAmbiguous);
  EXPECT_EQ(ny_twice.utc, Utc(1999, 10, 31, 5, 30));
}

TEST(TimeZone, FarFutureFollowsTheFooterRule) {
  TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(Convert(berlin, "21000701120000").utc, Utc(2100, 7, 1, 10));
  EXPECT_EQ(Convert(berlin, "21000101120000").utc, Utc(2100, 1, 1, 11));
}

TEST(TimeZone, RejectsUnknownAndHostileNames) {
  EXPECT_FALSE(TimeZone::Load("Mars/Olympus_Mons").ok());
  EXPECT_FALSE(TimeZone::Load("../../etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Load("/etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Load("Europe/../../../etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Load("Europe/Berlin\n").ok());
  EXPECT_FALSE(TimeZone::Load("").ok());
}

TEST(TimeZone, RejectsBrokenZoneFiles) {
  test::TempDir dir;
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir.path() / name, std::ios::binary) << bytes;
  };
  write("Empty", "");
  write("Text", "not a zone file at all, just text............");
  std::string header = std::string("TZif2") + std::string(15, '\0');
  // Counts claiming 1000 transitions with no data behind them.
  std::string counts = std::string(12, '\0') + std::string("\0\0\x03\xe8", 4) +
                       std::string("\0\0\0\x01", 4) + std::string("\0\0\0\x04", 4);
  write("Truncated", header + counts);
  write("Huge", std::string((1 << 20) + 1, 'x'));
  std::filesystem::create_directory(dir.path() / "Directory");
  for (const char* name : {"Empty", "Text", "Truncated", "Huge", "Directory", "Missing"}) {
    EXPECT_FALSE(TimeZone::Load(name, dir.path()).ok()) << name;
  }
  // The same directory serves a real zone file copied into it.
  std::filesystem::copy_file("/usr/share/zoneinfo/Europe/Berlin", dir.path() / "Copy");
  auto copy = TimeZone::Load("Copy", dir.path());
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_EQ(copy->OffsetAt(Utc(1999, 4, 9, 9, 30)), hours{2});
}

TEST(TimeZone, LocalZoneFollowsTz) {
  const char* old = std::getenv("TZ");
  std::string saved = old != nullptr ? old : "";
  ::setenv("TZ", "America/New_York", 1);
  auto local = TimeZone::LoadLocal();
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->name(), "America/New_York");
  ::setenv("TZ", "", 1);
  auto utc = TimeZone::LoadLocal();
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(utc->OffsetAt(Utc(1999, 7, 1, 0)), seconds{0});
  if (old != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
}

TEST(TimeZone, FarFutureNorthernAndSouthernRules) {
  // Years beyond the listed transitions follow each zone's rule footer.
  TimeZone ny = Zone("America/New_York");
  EXPECT_EQ(ny.OffsetAt(Utc(2030, 7, 1, 12)), hours{-4});
  EXPECT_EQ(ny.OffsetAt(Utc(2030, 1, 1, 12)), hours{-5});
  TimeZone sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney.OffsetAt(Utc(2030, 1, 15, 0)), hours{11});
  EXPECT_EQ(sydney.OffsetAt(Utc(2030, 7, 15, 0)), hours{10});
  TimeZone kolkata = Zone("Asia/Kolkata");
  EXPECT_EQ(kolkata.OffsetAt(Utc(2030, 7, 15, 0)), hours{5} + minutes{30});
}

}  // namespace
}  // namespace ccm::importer
