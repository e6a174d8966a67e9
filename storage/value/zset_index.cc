#include "storage/value/zset_index.h"

#include "storage/value/chunk_bytes.h"

namespace ember::storage {
namespace {

// How many ranks precede the lowest member at or above (or past, when exclusive) `bound`.
size_t LexBefore(const ZSetTree& tree, ZLexBound bound, bool bound_is_max) {
  switch (bound.kind) {
    case ZLexBound::Kind::kMinusInfinity:
      return 0;
    case ZLexBound::Kind::kPlusInfinity:
      return tree.size();
    case ZLexBound::Kind::kInclusive:
    case ZLexBound::Kind::kExclusive:
      break;
  }
  // A min counts members before it; a max counts members up to it. "[x" as a min and "(x"
  // as a max both stop before x; "(x" as a min and "[x" as a max both include x.
  const bool include_equal = (bound.kind == ZLexBound::Kind::kExclusive) != bound_is_max;
  return tree.CountPrefix([&](double, const ZSetNode* node) {
    const int order = MemberOf(node).compare(bound.member);
    return order < 0 || (include_equal && order == 0);
  });
}

}  // namespace

ZSetIndex::~ZSetIndex() {
  tree_.Clear([](ZSetNode* node) { FreeMemberNode(node); });
}

std::unique_ptr<ZSetIndex> ZSetIndex::Clone() const {
  auto copy = std::make_unique<ZSetIndex>();
  if (Size() == 0) return copy;
  for (ZSetTree::Position at = tree_.Locate(0); at.leaf != nullptr; at = ZSetTree::Next(at)) {
    const ZSetNode* node = ZSetTree::EntryAt(at);
    const std::string_view member = MemberOf(node);
    ZSetNode* twin = NewZSetNode(member, ScoreOf(node));
    copy->node_bytes_ += ChunkBytes(ZSetNodeRequest(member));
    copy->map_.Insert(twin);
    copy->tree_.Insert(twin);
  }
  return copy;
}

void ZSetIndex::FreeNode(ZSetNode* node) {
  node_bytes_ -= ChunkBytes(ZSetNodeRequest(MemberOf(node)));
  FreeMemberNode(node);
}

bool ZSetIndex::Insert(std::string_view member, double score) {
  if (map_.Find(member) != nullptr) return false;
  ZSetNode* node = NewZSetNode(member, score);
  node_bytes_ += ChunkBytes(ZSetNodeRequest(member));
  map_.Insert(node);
  tree_.Insert(node);
  return true;
}

ZSetIndex::AddResult ZSetIndex::Add(std::string_view member, double score) {
  ZSetNode* node = map_.Find(member);
  if (node == nullptr) {
    node = NewZSetNode(member, score);
    node_bytes_ += ChunkBytes(ZSetNodeRequest(member));
    map_.Insert(node);
    tree_.Insert(node);
    return AddResult::kAdded;
  }
  if (ScoreOf(node) == score) return AddResult::kUnchanged;
  tree_.Erase(ScoreOf(node), member);
  SetScore(node, score);
  tree_.Insert(node);
  return AddResult::kUpdated;
}

bool ZSetIndex::Update(std::string_view member, double score) {
  ZSetNode* node = map_.Find(member);
  if (node == nullptr) return false;
  if (ScoreOf(node) != score) {
    tree_.Erase(ScoreOf(node), member);
    SetScore(node, score);
    tree_.Insert(node);
  }
  return true;
}

bool ZSetIndex::Erase(std::string_view member) {
  ZSetNode* node = map_.Unlink(member);
  if (node == nullptr) return false;
  tree_.Erase(ScoreOf(node), member);
  FreeNode(node);
  return true;
}

size_t ZSetIndex::EraseRankRange(size_t start, size_t stop) {
  const size_t count = stop - start + 1;
  for (size_t i = 0; i < count; ++i) {
    ZSetNode* node = tree_.EraseAt(start);
    map_.Unlink(MemberOf(node));
    FreeNode(node);
  }
  return count;
}

std::pair<std::string, double> ZSetIndex::PopAt(size_t rank) {
  ZSetNode* node = tree_.EraseAt(rank);
  const std::string_view member = MemberOf(node);
  std::pair<std::string, double> entry(member, ScoreOf(node));
  map_.Unlink(member);
  FreeNode(node);
  return entry;
}

std::optional<std::pair<std::string, double>> ZSetIndex::PopMin() {
  if (Size() == 0) return std::nullopt;
  return PopAt(0);
}

std::optional<std::pair<std::string, double>> ZSetIndex::PopMax() {
  if (Size() == 0) return std::nullopt;
  return PopAt(Size() - 1);
}

std::optional<double> ZSetIndex::Find(std::string_view member) const {
  const ZSetNode* node = map_.Lookup(member);
  if (node == nullptr) return std::nullopt;
  return ScoreOf(node);
}

std::optional<size_t> ZSetIndex::Rank(std::string_view member) const {
  const ZSetNode* node = map_.Lookup(member);
  if (node == nullptr) return std::nullopt;
  const double score = ScoreOf(node);
  return tree_.CountPrefix([&](double other_score, const ZSetNode* other) {
    if (other_score != score) return other_score < score;
    return MemberOf(other) < member;
  });
}

ZSetEntry ZSetIndex::AtRank(size_t rank) const {
  const ZSetNode* node = tree_.At(rank);
  return {MemberOf(node), ScoreOf(node)};
}

ZRankRange ZSetIndex::ScoreRange(ZScoreBound min, ZScoreBound max) const {
  const size_t first = tree_.CountPrefix([&](double score, const ZSetNode*) {
    return min.exclusive ? score <= min.value : score < min.value;
  });
  const size_t end = tree_.CountPrefix([&](double score, const ZSetNode*) {
    return max.exclusive ? score < max.value : score <= max.value;
  });
  return {first, end < first ? first : end};
}

ZRankRange ZSetIndex::LexRange(ZLexBound min, ZLexBound max) const {
  const size_t first = LexBefore(tree_, min, false);
  const size_t end = LexBefore(tree_, max, true);
  return {first, end < first ? first : end};
}

uint64_t ZSetIndex::Scan(uint64_t cursor,
                         const std::function<void(std::string_view, double)>& fn) const {
  return map_.Scan(cursor, [&fn](const ZSetNode* node) { fn(MemberOf(node), ScoreOf(node)); });
}

std::string ZSetIndex::CheckInvariants() const {
  std::string error = tree_.CheckInvariants();
  if (!error.empty()) return "tree: " + error;
  error = map_.CheckInvariants();
  if (!error.empty()) return "map: " + error;
  if (map_.size() != tree_.size()) return "map and tree sizes differ";
  size_t node_bytes = 0;
  if (Size() > 0) {
    for (ZSetTree::Position at = tree_.Locate(0); at.leaf != nullptr; at = ZSetTree::Next(at)) {
      const ZSetNode* node = ZSetTree::EntryAt(at);
      if (map_.Lookup(MemberOf(node)) != node) return "a tree node is missing from the map";
      node_bytes += ChunkBytes(ZSetNodeRequest(MemberOf(node)));
    }
  }
  if (node_bytes != node_bytes_) return "node bytes differ from a recount";
  return "";
}

}  // namespace ember::storage
