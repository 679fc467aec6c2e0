// config_test.cpp — the TOML configuration: defaults, every kind of error (unknown key, wrong
// type, out of range, missing, syntax) naming the key and the line, the password file's rules,
// relative paths, and the annotated example conf/ccmigrate.toml, which must always load.
#include "cli/config.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <vector>

#include "cli/directory_settings.h"

namespace ccm::cli {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ccm-config.XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  Result<Config, ConfigError> Parse(const std::string& text) {
    return ParseConfig(text, dir_ / "test.toml");
  }
  std::string ErrorOf(const std::string& text) {
    auto r = Parse(text);
    EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
    return r.ok() ? "" : r.error().message;
  }

  fs::path dir_;
};

const std::string kMinimal =
    "[ldap]\n"
    "uri = \"ldap://127.0.0.1:3890/\"\n"
    "base_dn = \"ou=Recipients,dc=example,dc=test\"\n"
    "[import]\n"
    "default_home = \"mail1.example.test\"\n"
    "[mailstore]\n"
    "root = \"/var/lib/ccmigrate/mail\"\n";

TEST_F(ConfigTest, MinimalConfigGetsEveryDefault) {
  auto c = Parse(kMinimal);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->ldap.uri, "ldap://127.0.0.1:3890/");
  EXPECT_EQ(c->ldap.base_dn, "ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(c->ldap.bind_dn, "");
  EXPECT_TRUE(c->ldap.password_file.empty());
  EXPECT_EQ(c->ldap.sasl_mechanism, "");
  EXPECT_FALSE(c->ldap.starttls);
  EXPECT_TRUE(c->ldap.ca_file.empty());
  EXPECT_TRUE(c->ldap.tls_verify);
  EXPECT_EQ(c->ldap.timeout_seconds, 30);
  EXPECT_EQ(c->ldap.max_in_flight, 64);
  EXPECT_EQ(c->ldap.connections, 2);
  EXPECT_FALSE(c->ldap.match_target_without_type);
  EXPECT_EQ(c->import.default_home, "mail1.example.test");
  EXPECT_EQ(c->import.max_changes, 500);
  EXPECT_FALSE(c->import.create_missing);
  EXPECT_EQ(c->import.on_not_found, NotFoundPolicy::kWarn);
  EXPECT_EQ(c->import.on_conflict, ConflictPolicy::kReject);
  EXPECT_EQ(c->import.source_timezone, "");
  EXPECT_FALSE(c->import.lenient);
  EXPECT_TRUE(c->import.accounts_file.empty());
  EXPECT_FALSE(c->import.transliteration);
  EXPECT_TRUE(c->import.transliteration_table.empty());
  EXPECT_EQ(c->mailstore.root, fs::path("/var/lib/ccmigrate/mail"));
  EXPECT_TRUE(c->mailstore.public_root.empty());
  EXPECT_EQ(c->mailstore.sync_batch, 256);
  EXPECT_EQ(c->mailstore.delivery_threads, 2);
  EXPECT_EQ(c->mailstore.group, "");
  EXPECT_FALSE(c->mailstore.group_id.has_value());
  EXPECT_FALSE(c->drop.has_value());
  EXPECT_EQ(c->log.level, "info");
}

TEST_F(ConfigTest, EveryKeySet) {
  WriteFile("ldap.secret", "s3cret\n");
  WriteFile("letters.txt", "\xc3\x85 AA\n");
  auto c = Parse(
      "[ldap]\n"
      "uri = \"ldaps://ldap.example.test/\"\n"
      "bind_dn = \"cn=admin,dc=example,dc=test\"\n"
      "password_file = \"ldap.secret\"\n"
      "base_dn = \"dc=example,dc=test\"\n"
      "sasl_mechanism = \"\"\n"
      "starttls = true\n"
      "ca_file = \"/etc/ssl/ca.pem\"\n"
      "tls_verify = false\n"
      "timeout_seconds = 5\n"
      "max_in_flight = 256\n"
      "connections = 3\n"
      "match_target_without_type = true\n"
      "[import]\n"
      "default_home = \"mail2\"\n"
      "max_changes = 0\n"
      "create_missing = true\n"
      "on_not_found = \"reject\"\n"
      "on_conflict = \"skip-user\"\n"
      "source_timezone = \"Europe/Berlin\"\n"
      "lenient = true\n"
      "accounts_file = \"accounts.txt\"\n"
      "transliteration = true\n"
      "transliteration_table = \"letters.txt\"\n"
      "[mailstore]\n"
      "root = \"mail\"\n"
      "public_root = \"/srv/public\"\n"
      "sync_batch = 1000\n"
      "delivery_threads = 4\n"
      "[drop]\n"
      "dir = \"/var/spool/ccmigrate\"\n"
      "quiet_seconds = 0\n"
      "max_sets_in_flight = 2\n"
      "rescan_seconds = 10\n"
      "retry_initial_seconds = 5\n"
      "retry_max_seconds = 600\n"
      "max_deferral_age_seconds = 7200\n"
      "max_set_bytes = 1024\n"
      "[log]\n"
      "level = \"debug\"\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->ldap.password_file, dir_ / "ldap.secret");
  EXPECT_TRUE(c->ldap.starttls);
  EXPECT_FALSE(c->ldap.tls_verify);
  EXPECT_EQ(c->ldap.timeout_seconds, 5);
  EXPECT_EQ(c->ldap.max_in_flight, 256);
  EXPECT_EQ(c->ldap.connections, 3);
  EXPECT_TRUE(c->ldap.match_target_without_type);
  EXPECT_EQ(c->import.max_changes, 0);
  EXPECT_EQ(c->import.on_not_found, NotFoundPolicy::kReject);
  EXPECT_EQ(c->import.on_conflict, ConflictPolicy::kSkipUser);
  EXPECT_EQ(c->import.source_timezone, "Europe/Berlin");
  EXPECT_EQ(c->import.accounts_file, dir_ / "accounts.txt");
  EXPECT_TRUE(c->import.transliteration);
  EXPECT_EQ(c->import.transliteration_table, dir_ / "letters.txt");
  EXPECT_EQ(c->mailstore.root, dir_ / "mail");  // relative to the configuration file
  EXPECT_EQ(c->mailstore.public_root, fs::path("/srv/public"));
  EXPECT_EQ(c->mailstore.sync_batch, 1000);
  EXPECT_EQ(c->mailstore.delivery_threads, 4);
  ASSERT_TRUE(c->drop.has_value());
  EXPECT_EQ(c->drop->dir, fs::path("/var/spool/ccmigrate"));
  EXPECT_EQ(c->drop->quiet_seconds, 0);
  EXPECT_EQ(c->drop->max_sets_in_flight, 2);
  EXPECT_EQ(c->drop->rescan_seconds, 10);
  EXPECT_EQ(c->drop->retry_initial_seconds, 5);
  EXPECT_EQ(c->drop->retry_max_seconds, 600);
  EXPECT_EQ(c->drop->max_deferral_age_seconds, 7200);
  EXPECT_EQ(c->drop->max_set_bytes, 1024);
  EXPECT_EQ(c->log.level, "debug");
}

TEST_F(ConfigTest, MissingRequiredKeysNameTheKey) {
  std::string e = ErrorOf(
      "[ldap]\nbase_dn = \"dc=x\"\n[import]\ndefault_home = \"h\"\n"
      "[mailstore]\nroot = \"/m\"\n");
  EXPECT_NE(e.find("[ldap] uri: required key is missing"), std::string::npos) << e;
  EXPECT_NE(e.find("test.toml:1:1"), std::string::npos) << e;
  e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\n[mailstore]\nroot = \"/m\"\n");
  EXPECT_NE(e.find("[import] default_home: required key is missing (there is no [import] table)"),
            std::string::npos)
      << e;
  e = ErrorOf(kMinimal + "[drop]\nquiet_seconds = 3\n");
  EXPECT_NE(e.find("[drop] dir: required key is missing"), std::string::npos) << e;
  e = ErrorOf("[ldap]\nuri = \"\"\nbase_dn = \"dc=x\"\n");
  EXPECT_NE(e.find("test.toml:2:7: [ldap] uri: must not be empty"), std::string::npos) << e;
}

TEST_F(ConfigTest, UnknownKeysAndTablesNameTheLine) {
  std::string e = ErrorOf(kMinimal + "[log]\nlevel = \"info\"\nlevle = \"debug\"\n");
  EXPECT_NE(e.find("test.toml:10:9: [log] levle: unknown key"), std::string::npos) << e;
  e = ErrorOf(kMinimal + "[ldapp]\nuri = \"x\"\n");
  EXPECT_NE(e.find("test.toml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("ldapp: unknown key"), std::string::npos) << e;
  e = ErrorOf("verbose = true\n" + kMinimal);
  EXPECT_NE(e.find("test.toml:1:11: verbose: unknown key"), std::string::npos) << e;
  e = ErrorOf(kMinimal + "[mailstore.extra]\nx = 1\n");
  EXPECT_NE(e.find("[mailstore] extra: unknown key"), std::string::npos) << e;
}

TEST_F(ConfigTest, WrongTypesNameKeyAndLine) {
  std::string e = ErrorOf(kMinimal + "[log]\nlevel = 3\n");
  EXPECT_NE(e.find("test.toml:9:9: [log] level: must be a string"), std::string::npos) << e;
  e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\ntimeout_seconds = \"30\"\n");
  EXPECT_NE(e.find("test.toml:4:19: [ldap] timeout_seconds: must be an integer"), std::string::npos)
      << e;
  e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\nstarttls = \"yes\"\n");
  EXPECT_NE(e.find("[ldap] starttls: must be a boolean"), std::string::npos) << e;
  e = ErrorOf("ldap = 5\n");
  EXPECT_NE(e.find("test.toml:1:8: ldap: must be a table"), std::string::npos) << e;
  e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\nmax_in_flight = 6.5\n");
  EXPECT_NE(e.find("[ldap] max_in_flight: must be an integer"), std::string::npos) << e;
}

TEST_F(ConfigTest, OutOfRangeValuesAndBadChoices) {
  std::string e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\nmax_in_flight = 0\n");
  EXPECT_NE(e.find("test.toml:4:17: [ldap] max_in_flight: must be between 1 and 1000, got 0"),
            std::string::npos)
      << e;
  e = ErrorOf(kMinimal + "sync_batch = -1\n");
  EXPECT_NE(e.find("[mailstore] sync_batch: must be between 1 and 100000, got -1"),
            std::string::npos)
      << e;
  e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\nconnections = 17\n");
  EXPECT_NE(e.find("[ldap] connections: must be between 1 and 16, got 17"), std::string::npos) << e;
  e = ErrorOf(kMinimal + "delivery_threads = 0\n");
  EXPECT_NE(e.find("[mailstore] delivery_threads: must be between 1 and 64, got 0"),
            std::string::npos)
      << e;
  e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \"dc=x\"\nsasl_mechanism = \"GSSAPI\"\n");
  EXPECT_NE(e.find("[ldap] sasl_mechanism: must be one of \"\", \"EXTERNAL\", got \"GSSAPI\""),
            std::string::npos)
      << e;
  e = ErrorOf(kMinimal + "[import]\n");
  EXPECT_NE(e.find("TOML syntax error"), std::string::npos) << e;  // table defined twice
  std::string with_policy = kMinimal;
  with_policy.insert(with_policy.find("[mailstore]"), "on_not_found = \"ignore\"\n");
  e = ErrorOf(with_policy);
  EXPECT_NE(e.find("[import] on_not_found: must be one of \"warn\", \"reject\""), std::string::npos)
      << e;
  e = ErrorOf(kMinimal +
              "[drop]\ndir = \"/d\"\nretry_initial_seconds = 100\nretry_max_seconds = 10\n");
  EXPECT_NE(e.find("[drop] retry_max_seconds: must not be less than retry_initial_seconds"),
            std::string::npos)
      << e;
  e = ErrorOf(kMinimal + "[log]\nlevel = \"loud\"\n");
  EXPECT_NE(e.find("[log] level: must be one of"), std::string::npos) << e;
}

TEST_F(ConfigTest, SyntaxErrorsNameLineAndColumn) {
  std::string e = ErrorOf("[ldap]\nuri = \"ldap://x/\"\nbase_dn = \n");
  EXPECT_NE(e.find("test.toml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("TOML syntax error"), std::string::npos) << e;
  e = ErrorOf("[ldap\n");
  EXPECT_NE(e.find("test.toml:1:"), std::string::npos) << e;
}

TEST_F(ConfigTest, SourceTimezoneMustBeAKnownZone) {
  std::string text = kMinimal;
  text.insert(text.find("[mailstore]"), "source_timezone = \"Mars/Olympus\"\n");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("test.toml:6:19: [import] source_timezone: unknown time zone"),
            std::string::npos)
      << e;
  text = kMinimal;
  text.insert(text.find("[mailstore]"), "source_timezone = \"../../etc/passwd\"\n");
  EXPECT_NE(ErrorOf(text).find("[import] source_timezone"), std::string::npos);
}

TEST_F(ConfigTest, TransliterationTableIsCheckedAtLoad) {
  WriteFile("bad.txt", "# letters\nAB x\n");
  std::string text = kMinimal;
  text.insert(text.find("[mailstore]"),
              "transliteration = true\ntransliteration_table = \"bad.txt\"\n");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("[import] transliteration_table: "), std::string::npos) << e;
  EXPECT_NE(e.find("bad.txt:2: \"AB\" is not one character"), std::string::npos) << e;
  text = kMinimal;
  text.insert(text.find("[mailstore]"), "transliteration_table = \"missing.txt\"\n");
  EXPECT_NE(ErrorOf(text).find("[import] transliteration_table"), std::string::npos);
}

// The password file is named by the configuration and read only by commands that bind
// (ConnectionFor), through the one secret reader: a configuration whose secret cannot be read
// still loads (status, check and fix never bind).
TEST_F(ConfigTest, PasswordFileIsReadOnlyToBind) {
  auto with_password = [&](const std::string& file) {
    std::string text = kMinimal;
    text.insert(text.find("[import]"),
                "bind_dn = \"cn=admin,dc=x\"\npassword_file = \"" + file + "\"\n");
    return text;
  };
  auto bind = [&](const std::string& file) -> Result<ldap::ConnectionConfig, std::string> {
    auto c = Parse(with_password(file));
    EXPECT_TRUE(c.ok()) << c.error().message;
    return ConnectionFor(c->ldap);
  };
  auto write_secret = [&](const std::string& name, const std::string& text) {
    WriteFile(name, text);
    fs::permissions(dir_ / name, fs::perms::owner_read | fs::perms::owner_write);
  };
  write_secret("crlf.secret", "pw-crlf\r\n");
  auto c = bind("crlf.secret");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->password.reveal(), "pw-crlf");
  write_secret("raw.secret", "pw-raw");
  c = bind((dir_ / "raw.secret").string());  // absolute
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->password.reveal(), "pw-raw");
  write_secret("two.secret", "pw\n\n");  // only ONE trailing newline is ignored
  EXPECT_NE(bind("two.secret").error().find("[ldap] password_file:"), std::string::npos);
  write_secret("leak.secret", "TopSecretValue\nsecond line\n");
  std::string e = bind("leak.secret").error();
  EXPECT_NE(e.find("more than one line"), std::string::npos) << e;
  EXPECT_EQ(e.find("TopSecretValue"), std::string::npos) << "content must never be printed";
  write_secret("empty.secret", "\n");
  EXPECT_NE(bind("empty.secret").error().find("is empty"), std::string::npos);
  WriteFile("open.secret", "pw-open\n");
  fs::permissions(dir_ / "open.secret", fs::perms::others_read, fs::perm_options::add);
  e = bind("open.secret").error();
  EXPECT_NE(e.find("accessible to every user"), std::string::npos) << e;
  EXPECT_EQ(e.find("pw-open"), std::string::npos);
  e = bind("missing.secret").error();
  EXPECT_NE(e.find("[ldap] password_file: cannot open secret file"), std::string::npos) << e;
  ASSERT_EQ(::mkfifo((dir_ / "fifo.secret").c_str(), 0600), 0);
  e = bind("fifo.secret").error();  // fails at once instead of waiting for a writer
  EXPECT_NE(e.find("is a FIFO"), std::string::npos) << e;

  std::string no_password = kMinimal;
  no_password.insert(no_password.find("[import]"), "bind_dn = \"cn=admin,dc=x\"\n");
  EXPECT_NE(ErrorOf(no_password).find("[ldap] bind_dn: a simple bind needs password_file"),
            std::string::npos);
  no_password.insert(no_password.find("[import]"), "sasl_mechanism = \"EXTERNAL\"\n");
  EXPECT_TRUE(Parse(no_password).ok());
}

TEST_F(ConfigTest, LoadConfigReadsAFileAndReportsAMissingOne) {
  WriteFile("ccmigrate.toml", kMinimal);
  auto c = LoadConfig(dir_ / "ccmigrate.toml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->file, dir_ / "ccmigrate.toml");
  auto missing = LoadConfig(dir_ / "nope.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope.toml"), std::string::npos);
}

// The annotated example documents every key with its default: it loads, every documented key
// exists, and each optional key's value in it equals the built-in default.
TEST_F(ConfigTest, AnnotatedExampleLoadsAndStatesTheRealDefaults) {
  const fs::path example = fs::path(CCM_SOURCE_DIR) / "conf" / "ccmigrate.toml";
  std::ifstream in(example);
  ASSERT_TRUE(in) << example;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  WriteFile("ldap.secret", "example\n");
  auto c = ParseConfig(text, dir_ / "ccmigrate.toml");
  ASSERT_TRUE(c.ok()) << c.error().message;

  toml::table table = toml::parse(text);
  const std::map<std::string, std::vector<std::string>> kKeys = {
      {"ldap",
       {"uri", "bind_dn", "password_file", "base_dn", "sasl_mechanism", "starttls", "ca_file",
        "tls_verify", "timeout_seconds", "max_in_flight", "connections",
        "match_target_without_type"}},
      {"import",
       {"default_home", "max_changes", "create_missing", "on_not_found", "on_conflict",
        "source_timezone", "lenient", "accounts_file", "transliteration", "transliteration_table",
        "journal_key_file"}},
      {"mailstore", {"root", "public_root", "sync_batch", "delivery_threads"}},
      {"drop",
       {"dir", "quiet_seconds", "max_sets_in_flight", "rescan_seconds", "retry_initial_seconds",
        "retry_max_seconds", "max_deferral_age_seconds", "max_set_bytes", "max_listed_files",
        "state_dir"}},
      {"log", {"level"}}};
  for (const auto& [name, keys] : kKeys) {
    for (const std::string& key : keys) {
      EXPECT_NE(table[name][key].node(), nullptr) << "[" << name << "] " << key << " undocumented";
    }
  }
  const LdapConfig ldap;
  EXPECT_EQ(c->ldap.sasl_mechanism, ldap.sasl_mechanism);
  EXPECT_EQ(c->ldap.starttls, ldap.starttls);
  EXPECT_EQ(c->ldap.ca_file, ldap.ca_file);
  EXPECT_EQ(c->ldap.tls_verify, ldap.tls_verify);
  EXPECT_EQ(c->ldap.timeout_seconds, ldap.timeout_seconds);
  EXPECT_EQ(c->ldap.max_in_flight, ldap.max_in_flight);
  EXPECT_EQ(c->ldap.connections, ldap.connections);
  EXPECT_EQ(c->ldap.match_target_without_type, ldap.match_target_without_type);
  const ImportConfig import;
  EXPECT_EQ(c->import.max_changes, import.max_changes);
  EXPECT_EQ(c->import.create_missing, import.create_missing);
  EXPECT_EQ(c->import.on_not_found, import.on_not_found);
  EXPECT_EQ(c->import.on_conflict, import.on_conflict);
  EXPECT_EQ(c->import.source_timezone, import.source_timezone);
  EXPECT_EQ(c->import.lenient, import.lenient);
  EXPECT_EQ(c->import.accounts_file, import.accounts_file);
  EXPECT_EQ(c->import.transliteration, import.transliteration);
  EXPECT_EQ(c->import.transliteration_table, import.transliteration_table);
  const MailstoreConfig mailstore;
  EXPECT_EQ(c->mailstore.public_root, mailstore.public_root);
  EXPECT_EQ(c->mailstore.sync_batch, mailstore.sync_batch);
  EXPECT_EQ(c->mailstore.delivery_threads, mailstore.delivery_threads);
  const DropConfig drop;
  ASSERT_TRUE(c->drop.has_value());
  EXPECT_EQ(c->drop->quiet_seconds, drop.quiet_seconds);
  EXPECT_EQ(c->drop->max_sets_in_flight, drop.max_sets_in_flight);
  EXPECT_EQ(c->drop->rescan_seconds, drop.rescan_seconds);
  EXPECT_EQ(c->drop->retry_initial_seconds, drop.retry_initial_seconds);
  EXPECT_EQ(c->drop->retry_max_seconds, drop.retry_max_seconds);
  EXPECT_EQ(c->drop->max_deferral_age_seconds, drop.max_deferral_age_seconds);
  EXPECT_EQ(c->drop->max_set_bytes, drop.max_set_bytes);
  EXPECT_EQ(c->log.level, LogConfig{}.level);
}

}  // namespace
}  // namespace ccm::cli

namespace ccm::cli {
namespace {

// A group this process is not a member of (effective or supplementary), if the system has one.
std::optional<std::string> GroupWithoutThisProcess() {
  std::vector<gid_t> mine(static_cast<std::size_t>(std::max(::getgroups(0, nullptr), 0)));
  if (!mine.empty() && ::getgroups(static_cast<int>(mine.size()), mine.data()) < 0)
    return std::nullopt;
  mine.push_back(::getegid());
  std::optional<std::string> found;
  ::setgrent();
  while (group* g = ::getgrent()) {
    if (std::find(mine.begin(), mine.end(), g->gr_gid) == mine.end()) {
      found = g->gr_name;
      break;
    }
  }
  ::endgrent();
  return found;
}

TEST_F(ConfigTest, StoreGroupIsResolvedAtLoad) {
  const group* own = ::getgrgid(::getegid());
  ASSERT_NE(own, nullptr);
  auto c = Parse(kMinimal + "group = \"" + own->gr_name + "\"\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->mailstore.group, own->gr_name);
  ASSERT_TRUE(c->mailstore.group_id.has_value());
  EXPECT_EQ(*c->mailstore.group_id, ::getegid());
}

TEST_F(ConfigTest, UnknownStoreGroupIsAnErrorNamingTheKey) {
  const std::string e = ErrorOf(kMinimal + "group = \"ccm-no-such-group\"\n");
  EXPECT_NE(e.find("test.toml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("[mailstore] group"), std::string::npos) << e;
  EXPECT_NE(e.find("no group named 'ccm-no-such-group'"), std::string::npos) << e;
}

TEST_F(ConfigTest, StoreGroupWithoutThisProcessIsAnError) {
  const auto other = GroupWithoutThisProcess();
  if (!other)
    GTEST_SKIP() << "every group of this system holds this process";
  const std::string e = ErrorOf(kMinimal + "group = \"" + *other + "\"\n");
  EXPECT_NE(e.find("[mailstore] group"), std::string::npos) << e;
  EXPECT_NE(e.find("not a member of group '" + *other + "'"), std::string::npos) << e;
}

}  // namespace
}  // namespace ccm::cli
