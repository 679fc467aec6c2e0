// import_report.cpp — report.json and the human summary; see import_report.h.
#include "importer/import_report.h"

#include <cstdio>
#include <map>

#include "ccm/json_writer.h"

namespace ccm::importer {

namespace {

// How much of report.json WriteReportJson holds before handing it to its sink: large enough that
// a piece is one cheap write, small beside the report of a large set (about 650 bytes a user).
constexpr std::size_t kReportPieceBytes = 64 * 1024;

// Control characters would let export text forge lines in a terminal summary.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  return out;
}

std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", s);
  return text;
}

void StringList(JsonWriter& w, std::string_view key, const std::vector<std::string>& values) {
  w.Key(key);
  w.BeginArray();
  for (const auto& v : values)
    w.String(v);
  w.EndArray();
}

}  // namespace

std::string_view ImportOutcomeName(ImportOutcome outcome) {
  switch (outcome) {
    case ImportOutcome::kDone:
      return "done";
    case ImportOutcome::kDoneWithWarnings:
      return "done-with-warnings";
    case ImportOutcome::kDeferred:
      return "deferred";
    case ImportOutcome::kRefused:
      return "refused";
    case ImportOutcome::kInterrupted:
      return "interrupted";
  }
  return "refused";
}

std::string_view DirectoryStatusName(DirectoryStatus status) {
  switch (status) {
    case DirectoryStatus::kNotApplied:
      return "not-applied";
    case DirectoryStatus::kApplied:
      return "applied";
    case DirectoryStatus::kUnchanged:
      return "unchanged";
    case DirectoryStatus::kFailed:
      return "failed";
  }
  return "not-applied";
}

std::string_view SkippedKindName(SkippedKind kind) {
  switch (kind) {
    case SkippedKind::kPab:
      return "PAB";
    case SkippedKind::kPublicMessages:
      return "PublicMessages";
  }
  return "PAB";
}

bool UserReport::Incomplete() const {
  return decision == Decision::kSkipNotFound || decision == Decision::kConflict ||
         directory == DirectoryStatus::kFailed || messages_failed > 0;
}

std::uint64_t ImportReport::MessagesDelivered() const {
  std::uint64_t n = 0;
  for (const auto& u : users)
    n += u.messages_delivered;
  return n;
}

std::uint64_t ImportReport::WarningCount() const {
  std::uint64_t n = warnings.size() + warnings_not_shown;
  for (const auto& u : users)
    n += u.warnings.size();
  return n;
}

void WriteReportJson(const ImportReport& r, const ReportTextSink& sink) {
  // Keyed by name: the totals keep their alphabetical order in report.json.
  std::map<std::string_view, std::uint64_t> by_decision;
  for (Decision d : kDecisions)
    by_decision[DecisionName(d)] = 0;
  std::uint64_t messages = 0, delivered = 0, present = 0, failed = 0;
  std::uint64_t books = 0, books_delivered = 0, books_present = 0, translated = 0, untranslated = 0;
  for (const auto& u : r.users) {
    ++by_decision[DecisionName(u.decision)];
    messages += u.messages;
    delivered += u.messages_delivered;
    present += u.messages_already_present;
    failed += u.messages_failed;
    books += u.address_books;
    books_delivered += u.address_books_delivered;
    books_present += u.address_books_already_present;
    translated += u.addresses_translated;
    untranslated += u.addresses_untranslated;
  }

  JsonWriter w;
  // Called after each element of the report's lists, which are as long as the set is large.
  auto hand_over_full_piece = [&] {
    if (w.size() >= kReportPieceBytes)
      sink(w.TakeText());
  };
  w.BeginObject();
  w.Key("ccmigrate_report");
  w.Int(1);
  w.Member("set", r.set);
  w.Member("outcome", ImportOutcomeName(r.outcome));
  w.Member("reason", r.reason);
  if (r.error_kind)
    w.Member("error_kind", ImportErrorKindName(*r.error_kind));
  w.Member("source_timezone", r.source_timezone);
  w.Key("code_page");
  w.Int(r.code_page);

  w.Key("totals");
  w.BeginObject();
  w.Member("users", r.users.size());
  for (const auto& [decision, count] : by_decision) {
    w.Key(decision);
    w.Uint(count);
  }
  w.Member("directory_changes_applied", r.directory_changes_applied);
  w.Member("messages", messages);
  w.Member("messages_delivered", delivered);
  w.Member("messages_already_present", present);
  w.Member("messages_failed", failed);
  w.Member("address_books", books);
  w.Member("address_books_delivered", books_delivered);
  w.Member("address_books_already_present", books_present);
  w.Member("addresses_translated", translated);
  w.Member("addresses_untranslated", untranslated);
  w.Member("warnings", r.WarningCount());
  w.EndObject();

  w.Key("timings_ms");
  w.BeginObject();
  for (auto [key, value] :
       {std::pair{"validate", r.timings.validate}, std::pair{"plan", r.timings.plan},
        std::pair{"apply", r.timings.apply}, std::pair{"deliver", r.timings.deliver},
        std::pair{"total", r.timings.total}, std::pair{"addresses", r.timings.addresses}}) {
    w.Key(key);
    // JsonWriter has no floating type; milliseconds are precise enough.
    w.Uint(static_cast<std::uint64_t>(value * 1000.0 + 0.5));
  }
  w.EndObject();

  w.Key("users");
  w.BeginArray();
  for (const auto& u : r.users) {
    w.BeginObject();
    w.Member("address", u.address);
    w.Member("decision", DecisionName(u.decision));
    w.Member("dn", u.dn);
    w.Member("mail_store", u.mail_store);
    w.Member("reason", u.reason);
    w.Member("directory", DirectoryStatusName(u.directory));
    w.Member("messages", u.messages);
    w.Member("messages_delivered", u.messages_delivered);
    w.Member("messages_already_present", u.messages_already_present);
    w.Member("messages_failed", u.messages_failed);
    w.Member("address_books", u.address_books);
    w.Member("address_books_delivered", u.address_books_delivered);
    w.Member("address_books_already_present", u.address_books_already_present);
    w.Member("addresses_translated", u.addresses_translated);
    w.Member("addresses_untranslated", u.addresses_untranslated);
    StringList(w, "warnings", u.warnings);
    StringList(w, "notes", u.notes);
    w.EndObject();
    hand_over_full_piece();
  }
  w.EndArray();

  w.Key("synthesised_sections");
  w.BeginArray();
  for (const auto& s : r.synthesised) {
    w.BeginObject();
    w.Member("address", s.address);
    w.Member("file", s.file);
    w.Member("reason", s.reason);
    w.EndObject();
    hand_over_full_piece();
  }
  w.EndArray();

  w.Key("skipped_sections");
  w.BeginArray();
  for (const auto& s : r.skipped_sections) {
    w.BeginObject();
    w.Member("kind", SkippedKindName(s.kind));
    w.Member("owner", s.owner);
    w.Member("file", s.file);
    w.Member("line", s.line);
    w.Member("records", s.records);
    w.Member("reason", s.reason);
    w.EndObject();
    hand_over_full_piece();
  }
  w.EndArray();

  w.Key("untranslated_addresses");
  w.BeginArray();
  for (const auto& a : r.untranslated_addresses) {
    w.BeginObject();
    w.Member("address", a.address);
    w.Member("reason", a.reason);
    w.EndObject();
    hand_over_full_piece();
  }
  w.EndArray();
  w.Member("untranslated_addresses_not_shown", r.untranslated_addresses_not_shown);
  w.Key("transliterated");
  w.BeginArray();
  for (const auto& t : r.transliterated) {
    w.BeginObject();
    w.Member("address", t.address);
    w.Member("as", t.ascii);
    w.EndObject();
    hand_over_full_piece();
  }
  w.EndArray();

  if (!r.public_root.empty()) {
    w.Key("public");
    w.BeginObject();
    w.Member("root", r.public_root);
    w.Member("messages_delivered", r.public_delivered);
    w.Member("messages_already_present", r.public_already_present);
    w.EndObject();
  }
  StringList(w, "warnings", r.warnings);
  w.Member("warnings_not_shown", r.warnings_not_shown);
  if (!r.journal_dir.empty())
    w.Member("journal_dir", r.journal_dir);
  w.EndObject();
  std::string last = w.TakeText();
  last.push_back('\n');
  sink(last);
}

std::string RenderReportJson(const ImportReport& report) {
  std::string text;
  WriteReportJson(report, [&text](std::string_view piece) { text += piece; });
  return text;
}

std::string RenderReportSummary(const ImportReport& r) {
  std::map<Decision, std::uint64_t> by_decision;
  std::uint64_t messages = 0, delivered = 0, present = 0, failed = 0;
  std::uint64_t books = 0, books_delivered = 0, books_present = 0, translated = 0, untranslated = 0;
  for (const auto& u : r.users) {
    ++by_decision[u.decision];
    messages += u.messages;
    delivered += u.messages_delivered;
    present += u.messages_already_present;
    failed += u.messages_failed;
    books += u.address_books;
    books_delivered += u.address_books_delivered;
    books_present += u.address_books_already_present;
    translated += u.addresses_translated;
    untranslated += u.addresses_untranslated;
  }
  std::string out = "import " + Printable(r.set) + ": " + std::string(ImportOutcomeName(r.outcome));
  if (!r.reason.empty())
    out += " (" + Printable(r.reason) + ")";
  out += "\n  users: " + std::to_string(r.users.size());
  for (Decision d : kDecisions) {
    if (by_decision[d] > 0)
      out += ", " + std::to_string(by_decision[d]) + " " + std::string(DecisionName(d));
  }
  out += "; directory changes applied: " + std::to_string(r.directory_changes_applied) + "\n";
  out += "  messages: " + std::to_string(messages) + " in the set, " + std::to_string(delivered) +
         " delivered now, " + std::to_string(present) + " already present";
  if (failed > 0)
    out += ", " + std::to_string(failed) + " FAILED";
  out += "\n";
  if (books > 0) {
    out += "  address books: " + std::to_string(books) + " in the set, " +
           std::to_string(books_delivered) + " delivered now, " + std::to_string(books_present) +
           " already present\n";
  }
  if (translated + untranslated > 0) {
    out += "  addresses: " + std::to_string(translated) + " written as SMTP addresses, " +
           std::to_string(untranslated) + " kept as cc:Mail addresses (" +
           std::to_string(r.untranslated_addresses.size() + r.untranslated_addresses_not_shown) +
           " distinct named in report.json)\n";
  }
  for (const auto& t : r.transliterated)
    out += "  transliterated " + Printable(t.address) + " -> " + Printable(t.ascii) + "\n";
  if (!r.public_root.empty()) {
    out += "  public folders: " + std::to_string(r.public_delivered) + " delivered, " +
           std::to_string(r.public_already_present) + " already present, under " +
           Printable(r.public_root) + "\n";
  }
  for (const auto& s : r.skipped_sections) {
    out += "  skipped " + std::string(SkippedKindName(s.kind)) + " section " + Printable(s.file) +
           ":" + std::to_string(s.line) + (s.owner.empty() ? "" : " (" + Printable(s.owner) + ")") +
           ": " + Printable(s.reason) + "\n";
  }
  for (const auto& s : r.synthesised) {
    out += "  synthesised MAILMESSAGE section for " + Printable(s.address) + " (" +
           Printable(s.reason) + "; `ccmigrate fix` writes it into " + Printable(s.file) + ")\n";
  }
  constexpr std::size_t kShown = 10;
  std::size_t shown = 0;
  for (const auto& u : r.users) {
    if (u.Incomplete()) {
      if (shown++ < kShown) {
        out += "  " + std::string(DecisionName(u.decision)) + ": " + Printable(u.address) +
               (u.reason.empty() ? "" : " — " + Printable(u.reason)) + "\n";
      }
    }
  }
  std::uint64_t warnings = r.WarningCount();
  if (warnings > 0)
    out += "  warnings: " + std::to_string(warnings) + " (see report.json)\n";
  out += "  time: " + Seconds(r.timings.total) + " s (validate " + Seconds(r.timings.validate) +
         ", plan " + Seconds(r.timings.plan) + ", apply " + Seconds(r.timings.apply) +
         ", deliver " + Seconds(r.timings.deliver) + ")\n";
  return out;
}

}  // namespace ccm::importer
