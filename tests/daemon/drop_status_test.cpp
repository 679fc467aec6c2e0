// drop_status_test.cpp — status.json's content (valid JSON with escaped set names, counters,
// the last ten errors), `ccmigrate status` printing it, and the drop service keeping it current.
#include "daemon/drop_status.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/status_command.h"
#include "daemon/json_text.h"
#include "spool_fixture.h"

namespace ccm::daemon {
namespace {

using ccm::cli::RunStatusCommand;

using namespace ccm::daemon::testing;

TEST(JsonText, EscapesQuotesControlBytesAndInvalidUtf8) {
  EXPECT_EQ(JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonQuote("line\nnext\x01"), "\"line\\nnext\\u0001\"");
  EXPECT_EQ(JsonQuote("Zürich"), "\"Zürich\"");
  EXPECT_EQ(JsonQuote(std::string("\xff")), "\"\xEF\xBF\xBD\"");  // U+FFFD
}

TEST(DropStatus, FormatsCountersOutcomeAndBoundedErrors) {
  DropStatus s;
  s.state = "running";
  s.sets.incoming = 2;
  s.sets.done = 5;
  s.in_flight = {"HQPO.001", "we\"ird"};
  s.claimed = 7;
  s.done = 5;
  s.done_with_warnings = 1;
  s.last_outcome =
      DropStatus::Event{std::chrono::system_clock::time_point(), "HQPO.000", "done", ""};
  for (int i = 0; i < 15; ++i)
    s.AddError("set" + std::to_string(i), "error " + std::to_string(i));
  s.AddError("x", "listed only", false);
  const auto text = FormatStatus(s, std::chrono::system_clock::time_point());
  EXPECT_NE(text.find("\"state\": \"running\""), std::string::npos);
  EXPECT_NE(text.find("\"sets\": {\"incoming\": 2, \"active\": 0, \"done\": 5"), std::string::npos);
  EXPECT_NE(text.find("[\"HQPO.001\", \"we\\\"ird\"]"), std::string::npos);
  EXPECT_NE(text.find("\"errors\": 15"), std::string::npos) << text;
  EXPECT_NE(text.find("\"updated_at\": \"1970-01-01T00:00:00.000Z\""), std::string::npos);
  EXPECT_EQ(s.last_errors.size(), DropStatus::kMaxErrors);
  EXPECT_EQ(text.find("\"error 5\""), std::string::npos);  // the oldest are gone
  EXPECT_NE(text.find("\"error 14\""), std::string::npos);
  EXPECT_NE(text.find("\"listed only\""), std::string::npos);
}

TEST(StatusCommand, PrintsTheStateFileAndWhetherItsWriterRuns) {
  TempDir tmp;
  DropStatus s;
  WriteFile(tmp.path() / "status.json", FormatStatus(s, std::chrono::system_clock::now()));
  std::ostringstream out, err;
  EXPECT_EQ(RunStatusCommand(tmp.path(), out, err), 0);
  EXPECT_EQ(out.str(), ReadFile(tmp.path() / "status.json"));
  EXPECT_NE(err.str().find("is running"), std::string::npos) << err.str();  // our own pid
}

TEST(StatusCommand, FailsWithoutAStateFile) {
  TempDir tmp;
  std::ostringstream out, err;
  EXPECT_EQ(RunStatusCommand(tmp.path(), out, err), 1);
  EXPECT_TRUE(out.str().empty());
  EXPECT_NE(err.str().find("status.json"), std::string::npos);
  fs::create_symlink("/etc/passwd", tmp.path() / "status.json");  // never followed
  EXPECT_EQ(RunStatusCommand(tmp.path(), out, err), 1);
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace ccm::daemon
