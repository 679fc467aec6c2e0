// drop_status_test.cpp — status.json's content (valid JSON with escaped set names, counters,
// the last ten errors), `ccmigrate status` printing it, and the drop service keeping it current.
#include "daemon/drop_status.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "cli/status_command.h"
#include "spool_fixture.h"

namespace ccm::daemon {
namespace {

using ccm::cli::RunStatusCommand;

using namespace ccm::daemon::testing;

TEST(DropStatus, KeepsItsLayout) {
  // Tools and people read status.json: its keys and layout stay as documented.
  DropStatus s;
  s.state = "running";
  s.started_at = std::chrono::system_clock::time_point();
  s.sets.incoming = 1;
  s.in_flight = {"A", "B"};
  s.claimed = 2;
  std::ostringstream expected;
  expected << "{\n  \"pid\": " << ::getpid() << ",\n"
           << "  \"state\": \"running\",\n"
           << "  \"started_at\": \"1970-01-01T00:00:00.000Z\",\n"
           << "  \"updated_at\": \"1970-01-01T00:00:01.500Z\",\n"
           << "  \"sets\": {\"incoming\": 1, \"active\": 0, \"done\": 0, \"deferred\": 0, "
              "\"failed\": 0},\n"
           << "  \"in_flight\": [\"A\", \"B\"],\n"
           << "  \"counters\": {\"claimed\": 2, \"done\": 0, \"done_with_warnings\": 0, "
              "\"deferred\": 0, \"rejected\": 0, \"interrupted\": 0, \"errors\": 0},\n"
           << "  \"last_outcome\": null,\n"
           << "  \"last_errors\": []\n"
           << "}\n";
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1500));
  EXPECT_EQ(FormatStatus(s, at), expected.str());

  s.last_outcome = DropStatus::Event{at, "A", "done", "ok"};
  s.AddError("A", "one");
  s.last_errors.back().at = at;
  s.AddError("", "two");
  s.last_errors.back().at = at;
  const std::string text = FormatStatus(s, at);
  EXPECT_NE(text.find("  \"last_outcome\": {\"at\": \"1970-01-01T00:00:01.500Z\", \"set\": \"A\", "
                      "\"outcome\": \"done\", \"reason\": \"ok\"},\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  \"last_errors\": [\n"
                      "    {\"at\": \"1970-01-01T00:00:01.500Z\", \"set\": \"A\", \"message\": "
                      "\"one\"},\n"
                      "    {\"at\": \"1970-01-01T00:00:01.500Z\", \"set\": \"\", \"message\": "
                      "\"two\"}\n"
                      "  ]\n}\n"),
            std::string::npos)
      << text;
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
