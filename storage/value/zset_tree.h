// ZSetTree: the order of a large sorted set (zset_index.h), an order-statistic B+-tree of
// ZSetNode pointers ordered by (score, member) (zset_node.h).
//
// Why a B+-tree of pointers rather than Redis's skiplist: a skiplist node pays a backward
// pointer and on average 1.33 levels of (forward pointer, span) per member, 40+ bytes; a
// leaf here pays one 8-byte pointer per member plus its share of the 24-byte leaf header.
// Inner nodes keep each child's element count, so rank, select-by-rank and range counts
// are O(log n); they also keep each child's first node and its score, so a descent by score
// reads no member bytes until scores tie.
//
// Fill: memory per member is the point, so insertion into a full node first evens it with a
// neighbour that has room, and only when both neighbours are full splits two nodes into
// three (B*-tree style; the first and last children split unevenly instead, for sorted
// runs of inserts); an erase first tops up a child at the minimum by borrowing from or
// merging with a neighbour. Every node but the root holds at least a third of its capacity;
// random inserts leave leaves about 80% full. Leaves are doubly linked for range walks.
//
// Ownership: the tree allocates and frees its own leaves and inner nodes (counted in
// heap_bytes(), in malloc chunks); it never frees a ZSetNode. Not thread-safe. A
// position or visit is valid until the next Insert or Erase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/value/zset_node.h"

namespace ember::storage {

class ZSetTree {
 public:
  // A leaf is 512 bytes of chunk, an inner node about 1 KB: a leaf's search touches few
  // cache lines, and inner nodes are rare enough (1 per ~1,500 members) not to matter.
  static constexpr size_t kLeafCapacity = 60;
  static constexpr size_t kInnerCapacity = 31;

  struct Leaf {
    Leaf* prev;
    Leaf* next;
    uint32_t count;
    ZSetNode* entries[kLeafCapacity];
  };

  // Declared here for the implementation files' helpers; defined below.
  struct Inner;

  // A leaf and an index into it; leaf is nullptr past either end.
  struct Position {
    Leaf* leaf = nullptr;
    size_t index = 0;
  };

  ZSetTree() = default;
  ZSetTree(const ZSetTree&) = delete;
  ZSetTree& operator=(const ZSetTree&) = delete;
  ZSetTree(ZSetTree&& other) noexcept;
  ZSetTree& operator=(ZSetTree&& other) noexcept;
  // Frees the tree's own nodes (not the ZSetNodes).
  ~ZSetTree();

  size_t size() const { return size_; }
  // Levels of inner nodes above the leaves (0: the root is a leaf).
  int height() const { return height_; }
  // Chunks of the leaves and inner nodes. O(1).
  size_t heap_bytes() const { return heap_bytes_; }

  // Links `node`. Requires: no linked node has its (score, member).
  void Insert(ZSetNode* node);
  // Unlinks and returns the node with this (score, member). Requires: it is linked.
  ZSetNode* Erase(double score, std::string_view member);
  // Unlinks and returns the node at 0-based `rank`. Requires: rank < size().
  ZSetNode* EraseAt(size_t rank);
  // Unlinks every node, calling release(node) on each in order, and frees the tree's nodes.
  template <typename Fn>
  void Clear(Fn&& release);

  // The node at `rank`. Requires: rank < size().
  ZSetNode* At(size_t rank) const { return EntryAt(Locate(rank)); }
  // Where `rank` is. Requires: rank < size().
  Position Locate(size_t rank) const;
  // The number of leading nodes for which pred(score, node) holds. Requires: pred holds for
  // a prefix of the order and fails for the rest (a lower bound of some kind).
  template <typename Pred>
  size_t CountPrefix(Pred&& pred) const;

  static ZSetNode* EntryAt(Position position) { return position.leaf->entries[position.index]; }
  // The next or previous position; leaf is nullptr past the end.
  static Position Next(Position position);
  static Position Prev(Position position);

  // "" when counts, cached firsts, order, fill, leaf links and heap_bytes() agree with the
  // structure, else what is wrong. O(n); for tests.
  std::string CheckInvariants() const;

 private:
  static constexpr size_t kLeafMinimum = kLeafCapacity / 3;
  static constexpr size_t kInnerMinimum = kInnerCapacity / 3;
  // Deepest supported tree; far above what 2^64 members need at these fanouts.
  static constexpr int kMaxHeight = 24;

  struct PathStep {
    Inner* inner;
    size_t index;
  };

  static size_t ChildCount(const void* child, int level);
  static size_t ChildCapacity(int level);
  static size_t ChildMinimum(int level);
  static ZSetNode* ChildFirst(const void* child, int level);
  // The child of `inner` whose range holds the key.
  static size_t ChildForKey(const Inner* inner, double score, std::string_view member);
  static size_t LeafLowerBound(const Leaf* leaf, double score, std::string_view member);
  static void RefreshFirst(Inner* inner, size_t index, int level);
  // Refreshes the cached first of each step's child, bottom up.
  void RefreshFirsts(const PathStep* path, int steps) const;

  // Insert and erase rebalancing of the children of `inner` at `level - 1`.
  void MakeRoom(Inner* inner, size_t index, int level);
  void FixMinimum(Inner* inner, size_t index, int level);
  void InsertEmptyChild(Inner* inner, size_t at, int level);
  void RemoveChild(Inner* inner, size_t at, int level);
  static void MoveTail(Inner* inner, size_t left, size_t count, int level);
  static void MoveHead(Inner* inner, size_t left, size_t count, int level);
  static void Even(Inner* inner, size_t left, int level);
  void SplitTwoIntoThree(Inner* inner, size_t left, int level);
  void GrowRoot();
  void ShrinkRoot();
  // Descends to a leaf through the children choose(inner) names, topping up each child at
  // the minimum first; on_descend(inner, index) sees the final choice at each level.
  template <typename Choose, typename OnDescend>
  Leaf* DescendForErase(Choose&& choose, OnDescend&& on_descend, PathStep* path, int* steps);
  ZSetNode* RemoveFromLeaf(Leaf* leaf, size_t at, const PathStep* path, int steps);

  Leaf* NewLeaf();
  Inner* NewInner();
  void FreeLeaf(Leaf* leaf);
  void FreeInner(Inner* inner);
  void FreeSubtree(void* node, int level);

  std::string CheckSubtree(const void* node, int level, bool is_root, size_t* count, size_t* leaves,
                           size_t* inners, const Leaf** last_leaf) const;

  void* root_ = nullptr;
  int height_ = 0;  // 0: the root is a leaf
  size_t size_ = 0;
  size_t heap_bytes_ = 0;
};

struct ZSetTree::Inner {
  uint32_t count;
  void* children[kInnerCapacity];
  uint64_t counts[kInnerCapacity];
  ZSetNode* firsts[kInnerCapacity];
  double first_scores[kInnerCapacity];
};

template <typename Fn>
void ZSetTree::Clear(Fn&& release) {
  if (root_ == nullptr) return;
  const void* node = root_;
  for (int level = height_; level > 0; --level) {
    node = static_cast<const Inner*>(node)->children[0];
  }
  for (auto* leaf = static_cast<const Leaf*>(node); leaf != nullptr; leaf = leaf->next) {
    for (size_t i = 0; i < leaf->count; ++i) release(leaf->entries[i]);
  }
  FreeSubtree(root_, height_);
  root_ = nullptr;
  height_ = 0;
  size_ = 0;
}

template <typename Pred>
size_t ZSetTree::CountPrefix(Pred&& pred) const {
  if (size_ == 0) return 0;
  size_t before = 0;
  const void* node = root_;
  for (int level = height_; level > 0; --level) {
    const auto* inner = static_cast<const Inner*>(node);
    // Children whose first node satisfies pred form a prefix; the boundary lies in the last.
    size_t low = 0;
    size_t high = inner->count;
    while (low < high) {
      const size_t mid = (low + high) / 2;
      if (pred(inner->first_scores[mid], inner->firsts[mid])) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    if (low == 0) return before;
    for (size_t i = 0; i + 1 < low; ++i) before += inner->counts[i];
    node = inner->children[low - 1];
  }
  const auto* leaf = static_cast<const Leaf*>(node);
  size_t low = 0;
  size_t high = leaf->count;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    const ZSetNode* entry = leaf->entries[mid];
    if (pred(ScoreOf(entry), entry)) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return before + low;
}

inline ZSetTree::Position ZSetTree::Next(Position position) {
  if (++position.index < position.leaf->count) return position;
  return {position.leaf->next, 0};
}

inline ZSetTree::Position ZSetTree::Prev(Position position) {
  if (position.index > 0) {
    --position.index;
    return position;
  }
  Leaf* prev = position.leaf->prev;
  return {prev, prev == nullptr ? 0 : prev->count - 1};
}

}  // namespace ember::storage
