// drop_status.cpp — status.json. See drop_status.h.
#include "daemon/drop_status.h"

#include <unistd.h>

#include <ctime>

#include "ccm/json_writer.h"

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
  // One member per line at the top and in last_errors; the small objects stay on one line.
  JsonWriter json(JsonLayout::kSpaced);
  json.BeginObject(JsonLayout::kLines);
  json.Key("pid");
  json.Int(::getpid());
  json.Member("state", s.state);
  json.Member("started_at", Rfc3339(s.started_at));
  json.Member("updated_at", Rfc3339(now));
  json.Key("sets");
  json.BeginObject();
  json.Member("incoming", std::uint64_t{s.sets.incoming});
  json.Member("active", std::uint64_t{s.sets.active});
  json.Member("done", std::uint64_t{s.sets.done});
  json.Member("deferred", std::uint64_t{s.sets.deferred});
  json.Member("failed", std::uint64_t{s.sets.failed});
  json.EndObject();
  json.Key("in_flight");
  json.BeginArray();
  for (const auto& id : s.in_flight)
    json.String(id);
  json.EndArray();
  json.Key("counters");
  json.BeginObject();
  json.Member("claimed", s.claimed);
  json.Member("done", s.done);
  json.Member("done_with_warnings", s.done_with_warnings);
  json.Member("deferred", s.deferred);
  json.Member("rejected", s.rejected);
  json.Member("interrupted", s.interrupted);
  json.Member("errors", s.errors);
  json.EndObject();
  json.Key("last_outcome");
  if (s.last_outcome) {
    json.BeginObject();
    json.Member("at", Rfc3339(s.last_outcome->at));
    json.Member("set", s.last_outcome->set);
    json.Member("outcome", s.last_outcome->outcome);
    json.Member("reason", Bounded(s.last_outcome->message));
    json.EndObject();
  } else {
    json.Null();
  }
  json.Key("last_errors");
  json.BeginArray(JsonLayout::kLines);
  for (const auto& e : s.last_errors) {
    json.BeginObject();
    json.Member("at", Rfc3339(e.at));
    json.Member("set", Bounded(e.set));
    json.Member("message", Bounded(e.message));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace ccm::daemon
