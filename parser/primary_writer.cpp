// primary_writer.cpp — strict-quoting writer of primary-file text (see primary_writer.h).
#include "parser/primary_writer.h"

#include <cstdio>

namespace ccm::parser {

namespace {

std::string QuoteAlways(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    out.push_back(c);
    if (c == '"')
      out.push_back('"');
  }
  out.push_back('"');
  return out;
}

bool HasLineBreak(std::string_view value) {
  return value.find_first_of("\r\n") != std::string_view::npos;
}

std::string IndirectOr(const std::vector<IndirectField>& indirect, const std::string& column,
                       std::string value) {
  for (const auto& field : indirect) {
    if (field.column == column)
      return EncodePointer(field.pointer);
  }
  return value;
}

}  // namespace

std::string QuoteValue(std::string_view value) {
  bool quote = value.find_first_of("#!,\\\"%.") != std::string_view::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  return quote ? QuoteAlways(value) : std::string(value);
}

std::string EncodeSemicolonList(const std::vector<std::string>& values) {
  bool nested = false;
  for (const auto& v : values)
    nested = nested || v.find_first_of(";\"") != std::string::npos;
  std::string joined;
  for (const auto& v : values) {
    if (v.empty())
      continue;
    if (!joined.empty())
      joined.push_back(';');
    if (!nested) {
      joined += QuoteValue(v);
    } else {
      joined += v.find_first_of(";\"") != std::string::npos ? QuoteAlways(v) : v;
    }
  }
  return nested ? QuoteAlways(joined) : joined;
}

Result<std::string, std::string> EncodeDirectoryValues(const std::vector<std::string>& values,
                                                       bool allow_line_breaks) {
  std::string joined;
  bool first = true;
  for (const auto& v : values) {
    if (v.find('%') != std::string::npos) {
      return Fail("value \"" + v +
                  "\" contains '%', which DIRECTORY sections cannot carry "
                  "unambiguously");
    }
    if (!allow_line_breaks && HasLineBreak(v)) {
      return Fail("value contains a line break; it must move to a secondary file");
    }
    if (!first)
      joined.push_back('%');
    first = false;
    for (char c : v) {
      if (c == '\\') {
        joined += "\\\\";
      } else if (c == '\r') {
        joined += "\\r";
      } else if (c == '\n') {
        joined += "\\n";
      } else {
        joined.push_back(c);
      }
    }
  }
  return QuoteValue(joined);
}

std::string EncodePointer(const Pointer& pointer) {
  return "#" + pointer.file + "(" + std::to_string(pointer.offset) + ")";
}

std::string EncodeRecipient(const Recipient& recipient) {
  if (recipient.address.empty())
    return recipient.display_name;
  return recipient.display_name + " [" + recipient.address + "]";
}

std::string EncodeDate(const std::optional<LocalDateTime>& date) {
  if (!date)
    return {};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d%02d%02d%02d", date->year, date->month,
                date->day, date->hour, date->minute, date->second);
  return buffer;
}

void PrimaryWriter::Comment(std::string_view text) {
  out_ += '!';
  out_ += text;
  out_ += "\r\n";
}

void PrimaryWriter::BeginSection(SectionKind kind, std::string_view owner) {
  if (wrote_section_)
    out_ += "\r\n";
  wrote_section_ = true;
  out_ += SectionKindName(kind);
  if (kind != SectionKind::kDirectory) {
    out_ += ',';
    out_ += QuoteValue(owner);
  }
  out_ += "\r\n";
}

void PrimaryWriter::ColumnHeader(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0)
      line += ',';
    line += QuoteValue(columns[i]);
  }
  out_ += line;
  out_ += "\r\n";
}

Result<void, std::string> PrimaryWriter::Line(const std::vector<std::string>& fields,
                                              const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (HasLineBreak(fields[i])) {
      return Fail((i < columns.size() ? columns[i] : std::string("field")) +
                  ": value contains a line break; it must move to a secondary file");
    }
    if (i > 0)
      line += ',';
    line += fields[i];
  }
  out_ += line;
  out_ += "\r\n";
  return {};
}

Result<void, std::string> PrimaryWriter::Write(const DirectoryRecord& record,
                                               const std::vector<std::string>& columns) {
  std::vector<std::string> fields = {record.obj_class, "Create"};
  for (std::size_t i = 2; i < columns.size(); ++i) {
    const auto* values = record.Find(columns[i]);
    auto encoded = EncodeDirectoryValues(values ? *values : std::vector<std::string>{},
                                         columns[i] == "Comment");
    if (!encoded)
      return Fail(columns[i] + ": " + encoded.error());
    fields.push_back(std::move(encoded).value());
  }
  return Line(fields, columns);
}

Result<void, std::string> PrimaryWriter::Write(const PabEntry& entry) {
  const auto& columns = PabColumns();
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string value;
    if (i == 0) {
      value = entry.is_dl ? "dl" : "entry";
    } else if (i == 1) {
      value = QuoteValue(entry.display_name);
    } else if (i == 2) {
      value = entry.is_dl ? EncodeSemicolonList(entry.addresses)
                          : QuoteValue(entry.addresses.empty() ? "" : entry.addresses.front());
    } else {
      value = QuoteValue(i < entry.fields.size() ? entry.fields[i] : std::string());
    }
    fields.push_back(IndirectOr(entry.indirect, columns[i], std::move(value)));
  }
  return Line(fields, columns);
}

Result<void, std::string> PrimaryWriter::Write(const MailMessage& message) {
  auto list = [](const std::vector<Recipient>& recipients) {
    std::vector<std::string> items;
    for (const auto& r : recipients)
      items.push_back(EncodeRecipient(r));
    return EncodeSemicolonList(items);
  };
  const auto& columns = MailMessageColumns();
  std::vector<std::string> fields = {
      QuoteValue(message.folder),
      QuoteValue(message.sender ? EncodeRecipient(*message.sender) : std::string()),
      list(message.to),
      list(message.cc),
      list(message.bcc),
      QuoteValue(message.subject),
      EncodeDate(message.send_date),
      EncodeDate(message.received_date),
      std::to_string(message.priority),
      message.unread ? "TRUE" : "FALSE",
      message.unsent ? "TRUE" : "FALSE",
      EncodePointer(message.body)};
  for (std::size_t i = 0; i + 1 < columns.size(); ++i) {
    fields[i] = IndirectOr(message.indirect, columns[i], std::move(fields[i]));
  }
  return Line(fields, columns);
}

}  // namespace ccm::parser
