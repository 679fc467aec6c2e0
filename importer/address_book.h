// address_book.h — one personal address book (a PAB section: entries and personal distribution
// lists) and its rendering as vCard 4.0 cards (vcard_writer.h): pure, no I/O.
//
// An `entry` record becomes an individual card:
//   UID          urn:uuid: made from the book's seed and the record's line (stable on reruns)
//   FN           Display-Name;  N  Last;First;;;
//   EMAIL        the SMTP address: an `SMTP:` address as written, or the person a cc:Mail
//                address identifies in the directory (address_translation.h)
//   X-CCMAIL-ADDRESS  every address that is not SMTP, as written (`CCMAIL:Lee, Jordan at HQPO`,
//                `X400:...`, `USER:...`): kept losslessly in an extension property that no
//                importer takes for an e-mail address (RFC 6350 section 6.10: x-name
//                properties are kept or ignored)
//   TEL          Bus-Num, Bus2-Num (TYPE=work,voice), Fax-Num (work,fax), Home-Num, Home2-Num
//                (home,voice), Mobile-Num (cell), Pager-Num (pager), Assist-Num (x-assistant)
//   ADR          TYPE=work: ;Office;Address;City;State;Zip;Country (Office as the extended
//                address: the room or office within the street address)
//   ORG          Company;Department;  TITLE  Title;  RELATED;VALUE=text;TYPE=agent  Assistant
//   NOTE         Note, and the text of an `Other` section a field points to
// A `dl` record becomes a KIND:group card with UID, FN and NOTE and one MEMBER per member:
//   - a member naming an entry or list of the same book (its Display-Name, or its address) is
//     the urn:uuid: of that card;
//   - else a member with an SMTP address, as written or after translation, is a mailto: URI;
//   - else the member is listed, as written, in the group's NOTE ("Members without an e-mail
//     address: ...").
//
// Memory: the book and its text are held whole; a PAB section's records are bounded by the
// reader's record limits (parser/reader_options.h).
//
// Thread safety: pure functions over plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "importer/address_translation.h"

namespace ccm::importer {

/// One record of a PAB section, text converted to UTF-8, pointers resolved.
struct AddressBookRecord {
  std::uint64_t line = 0;
  bool is_dl = false;
  std::string display_name;
  std::vector<std::string> addresses;  ///< entry: its address; dl: its members, as written
  std::vector<std::string> fields;     ///< the 24 PAB columns (parser::PabColumns order)
};

/// One PAB section.
struct AddressBook {
  std::string owner;  ///< the section's owner address, UTF-8
  std::string seed;   ///< stable identity of the section, the base of every card's UID
  std::vector<AddressBookRecord> records;
};

/// What the rendering did, for the report and the message text.
struct AddressBookCounts {
  std::uint64_t cards = 0;           ///< individual cards (entry records)
  std::uint64_t groups = 0;          ///< KIND:group cards (dl records)
  std::uint64_t members_linked = 0;  ///< MEMBER urn:uuid: of a card of the book
  std::uint64_t members_mailto = 0;  ///< MEMBER mailto:
  std::uint64_t members_in_note = 0;
  std::uint64_t addresses_translated = 0;    ///< cc:Mail addresses given an EMAIL
  std::uint64_t addresses_untranslated = 0;  ///< kept only as X-CCMAIL-ADDRESS / in a NOTE
};

/// The book's cards, in record order.
std::string RenderAddressBook(const AddressBook& book, const AddressTranslation& translation,
                              AddressBookCounts& counts);

/// A parsed `TYPE:address` item of a PAB address field (`Name [TYPE:addr]` also accepted).
MailAddress PabAddressItem(std::string_view text);

}  // namespace ccm::importer
