// parallel_delivery.cpp — workers delivering mailboxes' sections; see parallel_delivery.h.
#include "importer/parallel_delivery.h"

#include <sys/resource.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "importer/address_book_message.h"
#include "importer/maildir_sync_batch.h"
#include "importer/message_delivery.h"
#include "importer/set_messages.h"
#include "parser/byte_source.h"
#include "parser/source_address.h"

namespace ccm::importer {

namespace {

constexpr std::size_t kMaxWarningsPerUser = 100;

// Descriptors each worker may hold in open mailboxes: its share of the process's limit, after a
// reserve for everything else that is open (directory connections, journal, logs) and the pool
// the set directories keep their files open in (parser::SetFileDescriptorPool).
// A mailbox stays open while its messages are in the batch's pipeline (about three batches'
// worth of mailboxes); past the budget the worker drains the pipeline and closes them all.
std::size_t DescriptorBudget(std::size_t threads) {
  const std::size_t reserve = 64 + parser::SetFileDescriptorPool();  // the process
  constexpr std::size_t kWorkerReserve = 32;  // a worker's set files (<= 8 secondaries) and batch
  constexpr std::size_t kMinimum = 32;        // below, delivery fails with EMFILE, named
  constexpr std::size_t kMaximum = 4096;      // more buys nothing but memory
  rlimit limit{};
  std::size_t soft = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    soft = static_cast<std::size_t>(limit.rlim_cur);
  std::size_t share = soft > reserve ? (soft - reserve) / threads : 0;
  share = share > kWorkerReserve ? share - kWorkerReserve : 0;
  return std::clamp(share, kMinimum, kMaximum);
}

// What the workers share: the first halt, the counters behind progress and the test hook.
class Crew {
 public:
  explicit Crew(const ParallelDeliveryOptions& options) : options_(options) {}

  bool halted() const { return halted_.load(std::memory_order_relaxed); }
  bool abort_without_flush() const {
    std::lock_guard lock(mutex_);
    return halt_ && halt_->kind == DeliveryHalt::Kind::kTestAbort;
  }
  void Halt(DeliveryHalt halt) {
    std::lock_guard lock(mutex_);
    if (!halt_)
      halt_ = std::move(halt);
    halted_ = true;
  }
  DeliveryEnd End() {
    std::lock_guard lock(mutex_);
    return {std::move(halt_), messages_.load()};
  }

  // One message written; halts the crew when a stop is due. False when the worker must stop.
  bool MessageDone() {
    std::uint64_t messages = messages_.fetch_add(1) + 1;
    Report(messages);
    if (options_.TEST_stop_after_messages && messages >= *options_.TEST_stop_after_messages) {
      Halt({DeliveryHalt::Kind::kTestAbort, "stopped by a TEST_ hook"});
    } else if (options_.stop != nullptr && options_.stop->load()) {
      Halt({DeliveryHalt::Kind::kStopped, "stop requested; a rerun finishes the set"});
    }
    return !halted();
  }
  void TaskDone() {
    tasks_done_.fetch_add(1);
    Report(messages_.load());
  }

 private:
  void Report(std::uint64_t messages) {
    if (!options_.progress)
      return;
    std::lock_guard lock(mutex_);
    options_.progress(tasks_done_.load(), messages);
  }

  const ParallelDeliveryOptions& options_;
  mutable std::mutex mutex_;
  std::optional<DeliveryHalt> halt_;
  std::atomic<bool> halted_{false};
  std::atomic<std::uint64_t> messages_{0};
  std::atomic<std::size_t> tasks_done_{0};
};

// One worker: its own message source (open files, converter), diagnostics, batch and open
// mailboxes. Everything here is touched by its thread only.
class Worker {
 public:
  Worker(const ParallelDeliveryOptions& options, Crew& crew, std::size_t descriptor_budget)
      : options_(options), crew_(crew), descriptor_budget_(descriptor_budget) {}

  void Run(const std::vector<MailboxTask*>& share) {
    auto source =
        SetMessageSource::Open(*options_.directory, *options_.scan, options_.zone, options_.reader);
    if (!source) {
      crew_.Halt({DeliveryHalt::Kind::kFailed, source.error().message, source.error().failure()});
      return;
    }
    messages_ = std::move(*source);
    for (MailboxTask* task : share) {
      if (crew_.halted() || !Deliver(*task))
        break;
      CloseSettled();
      if (OpenDescriptors() > descriptor_budget_ && !FlushOpen())
        break;
      crew_.TaskDone();
    }
    // Done, stopped, or ended by another worker's failure: what was written is made durable.
    // After its own failure nothing more is synced, but what the running sync makes durable is
    // counted; after a test abort (a kill) not even that. Either way the messages of earlier
    // syncs are counted.
    if (failed_) {
      if (batch_ != nullptr)
        batch_->Settle();
    } else if (!crew_.abort_without_flush()) {
      FlushOpen();
    }
    CloseOpen();
  }

 private:
  struct OpenMailbox {
    std::unique_ptr<MaildirMailbox> mailbox;
    UserReport* user;
    std::uint64_t books_queued = 0;   // address books written (first in the mailbox)
    std::uint64_t books_present = 0;  // address books an earlier run delivered
  };

  // Rewrites the message's addresses; returns how many were translated and untranslated.
  std::pair<std::uint64_t, std::uint64_t> Translate(MailMessage& m) const {
    std::pair<std::uint64_t, std::uint64_t> counts{0, 0};
    if (options_.translation == nullptr)
      return counts;
    auto one = [&](MailAddress& a) {
      switch (options_.translation->Translate(a)) {
        case AddressForm::kTranslated:
          ++counts.first;
          break;
        case AddressForm::kUntranslated:
          ++counts.second;
          break;
        case AddressForm::kKept:
          break;
      }
    };
    one(m.sender);
    for (auto* list : {&m.to, &m.cc, &m.bcc}) {
      for (MailAddress& a : *list)
        one(a);
    }
    return counts;
  }

  void Fail(std::string reason, IoFailure failure) {
    failed_ = true;
    crew_.Halt({DeliveryHalt::Kind::kFailed, std::move(reason), failure});
  }

  // Delivers the task's sections into its mailbox, opened on the first message (a user without
  // mail gets no Maildir: creating one costs a dozen mkdirs and the mail server creates it on
  // first login anyway). False when the worker must stop.
  bool Deliver(MailboxTask& task) {
    UserReport& user = *task.user;
    MaildirMailbox* mailbox = nullptr;
    auto warn = [&](std::string text) {
      if (user.warnings.size() < kMaxWarningsPerUser)
        user.warnings.push_back(std::move(text));
    };
    auto open_mailbox = [&]() -> bool {
      if (mailbox != nullptr)
        return true;
      if (batch_ == nullptr) {
        batch_ = std::make_unique<MaildirSyncBatch>(options_.store.sync_batch, options_.store.sync);
      }
      auto opened = MaildirMailbox::Open(options_.store, task.mailbox_key, batch_.get());
      if (!opened) {
        Fail(user.address + ": " + opened.error().message, opened.error().failure());
        return false;
      }
      open_.push_back({std::move(*opened), &user});
      mailbox = open_.back().mailbox.get();
      return true;
    };
    for (const parser::SectionInfo* section : task.address_books) {
      if (crew_.halted())
        return false;
      std::vector<std::string> warnings;
      auto book = ReadAddressBook(*messages_, *options_.directory, *options_.scan, *section,
                                  options_.reader, sink_, warnings);
      for (auto& w : warnings)
        warn(std::move(w));
      if (!book) {
        Fail("reading " + section->file + ": " + book.error().message, book.error().failure());
        return false;
      }
      static const AddressTranslation kNoTranslation;
      const AddressTranslation& translation =
          options_.translation != nullptr ? *options_.translation : kNoTranslation;
      AddressBookMessage m = MakeAddressBookMessage(
          *book,
          AddressBookIdentity(parser::NormalizeSourceAddress(section->owner), *section, *book),
          translation);
      if (!open_mailbox())
        return false;
      auto delivered = DeliverMessage(*mailbox, "", m.message);
      if (!delivered) {
        Fail(user.address + ": " + section->file + ":" + std::to_string(section->header_line) +
                 ": " + delivered.error().message,
             delivered.error().failure());
        return false;
      }
      OpenMailbox& open = open_.back();
      if (*delivered == DeliveryOutcome::kAlreadyPresent) {
        ++open.books_present;
      } else {
        ++open.books_queued;
        if (options_.translation != nullptr) {
          user.addresses_translated += m.counts.addresses_translated;
          user.addresses_untranslated += m.counts.addresses_untranslated;
        }
      }
    }
    for (const parser::SectionInfo* section : task.sections) {
      auto stream = messages_->OpenSection(*section, sink_);
      if (!stream) {
        Fail("reading " + section->file + ": " + stream.error().message, stream.error().failure());
        return false;
      }
      for (;;) {
        auto next = (*stream)->Next();
        if (!next) {
          ++user.messages;
          ++user.messages_failed;
          warn(next.error().message + "; message not delivered");
          continue;
        }
        if (!next->has_value())
          break;
        SetMessage& m = **next;
        ++user.messages;
        for (auto& w : m.warnings)
          warn(std::move(w));
        if (!open_mailbox())
          return false;
        const auto [translated, untranslated] = Translate(m.message);
        auto delivered = DeliverMessage(*mailbox, m.folder, m.message);
        if (!delivered) {
          Fail(user.address + ": " + m.origin + ": " + delivered.error().message,
               delivered.error().failure());
          return false;
        }
        if (*delivered == DeliveryOutcome::kQueued) {
          user.addresses_translated += translated;
          user.addresses_untranslated += untranslated;
        }
        if (!crew_.MessageDone())
          return false;
      }
    }
    return true;
  }

  // Drains the batch shared by every open mailbox (the running sync, then one or two more for
  // what is left), records their counts and closes them.
  bool FlushOpen() {
    if (batch_ != nullptr) {
      if (auto flushed = batch_->Flush(); !flushed) {
        Fail(flushed.error().message, flushed.error().failure());
        return false;
      }
    }
    CloseOpen();
    return true;
  }

  // Adds each open mailbox's durable counts to its user and closes it; messages not yet synced
  // are dropped with it (they were never counted).
  void CloseOpen() {
    for (OpenMailbox& open : open_)
      AddCounts(open);
    open_.clear();
  }

  // Closes the mailboxes whose messages are all counted (their tasks are done: this runs
  // between tasks).
  void CloseSettled() {
    std::erase_if(open_, [&](OpenMailbox& open) {
      if (open.mailbox->in_batch() != 0)
        return false;
      AddCounts(open);
      return true;
    });
  }

  // The books went first into their mailbox, so the first messages it counts durable are its
  // books (batches become durable in order).
  static void AddCounts(const OpenMailbox& open) {
    const std::uint64_t durable = open.mailbox->delivered();
    const std::uint64_t books = std::min(durable, open.books_queued);
    open.user->address_books_delivered += books;
    open.user->messages_delivered += durable - books;
    open.user->address_books_already_present += open.books_present;
    open.user->messages_already_present += open.mailbox->already_present() - open.books_present;
  }

  std::size_t OpenDescriptors() const {
    std::size_t n = 0;
    for (const OpenMailbox& open : open_)
      n += open.mailbox->descriptors();
    return n;
  }

  const ParallelDeliveryOptions& options_;
  Crew& crew_;
  const std::size_t descriptor_budget_;
  std::unique_ptr<SetMessageSource> messages_;
  // Diagnostics of records re-read here were reported by validation already.
  parser::DiagnosticSink sink_{0};
  std::unique_ptr<MaildirSyncBatch> batch_;  // outlives open_ (declared first)
  std::vector<OpenMailbox> open_;
  bool failed_ = false;
};

}  // namespace

DeliveryEnd DeliverMailboxes(const ParallelDeliveryOptions& options,
                             std::vector<MailboxTask>& tasks) {
  std::size_t threads = std::max<std::size_t>(1, std::min(options.threads, tasks.size()));
  std::vector<std::vector<MailboxTask*>> shares(threads);
  for (MailboxTask& task : tasks)
    shares[std::hash<std::string>{}(task.mailbox_key) % threads].push_back(&task);

  Crew crew(options);
  const std::size_t descriptor_budget = DescriptorBudget(threads);
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t i = 0; i < threads; ++i)
    workers.push_back(std::make_unique<Worker>(options, crew, descriptor_budget));
  std::vector<std::jthread> others;
  for (std::size_t i = 1; i < threads; ++i)
    others.emplace_back([&, i] { workers[i]->Run(shares[i]); });
  workers[0]->Run(shares[0]);
  others.clear();  // joins
  return crew.End();
}

}  // namespace ccm::importer
