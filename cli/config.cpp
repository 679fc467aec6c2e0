// config.cpp — reads ccmigrate's TOML configuration (see config.h) with toml++ and checks every
// key: its name (unknown keys are errors, so a typo never silently falls back to a default), its
// type, its range, and whether it is required. toml++ exceptions stay inside this file.
//
// Relative paths (password_file, ca_file, accounts_file, journal_key_file, root, public_root,
// dir) are resolved against the configuration file's directory, so a service and a shell read
// the same file alike.
// The password file is not read here (see config.h).
// [mailstore] group is resolved here (it must exist and hold this process), so a wrong group
// stops every command at start.
#include "cli/config.h"

#include <toml++/toml.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "importer/source_time.h"
#include "importer/store_group.h"
#include "importer/transliteration.h"

namespace ccm::cli {
namespace {

namespace fs = std::filesystem;

std::string Where(const fs::path& origin, const toml::source_region& region) {
  std::ostringstream out;
  out << origin.string();
  if (region.begin.line != 0) {
    out << ':' << region.begin.line << ':' << region.begin.column;
  }
  return out.str();
}

// Reads one table's keys; remembers which keys it consumed so Finish() can reject the rest.
// The first error wins; every later call is a no-op once `error` is set.
class TableReader {
 public:
  TableReader(const fs::path& origin, std::string name, const toml::table* table,
              std::optional<ConfigError>& error)
      : origin_(origin), name_(std::move(name)), table_(table), error_(error) {}

  void String(std::string_view key, std::string& out, bool required) {
    const toml::node* node = Find(key, required);
    if (node == nullptr)
      return;
    if (const auto* s = node->as_string()) {
      out = s->get();
      if (required && out.empty())
        Fail(*node, key, "must not be empty");
    } else {
      Fail(*node, key, "must be a string");
    }
  }

  void Path(std::string_view key, fs::path& out, bool required) {
    std::string text;
    const toml::node* node = Find(key, false);
    String(key, text, required);
    if (error_ || text.empty())
      return;
    if (text.find('\0') != std::string::npos && node != nullptr) {
      Fail(*node, key, "must not contain a NUL character");
      return;
    }
    fs::path p(text);
    out = p.is_absolute() ? p : origin_.parent_path() / p;
  }

  void Bool(std::string_view key, bool& out) {
    const toml::node* node = Find(key, false);
    if (node == nullptr)
      return;
    if (const auto* b = node->as_boolean()) {
      out = b->get();
    } else {
      Fail(*node, key, "must be a boolean (true or false)");
    }
  }

  void Int(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
    const toml::node* node = Find(key, false);
    if (node == nullptr)
      return;
    const auto* i = node->as_integer();
    if (i == nullptr) {
      Fail(*node, key, "must be an integer");
      return;
    }
    if (i->get() < min || i->get() > max) {
      Fail(*node, key,
           "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(i->get()));
      return;
    }
    out = i->get();
  }

  /// A string that must be one of `choices`; returns its index (or leaves `index` alone).
  void Choice(std::string_view key, std::initializer_list<std::string_view> choices,
              std::size_t& index) {
    std::string text;
    const toml::node* node = Find(key, false);
    String(key, text, false);
    if (error_ || node == nullptr)
      return;
    std::size_t n = 0;
    std::string list;
    for (std::string_view c : choices) {
      if (c == text) {
        index = n;
        return;
      }
      list += (n == 0 ? "\"" : ", \"") + std::string(c) + "\"";
      ++n;
    }
    Fail(*node, key, "must be one of " + list + ", got \"" + text + "\"");
  }

  /// Rejects every key of the table that no call above consumed.
  void Finish() {
    if (error_ || table_ == nullptr)
      return;
    for (const auto& [key, node] : *table_) {
      if (consumed_.count(std::string(key.str())) == 0) {
        Fail(node, key.str(), "unknown key");
        return;
      }
    }
  }

  void Fail(const toml::node& node, std::string_view key, const std::string& what) {
    if (error_)
      return;
    error_ = ConfigError{Where(origin_, node.source()) + ": [" + name_ + "] " + std::string(key) +
                         ": " + what};
  }

 private:
  const toml::node* Find(std::string_view key, bool required) {
    consumed_.insert(std::string(key));
    if (error_)
      return nullptr;
    const toml::node* node = table_ == nullptr ? nullptr : table_->get(key);
    if (node == nullptr && required) {
      std::string where = table_ == nullptr ? origin_.string() : Where(origin_, table_->source());
      error_ = ConfigError{where + ": [" + name_ + "] " + std::string(key) +
                           ": required key is missing" +
                           (table_ == nullptr ? " (there is no [" + name_ + "] table)" : "")};
    }
    return node;
  }

  const fs::path& origin_;
  std::string name_;
  const toml::table* table_;
  std::optional<ConfigError>& error_;
  std::set<std::string> consumed_;
};

const toml::table* SubTable(const toml::table& root, std::string_view name, const fs::path& origin,
                            std::optional<ConfigError>& error) {
  const toml::node* node = root.get(name);
  if (node == nullptr || error)
    return nullptr;
  if (const auto* t = node->as_table())
    return t;
  error = ConfigError{Where(origin, node->source()) + ": " + std::string(name) +
                      ": must be a table ([" + std::string(name) + "])"};
  return nullptr;
}

void ReadLdap(const toml::table& root, const fs::path& origin, LdapConfig& c,
              std::optional<ConfigError>& error) {
  const toml::table* t = SubTable(root, "ldap", origin, error);
  TableReader r(origin, "ldap", t, error);
  r.String("uri", c.uri, true);
  r.String("bind_dn", c.bind_dn, false);
  r.Path("password_file", c.password_file, false);
  r.String("base_dn", c.base_dn, true);
  std::size_t sasl = 0;
  r.Choice("sasl_mechanism", {"", "EXTERNAL"}, sasl);
  c.sasl_mechanism = sasl == 0 ? "" : "EXTERNAL";
  r.Bool("starttls", c.starttls);
  r.Path("ca_file", c.ca_file, false);
  r.Bool("tls_verify", c.tls_verify);
  r.Int("timeout_seconds", c.timeout_seconds, 1, 3600);
  r.Int("max_in_flight", c.max_in_flight, 1, 1000);
  r.Int("connections", c.connections, 1, 16);
  r.Bool("match_target_without_type", c.match_target_without_type);
  r.Finish();
  if (error || t == nullptr)
    return;
  if (!c.bind_dn.empty() && c.password_file.empty() && c.sasl_mechanism.empty()) {
    r.Fail(*t->get("bind_dn"), "bind_dn",
           "a simple bind needs password_file (or set sasl_mechanism = \"EXTERNAL\")");
  }
}

void ReadImport(const toml::table& root, const fs::path& origin, ImportConfig& c,
                std::optional<ConfigError>& error) {
  const toml::table* t = SubTable(root, "import", origin, error);
  TableReader r(origin, "import", t, error);
  r.String("default_home", c.default_home, true);
  r.Int("max_changes", c.max_changes, 0, INT64_MAX);
  r.Bool("create_missing", c.create_missing);
  std::size_t not_found = 0;
  r.Choice("on_not_found", {"warn", "reject"}, not_found);
  c.on_not_found = not_found == 0 ? NotFoundPolicy::kWarn : NotFoundPolicy::kReject;
  std::size_t conflict = 0;
  r.Choice("on_conflict", {"reject", "skip-user"}, conflict);
  c.on_conflict = conflict == 0 ? ConflictPolicy::kReject : ConflictPolicy::kSkipUser;
  r.String("source_timezone", c.source_timezone, false);
  r.Bool("lenient", c.lenient);
  r.Path("accounts_file", c.accounts_file, false);
  r.Bool("transliteration", c.transliteration);
  r.Path("transliteration_table", c.transliteration_table, false);
  r.Path("journal_key_file", c.journal_key_file, false);
  r.Finish();
  if (!error && !c.transliteration_table.empty()) {
    if (auto table = importer::Transliteration::WithTableFile(c.transliteration_table); !table)
      r.Fail(*t->get("transliteration_table"), "transliteration_table", table.error());
  }
  if (error || c.source_timezone.empty())
    return;
  if (auto zone = importer::TimeZone::Load(c.source_timezone); !zone) {
    r.Fail(*t->get("source_timezone"), "source_timezone", zone.error().message);
  }
}

void ReadMailstore(const toml::table& root, const fs::path& origin, MailstoreConfig& c,
                   std::optional<ConfigError>& error) {
  TableReader r(origin, "mailstore", SubTable(root, "mailstore", origin, error), error);
  r.Path("root", c.root, true);
  r.Path("public_root", c.public_root, false);
  r.Int("sync_batch", c.sync_batch, 1, 100000);
  r.Int("delivery_threads", c.delivery_threads, 1, 64);
  r.String("group", c.group, false);
  r.Finish();
  if (error || c.group.empty())
    return;
  auto gid = importer::ResolveStoreGroup(c.group);
  if (!gid) {
    r.Fail(*root.get_as<toml::table>("mailstore")->get("group"), "group", gid.error());
    return;
  }
  c.group_id = *gid;
}

void ReadDrop(const toml::table& root, const fs::path& origin, std::optional<DropConfig>& out,
              std::optional<ConfigError>& error) {
  const toml::table* t = SubTable(root, "drop", origin, error);
  if (t == nullptr)
    return;
  DropConfig c;
  TableReader r(origin, "drop", t, error);
  r.Path("dir", c.dir, true);
  r.Int("quiet_seconds", c.quiet_seconds, 0, 86400);
  r.Int("max_sets_in_flight", c.max_sets_in_flight, 1, 64);
  r.Int("rescan_seconds", c.rescan_seconds, 1, 86400);
  r.Int("retry_initial_seconds", c.retry_initial_seconds, 1, 86400);
  r.Int("retry_max_seconds", c.retry_max_seconds, 1, 7 * 86400);
  r.Int("max_deferral_age_seconds", c.max_deferral_age_seconds, 1, 366 * 86400);
  r.Int("max_set_bytes", c.max_set_bytes, 1, INT64_MAX);
  r.Int("max_listed_files", c.max_listed_files, 1, 16777216);
  r.Path("state_dir", c.state_dir, false);
  r.Finish();
  if (error)
    return;
  if (c.retry_max_seconds < c.retry_initial_seconds) {
    const toml::node* node = t->get("retry_max_seconds");
    r.Fail(node != nullptr ? *node : *t, "retry_max_seconds",
           "must not be less than retry_initial_seconds (" +
               std::to_string(c.retry_initial_seconds) + ")");
    return;
  }
  out = std::move(c);
}

void ReadLog(const toml::table& root, const fs::path& origin, LogConfig& c,
             std::optional<ConfigError>& error) {
  TableReader r(origin, "log", SubTable(root, "log", origin, error), error);
  static constexpr std::string_view kLevels[] = {"trace", "debug",    "info", "warn",
                                                 "error", "critical", "off"};
  std::size_t level = 2;
  r.Choice("level",
           {kLevels[0], kLevels[1], kLevels[2], kLevels[3], kLevels[4], kLevels[5], kLevels[6]},
           level);
  c.level = std::string(kLevels[level]);
  r.Finish();
}

}  // namespace

Result<Config, ConfigError> ParseConfig(std::string_view text, const fs::path& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin.string());
  } catch (const toml::parse_error& e) {
    return Fail(ConfigError{Where(origin, e.source()) +
                            ": TOML syntax error: " + std::string(e.description())});
  }
  Config config;
  config.file = origin;
  std::optional<ConfigError> error;
  for (const auto& [key, node] : root) {
    static const std::set<std::string, std::less<>> kTables = {"ldap", "import", "mailstore",
                                                               "drop", "log"};
    if (kTables.count(key.str()) == 0) {
      return Fail(ConfigError{Where(origin, node.source()) + ": " + std::string(key.str()) +
                              ": unknown key (tables are [ldap], [import], [mailstore], [drop], "
                              "[log])"});
    }
  }
  ReadLdap(root, origin, config.ldap, error);
  ReadImport(root, origin, config.import, error);
  ReadMailstore(root, origin, config.mailstore, error);
  ReadDrop(root, origin, config.drop, error);
  ReadLog(root, origin, config.log, error);
  if (error)
    return Fail(std::move(*error));
  return config;
}

Result<Config, ConfigError> LoadConfig(const fs::path& file) {
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  if (ec)
    absolute = file;
  std::ifstream in(absolute, std::ios::binary);
  if (!in)
    return Fail(ConfigError{absolute.string() + ": cannot open the configuration file"});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad())
    return Fail(ConfigError{absolute.string() + ": cannot read"});
  return ParseConfig(text, absolute);
}

}  // namespace ccm::cli
