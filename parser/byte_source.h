// byte_source.h — read-only random access to the bytes of one file of a set, and the directory
// that holds the set.
//
// ByteSource is the only way the reader touches file contents: ReadAt(offset, buffer) with large
// buffered reads, never a whole-file load. FileSource opens with O_RDONLY|O_NOFOLLOW|O_CLOEXEC
// relative to the set's directory descriptor (openat), then checks with fstat that it opened a
// regular file; a symlink, a device or a directory is refused. Files over 256 KiB get
// POSIX_FADV_SEQUENTIAL (smaller ones are read in one or two reads: the advice would be a wasted
// system call). MemorySource serves tests and the fuzzer from bytes in memory. WindowedSource
// puts a bounded read-ahead window in front of another source.
//
// SetDirectory lists, stats and opens the files of one set directory by bare name. Names with a
// path separator, "." or ".." are refused before any system call; trust is never taken from a
// name. Stat answers a regular file's size without opening it or following a link (so a scan
// checks a whole set's files and size before reading any, and still opens each file once).
// DiskDirectory is the real one, MemoryDirectory the in-memory stand-in.
//
// Errors: a ccm::FileError whose message names the file ("NAME: strerror", "read: strerror",
// "NAME: is a symbolic link; refused") and whose code is the errno of the failed call, 0 for a
// refusal (a link, a device, a name with a separator). The errno lets a caller tell a wait
// (EMFILE, ENFILE, ENOMEM: ccm/io_failure.h) from a set that cannot be read. The scan acts on it
// for opens, stats and listings (diagnostics.h, kUnreadableForNow); a failed read of a file
// already open (EIO and the like, which a wait does not cure) stays an ordinary error.
//
// Thread safety: a ByteSource may be read concurrently (pread has no shared file position);
// a WindowedSource may not. SetDirectory's Stat and Open must be safe to call from several
// threads at once (ScanFileSet's readers do); List is externally synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/file_error.h"
#include "ccm/result.h"

namespace ccm::parser {

/// Read-only random access to one file's bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Size in bytes, fixed when the source was opened.
  virtual std::uint64_t size() const = 0;
  /// Reads up to buffer.size() bytes at `offset`; returns the count (0 at or past the end).
  virtual Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                                std::span<char> buffer) const = 0;
};

/// A file opened without following links; always a regular file.
class FileSource final : public ByteSource {
 public:
  /// Opens `name` inside the directory `dir_fd` (AT_FDCWD for a path).
  static Result<std::unique_ptr<FileSource>, FileError> Open(int dir_fd, const std::string& name);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::uint64_t size() const override { return size_; }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override;

 private:
  FileSource(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  int fd_;
  std::uint64_t size_;
};

/// Bytes held in memory (tests, fuzzer).
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t size() const override { return bytes_.size(); }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override;

 private:
  std::string bytes_;
};

/// A read-ahead window over another source: reads that fall inside the last window are served
/// from memory, so walking a secondary file's headers, probing the line end after each section's
/// data and reading small sections' data cost one read per window rather than three per section.
/// A read the window does not hold refills it from that offset, unless it asks for at least half
/// a window: such a read (a large attachment's chunk) takes what the window holds and reads the
/// rest straight into the caller's buffer, so streaming costs no extra copy and memory stays at
/// one window. The window is never larger than the source and is allocated on first use. Reads
/// return everything asked for up to the end of the source, like FileSource. Unlike other sources
/// it is NOT safe for concurrent reads (the window is shared state).
class WindowedSource final : public ByteSource {
 public:
  WindowedSource(std::unique_ptr<ByteSource> inner, std::size_t window = 16 << 10);
  std::uint64_t size() const override { return inner_->size(); }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override;

 private:
  std::unique_ptr<ByteSource> inner_;
  std::size_t capacity_;     // window bytes: min(window, size)
  std::size_t direct_from_;  // reads of at least this many bytes bypass a refill
  mutable std::unique_ptr<char[]> buffer_;
  mutable std::uint64_t start_ = 0;
  mutable std::size_t filled_ = 0;
};

/// True when `name` is a bare file name: no '/', '\\', NUL, not "." or "..", not empty.
bool IsBareFileName(std::string_view name);

/// The directory that holds a file set.
class SetDirectory {
 public:
  virtual ~SetDirectory() = default;
  /// Display form of the directory, for messages.
  virtual std::string path() const = 0;
  /// Names of the entries in the directory (files only where the type is known).
  virtual Result<std::vector<std::string>, FileError> List() const = 0;
  /// Opens a file by its exact bare name.
  virtual Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const = 0;
  /// The size of a file by its exact bare name, without opening it; refuses what Open refuses
  /// (a link, anything but a regular file) with the same messages.
  virtual Result<std::uint64_t, FileError> Stat(const std::string& name) const = 0;
};

/// A directory on disk, held open by descriptor.
class DiskDirectory final : public SetDirectory {
 public:
  static Result<std::unique_ptr<DiskDirectory>, FileError> OpenPath(const std::string& path);
  ~DiskDirectory() override;
  DiskDirectory(const DiskDirectory&) = delete;
  DiskDirectory& operator=(const DiskDirectory&) = delete;

  std::string path() const override { return path_; }
  Result<std::vector<std::string>, FileError> List() const override;
  Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const override;
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override;
  /// The directory descriptor (valid for the object's life).
  int fd() const { return fd_; }

 private:
  DiskDirectory(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

/// A directory of in-memory files (tests, fuzzer).
class MemoryDirectory final : public SetDirectory {
 public:
  /// Adds or replaces a file.
  void Put(const std::string& name, std::string bytes) { files_[name] = std::move(bytes); }
  std::string path() const override { return "<memory>"; }
  Result<std::vector<std::string>, FileError> List() const override;
  Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const override;
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace ccm::parser
