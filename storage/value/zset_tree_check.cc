// ZSetTree::CheckInvariants (zset_tree.h): a full walk comparing every cached figure with
// the structure, for tests.
#include <cstring>
#include <string>

#include "storage/value/chunk_bytes.h"
#include "storage/value/zset_tree.h"

namespace ember::storage {
namespace {

bool Before(const ZSetNode* a, const ZSetNode* b) {
  return CompareToNode(ScoreOf(a), MemberOf(a), b) < 0;
}

}  // namespace

std::string ZSetTree::CheckInvariants() const {
  if (root_ == nullptr) {
    if (size_ != 0 || height_ != 0) return "no root but size or height set";
    return heap_bytes_ == 0 ? "" : "heap bytes without nodes";
  }
  size_t count = 0;
  size_t leaves = 0;
  size_t inners = 0;
  const Leaf* last_leaf = nullptr;
  std::string error = CheckSubtree(root_, height_, true, &count, &leaves, &inners, &last_leaf);
  if (!error.empty()) return error;
  if (count != size_) return "size " + std::to_string(size_) + " but " + std::to_string(count);
  if (last_leaf->next != nullptr) return "last leaf has a next link";
  const size_t expected = leaves * ChunkBytes(sizeof(Leaf)) + inners * ChunkBytes(sizeof(Inner));
  if (heap_bytes_ != expected) return "heap bytes " + std::to_string(heap_bytes_);
  return "";
}

std::string ZSetTree::CheckSubtree(const void* node, int level, bool is_root, size_t* count,
                                   size_t* leaves, size_t* inners, const Leaf** last_leaf) const {
  const size_t minimum = is_root ? (level == 0 ? 1 : 2) : ChildMinimum(level);
  const size_t children = ChildCount(node, level);
  if (children < minimum || children > ChildCapacity(level)) {
    return "level " + std::to_string(level) + " node holds " + std::to_string(children);
  }
  if (level == 0) {
    const auto* leaf = static_cast<const Leaf*>(node);
    ++*leaves;
    if (leaf->prev != *last_leaf) return "leaf prev link broken";
    if (*last_leaf != nullptr) {
      if ((*last_leaf)->next != leaf) return "leaf next link broken";
      if (!Before((*last_leaf)->entries[(*last_leaf)->count - 1], leaf->entries[0])) {
        return "order broken between leaves";
      }
    }
    for (size_t i = 1; i < leaf->count; ++i) {
      if (!Before(leaf->entries[i - 1], leaf->entries[i])) return "order broken in a leaf";
    }
    *count += leaf->count;
    *last_leaf = leaf;
    return "";
  }
  const auto* inner = static_cast<const Inner*>(node);
  ++*inners;
  for (size_t i = 0; i < inner->count; ++i) {
    size_t sub = 0;
    std::string error =
        CheckSubtree(inner->children[i], level - 1, false, &sub, leaves, inners, last_leaf);
    if (!error.empty()) return error;
    if (sub != inner->counts[i]) return "inner count differs from its subtree";
    if (inner->firsts[i] != ChildFirst(inner->children[i], level - 1)) {
      return "cached first differs from the subtree's first";
    }
    const double score = ScoreOf(inner->firsts[i]);
    if (std::memcmp(&score, &inner->first_scores[i], sizeof(score)) != 0) {
      return "cached first score differs";
    }
    *count += sub;
  }
  return "";
}

}  // namespace ember::storage
