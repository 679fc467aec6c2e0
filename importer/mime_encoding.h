// mime_encoding.h — the encodings a composed message needs, each small and pure: header folding
// (RFC 5322 2.2.3), encoded-words (RFC 2047, B encoding, UTF-8), quoted phrases, RFC 2231
// parameters, and streaming quoted-printable and base64 body encoders with bounded state.
//
// Security: every function that builds header text replaces CR, LF and other control characters
// from its input (export data) so that no input can end a header line and start a new header.
//
// Line ends: each function takes the line end to emit ("\n" or "\r\n"); a message uses one.
//
// Thread safety: functions are pure; encoder objects are externally synchronized.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ccm::importer {

/// True when `text` is printable US-ASCII (0x20..0x7E) only.
bool IsPrintableAscii(std::string_view text);

/// Replaces C0 controls (TAB included), DEL and anything else that must not reach a header
/// with a space; keeps every other byte.
std::string NeutraliseControls(std::string_view text);

/// RFC 2047 encoded-words (=?UTF-8?B?...?=) for UTF-8 `text`, each at most 75 characters,
/// split only at character boundaries, separated by single spaces (fold points).
std::string EncodeWords(std::string_view text);

/// An unstructured header value (Subject): literal when printable ASCII, else encoded-words.
std::string UnstructuredValue(std::string_view text);

/// A display-name phrase: an atom run if possible, a quoted-string (with `"` and `\` escaped)
/// for other ASCII, encoded-words for non-ASCII.
std::string Phrase(std::string_view display_name);

/// A MIME parameter `key=value` for a file name: a quoted-string when printable ASCII and short
/// enough, else RFC 2231 `key*0*=UTF-8''...; key*1*=...` continuations.
std::string FileNameParameter(std::string_view key, std::string_view name);

/// `Name: value` folded at spaces to lines of at most 78 characters where the value allows,
/// ending with `eol`.
std::string FoldHeader(std::string_view name, std::string_view value, std::string_view eol);

/// Streaming quoted-printable (RFC 2045 6.7) for text: CR LF, lone CR and lone LF in the input
/// all become `eol`; lines of at most 76 characters; trailing whitespace encoded.
class QuotedPrintableEncoder {
 public:
  explicit QuotedPrintableEncoder(std::string_view eol) : eol_(eol) {}
  /// Encodes `input`, appending to `out`.
  void Add(std::string_view input, std::string& out);
  /// Flushes the last line (no line end is added to an unterminated last line).
  void Finish(std::string& out);

 private:
  void HardBreak(std::string& out);
  void Push(std::string_view token, std::string& out);
  std::string eol_;
  std::string line_;
  bool pending_cr_ = false;
};

/// Streaming base64 (RFC 2045 6.8) with 76-character lines, each ending with `eol`.
class Base64Encoder {
 public:
  explicit Base64Encoder(std::string_view eol) : eol_(eol) {}
  void Add(std::string_view input, std::string& out);
  void Finish(std::string& out);

 private:
  void Emit(const unsigned char* in, std::size_t n, std::string& out);
  std::string eol_;
  unsigned char carry_[57] = {};
  std::size_t carried_ = 0;
};

}  // namespace ccm::importer
