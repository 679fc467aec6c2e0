// content.cpp — see content.h.
#include "bench/gen/content.h"

#include <array>
#include <cstdio>
#include <string_view>

namespace ccm::bench {
namespace {

constexpr std::array<std::string_view, 48> kWords = {
    "the",      "cutover", "post",     "office",  "mail",    "Saturday",  "agenda", "budget",
    "please",   "review",  "attached", "draft",   "meeting", "directory", "sync",   "users",
    "rollback", "plan",    "server",   "HQPO",    "weekend", "backup",    "notes",  "call",
    "me",       "when",    "you",      "can,",    "thanks.", "regards,",  "and",    "of",
    "to",       "in",      "for",      "on",      "with",    "is",        "this",   "that",
    "report",   "quarter", "figures",  "(draft)", "100%",    "C:\\DATA",  "#3",     "\"ok\""};

// Windows-1252: é, ü, ß, ï, € (0x80 exists only in 1252).
constexpr std::array<std::string_view, 5> kAccented = {"caf\xE9",
                                                       "Gr\xFC\xDF"
                                                       "e",
                                                       "na\xEFve", "r\xE9sum\xE9",
                                                       "\x80"
                                                       "20"};

// Lines that look like headers; data must never be scanned for them.
constexpr std::array<std::string_view, 4> kTrapLines = {
    "Body,120,,TRUE,,,", "Attachment,36,,TRUE,\"AGENDA.TXT\",0,",
    "Type,Length,Encoding,Islast,Name,Position,Format",
    "MAILMESSAGE,\"CCMAIL:Lee, Jordan at HQPO\""};

constexpr std::size_t kChunk = 64 * 1024;

// Appends one line (without its line end) of about 40-75 bytes.
void AppendLine(std::string& text, Random& random, bool accented) {
  if (random.OneIn(40)) {
    text += random.Pick(kTrapLines);
    return;
  }
  if (random.OneIn(12))
    return;  // a blank line inside the body
  const std::size_t target = static_cast<std::size_t>(random.Between(40, 75));
  const std::size_t start = text.size();
  while (text.size() - start < target) {
    if (text.size() > start)
      text += ' ';
    if (accented && random.OneIn(25)) {
      text += random.Pick(kAccented);
    } else {
      text += random.Pick(kWords);
    }
  }
}

}  // namespace

void WriteBodyText(OutputFile& out, Random& random, std::uint64_t bytes, bool accented) {
  if (bytes < 2) {
    if (bytes == 1)
      out.Write("x");
    return;
  }
  std::uint64_t left = bytes - 2;  // the final CR LF is written last
  std::string text;
  text.reserve(kChunk + 256);
  while (left > 0) {
    text.clear();
    while (text.size() < kChunk && text.size() < left) {
      AppendLine(text, random, accented);
      text += "\r\n";
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(text.size(), left));
    text.resize(n);
    // Never leave a lone CR before the final CR LF: data stays plain text lines.
    if (n == left && !text.empty() && text.back() == '\r')
      text.back() = '.';
    out.Write(text);
    left -= n;
  }
  out.Write("\r\n");
}

void WriteBinary(OutputFile& out, Random& random, std::uint64_t bytes) {
  std::string chunk;
  while (bytes > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, kChunk));
    chunk.resize(n);
    for (std::size_t i = 0; i < n; i += 8) {
      std::uint64_t r = random.Next();
      for (std::size_t j = i; j < i + 8 && j < n; ++j, r >>= 8) {
        chunk[j] = static_cast<char>(r & 0xFF);
      }
    }
    out.Write(chunk);
    bytes -= n;
  }
}

std::string MakeSubject(Random& random, bool accented) {
  static constexpr std::array<std::string_view, 14> kSubjects = {"Cutover date",
                                                                 "Agenda",
                                                                 "Re: budget, Q3",
                                                                 "Meeting \"kickoff\"",
                                                                 "#42 status",
                                                                 "!Urgent: server down",
                                                                 "FYI",
                                                                 "Lunch?",
                                                                 "Minutes 1999.04.10",
                                                                 "Re: Re: directory sync",
                                                                 "Path C:\\CCMAIL\\DATA",
                                                                 " leading space",
                                                                 "100% done",
                                                                 "Fwd: rollback plan"};
  std::string s(random.Pick(kSubjects));
  if (accented && random.OneIn(10))
    s += " caf\xE9";
  return s;
}

std::string MakeFolder(Random& random) {
  static constexpr std::array<std::string_view, 8> kFolders = {"Inbox",
                                                               "Inbox",
                                                               "Message Log",
                                                               "Drafts",
                                                               "Projects\\Cutover",
                                                               "Filed Mail\\FYI",
                                                               "Customers\\Europe\\Key accounts",
                                                               "PAB"};
  return std::string(random.Pick(kFolders));
}

MessageDates MakeDates(Random& random) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int year = static_cast<int>(random.Between(1996, 1999));
  const int month = static_cast<int>(random.Between(1, 12));
  int days = kDays[static_cast<std::size_t>(month - 1)];
  if (month == 2 && year % 4 == 0)
    days = 29;
  const int day = static_cast<int>(random.Between(1, static_cast<std::uint64_t>(days)));
  const int hour = static_cast<int>(random.Between(0, 22));
  const int minute = static_cast<int>(random.Between(0, 59));
  const int second = static_cast<int>(random.Between(0, 59));
  char sent[32];
  char received[32];
  std::snprintf(sent, sizeof sent, "%04d%02d%02d%02d%02d%02d", year, month, day, hour, minute,
                second);
  std::snprintf(received, sizeof received, "%04d%02d%02d%02d%02d%02d", year, month, day, hour + 1,
                minute, second);
  return {sent, received};
}

std::string MakeFileName(Random& random, std::uint64_t number) {
  static constexpr std::array<std::string_view, 6> kStems = {"AGENDA", "BUDGET", "MEMO",
                                                             "PHOTO",  "REPORT", "NOTES"};
  static constexpr std::array<std::string_view, 6> kExtensions = {"TXT", "XLS", "DOC",
                                                                  "JPG", "WK4", "ZIP"};
  char digits[8];
  std::snprintf(digits, sizeof digits, "%02u", static_cast<unsigned>(number % 100));
  return std::string(random.Pick(kStems)) + digits + "." + std::string(random.Pick(kExtensions));
}

}  // namespace ccm::bench
