// modified_utf7_test.cpp — a differential test of ModifiedUtf7 (maildir_names.h) against glibc's
// own IMAP modified UTF-7 converter (iconv "UTF-7-IMAP"), an independent implementation of RFC
// 3501 section 5.1.3: fixed edge cases, then many generated strings that mix printable ASCII,
// '&', control characters, BMP letters and characters outside the BMP (surrogate pairs), in runs
// whose lengths cover every base64 padding case.
#include <gtest/gtest.h>
#include <iconv.h>

#include <cerrno>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "importer/maildir_names.h"

namespace ccm::importer {
namespace {

/// glibc's encoding of `utf8`, or nullopt when iconv refuses it.
std::optional<std::string> GlibcModifiedUtf7(std::string_view utf8) {
  iconv_t cd = ::iconv_open("UTF-7-IMAP", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1))
    return std::nullopt;
  std::string in(utf8);
  std::string out(in.size() * 4 + 16, '\0');
  char* in_ptr = in.data();
  std::size_t in_left = in.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  bool ok = ::iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) != static_cast<std::size_t>(-1) &&
            ::iconv(cd, nullptr, nullptr, &out_ptr, &out_left) != static_cast<std::size_t>(-1);
  ::iconv_close(cd);
  if (!ok)
    return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

void AppendUtf8(std::string& s, char32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void ExpectSameAsGlibc(std::string_view utf8) {
  auto reference = GlibcModifiedUtf7(utf8);
  ASSERT_TRUE(reference.has_value()) << "iconv refused valid UTF-8: " << utf8;
  EXPECT_EQ(ModifiedUtf7(utf8), *reference) << "input: " << utf8;
}

TEST(ModifiedUtf7, GlibcConverterIsAvailable) {
  ASSERT_EQ(GlibcModifiedUtf7("Entw\xC3\xBC rfe"), std::optional<std::string>("Entw&APw- rfe"));
}

TEST(ModifiedUtf7, EdgeCasesMatchGlibc) {
  for (std::string_view s : {
           "",
           "Inbox",
           "&",
           "&&",
           "a&b",
           "-",
           "&-",
           "~peter/mail/&U,BTFw-",
           "\xE5\x8F\xB0\xE5\x8C\x97",  // RFC 3501's example
           "\xF0\x9F\x93\xA7",          // one surrogate pair
           "\xC3\xA4",
           "\xC3\xA4\xC3\xB6",
           "\xC3\xA4\xC3\xB6\xC3\xBC",  // 2, 4, 6 UTF-16 bytes
           "\xC3\xA4-",
           "\xC3\xA4&",
           "Gr\xC3\xBC\xC3\x9F"
           "e & Co.",
           "\x01",
           "tab\there",
           "\x7F",
           "\xEF\xBF\xBD",  // U+FFFD
           "\xEF\xBB\xBF",  // U+FEFF
       }) {
    ExpectSameAsGlibc(s);
  }
}

TEST(ModifiedUtf7, GeneratedStringsMatchGlibc) {
  std::mt19937 rng(3501);
  auto pick = [&](char32_t lo, char32_t hi) {
    return std::uniform_int_distribution<char32_t>(lo, hi)(rng);
  };
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int runs = std::uniform_int_distribution<int>(1, 6)(rng);
    for (int r = 0; r < runs; ++r) {
      const int length = std::uniform_int_distribution<int>(1, 7)(rng);
      const int kind = std::uniform_int_distribution<int>(0, 5)(rng);
      for (int k = 0; k < length; ++k) {
        switch (kind) {
          case 0:
            AppendUtf8(s, pick(0x20, 0x7E));
            break;  // printable ASCII, '&' and '-'
          case 1:
            AppendUtf8(s, pick(0x01, 0x1F));
            break;  // control characters
          case 2:
            AppendUtf8(s, pick(0x80, 0x7FF));
            break;  // two-byte UTF-8
          case 3:
            AppendUtf8(s, pick(0x800, 0xD7FF));
            break;  // three-byte, below surrogates
          case 4:
            AppendUtf8(s, pick(0xE000, 0xFFFD));
            break;  // three-byte, above surrogates
          default:
            AppendUtf8(s, pick(0x10000, 0x10FFFF));
            break;  // surrogate pairs
        }
      }
    }
    ExpectSameAsGlibc(s);
    if (HasFailure())
      return;  // one counterexample is enough to read
  }
}

}  // namespace
}  // namespace ccm::importer
