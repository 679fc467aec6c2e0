// directory_decision_test.cpp — every row of the decision table, the conversion modify,
// the ~Server mapping, proxy de-duplication, store keys and the known pitfalls of
// custom-recipient conversion, on data alone (no server).
#include "importer/directory_decision.h"

#include <gtest/gtest.h>

#include "ccm/ascii.h"
#include "importer/migrating_user.h"
#include "ldap/entry.h"
#include "ldap/ldif_writer.h"
#include "parser/source_address.h"

namespace ccm::importer {
namespace {

using ldap::Modification;
using Kind = ldap::Modification::Kind;

MigratingUser Avery() {
  MigratingUser u;
  u.source_address = "CCMAIL:Quinn, Avery at HQPO";
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  u.home_server = "~Server";
  u.has_mailbox_record = true;
  u.common_name = "AQuinn";
  u.display_name = "Avery Quinn";
  return u;
}

ldap::Entry AveryCustomRecipient() {
  return {"cn=Avery Quinn,ou=Recipients,dc=example,dc=test",
          {{"objectClass", {"inetOrgPerson", "ccmCustomRecipient"}},
           {"cn", {"Avery Quinn"}},
           {"uid", {"AQuinn"}},
           {"ccmTargetAddress", {"CCMAIL:Quinn, Avery at HQPO"}},
           {"ccmProxyAddress", {"CCMAIL:Quinn, Avery at HQPO", "SMTP:aquinn@corvane.example"}}}};
}

ldap::Entry CaseyMailbox() {
  return {"cn=Casey Rowe,ou=Recipients,dc=example,dc=test",
          {{"objectClass", {"inetOrgPerson", "ccmMailbox"}},
           {"uid", {"CRowe"}},
           {"ccmMailboxHome", {"mail2.example.test"}},
           {"ccmProxyAddress", {"SMTP:crowe@corvane.example"}}}};
}

PlanOptions Options() {
  PlanOptions o;
  o.default_home = "mail1.example.test";
  o.create_base_dn = "ou=Recipients,dc=example,dc=test";
  return o;
}

// The plan's modification of `kind` on `attr`, if its change has one.
std::optional<Modification> FindChange(const UserPlan& plan, Kind kind, std::string_view attr) {
  for (const Modification& m : plan.change->Unpack().modifications) {
    if (m.kind == kind && ccm::EqualsIgnoreCase(m.attribute, attr))
      return m;
  }
  return std::nullopt;
}

TEST(DecideUser, CustomRecipientIsConvertedWithOneAssertedModify) {
  const UserPlan plan = DecideUser(Avery(), {{AveryCustomRecipient()}, {}}, Options());
  ASSERT_EQ(plan.decision, Decision::kConvert) << plan.reason;
  EXPECT_EQ(plan.dn, "cn=Avery Quinn,ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(plan.mail_store, "aquinn");
  EXPECT_EQ(plan.mailbox_home, "mail1.example.test");
  ASSERT_TRUE(plan.change.has_value());
  EXPECT_EQ(plan.prior_ldif, ldap::LdifContentRecord(AveryCustomRecipient()));
  const DirectoryChange c = plan.change->Unpack();
  EXPECT_EQ(c.kind, DirectoryChange::Kind::kModify);
  EXPECT_EQ(c.dn, plan.dn);  // in place, the DN never changes
  ASSERT_TRUE(c.assertion.has_value());
  EXPECT_EQ(c.assertion->str(),
            "(&(objectClass=ccmCustomRecipient)(ccmTargetAddress=CCMAIL:Quinn, Avery at HQPO))");
  const std::vector<Modification> expected = {
      Modification::Delete("objectClass", {"ccmCustomRecipient"}),
      Modification::Delete("ccmTargetAddress", {"CCMAIL:Quinn, Avery at HQPO"}),
      Modification::Add("objectClass", {"ccmMailbox"}),
      Modification::Add("ccmMailboxHome", {"mail1.example.test"}),
      Modification::Add("ccmMailStore", {"aquinn"}),
      // the old target is already a proxy (same value): only the migrate proxy is added
      Modification::Add("ccmProxyAddress", {"migrate:CCMAIL:Quinn, Avery at HQPO"}),
  };
  EXPECT_EQ(c.modifications, expected);
  // the DIRECTORY create record collides with the CR: convert, report as a note
  EXPECT_TRUE(plan.warnings.empty());
  ASSERT_EQ(plan.notes.size(), 1U);
  EXPECT_NE(plan.notes[0].find("instead of creating a mailbox"), std::string::npos);
}

TEST(DecideUser, OldTargetBecomesLowerCaseSecondaryProxyWhenAbsent) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[4].values = {"SMTP:aquinn@corvane.example"};
  MigratingUser u = Avery();
  u.has_mailbox_record = false;
  const UserPlan plan = DecideUser(u, {{e}, {}}, Options());
  ASSERT_EQ(plan.decision, Decision::kConvert);
  const std::optional<Modification> proxies = FindChange(plan, Kind::kAdd, "ccmProxyAddress");
  ASSERT_TRUE(proxies.has_value());
  EXPECT_EQ(proxies->values, (std::vector<std::string>{"migrate:CCMAIL:Quinn, Avery at HQPO",
                                                       "ccmail:Quinn, Avery at HQPO"}));
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(DecideUser, ProxyDeduplicationUsesTheNormalisationNotTheSpelling) {
  ldap::Entry e = AveryCustomRecipient();
  // both already there, spelled differently (case, spaces, comma spacing): nothing to add
  e.attributes[4].values = {"ccmail:QUINN,AVERY  at hqpo", "MIGRATE:ccmail:quinn, avery at HQPO"};
  const UserPlan plan = DecideUser(Avery(), {{e}, {}}, Options());
  ASSERT_EQ(plan.decision, Decision::kConvert);
  EXPECT_FALSE(FindChange(plan, Kind::kAdd, "ccmProxyAddress").has_value());
}

TEST(DecideUser, MigrateProxyDoesNotCountAsTheNativeProxy) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[4].values = {"migrate:CCMAIL:Quinn, Avery at HQPO"};  // found via migrate:
  const UserPlan plan = DecideUser(Avery(), {{e}, {}}, Options());
  const std::optional<Modification> proxies = FindChange(plan, Kind::kAdd, "ccmProxyAddress");
  ASSERT_TRUE(proxies.has_value());
  EXPECT_EQ(proxies->values, (std::vector<std::string>{"ccmail:Quinn, Avery at HQPO"}));
}

TEST(DecideUser, FoundThroughTheNativeProxyOnlyStillGetsTheMigrateProxy) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[3].values = {"SMTP:avery@elsewhere.example"};
  const UserPlan plan = DecideUser(Avery(), {{e}, {}}, Options());
  ASSERT_EQ(plan.decision, Decision::kConvert);
  const std::optional<Modification> proxies = FindChange(plan, Kind::kAdd, "ccmProxyAddress");
  ASSERT_TRUE(proxies.has_value());
  EXPECT_EQ(proxies->values, (std::vector<std::string>{"migrate:CCMAIL:Quinn, Avery at HQPO",
                                                       "smtp:avery@elsewhere.example"}));
}

TEST(DecideUser, TypelessTargetTakesTheSourceAddressType) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[3].values = {"Quinn, Avery at HQPO"};
  e.attributes[4].values = {};
  const UserPlan plan = DecideUser(Avery(), {{e}, {}}, Options());
  const std::optional<Modification> proxies = FindChange(plan, Kind::kAdd, "ccmProxyAddress");
  ASSERT_TRUE(proxies.has_value());
  EXPECT_EQ(proxies->values[1], "ccmail:Quinn, Avery at HQPO");
}

TEST(DecideUser, MailboxIsDeliveredAndKeepsItsHome) {
  MigratingUser u = Avery();
  ldap::Entry e = CaseyMailbox();
  e.attributes[3].values.push_back("ccmail:Quinn, Avery at HQPO");
  const UserPlan plan = DecideUser(u, {{e}, {}}, Options());
  ASSERT_EQ(plan.decision, Decision::kDeliver) << plan.reason;
  EXPECT_EQ(plan.mailbox_home, "mail2.example.test");
  EXPECT_EQ(plan.mail_store, "crowe");
  ASSERT_TRUE(plan.change.has_value());
  ASSERT_TRUE(plan.change->Unpack().assertion.has_value());
  EXPECT_EQ(plan.change->Unpack().assertion->str(), "(objectClass=ccmMailbox)");
  const std::vector<Modification> expected = {
      Modification::Add("ccmProxyAddress", {"migrate:CCMAIL:Quinn, Avery at HQPO"}),
      Modification::Add("ccmMailStore", {"crowe"}),
  };
  EXPECT_EQ(plan.change->Unpack().modifications, expected);
}

TEST(DecideUser, ConvertedMailboxIsDeliveredWithoutChange) {  // idempotent rerun
  ldap::Entry e = CaseyMailbox();
  e.attributes[3].values = {"CCMAIL:Quinn, Avery at HQPO", "migrate:CCMAIL:Quinn, Avery at HQPO"};
  e.attributes.push_back({"ccmMailStore", {"aquinn"}});
  const UserPlan plan = DecideUser(Avery(), {{e}, {}}, Options());
  ASSERT_EQ(plan.decision, Decision::kDeliver);
  EXPECT_EQ(plan.mail_store, "aquinn");
  EXPECT_FALSE(plan.change.has_value());
}

TEST(DecideUser, UnsafeExistingStoreIsAConflict) {
  ldap::Entry e = CaseyMailbox();
  e.attributes.push_back({"ccmMailStore", {"../etc"}});
  EXPECT_EQ(DecideUser(Avery(), {{e}, {}}, Options()).decision, Decision::kConflict);
}

TEST(DecideUser, SeveralEntriesAreAConflictWithoutDn) {
  const UserPlan plan =
      DecideUser(Avery(), {{AveryCustomRecipient(), CaseyMailbox()}, {}}, Options());
  EXPECT_EQ(plan.decision, Decision::kConflict);
  EXPECT_TRUE(plan.dn.empty());
  EXPECT_FALSE(plan.change.has_value());
  EXPECT_NE(plan.reason.find("cn=Casey Rowe"), std::string::npos);
  EXPECT_NE(plan.reason.find("cn=Avery Quinn"), std::string::npos);
}

TEST(DecideUser, BothAuxiliaryClassesIsAConflict) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[0].values.push_back("ccmMailbox");
  const UserPlan plan = DecideUser(Avery(), {{e}, {}}, Options());
  EXPECT_EQ(plan.decision, Decision::kConflict);
  EXPECT_FALSE(plan.change.has_value());
}

TEST(DecideUser, NeitherAuxiliaryClassIsAConflict) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[0].values = {"inetOrgPerson"};
  EXPECT_EQ(DecideUser(Avery(), {{e}, {}}, Options()).decision, Decision::kConflict);
}

TEST(DecideUser, NotFoundIsSkipped) {
  MigratingUser u = Avery();
  u.has_mailbox_record = false;
  const UserPlan plan = DecideUser(u, {}, Options());
  EXPECT_EQ(plan.decision, Decision::kSkipNotFound);
  EXPECT_FALSE(plan.change.has_value());
  EXPECT_NE(plan.reason.find("no mailbox or custom recipient carries this address"),
            std::string::npos);
}

TEST(DecideUser, NotFoundWithMailboxRecordIsSkippedUnlessCreationIsEnabled) {
  EXPECT_EQ(DecideUser(Avery(), {}, Options()).decision, Decision::kSkipNotFound);
  PlanOptions o = Options();
  o.create_missing = true;
  const UserPlan plan = DecideUser(Avery(), {}, o);
  ASSERT_EQ(plan.decision, Decision::kCreate);
  EXPECT_EQ(plan.dn, "cn=Avery Quinn,ou=Recipients,dc=example,dc=test");
  ASSERT_TRUE(plan.change.has_value());
  EXPECT_EQ(plan.change->kind(), DirectoryChange::Kind::kAdd);
  EXPECT_EQ(plan.mail_store, "aquinn");
  // without a DIRECTORY record there is nothing to create from
  MigratingUser u = Avery();
  u.has_mailbox_record = false;
  EXPECT_EQ(DecideUser(u, {}, o).decision, Decision::kSkipNotFound);
}

TEST(DecideUser, CreateEscapesTheDn) {
  PlanOptions o = Options();
  o.create_missing = true;
  MigratingUser u = Avery();
  u.display_name = "Quinn, Avery (HQ)";
  const UserPlan plan = DecideUser(u, {}, o);
  EXPECT_EQ(plan.dn, "cn=Quinn\\, Avery (HQ),ou=Recipients,dc=example,dc=test");
}

TEST(DecideUser, NonAsciiAddressIsAConflict) {
  MigratingUser u = Avery();
  u.source_address = "CCMAIL:M\xfcller, J\xfcrgen at HQPO";
  u.match_key = parser::NormalizeSourceAddress(u.source_address);
  const UserPlan plan = DecideUser(u, {{AveryCustomRecipient()}, {}}, Options());
  EXPECT_EQ(plan.decision, Decision::kConflict);
  EXPECT_NE(plan.reason.find("non-ASCII"), std::string::npos);
  EXPECT_FALSE(plan.change.has_value());
}

// A user whose address is the ASCII spelling of a non-ASCII one ([import] transliteration).
MigratingUser TransliteratedAvery() {
  MigratingUser u = Avery();
  u.transliterated_from = "CCMAIL:Qu\u00efnn, Avery at HQPO";
  u.original_match_key = "ccmail:qu\xefnn,avery at hqpo";
  return u;
}

TEST(DecideUser, TransliteratedAddressMatchingOneEntryIsDecidedAsAnyOther) {
  const UserPlan plan =
      DecideUser(TransliteratedAvery(), {{AveryCustomRecipient()}, {}}, Options());
  EXPECT_EQ(plan.decision, Decision::kConvert);
}

TEST(DecideUser, TransliteratedAddressMatchingNoEntryStaysAConflict) {
  PlanOptions o = Options();
  o.create_missing = true;
  MigratingUser u = TransliteratedAvery();
  u.has_mailbox_record = true;
  const UserPlan plan = DecideUser(u, {}, o);
  EXPECT_EQ(plan.decision, Decision::kConflict);
  EXPECT_NE(plan.reason.find("transliteration"), std::string::npos);
  EXPECT_FALSE(plan.change.has_value());
}

TEST(DecideUser, TransliteratedAddressMatchingSeveralEntriesStaysAConflict) {
  ldap::Entry twin = AveryCustomRecipient();
  twin.dn = "cn=Avery Quinn 2,ou=Recipients,dc=example,dc=test";
  const UserPlan plan =
      DecideUser(TransliteratedAvery(), {{AveryCustomRecipient(), twin}, {}}, Options());
  EXPECT_EQ(plan.decision, Decision::kConflict);
  EXPECT_NE(plan.reason.find("several entries"), std::string::npos);
}

TEST(DecideUser, NearMissesAreWarningsNeverMatches) {
  ldap::Entry near = AveryCustomRecipient();
  near.dn = "cn=Avery Quinn 2,ou=Recipients,dc=example,dc=test";
  const UserPlan skipped = DecideUser(Avery(), {{}, {near}}, Options());
  EXPECT_EQ(skipped.decision, Decision::kSkipNotFound);
  ASSERT_EQ(skipped.warnings.size(), 1U);
  EXPECT_NE(skipped.warnings[0].find("near miss"), std::string::npos);
  EXPECT_NE(skipped.warnings[0].find(near.dn), std::string::npos);
  const UserPlan converted = DecideUser(Avery(), {{AveryCustomRecipient()}, {near}}, Options());
  EXPECT_EQ(converted.decision, Decision::kConvert);
  EXPECT_EQ(converted.dn, AveryCustomRecipient().dn);
}

TEST(DecideUser, CustomRecipientWithoutTargetIsAConflict) {
  ldap::Entry e = AveryCustomRecipient();
  e.attributes[3].values.clear();
  EXPECT_EQ(DecideUser(Avery(), {{e}, {}}, Options()).decision, Decision::kConflict);
}

TEST(MailboxHomeFor, TildeServerInAnyCaseIsTheDefault) {
  EXPECT_EQ(MailboxHomeFor("~Server", "d"), "d");
  EXPECT_EQ(MailboxHomeFor("~SERVER", "d"), "d");
  EXPECT_EQ(MailboxHomeFor(" ~server ", "d"), "d");
  EXPECT_EQ(MailboxHomeFor("", "d"), "d");
  EXPECT_EQ(MailboxHomeFor("mail7.example.test", "d"), "mail7.example.test");
  EXPECT_EQ(MailboxHomeFor("~Server2", "d"), "~Server2");
}

TEST(DecideUser, LiteralHomeServerIsKept) {
  MigratingUser u = Avery();
  u.home_server = "mail9.example.test";
  const UserPlan plan = DecideUser(u, {{AveryCustomRecipient()}, {}}, Options());
  EXPECT_EQ(plan.mailbox_home, "mail9.example.test");
  EXPECT_TRUE(FindChange(plan, Kind::kAdd, "ccmMailboxHome").has_value());
  EXPECT_EQ(FindChange(plan, Kind::kAdd, "ccmMailboxHome")->values[0], "mail9.example.test");
}

TEST(MailStoreKey, IsSafeStableAndCollisionResistant) {
  ldap::Entry uid{"cn=X,dc=t", {{"uid", {"AQuinn"}}}};
  EXPECT_EQ(MailStoreKey(uid), "aquinn");
  ldap::Entry rdn{"cn=O'Neil\\, Pat,ou=R,dc=t", {}};
  const std::string key = MailStoreKey(rdn);
  EXPECT_EQ(key.rfind("o_neil__pat-", 0), 0U) << key;
  EXPECT_EQ(key.size(), std::string("o_neil__pat-").size() + 8);
  EXPECT_TRUE(IsSafeMailStoreKey(key));
  EXPECT_EQ(MailStoreKey(rdn), key);  // stable
  ldap::Entry other{"cn=O'Neil\\, Pat,ou=S,dc=t", {}};
  EXPECT_NE(MailStoreKey(other), key);  // same sanitised name, different DN
  ldap::Entry dots{"cn=..,dc=t", {{"uid", {"../../etc"}}}};
  EXPECT_TRUE(IsSafeMailStoreKey(MailStoreKey(dots))) << MailStoreKey(dots);
  EXPECT_FALSE(IsSafeMailStoreKey(".."));
  EXPECT_FALSE(IsSafeMailStoreKey("a/b"));
  EXPECT_FALSE(IsSafeMailStoreKey(""));
}

TEST(CheckPlanCollisions, TwoUsersOnOneEntryAreBothConflicts) {
  MigratingUser other = Avery();
  other.source_address = "CCMAIL:Avery Quinn at HQPO";
  other.match_key = parser::NormalizeSourceAddress(other.source_address);
  DirectoryPlan plan;
  plan.users.push_back(DecideUser(Avery(), {{AveryCustomRecipient()}, {}}, Options()));
  plan.users.push_back(DecideUser(other, {{AveryCustomRecipient()}, {}}, Options()));
  plan.users.push_back(DecideUser(Avery(), {{CaseyMailbox()}, {}}, Options()));
  plan.users[2].user.source_address = "CCMAIL:Rowe, Casey at HQPO";
  CheckPlanCollisions(plan);
  EXPECT_EQ(plan.users[0].decision, Decision::kConflict);
  EXPECT_EQ(plan.users[1].decision, Decision::kConflict);
  EXPECT_FALSE(plan.users[0].change.has_value());
  EXPECT_EQ(plan.users[2].decision, Decision::kDeliver);
}

TEST(CheckPlanCollisions, AnEntrySpelledInAnotherCaseAndASharedStoreAmongManyAreConflicts) {
  // 200 users on entries of their own, among them: user 50 on Avery's entry, user 150 on the
  // same entry with its DN in capitals (one entry to a case-insensitive server), and users 70
  // and 120 on two entries whose uid gives the same store key.
  DirectoryPlan plan;
  auto user = [](std::size_t n) {
    MigratingUser u = Avery();
    u.source_address = "CCMAIL:User " + std::to_string(n) + " at HQPO";
    u.match_key = parser::NormalizeSourceAddress(u.source_address);
    return u;
  };
  auto entry = [](const std::string& cn, const std::string& uid) {
    ldap::Entry e = AveryCustomRecipient();
    e.dn = "cn=" + cn + ",ou=Recipients,dc=example,dc=test";
    e.attributes[2].values = {uid};
    return e;
  };
  for (std::size_t n = 0; n < 200; ++n) {
    ldap::Entry e = entry("User " + std::to_string(n), "u" + std::to_string(n));
    if (n == 50)
      e = AveryCustomRecipient();
    if (n == 150) {
      e = AveryCustomRecipient();
      for (char& c : e.dn)
        c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (n == 70 || n == 120)
      e = entry("Twin " + std::to_string(n), "Twin");
    plan.users.push_back(DecideUser(user(n), {{e}, {}}, Options()));
  }
  CheckPlanCollisions(plan);
  for (std::size_t n = 0; n < 200; ++n) {
    const bool shared = n == 50 || n == 150 || n == 70 || n == 120;
    EXPECT_EQ(plan.users[n].decision, shared ? Decision::kConflict : Decision::kConvert) << n;
  }
  EXPECT_EQ(plan.users[150].reason,
            "entry cn=Avery Quinn,ou=Recipients,dc=example,dc=test is shared by several users "
            "of the set: CCMAIL:User 50 at HQPO; CCMAIL:User 150 at HQPO");
  EXPECT_EQ(plan.users[70].reason,
            "mail store 'twin' is shared by several users of the set: CCMAIL:User 70 at HQPO; "
            "CCMAIL:User 120 at HQPO");
}

TEST(VerdictOf, FollowsThePolicies) {
  DirectoryPlan plan;
  plan.users.push_back(DecideUser(Avery(), {{AveryCustomRecipient()}, {}}, Options()));
  plan.users[0].warnings.clear();
  EXPECT_EQ(VerdictOf(plan, {}), PlanVerdict::kClean);
  MigratingUser u = Avery();
  u.has_mailbox_record = false;
  plan.users.push_back(DecideUser(u, {}, Options()));  // skip-not-found
  EXPECT_EQ(VerdictOf(plan, {}), PlanVerdict::kWarnings);
  EXPECT_EQ(VerdictOf(plan, {true, true}), PlanVerdict::kRefused);
  plan.users.push_back(
      DecideUser(Avery(), {{AveryCustomRecipient(), CaseyMailbox()}, {}}, Options()));
  EXPECT_EQ(VerdictOf(plan, {}), PlanVerdict::kRefused);
  EXPECT_EQ(VerdictOf(plan, {false, false}), PlanVerdict::kWarnings);
  EXPECT_EQ(plan.ConversionsAndCreations(), 1U);
  EXPECT_EQ(DecisionName(Decision::kSkipNotFound), "skip-not-found");
}

TEST(UsersOfSet, TakesSetUsersThenMailMessageOwnersOnce) {
  parser::FileSetScan scan;
  parser::User jordan;
  jordan.address = "CCMAIL:Lee, Jordan at HQPO";
  jordan.key = parser::NormalizeSourceAddress(jordan.address);
  jordan.has_directory_record = true;  // no MAILMESSAGE section: included all the same
  jordan.common_name = "JLee";
  jordan.display_name = "Jordan Lee";
  jordan.home_server = "~Server";
  scan.users.push_back(jordan);
  parser::SectionInfo own;  // Jordan again, spelled differently: not a second user
  own.kind = parser::SectionKind::kMailMessage;
  own.owner = "ccmail:LEE,Jordan at HQPO";
  parser::SectionInfo extra;  // an owner with no DIRECTORY record and no PAB section
  extra.kind = parser::SectionKind::kMailMessage;
  extra.owner = "MIGRATE:CCMAIL:Ellis, Morgan at HQPO";
  parser::SectionInfo board;  // public folders are not users
  board.kind = parser::SectionKind::kMailMessage;
  board.owner = "PublicMessages";
  board.is_public = true;
  scan.sections = {own, extra, board};
  const std::vector<MigratingUser> users = UsersOfSet(scan);
  ASSERT_EQ(users.size(), 2U);
  EXPECT_EQ(users[0].source_address, "CCMAIL:Lee, Jordan at HQPO");
  EXPECT_TRUE(users[0].has_mailbox_record);
  EXPECT_EQ(users[0].common_name, "JLee");
  EXPECT_EQ(users[0].home_server, "~Server");
  EXPECT_EQ(users[1].source_address, "CCMAIL:Ellis, Morgan at HQPO");
  EXPECT_EQ(users[1].match_key, parser::NormalizeSourceAddress("CCMAIL:Ellis, Morgan at HQPO"));
  EXPECT_FALSE(users[1].has_mailbox_record);

  // Their sections as delivery takes them: by each user's match key, public ones apart.
  const MailSections sections = MailSectionsOf(scan);
  ASSERT_EQ(sections.by_owner.size(), 2U);
  ASSERT_EQ(sections.by_owner.count(users[0].match_key), 1U);
  EXPECT_EQ(sections.by_owner.at(users[0].match_key).front()->owner, "ccmail:LEE,Jordan at HQPO");
  ASSERT_EQ(sections.by_owner.count(users[1].match_key), 1U);
  ASSERT_EQ(sections.public_sections.size(), 1U);
  EXPECT_EQ(sections.public_sections.front()->owner, "PublicMessages");
}

}  // namespace
}  // namespace ccm::importer
