// vcard_writer_test.cpp — RFC 6350 escaping, parameter quoting, folding at 75 octets without
// splitting UTF-8, mailto URIs and stable UUIDs; and the address book's cards (entries, lists,
// members, lossless non-SMTP addresses); no server.
#include "importer/vcard_writer.h"

#include <gtest/gtest.h>

#include "importer/address_book.h"

namespace ccm::importer {
namespace {

TEST(EscapeVCardText, EscapesBackslashCommaSemicolonAndLineBreaks) {
  EXPECT_EQ(EscapeVCardText("a\\b,c;d"), "a\\\\b\\,c\\;d");
  EXPECT_EQ(EscapeVCardText("one\r\ntwo\rthree\nfour"), "one\\ntwo\\nthree\\nfour");
  EXPECT_EQ(EscapeVCardText(std::string("x\0y\ty", 5)), "x y y");
  EXPECT_EQ(EscapeVCardText("Müller"), "Müller");
}

TEST(FoldVCardLine, ShortLineIsOneLine) {
  EXPECT_EQ(FoldVCardLine("FN:Avery"), "FN:Avery\r\n");
}

TEST(FoldVCardLine, LongLineFoldsAt75OctetsAndUnfoldsToTheOriginal) {
  std::string line = "NOTE:" + std::string(200, 'x');
  std::string folded = FoldVCardLine(line);
  std::size_t start = 0;
  std::string unfolded;
  while (start < folded.size()) {
    std::size_t end = folded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    std::string physical = folded.substr(start, end - start);
    EXPECT_LE(physical.size(), 75u);
    unfolded += start == 0 ? physical : physical.substr(1);
    if (start > 0) {
      EXPECT_EQ(physical[0], ' ');
    }
    start = end + 2;
  }
  EXPECT_EQ(unfolded, line);
}

TEST(FoldVCardLine, NeverSplitsAUtf8Sequence) {
  std::string line = "FN:";
  for (int i = 0; i < 60; ++i)
    line += "é";  // 2 octets each
  std::string folded = FoldVCardLine(line);
  for (std::size_t pos = folded.find("\r\n "); pos != std::string::npos;
       pos = folded.find("\r\n ", pos + 1)) {
    ASSERT_LT(pos + 3, folded.size());
    EXPECT_NE(static_cast<unsigned char>(folded[pos + 3]) & 0xC0, 0x80) << pos;
  }
}

TEST(VCardWriter, WritesACardWithQuotedParameters) {
  VCardWriter w;
  w.Begin();
  w.Uri("UID", "urn:uuid:1");
  w.Text("FN", "Ellis, Morgan");
  w.Structured("N", {"Ellis", "Morgan", "", "", ""});
  w.Text("TEL", "555", {{"TYPE", "work,voice"}, {"X-A", "a\"b:c"}});
  w.End();
  EXPECT_EQ(w.text(),
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1\r\nFN:Ellis\\, Morgan\r\n"
            "N:Ellis;Morgan;;;\r\nTEL;TYPE=work,voice;X-A=\"a b:c\":555\r\nEND:VCARD\r\n");
}

TEST(MailtoUri, EncodesWhatAUriCannotCarry) {
  EXPECT_EQ(MailtoUri("jlee@corvane.example"), "mailto:jlee@corvane.example");
  EXPECT_EQ(MailtoUri("a b%c?d@x"), "mailto:a%20b%25c%3Fd@x");
}

TEST(UuidUrnFor, StableVersion8Uuid) {
  std::string a = UuidUrnFor("seed");
  EXPECT_EQ(a, UuidUrnFor("seed"));
  EXPECT_NE(a, UuidUrnFor("seed2"));
  ASSERT_EQ(a.size(), 9u + 36u);
  EXPECT_EQ(a.substr(0, 9), "urn:uuid:");
  EXPECT_EQ(a[9 + 14], '8');
  EXPECT_NE(std::string("89ab").find(a[9 + 19]), std::string::npos);
}

AddressBookRecord Entry(std::uint64_t line, std::string name, std::string address) {
  AddressBookRecord r;
  r.line = line;
  r.display_name = name;
  r.addresses = {std::move(address)};
  r.fields.assign(24, "");
  r.fields[0] = "entry";
  r.fields[1] = std::move(name);
  return r;
}

class AddressBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    translation_.AddPerson("CCMAIL:Ortiz, Sam at BRPO", {"Sam Ortiz", "sortiz@corvane.example"});
    book_.owner = "CCMAIL:Quinn, Avery at HQPO";
    book_.seed = "book";
  }
  // The cards with folded lines joined again (RFC 6350 section 3.2).
  std::string Render() {
    std::string text = RenderAddressBook(book_, translation_, counts_);
    for (std::size_t pos; (pos = text.find("\r\n ")) != std::string::npos;)
      text.erase(pos, 3);
    return text;
  }

  AddressTranslation translation_;
  AddressBook book_;
  AddressBookCounts counts_;
};

TEST_F(AddressBookTest, EntryWithEveryColumn) {
  AddressBookRecord r = Entry(5, "Morgan Ellis", "SMTP:mellis@example.org");
  const char* values[] = {
      "Morgan",   "Ellis",    "12 Harbour Road",    "Portland", "OR",        "97201",
      "USA",      "Partner",  "Ellis & Hart, Ltd.", "Legal",    "Suite 400", "Dana Fox",
      "555-0100", "555-0101", "555-0102",           "555-0103", "555-0104",  "555-0105",
      "555-0106", "555-0107", "line one\nline two"};
  for (std::size_t i = 0; i < 21; ++i)
    r.fields[3 + i] = values[i];
  book_.records.push_back(r);
  std::string text = Render();
  for (const char* line :
       {"FN:Morgan Ellis\r\n", "N:Ellis;Morgan;;;\r\n", "EMAIL:mellis@example.org\r\n",
        "TEL;VALUE=text;TYPE=work,voice:555-0100\r\n",
        "TEL;VALUE=text;TYPE=work,voice:555-0101\r\n",
        "TEL;VALUE=text;TYPE=x-assistant:555-0102\r\n", "TEL;VALUE=text;TYPE=work,fax:555-0103\r\n",
        "TEL;VALUE=text;TYPE=home,voice:555-0104\r\n",
        "TEL;VALUE=text;TYPE=home,voice:555-0105\r\n", "TEL;VALUE=text;TYPE=cell:555-0106\r\n",
        "TEL;VALUE=text;TYPE=pager:555-0107\r\n",
        "ADR;TYPE=work:;Suite 400;12 Harbour Road;Portland;OR;97201;USA\r\n",
        "ORG:Ellis & Hart\\, Ltd.;Legal\r\n", "TITLE:Partner\r\n",
        "RELATED;VALUE=text;TYPE=agent:Dana Fox\r\n", "NOTE:line one\\nline two\r\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_EQ(text.find("X-CCMAIL-ADDRESS"), std::string::npos);
  EXPECT_EQ(counts_.cards, 1u);
}

TEST_F(AddressBookTest, NonSmtpAddressesAreKeptOutsideEmail) {
  book_.records.push_back(Entry(5, "Pat Parkes", "USER:Pat Parkes"));
  book_.records.push_back(Entry(6, "Cafe", "X400:C=US;A= ;P=Corvane;S=Mueller"));
  book_.records.push_back(Entry(7, "Sam", "CCMAIL:Ortiz, Sam at BRPO"));
  std::string text = Render();
  EXPECT_NE(text.find("X-CCMAIL-ADDRESS:USER:Pat Parkes\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("X-CCMAIL-ADDRESS:X400:C=US\\;A= \\;P=Corvane\\;S=Mueller\r\n"),
            std::string::npos)
      << text;
  // A translated cc:Mail address gets an EMAIL and keeps its original too.
  EXPECT_NE(text.find("EMAIL:sortiz@corvane.example\r\nX-CCMAIL-ADDRESS:CCMAIL:Ortiz\\, Sam at "
                      "BRPO\r\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("EMAIL:USER"), std::string::npos);
  EXPECT_EQ(text.find("EMAIL:X400"), std::string::npos);
  EXPECT_EQ(counts_.addresses_translated, 1u);
  EXPECT_EQ(counts_.addresses_untranslated, 2u);
}

TEST_F(AddressBookTest, ListMembersAreCardsOfTheBookMailtoOrNote) {
  book_.records.push_back(Entry(5, "Morgan Ellis", "SMTP:mellis@example.org"));
  book_.records.push_back(Entry(6, "Jordan Lee", "CCMAIL:Lee, Jordan at HQPO"));
  AddressBookRecord dl;
  dl.line = 7;
  dl.is_dl = true;
  dl.display_name = "Cutover Team";
  dl.addresses = {"morgan ellis",
                  "CCMAIL:Lee,Jordan at HQPO",
                  "CCMAIL:Ortiz, Sam at BRPO",
                  "CCMAIL:Nobody, Known at XXPO",
                  "SMTP:ops@example.org",
                  "Somebody Else"};
  dl.fields.assign(24, "");
  dl.fields[23] = "Weekend only";
  book_.records.push_back(dl);
  std::string text = Render();
  const std::string morgan = UuidUrnFor("book|5");
  const std::string jordan = UuidUrnFor("book|6");
  for (const std::string& line :
       {std::string("KIND:group\r\n"), "MEMBER:" + morgan + "\r\n", "MEMBER:" + jordan + "\r\n",
        std::string("MEMBER:mailto:sortiz@corvane.example\r\n"),
        std::string("MEMBER:mailto:ops@example.org\r\n"),
        std::string("NOTE:Weekend only\\nMembers without an e-mail address:\\nCCMAIL:Nobody\\, "
                    "Known at XXPO\\nSomebody Else\r\n")}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_NE(text.find("UID:" + morgan + "\r\n"), std::string::npos);
  EXPECT_EQ(counts_.groups, 1u);
  EXPECT_EQ(counts_.members_linked, 2u);
  EXPECT_EQ(counts_.members_mailto, 2u);
  EXPECT_EQ(counts_.members_in_note, 2u);
}

TEST(PabAddressItem, TypedBracketedAndBare) {
  MailAddress typed = PabAddressItem("CCMAIL:Lee, Jordan at HQPO");
  EXPECT_EQ(typed.type, "CCMAIL");
  EXPECT_EQ(typed.address, "Lee, Jordan at HQPO");
  MailAddress bracketed = PabAddressItem("Morgan [SMTP:m@example.org]");
  EXPECT_EQ(bracketed.display_name, "Morgan");
  EXPECT_EQ(bracketed.type, "SMTP");
  EXPECT_EQ(bracketed.address, "m@example.org");
  MailAddress bare = PabAddressItem("Morgan Ellis");
  EXPECT_EQ(bare.display_name, "Morgan Ellis");
  EXPECT_TRUE(bare.type.empty());
}

}  // namespace
}  // namespace ccm::importer
