// ldif_test.cpp — the RFC 2849 writer's base64 rules and the reader, without a server:
// round trips of content, add and modify records, folding, comments, version lines, CR LF,
// and the reader's refusals with line numbers. (ldif_ldapmodify_test.cpp feeds the writer's
// output to the real ldapmodify.)
#include <gtest/gtest.h>

#include "ldap/base64.h"
#include "ldap/ldif_reader.h"
#include "ldap/ldif_writer.h"

namespace ccm::ldap {
namespace {

TEST(Base64Test, RoundTripsAndRefusesGarbage) {
  for (std::string bytes : {std::string(""), std::string("a"), std::string("ab"),
                            std::string("abc"), std::string("\0\xff\x10 z", 5)})
    EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
  EXPECT_EQ(Base64Encode("Zoë"), "Wm/Dqw==");
  EXPECT_FALSE(Base64Decode("abc"));
  EXPECT_FALSE(Base64Decode("ab=c"));
  EXPECT_FALSE(Base64Decode("a$==")) << "outside the alphabet";
}

TEST(LdifWriterTest, UsesBase64ExactlyWhenAValueIsNotASafeString) {
  EXPECT_EQ(LdifLine("cn", "Quinn, Avery"), "cn: Quinn, Avery\n");
  EXPECT_EQ(LdifLine("cn", "a:b<c"), "cn: a:b<c\n") << "only a leading : or < is unsafe";
  EXPECT_EQ(LdifLine("description", ""), "description:\n");
  EXPECT_EQ(LdifLine("cn", " lead"), "cn:: " + Base64Encode(" lead") + "\n");
  EXPECT_EQ(LdifLine("cn", ":colon"), "cn:: " + Base64Encode(":colon") + "\n");
  EXPECT_EQ(LdifLine("cn", "<angle"), "cn:: " + Base64Encode("<angle") + "\n");
  EXPECT_EQ(LdifLine("cn", "trail "), "cn:: " + Base64Encode("trail ") + "\n");
  EXPECT_EQ(LdifLine("cn", "two\nlines"), "cn:: " + Base64Encode("two\nlines") + "\n");
  EXPECT_EQ(LdifLine("cn", "Zoë"), "cn:: Wm/Dqw==\n");
  EXPECT_EQ(LdifLine("cn", std::string("n\0l", 3)),
            "cn:: " + Base64Encode(std::string("n\0l", 3)) + "\n");
}

TEST(LdifWriterTest, RendersContentAddModifyAndDeleteRecords) {
  Entry entry{"cn=Avery Quinn,ou=Recipients,dc=example,dc=test", {}};
  entry.Add("objectClass", "inetOrgPerson");
  entry.Add("objectClass", "ccmCustomRecipient");
  entry.Add("ccmTargetAddress", "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(LdifContentRecord(entry),
            "dn: cn=Avery Quinn,ou=Recipients,dc=example,dc=test\n"
            "objectClass: inetOrgPerson\nobjectClass: ccmCustomRecipient\n"
            "ccmTargetAddress: CCMAIL:Quinn, Avery at HQPO\n\n");
  EXPECT_EQ(LdifAddRecord(entry).rfind("dn: cn=Avery Quinn,ou=Recipients,dc=example,dc=test\n"
                                       "changetype: add\nobjectClass: inetOrgPerson\n",
                                       0),
            0u);
  EXPECT_EQ(LdifModifyRecord("cn=x", {Modification::Delete("objectClass", {"ccmCustomRecipient"}),
                                      Modification::Delete("ccmTargetAddress"),
                                      Modification::Add("ccmMailboxHome", {"mail1"}),
                                      Modification::Replace("sn", {})}),
            "dn: cn=x\nchangetype: modify\n"
            "delete: objectClass\nobjectClass: ccmCustomRecipient\n-\n"
            "delete: ccmTargetAddress\n-\n"
            "add: ccmMailboxHome\nccmMailboxHome: mail1\n-\n"
            "replace: sn\n-\n\n");
  EXPECT_EQ(LdifDeleteRecord("cn=x"), "dn: cn=x\nchangetype: delete\n\n");
}

// A plan holds one content record per user for as long as the import runs: each record is
// allocated at exactly its length, base64 values and empty values included.
TEST(LdifWriterTest, AllocatesEachRecordAtItsLength) {
  Entry entry{"cn=Zoë Quinn,ou=Recipients,dc=example,dc=test", {}};
  entry.Add("objectClass", "inetOrgPerson");
  entry.Add("description", "");
  entry.Add("sn", " leading space");
  entry.Add("ccmTargetAddress", "CCMAIL:Quinn, Zoe at HQPO");
  for (const std::string& record :
       {LdifContentRecord(entry), LdifAddRecord(entry),
        LdifModifyRecord(entry.dn, {Modification::Delete("objectClass", {"ccmCustomRecipient"}),
                                    Modification::Delete("ccmTargetAddress"),
                                    Modification::Add("cn", {"Zoë", "Zoe"}),
                                    Modification::Replace("sn", {})})}) {
    EXPECT_EQ(record.capacity(), record.size()) << record;
  }
}

TEST(LdifRoundTripTest, WhatTheWriterWritesTheReaderReadsBack) {
  Entry entry{"cn=Zo\xc3\xab \\, Unal,dc=example,dc=test", {}};
  entry.Add("objectClass", "inetOrgPerson");
  entry.Add("cn", " Zoë, \"Z\" Ünal ");
  entry.Add("description", "line one\r\nline two");
  entry.Add("description", "");
  entry.Add("jpegPhoto", std::string("\xff\xd8\x00\x01", 4));
  std::vector<Modification> changes = {Modification::Add("ccmProxyAddress", {":x", "<y", "z "}),
                                       Modification::Delete("description"),
                                       Modification::Replace("sn", {"Ünal"})};
  std::string text = "version: 1\n\n" + LdifContentRecord(entry) + LdifAddRecord(entry) +
                     LdifModifyRecord(entry.dn, changes) + LdifDeleteRecord(entry.dn);
  auto records = ReadLdif(text);
  ASSERT_TRUE(records.ok()) << records.error().what();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0].kind, LdifRecord::Kind::kContent);
  EXPECT_EQ((*records)[0].entry, entry);
  EXPECT_EQ((*records)[1].kind, LdifRecord::Kind::kAdd);
  EXPECT_EQ((*records)[1].entry, entry);
  EXPECT_EQ((*records)[2].kind, LdifRecord::Kind::kModify);
  EXPECT_EQ((*records)[2].entry.dn, entry.dn);
  EXPECT_EQ((*records)[2].modifications, changes);
  EXPECT_EQ((*records)[3].kind, LdifRecord::Kind::kDelete);
  EXPECT_EQ((*records)[3].entry.dn, entry.dn);
  EXPECT_EQ((*records)[3].line, 31u);
}

TEST(LdifReaderTest, ReadsFoldedLinesCommentsCrLfAndModRdn) {
  std::string text =
      "# journal of set HQPO.001\r\n"
      "# a comment that is\r\n"
      "  folded\r\n"
      "dn: cn=Avery Quinn,ou=Recip\r\n"
      " ients,dc=example,dc=test\r\n"
      "ccmProxyAddress: CCMAIL:Quinn,\r\n"
      "  Avery at HQPO\r\n"
      "cn:: QXZlcnkg\r\n"
      " UXVpbm4=\r\n"
      "\r\n"
      "\r\n"
      "dn: cn=a,dc=t\n"
      "changetype: modrdn\n"
      "newrdn: cn=b\n"
      "deleteoldrdn: 1\n"
      "newsuperior: ou=x,dc=t\n"
      "\n"
      "dn: cn=b,ou=x,dc=t\n"
      "changetype: modify\n"
      "replace: sn\n"
      "sn: b\n";  // the last "-" may be missing
  auto records = ReadLdif(text);
  ASSERT_TRUE(records.ok()) << records.error().what();
  ASSERT_EQ(records->size(), 3u);
  const Entry& avery = (*records)[0].entry;
  EXPECT_EQ(avery.dn, "cn=Avery Quinn,ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(avery.First("ccmproxyaddress"), "CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(avery.First("cn"), "Avery Quinn");
  EXPECT_EQ((*records)[0].line, 4u);
  const LdifRecord& rename = (*records)[1];
  EXPECT_EQ(rename.kind, LdifRecord::Kind::kModRdn);
  EXPECT_EQ(rename.new_rdn, "cn=b");
  EXPECT_TRUE(rename.delete_old_rdn);
  EXPECT_EQ(rename.new_superior, "ou=x,dc=t");
  EXPECT_EQ((*records)[2].modifications,
            std::vector<Modification>{Modification::Replace("sn", {"b"})});
}

TEST(LdifReaderTest, RefusesWhatItCannotTrustWithTheLineNumber) {
  struct Case {
    std::string text;
    std::size_t line;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {"cn: x\n", 1, "dn:"},
           {"dn: cn=x\njpegPhoto:< file:///etc/shadow\n", 2, "URL"},
           {"dn: cn=x\ncontrol: 1.2.3 true\n", 2, "controls"},
           {"dn: cn=x\nchangetype: frobnicate\n", 2, "frobnicate"},
           {"dn: cn=x\ncn:: !!!!\n", 2, "base64"},
           {"dn: cn=x\nchangetype: modify\nadd: sn\ncn: y\n-\n", 4, "inside the modification"},
           {"dn: cn=x\nchangetype: modify\nsn: y\n", 3, "expected add:"},
           {"dn: cn=x\nchangetype: delete\ncn: y\n", 3, "delete"},
           {"dn: cn=x\nchangetype: modrdn\ndeleteoldrdn: 1\n", 1, "newrdn"},
           {"dn: cn=x\nno colon here\n", 2, "name: value"},
       }) {
    auto records = ReadLdif(c.text);
    ASSERT_FALSE(records.ok()) << c.text;
    EXPECT_EQ(records.error().line, c.line) << c.text;
    EXPECT_NE(records.error().what().find(c.says), std::string::npos)
        << c.text << " -> " << records.error().what();
  }
}

TEST(LdifReaderTest, ReadsRecordByRecordFromAStream) {
  std::istringstream source("dn: cn=a\ncn: a\n\ndn: cn=b\ncn: b\n");
  LdifReader reader(source);
  auto first = reader.Next();
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->entry.dn, "cn=a");
  auto second = reader.Next();
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ((*second)->entry.First("cn"), "b");
  auto end = reader.Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

}  // namespace
}  // namespace ccm::ldap
