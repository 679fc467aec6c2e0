// mime_message.cpp — composes a MailMessage into RFC 5322 + MIME; see mime_message.h for the
// choices. Bytes flow source → encoder → a 64 KiB buffer → sink, so memory is bounded by the
// buffers whatever the size of a part.
#include "importer/mime_message.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "ccm/ascii.h"
#include "importer/message_identity.h"
#include "importer/mime_encoding.h"

namespace ccm::importer {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

// Collects output and hands it to the sink in large writes.
class BufferedSink {
 public:
  explicit BufferedSink(MessageSink& sink) : sink_(sink) { buffer_.reserve(2 * kChunk); }
  std::string& buffer() { return buffer_; }
  Result<void, MailError> MaybeFlush() { return buffer_.size() >= kChunk ? Flush() : Ok(); }
  Result<void, MailError> Flush() {
    if (buffer_.empty())
      return {};
    auto r = sink_.Write(buffer_);
    buffer_.clear();
    return r;
  }

 private:
  static Result<void, MailError> Ok() { return {}; }
  MessageSink& sink_;
  std::string buffer_;
};

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsDotAtom(std::string_view s, bool domain) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [domain](char c) {
    if (IsAlnum(c) || c == '.' || c == '-')
      return true;
    return !domain && std::string_view("!#$%&'*+/=?^_`{|}~").find(c) != std::string_view::npos;
  });
}

bool IsSmtpAddrSpec(const MailAddress& a) {
  if (!EqualsIgnoreCase(a.type, "SMTP"))
    return false;
  std::size_t at = a.address.rfind('@');
  if (at == std::string::npos || a.address.size() > 254)
    return false;
  return IsDotAtom(std::string_view(a.address).substr(0, at), false) &&
         IsDotAtom(std::string_view(a.address).substr(at + 1), true);
}

// Alphanumeric runs joined by dots: "Quinn, Avery at HQPO" -> "Quinn.Avery.at.HQPO".
std::string PlaceholderToken(std::string_view text, std::size_t max, bool lower) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (IsAlnum(c) || (lower && c == '-')) {
      if (gap && !out.empty())
        out += '.';
      gap = false;
      out += lower ? AsciiLower(c) : c;
    } else {
      gap = true;
    }
    if (out.size() >= max)
      break;
  }
  while (!out.empty() && (out.back() == '.' || out.back() == '-'))
    out.pop_back();
  while (!out.empty() && out.front() == '-')
    out.erase(0, 1);
  return out;
}

std::string FormatDate(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto day_point = floor<days>(t);
  year_month_day ymd(day_point);
  hh_mm_ss<seconds> time(t - day_point);
  char out[64];
  std::snprintf(out, sizeof out, "%s, %02u %s %04d %02ld:%02ld:%02ld +0000",
                kDays[weekday(day_point).c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                static_cast<long>(time.seconds().count()));
  return out;
}

std::string AddressList(const std::vector<MailAddress>& list) {
  std::string out;
  for (const MailAddress& a : list) {
    if (!out.empty())
      out += ", ";
    out += FormatAddress(a);
  }
  return out;
}

std::string AttachmentHeaders(const MessagePart& part, std::string_view eol) {
  std::string type = part.kind == PartKind::kAddressBook ? "text/vcard; charset=utf-8"
                     : part.macbinary                    ? "application/x-macbinary"
                                                         : "application/octet-stream";
  std::string clean = NeutraliseControls(part.name);
  std::string name_param = IsPrintableAscii(clean) ? FileNameParameter("name", clean)
                                                   : "name=\"" + EncodeWords(clean) + "\"";
  return FoldHeader("Content-Type", type + "; " + name_param, eol) +
         FoldHeader("Content-Disposition", "attachment; " + FileNameParameter("filename", clean),
                    eol) +
         "Content-Transfer-Encoding: base64" + std::string(eol);
}

// Reads the body parts in order as one stream (concatenated, no separator).
class BodyStream {
 public:
  explicit BodyStream(std::vector<MessagePart>& parts) {
    for (MessagePart& p : parts) {
      if (p.kind == PartKind::kBody && p.content)
        bodies_.push_back(p.content.get());
    }
  }
  /// Reads the next chunk into `buffer`; 0 at the end of the last body.
  Result<std::size_t, MailError> Read(std::span<char> buffer) {
    while (next_ < bodies_.size()) {
      auto n = bodies_[next_]->Read(buffer);
      if (!n)
        return n;
      if (*n > 0)
        return n;
      ++next_;
    }
    return std::size_t{0};
  }

 private:
  std::vector<ContentSource*> bodies_;
  std::size_t next_ = 0;
};

Result<void, MailError> StreamText(BodyStream& body, std::string_view first, BufferedSink& out,
                                   std::string_view eol, std::vector<char>& buffer) {
  QuotedPrintableEncoder qp(eol);
  qp.Add(first, out.buffer());
  for (;;) {
    if (auto r = out.MaybeFlush(); !r)
      return r;
    auto n = body.Read(buffer);
    if (!n)
      return Fail(std::move(n.error()));
    if (*n == 0)
      break;
    qp.Add(std::string_view(buffer.data(), *n), out.buffer());
  }
  qp.Finish(out.buffer());
  return {};
}

Result<void, MailError> StreamBase64(MessagePart& part, BufferedSink& out, std::string_view eol,
                                     std::vector<char>& buffer) {
  Base64Encoder b64(eol);
  while (part.content) {
    if (auto r = out.MaybeFlush(); !r)
      return r;
    auto n = part.content->Read(buffer);
    if (!n) {
      return Fail(MailError{"attachment \"" + part.name + "\": " + n.error().message});
    }
    if (*n == 0)
      break;
    b64.Add(std::string_view(buffer.data(), *n), out.buffer());
  }
  b64.Finish(out.buffer());
  return {};
}

}  // namespace

std::string FormatAddress(const MailAddress& a) {
  if (IsSmtpAddrSpec(a)) {
    if (a.display_name.empty())
      return "<" + a.address + ">";
    return Phrase(a.display_name) + " <" + a.address + ">";
  }
  std::string phrase = a.display_name;
  if (!a.type.empty()) {
    if (!phrase.empty())
      phrase += ' ';
    phrase += "[" + a.type + ":" + a.address + "]";
  }
  std::string local = PlaceholderToken(a.type.empty() ? a.display_name : a.address, 64, false);
  if (local.empty())
    local = "unnamed";
  std::string domain = PlaceholderToken(a.type, 63, true);
  if (domain.empty())
    domain = "unknown";
  std::string addr = "<" + local + "@" + domain + ".invalid>";
  return phrase.empty() ? addr : Phrase(phrase) + " " + addr;
}

Result<void, MailError> ComposeMessage(MailMessage& m, MessageSink& sink,
                                       const ComposeOptions& options) {
  if (m.identity.empty())
    return Fail(MailError{"message has no identity"});
  const std::string eol = options.crlf ? "\r\n" : "\n";
  BufferedSink out(sink);
  std::string& h = out.buffer();

  const MessagePart* document = nullptr;
  bool multipart = false;
  for (const MessagePart& p : m.parts) {
    if (p.kind != PartKind::kBody)
      multipart = true;
    if (p.kind == PartKind::kDocument && document == nullptr)
      document = &p;
  }

  auto date = m.sent ? *m.sent
              : m.received
                  ? *m.received
                  : options.date_if_unknown.value_or(
                        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  h += FoldHeader("Date", FormatDate(date), eol);
  h += FoldHeader("From", FormatAddress(m.sender), eol);
  if (!m.to.empty())
    h += FoldHeader("To", AddressList(m.to), eol);
  if (!m.cc.empty())
    h += FoldHeader("Cc", AddressList(m.cc), eol);
  if (!m.bcc.empty())
    h += FoldHeader("Bcc", AddressList(m.bcc), eol);
  std::string subject = document != nullptr ? document->name : m.subject;
  if (!subject.empty())
    h += FoldHeader("Subject", UnstructuredValue(subject), eol);
  h += "Message-ID: " + MessageIdFor(m.identity) + eol;
  if (m.priority > 0)
    h += "X-Priority: 1 (Highest)" + eol + "Importance: high" + eol;
  if (m.priority < 0)
    h += "X-Priority: 5 (Lowest)" + eol + "Importance: low" + eol;
  h += FoldHeader("X-CCM-Identity", UnstructuredValue(m.identity), eol);
  h += "MIME-Version: 1.0" + eol;

  std::vector<char> buffer(kChunk);
  BodyStream body(m.parts);
  static constexpr std::string_view kTextHeaders = "Content-Type: text/plain; charset=UTF-8";
  if (!multipart) {
    h +=
        std::string(kTextHeaders) + eol + "Content-Transfer-Encoding: quoted-printable" + eol + eol;
    if (auto r = StreamText(body, {}, out, eol, buffer); !r)
      return r;
    return out.Flush();
  }

  const std::string boundary = "=_ccm_" + IdentityDigest(m.identity);
  h += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"" + eol + eol;
  h += "This is a multi-part message in MIME format." + eol;
  // The text part exists unless every body is empty (documents and schedules have an empty one).
  auto first = body.Read(buffer);
  if (!first)
    return Fail(std::move(first.error()));
  if (*first > 0) {
    std::string head(buffer.data(), *first);
    h += "--" + boundary + eol + std::string(kTextHeaders) + eol +
         "Content-Transfer-Encoding: quoted-printable" + eol + eol;
    if (auto r = StreamText(body, head, out, eol, buffer); !r)
      return r;
  }
  for (MessagePart& p : m.parts) {
    if (p.kind == PartKind::kBody)
      continue;
    h += "--" + boundary + eol + AttachmentHeaders(p, eol) + eol;
    if (auto r = StreamBase64(p, out, eol, buffer); !r)
      return r;
  }
  h += "--" + boundary + "--" + eol;
  return out.Flush();
}

}  // namespace ccm::importer
