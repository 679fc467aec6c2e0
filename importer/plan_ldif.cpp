// plan_ldif.cpp — LDIF rendering of plans and changes. See plan_ldif.h.
#include "importer/plan_ldif.h"

#include "ldap/base64.h"
#include "ldap/ldif_writer.h"
#include "ldap/request.h"

namespace ccm::importer {

std::string CommentText(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      c = '?';
  }
  return out;
}

Result<std::string, std::string> RenderChangeLdif(const DirectoryChange& change) {
  if (change.kind == DirectoryChange::Kind::kAdd)
    return ldap::LdifAddRecord(change.entry);
  std::string record = ldap::LdifModifyRecord(change.dn, change.modifications);
  if (change.assertion) {
    auto control = ldap::AssertionControl(*change.assertion);
    if (!control)
      return Fail("assertion " + change.assertion->str() + ": " + control.error().message());
    // RFC 2849: control lines sit between the dn line and the changetype line.
    const std::string line = "control: " + control->oid + (control->critical ? " true" : " false") +
                             ":: " + ldap::Base64Encode(control->value) + "\n";
    record.insert(record.find('\n') + 1, line);
  }
  return record;
}

Result<std::string, std::string> RenderPlanLdif(const DirectoryPlan& plan) {
  std::string out = "# ccmigrate plan: the directory changes `ccmigrate import` would apply.\n";
  out += "# Apply with: ldapmodify -f THIS_FILE (assertion controls guard every modify)\n";
  for (const UserPlan& u : plan.users) {
    out += "\n# user: " + CommentText(u.user.source_address) + "\n";
    out += "# decision: " + std::string(DecisionName(u.decision));
    if (!u.dn.empty())
      out += " " + CommentText(u.dn);
    out += "\n";
    if (!u.reason.empty())
      out += "# reason: " + CommentText(u.reason) + "\n";
    if (!u.mail_store.empty())
      out += "# mail store: " + CommentText(u.mail_store) + "\n";
    for (const std::string& w : u.warnings)
      out += "# warning: " + CommentText(w) + "\n";
    for (const std::string& n : u.notes)
      out += "# note: " + CommentText(n) + "\n";
    if (u.change) {
      auto record = RenderChangeLdif(u.change->Unpack());
      if (!record)
        return Fail("user " + u.user.source_address + ": " + record.error());
      out += *record;
    }
  }
  out += "\n# summary: " + std::to_string(plan.users.size()) + " users";
  for (Decision d : kDecisions) {
    out += ", " + std::string(DecisionName(d)) + " " + std::to_string(plan.Count(d));
  }
  out += "\n# summary: " + std::to_string(plan.Changes()) + " directory changes, " +
         std::to_string(plan.UsersWithWarnings()) + " users with warnings\n";
  return out;
}

}  // namespace ccm::importer
