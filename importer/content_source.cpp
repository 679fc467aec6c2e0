// content_source.cpp — the in-memory ContentSource; see content_source.h.
#include "importer/content_source.h"

#include <algorithm>
#include <cstring>

namespace ccm::importer {

Result<std::size_t, MailError> StringSource::Read(std::span<char> buffer) {
  std::size_t n = std::min(buffer.size(), bytes_.size() - pos_);
  std::memcpy(buffer.data(), bytes_.data() + pos_, n);
  pos_ += n;
  return n;
}

}  // namespace ccm::importer
