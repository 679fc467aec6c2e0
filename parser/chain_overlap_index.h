// chain_overlap_index.h — the "no two chains share a byte range" check on message chains, in memory
// that does not grow with the number of chains of a well-formed set.
//
// Per secondary file the scan inserts each framed chain ([begin, end) plus the pointer that
// framed it). The index keeps only merged disjoint intervals: a chain that touches or overlaps
// an interval is merged into it, so an extractor-written file, whose chains lie back to back,
// costs one interval however many messages it holds. Memory is O(gaps between chains).
//
// For diagnostics each interval remembers its first chain (lowest begin) and its last chain
// (the one ending at the interval's end) with their pointers. An overlap with either is named
// exactly ("pointers at A and B", as the old sort-based check did). When a new chain lands
// inside an interval but overlaps neither remembered chain, the partner is one of the chains in
// between, which are no longer known: the overlap is then reported with the interval's first
// pointer as an anchor (partner_known = false), never with a wrong partner.
//
// Thread safety: externally synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

namespace ccm::parser {

/// One framed chain and the pointer that framed it.
struct IndexedChain {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;      ///< exclusive; end > begin
  std::uint32_t primary = 0;  ///< the pointer's primary file (caller's index)
  std::uint64_t line = 0;     ///< the pointer's line in it
};

/// An overlap found when a chain was inserted.
struct ChainOverlap {
  IndexedChain earlier;  ///< the chain with the lower begin (on a tie: the one already indexed)
  IndexedChain later;    ///< the other one
  bool partner_known = true;  ///< false: `earlier` is only the first chain of the run hit
  bool same_begin = false;    ///< both chains start at the same offset (same section)
  std::uint64_t offset = 0;   ///< where to report: later.begin (the new chain's when unknown)
};

/// Merged disjoint chain intervals of one secondary file.
class ChainOverlapIndex {
 public:
  /// Adds `chain`; returns the overlap it creates with chains already indexed, if any. The chain
  /// is merged in either way, so one bad pointer is reported once.
  std::optional<ChainOverlap> Insert(const IndexedChain& chain);

  /// Test hook: how many disjoint intervals are kept.
  std::size_t TEST_interval_count() const { return intervals_.size(); }

 private:
  struct Interval {
    std::uint64_t end = 0;
    IndexedChain first;  // begin == the interval's begin
    IndexedChain last;   // end == the interval's end
  };
  std::map<std::uint64_t, Interval> intervals_;  // by begin
};

}  // namespace ccm::parser
