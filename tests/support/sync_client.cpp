// sync_client.cpp — SyncClient: each call starts the asynchronous operation and runs the
// private io_context until the completion arrives. See sync_client.h.
#include "tests/support/sync_client.h"

#include <ldap.h>

namespace ccm::ldap {

SyncClient::SyncClient(ConnectionConfig config) : client_(io_.get_executor(), std::move(config)) {}

template <class T, class Start>
Result<T, Error> SyncClient::Run(Start start) {
  std::optional<Result<T, Error>> outcome;
  start([&outcome](Result<T, Error> result) { outcome.emplace(std::move(result)); });
  io_.restart();
  while (!outcome) {
    if (io_.run_one() == 0)
      break;
  }
  if (!outcome)
    return Fail(Error{LDAP_LOCAL_ERROR, Operation::kConnect, {}, "operation never completed", {}});
  return std::move(*outcome);
}

Result<void, Error> SyncClient::Connect() {
  return Run<void>([this](auto handler) { client_.AsyncConnect(std::move(handler)); });
}

Result<SearchResult, Error> SyncClient::Search(SearchRequest request) {
  return Run<SearchResult>([this, &request](auto handler) {
    client_.AsyncSearch(std::move(request), std::move(handler));
  });
}

Result<void, Error> SyncClient::Add(Entry entry) {
  return Run<void>(
      [this, &entry](auto handler) { client_.AsyncAdd(std::move(entry), std::move(handler)); });
}

Result<void, Error> SyncClient::Modify(std::string dn, std::vector<Modification> modifications,
                                       std::vector<Control> controls) {
  return Run<void>([&](auto handler) {
    client_.AsyncModify(std::move(dn), std::move(modifications), std::move(controls),
                        std::move(handler));
  });
}

Result<void, Error> SyncClient::Delete(std::string dn) {
  return Run<void>(
      [this, &dn](auto handler) { client_.AsyncDelete(std::move(dn), std::move(handler)); });
}

Result<void, Error> SyncClient::ModRdn(std::string dn, std::string new_rdn, bool delete_old_rdn,
                                       std::optional<std::string> new_superior) {
  return Run<void>([&](auto handler) {
    client_.AsyncModRdn(std::move(dn), std::move(new_rdn), delete_old_rdn, std::move(new_superior),
                        std::move(handler));
  });
}

Result<std::string, Error> SyncClient::WhoAmI() {
  return Run<std::string>([this](auto handler) { client_.AsyncWhoAmI(std::move(handler)); });
}

}  // namespace ccm::ldap
