// blocking_set_processor.h — adapts a blocking "process this set" function (such as a
// synchronous import) to SetProcessor by running it on a small pool of worker threads, so the
// service's io_context (watcher, timers, signals) never waits for a set.
//
// The function receives the claimed set and a stop flag that becomes true after RequestStop;
// it should check the flag at safe points and return SetOutcome::Interrupted when it stops
// early. An exception escaping the function becomes a deferred outcome (the set is retried;
// a rerun is safe by the importer's idempotency), logged with the set id.
//
// Thread safety: Process/RequestStop on the service thread; the function runs on pool threads,
// one set per thread, and must not touch the service.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>

#include "daemon/set_processor.h"

namespace ccm::daemon {

class BlockingSetProcessor : public SetProcessor {
 public:
  using Work = std::function<SetOutcome(const ClaimedSet&, const std::atomic<bool>& stop)>;

  /// Runs `work` on `threads` worker threads (use max_sets_in_flight).
  BlockingSetProcessor(Work work, std::size_t threads);
  /// Waits for work in flight to return.
  ~BlockingSetProcessor() override;

  void Process(const ClaimedSet& set, std::function<void(SetOutcome)> done) override;
  void RequestStop() override { stop_->store(true); }

 private:
  Work work_;
  std::shared_ptr<std::atomic<bool>> stop_ = std::make_shared<std::atomic<bool>>(false);
  boost::asio::thread_pool pool_;
};

}  // namespace ccm::daemon
