// ldif_reader.cpp — the RFC 2849 reader: logical lines, then a small per-record state machine.
// See ldif_reader.h for what is accepted and refused.
#include "ldap/ldif_reader.h"

#include <sstream>

#include "ldap/base64.h"

namespace ccm::ldap {
namespace {

constexpr std::size_t kMaxLogicalLine = 16u << 20;

struct AttrValue {
  std::string name;
  std::string value;
};

Result<AttrValue, std::string> SplitAttrValue(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return Fail(std::string("expected \"name: value\", got \"") + std::string(line.substr(0, 60)) +
                "\"");
  AttrValue out{std::string(line.substr(0, colon)), {}};
  std::string_view rest = line.substr(colon + 1);
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() == ' ')
      rest.remove_prefix(1);
    auto decoded = Base64Decode(rest);
    if (!decoded)
      return Fail("invalid base64 value for " + out.name);
    out.value = std::move(*decoded);
  } else if (!rest.empty() && rest.front() == '<') {
    return Fail("URL values (\"" + out.name + ":<\") are not accepted");
  } else {
    while (!rest.empty() && rest.front() == ' ')
      rest.remove_prefix(1);
    out.value = std::string(rest);
  }
  return out;
}

std::optional<Modification::Kind> ModificationKind(std::string_view name) {
  if (EqualsIgnoreCase(name, "add"))
    return Modification::Kind::kAdd;
  if (EqualsIgnoreCase(name, "delete"))
    return Modification::Kind::kDelete;
  if (EqualsIgnoreCase(name, "replace"))
    return Modification::Kind::kReplace;
  return std::nullopt;
}

}  // namespace

bool LdifReader::ReadPhysical(std::string& line) {
  if (lookahead_) {
    line = std::move(*lookahead_);
    lookahead_.reset();
  } else if (!std::getline(source_, line)) {
    return false;
  }
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  ++physical_line_;
  return true;
}

Result<std::optional<LdifReader::Line>, LdifError> LdifReader::NextLogicalLine() {
  std::string physical;
  while (true) {
    if (!ReadPhysical(physical))
      return std::optional<Line>();
    Line line{std::move(physical), physical_line_};
    // Unfold: following lines that start with one space continue this one.
    std::string next;
    while (true) {
      if (!std::getline(source_, next))
        break;
      if (!next.empty() && next.front() == ' ') {
        if (!next.empty() && next.back() == '\r')
          next.pop_back();
        ++physical_line_;
        line.text.append(next, 1, std::string::npos);
        if (line.text.size() > kMaxLogicalLine)
          return Fail(LdifError{line.number, "logical line longer than 16 MiB"});
        continue;
      }
      lookahead_ = std::move(next);
      break;
    }
    if (!line.text.empty() && line.text.front() == '#')
      continue;  // a comment, with its continuation lines
    return std::optional<Line>(std::move(line));
  }
}

Result<std::optional<LdifRecord>, LdifError> LdifReader::Next() {
  // Skip separators (and the version line before the first record).
  std::optional<Line> line;
  while (true) {
    auto got = NextLogicalLine();
    if (!got)
      return Fail(got.error());
    if (!*got)
      return std::optional<LdifRecord>();
    line = std::move(**got);
    if (line->text.empty())
      continue;
    if (first_record_ && line->text.rfind("version:", 0) == 0) {
      first_record_ = false;
      continue;
    }
    break;
  }
  first_record_ = false;

  LdifRecord record;
  record.line = line->number;
  auto dn = SplitAttrValue(line->text);
  if (!dn || !EqualsIgnoreCase(dn->name, "dn"))
    return Fail(LdifError{line->number, "a record must start with \"dn:\""});
  record.entry.dn = std::move(dn->value);

  bool first_after_dn = true;
  std::optional<Modification> open_modification;  // inside an add:/delete:/replace: block
  bool modrdn_has_newrdn = false;
  while (true) {
    auto got = NextLogicalLine();
    if (!got)
      return Fail(got.error());
    if (!*got || (*got)->text.empty())
      break;
    const Line& current = **got;
    if (record.kind == LdifRecord::Kind::kModify && current.text == "-") {
      if (!open_modification)
        return Fail(LdifError{current.number, "\"-\" without a modification"});
      record.modifications.push_back(std::move(*open_modification));
      open_modification.reset();
      continue;
    }
    auto pair = SplitAttrValue(current.text);
    if (!pair)
      return Fail(LdifError{current.number, pair.error()});
    if (EqualsIgnoreCase(pair->name, "control"))
      return Fail(LdifError{current.number, "LDIF controls are not supported"});
    if (first_after_dn && EqualsIgnoreCase(pair->name, "changetype")) {
      first_after_dn = false;
      const std::string& type = pair->value;
      if (EqualsIgnoreCase(type, "add"))
        record.kind = LdifRecord::Kind::kAdd;
      else if (EqualsIgnoreCase(type, "modify"))
        record.kind = LdifRecord::Kind::kModify;
      else if (EqualsIgnoreCase(type, "delete"))
        record.kind = LdifRecord::Kind::kDelete;
      else if (EqualsIgnoreCase(type, "modrdn") || EqualsIgnoreCase(type, "moddn"))
        record.kind = LdifRecord::Kind::kModRdn;
      else
        return Fail(LdifError{current.number, "unknown changetype \"" + type + "\""});
      continue;
    }
    first_after_dn = false;
    switch (record.kind) {
      case LdifRecord::Kind::kContent:
      case LdifRecord::Kind::kAdd:
        record.entry.Add(pair->name, std::move(pair->value));
        break;
      case LdifRecord::Kind::kDelete:
        return Fail(LdifError{current.number, "a delete record has no attribute lines"});
      case LdifRecord::Kind::kModify:
        if (!open_modification) {
          auto kind = ModificationKind(pair->name);
          if (!kind)
            return Fail(LdifError{
                current.number, "expected add:, delete: or replace:, got \"" + pair->name + ":\""});
          open_modification = Modification{*kind, std::move(pair->value), {}};
        } else if (!EqualsIgnoreCase(pair->name, open_modification->attribute)) {
          return Fail(LdifError{current.number, "value for " + pair->name +
                                                    " inside the modification of " +
                                                    open_modification->attribute});
        } else {
          open_modification->values.push_back(std::move(pair->value));
        }
        break;
      case LdifRecord::Kind::kModRdn:
        if (EqualsIgnoreCase(pair->name, "newrdn")) {
          record.new_rdn = std::move(pair->value);
          modrdn_has_newrdn = true;
        } else if (EqualsIgnoreCase(pair->name, "deleteoldrdn")) {
          if (pair->value != "0" && pair->value != "1")
            return Fail(LdifError{current.number, "deleteoldrdn must be 0 or 1"});
          record.delete_old_rdn = pair->value == "1";
        } else if (EqualsIgnoreCase(pair->name, "newsuperior")) {
          record.new_superior = std::move(pair->value);
        } else {
          return Fail(LdifError{current.number, "unexpected \"" + pair->name + "\" in modrdn"});
        }
        break;
    }
  }
  if (open_modification)
    record.modifications.push_back(std::move(*open_modification));
  if (record.kind == LdifRecord::Kind::kModRdn && !modrdn_has_newrdn)
    return Fail(LdifError{record.line, "modrdn record without newrdn"});
  return std::optional<LdifRecord>(std::move(record));
}

Result<std::vector<LdifRecord>, LdifError> ReadLdif(std::string_view text) {
  std::istringstream source{std::string(text)};
  LdifReader reader(source);
  std::vector<LdifRecord> records;
  while (true) {
    auto next = reader.Next();
    if (!next)
      return Fail(std::move(next.error()));
    if (!*next)
      return records;
    records.push_back(std::move(**next));
  }
}

}  // namespace ccm::ldap
