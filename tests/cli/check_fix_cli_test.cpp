// check_fix_cli_test.cpp — runs the built `ccmigrate` binary on fixtures: check and fix output
// lines, --json keys, exit codes 0/1/2/64, --help/--version/help COMMAND, the fix refusals, and
// that log lines go to stderr at the [log] level moved by -v/-q.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int rc = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/ccm-cli.XXXXXX";
    tmp_ = ::mkdtemp(templ);
  }
  void TearDown() override { fs::remove_all(tmp_); }

  Outcome Ccm(const std::string& args) {
    Outcome run;
    fs::path err = tmp_ / "stderr";
    std::string command = std::string(CCMIGRATE) + " " + args + " 2>" + err.string();
    FILE* pipe = ::popen(command.c_str(), "r");
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
      run.out.append(buffer, n);
    int status = ::pclose(pipe);
    run.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = Slurp(err);
    return run;
  }

  static std::string Appendix() { return std::string(CCM_SOURCE_DIR) + "/conf/examples/HQPO.001"; }
  static std::string Data(const std::string& set) {
    return std::string(CCM_SOURCE_DIR) + "/tests/data/parser/" + set;
  }

  fs::path tmp_;
};

TEST_F(Cli, CheckAppendixAIsValidWithOneWarning) {
  Outcome run = Ccm("check " + Appendix() + "/HQPO.PKL");
  EXPECT_EQ(run.rc, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("Directory.pri:5: warning: user \"CCMAIL:Lee, Jordan at HQPO\" has no "
                         "MAILMESSAGE section"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("users:      2"), std::string::npos);
  EXPECT_NE(run.out.find("users missing a MAILMESSAGE section: 1"), std::string::npos);
  EXPECT_NE(run.out.find("messages:   3 (attachments: 1, documents: 1)"), std::string::npos);
}

TEST_F(Cli, CheckJsonHasTheContractKeys) {
  Outcome run = Ccm("check " + Appendix() + "/HQPO.PKL --json");
  EXPECT_EQ(run.rc, 1);
  const std::string& j = run.out;
  for (const char* key :
       {"\"valid\":true", "\"users\":2",
        "\"users_missing_mailmessage\":[\"CCMAIL:Lee, Jordan at "
        "HQPO\"]",
        "\"sections\":{\"directory\":1,\"pab\":1,\"mailmessage\":1", "\"messages\":3",
        "\"attachments\":1", "\"documents\":1", "\"bytes\":1680",
        "\"problems\":[{\"file\":\"Directory.pri\",\"line\":5,\"severity\":\"warning\","
        "\"message\":"}) {
    EXPECT_NE(j.find(key), std::string::npos) << key << "\n" << j;
  }
  EXPECT_EQ(j.front(), '{');
  EXPECT_EQ(j.substr(j.size() - 2), "}\n");
}

TEST_F(Cli, CheckBrokenSetIsInvalidAndNamesFileLineAndOffset) {
  Outcome run = Ccm("check " + Data("BROKEN.001") + "/BROKEN.PKL");
  EXPECT_EQ(run.rc, 2) << run.out;
  EXPECT_NE(run.out.find("BROKEN.PKL:6: error: listed file \"MISSING.PRI\" is missing"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("A.PRI:3: error: Send-Date: invalid date 19990231113000"),
            std::string::npos);
  EXPECT_NE(run.out.find("A.SEC:52: error:"), std::string::npos);
  EXPECT_NE(run.out.find("(pointer at A.PRI:4)"), std::string::npos);
  EXPECT_NE(run.out.find("INVALID"), std::string::npos);
  Outcome json = Ccm("check --json " + Data("BROKEN.001") + "/BROKEN.PKL");
  EXPECT_EQ(json.rc, 2);
  EXPECT_NE(json.out.find("\"valid\":false"), std::string::npos);
  EXPECT_NE(json.out.find("{\"file\":\"A.SEC\",\"offset\":52,\"severity\":\"error\""),
            std::string::npos)
      << json.out;
}

TEST_F(Cli, CheckOfAMissingSetIsInvalid) {
  Outcome run = Ccm("check " + (tmp_ / "nope" / "X.PKL").string());
  EXPECT_EQ(run.rc, 2);
}

TEST_F(Cli, UsageErrorsHelpAndVersion) {
  EXPECT_EQ(Ccm("").rc, 64);
  EXPECT_EQ(Ccm("frobnicate").rc, 64);
  EXPECT_EQ(Ccm("check").rc, 64);
  EXPECT_EQ(Ccm("check a.pkl b.pkl").rc, 64);
  EXPECT_EQ(Ccm("check --bogus a.pkl").rc, 64);
  EXPECT_EQ(Ccm("fix " + Appendix() + "/HQPO.PKL").rc, 64);  // --out missing
  EXPECT_EQ(Ccm("fix " + Appendix() + "/HQPO.PKL --out").rc, 64);
  Outcome help = Ccm("--help");
  EXPECT_EQ(help.rc, 0);
  EXPECT_NE(help.out.find("check"), std::string::npos);
  EXPECT_NE(help.out.find("fix"), std::string::npos);
  Outcome check_help = Ccm("check --help");
  EXPECT_EQ(check_help.rc, 0);
  EXPECT_NE(check_help.out.find("usage: ccmigrate check PATH.pkl"), std::string::npos);
  Outcome fix_help = Ccm("fix --help");
  EXPECT_EQ(fix_help.rc, 0);
  EXPECT_NE(fix_help.out.find("--out DIR"), std::string::npos);
  Outcome version = Ccm("--version");
  EXPECT_EQ(version.rc, 0);
  EXPECT_EQ(version.out.rfind("ccmigrate ", 0), 0u);
}

TEST_F(Cli, FixAppendixAWritesA2) {
  fs::path out = tmp_ / "HQPO.001";
  Outcome run = Ccm("fix " + Appendix() + "/HQPO.PKL --out " + out.string());
  EXPECT_EQ(run.rc, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("added a MAILMESSAGE section for \"CCMAIL:Lee, Jordan at HQPO\" to "
                         "CCMFIX01.PRI (new file); reason: DB8: no mail"),
            std::string::npos)
      << run.out;
  int pkls = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    std::string ext = entry.path().extension().string();
    if (ext == ".PKL" || ext == ".pkl")
      ++pkls;
  }
  EXPECT_EQ(pkls, 1);
  EXPECT_EQ(Slurp(out / "CCMFIX01.PRI"),
            "! Added by ccmigrate: MAILMESSAGE sections for users without one (KB Q194218)\r\n"
            "MAILMESSAGE,\"CCMAIL:Lee, Jordan at HQPO\"\r\n"
            "Folder,Sender,To,Cc,Bcc,Subject,Send-Date,Received-Date,Priority,Unread,Unsent,"
            "Body\r\n");
  for (const char* name : {"Directory.pri", "00000001.PRI", "00000001.SEC"}) {
    EXPECT_EQ(Slurp(out / name), Slurp(fs::path(Appendix()) / name)) << name;
  }
  Outcome check = Ccm("check " + (out / "HQPO.PKL").string());
  EXPECT_EQ(check.rc, 0) << check.out;
  EXPECT_NE(check.out.find("users missing a MAILMESSAGE section: 0"), std::string::npos);
}

TEST_F(Cli, FixRefusals) {
  fs::path busy = tmp_ / "busy";
  fs::create_directory(busy);
  std::ofstream(busy / "x") << "x";
  EXPECT_EQ(Ccm("fix " + Appendix() + "/HQPO.PKL --out " + busy.string()).rc, 2);
  EXPECT_EQ(Ccm("fix " + Appendix() + "/HQPO.PKL --out " + Appendix()).rc, 2);
  fs::path out = tmp_ / "never";
  Outcome invalid = Ccm("fix " + Data("BROKEN.001") + "/BROKEN.PKL --out " + out.string());
  EXPECT_EQ(invalid.rc, 2);
  EXPECT_FALSE(fs::exists(out)) << "nothing is written for an invalid set";
  fs::path file = tmp_ / "file";
  std::ofstream(file) << "x";
  EXPECT_EQ(Ccm("fix " + Appendix() + "/HQPO.PKL --out " + file.string()).rc, 2);
}

TEST_F(Cli, FixPabOwnerAndAccountsFile) {
  fs::path accounts = tmp_ / "accounts.txt";
  std::ofstream(accounts) << "CCMAIL:Natarajan, Priya at BRPO\n";
  fs::path out = tmp_ / "out";
  Outcome run = Ccm("fix " + Data("PABOWNER.001") + "/BRPO.PKL --out " + out.string() +
                    " --accounts " + accounts.string());
  EXPECT_EQ(run.rc, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("\"CCMAIL:Lee, Jordan at HQPO\" to 00000002.PRI (appended to a copy)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\"CCMAIL:Natarajan, Priya at BRPO\" to CCMFIX01.PRI (new file); "
                         "reason: mail not selected"),
            std::string::npos)
      << run.out;
  std::string pkl = Slurp(out / "BRPO.PKL");
  EXPECT_EQ(pkl.substr(pkl.size() - 22), "CCMFIX01.PRI,Primary\r\n");
}

TEST_F(Cli, HelpCommandPrintsThatCommandsHelp) {
  for (const char* command : {"check", "fix", "plan", "import", "rollback", "daemon", "status"}) {
    Outcome help = Ccm(std::string("help ") + command);
    EXPECT_EQ(help.rc, 0) << command << help.err;
    EXPECT_NE(help.out.find(std::string("usage: ccmigrate ") + command), std::string::npos)
        << help.out;
    EXPECT_EQ(help.out, Ccm(std::string(command) + " --help").out) << command;
  }
  EXPECT_EQ(Ccm("help nosuch").rc, 64);
  EXPECT_EQ(Ccm("help plan import").rc, 64);
  Outcome all = Ccm("help");
  EXPECT_EQ(all.rc, 0);
  EXPECT_NE(all.out.find("ccmigrate help COMMAND"), std::string::npos) << all.out;
}

// The directory cannot be reached (nothing listens on port 1) and TLS verification is off, so
// connecting logs a warning: it must reach stderr, never stdout, and follow the level.
TEST_F(Cli, LogsGoToStderrAtTheConfiguredLevelMovedByVerbosity) {
  std::ofstream(tmp_ / "password") << "secret\n";
  // The secret reader refuses a password file that other users can read.
  fs::permissions(tmp_ / "password", fs::perms::owner_read | fs::perms::owner_write);
  auto config = [&](const std::string& level) {
    fs::path path = tmp_ / ("ccmigrate-" + level + ".toml");
    std::ofstream(path) << "[ldap]\nuri = \"ldap://127.0.0.1:1\"\nbind_dn = \"cn=admin\"\n"
                        << "password_file = \"" << (tmp_ / "password").string() << "\"\n"
                        << "base_dn = \"dc=example,dc=test\"\ntls_verify = false\n"
                        << "timeout_seconds = 2\n[import]\ndefault_home = \"mail1\"\n"
                        << "[mailstore]\nroot = \"" << (tmp_ / "mail").string() << "\"\n"
                        << "[log]\nlevel = \"" << level << "\"\n";
    return path.string();
  };
  const std::string pkl = Appendix() + "/HQPO.PKL";
  const std::string warning = "TLS certificate verification is OFF";

  Outcome info = Ccm("plan --config " + config("info") + " " + pkl);
  EXPECT_EQ(info.rc, 75) << info.err;
  EXPECT_EQ(info.out.find(warning), std::string::npos) << info.out;
  EXPECT_NE(info.err.find(warning), std::string::npos) << info.err;

  Outcome quiet = Ccm("-q plan -q --config " + config("info") + " " + pkl);  // info - 2: error
  EXPECT_EQ(quiet.rc, 75);
  EXPECT_EQ(quiet.err.find(warning), std::string::npos) << quiet.err;

  Outcome error_level = Ccm("plan --config " + config("error") + " " + pkl);
  EXPECT_EQ(error_level.err.find(warning), std::string::npos) << error_level.err;
  Outcome verbose = Ccm("plan -v --config " + config("error") + " " + pkl);
  EXPECT_NE(verbose.err.find(warning), std::string::npos) << verbose.err;
  EXPECT_TRUE(verbose.out.empty()) << verbose.out;
}

}  // namespace
