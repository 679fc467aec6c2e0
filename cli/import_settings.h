// import_settings.h — the configuration mapped onto an import job's options (importer/
// import_job.h), shared by `ccmigrate import` and the daemon's set processor so both import a
// set the same way.
//
// Reads: [import] max_changes, on_not_found/on_conflict (via PlanPolicyFor), lenient,
// accounts_file (read here; an unreadable file is a configuration error), source_timezone
// ("" = the daemon's own zone: $TZ, /etc/localtime, else UTC); [mailstore] root,
// public_root, sync_batch. The report, journal.ldif and audit.ldif go to `output_dir`.
//
// Thread safety: pure functions (plus reading the accounts file and zone data).
#pragma once

#include <filesystem>
#include <string>

#include "ccm/result.h"
#include "cli/config.h"
#include "importer/import_job.h"

namespace ccm::cli {

/// The job options for the set at `pkl_path`; errors name the configuration key.
Result<importer::ImportJobOptions, std::string> ImportJobOptionsFor(
    const Config& config, const std::filesystem::path& pkl_path,
    const std::filesystem::path& output_dir);

}  // namespace ccm::cli
