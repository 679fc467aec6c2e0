// mime_encoding.cpp — header and body encodings for composed messages; see mime_encoding.h.
#include "importer/mime_encoding.h"

#include <algorithm>

namespace ccm::importer {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::size_t kFoldAt = 78;
constexpr std::size_t kMaxLiteralWord = 900;  // stays well inside the 998-character line limit
constexpr std::size_t kMaxLiteralFileName = 200;

std::string Base64Of(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    unsigned v = unsigned{static_cast<unsigned char>(in[i])} << 16 |
                 unsigned{static_cast<unsigned char>(in[i + 1])} << 8 |
                 unsigned{static_cast<unsigned char>(in[i + 2])};
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i < in.size()) {
    unsigned v = unsigned{static_cast<unsigned char>(in[i])} << 16;
    if (i + 1 < in.size())
      v |= unsigned{static_cast<unsigned char>(in[i + 1])} << 8;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool IsAtext(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool HasLongWord(std::string_view text) {
  std::size_t run = 0;
  for (char c : text) {
    run = c == ' ' ? 0 : run + 1;
    if (run > kMaxLiteralWord)
      return true;
  }
  return false;
}

// Would a reader take part of this literal text for an encoded-word, or is it unsafe literally?
bool NeedsEncoding(std::string_view text) {
  return !IsPrintableAscii(text) || text.find("=?") != std::string_view::npos || HasLongWord(text);
}

bool IsAttributeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

std::string NeutraliseControls(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if ((c >= 0 && c < 0x20) || c == 0x7F)
      c = ' ';
  }
  return out;
}

std::string EncodeWords(std::string_view text) {
  constexpr std::size_t kChunk = 45;  // 60 base64 characters + 12 of framing = 72
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = std::min(text.size(), pos + kChunk);
    // Never split a UTF-8 sequence: back up over continuation bytes.
    while (end < text.size() && end > pos + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    // Prefer to cut before a space (the next word then starts with it): decoders that wrongly
    // keep the whitespace between encoded-words then add it at a word boundary, not mid-word.
    if (end < text.size()) {
      std::size_t space = text.rfind(' ', end);
      if (space != std::string_view::npos && space > pos + kChunk / 3)
        end = space;
    }
    if (!out.empty())
      out += ' ';
    out += "=?UTF-8?B?" + Base64Of(text.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string UnstructuredValue(std::string_view text) {
  std::string clean = NeutraliseControls(text);
  return NeedsEncoding(clean) ? EncodeWords(clean) : clean;
}

std::string Phrase(std::string_view display_name) {
  std::string clean = NeutraliseControls(display_name);
  if (NeedsEncoding(clean))
    return EncodeWords(clean);
  bool atoms =
      !clean.empty() && clean.front() != ' ' && clean.back() != ' ' &&
      clean.find("  ") == std::string::npos &&
      std::all_of(clean.begin(), clean.end(), [](char c) { return c == ' ' || IsAtext(c); });
  if (atoms)
    return clean;
  std::string out = "\"";
  for (char c : clean) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string FileNameParameter(std::string_view key, std::string_view name) {
  std::string clean = NeutraliseControls(name);
  if (IsPrintableAscii(clean) && clean.size() <= kMaxLiteralFileName) {
    std::string out = std::string(key) + "=\"";
    for (char c : clean) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + "\"";
  }
  // RFC 2231: percent-encoded UTF-8 in numbered continuations of at most ~60 characters.
  std::string out;
  std::string segment;
  int index = 0;
  auto flush = [&] {
    if (!out.empty())
      out += "; ";
    out += std::string(key) + "*" + std::to_string(index) + "*=" + (index == 0 ? "UTF-8''" : "") +
           segment;
    segment.clear();
    ++index;
  };
  for (char c : clean) {
    if (IsAttributeChar(c)) {
      segment += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      segment += '%';
      segment += kHex[b >> 4];
      segment += kHex[b & 15];
    }
    if (segment.size() >= 60)
      flush();
  }
  if (!segment.empty() || index == 0)
    flush();
  return out;
}

std::string FoldHeader(std::string_view name, std::string_view value, std::string_view eol) {
  std::string line = std::string(name) + ": " + std::string(value);
  std::string out;
  std::size_t start = 0;  // start of the current output line within `line`
  const std::size_t min_break = name.size() + 2;
  while (line.size() - start > kFoldAt) {
    // A fold point is a space with non-space on both sides, so no line is whitespace only.
    auto is_break = [&](std::size_t i) {
      return i > start && i >= min_break && i + 1 < line.size() && line[i] == ' ' &&
             line[i - 1] != ' ' && line[i + 1] != ' ';
    };
    std::size_t cut = std::string::npos;
    for (std::size_t i = start + kFoldAt; i > start; --i) {
      if (is_break(i)) {
        cut = i;
        break;
      }
    }
    if (cut == std::string::npos) {  // a long word: break after it, as early as possible
      for (std::size_t i = start + kFoldAt + 1; i < line.size(); ++i) {
        if (is_break(i)) {
          cut = i;
          break;
        }
      }
    }
    if (cut == std::string::npos)
      break;
    out.append(line, start, cut - start);
    out += eol;
    start = cut;
  }
  out.append(line, start);
  out += eol;
  return out;
}

void QuotedPrintableEncoder::Push(std::string_view token, std::string& out) {
  if (line_.size() + token.size() > 75) {  // room for the soft break's "="
    out += line_;
    out += '=';
    out += eol_;
    line_.clear();
  }
  line_ += token;
}

void QuotedPrintableEncoder::HardBreak(std::string& out) {
  if (!line_.empty() && (line_.back() == ' ' || line_.back() == '\t')) {
    std::string encoded = line_.back() == ' ' ? "=20" : "=09";
    line_.pop_back();
    if (line_.size() + encoded.size() > 76) {
      out += line_;
      out += '=';
      out += eol_;
      line_.clear();
    }
    line_ += encoded;
  }
  out += line_;
  out += eol_;
  line_.clear();
}

void QuotedPrintableEncoder::Add(std::string_view input, std::string& out) {
  for (char c : input) {
    if (pending_cr_) {
      pending_cr_ = false;
      HardBreak(out);
      if (c == '\n')
        continue;
    }
    if (c == '\r') {
      pending_cr_ = true;
    } else if (c == '\n') {
      HardBreak(out);
    } else if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      Push(std::string_view(&c, 1), out);
    } else {
      auto b = static_cast<unsigned char>(c);
      const char token[3] = {'=', kHex[b >> 4], kHex[b & 15]};
      Push(std::string_view(token, 3), out);
    }
  }
}

void QuotedPrintableEncoder::Finish(std::string& out) {
  if (pending_cr_ || !line_.empty())
    HardBreak(out);
  pending_cr_ = false;
}

void Base64Encoder::Emit(const unsigned char* in, std::size_t n, std::string& out) {
  out += Base64Of(std::string_view(reinterpret_cast<const char*>(in), n));
  out += eol_;
}

void Base64Encoder::Add(std::string_view input, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t n = input.size();
  if (carried_ > 0) {
    std::size_t take = std::min(n, sizeof carry_ - carried_);
    std::copy(p, p + take, carry_ + carried_);
    carried_ += take;
    p += take;
    n -= take;
    if (carried_ < sizeof carry_)
      return;
    Emit(carry_, carried_, out);
    carried_ = 0;
  }
  while (n >= sizeof carry_) {  // 57 bytes = one 76-character line
    Emit(p, sizeof carry_, out);
    p += sizeof carry_;
    n -= sizeof carry_;
  }
  std::copy(p, p + n, carry_);
  carried_ = n;
}

void Base64Encoder::Finish(std::string& out) {
  if (carried_ > 0)
    Emit(carry_, carried_, out);
  carried_ = 0;
}

}  // namespace ccm::importer
