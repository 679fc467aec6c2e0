// set_report.cpp — scanning a set from disk and printing its problems (see set_report.h).
#include "cli/set_report.h"

#include <ostream>

namespace ccm::cli {

SetPath SplitSetPath(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

ScannedSet ScanSetAt(const std::string& pkl_path, const parser::ScanOptions& options,
                     FilesReadAgain read_again) {
  ScannedSet set;
  set.path = SplitSetPath(pkl_path);
  set.sink = std::make_unique<parser::DiagnosticSink>(options.reader.max_diagnostics);
  auto directory = parser::DiskDirectory::OpenPath(
      set.path.directory,
      read_again == FilesReadAgain::kYes ? parser::DiskDirectory::kNoOwnCap : 0);
  if (!directory) {
    set.sink->Report(parser::AtLine(set.path.pkl, 0, parser::Severity::kError,
                                    "cannot open the set directory " + directory.error().message));
    return set;
  }
  set.directory = std::move(directory).value();
  auto scan = parser::ScanFileSet(*set.directory, set.path.pkl, options, *set.sink);
  if (!scan) {
    set.sink->Report(std::move(scan).error());
    return set;
  }
  set.scan = std::move(scan).value();
  if (auto text = parser::TextConverter::Create(set.scan->packing_list.code_page)) {
    set.text.emplace(std::move(text).value());
  }
  return set;
}

std::string ToUtf8(ScannedSet& set, const std::string& text) {
  return set.text ? set.text->ToUtf8(text) : text;
}

void PrintProblems(ScannedSet& set, std::ostream& out) {
  for (const auto& problem : set.sink->kept()) {
    out << ToUtf8(set, problem.ToString()) << '\n';
  }
  if (set.sink->dropped() > 0) {
    out << set.path.pkl << ":0: info: " << set.sink->dropped()
        << " more problems were counted but not shown\n";
  }
}

}  // namespace ccm::cli
