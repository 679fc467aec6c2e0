// address_lookup.cpp — pipelined identity searches for header and address-book addresses; see
// address_lookup.h.
#include "importer/address_lookup.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <functional>
#include <memory>

#include "importer/address_match.h"
#include "importer/directory_planner.h"

namespace ccm::importer {
namespace {

std::atomic<std::size_t> lookup_searches{0};

// Shared by every search callback of one lookup.
struct LookupRun {
  std::vector<std::string> addresses;
  std::vector<UserMatchKeys> keys;
  AddressLookupOptions options;
  std::vector<std::size_t> matches;  // entries identified per address
  std::vector<AddressAnswer> answers;
  std::size_t pending = 0;
  std::optional<ImportError> failure;
  std::function<void()> done;
};

void Classify(LookupRun& run, const std::vector<std::size_t>& group,
              const std::vector<ldap::Entry>& entries) {
  for (const ldap::Entry& entry : entries) {
    const EntryAddressKeys entry_keys = AddressKeysOf(entry);
    for (std::size_t i : group) {
      if (ClassifyEntry(entry_keys, run.keys[i], run.options.match_target_without_type) !=
          EntryMatch::kMatch) {
        continue;
      }
      if (++run.matches[i] > 1) {
        run.answers[i].person.reset();
        run.answers[i].reason = std::to_string(run.matches[i]) + " entries";
      } else if (auto person = PersonOf(entry)) {
        run.answers[i].person = std::move(person);
      } else {
        run.answers[i].reason = "the entry has no SMTP address (" + entry.dn + ")";
      }
    }
  }
}

void SubmitGroup(ldap::Client& client, const std::shared_ptr<LookupRun>& run,
                 std::vector<std::size_t> group) {
  const bool typeless = run->options.match_target_without_type;
  std::vector<std::vector<ldap::Filter>> terms;
  for (std::size_t i : group)
    terms.push_back(IdentityTerms(run->addresses[i], typeless));
  ldap::SearchRequest request;
  request.base = run->options.base_dn;
  request.scope = ldap::Scope::kSubtree;
  request.filter = AnyTermByRank(std::move(terms));
  request.attributes = {"ccmProxyAddress", "ccmTargetAddress", "mail", "displayName", "cn"};
  ++run->pending;
  lookup_searches.fetch_add(1, std::memory_order_relaxed);
  client.AsyncSearch(std::move(request), [&client, run, group = std::move(group)](
                                             Result<ldap::SearchResult, ldap::Error> result) {
    if (!result) {
      if (!run->failure) {
        run->failure = ImportErrorFromLdap(
            result.error(), "looking up " + run->addresses[group.front()] +
                                (group.size() > 1 ? " (and " + std::to_string(group.size() - 1) +
                                                        " more addresses of its search)"
                                                  : std::string()));
      }
    } else if (result->size_limit_exceeded && group.size() > 1) {
      if (!run->failure) {
        const auto middle = group.begin() + static_cast<std::ptrdiff_t>(group.size() / 2);
        SubmitGroup(client, run, std::vector<std::size_t>(group.begin(), middle));
        SubmitGroup(client, run, std::vector<std::size_t>(middle, group.end()));
      }
    } else {
      Classify(*run, group, result->entries);
      if (result->size_limit_exceeded) {
        // One address, more entries than the server returns: certainly not one person.
        run->answers[group.front()].person.reset();
        run->answers[group.front()].reason = "more entries than the server's size limit";
      }
    }
    if (--run->pending == 0)
      run->done();
  });
}

}  // namespace

std::size_t TEST_AddressLookupSearches() {
  return lookup_searches.load(std::memory_order_relaxed);
}

Result<std::vector<AddressAnswer>, ImportError> LookUpAddresses(
    boost::asio::io_context& io, ldap::Client& client, const std::vector<std::string>& addresses,
    const AddressLookupOptions& options) {
  auto run = std::make_shared<LookupRun>();
  run->addresses = addresses;
  run->options = options;
  run->matches.assign(addresses.size(), 0);
  run->answers.assign(addresses.size(), AddressAnswer{std::nullopt, "no entry"});
  run->keys.reserve(addresses.size());
  for (const std::string& a : addresses) {
    MigratingUser as_user;
    as_user.source_address = a;
    run->keys.push_back(MatchKeysOf(as_user));
  }
  bool finished = false;
  run->done = [&finished] { finished = true; };
  run->pending = 1;  // held until every search is submitted
  std::vector<std::size_t> group;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (!IsAscii(addresses[i])) {
      run->answers[i].reason = "not ASCII: no directory address can hold it";
      continue;
    }
    group.push_back(i);
    if (group.size() == kAddressesPerLookupSearch)
      SubmitGroup(client, run, std::exchange(group, {}));
  }
  if (!group.empty())
    SubmitGroup(client, run, std::move(group));
  boost::asio::post(client.get_executor(), [run] {
    if (--run->pending == 0)
      run->done();
  });
  io.restart();
  while (!finished && io.run_one() > 0) {
  }
  run->done = [] {};  // `finished` goes out of scope with this frame
  if (!finished) {
    return Fail(
        ImportError{ImportErrorKind::kTransient, "address lookup stopped: the event loop ran dry"});
  }
  if (run->failure)
    return Fail(std::move(*run->failure));
  return std::move(run->answers);
}

}  // namespace ccm::importer
