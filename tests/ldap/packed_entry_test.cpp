// packed_entry_test.cpp — a PackedEntry gives back exactly the entry it packed, in one block.
#include "ldap/packed_entry.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::ldap {
namespace {

Entry Person() {
  Entry entry{"cn=Zo\xc3\xab Quinn\\, Jr.,ou=Recipients,dc=example,dc=test", {}};
  entry.Add("objectClass", "inetOrgPerson");
  entry.Add("objectClass", "ccmCustomRecipient");
  entry.Add("description", "");
  entry.Add("sn", " leading space");
  entry.Add("ccmTargetAddress", "CCMAIL:Quinn, Zoe at HQPO");
  entry.Add("ccmProxyAddress", "CCMAIL:Quinn, Zoe at HQPO");
  entry.Add("ccmProxyAddress", "smtp:zquinn@hqpo.example.test");
  entry.Add("jpegPhoto", std::string("\0\xff\x01 bytes\n", 9));
  return entry;
}

TEST(PackedEntryTest, UnpacksToTheEntryItPacked) {
  const Entry entry = Person();
  EXPECT_EQ(PackedEntry(entry).Unpack(), entry);
}

TEST(PackedEntryTest, KeepsAttributeAndValueOrder) {
  Entry entry{"cn=Order,dc=example,dc=test", {}};
  entry.Add("sn", "b");
  entry.Add("cn", "z");
  entry.Add("cn", "a");
  const Entry back = PackedEntry(entry).Unpack();
  ASSERT_EQ(back.attributes.size(), 2u);
  EXPECT_EQ(back.attributes[0].name, "sn");
  EXPECT_EQ(back.attributes[1].values, (std::vector<std::string>{"z", "a"}));
}

TEST(PackedEntryTest, EmptyShapesSurvive) {
  const Entry dn_only{"cn=Nobody,dc=example,dc=test", {}};
  EXPECT_EQ(PackedEntry(dn_only).Unpack(), dn_only);
  const Entry no_values{"", {{"objectClass", {}}}};
  EXPECT_EQ(PackedEntry(no_values).Unpack(), no_values);
  EXPECT_EQ(PackedEntry().Unpack(), Entry{});
}

// What the packing is for: the DN, names and values, with four bytes of length each, and
// nothing else.
TEST(PackedEntryTest, HoldsTheEntrysBytesAndTheirLengthsOnly) {
  const Entry entry = Person();
  std::size_t bytes = entry.dn.size();
  std::size_t strings = 1, counts = 1;
  for (const Attribute& attribute : entry.attributes) {
    bytes += attribute.name.size();
    ++strings;
    ++counts;
    for (const std::string& value : attribute.values) {
      bytes += value.size();
      ++strings;
    }
  }
  EXPECT_EQ(PackedEntry(entry).size(), bytes + 4 * (strings + counts));
}

}  // namespace
}  // namespace ccm::ldap
