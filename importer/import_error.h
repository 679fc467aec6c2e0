// import_error.h — the error every importer entry point returns (plan, apply, rollback, job).
//
// An ImportError says what kind of failure it is, because the kind decides the set's outcome:
//   transient      the directory (or a file system) was unreachable or busy; nothing is left
//                  half-applied for any user (one modify per user is atomic), so the caller
//                  defers the set and a rerun converges;
//   permanent      something about the set or the directory that a rerun will not fix (the
//                  set is refused), or a mail store that stays full or unwritable until a
//                  person acts (the set is deferred: once fixed, a rerun finishes it);
//   configuration  a configuration value is unusable.
// The command line maps kinds to exit codes (cli/exit_codes.h); the importer knows none.
// `message` names the user (source address), DN and operation involved.
//
// Thread safety: a plain value.
#pragma once

#include <string>
#include <string_view>

#include "ccm/io_failure.h"

namespace ccm::importer {

/// What kind of failure an ImportError is; see the file comment.
enum class ImportErrorKind { kTransient, kPermanent, kConfiguration };

/// "transient", "permanent" or "configuration".
std::string_view ImportErrorKindName(ImportErrorKind kind);

/// The kind of a failed file-system call: transient when a wait cures it, else permanent.
ImportErrorKind ImportErrorKindOf(IoFailure failure);

/// A failure of an importer operation.
struct ImportError {
  ImportErrorKind kind = ImportErrorKind::kPermanent;
  std::string message;
};

}  // namespace ccm::importer
