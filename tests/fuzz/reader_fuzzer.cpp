// reader_fuzzer.cpp — libFuzzer entry point for the migration-file reader (parser/).
//
// Each input is a whole file set (fuzz_input.h) served from memory (MemoryDirectory). It goes
// through the reader as `ccmigrate check` and the importer use it: ScanFileSet (strict and
// lenient), then, for a set the scan accepts, every MAILMESSAGE section through
// MailMessageReader and every message chain through ReadMessageChain and StreamData (small
// chunks). Below that, every file also goes through the packing-list reader, the primary reader
// with ReadChain on every pointer, the bare lexer with small limits and comments off (the limit
// paths), and every raw field through every column decoder of field_codec.h and transcoding.
// The contract under test: any bytes give values or diagnostics, never a crash, a hang, an
// out-of-bounds access or undefined behaviour (ASan/UBSan), and positions stay inside the input.
// Invariant violations abort via __builtin_trap so libFuzzer records the input.
//
// Build and run: scripts/fuzz [--seconds N].
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/diagnostics.h"
#include "parser/field_codec.h"
#include "parser/file_set.h"
#include "parser/fix.h"
#include "parser/lexer.h"
#include "parser/packing_list.h"
#include "parser/primary_reader.h"
#include "parser/reader_options.h"
#include "parser/secondary_reader.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace ccm::parser;

void Require(bool condition) {
  if (!condition)
    __builtin_trap();
}

void DecodeEveryWay(const RawRecord& record, TextConverter& text) {
  for (std::size_t i = 0; i < record.size(); ++i) {
    const std::string_view raw = record.raw(i);
    const FieldShape shape = record.shape(i);
    for (bool lenient : {false, true}) {
      if (auto v = Unquote(raw, shape, lenient); v) {
        (void)text.ToUtf8(*v);
        (void)ParseDate(*v);
        (void)ParseBool(*v);
        (void)ParsePriority(*v);
        (void)ParseInteger(*v);
        (void)ParseRecipient(*v);
      }
      (void)DecodeSemicolonList(raw, lenient);
      for (bool multi : {false, true}) {
        (void)DecodeDirectoryValues(raw, shape, multi, !multi, lenient);
      }
    }
    if (auto p = ParsePointer(raw, shape); p) {
      Require(shape == FieldShape::kUnquoted);
      Require(IsValidSecondaryName(p->file));
    }
  }
}

void LexWhole(const ByteSource& source, Lexer lexer) {
  RecordReader reader(source, std::move(lexer), 4096);
  std::uint64_t last_offset = 0;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    const LexResult r = reader.Next();
    if (r == LexResult::kEof)
      return;
    Require(r != LexResult::kNeedMore);
    if (r == LexResult::kRecord) {
      const RawRecord& record = reader.lexer().record();
      Require(record.offset <= record.end_offset);
      Require(record.end_offset <= source.size());
      Require(record.offset >= last_offset);
      last_offset = record.offset;
    }
  }
  Require(false);  // more results than bytes: the reader is not advancing
}

// Frames the chain a pointer names, if the set has that file, and streams its data.
void FollowPointer(const Pointer& pointer, const std::map<std::string, MemorySource>& sources,
                   const ReaderOptions& options, DiagnosticSink& sink) {
  const auto it = sources.find(pointer.file);
  if (it == sources.end())
    return;
  auto chain = ReadChain(it->second, pointer.file, pointer.offset, "fuzz:1", options, sink);
  if (!chain)
    return;
  Require(chain->sections.size() <= options.max_chain_sections);
  std::uint64_t previous_end = chain->begin;
  for (const auto& section : chain->sections) {
    Require(section.header_offset >= previous_end);
    Require(section.data_offset + section.length <= it->second.size());
    previous_end = section.data_offset + section.length;
    std::uint64_t streamed = 0;
    auto r = StreamData(it->second, section, 7, [&](std::string_view chunk) {
      Require(!chunk.empty() && chunk.size() <= 7);
      streamed += chunk.size();
      return true;
    });
    Require(!r.ok() || streamed == section.length);
  }
  Require(chain->end <= it->second.size());
}

void ReadPrimary(const ccm::fuzz::FuzzFile& file, const CodePage& code_page,
                 const std::map<std::string, MemorySource>& sources, const ReaderOptions& options,
                 TextConverter& text) {
  DiagnosticSink sink(options.max_diagnostics);
  MemorySource source(file.bytes);
  PrimaryReader reader(source, file.name, code_page, options, sink);
  for (int guard = 0; guard < 1'000'000; ++guard) {
    switch (reader.Next()) {
      case PrimaryReader::Event::kEnd:
        Require(sink.kept().size() <= options.max_diagnostics);
        return;
      case PrimaryReader::Event::kSection:
        break;
      case PrimaryReader::Event::kRecord: {
        const RawRecord& record = reader.record();
        // "kRecord: one data record with the right field count" (lenient pads missing ones).
        if (!options.lenient)
          Require(record.size() == reader.section().columns.size());
        Require(record.end_offset <= source.size());
        DecodeEveryWay(record, text);
        for (std::size_t i = 0; i < record.size(); ++i) {
          if (auto p = ParsePointer(record.raw(i), record.shape(i)); p) {
            FollowPointer(*p, sources, options, sink);
          }
        }
        break;
      }
    }
  }
  Require(false);  // the reader is not advancing
}

// The set rewritten by the Q194218 fix parses back valid, with the same
// users and messages and no user left without a MAILMESSAGE section. The rewrite is done in
// memory the way WriteFixedSet does it on disk.
void CheckFixRoundTrip(const MemoryDirectory& input, const FileSetScan& scan,
                       const std::string& pkl_name, const ScanOptions& options) {
  const FixPlan plan = PlanFix(scan);
  if (plan.empty())
    return;
  MemoryDirectory fixed;
  for (const auto& file : scan.files) {
    auto source = input.Open(file.disk_name);
    Require(source.ok());
    std::string bytes((*source)->size(), '\0');
    auto got = (*source)->ReadAt(0, std::span<char>(bytes));
    Require(got.ok() && *got == bytes.size());
    if (auto it = plan.appended.find(file.listed_name); it != plan.appended.end()) {
      if (!bytes.empty() && bytes.back() != '\n' && bytes.back() != '\r')
        bytes += "\r\n";
      bytes += it->second;
    }
    fixed.Put(file.disk_name, std::move(bytes));
  }
  auto pkl = input.Open(pkl_name);
  Require(pkl.ok());
  std::string pkl_bytes((*pkl)->size(), '\0');
  Require((*pkl)->ReadAt(0, std::span<char>(pkl_bytes)).ok());
  fixed.Put(pkl_name, pkl_bytes + plan.pkl_suffix);
  if (!plan.new_file.empty())
    fixed.Put(plan.new_file, plan.new_file_text);

  DiagnosticSink sink(options.reader.max_diagnostics);
  auto rescan = ScanFileSet(fixed, pkl_name, options, sink);
  Require(rescan.ok());
  Require(rescan->valid);
  Require(rescan->UsersMissingMailMessage().empty());
  Require(rescan->users.size() == scan.users.size());
  Require(rescan->summary.messages == scan.summary.messages);
  Require(rescan->summary.mailmessage_sections ==
          scan.summary.mailmessage_sections + plan.sections.size());
}

// The set as ccmigrate sees it: scan, then re-read messages and their chains.
void ScanWholeSet(const std::vector<ccm::fuzz::FuzzFile>& files, std::uint64_t input_size,
                  bool lenient) {
  MemoryDirectory directory;
  for (const auto& file : files)
    directory.Put(file.name, file.bytes);
  ScanOptions options;
  options.reader.lenient = lenient;
  options.reader.max_diagnostics = 50;
  options.reader.max_chain_sections = 64;
  DiagnosticSink sink(options.reader.max_diagnostics);
  auto scan = ScanFileSet(directory, files[0].name, options, sink);
  Require(sink.kept().size() <= options.reader.max_diagnostics);
  if (!scan)
    return;
  Require(!scan->valid || sink.errors() == 0);
  Require(scan->summary.bytes <= input_size);
  Require(scan->UsersMissingMailMessage().size() <= scan->users.size());
  if (!scan->valid)
    return;
  if (!lenient)
    CheckFixRoundTrip(directory, *scan, files[0].name, options);

  std::size_t sections = 0;
  for (const auto& section : scan->sections) {
    if (section.kind != SectionKind::kMailMessage || ++sections > 8)
      continue;
    auto reader = MailMessageReader::Open(directory, *scan, section, options.reader, sink);
    if (!reader)
      continue;
    for (int guard = 0;; ++guard) {
      Require(guard < 1'000'000);
      auto message = (*reader)->Next();
      if (!message)
        break;
      auto chain =
          ReadMessageChain(directory, *scan, message->body, "fuzz:1", options.reader, sink);
      // The scan framed every chain already: re-reading one must succeed.
      Require(chain.ok());
      const SetFile* listed = scan->FindFile(chain->file);
      auto source = directory.Open(listed != nullptr ? listed->disk_name : chain->file);
      if (!source)
        continue;
      for (const auto& sec : chain->sections) {
        std::uint64_t streamed = 0;
        auto r = StreamData(**source, sec, 5, [&](std::string_view chunk) {
          streamed += chunk.size();
          return true;
        });
        Require(r.ok() && streamed == sec.length);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto files = ccm::fuzz::SplitFuzzInput(data, size);
  if (files.empty())
    return 0;

  // One converter for the process: iconv_open per input would dominate the run time.
  static auto text = TextConverter::Create(*CodePage::FromNumber(1252));
  Require(text.ok());
  std::map<std::string, MemorySource> sources;
  for (const auto& file : files)
    sources.try_emplace(file.name, file.bytes);

  ScanWholeSet(files, size, false);
  ScanWholeSet(files, size, true);

  // The whole-set scan above ran in both modes; the component pass below runs in one, picked
  // by the input, which halves its cost (each reader zero-fills a 256 KiB buffer).
  {
    const bool lenient = (size & 1) != 0;
    ReaderOptions options;
    options.lenient = lenient;
    options.max_diagnostics = 50;
    options.max_chain_sections = 64;
    DiagnosticSink sink(options.max_diagnostics);
    MemorySource pkl(files[0].bytes);
    auto list = ReadPackingList(pkl, files[0].name, options, sink);
    Require(sink.kept().size() <= options.max_diagnostics);
    CodePage code_page = *CodePage::FromNumber(1252);
    if (list) {
      for (const auto& entry : list->entries)
        Require(IsBareFileName(entry.name));
      code_page = list->code_page;
    }
    for (std::size_t i = 1; i < files.size(); ++i) {
      ReadPrimary(files[i], code_page, sources, options, *text);
    }
  }

  for (const auto& file : files) {
    MemorySource source(file.bytes);
    Lexer small(LexerLimits{256, 64, 8});
    small.set_comments(false);
    LexWhole(source, std::move(small));
  }
  return 0;
}
