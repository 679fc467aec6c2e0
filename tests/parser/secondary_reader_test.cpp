// secondary_reader_test.cpp — length-based framing of secondary files on the byte-exact
// example of docs/file-format.md, and every way a chain can break (line ends changed in transfer
// included).
#include "parser/secondary_reader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/parser/test_sets.h"

namespace ccm::parser {
namespace {

using testing::HasProblem;

const std::string kHeader = "Type,Length,Encoding,Islast,Name,Position,Format\r\n";

Result<Chain, Diagnostic> Frame(const std::string& bytes, std::uint64_t offset,
                                DiagnosticSink& sink, bool lenient = false) {
  MemorySource source(bytes);
  ReaderOptions options;
  options.lenient = lenient;
  return ReadChain(source, "T.SEC", offset, "T.PRI:7", options, sink);
}

TEST(SecondaryReader, AppendixAChains) {
  std::string bytes = testing::ReadFileBytes(testing::AppendixPath("00000001.SEC"));
  ASSERT_EQ(bytes.size(), 325u);
  DiagnosticSink sink;
  auto m1 = Frame(bytes, 50, sink);
  ASSERT_TRUE(m1.ok()) << m1.error().ToString();
  ASSERT_EQ(m1->sections.size(), 1u);
  EXPECT_EQ(m1->sections[0].type, SecondaryType::kBody);
  EXPECT_EQ(m1->sections[0].data_offset, 68u);
  EXPECT_EQ(m1->sections[0].length, 53u);
  EXPECT_EQ(m1->end, 123u);

  auto m2 = Frame(bytes, 123, sink);
  ASSERT_TRUE(m2.ok());
  ASSERT_EQ(m2->sections.size(), 2u);
  EXPECT_FALSE(m2->sections[0].is_last);
  const SecondarySection& attachment = m2->sections[1];
  EXPECT_EQ(attachment.type, SecondaryType::kAttachment);
  EXPECT_EQ(attachment.header_offset, 168u);
  EXPECT_EQ(attachment.name, "AGENDA.TXT");
  EXPECT_EQ(attachment.length, 36u);
  EXPECT_EQ(attachment.position, std::optional<std::int64_t>(0));
  EXPECT_EQ(attachment.format, AttachmentFormat::kNone);
  EXPECT_EQ(m2->end, 243u);

  auto m3 = Frame(bytes, 243, sink);
  ASSERT_TRUE(m3.ok());
  ASSERT_EQ(m3->sections.size(), 2u);
  EXPECT_EQ(m3->sections[0].length, 0u);
  EXPECT_EQ(m3->sections[1].type, SecondaryType::kDocument);
  EXPECT_EQ(m3->sections[1].name, "ROLLBACK.TXT");
  EXPECT_EQ(m3->sections[1].length, 23u);
  EXPECT_EQ(m3->end, 325u);
  EXPECT_EQ(sink.kept().size(), 0u) << testing::Dump(sink);

  MemorySource source(bytes);
  std::string data;
  ASSERT_TRUE(StreamData(source, attachment, 5, [&](std::string_view chunk) {
                EXPECT_LE(chunk.size(), 5u);
                data.append(chunk);
                return true;
              }).ok());
  EXPECT_EQ(data, "1. Directory sync\r\n2. Mail cutover\r\n");
  EXPECT_TRUE(CheckSecondaryFileHeader(source, "00000001.SEC", sink));
}

TEST(SecondaryReader, DataThatLooksLikeAHeaderIsNeverScanned) {
  std::string data = "Body,5,,TRUE,,,\r\nxx";  // 19 bytes of data that look like a header
  std::string bytes = kHeader + "Body,19,,TRUE,,,\r\n" + data + "\r\n";
  DiagnosticSink sink;
  auto chain = Frame(bytes, 50, sink);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(chain->sections.size(), 1u);
  EXPECT_EQ(chain->end, bytes.size());
}

TEST(SecondaryReader, PointerNotOnAHeader) {
  std::string bytes = testing::ReadFileBytes(testing::AppendixPath("00000001.SEC"));
  DiagnosticSink sink;
  auto mid = Frame(bytes, 70, sink);
  ASSERT_FALSE(mid.ok());
  EXPECT_EQ(mid.error().file, "T.SEC");
  EXPECT_TRUE(mid.error().is_offset);
  EXPECT_EQ(mid.error().where, 70u);
  EXPECT_NE(mid.error().message.find("T.PRI:7"), std::string::npos);
  auto beyond = Frame(bytes, 325, sink);
  ASSERT_FALSE(beyond.ok());
  EXPECT_NE(beyond.error().message.find("beyond the end"), std::string::npos);
  auto file_header = Frame(bytes, 0, sink);
  ASSERT_FALSE(file_header.ok());
  EXPECT_NE(file_header.error().message.find("file header line"), std::string::npos);
}

TEST(SecondaryReader, LfConvertedSetFailsFraming) {  // CR LF -> LF in transfer
  std::string bytes = testing::ReadFileBytes(testing::AppendixPath("00000001.SEC"));
  std::string lf;
  for (char c : bytes) {
    if (c != '\r')
      lf.push_back(c);
  }
  DiagnosticSink sink;
  auto chain = Frame(lf, 50, sink);
  EXPECT_FALSE(chain.ok());
}

TEST(SecondaryReader, BrokenChainsAndBadHeaders) {
  struct Case {
    std::string bytes;
    std::string part;
  };
  std::vector<Case> cases = {
      {kHeader + "Body,10,,TRUE,,,\r\nshort\r\n", "truncated"},
      {kHeader + "Body,3,,TRUE,,,\r\nabcdef\r\n", "Length may be wrong"},
      {kHeader + "Body,3,,FALSE,,,\r\nabc\r\n", "Islast=TRUE"},
      {kHeader + "Body,3,,FALSE,,,\r\nabc\r\nnot a header\r\n", "chain broken"},
      {kHeader + "Body,x,,TRUE,,,\r\nabc\r\n", "Length"},
      {kHeader + "Body,-1,,TRUE,,,\r\n\r\n", "Length"},
      {kHeader + "Body,3,,MAYBE,,,\r\nabc\r\n", "TRUE or FALSE"},
      {kHeader + "Memo,3,,TRUE,,,\r\nabc\r\n", "unknown section type"},
      {kHeader + "Body,3,,TRUE,,\r\nabc\r\n", "7 fields"},
      {kHeader + "Attachment,3,,TRUE,A.TXT,-2,\r\nabc\r\n", "Position"},
      {kHeader + "Attachment,3,,TRUE,A.TXT,0,Zip\r\nabc\r\n", "Format"},
      {kHeader + "Body,3,,TRUE,,,\r\nabc", "no line end after"},
      {kHeader + "Body,3,,TRUE,\"x,,,\r\nabc\r\n", "quoted"},
      {kHeader + "Body,99999999999,,TRUE,,,\r\nabc\r\n", "exceeds the limit"},
      {kHeader + std::string(5000, 'B') + "\r\n", "4 KiB"},
  };
  for (const auto& c : cases) {
    DiagnosticSink sink;
    auto chain = Frame(c.bytes, 50, sink);
    ASSERT_FALSE(chain.ok()) << c.part;
    EXPECT_NE(chain.error().ToString().find(c.part), std::string::npos) << chain.error().ToString();
  }
}

TEST(SecondaryReader, WarningsForTolerableQuirks) {
  DiagnosticSink sink;
  std::string bytes = kHeader + "Body,3,x,,,,\r\nabc\r\n";
  auto chain = Frame(bytes, 50, sink);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->sections[0].is_last);
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "T.SEC", 50, "Encoding"));
  EXPECT_TRUE(HasProblem(sink, Severity::kWarning, "T.SEC", 50, "empty Islast"));
}

TEST(SecondaryReader, LenientSeparatorRuns) {
  std::string bytes = kHeader + "Body,3,,FALSE,,,\r\nabc\r\n\r\nBody,1,,TRUE,,,\r\nx\r\n";
  DiagnosticSink strict;
  EXPECT_FALSE(Frame(bytes, 50, strict).ok());
  DiagnosticSink lenient;
  auto chain = Frame(bytes, 50, lenient, true);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(chain->sections.size(), 2u);
  EXPECT_TRUE(HasProblem(lenient, Severity::kWarning, "T.SEC", 71, "line-end bytes"));
}

TEST(SecondaryReader, ChainLimit) {
  std::string bytes = kHeader;
  for (int i = 0; i < 5; ++i)
    bytes += "Body,1,,FALSE,,,\r\nx\r\n";
  bytes += "Body,1,,TRUE,,,\r\nx\r\n";
  MemorySource source(bytes);
  ReaderOptions options;
  options.max_chain_sections = 3;
  DiagnosticSink sink;
  auto chain = ReadChain(source, "T.SEC", 50, "T.PRI:1", options, sink);
  ASSERT_FALSE(chain.ok());
  EXPECT_NE(chain.error().message.find("longer than 3"), std::string::npos);
  options.max_chain_sections = 6;
  EXPECT_TRUE(ReadChain(source, "T.SEC", 50, "T.PRI:1", options, sink).ok());
}

TEST(SecondaryReader, WrongFileHeaderIsReported) {
  MemorySource source("Type,Length,Encoding,Islast,Name,Position\r\n");
  DiagnosticSink sink;
  EXPECT_TRUE(CheckSecondaryFileHeader(source, "T.SEC", sink));
  EXPECT_TRUE(HasProblem(sink, Severity::kError, "T.SEC", 0, "file header line"));
  MemorySource headerless("Body,1,,TRUE,,,\r\nx\r\n");
  EXPECT_FALSE(CheckSecondaryFileHeader(headerless, "T.SEC", sink));
}

}  // namespace
}  // namespace ccm::parser

namespace ccm::parser {
namespace {

TEST(WindowedSource, ServesTheSameBytesAsItsSource) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i)
    bytes += std::to_string(i) + ",";
  auto windowed = WindowedSource(std::make_unique<MemorySource>(bytes), 64);
  for (std::uint64_t offset : {0u, 10u, 60u, 63u, 64u, 100u, 3000u, 3880u, 3889u, 3890u, 5000u}) {
    for (std::size_t size : {1u, 8u, 63u, 64u, 200u}) {
      std::string got(size, '\0');
      auto n = windowed.ReadAt(offset, std::span<char>(got));
      ASSERT_TRUE(n.ok());
      std::string want = offset < bytes.size() ? bytes.substr(offset, size) : std::string();
      EXPECT_EQ(got.substr(0, *n), want) << offset << " " << size;
    }
  }
}

TEST(WindowedSource, FramesAppendixAChainsLikeTheFileItself) {
  std::string bytes = testing::ReadFileBytes(testing::AppendixPath("00000001.SEC"));
  WindowedSource windowed(std::make_unique<MemorySource>(bytes), 32);
  DiagnosticSink sink;
  ReaderOptions options;
  for (std::uint64_t offset : {50u, 123u, 243u}) {
    MemorySource plain(bytes);
    auto a = ReadChain(plain, "S", offset, "P:1", options, sink);
    auto b = ReadChain(windowed, "S", offset, "P:1", options, sink);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->sections, b->sections);
    EXPECT_EQ(a->end, b->end);
  }
}

// Counts the reads that reach the wrapped source and their sizes.
class CountingSource final : public ByteSource {
 public:
  explicit CountingSource(std::string bytes) : inner_(std::move(bytes)) {}
  std::uint64_t size() const override { return inner_.size(); }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override {
    ++reads;
    largest = std::max(largest, buffer.size());
    return inner_.ReadAt(offset, buffer);
  }
  mutable int reads = 0;
  mutable std::size_t largest = 0;

 private:
  MemorySource inner_;
};

TEST(WindowedSource, AnyWindowServesTheSameBytesAsItsSource) {
  std::string bytes;
  for (int i = 0; bytes.size() < 5000; ++i)
    bytes += std::to_string(i * 7919) + ",";
  MemorySource plain(bytes);
  std::uint64_t seed = 12345;
  auto next = [&](std::uint64_t bound) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (seed >> 33) % bound;
  };
  for (std::size_t window : {1u, 2u, 7u, 64u, 1000u, 5000u, 100000u}) {
    WindowedSource windowed(std::make_unique<MemorySource>(bytes), window);
    for (int i = 0; i < 2000; ++i) {
      // Mostly forward, sometimes back, sizes around and beyond the window.
      std::uint64_t offset = next(bytes.size() + 20);
      std::size_t size = 1 + next(i % 3 == 0 ? window * 2 + 3 : 300);
      std::string want(size, '\0'), got(size, '\0');
      auto a = plain.ReadAt(offset, std::span<char>(want));
      auto b = windowed.ReadAt(offset, std::span<char>(got));
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_EQ(*a, *b) << window << " " << offset << " " << size;
      ASSERT_EQ(want.substr(0, *a), got.substr(0, *b)) << window << " " << offset << " " << size;
    }
  }
}

TEST(WindowedSource, OneReadFramesConsecutiveChainsAndTheirData) {
  // Back-to-back one-section chains, as in a set of small messages: framing every chain (header,
  // line-end probe) and reading every body costs one read of the file.
  std::string bytes = kHeader;
  std::vector<std::uint64_t> offsets;
  for (int i = 0; i < 30; ++i) {
    offsets.push_back(bytes.size());
    bytes += "Body,512,,TRUE,,,\r\n" + std::string(512, static_cast<char>('a' + i % 26)) + "\r\n";
  }
  auto counting = std::make_unique<CountingSource>(bytes);
  const CountingSource& inner = *counting;
  WindowedSource windowed(std::move(counting), 64 << 10);
  DiagnosticSink sink;
  ReaderOptions options;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    auto chain = ReadChain(windowed, "S", offsets[i], "P:1", options, sink);
    ASSERT_TRUE(chain.ok()) << chain.error().ToString();
    std::string data;
    ASSERT_TRUE(StreamData(windowed, chain->sections[0], 64 << 10, [&](std::string_view chunk) {
                  data += chunk;
                  return true;
                }).ok());
    EXPECT_EQ(data, std::string(512, static_cast<char>('a' + i % 26)));
  }
  EXPECT_EQ(inner.reads, 1);
  EXPECT_EQ(sink.kept().size(), 0u);
}

TEST(WindowedSource, LargeReadsGoStraightThroughInBoundedSteps) {
  std::string bytes;
  for (int i = 0; bytes.size() < (1 << 20); ++i)
    bytes += std::to_string(i) + ";";
  auto counting = std::make_unique<CountingSource>(bytes);
  const CountingSource& inner = *counting;
  WindowedSource windowed(std::move(counting), 16 << 10);
  // A small read fills the window; a large one starting inside it takes the window's bytes and
  // reads only the rest; later large reads go straight through, never larger than asked.
  std::string small(100, '\0');
  ASSERT_EQ(*windowed.ReadAt(10, std::span<char>(small)), 100u);
  EXPECT_EQ(small, bytes.substr(10, 100));
  EXPECT_EQ(inner.reads, 1);
  std::string streamed;
  std::vector<char> chunk(64 << 10);
  for (std::uint64_t at = 110; at < bytes.size();) {
    auto n = windowed.ReadAt(at, std::span<char>(chunk));
    ASSERT_TRUE(n.ok());
    streamed.append(chunk.data(), *n);
    at += *n;
  }
  EXPECT_EQ(streamed, bytes.substr(110));
  EXPECT_LE(inner.largest, chunk.size());
  EXPECT_EQ(inner.reads,
            1 + static_cast<int>((bytes.size() - 110 + chunk.size() - 1) / chunk.size()));
}

}  // namespace
}  // namespace ccm::parser
