// mime_message_test.cpp — message composition: byte-exact headers and structure on small
// examples, address forms, folding, hostile names (no header injection), encodings, and a
// 100 MiB attachment streamed in constant memory.
#include "importer/mime_message.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "importer/mime_encoding.h"

namespace ccm::importer {
namespace {

using namespace std::chrono;

std::unique_ptr<ContentSource> Text(std::string s) {
  return std::make_unique<StringSource>(std::move(s));
}

MessagePart Body(std::string s) {
  return {PartKind::kBody, "", 0, false, Text(std::move(s))};
}

MessagePart Attachment(PartKind kind, std::string name, std::string data, bool macbinary = false) {
  return {kind, std::move(name), data.size(), macbinary, Text(std::move(data))};
}

std::string Compose(MailMessage& m, ComposeOptions options = {}) {
  StringSink sink;
  auto r = ComposeMessage(m, sink, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return sink.text();
}

std::string Headers(const std::string& message) {
  return message.substr(0, message.find("\n\n"));
}

// Every header line is a "Name: value" of a known header or a continuation (starts with space).
void ExpectOnlyKnownHeaders(const std::string& message) {
  static const char* kKnown[] = {"Date:",
                                 "From:",
                                 "To:",
                                 "Cc:",
                                 "Bcc:",
                                 "Subject:",
                                 "Message-ID:",
                                 "X-Priority:",
                                 "Importance:",
                                 "X-CCM-Identity:",
                                 "MIME-Version:",
                                 "Content-Type:",
                                 "Content-Transfer-Encoding:",
                                 "Content-Disposition:"};
  std::string headers = Headers(message);
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find('\n', start);
    std::string line = headers.substr(start, end == std::string::npos ? end : end - start);
    bool ok = !line.empty() &&
              (line[0] == ' ' || std::any_of(std::begin(kKnown), std::end(kKnown),
                                             [&](const char* k) { return line.rfind(k, 0) == 0; }));
    EXPECT_TRUE(ok) << "unexpected header line: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos);
    EXPECT_LE(line.size(), 998u);
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
}

std::string Unfold(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && i + 1 < s.size() && s[i + 1] == ' ')
      continue;
    out += s[i];
  }
  return out;
}

MailMessage Cutover() {
  MailMessage m;
  m.identity = "HQPO.001/00000001.PRI:3";
  m.sender = {"Lee, Jordan", "CCMAIL", "Lee, Jordan at HQPO"};
  m.to = {{"Avery Quinn", "", ""}, {"Morgan Ellis", "SMTP", "mellis@example.org"}};
  m.subject = "Cutover date";
  m.sent = sys_days(year{1999} / 4 / 9) + hours{9} + minutes{30};
  m.received = sys_days(year{1999} / 4 / 9) + hours{9} + minutes{32};
  m.priority = 1;
  m.parts.push_back(Body("Hello Avery,\r\nthe cutover is on Friday.\r\n"));
  return m;
}

TEST(ComposeMessage, SinglePartByteExact) {
  MailMessage m = Cutover();
  EXPECT_EQ(Compose(m),
            "Date: Fri, 09 Apr 1999 09:30:00 +0000\n"
            "From: \"Lee, Jordan [CCMAIL:Lee, Jordan at HQPO]\"\n"
            " <Lee.Jordan.at.HQPO@ccmail.invalid>\n"
            "To: Avery Quinn <Avery.Quinn@unknown.invalid>, Morgan Ellis\n"
            " <mellis@example.org>\n"
            "Subject: Cutover date\n"
            "Message-ID: <e574ef8ba68e9cc0e9cced2fe16d0eb2@ccmigrate.invalid>\n"
            "X-Priority: 1 (Highest)\n"
            "Importance: high\n"
            "X-CCM-Identity: HQPO.001/00000001.PRI:3\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: quoted-printable\n"
            "\n"
            "Hello Avery,\n"
            "the cutover is on Friday.\n");
}

TEST(ComposeMessage, CrLfOptionUsesCrLfEverywhere) {
  MailMessage m = Cutover();
  m.parts.push_back(Attachment(PartKind::kAttachment, "a.bin", std::string(200, 'x')));
  ComposeOptions options;
  options.crlf = true;
  std::string out = Compose(m, options);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\n') {
      ASSERT_TRUE(i > 0 && out[i - 1] == '\r') << "bare LF at " << i;
    }
    if (out[i] == '\r') {
      ASSERT_TRUE(i + 1 < out.size() && out[i + 1] == '\n');
    }
  }
  EXPECT_NE(out.find("\r\n\r\nHello Avery,\r\n"), std::string::npos);
}

TEST(ComposeMessage, FreeDocumentIsAnAttachmentOfAnOtherwiseEmptyMessage) {
  MailMessage d;
  d.identity = "HQPO.001/00000001.PRI:5";
  d.sender = {"Quinn, Avery", "CCMAIL", "Quinn, Avery at HQPO"};
  d.subject = "ignored for a free document";
  d.sent = sys_days(year{1999} / 4 / 11) + hours{6};
  d.parts.push_back(Body(""));
  d.parts.push_back(Attachment(PartKind::kDocument, "ROLLBACK.TXT", "abc"));
  EXPECT_EQ(Compose(d),
            "Date: Sun, 11 Apr 1999 06:00:00 +0000\n"
            "From: \"Quinn, Avery [CCMAIL:Quinn, Avery at HQPO]\"\n"
            " <Quinn.Avery.at.HQPO@ccmail.invalid>\n"
            "Subject: ROLLBACK.TXT\n"
            "Message-ID: <6d4161bf23ff1bbc47573e8c33dbce4d@ccmigrate.invalid>\n"
            "X-CCM-Identity: HQPO.001/00000001.PRI:5\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"=_ccm_6d4161bf23ff1bbc47573e8c33dbce4d\"\n"
            "\n"
            "This is a multi-part message in MIME format.\n"
            "--=_ccm_6d4161bf23ff1bbc47573e8c33dbce4d\n"
            "Content-Type: application/octet-stream; name=\"ROLLBACK.TXT\"\n"
            "Content-Disposition: attachment; filename=\"ROLLBACK.TXT\"\n"
            "Content-Transfer-Encoding: base64\n"
            "\n"
            "YWJj\n"
            "--=_ccm_6d4161bf23ff1bbc47573e8c33dbce4d--\n");
}

TEST(ComposeMessage, TextThenAttachmentsInChainOrderAndBodiesConcatenated) {
  MailMessage m = Cutover();
  m.priority = -1;
  m.sent.reset();  // Date falls back to the received time
  m.parts.clear();
  m.parts.push_back(Body("first "));
  m.parts.push_back(Attachment(PartKind::kAttachment, "plan.txt", "abc"));
  m.parts.push_back(Body("second"));  // concatenated, no separator
  m.parts.push_back(Attachment(PartKind::kAttachment, "MAC APP", "\x01\x02", true));
  std::string out = Compose(m);
  EXPECT_NE(out.find("Date: Fri, 09 Apr 1999 09:32:00 +0000\n"), std::string::npos);
  EXPECT_NE(out.find("X-Priority: 5 (Lowest)\nImportance: low\n"), std::string::npos);
  const std::string b = "--=_ccm_e574ef8ba68e9cc0e9cced2fe16d0eb2";
  std::string expected_body = "This is a multi-part message in MIME format.\n" + b +
                              "\n"
                              "Content-Type: text/plain; charset=UTF-8\n"
                              "Content-Transfer-Encoding: quoted-printable\n"
                              "\n"
                              "first second\n" +
                              b +
                              "\n"
                              "Content-Type: application/octet-stream; name=\"plan.txt\"\n"
                              "Content-Disposition: attachment; filename=\"plan.txt\"\n"
                              "Content-Transfer-Encoding: base64\n"
                              "\n"
                              "YWJj\n" +
                              b +
                              "\n"
                              "Content-Type: application/x-macbinary; name=\"MAC APP\"\n"
                              "Content-Disposition: attachment; filename=\"MAC APP\"\n"
                              "Content-Transfer-Encoding: base64\n"
                              "\n"
                              "AQI=\n" +
                              b + "--\n";
  ASSERT_GE(out.size(), expected_body.size());
  EXPECT_EQ(out.substr(out.size() - expected_body.size()), expected_body);
}

TEST(ComposeMessage, DateFallsBackToTheGivenTimeWhenTheMessageHasNone) {
  MailMessage m = Cutover();
  m.sent.reset();
  m.received.reset();
  ComposeOptions options;
  options.date_if_unknown = sys_days(year{2026} / 1 / 2);
  std::string out = Compose(m, options);
  EXPECT_EQ(out.rfind("Date: Fri, 02 Jan 2026 00:00:00 +0000\n", 0), 0u);
}

TEST(ComposeMessage, BccIsKeptForTheOwnersCopy) {
  MailMessage m = Cutover();
  m.cc = {{"Natarajan, Priya", "CCMAIL", "Natarajan, Priya at BRPO"}};
  m.bcc = {{"Boss", "SMTP", "boss@example.org"}};
  std::string out = Compose(m);
  EXPECT_NE(out.find("\nCc: \"Natarajan, Priya [CCMAIL:Natarajan, Priya at BRPO]\"\n"
                     " <Natarajan.Priya.at.BRPO@ccmail.invalid>\n"),
            std::string::npos);
  EXPECT_NE(out.find("\nBcc: Boss <boss@example.org>\n"), std::string::npos);
}

TEST(FormatAddress, SmtpForeignAndBareItems) {
  EXPECT_EQ(FormatAddress({"Morgan Ellis", "SMTP", "mellis@example.org"}),
            "Morgan Ellis <mellis@example.org>");
  EXPECT_EQ(FormatAddress({"", "smtp", "mellis@example.org"}), "<mellis@example.org>");
  EXPECT_EQ(FormatAddress({"Ellis, Morgan", "SMTP", "mellis@example.org"}),
            "\"Ellis, Morgan\" <mellis@example.org>");
  EXPECT_EQ(FormatAddress({"Quinn, Avery", "CCMAIL", "Quinn, Avery at HQPO"}),
            "\"Quinn, Avery [CCMAIL:Quinn, Avery at HQPO]\" <Quinn.Avery.at.HQPO@ccmail.invalid>");
  // An SMTP "address" that is no addr-spec is kept in the phrase, never put in <>.
  EXPECT_EQ(FormatAddress({"X", "SMTP", "not an <address>"}),
            "\"X [SMTP:not an <address>]\" <not.an.address@smtp.invalid>");
  EXPECT_EQ(FormatAddress({"Gamers", "ATTMAIL", "!gamers"}),
            "\"Gamers [ATTMAIL:!gamers]\" <gamers@attmail.invalid>");
  EXPECT_EQ(FormatAddress({"", "", ""}), "<unnamed@unknown.invalid>");
  EXPECT_EQ(FormatAddress({"Zoë Müller", "", ""}),
            "=?UTF-8?B?Wm/DqyBNw7xsbGVy?= <Zo.M.ller@unknown.invalid>");
}

TEST(FormatAddress, QuotesAndBackslashesAreEscaped) {
  EXPECT_EQ(FormatAddress({"He said \"hi\" \\o/", "SMTP", "a@b.example"}),
            "\"He said \\\"hi\\\" \\\\o/\" <a@b.example>");
}

TEST(ComposeMessage, SubjectsLiteralWhenPlainAsciiElseEncoded) {
  MailMessage m = Cutover();
  m.subject = "Re: (draft) 50% = half? #1";
  EXPECT_NE(Compose(m).find("\nSubject: Re: (draft) 50% = half? #1\n"), std::string::npos);
  m = Cutover();
  m.subject = "Grüße";
  EXPECT_NE(Compose(m).find("\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\n"), std::string::npos);
  m = Cutover();
  m.subject = "=?UTF-8?B?Zm9v?=";  // would decode to "foo" if written literally
  EXPECT_EQ(Compose(m).find("\nSubject: =?UTF-8?B?Zm9v?=\n"), std::string::npos);
}

TEST(ComposeMessage, HostileSubjectsAndNamesCannotCreateHeaders) {
  MailMessage m = Cutover();
  m.subject = "Hi\r\nBcc: victim@example.org\r\n\r\nInjected body";
  m.sender = {"Evil\r\nX-Evil: 1", "SMTP", "e@example.org"};
  m.to = {{"A\nB", "CCMAIL", "x\r\nSubject: forged"}};
  m.parts.push_back(
      Attachment(PartKind::kAttachment, "a\"\r\nContent-Type: text/html\r\n\r\n<b>.txt", "x"));
  std::string out = Compose(m);
  ExpectOnlyKnownHeaders(out);
  EXPECT_EQ(out.find("\nBcc:"), std::string::npos);
  EXPECT_EQ(out.find("\nX-Evil"), std::string::npos);
  EXPECT_EQ(out.find("\nSubject: forged"), std::string::npos);
  EXPECT_NE(out.find("Subject: Hi  Bcc: victim@example.org    Injected body\n"), std::string::npos);
  EXPECT_NE(Unfold(out).find("filename=\"a\\\"  Content-Type: text/html    <b>.txt\""),
            std::string::npos);
}

TEST(ComposeMessage, LongHeadersFoldAtSpacesAndUnfoldToTheOriginal) {
  MailMessage m = Cutover();
  m.to.clear();
  for (int i = 0; i < 30; ++i) {
    m.to.push_back(
        {"Person " + std::to_string(i), "SMTP", "person" + std::to_string(i) + "@example.org"});
  }
  std::string words;
  for (int i = 0; i < 60; ++i)
    words += "word" + std::to_string(i) + " ";
  words += "end";
  m.subject = words;
  std::string out = Compose(m);
  std::string headers = Headers(out);
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find('\n', start);
    if (end == std::string::npos)
      end = headers.size();
    EXPECT_LE(end - start, 78u) << headers.substr(start, end - start);
    start = end + 1;
  }
  std::string unfolded = Unfold(headers);
  EXPECT_NE(unfolded.find("\nSubject: " + words + "\n"), std::string::npos);
  EXPECT_NE(unfolded.find("Person 0 <person0@example.org>, Person 1 <person1@example.org>"),
            std::string::npos);
  EXPECT_NE(unfolded.find("Person 29 <person29@example.org>\n"), std::string::npos);
}

TEST(ComposeMessage, NonAsciiAndLongAttachmentNamesUseRfc2231) {
  MailMessage m = Cutover();
  m.parts.push_back(Attachment(PartKind::kAttachment, "Übersicht.txt", "x"));
  std::string out = Unfold(Compose(m));
  EXPECT_NE(out.find("Content-Disposition: attachment; filename*0*=UTF-8''%C3%9Cbersicht.txt\n"),
            std::string::npos);
  EXPECT_NE(out.find("name=\"=?UTF-8?B?w5xiZXJzaWNodC50eHQ=?=\""), std::string::npos);
  std::string long_name(150, 'n');
  long_name += " with spaces and a very long tail ";
  long_name += std::string(100, 't');
  EXPECT_EQ(FileNameParameter("filename", long_name).rfind("filename*0*=UTF-8''nnnn", 0), 0u);
  EXPECT_NE(FileNameParameter("filename", long_name).find("; filename*1*="), std::string::npos);
}

std::string DecodeBase64(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=')
      break;
    bits = (bits << 6) | static_cast<unsigned>(kAlphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

TEST(EncodeWords, ShortWordsThatDecodeToTheTextAndSplitBeforeSpaces) {
  const std::string text =
      "Zo\xC3\xAB \"Z\" M\xC3\xBCller, Dept. (R&D) [CCMAIL:M\xC3\xBCller, Zo\xC3\xAB at BRPO] "
      "and a few more words to need a third word";
  std::string encoded = EncodeWords(text);
  std::string decoded;
  std::size_t words = 0;
  std::size_t start = 0;
  while (start < encoded.size()) {
    std::size_t end = encoded.find(' ', start);
    if (end == std::string::npos)
      end = encoded.size();
    std::string word = encoded.substr(start, end - start);
    ASSERT_LE(word.size(), 75u) << word;
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    ASSERT_EQ(word.substr(word.size() - 2), "?=");
    std::string piece = DecodeBase64(word.substr(10, word.size() - 12));
    if (words > 0) {
      EXPECT_EQ(piece.front(), ' ') << "cut mid-word before: " << piece;
    }
    decoded += piece;
    ++words;
    start = end + 1;
  }
  EXPECT_GE(words, 3u);
  EXPECT_EQ(decoded, text);
}

TEST(QuotedPrintable, SoftBreaksTrailingSpaceEqualsAndLineEnds) {
  QuotedPrintableEncoder qp("\n");
  std::string out;
  qp.Add(std::string(80, 'a') + "\n", out);
  qp.Add("tail \r\nx=1\rlast\t", out);
  qp.Add("\xC3\xA9", out);
  qp.Finish(out);
  EXPECT_EQ(out,
            std::string(75, 'a') + "=\n" + "aaaaa\n" + "tail=20\n" + "x=3D1\n" + "last\t=C3=A9\n");
}

TEST(QuotedPrintable, CrLfSplitAcrossChunks) {
  QuotedPrintableEncoder qp("\n");
  std::string out;
  qp.Add("a\r", out);
  qp.Add("\nb", out);
  qp.Finish(out);
  EXPECT_EQ(out, "a\nb\n");
}

TEST(Base64, SeventySixColumnLinesAcrossChunks) {
  Base64Encoder b64("\n");
  std::string out;
  std::string input(200, '\xff');
  for (char c : input)
    b64.Add(std::string_view(&c, 1), out);
  b64.Finish(out);
  std::size_t start = 0;
  std::vector<std::size_t> lengths;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    lengths.push_back(end - start);
    start = end + 1;
  }
  EXPECT_EQ(lengths, (std::vector<std::size_t>{76, 76, 76, 40}));
  EXPECT_EQ(out.substr(0, 8), "////////");
  EXPECT_EQ(out.substr(out.size() - 5), "//8=\n");
}

// A deterministic 100 MiB attachment produced on the fly, and a sink that keeps only sizes.
class PatternSource : public ContentSource {
 public:
  explicit PatternSource(std::uint64_t size) : left_(size) {}
  Result<std::size_t, MailError> Read(std::span<char> buffer) override {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), left_));
    for (std::size_t i = 0; i < n; ++i)
      buffer[i] = static_cast<char>((produced_ + i) % 251);
    produced_ += n;
    left_ -= n;
    return n;
  }

 private:
  std::uint64_t left_;
  std::uint64_t produced_ = 0;
};

class MeasuringSink : public MessageSink {
 public:
  Result<void, MailError> Write(std::string_view bytes) override {
    total += bytes.size();
    largest_write = std::max(largest_write, bytes.size());
    if (bytes.size() >= 8)
      tail.assign(bytes.substr(bytes.size() - 8));
    return {};
  }
  std::uint64_t total = 0;
  std::size_t largest_write = 0;
  std::string tail;
};

TEST(ComposeMessage, HundredMebibyteAttachmentStreamsInConstantMemory) {
  constexpr std::uint64_t kSize = 100ull << 20;
  MailMessage m = Cutover();
  m.parts.push_back(
      {PartKind::kAttachment, "big.bin", kSize, false, std::make_unique<PatternSource>(kSize)});
  MeasuringSink sink;
  ASSERT_TRUE(ComposeMessage(m, sink).ok());
  // The composer never holds more than its buffers: no write comes near the part's size.
  EXPECT_LE(sink.largest_write, 256u * 1024);
  const std::uint64_t base64_chars = (kSize + 2) / 3 * 4;
  const std::uint64_t lines = (kSize + 56) / 57;
  EXPECT_GT(sink.total, base64_chars + lines);
  EXPECT_LT(sink.total, base64_chars + lines + 2048);
  EXPECT_EQ(sink.tail.substr(sink.tail.size() - 3), "--\n");
}

class FailingSource : public ContentSource {
 public:
  Result<std::size_t, MailError> Read(std::span<char>) override {
    return Fail(MailError{"truncated secondary file at offset 243"});
  }
};

TEST(ComposeMessage, SourceErrorsAndMissingIdentityAreReported) {
  MailMessage m = Cutover();
  m.parts.push_back({PartKind::kAttachment, "x.bin", 1, false, std::make_unique<FailingSource>()});
  StringSink sink;
  auto r = ComposeMessage(m, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("x.bin"), std::string::npos);
  EXPECT_NE(r.error().message.find("offset 243"), std::string::npos);
  MailMessage anonymous = Cutover();
  anonymous.identity.clear();
  EXPECT_FALSE(ComposeMessage(anonymous, sink).ok());
}

}  // namespace
}  // namespace ccm::importer
