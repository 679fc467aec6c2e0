// directory_rollback.cpp — inverse modifies from the journal, asserted, newest first. See
// directory_rollback.h.
#include "importer/directory_rollback.h"

#include <optional>

#include "ccm/ascii.h"
#include "importer/directory_planner.h"
#include "ldap/request.h"

namespace ccm::importer {
namespace {

constexpr int kAssertionFailed = 122;
constexpr int kNoSuchObject = 32;

// Runs one asynchronous client operation to completion on `io`.
template <class T, class Start>
Result<T, ldap::Error> RunOne(boost::asio::io_context& io, Start start) {
  std::optional<Result<T, ldap::Error>> outcome;
  start([&outcome](Result<T, ldap::Error> r) { outcome.emplace(std::move(r)); });
  io.restart();
  while (!outcome && io.run_one() > 0) {
  }
  if (!outcome) {
    ldap::Error error;
    error.code = -1;  // LDAP_SERVER_DOWN: transient
    error.diagnostic = "the event loop ran dry";
    return Fail(std::move(error));
  }
  return std::move(*outcome);
}

bool Matches(const ldap::Entry& entry, const JournalRecord& record, bool want_applied) {
  for (const ldap::Modification& m : record.modifications) {
    const bool added = m.kind == ldap::Modification::Kind::kAdd;
    for (const std::string& v : m.values) {
      bool present = false;
      for (const std::string& have : entry.Values(m.attribute)) {
        // The attributes ccmigrate writes compare case-insensitively (objectClass, IA5
        // addresses, the home); ccmMailStore values are lower-case keys.
        if (EqualsIgnoreCase(have, v))
          present = true;
      }
      if (present != (added == want_applied))
        return false;
    }
  }
  return true;
}

}  // namespace

std::string_view RollbackStatusName(RollbackStatus status) {
  switch (status) {
    case RollbackStatus::kRestored:
      return "restored";
    case RollbackStatus::kAlreadyRestored:
      return "already-restored";
    case RollbackStatus::kChangedSince:
      return "changed-since";
    case RollbackStatus::kCreatedKept:
      return "created-kept";
    case RollbackStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::size_t RollbackResult::Count(RollbackStatus status) const {
  std::size_t n = 0;
  for (const auto& e : entries)
    n += e.status == status ? 1U : 0U;
  return n;
}

Result<InverseChange, std::string> InverseOf(const JournalRecord& record) {
  std::vector<ldap::Modification> modifications;
  std::vector<ldap::Filter> ours;
  for (auto it = record.modifications.rbegin(); it != record.modifications.rend(); ++it) {
    const ldap::Modification& m = *it;
    if (m.kind == ldap::Modification::Kind::kReplace || m.values.empty()) {
      return Fail("journal line " + std::to_string(record.line) + ": " + m.attribute +
                  ": only add/delete of explicit values can be inverted exactly");
    }
    const bool added = m.kind == ldap::Modification::Kind::kAdd;
    modifications.push_back(added ? ldap::Modification::Delete(m.attribute, m.values)
                                  : ldap::Modification::Add(m.attribute, m.values));
    for (const std::string& v : m.values) {
      ldap::Filter eq = ldap::Filter::Eq(m.attribute, v);
      ours.push_back(added ? eq : ldap::Filter::Not(eq));
    }
  }
  return InverseChange{std::move(modifications), ldap::Filter::And(std::move(ours))};
}

namespace {

// "ou=People, DC=Example" and "ou=people,dc=example" name the same entry for this check.
std::string DnKey(std::string_view dn) {
  std::string out;
  for (char c : dn) {
    if (c == ' ' && (out.empty() || out.back() == ',' || out.back() == '='))
      continue;
    if (c == ',' || c == '=') {
      while (!out.empty() && out.back() == ' ')
        out.pop_back();
    }
    out += AsciiLower(c);
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

bool IsUnder(std::string_view dn, std::string_view base) {
  const std::string d = DnKey(dn);
  const std::string b = DnKey(base);
  if (b.empty())
    return true;
  if (d == b)
    return true;
  return d.size() > b.size() + 1 && d.compare(d.size() - b.size(), b.size(), b) == 0 &&
         d[d.size() - b.size() - 1] == ',' &&
         (d.size() < b.size() + 2 || d[d.size() - b.size() - 2] != '\\');
}

bool IsManaged(const ldap::Modification& m) {
  for (std::string_view name :
       {"ccmTargetAddress", "ccmMailboxHome", "ccmMailStore", "ccmProxyAddress"}) {
    if (EqualsIgnoreCase(m.attribute, name))
      return true;
  }
  if (!EqualsIgnoreCase(m.attribute, "objectClass"))
    return false;
  for (const std::string& v : m.values) {
    if (!EqualsIgnoreCase(v, "ccmCustomRecipient") && !EqualsIgnoreCase(v, "ccmMailbox"))
      return false;
  }
  return !m.values.empty();
}

}  // namespace

Result<void, std::string> CheckRollbackScope(const std::vector<JournalRecord>& records,
                                             std::string_view base_dn) {
  for (const JournalRecord& record : records) {
    const std::string where = "journal line " + std::to_string(record.line) + ": ";
    if (!IsUnder(record.dn, base_dn))
      return Fail(where + record.dn + " is not under [ldap] base_dn " + std::string(base_dn));
    for (const ldap::Modification& m : record.modifications) {
      if (!IsManaged(m)) {
        return Fail(where + "the change to " + record.dn + " touches " + m.attribute +
                    ", which ccmigrate does not manage");
      }
    }
  }
  return {};
}

Result<RollbackResult, ImportError> Rollback(boost::asio::io_context& io, ldap::Client& client,
                                             const std::vector<JournalRecord>& records) {
  RollbackResult result;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    const JournalRecord& record = *it;
    RollbackEntryResult& out = result.entries.emplace_back();
    out.dn = record.dn;
    out.journal_line = record.line;
    if (record.was_add) {
      out.status = RollbackStatus::kCreatedKept;
      out.message = "created by the import; rollback does not delete entries";
      continue;
    }
    auto inverse = InverseOf(record);
    if (!inverse) {
      out.status = RollbackStatus::kFailed;
      out.message = inverse.error();
      continue;
    }
    auto control = ldap::AssertionControl(inverse->still_ours);
    if (!control) {
      out.status = RollbackStatus::kFailed;
      out.message = control.error().message();
      continue;
    }
    auto modified = RunOne<void>(io, [&](auto done) {
      client.AsyncModify(record.dn, inverse->modifications, {*control}, std::move(done));
    });
    if (modified) {
      out.status = RollbackStatus::kRestored;
      continue;
    }
    const ldap::Error& error = modified.error();
    if (error.transient() || error.code == 49 || error.code == 48) {
      return Fail(ImportErrorFromLdap(error, "rolling back " + record.dn));
    }
    if (error.code == kNoSuchObject) {
      out.status = RollbackStatus::kChangedSince;
      out.message = "the entry no longer exists";
      continue;
    }
    if (error.code != kAssertionFailed) {
      out.status = RollbackStatus::kFailed;
      out.message = error.message();
      continue;
    }
    ldap::SearchRequest read;
    read.base = record.dn;
    read.scope = ldap::Scope::kBase;
    auto current = RunOne<ldap::SearchResult>(
        io, [&](auto done) { client.AsyncSearch(read, std::move(done)); });
    if (!current) {
      if (current.error().transient()) {
        return Fail(ImportErrorFromLdap(current.error(), "reading back " + record.dn));
      }
      out.status = RollbackStatus::kFailed;
      out.message = current.error().message();
      continue;
    }
    if (current->entries.size() == 1 && Matches(current->entries.front(), record, false)) {
      out.status = RollbackStatus::kAlreadyRestored;
      out.message = "the entry already has its prior values";
    } else {
      out.status = RollbackStatus::kChangedSince;
      out.message = "the entry was changed by someone else since the import; not touched";
    }
  }
  return result;
}

}  // namespace ccm::importer
