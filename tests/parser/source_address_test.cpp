// source_address_test.cpp — address normalisation for matching; original spelling is kept by
// callers.
#include "parser/source_address.h"

#include <gtest/gtest.h>

namespace ccm::parser {
namespace {

TEST(SourceAddress, NormalisesCaseSpacesAndPrefix) {
  std::string key = NormalizeSourceAddress("CCMAIL:Quinn, Avery at HQPO");
  EXPECT_EQ(key, "ccmail:quinn,avery at hqpo");
  EXPECT_EQ(NormalizeSourceAddress("migrate:ccmail:QUINN,   Avery    at  HQPO  "), key);
  EXPECT_EQ(NormalizeSourceAddress("  MIGRATE:CCMail:Quinn,Avery at HQPO"), key);
  EXPECT_EQ(NormalizeSourceAddress("MIGRATE:CCMAIL:Quinn, Avery at HQPO"), key);
}

TEST(SourceAddress, DoesNotEquateNameOrders) {
  EXPECT_NE(NormalizeSourceAddress("CCMAIL:Avery Quinn at HQPO"),
            NormalizeSourceAddress("CCMAIL:Quinn, Avery at HQPO"));
  EXPECT_NE(NormalizeSourceAddress("CCMAIL:Quinn, Avery at BRPO"),
            NormalizeSourceAddress("CCMAIL:Quinn, Avery at HQPO"));
}

TEST(SourceAddress, StripsOnlyOnePrefix) {
  EXPECT_EQ(StripMigratePrefix("MIGRATE:MIGRATE:x"), "MIGRATE:x");
  EXPECT_EQ(StripMigratePrefix("CCMAIL:x"), "CCMAIL:x");
  EXPECT_EQ(StripMigratePrefix("Migrate:"), "");
}

}  // namespace
}  // namespace ccm::parser
