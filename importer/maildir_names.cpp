// maildir_names.cpp — mailbox and folder directory names; see maildir_names.h for the mapping.
#include "importer/maildir_names.h"

#include <algorithm>
#include <span>
#include <vector>

#include "ccm/ascii.h"
#include "importer/message_identity.h"

namespace ccm::importer {
namespace {

constexpr std::size_t kMaxMailboxName = 200;
constexpr std::size_t kMaxLevel = 100;
constexpr std::size_t kMaxFolderDirectory = 240;
constexpr char kHex[] = "0123456789ABCDEF";

// Decodes UTF-8 into code points; invalid or overlong sequences become U+FFFD.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80             ? 0
                : (b & 0xE0) == 0xC0 ? 1
                : (b & 0xF0) == 0xE0 ? 2
                : (b & 0xF8) == 0xF0 ? 3
                                     : -1;
    char32_t cp = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
    bool ok = extra >= 0;
    for (int k = 1; ok && k <= extra; ++k) {
      if (i + static_cast<std::size_t>(k) >= s.size()) {
        ok = false;
        break;
      }
      auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (ok && (cp < kMin[static_cast<std::size_t>(extra)] || cp > 0x10FFFF ||
               (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Encodes code points (all valid scalar values: CodePoints' output) as UTF-8.
std::string Utf8Of(std::span<const char32_t> cps) {
  std::string out;
  for (char32_t cp : cps) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::string ShortHash(std::string_view text, std::size_t hex_digits) {
  return IdentityDigest(text).substr(0, hex_digits);
}

// One folder level, made safe and encoded.
std::string EncodeLevel(std::string_view level) {
  std::string safe;
  for (char c : level) {
    if ((c >= 0 && c < 0x20) || c == 0x7F) {
      safe += '_';
    } else if (c == '.') {
      safe += "\xEF\xBC\x8E";  // U+FF0E FULLWIDTH FULL STOP
    } else if (c == '/') {
      safe += "\xE2\x88\x95";  // U+2215 DIVISION SLASH
    } else {
      safe += c;
    }
  }
  std::string encoded = ModifiedUtf7(safe);
  if (encoded.size() <= kMaxLevel)
    return encoded;
  // Keep the longest code-point prefix of the safe text whose encoding fits beside a hash. The
  // encoded length never shrinks as the prefix grows, so a binary search finds it in a few
  // encodings, not one per code point (a level of thousands of characters stays cheap).
  const std::vector<char32_t> cps = CodePoints(safe);
  const std::string suffix = "~" + ShortHash(level, 8);
  auto encoded_prefix = [&cps](std::size_t count) {
    return ModifiedUtf7(Utf8Of(std::span<const char32_t>(cps.data(), count)));
  };
  std::size_t fits = 0;               // a prefix of this many code points fits (0 always does)
  std::size_t too_long = cps.size();  // the whole text does not
  while (too_long - fits > 1) {
    const std::size_t middle = fits + (too_long - fits) / 2;
    if (encoded_prefix(middle).size() + suffix.size() <= kMaxLevel)
      fits = middle;
    else
      too_long = middle;
  }
  return encoded_prefix(fits) + suffix;
}

}  // namespace

std::string ModifiedUtf7(std::string_view utf8) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  std::vector<unsigned char> run;  // UTF-16BE bytes of the current non-ASCII run
  auto flush = [&] {
    if (run.empty())
      return;
    out += '&';
    std::size_t i = 0;
    for (; i + 3 <= run.size(); i += 3) {
      unsigned v = unsigned{run[i]} << 16 | unsigned{run[i + 1]} << 8 | unsigned{run[i + 2]};
      out += kB64[v >> 18];
      out += kB64[(v >> 12) & 63];
      out += kB64[(v >> 6) & 63];
      out += kB64[v & 63];
    }
    if (i < run.size()) {
      unsigned v = unsigned{run[i]} << 16 | (i + 1 < run.size() ? unsigned{run[i + 1]} << 8 : 0u);
      out += kB64[v >> 18];
      out += kB64[(v >> 12) & 63];
      if (i + 1 < run.size())
        out += kB64[(v >> 6) & 63];
    }
    out += '-';
    run.clear();
  };
  for (char32_t cp : CodePoints(utf8)) {
    if (cp >= 0x20 && cp <= 0x7E) {
      flush();
      out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
      continue;
    }
    auto unit = [&](char32_t u) {
      run.push_back(static_cast<unsigned char>(u >> 8));
      run.push_back(static_cast<unsigned char>(u & 0xFF));
    };
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  flush();
  return out;
}

bool IsUsableMailboxDirectoryName(std::string_view key) {
  if (key.empty() || key.size() > kMaxMailboxName || key.front() == '.')
    return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '@' || c == '+' || c == '-' || c == '.';
  });
}

Result<std::string, MailError> MailboxDirectoryName(std::string_view key) {
  if (IsUsableMailboxDirectoryName(key))
    return std::string(key);
  return EscapedMailboxDirectoryName(key);
}

Result<std::string, MailError> EscapedMailboxDirectoryName(std::string_view key) {
  if (key.empty())
    return Fail(MailError{"empty mailbox key"});
  std::string out;
  for (char c : key) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '@' || c == '+' || c == '-';
    if (plain) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  if (out.size() > kMaxMailboxName) {
    out.resize(kMaxMailboxName - 17);
    while (out.size() >= 1 &&
           (out.back() == '%' || (out.size() >= 2 && out[out.size() - 2] == '%'))) {
      out.pop_back();  // never cut inside a %XX escape
    }
    out += "~" + ShortHash(key, 16);
  }
  return out;
}

std::string MaildirFolderDirectory(std::string_view folder_column) {
  std::vector<std::string> levels;
  std::size_t start = 0;
  while (start <= folder_column.size()) {
    std::size_t sep = folder_column.find('\\', start);
    // Only spaces are trimmed: a tab is a control byte, kept (and made safe) like the others.
    std::string level(
        Trim(folder_column.substr(
                 start, sep == std::string_view::npos ? std::string_view::npos : sep - start),
             " "));
    if (!level.empty())
      levels.push_back(std::move(level));
    if (sep == std::string_view::npos)
      break;
    start = sep + 1;
  }
  if (levels.empty())
    return "";
  std::vector<std::string> names;
  const std::string& top = levels.front();
  std::size_t first = 1;
  if (EqualsIgnoreCase(top, "Inbox")) {
    if (levels.size() == 1)
      return "";
    names.push_back("INBOX");
  } else if (EqualsIgnoreCase(top, "Sent Items")) {
    names.push_back("Sent");
  } else if (EqualsIgnoreCase(top, "Deleted Items")) {
    names.push_back("Trash");
  } else if (EqualsIgnoreCase(top, "Outbox")) {
    names.push_back("Outbox");
  } else {
    first = 0;
  }
  for (std::size_t i = first; i < levels.size(); ++i)
    names.push_back(EncodeLevel(levels[i]));
  std::string dir;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string next = dir + "." + names[i];
    if (next.size() > kMaxFolderDirectory - 10) {  // collapse the rest into one hashed level
      std::string rest;
      for (std::size_t j = i; j < names.size(); ++j)
        rest += "." + names[j];
      return dir + ".~" + ShortHash(rest, 8);
    }
    dir = std::move(next);
  }
  return dir;
}

}  // namespace ccm::importer
