// output_file.cpp — see output_file.h.
#include "bench/gen/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ccm::bench {
namespace {
constexpr std::size_t kBufferSize = 1 << 20;
}

OutputFile::~OutputFile() {
  if (fd_ >= 0)
    ::close(fd_);
}

Result<void, std::string> OutputFile::Create(const std::filesystem::path& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0)
    return Fail(path.string() + ": cannot create: " + std::strerror(errno));
  buffer_.resize(kBufferSize);
  used_ = 0;
  offset_ = 0;
  error_.clear();
  return {};
}

void OutputFile::Write(std::string_view bytes) {
  offset_ += bytes.size();
  while (!bytes.empty()) {
    if (used_ == buffer_.size())
      Flush();
    const std::size_t n = std::min(bytes.size(), buffer_.size() - used_);
    std::memcpy(buffer_.data() + used_, bytes.data(), n);
    used_ += n;
    bytes.remove_prefix(n);
  }
}

void OutputFile::Flush() {
  std::size_t done = 0;
  while (done < used_ && error_.empty()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, used_ - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      error_ = path_.string() + ": write failed: " + std::strerror(errno);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  used_ = 0;
}

Result<void, std::string> OutputFile::Close() {
  if (fd_ < 0)
    return Fail(path_.string() + ": not open");
  Flush();
  if (::close(fd_) != 0 && error_.empty()) {
    error_ = path_.string() + ": close failed: " + std::strerror(errno);
  }
  fd_ = -1;
  buffer_.clear();
  buffer_.shrink_to_fit();
  if (!error_.empty())
    return Fail(error_);
  return {};
}

}  // namespace ccm::bench
