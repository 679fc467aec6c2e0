// user_files.cpp — see user_files.h. Record shapes follow docs/file-format.md (PAB, MAILMESSAGE);
// the variations (quoted or unquoted folders and file names, `\\` continuation, nested-quote
// lists, MIGRATE: on PAB owners, case variants of keywords) are the ones the reader must accept.
#include "bench/gen/user_files.h"

#include <cstdio>
#include <vector>

#include "bench/gen/content.h"
#include "bench/gen/csv.h"
#include "bench/gen/random.h"

namespace ccm::bench {
namespace {

constexpr std::string_view kCrLf = "\r\n";
constexpr std::string_view kPabHeader =
    "Obj-class,Display-Name,Email-Address,First,Last,Address,City,State,Zip,Country,Title,"
    "Company,\\\\\r\nDepartment,Office,Assistant,Bus-Num,Bus2-Num,Assist-Num,Fax-Num,Home-Num,"
    "Home2-Num,Mobile-Num,\\\\\r\nPager-Num,Note\r\n";
constexpr std::string_view kMailHeader =
    "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,Body\r\n";

std::string FileNumber(std::uint64_t index) {
  char name[16];
  std::snprintf(name, sizeof name, "%08llu", static_cast<unsigned long long>(index + 1));
  return name;
}

std::string Pointer(const std::string& sec_name, std::uint64_t offset) {
  return "#" + sec_name + "(" + std::to_string(offset) + ")";
}

// Writes one secondary section (header, data, separator); returns the header's offset.
struct SectionHeader {
  std::string_view type;
  std::uint64_t length;
  bool is_last;
  std::string name;  // already encoded
  std::string position;
  std::string format;
};

std::uint64_t WriteSectionHeader(OutputFile& sec, Random& random, const SectionHeader& h) {
  const std::uint64_t at = sec.offset();
  std::string line(h.type);
  line += ',' + std::to_string(h.length) + ",,";
  line += h.is_last ? (random.OneIn(20) ? "True" : "TRUE") : "FALSE";
  line += ',' + h.name + ',' + h.position + ',' + h.format;
  line += kCrLf;
  sec.Write(line);
  return at;
}

std::string EncodeFileName(Random& random, const std::string& name) {
  // The writing rule quotes (the name has a '.'); extractors often did not.
  return random.OneIn(3) ? name : QuoteField(name);
}

// A recipient of a message: another user, by native or display name, or a correspondent.
std::string MakeRecipient(Random& random, const SetOptions& options, std::uint64_t self) {
  if (random.OneIn(4)) {
    const auto c = MakeCorrespondent(random.Below(6));
    return c.display_name + (random.OneIn(2) ? " [" : "[") + c.address + "]";
  }
  std::uint64_t other = random.Below(options.users);
  if (other == self && options.users > 1)
    other = (other + 1) % options.users;
  const Person p = MakePerson(other, options.post_office);
  switch (random.Below(3)) {
    case 0:
      return p.native_name;
    case 1:
      return p.native_name + " at " + options.post_office;
    default:
      return p.display_name;
  }
}

std::string MakeRecipientList(Random& random, const SetOptions& options, std::uint64_t self,
                              std::uint64_t count) {
  std::vector<std::string> values;
  for (std::uint64_t i = 0; i < count; ++i)
    values.push_back(MakeRecipient(random, options, self));
  return EncodeSemicolonList(values);
}

void WritePabSection(OutputFile& pri, OutputFile* sec, const std::string& sec_name, Random& random,
                     const SetOptions& options, std::uint64_t index, const Person& person,
                     SetSummary& summary) {
  // The reader strips an optional MIGRATE: prefix on the owner.
  const std::string owner = (index % 5 == 4 ? "migrate:" : "") + person.source_address;
  pri.Write("PAB," + QuoteField(owner) + "\r\n");
  pri.Write(kPabHeader);
  const std::uint64_t entries = random.Between(2, 4);
  std::vector<std::string> members;
  for (std::uint64_t e = 0; e < entries; ++e) {
    const auto c = MakeCorrespondent(index + e);
    std::string note;
    if (sec != nullptr && random.OneIn(3)) {
      const std::string text =
          "Met at the " + options.post_office + " cutover.\r\nPrefers mail, not phone.\r\n";
      const auto at = WriteSectionHeader(*sec, random, {"Other", text.size(), true, "", "", ""});
      sec->Write(text);
      sec->Write(kCrLf);
      ++summary.other_sections;
      note = Pointer(sec_name, at);
    } else if (random.OneIn(2)) {
      note = QuoteField("Customer since 1994, key account.");
    }
    // entry + 23 more columns: First, Last, Address..Company (3 filled), then phones and Note.
    std::string record = "entry," + QuoteField(c.display_name) + "," + QuoteField(c.address);
    record += ",,,\"12 High St., Suite 4\",Springfield,,,,Manager,";
    record += QuoteField("Ellis & Hart, Ltd.") + ",,,,+1 555 0100,,,,,,,,";
    record += note;
    pri.Write(record + "\r\n");
    members.push_back(random.OneIn(2) ? c.display_name : c.address);
  }
  members.push_back(MakePerson((index + 1) % options.users, options.post_office).source_address);
  pri.Write("dl,Cutover Team," + EncodeSemicolonList(members) + std::string(21, ',') + "\r\n");
  ++summary.pab_sections;
}

void WriteMessage(OutputFile& pri, OutputFile& sec, const std::string& sec_name, Random& random,
                  const SetOptions& options, std::uint64_t index, const Person& person,
                  std::uint64_t m, SetSummary& summary) {
  const bool accented = options.code_page == 1252;
  const bool free_document = options.free_documents && m % 7 == 3;
  const bool attachment =
      !free_document && options.attachment_bytes > 0 && m % options.attachment_every == 0;
  std::uint64_t body_at = 0;
  if (free_document) {
    // A free document: an empty body that does not end the chain, then the document.
    body_at = WriteSectionHeader(sec, random, {"Body", 0, false, "", "", ""});
    sec.Write(kCrLf);
    const std::uint64_t size =
        options.attachment_bytes > 0 ? options.attachment_bytes : options.body_bytes;
    const std::string name = EncodeFileName(random, MakeFileName(random, m));
    WriteSectionHeader(sec, random, {"Document", size, true, name, "0", ""});
    WriteBodyText(sec, random, size, accented);
    sec.Write(kCrLf);
    ++summary.documents;
  } else {
    body_at =
        WriteSectionHeader(sec, random, {"Body", options.body_bytes, !attachment, "", "", ""});
    WriteBodyText(sec, random, options.body_bytes, accented);
    sec.Write(kCrLf);
    if (attachment) {
      static constexpr std::string_view kPositions[] = {"0", "-1", ""};
      std::string position(kPositions[random.Below(3)]);
      if (random.OneIn(4))
        position = std::to_string(random.Below(options.body_bytes + 1));
      const std::string name = EncodeFileName(random, MakeFileName(random, m));
      WriteSectionHeader(sec, random,
                         {"Attachment", options.attachment_bytes, true, name, position,
                          random.OneIn(2) ? "" : "None"});
      WriteBinary(sec, random, options.attachment_bytes);
      sec.Write(kCrLf);
      ++summary.attachments;
    }
  }
  ++summary.messages;

  const std::string folder = MakeFolder(random);
  const bool sent = folder == "Message Log";
  const std::string sender = sent ? person.native_name : MakeRecipient(random, options, index);
  const std::string to = sent ? MakeRecipientList(random, options, index, random.Between(1, 3))
                              : (random.OneIn(3) ? person.display_name : person.native_name);
  const std::string cc =
      random.OneIn(3) ? MakeRecipientList(random, options, index, random.Between(1, 2)) : "";
  const std::string bcc = random.OneIn(20) ? MakeRecipientList(random, options, index, 1) : "";
  const auto dates = MakeDates(random);
  static constexpr std::string_view kPriorities[] = {"", "-1", "0", "1", "0"};
  static constexpr std::string_view kBooleans[] = {"TRUE", "FALSE", "", "False"};

  std::string record;
  // Folders with `\` are quoted by the writing rule, but extractors left them bare.
  record += random.OneIn(2) ? folder : QuoteField(folder);
  record += ',' + QuoteField(sender) + ',' + (sent ? to : QuoteField(to)) + ',' + cc + ',' + bcc;
  record += ',' + QuoteField(MakeSubject(random, accented)) + ',';
  if (random.OneIn(5))
    record += "\\\\\r\n";  // continue the logical line
  record += dates.sent + ',' + dates.received + ',';
  record += kPriorities[random.Below(5)];
  record += ',';
  record += sent ? "FALSE" : kBooleans[random.Below(4)];
  record += ',';
  record += sent ? "FALSE" : (random.OneIn(50) ? "TRUE" : "FALSE");
  record += ',' + Pointer(sec_name, body_at) + "\r\n";
  pri.Write(record);
}

Result<void, std::string> CloseCounted(OutputFile& file, SetSummary& summary) {
  const std::uint64_t size = file.offset();
  if (auto r = file.Close(); !r)
    return r;
  ++summary.files;
  summary.bytes += size;
  return {};
}

}  // namespace

UserShape ShapeOfUser(const SetOptions& options, std::uint64_t index) {
  UserShape shape;
  shape.has_mail = options.no_mail_every == 0 || (index + 1) % options.no_mail_every != 0;
  shape.has_pab = options.pab_every != 0 && index % options.pab_every == 0;
  return shape;
}

Result<void, std::string> WriteUserFiles(const SetOptions& options, std::uint64_t index,
                                         const Person& person, OutputFile& packing_list,
                                         SetSummary& summary) {
  const UserShape shape = ShapeOfUser(options, index);
  if (!shape.has_mail)
    summary.users_missing_mailmessage.push_back(person.source_address);
  if (!shape.has_mail && !shape.has_pab)
    return {};

  Random random(options.seed, 2 * index + 1);
  const std::string stem = FileNumber(index);
  const std::string pri_name = stem + ".PRI";
  const std::string sec_name = stem + ".SEC";
  OutputFile pri;
  OutputFile sec;
  // Like the extractor, no secondary file for a user without a single message.
  const bool has_sec = shape.has_mail && options.messages > 0;
  if (auto r = pri.Create(options.out / pri_name); !r)
    return r;
  if (has_sec) {
    if (auto r = sec.Create(options.out / sec_name); !r)
      return r;
    sec.Write("Type,Length,Encoding,Islast,Name,Position,Format\r\n");
  }
  if (shape.has_pab) {
    WritePabSection(pri, has_sec ? &sec : nullptr, sec_name, random, options, index, person,
                    summary);
  }
  if (shape.has_mail) {
    if (shape.has_pab)
      pri.Write(kCrLf);
    pri.Write("MAILMESSAGE," + QuoteField(person.source_address) + "\r\n");
    pri.Write(kMailHeader);
    for (std::uint64_t m = 1; m <= options.messages; ++m) {
      WriteMessage(pri, sec, sec_name, random, options, index, person, m, summary);
    }
    ++summary.mailmessage_sections;
  }
  if (auto r = CloseCounted(pri, summary); !r)
    return r;
  packing_list.Write(pri_name + ",Primary\r\n");
  if (has_sec) {
    if (auto r = CloseCounted(sec, summary); !r)
      return r;
    packing_list.Write(sec_name + ",Secondary\r\n");
  }
  return {};
}

}  // namespace ccm::bench
