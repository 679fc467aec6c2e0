// service_log.h — where the daemon's log lines go. Started by systemd with its stderr on the
// journal (JOURNAL_STREAM names our own stderr's device:inode; INVOCATION_ID alone is not
// enough: stderr may be redirected), lines go to the journal through spdlog's systemd sink
// (sd_journal_send, with the proper PRIORITY= per level and SYSLOG_IDENTIFIER=ccmigrate);
// otherwise to stderr with a timestamp. The level comes from [log] level (trace, debug, info,
// warn, error, critical, off).
//
// Conventions for callers: every line about a set starts with "set <id>: " so one grep follows
// one set; names from the drop directory go through PrintableName; secrets are never logged
// (the configuration keeps the LDAP password in a Secret that has no printing operator).
//
// Thread safety: call ConfigureServiceLog before starting threads; SetLogLevel is thread-safe.
#pragma once

#include <string>

#include "ccm/result.h"

namespace ccm::daemon {

/// True when the process looks started by systemd with its stderr connected to the journal.
bool StartedBySystemd();
/// Installs the default logger (journal or stderr) at `level`.
Result<void, std::string> ConfigureServiceLog(const std::string& level);
/// Changes the default logger's level; fails on an unknown level name.
Result<void, std::string> SetLogLevel(const std::string& level);

}  // namespace ccm::daemon
