// slapd.h — a real, throwaway OpenLDAP server for integration tests (library ccm_test_support).
//
// Slapd::Start() makes a fresh short temporary directory (/tmp/ccm.XXXXXX: the ldapi socket path
// must stay under 108 bytes), fills in tests/support/slapd-config.ldif.in (the same template
// scripts/dev-ldap uses), loads it with `slapadd -n0`, and runs Debian's /usr/sbin/slapd as a
// foreground child listening on 127.0.0.1 on a free port (plus ldaps on a second port when TLS
// is on) and on an ldapi socket. It is ready when a search over ldapi answers. The directory
// has the suffix dc=example,dc=test, the rootdn cn=admin,dc=example,dc=test with a known
// password, the ccmigrate schema, memberof (olcMemberOfRefInt TRUE) and refint, and eq indexes
// on ccmProxyAddress and ccmTargetAddress. The database starts empty; LoadLdif() adds entries
// (conf/examples/directory.ldif holds the sample tree).
//
// Security stance: test-only. The admin password is a constant and sits in the temp directory
// in plain text; the server listens on loopback only and never on port 389.
//
// Diagnostics: every failure returns a message with slapd's or the tool's output. The server
// writes its log (loglevel "stats" by default) to <dir>/slapd.log; when a GoogleTest test has
// failed, the destructor prints the tail of that log.
//
// Process handling: slapd is a direct child (PR_SET_PDEATHSIG SIGTERM, so a crashed test binary
// does not leak it), stopped by its pid with SIGTERM (SIGKILL after 5 s) and reaped with waitpid:
// no zombies. Stop()/Restart() keep the port and the data.
//
// Backend: with CCM_TEST_LDAP=container the same class runs the same tests against the
// containerised directory of scripts/container-ldap (container_directory.h) instead of a child:
// Start() brings the container up once per process and empties its suffix (the state a fresh
// child starts in), LoadLdif() loads over the container's ldapi socket, Stop()/Restart() stop and
// start the container (data kept, as with a child), Pause()/Resume() freeze and thaw it, and
// ReadLog() reads the container's log since Start(). One Slapd at a time owns the container: a
// server started while another owns it (a test comparing two directories) is a child, and so
// is a server with options (TLS, a size limit), because the container's configuration is fixed.
//
// Thread safety: externally synchronized.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"
#include "tests/support/container_directory.h"

namespace ccm::test {

/// How to build the server.
struct SlapdOptions {
  /// Also listen on ldaps:// and accept StartTLS, with a self-signed certificate for 127.0.0.1
  /// (ca_file() names it) made with openssl at start.
  bool tls = false;
  /// The database's olcSizeLimit, e.g. "size.soft=5 size.hard=5 size.prtotal=unlimited" for
  /// paging tests. The rootdn is exempt from limits: test limits with anonymous or user binds.
  std::string size_limit = "unlimited";
  /// slapd's -d debug/log level ("stats" logs every operation; "0" nothing).
  std::string log_level = "stats";
};

/// A running (or stopped) throwaway slapd; see the file comment.
class Slapd {
 public:
  /// Creates the directory and configuration and starts the server.
  static Result<std::unique_ptr<Slapd>, std::string> Start(SlapdOptions options = {});
  /// Stops the server (if running) and removes its directory (kept when CCM_KEEP_SLAPD is set).
  ~Slapd();
  Slapd(const Slapd&) = delete;
  Slapd& operator=(const Slapd&) = delete;

  /// Stops the server by its pid (SIGTERM, SIGKILL after 5 s) and reaps it. Idempotent.
  Result<void, std::string> Stop();
  /// Starts the stopped server again on the same ports with the same data; waits until ready.
  Result<void, std::string> Restart();
  /// SIGSTOP / SIGCONT: the server keeps its connections but answers nothing (timeout tests).
  Result<void, std::string> Pause();
  Result<void, std::string> Resume();

  /// Adds the entries of an LDIF file (content or change records) with ldapmodify -a as the
  /// rootdn over ldapi; the error carries ldapmodify's output.
  Result<void, std::string> LoadLdif(const std::string& path) const;
  /// The same for LDIF text (written to a file in the server's directory first).
  Result<void, std::string> LoadLdifText(std::string_view ldif) const;

  /// ldap://127.0.0.1:<port>
  std::string uri() const;
  /// ldaps://127.0.0.1:<tls port>; empty unless SlapdOptions::tls.
  std::string ldaps_uri() const;
  /// ldapi://<percent-encoded socket path> (the container's socket is in a host directory)
  std::string ldapi_uri() const;
  int port() const { return port_; }
  std::string admin_dn() const { return "cn=admin,dc=example,dc=test"; }
  std::string admin_password() const;
  /// A file holding exactly the admin password (no newline), as clients read secrets.
  std::string admin_password_file() const { return dir_ + "/admin.pw"; }
  std::string base_dn() const { return "dc=example,dc=test"; }
  /// The PEM certificate clients must trust for TLS; empty unless SlapdOptions::tls.
  std::string ca_file() const;
  /// The server's directory (config, data, log, socket).
  const std::string& dir() const { return dir_; }
  /// The whole server log so far.
  std::string ReadLog() const;
  bool running() const { return container_ ? container_running_ : pid_ > 0; }
  /// True when this server is the containerised directory (CCM_TEST_LDAP=container).
  bool in_container() const { return container_.has_value(); }
  pid_t pid() const { return pid_; }

  /// An absolute path inside the source tree (e.g. "conf/examples/directory.ldif").
  static std::string SourcePath(std::string_view relative);

 private:
  Slapd(SlapdOptions options, std::string dir);
  Result<void, std::string> Configure();
  Result<void, std::string> Launch();
  Result<void, std::string> WaitReady();
  static Result<std::unique_ptr<Slapd>, std::string> StartInContainer(SlapdOptions options,
                                                                      std::string dir);

  SlapdOptions options_;
  std::string dir_;
  int port_ = 0;
  int tls_port_ = 0;
  pid_t pid_ = -1;
  bool paused_ = false;
  // The containerised directory's endpoint; empty for a child process.
  std::optional<ContainerEndpoint> container_;
  bool container_running_ = false;
  long long started_at_ = 0;  // unix seconds: ReadLog() reads the log from here
};

}  // namespace ccm::test
