// json_writer_test.cpp — JSON structure, the three layouts, escaping of quotes/backslashes/control
// characters, and invalid UTF-8 never producing invalid JSON.
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

TEST(JsonWriter, SpacedLayoutSeparatesOnOneLine) {
  JsonWriter json(JsonLayout::kSpaced);
  json.BeginObject();
  json.Key("attempts");
  json.Int(3);
  json.Key("ids");
  json.BeginArray();
  json.String("a");
  json.String("b");
  json.EndArray();
  json.Key("none");
  json.BeginArray();
  json.EndArray();
  json.EndObject();
  EXPECT_EQ(json.str(), "{\"attempts\": 3, \"ids\": [\"a\", \"b\"], \"none\": []}");
}

TEST(JsonWriter, LinesLayoutIndentsEachLevelAndNestsOtherLayouts) {
  JsonWriter json(JsonLayout::kSpaced);
  json.BeginObject(JsonLayout::kLines);
  json.Key("pid");
  json.Int(7);
  json.Key("sets");
  json.BeginObject();
  json.Member("done", std::uint64_t{1});
  json.Member("failed", std::uint64_t{0});
  json.EndObject();
  json.Key("empty");
  json.BeginArray(JsonLayout::kLines);
  json.EndArray();
  json.Key("errors");
  json.BeginArray(JsonLayout::kLines);
  json.BeginObject();
  json.Member("set", "A");
  json.EndObject();
  json.BeginObject();
  json.Member("set", "B");
  json.EndObject();
  json.EndArray();
  json.EndObject();
  EXPECT_EQ(json.str(),
            "{\n"
            "  \"pid\": 7,\n"
            "  \"sets\": {\"done\": 1, \"failed\": 0},\n"
            "  \"empty\": [],\n"
            "  \"errors\": [\n"
            "    {\"set\": \"A\"},\n"
            "    {\"set\": \"B\"}\n"
            "  ]\n"
            "}");
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
