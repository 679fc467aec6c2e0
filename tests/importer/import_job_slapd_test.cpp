// import_job_slapd_test.cpp — the import job against a real slapd (tests/support; no mocks): the
// sample set end to end (both custom recipients converted, Avery's three messages with the
// attachment and the free document delivered, Jordan converted with no mail, journal written),
// rerun idempotency, abrupt stops after the directory part and after some messages followed by
// a rerun (every message exactly once, nothing converted twice), and an unreachable directory
// (deferred, exit 75, nothing changed). Each test starts its own server: conversions change the
// sample entries.
// Real addresses and address books (tests/data/importer/PABBOOK.001: the Appendix A set with a
// fuller PAB, a note in an `Other` section, and a message naming people outside the set): the
// delivered store is read back by Python's email package and Debian's python3-vobject
// (tests/importer/read_delivered.py), parsers ccmigrate did not write.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "importer/address_lookup.h"
#include "importer/import_job.h"
#include "importer/ldap_directory_access.h"
#include "tests/support/program.h"
#include "tests/support/slapd.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;

using ccm::test::TempDir;

class ImportJobSlapdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = test::Slapd::Start();
    ASSERT_TRUE(started.ok()) << started.error();
    slapd_ = std::move(*started);
    auto loaded = slapd_->LoadLdif(test::Slapd::SourcePath("conf/examples/directory.ldif"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
  }

  std::unique_ptr<LdapDirectoryAccess> Directory() {
    ldap::ConnectionConfig c;
    c.uri = slapd_->uri();
    c.bind = ldap::BindMethod::kSimple;
    c.bind_dn = slapd_->admin_dn();
    c.password = ldap::Secret(slapd_->admin_password());
    c.network_timeout = std::chrono::seconds(2);
    c.operation_timeout = std::chrono::seconds(5);
    c.reconnect_max = std::chrono::milliseconds(200);
    PlannerOptions p;
    p.base_dn = "ou=Recipients,dc=example,dc=test";
    p.plan.default_home = "mail1.example.test";
    p.plan.create_base_dn = p.base_dn;
    return std::make_unique<LdapDirectoryAccess>(std::move(c), std::move(p), 2,
                                                 out_.path() / "journal.key");
  }

  ImportJobOptions Options() {
    ImportJobOptions o;
    o.pkl_path = test::Slapd::SourcePath("conf/examples/HQPO.001/HQPO.PKL");
    o.output_dir = out_.path();
    o.mailstore.root = store_.path();
    o.mailstore.sync_batch = 2;
    return o;
  }

  ImportResult Run(const ImportJobOptions& o) {
    auto directory = Directory();
    return RunImport(o, *directory);
  }

  std::map<std::string, std::string> StoreFiles() {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(store_.path())) {
      if (!e.is_regular_file() || e.path().filename() == "maildirfolder")
        continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      files[fs::relative(e.path(), store_.path()).string()] = text.str();
    }
    return files;
  }

  // Avery's three messages and the message carrying their address book.
  void ExpectAveryDeliveredOnce() {
    auto files = StoreFiles();
    ASSERT_EQ(files.size(), 4u);
    std::string all;
    for (const auto& [path, text] : files) {
      EXPECT_EQ(path.rfind("aquinn/", 0), 0u) << path;
      EXPECT_TRUE(path.find("/cur/") != std::string::npos ||
                  path.find("/new/") != std::string::npos)
          << path;
      EXPECT_EQ(path.find("/tmp/"), std::string::npos) << path;
      all += text;
    }
    for (const char* literal :
         {"Subject: Cutover date", "Subject: Agenda", "filename=\"AGENDA.TXT\"",
          "filename=\"ROLLBACK.TXT\"", "From: Jordan Lee",
          "Subject: Personal address book from cc:Mail", "filename=\"address-book.vcf\""}) {
      EXPECT_NE(all.find(literal), std::string::npos) << literal;
    }
  }

  std::unique_ptr<test::Slapd> slapd_;
  TempDir out_, store_;
};

TEST_F(ImportJobSlapdTest, AppendixAEndToEnd) {
  ImportResult r = Run(Options());
  ASSERT_EQ(r.report.outcome, ImportOutcome::kDone) << RenderReportJson(r.report);
  ASSERT_EQ(r.report.users.size(), 2u);
  const UserReport& avery = r.report.users[0];
  const UserReport& jordan = r.report.users[1];
  EXPECT_EQ(avery.decision, Decision::kConvert);
  EXPECT_EQ(avery.directory, DirectoryStatus::kApplied);
  EXPECT_EQ(avery.dn, "cn=Avery Quinn,ou=Recipients,dc=example,dc=test");
  EXPECT_EQ(avery.mail_store, "aquinn");
  EXPECT_EQ(avery.messages_delivered, 3u);
  EXPECT_EQ(avery.address_books, 1u);
  EXPECT_EQ(avery.address_books_delivered, 1u);
  EXPECT_EQ(jordan.decision, Decision::kConvert);
  EXPECT_EQ(jordan.directory, DirectoryStatus::kApplied);
  EXPECT_EQ(jordan.messages, 0u);
  EXPECT_EQ(r.report.directory_changes_applied, 2u);
  ExpectAveryDeliveredOnce();
  EXPECT_TRUE(fs::exists(out_.path() / "journal.ldif"));
  EXPECT_TRUE(fs::exists(out_.path() / "audit.ldif"));
  std::ifstream journal(out_.path() / "journal.ldif");
  std::stringstream text;
  text << journal.rdbuf();
  EXPECT_NE(text.str().find("ccmCustomRecipient"), std::string::npos);
}

TEST_F(ImportJobSlapdTest, RerunChangesNothingAndDeliversNothingTwice) {
  ASSERT_EQ(Run(Options()).report.outcome, ImportOutcome::kDone);
  auto before = StoreFiles();
  ImportResult again = Run(Options());
  EXPECT_EQ(again.report.outcome, ImportOutcome::kDone) << RenderReportJson(again.report);
  EXPECT_EQ(again.report.users[0].decision, Decision::kDeliver);
  EXPECT_EQ(again.report.users[1].decision, Decision::kDeliver);
  EXPECT_EQ(again.report.directory_changes_applied, 0u);
  EXPECT_EQ(again.report.users[0].messages_delivered, 0u);
  EXPECT_EQ(again.report.users[0].messages_already_present, 3u);
  EXPECT_EQ(again.report.users[0].address_books_delivered, 0u);
  EXPECT_EQ(again.report.users[0].address_books_already_present, 1u);
  EXPECT_EQ(StoreFiles(), before);
}

// A colleague outside the set, still a custom recipient: no `SMTP:` proxy, so `mail` is the
// primary address (before the lower-case `smtp:` proxy).
constexpr std::string_view kSamOrtiz = R"(dn: cn=Sam Ortiz,ou=Recipients,dc=example,dc=test
objectClass: inetOrgPerson
objectClass: ccmCustomRecipient
cn: Sam Ortiz
sn: Ortiz
displayName: Sam Ortiz
mail: sam.ortiz@corvane.example
ccmTargetAddress: CCMAIL:Ortiz, Sam at BRPO
ccmProxyAddress: CCMAIL:Ortiz, Sam at BRPO
ccmProxyAddress: smtp:sortiz@corvane.example
)";

// One fact per line, as read_delivered.py prints them.
std::vector<std::string> ReadBack(const fs::path& store) {
  auto run = test::RunProgram({"/usr/bin/python3",
                               test::Slapd::SourcePath("tests/importer/read_delivered.py"),
                               store.string()});
  EXPECT_TRUE(run.ok()) << run.error();
  if (!run.ok())
    return {};
  EXPECT_EQ(run->exit_code, 0) << run->output;
  std::vector<std::string> lines;
  std::istringstream in(run->output);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST_F(ImportJobSlapdTest, HeadersAndAddressBookReadBackWithRealAddresses) {
  ASSERT_TRUE(slapd_->LoadLdifText(kSamOrtiz).ok());
  ImportJobOptions o = Options();
  o.pkl_path = test::Slapd::SourcePath("tests/data/importer/PABBOOK.001/BOOK.PKL");
  const std::size_t searches_before = TEST_AddressLookupSearches();
  ImportResult r = Run(o);
  ASSERT_EQ(r.report.outcome, ImportOutcome::kDone) << RenderReportJson(r.report);
  // Every distinct address in one search, whatever the number of messages.
  EXPECT_EQ(TEST_AddressLookupSearches() - searches_before, 1u);

  const std::vector<std::string> facts = ReadBack(store_.path());
  std::string all;
  for (const std::string& f : facts)
    all += f + "\n";
  for (const char* expected : {
           // Bare names of the set's DIRECTORY records, and people outside the set.
           "message Cutover date: from Jordan Lee <jlee@corvane.example>",
           "message Cutover date: to Avery Quinn <aquinn@corvane.example>",
           "message Agenda: from Avery Quinn <aquinn@corvane.example>",
           "message Agenda: to Jordan Lee <jlee@corvane.example>",
           "message Agenda: to Morgan Ellis <mellis@example.org>",
           "message Welcome: from Sam Ortiz <sam.ortiz@corvane.example>",
           "message Welcome: to Avery Quinn <aquinn@corvane.example>",
           // Unknown to the directory, or known without an SMTP address: lossless as before.
           "message Welcome: cc Priya Natarajan [CCMAIL:Natarajan, Priya at BRPO] "
           "<Natarajan.Priya.at.BRPO@ccmail.invalid>",
           "message Welcome: cc Known Nobody [CCMAIL:Nobody, Known at XXPO] "
           "<Nobody.Known.at.XXPO@ccmail.invalid>",
           "message Welcome: cc Casey Rowe <Casey.Rowe@unknown.invalid>",
           // The address book.
           "message Personal address book from cc:Mail: from Avery Quinn <aquinn@corvane.example>",
           "vcard address-book.vcf: 5 cards",
           "vcard address-book.vcf: Morgan Ellis: kind individual",
           "vcard address-book.vcf: Morgan Ellis: email mellis@example.org",
           "vcard address-book.vcf: Morgan Ellis: org Ellis & Hart, Ltd.|Legal",
           "vcard address-book.vcf: Morgan Ellis: title Partner",
           "vcard address-book.vcf: Morgan Ellis: adr |Suite 400|12 Harbour "
           "Road|Portland|OR|97201|USA",
           "vcard address-book.vcf: Morgan Ellis: tel cell 555-0106",
           "vcard address-book.vcf: Morgan Ellis: tel fax,work 555-0103",
           "vcard address-book.vcf: Morgan Ellis: note Met at the 1998 partner summit.\\nPrefers "
           "calls before noon; ask for Dana, not the front desk.",
           "vcard address-book.vcf: Jordan Lee: email jlee@corvane.example",
           "vcard address-book.vcf: Jordan Lee: x-ccmail-address CCMAIL:Lee, Jordan at HQPO",
           "vcard address-book.vcf: Caf\u00e9 M\u00fcller: x-ccmail-address "
           "X400:C=US;A= ;P=Corvane;S=Mueller;G=Cafe",
           "vcard address-book.vcf: Pat Parkes: x-ccmail-address USER:Pat Parkes",
           "vcard address-book.vcf: Cutover Team: kind group",
           "vcard address-book.vcf: Cutover Team: member Jordan Lee",
           "vcard address-book.vcf: Cutover Team: member Morgan Ellis",
           "vcard address-book.vcf: Cutover Team: member mailto:sam.ortiz@corvane.example",
           "vcard address-book.vcf: Cutover Team: member mailto:ops@example.org",
           "vcard address-book.vcf: Cutover Team: note Cutover weekend only\\nMembers without an "
           "e-mail address:\\nCCMAIL:Nobody, Known at XXPO",
       }) {
    EXPECT_NE(std::find(facts.begin(), facts.end(), expected), facts.end())
        << expected << "\n--- read back:\n"
        << all;
  }
  for (const std::string& f : facts) {
    EXPECT_EQ(f.find("UNRESOLVED"), std::string::npos) << f;
    EXPECT_EQ(f.find("email CCMAIL"), std::string::npos) << f;
    EXPECT_EQ(f.find("email USER"), std::string::npos) << f;
    EXPECT_EQ(f.find("email X400"), std::string::npos) << f;
  }

  const UserReport& avery = r.report.users[0];
  EXPECT_EQ(avery.messages_delivered, 4u);
  EXPECT_EQ(avery.address_books_delivered, 1u);
  // Headers: 6 + 1 bare names of the set and Sam translated, Morgan's SMTP kept; Priya, Nobody
  // and Casey untranslated. The book: Jordan's entry and Sam's membership translated; the X400,
  // USER and Nobody addresses untranslated.
  EXPECT_EQ(avery.addresses_translated, 7u + 2u);
  EXPECT_EQ(avery.addresses_untranslated, 3u + 3u);
  std::map<std::string, std::string> untranslated;
  for (const UntranslatedAddress& a : r.report.untranslated_addresses)
    untranslated[a.address] = a.reason;
  EXPECT_NE(untranslated["CCMAIL:Nobody, Known at XXPO"].find("no entry"), std::string::npos);
  EXPECT_NE(untranslated["CCMAIL:Natarajan, Priya at BRPO"].find("no SMTP address"),
            std::string::npos);
  EXPECT_NE(untranslated["Casey Rowe"].find("names no user of the set"), std::string::npos);
  EXPECT_EQ(untranslated.count("CCMAIL:Ortiz, Sam at BRPO"), 0u);
  EXPECT_NE(RenderReportJson(r.report).find("\"addresses_translated\":9"), std::string::npos);
}

TEST_F(ImportJobSlapdTest, RerunAfterTheDirectoryChangedDeliversNothingTwice) {
  ImportJobOptions o = Options();
  o.pkl_path = test::Slapd::SourcePath("tests/data/importer/PABBOOK.001/BOOK.PKL");
  ASSERT_EQ(Run(o).report.outcome, ImportOutcome::kDone);
  auto before = StoreFiles();
  ASSERT_EQ(before.size(), 5u);  // four messages and the address book
  // Sam becomes known: the headers and the book would now read differently.
  ASSERT_TRUE(slapd_->LoadLdifText(kSamOrtiz).ok());
  ImportResult again = Run(o);
  EXPECT_EQ(again.report.outcome, ImportOutcome::kDone) << RenderReportJson(again.report);
  EXPECT_EQ(again.report.users[0].messages_delivered, 0u);
  EXPECT_EQ(again.report.users[0].messages_already_present, 4u);
  EXPECT_EQ(again.report.users[0].address_books_delivered, 0u);
  EXPECT_EQ(again.report.users[0].address_books_already_present, 1u);
  EXPECT_EQ(again.report.users[0].addresses_translated, 0u);  // nothing written now
  EXPECT_EQ(StoreFiles(), before);
}

// tests/data/importer/ACCENTS.001 (code page 1252): Åsa Ångström (one entry under her ASCII
// spelling), Jörg Müller (two entries under his), Zoë Brontë (none) and Euro Price (a € the
// table does not cover).
constexpr std::string_view kAsciiSpellings = R"(dn: cn=Asa Angstrom,ou=Recipients,dc=example,dc=test
objectClass: inetOrgPerson
objectClass: ccmCustomRecipient
cn: Asa Angstrom
sn: Angstrom
displayName:: w4VzYSDDhW5nc3Ryw7Zt
ccmTargetAddress: CCMAIL:Angstrom, Asa at HQPO
ccmProxyAddress: CCMAIL:Angstrom, Asa at HQPO
ccmProxyAddress: SMTP:aangstrom@corvane.example

dn: cn=Jorg Muller,ou=Recipients,dc=example,dc=test
objectClass: inetOrgPerson
objectClass: ccmCustomRecipient
cn: Jorg Muller
sn: Muller
ccmTargetAddress: CCMAIL:Muller, Jorg at HQPO

dn: cn=Jorg Muller 2,ou=Recipients,dc=example,dc=test
objectClass: inetOrgPerson
objectClass: ccmCustomRecipient
cn: Jorg Muller 2
sn: Muller
ccmTargetAddress: CCMAIL:Muller, Jorg at HQPO
)";

TEST_F(ImportJobSlapdTest, TransliterationIsOptInAndLeavesDoubtfulNamesInConflict) {
  ASSERT_TRUE(slapd_->LoadLdifText(kAsciiSpellings).ok());
  ImportJobOptions o = Options();
  o.pkl_path = test::Slapd::SourcePath("tests/data/importer/ACCENTS.001/ACCENTS.PKL");
  o.policy.reject_conflicts = false;  // skip the users in conflict, import the rest

  // Off (the default): every non-ASCII user is a conflict; nothing changes.
  ImportResult off = Run(o);
  ASSERT_EQ(off.report.users.size(), 4u) << RenderReportJson(off.report);
  for (const UserReport& u : off.report.users)
    EXPECT_EQ(u.decision, Decision::kConflict) << u.address;
  EXPECT_TRUE(off.report.transliterated.empty());
  EXPECT_EQ(off.report.directory_changes_applied, 0u);

  o.transliteration = Transliteration::BuiltIn();
  ImportResult on = Run(o);
  EXPECT_EQ(on.report.outcome, ImportOutcome::kDoneWithWarnings) << RenderReportJson(on.report);
  std::map<std::string, const UserReport*> by_address;
  for (const UserReport& u : on.report.users)
    by_address[u.address] = &u;
  const UserReport* asa = by_address["CCMAIL:\u00c5ngstr\u00f6m, \u00c5sa at HQPO"];
  const UserReport* jorg = by_address["CCMAIL:M\u00fcller, J\u00f6rg at HQPO"];
  const UserReport* zoe = by_address["CCMAIL:Bront\u00eb, Zo\u00eb at HQPO"];
  ASSERT_TRUE(asa != nullptr && jorg != nullptr && zoe != nullptr) << RenderReportJson(on.report);
  EXPECT_EQ(asa->decision, Decision::kConvert);
  EXPECT_EQ(asa->dn, "cn=Asa Angstrom,ou=Recipients,dc=example,dc=test");
  ASSERT_FALSE(asa->notes.empty());  // besides the plan's own notes
  EXPECT_EQ(asa->notes.front(),
            "looked up as CCMAIL:Angstrom, Asa at HQPO ([import] transliteration)");
  EXPECT_EQ(asa->messages_delivered, 1u);
  EXPECT_EQ(jorg->decision, Decision::kConflict);
  EXPECT_NE(jorg->reason.find("several entries"), std::string::npos);
  EXPECT_EQ(zoe->decision, Decision::kConflict);
  EXPECT_NE(zoe->reason.find("no entry carries it"), std::string::npos);
  std::size_t euro_conflicts = 0;
  for (const UserReport& u : on.report.users) {
    if (u.address.find("Price") != std::string::npos && u.decision == Decision::kConflict)
      ++euro_conflicts;
  }
  EXPECT_EQ(euro_conflicts, 1u);
  // Every transliterated name is recorded; the uncovered one is not among them.
  std::map<std::string, std::string> spelled;
  for (const TransliteratedName& t : on.report.transliterated)
    spelled[t.address] = t.ascii;
  EXPECT_EQ(spelled.size(), 3u);
  EXPECT_EQ(spelled[asa->address], "CCMAIL:Angstrom, Asa at HQPO");
  EXPECT_EQ(spelled[jorg->address], "CCMAIL:Muller, Jorg at HQPO");
  EXPECT_EQ(spelled[zoe->address], "CCMAIL:Bronte, Zoe at HQPO");
  // Her message names her by her real address too (the header's bare name, spelled in ASCII).
  const std::vector<std::string> facts = ReadBack(store_.path());
  EXPECT_NE(std::find(facts.begin(), facts.end(),
                      "message V\u00e4lkommen: to \u00c5sa \u00c5ngstr\u00f6m "
                      "<aangstrom@corvane.example>"),
            facts.end());
}

TEST_F(ImportJobSlapdTest, InterruptedAtSeveralPointsThenRerun) {
  // After the directory part: both converted, nothing delivered yet.
  ImportJobOptions o = Options();
  o.TEST_stop_after_directory = true;
  ImportResult first = Run(o);
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.report.outcome, ImportOutcome::kInterrupted);
  EXPECT_EQ(first.report.directory_changes_applied, 2u);
  EXPECT_TRUE(StoreFiles().empty());

  // After one message of the rerun (queued, not yet synced: lost like a kill would lose it).
  o.TEST_stop_after_directory = false;
  o.TEST_stop_after_messages = 1;
  ImportResult second = Run(o);
  EXPECT_TRUE(second.interrupted);
  EXPECT_EQ(second.report.directory_changes_applied, 0u);  // nothing converted twice

  // After two more (one batch synced).
  o.TEST_stop_after_messages = 2;
  Run(o);

  o.TEST_stop_after_messages.reset();
  ImportResult last = Run(o);
  EXPECT_EQ(last.report.outcome, ImportOutcome::kDone) << RenderReportJson(last.report);
  EXPECT_EQ(last.report.directory_changes_applied, 0u);
  EXPECT_EQ(last.report.users[0].messages_delivered + last.report.users[0].messages_already_present,
            3u);
  ExpectAveryDeliveredOnce();
}

TEST_F(ImportJobSlapdTest, UnreachableDirectoryDefersAndChangesNothing) {
  ASSERT_TRUE(slapd_->Stop().ok());
  ImportResult r = Run(Options());
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred) << RenderReportJson(r.report);
  EXPECT_EQ(r.report.outcome, ImportOutcome::kDeferred);
  EXPECT_TRUE(StoreFiles().empty());
  EXPECT_FALSE(fs::exists(out_.path() / "audit.ldif"));

  // Back up: the rerun finishes the job.
  ASSERT_TRUE(slapd_->Restart().ok());
  ImportResult rerun = Run(Options());
  EXPECT_EQ(rerun.report.outcome, ImportOutcome::kDone) << RenderReportJson(rerun.report);
  EXPECT_EQ(rerun.report.directory_changes_applied, 2u);
  ExpectAveryDeliveredOnce();
}

}  // namespace
}  // namespace ccm::importer
