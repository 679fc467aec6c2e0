// parser_listed_files.h — plugs the parser layer's packing-list reader (parser/packing_list.h,
// spec 3.x) into the drop directory's ListedFilesFn, so readiness judges a .PKL by the same
// rules as `ccmigrate check` and the importer.
//
// Inputs: the .PKL's path inside a set folder. It is opened here O_RDONLY|O_NOFOLLOW|O_NONBLOCK
// (a FIFO swapped in after the drop directory's lstat cannot block), checked to be a regular
// file of at most 16 MiB, read into memory and handed to ReadPackingList as a MemorySource.
// Diagnostics: the first error diagnostic ("FILE:LINE: error: message"); warnings are left to
// the importer's report.
//
// Thread safety: the returned function is reentrant.
#pragma once

#include "daemon/listed_files.h"
#include "parser/reader_options.h"

namespace ccm::daemon {

/// A ListedFilesFn backed by the parser's ReadPackingList with `options` (strict or lenient).
ListedFilesFn ParserListedFiles(parser::ReaderOptions options = {});

}  // namespace ccm::daemon
