// io_failure.cpp — errno → IoFailure; see io_failure.h.
#include "ccm/io_failure.h"

#include <cerrno>

namespace ccm {

IoFailure IoFailureOf(int code) {
  switch (code) {
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ENOBUFS:
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINTR:
    case EBUSY:
    case ETIMEDOUT:
      return IoFailure::kTransient;
    default:
      return IoFailure::kPersistent;
  }
}

std::string_view IoFailureName(IoFailure failure) {
  return failure == IoFailure::kTransient ? "transient" : "persistent";
}

}  // namespace ccm
