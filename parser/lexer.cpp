// lexer.cpp — the tokenizer state machine and the buffered RecordReader (see lexer.h).
// Diagnostics: kBad results carry a message and the physical line where the problem is.
#include "parser/lexer.h"

#include <algorithm>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ccm::parser {

namespace {

// The first of the bytes kSpecial in [q, end), or end; `table` marks the same bytes (for the
// tail, and where SSE2 is missing). Sixteen bytes are tested at a time: fields run ~15 bytes.
template <char... kSpecial>
const char* FindFirst(const char* q, const char* end, const std::array<bool, 256>& table) {
#if defined(__SSE2__)
  while (end - q >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    __m128i hit = _mm_setzero_si128();
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(block, _mm_set1_epi8(kSpecial)))), ...);
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0)
      return q + __builtin_ctz(static_cast<unsigned>(mask));
    q += 16;
  }
#endif
  while (q < end && !table[static_cast<unsigned char>(*q)])
    ++q;
  return q;
}

}  // namespace

Lexer::Lexer(LexerLimits limits, const std::array<bool, 256>* lead_bytes)
    : limits_(limits), lead_(lead_bytes) {
  for (char c : {',', '"', '\r', '\n', '\\'})
    field_special_[static_cast<unsigned char>(c)] = true;
  for (char c : {'"', '\r', '\n'})
    quote_special_[static_cast<unsigned char>(c)] = true;
  if (lead_ != nullptr) {
    for (std::size_t b = 0; b < 256; ++b) {
      if ((*lead_)[b])
        field_special_[b] = quote_special_[b] = true;
    }
  }
}

std::string RawRecord::text() const {
  std::string text;
  for (std::size_t i = 0; i < size(); ++i)
    text += raw(i);
  return text;
}

void Lexer::Reset(std::uint64_t line, std::uint64_t offset) {
  state_ = State::kLineStart;
  line_ = line;
  offset_ = offset;
  trail_pending_ = false;
  finished_ = false;
}

void Lexer::BeginRecord() {
  just_continued_ = false;
  record_.text_.clear();
  record_.in_place_ = nullptr;
  record_.fields_.clear();
  record_.line = line_;
  record_.offset = offset_;
  record_.bare_lf = record_.bare_cr = record_.unterminated = false;
  field_begin_ = 0;
  field_shape_ = FieldShape::kUnquoted;
  backslashes_ = 0;
  trail_pending_ = false;
  error_.clear();
}

bool Lexer::CloseField() {
  if (record_.fields_.size() >= limits_.max_fields) {
    SetError("more than " + std::to_string(limits_.max_fields) + " fields in one record");
    return false;
  }
  record_.fields_.push_back({static_cast<std::uint32_t>(field_begin_),
                             static_cast<std::uint32_t>(record_.text_.size() - field_begin_),
                             field_shape_});
  field_begin_ = record_.text_.size();
  field_shape_ = FieldShape::kUnquoted;
  backslashes_ = 0;
  return true;
}

void Lexer::Append(const char* p, std::size_t n) {
  record_.text_.append(p, n);
  if (record_.text_.size() > limits_.max_line) {
    SetError("logical line longer than " + std::to_string(limits_.max_line) + " bytes");
  } else if (record_.text_.size() - field_begin_ > limits_.max_field) {
    SetError("field longer than " + std::to_string(limits_.max_field) + " bytes");
  }
}

void Lexer::SetError(std::string message) {
  error_ = std::move(message);
  error_line_ = line_;
  state_ = State::kSkip;
  record_.text_.clear();
  record_.fields_.clear();
  field_begin_ = 0;
}

LexResult Lexer::LineEnd(unsigned char c, const char*& p, Pending action) {
  ++p;
  ++offset_;
  ++line_;
  if (c == '\n') {
    record_.bare_lf = true;
    return Complete(action);
  }
  pending_ = action;
  state_ = State::kCr;
  return LexResult::kNeedMore;
}

LexResult Lexer::Complete(Pending action) {
  record_.end_offset = offset_;
  switch (action) {
    case Pending::kBlank:
      state_ = State::kLineStart;
      return LexResult::kBlank;
    case Pending::kComment:
      state_ = State::kLineStart;
      return LexResult::kComment;
    case Pending::kContinue:
      state_ = State::kField;
      backslashes_ = 0;
      just_continued_ = true;
      return LexResult::kNeedMore;
    case Pending::kBad:
      state_ = State::kLineStart;
      return LexResult::kBad;
    case Pending::kRecord:
      state_ = State::kLineStart;
      if (!CloseField()) {
        state_ = State::kLineStart;
        return LexResult::kBad;
      }
      return LexResult::kRecord;
  }
  return LexResult::kBad;
}

// A record whose line lies whole in [p, end): the fields and shapes the state machine would find,
// as offsets into the line. Whatever the state machine would treat otherwise than a plain record
// (a continuation, a DBCS byte, a quote left open, a limit, a CR as the last byte at hand) makes it
// return false with nothing consumed and the record still empty, so the state machine takes the
// line from its first byte.
bool Lexer::LexInPlace(const char*& p, const char* end) {
  const char* q = p;
  std::size_t bytes = 0;  // the fields' bytes, which the line limit counts
  auto undo = [&] {
    record_.fields_.clear();
    return false;
  };
  for (;;) {
    const char* field = q;
    FieldShape shape = FieldShape::kUnquoted;
    for (;;) {
      // Without DBCS lead bytes (the caller's condition) the tables hold just these bytes.
      q = FindFirst<',', '"', '\r', '\n', '\\'>(q, end, field_special_);
      if (q == end)
        return undo();
      if (*q == '\\') {
        ++q;
        continue;
      }
      if (*q != '"')
        break;  // a comma or a line end
      shape = q == field && shape != FieldShape::kMixed ? FieldShape::kQuoted : FieldShape::kMixed;
      ++q;
      for (;;) {  // inside quotes: a doubled quote is data
        q = FindFirst<'"', '\r', '\n'>(q, end, quote_special_);
        if (q == end || *q != '"' || q + 1 == end)
          return undo();
        q += 1;
        if (*q != '"')
          break;
        ++q;
      }
      if (*q != ',' && *q != '\r' && *q != '\n')
        shape = FieldShape::kMixed;
    }
    const auto size = static_cast<std::size_t>(q - field);
    bytes += size;
    if (size > limits_.max_field || bytes > limits_.max_line ||
        record_.fields_.size() >= limits_.max_fields)
      return undo();
    record_.fields_.push_back(
        {static_cast<std::uint32_t>(field - p), static_cast<std::uint32_t>(size), shape});
    if (*q != ',')
      break;
    ++q;
  }
  const char* line_end = q;
  if (continuation_ && line_end != p && line_end[-1] == '\\')
    return undo();
  if (*q == '\r') {
    if (q + 1 == end)
      return undo();
    ++q;
    if (*q == '\n')
      ++q;
    else
      record_.bare_cr = true;
  } else {
    ++q;
    record_.bare_lf = true;
  }
  record_.in_place_ = p;
  offset_ += static_cast<std::uint64_t>(q - p);
  ++line_;
  record_.end_offset = offset_;
  p = q;
  state_ = State::kLineStart;
  return true;
}

LexResult Lexer::Consume(const char*& p, const char* end) {
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    switch (state_) {
      case State::kCr: {
        if (c == '\n') {
          ++p;
          ++offset_;
        } else {
          record_.bare_cr = true;
        }
        LexResult r = Complete(pending_);
        if (r != LexResult::kNeedMore)
          return r;
        break;
      }
      case State::kLineStart:
        BeginRecord();
        if (c == '\r' || c == '\n') {
          LexResult r = LineEnd(c, p, Pending::kBlank);
          if (r != LexResult::kNeedMore)
            return r;
        } else if (c == '!' && comments_) {
          state_ = State::kComment;
          ++p;
          ++offset_;
        } else if (lead_ == nullptr && LexInPlace(p, end)) {
          return LexResult::kRecord;
        } else {
          state_ = State::kField;
        }
        break;
      case State::kComment:
      case State::kSkip: {
        const char* q = p;
        while (q < end && *q != '\r' && *q != '\n')
          ++q;
        offset_ += static_cast<std::uint64_t>(q - p);
        p = q;
        if (p < end) {
          LexResult r = LineEnd(static_cast<unsigned char>(*p), p,
                                state_ == State::kComment ? Pending::kComment : Pending::kBad);
          if (r != LexResult::kNeedMore)
            return r;
        }
        break;
      }
      case State::kField: {
        just_continued_ = false;
        if (trail_pending_) {
          trail_pending_ = false;
          if (c != '\r' && c != '\n') {
            Append(p, 1);
            ++p;
            ++offset_;
            break;
          }
        }
        const char* q = p;
        while (q < end && !field_special_[static_cast<unsigned char>(*q)])
          ++q;
        if (q != p) {
          Append(p, static_cast<std::size_t>(q - p));
          offset_ += static_cast<std::uint64_t>(q - p);
          p = q;
          backslashes_ = 0;
          // The usual end of a run, a comma, is taken now rather than on another pass.
          if (p < end && *p == ',' && state_ == State::kField) {
            ++p;
            ++offset_;
            CloseField();
          }
          break;
        }
        if (c == ',') {
          ++p;
          ++offset_;
          CloseField();
        } else if (c == '"') {
          field_shape_ =
              (record_.text_.size() == field_begin_ && field_shape_ != FieldShape::kMixed)
                  ? FieldShape::kQuoted
                  : FieldShape::kMixed;
          Append(p, 1);
          ++p;
          ++offset_;
          backslashes_ = 0;
          if (state_ == State::kField)
            state_ = State::kQuotes;
        } else if (c == '\\') {
          Append(p, 1);
          ++p;
          ++offset_;
          ++backslashes_;
        } else if (c == '\r' || c == '\n') {
          Pending action = Pending::kRecord;
          if (continuation_ && backslashes_ >= 2) {
            record_.text_.resize(record_.text_.size() - 2);
            action = Pending::kContinue;
          }
          LexResult r = LineEnd(c, p, action);
          if (r != LexResult::kNeedMore)
            return r;
        } else {  // DBCS lead byte: the next byte is data whatever it is
          Append(p, 1);
          ++p;
          ++offset_;
          backslashes_ = 0;
          trail_pending_ = true;
        }
        break;
      }
      case State::kQuotes: {
        if (trail_pending_) {
          trail_pending_ = false;
          if (c != '\r' && c != '\n') {
            Append(p, 1);
            ++p;
            ++offset_;
            break;
          }
        }
        const char* q = p;
        while (q < end && !quote_special_[static_cast<unsigned char>(*q)])
          ++q;
        if (q != p) {
          Append(p, static_cast<std::size_t>(q - p));
          offset_ += static_cast<std::uint64_t>(q - p);
          p = q;
          break;
        }
        if (c == '"') {
          Append(p, 1);
          ++p;
          ++offset_;
          if (state_ == State::kQuotes)
            state_ = State::kQuoteEnd;
        } else if (c == '\r' || c == '\n') {
          SetError("line ends inside a quoted field (values cannot contain line breaks)");
          LexResult r = LineEnd(c, p, Pending::kBad);
          if (r != LexResult::kNeedMore)
            return r;
        } else {
          Append(p, 1);
          ++p;
          ++offset_;
          trail_pending_ = true;
        }
        break;
      }
      case State::kQuoteEnd:
        if (c == '"') {  // doubled quote: literal, still quoted
          Append(p, 1);
          ++p;
          ++offset_;
          if (state_ == State::kQuoteEnd)
            state_ = State::kQuotes;
        } else if (c == ',' || c == '\r' || c == '\n') {
          state_ = State::kField;  // the delimiter or line end is handled there
        } else {
          field_shape_ = FieldShape::kMixed;
          state_ = State::kField;
        }
        break;
    }
  }
  return LexResult::kNeedMore;
}

LexResult Lexer::Finish() {
  if (finished_)
    return LexResult::kEof;
  finished_ = true;
  switch (state_) {
    case State::kLineStart:
      return LexResult::kEof;
    case State::kCr:
      if (pending_ == Pending::kContinue) {
        error_line_ = line_;
        error_ = "file ends right after a line continuation marker";
        state_ = State::kLineStart;
        return LexResult::kBad;
      }
      return Complete(pending_);
    case State::kComment:
      record_.unterminated = true;
      state_ = State::kLineStart;
      return LexResult::kComment;
    case State::kSkip:
      state_ = State::kLineStart;
      return LexResult::kBad;
    case State::kQuotes:
      error_line_ = line_;
      error_ = "file ends inside a quoted field";
      state_ = State::kLineStart;
      return LexResult::kBad;
    case State::kField:
      if (just_continued_) {
        just_continued_ = false;
        error_line_ = line_;
        error_ = "file ends right after a line continuation marker";
        state_ = State::kLineStart;
        return LexResult::kBad;
      }
      [[fallthrough]];
    case State::kQuoteEnd: {
      record_.unterminated = true;
      LexResult r = Complete(Pending::kRecord);
      return r;
    }
  }
  return LexResult::kEof;
}

// The buffer never needs to exceed the file (+1 so the first read can see the end): a set of
// many small primaries would otherwise zero-fill a full buffer for each of them.
RecordReader::RecordReader(const ByteSource& source, Lexer lexer, std::size_t buffer_size)
    : source_(source),
      lexer_(std::move(lexer)),
      buffer_(static_cast<std::size_t>(std::min<std::uint64_t>(buffer_size, source.size() + 1))) {}

void RecordReader::Seek(std::uint64_t offset, std::uint64_t line) {
  lexer_.Reset(line, offset);
  next_read_ = offset;
  p_ = end_ = nullptr;
  eof_ = failed_ = false;
}

LexResult RecordReader::Next() {
  if (failed_)
    return LexResult::kEof;  // the read error was reported once
  for (;;) {
    if (p_ == end_) {
      if (eof_)
        return lexer_.Finish();
      auto n = source_.ReadAt(next_read_, std::span<char>(buffer_));
      if (!n) {
        failed_ = true;
        io_error_ = "read failed: " + n.error().message;
        return LexResult::kBad;
      }
      if (*n == 0) {
        eof_ = true;
        continue;
      }
      p_ = buffer_.data();
      end_ = p_ + *n;
      next_read_ += *n;
    }
    LexResult r = lexer_.Consume(p_, end_);
    if (r != LexResult::kNeedMore)
      return r;
  }
}

}  // namespace ccm::parser
