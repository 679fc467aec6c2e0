// address_book_message.cpp — PAB section → AddressBook → message with a .vcf; see the header.
#include "importer/address_book_message.h"

#include "ccm/ascii.h"
#include "ccm/hex.h"
#include "importer/message_identity.h"
#include "parser/field_codec.h"
#include "parser/primary_reader.h"
#include "parser/records.h"

namespace ccm::importer {

namespace {

std::string WithoutTrailingLineEnds(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n'))
    text.pop_back();
  return text;
}

std::string Plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string BodyText(const AddressBookCounts& c) {
  return "This message carries your personal address book from cc:Mail: " +
         Plural(c.cards, "contact", "contacts") + " and " +
         Plural(c.groups, "personal distribution list", "personal distribution lists") +
         ",\nin the attached file " + std::string(kAddressBookFileName) +
         " (vCard 4.0).\n\n"
         "To use them, open or save the attachment and import it into your address book\n"
         "(Contacts, Address Book or People: Import, vCard file). The file can be imported\n"
         "again at any time; it stays in this message.\n\n"
         "cc:Mail addresses the directory knows are given as the person's e-mail address.\n"
         "Other cc:Mail addresses are kept in each contact as X-CCMAIL-ADDRESS, which\n"
         "address books keep or ignore; list members without an e-mail address are listed\n"
         "in the list's note.\n";
}

}  // namespace

Result<AddressBook, MailError> ReadAddressBook(SetMessageSource& source,
                                               const parser::SetDirectory& directory,
                                               const parser::FileSetScan& scan,
                                               const parser::SectionInfo& section,
                                               const parser::ReaderOptions& options,
                                               parser::DiagnosticSink& sink,
                                               std::vector<std::string>& warnings) {
  const std::string origin = section.file + ":" + std::to_string(section.header_line);
  if (section.kind != parser::SectionKind::kPab)
    return Fail(MailError{origin + ": not a PAB section"});
  const parser::SetFile* file = scan.FindFile(section.file);
  if (file == nullptr || !file->found)
    return Fail(MailError{section.file + ": not a file of this set"});
  auto opened = directory.Open(file->disk_name);
  if (!opened)
    return Fail(MailError{opened.error().message, opened.error().code});
  parser::PrimaryReader reader(**opened, section.file, scan.packing_list.code_page, options, sink);
  reader.SeekToSection(section);
  if (reader.Next() != parser::PrimaryReader::Event::kSection)
    return Fail(MailError{origin + ": no section header at the recorded offset (file changed?)"});

  AddressBook book;
  book.owner = source.Utf8(section.owner);
  while (reader.Next() == parser::PrimaryReader::Event::kRecord) {
    auto entry = parser::DecodePabEntry(reader.section(), reader.record(), options, sink);
    if (!entry)
      continue;  // reported by validation already
    const std::string record_origin = section.file + ":" + std::to_string(entry->line);
    for (const parser::IndirectField& field : entry->indirect) {
      auto value = source.ReadOther(field.pointer, record_origin, sink);
      if (!value) {
        warnings.push_back(record_origin + ": " + field.column + ": " + value.error().message +
                           "; field left empty");
        continue;
      }
      std::string text = WithoutTrailingLineEnds(std::move(*value));
      const auto& columns = reader.section().columns;
      for (std::size_t i = 0; i < columns.size() && i < entry->fields.size(); ++i) {
        if (!EqualsIgnoreCase(columns[i], field.column))
          continue;
        if (i == 2 && entry->is_dl) {
          auto list = parser::DecodeSemicolonList(text, options.lenient);
          if (!list) {
            warnings.push_back(record_origin + ": " + field.column + ": " + list.error() +
                               "; field left empty");
          } else {
            entry->addresses = std::move(list->values);
          }
        } else {
          entry->fields[i] = text;
          if (i == 1)
            entry->display_name = text;
          if (i == 2)
            entry->addresses = {text};
        }
      }
    }
    AddressBookRecord record;
    record.line = entry->line;
    record.is_dl = entry->is_dl;
    record.display_name = source.Utf8(entry->display_name);
    for (const std::string& a : entry->addresses)
      record.addresses.push_back(source.Utf8(a));
    for (const std::string& f : entry->fields)
      record.fields.push_back(source.Utf8(f));
    book.records.push_back(std::move(record));
  }
  return book;
}

std::string AddressBookIdentity(std::string_view owner_key, const parser::SectionInfo& section,
                                const AddressBook& book) {
  std::string fields;
  for (const AddressBookRecord& r : book.records) {
    fields += std::to_string(r.line) + (r.is_dl ? "D" : "E") + '\x1d';
    for (const std::string& a : r.addresses)
      fields += a + '\x1e';
    fields += '\x1d';
    for (const std::string& f : r.fields)
      fields += f + '\x1e';
    fields += '\x1c';
  }
  auto digest = Sha256(fields);
  return "ccm1-pab:" + std::string(owner_key) + "|" + AsciiLower(section.file) + "@" +
         std::to_string(section.header_offset) + "|" + LowerHex(std::span(digest).first(8));
}

AddressBookMessage MakeAddressBookMessage(const AddressBook& book, std::string identity,
                                          const AddressTranslation& translation) {
  AddressBookMessage out;
  std::string cards = RenderAddressBook(book, translation, out.counts);
  MailMessage& m = out.message;
  m.identity = std::move(identity);
  MailAddress owner = PabAddressItem(book.owner);
  translation.Translate(owner);
  m.sender = owner;
  m.to.push_back(owner);
  m.subject = std::string(kAddressBookSubject);
  m.unread = true;
  MessagePart text;
  text.kind = PartKind::kBody;
  std::string body = BodyText(out.counts);
  text.size = body.size();
  text.content = std::make_unique<StringSource>(std::move(body));
  m.parts.push_back(std::move(text));
  MessagePart vcf;
  vcf.kind = PartKind::kAddressBook;
  vcf.name = std::string(kAddressBookFileName);
  vcf.size = cards.size();
  vcf.content = std::make_unique<StringSource>(std::move(cards));
  m.parts.push_back(std::move(vcf));
  return out;
}

}  // namespace ccm::importer
