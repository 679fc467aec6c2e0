// import_job.cpp — the import pipeline; see import_job.h.
#include "importer/import_job.h"

#include <map>
#include <ostream>

#include "importer/parallel_delivery.h"
#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/file_set.h"
#include "parser/fix.h"

namespace ccm::importer {

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr std::size_t kMaxSetWarnings = 200;

// Users and messages done, and the rate; one overwritten line on a terminal, periodic lines
// otherwise.
class Progress {
 public:
  Progress(std::ostream* out, std::string label, bool terminal, std::chrono::seconds interval,
           std::size_t users)
      : out_(out),
        label_(std::move(label)),
        terminal_(terminal),
        interval_(interval),
        users_(users) {}

  void Update(std::size_t users_done, std::uint64_t messages) {
    if (out_ == nullptr)
      return;
    auto now = Clock::now();
    auto every = terminal_ ? std::chrono::milliseconds(250)
                           : std::chrono::duration_cast<std::chrono::milliseconds>(interval_);
    if (now - last_ < every)
      return;
    last_ = now;
    Print(users_done, messages, now);
  }

  void Finish(std::size_t users_done, std::uint64_t messages) {
    if (out_ == nullptr)
      return;
    Print(users_done, messages, Clock::now());
    if (terminal_)
      *out_ << '\n';
    out_->flush();
  }

 private:
  void Print(std::size_t users_done, std::uint64_t messages, Clock::time_point now) {
    double seconds = std::chrono::duration<double>(now - start_).count();
    auto rate =
        static_cast<std::uint64_t>(seconds > 0 ? static_cast<double>(messages) / seconds : 0.0);
    std::string line = label_ + ": users " + std::to_string(users_done) + "/" +
                       std::to_string(users_) + ", messages " + std::to_string(messages) + " (" +
                       std::to_string(rate) + "/s)";
    if (terminal_) {
      *out_ << '\r' << line << "\x1b[K";
    } else {
      *out_ << line << '\n';
    }
    out_->flush();
  }

  std::ostream* out_;
  std::string label_;
  bool terminal_;
  std::chrono::seconds interval_;
  std::size_t users_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

bool Receives(Decision d) {
  return d == Decision::kConvert || d == Decision::kDeliver || d == Decision::kCreate;
}

int ExitCodeOf(ImportOutcome outcome) {
  switch (outcome) {
    case ImportOutcome::kDone:
      return 0;
    case ImportOutcome::kDoneWithWarnings:
      return 1;
    case ImportOutcome::kRefused:
      return 2;
    case ImportOutcome::kDeferred:
    case ImportOutcome::kInterrupted:
      return 75;
  }
  return 2;
}

// The state of one run, so that every early exit writes the same report.
class Job {
 public:
  Job(const ImportJobOptions& options, DirectoryAccess& directory)
      : options_(options), directory_(directory) {}

  ImportResult Run();

 private:
  ImportResult Finish(ImportOutcome outcome, std::string reason, int exit_code = -1);
  ImportResult Abrupt();
  std::string Utf8(std::string_view text) {
    return text_ ? text_->ToUtf8(text) : std::string(text);
  }
  void SetWarning(std::string text);
  // Delivers the tasks' mail (parallel_delivery.h) into `store`; false when the job must end
  // now (result_ is then set).
  bool Deliver(const MaildirOptions& store, std::size_t threads, std::vector<MailboxTask>& tasks,
               std::size_t users_done_before);

  const ImportJobOptions& options_;
  DirectoryAccess& directory_;
  ImportReport report_;
  Clock::time_point start_ = Clock::now();
  std::unique_ptr<parser::DiskDirectory> set_dir_;
  std::optional<parser::FileSetScan> scan_;
  std::optional<parser::TextConverter> text_;
  std::string text_error_;  // why there is no converter for the set's code page
  parser::DiagnosticSink sink_{1000};
  std::unique_ptr<Progress> progress_;
  std::uint64_t messages_done_ = 0;  // over earlier Deliver() calls
  std::optional<ImportResult> result_;
};

void Job::SetWarning(std::string text) {
  if (report_.warnings.size() < kMaxSetWarnings) {
    report_.warnings.push_back(std::move(text));
  } else {
    ++report_.warnings_not_shown;
  }
}

ImportResult Job::Finish(ImportOutcome outcome, std::string reason, int exit_code) {
  report_.outcome = outcome;
  report_.reason = std::move(reason);
  report_.timings.total = Since(start_);
  ImportResult result;
  result.exit_code = exit_code >= 0 ? exit_code : ExitCodeOf(outcome);
  result.interrupted = outcome == ImportOutcome::kInterrupted;
  result.report = std::move(report_);
  return result;
}

ImportResult Job::Abrupt() {
  return Finish(ImportOutcome::kInterrupted, "stopped by a TEST_ hook");
}

bool Job::Deliver(const MaildirOptions& store, std::size_t threads, std::vector<MailboxTask>& tasks,
                  std::size_t users_done_before) {
  ParallelDeliveryOptions d;
  d.directory = set_dir_.get();
  d.scan = &*scan_;
  d.zone = options_.source_zone;
  d.reader = options_.reader;
  d.store = store;
  d.threads = threads;
  d.stop = options_.stop;
  if (options_.TEST_stop_after_messages) {
    d.TEST_stop_after_messages = *options_.TEST_stop_after_messages -
                                 std::min(messages_done_, *options_.TEST_stop_after_messages);
  }
  d.progress = [&](std::size_t tasks_done, std::uint64_t messages) {
    progress_->Update(users_done_before + tasks_done, messages_done_ + messages);
  };
  DeliveryEnd end = DeliverMailboxes(d, tasks);
  messages_done_ += end.messages;
  if (!end.halt)
    return true;
  const DeliveryHalt& halt = *end.halt;
  switch (halt.kind) {
    case DeliveryHalt::Kind::kTestAbort:
      result_ = Abrupt();
      break;
    case DeliveryHalt::Kind::kStopped:
      result_ = Finish(ImportOutcome::kInterrupted, halt.reason);
      break;
    case DeliveryHalt::Kind::kFailed:
      result_ = Finish(ImportOutcome::kDeferred, halt.reason);
      break;
  }
  return false;
}

ImportResult Job::Run() {
  report_.set = options_.pkl_path.string();
  report_.source_timezone = options_.source_zone.name();

  // 1. Validate the whole set before touching anything.
  auto phase = Clock::now();
  std::filesystem::path dir = options_.pkl_path.parent_path();
  if (dir.empty())
    dir = ".";
  auto opened = parser::DiskDirectory::OpenPath(dir.string());
  if (!opened)
    return Finish(ImportOutcome::kRefused, "cannot open the set: " + opened.error());
  set_dir_ = std::move(*opened);
  parser::ScanOptions scan_options{options_.reader, options_.accounts, options_.accounts_file,
                                   options_.caller_files};
  auto scan =
      parser::ScanFileSet(*set_dir_, options_.pkl_path.filename().string(), scan_options, sink_);
  report_.timings.validate = Since(phase);
  if (!scan)
    return Finish(ImportOutcome::kRefused, "invalid set: " + scan.error().ToString());
  scan_ = std::move(*scan);
  report_.code_page = scan_->packing_list.code_page.number();
  if (auto converter = parser::TextConverter::Create(scan_->packing_list.code_page)) {
    text_.emplace(std::move(*converter));
  } else {
    text_error_ = converter.error();
  }
  for (const parser::Diagnostic& d : sink_.kept()) {
    // The Q194218 warning is resolved by the in-memory fix below and reported per user under
    // synthesised_sections; repeating it would mark every such set "with warnings".
    if (d.severity == parser::Severity::kWarning && d.message.find("Q194218") != std::string::npos)
      continue;
    if (d.severity != parser::Severity::kInfo)
      SetWarning(Utf8(d.ToString()));
  }
  report_.warnings_not_shown += sink_.dropped();
  if (!scan_->valid || sink_.errors() > 0) {
    return Finish(ImportOutcome::kRefused,
                  "invalid set: " + std::to_string(sink_.errors()) + " error(s); nothing changed");
  }

  // 2. Users, and the in-memory Q194218 fix: users without a section get an empty one.
  std::vector<MigratingUser> users = UsersOfSet(*scan_);
  for (const parser::SynthesisedSection& s : parser::PlanFix(*scan_).sections) {
    report_.synthesised.push_back({Utf8(s.address), s.file, s.reason});
  }

  // 3. Plan.
  phase = Clock::now();
  auto plan = directory_.Plan(users);
  report_.timings.plan = Since(phase);
  if (!plan) {
    const ImportError& e = plan.error();
    if (e.kind == ImportErrorKind::kTransient)
      return Finish(ImportOutcome::kDeferred, "directory: " + e.message);
    if (e.kind == ImportErrorKind::kConfiguration)
      return Finish(ImportOutcome::kRefused, "configuration: " + e.message, 78);
    return Finish(ImportOutcome::kRefused, "directory: " + e.message);
  }
  for (const UserPlan& p : plan->users) {
    UserReport u;
    u.address = Utf8(p.user.source_address);
    u.decision = std::string(DecisionName(p.decision));
    u.dn = p.dn;
    u.mail_store = p.mail_store;
    u.reason = p.reason;
    // The planner marks informational items (DIRECTORY-record collisions) with "info: "; they are
    // notes.
    for (const std::string& w : p.warnings) {
      (w.rfind("info: ", 0) == 0 ? u.notes : u.warnings).push_back(w);
    }
    report_.users.push_back(std::move(u));
  }
  if (VerdictOf(*plan, options_.policy) == PlanVerdict::kRefused) {
    return Finish(ImportOutcome::kRefused,
                  "refused by policy: " + std::to_string(plan->Count(Decision::kConflict)) +
                      " conflict(s), " + std::to_string(plan->Count(Decision::kSkipNotFound)) +
                      " user(s) not found; nothing changed");
  }

  // 4. Mass-change guard.
  std::size_t changes = plan->ConversionsAndCreations();
  if (!options_.force && options_.max_changes > 0 &&
      changes > static_cast<std::size_t>(options_.max_changes)) {
    return Finish(
        ImportOutcome::kRefused,
        "the plan converts or creates " + std::to_string(changes) +
            " entries, more than [import] max_changes = " + std::to_string(options_.max_changes) +
            "; rerun with --force or raise the limit; nothing changed");
  }

  // 5. Apply (journal before each change).
  phase = Clock::now();
  auto applied = directory_.Apply(*plan, options_.output_dir);
  report_.timings.apply = Since(phase);
  if (!applied) {
    const ImportError& e = applied.error();
    if (e.kind == ImportErrorKind::kTransient)
      return Finish(ImportOutcome::kDeferred,
                    "directory: " + e.message + "; a rerun finishes the set");
    return Finish(ImportOutcome::kRefused, "directory: " + e.message,
                  e.kind == ImportErrorKind::kConfiguration ? 78 : 2);
  }
  std::vector<bool> may_deliver(plan->users.size(), false);
  for (std::size_t i = 0; i < plan->users.size(); ++i) {
    UserReport& u = report_.users[i];
    const UserPlan& p = plan->users[i];
    AppliedUser a = i < applied->users.size() ? applied->users[i] : AppliedUser{};
    if (a.status == AppliedUser::Status::kApplied) {
      u.directory = "applied";
      ++report_.directory_changes_applied;
    } else if (a.status == AppliedUser::Status::kFailed) {
      u.directory = "failed";
      u.warnings.push_back("directory change failed: " + a.message + "; no mail delivered");
    } else {
      u.directory = "unchanged";
    }
    may_deliver[i] =
        Receives(p.decision) && a.status != AppliedUser::Status::kFailed && !p.mail_store.empty();
  }
  if (options_.TEST_stop_after_directory)
    return Abrupt();

  // 6. Deliver.
  phase = Clock::now();
  // Every worker converts text with a converter of its own; a code page without one refuses
  // the set before anything is delivered.
  if (!text_) {
    return Finish(
        ImportOutcome::kRefused,
        "code page " + std::to_string(scan_->packing_list.code_page.number()) + ": " + text_error_);
  }
  for (const parser::SectionInfo& s : scan_->sections) {
    if (s.kind == parser::SectionKind::kPab) {
      report_.skipped_sections.push_back(
          {"PAB", Utf8(s.owner), s.file, s.header_line, s.records,
           "PAB sections are validated but not delivered (out of scope for the directory "
           "conversion)"});
    }
  }
  auto [by_owner, public_sections] = MailSectionsOf(*scan_);
  progress_ = std::make_unique<Progress>(options_.progress, options_.progress_label,
                                         options_.progress_terminal, options_.progress_interval,
                                         plan->users.size());
  std::vector<MailboxTask> tasks;
  std::size_t users_not_receiving = 0;
  for (std::size_t i = 0; i < plan->users.size(); ++i) {
    UserReport& u = report_.users[i];
    auto& sections = by_owner[plan->users[i].user.match_key];
    if (may_deliver[i]) {
      tasks.push_back({plan->users[i].mail_store, std::move(sections), &u});
      continue;
    }
    ++users_not_receiving;
    for (const parser::SectionInfo* s : sections)
      u.messages += s->records;
    if (u.messages > 0) {
      u.warnings.push_back(std::to_string(u.messages) + " message(s) not delivered (" + u.decision +
                           ")");
    }
  }
  if (!Deliver(options_.mailstore, options_.delivery_threads, tasks, users_not_receiving))
    return std::move(*result_);

  // Public folders.
  if (!public_sections.empty() && options_.public_root.empty()) {
    for (const parser::SectionInfo* s : public_sections) {
      report_.skipped_sections.push_back(
          {"PublicMessages", "", s->file, s->header_line, s->records,
           "[mailstore] public_root is not configured; public-folder items were not delivered"});
    }
  } else if (!public_sections.empty()) {
    MaildirOptions store = options_.mailstore;
    store.root = options_.public_root;
    UserReport pub;
    pub.address = "PublicMessages";
    std::vector<MailboxTask> public_task{{"PublicMessages", public_sections, &pub}};
    if (!Deliver(store, 1, public_task, plan->users.size()))
      return std::move(*result_);
    report_.public_root = options_.public_root.string();
    report_.public_delivered = pub.messages_delivered;
    report_.public_already_present = pub.messages_already_present;
    for (auto& w : pub.warnings)
      SetWarning(std::move(w));
    if (pub.messages_failed > 0)
      SetWarning(std::to_string(pub.messages_failed) + " public message(s) not delivered");
  }
  report_.timings.deliver = Since(phase);
  progress_->Finish(plan->users.size(), messages_done_);

  // 7. The named outcome.
  bool warnings = report_.WarningCount() > 0;
  for (const UserReport& u : report_.users) {
    if (u.decision == "skip-not-found" || u.decision == "conflict" || u.directory == "failed" ||
        u.messages_failed > 0)
      warnings = true;
  }
  for (const SkippedSection& s : report_.skipped_sections) {
    if (s.kind == "PublicMessages")
      warnings = true;
  }
  if (warnings) {
    std::size_t not_done = plan->Count(Decision::kSkipNotFound) + plan->Count(Decision::kConflict);
    return Finish(ImportOutcome::kDoneWithWarnings,
                  not_done > 0 ? std::to_string(not_done) + " user(s) skipped or in conflict"
                               : "see warnings");
  }
  return Finish(ImportOutcome::kDone, "");
}

}  // namespace

ImportResult RunImport(const ImportJobOptions& options, DirectoryAccess& directory) {
  Job job(options, directory);
  return job.Run();
}

}  // namespace ccm::importer
