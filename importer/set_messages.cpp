// set_messages.cpp — MAILMESSAGE records to MailMessages with streaming parts; see set_messages.h.
#include "importer/set_messages.h"

#include <algorithm>
#include <cstdio>

#include "ccm/ascii.h"
#include "ccm/hex.h"
#include "importer/message_identity.h"
#include "parser/field_codec.h"
#include "parser/secondary_reader.h"
#include "parser/source_address.h"

namespace ccm::importer {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::uint64_t kMaxOtherBytes = 1024 * 1024;
// Read-ahead per open secondary file, and how many stay open (see the manual in the header).
constexpr std::size_t kSecondaryWindow = 128 * 1024;
constexpr std::size_t kOpenSecondaries = 8;

// A byte range of a secondary file: where one section's data lies.
struct ByteRange {
  std::shared_ptr<const parser::ByteSource> file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// Reads across ranges in order; shared by the raw and the transcoding source.
class RangeReader {
 public:
  explicit RangeReader(std::vector<ByteRange> ranges) : ranges_(std::move(ranges)) {}
  Result<std::size_t, MailError> Read(std::span<char> buffer) {
    while (next_ < ranges_.size()) {
      ByteRange& r = ranges_[next_];
      if (done_ >= r.length) {
        ++next_;
        done_ = 0;
        continue;
      }
      std::uint64_t want = std::min<std::uint64_t>(buffer.size(), r.length - done_);
      auto n = r.file->ReadAt(r.offset + done_, buffer.first(static_cast<std::size_t>(want)));
      if (!n)
        return Fail(MailError{n.error().message, n.error().code});
      if (*n == 0)
        return Fail(MailError{"secondary data ends early (file changed?)"});
      done_ += *n;
      return *n;
    }
    return std::size_t{0};
  }

 private:
  std::vector<ByteRange> ranges_;
  std::size_t next_ = 0;
  std::uint64_t done_ = 0;
};

// An attachment's, document's or schedule's bytes, untouched.
class RawRangeSource final : public ContentSource {
 public:
  explicit RawRangeSource(ByteRange range) : reader_({std::move(range)}) {}
  Result<std::size_t, MailError> Read(std::span<char> buffer) override {
    return reader_.Read(buffer);
  }

 private:
  RangeReader reader_;
};

}  // namespace

// State the content sources of every message share with the SetMessageSource.
struct SetMessageSource::Shared {
  parser::TextConverter converter;
};

namespace {

// Body text: the Body sections' bytes concatenated, transcoded to UTF-8 as they stream.
class TextRangeSource final : public ContentSource {
 public:
  TextRangeSource(std::vector<ByteRange> ranges, std::shared_ptr<parser::TextConverter> converter)
      : reader_(std::move(ranges)), converter_(std::move(converter)) {}

  Result<std::size_t, MailError> Read(std::span<char> buffer) override {
    while (pos_ == pending_.size() && !finished_) {
      pending_.clear();
      pos_ = 0;
      raw_.resize(kChunk);
      auto n = reader_.Read(raw_);
      if (!n)
        return Fail(std::move(n.error()));
      if (*n == 0) {
        converter_->Convert({}, pending_, true);
        finished_ = true;
      } else {
        converter_->Convert(std::string_view(raw_.data(), *n), pending_, false);
      }
    }
    std::size_t count = std::min(buffer.size(), pending_.size() - pos_);
    std::copy_n(pending_.data() + pos_, count, buffer.data());
    pos_ += count;
    return count;
  }

 private:
  RangeReader reader_;
  std::shared_ptr<parser::TextConverter> converter_;
  std::vector<char> raw_;
  std::string pending_;
  std::size_t pos_ = 0;
  bool finished_ = false;
};

void AppendRecipient(std::string& out, const parser::Recipient& r) {
  out += r.display_name;
  out += '\x1f';
  out += r.address;
  out += '\x1e';
}

void AppendDate(std::string& out, const std::optional<parser::LocalDateTime>& d) {
  if (!d) {
    out += "-|";
    return;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d|", d->year, d->month, d->day, d->hour,
                d->minute, d->second);
  out += text;
}

std::string TrimLineEnds(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n'))
    text.pop_back();
  return text;
}

}  // namespace

std::string SetMessageIdentity(std::string_view owner_key, std::string_view primary_file,
                               const parser::MailMessage& record, const parser::Chain& chain) {
  std::string fields;
  if (record.sender)
    AppendRecipient(fields, *record.sender);
  fields += '\x1d';
  for (const auto* list : {&record.to, &record.cc, &record.bcc}) {
    for (const auto& r : *list)
      AppendRecipient(fields, r);
    fields += '\x1d';
  }
  fields += record.folder + '\x1d' + record.subject + '\x1d';
  AppendDate(fields, record.send_date);
  AppendDate(fields, record.received_date);
  fields += std::to_string(record.priority) + (record.unread ? "U" : "u") +
            (record.unsent ? "D" : "d") + '\x1d';
  for (const auto& s : chain.sections) {
    fields += std::string(parser::SecondaryTypeName(s.type)) + ':' + std::to_string(s.length) +
              ':' + s.name + '\x1e';
  }
  auto digest = Sha256(fields);
  return "ccm1:" + std::string(owner_key) + "|" + AsciiLower(primary_file) + "@" +
         std::to_string(record.offset) + "|" + AsciiLower(record.body.file) + "@" +
         std::to_string(record.body.offset) + "|" + LowerHex(std::span(digest).first(8));
}

SetMessageSource::SetMessageSource(const parser::SetDirectory& directory,
                                   const parser::FileSetScan& scan, TimeZone zone,
                                   const parser::ReaderOptions& options)
    : directory_(directory), scan_(scan), zone_(std::move(zone)), options_(options) {}

SetMessageSource::~SetMessageSource() = default;

Result<std::unique_ptr<SetMessageSource>, MailError> SetMessageSource::Open(
    const parser::SetDirectory& directory, const parser::FileSetScan& scan, TimeZone zone,
    const parser::ReaderOptions& options) {
  auto converter = parser::TextConverter::Create(scan.packing_list.code_page);
  if (!converter) {
    return Fail(MailError{"code page " + std::to_string(scan.packing_list.code_page.number()) +
                          ": " + converter.error()});
  }
  std::unique_ptr<SetMessageSource> source(
      new SetMessageSource(directory, scan, std::move(zone), options));
  source->shared_ = std::make_shared<Shared>(Shared{std::move(*converter)});
  return source;
}

Result<std::shared_ptr<const parser::ByteSource>, MailError> SetMessageSource::Secondary(
    const std::string& name) {
  std::string key = AsciiLower(name);
  for (std::size_t i = secondaries_.size(); i-- > 0;) {
    if (secondaries_[i].key == key) {
      std::rotate(secondaries_.begin() + static_cast<std::ptrdiff_t>(i),
                  secondaries_.begin() + static_cast<std::ptrdiff_t>(i) + 1, secondaries_.end());
      return secondaries_.back().source;
    }
  }
  const parser::SetFile* file = scan_.FindFile(name);
  if (file == nullptr || file->type != parser::FileType::kSecondary || !file->found) {
    return Fail(MailError{"\"" + name + "\" is not a secondary file of the set"});
  }
  auto opened = directory_.Open(file->disk_name);
  if (!opened)
    return Fail(MailError{opened.error().message, opened.error().code});
  // Content sources of messages already returned keep their file alive after it leaves the list.
  if (secondaries_.size() >= kOpenSecondaries)
    secondaries_.erase(secondaries_.begin());
  std::shared_ptr<const parser::ByteSource> shared =
      std::make_shared<parser::WindowedSource>(std::move(*opened), kSecondaryWindow);
  secondaries_.push_back({std::move(key), shared});
  return shared;
}

Result<std::string, MailError> SetMessageSource::ReadOther(const parser::Pointer& pointer,
                                                           const std::string& origin,
                                                           parser::DiagnosticSink& sink) {
  auto file = Secondary(pointer.file);
  if (!file)
    return Fail(std::move(file.error()));
  auto chain = parser::ReadChain(**file, pointer.file, pointer.offset, origin, options_, sink);
  if (!chain)
    return Fail(MailError{chain.error().ToString()});
  const parser::SecondarySection& s = chain->sections.front();
  if (s.length > kMaxOtherBytes) {
    return Fail(MailError{pointer.file + "(" + std::to_string(pointer.offset) +
                          "): Other section over 1 MiB"});
  }
  std::string data(static_cast<std::size_t>(s.length), '\0');
  RangeReader reader({ByteRange{*file, s.data_offset, s.length}});
  std::size_t filled = 0;
  while (filled < data.size()) {
    auto n = reader.Read(std::span<char>(data).subspan(filled));
    if (!n)
      return Fail(std::move(n.error()));
    if (*n == 0)
      break;
    filled += *n;
  }
  return data;
}

std::string SetMessageSource::Utf8(std::string_view text) {
  return shared_->converter.ToUtf8(text);
}

Result<SetMessage, MailError> SetMessageSource::Convert(const parser::SectionInfo& section,
                                                        const parser::MailMessage& in,
                                                        parser::DiagnosticSink& sink) {
  SetMessage out;
  out.origin = section.file + ":" + std::to_string(in.line);
  auto warn = [&](const std::string& text) { out.warnings.push_back(out.origin + ": " + text); };
  parser::TextConverter& conv = shared_->converter;
  auto utf8 = [&](std::string_view text) { return conv.ToUtf8(text); };
  auto address = [&](const parser::Recipient& r) {
    MailAddress a;
    a.display_name = utf8(r.display_name);
    if (!r.address.empty()) {
      a.type = utf8(r.address_type);
      a.address = utf8(r.address_value);
    }
    return a;
  };

  // Fields written as pointers to Other sections replace the record's values.
  parser::MailMessage record = in;
  for (const parser::IndirectField& field : in.indirect) {
    auto value = ReadOther(field.pointer, out.origin, sink);
    if (!value) {
      warn(field.column + ": " + value.error().message + "; field left empty");
      continue;
    }
    std::string text = TrimLineEnds(std::move(*value));
    if (EqualsIgnoreCase(field.column, "Folder")) {
      record.folder = text;
    } else if (EqualsIgnoreCase(field.column, "Subject")) {
      record.subject = text;
    } else if (EqualsIgnoreCase(field.column, "Sender")) {
      record.sender = parser::ParseRecipient(text);
    } else if (EqualsIgnoreCase(field.column, "To") || EqualsIgnoreCase(field.column, "Cc") ||
               EqualsIgnoreCase(field.column, "Bcc")) {
      auto list = parser::DecodeSemicolonList(text, options_.lenient);
      if (!list) {
        warn(field.column + ": " + list.error() + "; field left empty");
        continue;
      }
      auto& target = EqualsIgnoreCase(field.column, "To")   ? record.to
                     : EqualsIgnoreCase(field.column, "Cc") ? record.cc
                                                            : record.bcc;
      target.clear();
      for (const auto& item : list->values)
        target.push_back(parser::ParseRecipient(item));
    } else {
      warn(field.column + ": a value in an Other section is not used for this column");
    }
  }

  auto file = Secondary(record.body.file);
  if (!file)
    return Fail(MailError{out.origin + ": " + file.error().message});
  auto chain =
      parser::ReadChain(**file, record.body.file, record.body.offset, out.origin, options_, sink);
  if (!chain)
    return Fail(MailError{out.origin + ": " + chain.error().ToString()});

  MailMessage& m = out.message;
  std::string owner_key = section.is_public ? std::string("PublicMessages")
                                            : parser::NormalizeSourceAddress(section.owner);
  m.identity = SetMessageIdentity(owner_key, section.file, record, *chain);
  out.folder = utf8(record.folder);
  if (record.sender)
    m.sender = address(*record.sender);
  for (const auto& r : record.to)
    m.to.push_back(address(r));
  for (const auto& r : record.cc)
    m.cc.push_back(address(r));
  for (const auto& r : record.bcc)
    m.bcc.push_back(address(r));
  m.subject = utf8(record.subject);
  auto to_utc = [&](const std::optional<parser::LocalDateTime>& local,
                    const char* column) -> std::optional<std::chrono::sys_seconds> {
    if (!local)
      return std::nullopt;
    UtcConversion c = zone_.ToUtc(LocalDateTime{local->year, local->month, local->day, local->hour,
                                                local->minute, local->second});
    if (c.kind == LocalTimeKind::kAmbiguous) {
      warn(std::string(column) + ": local time occurs twice in " + zone_.name() +
           " (DST ended); the earlier instant was taken");
    } else if (c.kind == LocalTimeKind::kNonexistent) {
      warn(std::string(column) + ": local time does not exist in " + zone_.name() +
           " (DST began); shifted forward by the gap");
    }
    return c.utc;
  };
  m.sent = to_utc(record.send_date, "Send-Date");
  m.received = to_utc(record.received_date, "Received-Date");
  m.priority = record.priority;
  m.unread = record.unread;
  m.unsent = record.unsent;

  std::vector<ByteRange> bodies;
  std::uint64_t body_bytes = 0;
  std::vector<MessagePart> others;
  for (const parser::SecondarySection& s : chain->sections) {
    ByteRange range{*file, s.data_offset, s.length};
    switch (s.type) {
      case parser::SecondaryType::kBody:
        bodies.push_back(range);
        body_bytes += s.length;
        break;
      case parser::SecondaryType::kAttachment:
      case parser::SecondaryType::kDocument:
      case parser::SecondaryType::kSchedule: {
        MessagePart part;
        part.kind = s.type == parser::SecondaryType::kAttachment ? PartKind::kAttachment
                    : s.type == parser::SecondaryType::kDocument ? PartKind::kDocument
                                                                 : PartKind::kSchedule;
        part.name = utf8(s.name);
        if (part.name.empty()) {
          part.name = "attachment-" + std::to_string(others.size() + 1) + ".bin";
          warn(std::string(parser::SecondaryTypeName(s.type)) + " section at offset " +
               std::to_string(s.header_offset) + " has no Name; delivered as \"" + part.name +
               "\"");
        }
        part.size = s.length;
        part.macbinary = s.format == parser::AttachmentFormat::kMacbinary;
        part.content = std::make_unique<RawRangeSource>(range);
        others.push_back(std::move(part));
        out.positions.push_back(s.position);
        break;
      }
      case parser::SecondaryType::kOther:
        warn("Other section at offset " + std::to_string(s.header_offset) +
             " inside a message chain is not a message part; not delivered");
        break;
    }
  }
  if (bodies.size() > 1) {
    warn(std::to_string(bodies.size()) +
         " Body sections in one chain; concatenated in order without separator");
  }
  if (!bodies.empty()) {
    MessagePart body;
    body.kind = PartKind::kBody;
    body.size = body_bytes;
    body.content = std::make_unique<TextRangeSource>(
        std::move(bodies), std::shared_ptr<parser::TextConverter>(shared_, &shared_->converter));
    m.parts.push_back(std::move(body));
  }
  for (MessagePart& p : others)
    m.parts.push_back(std::move(p));
  return out;
}

Result<std::unique_ptr<SectionMessages>, MailError> SetMessageSource::OpenSection(
    const parser::SectionInfo& section, parser::DiagnosticSink& sink) {
  auto reader =
      parser::MailMessageReader::Open(directory_, scan_, section, options_, sink, primary_);
  if (!reader)
    return Fail(MailError{reader.error().message, reader.error().code});
  std::unique_ptr<SectionMessages> messages(new SectionMessages());
  messages->source_ = this;
  messages->section_ = section;
  messages->sink_ = &sink;
  messages->reader_ = std::move(*reader);
  return messages;
}

Result<std::optional<SetMessage>, MailError> SectionMessages::Next() {
  std::optional<parser::MailMessage> record = reader_->Next();
  if (!record)
    return std::optional<SetMessage>{};
  auto converted = source_->Convert(section_, *record, *sink_);
  if (!converted)
    return Fail(std::move(converted.error()));
  return std::optional<SetMessage>(std::move(*converted));
}

}  // namespace ccm::importer
