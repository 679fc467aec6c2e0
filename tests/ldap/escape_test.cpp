// escape_test.cpp — RFC 4515 filter-value and RFC 4514 DN-value escaping, and the Filter
// builder, without a server (hostile_value_test.cpp checks the server's answers).
#include "ldap/escape.h"

#include <gtest/gtest.h>

#include "ldap/filter.h"

namespace ccm::ldap {
namespace {

TEST(EscapeFilterValueTest, EscapesTheFiveRfc4515CharactersAndNonPrintables) {
  EXPECT_EQ(EscapeFilterValue("Quinn, Avery at HQPO"), "Quinn, Avery at HQPO");
  EXPECT_EQ(EscapeFilterValue("*"), "\\2a");
  EXPECT_EQ(EscapeFilterValue("a(b)c"), "a\\28b\\29c");
  EXPECT_EQ(EscapeFilterValue("back\\slash"), "back\\5cslash");
  EXPECT_EQ(EscapeFilterValue(std::string("nul\0x", 5)), "nul\\00x");
  EXPECT_EQ(EscapeFilterValue("x)(|(cn=*"), "x\\29\\28|\\28cn=\\2a");
  EXPECT_EQ(EscapeFilterValue("\xc3\xab"), "\\c3\\ab");
  EXPECT_EQ(EscapeFilterValue("tab\t"), "tab\\09");
  EXPECT_EQ(EscapeFilterValue(""), "");
}

TEST(EscapeDnValueTest, EscapesRfc4514SpecialsAndEdgeSpaces) {
  EXPECT_EQ(EscapeDnValue("Quinn, Avery"), "Quinn\\, Avery");
  EXPECT_EQ(EscapeDnValue("a+b\"c\\d<e>f;g=h"), "a\\+b\\\"c\\\\d\\<e\\>f\\;g\\=h");
  EXPECT_EQ(EscapeDnValue("#hash"), "\\#hash");
  EXPECT_EQ(EscapeDnValue("in#side"), "in#side");
  EXPECT_EQ(EscapeDnValue(" lead"), "\\ lead");
  EXPECT_EQ(EscapeDnValue("trail "), "trail\\ ");
  EXPECT_EQ(EscapeDnValue(" "), "\\ ");
  EXPECT_EQ(EscapeDnValue("in side"), "in side");
  EXPECT_EQ(EscapeDnValue(std::string("nul\0", 4)), "nul\\00");
  EXPECT_EQ(EscapeDnValue("Zo\xc3\xab"), "Zo\xc3\xab") << "UTF-8 passes through";
}

TEST(DnTest, RdnAndChildDnEscapeOnlyTheValue) {
  EXPECT_EQ(Rdn("cn", "Quinn, Avery"), "cn=Quinn\\, Avery");
  EXPECT_EQ(ChildDn("cn", "Lee, Jordan", "ou=Recipients,dc=example,dc=test"),
            "cn=Lee\\, Jordan,ou=Recipients,dc=example,dc=test");
}

TEST(FilterTest, BuildsEscapedFiltersFromParts) {
  EXPECT_EQ(Filter::Eq("ccmProxyAddress", "CCMAIL:Quinn, Avery (HQ) at HQPO").str(),
            "(ccmProxyAddress=CCMAIL:Quinn, Avery \\28HQ\\29 at HQPO)");
  EXPECT_EQ(Filter::Present("objectClass").str(), "(objectClass=*)");
  Filter resolve = Filter::Or({Filter::Eq("ccmProxyAddress", "migrate:CCMAIL:a*"),
                               Filter::Eq("ccmTargetAddress", "CCMAIL:a*")});
  EXPECT_EQ(resolve.str(),
            "(|(ccmProxyAddress=migrate:CCMAIL:a\\2a)(ccmTargetAddress=CCMAIL:a\\2a))");
  EXPECT_EQ(Filter::And({Filter::Eq("uid", "x"), Filter::Not(Filter::Eq("cn", "y"))}).str(),
            "(&(uid=x)(!(cn=y)))");
  EXPECT_EQ(Filter::And({}).str(), "(&)");
  EXPECT_EQ(Filter::Or({}).str(), "(|)");
  EXPECT_TRUE(resolve.valid());
}

TEST(FilterTest, AnAttributeNameThatIsNotADescriptionMakesTheFilterInvalid) {
  EXPECT_TRUE(IsAttributeDescription("cn"));
  EXPECT_TRUE(IsAttributeDescription("ccmProxyAddress"));
  EXPECT_TRUE(IsAttributeDescription("cn;lang-de"));
  EXPECT_TRUE(IsAttributeDescription("2.5.4.3"));
  EXPECT_FALSE(IsAttributeDescription(""));
  EXPECT_FALSE(IsAttributeDescription("cn)(uid=*"));
  EXPECT_FALSE(IsAttributeDescription("1cn"));
  EXPECT_FALSE(IsAttributeDescription("2.5..3"));
  EXPECT_FALSE(IsAttributeDescription("cn;"));
  EXPECT_FALSE(Filter::Eq("cn=x)(uid", "v").valid());
  EXPECT_FALSE(Filter::Or({Filter::Eq("uid", "a"), Filter::Present("bad name")}).valid());
  EXPECT_FALSE(Filter::Not(Filter::Present("(")).valid());
}

}  // namespace
}  // namespace ccm::ldap
