// config.h — ccmigrate's configuration: one TOML file (conf/ccmigrate.toml is the annotated
// example) read into plain structs. Everything below the daemon takes these plain options, never
// TOML.
//
// Inputs: the configuration file (path given with --config); relative paths in it are relative
// to the configuration file's directory. Every key, its type, default and allowed range is listed
// in docs/configuration.md.
//
// Diagnostics: unknown keys, wrong types, out-of-range values and missing required keys are
// ConfigErrors whose message names the file, line, column and the key (`[ldap] uri`); a TOML
// syntax error names the line and column. The first problem found is returned.
//
// Security: the password file is only named here, never read: only a command that binds reads
// it (ConnectionFor in directory_settings.h, through ldap::ReadSecretFile), so `status`, `check`
// and `fix` work for users who cannot read it.
//
// Thread safety: LoadConfig/ParseConfig are pure functions of their input (plus file reads);
// the structs are plain values.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ccm/result.h"

namespace ccm::cli {

/// A configuration problem; `message` reads "FILE:LINE:COL: [table] key: what is wrong".
struct ConfigError {
  std::string message;
};

enum class NotFoundPolicy { kWarn, kReject };      ///< [import] on_not_found
enum class ConflictPolicy { kReject, kSkipUser };  ///< [import] on_conflict

/// [ldap]
struct LdapConfig {
  std::string uri;                      ///< required
  std::string bind_dn;                  ///< "" = anonymous or SASL
  std::filesystem::path password_file;  ///< resolved; empty when not set; read only to bind
  std::string base_dn;                  ///< required
  std::string sasl_mechanism;           ///< "" (simple bind) or "EXTERNAL"
  bool starttls = false;
  std::filesystem::path ca_file;  ///< resolved; empty = system default
  bool tls_verify = true;
  std::int64_t timeout_seconds = 30;  ///< 1..3600
  std::int64_t max_in_flight = 64;    ///< 1..1000
  std::int64_t connections = 2;       ///< connections an import applies over, 1..16
  bool match_target_without_type = false;
};

/// [import]
struct ImportConfig {
  std::string default_home;        ///< required; what `~Server` maps to
  std::int64_t max_changes = 500;  ///< 0 = no limit
  bool create_missing = false;
  NotFoundPolicy on_not_found = NotFoundPolicy::kWarn;
  ConflictPolicy on_conflict = ConflictPolicy::kReject;
  std::string source_timezone;  ///< IANA name; "" = the daemon's zone
  bool lenient = false;
  std::filesystem::path accounts_file;  ///< resolved; empty when not set
  bool transliteration = false;         ///< look non-ASCII user addresses up by an ASCII spelling
  std::filesystem::path transliteration_table;  ///< resolved; empty = the built-in table only
  /// resolved; the key that authenticates journals (importer/journal_key.h)
  std::filesystem::path journal_key_file = "/var/lib/ccmigrate/state/journal.key";
};

/// [mailstore]
struct MailstoreConfig {
  std::filesystem::path root;         ///< required
  std::filesystem::path public_root;  ///< empty = public-folder sections are skipped
  std::int64_t sync_batch = 256;      ///< messages per durable batch, 1..100000
  std::int64_t delivery_threads = 2;  ///< mailboxes delivered to at the same time, 1..64
  std::string group;                  ///< "" = private files; else shared with this group
  std::optional<gid_t> group_id;      ///< resolved at load: exists, and the process is in it
};

/// [drop] — optional for `plan` and `import`, required by the daemon.
struct DropConfig {
  std::filesystem::path dir;  ///< required when [drop] is present
  std::int64_t quiet_seconds = 5;
  std::int64_t max_sets_in_flight = 1;
  std::int64_t rescan_seconds = 60;
  std::int64_t retry_initial_seconds = 30;
  std::int64_t retry_max_seconds = 3600;
  std::int64_t max_deferral_age_seconds = 432000;  ///< 5 days; 1..366 days
  std::int64_t max_set_bytes = 68719476736;        ///< 64 GiB
  std::int64_t max_listed_files = 65536;           ///< 1..16777216
  /// resolved; the service's own state (each set's journal and audit), out of operators' reach
  std::filesystem::path state_dir = "/var/lib/ccmigrate/state";
};

/// [log]
struct LogConfig {
  std::string level = "info";  ///< trace, debug, info, warn, error, critical, off
};

/// The whole configuration.
struct Config {
  std::filesystem::path file;  ///< where it was read from (absolute)
  LdapConfig ldap;
  ImportConfig import;
  MailstoreConfig mailstore;
  std::optional<DropConfig> drop;
  LogConfig log;
};

/// Where every command reads its configuration when --config is not given.
inline constexpr std::string_view kDefaultConfigFile = "/etc/ccmigrate/ccmigrate.toml";

/// The --config value, or kDefaultConfigFile.
inline std::filesystem::path ConfigFileOption(const std::optional<std::string>& option) {
  return option ? std::filesystem::path(*option) : std::filesystem::path(kDefaultConfigFile);
}

/// Reads and validates the configuration file at `file`.
Result<Config, ConfigError> LoadConfig(const std::filesystem::path& file);

/// Validates configuration text; `origin` names it in messages and anchors relative paths.
Result<Config, ConfigError> ParseConfig(std::string_view text, const std::filesystem::path& origin);

}  // namespace ccm::cli
