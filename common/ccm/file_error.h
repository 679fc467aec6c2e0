// file_error.h — ccm::FileError, the error value of the file helpers in common/ (the atomic
// writer, the directory lister): errno, and a message naming the operation and the file
// ("cannot rename /spool/active/A/.report.json.tmp to report.json: No space left on device").
// Layers wrap it in their own error types (DropError, MailError, the parser's messages) and keep
// `code`, so that a caller can tell a full disk from a vanished file.
//
// Thread safety: a plain value type.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

namespace ccm {

/// A failed file-system call.
struct FileError {
  int code = 0;         ///< errno of the failed call
  std::string message;  ///< "cannot <operation> <file>: <strerror(code)>"

  /// The error of `operation` ("create", "write", "list" ...) on `file`, which failed with `code`.
  static FileError Of(std::string_view operation, std::string_view file, int code) {
    std::string message = "cannot ";
    message.append(operation).append(" ").append(file).append(": ").append(std::strerror(code));
    return FileError{code, std::move(message)};
  }
};

}  // namespace ccm
