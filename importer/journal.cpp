// journal.cpp — append-only, fsync'd journal and audit LDIF files, and the journal reader.
// See journal.h.
#include "importer/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>

#include "ccm/ascii.h"
#include "importer/plan_ldif.h"
#include "ldap/ldif_reader.h"
#include "ldap/ldif_writer.h"

namespace ccm::importer {
namespace {

ImportError IoError(const std::filesystem::path& path, const std::string& what, int err) {
  // A full or failing disk is worth retrying later; the directory was not touched.
  return {ImportErrorKind::kTransient, path.string() + ": " + what + ": " + std::strerror(err)};
}

constexpr std::string_view kHeader =
    "# ccmigrate journal: every batch ends with an HMAC-SHA256 tag under the journal key\n";
constexpr std::string_view kTagPrefix = "# ccmigrate-tag: ";
// Larger than any journal ccmigrate writes for a set it accepts; bounds what rollback reads.
constexpr off_t kMaxJournalBytes = off_t{1} << 32;

// Opens a journal or audit file without following a link or blocking, and accepts only a
// regular file with one link (a hard link would let someone else see or change it).
Result<int, ImportError> OpenOwnFile(const std::filesystem::path& path, int flags) {
  const bool existed = std::filesystem::exists(std::filesystem::symlink_status(path));
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
  if (fd < 0) {
    return Fail(ImportError{ImportErrorKind::kConfiguration,
                            path.string() + ": cannot open: " + std::strerror(errno)});
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_nlink != 1 ||
      info.st_size > kMaxJournalBytes) {
    ::close(fd);
    return Fail(ImportError{ImportErrorKind::kPermanent,
                            path.string() + ": not a regular file with one link of at most 4 GiB"});
  }
  if (!existed && (flags & O_CREAT) != 0) {
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

Result<std::string, ImportError> ReadAll(int fd, const std::filesystem::path& path) {
  std::string text;
  char buffer[65536];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, at);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return Fail(IoError(path, "read", errno));
    if (n == 0)
      return text;
    text.append(buffer, static_cast<std::size_t>(n));
    at += n;
    if (at > kMaxJournalBytes)
      return Fail(ImportError{ImportErrorKind::kPermanent, path.string() + ": larger than 4 GiB"});
  }
}

std::size_t LineOf(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    line += text[i] == '\n' ? 1U : 0U;
  return line;
}

std::string ChangeRecord(const UserPlan& u) {
  const DirectoryChange c = u.change->Unpack();
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
                 int journal_fd, int audit_fd, const JournalKey& key, std::string last_tag)
    : journal_path_(std::move(journal_path)),
      audit_path_(std::move(audit_path)),
      journal_fd_(journal_fd),
      audit_fd_(audit_fd),
      key_(key),
      last_tag_(std::move(last_tag)) {}

Journal::~Journal() {
  if (journal_fd_ >= 0)
    ::close(journal_fd_);
  if (audit_fd_ >= 0) {
    ::fsync(audit_fd_);
    ::close(audit_fd_);
  }
}

Result<VerifiedJournal, std::string> VerifyJournalText(std::string_view text, const JournalKey& key,
                                                       const std::string& name) {
  VerifiedJournal verified;
  if (text.empty())
    return verified;
  if (text.substr(0, kHeader.size()) != kHeader.substr(0, std::min(kHeader.size(), text.size())))
    return Fail(name + ":1: not a journal ccmigrate wrote (no journal header)");
  std::size_t segment_start = 0;
  std::size_t search = 0;
  for (;;) {
    const std::size_t at = text.find(kTagPrefix, search);
    if (at == std::string_view::npos)
      break;
    if (at != 0 && text[at - 1] != '\n') {
      search = at + 1;
      continue;
    }
    const std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos)
      break;  // a tag line cut short: the tail is not covered
    const std::string_view tag = text.substr(at + kTagPrefix.size(), end - at - kTagPrefix.size());
    const std::string expected =
        key.Tag(verified.last_tag, text.substr(segment_start, at - segment_start));
    if (!TagsEqual(tag, expected)) {
      return Fail(name + ":" + std::to_string(LineOf(text, at)) +
                  ": the journal was changed after ccmigrate wrote it, or was written with "
                  "another journal key (the tag does not match)");
    }
    verified.last_tag = std::string(tag);
    verified.length = end + 1;
    segment_start = end + 1;
    search = segment_start;
  }
  return verified;
}

Result<std::unique_ptr<Journal>, ImportError> Journal::Open(std::filesystem::path journal_path,
                                                            std::filesystem::path audit_path,
                                                            const JournalKey& key) {
  auto journal_fd = OpenOwnFile(journal_path, O_RDWR | O_APPEND | O_CREAT);
  if (!journal_fd)
    return Fail(std::move(journal_fd.error()));
  auto existing = ReadAll(*journal_fd, journal_path);
  VerifiedJournal verified;
  if (existing) {
    auto v = VerifyJournalText(*existing, key, journal_path.string());
    if (!v) {
      ::close(*journal_fd);
      return Fail(ImportError{ImportErrorKind::kPermanent, v.error()});
    }
    verified = std::move(*v);
  }
  if (!existing || (verified.length < existing->size() &&
                    ::ftruncate(*journal_fd, static_cast<off_t>(verified.length)) != 0)) {
    const int err = existing ? errno : EIO;
    ::close(*journal_fd);
    return Fail(existing ? IoError(journal_path, "cutting off a torn batch", err)
                         : std::move(existing.error()));
  }
  auto audit_fd = OpenOwnFile(audit_path, O_WRONLY | O_APPEND | O_CREAT);
  if (!audit_fd) {
    ::close(*journal_fd);
    return Fail(std::move(audit_fd.error()));
  }
  const bool fresh = verified.last_tag.empty();
  std::unique_ptr<Journal> journal(new Journal(std::move(journal_path), std::move(audit_path),
                                               *journal_fd, *audit_fd, key,
                                               std::move(verified.last_tag)));
  if (fresh) {
    if (auto header = journal->AppendTagged(std::string(kHeader)); !header)
      return Fail(std::move(header.error()));
  }
  return journal;
}

Result<void, ImportError> Journal::AppendTagged(std::string text) {
  std::string tag = key_.Tag(last_tag_, text);
  text += std::string(kTagPrefix) + tag + "\n";
  if (auto appended = Append(journal_fd_, text, journal_path_, true); !appended)
    return appended;
  last_tag_ = std::move(tag);
  return {};
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
    if (!u->prior_ldif.empty()) {
      text += "# prior state:\n";
      text += u->prior_ldif.view();
    } else {
      text += "# prior state: the entry did not exist\n";
    }
    text += "# change (asserted on " +
            CommentText(u->change->assertion() ? u->change->assertion()->str() : "nothing") +
            "):\n";
    text += ChangeRecord(*u);
  }
  return AppendTagged(std::move(text));
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

Result<std::vector<JournalRecord>, ImportError> ReadJournal(const std::filesystem::path& path,
                                                            const JournalKey& key) {
  auto fd = OpenOwnFile(path, O_RDONLY);
  if (!fd)
    return Fail(std::move(fd.error()));
  auto text = ReadAll(*fd, path);
  ::close(*fd);
  if (!text)
    return Fail(std::move(text.error()));
  auto verified = VerifyJournalText(*text, key, path.string());
  if (!verified)
    return Fail(ImportError{ImportErrorKind::kPermanent, verified.error()});
  if (verified->last_tag.empty()) {
    return Fail(ImportError{ImportErrorKind::kPermanent,
                            path.string() + ": not a journal ccmigrate wrote (no tag)"});
  }
  if (verified->length != text->size()) {
    return Fail(ImportError{
        ImportErrorKind::kPermanent,
        path.string() + ":" + std::to_string(LineOf(*text, verified->length)) +
            ": text after the last tag: the journal was changed after ccmigrate wrote it, or a "
            "crash cut its last batch short (rerunning the import finishes it)"});
  }
  std::istringstream in(*text);
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
        if (!prior || !EqualsIgnoreCase(prior->dn, record.entry.dn)) {
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
