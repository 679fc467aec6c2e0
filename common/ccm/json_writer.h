// json_writer.h — the one JSON writer of the tree: check --json, the import report, and the
// drop service's status.json, retry.json and fallback report.
//
// JsonWriter appends to an internal string: objects, arrays, keys, strings, integers, booleans
// and null, with commas placed for the caller. Each container has a layout: compact
// ({"a":1,"b":2}), spaced on one line ({"a": 1, "b": 2}) or one member per line, indented two
// spaces per level; the state files people read keep their established layout this way. Strings are
// escaped per RFC 8259 (quote, backslash, every control character below 0x20 and DEL as \u00XX or
// the short forms). Input that is not valid UTF-8 never produces invalid JSON: each offending byte
// becomes U+FFFD. It does not check that keys and values alternate correctly; callers write
// well-formed sequences (tests cover theirs). A caller writing a large document takes the text
// in pieces as it goes (TakeText) instead of holding it whole.
//
// Thread safety: externally synchronized; JsonEscape is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccm {

/// Appends `text` to `out` as a JSON string literal (quotes included).
inline void JsonEscape(std::string_view text, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    // Validate one UTF-8 sequence (no overlongs, no surrogates, <= U+10FFFF).
    std::size_t len = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, min = 0x80, cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, min = 0x800, cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, min = 0x10000, cp = c & 0x07u;
    }
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  out.push_back('"');
}

/// How a container's members are laid out.
enum class JsonLayout {
  kCompact,  ///< {"a":1,"b":[1,2]}
  kSpaced,   ///< {"a": 1, "b": [1, 2]}
  kLines,    ///< "{", one member per line indented two spaces per level, "}" on its own line
};

/// Builds one JSON document.
class JsonWriter {
 public:
  JsonWriter() = default;
  /// A writer whose containers opened without a layout use `layout`.
  explicit JsonWriter(JsonLayout layout) : layout_(layout) {}

  void BeginObject() { Open('{', layout_); }
  void BeginObject(JsonLayout layout) { Open('{', layout); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('[', layout_); }
  void BeginArray(JsonLayout layout) { Open('[', layout); }
  void EndArray() { Close(']'); }
  /// An object key; the next call writes its value.
  void Key(std::string_view key) {
    Separate();
    JsonEscape(key, out_);
    out_.push_back(':');
    if (!open_.empty() && open_.back().layout != JsonLayout::kCompact)
      out_.push_back(' ');
    after_key_ = true;
  }
  void String(std::string_view value) {
    Separate();
    JsonEscape(value, out_);
  }
  void Int(std::int64_t value) {
    Separate();
    out_ += std::to_string(value);
  }
  void Uint(std::uint64_t value) {
    Separate();
    out_ += std::to_string(value);
  }
  void Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
  }
  /// An object member: Key(key) followed by the value.
  void Member(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Member(std::string_view key, const char* value) { Member(key, std::string_view(value)); }
  void Member(std::string_view key, std::uint64_t value) {
    Key(key);
    Uint(value);
  }
  void Member(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }
  void Null() {
    Separate();
    out_ += "null";
  }
  /// The document so far.
  const std::string& str() const { return out_; }
  /// Bytes written since the writer began or since the last TakeText.
  std::size_t size() const { return out_.size(); }
  /// The text written since the writer began or since the last TakeText, handed over; the
  /// document goes on where it was. A caller writing a large document out in pieces holds one
  /// piece at a time instead of the whole.
  std::string TakeText() { return std::exchange(out_, {}); }

 private:
  struct Container {
    JsonLayout layout;
    bool empty = true;
  };

  // Two spaces for every line-per-member container open, the innermost `but_last` excepted.
  void NewLine(std::size_t but_last) {
    out_.push_back('\n');
    std::size_t depth = 0;
    for (std::size_t i = 0; i + but_last < open_.size(); ++i)
      depth += open_[i].layout == JsonLayout::kLines ? 1u : 0u;
    out_.append(2 * depth, ' ');
  }
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (open_.empty())
      return;
    Container& c = open_.back();
    if (!c.empty)
      out_.push_back(',');
    if (c.layout == JsonLayout::kLines)
      NewLine(0);
    else if (!c.empty && c.layout == JsonLayout::kSpaced)
      out_.push_back(' ');
    c.empty = false;
  }
  void Open(char c, JsonLayout layout) {
    Separate();
    out_.push_back(c);
    open_.push_back({layout});
  }
  void Close(char c) {
    if (!open_.empty() && open_.back().layout == JsonLayout::kLines && !open_.back().empty)
      NewLine(1);
    out_.push_back(c);
    if (!open_.empty())
      open_.pop_back();
  }

  JsonLayout layout_ = JsonLayout::kCompact;
  std::string out_;
  std::vector<Container> open_;
  bool after_key_ = false;
};

}  // namespace ccm
