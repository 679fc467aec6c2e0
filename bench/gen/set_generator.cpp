// set_generator.cpp — see set_generator.h. DIRECTORY records follow docs/file-format.md (migrate
// address in Secondary-Proxy-Addresses, backslash/percent escapes, `~Server`), the LDIF the project
// schema (inetOrgPerson + ccmCustomRecipient, target and proxy `CCMAIL:<Last>, <First> at <PO>`).
#include "bench/gen/set_generator.h"

#include <system_error>
#include <vector>

#include "bench/gen/csv.h"
#include "bench/gen/output_file.h"
#include "bench/gen/people.h"
#include "bench/gen/random.h"
#include "bench/gen/user_files.h"

namespace ccm::bench {
namespace {

constexpr std::string_view kDirectoryHeader =
    "Obj-Class,Mode,Common-Name,Display-Name,Surname,Given-Name,Secondary-Proxy-Addresses,"
    "Home-Server\r\n";

Result<void, std::string> PrepareDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec))
      return Fail(dir.string() + ": not a directory");
    if (!std::filesystem::is_empty(dir, ec))
      return Fail(dir.string() + ": not empty");
    return {};
  }
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Fail(dir.string() + ": cannot create: " + ec.message());
  return {};
}

std::string DirectoryRecord(const SetOptions& options, std::uint64_t index, const Person& p) {
  Random random(options.seed, 2 * index);
  std::vector<std::string> proxies = {"MIGRATE:" + p.source_address};
  if (index % 11 == 10)
    proxies.push_back("SMTP:" + p.smtp_address);
  std::string record = random.OneIn(10) ? "mailbox" : "Mailbox";
  record += random.OneIn(10) ? ",create," : ",Create,";
  record += p.common_name + ',' + QuoteField(p.display_name) + ',' + QuoteField(p.surname) + ',' +
            QuoteField(p.given_name) + ',' + EncodeDirectoryField(proxies) + ',';
  record += index % 13 == 12 ? "MAIL2" : "~Server";
  record += "\r\n";
  return record;
}

// Shaped like conf/examples/directory.ldif: RDN cn = display name (unique, no DN specials),
// uid = Common-Name. Values are ASCII without a leading space, colon or '<': no base64 needed.
std::string LdifEntry(const Person& p) {
  std::string e = "dn: cn=" + p.display_name + ",ou=Recipients,dc=example,dc=test\n";
  e += "objectClass: inetOrgPerson\nobjectClass: ccmCustomRecipient\n";
  e += "cn: " + p.display_name + "\n";
  e += "sn: " + p.surname + "\n";
  e += "givenName: " + p.given_name + "\n";
  e += "displayName: " + p.display_name + "\n";
  e += "uid: " + p.common_name + "\n";
  e += "ccmTargetAddress: " + p.source_address + "\n";
  e += "ccmProxyAddress: " + p.source_address + "\n";
  e += "ccmProxyAddress: SMTP:" + p.smtp_address + "\n\n";
  return e;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

Result<SetSummary, std::string> GenerateSet(const SetOptions& options) {
  if (auto r = PrepareDirectory(options.out); !r)
    return Fail(r.error());
  SetSummary summary;
  summary.users = options.users;

  OutputFile pkl;
  const std::string pkl_name = options.post_office + ".PKL";
  summary.packing_list = options.out / pkl_name;
  if (auto r = pkl.Create(summary.packing_list); !r)
    return Fail(r.error());
  pkl.Write(std::to_string(options.code_page) + "\r\n\r\nFilename,Filetype\r\n");
  pkl.Write("Directory.pri,Primary\r\n");

  OutputFile directory;
  if (auto r = directory.Create(options.out / "Directory.pri"); !r)
    return Fail(r.error());
  OutputFile ldif;
  if (options.directory_ldif) {
    if (auto r = ldif.Create(*options.directory_ldif); !r)
      return Fail(r.error());
  }
  directory.Write("! Extracted from " + options.post_office + " (synthetic, ccm-gen-set seed " +
                  std::to_string(options.seed) + ")\r\nDIRECTORY\r\n");
  directory.Write(kDirectoryHeader);
  for (std::uint64_t i = 0; i < options.users; ++i) {
    const Person p = MakePerson(i, options.post_office);
    directory.Write(DirectoryRecord(options, i, p));
    if (ldif.is_open()) {
      ldif.Write(LdifEntry(p));
      ++summary.ldif_entries;
    }
  }
  summary.directory_sections = 1;
  summary.bytes += directory.offset();
  ++summary.files;
  if (auto r = directory.Close(); !r)
    return Fail(r.error());
  if (ldif.is_open()) {
    summary.ldif_bytes = ldif.offset();
    if (auto r = ldif.Close(); !r)
      return Fail(r.error());
  }

  for (std::uint64_t i = 0; i < options.users; ++i) {
    const Person p = MakePerson(i, options.post_office);
    if (auto r = WriteUserFiles(options, i, p, pkl, summary); !r)
      return Fail(r.error());
  }
  summary.bytes += pkl.offset();
  ++summary.files;
  if (auto r = pkl.Close(); !r)
    return Fail(r.error());
  return summary;
}

std::string SummaryJson(const SetSummary& s) {
  std::string j = "{\"packing_list\":" + JsonString(s.packing_list.string());
  j += ",\"users\":" + std::to_string(s.users);
  j += ",\"users_missing_mailmessage\":[";
  for (std::size_t i = 0; i < s.users_missing_mailmessage.size(); ++i) {
    if (i > 0)
      j += ',';
    j += JsonString(s.users_missing_mailmessage[i]);
  }
  j += "],\"sections\":{\"directory\":" + std::to_string(s.directory_sections);
  j += ",\"pab\":" + std::to_string(s.pab_sections);
  j += ",\"mailmessage\":" + std::to_string(s.mailmessage_sections) + "}";
  j += ",\"messages\":" + std::to_string(s.messages);
  j += ",\"attachments\":" + std::to_string(s.attachments);
  j += ",\"documents\":" + std::to_string(s.documents);
  j += ",\"other_sections\":" + std::to_string(s.other_sections);
  j += ",\"files\":" + std::to_string(s.files);
  j += ",\"bytes\":" + std::to_string(s.bytes);
  j += ",\"ldif_entries\":" + std::to_string(s.ldif_entries);
  j += ",\"ldif_bytes\":" + std::to_string(s.ldif_bytes) + "}";
  return j;
}

}  // namespace ccm::bench
