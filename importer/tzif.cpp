// tzif.cpp — TZif (RFC 8536) and POSIX TZ rule parsing; see tzif.h. Bounds-checked reads only.
#include "importer/tzif.h"

#include <algorithm>
#include <chrono>

namespace ccm::importer {
namespace {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool Has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  std::size_t pos() const { return pos_; }
  void Skip(std::size_t n) { pos_ += n; }
  std::uint8_t U8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::int64_t BigEndian(int width) {
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i)
      v = (v << 8) | U8();
    if (width == 4)
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  std::string_view Rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

Result<Header, std::string> ReadHeader(ByteReader& in) {
  if (!in.Has(44))
    return Fail(std::string("TZif header truncated"));
  if (in.U8() != 'T' || in.U8() != 'Z' || in.U8() != 'i' || in.U8() != 'f') {
    return Fail(std::string("not a TZif file (magic \"TZif\" missing)"));
  }
  Header h;
  h.version = static_cast<char>(in.U8());
  in.Skip(15);
  h.isutcnt = static_cast<std::uint32_t>(in.BigEndian(4));
  h.isstdcnt = static_cast<std::uint32_t>(in.BigEndian(4));
  h.leapcnt = static_cast<std::uint32_t>(in.BigEndian(4));
  h.timecnt = static_cast<std::uint32_t>(in.BigEndian(4));
  h.typecnt = static_cast<std::uint32_t>(in.BigEndian(4));
  h.charcnt = static_cast<std::uint32_t>(in.BigEndian(4));
  if (h.typecnt == 0)
    return Fail(std::string("TZif file has no local time types"));
  return h;
}

std::size_t BlockSize(const Header& h, std::size_t time_width) {
  return std::size_t{h.timecnt} * time_width + h.timecnt + std::size_t{h.typecnt} * 6 + h.charcnt +
         std::size_t{h.leapcnt} * (time_width + 4) + h.isstdcnt + h.isutcnt;
}

Result<ZoneRules, std::string> ReadBlock(ByteReader& in, const Header& h, int time_width) {
  if (!in.Has(BlockSize(h, static_cast<std::size_t>(time_width)))) {
    return Fail(std::string("TZif data block truncated"));
  }
  ZoneRules z;
  z.transitions.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i)
    z.transitions.push_back(in.BigEndian(time_width));
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    std::uint8_t type = in.U8();
    if (type >= h.typecnt)
      return Fail(std::string("TZif transition names a missing type"));
    z.transition_types.push_back(type);
  }
  for (std::uint32_t i = 0; i < h.typecnt; ++i) {
    z.offsets.push_back(in.BigEndian(4));
    in.Skip(2);  // isdst, desigidx: the offset alone decides conversions
  }
  if (!std::is_sorted(z.transitions.begin(), z.transitions.end())) {
    return Fail(std::string("TZif transitions are not in ascending order"));
  }
  in.Skip(h.charcnt + std::size_t{h.leapcnt} * static_cast<std::size_t>(time_width + 4) +
          h.isstdcnt + h.isutcnt);
  return z;
}

// --- POSIX TZ strings ---------------------------------------------------------------------

class TzText {
 public:
  explicit TzText(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() != c)
      return false;
    ++i_;
    return true;
  }
  bool Name() {  // alphabetic (3+) or <...>
    if (Eat('<')) {
      std::size_t close = s_.find('>', i_);
      if (close == std::string_view::npos)
        return false;
      i_ = close + 1;
      return true;
    }
    std::size_t start = i_;
    while (!AtEnd() && ((Peek() >= 'A' && Peek() <= 'Z') || (Peek() >= 'a' && Peek() <= 'z'))) {
      ++i_;
    }
    return i_ - start >= 3;
  }
  std::optional<int> Number(int max) {
    if (AtEnd() || Peek() < '0' || Peek() > '9')
      return std::nullopt;
    int v = 0;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      v = v * 10 + (s_[i_++] - '0');
      if (v > max)
        return std::nullopt;
    }
    return v;
  }
  // [+-]hh[:mm[:ss]], hours up to max_hours
  std::optional<std::int64_t> Duration(int max_hours) {
    int sign = 1;
    if (Eat('-')) {
      sign = -1;
    } else {
      Eat('+');
    }
    auto h = Number(max_hours);
    if (!h)
      return std::nullopt;
    std::int64_t v = std::int64_t{*h} * 3600;
    if (Eat(':')) {
      auto m = Number(59);
      if (!m)
        return std::nullopt;
      v += *m * 60;
      if (Eat(':')) {
        auto sec = Number(59);
        if (!sec)
          return std::nullopt;
        v += *sec;
      }
    }
    return sign * v;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<PosixTzRule::Change> ParseChange(TzText& t) {
  PosixTzRule::Change c;
  if (t.Eat('M')) {
    auto m = t.Number(12);
    if (!m || *m < 1 || !t.Eat('.'))
      return std::nullopt;
    auto w = t.Number(5);
    if (!w || *w < 1 || !t.Eat('.'))
      return std::nullopt;
    auto d = t.Number(6);
    if (!d)
      return std::nullopt;
    c.kind = PosixTzRule::Change::Kind::kMonthWeekDay;
    c.month = *m;
    c.week = *w;
    c.weekday = *d;
  } else if (t.Eat('J')) {
    auto n = t.Number(365);
    if (!n || *n < 1)
      return std::nullopt;
    c.kind = PosixTzRule::Change::Kind::kJulianNoLeap;
    c.day = *n;
  } else {
    auto n = t.Number(365);
    if (!n)
      return std::nullopt;
    c.kind = PosixTzRule::Change::Kind::kZeroBasedDay;
    c.day = *n;
  }
  if (t.Eat('/')) {
    auto time = t.Duration(167);  // RFC 8536 extends POSIX to -167..167 hours
    if (!time)
      return std::nullopt;
    c.time_of_day = *time;
  }
  return c;
}

std::int64_t DaysFromCivil(int y, int m, int d) {
  using namespace std::chrono;
  return sys_days(year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)})
      .time_since_epoch()
      .count();
}

bool IsLeap(int y) {
  return std::chrono::year{y}.is_leap();
}

// The local (wall-clock, as if UTC) second at which `c` happens in year `y`.
std::int64_t ChangeLocalSeconds(const PosixTzRule::Change& c, int y) {
  using namespace std::chrono;
  std::int64_t days = 0;
  switch (c.kind) {
    case PosixTzRule::Change::Kind::kMonthWeekDay: {
      std::int64_t first = DaysFromCivil(y, c.month, 1);
      unsigned first_wd = weekday(sys_days(std::chrono::days(first))).c_encoding();
      int dom = 1 + (c.weekday - static_cast<int>(first_wd) + 7) % 7 + (c.week - 1) * 7;
      int last_day = static_cast<int>(
          static_cast<unsigned>((year{y} / month{static_cast<unsigned>(c.month)} / last).day()));
      while (dom > last_day)
        dom -= 7;
      days = first + dom - 1;
      break;
    }
    case PosixTzRule::Change::Kind::kJulianNoLeap:
      days = DaysFromCivil(y, 1, 1) + c.day - 1 + (IsLeap(y) && c.day >= 60 ? 1 : 0);
      break;
    case PosixTzRule::Change::Kind::kZeroBasedDay:
      days = DaysFromCivil(y, 1, 1) + c.day;
      break;
  }
  return days * 86400 + c.time_of_day;
}

}  // namespace

Result<PosixTzRule, std::string> ParsePosixTz(std::string_view text) {
  auto bad = [&] { return Fail("invalid POSIX TZ rule \"" + std::string(text) + "\""); };
  TzText t(text);
  PosixTzRule rule;
  if (!t.Name())
    return bad();
  auto std_off = t.Duration(24);
  if (!std_off)
    return bad();
  rule.std_offset = -*std_off;  // POSIX counts west of Greenwich as positive
  if (t.AtEnd())
    return rule;
  if (!t.Name())
    return bad();
  rule.dst_offset = rule.std_offset + 3600;
  if (!t.AtEnd() && t.Peek() != ',') {
    auto dst_off = t.Duration(24);
    if (!dst_off)
      return bad();
    rule.dst_offset = -*dst_off;
  }
  if (t.AtEnd()) {  // POSIX leaves the default rule to the implementation; use the US rule
    rule.dst_start = {PosixTzRule::Change::Kind::kMonthWeekDay, 3, 2, 0, 0, 7200};
    rule.dst_end = {PosixTzRule::Change::Kind::kMonthWeekDay, 11, 1, 0, 0, 7200};
    return rule;
  }
  if (!t.Eat(','))
    return bad();
  auto start = ParseChange(t);
  if (!start || !t.Eat(','))
    return bad();
  auto end = ParseChange(t);
  if (!end || !t.AtEnd())
    return bad();
  rule.dst_start = *start;
  rule.dst_end = *end;
  return rule;
}

std::int64_t OffsetAt(const PosixTzRule& rule, std::int64_t t) {
  if (!rule.dst_offset)
    return rule.std_offset;
  using namespace std::chrono;
  auto local_days = floor<days>(sys_seconds(seconds(t + rule.std_offset)));
  int y = static_cast<int>(year_month_day(local_days).year());
  // DST starts at a local standard time and ends at a local daylight time.
  std::int64_t start = ChangeLocalSeconds(rule.dst_start, y) - rule.std_offset;
  std::int64_t end = ChangeLocalSeconds(rule.dst_end, y) - *rule.dst_offset;
  bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? *rule.dst_offset : rule.std_offset;
}

Result<ZoneRules, std::string> ParseTzif(std::string_view bytes) {
  ByteReader in(bytes);
  auto v1 = ReadHeader(in);
  if (!v1)
    return Fail(std::move(v1.error()));
  if (v1->version == '\0')
    return ReadBlock(in, *v1, 4);
  if (!in.Has(BlockSize(*v1, 4)))
    return Fail(std::string("TZif version 1 block truncated"));
  in.Skip(BlockSize(*v1, 4));
  auto v2 = ReadHeader(in);
  if (!v2)
    return Fail(std::move(v2.error()));
  auto zone = ReadBlock(in, *v2, 8);
  if (!zone)
    return zone;
  std::string_view rest = in.Rest();
  if (rest.size() >= 2 && rest[0] == '\n') {
    std::size_t nl = rest.find('\n', 1);
    if (nl == std::string_view::npos)
      return Fail(std::string("TZif footer not terminated"));
    std::string_view tz = rest.substr(1, nl - 1);
    if (!tz.empty()) {
      auto rule = ParsePosixTz(tz);
      if (!rule)
        return Fail(std::move(rule.error()));
      zone->footer = *rule;
    }
  }
  return zone;
}

std::int64_t OffsetAt(const ZoneRules& zone, std::int64_t t) {
  auto it = std::upper_bound(zone.transitions.begin(), zone.transitions.end(), t);
  if (it == zone.transitions.begin())
    return zone.offsets.front();  // RFC 8536: type 0
  if (it == zone.transitions.end() && zone.footer)
    return OffsetAt(*zone.footer, t);
  auto index = static_cast<std::size_t>(it - zone.transitions.begin()) - 1;
  return zone.offsets[zone.transition_types[index]];
}

}  // namespace ccm::importer
