// maildir_store_test.cpp — Maildir++ delivery against real temp directories: layout, folder
// mapping and sanitising, flags, idempotent re-delivery, batching, crash leftovers, locking
// and symlink refusal.
#include "importer/maildir_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "importer/maildir_names.h"
#include "importer/message_delivery.h"
#include "importer/message_identity.h"
#include "tests/support/temp_dir.h"

namespace ccm::importer {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

using ccm::test::TempDir;

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> names;
  if (!fs::exists(dir))
    return names;
  for (const auto& e : fs::directory_iterator(dir))
    names.insert(e.path().filename().string());
  return names;
}

std::string Read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

MessageWriter Bytes(std::string text) {
  return [text](MessageSink& sink) { return sink.Write(text); };
}

std::unique_ptr<MaildirMailbox> OpenBox(const fs::path& root, std::string_view key,
                                        std::size_t batch = 256,
                                        BatchSync sync = BatchSync::kSyncfs) {
  auto box = MaildirMailbox::Open({root, batch, sync, {}}, key);
  EXPECT_TRUE(box.ok()) << (box.ok() ? "" : box.error().message);
  return box.ok() ? std::move(*box) : nullptr;
}

TEST(MaildirNames, SpecialFoldersAndHierarchy) {
  EXPECT_EQ(MaildirFolderDirectory(""), "");
  EXPECT_EQ(MaildirFolderDirectory("Inbox"), "");
  EXPECT_EQ(MaildirFolderDirectory("INBOX"), "");
  EXPECT_EQ(MaildirFolderDirectory("Sent Items"), ".Sent");
  EXPECT_EQ(MaildirFolderDirectory("deleted items"), ".Trash");
  EXPECT_EQ(MaildirFolderDirectory("Outbox"), ".Outbox");
  EXPECT_EQ(MaildirFolderDirectory("Inbox\\Old"), ".INBOX.Old");
  EXPECT_EQ(MaildirFolderDirectory("Sent Items\\1999"), ".Sent.1999");
  EXPECT_EQ(MaildirFolderDirectory("Projects\\Cutover"), ".Projects.Cutover");
  EXPECT_EQ(MaildirFolderDirectory("\\Projects\\\\ Cutover \\"), ".Projects.Cutover");
  EXPECT_EQ(MaildirFolderDirectory("Archive\\Sent Items"), ".Archive.Sent Items");
}

TEST(MaildirNames, HostileFolderNamesStayOneSafeComponent) {
  for (std::string hostile :
       {std::string("..\\..\\etc"), std::string("a/b"), std::string("../../../tmp/x"),
        std::string("a\x01\x1f\x7f"
                    "b"),
        std::string(".hidden"), std::string("x\\..\\y"), std::string(1000, 'L'),
        std::string("\xff\xfe bad utf8")}) {
    std::string dir = MaildirFolderDirectory(hostile);
    EXPECT_FALSE(dir.empty()) << hostile;
    EXPECT_EQ(dir.front(), '.');
    EXPECT_EQ(dir.find('/'), std::string::npos) << dir;
    EXPECT_EQ(dir.find(".."), std::string::npos) << dir;
    EXPECT_LE(dir.size(), 240u);
    for (char c : dir) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "non-printable byte in " << dir;
    }
  }
  EXPECT_EQ(MaildirFolderDirectory("..\\..\\etc"), ".&,w7,Dg-.&,w7,Dg-.etc");
  EXPECT_EQ(MaildirFolderDirectory("a/b"), ".a&IhU-b");
  EXPECT_EQ(MaildirFolderDirectory("v1.2"), ".v1&,w4-2");
  EXPECT_EQ(MaildirFolderDirectory(std::string("a\x01") + "b"), ".a_b");
  EXPECT_EQ(MaildirFolderDirectory("Büro & Co"), ".B&APw-ro &- Co");
  std::string long_level = MaildirFolderDirectory(std::string(1000, 'L'));
  EXPECT_LE(long_level.size(), 101u);
  EXPECT_NE(long_level.find('~'), std::string::npos);
  EXPECT_NE(MaildirFolderDirectory(std::string(1000, 'L')),
            MaildirFolderDirectory(std::string(999, 'L')));
}

TEST(MaildirNames, AnOverLongLevelKeepsTheLongestPrefixThatFitsBesideItsHash) {
  // 91 'L' + '~' + 8 hex digits is exactly the 100-byte level limit.
  const std::string ascii = MaildirFolderDirectory(std::string(1000, 'L'));
  ASSERT_EQ(ascii.size(), 101u);
  EXPECT_EQ(ascii.substr(0, 92), "." + std::string(91, 'L'));
  EXPECT_EQ(ascii[92], '~');

  // Mixed text: the kept prefix, one code point longer, would not fit (a reference search from
  // the long end, one code point at a time).
  std::string mixed;
  for (int i = 0; i < 700; ++i)
    mixed += i % 3 == 0 ? "\xc3\xbc" : i % 3 == 1 ? "ab" : "\xe2\x82\xac";
  const std::string level = MaildirFolderDirectory("Projects\\" + mixed).substr(10);
  const std::size_t tilde = level.rfind('~');
  ASSERT_NE(tilde, std::string::npos);
  EXPECT_EQ(level.size() - tilde, 9u);
  std::string reference;
  std::vector<std::string> characters;  // the mixed text's characters, as UTF-8
  for (std::size_t i = 0; i < mixed.size();) {
    const auto lead = static_cast<unsigned char>(mixed[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : 3;
    characters.push_back(mixed.substr(i, length));
    i += length;
  }
  for (std::size_t count = characters.size() - 1;; --count) {
    std::string prefix;
    for (std::size_t k = 0; k < count; ++k)
      prefix += characters[k];
    if (ModifiedUtf7(prefix).size() + 9 <= 100 || count == 0) {
      reference = ModifiedUtf7(prefix);
      break;
    }
  }
  EXPECT_EQ(level.substr(0, tilde), reference);
}

TEST(MaildirNames, ModifiedUtf7) {
  EXPECT_EQ(ModifiedUtf7("Entw\xC3\xBC rfe"), "Entw&APw- rfe");
  EXPECT_EQ(ModifiedUtf7("\xE5\x8F\xB0\xE5\x8C\x97"), "&U,BTFw-");  // RFC 3501 example
  EXPECT_EQ(ModifiedUtf7("\xF0\x9F\x93\xA7"), "&2D3c5w-");          // surrogate pair
  EXPECT_EQ(ModifiedUtf7("&"), "&-");
}

TEST(MaildirNames, MailboxDirectoryNames) {
  EXPECT_EQ(*MailboxDirectoryName("Quinn, Avery at HQPO"), "Quinn%2C%20Avery%20at%20HQPO");
  // A usable folder name is the folder's name as it is: the directory value and the folder agree.
  EXPECT_EQ(*MailboxDirectoryName("j.doe"), "j.doe");
  EXPECT_EQ(*MailboxDirectoryName("mellis@example.org"), "mellis@example.org");
  EXPECT_EQ(*EscapedMailboxDirectoryName("j.doe"), "j%2Edoe");
  EXPECT_EQ(*MailboxDirectoryName(".hidden"), "%2Ehidden");
  EXPECT_EQ(*MailboxDirectoryName("."), "%2E");
  EXPECT_EQ(*MailboxDirectoryName(".."), "%2E%2E");
  EXPECT_EQ(*MailboxDirectoryName("../../etc"), "%2E%2E%2F%2E%2E%2Fetc");
  EXPECT_FALSE(MailboxDirectoryName("").ok());
  auto long_name = MailboxDirectoryName(std::string(500, ','));
  ASSERT_TRUE(long_name.ok());
  EXPECT_LE(long_name->size(), 200u);
  EXPECT_EQ(long_name->find('/'), std::string::npos);
}

TEST(MaildirMailbox, LayoutFlagsAndContent) {
  TempDir t;
  auto box = OpenBox(t.path(), "Quinn, Avery at HQPO");
  ASSERT_NE(box, nullptr);
  fs::path mb = t.path() / "Quinn%2C%20Avery%20at%20HQPO";
  EXPECT_EQ(box->path(), mb);
  EXPECT_EQ(Names(mb), (std::set<std::string>{"cur", "new", "tmp"}));
  ASSERT_TRUE(box->Deliver("Inbox", "id-read", {.seen = true, .draft = false}, std::nullopt,
                           Bytes("Subject: read\n\nbody\n"))
                  .ok());
  ASSERT_TRUE(box->Deliver("", "id-unread", {}, std::nullopt, Bytes("x")).ok());
  ASSERT_TRUE(
      box->Deliver("Outbox", "id-draft", {.seen = true, .draft = true}, std::nullopt, Bytes("y"))
          .ok());
  EXPECT_EQ(box->delivered(), 0u);  // not before the batch is on disk
  EXPECT_EQ(box->queued(), 3u);
  ASSERT_TRUE(box->Flush().ok());
  EXPECT_EQ(box->delivered(), 3u);
  EXPECT_EQ(Names(mb / "cur"), (std::set<std::string>{MaildirUniqueName("id-read") + ":2,S",
                                                      MaildirUniqueName("id-unread") + ":2,"}));
  EXPECT_EQ(Read(mb / "cur" / (MaildirUniqueName("id-read") + ":2,S")), "Subject: read\n\nbody\n");
  EXPECT_EQ(Names(mb / ".Outbox" / "cur"),
            (std::set<std::string>{MaildirUniqueName("id-draft") + ":2,DS"}));
  EXPECT_TRUE(fs::exists(mb / ".Outbox" / "maildirfolder"));
  EXPECT_TRUE(Names(mb / "tmp").empty());
  EXPECT_TRUE(Names(mb / ".Outbox" / "tmp").empty());
  struct stat st {};
  ASSERT_EQ(::stat((mb / "cur" / (MaildirUniqueName("id-unread") + ":2,")).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(MaildirMailbox, SubfoldersAreCreatedWithTheirParents) {
  TempDir t;
  auto box = OpenBox(t.path(), "u");
  ASSERT_NE(box, nullptr);
  ASSERT_TRUE(box->Deliver("Projects\\Cutover", "m1", {}, std::nullopt, Bytes("x")).ok());
  ASSERT_TRUE(box->Flush().ok());
  fs::path mb = t.path() / "u";
  for (const char* folder : {".Projects", ".Projects.Cutover"}) {
    EXPECT_EQ(Names(mb / folder), (std::set<std::string>{"cur", "maildirfolder", "new", "tmp"}))
        << folder;
  }
  EXPECT_EQ(Names(mb / ".Projects.Cutover" / "cur").size(), 1u);
}

TEST(MaildirMailbox, HostileFolderNamesStayInsideTheMailbox) {
  TempDir t;
  auto box = OpenBox(t.path() / "root", "u");
  ASSERT_NE(box, nullptr);
  for (const char* folder : {"..\\..\\etc", "a/b", "..", "x\\..\\..\\y"}) {
    ASSERT_TRUE(box->Deliver(folder, std::string("m-") + folder, {}, std::nullopt, Bytes("x")).ok())
        << folder;
  }
  ASSERT_TRUE(box->Flush().ok());
  EXPECT_EQ(Names(t.path()), (std::set<std::string>{"root"}));
  EXPECT_EQ(Names(t.path() / "root"), (std::set<std::string>{"u"}));
  for (const auto& entry : fs::recursive_directory_iterator(t.path())) {
    EXPECT_FALSE(entry.is_symlink());
  }
}

TEST(MaildirMailbox, RedeliveryIsIdempotentEvenAfterFlagChanges) {
  TempDir t;
  fs::path cur = t.path() / "u" / ".Sent" / "cur";
  {
    auto box = OpenBox(t.path(), "u");
    ASSERT_NE(box, nullptr);
    ASSERT_TRUE(box->Deliver("Sent Items", "m1", {}, std::nullopt, Bytes("x")).ok());
    ASSERT_TRUE(box->Deliver("Sent Items", "m2", {}, std::nullopt, Bytes("y")).ok());
    auto again = box->Deliver("Sent Items", "m1", {}, std::nullopt, Bytes("x"));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, DeliveryOutcome::kAlreadyPresent);  // same batch
    ASSERT_TRUE(box->Flush().ok());
  }
  // A mail client read m1 (flag S added) and moved m2 back to new/.
  fs::rename(cur / (MaildirUniqueName("m1") + ":2,"), cur / (MaildirUniqueName("m1") + ":2,S"));
  fs::rename(cur / (MaildirUniqueName("m2") + ":2,"), cur / ".." / "new" / MaildirUniqueName("m2"));
  auto box = OpenBox(t.path(), "u");
  ASSERT_NE(box, nullptr);
  for (const char* id : {"m1", "m2"}) {
    auto r = box->Deliver("Sent Items", id, {}, std::nullopt, Bytes("x"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, DeliveryOutcome::kAlreadyPresent) << id;
  }
  ASSERT_TRUE(box->Flush().ok());
  EXPECT_EQ(box->delivered(), 0u);
  EXPECT_EQ(box->already_present(), 2u);
  EXPECT_EQ(Names(cur).size(), 1u);
  EXPECT_EQ(Names(cur / ".." / "new").size(), 1u);
}

TEST(MaildirMailbox, FullBatchesAdvanceByThemselvesAndUncountedWorkIsDiscarded) {
  TempDir t;
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f", "g"};
  {
    auto box = OpenBox(t.path(), "u", 2);
    ASSERT_NE(box, nullptr);
    for (const std::string& id : ids)
      ASSERT_TRUE(box->Deliver("", id, {}, std::nullopt, Bytes(id)).ok());
    // Three full batches advanced the pipeline three times: a, b counted (two syncs after
    // their write); c, d renamed (one sync after their write); e, f under the running sync; g
    // waiting for a full batch.
    EXPECT_EQ(box->delivered(), 2u);
    EXPECT_EQ(box->in_batch(), 5u);
    EXPECT_EQ(box->queued(), 5u);
    EXPECT_EQ(Names(t.path() / "u" / "cur").size(), 4u);
  }  // destroyed without Flush: c, d stay in cur/ uncounted; e, f, g never reached it
  EXPECT_EQ(Names(t.path() / "u" / "cur").size(), 4u);
  EXPECT_TRUE(Names(t.path() / "u" / "tmp").empty());

  auto box = OpenBox(t.path(), "u", 2);  // the rerun
  ASSERT_NE(box, nullptr);
  for (const std::string& id : ids)
    ASSERT_TRUE(box->Deliver("", id, {}, std::nullopt, Bytes(id)).ok());
  ASSERT_TRUE(box->Flush().ok());
  EXPECT_EQ(box->already_present(), 4u);
  EXPECT_EQ(box->delivered(), 3u);
  EXPECT_EQ(box->in_batch(), 0u);
  EXPECT_EQ(Names(t.path() / "u" / "cur").size(), ids.size());
}

TEST(MaildirMailbox, CrashLeftoversInTmpAreCleanedAtOpen) {
  TempDir t;
  {
    auto box = OpenBox(t.path(), "u");
    ASSERT_NE(box, nullptr);
    ASSERT_TRUE(box->Deliver("Archive", "m", {}, std::nullopt, Bytes("x")).ok());
    ASSERT_TRUE(box->Flush().ok());
  }
  fs::path mb = t.path() / "u";
  std::ofstream(mb / "tmp" / (MaildirUniqueName("lost") + "")) << "half a message";
  std::ofstream(mb / ".Archive" / "tmp" / MaildirUniqueName("lost2")) << "half";
  std::ofstream(mb / "tmp" / "1700000000.M1P2.otherhost") << "another MDA's file";
  auto box = OpenBox(t.path(), "u");
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(Names(mb / "tmp"), (std::set<std::string>{"1700000000.M1P2.otherhost"}));
  EXPECT_TRUE(Names(mb / ".Archive" / "tmp").empty());
  auto r = box->Deliver("", "lost", {}, std::nullopt, Bytes("whole message"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, DeliveryOutcome::kQueued);  // a tmp leftover is not a delivery
}

TEST(MaildirMailbox, ASecondWriterForTheSameMailboxIsRefused) {
  TempDir t;
  auto first = OpenBox(t.path(), "u");
  ASSERT_NE(first, nullptr);
  auto second = MaildirMailbox::Open({t.path(), 16, BatchSync::kSyncfs, {}}, "u");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("in use"), std::string::npos);
  first.reset();
  EXPECT_TRUE(MaildirMailbox::Open({t.path(), 16, BatchSync::kSyncfs, {}}, "u").ok());
}

TEST(MaildirMailbox, SymlinksInTheStoreAreRefused) {
  TempDir t;
  fs::create_directories(t.path() / "outside");
  fs::create_directories(t.path() / "root");
  fs::create_directory_symlink(t.path() / "outside", t.path() / "root" / "victim");
  auto refused = MaildirMailbox::Open({t.path() / "root", 16, BatchSync::kSyncfs, {}}, "victim");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("refusing"), std::string::npos);

  auto box = OpenBox(t.path() / "root", "u");
  ASSERT_NE(box, nullptr);
  fs::create_directory_symlink(t.path() / "outside", t.path() / "root" / "u" / ".Evil");
  auto r = box->Deliver("Evil", "m", {}, std::nullopt, Bytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("refusing"), std::string::npos);
  EXPECT_TRUE(Names(t.path() / "outside").empty());
}

TEST(MaildirMailbox, AFailedWriterLeavesNothingBehind) {
  TempDir t;
  auto box = OpenBox(t.path(), "u");
  ASSERT_NE(box, nullptr);
  auto r =
      box->Deliver("", "m", {}, std::nullopt, [](MessageSink& sink) -> Result<void, MailError> {
        (void)sink.Write("partial");
        return Fail(MailError{"secondary file truncated"});
      });
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("secondary file truncated"), std::string::npos);
  EXPECT_TRUE(Names(t.path() / "u" / "tmp").empty());
  ASSERT_TRUE(box->Deliver("", "m", {}, std::nullopt, Bytes("x")).ok());  // can retry
}

TEST(MaildirMailbox, FdatasyncStrategyAndArrivalDate) {
  TempDir t;
  auto box = OpenBox(t.path(), "u", 8, BatchSync::kFdatasyncEach);
  ASSERT_NE(box, nullptr);
  auto arrival = sys_days(year{1999} / 4 / 9) + hours{9} + minutes{32} + seconds{5};
  ASSERT_TRUE(box->Deliver("", "m", {}, arrival, Bytes("x")).ok());
  ASSERT_TRUE(box->Flush().ok());
  struct stat st {};
  ASSERT_EQ(::stat((t.path() / "u" / "cur" / (MaildirUniqueName("m") + ":2,")).c_str(), &st), 0);
  EXPECT_EQ(st.st_mtime, arrival.time_since_epoch().count());
}

TEST(DeliverMessage, ComposesIntoTheMailboxWithFlagsFromTheMessage) {
  TempDir t;
  auto box = OpenBox(t.path(), "u");
  ASSERT_NE(box, nullptr);
  MailMessage m;
  m.identity = "HQPO.001/00000001.PRI:3";
  m.sender = {"Lee, Jordan", "CCMAIL", "Lee, Jordan at HQPO"};
  m.subject = "Cutover date";
  m.received = sys_days(year{1999} / 4 / 9) + hours{9};
  m.unread = true;
  m.parts.push_back({PartKind::kBody, "", 0, false, std::make_unique<StringSource>("hi\r\n")});
  auto r = DeliverMessage(*box, "Inbox", m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(box->Flush().ok());
  fs::path file = t.path() / "u" / "cur" / (MaildirUniqueName(m.identity) + ":2,");
  std::string text = Read(file);
  EXPECT_NE(text.find("\nSubject: Cutover date\n"), std::string::npos);
  EXPECT_NE(text.find("\n\nhi\n"), std::string::npos);
}

}  // namespace
}  // namespace ccm::importer

namespace ccm::importer {
namespace {

using ccm::test::TempDir;
namespace fs = std::filesystem;

struct stat StatOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st;
}

// The group the shared-store tests give files to: this process's own group (any process may
// chown its files to its own group), so the tests need no special user.
MaildirOptions SharedOptions(const fs::path& root) {
  MaildirOptions o{root, 16, BatchSync::kSyncfs, {}};
  o.group = ::getegid();
  return o;
}

TEST(MaildirMailbox, WithAStoreGroupEverythingCreatedIsGroupReadableAndWritable) {
  TempDir t;
  const mode_t old_umask = ::umask(077);  // the tightest umask: the modes must not depend on it
  {
    auto box = MaildirMailbox::Open(SharedOptions(t.path() / "root"), "j.doe");
    ASSERT_TRUE(box.ok()) << box.error().message;
    ASSERT_TRUE((*box)->Deliver("Projects\\Cutover", "m1", {}, std::nullopt, Bytes("x")).ok());
    ASSERT_TRUE((*box)->Deliver("", "m2", {.seen = true}, std::nullopt, Bytes("y")).ok());
    ASSERT_TRUE((*box)->Flush().ok());
  }
  ::umask(old_umask);
  const fs::path root = t.path() / "root";
  EXPECT_EQ(StatOf(root).st_mode & 07777, 0770u);  // created by Open(): given to the group
  EXPECT_EQ(StatOf(root).st_gid, ::getegid());
  std::size_t files = 0, dirs = 0;
  for (const auto& e : fs::recursive_directory_iterator(root / "j.doe")) {
    const struct stat st = StatOf(e.path());
    EXPECT_EQ(st.st_gid, ::getegid()) << e.path();
    if (S_ISDIR(st.st_mode)) {
      ++dirs;
      EXPECT_EQ(st.st_mode & 07777, 0770u) << e.path();
    } else {
      ++files;
      EXPECT_EQ(st.st_mode & 07777, 0660u) << e.path();
    }
  }
  EXPECT_EQ(dirs, 3u + 2u * 4u);  // INBOX cur/new/tmp; .Projects and .Projects.Cutover, each 4
  EXPECT_EQ(files, 2u + 2u);      // two messages, two maildirfolder markers
  EXPECT_EQ(StatOf(root / "j.doe").st_mode & 07777, 0770u);
}

TEST(MaildirMailbox, AStoreRootTheGroupCannotUseIsRefused) {
  TempDir t;
  const fs::path root = t.path() / "root";
  fs::create_directories(root);
  fs::permissions(root, fs::perms::owner_all);  // 0700: the group cannot enter
  auto refused = MaildirMailbox::Open(SharedOptions(root), "u");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("does not let the store group"), std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(Names(root).empty());  // nothing was created
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_all);
  EXPECT_TRUE(MaildirMailbox::Open(SharedOptions(root), "u").ok());
}

TEST(MaildirMailbox, FilesOfTheMailServerAreLeftAloneAndItsRenamesRecognised) {
  TempDir t;
  const fs::path mb = t.path() / "u";
  {
    auto box = OpenBox(t.path(), "u");
    ASSERT_NE(box, nullptr);
    ASSERT_TRUE(box->Deliver("", "m1", {}, std::nullopt, Bytes("x")).ok());
    ASSERT_TRUE(box->Flush().ok());
  }
  // What Dovecot does to a mailbox it serves: index and uidlist files, its own tmp/ file, and a
  // flag change that also records the size in the name.
  std::ofstream(mb / "dovecot-uidlist") << "3 V1 N2\n";
  std::ofstream(mb / "dovecot.index.log") << "log";
  std::ofstream(mb / "tmp" / "1700000000.M1P2.mailhost") << "being saved";
  fs::rename(mb / "cur" / (MaildirUniqueName("m1") + ":2,"),
             mb / "cur" / (MaildirUniqueName("m1") + ",S=1:2,FS"));
  auto box = OpenBox(t.path(), "u");
  ASSERT_NE(box, nullptr);
  auto again = box->Deliver("", "m1", {}, std::nullopt, Bytes("x"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, DeliveryOutcome::kAlreadyPresent);
  ASSERT_TRUE(box->Flush().ok());
  EXPECT_EQ(Names(mb),
            (std::set<std::string>{"cur", "dovecot-uidlist", "dovecot.index.log", "new", "tmp"}));
  EXPECT_EQ(Names(mb / "tmp"), (std::set<std::string>{"1700000000.M1P2.mailhost"}));
  EXPECT_EQ(Names(mb / "cur"), (std::set<std::string>{MaildirUniqueName("m1") + ",S=1:2,FS"}));
  EXPECT_EQ(Read(mb / "dovecot-uidlist"), "3 V1 N2\n");
}

TEST(MaildirMailbox, AMailboxUnderItsEarlierEscapedNameIsRenamed) {
  TempDir t;
  fs::create_directories(t.path() / "j%2Edoe" / "cur");
  std::ofstream(t.path() / "j%2Edoe" / "cur" / (MaildirUniqueName("m1") + ":2,S")) << "x";
  {
    auto box = OpenBox(t.path(), "j.doe");
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->path(), t.path() / "j.doe");
    auto again = box->Deliver("", "m1", {}, std::nullopt, Bytes("x"));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, DeliveryOutcome::kAlreadyPresent);
    ASSERT_TRUE(box->Flush().ok());
  }
  EXPECT_EQ(Names(t.path()), (std::set<std::string>{"j.doe"}));

  // Both names present (a mail server created the new one empty): an error naming both, and
  // nothing moved.
  fs::create_directories(t.path() / "j%2Edoe" / "cur");
  auto both = MaildirMailbox::Open({t.path(), 16, BatchSync::kSyncfs, {}}, "j.doe");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("both exist"), std::string::npos) << both.error().message;
  EXPECT_NE(both.error().message.find("j%2Edoe"), std::string::npos);
  EXPECT_EQ(Names(t.path()), (std::set<std::string>{"j%2Edoe", "j.doe"}));
}

}  // namespace
}  // namespace ccm::importer
