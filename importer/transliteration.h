// transliteration.h — the opt-in ASCII spelling of non-ASCII cc:Mail names ([import]
// transliteration): the directory's proxy and target attributes are IA5 strings and cannot hold
// `CCMAIL:Ångström, Åsa at HQPO`; with transliteration on, such a user is looked up as
// `CCMAIL:Angstrom, Asa at HQPO`.
//
// The built-in table covers the Latin letters of Latin-1 and Latin Extended-A (U+00C0–U+017F),
// each mapped to its base letter with its case kept (`Å`→`A`, `å`→`a`, `Ł`→`L`), ligatures and
// letters without a base spelled out (`Æ`→`AE`, `ß`→`ss`, `Þ`→`TH`), and the pound sign `£`→`L`,
// in the spirit of the Exchange Migration Wizard's documented behaviour. A table file adds to it
// or overrides it, one mapping per line:
//     # comment
//     Å  AA          (the character itself, UTF-8)
//     U+0141  L      (or its code point)
// The replacement is 1 to 16 printable ASCII characters without spaces. Errors name the file
// and line.
//
// A text with a character the table does not cover has no ASCII spelling (ToAscii gives
// nullopt): such a user stays a conflict, as does one whose ASCII spelling matches no entry or
// several (the planner's rules apply unchanged).
//
// Thread safety: immutable after construction; safe for concurrent use.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ccm/result.h"
#include "importer/migrating_user.h"
#include "parser/code_page.h"

namespace ccm::importer {

class Transliteration {
 public:
  /// The built-in table.
  static Transliteration BuiltIn();
  /// The built-in table with the mappings of `path` added (see the file comment).
  static Result<Transliteration, std::string> WithTableFile(const std::filesystem::path& path);
  /// The same for the text of a table file (`name` names it in errors).
  static Result<Transliteration, std::string> WithTableText(std::string_view text,
                                                            std::string_view name);

  /// The ASCII spelling of UTF-8 `text`; nullopt when a character has no mapping (or the text
  /// is not UTF-8). ASCII text is returned unchanged.
  std::optional<std::string> ToAscii(std::string_view text) const;

 private:
  std::unordered_map<char32_t, std::string> table_;
};

/// Gives every user whose address is not ASCII its ASCII spelling, when the table covers it:
/// source_address and match_key become the spelling's, transliterated_from keeps the set's
/// (UTF-8) and original_match_key the set's key. `page` is the set's code page. Returns how many
/// users were transliterated.
Result<std::size_t, std::string> TransliterateUsers(std::vector<MigratingUser>& users,
                                                    const Transliteration& transliteration,
                                                    const parser::CodePage& page);

}  // namespace ccm::importer
