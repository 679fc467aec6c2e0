// content_source.h — the byte streams of mail delivery: a ContentSource is pulled for a part's
// bytes (a body, a multi-GiB attachment) and a MessageSink receives a composed message, so a
// message of any size moves through in constant memory. Plus the mail side's error value, which
// keeps the errno of a failed system call so that callers can tell a wait from a full or
// refusing store (ccm/io_failure.h).
//
// Thread safety: implementations are single-owner objects; externally synchronized.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "ccm/io_failure.h"
#include "ccm/result.h"

namespace ccm::importer {

/// Why a message could not be read, composed or delivered; names the mailbox, folder or part.
struct MailError {
  std::string message;
  int code = 0;  ///< errno of the failed system call; 0 when none failed (a refused name...)

  /// Whether a later retry can succeed (ccm/io_failure.h); without an errno, persistent.
  IoFailure failure() const { return IoFailureOf(code); }
};

/// A pull-style source of one part's bytes.
class ContentSource {
 public:
  virtual ~ContentSource() = default;
  /// Fills up to buffer.size() bytes; returns how many, 0 only at the end of the content.
  virtual Result<std::size_t, MailError> Read(std::span<char> buffer) = 0;
};

/// Where composed message bytes go.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  /// Takes all of `bytes` or fails.
  virtual Result<void, MailError> Write(std::string_view bytes) = 0;
};

/// A source over bytes the caller keeps alive (short bodies, tests).
class StringSource : public ContentSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<std::size_t, MailError> Read(std::span<char> buffer) override;

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

/// A sink that collects everything in memory (tests, small messages).
class StringSink : public MessageSink {
 public:
  Result<void, MailError> Write(std::string_view bytes) override {
    text_.append(bytes);
    return {};
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace ccm::importer
