// csv.cpp — see csv.h. The rules are the format's writing rules, kept literal on purpose: this
// code is the generator's independent reading of the format, not a copy of parser/'s writer.
#include "bench/gen/csv.h"

namespace ccm::bench {
namespace {

bool NeedsQuotes(std::string_view value) {
  if (value.empty())
    return false;
  if (value.front() == ' ' || value.back() == ' ')
    return true;
  return value.find_first_of("#!,\\\"%.") != std::string_view::npos;
}

bool HasListSpecial(std::string_view value) {
  return value.find_first_of(";\"") != std::string_view::npos;
}

}  // namespace

std::string ForceQuote(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out += '"';
  for (char c : value) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string QuoteField(std::string_view value) {
  return NeedsQuotes(value) ? ForceQuote(value) : std::string(value);
}

std::string EncodeDirectoryField(std::span<const std::string> values) {
  std::string joined;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      joined += '%';
    for (char c : values[i]) {
      if (c == '\\') {
        joined += "\\\\";
      } else if (c == '%') {
        joined += "\\%";
      } else {
        joined += c;
      }
    }
  }
  return QuoteField(joined);
}

std::string EncodeSemicolonList(std::span<const std::string> values) {
  bool whole_field = false;
  for (const auto& v : values)
    whole_field = whole_field || HasListSpecial(v);
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      out += ';';
    if (whole_field) {
      out += HasListSpecial(values[i]) ? ForceQuote(values[i]) : values[i];
    } else {
      out += QuoteField(values[i]);
    }
  }
  return whole_field ? ForceQuote(out) : out;
}

}  // namespace ccm::bench
