// slapd_fixture.cpp — the shared server behind SlapdTest. See slapd_fixture.h.
#include "tests/support/slapd_fixture.h"

#include <iostream>
#include <memory>

namespace ccm::test {
namespace {

struct Shared {
  std::unique_ptr<Slapd> server;
  std::string error;
  bool tried = false;
};

Shared& shared() {
  static Shared instance;
  return instance;
}

}  // namespace

Slapd* SharedSlapd() {
  Shared& s = shared();
  if (!s.tried) {
    s.tried = true;
    auto started = Slapd::Start();
    if (!started) {
      s.error = started.error();
      return nullptr;
    }
    auto loaded = (*started)->LoadLdif(Slapd::SourcePath("conf/examples/directory.ldif"));
    if (!loaded) {
      s.error = "conf/examples/directory.ldif did not load: " + loaded.error();
      return nullptr;
    }
    s.server = std::move(*started);
  }
  return s.server.get();
}

const std::string& SharedSlapdError() {
  return shared().error;
}

void SlapdTest::SetUp() {
  server_ = SharedSlapd();
  ASSERT_NE(server_, nullptr) << "shared slapd did not start: " << SharedSlapdError();
}

void SlapdTest::TearDown() {
  if (server_ != nullptr && HasFailure()) {
    std::string log = server_->ReadLog();
    std::size_t keep = 6000;
    std::cerr << "--- slapd log " << server_->dir() << "/slapd.log (tail) ---\n"
              << (log.size() > keep ? log.substr(log.size() - keep) : log)
              << "\n--- end of slapd log ---\n";
  }
}

}  // namespace ccm::test
