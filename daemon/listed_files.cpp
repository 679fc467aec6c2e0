// listed_files.cpp — the parser's packing-list reader as a ListedFilesFn. See listed_files.h.
#include "daemon/listed_files.h"

#include <fcntl.h>

#include "daemon/spool_fs.h"
#include "parser/byte_source.h"
#include "parser/packing_list.h"

namespace ccm::daemon {

ListedFilesFn ParserListedFiles(parser::ReaderOptions options) {
  return
      [options](const std::filesystem::path& pkl) -> Result<std::vector<std::string>, std::string> {
        constexpr std::size_t kMaxPackingListBytes = 16u << 20;
        const std::string file = pkl.filename().string();
        auto bytes = spool_fs::ReadSmallFile(AT_FDCWD, pkl.string(), kMaxPackingListBytes);
        if (!bytes) {
          return Fail(file + ": cannot be read as a regular file of at most 16 MiB");
        }
        parser::MemorySource source(std::move(*bytes));
        parser::DiagnosticSink sink(16);
        auto list = parser::ReadPackingList(source, file, options, sink);
        if (!list)
          return Fail(list.error().ToString());
        for (const auto& d : sink.kept()) {
          if (d.severity == parser::Severity::kError)
            return Fail(d.ToString());
        }
        if (sink.errors() > 0)
          return Fail(file + ": packing list has errors");
        std::vector<std::string> names;
        names.reserve(list->entries.size());
        for (const auto& e : list->entries)
          names.push_back(e.name);
        return names;
      };
}

}  // namespace ccm::daemon
