// state_json.cpp — status.json and retry.json readers over nlohmann::json. See state_json.h.
#include "daemon/state_json.h"

#include <nlohmann/json.hpp>

namespace ccm::daemon {
namespace {

std::optional<nlohmann::json> ParseObject(std::string_view text) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object())
    return std::nullopt;
  return value;
}

std::optional<std::int64_t> IntegerIn(const nlohmann::json& object, const char* key,
                                      std::int64_t low, std::int64_t high) {
  const auto it = object.find(key);
  if (it == object.end())
    return std::nullopt;
  std::int64_t value = 0;
  if (it->is_number_unsigned()) {
    const std::uint64_t u = it->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(high))
      return std::nullopt;
    value = static_cast<std::int64_t>(u);
  } else if (it->is_number_integer()) {
    value = it->get<std::int64_t>();
  } else {
    return std::nullopt;
  }
  if (value < low || value > high)
    return std::nullopt;
  return value;
}

}  // namespace

std::optional<RetryFields> ParseRetryFields(std::string_view text) {
  const auto object = ParseObject(text);
  if (!object)
    return std::nullopt;
  const auto attempts = IntegerIn(*object, "attempts", 0, kMaxRetryAttempts);
  const auto next = IntegerIn(*object, "next_attempt_unix_ms", 0, kMaxUnixMs);
  if (!attempts || !next)
    return std::nullopt;
  RetryFields fields;
  fields.attempts = *attempts;
  fields.next_attempt_unix_ms = *next;
  if (const auto it = object->find("last_reason"); it != object->end()) {
    if (!it->is_string())
      return std::nullopt;
    fields.last_reason = it->get<std::string>();
  }
  if (object->contains("first_deferred_unix_ms")) {
    fields.first_deferred_unix_ms = IntegerIn(*object, "first_deferred_unix_ms", 0, kMaxUnixMs);
    if (!fields.first_deferred_unix_ms)
      return std::nullopt;
  }
  return fields;
}

std::optional<std::int64_t> ParseStatusPid(std::string_view text) {
  const auto object = ParseObject(text);
  if (!object)
    return std::nullopt;
  return IntegerIn(*object, "pid", 1, 2147483647);
}

}  // namespace ccm::daemon
