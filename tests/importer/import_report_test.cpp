// import_report_test.cpp — report.json keys, totals and escaping; the human summary's content.
#include "importer/import_report.h"

#include <gtest/gtest.h>

namespace ccm::importer {
namespace {

ImportReport Sample() {
  ImportReport r;
  r.set = "/drop/HQPO.001/HQPO.PKL";
  r.outcome = ImportOutcome::kDoneWithWarnings;
  r.reason = "1 user not found";
  r.source_timezone = "Europe/Berlin";
  r.code_page = 1252;
  UserReport avery;
  avery.address = "CCMAIL:Quinn, Avery at HQPO";
  avery.decision = Decision::kConvert;
  avery.dn = "cn=Avery Quinn,ou=Recipients,dc=example,dc=test";
  avery.mail_store = "aquinn";
  avery.directory = DirectoryStatus::kApplied;
  avery.messages = 3;
  avery.messages_delivered = 2;
  avery.messages_already_present = 1;
  avery.warnings.push_back("00000001.PRI:14: 2 Body sections in one chain");
  UserReport ghost;
  ghost.address = "CCMAIL:Ghost \"Q\"\nat HQPO";
  ghost.decision = Decision::kSkipNotFound;
  ghost.reason = "no entry";
  r.users = {avery, ghost};
  r.synthesised.push_back({"CCMAIL:Lee, Jordan at HQPO", "CCMFIX01.PRI", "DB8: no mail"});
  r.skipped_sections.push_back({SkippedKind::kPab, "CCMAIL:Quinn, Avery at HQPO", "00000001.PRI", 1,
                                2, "PAB delivery is out of scope"});
  r.directory_changes_applied = 1;
  r.timings = {0.010, 0.020, 0.030, 0.0405, 0.1};
  return r;
}

TEST(ImportReport, JsonHasTotalsUsersSectionsAndTimings) {
  std::string json = RenderReportJson(Sample());
  for (const char* expected :
       {"\"ccmigrate_report\":1", "\"outcome\":\"done-with-warnings\"",
        "\"source_timezone\":\"Europe/Berlin\"", "\"code_page\":1252", "\"users\":2",
        "\"convert\":1", "\"skip-not-found\":1", "\"conflict\":0",
        "\"directory_changes_applied\":1", "\"messages\":3", "\"messages_delivered\":2",
        "\"messages_already_present\":1", "\"messages_failed\":0", "\"warnings\":1", "\"apply\":30",
        "\"deliver\":41", "\"total\":100",
        "\"dn\":\"cn=Avery Quinn,ou=Recipients,dc=example,dc=test\"", "\"directory\":\"applied\"",
        "\"synthesised_sections\":[{\"address\":\"CCMAIL:Lee, Jordan at HQPO\",\"file\":"
        "\"CCMFIX01.PRI\",\"reason\":\"DB8: no mail\"}]",
        "\"kind\":\"PAB\"", "\"records\":2",
        // Export text is escaped, never raw.
        "\"CCMAIL:Ghost \\\"Q\\\"\\nat HQPO\""}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << "\n" << json;
  }
  EXPECT_EQ(json.find("\"public\""), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
}

TEST(ImportReport, SummaryNamesOutcomeCountsAndProblems) {
  std::string text = RenderReportSummary(Sample());
  EXPECT_NE(text.find("done-with-warnings (1 user not found)"), std::string::npos) << text;
  EXPECT_NE(text.find("users: 2, 1 convert, 1 skip-not-found"), std::string::npos) << text;
  EXPECT_NE(text.find("messages: 3 in the set, 2 delivered now, 1 already present"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("skipped PAB section 00000001.PRI:1"), std::string::npos) << text;
  EXPECT_NE(text.find("CCMFIX01.PRI"), std::string::npos) << text;
  // The newline inside the hostile address does not start a new line of the summary.
  EXPECT_NE(text.find("skip-not-found: CCMAIL:Ghost \"Q\"?at HQPO"), std::string::npos) << text;
}

TEST(ImportReport, OutcomeNames) {
  EXPECT_EQ(ImportOutcomeName(ImportOutcome::kDone), "done");
  EXPECT_EQ(ImportOutcomeName(ImportOutcome::kDoneWithWarnings), "done-with-warnings");
  EXPECT_EQ(ImportOutcomeName(ImportOutcome::kDeferred), "deferred");
  EXPECT_EQ(ImportOutcomeName(ImportOutcome::kRefused), "refused");
}

}  // namespace
}  // namespace ccm::importer
