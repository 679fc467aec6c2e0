// directory_decision.cpp — DecideUser, the change computation and the plan-wide collision
// checks. See directory_decision.h for the table this implements.
#include "importer/directory_decision.h"

#include <algorithm>
#include <cstdint>

#include "ccm/ascii.h"
#include "ccm/hex.h"
#include "importer/address_match.h"
#include "importer/message_identity.h"
#include "ldap/escape.h"
#include "ldap/filter.h"
#include "ldap/ldif_writer.h"
#include "parser/source_address.h"

namespace ccm::importer {
namespace {

constexpr std::string_view kCustomRecipient = "ccmCustomRecipient";
constexpr std::string_view kMailbox = "ccmMailbox";

bool HasMigrateProxy(const ldap::Entry& entry, const MigratingUser& user) {
  for (const std::string& v : entry.Values("ccmProxyAddress")) {
    if (parser::StripMigratePrefix(v).size() != v.size() &&
        parser::NormalizeSourceAddress(v) == user.match_key) {
      return true;
    }
  }
  return false;
}

// A non-migrate proxy that normalises like `address`.
bool HasNativeProxy(const ldap::Entry& entry, std::string_view address) {
  const std::string key = parser::NormalizeSourceAddress(address);
  for (const std::string& v : entry.Values("ccmProxyAddress")) {
    if (parser::StripMigratePrefix(v).size() == v.size() &&
        parser::NormalizeSourceAddress(v) == key) {
      return true;
    }
  }
  return false;
}

// "CCMAIL:Quinn, Avery at HQPO" → "ccmail:Quinn, Avery at HQPO"; a type-less target gets the
// source address's type (a proxy needs one).
std::string SecondaryProxyFor(std::string_view target, std::string_view source_address) {
  std::string_view type = TypeOf(target);
  std::string_view rest = WithoutType(target);
  if (type.empty())
    type = TypeOf(source_address);
  if (type.empty())
    return std::string(target);
  return AsciiLower(type) + ":" + std::string(rest);
}

std::string MigrateProxyFor(const MigratingUser& user) {
  return "migrate:" + user.source_address;
}

std::string Hex8(std::string_view data) {
  const auto digest = Sha256(data);
  return LowerHex(std::span(digest).first(4));
}

std::string JoinDns(const std::vector<ldap::Entry>& entries) {
  std::string out;
  for (const ldap::Entry& e : entries) {
    if (!out.empty())
      out += "; ";
    out += e.dn;
  }
  return out;
}

// Takes the plan by reference so that a reason built from the plan's own fields is complete
// before anything is moved out of it.
UserPlan Conflict(UserPlan&& plan, std::string reason) {
  plan.decision = Decision::kConflict;
  plan.reason = std::move(reason);
  plan.change.reset();
  plan.mail_store.clear();
  plan.mailbox_home.clear();
  return std::move(plan);
}

UserPlan PlanConvert(UserPlan plan, const ldap::Entry& entry, const PlanOptions& options) {
  const MigratingUser& user = plan.user;
  const auto& targets = entry.Values("ccmTargetAddress");
  if (targets.size() != 1) {
    return Conflict(std::move(plan), "custom recipient " + entry.dn + " has " +
                                         std::to_string(targets.size()) +
                                         " ccmTargetAddress values (expected one)");
  }
  if (!entry.Values("ccmMailboxHome").empty() || !entry.Values("ccmMailStore").empty()) {
    return Conflict(std::move(plan), "custom recipient " + entry.dn +
                                         " already carries mailbox attributes; not guessing");
  }
  const std::string& target = targets.front();
  plan.decision = Decision::kConvert;
  plan.mailbox_home = MailboxHomeFor(user.home_server, options.default_home);
  plan.mail_store = MailStoreKey(entry);
  if (!IsAscii(plan.mailbox_home)) {
    return Conflict(std::move(plan), "Home-Server '" + user.home_server + "' is not ASCII");
  }
  if (plan.mailbox_home.empty()) {
    return Conflict(std::move(plan), "no mailbox home: Home-Server is '" + user.home_server +
                                         "' and [import] default_home is empty");
  }
  plan.reason = "custom recipient becomes a mailbox on " + plan.mailbox_home;
  if (user.has_mailbox_record) {
    plan.notes.push_back("the set's DIRECTORY mailbox record collides with custom recipient " +
                         entry.dn +
                         "; converting it instead of creating a mailbox (KB Q200564, Q234665)");
  }

  std::vector<std::string> proxies;
  if (!HasMigrateProxy(entry, user))
    proxies.push_back(MigrateProxyFor(user));
  if (!HasNativeProxy(entry, target))
    proxies.push_back(SecondaryProxyFor(target, user.source_address));

  using ldap::Modification;
  DirectoryChange change;
  change.kind = DirectoryChange::Kind::kModify;
  change.dn = entry.dn;
  change.modifications.reserve(6);
  change.assertion = ldap::Filter::And({ldap::Filter::Eq("objectClass", kCustomRecipient),
                                        ldap::Filter::Eq("ccmTargetAddress", target)});
  change.modifications.push_back(
      Modification::Delete("objectClass", {std::string(kCustomRecipient)}));
  change.modifications.push_back(Modification::Delete("ccmTargetAddress", {target}));
  change.modifications.push_back(Modification::Add("objectClass", {std::string(kMailbox)}));
  change.modifications.push_back(Modification::Add("ccmMailboxHome", {plan.mailbox_home}));
  change.modifications.push_back(Modification::Add("ccmMailStore", {plan.mail_store}));
  if (!proxies.empty())
    change.modifications.push_back(Modification::Add("ccmProxyAddress", proxies));
  plan.change = PackedChange(change);
  return plan;
}

UserPlan PlanDeliver(UserPlan plan, const ldap::Entry& entry) {
  const MigratingUser& user = plan.user;
  plan.decision = Decision::kDeliver;
  const auto& homes = entry.Values("ccmMailboxHome");
  plan.mailbox_home = homes.empty() ? std::string() : homes.front();
  const auto& stores = entry.Values("ccmMailStore");
  bool add_store = false;
  if (stores.empty()) {
    plan.mail_store = MailStoreKey(entry);
    add_store = true;
  } else if (IsSafeMailStoreKey(stores.front())) {
    plan.mail_store = stores.front();
  } else {
    return Conflict(std::move(plan), "mailbox " + entry.dn + " has ccmMailStore '" +
                                         stores.front() +
                                         "', which is not a safe store key; not delivering");
  }
  plan.reason = "already a mailbox";
  using ldap::Modification;
  DirectoryChange change;
  change.kind = DirectoryChange::Kind::kModify;
  change.dn = entry.dn;
  change.assertion = ldap::Filter::Eq("objectClass", kMailbox);
  if (!HasMigrateProxy(entry, user)) {
    change.modifications.push_back(Modification::Add("ccmProxyAddress", {MigrateProxyFor(user)}));
  }
  if (add_store)
    change.modifications.push_back(Modification::Add("ccmMailStore", {plan.mail_store}));
  if (!change.modifications.empty()) {
    plan.reason += change.modifications.size() == 2 ? "; adding its migrate proxy and store"
                   : add_store                      ? "; adding its store"
                                                    : "; adding its migrate proxy";
    plan.change = PackedChange(change);
  }
  return plan;
}

UserPlan PlanCreate(UserPlan plan, const PlanOptions& options) {
  const MigratingUser& user = plan.user;
  const std::string cn = !user.display_name.empty() ? user.display_name : user.common_name;
  if (cn.empty() || options.create_base_dn.empty()) {
    plan.decision = Decision::kSkipNotFound;
    plan.reason = "not found, and the DIRECTORY record has no name to create an entry with";
    return plan;
  }
  plan.decision = Decision::kCreate;
  plan.dn = ldap::ChildDn("cn", cn, options.create_base_dn);
  plan.mailbox_home = MailboxHomeFor(user.home_server, options.default_home);
  ldap::Entry shape{plan.dn, {}};
  if (!user.common_name.empty())
    shape.Add("uid", user.common_name);
  plan.mail_store = MailStoreKey(shape);
  if (!IsAscii(plan.mailbox_home) || plan.mailbox_home.empty()) {
    return Conflict(std::move(plan), "no usable mailbox home for a new entry");
  }
  plan.reason = "not found; creating a mailbox (create_missing)";
  DirectoryChange change;
  change.kind = DirectoryChange::Kind::kAdd;
  change.dn = plan.dn;
  ldap::Entry& e = change.entry;
  e.dn = plan.dn;
  e.attributes.push_back({"objectClass", {"inetOrgPerson", std::string(kMailbox)}});
  e.Add("cn", cn);
  e.Add("sn", !user.surname.empty() ? user.surname : cn);
  if (!user.given_name.empty())
    e.Add("givenName", user.given_name);
  if (!user.display_name.empty())
    e.Add("displayName", user.display_name);
  if (!user.common_name.empty())
    e.Add("uid", user.common_name);
  e.Add("ccmMailboxHome", plan.mailbox_home);
  e.Add("ccmMailStore", plan.mail_store);
  e.attributes.push_back({"ccmProxyAddress", {MigrateProxyFor(user), user.source_address}});
  plan.change = PackedChange(change);
  return plan;
}

// A user whose address matched exactly one entry: convert, deliver, or a conflict.
UserPlan DecideFound(UserPlan plan, const ldap::Entry& entry, const PlanOptions& options) {
  const bool is_mailbox = entry.HasObjectClass(kMailbox);
  const bool is_custom = entry.HasObjectClass(kCustomRecipient);
  if (is_mailbox && is_custom) {
    return Conflict(std::move(plan), entry.dn + " is both ccmMailbox and ccmCustomRecipient");
  }
  if (!is_mailbox && !is_custom) {
    return Conflict(std::move(plan), entry.dn + " is neither ccmMailbox nor ccmCustomRecipient");
  }
  return is_mailbox ? PlanDeliver(std::move(plan), entry)
                    : PlanConvert(std::move(plan), entry, options);
}

}  // namespace

std::string MailboxHomeFor(std::string_view home_server, std::string_view default_home) {
  const std::string home(Trim(home_server));
  if (home.empty() || EqualsIgnoreCase(home, "~Server"))
    return std::string(default_home);
  return home;
}

std::string MailStoreKey(const ldap::Entry& entry) {
  const auto& uids = entry.Values("uid");
  const std::string name = !uids.empty() ? uids.front() : FirstRdnValue(entry.dn);
  std::string key;
  bool changed = false;
  for (char c : AsciiLower(name)) {
    const bool safe =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!safe)
      changed = true;
    if (key.empty() && c == '.') {
      changed = true;
      continue;
    }
    key.push_back(safe ? c : '_');
  }
  if (key.size() > 64) {
    key.resize(64);
    changed = true;
  }
  if (changed || key.empty())
    key += (key.empty() ? "" : "-") + Hex8(entry.dn);
  return key;
}

bool IsSafeMailStoreKey(std::string_view key) {
  if (key.empty() || key.size() > 80 || key.front() == '.')
    return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::string FirstRdnValue(std::string_view dn) {
  const std::size_t eq = dn.find('=');
  if (eq == std::string_view::npos)
    return {};
  std::string out;
  for (std::size_t i = eq + 1; i < dn.size(); ++i) {
    const char c = dn[i];
    if (c == ',' || c == '+')
      break;
    if (c == '\\' && i + 1 < dn.size()) {
      const auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9')
          return h - '0';
        if (h >= 'a' && h <= 'f')
          return h - 'a' + 10;
        if (h >= 'A' && h <= 'F')
          return h - 'A' + 10;
        return -1;
      };
      if (i + 2 < dn.size() && hex(dn[i + 1]) >= 0 && hex(dn[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hex(dn[i + 1]) * 16 + hex(dn[i + 2])));
        i += 2;
      } else {
        out.push_back(dn[++i]);
      }
      continue;
    }
    out.push_back(c);
  }
  return std::string(Trim(out));
}

UserPlan DecideUser(MigratingUser migrating_user, Resolution resolution,
                    const PlanOptions& options) {
  UserPlan plan;
  plan.user = std::move(migrating_user);
  const MigratingUser& user = plan.user;
  for (const ldap::Entry& miss : resolution.near_misses) {
    plan.warnings.push_back("near miss: " + miss.dn +
                            " carries the other name form of this address; not matched");
  }
  if (!IsAscii(user.source_address)) {
    return Conflict(std::move(plan),
                    "non-ASCII address: the directory's IA5 proxies cannot hold it ([import] "
                    "transliteration is off, or its table does not cover a character)");
  }
  if (resolution.matches.size() > 1) {
    return Conflict(std::move(plan), "several entries match: " + JoinDns(resolution.matches));
  }
  if (!user.transliterated_from.empty() && resolution.matches.empty()) {
    // An ASCII spelling is a guess: finding no one under it is no evidence the user is absent.
    return Conflict(std::move(plan), "non-ASCII address looked up as '" + user.source_address +
                                         "' ([import] transliteration): no entry carries it");
  }
  if (resolution.matches.empty()) {
    if (user.has_mailbox_record && options.create_missing)
      return PlanCreate(std::move(plan), options);
    plan.decision = Decision::kSkipNotFound;
    plan.reason =
        "no mailbox or custom recipient carries this address (the Migration Wizard "
        "fails such a section with events 8074 and 8124)";
    return plan;
  }
  ldap::Entry entry = std::move(resolution.matches.front());
  plan.dn = entry.dn;
  UserPlan decided = DecideFound(std::move(plan), entry, options);
  decided.prior_ldif = ldap::LdifContentRecord(entry);  // the journal's prior state
  return decided;
}

namespace {

// FNV-1a over the ASCII-lower-cased bytes: equal for keys that EqualsIgnoreCase holds equal.
std::uint64_t HashIgnoringCase(std::string_view key) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : key) {
    hash ^= static_cast<unsigned char>(AsciiLower(c));
    hash *= 1099511628211ULL;
  }
  return hash;
}

// The groups of two or more of `users` (indexes into a plan) whose keys are equal ignoring
// case, each in ascending index order, in the order of their first index. Users are sorted by
// the hash of their key, so that the check costs one hash per user and a sort of integers;
// keys are compared only within a run of equal hashes.
template <typename KeyOf>
std::vector<std::vector<std::size_t>> SharedGroups(const std::vector<std::size_t>& users,
                                                   KeyOf key_of) {
  std::vector<std::pair<std::uint64_t, std::size_t>> hashed;
  hashed.reserve(users.size());
  for (std::size_t i : users)
    hashed.emplace_back(HashIgnoringCase(key_of(i)), i);
  std::sort(hashed.begin(), hashed.end());
  std::vector<std::vector<std::size_t>> groups;
  for (auto first = hashed.begin(); first != hashed.end();) {
    auto last = first + 1;
    while (last != hashed.end() && last->first == first->first)
      ++last;
    if (last - first == 1) {  // the usual case: a key no other user has
      first = last;
      continue;
    }
    // Within a run of equal hashes, group by the keys themselves.
    std::vector<bool> taken(static_cast<std::size_t>(last - first), false);
    for (auto a = first; a != last; ++a) {
      if (taken[static_cast<std::size_t>(a - first)])
        continue;
      std::vector<std::size_t> group{a->second};
      for (auto b = a + 1; b != last; ++b) {
        if (!taken[static_cast<std::size_t>(b - first)] &&
            EqualsIgnoreCase(key_of(a->second), key_of(b->second))) {
          taken[static_cast<std::size_t>(b - first)] = true;
          group.push_back(b->second);
        }
      }
      if (group.size() > 1)
        groups.push_back(std::move(group));
    }
    first = last;
  }
  std::sort(groups.begin(), groups.end());
  return groups;
}

}  // namespace

void CheckPlanCollisions(DirectoryPlan& plan) {
  std::vector<std::size_t> placed;  // users whose plan names an entry and a store
  for (std::size_t i = 0; i < plan.users.size(); ++i) {
    const Decision d = plan.users[i].decision;
    if (d != Decision::kConflict && d != Decision::kSkipNotFound)
      placed.push_back(i);
  }
  // Both groupings are taken before any user is marked (a conflict clears its store). DNs
  // compare case-insensitively; store keys are lower case already, so the same comparison fits.
  const auto by_dn =
      SharedGroups(placed, [&](std::size_t i) -> std::string_view { return plan.users[i].dn; });
  const auto by_store = SharedGroups(
      placed, [&](std::size_t i) -> std::string_view { return plan.users[i].mail_store; });
  auto mark = [&](const std::vector<std::size_t>& indexes, const std::string& what) {
    std::size_t open = 0;
    for (std::size_t i : indexes)
      open += plan.users[i].decision != Decision::kConflict ? 1U : 0U;
    if (open < 2)
      return;
    std::string names;
    for (std::size_t i : indexes) {
      if (!names.empty())
        names += "; ";
      names += plan.users[i].user.source_address;
    }
    for (std::size_t i : indexes) {
      UserPlan& u = plan.users[i];
      if (u.decision == Decision::kConflict)
        continue;
      u = Conflict(std::move(u), what + " is shared by several users of the set: " + names);
    }
  };
  for (const auto& indexes : by_dn)
    mark(indexes, "entry " + plan.users[indexes[0]].dn);
  for (const auto& indexes : by_store) {
    // The store's name from a user the entry pass left unmarked (a conflict clears it).
    std::string store;
    for (std::size_t i : indexes)
      if (store.empty())
        store = plan.users[i].mail_store;
    mark(indexes, "mail store '" + store + "'");
  }
}

}  // namespace ccm::importer
