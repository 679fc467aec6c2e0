// ldif_fuzzer.cpp — libFuzzer target for the LDIF reader that reads journals back
// (ldap/ldif_reader): the input is read whole (ReadLdif) and record by record (LdifReader, as
// ReadJournal does). Contract: records or an error naming a line inside the input, the two
// ways agree, and nothing crashes or hangs. Run: scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "ldap/ldif_reader.h"

namespace {

void Require(bool condition) {
  if (!condition)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto whole = ccm::ldap::ReadLdif(text);
  std::istringstream in(text);
  ccm::ldap::LdifReader reader(in);
  std::size_t records = 0;
  for (int guard = 0;; ++guard) {
    Require(guard < 1'000'000);
    auto next = reader.Next();
    if (!next) {
      Require(!whole.ok());
      Require(next.error().line <= size + 1);
      return 0;
    }
    if (!next->has_value())
      break;
    ++records;
  }
  Require(whole.ok() && whole->size() == records);
  return 0;
}
