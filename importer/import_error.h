// import_error.h — the error every importer entry point returns (plan, apply, rollback, job).
//
// An ImportError says what kind of failure it is, because the kind decides the set's outcome:
//   transient      the directory (or a file system) was unreachable or busy; nothing is left
//                  half-applied for any user (one modify per user is atomic), so the caller
//                  defers the set and a rerun converges (exit code 75);
//   permanent      something about the set or the directory that a rerun will not fix
//                  (rejected, exit 2);
//   configuration  a configuration value is unusable (exit 78).
// `message` names the user (source address), DN and operation involved.
//
// Thread safety: a plain value.
#pragma once

#include <string>
#include <string_view>

namespace ccm::importer {

/// What kind of failure an ImportError is; see the file comment.
enum class ImportErrorKind { kTransient, kPermanent, kConfiguration };

/// "transient", "permanent" or "configuration".
std::string_view ImportErrorKindName(ImportErrorKind kind);

/// A failure of an importer operation.
struct ImportError {
  ImportErrorKind kind = ImportErrorKind::kPermanent;
  std::string message;
};

/// The ccmigrate exit code for a failure of this kind: 75, 2 or 78.
int ExitCodeFor(ImportErrorKind kind);

}  // namespace ccm::importer
