// parallel_delivery.h — delivers the MAILMESSAGE sections of many mailboxes (one import's
// users, or its public folders) into a Maildir++ store on several threads.
//
// Why threads: delivering into fresh mailboxes is mostly the kernel creating directories and
// files (about 33 directories per user in the benchmark set); a single thread waits on each
// call in turn and leaves the second core idle. Mailboxes are independent, so workers each
// deliver their own share; on the 2-core benchmark machine two workers ran 1.2–1.5x as fast
// as one (docs/performance.md).
//
// Shares: a mailbox belongs to exactly one worker, chosen by a hash of its key, so no two
// workers ever contend for one (a mailbox is flock'ed while open). The planner never gives two
// users of a set the same mailbox (CheckPlanCollisions makes that a conflict).
//
// Durability is the store's (maildir_sync_batch.h), per worker: each worker has its own batch
// (a pipeline of background syncs) shared by the mailboxes it has open, and a task's
// `delivered` / `already_present` counts are added to its UserReport when its mailbox closes,
// which is once none of its messages is left in the batch. Nothing is counted before it is on
// disk, whichever worker wrote it.
//
// Open files: a worker keeps its open mailboxes (a directory, and tmp/ and cur/ per folder)
// within its share of RLIMIT_NOFILE; past it, it drains its batch and closes them all.
//
// Addresses: each message's From, To, Cc and Bcc pass through `translation` before it is
// composed (its identity was taken from the record before: a rerun still finds it); the
// user's report counts translated and untranslated items of the messages written now. Address
// books go first in their mailbox, so that the first messages a mailbox makes durable are its
// books and the counts of books and messages stay apart.
//
// How it ends: every task done, or a DeliveryHalt. The first halt wins and the other
// workers stop before their next message:
//   kFailed    a section could not be read or the store could not be written (the report says
//              which user and record, `failure` whether a wait can cure it: ccm/io_failure.h);
//              the failing worker starts no more syncs (it counts what the running one made
//              durable), the others flush
//   kStopped   `stop` was set: every worker flushes, then ends (a safe point)
//   kTestAbort TEST_stop_after_messages reached (all workers together): every worker ends as a
//              kill would, without a flush
// A rerun after any of these delivers what is missing (message identities, set_messages.h).
//
// Thread safety: DeliverMailboxes blocks until every worker has ended and runs the first
// worker on the calling thread. Each task's UserReport is written by one worker only;
// `progress` is called under a lock. `stop` may be set from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ccm/io_failure.h"
#include "importer/address_translation.h"
#include "importer/import_report.h"
#include "importer/maildir_store.h"
#include "importer/source_time.h"
#include "parser/file_set.h"
#include "parser/reader_options.h"

namespace ccm::importer {

/// The mail of one mailbox: its sections, delivered in order.
struct MailboxTask {
  std::string mailbox_key;  ///< the mailbox directory's key under the store root
  std::vector<const parser::SectionInfo*> sections;
  UserReport* user;  ///< receives messages, failures, warnings and (after a flush) the counts
  /// PAB sections, each delivered as one address-book message into the Inbox before the mail.
  std::vector<const parser::SectionInfo*> address_books = {};
};

/// Where the messages come from and where they go.
struct ParallelDeliveryOptions {
  const parser::SetDirectory* directory = nullptr;  ///< the validated set's directory
  const parser::FileSetScan* scan = nullptr;        ///< its scan
  TimeZone zone = TimeZone::Utc();                  ///< [import] source_timezone
  parser::ReaderOptions reader;
  MaildirOptions store;  ///< root, sync_batch, sync
  /// Header and address-book addresses rewritten with it (address_translation.h); nullptr =
  /// none are (and none are counted).
  const AddressTranslation* translation = nullptr;
  std::size_t threads = 1;  ///< workers (>= 1); fewer run when there are fewer mailboxes
  const std::atomic<bool>* stop = nullptr;
  std::optional<std::uint64_t> TEST_stop_after_messages;  ///< over all workers
  /// Called after each message with the tasks finished and the messages written so far.
  std::function<void(std::size_t tasks_done, std::uint64_t messages)> progress;
};

/// Why delivery ended before every task was done.
struct DeliveryHalt {
  enum class Kind { kFailed, kStopped, kTestAbort };
  Kind kind;
  std::string reason;  ///< for kFailed: names the user or file, and the error
  /// kFailed only: whether a later retry can succeed by itself (a full or refusing store
  /// cannot).
  IoFailure failure = IoFailure::kTransient;
};

/// How delivery ended.
struct DeliveryEnd {
  std::optional<DeliveryHalt> halt;  ///< nullopt when every task was done
  std::uint64_t messages = 0;        ///< messages written by all workers (durable or not)
};

/// Delivers every task's sections (see the file comment).
DeliveryEnd DeliverMailboxes(const ParallelDeliveryOptions& options,
                             std::vector<MailboxTask>& tasks);

}  // namespace ccm::importer
