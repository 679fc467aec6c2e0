// slapd_fixture.h — the GoogleTest fixture most integration tests derive from: one shared
// throwaway slapd per test binary (see slapd.h), started on first use, with
// conf/examples/directory.ldif loaded, stopped and removed when the binary exits.
//
// Tests share the server and its data: each test works in its own subtree (for example
// ou=<TestName>,dc=example,dc=test, created with LoadLdifText) and must not change the sample
// entries under ou=Recipients unless it puts them back. A test that needs a pristine or
// specially configured server (size limits, TLS, restarts) starts its own Slapd instead.
//
// With CCM_TEST_LDAP=container the shared server is the containerised directory (slapd.h), and
// servers the binary's tests start of their own while it lives are slapd children. ctest runs
// each test in a process of its own, so there a test's own server is the container.
//
// When a test fails, TearDown prints the tail of the server's log.
//
// Thread safety: use from the test's thread only.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/support/slapd.h"

namespace ccm::test {

/// The shared server, started on first call; nullptr when it could not start
/// (SharedSlapdError() says why).
Slapd* SharedSlapd();
/// Why SharedSlapd() returned nullptr.
const std::string& SharedSlapdError();

/// Fixture: SetUp fails the test when the shared server cannot start.
class SlapdTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  /// The shared server; valid after SetUp.
  Slapd& slapd() { return *server_; }

 private:
  Slapd* server_ = nullptr;
};

}  // namespace ccm::test
