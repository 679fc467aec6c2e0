// address_collection.h — the distinct cc:Mail addresses an import's mail and address books
// name, gathered before delivery so that the directory is asked about each one once
// (address_lookup.h), never per message.
//
// One pass over the given sections' records in the primary files (secondary files are not
// read): Sender, To, Cc, Bcc of MAILMESSAGE records and every address and list member of PAB
// records, each mapped to the source address it stands for (AddressTranslation::
// SourceAddressOf: `TYPE:addr`, or the address of the set user a bare name names). A field written
// as a pointer to an `Other` section is not read here: its addresses are looked up only if they
// also appear elsewhere, and otherwise stay in their lossless form (and are counted
// untranslated).
//
// Bound: at most `max_addresses` distinct addresses (by their normalised key); the rest are
// counted in `not_collected` and stay untranslated. Bare names that stand for no address are
// told apart within the same bound. Memory is at most twice `max_addresses` keys and the kept
// addresses.
//
// Thread safety: a function; run on one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "importer/address_translation.h"
#include "importer/content_source.h"
#include "parser/file_set.h"

namespace ccm::importer {

/// What a collection pass found.
struct CollectedAddresses {
  std::vector<std::string> addresses;  ///< distinct, UTF-8, in first-seen order
  std::uint64_t not_collected = 0;     ///< distinct addresses beyond the bound
  /// Bare names that stand for no address (they name no user of the set):
  /// distinct, at most kMaxUnidentifiedNames, for the report.
  std::vector<std::string> unidentified;
  std::uint64_t unidentified_not_kept = 0;  ///< distinct ones beyond that bound
};

/// Unidentified names CollectedAddresses keeps for the report.
inline constexpr std::size_t kMaxUnidentifiedNames = 100;

/// Collects the addresses of `sections` (MAILMESSAGE and PAB sections of a validated set).
Result<CollectedAddresses, MailError> CollectAddresses(
    const parser::SetDirectory& directory, const parser::FileSetScan& scan,
    const std::vector<const parser::SectionInfo*>& sections, const parser::ReaderOptions& options,
    const AddressTranslation& names, std::size_t max_addresses);

}  // namespace ccm::importer
