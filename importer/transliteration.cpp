// transliteration.cpp — the built-in Latin table, table files and the ASCII spelling; see the
// header.
#include "importer/transliteration.h"

#include <fstream>
#include <sstream>

#include "importer/address_match.h"
#include "parser/source_address.h"

namespace ccm::importer {

namespace {

// U+00C0..U+017F in order; nullptr for the two signs of the block (× and ÷).
constexpr const char* kLatin[] = {
    /* U+00C0 */ "A",
    "A",
    "A",
    "A",
    "A",
    "A",
    "AE",
    "C",
    "E",
    "E",
    "E",
    "E",
    "I",
    "I",
    "I",
    "I",
    /* U+00D0 */ "D",
    "N",
    "O",
    "O",
    "O",
    "O",
    "O",
    nullptr,
    "O",
    "U",
    "U",
    "U",
    "U",
    "Y",
    "TH",
    "ss",
    /* U+00E0 */ "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    /* U+00F0 */ "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    nullptr,
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
    /* U+0100 */ "A",
    "a",
    "A",
    "a",
    "A",
    "a",
    "C",
    "c",
    "C",
    "c",
    "C",
    "c",
    "C",
    "c",
    "D",
    "d",
    /* U+0110 */ "D",
    "d",
    "E",
    "e",
    "E",
    "e",
    "E",
    "e",
    "E",
    "e",
    "E",
    "e",
    "G",
    "g",
    "G",
    "g",
    /* U+0120 */ "G",
    "g",
    "G",
    "g",
    "H",
    "h",
    "H",
    "h",
    "I",
    "i",
    "I",
    "i",
    "I",
    "i",
    "I",
    "i",
    /* U+0130 */ "I",
    "i",
    "IJ",
    "ij",
    "J",
    "j",
    "K",
    "k",
    "k",
    "L",
    "l",
    "L",
    "l",
    "L",
    "l",
    "L",
    /* U+0140 */ "l",
    "L",
    "l",
    "N",
    "n",
    "N",
    "n",
    "N",
    "n",
    "n",
    "N",
    "n",
    "O",
    "o",
    "O",
    "o",
    /* U+0150 */ "O",
    "o",
    "OE",
    "oe",
    "R",
    "r",
    "R",
    "r",
    "R",
    "r",
    "S",
    "s",
    "S",
    "s",
    "S",
    "s",
    /* U+0160 */ "S",
    "s",
    "T",
    "t",
    "T",
    "t",
    "T",
    "t",
    "U",
    "u",
    "U",
    "u",
    "U",
    "u",
    "U",
    "u",
    /* U+0170 */ "U",
    "u",
    "U",
    "u",
    "W",
    "w",
    "Y",
    "y",
    "Y",
    "Z",
    "z",
    "Z",
    "z",
    "Z",
    "z",
    "s",
};
constexpr char32_t kLatinFirst = 0x00C0;

constexpr std::size_t kMaxReplacement = 16;
constexpr std::uintmax_t kMaxTableFile = 1024 * 1024;

// Decodes one UTF-8 sequence at `pos` (advancing it); nullopt for invalid input.
std::optional<char32_t> NextCodePoint(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = lead < 0x80           ? 1
                       : (lead >> 5) == 0x6  ? 2
                       : (lead >> 4) == 0xE  ? 3
                       : (lead >> 3) == 0x1E ? 4
                                             : 0;
  if (length == 0 || pos + length > text.size())
    return std::nullopt;
  char32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[pos + i]);
    if ((c & 0xC0) != 0x80)
      return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return std::nullopt;
  pos += length;
  return cp;
}

std::optional<char32_t> ParseCharacter(std::string_view field) {
  if (field.size() > 2 && (field[0] == 'U' || field[0] == 'u') && field[1] == '+') {
    char32_t cp = 0;
    for (char c : field.substr(2)) {
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                         : -1;
      if (digit < 0 || cp > 0x10FFFF)
        return std::nullopt;
      cp = cp * 16 + static_cast<char32_t>(digit);
    }
    return cp > 0x10FFFF ? std::nullopt : std::optional<char32_t>(cp);
  }
  std::size_t pos = 0;
  auto cp = NextCodePoint(field, pos);
  if (!cp || pos != field.size())
    return std::nullopt;
  return cp;
}

bool IsReplacement(std::string_view text) {
  if (text.empty() || text.size() > kMaxReplacement)
    return false;
  for (char c : text) {
    if (c <= ' ' || c > '~')
      return false;
  }
  return true;
}

}  // namespace

Transliteration Transliteration::BuiltIn() {
  Transliteration t;
  for (std::size_t i = 0; i < std::size(kLatin); ++i) {
    if (kLatin[i] != nullptr)
      t.table_[kLatinFirst + static_cast<char32_t>(i)] = kLatin[i];
  }
  t.table_[0x00A3] = "L";  // £
  return t;
}

Result<Transliteration, std::string> Transliteration::WithTableText(std::string_view text,
                                                                    std::string_view name) {
  Transliteration t = BuiltIn();
  std::istringstream in{std::string(text)};
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    std::istringstream fields(line);
    std::string character, replacement, extra;
    fields >> character;
    if (character.empty() || character[0] == '#')
      continue;
    fields >> replacement >> extra;
    const std::string where = std::string(name) + ":" + std::to_string(number) + ": ";
    auto cp = ParseCharacter(character);
    if (!cp)
      return Fail(where + "\"" + character + "\" is not one character or U+XXXX code point");
    if (*cp < 0x80)
      return Fail(where + "ASCII characters need no mapping");
    if (!IsReplacement(replacement)) {
      return Fail(where + "the replacement must be 1 to " + std::to_string(kMaxReplacement) +
                  " printable ASCII characters without spaces");
    }
    if (!extra.empty())
      return Fail(where + "more than a character and its replacement");
    t.table_[*cp] = replacement;
  }
  return t;
}

Result<Transliteration, std::string> Transliteration::WithTableFile(
    const std::filesystem::path& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec)
    return Fail(path.string() + ": " + ec.message());
  if (size > kMaxTableFile)
    return Fail(path.string() + ": larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Fail(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return WithTableText(text.str(), path.string());
}

std::optional<std::string> Transliteration::ToAscii(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    auto cp = NextCodePoint(text, pos);
    if (!cp)
      return std::nullopt;
    if (*cp < 0x80) {
      out += static_cast<char>(*cp);
      continue;
    }
    auto it = table_.find(*cp);
    if (it == table_.end())
      return std::nullopt;
    out += it->second;
  }
  return out;
}

Result<std::size_t, std::string> TransliterateUsers(std::vector<MigratingUser>& users,
                                                    const Transliteration& transliteration,
                                                    const parser::CodePage& page) {
  std::optional<parser::TextConverter> converter;
  std::size_t count = 0;
  for (MigratingUser& user : users) {
    if (IsAscii(user.source_address))
      continue;
    if (!converter) {
      auto created = parser::TextConverter::Create(page);
      if (!created)
        return Fail("code page " + std::to_string(page.number()) + ": " + created.error());
      converter.emplace(std::move(*created));
    }
    std::string original = converter->ToUtf8(user.source_address);
    auto ascii = transliteration.ToAscii(original);
    if (!ascii)
      continue;  // no ASCII spelling: the planner keeps it a conflict
    user.original_match_key = user.match_key;
    user.transliterated_from = std::move(original);
    user.source_address = std::move(*ascii);
    user.match_key = parser::NormalizeSourceAddress(user.source_address);
    ++count;
  }
  return count;
}

}  // namespace ccm::importer
