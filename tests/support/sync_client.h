// sync_client.h — ccm::ldap::SyncClient: blocking calls over Client, for tests (setting up
// and inspecting a directory step by step). Production code drives Client on its own
// io_context (importer/ldap_directory_access.h). Each call runs a private io_context until its
// operation completes; behaviour (timeouts, reconnect, errors as values) is Client's.
//
// Thread safety: not thread-safe; one thread at a time. Do not use it inside another
// io_context's handlers (it blocks).
#pragma once

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ccm/result.h"
#include "ldap/client.h"

namespace ccm::ldap {

/// A blocking LDAP client.
class SyncClient {
 public:
  explicit SyncClient(ConnectionConfig config);

  Result<void, Error> Connect();
  Result<SearchResult, Error> Search(SearchRequest request);
  Result<void, Error> Add(Entry entry);
  Result<void, Error> Modify(std::string dn, std::vector<Modification> modifications,
                             std::vector<Control> controls = {});
  Result<void, Error> Delete(std::string dn);
  Result<void, Error> ModRdn(std::string dn, std::string new_rdn, bool delete_old_rdn,
                             std::optional<std::string> new_superior = std::nullopt);
  Result<std::string, Error> WhoAmI();

  /// The underlying asynchronous client (for its counters).
  const Client& client() const { return client_; }

 private:
  template <class T, class Start>
  Result<T, Error> Run(Start start);

  boost::asio::io_context io_;
  Client client_;
};

}  // namespace ccm::ldap
