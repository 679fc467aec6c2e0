// import_settings.cpp — configuration to ImportJobOptions; see import_settings.h.
#include "cli/import_settings.h"

#include "cli/directory_settings.h"
#include "parser/accounts_file.h"

namespace ccm::cli {

Result<importer::ImportJobOptions, std::string> ImportJobOptionsFor(
    const Config& config, const std::filesystem::path& pkl_path,
    const std::filesystem::path& output_dir) {
  importer::ImportJobOptions o;
  o.pkl_path = pkl_path;
  o.output_dir = output_dir;
  o.max_changes = config.import.max_changes;
  o.policy = PlanPolicyFor(config.import);
  o.reader.lenient = config.import.lenient;
  if (!config.import.accounts_file.empty()) {
    auto accounts = parser::ReadAccountsFile(config.import.accounts_file.string());
    if (!accounts)
      return Fail("[import] accounts_file: " + accounts.error());
    o.accounts = std::move(*accounts);
    o.accounts_file = config.import.accounts_file.string();
  }
  auto zone = config.import.source_timezone.empty()
                  ? importer::TimeZone::LoadLocal()
                  : importer::TimeZone::Load(config.import.source_timezone);
  if (!zone)
    return Fail("[import] source_timezone: " + zone.error().message);
  o.source_zone = std::move(*zone);
  o.mailstore.root = config.mailstore.root;
  o.mailstore.sync_batch = static_cast<std::size_t>(config.mailstore.sync_batch);
  o.delivery_threads = static_cast<std::size_t>(config.mailstore.delivery_threads);
  o.public_root = config.mailstore.public_root;
  o.mailstore.group = config.mailstore.group_id;
  return o;
}

}  // namespace ccm::cli
