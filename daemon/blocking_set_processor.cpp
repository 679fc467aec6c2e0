// blocking_set_processor.cpp — runs a blocking set function on worker threads. See
// blocking_set_processor.h.
#include "daemon/blocking_set_processor.h"

#include <boost/asio/post.hpp>
#include <exception>

namespace ccm::daemon {

BlockingSetProcessor::BlockingSetProcessor(Work work, std::size_t threads)
    : work_(std::move(work)), pool_(threads == 0 ? 1 : threads) {}

BlockingSetProcessor::~BlockingSetProcessor() {
  stop_->store(true);
  pool_.join();
}

void BlockingSetProcessor::Process(const ClaimedSet& set, std::function<void(SetOutcome)> done) {
  boost::asio::post(pool_, [this, &set, stop = stop_, done = std::move(done)] {
    SetOutcome outcome;
    try {
      outcome = work_(set, *stop);
    } catch (const std::exception& e) {
      outcome = SetOutcome::Deferred(std::string("unexpected error: ") + e.what());
    } catch (...) {
      outcome = SetOutcome::Deferred("unexpected error");
    }
    done(std::move(outcome));
  });
}

}  // namespace ccm::daemon
