// primary_reader.cpp — section detection, column headers and field counts of primary files
// (see primary_reader.h).
#include "parser/primary_reader.h"

#include <set>

#include "parser/field_codec.h"
#include "parser/packing_list.h"

namespace ccm::parser {

namespace {

// Header names compare case-insensitively with spaces and hyphens treated as equal.
std::string ColumnKey(std::string_view name) {
  std::string key = AsciiLower(name);
  for (char& c : key) {
    if (c == ' ')
      c = '-';
  }
  return key;
}

struct Alias {
  const char* canonical;
  std::vector<const char*> aliases;
};

const std::vector<Alias>& AliasTable() {
  static const std::vector<Alias> table = {
      {"Obj-Class", {}},
      {"Mode", {}},
      {"Common-Name", {"Directory Name"}},
      {"Display-Name", {}},
      {"Surname", {"Last Name"}},
      {"Given-Name", {"First Name"}},
      {"Mail-nickname", {"Alias Name"}},
      {"Home-Server", {}},
      {"Hide-From-Address-Book", {"Hide-From-AB", "Hide From AB"}},
      {"Delivery-Mechanism", {}},
      {"Assoc-NT-Account", {}},
      {"Secondary-Proxy-Addresses", {}},
      {"Proxy-Addresses", {"E-mail Addresses"}},
      {"Target-Address", {"E-mail Address", "Target Address"}},
      {"Member", {"Members"}},
      {"Obj-Container", {}},
      {"Comment", {}},
  };
  return table;
}

bool OnlySpacesOrTabs(const RawRecord& rec) {
  if (rec.size() != 1 || rec.shape(0) != FieldShape::kUnquoted || rec.raw(0).empty()) {
    return false;
  }
  for (char c : rec.raw(0)) {
    if (c != ' ' && c != '\t')
      return false;
  }
  return true;
}

}  // namespace

const char* SectionKindName(SectionKind kind) {
  switch (kind) {
    case SectionKind::kDirectory:
      return "DIRECTORY";
    case SectionKind::kPab:
      return "PAB";
    case SectionKind::kMailMessage:
      return "MAILMESSAGE";
  }
  return "?";
}

std::string CanonicalDirectoryColumn(std::string_view name) {
  std::string key = ColumnKey(name);
  for (const Alias& alias : AliasTable()) {
    if (key == ColumnKey(alias.canonical))
      return alias.canonical;
    for (const char* other : alias.aliases) {
      if (key == ColumnKey(other))
        return alias.canonical;
    }
  }
  return std::string(name);
}

bool IsMultiValuedDirectoryColumn(std::string_view canonical) {
  return canonical == "Secondary-Proxy-Addresses" || canonical == "Proxy-Addresses" ||
         canonical == "Member";
}

const std::vector<std::string>& PabColumns() {
  static const std::vector<std::string> columns = {
      "Obj-class",  "Display-Name", "Email-Address", "First",      "Last",      "Address",
      "City",       "State",        "Zip",           "Country",    "Title",     "Company",
      "Department", "Office",       "Assistant",     "Bus-Num",    "Bus2-Num",  "Assist-Num",
      "Fax-Num",    "Home-Num",     "Home2-Num",     "Mobile-Num", "Pager-Num", "Note"};
  return columns;
}

const std::vector<std::string>& MailMessageColumns() {
  static const std::vector<std::string> columns = {
      "Folder",    "Sender",        "To",       "Cc",     "Bcc",    "Subject",
      "Send-Date", "Received-Date", "Priority", "Unread", "Unsent", "Body"};
  return columns;
}

PrimaryReader::PrimaryReader(const ByteSource& source, std::string file, const CodePage& code_page,
                             const ReaderOptions& options, DiagnosticSink& sink)
    : file_(std::move(file)),
      options_(options),
      sink_(sink),
      reader_(source,
              Lexer(options.limits, code_page.is_dbcs() ? &code_page.lead_bytes() : nullptr)) {
  reader_.lexer().set_comments(true);
}

void PrimaryReader::Report(std::uint64_t line, Severity severity, std::string message,
                           std::string field) {
  sink_.Report(AtLine(file_, line, severity, std::move(message), std::move(field)));
}

void PrimaryReader::SeekToSection(const SectionInfo& section) {
  reader_.Seek(section.header_offset, section.header_line);
  reader_.lexer().set_continuation(false);
  have_section_ = expecting_columns_ = skip_section_ = false;
  blank_before_ = true;
  single_section_ = true;
  sections_seen_ = 0;
}

std::optional<SectionKind> PrimaryReader::HeaderKind(const RawRecord& rec) const {
  if (rec.size() == 0 || rec.shape(0) != FieldShape::kUnquoted)
    return std::nullopt;
  std::string_view first = rec.raw(0);
  if (EqualsIgnoreCase(first, "DIRECTORY")) {
    for (std::size_t i = 1; i < rec.size(); ++i) {
      if (!rec.raw(i).empty())
        return std::nullopt;
    }
    return SectionKind::kDirectory;
  }
  if (rec.size() != 2)
    return std::nullopt;
  if (EqualsIgnoreCase(first, "PAB"))
    return SectionKind::kPab;
  if (EqualsIgnoreCase(first, "MAILMESSAGE"))
    return SectionKind::kMailMessage;
  return std::nullopt;
}

void PrimaryReader::StartSection(SectionKind kind, const RawRecord& rec) {
  ++sections_seen_;
  section_ = SectionInfo{};
  section_.kind = kind;
  section_.file = file_;
  section_.header_line = rec.line;
  section_.header_offset = rec.offset;
  have_section_ = true;
  expecting_columns_ = true;
  skip_section_ = false;
  reader_.lexer().set_continuation(kind != SectionKind::kDirectory);
  if (kind == SectionKind::kDirectory) {
    if (rec.size() > 1) {
      Report(rec.line, Severity::kWarning, "trailing empty fields after DIRECTORY");
    }
    return;
  }
  auto owner = Unquote(rec.raw(1), rec.shape(1), options_.lenient);
  if (!owner) {
    Report(rec.line, Severity::kError, owner.error(), "owner address");
    skip_section_ = true;
    return;
  }
  std::string value = std::move(owner).value();
  if (StartsWithIgnoreCase(value, "MIGRATE:")) {
    value.erase(0, 8);
    section_.had_migrate_prefix = true;
  }
  if (value.empty()) {
    Report(rec.line, Severity::kError, "section header has an empty owner address",
           "owner address");
    skip_section_ = true;
  }
  if (kind == SectionKind::kMailMessage) {
    if (EqualsIgnoreCase(value, "PublicMessages")) {
      section_.is_public = true;
    } else if (EqualsIgnoreCase(value, "PublicMessage")) {
      section_.is_public = true;
      Report(rec.line, Severity::kWarning, "owner PublicMessage read as PublicMessages",
             "owner address");
    }
  }
  if (!section_.is_public && value.find(':') == std::string::npos) {
    Report(rec.line, Severity::kWarning,
           "owner address \"" + value + "\" has no TYPE: prefix (expected e.g. CCMAIL:...)",
           "owner address");
  }
  section_.owner = std::move(value);
}

bool PrimaryReader::ResolveColumns(const RawRecord& rec) {
  std::vector<std::string> names;
  names.reserve(rec.size());
  for (std::size_t i = 0; i < rec.size(); ++i) {
    auto name = Unquote(rec.raw(i), rec.shape(i), options_.lenient);
    if (!name) {
      Report(rec.line, Severity::kError, "column header: " + name.error());
      return false;
    }
    names.push_back(std::move(name).value());
  }
  if (section_.kind == SectionKind::kDirectory) {
    std::set<std::string> seen;
    for (auto& name : names) {
      name = CanonicalDirectoryColumn(name);
      if (name.empty()) {
        Report(rec.line, Severity::kError, "DIRECTORY column header has an empty column name");
        return false;
      }
      if (!seen.insert(AsciiLower(name)).second) {
        Report(rec.line, Severity::kError, "column \"" + name + "\" appears twice", name);
        return false;
      }
    }
    if (names.size() < 2 || names[0] != "Obj-Class" || names[1] != "Mode") {
      Report(rec.line, Severity::kError, "DIRECTORY column header must start with Obj-Class,Mode");
      return false;
    }
    section_.columns = std::move(names);
    return true;
  }
  const auto& expected = section_.kind == SectionKind::kPab ? PabColumns() : MailMessageColumns();
  bool ok = names.size() == expected.size();
  for (std::size_t i = 0; ok && i < names.size(); ++i) {
    ok = EqualsIgnoreCase(names[i], expected[i]);
  }
  if (!ok) {
    std::string list;
    for (const auto& e : expected)
      list += (list.empty() ? "" : ",") + e;
    Report(rec.line, Severity::kError,
           std::string(SectionKindName(section_.kind)) + " column header must be the " +
               std::to_string(expected.size()) + " columns " + list + " in this order (got " +
               std::to_string(names.size()) + " fields); section skipped");
    return false;
  }
  section_.columns = expected;
  return true;
}

PrimaryReader::Event PrimaryReader::Next() {
  const Severity strict_severity = options_.lenient ? Severity::kWarning : Severity::kError;
  for (;;) {
    LexResult r = reader_.Next();
    const RawRecord& rec = reader_.lexer().record();
    switch (r) {
      case LexResult::kEof:
        if (have_section_ && expecting_columns_ && !skip_section_) {
          Report(section_.header_line, Severity::kError,
                 std::string(SectionKindName(section_.kind)) +
                     " section header is not followed by a column header");
        }
        have_section_ = false;
        return Event::kEnd;
      case LexResult::kBad:
        Report(reader_.lexer().error_line(), Severity::kError, reader_.error());
        blank_before_ = false;
        continue;
      case LexResult::kNeedMore:
        continue;
      case LexResult::kComment:
        if (rec.unterminated) {
          Report(reader_.lexer().line(), strict_severity, "file does not end with a line end");
        }
        continue;
      case LexResult::kBlank:
        blank_before_ = true;
        continue;
      case LexResult::kRecord:
        break;
    }
    if (rec.bare_lf && !warned_lf_) {
      warned_lf_ = true;
      Report(rec.line, Severity::kWarning,
             "bare LF line end (expected CR LF); if secondary pointers fail, check for an "
             "LF/CRLF conversion in transfer");
    }
    if (rec.unterminated) {
      Report(rec.line, strict_severity, "file does not end with a line end");
    }
    if (OnlySpacesOrTabs(rec)) {
      Report(rec.line, Severity::kWarning,
             "line holds only spaces or tabs; it is not a blank line and is skipped");
      continue;
    }
    bool after_blank = blank_before_;
    blank_before_ = false;
    std::optional<SectionKind> kind = HeaderKind(rec);
    bool header_shaped = kind.has_value();
    if (kind && (after_blank || options_.lenient || !have_section_)) {
      if (single_section_ && sections_seen_ > 0) {
        have_section_ = false;
        return Event::kEnd;
      }
      if (!after_blank) {
        Report(rec.line, Severity::kWarning, "section header without a blank line before it");
      }
      StartSection(*kind, rec);
      continue;
    }
    if (!have_section_) {
      Report(rec.line, Severity::kError, "record before the first section header");
      continue;
    }
    if (skip_section_)
      continue;
    if (expecting_columns_) {
      expecting_columns_ = false;
      if (!ResolveColumns(rec)) {
        skip_section_ = true;
        continue;
      }
      return Event::kSection;
    }
    std::size_t want = section_.columns.size();
    if (rec.size() > want || (rec.size() < want && !options_.lenient)) {
      if (header_shaped) {
        Report(rec.line, Severity::kError,
               "looks like a section header but has no blank line before it");
      } else {
        Report(rec.line, Severity::kError,
               "record has " + std::to_string(rec.size()) + " fields, the column header has " +
                   std::to_string(want));
      }
      continue;
    }
    if (rec.size() < want) {
      Report(rec.line, Severity::kWarning,
             "record has " + std::to_string(rec.size()) + " fields, the column header has " +
                 std::to_string(want) + "; missing fields read as empty");
    }
    return Event::kRecord;
  }
}

}  // namespace ccm::parser
