// code_page.h — the Windows code page a set declares (docs/file-format.md#code-page), and
// transcoding to UTF-8.
//
// CodePage::FromNumber validates the number from the packing list: Unicode pages (1200, 1201,
// 12000, 12001, 65000, 65001) are refused, 437 and 10000 draw a warning (lossy in the Migration
// Wizard, KB Q174725), and a page iconv does not know is refused, because text could never leave
// the parser correctly. For the DBCS pages 932, 936, 949 and 950 it carries the lead-byte table
// that the lexer needs so that a trail byte 0x5C is never taken for a backslash.
//
// TextConverter turns bytes in the set's code page into UTF-8. Convert() is streaming: a
// multibyte character split across two chunks is carried over to the next call. Invalid input
// bytes become U+FFFD, so conversion never fails on content.
//
// Thread safety: CodePage is an immutable value. A TextConverter holds an iconv handle and is
// externally synchronized; make one per thread.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "ccm/result.h"

namespace ccm::parser {

/// A validated Windows code page.
class CodePage {
 public:
  /// An unset code page (number 0); only FromNumber gives a usable one.
  CodePage() = default;
  /// Validates `number`. `warning` is set for 437 and 10000.
  static Result<CodePage, std::string> FromNumber(int number,
                                                  std::optional<std::string>* warning = nullptr);
  int number() const { return number_; }
  /// The iconv name used for this page ("CP1252", "MACINTOSH", ...).
  const std::string& iconv_name() const { return iconv_name_; }
  /// True for 932/936/949/950.
  bool is_dbcs() const { return dbcs_; }
  /// True when `byte` starts a two-byte character (always false for single-byte pages).
  bool IsLeadByte(unsigned char byte) const { return lead_[byte]; }
  /// The lead-byte table (all false for single-byte pages).
  const std::array<bool, 256>& lead_bytes() const { return lead_; }

 private:
  int number_ = 0;
  std::string iconv_name_;
  bool dbcs_ = false;
  std::array<bool, 256> lead_{};
};

/// Converts text from a code page to UTF-8.
class TextConverter {
 public:
  static Result<TextConverter, std::string> Create(const CodePage& page);
  TextConverter(TextConverter&& other) noexcept;
  TextConverter& operator=(TextConverter&&) = delete;
  TextConverter(const TextConverter&) = delete;
  ~TextConverter();

  /// Converts one complete text (a field value).
  std::string ToUtf8(std::string_view text);
  /// Streaming: appends the UTF-8 of `chunk` to `out`. Bytes of an incomplete trailing
  /// character are kept until the next call; `final` flushes them (as U+FFFD).
  void Convert(std::string_view chunk, std::string& out, bool final);

 private:
  explicit TextConverter(void* handle) : handle_(handle) {}
  void ConvertBuffer(std::string_view input, std::string& out, bool final);
  void* handle_;
  std::string carry_;
};

}  // namespace ccm::parser
