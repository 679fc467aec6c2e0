// listed_files_test.cpp — the parser's packing-list reader as the drop directory's
// ListedFilesFn: the sample set lists its three files; errors name file and line; a FIFO
// or a link in the packing list's place is refused without blocking.
#include "daemon/listed_files.h"

#include <gtest/gtest.h>

#include "spool_fixture.h"

namespace ccm::daemon {
namespace {

using namespace ccm::daemon::testing;

TEST(ParserListedFiles, ListsTheAppendixASet) {
  auto listed = ParserListedFiles()(fs::path(CCM_SOURCE_DIR) / "conf/examples/HQPO.001/HQPO.PKL");
  ASSERT_TRUE(listed.ok()) << listed.error();
  EXPECT_EQ(*listed, (std::vector<std::string>{"Directory.pri", "00000001.PRI", "00000001.SEC"}));
}

TEST(ParserListedFiles, RefusesBadListsFifosAndLinks) {
  TempDir tmp;
  WriteFile(tmp.path() / "NOPRI.PKL", "1252\r\n\r\nFilename,Filetype\r\nA.SEC,Secondary\r\n");
  auto r = ParserListedFiles()(tmp.path() / "NOPRI.PKL");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("NOPRI.PKL"), std::string::npos) << r.error();

  WriteFile(tmp.path() / "DOTS.PKL", "1252\r\n\r\nFilename,Filetype\r\n../x.pri,Primary\r\n");
  EXPECT_FALSE(ParserListedFiles()(tmp.path() / "DOTS.PKL").ok());

  ASSERT_EQ(::mkfifo((tmp.path() / "FIFO.PKL").c_str(), 0600), 0);
  EXPECT_FALSE(ParserListedFiles()(tmp.path() / "FIFO.PKL").ok());  // must not block
  fs::create_symlink(fs::path(CCM_SOURCE_DIR) / "conf/examples/HQPO.001/HQPO.PKL",
                     tmp.path() / "LINK.PKL");
  EXPECT_FALSE(ParserListedFiles()(tmp.path() / "LINK.PKL").ok());
}

}  // namespace
}  // namespace ccm::daemon
