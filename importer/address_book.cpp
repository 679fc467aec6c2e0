// address_book.cpp — PAB records to vCard 4.0 cards; see address_book.h for the mapping.
#include "importer/address_book.h"

#include <unordered_map>

#include "importer/address_match.h"
#include "importer/vcard_writer.h"
#include "parser/field_codec.h"
#include "parser/source_address.h"

namespace ccm::importer {

namespace {

// PAB column positions (parser::PabColumns order).
enum Column : std::size_t {
  kFirst = 3,
  kLast,
  kAddress,
  kCity,
  kState,
  kZip,
  kCountry,
  kTitle,
  kCompany,
  kDepartment,
  kOffice,
  kAssistant,
  kBusNum,
  kBus2Num,
  kAssistNum,
  kFaxNum,
  kHomeNum,
  kHome2Num,
  kMobileNum,
  kPagerNum,
  kNote,
  kColumnCount
};

std::string Field(const AddressBookRecord& r, std::size_t column) {
  return column < r.fields.size() ? r.fields[column] : std::string();
}

bool AnyOf(const AddressBookRecord& r, std::initializer_list<std::size_t> columns) {
  for (std::size_t c : columns) {
    if (!Field(r, c).empty())
      return true;
  }
  return false;
}

std::string CardUid(const AddressBook& book, const AddressBookRecord& r) {
  return UuidUrnFor(book.seed + "|" + std::to_string(r.line));
}

// The SMTP address an item stands for: its own, or its person's; empty when none.
std::string SmtpOf(MailAddress item, const AddressTranslation& translation, bool& translated) {
  translated = false;
  if (IsSmtpItem(item))
    return item.address;
  if (translation.Translate(item) == AddressForm::kTranslated) {
    translated = true;
    return item.address;
  }
  return {};
}

void WriteEntry(VCardWriter& w, const AddressBook& book, const AddressBookRecord& r,
                const AddressTranslation& translation, AddressBookCounts& counts) {
  w.Begin();
  w.Uri("UID", CardUid(book, r));
  w.Text("FN",
         r.display_name.empty() && !r.addresses.empty() ? r.addresses.front() : r.display_name);
  w.Structured("N", {Field(r, kLast), Field(r, kFirst), "", "", ""});
  for (const std::string& text : r.addresses) {
    if (text.empty())
      continue;
    MailAddress item = PabAddressItem(text);
    bool translated = false;
    std::string smtp = SmtpOf(item, translation, translated);
    if (!smtp.empty())
      w.Text("EMAIL", smtp);
    if (!IsSmtpItem(item)) {
      w.Text("X-CCMAIL-ADDRESS", text);
      ++(translated ? counts.addresses_translated : counts.addresses_untranslated);
    }
  }
  static const std::pair<std::size_t, const char*> kPhones[] = {
      {kBusNum, "work,voice"},  {kBus2Num, "work,voice"},   {kFaxNum, "work,fax"},
      {kHomeNum, "home,voice"}, {kHome2Num, "home,voice"},  {kMobileNum, "cell"},
      {kPagerNum, "pager"},     {kAssistNum, "x-assistant"}};
  for (const auto& [column, type] : kPhones) {
    if (std::string number = Field(r, column); !number.empty())
      w.Text("TEL", number, {{"VALUE", "text"}, {"TYPE", type}});
  }
  if (AnyOf(r, {kOffice, kAddress, kCity, kState, kZip, kCountry})) {
    w.Structured("ADR",
                 {"", Field(r, kOffice), Field(r, kAddress), Field(r, kCity), Field(r, kState),
                  Field(r, kZip), Field(r, kCountry)},
                 {{"TYPE", "work"}});
  }
  if (AnyOf(r, {kCompany, kDepartment})) {
    std::vector<std::string> org{Field(r, kCompany)};
    if (!Field(r, kDepartment).empty())
      org.push_back(Field(r, kDepartment));
    w.Structured("ORG", org);
  }
  if (std::string title = Field(r, kTitle); !title.empty())
    w.Text("TITLE", title);
  if (std::string assistant = Field(r, kAssistant); !assistant.empty())
    w.Text("RELATED", assistant, {{"VALUE", "text"}, {"TYPE", "agent"}});
  if (std::string note = Field(r, kNote); !note.empty())
    w.Text("NOTE", note);
  w.End();
  ++counts.cards;
}

// Cards of the book by display name and by address (normalised like source addresses).
class BookIndex {
 public:
  explicit BookIndex(const AddressBook& book) {
    for (const AddressBookRecord& r : book.records) {
      std::string uid = CardUid(book, r);
      by_name_.try_emplace(parser::NormalizeSourceAddress(r.display_name), uid);
      if (!r.is_dl) {
        for (const std::string& a : r.addresses) {
          if (!a.empty())
            by_address_.try_emplace(parser::NormalizeSourceAddress(a), uid);
        }
      }
    }
  }
  const std::string* Find(std::string_view member) const {
    std::string key = parser::NormalizeSourceAddress(member);
    if (auto it = by_name_.find(key); it != by_name_.end())
      return &it->second;
    if (auto it = by_address_.find(key); it != by_address_.end())
      return &it->second;
    return nullptr;
  }

 private:
  std::unordered_map<std::string, std::string> by_name_, by_address_;
};

void WriteGroup(VCardWriter& w, const AddressBook& book, const BookIndex& index,
                const AddressBookRecord& r, const AddressTranslation& translation,
                AddressBookCounts& counts) {
  w.Begin();
  w.Uri("KIND", "group");
  const std::string own_uid = CardUid(book, r);
  w.Uri("UID", own_uid);
  w.Text("FN", r.display_name);
  std::vector<std::string> in_note;
  for (const std::string& member : r.addresses) {
    if (member.empty())
      continue;
    if (const std::string* uid = index.Find(member); uid != nullptr && *uid != own_uid) {
      w.Uri("MEMBER", *uid);
      ++counts.members_linked;
      continue;
    }
    MailAddress item = PabAddressItem(member);
    bool translated = false;
    if (std::string smtp = SmtpOf(item, translation, translated); !smtp.empty()) {
      w.Uri("MEMBER", MailtoUri(smtp));
      ++counts.members_mailto;
      if (translated)
        ++counts.addresses_translated;
      continue;
    }
    in_note.push_back(member);
    ++counts.members_in_note;
    if (!item.type.empty())
      ++counts.addresses_untranslated;
  }
  std::string note = Field(r, kNote);
  if (!in_note.empty()) {
    if (!note.empty())
      note += "\n";
    note += "Members without an e-mail address:";
    for (const std::string& m : in_note)
      note += "\n" + m;
  }
  if (!note.empty())
    w.Text("NOTE", note);
  w.End();
  ++counts.groups;
}

}  // namespace

MailAddress PabAddressItem(std::string_view text) {
  MailAddress item;
  if (!text.empty() && text.back() == ']' && text.find('[') != std::string_view::npos) {
    parser::Recipient r = parser::ParseRecipient(text);
    item.display_name = r.display_name;
    item.type = r.address_type;
    item.address = r.address_value;
    return item;
  }
  const std::string_view type = TypeOf(text);
  if (type.empty()) {
    item.display_name = std::string(text);
    return item;
  }
  item.type = std::string(type);
  item.address = std::string(WithoutType(text));
  return item;
}

std::string RenderAddressBook(const AddressBook& book, const AddressTranslation& translation,
                              AddressBookCounts& counts) {
  VCardWriter w;
  const BookIndex index(book);
  for (const AddressBookRecord& r : book.records) {
    if (r.is_dl) {
      WriteGroup(w, book, index, r, translation, counts);
    } else {
      WriteEntry(w, book, r, translation, counts);
    }
  }
  return w.text();
}

}  // namespace ccm::importer
