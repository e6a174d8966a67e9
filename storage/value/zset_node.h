// ZSetNode: one member of a large sorted set (zset_index.h) with its score, in one heap
// block that the member map (zset_member_map.h) and the order tree (zset_tree.h) both point
// at.
//
// Layout: a SetMemberNode (set_member_table.h) whose first word holds the score's bits
// instead of a chain link, followed by the member's bytes with no length field (the length
// is read back from the allocation's usable size, as for a set's members). The sorted set's
// member map is open-addressed, so no node needs a `next` link, and a 16-byte member costs
// one 24-byte request: a 32-byte chunk. Reusing the set's payload encoding keeps one copy of
// that subtle code.
//
// Order: (score, member), equal scores ordered by the member's bytes (memcmp, then the
// shorter first), Redis's zslValueGteMin / sdscmp order. -0.0 and 0.0 compare equal.
//
// Ownership: the sorted set allocates and frees nodes; the map and the tree only link them.
// Not thread-safe.
#pragma once

#include <cstring>
#include <string_view>

#include "storage/value/set_member_table.h"

namespace ember::storage {

using ZSetNode = SetMemberNode;

inline double ScoreOf(const ZSetNode* node) {
  double score;
  std::memcpy(&score, static_cast<const void*>(node), sizeof(score));
  return score;
}

inline void SetScore(ZSetNode* node, double score) {
  std::memcpy(static_cast<void*>(node), &score, sizeof(score));
}

// A node holding `member` and `score`. Requires: score is not NaN. Account it with
// ZSetNodeRequest(member).
inline ZSetNode* NewZSetNode(std::string_view member, double score) {
  ZSetNode* node = NewMemberNode(member);
  SetScore(node, score);
  return node;
}

inline size_t ZSetNodeRequest(std::string_view member) { return NodeRequest(member); }

// <0, 0 or >0 as (score, member) orders before, equal to or after `node`'s.
inline int CompareToNode(double score, std::string_view member, const ZSetNode* node) {
  const double node_score = ScoreOf(node);
  if (score < node_score) return -1;
  if (score > node_score) return 1;
  return member.compare(MemberOf(node));
}

}  // namespace ember::storage
