#include "storage/value/zset_tree.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "storage/value/chunk_bytes.h"

namespace ember::storage {
namespace {

// (score, member) against a node whose score is `node_score` (cached or read).
int CompareKey(double score, std::string_view member, double node_score, const ZSetNode* node) {
  if (score < node_score) return -1;
  if (score > node_score) return 1;
  return member.compare(MemberOf(node));
}

}  // namespace

ZSetTree::ZSetTree(ZSetTree&& other) noexcept
    : root_(std::exchange(other.root_, nullptr)),
      height_(std::exchange(other.height_, 0)),
      size_(std::exchange(other.size_, 0)),
      heap_bytes_(std::exchange(other.heap_bytes_, 0)) {}

ZSetTree& ZSetTree::operator=(ZSetTree&& other) noexcept {
  if (this != &other) {
    if (root_ != nullptr) FreeSubtree(root_, height_);
    root_ = std::exchange(other.root_, nullptr);
    height_ = std::exchange(other.height_, 0);
    size_ = std::exchange(other.size_, 0);
    heap_bytes_ = std::exchange(other.heap_bytes_, 0);
  }
  return *this;
}

ZSetTree::~ZSetTree() {
  if (root_ != nullptr) FreeSubtree(root_, height_);
}

ZSetTree::Leaf* ZSetTree::NewLeaf() {
  auto* leaf = static_cast<Leaf*>(std::malloc(sizeof(Leaf)));
  if (leaf == nullptr) throw std::bad_alloc();
  leaf->prev = nullptr;
  leaf->next = nullptr;
  leaf->count = 0;
  heap_bytes_ += ChunkBytes(sizeof(Leaf));
  return leaf;
}

ZSetTree::Inner* ZSetTree::NewInner() {
  auto* inner = static_cast<Inner*>(std::malloc(sizeof(Inner)));
  if (inner == nullptr) throw std::bad_alloc();
  inner->count = 0;
  heap_bytes_ += ChunkBytes(sizeof(Inner));
  return inner;
}

void ZSetTree::FreeLeaf(Leaf* leaf) {
  heap_bytes_ -= ChunkBytes(sizeof(Leaf));
  std::free(leaf);
}

void ZSetTree::FreeInner(Inner* inner) {
  heap_bytes_ -= ChunkBytes(sizeof(Inner));
  std::free(inner);
}

void ZSetTree::FreeSubtree(void* node, int level) {
  if (level == 0) {
    FreeLeaf(static_cast<Leaf*>(node));
    return;
  }
  auto* inner = static_cast<Inner*>(node);
  for (size_t i = 0; i < inner->count; ++i) FreeSubtree(inner->children[i], level - 1);
  FreeInner(inner);
}

size_t ZSetTree::ChildCount(const void* child, int level) {
  return level == 0 ? static_cast<const Leaf*>(child)->count
                    : static_cast<const Inner*>(child)->count;
}

size_t ZSetTree::ChildCapacity(int level) { return level == 0 ? kLeafCapacity : kInnerCapacity; }

size_t ZSetTree::ChildMinimum(int level) { return level == 0 ? kLeafMinimum : kInnerMinimum; }

ZSetNode* ZSetTree::ChildFirst(const void* child, int level) {
  return level == 0 ? static_cast<const Leaf*>(child)->entries[0]
                    : static_cast<const Inner*>(child)->firsts[0];
}

void ZSetTree::RefreshFirst(Inner* inner, size_t index, int level) {
  ZSetNode* first = ChildFirst(inner->children[index], level);
  inner->firsts[index] = first;
  inner->first_scores[index] = ScoreOf(first);
}

void ZSetTree::RefreshFirsts(const PathStep* path, int steps) const {
  for (int s = steps - 1; s >= 0; --s) RefreshFirst(path[s].inner, path[s].index, height_ - 1 - s);
}

size_t ZSetTree::ChildForKey(const Inner* inner, double score, std::string_view member) {
  // The last child whose first node is at or before the key; the first child for a key
  // before every node.
  size_t low = 1;
  size_t high = inner->count;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    if (CompareKey(score, member, inner->first_scores[mid], inner->firsts[mid]) >= 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low - 1;
}

size_t ZSetTree::LeafLowerBound(const Leaf* leaf, double score, std::string_view member) {
  size_t low = 0;
  size_t high = leaf->count;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    if (CompareToNode(score, member, leaf->entries[mid]) > 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

void ZSetTree::Insert(ZSetNode* node) {
  const double score = ScoreOf(node);
  const std::string_view member = MemberOf(node);
  if (root_ == nullptr) {
    root_ = NewLeaf();
    height_ = 0;
  }
  if (ChildCount(root_, height_) == ChildCapacity(height_)) GrowRoot();
  PathStep path[kMaxHeight];
  int steps = 0;
  void* current = root_;
  for (int level = height_; level > 0; --level) {
    auto* inner = static_cast<Inner*>(current);
    size_t index = ChildForKey(inner, score, member);
    if (ChildCount(inner->children[index], level - 1) == ChildCapacity(level - 1)) {
      MakeRoom(inner, index, level);
      index = ChildForKey(inner, score, member);
    }
    ++inner->counts[index];
    path[steps++] = {inner, index};
    current = inner->children[index];
  }
  auto* leaf = static_cast<Leaf*>(current);
  const size_t at = LeafLowerBound(leaf, score, member);
  std::memmove(&leaf->entries[at + 1], &leaf->entries[at], (leaf->count - at) * sizeof(ZSetNode*));
  leaf->entries[at] = node;
  ++leaf->count;
  ++size_;
  RefreshFirsts(path, steps);
}

ZSetNode* ZSetTree::Erase(double score, std::string_view member) {
  PathStep path[kMaxHeight];
  int steps = 0;
  Leaf* leaf =
      DescendForErase([&](const Inner* inner) { return ChildForKey(inner, score, member); },
                      [](const Inner*, size_t) {}, path, &steps);
  return RemoveFromLeaf(leaf, LeafLowerBound(leaf, score, member), path, steps);
}

ZSetNode* ZSetTree::EraseAt(size_t rank) {
  PathStep path[kMaxHeight];
  int steps = 0;
  Leaf* leaf = DescendForErase(
      [&](const Inner* inner) {
        size_t index = 0;
        for (size_t left = rank; left >= inner->counts[index]; ++index)
          left -= inner->counts[index];
        return index;
      },
      [&](const Inner* inner, size_t index) {
        for (size_t i = 0; i < index; ++i) rank -= inner->counts[i];
      },
      path, &steps);
  return RemoveFromLeaf(leaf, rank, path, steps);
}

ZSetNode* ZSetTree::RemoveFromLeaf(Leaf* leaf, size_t at, const PathStep* path, int steps) {
  ZSetNode* node = leaf->entries[at];
  --leaf->count;
  std::memmove(&leaf->entries[at], &leaf->entries[at + 1], (leaf->count - at) * sizeof(ZSetNode*));
  --size_;
  if (leaf->count > 0) RefreshFirsts(path, steps);
  ShrinkRoot();
  return node;
}

template <typename Choose, typename OnDescend>
ZSetTree::Leaf* ZSetTree::DescendForErase(Choose&& choose, OnDescend&& on_descend, PathStep* path,
                                          int* steps) {
  void* current = root_;
  for (int level = height_; level > 0; --level) {
    auto* inner = static_cast<Inner*>(current);
    size_t index = choose(inner);
    if (ChildCount(inner->children[index], level - 1) <= ChildMinimum(level - 1)) {
      FixMinimum(inner, index, level);
      index = choose(inner);
    }
    on_descend(inner, index);
    --inner->counts[index];
    path[(*steps)++] = {inner, index};
    current = inner->children[index];
  }
  return static_cast<Leaf*>(current);
}

ZSetTree::Position ZSetTree::Locate(size_t rank) const {
  const void* node = root_;
  for (int level = height_; level > 0; --level) {
    const auto* inner = static_cast<const Inner*>(node);
    size_t index = 0;
    while (rank >= inner->counts[index]) rank -= inner->counts[index++];
    node = inner->children[index];
  }
  return {const_cast<Leaf*>(static_cast<const Leaf*>(node)), rank};
}

}  // namespace ember::storage
