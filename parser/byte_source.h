// byte_source.h — read-only random access to the bytes of one file of a set, and the directory
// that holds the set.
//
// ByteSource is the only way the reader touches file contents: ReadAt(offset, buffer) with large
// buffered reads, never a whole-file load. FileSource opens with O_RDONLY|O_NOFOLLOW|O_NONBLOCK|
// O_CLOEXEC relative to the set's directory descriptor (openat), then checks with fstat that it
// opened a regular file with one link; a symlink, a FIFO, a device, a directory or a hard link is
// refused with a message that says which. Files over 256 KiB get POSIX_FADV_SEQUENTIAL (smaller
// ones are read in one or two reads: the advice would be a wasted system call). MemorySource
// serves tests and the fuzzer from bytes in memory. WindowedSource puts a bounded read-ahead
// window in front of another source.
//
// SetDirectory lists, stats and opens the files of one set directory by bare name. Names with a
// path separator, "." or ".." are refused before any system call; trust is never taken from a
// name. Stat answers a regular file's size without opening it or following a link (so a scan
// checks a whole set's files and size before reading any). DiskDirectory is the real one,
// MemoryDirectory the in-memory stand-in.
//
// One file, one check, one content per job. A job (a check, an import, a fix) holds one
// DiskDirectory and opens names through it many times: the scan, each mailbox's reader, the
// address collection. The first Open of a name opens and checks the file; every later Open of that
// name reads the same open file, so a name renamed, replaced by a FIFO or a link, or removed after
// the first Open changes nothing the job reads. The packing list's owner binds the rest: once
// OpenPackingList has opened it, any file of another owner is refused ("belongs to uid N, the
// packing list to uid M"), as the drop service checks before it claims a set.
//
// Descriptor budget: a packing list may list 65,536 files and several sets may be in flight, so
// the files kept open are bounded. All DiskDirectories of a process share a pool of
// SetFileDescriptorPool() descriptors (a quarter of the soft RLIMIT_NOFILE, leaving the rest to
// delivery's open mailboxes), and a directory may also be given its own cap. A name first
// opened when the pool is spent is closed when its reader drops it; a later Open re-opens it by
// name and must prove it is the file first opened (same device, inode, size, modification time
// and owner) or fails with "changed since it was checked": it never reads different bytes under
// the same name. Limit: neither path guards against a writer that modifies the file in
// place through a descriptor opened before the claim within one timestamp tick; the claim takes
// operators' write access to the spool's active/ away, and a hard-linked file is refused.
//
// Errors: a ccm::FileError whose message names the file ("NAME: strerror", "read: strerror",
// "NAME: is a symbolic link; refused") and whose code is the errno of the failed call, 0 for a
// refusal (a link, a device, a name with a separator). The errno lets a caller tell a wait
// (EMFILE, ENFILE, ENOMEM: ccm/io_failure.h) from a set that cannot be read. The scan acts on it
// for opens, stats and listings (diagnostics.h, kUnreadableForNow); a failed read of a file
// already open (EIO and the like, which a wait does not cure) stays an ordinary error.
//
// Thread safety: a ByteSource may be read concurrently (pread has no shared file position);
// a WindowedSource may not. SetDirectory's Stat, Open and OpenPackingList are safe to call from
// several threads at once (ScanFileSet's readers and delivery's workers do; DiskDirectory guards
// its table of opened files with a mutex); List is externally synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// What tells one opened file from another under the same name.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0;  // st_mtim in nanoseconds since the epoch
  std::uint32_t owner = 0;       // st_uid

  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

/// A file opened without following links; always a regular file with one link.
class FileSource final : public ByteSource {
 public:
  /// Opens `name` inside the directory `dir_fd` (AT_FDCWD for a path).
  static Result<std::unique_ptr<FileSource>, FileError> Open(int dir_fd, const std::string& name);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::uint64_t size() const override { return identity_.size; }
  Result<std::size_t, FileError> ReadAt(std::uint64_t offset,
                                        std::span<char> buffer) const override;
  /// The opened file's identity, from fstat at open.
  const FileIdentity& identity() const { return identity_; }

 private:
  FileSource(int fd, const FileIdentity& identity) : fd_(fd), identity_(identity) {}
  int fd_;
  FileIdentity identity_;
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
  /// Opens a file by its exact bare name. The error's message starts with the name.
  virtual Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const = 0;
  /// Opens the set's packing list as Open does; its owner becomes the owner every other file
  /// opened through the directory must have (where files have owners).
  virtual Result<std::unique_ptr<ByteSource>, FileError> OpenPackingList(
      const std::string& name) const {
    return Open(name);
  }
  /// The size of a file by its exact bare name, without opening it; refuses what Open refuses
  /// (a link, anything but a regular file) with the same messages.
  virtual Result<std::uint64_t, FileError> Stat(const std::string& name) const = 0;
};

/// Descriptors that all DiskDirectories of the process may keep open together: a quarter of the
/// soft RLIMIT_NOFILE when first asked (at least 16). Delivery leaves them out of its share.
std::size_t SetFileDescriptorPool();

/// A directory on disk, held open by descriptor. Each name is opened and checked once; later
/// Opens of the name share that descriptor while the pool allows, and past it re-open by name and
/// prove the file is unchanged (see the top of this file).
class DiskDirectory final : public SetDirectory {
 public:
  static constexpr std::size_t kNoOwnCap = static_cast<std::size_t>(-1);
  /// Opens the directory; `max_kept_open` caps the descriptors this directory keeps open, within
  /// the process's pool.
  static Result<std::unique_ptr<DiskDirectory>, FileError> OpenPath(
      const std::string& path, std::size_t max_kept_open = kNoOwnCap);
  ~DiskDirectory() override;
  DiskDirectory(const DiskDirectory&) = delete;
  DiskDirectory& operator=(const DiskDirectory&) = delete;

  std::string path() const override { return path_; }
  Result<std::vector<std::string>, FileError> List() const override;
  Result<std::unique_ptr<ByteSource>, FileError> Open(const std::string& name) const override;
  Result<std::unique_ptr<ByteSource>, FileError> OpenPackingList(
      const std::string& name) const override;
  /// The size of the file; for a name already opened, the opened file's size.
  Result<std::uint64_t, FileError> Stat(const std::string& name) const override;
  /// The directory descriptor (valid for the object's life).
  int fd() const { return fd_; }

 private:
  // A name's first open: what it was, and its descriptor while it is kept (null past the cap).
  struct Opened {
    FileIdentity identity;
    std::shared_ptr<const FileSource> file;
  };

  DiskDirectory(int fd, std::string path, std::size_t max_kept_open)
      : fd_(fd), path_(std::move(path)), max_kept_open_(max_kept_open) {}
  Result<std::unique_ptr<ByteSource>, FileError> OpenChecked(const std::string& name,
                                                             bool packing_list) const;

  // Set once at construction.
  int fd_;
  std::string path_;
  std::size_t max_kept_open_;
  // Guarded by mutex_.
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, Opened> opened_;
  mutable std::size_t kept_open_ = 0;
  mutable std::optional<std::uint32_t> owner_;
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
