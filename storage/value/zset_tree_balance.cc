// ZSetTree's rebalancing (zset_tree.h): making room in a full child before an insert
// descends into it, topping up a child at the minimum before an erase does, and growing or
// shrinking the root. Each step moves entries between adjacent children of one inner node
// and keeps that node's counts and cached firsts exact.
#include <cstring>

#include "storage/value/zset_tree.h"

namespace ember::storage {
namespace {

// Moves `n` slots (child, count, first, first score) from src[s] to dst[d]; the ranges may
// overlap within one node.
void MoveSlots(ZSetTree::Inner* dst, size_t d, const ZSetTree::Inner* src, size_t s, size_t n) {
  if (n == 0) return;
  std::memmove(&dst->children[d], &src->children[s], n * sizeof(dst->children[0]));
  std::memmove(&dst->counts[d], &src->counts[s], n * sizeof(dst->counts[0]));
  std::memmove(&dst->firsts[d], &src->firsts[s], n * sizeof(dst->firsts[0]));
  std::memmove(&dst->first_scores[d], &src->first_scores[s], n * sizeof(dst->first_scores[0]));
}

uint64_t SumCounts(const ZSetTree::Inner* inner, size_t from, size_t n) {
  uint64_t sum = 0;
  for (size_t i = from; i < from + n; ++i) sum += inner->counts[i];
  return sum;
}

}  // namespace

// Why the first and last children split unevenly: ascending inserts (time-like scores) all
// land in the last child and descending ones in the first. Splitting off a small new end
// child leaves a nearly full node behind, which the evening with its neighbour then fills;
// a 2-into-3 split there would leave every node behind two-thirds full.
void ZSetTree::MakeRoom(Inner* inner, size_t index, int level) {
  const int child_level = level - 1;
  const size_t capacity = ChildCapacity(child_level);
  const size_t small = ChildMinimum(child_level) + 1;
  auto count_of = [&](size_t i) { return ChildCount(inner->children[i], child_level); };
  const bool has_right = index + 1 < inner->count;
  if (index > 0 && count_of(index - 1) + 2 <= capacity) {
    Even(inner, index - 1, child_level);
  } else if (has_right && count_of(index + 1) + 2 <= capacity) {
    Even(inner, index, child_level);
  } else if (inner->count == 1) {
    InsertEmptyChild(inner, 1, child_level);
    MoveTail(inner, 0, count_of(0) / 2, child_level);
  } else if (!has_right) {
    InsertEmptyChild(inner, index + 1, child_level);
    MoveTail(inner, index, small, child_level);
  } else if (index == 0) {
    InsertEmptyChild(inner, 1, child_level);
    MoveTail(inner, 0, count_of(0) - small, child_level);
  } else {
    SplitTwoIntoThree(inner, index, child_level);
  }
}

void ZSetTree::FixMinimum(Inner* inner, size_t index, int level) {
  const int child_level = level - 1;
  auto count_of = [&](size_t i) { return ChildCount(inner->children[i], child_level); };
  size_t left = index;
  if (index + 1 == inner->count || (index > 0 && count_of(index - 1) > count_of(index + 1))) {
    left = index - 1;
  }
  if (count_of(left) + count_of(left + 1) <= ChildCapacity(child_level)) {
    MoveHead(inner, left, count_of(left + 1), child_level);
    RemoveChild(inner, left + 1, child_level);
  } else {
    Even(inner, left, child_level);
  }
}

void ZSetTree::Even(Inner* inner, size_t left, int level) {
  const size_t a = ChildCount(inner->children[left], level);
  const size_t b = ChildCount(inner->children[left + 1], level);
  const size_t target = (a + b + 1) / 2;
  if (a > target) MoveTail(inner, left, a - target, level);
  if (a < target) MoveHead(inner, left, target - a, level);
}

void ZSetTree::SplitTwoIntoThree(Inner* inner, size_t left, int level) {
  InsertEmptyChild(inner, left + 1, level);
  const size_t a = ChildCount(inner->children[left], level);
  const size_t c = ChildCount(inner->children[left + 2], level);
  const size_t first = (a + c + 2) / 3;
  const size_t last = (a + c) / 3;
  MoveTail(inner, left, a - first, level);
  MoveHead(inner, left + 1, c - last, level);
}

void ZSetTree::MoveTail(Inner* inner, size_t left, size_t n, int level) {
  if (n == 0) return;
  uint64_t moved = n;
  if (level == 0) {
    auto* src = static_cast<Leaf*>(inner->children[left]);
    auto* dst = static_cast<Leaf*>(inner->children[left + 1]);
    std::memmove(&dst->entries[n], &dst->entries[0], dst->count * sizeof(ZSetNode*));
    std::memcpy(&dst->entries[0], &src->entries[src->count - n], n * sizeof(ZSetNode*));
    src->count -= n;
    dst->count += n;
  } else {
    auto* src = static_cast<Inner*>(inner->children[left]);
    auto* dst = static_cast<Inner*>(inner->children[left + 1]);
    moved = SumCounts(src, src->count - n, n);
    MoveSlots(dst, n, dst, 0, dst->count);
    MoveSlots(dst, 0, src, src->count - n, n);
    src->count -= n;
    dst->count += n;
  }
  inner->counts[left] -= moved;
  inner->counts[left + 1] += moved;
  RefreshFirst(inner, left + 1, level);
}

void ZSetTree::MoveHead(Inner* inner, size_t left, size_t n, int level) {
  if (n == 0) return;
  uint64_t moved = n;
  size_t remaining = 0;
  if (level == 0) {
    auto* dst = static_cast<Leaf*>(inner->children[left]);
    auto* src = static_cast<Leaf*>(inner->children[left + 1]);
    std::memcpy(&dst->entries[dst->count], &src->entries[0], n * sizeof(ZSetNode*));
    std::memmove(&src->entries[0], &src->entries[n], (src->count - n) * sizeof(ZSetNode*));
    dst->count += n;
    src->count -= n;
    remaining = src->count;
  } else {
    auto* dst = static_cast<Inner*>(inner->children[left]);
    auto* src = static_cast<Inner*>(inner->children[left + 1]);
    moved = SumCounts(src, 0, n);
    MoveSlots(dst, dst->count, src, 0, n);
    MoveSlots(src, 0, src, n, src->count - n);
    dst->count += n;
    src->count -= n;
    remaining = src->count;
  }
  inner->counts[left] += moved;
  inner->counts[left + 1] -= moved;
  RefreshFirst(inner, left, level);
  if (remaining > 0) RefreshFirst(inner, left + 1, level);
}

void ZSetTree::InsertEmptyChild(Inner* inner, size_t at, int level) {
  void* child = nullptr;
  if (level == 0) {
    Leaf* leaf = NewLeaf();
    auto* prev = static_cast<Leaf*>(inner->children[at - 1]);
    leaf->prev = prev;
    leaf->next = prev->next;
    if (prev->next != nullptr) prev->next->prev = leaf;
    prev->next = leaf;
    child = leaf;
  } else {
    child = NewInner();
  }
  MoveSlots(inner, at + 1, inner, at, inner->count - at);
  inner->children[at] = child;
  inner->counts[at] = 0;
  inner->firsts[at] = nullptr;
  inner->first_scores[at] = 0;
  ++inner->count;
}

void ZSetTree::RemoveChild(Inner* inner, size_t at, int level) {
  if (level == 0) {
    auto* leaf = static_cast<Leaf*>(inner->children[at]);
    if (leaf->prev != nullptr) leaf->prev->next = leaf->next;
    if (leaf->next != nullptr) leaf->next->prev = leaf->prev;
    FreeLeaf(leaf);
  } else {
    FreeInner(static_cast<Inner*>(inner->children[at]));
  }
  MoveSlots(inner, at, inner, at + 1, inner->count - at - 1);
  --inner->count;
}

void ZSetTree::GrowRoot() {
  Inner* root = NewInner();
  root->count = 1;
  root->children[0] = root_;
  root->counts[0] = size_;
  root_ = root;
  ++height_;
  RefreshFirst(root, 0, height_ - 1);
}

void ZSetTree::ShrinkRoot() {
  while (height_ > 0 && static_cast<Inner*>(root_)->count == 1) {
    auto* root = static_cast<Inner*>(root_);
    root_ = root->children[0];
    --height_;
    FreeInner(root);
  }
  if (height_ == 0 && root_ != nullptr && static_cast<Leaf*>(root_)->count == 0) {
    FreeLeaf(static_cast<Leaf*>(root_));
    root_ = nullptr;
  }
}

}  // namespace ember::storage
