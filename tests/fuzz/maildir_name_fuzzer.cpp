// maildir_name_fuzzer.cpp — libFuzzer target for the mapping from export data to names in the
// mail store (importer/maildir_names): the input is a MAILMESSAGE `Folder` value or a mailbox
// key. Contract (maildir_names.h): a folder directory is "" or starts with "." and holds no "/",
// no NUL and no "..", stays within 240 bytes plus its hash suffix; a mailbox directory is never
// empty, ".", ".." and holds no "/"; modified UTF-7 output is ASCII. Run: scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "importer/maildir_names.h"

namespace {

void Require(bool condition) {
  if (!condition)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ccm::importer;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string folder = MaildirFolderDirectory(text);
  if (!folder.empty()) {
    Require(folder[0] == '.');
    Require(folder.find('/') == std::string::npos);
    Require(folder.find('\0') == std::string::npos);
    Require(folder.find("..") == std::string::npos);
    Require(folder.size() <= 255);
  }
  auto mailbox = MailboxDirectoryName(text);
  Require(mailbox.ok() == !text.empty());
  if (mailbox) {
    Require(!mailbox->empty() && *mailbox != "." && *mailbox != "..");
    Require(mailbox->find('/') == std::string::npos);
    Require(mailbox->size() <= 255);
  }
  for (unsigned char c : ModifiedUtf7(text))
    Require(c >= 0x20 && c < 0x7f);
  return 0;
}
