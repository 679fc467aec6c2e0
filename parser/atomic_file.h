// atomic_file.h — writes one file into a directory atomically: a temporary file in the same
// directory (O_EXCL, O_NOFOLLOW, mode 0644), all bytes, fsync, rename over the final name, fsync
// of the directory. A reader never sees a half-written file; a crash leaves at most a stray
// ".ccm-tmp.*" file.
//
// The content is an optional prefix streamed from a ByteSource (a byte-identical copy, read in
// 1 MiB chunks) followed by an in-memory suffix (appended sections, a new file's text).
//
// Thread safety: a function; concurrent writers of the same name race like rename(2) does.
#pragma once

#include <string>
#include <string_view>

#include "ccm/result.h"
#include "parser/byte_source.h"

namespace ccm::parser {

/// Writes `prefix` (may be null) then `suffix` as `name` inside the directory `dir_fd`.
Result<void, std::string> WriteFileAtomically(int dir_fd, const std::string& name,
                                              const ByteSource* prefix, std::string_view suffix);

}  // namespace ccm::parser
