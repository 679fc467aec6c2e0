// migrating_user.h — one user the importer resolves against the directory: the planner's input.
//
// The job (and `ccmigrate plan`) builds these with UsersOfSet from a validated FileSetScan: every
// user of the set (DIRECTORY mailbox records, PAB owners, the accounts file) plus every owner
// of a MAILMESSAGE section (PublicMessages excluded) that is not already one of them. Users
// without a MAILMESSAGE section are included: the in-memory Q194218 fix gives them an
// empty one, which the importer treats exactly like a section with records.
//
// Text is taken as the set's bytes (cc:Mail addresses are ASCII in practice); a source address
// with a byte outside 7-bit ASCII is planned as a conflict, never transliterated.
//
// Thread safety: plain values and a pure function.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "parser/file_set.h"

namespace ccm::importer {

/// A user to resolve and, if found, convert or deliver to.
struct MigratingUser {
  /// Original spelling, no MIGRATE: prefix, e.g. "CCMAIL:Quinn, Avery at HQPO".
  std::string source_address;
  /// parser::NormalizeSourceAddress(source_address).
  std::string match_key;
  /// DIRECTORY Home-Server as written; "" or "~Server" (any case) mean [import] default_home.
  std::string home_server;
  /// A DIRECTORY mailbox record exists for the user (enables `create`; reported as a collision when
  /// a custom recipient is found).
  bool has_mailbox_record = false;
  /// From that record, for `create`.
  std::string common_name, display_name, surname, given_name;
  /// Messages in the user's MAILMESSAGE sections (0 for a synthesised one); informational.
  std::size_t message_count = 0;
};

/// The users of a scanned set, in discovery order, MAILMESSAGE owners outside U appended in
/// section order. Deduplicated by match key (the first occurrence wins).
std::vector<MigratingUser> UsersOfSet(const parser::FileSetScan& scan);

/// The MAILMESSAGE sections of a scanned set, as the importer delivers them.
struct MailSections {
  /// Private sections by owner match key (parser::NormalizeSourceAddress), in file order.
  std::map<std::string, std::vector<const parser::SectionInfo*>> by_owner;
  /// PublicMessages sections, in file order.
  std::vector<const parser::SectionInfo*> public_sections;
};
MailSections MailSectionsOf(const parser::FileSetScan& scan);

}  // namespace ccm::importer
