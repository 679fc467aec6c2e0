// json_writer_test.cpp — JSON structure, escaping of quotes/backslashes/control characters, and
// invalid UTF-8 never producing invalid JSON.
#include "ccm/json_writer.h"

#include <gtest/gtest.h>

namespace ccm {
namespace {

std::string Escaped(std::string_view text) {
  std::string out;
  JsonEscape(text, out);
  return out;
}

TEST(JsonWriter, Structure) {
  JsonWriter json;
  json.BeginObject();
  json.Key("a");
  json.Int(-1);
  json.Key("b");
  json.BeginArray();
  json.String("x");
  json.Bool(true);
  json.Null();
  json.BeginObject();
  json.EndObject();
  json.EndArray();
  json.Key("c");
  json.Uint(18446744073709551615u);
  json.EndObject();
  EXPECT_EQ(json.str(), "{\"a\":-1,\"b\":[\"x\",true,null,{}],\"c\":18446744073709551615}");
}

TEST(JsonWriter, EscapesControlCharactersQuotesAndBackslashes) {
  EXPECT_EQ(Escaped("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Escaped("\r\n\t\b\f"), "\"\\r\\n\\t\\b\\f\"");
  EXPECT_EQ(Escaped(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\\u007f\"");
  EXPECT_EQ(Escaped(std::string("\0", 1)), "\"\\u0000\"");
}

TEST(JsonWriter, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(Escaped("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA7"),
            "\"Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA7\"");
  EXPECT_EQ(Escaped("Caf\xE9"), "\"Caf\xEF\xBF\xBD\"");                            // cp1252 byte
  EXPECT_EQ(Escaped("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong
  EXPECT_EQ(Escaped("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(Escaped("\xE2\x82"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // truncated
}

}  // namespace
}  // namespace ccm
