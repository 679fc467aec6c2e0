// client.cpp — ClientCore, the engine behind Client: a queue, a bounded window of operations in
// flight keyed by message id, the reactor watch on libldap's socket, per-operation timers, and
// the connect/reconnect state machine. See client.h for the contract.
//
// States: kDisconnected → (work arrives) kConnecting → kConnected, or → kBackoff (transient
// failure with work queued) → kDisconnected → kConnecting …; kShutdown is final. All of it runs
// on the client's executor; only OpenConnection runs on a helper thread, and it touches nothing
// here but posts its result back. Request building and reply parsing live in wire.cpp.
#include "ldap/client.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "ldap/connect.h"
#include "ldap/handle.h"
#include "ldap/wire.h"

namespace ccm::ldap {
namespace {

namespace asio = boost::asio;
using detail::Outcome;

void IgnoreSigpipeIfDefault() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
      signal(SIGPIPE, SIG_IGN);
  });
}

Error MakeError(int code, const detail::Request& request, std::string diagnostic) {
  return Error{code, request.operation, request.dn, std::move(diagnostic), {}};
}

}  // namespace

class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  ClientCore(asio::any_io_executor executor, ConnectionConfig config)
      : executor_(std::move(executor)),
        config_(std::move(config)),
        backoff_timer_(executor_),
        backoff_(config_.reconnect_initial) {
    if (config_.max_in_flight == 0)
      config_.max_in_flight = 1;
  }

  ~ClientCore() {
    Shutdown();
    if (connect_thread_.joinable())
      connect_thread_.join();
  }

  void Submit(detail::Request request, std::unique_ptr<detail::Completion> completion);
  void Shutdown();
  bool connected() const { return state_ == State::kConnected; }
  std::size_t in_flight() const { return in_flight_.size(); }
  std::size_t queued() const { return queue_.size(); }

 private:
  enum class State { kDisconnected, kConnecting, kBackoff, kConnected, kShutdown };
  struct Pending {
    explicit Pending(const asio::any_io_executor& executor) : timer(executor) {}
    detail::Request request;
    std::unique_ptr<detail::Completion> completion;
    asio::steady_timer timer;
    int msgid = -1;
    SearchResult search;  // entries collected so far (across pages)
    std::string cookie;   // RFC 2696 cookie for the next page
    bool done = false;
  };
  using PendingPtr = std::shared_ptr<Pending>;

  void Pump();
  void StartConnect();
  void OnConnected(Result<LdapHandle, Error> result);
  void Send(const PendingPtr& pending);
  void WaitReadable();
  void OnReadable();
  void DrainReplies();
  bool IdleConnectionClosed();
  void Dispatch(MessageHandle message);
  void ConnectionLost(const Error& why);
  void Finish(const PendingPtr& pending, Outcome outcome);
  void Fail(const PendingPtr& pending, Error error) {
    Outcome outcome;
    outcome.error = std::move(error);
    Finish(pending, std::move(outcome));
  }
  void OnTimeout(const PendingPtr& pending);
  void CompleteConnectWaiters(const std::optional<Error>& error);
  Error ResultError(LDAPMessage* message, const detail::Request& request, int* code,
                    LDAPControl*** controls);

  asio::any_io_executor executor_;
  ConnectionConfig config_;
  State state_ = State::kDisconnected;
  LdapHandle ld_;
  std::optional<asio::posix::stream_descriptor> socket_;
  std::uint64_t generation_ = 0;  // bumped per connection: stale reactor callbacks are ignored
  bool watching_ = false;         // a reactor wait is pending on socket_
  std::deque<PendingPtr> queue_;
  std::unordered_map<int, PendingPtr> in_flight_;
  std::vector<std::unique_ptr<detail::Completion>> connect_waiters_;
  asio::steady_timer backoff_timer_;
  std::chrono::milliseconds backoff_;
  std::optional<Error> last_connect_error_;
  std::thread connect_thread_;
};

void ClientCore::Submit(detail::Request request, std::unique_ptr<detail::Completion> completion) {
  if (state_ == State::kShutdown) {
    Outcome outcome;
    outcome.error = MakeError(LDAP_USER_CANCELLED, request, "client is shut down");
    completion->Complete(std::move(outcome));
    return;
  }
  if (request.operation == Operation::kConnect) {
    if (state_ == State::kConnected) {
      completion->Complete(Outcome{});
      return;
    }
    connect_waiters_.push_back(std::move(completion));
    if (state_ == State::kBackoff) {
      backoff_timer_.cancel();
      state_ = State::kDisconnected;
    }
    if (state_ == State::kDisconnected)
      StartConnect();
    return;
  }
  if (request.operation == Operation::kSearch && !request.search.filter.valid()) {
    Outcome outcome;
    outcome.error = MakeError(LDAP_FILTER_ERROR, request,
                              "invalid attribute name in filter " + request.search.filter.str());
    completion->Complete(std::move(outcome));
    return;
  }
  auto pending = std::make_shared<Pending>(executor_);
  pending->request = std::move(request);
  pending->cookie = pending->request.search.page_cookie;
  pending->completion = std::move(completion);
  pending->timer.expires_after(config_.operation_timeout);
  pending->timer.async_wait(
      [weak_core = weak_from_this(), weak = std::weak_ptr<Pending>(pending)](auto ec) {
        auto core = weak_core.lock();
        auto op = weak.lock();
        if (ec || !core || !op || op->done)
          return;
        core->OnTimeout(op);
      });
  queue_.push_back(std::move(pending));
  Pump();
}

void ClientCore::Pump() {
  if (state_ == State::kConnected && in_flight_.empty() && !queue_.empty() &&
      IdleConnectionClosed())
    return;  // ConnectionLost has scheduled the reconnect; the queue waits for it
  if (state_ == State::kConnected) {
    while (state_ == State::kConnected && !queue_.empty() &&
           in_flight_.size() < config_.max_in_flight) {
      PendingPtr next = std::move(queue_.front());
      queue_.pop_front();
      Send(next);
    }
  } else if (state_ == State::kDisconnected && !queue_.empty()) {
    StartConnect();
  }
}

void ClientCore::StartConnect() {
  state_ = State::kConnecting;
  if (connect_thread_.joinable())
    connect_thread_.join();  // the previous attempt has already posted its result
  auto work = asio::make_work_guard(executor_);
  connect_thread_ =
      std::thread([config = config_, weak = weak_from_this(), work = std::move(work)]() mutable {
        auto result = std::make_shared<Result<LdapHandle, Error>>(OpenConnection(config));
        asio::post(work.get_executor(), [weak, result]() mutable {
          if (auto core = weak.lock())
            core->OnConnected(std::move(*result));
        });
        work.reset();
      });
}

void ClientCore::OnConnected(Result<LdapHandle, Error> result) {
  if (state_ != State::kConnecting)
    return;  // shut down meanwhile; the handle unbinds as it goes out of scope
  if (result.ok()) {
    ld_ = std::move(result.value());
    int fd = -1;
    ldap_get_option(ld_.get(), LDAP_OPT_DESC, &fd);
    socket_.emplace(executor_, fd);
    ++generation_;
    state_ = State::kConnected;
    backoff_ = config_.reconnect_initial;
    last_connect_error_.reset();
    CompleteConnectWaiters(std::nullopt);
    Pump();
    return;
  }
  Error error = std::move(result.error());
  last_connect_error_ = error;
  CompleteConnectWaiters(error);
  if (queue_.empty()) {
    state_ = State::kDisconnected;
    return;
  }
  if (!error.transient()) {
    state_ = State::kDisconnected;
    auto waiting = std::move(queue_);
    queue_.clear();
    for (auto& pending : waiting)
      Fail(pending, error);
    return;
  }
  state_ = State::kBackoff;
  backoff_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, config_.reconnect_max);
  backoff_timer_.async_wait([weak = weak_from_this()](auto ec) {
    auto core = weak.lock();
    if (ec || !core || core->state_ != State::kBackoff)
      return;
    core->state_ = State::kDisconnected;
    core->Pump();
  });
}

void ClientCore::CompleteConnectWaiters(const std::optional<Error>& error) {
  auto waiters = std::move(connect_waiters_);
  connect_waiters_.clear();
  for (auto& waiter : waiters) {
    Outcome outcome;
    outcome.error = error;
    waiter->Complete(std::move(outcome));
  }
}

void ClientCore::Send(const PendingPtr& pending) {
  const detail::Request& request = pending->request;
  LDAP* ld = ld_.get();
  int msgid = -1;
  int rc = StartOperation(ld, request, pending->cookie, &msgid);
  if (rc == LDAP_SERVER_DOWN) {
    // Not sent: keep it for the next connection.
    queue_.push_front(pending);
    ConnectionLost(MakeError(rc, request, DiagnosticMessage(ld)));
    return;
  }
  if (rc != LDAP_SUCCESS) {
    Fail(pending, MakeError(rc, request, DiagnosticMessage(ld)));
    return;
  }
  pending->msgid = msgid;
  in_flight_[msgid] = pending;
  if (!watching_)
    WaitReadable();
}

// The socket is watched only while replies are expected: an idle client then holds no
// outstanding work, so io_context::run() returns once every operation has completed. A close by
// the server while idle is noticed by IdleConnectionClosed() before the next request is sent.
void ClientCore::WaitReadable() {
  watching_ = true;
  socket_->async_wait(asio::posix::descriptor_base::wait_read,
                      [weak = weak_from_this(), generation = generation_](auto ec) {
                        auto core = weak.lock();
                        if (!core || core->generation_ != generation)
                          return;
                        core->watching_ = false;
                        if (core->state_ != State::kConnected)
                          return;
                        if (ec) {  // cancelled when the last operation timed out
                          if (!core->in_flight_.empty())
                            core->WaitReadable();
                          return;
                        }
                        core->OnReadable();
                      });
}

void ClientCore::OnReadable() {
  DrainReplies();
  if (state_ == State::kConnected && !in_flight_.empty() && !watching_)
    WaitReadable();
  Pump();
}

void ClientCore::DrainReplies() {
  while (state_ == State::kConnected) {
    LDAPMessage* raw = nullptr;
    timeval zero{0, 0};
    int type = ldap_result(ld_.get(), LDAP_RES_ANY, LDAP_MSG_ONE, &zero, &raw);
    if (type == 0)
      break;
    if (type < 0) {
      int code = LDAP_SERVER_DOWN;
      ldap_get_option(ld_.get(), LDAP_OPT_RESULT_CODE, &code);
      if (code == LDAP_SUCCESS)
        code = LDAP_SERVER_DOWN;
      detail::Request lost;
      lost.operation = Operation::kConnect;
      lost.dn = config_.uri;
      ConnectionLost(MakeError(code, lost, "connection lost: " + DiagnosticMessage(ld_.get())));
      break;
    }
    Dispatch(MessageHandle(raw));
  }
}

bool ClientCore::IdleConnectionClosed() {
  pollfd probe{socket_->native_handle(), POLLIN | POLLRDHUP, 0};
  if (poll(&probe, 1, 0) <= 0)
    return false;
  DrainReplies();  // reads the EOF (or an unsolicited notice of disconnection)
  return state_ != State::kConnected;
}

Error ClientCore::ResultError(LDAPMessage* message, const detail::Request& request, int* code,
                              LDAPControl*** controls) {
  char* matched = nullptr;
  char* diagnostic = nullptr;
  int rc = ldap_parse_result(ld_.get(), message, code, &matched, &diagnostic, nullptr, controls, 0);
  LdapString owned_matched(matched), owned_diagnostic(diagnostic);
  if (rc != LDAP_SUCCESS)
    *code = rc;
  Error error = MakeError(*code, request, diagnostic != nullptr ? diagnostic : "");
  if (matched != nullptr)
    error.matched_dn = matched;
  return error;
}

void ClientCore::Dispatch(MessageHandle message) {
  int msgid = ldap_msgid(message.get());
  auto found = in_flight_.find(msgid);
  if (found == in_flight_.end())
    return;  // abandoned or unsolicited
  PendingPtr pending = found->second;
  int type = ldap_msgtype(message.get());
  if (type == LDAP_RES_SEARCH_ENTRY) {
    pending->search.entries.push_back(ParseEntry(ld_.get(), message.get()));
    return;
  }
  if (type == LDAP_RES_SEARCH_REFERENCE || type == LDAP_RES_INTERMEDIATE)
    return;
  in_flight_.erase(found);

  int code = LDAP_SUCCESS;
  LDAPControl** controls = nullptr;
  Error error = ResultError(message.get(), pending->request, &code,
                            type == LDAP_RES_SEARCH_RESULT ? &controls : nullptr);
  Outcome outcome;
  if (type == LDAP_RES_SEARCH_RESULT) {
    if (code == LDAP_SUCCESS && pending->request.search.page_size > 0) {
      pending->cookie.clear();
      if (LDAPControl* page = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, nullptr)) {
        ber_int_t estimate = 0;
        berval cookie{0, nullptr};
        if (ldap_parse_pageresponse_control(ld_.get(), page, &estimate, &cookie) == LDAP_SUCCESS) {
          if (cookie.bv_len > 0)
            pending->cookie.assign(cookie.bv_val, cookie.bv_len);
          ber_memfree(cookie.bv_val);
        }
      }
    }
    ldap_controls_free(controls);
    if (code == LDAP_SUCCESS && !pending->cookie.empty() && !pending->request.search.one_page) {
      Send(pending);  // the next page, under a new message id
      return;
    }
    if (code == LDAP_SUCCESS || code == LDAP_SIZELIMIT_EXCEEDED) {
      pending->search.size_limit_exceeded = code == LDAP_SIZELIMIT_EXCEEDED;
      if (code == LDAP_SUCCESS && pending->request.search.one_page)
        pending->search.next_page_cookie = std::move(pending->cookie);
      outcome.search = std::move(pending->search);
    } else {
      outcome.error = std::move(error);
    }
  } else if (code != LDAP_SUCCESS) {
    outcome.error = std::move(error);
  } else if (type == LDAP_RES_EXTENDED && pending->request.operation == Operation::kWhoAmI) {
    berval* authzid = nullptr;
    if (ldap_parse_whoami(ld_.get(), message.get(), &authzid) == LDAP_SUCCESS &&
        authzid != nullptr) {
      outcome.text.assign(authzid->bv_val, authzid->bv_len);
    }
    if (authzid != nullptr)
      ber_bvfree(authzid);
  }
  Finish(pending, std::move(outcome));
}

void ClientCore::ConnectionLost(const Error& why) {
  if (socket_) {
    socket_->release();  // libldap owns and closes the descriptor
    socket_.reset();
  }
  ld_.reset();
  ++generation_;
  watching_ = false;
  state_ = State::kDisconnected;
  auto lost = std::move(in_flight_);
  in_flight_.clear();
  for (auto& [msgid, pending] : lost) {
    Error error = why;
    error.operation = pending->request.operation;
    error.dn = pending->request.dn;
    if (error.code != LDAP_SERVER_DOWN && !error.transient())
      error.code = LDAP_SERVER_DOWN;
    Fail(pending, std::move(error));
  }
  // Reconnect for whatever is still queued, after the current handler returns.
  asio::post(executor_, [weak = weak_from_this()] {
    if (auto core = weak.lock())
      core->Pump();
  });
}

void ClientCore::OnTimeout(const PendingPtr& pending) {
  std::string limit = std::to_string(config_.operation_timeout.count()) + " ms";
  if (pending->msgid >= 0 && in_flight_.erase(pending->msgid) > 0) {
    ldap_abandon_ext(ld_.get(), pending->msgid, nullptr, nullptr);
    if (in_flight_.empty() && watching_)
      socket_->cancel();  // nothing more is expected: leave the io_context free to run out
    Fail(pending, MakeError(LDAP_TIMEOUT, pending->request,
                            "no result within " + limit + "; operation abandoned"));
    Pump();
    return;
  }
  auto at = std::find(queue_.begin(), queue_.end(), pending);
  if (at != queue_.end())
    queue_.erase(at);
  if (last_connect_error_) {
    Error error = *last_connect_error_;
    error.operation = pending->request.operation;
    error.dn = pending->request.dn;
    error.diagnostic =
        "not sent within " + limit + ": no connection (" + last_connect_error_->message() + ")";
    Fail(pending, std::move(error));
  } else {
    Fail(pending, MakeError(LDAP_TIMEOUT, pending->request,
                            "not sent within " + limit + " (waiting for the connection)"));
  }
}

void ClientCore::Finish(const PendingPtr& pending, Outcome outcome) {
  if (pending->done)
    return;
  pending->done = true;
  pending->timer.cancel();
  pending->completion->Complete(std::move(outcome));
}

void ClientCore::Shutdown() {
  if (state_ == State::kShutdown)
    return;
  state_ = State::kShutdown;
  backoff_timer_.cancel();
  if (socket_) {
    socket_->release();
    socket_.reset();
  }
  ld_.reset();
  ++generation_;
  Error cancelled{LDAP_USER_CANCELLED, Operation::kConnect, config_.uri, "client shut down", {}};
  CompleteConnectWaiters(cancelled);
  auto waiting = std::move(queue_);
  queue_.clear();
  auto sent = std::move(in_flight_);
  in_flight_.clear();
  for (auto& pending : waiting)
    Fail(pending, MakeError(LDAP_USER_CANCELLED, pending->request, "client shut down"));
  for (auto& [msgid, pending] : sent)
    Fail(pending, MakeError(LDAP_USER_CANCELLED, pending->request, "client shut down"));
}

Client::Client(asio::any_io_executor executor, ConnectionConfig config)
    : executor_(executor), core_(std::make_shared<ClientCore>(executor, std::move(config))) {
  IgnoreSigpipeIfDefault();
}

Client::~Client() {
  core_->Shutdown();
}

void Client::Submit(detail::Request request, std::unique_ptr<detail::Completion> completion) {
  core_->Submit(std::move(request), std::move(completion));
}

bool Client::connected() const {
  return core_->connected();
}
std::size_t Client::in_flight() const {
  return core_->in_flight();
}
std::size_t Client::queued() const {
  return core_->queued();
}

}  // namespace ccm::ldap
