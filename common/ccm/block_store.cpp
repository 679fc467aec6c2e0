// block_store.cpp — see block_store.h.
#include "ccm/block_store.h"

#include <cstring>

namespace ccm {

std::string_view BlockStore::Keep(std::string_view bytes) {
  if (bytes.empty())
    return std::string_view("", 0);
  std::lock_guard lock(mutex_);
  if (bytes.size() > free_bytes_) {
    const std::size_t size = std::max(bytes.size(), block_bytes_);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    free_ = blocks_.back().get();
    free_bytes_ = size;
  }
  char* at = free_;
  std::memcpy(at, bytes.data(), bytes.size());
  free_ += bytes.size();
  free_bytes_ -= bytes.size();
  return std::string_view(at, bytes.size());
}

}  // namespace ccm
