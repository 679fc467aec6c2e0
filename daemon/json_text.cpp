// json_text.cpp — JSON string quoting through the project's escaper. See json_text.h.
#include "daemon/json_text.h"

#include "ccm/json_writer.h"

namespace ccm::daemon {

std::string JsonQuote(std::string_view text) {
  std::string out;
  ccm::JsonEscape(text, out);
  return out;
}

}  // namespace ccm::daemon
