// directory_planner.cpp — pipelined resolution searches and the decision per user. See
// directory_planner.h.
#include "importer/directory_planner.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "importer/address_match.h"
#include "ldap/packed_entry.h"

namespace ccm::importer {
namespace {

// RFC 4511 result codes (ldap.h stays inside ldap/).
constexpr int kNoSuchObject = 32;
constexpr int kInvalidDnSyntax = 34;
constexpr int kInappropriateAuth = 48;
constexpr int kInvalidCredentials = 49;

// Users left to decide when resolution ends from which two threads decide them (a thread costs
// less than deciding a few users).
constexpr std::size_t kDecideOnTwoThreadsFrom = 256;

// What resolution found for one user, held until the user is decided. A scan holds every
// matched entry until the read ends (a later entry may match the same user), so entries are held
// packed, one block each, and unpacked one user at a time to decide.
struct HeldResolution {
  std::vector<ldap::PackedEntry> matches;
  std::vector<ldap::PackedEntry> near_misses;

  Resolution Unpack() const {
    Resolution resolution;
    resolution.matches.reserve(matches.size());
    for (const ldap::PackedEntry& entry : matches)
      resolution.matches.push_back(entry.Unpack());
    resolution.near_misses.reserve(near_misses.size());
    for (const ldap::PackedEntry& entry : near_misses)
      resolution.near_misses.push_back(entry.Unpack());
    return resolution;
  }
};

// Shared by every search callback of one planning run.
struct PlanningRun {
  // The users as planning receives them, until Prepare moves each into its record in `plans`.
  std::vector<MigratingUser> users;
  // Per user, in set order: the user's record, decided in place. Deciding moves the user and
  // its resolution into the record, so each is held once, and the users' own array is gone
  // before the records fill.
  std::vector<UserPlan> plans;
  std::vector<UserMatchKeys> keys;  // per user, for ClassifyEntry
  PlannerOptions options;
  std::vector<HeldResolution> resolutions;
  // Where each decided user's change and prior entry go, away from the texts that outlive them
  // (the report keeps those): released after the apply, they free whole pages.
  std::shared_ptr<BlockStore> kept_bytes = std::make_shared<BlockStore>();
  // Decisions are made as soon as a user's search answered (DecideUser is pure), so that
  // deciding overlaps the searches still outstanding instead of following the last one.
  std::vector<bool> is_decided;
  std::size_t pending = 0;
  std::optional<ImportError> failure;
  std::function<void(Result<DirectoryPlan, ImportError>)> done;

  const MigratingUser& User(std::size_t i) const { return plans[i].user; }

  // Gives each user its record and normalises every user's keys: before the first answer.
  void Prepare() {
    resolutions.resize(users.size());
    plans.resize(users.size());
    is_decided.resize(users.size());
    keys.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
      plans[i].user = std::move(users[i]);
      keys.push_back(MatchKeysOf(plans[i].user));
    }
    std::vector<MigratingUser>().swap(users);
  }

  // User i's resolution, unpacked; what was held for it is released.
  Resolution TakeResolution(std::size_t i) {
    Resolution resolution = resolutions[i].Unpack();
    resolutions[i] = HeldResolution{};
    return resolution;
  }

  // Decides user i. Two threads may decide distinct users at once (is_decided, a vector<bool>,
  // is the caller's to set).
  void Decide(std::size_t i) {
    UserPlan& plan = plans[i];
    plan = DecideUser(std::move(plan.user), TakeResolution(i), options.plan);
    if (plan.change)
      plan.change->MoveInto(kept_bytes);
    plan.prior_ldif.MoveInto(kept_bytes);
  }

  // Decides every user not decided yet: after a scan, every user. The server has nothing left
  // to do by now, and deciding is pure and each user's own, so a large remainder is split
  // between this thread and one more.
  void DecideTheRest() {
    std::vector<std::size_t> rest;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      if (!is_decided[i])
        rest.push_back(i);
    }
    auto decide = [this, &rest](std::size_t first, std::size_t last) {
      for (std::size_t k = first; k < last; ++k) {
        const std::size_t i = rest[k];
        Decide(i);
      }
    };
    const std::size_t half = rest.size() >= kDecideOnTwoThreadsFrom ? rest.size() / 2 : 0;
    std::exception_ptr helper_failure;
    {
      std::jthread helper;
      if (half > 0) {
        helper = std::jthread([&] {
          try {
            decide(0, half);
          } catch (...) {
            helper_failure = std::current_exception();
          }
        });
      }
      decide(half, rest.size());
    }  // joins the helper
    if (helper_failure)
      std::rethrow_exception(helper_failure);
  }

  void Finish() {
    auto callback = std::move(done);
    if (failure) {
      callback(Fail(std::move(*failure)));
      return;
    }
    // Every answer is in: the users' keys have done their work, and deciding allocates the
    // plan's records in their place.
    std::vector<UserMatchKeys>().swap(keys);
    DecideTheRest();
    DirectoryPlan plan;
    plan.users = std::move(plans);
    CheckPlanCollisions(plan);
    callback(std::move(plan));
  }
};

}  // namespace

ImportError ImportErrorFromLdap(const ldap::Error& error, const std::string& context) {
  ImportError out;
  out.message = context + ": " + error.message();
  if (error.transient()) {
    out.kind = ImportErrorKind::kTransient;
  } else if (error.code == kInvalidCredentials || error.code == kInappropriateAuth ||
             error.code == kInvalidDnSyntax ||
             (error.operation == ldap::Operation::kSearch && error.code == kNoSuchObject)) {
    out.kind = ImportErrorKind::kConfiguration;
  } else {
    out.kind = ImportErrorKind::kPermanent;
  }
  return out;
}

namespace {

std::atomic<std::size_t> resolution_searches{0};

// The addresses a failure message names: the user's own for a group of one.
std::string GroupName(const PlanningRun& run, const std::vector<std::size_t>& group) {
  std::string name = run.User(group.front()).source_address;
  if (group.size() > 1)
    name += " (and " + std::to_string(group.size() - 1) + " more users of its search)";
  return name;
}

// Gives `entry` to each of `users` it matches or nearly matches (ClassifyEntry decides).
void HandOut(PlanningRun& run, const ldap::Entry& entry, const EntryAddressKeys& entry_keys,
             std::span<const std::size_t> users, bool typeless) {
  std::vector<std::vector<ldap::PackedEntry>*> takers;  // the lists this entry goes to
  for (std::size_t i : users) {
    HeldResolution& resolution = run.resolutions[i];
    switch (ClassifyEntry(entry_keys, run.keys[i], typeless)) {
      case EntryMatch::kMatch:
        takers.push_back(&resolution.matches);
        break;
      case EntryMatch::kNearMiss:
        takers.push_back(&resolution.near_misses);
        break;
      case EntryMatch::kNone:
        break;  // another user's entry, or equal for caseIgnoreIA5Match only
    }
  }
  if (takers.empty())
    return;
  // Nearly always one user takes the entry: it is packed once, copied only for the others.
  ldap::PackedEntry packed(entry);
  for (std::size_t t = 0; t + 1 < takers.size(); ++t)
    takers[t]->push_back(packed);
  takers.back()->push_back(std::move(packed));
}

// One search for every user of `group`: the OR of their resolution filters. Each returned entry
// is classified against every user of the group, so an entry two users match reaches both (as
// two one-user searches would have), and one that matches only a user's near-miss spelling is
// that user's near miss. Entries arrive in the server's order, which is the order each user's
// own search would have given. A group the server's size limit cuts short is searched again as
// two halves; only a one-user search that is cut short fails.
void SubmitGroup(ldap::Client& client, const std::shared_ptr<PlanningRun>& run,
                 std::vector<std::size_t> group) {
  const bool typeless = run->options.plan.match_target_without_type;
  std::vector<std::vector<ldap::Filter>> terms;
  for (std::size_t i : group)
    terms.push_back(ResolutionTerms(run->User(i), typeless));
  ldap::SearchRequest request;
  request.base = run->options.base_dn;
  request.scope = ldap::Scope::kSubtree;
  request.filter = AnyTermByRank(std::move(terms));
  ++run->pending;
  resolution_searches.fetch_add(1, std::memory_order_relaxed);
  client.AsyncSearch(std::move(request), [&client, run, group = std::move(group), typeless](
                                             Result<ldap::SearchResult, ldap::Error> result) {
    if (!result) {
      if (!run->failure)
        run->failure = ImportErrorFromLdap(result.error(), "resolving " + GroupName(*run, group));
    } else if (result->size_limit_exceeded && group.size() > 1) {
      if (!run->failure) {
        const auto middle = group.begin() + static_cast<std::ptrdiff_t>(group.size() / 2);
        SubmitGroup(client, run, std::vector<std::size_t>(group.begin(), middle));
        SubmitGroup(client, run, std::vector<std::size_t>(middle, group.end()));
      }
    } else {
      for (const ldap::Entry& entry : result->entries)
        HandOut(*run, entry, AddressKeysOf(entry), group, typeless);
      if (result->size_limit_exceeded && !run->failure) {
        run->failure = ImportError{ImportErrorKind::kPermanent,
                                   "resolving " + GroupName(*run, group) +
                                       ": the server's size limit cut the search short"};
      }
      if (!run->failure) {
        for (std::size_t i : group) {
          run->Decide(i);
          run->is_decided[i] = true;
        }
      }
    }
    if (--run->pending == 0)
      run->Finish();
  });
}

// Submits the searches for `users` (in set order), kUsersPerResolutionSearch to a search.
void SubmitSearches(ldap::Client& client, const std::shared_ptr<PlanningRun>& run,
                    const std::vector<std::size_t>& users) {
  std::vector<std::size_t> group;
  for (std::size_t i : users) {
    group.push_back(i);
    if (group.size() == kUsersPerResolutionSearch)
      SubmitGroup(client, run, std::exchange(group, {}));
  }
  if (!group.empty())
    SubmitGroup(client, run, std::move(group));
}

// A scan's index and progress (see the file comment of directory_planner.h).
struct Scan {
  std::vector<std::size_t> users;  // the users to search, in set order
  // Every key ClassifyEntry compares for those users (own and near-miss, and their type-less
  // forms when a target may be type-less) → the user: an entry's candidates are the users one
  // of its addresses names here; ClassifyEntry then decides, as for a search's entries.
  std::unordered_multimap<std::string_view, std::size_t> users_by_key;
  std::size_t entries_read = 0;
  std::size_t budget = 0;  // entries the scan may read before the searches take over
};

// The scan could not resolve the set (it read its budget, failed, or met a size limit): what it
// handed out is dropped and the searches resolve every user.
void FallBackToSearches(ldap::Client& client, const std::shared_ptr<PlanningRun>& run,
                        const Scan& scan) {
  for (HeldResolution& resolution : run->resolutions)
    resolution = HeldResolution{};
  SubmitSearches(client, run, scan.users);
  if (--run->pending == 0)
    run->Finish();
}

void ScanPage(ldap::Client& client, const std::shared_ptr<PlanningRun>& run,
              const std::shared_ptr<Scan>& scan, std::string cookie) {
  ldap::SearchRequest request;
  request.base = run->options.base_dn;
  request.scope = ldap::Scope::kSubtree;
  request.filter = ldap::Filter::Or(
      {ldap::Filter::Present("ccmProxyAddress"), ldap::Filter::Present("ccmTargetAddress")});
  request.page_size = run->options.scan_page_size;
  request.one_page = true;
  request.page_cookie = std::move(cookie);
  resolution_searches.fetch_add(1, std::memory_order_relaxed);
  client.AsyncSearch(
      std::move(request), [&client, run, scan](Result<ldap::SearchResult, ldap::Error> result) {
        if (!result || result->size_limit_exceeded) {
          FallBackToSearches(client, run, *scan);
          return;
        }
        scan->entries_read += result->entries.size();
        const bool last_page = result->next_page_cookie.empty();
        if (!last_page && scan->entries_read >= scan->budget) {
          FallBackToSearches(client, run, *scan);
          return;
        }
        // The next page is asked for first, so that the server reads it while this one is sorted.
        if (!last_page)
          ScanPage(client, run, scan, std::move(result->next_page_cookie));
        const bool typeless = run->options.plan.match_target_without_type;
        std::vector<std::size_t> candidates;
        for (const ldap::Entry& entry : result->entries) {
          const EntryAddressKeys entry_keys = AddressKeysOf(entry);
          candidates.clear();
          for (const auto* values : {&entry_keys.proxies, &entry_keys.targets}) {
            for (const std::string& key : *values) {
              auto [first, last] = scan->users_by_key.equal_range(key);
              for (; first != last; ++first)
                candidates.push_back(first->second);
            }
          }
          std::sort(candidates.begin(), candidates.end());
          candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
          HandOut(*run, entry, entry_keys, candidates, typeless);
        }
        if (!last_page)
          return;
        *scan = Scan{};  // the index goes before the users are decided
        if (--run->pending == 0)
          run->Finish();  // decides every user
      });
}

// Asks for the scan's first page, then prepares the run and the scan's index while the server
// reads it (the page's answer is handled on this thread, after this call).
void StartScan(ldap::Client& client, const std::shared_ptr<PlanningRun>& run,
               std::vector<std::size_t> users) {
  auto scan = std::make_shared<Scan>();
  scan->budget = users.size() * kScanEntriesPerUser;
  ++run->pending;
  ScanPage(client, run, scan, "");
  run->Prepare();
  const bool typeless = run->options.plan.match_target_without_type;
  scan->users_by_key.reserve(users.size() * (typeless ? 4 : 2));
  for (std::size_t i : users) {
    const UserMatchKeys& keys = run->keys[i];
    scan->users_by_key.emplace(keys.key, i);
    if (keys.near_key)
      scan->users_by_key.emplace(*keys.near_key, i);
    if (typeless) {
      scan->users_by_key.emplace(keys.typeless_key, i);
      if (keys.near_typeless_key)
        scan->users_by_key.emplace(*keys.near_typeless_key, i);
    }
  }
  scan->users = std::move(users);
}

}  // namespace

std::size_t TEST_ResolutionSearches() {
  return resolution_searches.load(std::memory_order_relaxed);
}

void StartPlanDirectory(ldap::Client& client, std::vector<MigratingUser> users,
                        PlannerOptions options,
                        std::function<void(Result<DirectoryPlan, ImportError>)> done) {
  auto run = std::make_shared<PlanningRun>();
  run->users = std::move(users);
  run->options = std::move(options);
  run->done = std::move(done);
  run->pending = 1;  // held until every search is submitted
  std::vector<std::size_t> to_search;
  for (std::size_t i = 0; i < run->users.size(); ++i) {
    if (IsAscii(run->users[i].source_address))
      to_search.push_back(i);  // (a non-ASCII address is a conflict without a search)
  }
  if (!to_search.empty() && to_search.size() >= run->options.scan_from_users) {
    StartScan(client, run, std::move(to_search));
  } else {
    run->Prepare();
    SubmitSearches(client, run, to_search);
  }
  // Posted, so that `done` never runs inside this call (even with no user to search).
  boost::asio::post(client.get_executor(), [run] {
    if (--run->pending == 0)
      run->Finish();
  });
}

Result<DirectoryPlan, ImportError> PlanDirectory(boost::asio::io_context& io, ldap::Client& client,
                                                 std::vector<MigratingUser> users,
                                                 const PlannerOptions& options) {
  std::optional<Result<DirectoryPlan, ImportError>> outcome;
  StartPlanDirectory(
      client, std::move(users), options,
      [&outcome](Result<DirectoryPlan, ImportError> r) { outcome.emplace(std::move(r)); });
  io.restart();
  while (!outcome && io.run_one() > 0) {
  }
  if (!outcome) {
    return Fail(
        ImportError{ImportErrorKind::kTransient, "planning stopped: the event loop ran dry"});
  }
  return std::move(*outcome);
}

}  // namespace ccm::importer
