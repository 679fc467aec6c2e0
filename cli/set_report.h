// set_report.h — what `check` and `fix` share: locating a set from PATH.pkl, scanning it from
// disk, printing problem lines ("FILE:LINE: severity: message", byte offsets for secondary
// files) with text transcoded to UTF-8. The exit code a scan earns is ExitCodeFor(sink) in
// exit_codes.h.
//
// Thread safety: functions; one call per process.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/diagnostics.h"
#include "parser/file_set.h"

namespace ccm::cli {

/// PATH.pkl split into its directory and its bare file name.
struct SetPath {
  std::string directory;
  std::string pkl;
};
SetPath SplitSetPath(const std::string& path);

/// A scanned set: the open directory, the scan (absent when the packing list was unusable),
/// the diagnostics, and a converter for the set's code page when known.
struct ScannedSet {
  SetPath path;
  std::unique_ptr<parser::DiskDirectory> directory;
  std::optional<parser::FileSetScan> scan;
  std::unique_ptr<parser::DiagnosticSink> sink;
  std::optional<parser::TextConverter> text;
};

/// Whether the caller reads the set's files again after the scan (`fix` copies them). Only then
/// does the directory keep each file's descriptor for the second read; a scan that is the last
/// read closes each file on the reader's thread as soon as it is read, instead of closing
/// thousands on one thread at the end.
enum class FilesReadAgain { kNo, kYes };

/// Opens and scans the set at `pkl_path`. Failure to open the directory is reported to the
/// sink like any other problem.
ScannedSet ScanSetAt(const std::string& pkl_path, const parser::ScanOptions& options,
                     FilesReadAgain read_again);

/// Code-page text as UTF-8 (unchanged when the code page is unknown).
std::string ToUtf8(ScannedSet& set, const std::string& text);

/// Prints every kept problem line, and a note when some were not kept.
void PrintProblems(ScannedSet& set, std::ostream& out);

}  // namespace ccm::cli
