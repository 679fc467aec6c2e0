// exit_codes_test.cpp — the one map from named outcomes to process exit codes: every import
// outcome, error kind, `daemon --once` verdict, `status` outcome and scan result has its documented
// code, and a configuration error that ended an import is 78 whatever its outcome.
#include "cli/exit_codes.h"

#include <gtest/gtest.h>

namespace ccm::cli {
namespace {

using importer::ImportErrorKind;
using importer::ImportOutcome;

TEST(ExitCodes, ImportOutcomes) {
  EXPECT_EQ(ExitCodeFor(ImportOutcome::kDone), 0);
  EXPECT_EQ(ExitCodeFor(ImportOutcome::kDoneWithWarnings), 1);
  EXPECT_EQ(ExitCodeFor(ImportOutcome::kRefused), 2);
  EXPECT_EQ(ExitCodeFor(ImportOutcome::kDeferred), 75);
  EXPECT_EQ(ExitCodeFor(ImportOutcome::kInterrupted), 75);
}

TEST(ExitCodes, ErrorKinds) {
  EXPECT_EQ(ExitCodeFor(ImportErrorKind::kTransient), 75);
  EXPECT_EQ(ExitCodeFor(ImportErrorKind::kPermanent), 2);
  EXPECT_EQ(ExitCodeFor(ImportErrorKind::kConfiguration), 78);
}

TEST(ExitCodes, AReportIsItsOutcomeUnlessAConfigurationErrorEndedIt) {
  importer::ImportReport report;
  report.outcome = ImportOutcome::kRefused;
  EXPECT_EQ(ExitCodeFor(report), 2);
  report.error_kind = ImportErrorKind::kPermanent;
  EXPECT_EQ(ExitCodeFor(report), 2);
  report.error_kind = ImportErrorKind::kConfiguration;
  EXPECT_EQ(ExitCodeFor(report), 78);
  report.outcome = ImportOutcome::kDeferred;
  report.error_kind = ImportErrorKind::kTransient;
  EXPECT_EQ(ExitCodeFor(report), 75);
  report.outcome = ImportOutcome::kDoneWithWarnings;
  report.error_kind.reset();
  EXPECT_EQ(ExitCodeFor(report), 1);
}

TEST(ExitCodes, DaemonOnceVerdicts) {
  EXPECT_EQ(ExitCodeFor(daemon::RunVerdict::kClean), 0);
  EXPECT_EQ(ExitCodeFor(daemon::RunVerdict::kWarnings), 1);
  EXPECT_EQ(ExitCodeFor(daemon::RunVerdict::kRejected), 2);
  EXPECT_EQ(ExitCodeFor(daemon::RunVerdict::kDeferred), 75);
}

TEST(ExitCodes, StatusOutcomes) {
  EXPECT_EQ(ExitCodeFor(StatusOutcome::kShown), 0);
  EXPECT_EQ(ExitCodeFor(StatusOutcome::kNoState), 1);
}

TEST(ExitCodes, ScanResults) {
  parser::DiagnosticSink sink;
  EXPECT_EQ(ExitCodeFor(sink), 0);
  sink.Report(parser::AtLine("A.PRI", 1, parser::Severity::kInfo, "note"));
  EXPECT_EQ(ExitCodeFor(sink), 0);
  sink.Report(parser::AtLine("A.PRI", 2, parser::Severity::kWarning, "odd"));
  EXPECT_EQ(ExitCodeFor(sink), 1);
  sink.Report(parser::AtLine("A.PRI", 3, parser::Severity::kError, "bad"));
  EXPECT_EQ(ExitCodeFor(sink), 2);
}

}  // namespace
}  // namespace ccm::cli
