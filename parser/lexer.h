// lexer.h — the byte-driven tokenizer of migration files, and a pull-style RecordReader over a
// ByteSource.
//
// Lexer is a push state machine: Consume(p, end) eats bytes and answers kRecord / kBlank /
// kComment (one logical line is ready), kBad (a lexical error with its line; the lexer has
// resynchronised at the next line end) or kNeedMore. Finish() is called at end of input. It
// handles CR LF, bare CR and bare LF line ends (flagged on the record so callers can warn),
// comment lines, the `\\` continuation (only when enabled, DBCS-aware, odd-backslash rule),
// quoting with doubled quotes (a line end inside quotes is an error), and the limits
// (logical line, field, fields per record) without ever buffering past them.
// Fields are handed back raw — quotes included — with a shape flag (unquoted, quoted, mixed);
// column-aware decoding happens one layer up (field_codec.h).
//
// The common record, a whole line in the bytes at hand, is taken in place: its fields are found
// through a 256-entry table and handed back as views of those bytes, with no copy. Anything else
// (a line split across reads, a continuation, DBCS text, a limit reached, a lexical error) goes
// through the state machine, which appends runs of ordinary bytes in bulk: no allocation or
// virtual call per byte. Both give the same fields, shapes and diagnostics.
//
// Thread safety: externally synchronized (one lexer per file being read).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parser/byte_source.h"

namespace ccm::parser {

/// How a raw field was written.
enum class FieldShape : std::uint8_t {
  kUnquoted,  ///< no quote at all
  kQuoted,    ///< "..." exactly, closed before the delimiter
  kMixed,     ///< quotes somewhere else (lists like "a";"b", or errors)
};

/// One logical record: raw fields over one text buffer.
class RawRecord {
 public:
  std::size_t size() const { return fields_.size(); }
  /// Raw bytes of field i, quotes included.
  std::string_view raw(std::size_t i) const {
    return std::string_view((in_place_ != nullptr ? in_place_ : text_.data()) + fields_[i].begin,
                            fields_[i].size);
  }
  FieldShape shape(std::size_t i) const { return fields_[i].shape; }
  /// The fields' raw bytes one after another (delimiters, continuations and line ends removed).
  std::string text() const;

  std::uint64_t line = 0;        ///< first physical line, 1-based
  std::uint64_t offset = 0;      ///< byte offset of the record's first byte
  std::uint64_t end_offset = 0;  ///< byte offset just after its (last) line end
  bool bare_lf = false;          ///< a line end of this record was a bare LF
  bool bare_cr = false;          ///< a line end of this record was a bare CR
  bool unterminated = false;     ///< the file ended without a line end

 private:
  friend class Lexer;
  struct Field {
    std::uint32_t begin;
    std::uint32_t size;
    FieldShape shape;
  };
  std::string text_;  // the fields' bytes, when the record was taken byte by byte
  // The line in the lexer's input, when the record was taken in place: fields are offsets into it
  // (delimiters included), valid until the input buffer is reused.
  const char* in_place_ = nullptr;
  std::vector<Field> fields_;
};

/// Limits of a logical line (docs/file-format.md#limits).
struct LexerLimits {
  std::size_t max_line = 1 << 20;    ///< logical line, bytes
  std::size_t max_field = 64 << 10;  ///< one field, bytes
  std::size_t max_fields = 512;      ///< fields per record
};

enum class LexResult { kRecord, kBlank, kComment, kBad, kNeedMore, kEof };

/// The streaming tokenizer. A record whose line lies whole in the bytes given to one Consume (and
/// needs no continuation, DBCS handling or limit error) is taken in place: record() then views
/// those bytes, so they must stay valid while the record is used.
class Lexer {
 public:
  /// `lead_bytes` (may be null) marks DBCS lead bytes; it must outlive the lexer.
  explicit Lexer(LexerLimits limits = {}, const std::array<bool, 256>* lead_bytes = nullptr);

  /// Comment lines (`!` in column 1) on or off (off for secondary section headers).
  void set_comments(bool on) { comments_ = on; }
  /// `\\` continuation on or off; applies to line ends consumed from now on.
  void set_continuation(bool on) { continuation_ = on; }
  /// Restarts at a line start with the given position.
  void Reset(std::uint64_t line, std::uint64_t offset);

  /// Consumes bytes from [p, end); advances p.
  LexResult Consume(const char*& p, const char* end);
  /// End of input. Returns a last result, then kEof forever.
  LexResult Finish();

  /// The record after kRecord (also the comment's or blank's position after those).
  const RawRecord& record() const { return record_; }
  /// After kBad: what went wrong and on which physical line.
  const std::string& error() const { return error_; }
  std::uint64_t error_line() const { return error_line_; }
  /// Byte offset of the next byte to consume.
  std::uint64_t offset() const { return offset_; }
  /// Physical line of the next byte to consume.
  std::uint64_t line() const { return line_; }

 private:
  enum class State { kLineStart, kField, kQuotes, kQuoteEnd, kComment, kSkip, kCr };
  enum class Pending { kRecord, kBlank, kComment, kContinue, kBad };

  void BeginRecord();
  bool LexInPlace(const char*& p, const char* end);
  bool CloseField();
  void Append(const char* p, std::size_t n);
  void SetError(std::string message);
  LexResult LineEnd(unsigned char c, const char*& p, Pending action);
  LexResult Complete(Pending action);

  LexerLimits limits_;
  const std::array<bool, 256>* lead_;
  std::array<bool, 256> field_special_{};
  std::array<bool, 256> quote_special_{};
  bool comments_ = true;
  bool continuation_ = false;

  State state_ = State::kLineStart;
  Pending pending_ = Pending::kRecord;
  std::uint64_t line_ = 1;
  std::uint64_t offset_ = 0;
  std::size_t field_begin_ = 0;
  FieldShape field_shape_ = FieldShape::kUnquoted;
  int backslashes_ = 0;  // trailing unescaped backslashes of the current unquoted run
  bool trail_pending_ = false;
  bool just_continued_ = false;  // a continuation was taken and no byte followed yet
  bool finished_ = false;
  RawRecord record_;
  std::string error_;
  std::uint64_t error_line_ = 0;
};

/// Pulls logical records from a ByteSource with large buffered reads.
class RecordReader {
 public:
  RecordReader(const ByteSource& source, Lexer lexer, std::size_t buffer_size = 256 << 10);
  /// Next result; never kNeedMore. Read errors come back as kBad.
  LexResult Next();
  Lexer& lexer() { return lexer_; }
  const Lexer& lexer() const { return lexer_; }
  /// Restarts reading at `offset`, which is the start of physical line `line`.
  void Seek(std::uint64_t offset, std::uint64_t line);
  /// After kBad: the lexer's error, or the read error that stopped reading.
  const std::string& error() const { return failed_ ? io_error_ : lexer_.error(); }

 private:
  const ByteSource& source_;
  Lexer lexer_;
  std::vector<char> buffer_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::uint64_t next_read_ = 0;
  bool eof_ = false;
  bool failed_ = false;
  std::string io_error_;
};

}  // namespace ccm::parser
