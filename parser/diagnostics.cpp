// diagnostics.cpp — text form and bounded collection of reader diagnostics (see diagnostics.h).
#include "parser/diagnostics.h"

#include <utility>

#include "ccm/io_failure.h"

namespace ccm::parser {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

std::string Diagnostic::ToString() const {
  std::string text = file;
  text += ':';
  text += std::to_string(where);
  text += ": ";
  text += SeverityName(severity);
  text += ": ";
  if (!field.empty()) {
    text += field;
    text += ": ";
  }
  text += message;
  return text;
}

Diagnostic AtLine(std::string file, std::uint64_t line, Severity severity, std::string message,
                  std::string field) {
  return Diagnostic{std::move(file), line, false, std::move(field), severity, std::move(message)};
}

Diagnostic AtOffset(std::string file, std::uint64_t offset, Severity severity, std::string message,
                    std::string field) {
  return Diagnostic{std::move(file), offset, true, std::move(field), severity, std::move(message)};
}

Diagnostic ForFileError(Diagnostic diagnostic, const FileError& error) {
  if (IoFailureOf(error.code) == IoFailure::kTransient)
    diagnostic.code = DiagnosticCode::kUnreadableForNow;
  return diagnostic;
}

void DiagnosticSink::Report(Diagnostic diagnostic) {
  if (diagnostic.code == DiagnosticCode::kUnreadableForNow)
    ++unreadable_for_now_;
  switch (diagnostic.severity) {
    case Severity::kError:
      ++errors_;
      break;
    case Severity::kWarning:
      ++warnings_;
      break;
    case Severity::kInfo:
      ++infos_;
      break;
  }
  if (kept_.size() < limit_) {
    kept_.push_back(std::move(diagnostic));
  } else {
    ++dropped_;
  }
}

}  // namespace ccm::parser
