// random.h — the deterministic pseudo-random source of the synthetic set generator.
//
// The generator must write byte-identical sets for identical options on every machine and
// standard library, so it cannot use <random>'s distributions (their algorithms are
// implementation-defined). This is xoshiro256** seeded through splitmix64, both fully specified
// by their authors; Below() uses a plain modulo, whose tiny bias is irrelevant for test data.
//
// Thread safety: a value type; each user of the generator owns its own Random.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ccm::bench {

/// A fast deterministic random stream: same seed, same sequence, everywhere.
class Random {
 public:
  /// A stream derived from `seed` and `stream` (e.g. the user index), so that a user's content
  /// does not depend on how much randomness earlier users consumed.
  explicit Random(std::uint64_t seed, std::uint64_t stream = 0) {
    std::uint64_t x = seed ^ (stream * 0x9E3779B97F4A7C15ULL + 0xD1B54A32D192ED03ULL);
    for (auto& s : s_)
      s = SplitMix(x);
  }

  /// The next 64 random bits.
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  /// A number in [0, n); 0 when n is 0.
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : Next() % n; }

  /// A number in [lo, hi].
  std::uint64_t Between(std::uint64_t lo, std::uint64_t hi) { return lo + Below(hi - lo + 1); }

  /// True with probability 1/n.
  bool OneIn(std::uint64_t n) { return Below(n) == 0; }

  /// One element of a non-empty list.
  std::string_view Pick(std::span<const std::string_view> list) {
    return list[static_cast<std::size_t>(Below(list.size()))];
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  std::uint64_t s_[4];
};

}  // namespace ccm::bench
