// container_directory.h — the containerised OpenLDAP directory as a test backend (library
// ccm_test_support): what Slapd (slapd.h) uses instead of a slapd child process when the
// environment says CCM_TEST_LDAP=container.
//
// The directory is the one `scripts/container-ldap` runs (conf/container/Containerfile): Debian's
// slapd in a container on the host's network, suffix dc=example,dc=test, rootdn
// cn=admin,dc=example,dc=test. Every call goes through that script, so the engine (podman or
// docker) and the host quirks are decided in one place. The script's own environment
// (CCM_CONTAINER_LDAP_NAME, CCM_CONTAINER_LDAP_DIR, …) passes through unchanged.
//
// One container serves a whole test run. Tests get a clean directory by Wipe(): every entry of
// the suffix is deleted (ldapdelete -r as the rootdn), which is what a fresh slapd child holds.
// Test binaries that share the container must therefore run one at a time (ctest -j1), as the
// container lane does (scripts/test-container-lane).
//
// Security stance: test-only; the container listens on 127.0.0.1 only.
// Thread safety: externally synchronized (one test thread).
#pragma once

#include <string>
#include <string_view>

#include "ccm/result.h"

namespace ccm::test {

/// How to reach the containerised directory (the key=value lines of `container-ldap up`).
struct ContainerEndpoint {
  std::string uri;        ///< ldap://127.0.0.1:<port>
  std::string ldapi_uri;  ///< ldapi:// socket in the script's state directory
  std::string base_dn;
  std::string bind_dn;
  std::string password_file;  ///< holds exactly the rootdn's password
  int port = 0;
};

/// True when CCM_TEST_LDAP=container; an unknown value is reported by ContainerBackendError().
bool ContainerBackendSelected();
/// Non-empty when CCM_TEST_LDAP holds something other than "", "slapd" or "container".
std::string ContainerBackendError();

/// `container-ldap up`: starts the container if needed (idempotent), waits until it answers.
Result<ContainerEndpoint, std::string> ContainerUp();
/// `container-ldap stop|pause|resume`.
Result<void, std::string> ContainerStop();
Result<void, std::string> ContainerPause();
Result<void, std::string> ContainerResume();
/// slapd's log lines written at or after `since_unix_seconds`.
std::string ContainerLog(long long since_unix_seconds);
/// Deletes every entry of the suffix, leaving an empty database.
Result<void, std::string> WipeDirectory(const ContainerEndpoint& endpoint);

}  // namespace ccm::test
