// address_book_message.h — a PAB section as the message that carries it to its owner: read
// from the set (text to UTF-8, `Other` sections resolved), rendered as vCard 4.0
// (address_book.h), and wrapped in a message for the owner's Inbox with the cards attached as
// `text/vcard` (`address-book.vcf`), the way the Exchange Migration Wizard delivered a `.pab`
// file for the user to import.
//
// The message: From and To the owner (their real address after translation), Subject
// "Personal address book from cc:Mail", a short text saying what the attachment holds and how
// to import it, unread. Its identity is
//   "ccm1-pab:" owner-key "|" primary file (lower case) "@" section offset "|" fingerprint
// (fingerprint = 16 hex digits of SHA-256 over the section's records as the set wrote them), so
// a rerun finds the book it delivered and never delivers a second one, even when the directory
// has changed the translated addresses in between.
//
// Reading: a field written as a pointer (Note, or any other column) takes the text of its
// `Other` section (at most 1 MiB, trailing line ends dropped); an Email-Address pointer of a
// `dl` record is decoded as a `;` list. A pointer that cannot be read leaves the field empty
// with a warning naming the record (FILE.PRI:LINE).
//
// Thread safety: as SetMessageSource (externally synchronized; one worker's).
#pragma once

#include <string>
#include <vector>

#include "importer/address_book.h"
#include "importer/set_messages.h"

namespace ccm::importer {

/// A PAB section ready to deliver.
struct AddressBookMessage {
  MailMessage message;  ///< identity, headers, one text part and the .vcf attachment
  AddressBookCounts counts;
  std::string origin;                 ///< "FILE.PRI:LINE" of the section header
  std::vector<std::string> warnings;  ///< each prefixed with the record's FILE.PRI:LINE
};

/// Reads PAB `section` of the validated set behind `source`.
Result<AddressBook, MailError> ReadAddressBook(SetMessageSource& source,
                                               const parser::SetDirectory& directory,
                                               const parser::FileSetScan& scan,
                                               const parser::SectionInfo& section,
                                               const parser::ReaderOptions& options,
                                               parser::DiagnosticSink& sink,
                                               std::vector<std::string>& warnings);

/// The message carrying `book` (see the file comment); `identity` from AddressBookIdentity.
AddressBookMessage MakeAddressBookMessage(const AddressBook& book, std::string identity,
                                          const AddressTranslation& translation);

/// The identity of a PAB section's message (see the file comment).
std::string AddressBookIdentity(std::string_view owner_key, const parser::SectionInfo& section,
                                const AddressBook& book);

/// The subject of every address-book message.
inline constexpr std::string_view kAddressBookSubject = "Personal address book from cc:Mail";
/// The attachment's file name.
inline constexpr std::string_view kAddressBookFileName = "address-book.vcf";

}  // namespace ccm::importer
