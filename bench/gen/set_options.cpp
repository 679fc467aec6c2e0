// set_options.cpp — see set_options.h.
#include "bench/gen/set_options.h"

#include <charconv>

namespace ccm::bench {
namespace {

Result<std::uint64_t, std::string> Number(const std::string& option, const std::string& text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Fail(option + ": not a non-negative integer: '" + text + "'");
  }
  return value;
}

}  // namespace

std::string SetOptionsUsage() {
  return "usage: ccm-gen-set --out DIR [options]\n"
         "Writes a synthetic cc:Mail migration file set (docs/file-format.md) into DIR.\n"
         "  --out DIR               target directory; must not exist or be empty\n"
         "  --users N               users in the DIRECTORY section (default 10)\n"
         "  --messages M            messages per user with mail (default 10)\n"
         "  --body-bytes B          size of every message body (default 512)\n"
         "  --attachment-bytes B    size of each attachment, 0 = none (default 0)\n"
         "  --attachment-every K    every K-th message has an attachment (default 4)\n"
         "  --no-mail-every K       every K-th user has no MAILMESSAGE section (default 0 = none)\n"
         "  --pab-every K           every K-th user has a PAB section (default 3, 0 = none)\n"
         "  --free-documents        every 7th message is a free document\n"
         "  --code-page CP          declared code page (default 1252; 1252 adds accented text)\n"
         "  --post-office NAME      post office name (default HQPO)\n"
         "  --seed S                content seed (default 1): same options, same bytes\n"
         "  --directory-ldif FILE   also write an LDIF of one custom recipient per user\n"
         "Prints a JSON summary of what was written on stdout, timing on stderr.\n";
}

Result<SetOptions, std::string> ParseSetOptions(const std::vector<std::string>& args) {
  SetOptions o;
  bool have_out = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h")
      return Fail(SetOptionsUsage());
    if (a == "--free-documents") {
      o.free_documents = true;
      continue;
    }
    if (i + 1 >= args.size())
      return Fail(a + ": missing value (or unknown option)");
    const std::string& v = args[++i];
    auto number = [&](std::uint64_t& field) -> Result<void, std::string> {
      auto n = Number(a, v);
      if (!n)
        return Fail(n.error());
      field = *n;
      return {};
    };
    Result<void, std::string> r;
    if (a == "--out") {
      o.out = v;
      have_out = true;
    } else if (a == "--users") {
      r = number(o.users);
    } else if (a == "--messages") {
      r = number(o.messages);
    } else if (a == "--body-bytes") {
      r = number(o.body_bytes);
    } else if (a == "--attachment-bytes") {
      r = number(o.attachment_bytes);
    } else if (a == "--attachment-every") {
      r = number(o.attachment_every);
    } else if (a == "--no-mail-every") {
      r = number(o.no_mail_every);
    } else if (a == "--pab-every") {
      r = number(o.pab_every);
    } else if (a == "--seed") {
      r = number(o.seed);
    } else if (a == "--code-page") {
      std::uint64_t cp = 0;
      r = number(cp);
      if (r && (cp == 0 || cp > 99999 || cp == 1200 || cp == 1201 || cp == 65001)) {
        r = Fail(a + ": not a usable (non-Unicode) Windows code page: " + v);
      }
      o.code_page = static_cast<unsigned>(cp);
    } else if (a == "--post-office") {
      if (v.empty() || v.size() > 8 ||
          v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != std::string::npos) {
        r = Fail(a + ": must be 1-8 upper-case letters or digits: " + v);
      }
      o.post_office = v;
    } else if (a == "--directory-ldif") {
      o.directory_ldif = v;
    } else {
      return Fail("unknown option: " + a);
    }
    if (!r)
      return Fail(r.error());
  }
  if (!have_out)
    return Fail(std::string("--out DIR is required"));
  if (o.users == 0)
    return Fail(std::string("--users: must be at least 1"));
  if (o.users > 99999999)
    return Fail(std::string("--users: at most 99999999 (8-digit file names)"));
  if (o.attachment_bytes > 0 && o.attachment_every == 0) {
    return Fail(std::string("--attachment-every: must be at least 1 with attachments"));
  }
  return o;
}

}  // namespace ccm::bench
