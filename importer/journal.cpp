// journal.cpp — append-only, fsync'd journal and audit LDIF files, and the journal reader.
// See journal.h.
#include "importer/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "importer/plan_ldif.h"
#include "ldap/ldif_reader.h"
#include "ldap/ldif_writer.h"

namespace ccm::importer {
namespace {

ImportError IoError(const std::filesystem::path& path, const std::string& what, int err) {
  // A full or failing disk is worth retrying later; the directory was not touched.
  return {ImportErrorKind::kTransient, path.string() + ": " + what + ": " + std::strerror(err)};
}

Result<int, ImportError> OpenAppend(const std::filesystem::path& path) {
  const bool existed = std::filesystem::exists(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Fail(
        ImportError{ImportErrorKind::kConfiguration,
                    path.string() + ": cannot open for appending: " + std::strerror(errno)});
  }
  if (!existed) {
    const std::filesystem::path parent =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
  return fd;
}

std::string ChangeRecord(const UserPlan& u) {
  const DirectoryChange& c = *u.change;
  if (c.kind == DirectoryChange::Kind::kAdd)
    return ldap::LdifAddRecord(c.entry);
  return ldap::LdifModifyRecord(c.dn, c.modifications);
}

}  // namespace

std::string UtcTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

Journal::Journal(std::filesystem::path journal_path, std::filesystem::path audit_path,
                 int journal_fd, int audit_fd)
    : journal_path_(std::move(journal_path)),
      audit_path_(std::move(audit_path)),
      journal_fd_(journal_fd),
      audit_fd_(audit_fd) {}

Journal::~Journal() {
  if (journal_fd_ >= 0)
    ::close(journal_fd_);
  if (audit_fd_ >= 0) {
    ::fsync(audit_fd_);
    ::close(audit_fd_);
  }
}

Result<std::unique_ptr<Journal>, ImportError> Journal::Open(std::filesystem::path journal_path,
                                                            std::filesystem::path audit_path) {
  auto journal_fd = OpenAppend(journal_path);
  if (!journal_fd)
    return Fail(std::move(journal_fd.error()));
  auto audit_fd = OpenAppend(audit_path);
  if (!audit_fd) {
    ::close(*journal_fd);
    return Fail(std::move(audit_fd.error()));
  }
  return std::unique_ptr<Journal>(
      new Journal(std::move(journal_path), std::move(audit_path), *journal_fd, *audit_fd));
}

Result<void, ImportError> Journal::Append(int fd, const std::string& text,
                                          const std::filesystem::path& path, bool sync) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return Fail(IoError(path, "write", errno));
    }
    written += static_cast<std::size_t>(n);
  }
  if (sync && ::fsync(fd) != 0)
    return Fail(IoError(path, "fsync", errno));
  return {};
}

Result<void, ImportError> Journal::RecordIntents(const std::vector<const UserPlan*>& users) {
  const std::string now = UtcTimestamp();
  // The leading empty lines end a record a crash may have cut short in an earlier run, so this
  // batch never merges into it.
  std::string text = "\n\n";
  for (const UserPlan* u : users) {
    text += "# ccmigrate journal " + now + " " + std::string(DecisionName(u->decision)) + " " +
            CommentText(u->user.source_address) + "\n";
    if (u->prior) {
      text += "# prior state:\n" + ldap::LdifContentRecord(*u->prior);
    } else {
      text += "# prior state: the entry did not exist\n";
    }
    text += "# change (asserted on " +
            CommentText(u->change->assertion ? u->change->assertion->str() : "nothing") + "):\n";
    text += ChangeRecord(*u);
  }
  return Append(journal_fd_, text, journal_path_, true);
}

Result<void, ImportError> Journal::RecordApplied(const std::vector<const UserPlan*>& users) {
  const std::string now = UtcTimestamp();
  std::string text;
  for (const UserPlan* u : users) {
    text += "# ccmigrate applied " + now + " " + std::string(DecisionName(u->decision)) + " " +
            CommentText(u->user.source_address) + "\n" + ChangeRecord(*u);
  }
  return Append(audit_fd_, text, audit_path_, false);
}

Result<void, ImportError> Journal::SyncAudit() {
  if (::fsync(audit_fd_) != 0)
    return Fail(IoError(audit_path_, "fsync", errno));
  return {};
}

Result<std::vector<JournalRecord>, ImportError> ReadJournal(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(
        ImportError{ImportErrorKind::kConfiguration, path.string() + ": cannot open the journal"});
  }
  ldap::LdifReader reader(in);
  std::vector<JournalRecord> records;
  std::optional<ldap::Entry> prior;
  auto damaged = [&](std::size_t line, const std::string& what) {
    return ImportError{ImportErrorKind::kPermanent,
                       path.string() + ":" + std::to_string(line) + ": " + what};
  };
  for (;;) {
    auto next = reader.Next();
    if (!next)
      return Fail(damaged(next.error().line, next.error().message));
    if (!next->has_value())
      break;
    ldap::LdifRecord& record = **next;
    switch (record.kind) {
      case ldap::LdifRecord::Kind::kContent:
        // A prior state without its change is the torn tail of a batch a crash cut short before
        // its fsync returned: none of that batch was sent, so it is dropped.
        prior = std::move(record.entry);
        break;
      case ldap::LdifRecord::Kind::kModify: {
        if (!prior || !ldap::EqualsIgnoreCase(prior->dn, record.entry.dn)) {
          return Fail(damaged(record.line, "a change without the prior state of its entry"));
        }
        JournalRecord r;
        r.prior = std::move(prior);
        prior.reset();
        r.dn = record.entry.dn;
        r.modifications = std::move(record.modifications);
        r.line = record.line;
        records.push_back(std::move(r));
        break;
      }
      case ldap::LdifRecord::Kind::kAdd: {
        if (prior)
          return Fail(damaged(record.line, "an add after a prior state"));
        JournalRecord r;
        r.dn = record.entry.dn;
        r.was_add = true;
        r.line = record.line;
        records.push_back(std::move(r));
        break;
      }
      default:
        return Fail(damaged(record.line, "not a ccmigrate journal record"));
    }
  }
  // A prior state without its change is the tail of a batch whose write was cut short by a
  // crash before the fsync returned: nothing of it was sent, so there is nothing to undo.
  return records;
}

}  // namespace ccm::importer
