// field_codec.cpp — decoders for raw field values (see field_codec.h).
#include "parser/field_codec.h"

#include <algorithm>
#include <limits>

namespace ccm::parser {

namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

FieldShape ShapeOf(std::string_view raw) {
  if (raw.empty())
    return FieldShape::kUnquoted;
  if (raw.front() != '"') {
    return raw.find('"') == std::string_view::npos ? FieldShape::kUnquoted : FieldShape::kMixed;
  }
  std::size_t i = 1;
  while (i < raw.size()) {
    if (raw[i] == '"') {
      if (i + 1 < raw.size() && raw[i + 1] == '"') {
        i += 2;
        continue;
      }
      return i + 1 == raw.size() ? FieldShape::kQuoted : FieldShape::kMixed;
    }
    ++i;
  }
  return FieldShape::kMixed;  // no closing quote
}

Result<std::string_view, std::string> UnquoteView(std::string_view raw, FieldShape shape,
                                                  bool lenient, std::string& scratch) {
  switch (shape) {
    case FieldShape::kUnquoted:
      return raw;
    case FieldShape::kQuoted: {
      std::string_view inner = raw.substr(1, raw.size() - 2);
      std::size_t quote = inner.find('"');
      if (quote == std::string_view::npos)
        return inner;  // no doubled quote: the value is the field without its quotes
      scratch.clear();
      while (quote != std::string_view::npos) {
        scratch.append(inner.substr(0, quote + 1));  // "" -> "
        inner.remove_prefix(std::min(quote + 2, inner.size()));
        quote = inner.find('"');
      }
      scratch.append(inner);
      return std::string_view(scratch);
    }
    case FieldShape::kMixed:
      break;
  }
  if (!raw.empty() && raw.front() == '"') {
    if (ShapeOf(raw) == FieldShape::kMixed && raw.find('"', 1) == std::string_view::npos) {
      return Fail(std::string("unterminated quoted value"));
    }
    return Fail(std::string("characters found after end doublequote"));
  }
  if (lenient)
    return raw;
  return Fail(std::string("quote inside an unquoted value (quote the whole field)"));
}

Result<std::string, std::string> Unquote(std::string_view raw, FieldShape shape, bool lenient) {
  std::string scratch;
  auto view = UnquoteView(raw, shape, lenient, scratch);
  if (!view)
    return Fail(std::move(view).error());
  if (!scratch.empty() && view->data() == scratch.data())
    return scratch;
  return std::string(*view);
}

namespace {

// The 2.8 algorithm, once for decoding and checking: calls `item(value)` for every non-empty
// item in order (the view is valid during the call only) and returns how many empty pieces
// were dropped, or the first item's error.
template <typename OnItem>
Result<int, std::string> ForEachListItem(std::string_view raw, bool lenient, OnItem&& item) {
  std::string nested;
  std::string_view text = raw;
  if (text.size() >= 2 && ShapeOf(text) == FieldShape::kQuoted) {
    // One quoted piece holding ';' or '"' is a whole-field quoted list: split its content.
    bool single = true;
    bool quoted = false;
    for (char c : text) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ';' && !quoted)
        single = false;
    }
    if (single) {
      // The content is a view of `text` or, when it held doubled quotes, of `nested`.
      auto content = UnquoteView(text, FieldShape::kQuoted, lenient, nested);
      if (!content)
        return Fail(std::move(content).error());
      if (content->find_first_of(";\"") != std::string_view::npos)
        text = *content;
    }
  }
  if (text.empty())
    return 0;  // empty field: empty list
  int dropped = 0;
  std::string scratch;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size()) {
      if (text[i] == '"') {
        quoted = !quoted;
        continue;
      }
      if (text[i] != ';' || quoted)
        continue;
    }
    std::string_view piece = text.substr(start, i - start);
    start = i + 1;
    if (piece.empty()) {
      ++dropped;
      continue;
    }
    auto value = UnquoteView(piece, ShapeOf(piece), lenient, scratch);
    if (!value)
      return Fail(value.error() + " in list item " + std::string(piece));
    item(*value);
  }
  return dropped;
}

}  // namespace

Result<SemicolonList, std::string> DecodeSemicolonList(std::string_view raw, bool lenient) {
  SemicolonList list;
  auto dropped = ForEachListItem(raw, lenient,
                                 [&](std::string_view value) { list.values.emplace_back(value); });
  if (!dropped)
    return Fail(std::move(dropped).error());
  list.dropped_empty = *dropped;
  return list;
}

Result<int, std::string> CheckSemicolonList(std::string_view raw, bool lenient) {
  // One quoted value (no quote or semicolon inside): nothing to drop, nothing wrong.
  if (raw.size() >= 2 && raw.front() == '"' && raw.find_first_of(";\"", 1) == raw.size() - 1)
    return 0;
  // Without a quote, every piece between semicolons is a value as written: only the empty ones
  // count, and nothing can be wrong.
  if (raw.find('"') == std::string_view::npos) {
    if (raw.empty())
      return 0;
    int dropped = 0;
    for (std::size_t start = 0;;) {
      const std::size_t semicolon = raw.find(';', start);
      const std::size_t end = semicolon == std::string_view::npos ? raw.size() : semicolon;
      if (end == start)
        ++dropped;
      if (semicolon == std::string_view::npos)
        return dropped;
      start = semicolon + 1;
    }
  }
  return ForEachListItem(raw, lenient, [](std::string_view) {});
}

Result<std::vector<std::string>, std::string> DecodeDirectoryValues(std::string_view raw,
                                                                    FieldShape shape,
                                                                    bool multi_valued,
                                                                    bool allow_line_breaks,
                                                                    bool lenient) {
  auto unquoted = Unquote(raw, shape, lenient);
  if (!unquoted)
    return Fail(std::move(unquoted).error());
  const std::string& text = *unquoted;
  std::vector<std::string> values;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 == text.size()) {
        return Fail(std::string("single backslash at the end of the value (write \\\\)"));
      }
      char next = text[++i];
      if (next == '\\') {
        current.push_back('\\');
      } else if (next == 'r') {
        current.push_back('\r');
      } else if (next == 'n') {
        current.push_back('\n');
      } else if (next == '%' && lenient) {
        current.push_back('%');
      } else {
        return Fail(std::string("invalid escape \\") + next +
                    " (a literal backslash is written \\\\ in DIRECTORY sections)");
      }
    } else if (c == '%' && multi_valued) {
      if (!current.empty())
        values.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty())
    values.push_back(std::move(current));
  if (!allow_line_breaks) {
    for (const auto& v : values) {
      if (v.find_first_of("\r\n") != std::string::npos) {
        return Fail(std::string("value contains a line break (only Comment may)"));
      }
    }
  }
  return values;
}

bool IsValidSecondaryName(std::string_view name) {
  if (name.empty() || name.size() > 255)
    return false;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F)
      return false;
    switch (c) {
      case '#':
      case '(':
      case ')':
      case ';':
      case ',':
      case '\\':
      case '/':
      case ':':
      case '*':
      case '?':
      case '"':
      case '<':
      case '>':
      case '|':
        return false;
      default:
        break;
    }
  }
  return true;
}

std::optional<PointerView> ParsePointerView(std::string_view raw, FieldShape shape) {
  if (!LooksLikePointer(raw, shape) || raw.back() != ')')
    return std::nullopt;
  std::size_t open = raw.rfind('(');
  if (open == std::string_view::npos || open < 2)
    return std::nullopt;
  std::string_view name = raw.substr(1, open - 1);
  std::string_view digits = raw.substr(open + 1, raw.size() - open - 2);
  if (!IsValidSecondaryName(name) || digits.empty())
    return std::nullopt;
  std::uint64_t offset = 0;
  for (char c : digits) {
    if (!IsDigit(c))
      return std::nullopt;
    auto d = static_cast<std::uint64_t>(c - '0');
    if (offset > (std::numeric_limits<std::uint64_t>::max() - d) / 10)
      return std::nullopt;
    offset = offset * 10 + d;
  }
  return PointerView{name, offset};
}

std::optional<Pointer> ParsePointer(std::string_view raw, FieldShape shape) {
  auto view = ParsePointerView(raw, shape);
  if (!view)
    return std::nullopt;
  return Pointer{std::string(view->file), view->offset};
}

Result<std::optional<LocalDateTime>, std::string> ParseDate(std::string_view value) {
  if (value.empty())
    return std::optional<LocalDateTime>{};
  if (value.size() != 14) {
    return Fail("date must be 14 digits YYYYMMDDHHMMSS, got \"" + std::string(value) + "\"");
  }
  int n[14];
  for (std::size_t i = 0; i < 14; ++i) {
    if (!IsDigit(value[i])) {
      return Fail("date must be 14 digits YYYYMMDDHHMMSS, got \"" + std::string(value) + "\"");
    }
    n[i] = value[i] - '0';
  }
  LocalDateTime t;
  t.year = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3];
  t.month = n[4] * 10 + n[5];
  t.day = n[6] * 10 + n[7];
  t.hour = n[8] * 10 + n[9];
  t.minute = n[10] * 10 + n[11];
  t.second = n[12] * 10 + n[13];
  std::string bad;
  if (t.year == 0) {
    bad = "year 0000";
  } else if (t.month < 1 || t.month > 12) {
    bad = "month " + std::to_string(t.month);
  } else if (t.day < 1 || t.day > DaysInMonth(t.year, t.month)) {
    bad = "day " + std::to_string(t.day) + " of month " + std::to_string(t.month);
  } else if (t.hour > 23) {
    bad = "hour " + std::to_string(t.hour);
  } else if (t.minute > 59) {
    bad = "minute " + std::to_string(t.minute);
  } else if (t.second > 59) {
    bad = "second " + std::to_string(t.second);
  }
  if (!bad.empty())
    return Fail("invalid date " + std::string(value) + ": " + bad);
  return std::optional<LocalDateTime>(t);
}

Result<std::optional<bool>, std::string> ParseBool(std::string_view value) {
  if (value.empty())
    return std::optional<bool>{};
  if (EqualsIgnoreCase(value, "TRUE"))
    return std::optional<bool>(true);
  if (EqualsIgnoreCase(value, "FALSE"))
    return std::optional<bool>(false);
  return Fail("expected TRUE or FALSE, got \"" + std::string(value) + "\"");
}

Result<int, std::string> ParsePriority(std::string_view value) {
  if (value.empty() || value == "0")
    return 0;
  if (value == "1")
    return 1;
  if (value == "-1")
    return -1;
  return Fail("priority must be -1, 0 or 1, got \"" + std::string(value) + "\"");
}

Result<std::int64_t, std::string> ParseInteger(std::string_view value) {
  std::string_view digits = value;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative)
    digits.remove_prefix(1);
  if (digits.empty())
    return Fail("expected an integer, got \"" + std::string(value) + "\"");
  std::uint64_t n = 0;
  for (char c : digits) {
    if (!IsDigit(c))
      return Fail("expected an integer, got \"" + std::string(value) + "\"");
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
    if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Fail("integer out of range: " + std::string(value));
    }
  }
  auto result = static_cast<std::int64_t>(n);
  return negative ? -result : result;
}

Recipient ParseRecipient(std::string_view item) {
  Recipient r;
  std::size_t open = item.find('[');
  std::size_t close = item.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
      close + 1 != item.size()) {
    r.display_name = std::string(item);
    return r;
  }
  std::string_view name = item.substr(0, open);
  while (!name.empty() && name.back() == ' ')
    name.remove_suffix(1);
  r.display_name = std::string(name);
  r.address = std::string(item.substr(open + 1, close - open - 1));
  std::size_t colon = r.address.find(':');
  if (colon == std::string::npos) {
    r.address_value = r.address;
  } else {
    r.address_type = r.address.substr(0, colon);
    r.address_value = r.address.substr(colon + 1);
  }
  return r;
}

}  // namespace ccm::parser
