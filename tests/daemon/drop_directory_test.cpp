// drop_directory_test.cpp — the spool on a real file system in temp dirs: layout, observation,
// claims (and a real claim race between processes), final moves (a refused set stays
// byte-identical), resume from active/, gathering of loose files, and hostile drops.
#include "daemon/drop_directory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "spool_fixture.h"

namespace ccm::daemon {
namespace {

using namespace ccm::daemon::testing;

DropDirectory OpenSpool(const fs::path& root) {
  auto d = DropDirectory::Open(root);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
  return std::move(*d);
}

SetObservation ObserveFolder(const DropDirectory& d, const std::string& name) {
  auto obs = d.Observe({name, false}, ParserListedFiles());
  EXPECT_TRUE(obs.has_value());
  return obs.value_or(SetObservation{});
}

TEST(DropDirectory, CreatesTheLayoutWithSafeModes) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path() / "spool");
  for (const char* sub : {"incoming", "active", "done", "deferred", "failed"}) {
    const auto p = tmp.path() / "spool" / sub;
    ASSERT_TRUE(fs::is_directory(p)) << sub;
    const auto perms = fs::status(p).permissions();
    EXPECT_EQ(perms & fs::perms::others_all, fs::perms::none) << sub;
  }
  // Opening again keeps what is there.
  WriteSet(tmp.path() / "spool" / "incoming" / "A");
  auto again = OpenSpool(tmp.path() / "spool");
  EXPECT_EQ(again.ListIncoming()->size(), 1u);
}

TEST(DropDirectory, ObservesACompleteSetCaseInsensitively) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto set = tmp.path() / "incoming" / "HQPO.001";
  WriteSet(set);
  fs::rename(set / "00000001.PRI", set / "00000001.pri");  // DOS names: case does not matter
  WriteFile(set / "Ccmail.password", "secret");            // unlisted: reported, ignored
  auto obs = ObserveFolder(d, "HQPO.001");
  EXPECT_TRUE(obs.listing_ok) << obs.listing_error;
  EXPECT_EQ(obs.pkl_name, "HQPO.PKL");
  EXPECT_TRUE(obs.missing.empty());
  EXPECT_FALSE(obs.hostile.has_value());
  EXPECT_EQ(obs.unlisted, std::vector<std::string>{"Ccmail.password"});
  EXPECT_GT(obs.total_bytes, 0u);
  ASSERT_TRUE(obs.newest_mtime.has_value());
}

TEST(DropDirectory, ReportsMissingFilesAndChangesTheFingerprintWhenAFileGrows) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto set = tmp.path() / "incoming" / "S";
  WriteSet(set);
  fs::remove(set / "00000001.SEC");
  auto obs = ObserveFolder(d, "S");
  EXPECT_EQ(obs.missing, std::vector<std::string>{"00000001.SEC"});
  WriteFile(set / "00000001.SEC", "x");
  const auto before = ObserveFolder(d, "S").fingerprint;
  WriteFile(set / "00000001.SEC", "xy");
  EXPECT_NE(ObserveFolder(d, "S").fingerprint, before);
}

TEST(DropDirectory, NeverPicksUpDotOrTempNames) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  for (const char* name : {".hidden", "copy.tmp", "copy~", "upload.part", "X.PKL.tmp"}) {
    WriteSet(tmp.path() / "incoming" / name);
  }
  WriteFile(tmp.path() / "incoming" / ".HQPO.PKL", PackingList({"A.PRI"}));
  EXPECT_TRUE(d.ListIncoming()->empty());
}

TEST(DropDirectory, IgnoresLinksAndSpecialFilesInIncoming) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  fs::create_directory_symlink("/etc", tmp.path() / "incoming" / "etc-link");
  fs::create_symlink("/etc/passwd", tmp.path() / "incoming" / "passwd.pkl");
  ASSERT_EQ(::mkfifo((tmp.path() / "incoming" / "pipe.pkl").c_str(), 0600), 0);
  std::vector<IgnoredEntry> ignored;
  EXPECT_TRUE(d.ListIncoming(&ignored)->empty());
  EXPECT_EQ(ignored.size(), 3u);
}

TEST(DropDirectory, HostileSetFoldersAreReportedWithoutOpeningAnything) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto in = tmp.path() / "incoming";

  WriteSet(in / "link");
  fs::remove(in / "link" / "00000001.PRI");
  fs::create_symlink("/etc/passwd", in / "link" / "00000001.PRI");
  auto obs = ObserveFolder(d, "link");
  ASSERT_TRUE(obs.hostile.has_value());
  EXPECT_NE(obs.hostile->find("symbolic link"), std::string::npos);

  WriteSet(in / "fifo");
  fs::remove(in / "fifo" / "00000001.SEC");
  ASSERT_EQ(::mkfifo((in / "fifo" / "00000001.SEC").c_str(), 0600), 0);
  obs = ObserveFolder(d, "fifo");  // must not block
  ASSERT_TRUE(obs.hostile.has_value());
  EXPECT_NE(obs.hostile->find("FIFO"), std::string::npos);

  fs::create_directories(in / "fifo-pkl");
  ASSERT_EQ(::mkfifo((in / "fifo-pkl" / "X.PKL").c_str(), 0600), 0);
  obs = ObserveFolder(d, "fifo-pkl");  // must not block
  ASSERT_TRUE(obs.hostile.has_value());

  fs::create_directories(in / "dotdot");
  WriteFile(in / "dotdot" / "X.PKL", PackingList({"../../etc/passwd"}));
  obs = ObserveFolder(d, "dotdot");
  // The parser's packing-list reader refuses the name itself, so the listing fails (and the
  // service refuses the set with this reason; drop_service_test checks that end to end).
  EXPECT_FALSE(obs.listing_ok);
  EXPECT_TRUE(obs.listed.empty());
  EXPECT_NE(obs.listing_error.find("is not a bare file name"), std::string::npos)
      << obs.listing_error;

  fs::create_directories(in / "reserved");
  WriteFile(in / "reserved" / "X.PKL", PackingList({"A.PRI"}, {"Report.JSON"}));
  obs = ObserveFolder(d, "reserved");
  ASSERT_TRUE(obs.hostile.has_value());
  EXPECT_NE(obs.hostile->find("reserves"), std::string::npos);

  fs::create_directories(in / "two");
  WriteFile(in / "two" / "A.PKL", PackingList({"A.PRI"}));
  WriteFile(in / "two" / "B.PKL", PackingList({"A.PRI"}));
  EXPECT_TRUE(ObserveFolder(d, "two").hostile.has_value());

  fs::create_directories(in / "huge");
  WriteFile(in / "huge" / "X.PKL", "1252\r\n\r\n" + std::string((1u << 20) + 10, 'A') + "\r\n");
  obs = ObserveFolder(d, "huge");
  EXPECT_FALSE(obs.listing_ok);
  EXPECT_NE(obs.listing_error.find("X.PKL:3: error: field longer than 65536 bytes"),
            std::string::npos)
      << obs.listing_error;
}

TEST(DropDirectory, ClaimMovesIntoActiveAndMakesIdsUnique) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  DropSet(tmp.path(), "HQPO.001");
  auto c = d.ClaimIncoming("HQPO.001");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->id(), "HQPO.001");
  EXPECT_EQ((*c)->pkl_name(), "HQPO.PKL");
  EXPECT_TRUE(fs::exists(tmp.path() / "active" / "HQPO.001" / "HQPO.PKL"));
  EXPECT_FALSE(fs::exists(tmp.path() / "incoming" / "HQPO.001"));
  auto done = d.Finish(std::move(**c), FinalPlace::kDone, "{}\n", "");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(*done, tmp.path() / "done" / "HQPO.001");

  DropSet(tmp.path(), "HQPO.001");  // the same name again
  auto again = d.ClaimIncoming("HQPO.001");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->id(), "HQPO.001-2");
}

TEST(DropDirectory, AClaimOfAVanishedSetIsALostRaceNotAnError) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  auto c = d.ClaimIncoming("nothing-here");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
}

TEST(DropDirectory, TwoProcessesRacingForTheSameSetsClaimEachExactlyOnce) {
  TempDir tmp;
  { auto d = OpenSpool(tmp.path()); }
  constexpr int kSets = 20;
  for (int i = 0; i < kSets; ++i)
    DropSet(tmp.path(), "set" + std::to_string(i));
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  std::vector<pid_t> children;
  for (int p = 0; p < 4; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto d = DropDirectory::Open(tmp.path());
      std::string won;
      for (int i = 0; i < kSets; ++i) {
        auto c = d->ClaimIncoming("set" + std::to_string(i));
        if (!c.ok())
          ::_exit(3);
        if (c->has_value())
          won += (*c)->id() + "\n";
      }
      WriteFile(results / std::to_string(p), won);
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::map<std::string, int> wins;
  for (int p = 0; p < 4; ++p) {
    std::istringstream lines(ReadFile(results / std::to_string(p)));
    for (std::string id; std::getline(lines, id);)
      ++wins[id];
  }
  EXPECT_EQ(wins.size(), static_cast<std::size_t>(kSets));
  for (const auto& [id, n] : wins)
    EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path() / "active"), {}), kSets);
}

TEST(DropDirectory, ARefusedSetStaysByteIdenticalWithReasonAndReport) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto dropped = DropSet(tmp.path(), "BAD.001");
  WriteFile(dropped / "extra.bin", std::string("\0\r\n\xff", 4));
  const auto before = Snapshot(dropped);
  auto c = d.ClaimIncoming("BAD.001");
  ASSERT_TRUE(c.ok() && c->has_value());
  auto where = d.Finish(std::move(**c), FinalPlace::kFailed, "{\"outcome\": \"rejected\"}\n",
                        "packing list lists no primary file");
  ASSERT_TRUE(where.ok()) << where.error().message;
  const auto failed = tmp.path() / "failed" / "BAD.001";
  ASSERT_EQ(*where, failed);
  auto after = Snapshot(failed);
  EXPECT_EQ(after["reason.txt"], "packing list lists no primary file\n");
  EXPECT_EQ(after["report.json"], "{\"outcome\": \"rejected\"}\n");
  after.erase("reason.txt");
  after.erase("report.json");
  EXPECT_EQ(after, before);
}

TEST(DropDirectory, DeferredSetsCarryTheirRetryStateAndComeBack) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  DropSet(tmp.path(), "D");
  auto c = d.ClaimIncoming("D");
  ASSERT_TRUE(c.ok() && c->has_value());
  RetryState retry;
  retry.attempts = 3;
  retry.next_attempt = std::chrono::system_clock::time_point(std::chrono::seconds(2'000'000'000));
  ASSERT_TRUE(d.Finish(std::move(**c), FinalPlace::kDeferred, "{}", "ldap down", &retry).ok());
  auto listed = d.ListDeferred();
  ASSERT_TRUE(listed.ok());
  const auto& deferred = *listed;
  ASSERT_EQ(deferred.size(), 1u);
  EXPECT_EQ(deferred[0].name, "D");
  EXPECT_EQ(deferred[0].retry.attempts, 3);
  EXPECT_EQ(deferred[0].retry.next_attempt, retry.next_attempt);

  auto again = d.ClaimDeferred("D");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->previous_attempts(), 3);
  EXPECT_EQ((*again)->origin(), ClaimOrigin::kDeferred);
  ASSERT_TRUE(d.Finish(std::move(**again), FinalPlace::kDone, "{}", "").ok());
  EXPECT_FALSE(fs::exists(tmp.path() / "done" / "D" / "retry.json"));
  EXPECT_TRUE(fs::exists(tmp.path() / "done" / "D" / "report.json"));
}

TEST(DropDirectory, SetsLeftInActiveAreResumedUnlessAnotherClaimHoldsThem) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  DropSet(tmp.path(), "A");
  DropSet(tmp.path(), "B");
  auto held = d.ClaimIncoming("A");  // "another process" still working on A
  ASSERT_TRUE(held.ok() && held->has_value());
  {
    auto crashed = d.ClaimIncoming("B");  // claimed, then the process died: lock released
    ASSERT_TRUE(crashed.ok() && crashed->has_value());
  }
  auto other = OpenSpool(tmp.path());
  EXPECT_EQ(*other.ListActive(), (std::vector<std::string>{"A", "B"}));
  auto a = other.ResumeActive("A");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->has_value());
  auto b = other.ResumeActive("B");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->origin(), ClaimOrigin::kResumed);
  EXPECT_EQ((*b)->id(), "B");
}

TEST(DropDirectory, LooseFilesAreGatheredIntoASetFolder) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto in = tmp.path() / "incoming";
  WriteFile(in / "00000001.PRI", "p");
  WriteFile(in / "00000001.SEC", "s");
  WriteFile(in / "unrelated.txt", "u");
  WriteFile(in / "HQPO.PKL", PackingList({"00000001.PRI"}, {"00000001.SEC"}));
  auto listed = d.ListIncoming();
  ASSERT_TRUE(listed.ok());
  const auto& entries = *listed;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].loose_pkl);
  auto obs = d.Observe(entries[0], ParserListedFiles());
  ASSERT_TRUE(obs && obs->listing_ok && obs->missing.empty());

  auto g = d.GatherLooseSet("HQPO.PKL", ParserListedFiles());
  ASSERT_TRUE(g.ok() && g->has_value());
  EXPECT_EQ(**g, "HQPO");
  EXPECT_EQ(Snapshot(in / "HQPO"),
            (std::map<std::string, std::string>{
                {"00000001.PRI", "p"},
                {"00000001.SEC", "s"},
                {"HQPO.PKL", PackingList({"00000001.PRI"}, {"00000001.SEC"})}}));
  EXPECT_TRUE(fs::exists(in / "unrelated.txt"));
  // A second gatherer finds nothing left to do.
  auto late = d.GatherLooseSet("HQPO.PKL", ParserListedFiles());
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->has_value());
}

TEST(DropDirectory, AnInterruptedGatheringIsFinished) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto in = tmp.path() / "incoming";
  fs::create_directories(in / ".gather.HQPO.PKL");
  WriteFile(in / ".gather.HQPO.PKL" / "HQPO.PKL", PackingList({"A.PRI"}, {"A.SEC"}));
  WriteFile(in / ".gather.HQPO.PKL" / "A.PRI", "p");
  WriteFile(in / "A.SEC", "s");  // the crash came before this one moved
  EXPECT_EQ(*d.RecoverGatherings(ParserListedFiles()), std::vector<std::string>{"HQPO"});
  EXPECT_TRUE(fs::exists(in / "HQPO" / "A.SEC"));
  EXPECT_FALSE(fs::exists(in / ".gather.HQPO.PKL"));
}

TEST(DropDirectory, IncomingIsStickyAndActiveIsTheServicesAlone) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  struct stat in {
  }, active{};
  ASSERT_EQ(::stat((tmp.path() / "incoming").c_str(), &in), 0);
  ASSERT_EQ(::stat((tmp.path() / "active").c_str(), &active), 0);
  EXPECT_EQ(in.st_mode & 07777, 03770U);
  EXPECT_EQ(active.st_mode & 07777, 0700U);
}

TEST(DropDirectory, HardLinksReservedNamesLongNamesAndHugeListsAreRefused) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto in = tmp.path() / "incoming";

  WriteSet(in / "linked");
  WriteFile(tmp.path() / "outside.txt", "not part of any set");
  fs::remove(in / "linked" / "00000001.PRI");
  fs::create_hard_link(tmp.path() / "outside.txt", in / "linked" / "00000001.PRI");
  auto obs = ObserveFolder(d, "linked");
  ASSERT_TRUE(obs.hostile.has_value());
  EXPECT_NE(obs.hostile->find("00000001.PRI is a hard link (2 links)"), std::string::npos)
      << *obs.hostile;

  for (const char* reserved : {"report.json", "Reason.TXT", "retry.json", "ccmigrate-import"}) {
    const std::string name = std::string("planted-") + reserved;
    WriteSet(in / name);
    fs::create_directories(in / name / reserved);
    obs = ObserveFolder(d, name);
    ASSERT_TRUE(obs.hostile.has_value()) << reserved;
    EXPECT_NE(obs.hostile->find("a name ccmigrate reserves"), std::string::npos) << *obs.hostile;
  }

  const std::string long_name(201, 'n');
  WriteSet(in / long_name);
  obs = ObserveFolder(d, long_name);
  ASSERT_TRUE(obs.hostile.has_value());
  EXPECT_NE(obs.hostile->find("201 bytes long"), std::string::npos) << *obs.hostile;
  // Claimed and refused under its first 200 bytes, never stuck on a name that cannot be made.
  auto claim = d.ClaimIncoming(long_name);
  ASSERT_TRUE(claim.ok() && claim->has_value()) << (claim.ok() ? "" : claim.error().message);
  EXPECT_EQ((*claim)->id(), std::string(200, 'n'));
  ASSERT_TRUE(d.Finish(std::move(**claim), FinalPlace::kFailed, "{}", *obs.hostile).ok());

  d.set_max_listed_files(3);
  fs::create_directories(in / "many");
  WriteFile(in / "many" / "X.PKL", PackingList({"A.PRI", "B.PRI", "C.PRI", "D.PRI"}));
  obs = ObserveFolder(d, "many");
  ASSERT_TRUE(obs.hostile.has_value());
  EXPECT_NE(obs.hostile->find("lists 4 files, more than [drop] max_listed_files 3"),
            std::string::npos)
      << *obs.hostile;
}

TEST(DropDirectory, ARefusedSetWhoseReportNameIsTakenStillReachesFailedUnchanged) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  const auto dropped = DropSet(tmp.path(), "PLANTED");
  fs::create_directories(dropped / "report.json");
  WriteFile(dropped / "report.json" / "keep", "operator bytes");
  auto c = d.ClaimIncoming("PLANTED");
  ASSERT_TRUE(c.ok() && c->has_value());
  auto where = d.Finish(std::move(**c), FinalPlace::kFailed, "{}", "planted");
  ASSERT_TRUE(where.ok()) << where.error().message;
  EXPECT_TRUE(fs::is_directory(tmp.path() / "failed/PLANTED/report.json"));
  EXPECT_EQ(ReadFile(tmp.path() / "failed/PLANTED/report.json/keep"), "operator bytes");
  EXPECT_TRUE(fs::is_empty(tmp.path() / "active"));
}

TEST(DropDirectory, ASetRefusedBeforeIsResumedAsRefused) {
  TempDir tmp;
  auto d = OpenSpool(tmp.path());
  DropSet(tmp.path(), "R");
  {
    auto c = d.ClaimIncoming("R");
    ASSERT_TRUE(c.ok() && c->has_value());
    // A crash after the refusal was written but before the move: reason.txt is in active/R.
    WriteFile(tmp.path() / "active/R/reason.txt", "packing list lists no primary file\n");
  }
  auto resumed = d.ResumeActive("R");
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  ASSERT_TRUE((*resumed)->refused_before().has_value());
  EXPECT_EQ(*(*resumed)->refused_before(), "packing list lists no primary file\n");
}

}  // namespace
}  // namespace ccm::daemon
