// secondary_reader.cpp — length-based framing of secondary-file chains (see secondary_reader.h).
#include "parser/secondary_reader.h"

#include <array>
#include <vector>

#include "parser/field_codec.h"
#include "parser/lexer.h"

namespace ccm::parser {

namespace {

constexpr std::size_t kMaxHeaderLine = 4096;

const std::array<const char*, 7> kHeaderNames = {"Type", "Length",   "Encoding", "Islast",
                                                 "Name", "Position", "Format"};

std::optional<SecondaryType> ParseType(std::string_view text) {
  if (EqualsIgnoreCase(text, "Body"))
    return SecondaryType::kBody;
  if (EqualsIgnoreCase(text, "Attachment"))
    return SecondaryType::kAttachment;
  if (EqualsIgnoreCase(text, "Schedule"))
    return SecondaryType::kSchedule;
  if (EqualsIgnoreCase(text, "Document"))
    return SecondaryType::kDocument;
  if (EqualsIgnoreCase(text, "Other"))
    return SecondaryType::kOther;
  return std::nullopt;
}

// Lexes one header line at `pos`. Returns the record and its byte length (line end included).
// The record belongs to the calling thread's header lexer: valid until the thread's next call.
struct HeaderLine {
  const RawRecord* record = nullptr;
  std::uint64_t length = 0;
};

// One lexer per thread, reused for every header: a chain per message would otherwise build the
// lexer's tables and grow its record's buffers again for each section.
Lexer& HeaderLexer() {
  thread_local Lexer lexer = [] {
    Lexer fresh;
    fresh.set_comments(false);
    return fresh;
  }();
  return lexer;
}

Result<HeaderLine, std::string> LexHeaderLine(const ByteSource& source, std::uint64_t pos) {
  // Most headers are well under 256 bytes: try a small window first, then the full 4 KiB.
  // The record may view this buffer (lexer.h), so it lives as long as the thread's lexer.
  thread_local std::array<char, kMaxHeaderLine + 3> buffer;
  for (std::size_t window : {std::size_t{256}, kMaxHeaderLine + 3}) {
    auto got = source.ReadAt(pos, std::span<char>(buffer.data(), window));
    if (!got)
      return Fail("read failed: " + got.error().message);
    Lexer& lexer = HeaderLexer();
    lexer.Reset(1, pos);
    const char* p = buffer.data();
    const char* end = p + *got;
    LexResult r = lexer.Consume(p, end);
    if (r == LexResult::kNeedMore) {
      if (pos + *got < source.size()) {
        if (window < kMaxHeaderLine)
          continue;
        return Fail(std::string("no line end within 4 KiB: this is not a section header"));
      }
      r = lexer.Finish();
    }
    switch (r) {
      case LexResult::kRecord:
        break;
      case LexResult::kBlank:
        return Fail(std::string("expected a section header, found an empty line"));
      case LexResult::kEof:
        return Fail(std::string("expected a section header, found the end of the file"));
      case LexResult::kBad:
        return Fail("section header: " + lexer.error());
      default:
        return Fail(std::string("expected a section header"));
    }
    if (lexer.record().unterminated) {
      return Fail(std::string("section header at the end of the file without a line end"));
    }
    return HeaderLine{&lexer.record(), static_cast<std::uint64_t>(p - buffer.data())};
  }
  return Fail(std::string("no line end within 4 KiB: this is not a section header"));
}

}  // namespace

const char* SecondaryTypeName(SecondaryType type) {
  switch (type) {
    case SecondaryType::kBody:
      return "Body";
    case SecondaryType::kAttachment:
      return "Attachment";
    case SecondaryType::kSchedule:
      return "Schedule";
    case SecondaryType::kDocument:
      return "Document";
    case SecondaryType::kOther:
      return "Other";
  }
  return "?";
}

namespace {

// ReadChain's one implementation; `origin()` gives the pointer's "FILE:LINE", built only for a
// message. `chain` is filled in place (its buffers are reused by a scan).
template <typename Origin>
Result<void, Diagnostic> FrameChain(const ByteSource& source, const std::string& file,
                                    std::uint64_t offset, const Origin& origin,
                                    const ReaderOptions& options, DiagnosticSink& sink,
                                    Chain& chain) {
  auto where = [&] { return " (pointer at " + origin() + ")"; };
  auto error = [&](std::uint64_t at, const std::string& message, const char* field = "") {
    return Fail(AtOffset(file, at, Severity::kError, message + where(), field));
  };
  auto warn = [&](std::uint64_t at, const std::string& message, const char* field = "") {
    sink.Report(AtOffset(file, at, Severity::kWarning, message + where(), field));
  };
  chain.file = file;
  chain.begin = chain.end = offset;
  chain.sections.clear();
  if (offset >= source.size()) {
    return error(offset, "pointer offset " + std::to_string(offset) +
                             " is at or beyond the end of the file (size " +
                             std::to_string(source.size()) + ")");
  }
  std::uint64_t pos = offset;
  int bodies = 0;
  for (std::uint32_t n = 0;; ++n) {
    if (n >= options.max_chain_sections) {
      return error(pos, "message chain longer than " + std::to_string(options.max_chain_sections) +
                            " sections");
    }
    auto line = LexHeaderLine(source, pos);
    if (!line) {
      std::string message = line.error();
      if (n > 0)
        message = "message chain broken: " + message;
      if (n == 0)
        message +=
            "; the pointer does not land on a section header (if the set was "
            "transferred in text mode, check LF/CRLF conversion)";
      return error(pos, message);
    }
    const RawRecord& rec = *line->record;
    if (rec.bare_lf || rec.bare_cr)
      warn(pos, "section header ends in a bare CR or LF");
    if (rec.size() != 7) {
      return error(pos, std::string(n > 0 ? "message chain broken: " : "") +
                            "a section header has 7 fields, got " + std::to_string(rec.size()) +
                            ": \"" + std::string(rec.text().substr(0, 80)) + "\"");
    }
    // Views of the header record, or of `decoded` for quoted fields: no copy per section.
    std::string_view values[7];
    std::string decoded[7];
    for (std::size_t i = 0; i < 7; ++i) {
      auto value = UnquoteView(rec.raw(i), rec.shape(i), options.lenient, decoded[i]);
      if (!value)
        return error(pos, value.error(), kHeaderNames[i]);
      values[i] = *value;
    }
    SecondarySection section;
    section.header_offset = pos;
    auto type = ParseType(values[0]);
    if (!type) {
      if (EqualsIgnoreCase(values[0], "Type")) {
        return error(pos, "pointer lands on the file header line, not on a section header");
      }
      return error(pos, "unknown section type \"" + std::string(values[0]) + "\"", "Type");
    }
    section.type = *type;
    auto length = ParseInteger(values[1]);
    if (!length || *length < 0) {
      return error(pos, "Length must be an integer >= 0, got \"" + std::string(values[1]) + "\"",
                   "Length");
    }
    section.length = static_cast<std::uint64_t>(*length);
    if (section.length > options.max_section_length) {
      return error(pos,
                   "Length " + std::string(values[1]) + " exceeds the limit of " +
                       std::to_string(options.max_section_length) + " bytes",
                   "Length");
    }
    if (!values[2].empty())
      warn(pos, "Encoding is reserved and should be empty; ignored", "Encoding");
    auto is_last = ParseBool(values[3]);
    if (!is_last)
      return error(pos, is_last.error(), "Islast");
    if (!is_last->has_value())
      warn(pos, "empty Islast read as TRUE", "Islast");
    section.is_last = is_last->value_or(true);
    section.name.assign(values[4]);
    if (!values[5].empty()) {
      auto position = ParseInteger(values[5]);
      if (!position || *position < -1) {
        return error(
            pos,
            "Position must be empty or an integer >= -1, got \"" + std::string(values[5]) + "\"",
            "Position");
      }
      section.position = *position;
    }
    if (values[6].empty() || EqualsIgnoreCase(values[6], "None")) {
      section.format = AttachmentFormat::kNone;
    } else if (EqualsIgnoreCase(values[6], "Macbinary")) {
      section.format = AttachmentFormat::kMacbinary;
    } else {
      return error(pos, "Format must be None or Macbinary, got \"" + std::string(values[6]) + "\"",
                   "Format");
    }
    if ((section.type == SecondaryType::kAttachment || section.type == SecondaryType::kDocument) &&
        section.name.empty()) {
      warn(pos, std::string(SecondaryTypeName(section.type)) + " section has no Name", "Name");
    }
    if (section.type == SecondaryType::kDocument && section.name.find('.') == std::string::npos &&
        !section.name.empty()) {
      warn(pos, "document name \"" + section.name + "\" has no file extension", "Name");
    }
    if (section.type == SecondaryType::kBody && ++bodies == 2) {
      warn(pos, "more than one Body section in a message chain; bodies are concatenated");
    }
    section.data_offset = pos + line->length;
    if (section.length > source.size() - section.data_offset) {
      return error(pos,
                   "truncated: Length " + std::to_string(section.length) +
                       " runs past the end of the file (" +
                       std::to_string(source.size() - section.data_offset) + " bytes left)",
                   "Length");
    }
    std::uint64_t after = section.data_offset + section.length;
    std::array<char, 8> tail{};
    auto got = source.ReadAt(after, std::span<char>(tail));
    if (!got)
      return error(after, "read failed: " + got.error().message);
    std::size_t sep = 0;
    if (*got == 0) {
      if (options.lenient) {
        warn(after, "no line end after the section data (end of file)");
      } else {
        return error(after, "no line end after the section data (end of file)");
      }
    } else if (options.lenient) {
      while (sep < *got && sep < 4 && (tail[sep] == '\r' || tail[sep] == '\n'))
        ++sep;
      bool one = (sep == 2 && tail[0] == '\r' && tail[1] == '\n') || sep == 1;
      if (sep == 0) {
        return error(after, "expected a line end after " + std::to_string(section.length) +
                                " data bytes; Length may be wrong");
      }
      if (!one)
        warn(after, std::to_string(sep) + " line-end bytes after the data; expected CR LF");
    } else {
      if (tail[0] == '\r' && *got > 1 && tail[1] == '\n') {
        sep = 2;
      } else if (tail[0] == '\r' || tail[0] == '\n') {
        sep = 1;
        warn(after, "bare CR or LF after the section data; expected CR LF");
      } else {
        return error(after, "expected a line end after " + std::to_string(section.length) +
                                " data bytes; Length may be wrong");
      }
    }
    pos = after + sep;
    chain.end = pos;
    chain.sections.push_back(std::move(section));
    if (chain.sections.back().is_last)
      break;
    if (pos >= source.size()) {
      return error(pos, "message chain broken: end of file before a section with Islast=TRUE");
    }
  }
  if (chain.sections.front().type != SecondaryType::kBody &&
      chain.sections.front().type != SecondaryType::kOther) {
    warn(offset, std::string("chain starts with a ") +
                     SecondaryTypeName(chain.sections.front().type) + " section, not a Body");
  }
  return {};
}

}  // namespace

Result<Chain, Diagnostic> ReadChain(const ByteSource& source, const std::string& file,
                                    std::uint64_t offset, const std::string& origin,
                                    const ReaderOptions& options, DiagnosticSink& sink) {
  Chain chain;
  auto framed = FrameChain(
      source, file, offset, [&] { return origin; }, options, sink, chain);
  if (!framed)
    return Fail(std::move(framed).error());
  return chain;
}

Result<void, Diagnostic> ReadChain(const ByteSource& source, const std::string& file,
                                   std::uint64_t offset, const PointerOrigin& origin,
                                   const ReaderOptions& options, DiagnosticSink& sink,
                                   Chain& chain) {
  return FrameChain(
      source, file, offset,
      [&] { return std::string(origin.file) + ":" + std::to_string(origin.line); }, options, sink,
      chain);
}

bool CheckSecondaryFileHeader(const ByteSource& source, const std::string& file,
                              DiagnosticSink& sink) {
  auto line = LexHeaderLine(source, 0);
  if (!line || line->record->size() == 0 || !EqualsIgnoreCase(line->record->raw(0), "Type")) {
    return false;
  }
  bool ok = line->record->size() == 7;
  for (std::size_t i = 0; ok && i < 7; ++i) {
    ok = EqualsIgnoreCase(line->record->raw(i), kHeaderNames[i]);
  }
  if (!ok) {
    sink.Report(AtOffset(file, 0, Severity::kError,
                         "file header line must be Type,Length,Encoding,Islast,Name,Position,"
                         "Format"));
  }
  return true;
}

Result<void, std::string> StreamData(const ByteSource& source, const SecondarySection& section,
                                     std::size_t chunk_size,
                                     const std::function<bool(std::string_view)>& sink) {
  std::vector<char> buffer(chunk_size == 0 ? 1 : chunk_size);
  std::uint64_t done = 0;
  while (done < section.length) {
    std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), section.length - done));
    auto got = source.ReadAt(section.data_offset + done, std::span<char>(buffer.data(), want));
    if (!got)
      return Fail("read failed: " + got.error().message);
    if (*got == 0)
      return Fail(std::string("unexpected end of file inside section data"));
    if (!sink(std::string_view(buffer.data(), *got)))
      return {};
    done += *got;
  }
  return {};
}

}  // namespace ccm::parser
