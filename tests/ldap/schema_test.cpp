// schema_test.cpp — conf/schema/ccmigrate.schema (slapd.conf form) and ccmigrate.ldif
// (cn=config form) define the same object identifiers, attribute types and object classes,
// with the names the importer relies on, and both carry the OID-placeholder warning. The .ldif is
// read with the project's own LDIF reader.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "ldap/ldif_reader.h"

namespace ccm::ldap {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(CCM_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Squeeze(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ')
        out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

struct Definitions {
  std::set<std::string> identifiers, attribute_types, object_classes;
};

// slapd.conf form: "objectidentifier name oid" lines and "attributetype ( … )" /
// "objectclass ( … )" blocks that may span lines.
Definitions FromSchemaFile(const std::string& text) {
  Definitions out;
  std::istringstream lines(text);
  std::string line, pending_keyword, pending;
  int depth = 0;
  while (std::getline(lines, line)) {
    if (depth == 0) {
      if (line.empty() || line[0] == '#')
        continue;
      std::istringstream words(line);
      std::string keyword;
      words >> keyword;
      if (keyword == "objectidentifier") {
        out.identifiers.insert(Squeeze(line.substr(keyword.size())));
        continue;
      }
      pending_keyword = keyword;
      pending = line.substr(keyword.size());
    } else {
      pending += "\n" + line;
    }
    depth = 0;
    for (char c : pending)
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth == 0) {
      (pending_keyword == "attributetype" ? out.attribute_types : out.object_classes)
          .insert(Squeeze(pending));
    }
  }
  return out;
}

TEST(SchemaTest, BothFormsDefineTheSameSchema) {
  Definitions conf = FromSchemaFile(ReadSource("conf/schema/ccmigrate.schema"));
  auto records = ReadLdif(ReadSource("conf/schema/ccmigrate.ldif"));
  ASSERT_TRUE(records.ok()) << records.error().what();
  ASSERT_EQ(records->size(), 1u);
  const Entry& schema = records->front().entry;
  EXPECT_EQ(schema.dn, "cn=ccmigrate,cn=schema,cn=config");
  Definitions ldif;
  for (const auto& v : schema.Values("olcObjectIdentifier"))
    ldif.identifiers.insert(Squeeze(v));
  for (const auto& v : schema.Values("olcAttributeTypes"))
    ldif.attribute_types.insert(Squeeze(v));
  for (const auto& v : schema.Values("olcObjectClasses"))
    ldif.object_classes.insert(Squeeze(v));

  EXPECT_EQ(conf.identifiers, ldif.identifiers);
  EXPECT_EQ(conf.attribute_types, ldif.attribute_types);
  EXPECT_EQ(conf.object_classes, ldif.object_classes);
  EXPECT_EQ(ldif.attribute_types.size(), 4u);
  EXPECT_EQ(ldif.object_classes.size(), 2u);
}

TEST(SchemaTest, TheFixedNamesAreDefinedAndTheArcIsMarkedAsAPlaceholder) {
  for (const char* file : {"conf/schema/ccmigrate.schema", "conf/schema/ccmigrate.ldif"}) {
    std::string text = ReadSource(file);
    for (const char* name : {"ccmProxyAddress", "ccmTargetAddress", "ccmMailboxHome",
                             "ccmCustomRecipient", "ccmMailbox"})
      EXPECT_NE(text.find("NAME '" + std::string(name) + "'"), std::string::npos)
          << file << " lacks " << name;
    EXPECT_NE(text.find("OID ARC PLACEHOLDER"), std::string::npos) << file;
    EXPECT_NE(text.find("Private Enterprise Number"), std::string::npos) << file;
  }
  // In the .schema file each definition is a paragraph of its own.
  std::string text = ReadSource("conf/schema/ccmigrate.schema");
  auto definition = [&text](const std::string& name) {
    auto at = text.find("NAME '" + name + "'");
    return at == std::string::npos ? std::string() : text.substr(at, text.find("\n\n", at) - at);
  };
  EXPECT_NE(definition("ccmTargetAddress").find("SINGLE-VALUE"), std::string::npos);
  EXPECT_EQ(definition("ccmProxyAddress").find("SINGLE-VALUE"), std::string::npos);
  EXPECT_NE(definition("ccmProxyAddress").find("EQUALITY caseIgnoreIA5Match"), std::string::npos);
  EXPECT_NE(definition("ccmCustomRecipient").find("AUXILIARY MUST ccmTargetAddress"),
            std::string::npos);
  EXPECT_NE(definition("ccmMailbox").find("AUXILIARY MUST ccmMailboxHome"), std::string::npos);
}

}  // namespace
}  // namespace ccm::ldap
