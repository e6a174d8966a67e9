// Helpers shared by the SortedSetValue tests: reading a set back as (score, member) pairs,
// limits, ordered member names, and the packed form's exact accounting.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/zset_value.h"

namespace ember::storage::zset_test {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
using Entries = std::vector<std::pair<double, std::string>>;
using AddResult = SortedSetValue::AddResult;

inline Entries EntriesOf(const SortedSetValue& set) {
  Entries out;
  if (set.Size() == 0) return out;
  set.Visit(0, set.Size() - 1, ZOrder::kAscending, [&](std::string_view member, double score) {
    out.emplace_back(score, std::string(member));
    return true;
  });
  return out;
}

inline std::vector<std::string> MembersOf(const SortedSetValue& set) {
  std::vector<std::string> out;
  for (const auto& [score, member] : EntriesOf(set)) out.push_back(member);
  return out;
}

inline EncodingLimits Limits(int64_t entries, int64_t value) {
  EncodingLimits limits;
  limits.zset_max_listpack_entries = entries;
  limits.zset_max_listpack_value = value;
  return limits;
}

// "m000", "m001", ...: ascending in byte order.
inline std::string Member(int i) {
  std::string digits = std::to_string(i);
  return "m" + std::string(3 - std::min<size_t>(3, digits.size()), '0') + digits;
}

inline const size_t kObjectBytes = ChunkBytes(sizeof(SortedSetValue));

// The packed form's exact accounting: the object and the block.
inline void ExpectPackedAccounting(const SortedSetValue& set) {
  ASSERT_TRUE(set.packed());
  EXPECT_EQ(set.heap_bytes(), kObjectBytes + set.packed_list()->HeapBytes());
}

}  // namespace ember::storage::zset_test
