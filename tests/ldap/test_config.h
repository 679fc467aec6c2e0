// test_config.h — ConnectionConfig builders for the ldap integration tests: the admin (simple
// bind with the password read from the harness's secret file, as the daemon does), anonymous,
// and SASL EXTERNAL over ldapi.
#pragma once

#include <gtest/gtest.h>

#include "ldap/connection_config.h"
#include "tests/support/slapd.h"

namespace ccm::ldap::testing {

inline ConnectionConfig AdminConfig(const test::Slapd& server) {
  ConnectionConfig config;
  config.uri = server.uri();
  config.bind_dn = server.admin_dn();
  auto secret = ReadSecretFile(server.admin_password_file());
  EXPECT_TRUE(secret.ok()) << secret.error();
  if (secret)
    config.password = std::move(*secret);
  config.operation_timeout = std::chrono::seconds(10);
  return config;
}

inline ConnectionConfig AnonymousConfig(const test::Slapd& server) {
  ConnectionConfig config;
  config.uri = server.uri();
  config.bind = BindMethod::kAnonymous;
  config.operation_timeout = std::chrono::seconds(10);
  return config;
}

}  // namespace ccm::ldap::testing
