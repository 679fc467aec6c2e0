// address_translation.h — turns the cc:Mail addresses of delivered mail (From, To, Cc, Bcc) and
// of personal address books into the real addresses of the people they name: pure, no I/O.
//
// Which items are translated:
// - `Name [TYPE:addr]` with a TYPE other than SMTP (CCMAIL, X400, ...): the source address
//   `TYPE:addr`.
// - A bare name (cc:Mail writes local recipients without an address) stands for the source
//   address of the set's user it names: the Display-Name of the user's DIRECTORY record
//   (`Avery Quinn`), or the native name in the user's address (`Quinn, Avery` of
//   `CCMAIL:Quinn, Avery at HQPO`); ASCII case and runs of spaces are ignored, and a name two
//   users share stands for neither. A bare name that is a whole native address (`Quinn, Avery
//   at HQPO`) stands for `CCMAIL:` and that address.
// - `Name [SMTP:addr]` is kept as it is, and so is anything else no directory entry answers for.
// A source address "identifies" an entry under user resolution's rules (address_match.h: the
// migrate: proxy, the native proxy or the target, after the same normalisation); the lookups
// are address_lookup.h's. An entry that answers is written as its display name (displayName,
// else cn, else the item's own name) and its primary SMTP address (PrimarySmtpAddress).
//
// The translation never touches a message's identity (set_messages.h): that is computed from
// the record as the set wrote it, so a rerun after the directory changed finds every message
// it delivered before and delivers none twice.
//
// Memory: one entry per looked-up address that the directory answered (its key, a display name
// and an SMTP address, about 200 bytes), at most address_lookup.h's kMaxLookedUpAddresses.
//
// Thread safety: build on one thread; afterwards the const member functions are safe for
// concurrent use (delivery workers share one translation).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "importer/mime_message.h"
#include "ldap/entry.h"

namespace ccm::importer {

/// A person as the directory knows them: what a translated address is written as.
struct DirectoryPerson {
  std::string display_name;  ///< UTF-8; may be empty
  std::string smtp_address;  ///< the primary SMTP address (addr-spec), never empty
  bool operator==(const DirectoryPerson&) const = default;
};

/// The entry's primary SMTP address: its `SMTP:` proxy (upper-case type: the primary), else its
/// `mail` attribute, else its first `smtp:` proxy; nullopt when it has none.
std::optional<std::string> PrimarySmtpAddress(const ldap::Entry& entry);

/// The person an entry stands for: display name (displayName, else cn) and primary SMTP
/// address; nullopt when the entry has no SMTP address.
std::optional<DirectoryPerson> PersonOf(const ldap::Entry& entry);

/// How one address item came out of translation.
enum class AddressForm {
  kKept,          ///< an SMTP address, or an item with no address at all: written as it was
  kTranslated,    ///< rewritten to the person's display name and SMTP address
  kUntranslated,  ///< a cc:Mail address no entry answers for: the lossless form of mime_message.h
};

/// The translation table of one import.
class AddressTranslation {
 public:
  /// `source_address` (any spelling user resolution accepts) identifies `person`.
  void AddPerson(std::string_view source_address, DirectoryPerson person);
  /// A bare `display_name` in a header stands for `source_address` (the set's DIRECTORY
  /// record); a name added twice for different addresses stands for none.
  void AddDisplayName(std::string_view display_name, std::string_view source_address);

  /// The source address an item stands for (what to look up): `TYPE:addr` for a non-SMTP
  /// address, a bare name's (see the file comment); nullopt for SMTP items and unknown names.
  std::optional<std::string> SourceAddressOf(const MailAddress& item) const;
  /// The person `source_address` identifies, if any.
  const DirectoryPerson* Find(std::string_view source_address) const;
  /// Translates `item` in place (see the file comment) and says what happened.
  AddressForm Translate(MailAddress& item) const;

  /// Number of people known.
  std::size_t size() const { return people_.size(); }

 private:
  std::unordered_map<std::string, DirectoryPerson> people_;     // by source-address key
  std::unordered_map<std::string, std::string> display_names_;  // name key -> address ("" = 2+)
};

/// The native name of a source address: `Quinn, Avery` of `CCMAIL:Quinn, Avery at HQPO` (the
/// text between the type and the last " at "); nullopt when it has no " at ".
std::optional<std::string> NativeNameOf(std::string_view source_address);

/// True for an item whose type is SMTP (any case).
bool IsSmtpItem(const MailAddress& item);

}  // namespace ccm::importer
