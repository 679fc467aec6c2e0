// records.cpp — typed decoding of DIRECTORY, PAB and MAILMESSAGE records (see records.h).
#include "parser/records.h"

namespace ccm::parser {

namespace {

// Reports problems of one record; remembers whether any was an error.
class FieldReporter {
 public:
  FieldReporter(const SectionInfo& section, const RawRecord& record, DiagnosticSink& sink)
      : section_(section), record_(record), sink_(sink) {}
  void Error(const std::string& column, std::string message) {
    ok_ = false;
    sink_.Report(AtLine(section_.file, record_.line, Severity::kError, std::move(message), column));
  }
  void Warning(const std::string& column, std::string message) {
    sink_.Report(
        AtLine(section_.file, record_.line, Severity::kWarning, std::move(message), column));
  }
  bool ok() const { return ok_; }

 private:
  const SectionInfo& section_;
  const RawRecord& record_;
  DiagnosticSink& sink_;
  bool ok_ = true;
};

struct RawValue {
  std::string_view raw;
  FieldShape shape = FieldShape::kUnquoted;
};

inline RawValue FieldAt(const RawRecord& record, std::size_t i) {
  if (i >= record.size())
    return {};
  return {record.raw(i), record.shape(i)};
}

// A pointer-shaped field: returns true when it was one (valid or reported as malformed).
bool TakePointer(const std::string& column, RawValue v, FieldReporter& report,
                 std::optional<PointerView>& out) {
  if (!LooksLikePointer(v.raw, v.shape))
    return false;
  out = ParsePointerView(v.raw, v.shape);
  if (!out) {
    report.Error(column, "malformed pointer \"" + std::string(v.raw) +
                             "\" (expected #FILE(offset); a value starting with # must be quoted)");
  }
  return true;
}

bool TakePointer(const std::string& column, RawValue v, FieldReporter& report,
                 std::optional<Pointer>& out) {
  std::optional<PointerView> view;
  if (!TakePointer(column, v, report, view))
    return false;
  if (view)
    out = Pointer{std::string(view->file), view->offset};
  return true;
}

// The field's text (a view of the record or of `scratch`), or empty after reporting its error.
inline std::string_view TextView(const std::string& column, RawValue v,
                                 const ReaderOptions& options, FieldReporter& report,
                                 std::string& scratch) {
  if (v.shape == FieldShape::kUnquoted)
    return v.raw;  // UnquoteView's answer, without the call
  auto value = UnquoteView(v.raw, v.shape, options.lenient, scratch);
  if (!value) {
    report.Error(column, value.error());
    return {};
  }
  return *value;
}

std::string TextValue(const std::string& column, RawValue v, const ReaderOptions& options,
                      FieldReporter& report) {
  std::string scratch;
  return std::string(TextView(column, v, options, report, scratch));
}

std::vector<Recipient> RecipientList(const std::string& column, RawValue v,
                                     const ReaderOptions& options, FieldReporter& report) {
  std::vector<Recipient> recipients;
  auto list = DecodeSemicolonList(v.raw, options.lenient);
  if (!list) {
    report.Error(column, list.error());
    return recipients;
  }
  if (list->dropped_empty > 0)
    report.Warning(column, "empty list item dropped");
  for (const auto& item : list->values)
    recipients.push_back(ParseRecipient(item));
  return recipients;
}

// RecipientList's checks and diagnostics without building the recipients.
void CheckRecipientList(const std::string& column, RawValue v, const ReaderOptions& options,
                        FieldReporter& report) {
  auto dropped = CheckSemicolonList(v.raw, options.lenient);
  if (!dropped) {
    report.Error(column, dropped.error());
  } else if (*dropped > 0) {
    report.Warning(column, "empty list item dropped");
  }
}

// The one implementation of a MAILMESSAGE record's checks. With `out` it also builds the
// message's text fields; without, nothing but the pointers is copied (CheckMailMessage). The
// pointers go to `body` and `indirect` either way. Returns false after an error.
bool DecodeMailMessageFields(const SectionInfo& section, const RawRecord& record,
                             const ReaderOptions& options, DiagnosticSink& sink, MailMessage* out,
                             Pointer& body, std::vector<IndirectField>& indirect) {
  FieldReporter report(section, record, sink);
  thread_local std::string scratch;  // quoted values are decoded here: no allocation per field
  bool have_body = false;
  for (std::size_t i = 0; i < section.columns.size(); ++i) {
    const std::string& column = section.columns[i];
    RawValue v = FieldAt(record, i);
    std::optional<PointerView> pointer;
    // The inline shape test first: most fields are not pointers, and they skip the call (a check
    // runs this loop for every field of every message).
    if (LooksLikePointer(v.raw, v.shape) && TakePointer(column, v, report, pointer)) {
      if (!pointer)
        continue;
      if (i == 11) {
        body.file.assign(pointer->file);
        body.offset = pointer->offset;
        have_body = true;
      } else {
        indirect.push_back({column, Pointer{std::string(pointer->file), pointer->offset}});
      }
      continue;
    }
    switch (i) {
      case 0: {
        std::string_view folder = TextView(column, v, options, report, scratch);
        if (out != nullptr)
          out->folder = folder;
        break;
      }
      case 1: {
        std::string_view sender = TextView(column, v, options, report, scratch);
        if (out != nullptr && !sender.empty())
          out->sender = ParseRecipient(sender);
        break;
      }
      case 2:
      case 3:
      case 4:
        if (out != nullptr) {
          (i == 2   ? out->to
           : i == 3 ? out->cc
                    : out->bcc) = RecipientList(column, v, options, report);
        } else {
          CheckRecipientList(column, v, options, report);
        }
        break;
      case 5: {
        std::string_view subject = TextView(column, v, options, report, scratch);
        if (out != nullptr)
          out->subject = subject;
        break;
      }
      case 6:
      case 7: {
        auto date = ParseDate(TextView(column, v, options, report, scratch));
        if (!date) {
          report.Error(column, date.error());
        } else if (out != nullptr) {
          (i == 6 ? out->send_date : out->received_date) = *date;
        }
        break;
      }
      case 8: {
        auto priority = ParsePriority(TextView(column, v, options, report, scratch));
        if (!priority) {
          report.Error(column, priority.error());
        } else if (out != nullptr) {
          out->priority = *priority;
        }
        break;
      }
      case 9:
      case 10: {
        auto flag = ParseBool(TextView(column, v, options, report, scratch));
        if (!flag) {
          report.Error(column, flag.error());
        } else if (out != nullptr) {
          (i == 9 ? out->unread : out->unsent) = flag->value_or(false);
        }
        break;
      }
      case 11:
        if (v.shape != FieldShape::kUnquoted && v.raw.size() > 1 && v.raw[1] == '#') {
          report.Error(column,
                       "Body must be an unquoted pointer #FILE(offset); a quoted field "
                       "is never a pointer");
        } else {
          report.Error(column,
                       "Body must be a pointer #FILE(offset), got \"" + std::string(v.raw) + "\"");
        }
        break;
      default:
        break;
    }
  }
  if (!have_body && report.ok())
    report.Error("Body", "Body must be a pointer #FILE(offset)");
  return report.ok();
}

}  // namespace

const std::vector<std::string>* DirectoryRecord::Find(std::string_view canonical) const {
  for (const auto& [column, values] : attributes) {
    if (EqualsIgnoreCase(column, canonical))
      return &values;
  }
  return nullptr;
}

std::string DirectoryRecord::First(std::string_view canonical) const {
  const auto* values = Find(canonical);
  return values == nullptr || values->empty() ? std::string() : values->front();
}

std::optional<DirectoryRecord> DecodeDirectoryRecord(const SectionInfo& section,
                                                     const RawRecord& record,
                                                     const ReaderOptions& options,
                                                     DiagnosticSink& sink) {
  FieldReporter report(section, record, sink);
  DirectoryRecord out;
  out.line = record.line;
  for (std::size_t i = 0; i < section.columns.size(); ++i) {
    const std::string& column = section.columns[i];
    RawValue v = FieldAt(record, i);
    if (LooksLikePointer(v.raw, v.shape)) {
      report.Error(column,
                   "pointers are not allowed in DIRECTORY sections (quote a value that "
                   "starts with #)");
      continue;
    }
    auto values = DecodeDirectoryValues(v.raw, v.shape, IsMultiValuedDirectoryColumn(column),
                                        column == "Comment", options.lenient);
    if (!values) {
      report.Error(column, values.error());
      continue;
    }
    if (i == 0) {
      std::string value = values->empty() ? std::string() : AsciiLower(values->front());
      if (value != "mailbox" && value != "remote" && value != "dl") {
        report.Error(column, "Obj-Class must be mailbox, remote or dl, got \"" +
                                 (values->empty() ? std::string() : values->front()) + "\"");
      }
      out.obj_class = value;
      continue;
    }
    if (i == 1) {
      if (values->size() != 1 || !EqualsIgnoreCase(values->front(), "create")) {
        report.Error(column, "Mode must be Create in a migration file, got \"" +
                                 (values->empty() ? std::string() : values->front()) + "\"");
      }
      continue;
    }
    if (column == "Proxy-Addresses") {
      for (const auto& value : *values) {
        if (!value.empty() && value.front() == '~') {
          report.Error(
              column, "directory-import token \"" + value + "\" is not allowed in migration files");
        }
      }
    }
    out.attributes.emplace_back(column, std::move(values).value());
  }
  if (!report.ok())
    return std::nullopt;
  return out;
}

std::optional<PabEntry> DecodePabEntry(const SectionInfo& section, const RawRecord& record,
                                       const ReaderOptions& options, DiagnosticSink& sink) {
  FieldReporter report(section, record, sink);
  PabEntry out;
  out.line = record.line;
  out.fields.resize(section.columns.size());
  for (std::size_t i = 0; i < section.columns.size(); ++i) {
    const std::string& column = section.columns[i];
    RawValue v = FieldAt(record, i);
    std::optional<Pointer> pointer;
    if (LooksLikePointer(v.raw, v.shape) && TakePointer(column, v, report, pointer)) {
      if (pointer)
        out.indirect.push_back({column, *pointer});
      continue;
    }
    if (i == 2 && out.is_dl) {
      auto list = DecodeSemicolonList(v.raw, options.lenient);
      if (!list) {
        report.Error(column, list.error());
        continue;
      }
      if (list->dropped_empty > 0)
        report.Warning(column, "empty list item dropped");
      out.addresses = std::move(list->values);
      continue;
    }
    out.fields[i] = TextValue(column, v, options, report);
    if (i == 0) {
      std::string kind = AsciiLower(out.fields[0]);
      if (kind != "entry" && kind != "dl") {
        report.Error(column, "Obj-class must be entry or dl, got \"" + out.fields[0] + "\"");
      }
      out.is_dl = kind == "dl";
    } else if (i == 1) {
      out.display_name = out.fields[1];
      if (out.display_name.empty())
        report.Error(column, "Display-Name is required");
    } else if (i == 2) {
      out.addresses = {out.fields[2]};
    }
  }
  if (out.addresses.empty() || out.addresses.front().empty()) {
    bool indirect = false;
    for (const auto& f : out.indirect)
      indirect = indirect || f.column == "Email-Address";
    if (!indirect)
      report.Error("Email-Address", "Email-Address is required");
  }
  if (!report.ok())
    return std::nullopt;
  return out;
}

std::optional<MailMessage> DecodeMailMessage(const SectionInfo& section, const RawRecord& record,
                                             const ReaderOptions& options, DiagnosticSink& sink) {
  MailMessage out;
  out.line = record.line;
  out.offset = record.offset;
  if (!DecodeMailMessageFields(section, record, options, sink, &out, out.body, out.indirect))
    return std::nullopt;
  return out;
}

bool CheckMailMessage(const SectionInfo& section, const RawRecord& record,
                      const ReaderOptions& options, DiagnosticSink& sink,
                      MailMessagePointers& out) {
  out.line = record.line;
  out.body.file.clear();
  out.body.offset = 0;
  out.indirect.clear();
  return DecodeMailMessageFields(section, record, options, sink, nullptr, out.body, out.indirect);
}

}  // namespace ccm::parser
