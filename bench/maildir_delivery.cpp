// maildir_delivery.cpp — micro-benchmark of durable Maildir delivery: the importer's batched
// store (importer/maildir_store.h) against a naive loop that does what a careful one-at-a-time
// MDA does (write to tmp/, fsync the file, rename into cur/), over the same messages, into fresh
// temporary directories in the same run. Both are durable: no message counts before its bytes
// are on disk. Prints both rates and the ratio (target: batched >= 5x naive).
//
// Usage: maildir_delivery_bench [--messages N] [--naive-messages N] [--batch B] [--dir DIR]
//   --messages        messages for the batched runs (default 20000)
//   --naive-messages  messages for the naive run and for the batched fdatasync-per-file run
//                     (default: same as --messages); rates are compared
//   --batch           sync_batch of the store (default 256, the configuration default)
//   --dir             where to create the temporary stores (default: the current directory;
//                     use a directory on the real disk: tmpfs makes every fsync free)
// Everything it creates is removed at the end.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "importer/maildir_store.h"
#include "importer/message_identity.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ccm::importer::BatchSync;
using ccm::importer::MaildirMailbox;

struct Options {
  std::size_t messages = 20000;
  std::size_t naive_messages = 0;
  std::size_t batch = 256;
  fs::path dir = ".";
};

// A small message (about 1.2 KiB), different per index, like a typical cc:Mail note.
std::string MessageText(std::size_t i) {
  std::string text =
      "Date: Fri, 09 Apr 1999 09:30:00 +0000\n"
      "From: \"Lee, Jordan [CCMAIL:Lee, Jordan at HQPO]\" "
      "<Lee.Jordan.at.HQPO@ccmail.invalid>\n"
      "Subject: Status report " +
      std::to_string(i) + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n";
  for (int line = 0; line < 16; ++line) {
    text += "Line " + std::to_string(line) + " of message " + std::to_string(i) +
            ": the quick brown fox jumps over the lazy dog.\n";
  }
  return text;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "maildir_delivery_bench: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

double Naive(const fs::path& root, std::size_t n) {
  fs::create_directories(root / "tmp");
  fs::create_directories(root / "cur");
  fs::create_directories(root / "new");
  auto start = Clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    std::string text = MessageText(i);
    std::string name = ccm::importer::MaildirUniqueName("bench:" + std::to_string(i));
    fs::path tmp = root / "tmp" / name;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      Die("open " + tmp.string());
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      Die("write");
    if (::fsync(fd) != 0)
      Die("fsync");
    ::close(fd);
    if (::rename(tmp.c_str(), (root / "cur" / (name + ":2,S")).c_str()) != 0)
      Die("rename");
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Batched(const fs::path& root, std::size_t n, std::size_t batch, BatchSync sync) {
  auto start = Clock::now();
  auto box = MaildirMailbox::Open({root, batch, sync, {}}, "bench-user");
  if (!box) {
    std::fprintf(stderr, "maildir_delivery_bench: %s\n", box.error().message.c_str());
    std::exit(1);
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::string text = MessageText(i);
    auto r = (*box)->Deliver("", "bench:" + std::to_string(i), {.seen = true, .draft = false},
                             std::nullopt,
                             [&](ccm::importer::MessageSink& sink) { return sink.Write(text); });
    if (!r) {
      std::fprintf(stderr, "maildir_delivery_bench: %s\n", r.error().message.c_str());
      std::exit(1);
    }
  }
  if (auto r = (*box)->Flush(); !r) {
    std::fprintf(stderr, "maildir_delivery_bench: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if ((*box)->delivered() != n) {
    std::fprintf(stderr, "maildir_delivery_bench: delivered %llu of %zu\n",
                 static_cast<unsigned long long>((*box)->delivered()), n);
    std::exit(1);
  }
  return seconds;
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "usage: %s [--messages N] [--naive-messages N] [--batch B] [--dir D]\n",
                   argv[0]);
      std::exit(2);
    }
    std::string value = argv[++i];
    if (arg == "--messages") {
      o.messages = std::stoul(value);
    } else if (arg == "--naive-messages") {
      o.naive_messages = std::stoul(value);
    } else if (arg == "--batch") {
      o.batch = std::stoul(value);
    } else if (arg == "--dir") {
      o.dir = value;
    } else {
      std::fprintf(stderr, "unknown option %s\n", arg.c_str());
      std::exit(2);
    }
  }
  if (o.naive_messages == 0)
    o.naive_messages = o.messages;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  std::string pattern = (o.dir / "ccm-bench-maildir.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    Die("mkdtemp in " + o.dir.string());
  fs::path base = pattern;

  double naive = Naive(base / "naive", o.naive_messages);
  double syncfs = Batched(base / "batched-syncfs", o.messages, o.batch, BatchSync::kSyncfs);
  double fdatasync =
      Batched(base / "batched-fdatasync", o.naive_messages, o.batch, BatchSync::kFdatasyncEach);
  fs::remove_all(base);

  double naive_rate = static_cast<double>(o.naive_messages) / naive;
  double syncfs_rate = static_cast<double>(o.messages) / syncfs;
  double fdatasync_rate = static_cast<double>(o.naive_messages) / fdatasync;
  std::printf("naive (write+fsync+rename each): %8zu msgs %8.2f s %10.0f msg/s\n", o.naive_messages,
              naive, naive_rate);
  std::printf("batched syncfs    (batch %5zu):  %8zu msgs %8.2f s %10.0f msg/s  %6.1fx\n", o.batch,
              o.messages, syncfs, syncfs_rate, syncfs_rate / naive_rate);
  std::printf("batched fdatasync (batch %5zu):  %8zu msgs %8.2f s %10.0f msg/s  %6.1fx\n", o.batch,
              o.naive_messages, fdatasync, fdatasync_rate, fdatasync_rate / naive_rate);
  return 0;
}
