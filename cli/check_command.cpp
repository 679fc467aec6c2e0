// check_command.cpp — the `check` subcommand (see check_command.h).
#include "cli/check_command.h"

#include <ostream>

#include "ccm/json_writer.h"
#include "cli/exit_codes.h"
#include "cli/set_report.h"

namespace ccm::cli {

namespace {

constexpr std::string_view kHelp =
    "usage: ccmigrate check PATH.pkl [--json] [--lenient] [--threads N]\n"
    "\n"
    "Validates a migration file set: the packing list, every primary and secondary file it\n"
    "lists, every pointer and message chain. Prints each problem as FILE:LINE: severity: message\n"
    "(for secondary files the number is a byte offset) and a summary.\n"
    "\n"
    "  --json     print one JSON object instead of text\n"
    "  --lenient  accept repairable deviations from the format, with warnings\n"
    "  --threads N  read primary files on N threads (default: one per core, at most 4);\n"
    "             the output is the same for any N\n"
    "\n"
    "Exit codes: 0 valid, 1 valid with warnings, 2 invalid, 64 usage error.\n";

void WriteJson(ScannedSet& set, std::ostream& out) {
  JsonWriter json;
  const parser::DiagnosticSink& sink = *set.sink;
  json.BeginObject();
  json.Member("valid", sink.errors() == 0);
  json.Member("file", set.path.pkl);
  json.Key("code_page");
  if (set.scan) {
    json.Int(set.scan->packing_list.code_page.number());
  } else {
    json.Null();
  }
  parser::SetSummary summary = set.scan ? set.scan->summary : parser::SetSummary{};
  json.Member("users", set.scan ? set.scan->users.size() : 0);
  json.Key("users_missing_mailmessage");
  json.BeginArray();
  if (set.scan) {
    for (const auto* user : set.scan->UsersMissingMailMessage()) {
      json.String(ToUtf8(set, user->address));
    }
  }
  json.EndArray();
  json.Key("sections");
  json.BeginObject();
  json.Member("directory", summary.directory_sections);
  json.Member("pab", summary.pab_sections);
  json.Member("mailmessage", summary.mailmessage_sections);
  json.Member("public_messages", summary.public_sections);
  json.Member("secondary", summary.secondary_sections);
  json.EndObject();
  json.Member("messages", summary.messages);
  json.Member("attachments", summary.attachments);
  json.Member("documents", summary.documents);
  json.Member("bytes", summary.bytes);
  json.Member("errors", sink.errors());
  json.Member("warnings", sink.warnings());
  json.Member("problems_not_shown", sink.dropped());
  json.Key("problems");
  json.BeginArray();
  for (const auto& problem : sink.kept()) {
    json.BeginObject();
    json.Member("file", problem.file);
    json.Key(problem.is_offset ? "offset" : "line");
    json.Uint(problem.where);
    json.Member("severity", parser::SeverityName(problem.severity));
    if (!problem.field.empty()) {
      json.Member("field", problem.field);
    }
    json.Member("message", ToUtf8(set, problem.message));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  out << json.str() << '\n';
}

void WriteText(ScannedSet& set, std::ostream& out) {
  PrintProblems(set, out);
  const parser::DiagnosticSink& sink = *set.sink;
  out << set.path.pkl << ": "
      << (sink.errors() > 0 ? "INVALID" : (sink.warnings() > 0 ? "valid, with warnings" : "valid"))
      << " (" << sink.errors() << " errors, " << sink.warnings() << " warnings)\n";
  if (!set.scan)
    return;
  const auto& scan = *set.scan;
  const auto& s = scan.summary;
  auto missing = scan.UsersMissingMailMessage();
  out << "  code page:  " << scan.packing_list.code_page.number() << '\n'
      << "  users:      " << scan.users.size() << '\n'
      << "  users missing a MAILMESSAGE section: " << missing.size() << '\n';
  for (const auto* user : missing)
    out << "    " << ToUtf8(set, user->address) << '\n';
  out << "  sections:   " << s.directory_sections << " DIRECTORY, " << s.pab_sections << " PAB, "
      << s.mailmessage_sections << " MAILMESSAGE (" << s.public_sections << " PublicMessages), "
      << s.secondary_sections << " secondary\n"
      << "  messages:   " << s.messages << " (attachments: " << s.attachments
      << ", documents: " << s.documents << ")\n"
      << "  bytes:      " << s.bytes << '\n';
}

int RunCheck(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = ParseArgs(args, {{"json", false}, {"lenient", false}, {"threads", true}});
  if (!parsed) {
    err << "ccmigrate check: " << parsed.error() << "\n" << kHelp;
    return kExitUsage;
  }
  if (parsed->help) {
    out << kHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1) {
    err << "ccmigrate check: expected exactly one PATH.pkl\n" << kHelp;
    return kExitUsage;
  }
  parser::ScanOptions options;
  options.reader.lenient = parsed->Flag("lenient");
  if (auto threads = parsed->Value("threads")) {
    const std::string& text = *threads;
    if (text.empty() || text.size() > 3 ||
        text.find_first_not_of("0123456789") != std::string::npos || std::stoul(text) < 1) {
      err << "ccmigrate check: --threads expects a number from 1 to 999\n" << kHelp;
      return kExitUsage;
    }
    options.threads = std::stoul(text);
  }
  ScannedSet set = ScanSetAt(parsed->positional.front(), options, FilesReadAgain::kNo);
  if (parsed->Flag("json")) {
    WriteJson(set, out);
  } else {
    WriteText(set, out);
  }
  return ExitCodeFor(*set.sink);
}

}  // namespace

const Command kCheckCommand{"check", "validate a migration file set (PATH.pkl)", kHelp, RunCheck};

}  // namespace ccm::cli
