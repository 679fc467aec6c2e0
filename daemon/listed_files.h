// listed_files.h — the narrow plug through which the drop directory learns which files a packing
// list names: "does this .PKL parse, and what does it list?". It is backed by the parser layer's
// packing-list reader (parser/packing_list.h), so readiness judges a .PKL by the same
// rules as `ccmigrate check` and the importer.
//
// Inputs: the .PKL's path inside a set folder (DropDirectory has already checked, with fstatat
// and no link following, that it is a regular file within bounds). It is opened here
// O_RDONLY|O_NOFOLLOW|O_NONBLOCK (a FIFO swapped in after the drop directory's lstat cannot
// block), checked to be a regular file of at most 16 MiB, read into memory and handed to
// ReadPackingList as a MemorySource; the reader's line limit bounds a huge line.
// Diagnostics: the first error diagnostic ("FILE:LINE: error: message"); warnings are left to
// the importer's report.
//
// Thread safety: the returned function is reentrant.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "parser/reader_options.h"

namespace ccm::daemon {

/// Listed file names of the packing list at the given path, or why it does not parse.
using ListedFilesFn =
    std::function<Result<std::vector<std::string>, std::string>(const std::filesystem::path&)>;

/// A ListedFilesFn backed by the parser's ReadPackingList with `options` (strict or lenient).
ListedFilesFn ParserListedFiles(parser::ReaderOptions options = {});

}  // namespace ccm::daemon
