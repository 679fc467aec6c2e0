// import_error.cpp — names and exit codes of ImportError kinds. See import_error.h.
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

int ExitCodeFor(ImportErrorKind kind) {
  switch (kind) {
    case ImportErrorKind::kTransient:
      return 75;
    case ImportErrorKind::kPermanent:
      return 2;
    case ImportErrorKind::kConfiguration:
      return 78;
  }
  return 2;
}

}  // namespace ccm::importer
