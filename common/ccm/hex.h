// hex.h — bytes as lower-case hexadecimal text, two digits a byte: the one spelling of digests,
// message identities and keys in names, journals and reports.
//
// Thread safety: a pure function.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ccm {

/// `bytes` as lower-case hex ("0a1b…"), 2 × bytes.size() characters.
inline std::string LowerHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace ccm
