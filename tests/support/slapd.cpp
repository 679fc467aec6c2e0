// slapd.cpp — the throwaway slapd of slapd.h: configuration from the shared template, a
// foreground child process, readiness by search, stop by pid. See slapd.h for the contract.
#include "tests/support/slapd.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/support/program.h"

#ifndef CCM_SOURCE_DIR
#error "CCM_SOURCE_DIR must name the source tree"
#endif

namespace ccm::test {
namespace {

using namespace std::chrono_literals;
constexpr const char* kAdminPassword = "ccm-test-admin-secret";
constexpr const char* kSlapdBinary = "/usr/sbin/slapd";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// A port the kernel just handed out on 127.0.0.1. Another process could take it before slapd
// binds; Start() retries with a new port when slapd fails to start.
Result<int, std::string> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return Fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::string error = std::strerror(errno);
    close(fd);
    return Fail("bind 127.0.0.1:0: " + error);
  }
  close(fd);
  return static_cast<int>(ntohs(address.sin_port));
}

std::string PercentEncodePath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '/')
      out += "%2F";
    else
      out += c;
  }
  return out;
}

// Per process: whether a Slapd owns the container, and the container's endpoint while it is
// known to be up (set by `up`, cleared by a Stop()), so that `up` runs once per process rather
// than once per test.
bool container_owned = false;
std::optional<ContainerEndpoint> container_up;

Result<ContainerEndpoint, std::string> BringContainerUp() {
  if (container_up)
    return *container_up;
  auto endpoint = ContainerUp();
  if (!endpoint)
    return Fail(endpoint.error());
  container_up = *endpoint;
  return *endpoint;
}

std::string Tail(const std::string& text, std::size_t lines) {
  std::size_t at = text.size();
  while (lines-- > 0 && at > 0) {
    at = text.rfind('\n', at - 1);
    if (at == std::string::npos)
      return text;
  }
  return text.substr(at == text.size() ? at : at + 1);
}

}  // namespace

std::string Slapd::SourcePath(std::string_view relative) {
  return std::string(CCM_SOURCE_DIR) + "/" + std::string(relative);
}

Slapd::Slapd(SlapdOptions options, std::string dir)
    : options_(std::move(options)), dir_(std::move(dir)) {}

Result<std::unique_ptr<Slapd>, std::string> Slapd::Start(SlapdOptions options) {
  if (auto error = ContainerBackendError(); !error.empty())
    return Fail(error);
  char dir_template[] = "/tmp/ccm.XXXXXX";
  if (mkdtemp(dir_template) == nullptr)
    return Fail(std::string("mkdtemp /tmp/ccm.XXXXXX: ") + std::strerror(errno));
  if (ContainerBackendSelected() && !container_owned && !options.tls &&
      options.size_limit == "unlimited")
    return StartInContainer(std::move(options), dir_template);
  std::unique_ptr<Slapd> server(new Slapd(std::move(options), dir_template));
  if (auto configured = server->Configure(); !configured)
    return Fail(configured.error());
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto port = FreePort();
    if (!port)
      return Fail(port.error());
    server->port_ = *port;
    if (server->options_.tls) {
      auto tls_port = FreePort();
      if (!tls_port)
        return Fail(tls_port.error());
      server->tls_port_ = *tls_port;
    }
    auto launched = server->Launch();
    if (launched)
      return server;
    last_error = launched.error();
  }
  return Fail(last_error);
}

Result<std::unique_ptr<Slapd>, std::string> Slapd::StartInContainer(SlapdOptions options,
                                                                    std::string dir) {
  std::unique_ptr<Slapd> server(new Slapd(std::move(options), std::move(dir)));
  auto endpoint = BringContainerUp();
  if (!endpoint)
    return Fail(endpoint.error());
  server->container_ = *endpoint;
  server->container_running_ = true;
  server->port_ = endpoint->port;
  server->started_at_ = static_cast<long long>(std::time(nullptr));
  if (auto wiped = WipeDirectory(*endpoint); !wiped)
    return Fail(wiped.error());
  container_owned = true;
  // The harness's own copy of the password, so that admin_password_file() is in dir() as with
  // a child process.
  std::string password = ReadFile(endpoint->password_file);
  if (password.empty() || !WriteFile(server->admin_password_file(), password))
    return Fail("cannot copy the container's password file " + endpoint->password_file);
  std::error_code mode_error;  // ccmigrate refuses a password file other users can read
  std::filesystem::permissions(
      server->admin_password_file(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, mode_error);
  return server;
}

Result<void, std::string> Slapd::Configure() {
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/slapd.d", ec);
  std::filesystem::create_directories(dir_ + "/data", ec);
  if (ec)
    return Fail("cannot create " + dir_ + ": " + ec.message());
  if (!WriteFile(admin_password_file(), kAdminPassword))
    return Fail("cannot write " + admin_password_file());
  // ccmigrate refuses a password file other users can read.
  std::filesystem::permissions(
      admin_password_file(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);

  std::string tls_config;
  if (options_.tls) {
    auto made = RunProgram({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                            "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                            "-keyout", dir_ + "/server.key", "-out", dir_ + "/server.crt"});
    if (!made)
      return Fail(made.error());
    if (made->exit_code != 0)
      return Fail("openssl req failed: " + made->output);
    tls_config = "olcTLSCertificateFile: " + dir_ +
                 "/server.crt\nolcTLSCertificateKeyFile: " + dir_ + "/server.key";
  }

  std::string config = ReadFile(SourcePath("tests/support/slapd-config.ldif.in"));
  if (config.empty())
    return Fail("cannot read " + SourcePath("tests/support/slapd-config.ldif.in"));
  ReplaceAll(config, "@TLS_CONFIG@\n", tls_config.empty() ? "" : tls_config + "\n");
  ReplaceAll(config, "@DIR@", dir_);
  ReplaceAll(config, "@SCHEMA@", SourcePath("conf/schema/ccmigrate.ldif"));
  ReplaceAll(config, "@ROOT_PW@", kAdminPassword);
  ReplaceAll(config, "@SIZE_LIMIT@", options_.size_limit);
  ReplaceAll(config, "@UID@", std::to_string(getuid()));
  ReplaceAll(config, "@GID@", std::to_string(getgid()));
  if (!WriteFile(dir_ + "/config.ldif", config))
    return Fail("cannot write " + dir_ + "/config.ldif");

  auto added = RunProgram(
      {"/usr/sbin/slapadd", "-n0", "-F", dir_ + "/slapd.d", "-l", dir_ + "/config.ldif"});
  if (!added)
    return Fail(added.error());
  if (added->exit_code != 0)
    return Fail("slapadd -n0 rejected " + dir_ + "/config.ldif: " + added->output);
  // "checked before start": slaptest validates the whole configuration.
  auto tested = RunProgram({"/usr/sbin/slaptest", "-u", "-F", dir_ + "/slapd.d"});
  if (!tested)
    return Fail(tested.error());
  if (tested->exit_code != 0)
    return Fail("slaptest rejected the configuration: " + tested->output);
  return {};
}

Result<void, std::string> Slapd::Launch() {
  std::string urls = uri() + "/ " + ldapi_uri() + "/";
  if (options_.tls)
    urls += " " + ldaps_uri() + "/";
  std::vector<std::string> argv = {kSlapdBinary,      "-h", urls, "-F", dir_ + "/slapd.d", "-d",
                                   options_.log_level};
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);
  std::string log_path = dir_ + "/slapd.log";
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0)
    return Fail("cannot open " + log_path + ": " + std::strerror(errno));

  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    return Fail(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
      _exit(1);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, 0);
    dup2(log, 1);
    dup2(log, 2);
    execv(kSlapdBinary, args.data());
    _exit(127);
  }
  close(log);
  pid_ = pid;
  paused_ = false;
  auto ready = WaitReady();
  if (!ready) {
    (void)Stop();
    return Fail(ready.error() + "\n--- slapd log (tail) ---\n" + Tail(ReadLog(), 30));
  }
  return {};
}

Result<void, std::string> Slapd::WaitReady() {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string last_output;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Fail("slapd exited during start-up (status " + std::to_string(status) + ")");
    }
    auto answered = RunProgram(
        {"ldapsearch", "-x", "-H", ldapi_uri(), "-b", "", "-s", "base", "-LLL", "namingContexts"});
    if (answered && answered->exit_code == 0)
      return {};  // slapd opens every listener (ldap, ldaps, ldapi) before it serves
    if (answered)
      last_output = answered->output;
    std::this_thread::sleep_for(10ms);
  }
  return Fail("slapd did not answer a search within 10 s: " + last_output);
}

Result<void, std::string> Slapd::Stop() {
  if (container_) {
    if (!container_running_)
      return {};
    container_up.reset();
    container_running_ = false;
    paused_ = false;
    return ContainerStop();
  }
  if (pid_ <= 0)
    return {};
  if (paused_)
    kill(pid_, SIGCONT);
  paused_ = false;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (true) {
    pid_t reaped = waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_ || (reaped < 0 && errno == ECHILD))
      break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(2ms);
  }
  pid_ = -1;
  return {};
}

Result<void, std::string> Slapd::Restart() {
  if (auto stopped = Stop(); !stopped)
    return stopped;
  if (container_) {
    auto endpoint = BringContainerUp();
    if (!endpoint)
      return Fail(endpoint.error());
    container_running_ = true;
    return {};
  }
  return Launch();
}

Result<void, std::string> Slapd::Pause() {
  if (container_) {
    if (!container_running_)
      return Fail(std::string("cannot pause the container: not running"));
    auto paused = ContainerPause();
    paused_ = paused.ok();
    return paused;
  }
  if (pid_ <= 0 || kill(pid_, SIGSTOP) != 0)
    return Fail(std::string("cannot pause slapd: not running"));
  // SIGSTOP is delivered asynchronously: wait until the child has really stopped, so that
  // nothing sent after Pause() returns can still be answered.
  int status = 0;
  while (waitpid(pid_, &status, WUNTRACED) < 0) {
    if (errno != EINTR)
      return Fail(std::string("cannot pause slapd: ") + std::strerror(errno));
  }
  if (!WIFSTOPPED(status))
    return Fail(std::string("slapd ended instead of stopping"));
  paused_ = true;
  return {};
}

Result<void, std::string> Slapd::Resume() {
  if (container_) {
    auto resumed = ContainerResume();
    if (resumed)
      paused_ = false;
    return resumed;
  }
  if (pid_ <= 0 || kill(pid_, SIGCONT) != 0)
    return Fail(std::string("cannot resume slapd: not running"));
  int status = 0;
  while (waitpid(pid_, &status, WCONTINUED) < 0) {
    if (errno != EINTR)
      return Fail(std::string("cannot resume slapd: ") + std::strerror(errno));
  }
  paused_ = false;
  return {};
}

Result<void, std::string> Slapd::LoadLdif(const std::string& path) const {
  auto loaded = RunProgram({"ldapmodify", "-a", "-x", "-H", ldapi_uri(), "-D", admin_dn(), "-y",
                            admin_password_file(), "-f", path});
  if (!loaded)
    return Fail(loaded.error());
  if (loaded->exit_code != 0)
    return Fail("ldapmodify -a -f " + path + " failed (exit " + std::to_string(loaded->exit_code) +
                "): " + loaded->output);
  return {};
}

Result<void, std::string> Slapd::LoadLdifText(std::string_view ldif) const {
  static int counter = 0;
  std::string path = dir_ + "/load-" + std::to_string(++counter) + ".ldif";
  if (!WriteFile(path, ldif))
    return Fail("cannot write " + path);
  return LoadLdif(path);
}

std::string Slapd::uri() const {
  return "ldap://127.0.0.1:" + std::to_string(port_);
}

std::string Slapd::ldaps_uri() const {
  return options_.tls ? "ldaps://127.0.0.1:" + std::to_string(tls_port_) : std::string();
}

std::string Slapd::ldapi_uri() const {
  if (container_)
    return container_->ldapi_uri;
  return "ldapi://" + PercentEncodePath(dir_ + "/ldapi");
}

std::string Slapd::admin_password() const {
  if (container_)
    return ReadFile(admin_password_file());
  return kAdminPassword;
}

std::string Slapd::ca_file() const {
  return options_.tls ? dir_ + "/server.crt" : std::string();
}

std::string Slapd::ReadLog() const {
  if (container_)
    return ContainerLog(started_at_);
  return ReadFile(dir_ + "/slapd.log");
}

Slapd::~Slapd() {
  if (container_) {
    // The container outlives this server: leave it running for the next one.
    if (paused_)
      (void)ContainerResume();
    if (!container_running_)
      (void)BringContainerUp();
    container_owned = false;
  } else {
    (void)Stop();
  }
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (test != nullptr && ::testing::Test::HasFailure())
    std::cerr << "--- slapd log " << (container_ ? "(container)" : dir_ + "/slapd.log")
              << " (last 40 lines) ---\n"
              << Tail(ReadLog(), 40) << "--- end of slapd log ---\n";
  if (std::getenv("CCM_KEEP_SLAPD") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace ccm::test
