// ZSetIndex: the large form of a sorted set (what Redis keeps as skiplist + dict, past
// zset-max-listpack-entries): distinct binary-safe members, each with a double score,
// ordered by (score, member) with equal scores ordered by the member's bytes.
//
// Layout, chosen for memory per member (Redis 7.0 pays ~100-115 bytes at 16-byte members):
//   - each member is one heap node holding its score and bytes, no length field and no
//     link (zset_node.h): 32 bytes of chunk at 16-byte members;
//   - ZSetMemberMap (zset_member_map.h), an open-addressed table of node pointers, finds a
//     member's node in O(1) (ZSCORE, ZADD's update): 8.4-17 bytes per member, depending on
//     where the count falls between two powers of two;
//   - ZSetTree (zset_tree.h), an order-statistic B+-tree of node pointers, gives rank,
//     select-by-rank and bound searches in O(log n): ~10-13 bytes per member.
// Dragonfly pairs a B+-tree with its DenseSet the same way; its chained hash set would cost
// a link per member here (glibc's 32-byte minimum chunk), so the map is open-addressed.
//
// Operations, n = Size(): Insert, Add, Update, Erase O(log n); Find O(1); Rank, AtRank,
// ScoreRange, LexRange O(log n); Visit O(log n + visited); EraseRankRange O(k log n) for k
// removed; Clone O(n log n); destruction O(n).
//
// Scores are never NaN (callers reject it); -inf and +inf are ordinary scores; -0.0 and
// 0.0 compare equal, so updating one to the other changes nothing (as Redis's zsetAdd).
//
// Memory: heap_bytes() is O(1) and exact in malloc chunks (chunk_bytes.h): nodes, the map's
// arrays and the tree's nodes; not this object itself, which its owner counts.
// Ownership: owns every node. Views (member string_views) are valid until the next change.
// Not thread-safe: used by the engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/value/zset_member_map.h"
#include "storage/value/zset_tree.h"

namespace ember::storage {

// A member and its score; the member is a view into the index.
struct ZSetEntry {
  std::string_view member;
  double score;
};

// A score bound as ZRANGEBYSCORE takes it: `value`, or "(value" when exclusive.
struct ZScoreBound {
  double value;
  bool exclusive = false;
};

// A member bound as ZRANGEBYLEX takes it: "-", "+", "[member" or "(member".
struct ZLexBound {
  enum class Kind : uint8_t { kMinusInfinity, kPlusInfinity, kInclusive, kExclusive };
  Kind kind;
  std::string_view member;  // for kInclusive and kExclusive
};

// Ranks [first, end), ascending; empty when first == end.
struct ZRankRange {
  size_t first;
  size_t end;
  size_t count() const { return end - first; }
};

enum class ZOrder : uint8_t { kAscending, kDescending };

class ZSetIndex {
 public:
  enum class AddResult : uint8_t { kAdded, kUpdated, kUnchanged };

  ZSetIndex() = default;
  ZSetIndex(const ZSetIndex&) = delete;
  ZSetIndex& operator=(const ZSetIndex&) = delete;
  // Frees every node, in O(n).
  ~ZSetIndex();

  // A deep copy: same members and scores, its own nodes.
  std::unique_ptr<ZSetIndex> Clone() const;

  size_t Size() const { return tree_.size(); }
  // Heap bytes owned, in malloc chunks. O(1).
  size_t heap_bytes() const { return node_bytes_ + map_.heap_bytes() + tree_.heap_bytes(); }

  // Adds `member` with `score`; false (and no change) when the member exists.
  // Requires: score is not NaN.
  bool Insert(std::string_view member, double score);
  // Adds `member`, or sets its score when it exists. Requires: score is not NaN.
  AddResult Add(std::string_view member, double score);
  // Sets the score of an existing member; false when absent. A score equal to the current
  // one (== as doubles) changes nothing. Requires: score is not NaN.
  bool Update(std::string_view member, double score);
  // Removes `member`; false when absent.
  bool Erase(std::string_view member);
  // Removes ascending ranks start..stop (inclusive) and returns how many. Requires:
  // start <= stop < Size().
  size_t EraseRankRange(size_t start, size_t stop);
  // Removes and returns the lowest or highest entry (its member copied), nullopt when empty.
  std::optional<std::pair<std::string, double>> PopMin();
  std::optional<std::pair<std::string, double>> PopMax();

  std::optional<double> Find(std::string_view member) const;
  // The member's 0-based ascending rank, nullopt when absent.
  std::optional<size_t> Rank(std::string_view member) const;
  // The entry at ascending `rank`. Requires: rank < Size().
  ZSetEntry AtRank(size_t rank) const;

  // Calls fn(member, score) for ascending ranks start..stop (inclusive), from start up
  // (kAscending) or from stop down (kDescending), until fn returns false.
  // Requires: start <= stop < Size(); fn does not change the index.
  template <typename Fn>
  void Visit(size_t start, size_t stop, ZOrder order, Fn&& fn) const;

  // ZSCAN: calls fn(member, score) for the members of one step of the member map's scan
  // (ZSetMemberMap::Scan) and returns the next cursor, 0 when the scan is complete.
  uint64_t Scan(uint64_t cursor, const std::function<void(std::string_view, double)>& fn) const;

  // The ranks whose scores lie within [min, max] (bounds possibly exclusive): ZCOUNT's
  // count, ZRANGEBYSCORE's slice. Empty when the interval is.
  ZRankRange ScoreRange(ZScoreBound min, ZScoreBound max) const;
  // The ranks whose members lie within [min, max] in byte order. Requires: every score is
  // equal (as ZRANGEBYLEX); otherwise the result is unspecified.
  ZRankRange LexRange(ZLexBound min, ZLexBound max) const;

  // Chunks of the member nodes alone (the rest of heap_bytes() is the map and the tree).
  size_t node_bytes() const { return node_bytes_; }
  // The order tree's inner levels; for tests that must reach a given depth.
  int tree_height() const { return tree_.height(); }
  // "" when the map and the tree hold the same nodes, both are internally consistent and
  // the accounting matches a recount; else what is wrong. O(n); for tests.
  std::string CheckInvariants() const;

 private:
  // Frees a node already unlinked from both the map and the tree.
  void FreeNode(ZSetNode* node);
  std::pair<std::string, double> PopAt(size_t rank);

  ZSetMemberMap map_;
  ZSetTree tree_;
  size_t node_bytes_ = 0;
};

template <typename Fn>
void ZSetIndex::Visit(size_t start, size_t stop, ZOrder order, Fn&& fn) const {
  size_t remaining = stop - start + 1;
  ZSetTree::Position at = tree_.Locate(order == ZOrder::kAscending ? start : stop);
  while (remaining-- > 0) {
    const ZSetNode* node = ZSetTree::EntryAt(at);
    if (!fn(MemberOf(node), ScoreOf(node))) return;
    at = order == ZOrder::kAscending ? ZSetTree::Next(at) : ZSetTree::Prev(at);
  }
}

}  // namespace ember::storage
