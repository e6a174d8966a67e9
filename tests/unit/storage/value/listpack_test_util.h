// Helpers for the Listpack tests: building expected blobs by hand and reading a listpack
// back as text.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "storage/value/compact_string.h"
#include "storage/value/listpack.h"

namespace ember::storage::lptest {

// Bytes from a list of byte values, e.g. Hex({0x81, 'a', 0x02}).
inline std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// A whole listpack blob around `entries` (each already encoded with its backlen).
inline std::string Blob(const std::string& entries, uint32_t count) {
  const auto total = static_cast<uint32_t>(6 + entries.size() + 1);
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((total >> (8 * i)) & 0xff));
  out.push_back(static_cast<char>(count & 0xff));
  out.push_back(static_cast<char>(count >> 8));
  return out + entries + "\xff";
}

// Every entry as text, walking forward.
inline std::vector<std::string> Forward(const Listpack& lp) {
  std::vector<std::string> out;
  NumberBuffer scratch;
  for (size_t at = lp.First(); at != Listpack::kNoEntry; at = lp.Next(at)) {
    out.emplace_back(lp.Get(at).View(scratch));
  }
  return out;
}

// Every entry as text, walking backward, returned in forward order.
inline std::vector<std::string> Backward(const Listpack& lp) {
  std::vector<std::string> out;
  NumberBuffer scratch;
  for (size_t at = lp.Last(); at != Listpack::kNoEntry; at = lp.Prev(at)) {
    out.insert(out.begin(), std::string(lp.Get(at).View(scratch)));
  }
  return out;
}

}  // namespace ember::storage::lptest
