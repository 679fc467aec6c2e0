// fix.cpp — planning and writing the Q194218 fix (see fix.h).
#include "parser/fix.h"

#include <cstdio>
#include <set>
#include <span>
#include <vector>

#include "ccm/atomic_file.h"
#include "parser/field_codec.h"
#include "parser/primary_writer.h"

namespace ccm::parser {

namespace {

std::string FreeFixFileName(const FileSetScan& scan) {
  for (int n = 1; n < 100; ++n) {
    char name[16];
    std::snprintf(name, sizeof name, "CCMFIX%02d.PRI", n);
    if (scan.FindFile(name) == nullptr)
      return name;
  }
  return "CCMFIX99.PRI";
}

}  // namespace

FixPlan PlanFix(const FileSetScan& scan) {
  FixPlan plan;
  bool set_has_mail = scan.summary.mailmessage_sections > scan.summary.public_sections;
  std::string new_sections;
  PrimaryWriter new_writer(new_sections);
  for (const User* user : scan.UsersMissingMailMessage()) {
    SynthesisedSection section;
    section.address = user->address;
    section.reason = user->origin == UserOrigin::kAccountsFile && !user->has_pab_section
                         ? "mail not selected"
                         : (set_has_mail ? "DB8: no mail" : "mail not selected");
    if (user->has_pab_section && !user->pab_file.empty()) {
      section.file = user->pab_file;
      std::string& text = plan.appended[user->pab_file];
      text += "\r\n";
      PrimaryWriter writer(text);
      writer.BeginSection(SectionKind::kMailMessage, user->address);
      writer.ColumnHeader(MailMessageColumns());
    } else {
      if (plan.new_file.empty())
        plan.new_file = FreeFixFileName(scan);
      section.file = plan.new_file;
      section.in_new_file = true;
      new_writer.BeginSection(SectionKind::kMailMessage, user->address);
      new_writer.ColumnHeader(MailMessageColumns());
    }
    plan.sections.push_back(std::move(section));
  }
  if (!plan.new_file.empty()) {
    std::string text;
    PrimaryWriter(text).Comment(
        " Added by ccmigrate: MAILMESSAGE sections for users without one (KB Q194218)");
    plan.new_file_text = text + new_sections;
    if (!scan.packing_list.ends_with_line_end)
      plan.pkl_suffix = "\r\n";
    plan.pkl_suffix += plan.new_file + ",Primary\r\n";
  }
  return plan;
}

namespace {

// Writes `prefix` (may be null: a byte-identical copy, read in 1 MiB chunks) then `suffix` as
// out_dir_fd/name, atomically (ccm/atomic_file.h).
Result<void, std::string> WriteFileAtomically(int out_dir_fd, const std::string& name,
                                              const ByteSource* prefix, std::string_view suffix) {
  AtomicFileOptions options;
  options.mode = 0644;
  auto file = AtomicFile::Create(out_dir_fd, name, options);
  if (!file)
    return Fail(std::move(file.error().message));
  if (prefix != nullptr) {
    std::vector<char> buffer(1 << 20);
    std::uint64_t offset = 0;
    while (offset < prefix->size()) {
      auto got = prefix->ReadAt(offset, std::span<char>(buffer));
      if (!got)
        return Fail(name + ": " + got.error().message);
      if (*got == 0)
        return Fail(name + ": source shrank while being copied");
      if (auto appended = file->Append(std::string_view(buffer.data(), *got)); !appended)
        return Fail(std::move(appended.error().message));
      offset += *got;
    }
  }
  if (auto appended = file->Append(suffix); !appended)
    return Fail(std::move(appended.error().message));
  if (auto committed = file->Commit(); !committed)
    return Fail(std::move(committed.error().message));
  return {};
}

}  // namespace

Result<FixOutcome, std::string> WriteFixedSet(const SetDirectory& input, const FileSetScan& scan,
                                              const std::string& pkl_name, const FixPlan& plan,
                                              int out_dir_fd) {
  // Each file is written under TemporaryNameFor(its name) first, replacing what is there: a set
  // naming one of its files like the temporary name of another would lose that file.
  std::set<std::string> names = {pkl_name};
  for (const auto& file : scan.files)
    names.insert(file.disk_name);
  if (!plan.new_file.empty())
    names.insert(plan.new_file);
  for (const auto& name : names) {
    if (names.contains(TemporaryNameFor(name))) {
      return Fail(TemporaryNameFor(name) + ": a file of the set has the temporary name " + name +
                  " is written under; set not fixed");
    }
  }
  FixOutcome outcome;
  for (const auto& file : scan.files) {
    if (!file.found)
      return Fail(file.listed_name + ": listed file is missing; set not fixed");
    auto source = input.Open(file.disk_name);
    if (!source)
      return Fail(std::move(source).error().message);
    std::string suffix;
    if (auto it = plan.appended.find(file.listed_name); it != plan.appended.end()) {
      char last = '\n';
      if ((*source)->size() > 0) {
        auto got = (*source)->ReadAt((*source)->size() - 1, std::span<char>(&last, 1));
        if (!got)
          return Fail(file.listed_name + ": " + got.error().message);
      }
      if (last != '\n' && last != '\r')
        suffix = "\r\n";
      suffix += it->second;
      ++outcome.extended;
    } else {
      ++outcome.copied;
    }
    auto written = WriteFileAtomically(out_dir_fd, file.disk_name, source->get(), suffix);
    if (!written)
      return Fail(std::move(written).error());
  }
  if (!plan.new_file.empty()) {
    auto written = WriteFileAtomically(out_dir_fd, plan.new_file, nullptr, plan.new_file_text);
    if (!written)
      return Fail(std::move(written).error());
    ++outcome.created;
  }
  auto pkl = input.Open(pkl_name);
  if (!pkl)
    return Fail(std::move(pkl).error().message);
  auto written = WriteFileAtomically(out_dir_fd, pkl_name, pkl->get(), plan.pkl_suffix);
  if (!written)
    return Fail(std::move(written).error());
  return outcome;
}

}  // namespace ccm::parser
