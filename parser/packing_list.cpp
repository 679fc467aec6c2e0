// packing_list.cpp — the .PKL reader (see packing_list.h).
#include "parser/packing_list.h"

#include <set>

#include "parser/field_codec.h"

namespace ccm::parser {

namespace {

bool AllDigits(std::string_view text) {
  if (text.empty())
    return false;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
  }
  return true;
}

std::optional<FileType> ParseFileType(std::string_view text) {
  if (EqualsIgnoreCase(text, "Primary"))
    return FileType::kPrimary;
  if (EqualsIgnoreCase(text, "Secondary"))
    return FileType::kSecondary;
  return std::nullopt;
}

}  // namespace

Result<PackingList, Diagnostic> ReadPackingList(const ByteSource& source, const std::string& file,
                                                const ReaderOptions& options,
                                                DiagnosticSink& sink) {
  const Severity strict_severity = options.lenient ? Severity::kWarning : Severity::kError;
  RecordReader reader(source, Lexer(options.limits), 64 << 10);
  enum class Stage { kCodePage, kBlankAfterCodePage, kHeader, kEntries } stage = Stage::kCodePage;
  std::optional<CodePage> page;
  PackingList list{file, CodePage::FromNumber(1252).value(), {}, true};
  std::set<std::string> seen;
  bool warned_lf = false;
  bool has_primary = false;

  for (;;) {
    LexResult r = reader.Next();
    if (r == LexResult::kEof)
      break;
    const RawRecord& rec = reader.lexer().record();
    if (rec.bare_lf && !warned_lf) {
      warned_lf = true;
      sink.Report(AtLine(file, rec.line, Severity::kWarning,
                         "bare LF line end (expected CR LF); was the set transferred in text "
                         "mode?"));
    }
    if (r == LexResult::kBad) {
      sink.Report(AtLine(file, reader.lexer().error_line(), Severity::kError, reader.error()));
      continue;
    }
    if (rec.unterminated) {
      list.ends_with_line_end = false;
      sink.Report(AtLine(file, rec.line, strict_severity, "file does not end with a line end"));
    }
    if (r == LexResult::kComment)
      continue;
    if (r == LexResult::kBlank) {
      if (stage == Stage::kBlankAfterCodePage)
        stage = Stage::kHeader;
      continue;
    }
    // A record.
    switch (stage) {
      case Stage::kCodePage: {
        if (rec.size() != 1 || rec.shape(0) != FieldShape::kUnquoted || !AllDigits(rec.raw(0)) ||
            rec.raw(0).size() > 5) {
          return Fail(AtLine(file, rec.line, Severity::kError,
                             "first line must be the code page number (1 to 5 digits alone), "
                             "got \"" +
                                 std::string(rec.text()) + "\""));
        }
        std::optional<std::string> warning;
        auto cp = CodePage::FromNumber(std::stoi(std::string(rec.raw(0))), &warning);
        if (!cp)
          return Fail(AtLine(file, rec.line, Severity::kError, cp.error()));
        if (warning)
          sink.Report(AtLine(file, rec.line, Severity::kWarning, *warning));
        page = *cp;
        stage = Stage::kBlankAfterCodePage;
        continue;
      }
      case Stage::kBlankAfterCodePage:
        sink.Report(
            AtLine(file, rec.line, strict_severity, "a blank line must follow the code page line"));
        [[fallthrough]];
      case Stage::kHeader:
        stage = Stage::kEntries;
        if (rec.size() == 2 && EqualsIgnoreCase(rec.raw(0), "Filename") &&
            EqualsIgnoreCase(rec.raw(1), "Filetype")) {
          continue;
        }
        if (rec.size() == 2 && ParseFileType(rec.raw(1))) {
          sink.Report(AtLine(file, rec.line, Severity::kWarning,
                             "column header Filename,Filetype is missing"));
        } else {
          sink.Report(AtLine(file, rec.line, Severity::kError,
                             "expected the column header Filename,Filetype, got \"" +
                                 std::string(rec.text()) + "\""));
          continue;
        }
        break;
      case Stage::kEntries:
        break;
    }
    if (rec.size() != 2) {
      sink.Report(
          AtLine(file, rec.line, Severity::kError,
                 "an entry needs exactly 2 fields (name,type), got " + std::to_string(rec.size())));
      continue;
    }
    auto name = Unquote(rec.raw(0), rec.shape(0), options.lenient);
    if (!name) {
      sink.Report(AtLine(file, rec.line, Severity::kError, name.error(), "Filename"));
      continue;
    }
    auto type = ParseFileType(rec.raw(1));
    if (!type) {
      sink.Report(
          AtLine(file, rec.line, Severity::kError,
                 "type must be Primary or Secondary, got \"" + std::string(rec.raw(1)) + "\"",
                 "Filetype"));
      continue;
    }
    if (!IsBareFileName(*name) || name->find(':') != std::string::npos) {
      sink.Report(AtLine(file, rec.line, Severity::kError,
                         "\"" + *name + "\" is not a bare file name (no paths allowed)",
                         "Filename"));
      continue;
    }
    if (*type == FileType::kSecondary && !IsValidSecondaryName(*name)) {
      sink.Report(AtLine(
          file, rec.line, Severity::kError,
          "secondary file name \"" + *name + "\" contains a character that pointers cannot carry",
          "Filename"));
      continue;
    }
    if (!seen.insert(AsciiLower(*name)).second) {
      sink.Report(AtLine(file, rec.line, Severity::kError,
                         "\"" + *name + "\" is listed twice (names compare case-insensitively)",
                         "Filename"));
      continue;
    }
    has_primary = has_primary || *type == FileType::kPrimary;
    list.entries.push_back({std::move(name).value(), *type, rec.line});
  }
  if (!page) {
    return Fail(AtLine(file, 1, Severity::kError, "no code page line (empty packing list)"));
  }
  list.code_page = *page;
  if (!has_primary) {
    sink.Report(AtLine(file, reader.lexer().line(), Severity::kError, "no primary file is listed"));
  }
  return list;
}

}  // namespace ccm::parser
