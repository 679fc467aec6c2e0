// file_set.cpp — the streaming whole-set scan (see file_set.h).
//
// One pass over the primaries in listed order; pointers are framed as they are met, and each
// chain goes into its secondary file's ChainOverlapIndex (merged intervals, so the overlap check
// costs O(gaps), not O(chains)); an overlap is reported when the second chain is framed. Open
// secondary files are cached in a small bounded map so a set with thousands of per-user files
// never holds thousands of descriptors.
#include "parser/file_set.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "parser/chain_overlap_index.h"
#include "parser/field_codec.h"
#include "parser/source_address.h"

namespace ccm::parser {

namespace {

constexpr std::size_t kOpenSecondaryCache = 16;

class SetScanner {
 public:
  SetScanner(const SetDirectory& directory, const ScanOptions& options, DiagnosticSink& sink)
      : directory_(directory), options_(options), sink_(sink) {}

  Result<FileSetScan, Diagnostic> Run(const std::string& pkl_name);

 private:
  bool ResolveFiles(const std::string& pkl_name);
  void ScanPrimary(std::uint32_t index, const ByteSource& source);
  void OnSection(const SectionInfo& section);
  void OnDirectoryRecord(const DirectoryRecord& record, const SectionInfo& section);
  void ValidatePointer(const Pointer& pointer, std::uint32_t primary, std::uint64_t line,
                       bool count_message_parts);
  const ByteSource* Secondary(std::size_t index);
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
  std::map<std::size_t, std::unique_ptr<ByteSource>> open_;
  std::map<std::size_t, ChainOverlapIndex> chains_;  // by secondary file index
  std::vector<bool> referenced_;
  std::unordered_map<std::string, bool> mail_owners_;
};

bool SetScanner::ResolveFiles(const std::string& pkl_name) {
  auto names = directory_.List();
  if (!names) {
    sink_.Report(
        AtLine(pkl_name, 0, Severity::kError, "cannot list the set directory: " + names.error()));
    return false;
  }
  std::unordered_map<std::string, std::vector<std::string>> by_lower;
  for (const auto& name : *names)
    by_lower[AsciiLower(name)].push_back(name);
  std::unordered_map<std::string, bool> listed;
  listed[AsciiLower(pkl_name)] = true;
  for (const auto& entry : scan_.packing_list.entries) {
    SetFile file;
    file.listed_name = entry.name;
    file.type = entry.type;
    listed[AsciiLower(entry.name)] = true;
    auto it = by_lower.find(AsciiLower(entry.name));
    if (it == by_lower.end()) {
      sink_.Report(AtLine(pkl_name, entry.line, Severity::kError,
                          "listed file \"" + entry.name + "\" is missing from the directory"));
    } else if (it->second.size() > 1) {
      sink_.Report(AtLine(
          pkl_name, entry.line, Severity::kError,
          "listed file \"" + entry.name + "\" matches several files that differ only in case"));
    } else {
      file.disk_name = it->second.front();
      file.found = true;
    }
    if (entry.type == FileType::kSecondary) {
      secondary_index_[AsciiLower(entry.name)] = scan_.files.size();
    }
    scan_.files.push_back(std::move(file));
  }
  std::set<std::string> callers;
  for (const auto& name : options_.caller_files)
    callers.insert(AsciiLower(name));
  for (const auto& name : *names) {
    const std::string lower = AsciiLower(name);
    if (!listed.count(lower) && !callers.count(lower)) {
      sink_.Report(AtLine(name, 0, Severity::kWarning,
                          "file in the set directory is not listed in " + pkl_name + "; ignored"));
    }
  }
  referenced_.assign(scan_.files.size(), false);
  return true;
}

const ByteSource* SetScanner::Secondary(std::size_t index) {
  auto it = open_.find(index);
  if (it != open_.end())
    return it->second.get();
  if (open_.size() >= kOpenSecondaryCache)
    open_.clear();
  auto source = directory_.Open(scan_.files[index].disk_name);
  if (!source)
    return nullptr;  // reported when the file was first opened
  auto windowed = std::make_unique<WindowedSource>(std::move(source).value());
  return open_.emplace(index, std::move(windowed)).first->second.get();
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
  scan_.sections.push_back(section);
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
      } else if (value.size() > 7 && EqualsIgnoreCase(value.substr(0, 7), "CCMAIL:")) {
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

void SetScanner::ValidatePointer(const Pointer& pointer, std::uint32_t primary, std::uint64_t line,
                                 bool count_message_parts) {
  const std::string& primary_name = scan_.files[primary].listed_name;
  auto it = secondary_index_.find(AsciiLower(pointer.file));
  if (it == secondary_index_.end()) {
    sink_.Report(AtLine(primary_name, line, Severity::kError,
                        "pointer to \"" + pointer.file +
                            "\", which the packing list does not list as a secondary file"));
    return;
  }
  referenced_[it->second] = true;
  if (!scan_.files[it->second].found)
    return;  // already reported as missing
  const ByteSource* source = Secondary(it->second);
  if (source == nullptr)
    return;
  auto chain = ReadChain(*source, scan_.files[it->second].listed_name, pointer.offset,
                         Origin(primary, line), options_.reader, sink_);
  if (!chain) {
    sink_.Report(std::move(chain).error());
    return;
  }
  if (auto overlap = chains_[it->second].Insert({chain->begin, chain->end, primary, line}))
    ReportOverlap(it->second, *overlap);
  scan_.summary.secondary_sections += chain->sections.size();
  if (!count_message_parts)
    return;
  for (const auto& section : chain->sections) {
    if (section.type == SecondaryType::kAttachment)
      ++scan_.summary.attachments;
    if (section.type == SecondaryType::kDocument)
      ++scan_.summary.documents;
  }
}

void SetScanner::ScanPrimary(std::uint32_t index, const ByteSource& source) {
  const std::string& name = scan_.files[index].listed_name;
  PrimaryReader reader(source, name, scan_.packing_list.code_page, options_.reader, sink_);
  for (;;) {
    PrimaryReader::Event event = reader.Next();
    if (event == PrimaryReader::Event::kEnd)
      break;
    const SectionInfo& section = reader.section();
    if (event == PrimaryReader::Event::kSection) {
      if (section.kind == SectionKind::kDirectory)
        scan_.files[index].has_directory_section = true;
      OnSection(section);
      continue;
    }
    switch (section.kind) {
      case SectionKind::kDirectory:
        if (auto record = DecodeDirectoryRecord(section, reader.record(), options_.reader, sink_)) {
          ++scan_.sections.back().records;
          OnDirectoryRecord(*record, section);
        }
        break;
      case SectionKind::kPab:
        if (auto entry = DecodePabEntry(section, reader.record(), options_.reader, sink_)) {
          ++scan_.sections.back().records;
          ++(entry->is_dl ? scan_.summary.pab_dls : scan_.summary.pab_entries);
          for (const auto& field : entry->indirect) {
            ValidatePointer(field.pointer, index, entry->line, false);
          }
        }
        break;
      case SectionKind::kMailMessage:
        if (auto message = DecodeMailMessage(section, reader.record(), options_.reader, sink_)) {
          ++scan_.sections.back().records;
          ++scan_.summary.messages;
          ValidatePointer(message->body, index, message->line, true);
          for (const auto& field : message->indirect) {
            ValidatePointer(field.pointer, index, message->line, false);
          }
        }
        break;
    }
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

Result<FileSetScan, Diagnostic> SetScanner::Run(const std::string& pkl_name) {
  std::uint64_t errors_before = sink_.errors();
  scan_.directory = directory_.path();
  if (!IsBareFileName(pkl_name)) {
    return Fail(AtLine(pkl_name, 0, Severity::kError, "packing list must be a bare file name"));
  }
  auto pkl_source = directory_.Open(pkl_name);
  if (!pkl_source)
    return Fail(AtLine(pkl_name, 0, Severity::kError, pkl_source.error()));
  auto pkl = ReadPackingList(**pkl_source, pkl_name, options_.reader, sink_);
  if (!pkl)
    return Fail(std::move(pkl).error());
  scan_.packing_list = std::move(pkl).value();
  scan_.summary.bytes = (*pkl_source)->size();
  if (!ResolveFiles(pkl_name))
    return Fail(sink_.kept().empty() ? Diagnostic{} : sink_.kept().back());

  // Open every listed file once: existence, no symlinks, regular files, sizes.
  for (std::size_t i = 0; i < scan_.files.size(); ++i) {
    SetFile& file = scan_.files[i];
    if (!file.found)
      continue;
    auto source = directory_.Open(file.disk_name);
    if (!source) {
      sink_.Report(
          AtLine(pkl_name, scan_.packing_list.entries[i].line, Severity::kError, source.error()));
      file.found = false;
      continue;
    }
    file.size = (*source)->size();
    scan_.summary.bytes += file.size;
    if (file.type == FileType::kSecondary) {
      CheckSecondaryFileHeader(**source, file.listed_name, sink_);
    }
  }
  if (scan_.summary.bytes > options_.reader.max_set_size) {
    sink_.Report(AtLine(pkl_name, 0, Severity::kError,
                        "set size " + std::to_string(scan_.summary.bytes) +
                            " bytes exceeds the limit of " +
                            std::to_string(options_.reader.max_set_size)));
  } else {
    for (std::uint32_t i = 0; i < scan_.files.size(); ++i) {
      if (scan_.files[i].type != FileType::kPrimary || !scan_.files[i].found)
        continue;
      auto source = directory_.Open(scan_.files[i].disk_name);
      if (!source)
        continue;
      ScanPrimary(i, **source);
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

Result<std::unique_ptr<MailMessageReader>, std::string> MailMessageReader::Open(
    const SetDirectory& directory, const FileSetScan& scan, const SectionInfo& section,
    const ReaderOptions& options, DiagnosticSink& sink) {
  OpenPrimaryFile once;
  return Open(directory, scan, section, options, sink, once);
}

Result<std::unique_ptr<MailMessageReader>, std::string> MailMessageReader::Open(
    const SetDirectory& directory, const FileSetScan& scan, const SectionInfo& section,
    const ReaderOptions& options, DiagnosticSink& sink, OpenPrimaryFile& primary) {
  if (section.kind != SectionKind::kMailMessage) {
    return Fail(section.file + ":" + std::to_string(section.header_line) +
                ": not a MAILMESSAGE section");
  }
  const SetFile* file = scan.FindFile(section.file);
  if (file == nullptr || !file->found)
    return Fail(section.file + ": not a file of this set");
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
    return Fail(section.file + ":" + std::to_string(section.header_line) +
                ": no section header at the recorded offset (file changed?)");
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
    return Fail(AtOffset(file->listed_name, 0, Severity::kError, source.error()));
  return ReadChain(**source, file->listed_name, body.offset, origin, options, sink);
}

}  // namespace ccm::parser
