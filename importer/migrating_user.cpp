// migrating_user.cpp — UsersOfSet and MailSectionsOf. See migrating_user.h.
#include "importer/migrating_user.h"

#include <unordered_set>

#include "parser/source_address.h"

namespace ccm::importer {

std::vector<MigratingUser> UsersOfSet(const parser::FileSetScan& scan) {
  std::vector<MigratingUser> users;
  std::unordered_set<std::string> keys;
  for (const parser::User& u : scan.users) {
    if (!keys.insert(u.key).second)
      continue;
    MigratingUser m;
    m.source_address = u.address;
    m.match_key = u.key;
    m.home_server = u.home_server;
    m.has_mailbox_record = u.has_directory_record;
    m.common_name = u.common_name;
    m.display_name = u.display_name;
    users.push_back(std::move(m));
  }
  for (const parser::SectionInfo& s : scan.sections) {
    if (s.kind != parser::SectionKind::kMailMessage || s.is_public || s.owner.empty())
      continue;
    std::string key = parser::NormalizeSourceAddress(s.owner);
    if (!keys.insert(key).second)
      continue;
    MigratingUser m;
    m.source_address = std::string(parser::StripMigratePrefix(s.owner));
    m.match_key = std::move(key);
    users.push_back(std::move(m));
  }
  return users;
}

MailSections MailSectionsOf(const parser::FileSetScan& scan) {
  MailSections out;
  for (const parser::SectionInfo& s : scan.sections) {
    if (s.kind != parser::SectionKind::kMailMessage)
      continue;
    if (s.is_public) {
      out.public_sections.push_back(&s);
    } else {
      out.by_owner[parser::NormalizeSourceAddress(s.owner)].push_back(&s);
    }
  }
  return out;
}

}  // namespace ccm::importer
