// Helpers shared by the ZSetIndex tests: a reference model (an ordered map plus a hash map)
// and a full comparison of an index against it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/zset_index.h"

namespace ember::storage {

// The obviously correct sorted set. std::pair's < orders (score, member) as Redis does:
// doubles by <, so -0.0 and 0.0 are one key; strings by unsigned byte, then length.
class ZSetModel {
 public:
  bool Contains(const std::string& member) const { return scores_.count(member) != 0; }
  double ScoreOf(const std::string& member) const { return scores_.at(member); }
  size_t size() const { return scores_.size(); }

  void Set(const std::string& member, double score) {
    Erase(member);
    scores_[member] = score;
    order_.emplace(std::make_pair(score, member), 0);
  }
  void Erase(const std::string& member) {
    auto it = scores_.find(member);
    if (it == scores_.end()) return;
    order_.erase({it->second, member});
    scores_.erase(it);
  }
  // Requires: size() > 0.
  std::pair<double, std::string> Front() const { return order_.begin()->first; }
  std::pair<double, std::string> Back() const { return order_.rbegin()->first; }
  // The members at ranks start..stop. Requires: start <= stop < size().
  std::vector<std::string> MembersInRanks(size_t start, size_t stop) const {
    std::vector<std::string> members;
    auto it = std::next(order_.begin(), static_cast<std::ptrdiff_t>(start));
    for (size_t k = start; k <= stop; ++k, ++it) members.push_back(it->first.second);
    return members;
  }
  std::vector<std::pair<double, std::string>> Sorted() const {
    std::vector<std::pair<double, std::string>> sorted;
    for (const auto& [key, unused] : order_) sorted.push_back(key);
    return sorted;
  }
  // Chunks the index's nodes must account for these members.
  size_t NodeBytes() const {
    size_t bytes = 0;
    for (const auto& [member, unused] : scores_) bytes += ChunkBytes(ZSetNodeRequest(member));
    return bytes;
  }

 private:
  std::map<std::pair<double, std::string>, char> order_;
  std::unordered_map<std::string, double> scores_;
};

inline std::vector<std::pair<double, std::string>> Entries(const ZSetIndex& index) {
  std::vector<std::pair<double, std::string>> entries;
  if (index.Size() == 0) return entries;
  index.Visit(0, index.Size() - 1, ZOrder::kAscending, [&](std::string_view member, double score) {
    entries.emplace_back(score, std::string(member));
    return true;
  });
  return entries;
}

// Compares everything that does not need a bound: order, ranks, scores, accounting.
inline void ExpectMatchesModel(const ZSetIndex& index, const ZSetModel& model) {
  ASSERT_EQ(index.CheckInvariants(), "");
  ASSERT_EQ(index.Size(), model.size());
  const auto sorted = model.Sorted();
  ASSERT_EQ(Entries(index), sorted);
  EXPECT_EQ(index.node_bytes(), model.NodeBytes());
  for (size_t rank = 0; rank < sorted.size(); ++rank) {
    const auto& [score, member] = sorted[rank];
    ASSERT_EQ(index.Rank(member), rank) << member;
    ASSERT_EQ(index.Find(member), score) << member;
    const ZSetEntry entry = index.AtRank(rank);
    ASSERT_EQ(entry.member, member);
    ASSERT_EQ(entry.score, score);
  }
}

// The model's answer to ScoreRange.
inline ZRankRange ModelScoreRange(const std::vector<std::pair<double, std::string>>& sorted,
                                  ZScoreBound min, ZScoreBound max) {
  size_t first = 0;
  while (first < sorted.size() &&
         (min.exclusive ? sorted[first].first <= min.value : sorted[first].first < min.value)) {
    ++first;
  }
  size_t end = first;
  while (end < sorted.size() &&
         (max.exclusive ? sorted[end].first < max.value : sorted[end].first <= max.value)) {
    ++end;
  }
  return {first, end};
}

}  // namespace ember::storage
