// set_options.h — what a synthetic migration file set should contain (the ccm-gen-set command
// line), and what a generated set turned out to contain.
//
// Inputs: argv of ccm-gen-set. Diagnostics: a usage error names the option. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"

namespace ccm::bench {

/// The generator's parameters; defaults give a small set with every feature but attachments.
struct SetOptions {
  std::filesystem::path out;           ///< --out: must not exist or be empty
  std::uint64_t users = 10;            ///< --users
  std::uint64_t messages = 10;         ///< --messages, per user with mail
  std::uint64_t attachment_bytes = 0;  ///< --attachment-bytes, 0 = no attachments
  std::uint64_t attachment_every = 4;  ///< --attachment-every: every K-th message has one
  std::uint64_t body_bytes = 512;      ///< --body-bytes, size of every body
  std::uint64_t no_mail_every = 0;     ///< --no-mail-every: every K-th user has no mail
  std::uint64_t pab_every = 3;         ///< --pab-every: every K-th user has a PAB (0 = none)
  std::uint64_t seed = 1;              ///< --seed
  bool free_documents = false;         ///< --free-documents: every 7th message is one
  unsigned code_page = 1252;           ///< --code-page
  std::string post_office = "HQPO";    ///< --post-office
  std::optional<std::filesystem::path> directory_ldif;  ///< --directory-ldif FILE
};

/// What was written, counted while writing (the oracle for `ccmigrate check`).
struct SetSummary {
  std::filesystem::path packing_list;
  std::uint64_t users = 0;
  std::vector<std::string> users_missing_mailmessage;  ///< source addresses, in user order
  std::uint64_t directory_sections = 0;
  std::uint64_t pab_sections = 0;
  std::uint64_t mailmessage_sections = 0;
  std::uint64_t messages = 0;     ///< records in MAILMESSAGE sections (free documents included)
  std::uint64_t attachments = 0;  ///< Attachment sections
  std::uint64_t documents = 0;    ///< Document sections (free documents)
  std::uint64_t other_sections = 0;
  std::uint64_t files = 0;  ///< files of the set, packing list included
  std::uint64_t bytes = 0;  ///< bytes of those files
  std::uint64_t ldif_entries = 0;
  std::uint64_t ldif_bytes = 0;
};

/// Parses ccm-gen-set's arguments (argv[0] excluded). "--help" yields an error holding the usage.
Result<SetOptions, std::string> ParseSetOptions(const std::vector<std::string>& args);

/// The usage text.
std::string SetOptionsUsage();

}  // namespace ccm::bench
