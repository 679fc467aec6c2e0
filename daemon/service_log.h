// service_log.h — where the daemon's log lines go. Started by systemd with its stderr on the
// journal (JOURNAL_STREAM names our own stderr's device:inode; INVOCATION_ID alone is not
// enough: stderr may be redirected), lines go to the journal through spdlog's systemd sink
// (sd_journal_send, with the proper PRIORITY= per level and SYSLOG_IDENTIFIER=ccmigrate);
// otherwise to stderr with a timestamp. The level comes from [log] level (trace, debug, info,
// warn, error, critical, off).
//
// Lines about one set are logged with LogSet: in the journal they carry the field
// CCM_SET=<set id> (as printed: PrintableName), so `journalctl CCM_SET=<id>` follows one set.
//
// Conventions for callers: every line about a set is logged with LogSet and starts with
// "set <id>: " so one grep (or one journalctl match) follows one set; names from the drop directory
// go through PrintableName; secrets are never logged (the configuration keeps the LDAP password in
// a Secret that has no printing operator).
//
// Thread safety: call ConfigureServiceLog before starting threads; SetLogLevel is thread-safe.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ccm/result.h"

namespace ccm::daemon {

/// True when the process looks started by systemd with its stderr connected to the journal.
bool StartedBySystemd();
/// Installs the default logger (journal or stderr) at `level`.
Result<void, std::string> ConfigureServiceLog(const std::string& level);
/// Changes the default logger's level; fails on an unknown level name.
Result<void, std::string> SetLogLevel(const std::string& level);

/// While it lives, lines logged on this thread are about the set `id` (restores the previous
/// one when it ends, so scopes nest).
class SetLogScope {
 public:
  explicit SetLogScope(std::string id);
  ~SetLogScope();
  SetLogScope(const SetLogScope&) = delete;
  SetLogScope& operator=(const SetLogScope&) = delete;

 private:
  std::string previous_;
};

/// The set the lines logged now on this thread are about; empty when none.
const std::string& CurrentLogSet();

/// One journal entry's fields ("NAME=value"): MESSAGE, PRIORITY (syslog level of `level`),
/// SYSLOG_IDENTIFIER=ccmigrate, and CCM_SET when `set` is not empty.
std::vector<std::string> JournalFields(spdlog::level::level_enum level, std::string_view message,
                                       std::string_view set);

/// Logs one line about a set; `set` is the set id as printed (PrintableName) and the format's
/// first argument, so the line reads "set <id>: ...".
template <typename... Args>
void LogSet(spdlog::level::level_enum level,
            spdlog::format_string_t<const std::string&, Args...> format, const std::string& set,
            Args&&... args) {
  SetLogScope scope(set);
  spdlog::log(level, format, set, std::forward<Args>(args)...);
}

}  // namespace ccm::daemon
