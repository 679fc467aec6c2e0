// rollback_command.h — `ccmigrate rollback JOURNAL --config FILE`: undoes the directory changes
// an import journaled (importer/directory_rollback.h).
//
// Each journaled change is reverted newest first with one modify, guarded by an assertion that
// the entry is still what the import made; an entry changed by someone else since is reported
// and left alone; an entry already restored is reported as such (rollback is idempotent).
// Output (stdout): one line per journaled change "STATUS DN (journal line N)[: detail]", then a
// summary. It restores DIRECTORY state only: mail already delivered stays in the mail store
// (the output says so).
//
// Exit codes: 0 everything restored (or already), 1 some entries were changed since or could
// not be restored (reported), 2 the journal is damaged, 64 usage, 75 directory unreachable
// (rerun: rollback is idempotent), 78 configuration error.
#pragma once

#include "cli/command_line.h"

namespace ccm::cli {

extern const Command kRollbackCommand;

}  // namespace ccm::cli
