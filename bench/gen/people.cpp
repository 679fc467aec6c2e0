// people.cpp — see people.h. Name tables are invented; the odd ones are there on purpose.
#include "bench/gen/people.h"

#include <array>
#include <cctype>

#include "ccm/ascii.h"

namespace ccm::bench {
namespace {

constexpr std::array<std::string_view, 40> kGiven = {
    "Avery",    "Jordan",   "Priya",   "Morgan", "Casey",  "Riley", "Jamie", "Taylor",
    "Alex",     "Sam",      "Robin",   "Kim",    "Lee",    "Dana",  "Chris", "Pat",
    "Mary Ann", "Jean-Luc", "Ana",     "Bo",     "Eli",    "Noor",  "Yuki",  "Olu",
    "Ines",     "Tomas",    "Greta",   "Hana",   "Ivan",   "Lena",  "Marek", "Nia",
    "Oscar",    "Paula",    "Quentin", "Rosa",   "Stefan", "Tess",  "Uma",   "Viktor"};

constexpr std::array<std::string_view, 50> kSurnames = {
    "Quinn",        "Lee",    "Natarajan", "Ellis",   "O'Brien",  "Smith-Jones",  "St. James",
    "van der Berg", "Nguyen", "Garcia",    "Muller",  "Kowalski", "Okafor",       "Tanaka",
    "Rossi",        "Dubois", "Jensen",    "Novak",   "Costa",    "Murphy",       "Fischer",
    "Silva",        "Haddad", "Larsen",    "Ivanova", "Horvat",   "Papadopoulos", "Kaya",
    "Chen",         "Singh",  "Cohen",     "Berg",    "Moreau",   "Lindqvist",    "Ahmed",
    "Park",         "Reyes",  "Walsh",     "Young",   "Zhou",     "Abbott",       "Baker",
    "Carter",       "Dalton", "Evans",     "Foster",  "Grant",    "Hughes",       "Irwin",
    "Keller"};

std::string AlnumOnly(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += c;
  }
  return out;
}

}  // namespace

Person MakePerson(std::uint64_t index, std::string_view post_office) {
  Person p;
  // For a fixed given name, (q + 7g) mod 50 runs through every surname once: names stay unique
  // within a round while neighbouring users get different surnames.
  const std::uint64_t g = index % kGiven.size();
  const std::uint64_t q = (index / kGiven.size()) % kSurnames.size();
  const auto given = kGiven[g];
  const auto surname = kSurnames[(q + 7 * g) % kSurnames.size()];
  const std::uint64_t round = index / (kGiven.size() * kSurnames.size());
  p.given_name = std::string(given);
  // Past the first 2,000 combinations a generation number keeps names unique.
  p.surname = round == 0 ? std::string(surname) : std::string(surname) + std::to_string(round + 1);
  p.display_name = p.given_name + " " + p.surname;
  p.native_name = p.surname + ", " + p.given_name;
  p.source_address = "CCMAIL:" + p.native_name + " at " + std::string(post_office);
  p.common_name = AlnumOnly(given.substr(0, 1)) + AlnumOnly(p.surname) + std::to_string(index + 1);
  p.smtp_address =
      ccm::AsciiLower(p.common_name) + "@" + ccm::AsciiLower(post_office) + ".example.test";
  return p;
}

Correspondent MakeCorrespondent(std::uint64_t index) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "Morgan Ellis", "Priya Natarajan", "Ellis & Hart Support",
      "Chris Park",   "Gamers",          "Dana Walsh"};
  static constexpr std::array<std::string_view, 6> kAddresses = {
      "SMTP:mellis@example.org",         "CCMAIL:Natarajan, Priya at BRPO",
      "SMTP:support@ellis-hart.example", "SMTP:cpark@example.net",
      "SMTP:gamers@example.com",         "X400:C=US;A= ;P=Corvane;S=Walsh;G=Dana"};
  const auto i = static_cast<std::size_t>(index % kNames.size());
  return {std::string(kNames[i]), std::string(kAddresses[i])};
}

}  // namespace ccm::bench
