// import_set_processor.h — the daemon's SetProcessor: every claimed set is imported by
// importer::RunImport (the same job as `ccmigrate import`) on a worker thread
// (BlockingSetProcessor, max_sets_in_flight threads), and the job's named outcome becomes the
// drop service's:
//   done                → done        done-with-warnings → done (warnings)
//   deferred            → deferred    (retried with back-off; a rerun is safe)
//   refused             → rejected    (failed/, reason.txt + report.json; nothing changed)
//   interrupted         → interrupted (SIGTERM: stopped between messages after a durable
//                                      flush; stays in active/, resumed at the next start)
//   configuration error → deferred    (the set is not at fault; a reload may fix it)
// The report text goes back to the service, which writes report.json. The journal and audit
// files go into the service's own state directory, <[drop] state_dir>/sets/<id>.<inode>/ (made
// through directory descriptors, 0700, never through a link), and report.json names it
// (`journal_dir`): nothing in the set's folder, which an operator wrote, is ever read back as
// state. Progress goes to stderr as periodic lines labelled with the set id.
//
// Security: the set folder was claimed by the service into active/, which only the service can
// enter (0700); the job re-opens it by path (parser::DiskDirectory, which opens every file
// O_NOFOLLOW|O_NONBLOCK once per job, checks it is a regular file with one link that belongs to
// the packing list's owner, and reads it through that descriptor for the whole job). Limit:
// re-opening by path rather than from ClaimedSet::dir_fd() trusts that nobody swaps active/<id>
// while the flock is held, which only the service user and root can.
//
// Thread safety: as BlockingSetProcessor; the configuration is swapped under a mutex on reload
// and each job copies what it needs when it starts.
#pragma once

#include <memory>
#include <string>

#include "ccm/result.h"
#include "cli/config.h"
#include "cli/daemon_command.h"
#include "daemon/set_processor.h"
#include "importer/import_job.h"

namespace ccm::cli {

/// The drop service's outcome for a finished import (pure).
daemon::SetOutcome OutcomeForImport(const importer::ImportResult& result);

/// Builds the processor; fails when the configuration cannot drive an import (e.g. an
/// unknown source_timezone or an unreadable accounts file).
Result<std::unique_ptr<daemon::SetProcessor>, std::string> MakeImportSetProcessor(
    const Config& config);

/// The plugs for RunDaemon: make_processor = MakeImportSetProcessor, reload = swap in the new
/// configuration for the sets that start afterwards.
DaemonPlugs ImportDaemonPlugs();

}  // namespace ccm::cli
