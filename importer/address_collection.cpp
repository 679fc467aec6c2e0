// address_collection.cpp — one pass over primary-file records for their addresses; see the
// header.
#include "importer/address_collection.h"

#include <unordered_set>

#include "importer/address_book.h"
#include "parser/code_page.h"
#include "parser/primary_reader.h"
#include "parser/records.h"
#include "parser/source_address.h"

namespace ccm::importer {

namespace {

class Collector {
 public:
  Collector(parser::TextConverter& converter, const AddressTranslation& names, std::size_t max)
      : converter_(converter), names_(names), max_(max) {}

  void AddRecipient(const parser::Recipient& r) {
    MailAddress item;
    item.display_name = converter_.ToUtf8(r.display_name);
    if (!r.address.empty()) {
      item.type = converter_.ToUtf8(r.address_type);
      item.address = converter_.ToUtf8(r.address_value);
    }
    Add(item);
  }
  void AddPabItem(std::string_view text) { Add(PabAddressItem(converter_.ToUtf8(text))); }

  CollectedAddresses Take() { return std::move(out_); }

 private:
  void Add(const MailAddress& item) {
    std::optional<std::string> source = names_.SourceAddressOf(item);
    if (!source) {
      if (!IsSmtpItem(item) && !item.display_name.empty())
        AddUnidentified(item.display_name);
      return;
    }
    std::string key = parser::NormalizeSourceAddress(*source);
    if (seen_.count(key) > 0 || over_.count(key) > 0)
      return;
    if (out_.addresses.size() >= max_) {
      // Counted once per distinct address, within the same bound again.
      if (over_.size() < max_)
        over_.insert(std::move(key));
      ++out_.not_collected;
      return;
    }
    seen_.insert(std::move(key));
    out_.addresses.push_back(std::move(*source));
  }

  void AddUnidentified(const std::string& name) {
    std::string key = parser::NormalizeSourceAddress(name);
    if (unidentified_.count(key) > 0)
      return;
    if (unidentified_.size() >= max_)
      return;  // distinct names are told apart within the same bound as addresses
    unidentified_.insert(std::move(key));
    if (out_.unidentified.size() < kMaxUnidentifiedNames) {
      out_.unidentified.push_back(name);
    } else {
      ++out_.unidentified_not_kept;
    }
  }

  parser::TextConverter& converter_;
  const AddressTranslation& names_;
  std::size_t max_;
  std::unordered_set<std::string> seen_, over_, unidentified_;
  CollectedAddresses out_;
};

}  // namespace

Result<CollectedAddresses, MailError> CollectAddresses(
    const parser::SetDirectory& directory, const parser::FileSetScan& scan,
    const std::vector<const parser::SectionInfo*>& sections, const parser::ReaderOptions& options,
    const AddressTranslation& names, std::size_t max_addresses) {
  auto converter = parser::TextConverter::Create(scan.packing_list.code_page);
  if (!converter)
    return Fail(MailError{"code page: " + converter.error()});
  Collector collector(*converter, names, max_addresses);
  // Records were validated by the scan; their diagnostics are not repeated.
  parser::DiagnosticSink sink(0);
  parser::OpenPrimaryFile primary;
  for (const parser::SectionInfo* section : sections) {
    if (section->kind == parser::SectionKind::kMailMessage) {
      auto reader =
          parser::MailMessageReader::Open(directory, scan, *section, options, sink, primary);
      if (!reader)
        return Fail(MailError{reader.error().message, reader.error().code});
      while (auto record = (*reader)->Next()) {
        if (record->sender)
          collector.AddRecipient(*record->sender);
        for (const auto* list : {&record->to, &record->cc, &record->bcc}) {
          for (const parser::Recipient& r : *list)
            collector.AddRecipient(r);
        }
      }
      continue;
    }
    if (section->kind != parser::SectionKind::kPab)
      continue;
    const parser::SetFile* file = scan.FindFile(section->file);
    if (file == nullptr || !file->found)
      return Fail(MailError{section->file + ": not a file of this set"});
    if (primary.source == nullptr || primary.disk_name != file->disk_name) {
      auto opened = directory.Open(file->disk_name);
      if (!opened)
        return Fail(MailError{opened.error().message, opened.error().code});
      primary.disk_name = file->disk_name;
      primary.source = std::move(*opened);
    }
    parser::PrimaryReader reader(*primary.source, section->file, scan.packing_list.code_page,
                                 options, sink);
    reader.SeekToSection(*section);
    if (reader.Next() != parser::PrimaryReader::Event::kSection) {
      return Fail(MailError{section->file + ":" + std::to_string(section->header_line) +
                            ": no section header at the recorded offset (file changed?)"});
    }
    collector.AddPabItem(section->owner);
    // A list member that names a record of the same book is that record's card, not an address.
    std::vector<parser::PabEntry> entries;
    std::unordered_set<std::string> book_names;
    while (reader.Next() == parser::PrimaryReader::Event::kRecord) {
      if (auto entry = parser::DecodePabEntry(reader.section(), reader.record(), options, sink)) {
        book_names.insert(parser::NormalizeSourceAddress(entry->display_name));
        entries.push_back(std::move(*entry));
      }
    }
    for (const parser::PabEntry& entry : entries) {
      for (const std::string& a : entry.addresses) {
        if (!entry.is_dl || book_names.count(parser::NormalizeSourceAddress(a)) == 0)
          collector.AddPabItem(a);
      }
    }
  }
  return collector.Take();
}

}  // namespace ccm::importer
