// block_store.h — byte strings kept side by side in large blocks and released together: for bulk
// data a process holds many of for a while and then drops at once (an import plan's changes and
// prior entries).
//
// Held as separate allocations, such strings are interleaved in the heap with data that lives on;
// once freed they leave holes the allocator cannot give back, and the process stays as large as
// it was. Kept in blocks, they occupy whole pages of their own, and releasing the store returns
// those pages.
//
// KeptText is text that starts as its own string and can move into a store; it then holds a share
// of the store, so the bytes live as long as any copy of the text does, and the store's blocks go
// when the last text kept in them does.
//
// Thread safety: BlockStore::Keep may be called from several threads; a KeptText is a plain value.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ccm {

class BlockStore {
 public:
  /// Blocks of `block_bytes`; a string longer than that gets a block of its own.
  explicit BlockStore(std::size_t block_bytes = std::size_t{1} << 20) : block_bytes_(block_bytes) {}
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  /// A copy of `bytes` that lives as long as the store.
  std::string_view Keep(std::string_view bytes);

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_bytes_;
  char* free_ = nullptr;  // the unused rest of the last block
  std::size_t free_bytes_ = 0;
};

class KeptText {
 public:
  KeptText() = default;
  /// Implicit, so that a function computing the text can assign it as it is.
  KeptText(std::string text) : owned_(std::move(text)) {}

  /// The text, wherever it is held.
  std::string_view view() const { return kept_.data() != nullptr ? kept_ : owned_; }
  bool empty() const { return view().empty(); }
  /// Moves the text into `store` and frees its own string.
  void MoveInto(const std::shared_ptr<BlockStore>& store) {
    if (owned_.empty())
      return;
    kept_ = store->Keep(owned_);
    store_ = store;
    std::string().swap(owned_);
  }

  bool operator==(const KeptText& other) const { return view() == other.view(); }

 private:
  std::string owned_;
  std::string_view kept_;
  std::shared_ptr<const BlockStore> store_;  // what keeps kept_ alive
};

}  // namespace ccm
