// diagnostics.h — what the reader says about a file set: one Diagnostic per problem, collected
// by a bounded DiagnosticSink.
//
// A Diagnostic names the file, the physical line (primary files, packing lists) or the byte
// offset (secondary files), the field or column when known, a severity and a message. Its text
// form is "FILE:LINE: severity: message" (for secondary files the number is the byte offset).
// A diagnostic that some program acts on (beyond counting it by severity) carries a
// DiagnosticCode, so that code decides on the code, never on the message text.
// The sink keeps the first `limit` diagnostics and keeps counting past the bound, so a set with
// a million bad lines costs bounded memory but still reports honest totals.
//
// Thread safety: plain values; a DiagnosticSink is externally synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ccm/file_error.h"

namespace ccm::parser {

enum class Severity { kError, kWarning, kInfo };

/// What a diagnostic is about, for the diagnostics a program acts on. Everything else is
/// kGeneral: reported and counted by severity, never interpreted.
enum class DiagnosticCode {
  kGeneral,
  /// A user to be migrated has no MAILMESSAGE section (KB Q194218); `ccmigrate fix` and the
  /// import's in-memory fix supply an empty one.
  kUserWithoutMailMessageSection,
  /// A file of the set could not be opened or read for a reason a wait cures (the process or
  /// the system out of descriptors or memory: ccm/io_failure.h). The import defers the set
  /// instead of refusing it.
  kUnreadableForNow,
};

/// "error", "warning" or "info".
const char* SeverityName(Severity severity);

/// One problem found in a file set.
struct Diagnostic {
  std::string file;         ///< bare file name (or path as given)
  std::uint64_t where = 0;  ///< physical line (1-based), or byte offset when is_offset
  bool is_offset = false;   ///< true for positions in secondary files
  std::string field;        ///< column or field name, empty when not about one field
  Severity severity = Severity::kError;
  std::string message;
  DiagnosticCode code = DiagnosticCode::kGeneral;

  /// "FILE:LINE: severity: [field: ]message".
  std::string ToString() const;
};

/// Builds a diagnostic at a line.
Diagnostic AtLine(std::string file, std::uint64_t line, Severity severity, std::string message,
                  std::string field = {});
/// Builds a diagnostic at a byte offset (secondary files).
Diagnostic AtOffset(std::string file, std::uint64_t offset, Severity severity, std::string message,
                    std::string field = {});

/// `diagnostic`, about a file that could not be opened or read with `error`, coded
/// kUnreadableForNow when a wait can cure the error.
Diagnostic ForFileError(Diagnostic diagnostic, const FileError& error);

/// Collects diagnostics up to a bound and counts all of them.
class DiagnosticSink {
 public:
  /// Keeps at most `limit` diagnostics; counting never stops.
  explicit DiagnosticSink(std::size_t limit = 1000) : limit_(limit) {}

  /// Records one diagnostic.
  void Report(Diagnostic diagnostic);

  /// The kept diagnostics, in the order they were reported.
  const std::vector<Diagnostic>& kept() const { return kept_; }
  std::uint64_t errors() const { return errors_; }
  std::uint64_t warnings() const { return warnings_; }
  std::uint64_t infos() const { return infos_; }
  /// Diagnostics coded kUnreadableForNow, kept or not.
  std::uint64_t unreadable_for_now() const { return unreadable_for_now_; }
  /// Diagnostics that were counted but not kept because of the bound.
  std::uint64_t dropped() const { return dropped_; }
  /// Moves the kept diagnostics out (counts stay): a scan's reader collects its diagnostics in
  /// a sink of its own and hands them on, in order, to the caller's.
  std::vector<Diagnostic> TakeKept() { return std::exchange(kept_, {}); }

 private:
  std::size_t limit_;
  std::vector<Diagnostic> kept_;
  std::uint64_t errors_ = 0;
  std::uint64_t warnings_ = 0;
  std::uint64_t infos_ = 0;
  std::uint64_t unreadable_for_now_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace ccm::parser
