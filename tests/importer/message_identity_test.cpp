// message_identity_test.cpp — SHA-256 against FIPS 180-4 vectors and lengths around the padding
// boundaries (expected values from an independent implementation); stability of derived names.
#include "importer/message_identity.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::importer {
namespace {

std::string Hex(const std::array<std::uint8_t, 32>& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (auto b : d) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, LengthsAroundThePaddingBoundaries) {
  // 55 bytes is the longest input padded within one block, 56 the shortest needing two.
  EXPECT_EQ(Hex(Sha256(std::string(55, 'x'))),
            "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(Hex(Sha256(std::string(56, 'x'))),
            "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  EXPECT_EQ(Hex(Sha256(std::string(63, 'x'))),
            "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
  EXPECT_EQ(Hex(Sha256(std::string(64, 'x'))),
            "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
  EXPECT_EQ(Hex(Sha256(std::string(119, 'x'))),
            "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
}

TEST(MessageIdentity, DerivedNamesAreStableAndDistinct) {
  EXPECT_EQ(IdentityDigest("abc"), "ba7816bf8f01cfea414140de5dae2223");
  EXPECT_EQ(MaildirUniqueName("abc"), "ccm-ba7816bf8f01cfea414140de5dae2223");
  EXPECT_EQ(MessageIdFor("abc"), "<ba7816bf8f01cfea414140de5dae2223@ccmigrate.invalid>");
  EXPECT_NE(MaildirUniqueName("HQPO.001/00000001.PRI:14"),
            MaildirUniqueName("HQPO.001/00000001.PRI:15"));
}

}  // namespace
}  // namespace ccm::importer
