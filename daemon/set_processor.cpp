// set_processor.cpp — names of the set outcomes. See set_processor.h.
#include "daemon/set_processor.h"

namespace ccm::daemon {

const char* OutcomeName(SetOutcome::Kind kind) {
  switch (kind) {
    case SetOutcome::Kind::kDone:
      return "done";
    case SetOutcome::Kind::kDeferred:
      return "deferred";
    case SetOutcome::Kind::kRejected:
      return "rejected";
    case SetOutcome::Kind::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

}  // namespace ccm::daemon
