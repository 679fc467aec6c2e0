// import_job.cpp — the import pipeline; see import_job.h.
#include "importer/import_job.h"

#include <map>
#include <ostream>

#include "ccm/freed_memory.h"
#include "importer/address_collection.h"
#include "importer/parallel_delivery.h"
#include "parser/byte_source.h"
#include "parser/code_page.h"
#include "parser/file_set.h"
#include "parser/fix.h"
#include "parser/source_address.h"

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

// The state of one run. Each step either continues (returns true) or ends the job with a
// named outcome (returns false; result_ then holds the ending), so that every early exit
// writes the same report.
class Job {
 public:
  Job(const ImportJobOptions& options, DirectoryAccess& directory)
      : options_(options), directory_(directory) {}

  /// validate → plan → guard → apply → deliver → conclude.
  ImportResult Run();
  /// validate → plan → conclude: what `plan` shows, by the same steps.
  PlannedImport Prepare();

 private:
  // The steps, in order.
  bool Validate();
  bool PlanDirectory();
  bool Guard();
  bool ApplyDirectory();
  bool DeliverMail();
  void Conclude();

  bool End(ImportOutcome outcome, std::string reason,
           std::optional<ImportErrorKind> error_kind = std::nullopt);
  bool EndAbruptly();
  // Defers the job: a file of the set could not be opened for a reason a wait cures
  // (ccm/io_failure.h: out of descriptors or memory).
  bool DeferUnreadable(std::string_view what);
  // Ends the job for a failed directory operation, by the error's kind.
  bool EndFor(const ImportError& error, std::string_view rerun_note);
  std::string Utf8(std::string_view text) {
    return text_ ? text_->ToUtf8(text) : std::string(text);
  }
  void SetWarning(std::string text);
  // Learns who the addresses of `sections` are (address_collection.h, address_lookup.h) into
  // translation_; false when the job must end now (result_ is then set).
  bool LearnAddresses(const std::vector<const parser::SectionInfo*>& sections);
  // Delivers the tasks' mail (parallel_delivery.h) into `store`; false when the job must end
  // now (result_ is then set).
  bool Deliver(const MaildirOptions& store, std::size_t threads, std::vector<MailboxTask>& tasks,
               std::size_t users_done_before);
  bool DeliverPublic(const std::vector<const parser::SectionInfo*>& public_sections);
  // Gives the report one record per planned user, once. The run builds them only after the
  // apply, when the changes and prior entries are released, so the two never coexist; the
  // texts move from the plan unless the plan itself is shown (`ccmigrate plan`).
  void ReportUsers();

  const ImportJobOptions& options_;
  DirectoryAccess& directory_;
  ImportReport report_;
  Clock::time_point start_ = Clock::now();
  std::unique_ptr<parser::DiskDirectory> set_dir_;
  std::optional<parser::FileSetScan> scan_;
  std::optional<parser::TextConverter> text_;
  std::string text_error_;  // why there is no converter for the set's code page
  parser::DiagnosticSink sink_{1000};
  std::vector<MigratingUser> users_;   // of the set, from Validate until the plan takes them
  std::optional<DirectoryPlan> plan_;  // from PlanDirectory until the delivery tasks take it
  bool plan_is_shown_ = false;         // Prepare: the caller renders the plan after the job
  bool users_reported_ = false;
  std::vector<bool> may_deliver_;  // per plan user, after apply
  std::unique_ptr<Progress> progress_;
  std::uint64_t messages_done_ = 0;  // over earlier Deliver() calls
  AddressTranslation translation_;   // shared read-only by the delivery workers
  std::optional<ImportResult> result_;
};

void Job::ReportUsers() {
  if (users_reported_ || !plan_)
    return;
  users_reported_ = true;
  auto take = [this](auto& text) { return plan_is_shown_ ? text : std::move(text); };
  report_.users.reserve(plan_->users.size());
  for (UserPlan& p : plan_->users) {
    UserReport u;
    u.address = p.user.transliterated_from.empty() ? Utf8(p.user.source_address)
                                                   : p.user.transliterated_from;
    u.decision = p.decision;
    u.dn = take(p.dn);
    u.mail_store = p.mail_store;
    u.reason = take(p.reason);
    u.warnings = take(p.warnings);
    if (!p.user.transliterated_from.empty())
      u.notes.push_back("looked up as " + p.user.source_address + " ([import] transliteration)");
    for (std::string& note : p.notes)
      u.notes.push_back(take(note));
    report_.users.push_back(std::move(u));
  }
}

void Job::SetWarning(std::string text) {
  if (report_.warnings.size() < kMaxSetWarnings) {
    report_.warnings.push_back(std::move(text));
  } else {
    ++report_.warnings_not_shown;
  }
}

bool Job::End(ImportOutcome outcome, std::string reason,
              std::optional<ImportErrorKind> error_kind) {
  ReportUsers();
  report_.outcome = outcome;
  report_.reason = std::move(reason);
  report_.error_kind = error_kind;
  report_.timings.total = Since(start_);
  ImportResult result;
  result.interrupted = outcome == ImportOutcome::kInterrupted;
  result.report = std::move(report_);
  result_ = std::move(result);
  return false;
}

bool Job::DeferUnreadable(std::string_view what) {
  return End(ImportOutcome::kDeferred,
             "cannot read the set for now: " + std::string(what) + "; a rerun finishes the set",
             ImportErrorKind::kTransient);
}

bool Job::EndAbruptly() {
  return End(ImportOutcome::kInterrupted, "stopped by a TEST_ hook");
}

bool Job::EndFor(const ImportError& e, std::string_view rerun_note) {
  switch (e.kind) {
    case ImportErrorKind::kTransient:
      return End(ImportOutcome::kDeferred, "directory: " + e.message + std::string(rerun_note),
                 e.kind);
    case ImportErrorKind::kConfiguration:
      return End(ImportOutcome::kRefused, "configuration: " + e.message, e.kind);
    case ImportErrorKind::kPermanent:
      break;
  }
  return End(ImportOutcome::kRefused, "directory: " + e.message, e.kind);
}

bool Job::Deliver(const MaildirOptions& store, std::size_t threads, std::vector<MailboxTask>& tasks,
                  std::size_t users_done_before) {
  ParallelDeliveryOptions d;
  d.directory = set_dir_.get();
  d.scan = &*scan_;
  d.zone = options_.source_zone;
  d.reader = options_.reader;
  d.store = store;
  d.translation = &translation_;
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
      return EndAbruptly();
    case DeliveryHalt::Kind::kStopped:
      return End(ImportOutcome::kInterrupted, halt.reason);
    case DeliveryHalt::Kind::kFailed:
      // Both defer: a full or refusing store is fixed by a person, and then a rerun finishes.
      // The kind tells the drop service how long the set may wait (permanent: an age limit).
      return End(ImportOutcome::kDeferred, halt.reason, ImportErrorKindOf(halt.failure));
  }
  return End(ImportOutcome::kDeferred, halt.reason, ImportErrorKind::kTransient);
}

bool Job::LearnAddresses(const std::vector<const parser::SectionInfo*>& sections) {
  for (const parser::User& u : scan_->users) {
    const std::string address = Utf8(u.address);
    if (u.has_directory_record && !u.display_name.empty())
      translation_.AddDisplayName(Utf8(u.display_name), address);
    if (auto native = NativeNameOf(address))
      translation_.AddDisplayName(*native, address);
  }
  auto collected = CollectAddresses(*set_dir_, *scan_, sections, options_.reader, translation_,
                                    kMaxLookedUpAddresses);
  if (!collected) {
    return End(ImportOutcome::kDeferred,
               "reading addresses: " + collected.error().message + "; a rerun finishes",
               ImportErrorKindOf(collected.error().failure()));
  }
  // With transliteration, a non-ASCII address is looked up by its ASCII spelling, as users are.
  std::vector<std::string> spellings = collected->addresses;
  if (options_.transliteration) {
    for (std::string& a : spellings) {
      if (auto ascii = options_.transliteration->ToAscii(a))
        a = std::move(*ascii);
    }
  }
  auto answers = directory_.LookUpAddresses(spellings);
  if (!answers)
    return EndFor(answers.error(), "; a rerun finishes the set");
  auto untranslated = [&](std::string address, std::string reason) {
    if (report_.untranslated_addresses.size() < kMaxUntranslatedShown) {
      report_.untranslated_addresses.push_back({std::move(address), std::move(reason)});
    } else {
      ++report_.untranslated_addresses_not_shown;
    }
  };
  for (std::size_t i = 0; i < collected->addresses.size() && i < answers->size(); ++i) {
    AddressAnswer& answer = (*answers)[i];
    if (answer.person) {
      translation_.AddPerson(collected->addresses[i], std::move(*answer.person));
    } else {
      untranslated(collected->addresses[i], std::move(answer.reason));
    }
  }
  for (std::string& name : collected->unidentified)
    untranslated(std::move(name), "a bare name that names no user of the set");
  report_.untranslated_addresses_not_shown += collected->unidentified_not_kept;
  if (collected->not_collected > 0) {
    report_.untranslated_addresses_not_shown += collected->not_collected;
    SetWarning(std::to_string(collected->not_collected) + " distinct address(es) beyond " +
               std::to_string(kMaxLookedUpAddresses) +
               " were not looked up and keep their cc:Mail form");
  }
  return true;
}

// Validates the whole set before touching anything; the users and the in-memory Q194218 fix
// (users without a MAILMESSAGE section get an empty one).
bool Job::Validate() {
  report_.set = options_.pkl_path.string();
  report_.source_timezone = options_.source_zone.name();
  auto phase = Clock::now();
  std::filesystem::path dir = options_.pkl_path.parent_path();
  if (dir.empty())
    dir = ".";
  auto opened = parser::DiskDirectory::OpenPath(dir.string());
  if (!opened) {
    if (IoFailureOf(opened.error().code) == IoFailure::kTransient)
      return DeferUnreadable(opened.error().message);
    return End(ImportOutcome::kRefused, "cannot open the set: " + opened.error().message);
  }
  set_dir_ = std::move(*opened);
  parser::ScanOptions scan_options{options_.reader, options_.accounts, options_.accounts_file,
                                   options_.caller_files};
  auto scan =
      parser::ScanFileSet(*set_dir_, options_.pkl_path.filename().string(), scan_options, sink_);
  report_.timings.validate = Since(phase);
  if (!scan && scan.error().code == parser::DiagnosticCode::kUnreadableForNow)
    return DeferUnreadable(scan.error().ToString());
  if (!scan)
    return End(ImportOutcome::kRefused, "invalid set: " + scan.error().ToString());
  scan_ = std::move(*scan);
  report_.code_page = scan_->packing_list.code_page.number();
  if (auto converter = parser::TextConverter::Create(scan_->packing_list.code_page)) {
    text_.emplace(std::move(*converter));
  } else {
    text_error_ = converter.error();
  }
  for (const parser::Diagnostic& d : sink_.kept()) {
    // The in-memory fix resolves a missing MAILMESSAGE section; the report lists it under
    // synthesised_sections instead, so it does not make the run "with warnings".
    if (d.code == parser::DiagnosticCode::kUserWithoutMailMessageSection)
      continue;
    if (d.severity != parser::Severity::kInfo)
      SetWarning(Utf8(d.ToString()));
  }
  report_.warnings_not_shown += sink_.dropped();
  // A file the process could not open for want of descriptors or memory says nothing about the
  // set: it is deferred, not refused.
  if (sink_.unreadable_for_now() > 0) {
    for (const parser::Diagnostic& d : sink_.kept()) {
      if (d.code == parser::DiagnosticCode::kUnreadableForNow)
        return DeferUnreadable(d.ToString());
    }
    return DeferUnreadable(std::to_string(sink_.unreadable_for_now()) + " file(s) of the set");
  }
  if (!scan_->valid || sink_.errors() > 0) {
    return End(ImportOutcome::kRefused,
               "invalid set: " + std::to_string(sink_.errors()) + " error(s); nothing changed");
  }

  // Users (in their ASCII spelling when transliteration is on) for the plan.
  users_ = UsersOfSet(*scan_);
  if (options_.transliteration) {
    auto spelled =
        TransliterateUsers(users_, *options_.transliteration, scan_->packing_list.code_page);
    if (!spelled)
      return End(ImportOutcome::kRefused, "transliteration: " + spelled.error());
    for (const MigratingUser& u : users_) {
      if (!u.transliterated_from.empty())
        report_.transliterated.push_back({u.transliterated_from, u.source_address});
    }
  }
  for (const parser::SynthesisedSection& s : parser::PlanFix(*scan_).sections) {
    report_.synthesised.push_back({Utf8(s.address), s.file, s.reason});
  }
  return true;
}

// Resolves and decides every user against the directory; refuses what the policy rejects.
bool Job::PlanDirectory() {
  auto phase = Clock::now();
  auto plan = directory_.Plan(std::move(users_));
  report_.timings.plan = Since(phase);
  if (!plan)
    return EndFor(plan.error(), "");
  plan_ = std::move(*plan);
  if (VerdictOf(*plan_, options_.policy) == PlanVerdict::kRefused) {
    return End(ImportOutcome::kRefused,
               "refused by policy: " + std::to_string(plan_->Count(Decision::kConflict)) +
                   " conflict(s), " + std::to_string(plan_->Count(Decision::kSkipNotFound)) +
                   " user(s) not found; nothing changed");
  }
  return true;
}

// The mass-change guard: refuses a plan that converts or creates more than max_changes.
bool Job::Guard() {
  if (options_.force || !MassChangeGuardTrips(*plan_, options_.max_changes))
    return true;
  return End(
      ImportOutcome::kRefused,
      "the plan converts or creates " + std::to_string(plan_->ConversionsAndCreations()) +
          " entries, more than [import] max_changes = " + std::to_string(options_.max_changes) +
          "; rerun with --force or raise the limit; nothing changed");
}

// Applies the plan (the directory half journals each prior entry first) and records, per
// user, whether mail may be delivered.
bool Job::ApplyDirectory() {
  auto phase = Clock::now();
  auto applied = directory_.Apply(*plan_, options_.output_dir);
  report_.timings.apply = Since(phase);
  if (!applied)
    return EndFor(applied.error(), "; a rerun finishes the set");
  // The changes and the prior entries are spent: delivery and the report read only each user's
  // decision, names and store. Released before the report's records are built, they are not held
  // with them, nor through delivery.
  for (UserPlan& p : plan_->users) {
    p.change.reset();
    p.prior_ldif = {};
  }
  ReturnFreedMemory();
  ReportUsers();
  may_deliver_.assign(plan_->users.size(), false);
  for (std::size_t i = 0; i < plan_->users.size(); ++i) {
    UserReport& u = report_.users[i];
    const UserPlan& p = plan_->users[i];
    AppliedUser a = i < applied->users.size() ? applied->users[i] : AppliedUser{};
    if (a.status == AppliedUser::Status::kApplied) {
      u.directory = DirectoryStatus::kApplied;
      ++report_.directory_changes_applied;
    } else if (a.status == AppliedUser::Status::kFailed) {
      u.directory = DirectoryStatus::kFailed;
      u.warnings.push_back("directory change failed: " + a.message + "; no mail delivered");
    } else {
      u.directory = DirectoryStatus::kUnchanged;
    }
    may_deliver_[i] =
        Receives(p.decision) && a.status != AppliedUser::Status::kFailed && !p.mail_store.empty();
  }
  if (options_.TEST_stop_after_directory)
    return EndAbruptly();
  return true;
}

// Delivers every receiving user's messages, then the public folders.
bool Job::DeliverMail() {
  auto phase = Clock::now();
  // Every worker converts text with a converter of its own; a code page without one refuses
  // the set before anything is delivered.
  if (!text_) {
    return End(
        ImportOutcome::kRefused,
        "code page " + std::to_string(scan_->packing_list.code_page.number()) + ": " + text_error_);
  }
  std::map<std::string, std::vector<const parser::SectionInfo*>> books_by_owner;
  for (const parser::SectionInfo& s : scan_->sections) {
    if (s.kind == parser::SectionKind::kPab)
      books_by_owner[parser::NormalizeSourceAddress(s.owner)].push_back(&s);
  }
  auto [by_owner, public_sections] = MailSectionsOf(*scan_);
  progress_ = std::make_unique<Progress>(options_.progress, options_.progress_label,
                                         options_.progress_terminal, options_.progress_interval,
                                         plan_->users.size());
  std::vector<MailboxTask> tasks;
  std::size_t users_not_receiving = 0;
  auto take_sections = [](auto& by_key, const std::string& key) {
    auto found = by_key.find(key);
    return found == by_key.end() ? std::vector<const parser::SectionInfo*>()
                                 : std::move(found->second);
  };
  for (std::size_t i = 0; i < plan_->users.size(); ++i) {
    UserReport& u = report_.users[i];
    UserPlan& p = plan_->users[i];
    auto sections = take_sections(by_owner, p.user.SectionKey());
    auto books = take_sections(books_by_owner, p.user.SectionKey());
    u.address_books = books.size();
    if (may_deliver_[i]) {
      tasks.push_back({std::move(p.mail_store), std::move(sections), &u, std::move(books)});
      continue;
    }
    ++users_not_receiving;
    for (const parser::SectionInfo* s : sections)
      u.messages += s->records;
    if (u.messages > 0) {
      u.warnings.push_back(std::to_string(u.messages) + " message(s) not delivered (" +
                           std::string(DecisionName(u.decision)) + ")");
    }
    if (u.address_books > 0) {
      u.warnings.push_back(std::to_string(u.address_books) + " address book(s) not delivered (" +
                           std::string(DecisionName(u.decision)) + ")");
    }
  }
  // The tasks hold what delivery needs of the plan and of the sections by owner; the report holds
  // the rest. Released here, they are not held through delivery.
  by_owner.clear();
  books_by_owner.clear();
  plan_.reset();
  ReturnFreedMemory();
  std::vector<const parser::SectionInfo*> named;
  for (const MailboxTask& t : tasks) {
    named.insert(named.end(), t.address_books.begin(), t.address_books.end());
    named.insert(named.end(), t.sections.begin(), t.sections.end());
  }
  if (!options_.public_root.empty())
    named.insert(named.end(), public_sections.begin(), public_sections.end());
  const auto learn_start = Clock::now();
  if (!LearnAddresses(named))
    return false;
  report_.timings.addresses = Since(learn_start);
  if (!Deliver(options_.mailstore, options_.delivery_threads, tasks, users_not_receiving))
    return false;
  if (!DeliverPublic(public_sections))
    return false;
  report_.timings.deliver = Since(phase);
  progress_->Finish(report_.users.size(), messages_done_);
  return true;
}

bool Job::DeliverPublic(const std::vector<const parser::SectionInfo*>& public_sections) {
  if (public_sections.empty())
    return true;
  if (options_.public_root.empty()) {
    for (const parser::SectionInfo* s : public_sections) {
      report_.skipped_sections.push_back(
          {SkippedKind::kPublicMessages, "", s->file, s->header_line, s->records,
           "[mailstore] public_root is not configured; public-folder items were not delivered"});
    }
    return true;
  }
  MaildirOptions store = options_.mailstore;
  store.root = options_.public_root;
  UserReport pub;
  pub.address = "PublicMessages";
  std::vector<MailboxTask> public_task{{"PublicMessages", public_sections, &pub}};
  if (!Deliver(store, 1, public_task, report_.users.size()))
    return false;
  report_.public_root = options_.public_root.string();
  report_.public_delivered = pub.messages_delivered;
  report_.public_already_present = pub.messages_already_present;
  for (auto& w : pub.warnings)
    SetWarning(std::move(w));
  if (pub.messages_failed > 0)
    SetWarning(std::to_string(pub.messages_failed) + " public message(s) not delivered");
  return true;
}

// The named outcome of a job that ran its steps to the end: done, or done with warnings.
void Job::Conclude() {
  ReportUsers();
  bool warnings = report_.WarningCount() > 0;
  std::size_t not_done = 0;  // users skipped or in conflict
  for (const UserReport& u : report_.users) {
    warnings = warnings || u.Incomplete();
    if (u.decision == Decision::kSkipNotFound || u.decision == Decision::kConflict)
      ++not_done;
  }
  for (const SkippedSection& s : report_.skipped_sections)
    warnings = warnings || s.kind == SkippedKind::kPublicMessages;
  if (!warnings) {
    End(ImportOutcome::kDone, "");
    return;
  }
  End(ImportOutcome::kDoneWithWarnings,
      not_done > 0 ? std::to_string(not_done) + " user(s) skipped or in conflict" : "see warnings");
}

ImportResult Job::Run() {
  if (Validate() && PlanDirectory() && Guard() && ApplyDirectory() && DeliverMail())
    Conclude();
  return std::move(*result_);
}

PlannedImport Job::Prepare() {
  plan_is_shown_ = true;
  if (Validate() && PlanDirectory())
    Conclude();
  return {std::move(result_->report), std::move(plan_)};
}

}  // namespace

bool MassChangeGuardTrips(const DirectoryPlan& plan, std::int64_t max_changes) {
  return max_changes > 0 && plan.ConversionsAndCreations() > static_cast<std::size_t>(max_changes);
}

ImportResult RunImport(const ImportJobOptions& options, DirectoryAccess& directory) {
  ImportResult result = Job(options, directory).Run();
  ReturnFreedMemory();  // the set model and the plan are gone; the report is rendered next
  return result;
}

PlannedImport PrepareImport(const ImportJobOptions& options, DirectoryAccess& directory) {
  Job job(options, directory);
  return job.Prepare();
}

}  // namespace ccm::importer
