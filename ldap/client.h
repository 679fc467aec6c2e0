// client.h — ccm::ldap::Client: an asynchronous LDAP client on a Boost.Asio io_context.
//
// One Client owns one connection. Its socket (LDAP_OPT_DESC) is watched by the io_context's
// reactor; replies are read with ldap_result() without blocking, drained after every readable
// event, and matched to their callers by message id. Many operations can be in flight at once,
// up to ConnectionConfig::max_in_flight; more wait in a queue. Every operation has a timeout
// (ConnectionConfig::operation_timeout, from submission): on expiry an in-flight operation is
// abandoned (ldap_abandon_ext) and fails with LDAP_TIMEOUT.
//
// Operations follow Asio's universal model (async_initiate): pass a callback taking
// Result<T, Error>, or boost::asio::use_awaitable and `co_await` the Result. Completions are
// always posted to the handler's associated executor, never run inside the initiating call.
//
// Connection: connecting (TCP/ldapi, StartTLS, bind) is blocking in libldap, so it runs on a
// short-lived helper thread and hands the bound handle back to the io_context; the io_context
// never blocks on the network. The first operation (or AsyncConnect) connects. When the
// connection drops, operations in flight fail with LDAP_SERVER_DOWN (transient: the caller
// decides whether to retry; the importer's assertion-guarded modify makes retries safe);
// queued operations wait and the client reconnects, with capped exponential back-off between
// failed attempts (reconnect_initial doubling to reconnect_max). A permanent connect failure
// (e.g. invalid credentials) fails the queued operations at once; a transient one lets them
// wait until their own timeouts, which then report the last connect error.
//
// Security: the password is only passed to the bind call; errors never contain it. TLS
// certificate verification is on unless ConnectionConfig::verify_tls is false (logged as a
// warning on every connect). SIGPIPE: the constructor sets SIGPIPE to "ignore" if it is at its
// default disposition (a write to a connection the server closed would otherwise kill the
// process); the daemon ignores it at start too.
//
// Thread safety: not thread-safe. Create it, call it and destroy it on the thread that runs
// its io_context (or within one strand). Destroying it completes every pending operation with
// LDAP_USER_CANCELLED (transient) and joins a connect in progress (at most network_timeout).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ccm/result.h"
#include "ldap/connection_config.h"
#include "ldap/entry.h"
#include "ldap/error.h"
#include "ldap/request.h"

namespace ccm::ldap {

class ClientCore;

namespace detail {

/// Everything an operation can produce; converted to the caller's Result<T, Error>.
struct Outcome {
  std::optional<Error> error;
  SearchResult search;
  std::string text;
};

template <class T>
Result<T, Error> ToResult(Outcome&& outcome) {
  if (outcome.error)
    return Fail(std::move(*outcome.error));
  if constexpr (std::is_void_v<T>)
    return Result<void, Error>();
  else if constexpr (std::is_same_v<T, SearchResult>)
    return std::move(outcome.search);
  else
    return std::move(outcome.text);
}

/// Type-erased completion of one operation.
class Completion {
 public:
  virtual ~Completion() = default;
  virtual void Complete(Outcome outcome) = 0;
};

/// Completes an operation by posting the handler to its associated executor.
template <class T, class Handler, class Executor>
class HandlerCompletion final : public Completion {
 public:
  HandlerCompletion(Handler handler, const Executor& executor)
      : handler_(std::move(handler)), work_(boost::asio::make_work_guard(handler_, executor)) {}

  void Complete(Outcome outcome) override {
    auto executor = work_.get_executor();
    boost::asio::post(executor, [handler = std::move(handler_),
                                 result = ToResult<T>(std::move(outcome))]() mutable {
      std::move(handler)(std::move(result));
    });
    work_.reset();
  }

 private:
  Handler handler_;
  boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler, Executor>> work_;
};

/// One operation as the core sees it.
struct Request {
  Operation operation = Operation::kConnect;
  std::string dn;
  SearchRequest search;
  Entry entry;
  std::vector<Modification> modifications;
  std::vector<Control> controls;
  std::string new_rdn;
  bool delete_old_rdn = true;
  std::optional<std::string> new_superior;
};

}  // namespace detail

/// An asynchronous LDAP connection; see the file comment.
class Client {
 public:
  /// Does not connect yet (see AsyncConnect).
  Client(boost::asio::any_io_executor executor, ConnectionConfig config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Connects and binds now (no-op when connected). Signature: void(Result<void, Error>).
  /// This attempt's own outcome is reported: it does not retry.
  template <class Token>
  auto AsyncConnect(Token&& token) {
    detail::Request request;
    request.operation = Operation::kConnect;
    return Initiate<void>(std::move(request), std::forward<Token>(token));
  }

  /// Searches, following RFC 2696 pages when request.page_size > 0.
  /// Signature: void(Result<SearchResult, Error>).
  template <class Token>
  auto AsyncSearch(SearchRequest search, Token&& token) {
    detail::Request request;
    request.operation = Operation::kSearch;
    request.dn = search.base;
    request.search = std::move(search);
    return Initiate<SearchResult>(std::move(request), std::forward<Token>(token));
  }

  /// Adds an entry. Signature: void(Result<void, Error>).
  template <class Token>
  auto AsyncAdd(Entry entry, Token&& token) {
    detail::Request request;
    request.operation = Operation::kAdd;
    request.dn = entry.dn;
    request.entry = std::move(entry);
    return Initiate<void>(std::move(request), std::forward<Token>(token));
  }

  /// Modifies an entry, with request controls (e.g. AssertionControl).
  /// Signature: void(Result<void, Error>).
  template <class Token>
  auto AsyncModify(std::string dn, std::vector<Modification> modifications,
                   std::vector<Control> controls, Token&& token) {
    detail::Request request;
    request.operation = Operation::kModify;
    request.dn = std::move(dn);
    request.modifications = std::move(modifications);
    request.controls = std::move(controls);
    return Initiate<void>(std::move(request), std::forward<Token>(token));
  }
  /// Modifies an entry without controls.
  template <class Token>
  auto AsyncModify(std::string dn, std::vector<Modification> modifications, Token&& token) {
    return AsyncModify(std::move(dn), std::move(modifications), {}, std::forward<Token>(token));
  }

  /// Deletes an entry. Signature: void(Result<void, Error>).
  template <class Token>
  auto AsyncDelete(std::string dn, Token&& token) {
    detail::Request request;
    request.operation = Operation::kDelete;
    request.dn = std::move(dn);
    return Initiate<void>(std::move(request), std::forward<Token>(token));
  }

  /// Renames (and optionally moves) an entry. Build new_rdn with Rdn().
  /// Signature: void(Result<void, Error>).
  template <class Token>
  auto AsyncModRdn(std::string dn, std::string new_rdn, bool delete_old_rdn,
                   std::optional<std::string> new_superior, Token&& token) {
    detail::Request request;
    request.operation = Operation::kModRdn;
    request.dn = std::move(dn);
    request.new_rdn = std::move(new_rdn);
    request.delete_old_rdn = delete_old_rdn;
    request.new_superior = std::move(new_superior);
    return Initiate<void>(std::move(request), std::forward<Token>(token));
  }

  /// RFC 4532 "Who am I?": the authorization identity ("dn:…", or "" when anonymous).
  /// Signature: void(Result<std::string, Error>).
  template <class Token>
  auto AsyncWhoAmI(Token&& token) {
    detail::Request request;
    request.operation = Operation::kWhoAmI;
    return Initiate<std::string>(std::move(request), std::forward<Token>(token));
  }

  /// True while a bound connection is up.
  bool connected() const;
  /// Operations sent and not yet answered.
  std::size_t in_flight() const;
  /// Operations waiting for a connection or for room in the window.
  std::size_t queued() const;
  /// The executor the client runs on.
  const boost::asio::any_io_executor& get_executor() const { return executor_; }

 private:
  template <class T, class Token>
  auto Initiate(detail::Request request, Token&& token) {
    return boost::asio::async_initiate<Token, void(Result<T, Error>)>(
        [this](auto handler, detail::Request r) {
          using Handler = std::decay_t<decltype(handler)>;
          Submit(
              std::move(r),
              std::make_unique<detail::HandlerCompletion<T, Handler, boost::asio::any_io_executor>>(
                  std::move(handler), executor_));
        },
        token, std::move(request));
  }
  void Submit(detail::Request request, std::unique_ptr<detail::Completion> completion);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<ClientCore> core_;
};

}  // namespace ccm::ldap
