// drop_status.cpp — status.json. See drop_status.h.
#include "daemon/drop_status.h"

#include <unistd.h>

#include <ctime>

#include "daemon/json_text.h"

namespace ccm::daemon {

namespace {

// status.json is read by people and tools; one entry never carries more than this of a reason.
constexpr std::size_t kMaxEntryBytes = 1024;

std::string Bounded(const std::string& text) {
  if (text.size() <= kMaxEntryBytes)
    return text;
  return text.substr(0, kMaxEntryBytes) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

void DropStatus::AddError(std::string set, std::string message, bool count) {
  if (count)
    ++errors;
  last_errors.push_back({std::chrono::system_clock::now(), std::move(set), {}, std::move(message)});
  while (last_errors.size() > kMaxErrors)
    last_errors.pop_front();
}

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

std::string FormatStatus(const DropStatus& s, std::chrono::system_clock::time_point now) {
  auto num = [](std::uint64_t v) { return std::to_string(v); };
  std::string j = "{\n";
  j += "  \"pid\": " + std::to_string(::getpid()) + ",\n";
  j += "  \"state\": " + JsonQuote(s.state) + ",\n";
  j += "  \"started_at\": " + JsonQuote(Rfc3339(s.started_at)) + ",\n";
  j += "  \"updated_at\": " + JsonQuote(Rfc3339(now)) + ",\n";
  j += "  \"sets\": {\"incoming\": " + num(s.sets.incoming) +
       ", \"active\": " + num(s.sets.active) + ", \"done\": " + num(s.sets.done) +
       ", \"deferred\": " + num(s.sets.deferred) + ", \"failed\": " + num(s.sets.failed) + "},\n";
  j += "  \"in_flight\": [";
  bool first = true;
  for (const auto& id : s.in_flight) {
    j += (first ? "" : ", ") + JsonQuote(id);
    first = false;
  }
  j += "],\n";
  j += "  \"counters\": {\"claimed\": " + num(s.claimed) + ", \"done\": " + num(s.done) +
       ", \"done_with_warnings\": " + num(s.done_with_warnings) +
       ", \"deferred\": " + num(s.deferred) + ", \"rejected\": " + num(s.rejected) +
       ", \"interrupted\": " + num(s.interrupted) + ", \"errors\": " + num(s.errors) + "},\n";
  j += "  \"last_outcome\": ";
  if (s.last_outcome) {
    j += "{\"at\": " + JsonQuote(Rfc3339(s.last_outcome->at)) +
         ", \"set\": " + JsonQuote(s.last_outcome->set) +
         ", \"outcome\": " + JsonQuote(s.last_outcome->outcome) +
         ", \"reason\": " + JsonQuote(Bounded(s.last_outcome->message)) + "},\n";
  } else {
    j += "null,\n";
  }
  j += "  \"last_errors\": [";
  first = true;
  for (const auto& e : s.last_errors) {
    j += std::string(first ? "\n" : ",\n") + "    {\"at\": " + JsonQuote(Rfc3339(e.at)) +
         ", \"set\": " + JsonQuote(Bounded(e.set)) +
         ", \"message\": " + JsonQuote(Bounded(e.message)) + "}";
    first = false;
  }
  j += first ? "]\n" : "\n  ]\n";
  j += "}\n";
  return j;
}

}  // namespace ccm::daemon
