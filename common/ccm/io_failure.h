// io_failure.h — ccm::IoFailure: whether a failed file-system call can succeed when it is simply
// tried again later, decided from its errno in one place for every layer.
//
//   transient   the process or the system ran short of something for a moment, or another
//               process held what was needed: EMFILE, ENFILE, ENOMEM, ENOBUFS, EAGAIN
//               (EWOULDBLOCK), EINTR, EBUSY, ETIMEDOUT. Waiting is the cure.
//   persistent  the file system refuses and keeps refusing until a person acts: ENOSPC, EDQUOT,
//               EACCES, EPERM, EROFS, EIO, and every errno not listed as transient (a missing
//               or misplaced path, a name too long, ...).
// The importer defers a set for both; the drop service gives a set that keeps failing
// persistently at most [drop] max_deferral_age_seconds before it refuses it.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

namespace ccm {

/// Whether retrying a failed file-system call can help; see the file comment.
enum class IoFailure { kTransient, kPersistent };

/// The kind of a failure with errno `code` (0, no errno at all, is persistent).
IoFailure IoFailureOf(int code);

/// "transient" or "persistent".
std::string_view IoFailureName(IoFailure failure);

}  // namespace ccm
