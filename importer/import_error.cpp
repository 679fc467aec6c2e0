// import_error.cpp — names of ImportError kinds. See import_error.h.
#include "importer/import_error.h"

namespace ccm::importer {

std::string_view ImportErrorKindName(ImportErrorKind kind) {
  switch (kind) {
    case ImportErrorKind::kTransient:
      return "transient";
    case ImportErrorKind::kPermanent:
      return "permanent";
    case ImportErrorKind::kConfiguration:
      return "configuration";
  }
  return "permanent";
}

ImportErrorKind ImportErrorKindOf(IoFailure failure) {
  return failure == IoFailure::kTransient ? ImportErrorKind::kTransient
                                          : ImportErrorKind::kPermanent;
}

}  // namespace ccm::importer
