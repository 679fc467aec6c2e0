// address_translation.cpp — the translation table and the primary-SMTP rule; see the header.
#include "importer/address_translation.h"

#include "ccm/ascii.h"
#include "parser/source_address.h"

namespace ccm::importer {

namespace {

constexpr std::string_view kSmtpPrefix = "smtp:";

bool HasSmtpPrefix(std::string_view value) {
  return value.size() > kSmtpPrefix.size() && StartsWithIgnoreCase(value, kSmtpPrefix);
}

}  // namespace

namespace {

// Position of the last " at " (ASCII case ignored), or npos.
std::size_t FindLastAt(std::string_view text) {
  for (std::size_t i = text.size() >= 4 ? text.size() - 4 + 1 : 0; i-- > 0;) {
    if (EqualsIgnoreCase(text.substr(i, 4), " at "))
      return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string> NativeNameOf(std::string_view source_address) {
  std::string_view rest = parser::StripMigratePrefix(source_address);
  if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos)
    rest.remove_prefix(colon + 1);
  const std::size_t at = FindLastAt(rest);
  if (at == std::string_view::npos || at == 0)
    return std::nullopt;
  return std::string(rest.substr(0, at));
}

bool IsSmtpItem(const MailAddress& item) {
  return EqualsIgnoreCase(item.type, "SMTP");
}

std::optional<std::string> PrimarySmtpAddress(const ldap::Entry& entry) {
  const std::vector<std::string>& proxies = entry.Values("ccmProxyAddress");
  for (const std::string& p : proxies) {
    if (p.rfind("SMTP:", 0) == 0 && p.size() > 5)
      return p.substr(5);
  }
  if (auto mail = entry.First("mail"); mail && !mail->empty())
    return mail;
  for (const std::string& p : proxies) {
    if (HasSmtpPrefix(p))
      return p.substr(kSmtpPrefix.size());
  }
  return std::nullopt;
}

std::optional<DirectoryPerson> PersonOf(const ldap::Entry& entry) {
  auto smtp = PrimarySmtpAddress(entry);
  if (!smtp)
    return std::nullopt;
  DirectoryPerson person;
  person.smtp_address = std::move(*smtp);
  if (auto name = entry.First("displayName"); name && !name->empty()) {
    person.display_name = std::move(*name);
  } else if (auto cn = entry.First("cn")) {
    person.display_name = std::move(*cn);
  }
  return person;
}

void AddressTranslation::AddPerson(std::string_view source_address, DirectoryPerson person) {
  people_.insert_or_assign(parser::NormalizeSourceAddress(source_address), std::move(person));
}

void AddressTranslation::AddDisplayName(std::string_view display_name,
                                        std::string_view source_address) {
  std::string key = parser::NormalizeSourceAddress(display_name);
  if (key.empty() || source_address.empty())
    return;
  auto [it, inserted] = display_names_.try_emplace(std::move(key), source_address);
  if (!inserted && parser::NormalizeSourceAddress(it->second) !=
                       parser::NormalizeSourceAddress(source_address)) {
    it->second.clear();  // two records share the name: it stands for neither
  }
}

std::optional<std::string> AddressTranslation::SourceAddressOf(const MailAddress& item) const {
  if (IsSmtpItem(item))
    return std::nullopt;
  if (!item.type.empty())
    return item.type + ":" + item.address;
  auto it = display_names_.find(parser::NormalizeSourceAddress(item.display_name));
  if (it != display_names_.end())
    return it->second.empty() ? std::nullopt : std::optional<std::string>(it->second);
  if (FindLastAt(item.display_name) != std::string_view::npos)
    return "CCMAIL:" + item.display_name;  // a native address written without its type
  return std::nullopt;
}

const DirectoryPerson* AddressTranslation::Find(std::string_view source_address) const {
  auto it = people_.find(parser::NormalizeSourceAddress(source_address));
  return it == people_.end() ? nullptr : &it->second;
}

AddressForm AddressTranslation::Translate(MailAddress& item) const {
  if (IsSmtpItem(item))
    return AddressForm::kKept;
  std::optional<std::string> source = SourceAddressOf(item);
  if (!source)
    return item.type.empty() && item.display_name.empty() ? AddressForm::kKept
                                                          : AddressForm::kUntranslated;
  const DirectoryPerson* person = Find(*source);
  if (person == nullptr)
    return AddressForm::kUntranslated;
  if (!person->display_name.empty())
    item.display_name = person->display_name;
  item.type = "SMTP";
  item.address = person->smtp_address;
  return AddressForm::kTranslated;
}

}  // namespace ccm::importer
