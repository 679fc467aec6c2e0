// import_report_test.cpp — report.json keys, totals and escaping; the human summary's content.
#include "importer/import_report.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

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
  avery.address_books = 1;
  avery.address_books_delivered = 1;
  avery.addresses_translated = 7;
  avery.addresses_untranslated = 2;
  avery.warnings.push_back("00000001.PRI:14: 2 Body sections in one chain");
  UserReport ghost;
  ghost.address = "CCMAIL:Ghost \"Q\"\nat HQPO";
  ghost.decision = Decision::kSkipNotFound;
  ghost.reason = "no entry";
  r.users = {avery, ghost};
  r.synthesised.push_back({"CCMAIL:Lee, Jordan at HQPO", "CCMFIX01.PRI", "DB8: no mail"});
  r.skipped_sections.push_back({SkippedKind::kPublicMessages, "", "00000001.PRI", 1, 2,
                                "[mailstore] public_root is not configured"});
  r.untranslated_addresses.push_back({"CCMAIL:Nobody, Known at XXPO", "no entry"});
  r.untranslated_addresses_not_shown = 1;
  r.transliterated.push_back(
      {"CCMAIL:\u00c5ngstr\u00f6m, \u00c5sa at HQPO", "CCMAIL:Angstrom, Asa at HQPO"});
  r.directory_changes_applied = 1;
  r.timings = {0.010, 0.020, 0.030, 0.0405, 0.1, 0.005};
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
        "\"deliver\":41", "\"total\":100", "\"addresses\":5",
        "\"dn\":\"cn=Avery Quinn,ou=Recipients,dc=example,dc=test\"", "\"directory\":\"applied\"",
        "\"synthesised_sections\":[{\"address\":\"CCMAIL:Lee, Jordan at HQPO\",\"file\":"
        "\"CCMFIX01.PRI\",\"reason\":\"DB8: no mail\"}]",
        "\"kind\":\"PublicMessages\"", "\"records\":2", "\"address_books\":1",
        "\"address_books_delivered\":1", "\"address_books_already_present\":0",
        "\"addresses_translated\":7", "\"addresses_untranslated\":2",
        "\"untranslated_addresses\":[{\"address\":\"CCMAIL:Nobody, Known at XXPO\",\"reason\":"
        "\"no entry\"}]",
        "\"untranslated_addresses_not_shown\":1",
        "\"transliterated\":[{\"address\":\"CCMAIL:\u00c5ngstr\u00f6m, \u00c5sa at HQPO\","
        "\"as\":\"CCMAIL:Angstrom, Asa at HQPO\"}]",
        // Export text is escaped, never raw.
        "\"CCMAIL:Ghost \\\"Q\\\"\\nat HQPO\""}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << "\n" << json;
  }
  EXPECT_EQ(json.find("\"public\""), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
}

TEST(ImportReport, ALargeReportIsWrittenInPiecesOfAboutSixtyFourKiB) {
  ImportReport r = Sample();
  const UserReport avery = r.users.front();
  for (int i = 0; i < 3000; ++i) {
    UserReport u = avery;
    u.address = "CCMAIL:User " + std::to_string(i) + " at HQPO";
    r.users.push_back(std::move(u));
  }
  std::vector<std::string> pieces;
  WriteReportJson(r, [&pieces](std::string_view piece) { pieces.emplace_back(piece); });

  // 3,000 records of ~700 bytes: about 2 MiB, never held whole.
  ASSERT_GT(pieces.size(), 20u);
  std::string joined;
  for (const std::string& piece : pieces) {
    EXPECT_LE(piece.size(), 64u * 1024 + 1024);  // a piece ends after the record that fills it
    joined += piece;
  }
  EXPECT_EQ(joined, RenderReportJson(r));
  EXPECT_NE(joined.find("\"users\":3002"), std::string::npos);
  std::size_t at = 0;
  for (int i = 0; i < 3000; ++i) {  // every record, in order
    at = joined.find("\"CCMAIL:User " + std::to_string(i) + " at HQPO\"", at);
    ASSERT_NE(at, std::string::npos) << i;
  }
  EXPECT_EQ(joined.substr(joined.size() - 2), "}\n");
}

TEST(ImportReport, ASmallReportIsWrittenAsOnePiece) {
  std::vector<std::string> pieces;
  WriteReportJson(Sample(), [&pieces](std::string_view piece) { pieces.emplace_back(piece); });
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces.front(), RenderReportJson(Sample()));
}

TEST(ImportReport, SummaryNamesOutcomeCountsAndProblems) {
  std::string text = RenderReportSummary(Sample());
  EXPECT_NE(text.find("done-with-warnings (1 user not found)"), std::string::npos) << text;
  EXPECT_NE(text.find("users: 2, 1 convert, 1 skip-not-found"), std::string::npos) << text;
  EXPECT_NE(text.find("messages: 3 in the set, 2 delivered now, 1 already present"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("skipped PublicMessages section 00000001.PRI:1"), std::string::npos) << text;
  EXPECT_NE(text.find("address books: 1 in the set, 1 delivered now, 0 already present"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("addresses: 7 written as SMTP addresses, 2 kept as cc:Mail addresses"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("transliterated CCMAIL:\u00c5ngstr\u00f6m, \u00c5sa at HQPO -> "
                      "CCMAIL:Angstrom, Asa at HQPO"),
            std::string::npos)
      << text;
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
