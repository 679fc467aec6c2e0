// file_set.cpp — the streaming whole-set scan (see file_set.h).
//
// Three steps. (1) The packing list is read, every listed file is resolved in the directory
// listing and stat'ed without following links, on the readers' threads for a large set (sizes and
// the set-size limit come first; no file is opened yet). (2) The primaries are read, on `threads`
// readers when there are several: a reader takes the next primary in listed order, decodes its
// records, frames every pointer's chain in its own small cache of open secondary files, and writes
// what it found as events (diagnostics, sections, records, chains) in the order found. (3) One
// merge applies the events file by file in listed order, one reader at a time on the readers'
// threads (OrderedMerge): it adds users, counts, checks chains against each secondary file's
// ChainOverlapIndex (merged intervals, so the check costs O(gaps), not O(chains)) and reports every
// diagnostic to the caller's sink. Whatever the number of readers, the merge sees the same events
// in the same order, so the diagnostics, users and summary are those of a one-reader scan. A reader
// blocks when too many events wait behind the file being merged, so memory stays bounded whatever
// the set.
//
// Each file is opened once: a primary by its reader, a secondary by the first reader whose
// pointer lands in it (its optional file header is checked then), and a listed secondary no
// pointer reaches at the end. A reader's cache is evicted only when a set's pointers jump
// between more than kOpenSecondaryCache secondaries.
#include "parser/file_set.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>

#include "parser/chain_overlap_index.h"
#include "parser/field_codec.h"
#include "parser/source_address.h"

namespace ccm::parser {

namespace {

constexpr std::size_t kOpenSecondaryCache = 16;
// Chains of small messages lie back to back, so a window holds the headers of dozens: a larger
// one costs fewer reads (each ~0.8 µs here) for the same bytes copied.
constexpr std::size_t kSecondaryWindow = 64 << 10;
constexpr std::size_t kChunkEvents = 1024;      // events a reader hands over at once
constexpr std::size_t kMaxBufferedChunks = 32;  // chunks that may wait for the merge
constexpr std::size_t kMaxReaders = 4;
// Below this many files per thread, starting a thread for the up-front stats costs more than it
// saves.
constexpr std::size_t kFilesPerStatThread = 512;

// What reading a primary file found, in the order found (see the top of the file).
struct SectionEvent {
  SectionInfo section;
};
struct DirectoryRecordEvent {
  DirectoryRecord record;
};
// Records of the current section that decoded, counted since the last such event (a count per
// record would cost an event each).
struct RecordsEvent {
  std::uint64_t messages = 0;
  std::uint64_t pab_entries = 0;
  std::uint64_t pab_dls = 0;
};
// A pointer names this listed secondary file, and no chain was framed there (a ChainEvent
// implies its reference).
struct ReferenceEvent {
  std::size_t secondary = 0;
};
// A reader opened a secondary file (or failed to): what the first opening in merge order says
// is reported, later ones (another reader's, or a reopening after eviction) are not.
struct OpenedEvent {
  std::size_t secondary = 0;
  std::vector<Diagnostic> problems;
};
struct ChainEvent {
  std::size_t secondary = 0;
  IndexedChain chain;
  std::uint64_t sections = 0;
  std::uint64_t attachments = 0;
  std::uint64_t documents = 0;
  bool message_parts = false;  // the chain of a message body (its parts are counted)
};
using ScanEvent = std::variant<Diagnostic, SectionEvent, DirectoryRecordEvent, RecordsEvent,
                               ReferenceEvent, OpenedEvent, ChainEvent>;
using EventChunk = std::vector<ScanEvent>;

// What every reader may read and nobody writes while they run.
struct ScanContext {
  const SetDirectory& directory;
  const ScanOptions& options;
  const std::string& pkl_name;
  const PackingList& packing_list;
  const std::vector<SetFile>& files;
  const std::unordered_map<std::string, std::size_t>& secondary_index;  // lower name -> file
};

// Why an opened file cannot be read as listed, or nothing: its size must be the one stat saw.
std::vector<Diagnostic> OpeningProblems(
    const ScanContext& context, std::size_t index,
    const Result<std::unique_ptr<ByteSource>, FileError>& source) {
  std::vector<Diagnostic> problems;
  const std::uint64_t line = context.packing_list.entries[index].line;
  if (!source) {
    problems.push_back(ForFileError(
        AtLine(context.pkl_name, line, Severity::kError, source.error().message), source.error()));
  } else if ((*source)->size() != context.files[index].size) {
    problems.push_back(AtLine(context.pkl_name, line, Severity::kError,
                              context.files[index].disk_name + ": changed size while being read (" +
                                  std::to_string(context.files[index].size) + " bytes, then " +
                                  std::to_string((*source)->size()) + ")"));
  }
  return problems;
}

// Reads one primary file after another and writes their events (step 2).
class PrimaryFileReader {
 public:
  using Publish = std::function<void(std::size_t file, EventChunk chunk, bool last)>;
  PrimaryFileReader(const ScanContext& context, Publish publish)
      : context_(context), publish_(std::move(publish)) {}

  void Read(std::size_t index);

 private:
  void Add(ScanEvent event);
  void TakeDiagnostics();
  void AddCounts();
  void Flush(bool last);
  void ValidatePointer(const Pointer& pointer, std::uint32_t primary, std::uint64_t line,
                       bool message_parts);
  const ByteSource* Secondary(std::size_t index);

  const ScanContext& context_;
  Publish publish_;
  std::size_t file_ = 0;
  DiagnosticSink local_{std::numeric_limits<std::size_t>::max()};
  EventChunk events_;
  std::map<std::size_t, std::unique_ptr<ByteSource>> open_;  // secondaries, by file index
  static constexpr std::size_t kNotListed = std::numeric_limits<std::size_t>::max();
  std::string last_pointer_file_;            // the last pointer's file name as written
  std::size_t last_secondary_ = kNotListed;  // ... and the listed secondary it resolved to
  RecordsEvent counts_;                      // records not yet handed over
  MailMessagePointers message_;              // reused from record to record
  Chain chain_;                              // reused from pointer to pointer
};

void PrimaryFileReader::TakeDiagnostics() {
  if (local_.kept().empty())
    return;
  for (auto& diagnostic : local_.TakeKept())
    events_.emplace_back(std::move(diagnostic));
}

void PrimaryFileReader::Add(ScanEvent event) {
  TakeDiagnostics();
  events_.push_back(std::move(event));
  if (events_.size() >= kChunkEvents)
    Flush(false);
}

void PrimaryFileReader::AddCounts() {
  if (counts_.messages + counts_.pab_entries + counts_.pab_dls == 0)
    return;
  events_.push_back(counts_);
  counts_ = RecordsEvent{};
}

void PrimaryFileReader::Flush(bool last) {
  AddCounts();
  TakeDiagnostics();
  publish_(file_, std::move(events_), last);
  events_ = EventChunk();
  events_.reserve(kChunkEvents);
}

const ByteSource* PrimaryFileReader::Secondary(std::size_t index) {
  auto it = open_.find(index);
  if (it != open_.end())
    return it->second.get();
  if (open_.size() >= kOpenSecondaryCache)
    open_.clear();
  auto source = context_.directory.Open(context_.files[index].disk_name);
  OpenedEvent opened{index, OpeningProblems(context_, index, source)};
  if (!opened.problems.empty()) {
    Add(std::move(opened));
    return nullptr;
  }
  // The header is read through the window: the file's first chains, which lie right after it,
  // are then framed from the same read.
  auto windowed = std::make_unique<WindowedSource>(std::move(source).value(), kSecondaryWindow);
  CheckSecondaryFileHeader(*windowed, context_.files[index].listed_name, local_);
  for (auto& diagnostic : local_.TakeKept())
    opened.problems.push_back(std::move(diagnostic));
  Add(std::move(opened));
  return open_.emplace(index, std::move(windowed)).first->second.get();
}

void PrimaryFileReader::ValidatePointer(const Pointer& pointer, std::uint32_t primary,
                                        std::uint64_t line, bool message_parts) {
  const std::string& primary_name = context_.files[primary].listed_name;
  if (pointer.file != last_pointer_file_) {  // a file's pointers mostly name one secondary
    auto it = context_.secondary_index.find(AsciiLower(pointer.file));
    last_pointer_file_ = pointer.file;
    last_secondary_ = it == context_.secondary_index.end() ? kNotListed : it->second;
  }
  if (last_secondary_ == kNotListed) {
    local_.Report(AtLine(primary_name, line, Severity::kError,
                         "pointer to \"" + pointer.file +
                             "\", which the packing list does not list as a secondary file"));
    return;
  }
  const std::size_t secondary = last_secondary_;
  // The record's diagnostics go first (Secondary's OpenedEvent takes what the sink holds).
  TakeDiagnostics();
  if (!context_.files[secondary].found) {
    Add(ReferenceEvent{secondary});
    return;  // already reported as missing
  }
  const ByteSource* source = Secondary(secondary);
  if (source == nullptr) {
    Add(ReferenceEvent{secondary});
    return;
  }
  auto framed =
      ReadChain(*source, context_.files[secondary].listed_name, pointer.offset,
                PointerOrigin{primary_name, line}, context_.options.reader, local_, chain_);
  if (!framed) {
    Add(ReferenceEvent{secondary});
    local_.Report(std::move(framed).error());
    return;
  }
  ChainEvent event;
  event.secondary = secondary;
  event.chain = {chain_.begin, chain_.end, primary, line};
  event.sections = chain_.sections.size();
  event.message_parts = message_parts;
  for (const auto& section : chain_.sections) {
    if (section.type == SecondaryType::kAttachment)
      ++event.attachments;
    if (section.type == SecondaryType::kDocument)
      ++event.documents;
  }
  Add(std::move(event));
}

void PrimaryFileReader::Read(std::size_t index) {
  file_ = index;
  const SetFile& file = context_.files[index];
  const auto primary = static_cast<std::uint32_t>(index);
  auto opened = context_.directory.Open(file.disk_name);
  auto problems = OpeningProblems(context_, index, opened);
  if (!problems.empty()) {
    for (auto& problem : problems)
      events_.emplace_back(std::move(problem));
    Flush(true);
    return;
  }
  const ByteSource& source = **opened;
  const ReaderOptions& options = context_.options.reader;
  PrimaryReader reader(source, file.listed_name, context_.packing_list.code_page, options, local_);
  for (;;) {
    PrimaryReader::Event event = reader.Next();
    if (event == PrimaryReader::Event::kEnd)
      break;
    const SectionInfo& section = reader.section();
    if (event == PrimaryReader::Event::kSection) {
      AddCounts();  // they belong to the section before
      Add(SectionEvent{section});
      continue;
    }
    switch (section.kind) {
      case SectionKind::kDirectory:
        if (auto record = DecodeDirectoryRecord(section, reader.record(), options, local_))
          Add(DirectoryRecordEvent{std::move(record).value()});
        break;
      case SectionKind::kPab:
        if (auto entry = DecodePabEntry(section, reader.record(), options, local_)) {
          ++(entry->is_dl ? counts_.pab_dls : counts_.pab_entries);
          for (const auto& field : entry->indirect)
            ValidatePointer(field.pointer, primary, entry->line, false);
        }
        break;
      case SectionKind::kMailMessage:
        if (CheckMailMessage(section, reader.record(), options, local_, message_)) {
          ++counts_.messages;
          ValidatePointer(message_.body, primary, message_.line, true);
          for (const auto& field : message_.indirect)
            ValidatePointer(field.pointer, primary, message_.line, false);
        }
        break;
    }
  }
  Flush(true);
}

// Merges each primary's event chunks in listed order, on the readers' own threads: a reader that
// hands over a chunk merges, unless another reader is merging already, every chunk that is next
// in order (the merging reader takes them all before it lets go, under the lock, so no chunk is
// left behind). A reader ahead of the file being merged waits while kMaxBufferedChunks chunks
// wait; the reader of that file never waits. The file being merged is always being read by a
// reader (readers take files in order) or is complete, so the merge always moves. Merging where
// the chunks are made spares a thread switch per chunk (a dedicated merge thread sleeps and wakes
// for each one, as it merges faster than the readers read).
class OrderedMerge {
 public:
  using Apply = std::function<void(std::size_t position, EventChunk& chunk)>;
  OrderedMerge(std::size_t files, Apply apply)
      : apply_(std::move(apply)), queues_(files), done_(files, false) {}

  void Put(std::size_t file, EventChunk chunk, bool last) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return file == head_ || buffered_ < kMaxBufferedChunks; });
    queues_[file].push_back(std::move(chunk));
    ++buffered_;
    done_[file] = done_[file] || last;
    if (merging_)
      return;  // the merging reader takes it before it lets go
    merging_ = true;
    while (head_ < queues_.size()) {
      if (queues_[head_].empty()) {
        if (!done_[head_])
          break;
        ++head_;
        space_.notify_all();
        continue;
      }
      EventChunk next = std::move(queues_[head_].front());
      queues_[head_].pop_front();
      --buffered_;
      space_.notify_all();
      const std::size_t position = head_;
      lock.unlock();
      apply_(position, next);
      lock.lock();
    }
    merging_ = false;
  }

  /// True once every file's last chunk is merged (after every reader has returned).
  bool Complete() {
    std::lock_guard lock(mutex_);
    return head_ == queues_.size();
  }

 private:
  Apply apply_;
  std::mutex mutex_;
  std::condition_variable space_;
  std::vector<std::deque<EventChunk>> queues_;
  std::vector<bool> done_;
  std::size_t head_ = 0;
  std::size_t buffered_ = 0;
  bool merging_ = false;
};

class SetScanner {
 public:
  SetScanner(const SetDirectory& directory, const ScanOptions& options, DiagnosticSink& sink)
      : directory_(directory), options_(options), sink_(sink) {}

  Result<FileSetScan, Diagnostic> Run(const std::string& pkl_name);

 private:
  bool ResolveFiles(const std::string& pkl_name);
  /// Reader threads for `files` files: ScanOptions::threads, or one per core (at most
  /// kMaxReaders), never more than the files, at least one.
  std::size_t Readers(std::size_t files) const;
  /// Directory::Stat of every found file, by files index.
  std::vector<Result<std::uint64_t, FileError>> StatListedFiles() const;
  void ReadPrimaries(const std::string& pkl_name);
  void Apply(EventChunk& chunk, std::size_t file);
  void OnSection(const SectionInfo& section);
  void OnDirectoryRecord(const DirectoryRecord& record, const SectionInfo& section);
  void OnChain(const ChainEvent& event);
  void OnOpened(OpenedEvent& event);
  User& AddUser(std::string address, UserOrigin origin, const std::string& file, std::uint64_t line,
                bool* created);
  void ReportOverlap(std::size_t secondary, const ChainOverlap& overlap);
  std::string Origin(std::uint32_t primary, std::uint64_t line) const {
    return scan_.files[primary].listed_name + ":" + std::to_string(line);
  }

  const SetDirectory& directory_;
  const ScanOptions& options_;
  DiagnosticSink& sink_;
  FileSetScan scan_;
  std::unordered_map<std::string, std::size_t> user_index_;
  std::unordered_map<std::string, std::size_t> secondary_index_;  // lower name -> files index
  std::map<std::size_t, ChainOverlapIndex> chains_;               // by secondary file index
  std::vector<bool> referenced_;
  std::vector<bool> opened_;  // a reader's opening of the file was merged (reported)
  std::unordered_map<std::string, bool> mail_owners_;
};

bool SetScanner::ResolveFiles(const std::string& pkl_name) {
  auto names = directory_.List();
  if (!names) {
    sink_.Report(ForFileError(AtLine(pkl_name, 0, Severity::kError,
                                     "cannot list the set directory: " + names.error().message),
                              names.error()));
    return false;
  }
  // Every directory name lower-cased once; the packing list's names are looked up by it, and
  // what nothing claims (the packing list, a listed file, a caller's file) is warned about.
  struct NamesInDirectory {
    std::size_t first = 0;  // index of the first name with this spelling, ignoring case
    std::size_t count = 0;
    bool claimed = false;
  };
  std::vector<std::string> lower_names;
  lower_names.reserve(names->size());
  std::unordered_map<std::string_view, NamesInDirectory> by_lower;
  by_lower.reserve(names->size());
  for (std::size_t i = 0; i < names->size(); ++i)
    lower_names.push_back(AsciiLower((*names)[i]));
  for (std::size_t i = 0; i < names->size(); ++i) {
    NamesInDirectory& found =
        by_lower.try_emplace(lower_names[i], NamesInDirectory{i}).first->second;
    ++found.count;
  }
  auto claim = [&](const std::string& lower) -> const NamesInDirectory* {
    auto it = by_lower.find(lower);
    if (it == by_lower.end())
      return nullptr;
    it->second.claimed = true;
    return &it->second;
  };
  claim(AsciiLower(pkl_name));
  scan_.files.reserve(scan_.packing_list.entries.size());
  for (const auto& entry : scan_.packing_list.entries) {
    SetFile file;
    file.listed_name = entry.name;
    file.type = entry.type;
    std::string lower = AsciiLower(entry.name);
    const NamesInDirectory* found = claim(lower);
    if (found == nullptr) {
      sink_.Report(AtLine(pkl_name, entry.line, Severity::kError,
                          "listed file \"" + entry.name + "\" is missing from the directory"));
    } else if (found->count > 1) {
      sink_.Report(AtLine(
          pkl_name, entry.line, Severity::kError,
          "listed file \"" + entry.name + "\" matches several files that differ only in case"));
    } else {
      file.disk_name = (*names)[found->first];
      file.found = true;
    }
    if (entry.type == FileType::kSecondary) {
      secondary_index_[std::move(lower)] = scan_.files.size();
    }
    scan_.files.push_back(std::move(file));
  }
  for (const auto& name : options_.caller_files)
    claim(AsciiLower(name));
  for (std::size_t i = 0; i < names->size(); ++i) {
    if (!by_lower.at(lower_names[i]).claimed) {
      sink_.Report(AtLine((*names)[i], 0, Severity::kWarning,
                          "file in the set directory is not listed in " + pkl_name + "; ignored"));
    }
  }
  referenced_.assign(scan_.files.size(), false);
  return true;
}

User& SetScanner::AddUser(std::string address, UserOrigin origin, const std::string& file,
                          std::uint64_t line, bool* created) {
  std::string key = NormalizeSourceAddress(address);
  auto it = user_index_.find(key);
  if (it != user_index_.end()) {
    *created = false;
    return scan_.users[it->second];
  }
  *created = true;
  if (address.find('"') != std::string::npos) {
    sink_.Report(AtLine(file, line, Severity::kWarning,
                        "source address \"" + address +
                            "\" contains a quote; cc:Mail names with quotes cannot be migrated"));
  }
  User user;
  user.address = std::move(address);
  user.key = key;
  user.origin = origin;
  user.file = file;
  user.line = line;
  user_index_.emplace(std::move(key), scan_.users.size());
  scan_.users.push_back(std::move(user));
  return scan_.users.back();
}

void SetScanner::OnSection(const SectionInfo& section) {
  scan_.sections.push_back(section.Place());
  switch (section.kind) {
    case SectionKind::kDirectory:
      ++scan_.summary.directory_sections;
      break;
    case SectionKind::kPab: {
      ++scan_.summary.pab_sections;
      bool created = false;
      User& user = AddUser(section.owner, UserOrigin::kPabOwner, section.file, section.header_line,
                           &created);
      if (!user.has_pab_section)
        user.pab_file = section.file;
      user.has_pab_section = true;
      break;
    }
    case SectionKind::kMailMessage:
      ++scan_.summary.mailmessage_sections;
      if (section.is_public) {
        ++scan_.summary.public_sections;
      } else {
        mail_owners_[NormalizeSourceAddress(section.owner)] = true;
      }
      break;
  }
}

void SetScanner::OnDirectoryRecord(const DirectoryRecord& record, const SectionInfo& section) {
  ++scan_.summary.directory_records;
  if (record.obj_class != "mailbox")
    return;
  const auto* proxies = record.Find("Secondary-Proxy-Addresses");
  std::vector<std::string> migrate, ccmail;
  if (proxies != nullptr) {
    for (const auto& value : *proxies) {
      if (StripMigratePrefix(value).size() != value.size()) {
        migrate.emplace_back(StripMigratePrefix(value));
      } else if (value.size() > 7 && StartsWithIgnoreCase(value, "CCMAIL:")) {
        ccmail.push_back(value);
      }
    }
  }
  std::string address;
  if (!migrate.empty()) {
    address = migrate.front();
    if (migrate.size() > 1) {
      sink_.Report(AtLine(section.file, record.line, Severity::kWarning,
                          "several MIGRATE: proxies; the first one is the source address",
                          "Secondary-Proxy-Addresses"));
    }
  } else if (!ccmail.empty()) {
    address = ccmail.front();
    sink_.Report(AtLine(section.file, record.line, Severity::kWarning,
                        "mailbox has no MIGRATE: proxy; using its CCMAIL: proxy \"" + address +
                            "\" as the source address",
                        "Secondary-Proxy-Addresses"));
  } else {
    sink_.Report(AtLine(section.file, record.line, Severity::kWarning,
                        "mailbox \"" + record.First("Common-Name") +
                            "\" has no MIGRATE: or CCMAIL: proxy; it can never be matched "
                            "(KB Q182665)",
                        "Secondary-Proxy-Addresses"));
    return;
  }
  bool created = false;
  User& user = AddUser(address, UserOrigin::kDirectory, section.file, record.line, &created);
  if (user.has_directory_record) {
    sink_.Report(AtLine(section.file, record.line, Severity::kWarning,
                        "another mailbox record (" + user.file + ":" + std::to_string(user.line) +
                            ") has the same source address \"" + address +
                            "\"; the importer will report a conflict",
                        "Secondary-Proxy-Addresses"));
    return;
  }
  if (!created && user.origin != UserOrigin::kDirectory) {
    user.file = section.file;  // DIRECTORY details are the better anchor for messages
    user.line = record.line;
  }
  user.has_directory_record = true;
  user.common_name = record.First("Common-Name");
  user.display_name = record.First("Display-Name");
  user.home_server = record.First("Home-Server");
  if (const auto* hide = record.Find("Hide-From-Address-Book"); hide != nullptr && !hide->empty()) {
    user.hide_from_address_book = hide->front() != "0";
  }
}

void SetScanner::ReportOverlap(std::size_t secondary, const ChainOverlap& overlap) {
  const IndexedChain& a = overlap.earlier;
  const IndexedChain& b = overlap.later;
  std::string message;
  if (overlap.partner_known) {
    message = std::string(overlap.same_begin ? "two pointers target the same section"
                                             : "message chains overlap") +
              " (pointers at " + Origin(a.primary, a.line) + " and " + Origin(b.primary, b.line) +
              "); an offset is corrupt";
  } else {
    // The chain hit lies inside a run of back-to-back chains whose pointers are not kept.
    message = "message chains overlap (pointer at " + Origin(b.primary, b.line) +
              " lands inside the back-to-back chains that start with the pointer at " +
              Origin(a.primary, a.line) + "); an offset is corrupt";
  }
  sink_.Report(AtOffset(scan_.files[secondary].listed_name, overlap.offset, Severity::kError,
                        std::move(message)));
}

void SetScanner::OnOpened(OpenedEvent& event) {
  if (opened_[event.secondary])
    return;
  opened_[event.secondary] = true;
  for (auto& problem : event.problems)
    sink_.Report(std::move(problem));
}

void SetScanner::OnChain(const ChainEvent& event) {
  referenced_[event.secondary] = true;
  if (auto overlap = chains_[event.secondary].Insert(event.chain))
    ReportOverlap(event.secondary, *overlap);
  scan_.summary.secondary_sections += event.sections;
  if (!event.message_parts)
    return;
  scan_.summary.attachments += event.attachments;
  scan_.summary.documents += event.documents;
}

void SetScanner::Apply(EventChunk& chunk, std::size_t file) {
  for (ScanEvent& event : chunk) {
    if (auto* diagnostic = std::get_if<Diagnostic>(&event)) {
      sink_.Report(std::move(*diagnostic));
    } else if (auto* section = std::get_if<SectionEvent>(&event)) {
      if (section->section.kind == SectionKind::kDirectory)
        scan_.files[file].has_directory_section = true;
      OnSection(section->section);
    } else if (auto* record = std::get_if<DirectoryRecordEvent>(&event)) {
      ++scan_.sections.back().records;
      OnDirectoryRecord(record->record, scan_.sections.back());
    } else if (auto* counts = std::get_if<RecordsEvent>(&event)) {
      scan_.sections.back().records += counts->messages + counts->pab_entries + counts->pab_dls;
      scan_.summary.messages += counts->messages;
      scan_.summary.pab_entries += counts->pab_entries;
      scan_.summary.pab_dls += counts->pab_dls;
    } else if (auto* reference = std::get_if<ReferenceEvent>(&event)) {
      referenced_[reference->secondary] = true;
    } else if (auto* opened = std::get_if<OpenedEvent>(&event)) {
      OnOpened(*opened);
    } else if (auto* chain = std::get_if<ChainEvent>(&event)) {
      OnChain(*chain);
    }
  }
}

void SetScanner::ReadPrimaries(const std::string& pkl_name) {
  std::vector<std::size_t> primaries;
  for (std::size_t i = 0; i < scan_.files.size(); ++i) {
    if (scan_.files[i].type == FileType::kPrimary && scan_.files[i].found)
      primaries.push_back(i);
  }
  const ScanContext context{directory_,         options_,    pkl_name,
                            scan_.packing_list, scan_.files, secondary_index_};
  const std::size_t readers = Readers(primaries.size());
  if (readers <= 1) {
    // One reader: each chunk is merged as soon as it is written.
    PrimaryFileReader reader(context,
                             [&](std::size_t file, EventChunk chunk, bool) { Apply(chunk, file); });
    for (std::size_t file : primaries)
      reader.Read(file);
    return;
  }
  OrderedMerge merge(primaries.size(), [&](std::size_t position, EventChunk& chunk) {
    Apply(chunk, primaries[position]);
  });
  std::vector<std::size_t> position(scan_.files.size());
  for (std::size_t i = 0; i < primaries.size(); ++i)
    position[primaries[i]] = i;
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < readers; ++t) {
    threads.emplace_back([&] {
      PrimaryFileReader reader(context, [&](std::size_t file, EventChunk chunk, bool last) {
        merge.Put(position[file], std::move(chunk), last);
      });
      for (std::size_t i = next++; i < primaries.size(); i = next++)
        reader.Read(primaries[i]);
    });
  }
  for (auto& thread : threads)
    thread.join();
  assert(merge.Complete());
}

std::size_t SetScanner::Readers(std::size_t files) const {
  std::size_t readers = options_.threads;
  if (readers == 0)
    readers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxReaders);
  return std::max<std::size_t>(std::min(readers, files), 1);
}

// One stat is a path lookup of a few microseconds, and a set has thousands of files: the stats
// are split between the readers' threads (files at i, i + readers, ...), each answer in its
// file's slot, so the caller reports them in listed order.
std::vector<Result<std::uint64_t, FileError>> SetScanner::StatListedFiles() const {
  std::vector<Result<std::uint64_t, FileError>> stats(scan_.files.size(), std::uint64_t{0});
  auto stat_every = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < scan_.files.size(); i += step) {
      if (scan_.files[i].found)
        stats[i] = directory_.Stat(scan_.files[i].disk_name);
    }
  };
  const std::size_t threads = scan_.files.size() < kFilesPerStatThread
                                  ? 1
                                  : Readers(scan_.files.size() / kFilesPerStatThread);
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t)
    helpers.emplace_back(stat_every, t, threads);
  stat_every(0, threads);
  for (auto& helper : helpers)
    helper.join();
  return stats;
}

Result<FileSetScan, Diagnostic> SetScanner::Run(const std::string& pkl_name) {
  std::uint64_t errors_before = sink_.errors();
  scan_.directory = directory_.path();
  if (!IsBareFileName(pkl_name)) {
    return Fail(AtLine(pkl_name, 0, Severity::kError, "packing list must be a bare file name"));
  }
  auto pkl_source = directory_.OpenPackingList(pkl_name);
  if (!pkl_source)
    return Fail(ForFileError(AtLine(pkl_name, 0, Severity::kError, pkl_source.error().message),
                             pkl_source.error()));
  auto pkl = ReadPackingList(**pkl_source, pkl_name, options_.reader, sink_);
  if (!pkl)
    return Fail(std::move(pkl).error());
  scan_.packing_list = std::move(pkl).value();
  scan_.summary.bytes = (*pkl_source)->size();
  pkl_source->reset();
  if (!ResolveFiles(pkl_name))
    return Fail(sink_.kept().empty() ? Diagnostic{} : sink_.kept().back());

  // Every listed file is a regular file reached without a link, and the set is within its size
  // limit, before any file is read. Files are opened later, once each, by whoever reads them.
  auto stats = StatListedFiles();
  for (std::size_t i = 0; i < scan_.files.size(); ++i) {
    SetFile& file = scan_.files[i];
    if (!file.found)
      continue;
    if (!stats[i]) {
      sink_.Report(ForFileError(AtLine(pkl_name, scan_.packing_list.entries[i].line,
                                       Severity::kError, stats[i].error().message),
                                stats[i].error()));
      file.found = false;
      continue;
    }
    file.size = *stats[i];
    scan_.summary.bytes += file.size;
  }
  opened_.assign(scan_.files.size(), false);
  if (scan_.summary.bytes > options_.reader.max_set_size) {
    sink_.Report(AtLine(pkl_name, 0, Severity::kError,
                        "set size " + std::to_string(scan_.summary.bytes) +
                            " bytes exceeds the limit of " +
                            std::to_string(options_.reader.max_set_size)));
  } else {
    ReadPrimaries(pkl_name);
    // Secondary files no reader opened: they must open as listed, and their header is checked.
    const ScanContext context{directory_,         options_,    pkl_name,
                              scan_.packing_list, scan_.files, secondary_index_};
    for (std::size_t i = 0; i < scan_.files.size(); ++i) {
      const SetFile& file = scan_.files[i];
      if (file.type != FileType::kSecondary || !file.found || opened_[i])
        continue;
      auto source = directory_.Open(file.disk_name);
      OpenedEvent opened{i, OpeningProblems(context, i, source)};
      if (opened.problems.empty())
        CheckSecondaryFileHeader(**source, file.listed_name, sink_);
      OnOpened(opened);
    }
  }
  for (std::size_t i = 0; i < scan_.files.size(); ++i) {
    if (scan_.files[i].type == FileType::kSecondary && scan_.files[i].found && !referenced_[i]) {
      sink_.Report(AtLine(pkl_name, scan_.packing_list.entries[i].line, Severity::kWarning,
                          "secondary file \"" + scan_.files[i].listed_name +
                              "\" is listed but no pointer references it"));
    }
  }
  for (const auto& account : options_.accounts) {
    bool created = false;
    AddUser(account.address, UserOrigin::kAccountsFile, options_.accounts_file, account.line,
            &created);
  }
  for (auto& user : scan_.users) {
    user.has_mailmessage_section = mail_owners_.count(user.key) > 0;
    if (!user.has_mailmessage_section) {
      Diagnostic missing = AtLine(user.file, user.line, Severity::kWarning,
                                  "user \"" + user.address +
                                      "\" has no MAILMESSAGE section (KB Q194218); `ccmigrate "
                                      "fix` adds an empty one");
      missing.code = DiagnosticCode::kUserWithoutMailMessageSection;
      sink_.Report(std::move(missing));
    }
  }
  scan_.valid = sink_.errors() == errors_before;
  for (std::size_t i = 0; i < scan_.files.size(); ++i)
    scan_.file_index.emplace(AsciiLower(scan_.files[i].listed_name), i);
  return std::move(scan_);
}

}  // namespace

const char* UserOriginName(UserOrigin origin) {
  switch (origin) {
    case UserOrigin::kDirectory:
      return "directory";
    case UserOrigin::kPabOwner:
      return "pab-owner";
    case UserOrigin::kAccountsFile:
      return "accounts-file";
  }
  return "?";
}

const SetFile* FileSetScan::FindFile(std::string_view name) const {
  if (!file_index.empty()) {
    auto it = file_index.find(AsciiLower(name));
    return it == file_index.end() ? nullptr : &files[it->second];
  }
  for (const auto& file : files) {
    if (EqualsIgnoreCase(file.listed_name, name))
      return &file;
  }
  return nullptr;
}

std::vector<const User*> FileSetScan::UsersMissingMailMessage() const {
  std::vector<const User*> missing;
  for (const auto& user : users) {
    if (!user.has_mailmessage_section)
      missing.push_back(&user);
  }
  return missing;
}

Result<FileSetScan, Diagnostic> ScanFileSet(const SetDirectory& directory,
                                            const std::string& pkl_name, const ScanOptions& options,
                                            DiagnosticSink& sink) {
  SetScanner scanner(directory, options, sink);
  return scanner.Run(pkl_name);
}

Result<std::unique_ptr<MailMessageReader>, FileError> MailMessageReader::Open(
    const SetDirectory& directory, const FileSetScan& scan, const SectionInfo& section,
    const ReaderOptions& options, DiagnosticSink& sink) {
  OpenPrimaryFile once;
  return Open(directory, scan, section, options, sink, once);
}

Result<std::unique_ptr<MailMessageReader>, FileError> MailMessageReader::Open(
    const SetDirectory& directory, const FileSetScan& scan, const SectionInfo& section,
    const ReaderOptions& options, DiagnosticSink& sink, OpenPrimaryFile& primary) {
  if (section.kind != SectionKind::kMailMessage) {
    return Fail(FileError{0, section.file + ":" + std::to_string(section.header_line) +
                                 ": not a MAILMESSAGE section"});
  }
  const SetFile* file = scan.FindFile(section.file);
  if (file == nullptr || !file->found)
    return Fail(FileError{0, section.file + ": not a file of this set"});
  if (primary.source == nullptr || primary.disk_name != file->disk_name) {
    primary = OpenPrimaryFile{};
    auto source = directory.Open(file->disk_name);
    if (!source)
      return Fail(std::move(source).error());
    primary.disk_name = file->disk_name;
    primary.source = std::move(source).value();
  }
  std::unique_ptr<MailMessageReader> reader(new MailMessageReader());
  reader->source_ = primary.source;
  reader->reader_ = std::make_unique<PrimaryReader>(*reader->source_, section.file,
                                                    scan.packing_list.code_page, options, sink);
  reader->reader_->SeekToSection(section);
  reader->options_ = &options;
  reader->sink_ = &sink;
  if (reader->reader_->Next() != PrimaryReader::Event::kSection) {
    return Fail(FileError{0, section.file + ":" + std::to_string(section.header_line) +
                                 ": no section header at the recorded offset (file changed?)"});
  }
  return reader;
}

std::optional<MailMessage> MailMessageReader::Next() {
  for (;;) {
    if (reader_->Next() != PrimaryReader::Event::kRecord)
      return std::nullopt;
    if (auto message =
            DecodeMailMessage(reader_->section(), reader_->record(), *options_, *sink_)) {
      return message;
    }
  }
}

Result<Chain, Diagnostic> ReadMessageChain(const SetDirectory& directory, const FileSetScan& scan,
                                           const Pointer& body, const std::string& origin,
                                           const ReaderOptions& options, DiagnosticSink& sink) {
  const SetFile* file = scan.FindFile(body.file);
  if (file == nullptr || file->type != FileType::kSecondary || !file->found) {
    return Fail(
        AtLine(origin, 0, Severity::kError,
               "pointer to \"" + body.file + "\", which is not a secondary file of the set"));
  }
  auto source = directory.Open(file->disk_name);
  if (!source)
    return Fail(ForFileError(
        AtOffset(file->listed_name, 0, Severity::kError, source.error().message), source.error()));
  return ReadChain(**source, file->listed_name, body.offset, origin, options, sink);
}

}  // namespace ccm::parser
