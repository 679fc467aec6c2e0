// chain_overlap_index.cpp — merged disjoint chain intervals (see chain_overlap_index.h).
//
// Insert finds the intervals the new chain touches or overlaps (at most the one before it plus
// those starting up to its end), folds them and the chain into one interval, and reuses the
// first one's map node, so appending chain after chain to a file allocates nothing.
#include "parser/chain_overlap_index.h"

#include <iterator>

namespace ccm::parser {

namespace {

// Names the chain of `run` (first/last remembered) that `chain` overlaps, as the old sorted
// check did: the chain starting at or before chain.begin if known, else the one after it.
ChainOverlap Describe(const IndexedChain& first, const IndexedChain& last,
                      const IndexedChain& chain) {
  ChainOverlap overlap;
  const IndexedChain* partner = nullptr;
  if (last.begin <= chain.begin) {
    partner = &last;  // chain.begin < last.end, since the run overlaps the chain
  } else if (chain.begin < first.end) {
    partner = &first;
  }
  if (partner == nullptr) {
    overlap.earlier = first;
    overlap.later = chain;
    overlap.partner_known = false;
    overlap.offset = chain.begin;
    return overlap;
  }
  if (partner->begin <= chain.begin) {
    overlap.earlier = *partner;
    overlap.later = chain;
  } else {
    overlap.earlier = chain;
    overlap.later = *partner;
  }
  overlap.same_begin = partner->begin == chain.begin;
  overlap.offset = overlap.later.begin;
  return overlap;
}

}  // namespace

std::optional<ChainOverlap> ChainOverlapIndex::Insert(const IndexedChain& chain) {
  auto it = intervals_.upper_bound(chain.begin);
  if (it != intervals_.begin()) {
    auto before = std::prev(it);
    if (before->second.end >= chain.begin)
      it = before;  // touches or overlaps the new chain
  }
  if (it == intervals_.end() || it->first > chain.end) {
    intervals_.emplace(chain.begin, Interval{chain.end, chain, chain});
    return std::nullopt;
  }
  std::optional<ChainOverlap> overlap;
  IndexedChain first = chain;
  IndexedChain last = chain;
  auto fold = [&](std::uint64_t begin, const Interval& run) {
    if (!overlap && begin < chain.end && run.end > chain.begin)
      overlap = Describe(run.first, run.last, chain);
    if (run.first.begin <= first.begin)
      first = run.first;  // an indexed chain wins a tie
    if (run.end >= last.end)
      last = run.last;
  };
  auto node = intervals_.extract(it++);
  fold(node.key(), node.mapped());
  while (it != intervals_.end() && it->first <= chain.end) {
    fold(it->first, it->second);
    it = intervals_.erase(it);
  }
  node.key() = first.begin;
  node.mapped() = Interval{last.end, first, last};
  intervals_.insert(std::move(node));
  return overlap;
}

}  // namespace ccm::parser
