// exit_codes.cpp — the outcome → exit code map; see exit_codes.h.
#include "cli/exit_codes.h"

namespace ccm::cli {

int ExitCodeFor(importer::ImportOutcome outcome) {
  switch (outcome) {
    case importer::ImportOutcome::kDone:
      return kExitOk;
    case importer::ImportOutcome::kDoneWithWarnings:
      return kExitWarnings;
    case importer::ImportOutcome::kRefused:
      return kExitInvalid;
    case importer::ImportOutcome::kDeferred:
    case importer::ImportOutcome::kInterrupted:
      return kExitTempFailure;
  }
  return kExitInvalid;
}

int ExitCodeFor(importer::ImportErrorKind kind) {
  switch (kind) {
    case importer::ImportErrorKind::kTransient:
      return kExitTempFailure;
    case importer::ImportErrorKind::kConfiguration:
      return kExitConfig;
    case importer::ImportErrorKind::kPermanent:
      return kExitInvalid;
  }
  return kExitInvalid;
}

int ExitCodeFor(const importer::ImportReport& report) {
  if (report.error_kind == importer::ImportErrorKind::kConfiguration)
    return kExitConfig;
  return ExitCodeFor(report.outcome);
}

int ExitCodeFor(daemon::RunVerdict verdict) {
  switch (verdict) {
    case daemon::RunVerdict::kDeferred:
      return kExitTempFailure;
    case daemon::RunVerdict::kRejected:
      return kExitInvalid;
    case daemon::RunVerdict::kWarnings:
      return kExitWarnings;
    case daemon::RunVerdict::kClean:
      return kExitOk;
  }
  return kExitOk;
}

int ExitCodeFor(StatusOutcome outcome) {
  switch (outcome) {
    case StatusOutcome::kShown:
      return kExitOk;
    case StatusOutcome::kNoState:
      return kExitNoState;
  }
  return kExitNoState;
}

int ExitCodeFor(const parser::DiagnosticSink& sink) {
  if (sink.errors() > 0)
    return kExitInvalid;
  if (sink.warnings() > 0)
    return kExitWarnings;
  return kExitOk;
}

}  // namespace ccm::cli
