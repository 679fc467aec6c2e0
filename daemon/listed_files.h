// listed_files.h — the narrow plug through which the drop directory learns which files a packing
// list names: "does this .PKL parse, and what does it list?". The parser layer's packing-list
// reader can be plugged in here; ReadListedFiles is a small bounded reader of spec 3.1/3.2 that
// serves until then (and in tests).
//
// Inputs: the packing list's path inside a set folder (DropDirectory has already checked, with
// fstatat and no link following, that it is a regular file within bounds). ReadListedFiles opens
// it O_RDONLY|O_NOFOLLOW|O_NONBLOCK, re-checks that it is a regular file with fstat, reads at
// most 16 MiB and refuses any line over 1 MiB (spec 2.13), so a FIFO, a link or a huge line can
// neither block nor exhaust memory.
//
// Diagnostics: the error string names the file and line.
// Thread safety: pure function of the file's content.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::daemon {

/// Listed file names of the packing list at the given path, or why it does not parse.
using ListedFilesFn =
    std::function<Result<std::vector<std::string>, std::string>(const std::filesystem::path&)>;

/// The built-in bounded packing-list reader (code page line, blank line, optional
/// `Filename,Filetype` header, then `name,Primary|Secondary` entries; `!` comments skipped;
/// CR LF, bare CR or LF line ends; quoted names unquoted).
Result<std::vector<std::string>, std::string> ReadListedFiles(const std::filesystem::path& pkl);

}  // namespace ccm::daemon
