// code_page.cpp — code-page validation, DBCS lead-byte tables and iconv transcoding
// (see code_page.h). Diagnostics: errors are returned as text naming the code page.
#include "parser/code_page.h"

#include <errno.h>
#include <iconv.h>

namespace ccm::parser {

namespace {

std::string IconvName(int number) {
  switch (number) {
    case 10000:
      return "MACINTOSH";
    case 20127:
      return "ASCII";
    case 20866:
      return "KOI8-R";
    case 21866:
      return "KOI8-U";
    case 28591:
    case 28592:
    case 28593:
    case 28594:
    case 28595:
    case 28596:
    case 28597:
    case 28598:
    case 28599:
      return "ISO-8859-" + std::to_string(number - 28590);
    case 28605:
      return "ISO-8859-15";
    default:
      return "CP" + std::to_string(number);
  }
}

void SetRange(std::array<bool, 256>& table, int from, int to) {
  for (int b = from; b <= to; ++b)
    table[static_cast<std::size_t>(b)] = true;
}

}  // namespace

Result<CodePage, std::string> CodePage::FromNumber(int number,
                                                   std::optional<std::string>* warning) {
  if (number == 1200 || number == 1201 || number == 12000 || number == 12001 || number == 65000 ||
      number == 65001) {
    return Fail("code page " + std::to_string(number) +
                " is a Unicode page; migration files must not use Unicode");
  }
  if (number <= 0 || number > 65535) {
    return Fail("code page " + std::to_string(number) + " is not a Windows code page");
  }
  CodePage page;
  page.number_ = number;
  page.iconv_name_ = IconvName(number);
  iconv_t probe = ::iconv_open("UTF-8", page.iconv_name_.c_str());
  if (probe == reinterpret_cast<iconv_t>(-1)) {
    return Fail("code page " + std::to_string(number) + " is not supported by iconv (as " +
                page.iconv_name_ + ")");
  }
  ::iconv_close(probe);
  switch (number) {
    case 932:
      SetRange(page.lead_, 0x81, 0x9F);
      SetRange(page.lead_, 0xE0, 0xFC);
      page.dbcs_ = true;
      break;
    case 936:
    case 949:
    case 950:
      SetRange(page.lead_, 0x81, 0xFE);
      page.dbcs_ = true;
      break;
    default:
      break;
  }
  if (warning != nullptr && (number == 437 || number == 10000)) {
    *warning = "code page " + std::to_string(number) +
               " maps some characters lossily (Greek, maths symbols, ligatures; KB Q174725)";
  }
  return page;
}

Result<TextConverter, std::string> TextConverter::Create(const CodePage& page) {
  iconv_t handle = ::iconv_open("UTF-8", page.iconv_name().c_str());
  if (handle == reinterpret_cast<iconv_t>(-1)) {
    return Fail("iconv cannot convert from " + page.iconv_name());
  }
  return TextConverter(reinterpret_cast<void*>(handle));
}

TextConverter::TextConverter(TextConverter&& other) noexcept
    : handle_(other.handle_), carry_(std::move(other.carry_)) {
  other.handle_ = nullptr;
}

TextConverter::~TextConverter() {
  if (handle_ != nullptr)
    ::iconv_close(reinterpret_cast<iconv_t>(handle_));
}

std::string TextConverter::ToUtf8(std::string_view text) {
  std::string out;
  carry_.clear();
  ConvertBuffer(text, out, true);
  return out;
}

void TextConverter::Convert(std::string_view chunk, std::string& out, bool final) {
  if (carry_.empty()) {
    ConvertBuffer(chunk, out, final);
    return;
  }
  std::string joined = std::move(carry_);
  carry_.clear();
  joined.append(chunk);
  ConvertBuffer(joined, out, final);
}

void TextConverter::ConvertBuffer(std::string_view input, std::string& out, bool final) {
  auto cd = reinterpret_cast<iconv_t>(handle_);
  ::iconv(cd, nullptr, nullptr, nullptr, nullptr);
  char* in = const_cast<char*>(input.data());
  std::size_t in_left = input.size();
  char buffer[4096];
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    std::size_t rc = ::iconv(cd, &in, &in_left, &dst, &dst_left);
    int err = errno;
    out.append(buffer, sizeof buffer - dst_left);
    if (rc != static_cast<std::size_t>(-1))
      break;
    if (err == E2BIG)
      continue;
    if (err == EINVAL && !final) {  // incomplete character at the end: keep for next call
      carry_.assign(in, in_left);
      return;
    }
    out.append("\xEF\xBF\xBD");  // EILSEQ, or EINVAL at the very end: replace one byte
    ++in;
    --in_left;
  }
}

}  // namespace ccm::parser
